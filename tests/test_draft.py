from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.draft import LineIndex, checkworthiness, read_draft, split_after_acronyms, split_sentences

FIXTURE = Path(__file__).parent / "fixtures" / "draft.md"


@pytest.fixture(scope="module")
def fixture_draft():
    text = FIXTURE.read_text(encoding="utf-8")
    return text, read_draft("drafts/draft.md", text)


def spans(draft):
    return [(s.text, s.line, s.column, s.end_line, s.end_column) for s in draft.sentences]


def test_fixture_sentences_and_exact_spans(fixture_draft):
    _, draft = fixture_draft
    assert spans(draft) == [
        ("Iraq troop levels", 6, 3, 6, 22),
        ("The U.S. has 5,200 troops in Iraq, officials said.", 8, 1, 8, 90),
        ("This is a sad day.", 8, 91, 8, 109),
        ("We should all care.", 9, 1, 9, 20),
        ("Gen. Smith arrived in Baghdad on Sept. 3.", 16, 3, 16, 46),
        ("It was a long night.", 17, 3, 17, 33),
        ("According to Reuters, 900 troops remain in Syria.", 19, 3, 19, 52),
        ("The mission ends in September 2026.", 22, 1, 22, 36),
        ("Troop numbers increased in May.", 24, 1, 24, 32),
        ("The base has 40 aircraft.", 24, 60, 24, 85),
    ]


def test_span_is_the_original_text_including_markup(fixture_draft):
    text, draft = fixture_draft
    first = draft.sentences[1]
    assert text[first.start : first.end] == (
        "The **U.S.** has 5,200 troops in [Iraq](https://example.com/report-5000), officials said."
    )
    assert text[draft.sentences[0].start : draft.sentences[0].end] == "Iraq *troop* levels"
    fourth = draft.sentences[4]
    assert text[fourth.start : fourth.end] == "Gen. *Smith* arrived in Baghdad on Sept. 3."


def test_every_sentence_starts_and_ends_on_its_own_characters(fixture_draft):
    text, draft = fixture_draft
    lines = LineIndex(text)
    for sentence in draft.sentences:
        assert text[sentence.start] == sentence.text[0]
        assert text[sentence.end - 1] == sentence.text[-1]
        assert lines.position(sentence.start) == (sentence.line, sentence.column)


def test_front_matter_code_html_comments_urls_and_inline_code_are_never_read(fixture_draft):
    _, draft = fixture_draft
    everything = " ".join(s.text for s in draft.sentences)
    for hidden in ("Troop levels 2024", "draft: 3", "9,000", "7,000", "report-5000", "example.com", "42"):
        assert hidden not in everything


def test_checkworthiness_in_fixture(fixture_draft):
    _, draft = fixture_draft
    assert [s.text for s in draft.sentences if not s.checkworthy] == [
        "Iraq troop levels",
        "This is a sad day.",
        "We should all care.",
        "It was a long night.",
    ]


def test_suppressions_cover_the_next_block_and_the_next_sentence(fixture_draft):
    text, draft = fixture_draft
    block, inline = draft.suppressions
    assert (block.line, block.column, block.directive, block.rules) == (21, 1, "ignore", ("FC101",))
    assert text[block.scope_start : block.scope_end].strip() == "The mission ends in September 2026."
    assert block.covers(draft.sentences[7].start, "FC101")
    assert not block.covers(draft.sentences[7].start, "FC102")
    assert (inline.line, inline.column, inline.rules) == (24, 33, ())
    assert text[inline.scope_start : inline.scope_end] == "The base has 40 aircraft."
    assert not inline.covers(draft.sentences[8].start, "FC101")


def test_off_on_region():
    text = "A 1 here.\n\n<!-- factcheck: off FC301 -->\nB 2 here.\n\nC 3 here.\n<!-- factcheck: on -->\n\nD 4.\n"
    draft = read_draft("x.md", text)
    (region,) = draft.suppressions
    assert region.directive == "off" and region.rules == ("FC301",)
    covered = [s.text for s in draft.sentences if region.covers(s.start, "FC301")]
    assert covered == ["B 2 here.", "C 3 here."]


def test_unclosed_off_runs_to_end_of_file():
    text = "<!-- factcheck: off -->\nA 1 here.\n\nB 2 here.\n"
    draft = read_draft("x.md", text)
    assert all(draft.suppressions[0].covers(s.start, "FC101") for s in draft.sentences)


def test_ignore_before_a_list_covers_the_whole_list():
    text = "<!-- factcheck: ignore -->\n- one 1.\n- two 2.\n\nThree 3.\n"
    draft = read_draft("x.md", text)
    (sup,) = draft.suppressions
    assert [sup.covers(s.start, "FC101") for s in draft.sentences] == [True, True, False]


def test_escapes_and_entities_map_back_to_source():
    text = "Tom \\*said\\* AT&amp;T paid $5 million.\n"
    (sentence,) = read_draft("x.md", text).sentences
    assert sentence.text == "Tom *said* AT&T paid $5 million."
    assert text[sentence.start : sentence.end] == text.rstrip("\n")


def test_autolink_and_image_are_skipped():
    text = "See <https://x.org/2020> and ![chart of 7 bars](c.png) for Reuters data.\n"
    (sentence,) = read_draft("x.md", text).sentences
    assert sentence.text == "See and for Reuters data."
    assert (sentence.column, sentence.end_column) == (1, len(text.rstrip("\n")) + 1)


def test_multi_line_paragraph_spans_lines():
    text = "> The army said\n> 400 soldiers left.\n"
    (sentence,) = read_draft("x.md", text).sentences
    assert sentence.text == "The army said 400 soldiers left."
    assert (sentence.line, sentence.column, sentence.end_line, sentence.end_column) == (1, 3, 2, 21)


def test_crlf_markdown_keeps_offsets():
    text = "First 1 line.\r\n\r\nSecond 2 line.\r\n"
    sentences = read_draft("x.md", text).sentences
    assert [(s.line, s.column, text[s.start : s.end]) for s in sentences] == [
        (1, 1, "First 1 line."),
        (3, 1, "Second 2 line."),
    ]


def test_plain_text_paragraphs():
    text = "The U.S. has 2,500 troops.\nGen. Smith said so.\n\n\nThis is a sad day.\n"
    sentences = read_draft("notes.txt", text).sentences
    assert [(s.text, s.line, s.column, s.end_line, s.end_column) for s in sentences] == [
        ("The U.S. has 2,500 troops.", 1, 1, 1, 27),
        ("Gen. Smith said so.", 2, 1, 2, 20),
        ("This is a sad day.", 5, 1, 5, 19),
    ]
    assert read_draft("notes.txt", text).suppressions == ()


def test_plain_text_is_not_parsed_as_markdown():
    text = "# 5 troops *left*\n"
    (sentence,) = read_draft("notes.txt", text).sentences
    assert sentence.text == "# 5 troops *left*"


@pytest.mark.parametrize(
    "sentence",
    [
        "The U.S. has 2,500 troops in Iraq.",
        "Gen. McKenzie visited last week.",
        "President Biden spoke.",
        "The mission ends in September.",
        "Officials said the talks had failed.",
        "According to the ministry, the talks failed.",
        "It was the largest protest yet.",
        "Prices increased sharply.",
        "More than a hundred people died.",
        "The talks took place in Baghdad.",
        "NATO agreed.",
        "No one was hurt.",
        "Not one soldier was hurt.",
        "One of the bases was handed over.",
        "He visited the city once.",
        "I think 2,500 troops is too many.",
        "I believe the vote was held in March.",
        "We think the mayor lied, the council said.",
    ],
)
def test_checkworthy(sentence):
    worthy, why = checkworthiness(sentence)
    assert worthy, why


@pytest.mark.parametrize(
    "sentence",
    [
        "This is a sad day.",
        "We should all care.",
        "It was a long night.",
        "Honestly, I think it matters.",
        "Nobody wants this.",
        "The new plan is a good one.",
        "Of all the bridges, this one is the one I love.",
        "Once the talks end, we will see.",
        "It happened at once, once again.",
        "In my view the Harbour Board was wrong.",
        "I think Mayor Lee should resign.",
        "Personally, the council is the wrong answer.",
    ],
)
def test_not_checkworthy(sentence):
    worthy, why = checkworthiness(sentence)
    assert not worthy, why


def test_an_opinion_says_why_it_is_not_checked():
    assert checkworthiness("In my view the Harbour Board was wrong.") == (
        False,
        "opinion 'In my view', with no number, date or attribution",
    )


def test_why_names_the_trigger():
    assert checkworthiness("Gen. Smith said 5,200 troops left.")[1] == (
        "number '5,200'; name 'Gen.'; attribution 'said'"
    )


def test_split_sentences_handles_abbreviations():
    text = "The U.S. sent Gen. Smith in Sept. 2024. He left."
    expected = ["The U.S. sent Gen. Smith in Sept. 2024.", "He left."]
    assert [text[a:b] for a, b in split_sentences(text)] == expected


words = st.sampled_from(["troops", "*Iraq*", "**5,200**", "`x 1`", "[link](http://a.b/3)", "said", "the"])


@given(st.lists(st.lists(words, min_size=1, max_size=8), min_size=1, max_size=4))
def test_property_spans_point_at_the_sentence_characters(paragraphs):
    text = "\n\n".join(" ".join(p) + "." for p in paragraphs) + "\n"
    for sentence in read_draft("x.md", text).sentences:
        assert text[sentence.start] == sentence.text[0]
        assert text[sentence.end - 1] == sentence.text[-1]
        assert sentence.start < sentence.end


@given(
    frame=st.sampled_from(["I think", "In my view,", "We believe", "Personally,", "To my mind,"]),
    words=st.lists(st.sampled_from(["the", "plan", "was", "wrong", "good", "for", "us", "one"]), max_size=8),
    figure=st.integers(min_value=0, max_value=10**7),
)
def test_an_opinion_frame_never_hides_a_figure(frame, words, figure):
    """However a sentence is framed as opinion, a figure in it is still checked."""
    sentence = f"{frame} {' '.join(words)} {figure:,} people.".replace("  ", " ")
    worthy, why = checkworthiness(sentence)
    assert worthy, why


@pytest.mark.parametrize("name", ["draft.md", "draft.txt"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_sentence_ending_in_an_acronym_at_a_line_end_is_not_run_into_the_next(name, newline):
    text = newline.join(
        [
            "The mayor flew to the U.S.",
            "Harbour Board members met him there.",
            "They praised the U.S.",
            "Army band. The band went to the U.K. Then it left.",
        ]
    )
    sentences = read_draft(name, text).sentences
    assert [" ".join(s.text.split()) for s in sentences] == [
        "The mayor flew to the U.S.",
        "Harbour Board members met him there.",
        "They praised the U.S. Army band.",
        "The band went to the U.K.",
        "Then it left.",
    ]
    assert [s.line for s in sentences] == [1, 2, 3, 4, 4]


def test_an_acronym_inside_a_sentence_stays_in_it():
    text = "The U.S. Embassy and the U.K. Foreign Office agreed. The U.N. Security Council met."
    assert split_after_acronyms(text, split_sentences(text)) == split_sentences(text)


@given(
    st.lists(
        st.sampled_from(["the", "U.S.", "U.K.", "Then", "Army", "left", "Iraq", "It", "met.", "and"]),
        min_size=1,
        max_size=14,
    )
)
def test_splitting_after_acronyms_keeps_every_character_in_order(words):
    text = " ".join(words)
    spans = split_after_acronyms(text, split_sentences(text), lambda _i, _j: True)
    assert all(a < b for a, b in spans)
    assert all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1))
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")
