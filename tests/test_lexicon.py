"""Words: lemmas, content words, negation parity, action directions and their opposites."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.extract.lexicon import (
    OPPOSITES,
    actions,
    content_lemmas,
    is_negated,
    lemma,
    main_clause,
    negated_terms,
    negation_count,
    opposed,
    order_flip,
    prefixed_opposite,
    roles,
    tokens,
    told_in_past,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Troops", "troop"),
        ("withdrew", "withdraw"),
        ("left", "leave"),
        ("U.S.", "us"),
        ("Iraq's", "iraq"),
        ("forces", "force"),
        ("Kept", "keep"),
    ],
)
def test_lemma(word, expected):
    assert lemma(word) == expected


def test_tokens_keep_grouped_numbers_and_contractions():
    assert tokens("2,500 troops can't stay; 3.5 percent") == ["2,500", "troops", "can't", "stay", "3.5", "percent"]


def test_content_lemmas_drop_stop_words_and_numbers():
    assert content_lemmas("The troops were withdrawn from 2,500 bases") == {"troop", "withdraw", "base"}
    assert content_lemmas("it is not the one") == frozenset()


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("The troops remain.", False),
        ("They will not stay.", True),
        ("They never left", True),
        ("We didn't leave", True),
        ("It cannot continue.", True),
        ("Nobody left.", True),
        ("He denied the plan", True),
        ("They refused to leave.", True),
        ("They ruled out a withdrawal", True),
        ("It is not true that they never left.", False),  # double negation
    ],
)
def test_negation_parity(text, negated):
    assert is_negated(text) is negated


@pytest.mark.parametrize(
    "text",
    [
        "The fossils showed not only that the climate was warm but that the continents were joined.",
        "The ferry carries not just cars but lorries.",
        "Prices rose, not least because of the drought.",
        "The plan is not merely a delay.",
    ],
)
def test_not_only_and_not_just_assert(text):
    assert negation_count(text) == 0
    assert not negated_terms(text)


@given(st.sampled_from(["only", "just", "merely", "simply", "least"]), st.sampled_from(["", "never ", "no "]))
def test_a_not_only_phrase_adds_no_negation(word, before):
    """Whatever else the sentence negates, "not <word>" adds no cue: the parity is that of the rest."""
    rest = f"The council {before}approved the plan."
    assert negation_count(f"{rest} It was not {word} a delay.") == negation_count(rest)
    assert negation_count(f"It was not {word} a delay but not a cancellation.") == 1


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("The storm's arrival led the council to close the bridge.", True),
        ("Local farmers protested outside the ministry.", True),
        ("The mayor withdrew her candidacy in 2019.", True),
        ("The council announced the closure.", True),
        ("The bridge remains closed.", False),
        ("The council will close the bridge.", False),
        ("The planned closure starts in May.", False),  # "-ed" after a determiner: an adjective
        ("The bridge is closed to traffic.", False),
        ("About 300 people live in the village.", False),
        ("United Airlines flies to Denver.", False),  # a name, not a verb
    ],
)
def test_told_in_past(text, past):
    assert told_in_past(text) is past


@given(
    st.sampled_from(["Farmers protested.", "The storm led to floods.", "The mayor resigned in May."]),
    st.sampled_from(["still", "now", "today", "will", "is", "has"]),
)
def test_a_present_or_future_marker_outweighs_the_past(sentence, marker):
    assert told_in_past(sentence)
    assert not told_in_past(f"{sentence} It {marker} matters.")


def test_negation_count_counts_each_cue():
    assert negation_count("not never no") == 3
    assert negation_count("plain text") == 0


@pytest.mark.parametrize(
    "text",
    [
        "U.S. troops are no longer in Iraq.",
        "The deal is not yet final.",
        "The ferry has yet to resume service.",
        "The council voted against the budget.",
        "Anna Berg opposed the plan.",
    ],
)
def test_negation_phrases_count_once(text):
    assert negation_count(text) == 1
    assert is_negated(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pull out of Iraq", {"out"}),
        ("will draw down its forces", {"out"}),
        ("troops will stay", {"in"}),
        ("withdrew forces", {"out"}),
        ("reduced troops", {"down"}),
        ("increase forces", {"up"}),
        ("wrap up the mission", {"end"}),
        ("the mission will continue", {"continue"}),
        ("a non-binding measure", {"nonbinding"}),
        ("a binding vote", {"binding"}),
        ("the drawdown", set()),  # a noun names a topic, it asserts nothing
        ("parliament approved it", {"approve"}),
        ("the volunteers arrived at the camp", {"in"}),
        ("inspectors entered the plant", {"in"}),
    ],
)
def test_actions(text, expected):
    assert actions(text) == frozenset(expected)


def test_opposites_are_symmetric():
    for a, b in OPPOSITES.items():
        assert OPPOSITES[b] == a


def test_opposed():
    assert opposed(frozenset({"in"}), frozenset({"out"})) == ("in", "out")
    assert opposed(frozenset({"out"}), frozenset({"in"})) == ("out", "in")
    # a passage that also says the claim's direction is no opposite
    assert opposed(frozenset({"in"}), frozenset({"out", "in"})) is None
    assert opposed(frozenset({"up"}), frozenset({"end"})) is None
    assert opposed(frozenset(), frozenset({"out"})) is None
    assert opposed(actions("The coalition will stay."), actions("All coalition forces would leave.")) == ("in", "out")


@pytest.mark.parametrize(
    ("text", "asserted"),
    [
        ("Even after the mission ends, Washington will keep troops there.", "Washington will keep troops there."),
        ("Once the talks ended, the coalition said it would stay.", "the coalition said it would stay."),
        ("The mission ends in 2025, officials said.", "The mission ends in 2025, officials said."),
        ("After 2014 the group grew.", "After 2014 the group grew."),  # no comma: nothing to split off
    ],
)
def test_main_clause_drops_a_leading_subordinate_clause(text, asserted):
    assert main_clause(text) == asserted
    assert actions(main_clause("Even after the mission ends, troops will stay.")) == frozenset({"in"})


@given(st.text(max_size=200))
def test_main_clause_is_a_suffix_of_the_text(text):
    assert text.endswith(main_clause(text))


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("No agreement has been reached.", {"agreement", "reach"}),  # the noun and what is said of it
        ("Nobody was injured in the fire.", {"injur", "fire"}),
        ("The ferry has yet to resume service.", {"continue"}),  # word_key("resume")
        ("The council voted against raising fees.", {"up", "fee"}),
        ("The troops did not leave.", {"out"}),
    ],
)
def test_what_a_negation_denies(text, denied):
    assert denied <= negated_terms(text)


def test_roles_group_synonyms_and_keep_the_word_as_written():
    assert roles("Two physicians and a nurse treated the firemen.") == {
        "doctor": "physicians",
        "nurse": "nurse",
        "firefighter": "firemen",
    }
    assert roles("U.S. troops and officials left.") == {}  # news uses these for one another: not roles here


@given(st.text(max_size=200))
def test_roles_never_raise_and_name_words_of_the_text(text):
    for word in roles(text).values():
        assert word in text


@pytest.mark.parametrize(
    ("claim", "passage", "expected"),
    [
        ("a source of stability", "a magnet for instability", ("stability", "instability")),
        ("the strikes were illegal", "the strikes were legal under the treaty", ("illegal", "legal")),
        ("the talks were formal", "informal talks went on", ("formal", "informal")),
        ("the vote was unanimous", "the vote was unanimous", None),  # the same word on both sides
        ("stability and instability", "instability", None),  # the claim says both
        ("the wreck was covered", "the wreck was discovered", None),  # a prefix that opposes nothing
        ("the troops came home", "the troops' income", None),  # too short a stem after "in"
    ],
)
def test_prefixed_opposite(claim, passage, expected):
    assert prefixed_opposite(claim, passage) == expected


@given(st.text(max_size=120), st.text(max_size=120))
def test_prefixed_opposite_names_a_word_of_each_side_and_is_symmetric(claim, passage):
    found = prefixed_opposite(claim, passage)
    if found is not None:
        ours, theirs = found
        assert ours in content_lemmas(claim) and theirs in content_lemmas(passage)
        assert prefixed_opposite(passage, claim) == (theirs, ours)


@pytest.mark.parametrize(
    ("claim", "passage", "expected"),
    [
        (
            "The vote came a week after the spring floods.",
            "The vote was held a week before the spring floods.",
            ("after", "before"),
        ),
        (
            "The mill closed ahead of the 2019 strike.",
            "The mill closed following the strike of 2019.",
            ("before", "after"),
        ),
        ("The vote came after the floods.", "The vote came after the floods.", None),
        ("The vote came after the floods.", "The vote came before the budget.", None),  # another anchor
        ("The vote came after the floods.", "Before the floods the vote was set; it came after the floods.", None),
        # the anchor ends at "and": "withdrew in 2011" is another event
        (
            "The army took the port after landing in 2003 and left in 2011.",
            "It took the port before leaving in 2011.",
            None,
        ),
        # "B before A" says what "A after B" says
        ("The mill closed after the strike.", "The strike came before the mill closed.", None),
    ],
)
def test_order_flip(claim, passage, expected):
    assert order_flip(claim, passage) == expected


@given(st.text(max_size=120), st.text(max_size=120))
def test_order_flip_is_symmetric(claim, passage):
    found = order_flip(claim, passage)
    if found is not None:
        assert found in {("after", "before"), ("before", "after")}
        assert order_flip(passage, claim) in {found[::-1], None}
