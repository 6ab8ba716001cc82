"""Segmentation: exact spans, sentence boundaries, headings, items, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.ingest import SourceFile, list_sources, read_catalog, read_document
from factcheck.records import Document
from factcheck.segment import LineIndex, segment, split_sentences

SOURCES = Path(__file__).resolve().parent.parent / "sources"


def make_doc(text: str, path: str = "doc.txt", body_start: int = 0) -> Document:
    return Document("doc", path, "Title", text, "0" * 64, body_start=body_start)


def texts(text: str, path: str = "doc.txt") -> list[str]:
    return [p.text for p in segment(make_doc(text, path))]


def assert_exact(doc: Document) -> None:
    lines = doc.text.split("\n")
    previous_end = -1
    for i, p in enumerate(segment(doc)):
        assert p.ordinal == i
        assert doc.text[p.start : p.end] == p.text
        assert p.text.strip() and p.text == p.text.lstrip()
        if p.kind == "sentence":
            assert p.text == p.text.strip()
        assert p.start >= previous_end  # in order, never overlapping
        previous_end = p.end
        # line:column (1-based) point at the first character of the passage
        assert lines[p.line - 1][p.column - 1 :].startswith(p.text.split("\n")[0])


@pytest.fixture(scope="module")
def source_docs():
    catalog = read_catalog(SOURCES)
    return [read_document(s, catalog) for s in list_sources(SOURCES)]


def test_every_passage_of_every_source_maps_back_exactly(source_docs):
    assert len(source_docs) == 5
    for doc in source_docs:
        passages = segment(doc)
        assert len(passages) > 5
        assert_exact(doc)


@pytest.mark.parametrize(
    "sentence",
    [
        # from the sources
        "There are presently about 2,500 American troops in Iraq.",
        "The reduced footprint allows the U.S. to continue to assist Iraqi partners in rooting out the final "
        "remnants of ISIS, said Marine Gen. Frank McKenzie.",
        "The tension culminated in the U.S. assassination of Iranian Maj. Gen. Qassem Soleimani in January on "
        "Iraqi soil.",
        "Coalition commander Maj. Gen. John Brennan stated the mission was complete.",
        '"We have an agreement, its now just a question of when to announce it," a senior U.S. official said.',
        "\u201cThis decision is due to our confidence in the Iraqi Security Forces\u2019 increased ability to "
        "operate independently,\u201d McKenzie said.",
        # abbreviations and decimals in the same style
        "Lt. Gen. Paul Calvert said on Sept. 6 that the U.S. would keep 2,500 troops in Iraq.",
        "Troop numbers fell by 2.5 percent, to 0.75 of the 2019 level.",
        "Lt. Col. Smith met U.S. Army officials in Baghdad.",
    ],
)
def test_abbreviations_decimals_and_quotes_are_not_split(sentence):
    text = f"The move will occur in two phases. {sentence} The sources said the deal could be announced."
    got = texts(text)
    assert got == ["The move will occur in two phases.", sentence, "The sources said the deal could be announced."]


def test_us_at_the_end_of_a_sentence_still_ends_it():
    got = texts("Iraq asked for help from the U.S. It came in 2014.")
    assert got[-1] == "It came in 2014."


def test_headings_are_not_passages_but_label_what_follows():
    text = (
        "= Withdrawal of troops =\n\nIntro sentence.\n\n== Background ==\nFirst. Second one.\n\n"
        "# Markdown head\nLast."
    )
    passages = segment(make_doc(text))
    assert [p.text for p in passages] == ["Intro sentence.", "First.", "Second one.", "Last."]
    assert [p.heading for p in passages] == ["", "Background", "Background", "Markdown head"]
    assert all(p.kind == "sentence" for p in passages)


def test_list_items_lose_their_marker_and_keep_their_column():
    text = (
        "Intro.\n== Infobox ==\n- Date: 20 March 2020 \u2013 9 December 2021\n* Place: Iraq\n"
        "12. Numbered item here\n"
    )
    passages = segment(make_doc(text))
    items = passages[1:]
    assert [(p.text, p.kind, p.line, p.column) for p in items] == [
        ("Date: 20 March 2020 \u2013 9 December 2021", "item", 3, 3),
        ("Place: Iraq", "item", 4, 3),
        ("Numbered item here", "item", 5, 5),
    ]
    assert all(p.heading == "Infobox" for p in items)


def test_list_item_passages_are_stripped_like_sentences():
    text = "Intro.\n- item one   \n- item two\t\n"
    items = [p for p in segment(make_doc(text)) if p.kind == "item"]
    assert [p.text for p in items] == ["item one", "item two"]
    assert [p.end - p.start for p in items] == [8, 8]


def test_a_title_after_blank_lines_is_not_a_section_heading():
    passages = segment(make_doc("\n\n= Withdrawal of troops (2020\u20132021) =\n\nText here."))
    assert [(p.text, p.heading) for p in passages] == [("Text here.", "")]


def test_markdown_setext_headings_and_rules():
    passages = segment(make_doc("Title\n=====\n\nText here.\n\n---\n\nMore.", "doc.md"))
    assert [(p.text, p.heading) for p in passages] == [("Text here.", ""), ("More.", "")]


def test_a_title_line_at_the_top_is_not_a_section_heading():
    passages = segment(make_doc("== Title ==\nBody sentence."))
    assert [(p.text, p.heading) for p in passages] == [("Body sentence.", "")]


def test_line_and_column_of_later_sentences():
    text = "First line.\n\nSecond line has two. Sentences here.\n   Indented third."
    passages = segment(make_doc(text))
    assert [(p.line, p.column) for p in passages] == [(1, 1), (3, 1), (3, 22), (4, 4)]


def test_line_index_positions():
    idx = LineIndex("ab\ncd\n\nef")
    assert idx.position(0) == (1, 1)
    assert idx.position(1) == (1, 2)
    assert idx.position(3) == (2, 1)
    assert idx.position(6) == (3, 1)
    assert idx.position(7) == (4, 1)


def test_markdown_wraps_paragraphs_plain_text_does_not():
    text = "# Title\n\nA sentence that is\nwrapped over two lines. Next one\ncontinues here.\n"
    md = segment(make_doc(text, "doc.md"))
    assert [p.text for p in md] == ["A sentence that is\nwrapped over two lines.", "Next one\ncontinues here."]
    assert [(p.line, p.column) for p in md] == [(3, 1), (4, 25)]
    plain = segment(make_doc(text, "doc.txt"))
    assert [p.text for p in plain][0] == "A sentence that is"  # plain text: one paragraph per line
    for doc in (make_doc(text, "doc.md"), make_doc(text, "doc.txt")):
        assert_exact(doc)


def test_crlf_source_has_lf_text_and_correct_lines(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"First sentence here.\r\nSecond line. Third sentence.\r\n\r\nFourth.\r\n")
    doc = read_document(SourceFile("crlf", path, path.stat().st_size, 0))
    assert "\r" not in doc.text
    passages = segment(doc)
    assert [(p.text, p.line, p.column) for p in passages] == [
        ("First sentence here.", 1, 1),
        ("Second line.", 2, 1),
        ("Third sentence.", 2, 14),
        ("Fourth.", 4, 1),
    ]
    assert_exact(doc)


def test_front_matter_is_skipped_and_lines_count_from_the_file_start(tmp_path):
    path = tmp_path / "fm.md"
    path.write_text("---\ntitle: T\npublished: 2024-09-06\n---\nBody sentence one. Two.\n", encoding="utf-8")
    doc = read_document(SourceFile("fm", path, 1, 0))
    passages = segment(doc)
    assert [(p.text, p.line, p.column) for p in passages] == [("Body sentence one.", 5, 1), ("Two.", 5, 20)]
    assert all("title" not in p.text for p in passages)


def test_very_long_sentences_are_cut_at_white_space():
    text = " ".join(["word"] * 1200) + "."
    passages = segment(make_doc(text))
    assert len(passages) >= 3
    assert all(len(p.text) <= 2000 for p in passages)
    assert_exact(make_doc(text))


def test_repeated_sentences_get_their_own_spans():
    text = "Troops remain. Troops remain. Troops remain."
    spans = split_sentences(text)
    assert spans == [(0, 14), (15, 29), (30, 44)]


def test_blank_text_has_no_sentences():
    assert split_sentences("   \n  ") == []
    assert segment(make_doc("\n\n   \n")) == []


_ALPHABET = st.sampled_from(
    list("abcXYZ019 ") + [".", ",", "!", "?", '"', "'", "\u201c", "\u201d", "\n", "\n\n", "U.S.", "Gen. ", "# ",
                         "- ", "== H ==", "2,500", "3.5", "\t", "\u00e9", "\u2013", ":", ";", "(", ")", "1. "]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(["doc.txt", "doc.md"]))
def test_property_every_passage_maps_back_exactly(text, path):
    assert_exact(make_doc(text, path))
