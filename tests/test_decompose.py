"""Atomic claims: a sentence -> parts with exact spans (factcheck.decompose)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.decompose import KINDS, decompose, named_speaker

README_EXAMPLE = (
    "The combat mission formally ended on 9 December 2021, and France announced in June 2020 that it "
    "would withdraw from its primary base in Iraq by the end of July."
)


def texts(sentence: str) -> list[str]:
    return [p.text for p in decompose(sentence)]


def kinds(sentence: str) -> list[str]:
    return [p.kind for p in decompose(sentence)]


def test_the_readme_example_is_two_claims_each_with_its_own_date():
    parts = decompose(README_EXAMPLE)
    assert [p.text for p in parts] == [
        "The combat mission formally ended on 9 December 2021",
        "France announced in June 2020 that it would withdraw from its primary base in Iraq by the end of July",
    ]
    assert README_EXAMPLE[parts[1].start : parts[1].end].startswith("France announced")


def test_a_clause_without_subject_takes_the_previous_clauses():
    parts = decompose("The U.S. withdrew from Iraq in 2011, but returned in 2014.")
    assert [p.text for p in parts] == ["The U.S. withdrew from Iraq in 2011", "The U.S. returned in 2014"]
    second = parts[1]
    assert len(second.spans) == 2  # "The U.S." … "returned in 2014"
    assert second.quoted("The U.S. withdrew from Iraq in 2011, but returned in 2014.") == "The U.S. … returned in 2014"
    assert (second.start, second.end) == second.spans[-1]


def test_an_auxiliary_travels_with_the_subject():
    assert texts("The U.S. has trained more than 225,000 Iraqis, and given them $4 billion in military aid.")[1] == (
        "The U.S. has given them $4 billion in military aid"
    )


@pytest.mark.parametrize(
    ("sentence", "second"),
    [
        (
            "The U.S. has about 2,500 troops in Iraq, down from 5,200 in 2020.",
            "The U.S. has 5,200 troops in Iraq in 2020",
        ),
        (
            "About 3,000 U.S. troops are in Iraq today, up from 2,500 in 2021.",
            "2,500 U.S. troops are in Iraq in 2021",
        ),
        (
            "There are about 2,500 American troops in Iraq, compared with about 900 in Syria.",
            "There are about 900 American troops in Syria",
        ),
    ],
)
def test_a_comparison_is_a_second_claim_about_another_time_or_place(sentence, second):
    parts = decompose(sentence)
    assert [p.kind for p in parts] == ["clause", "comparison"]
    assert parts[1].text == second
    assert "from" in sentence[parts[1].start : parts[1].end] or "compared" in sentence[parts[1].start : parts[1].end]


def test_a_relative_clause_claims_something_of_its_antecedent():
    s = "Iraqi Prime Minister Mohammed Shia al-Sudani, who has ties to Iran, has called for a transition."
    parts = decompose(s)
    assert [p.kind for p in parts] == ["clause", "relative"]
    assert parts[0].text == "Iraqi Prime Minister Mohammed Shia al-Sudani has called for a transition"
    assert parts[1].text == "Iraqi Prime Minister Mohammed Shia al-Sudani has ties to Iran"
    assert s[parts[1].start : parts[1].end] == "who has ties to Iran"


def test_an_appositive_says_what_its_noun_is():
    parts = decompose("Mustafa al-Kadhimi, the Iraqi prime minister, visited the White House on 26 July 2021.")
    assert [p.text for p in parts] == [
        "Mustafa al-Kadhimi visited the White House on 26 July 2021",
        "Mustafa al-Kadhimi is the Iraqi prime minister",
    ]


def test_an_appositive_may_open_with_a_possessive_name():
    parts = decompose("Lena Ortiz, Chile's finance minister, said the budget had passed.")
    assert [p.text for p in parts] == [
        "Lena Ortiz said the budget had passed",
        "Lena Ortiz is Chile's finance minister",
    ]
    assert [p.text for p in decompose("In Santiago, Ortiz said the budget had passed.")] == [
        "In Santiago, Ortiz said the budget had passed"
    ]


def test_a_list_of_figures_is_one_claim_per_figure_with_the_counted_noun():
    assert texts("The U.S. has about 2,500 troops in Iraq, 900 in Syria and 3,000 in Kuwait.") == [
        "The U.S. has about 2,500 troops in Iraq",
        "The U.S. has 900 troops in Syria",
        "The U.S. has 3,000 troops in Kuwait",
    ]


def test_an_attribution_is_kept_apart_and_its_date_never_becomes_the_claims():
    s = "Under the plan reported by Reuters in May 2023, all coalition forces would leave Ain al-Asad by 2025."
    parts = decompose(s)
    attribution = next(p for p in parts if p.kind == "attribution")
    content = next(p for p in parts if p.kind == "content")
    assert content.text == "all coalition forces would leave Ain al-Asad by 2025"
    assert (attribution.speaker, attribution.when) == ("Reuters", "in May 2023")
    assert "May 2023" not in content.text


def test_an_unnamed_speaker_is_no_part_but_the_content_is_checked_without_the_date_said():
    parts = decompose("A senior administration official said in July 2021 that the combat mission would end this year.")
    assert [(p.kind, p.text) for p in parts] == [
        ("content", "A senior administration official said that the combat mission would end this year")
    ]


@pytest.mark.parametrize(
    ("who", "named"),
    [("Reuters", True), ("Marine Gen. Frank McKenzie", True), ("Alaaldin", True), ("Senior U.S. officials", False)]
    + [("a senior Pentagon official", False), ("Pentagon spokesman John Kirby", True)]
    + [("Several sources", False), ("A senior administration official", False)],
)
def test_named_speakers(who, named):
    assert named_speaker(who) is named


@pytest.mark.parametrize(
    "sentence",
    [
        "Between 2,000 and 3,000 U.S. troops are in Iraq.",
        "The U.S. and Iraq agreed on a plan for the withdrawal of coalition forces.",
        "The U.S. reduced its troops in Iraq from 5,200 to 3,000 in September 2020.",
        "Germany, France, Spain, and Italy contribute hundreds of troops to the coalition.",
        "Rocket and drone attacks have killed three American troops.",
        "This is a story worth following.",
    ],
)
def test_single_claims_are_not_split(sentence):
    parts = decompose(sentence)
    assert len(parts) == 1 and parts[0].kind == "whole"
    assert parts[0].text == sentence.rstrip(".")


def test_a_leading_time_is_inherited_by_a_part_without_its_own():
    parts = decompose("In June 2020, Spain announced a withdrawal, and the talks began with Iraq.")
    assert [p.text for p in parts] == [
        "In June 2020, Spain announced a withdrawal",
        "In June 2020, the talks began with Iraq",
    ]


WORDS = st.sampled_from(
    "The U.S. has about 2,500 troops in Iraq , and but ; who which said according to Reuters down up from "
    "compared with 900 Syria between 2,000 3,000 withdrew returned in 2014 9 December 2021 the official "
    "Gen. McKenzie , , . — é 🙂 al-Sudani X".split()
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=0, max_size=30).map(" ".join) | st.text(max_size=80))
def test_any_text_gives_ordered_parts_with_spans_inside_the_sentence(sentence):
    parts = decompose(sentence)
    assert parts
    for p in parts:
        assert p.kind in KINDS
        assert p.spans and all(0 <= a < b <= len(sentence) for a, b in p.spans) or p.spans == ((0, len(sentence)),)
        assert all(a < b or (a, b) == (0, len(sentence)) for a, b in p.spans)
        assert 0 <= p.start <= p.end <= len(sentence)
    assert [p.start for p in parts] == sorted(p.start for p in parts)
    if len(parts) > 1:
        assert all(p.text.strip() for p in parts)


def test_a_bare_figure_in_a_later_clause_takes_the_counted_noun_of_the_one_before():
    assert texts("About 5,200 American troops are stationed in Iraq today, while roughly 900 remain in Syria.") == [
        "About 5,200 American troops are stationed in Iraq today",
        "roughly 900 American troops remain in Syria",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Even with a mask on, the risks of lethargy, headache, and dizziness are low.",  # a list of nouns
        "The average ratio of officers may, and does, vary by city.",  # an interjected verb
        "Globally, there were 41 million recorded cases as of October 23, which makes for a 2.7% fatality rate.",
        "As Melody Rose, a professor at Portland State University, told the Times: the process is slow.",
    ],
)
def test_what_only_looks_like_a_second_clause_is_not_split(sentence):
    assert [p.kind for p in decompose(sentence)] in (["whole"], ["content"], ["content", "attribution"])


def test_a_pronoun_is_no_named_speaker_and_a_participle_is_no_verb_initial_clause():
    parts = decompose("He said officers were more focused on the injuries down the street.")
    assert [p.kind for p in parts] == ["content"]
    assert texts("Diesel was set at 0.47 riyals a liter, and liquified gas was set at 0.75 riyals a liter.")[1] == (
        "liquified gas was set at 0.75 riyals a liter"
    )


def test_serial_clauses_are_parts_but_not_only_but_also_is_one():
    assert texts("The U.S. invaded Iraq in 2003, toppled its president, and withdrew in 2011.") == [
        "The U.S. invaded Iraq in 2003",
        "The U.S. toppled its president",
        "The U.S. withdrew in 2011",
    ]
    assert len(decompose("It is a felony not only to vote twice but also to induce another to do so.")) == 1


def test_an_undated_comparison_claims_the_figure_once_and_an_object_relative_puts_the_noun_back():
    assert (
        texts("About 2,500 U.S. troops remain in Iraq, down from 5,200.")[1] == "There were 5,200 U.S. troops in Iraq"
    )
    assert texts("Kata'ib Hezbollah, which the U.S. blamed for the attack, is a proxy group.")[1] == (
        "the U.S. blamed Kata'ib Hezbollah for the attack"
    )


# Cleft sentences (made-up): "It was X who / that Y" claims "X Y".
def test_a_cleft_sentence_is_checked_as_what_it_claims():
    s = "It was the deputy mayor who signed the water order in May."
    (part,) = decompose(s)
    assert part.text == "the deputy mayor signed the water order in May"
    assert part.quoted(s) == "the deputy mayor … signed the water order in May"


def test_a_cleft_with_an_appositive_gives_both_claims():
    s = "It was Ana Ruiz, the utility's chief engineer, who said in March 2023 that the dam was safe."
    assert texts(s) == [
        "Ana Ruiz said in March 2023 that the dam was safe",
        "Ana Ruiz is the utility's chief engineer",
    ]


def test_a_time_in_focus_stays_with_the_claim():
    assert texts("It was in June 2022 that the council approved the levy.") == [
        "in June 2022 the council approved the levy"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "It is clear that the council approved the levy.",
        "It was the first time that the council approved a levy.",
        "It was raining when the council met.",
        "It was expected that the council would approve the levy.",
    ],
)
def test_no_cleft_without_a_focus_phrase(sentence):
    assert texts(sentence) == [sentence.rstrip(".")]


@given(
    st.sampled_from(["Ana Ruiz", "the council", "Graham Pell, the chair,", "in May 2021", "the 2020 plan"]),
    st.sampled_from(["who", "that"]),
    st.sampled_from(["approved the levy", "said the dam was safe", "the board rejected"]),
)
@settings(max_examples=40, deadline=None)
def test_cleft_parts_point_into_the_sentence_and_drop_the_frame(focus, rel, rest):
    s = f"It was {focus} {rel} {rest}."
    for part in decompose(s):
        assert not part.text.startswith("It was")
        for a, b in part.spans:
            assert 0 <= a < b <= len(s)
            assert not s[a:b].startswith(("It was", "who ", "that "))
