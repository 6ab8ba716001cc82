"""Tests for factcheck.extract.numbers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extract.numbers import extract_quantities, normalise_unit, parse_number_words
from factcheck.extract.words import UNITS
from factcheck.records import Quantity


def one(text: str, needle: str) -> Quantity:
    """The single quantity whose text contains ``needle``."""
    found = [q for q in extract_quantities(text) if needle in q.text]
    assert len(found) == 1, (needle, extract_quantities(text))
    return found[0]


# (sentence, needle in the quantity's text, value, bound, unit)
CASES: list[tuple[str, str, float, str, str]] = [
    ("There are presently about 2,500 American troops in Iraq.", "2,500", 2500, "approx", "troop"),
    ("The U.S. has approximately 2,500 troops in Iraq and 900 in neighbouring Syria", "2,500", 2500,
     "approx", "troop"),
    ("trained and equipped more than 225,000 Iraqis and given them $4 billion in military aid", "225,000",
     225000, "more", "iraqi"),
    ("trained and equipped more than 225,000 Iraqis and given them $4 billion in military aid", "$4 billion",
     4e9, "exact", "usd"),
    ("The U.S. has trained 250,000 Iraqis", "250,000", 250000, "exact", "iraqi"),
    ("The group once held roughly a third of Iraq and Syria", "a third", 1 / 3, "approx", "share"),
    ("about half of Iraq", "half", 0.5, "approx", "share"),
    ("two-thirds of the country", "two-thirds", 2 / 3, "exact", "share"),
    ("a quarter of the budget", "a quarter", 0.25, "exact", "share"),
    ("40 percent of voters", "40", 0.4, "exact", "share"),
    ("40% of voters", "40%", 0.4, "exact", "share"),
    ("40 per cent of voters", "40", 0.4, "exact", "share"),
    ("The rocket and drone attacks have killed three American troops and wounded dozens more", "three", 3,
     "exact", "troop"),
    ("Other nations in the coalition also contribute hundreds of troops", "hundreds", 200, "vague", "troop"),
    ("thousands of troops", "thousands", 2000, "vague", "troop"),
    ("tens of thousands of people", "tens of thousands", 20000, "vague", "person"),
    ("More than 2,000 U.S. troops will be withdrawn", "2,000", 2000, "more", "troop"),
    ("Roughly nine hundred American troops", "nine hundred", 900, "approx", "troop"),
    ("two and a half thousand troops", "two and a half thousand", 2500, "exact", "troop"),
    ("a dozen bases", "a dozen", 12, "exact", "base"),
    ("roughly 350", "350", 350, "approx", ""),
    ("some 2,500", "2,500", 2500, "approx", ""),
    ("nearly 4,000", "4,000", 4000, "less", ""),
    ("almost 4,000 troops", "4,000", 4000, "less", "troop"),
    ("at least 14 drone and rocket attacks", "14", 14, "atleast", "attack"),
    ("no fewer than 30 soldiers", "30", 30, "atleast", "soldier"),
    ("fewer than 100 troops", "100", 100, "less", "troop"),
    ("less than 5 percent", "5", 0.05, "less", "share"),
    ("under 200 troops", "200", 200, "less", "troop"),
    ("up to 5,000 troops", "5,000", 5000, "atmost", "troop"),
    ("over 300 people", "300", 300, "more", "person"),
    ("4,000 personnel", "4,000", 4000, "exact", "personnel"),
    ("110 U.S. military personnel", "110", 110, "exact", "personnel"),
    ("five American troops", "five", 5, "exact", "troop"),
    ("150,000 Iraqis", "150,000", 150000, "exact", "iraqi"),
    ("8,600 troops in Afghanistan", "8,600", 8600, "exact", "troop"),
    ("one additional year", "one", 1, "exact", "year"),
    ("a 14-day stop movement", "14", 14, "exact", "day"),
    ("two phases", "two", 2, "exact", "phase"),
    ("the fourth base to be transferred", "fourth", 4, "ordinal", "base"),
    ("the seventh military installation", "seventh", 7, "ordinal", "installation"),
    ("the 4th base", "4th", 4, "ordinal", "base"),
    ("more than a hundred people", "a hundred", 100, "more", "person"),
    ("a dozen ballistic missiles", "a dozen", 12, "exact", "missile"),
    ("4 billion dollars", "4 billion", 4e9, "exact", "usd"),
    ("$4bn", "$4bn", 4e9, "exact", "usd"),
    ("US$4 bn", "US$4 bn", 4e9, "exact", "usd"),
    ("$1.2m", "$1.2m", 1.2e6, "exact", "usd"),
    ("€3 million", "€3 million", 3e6, "exact", "eur"),
    ("£5 billion", "£5 billion", 5e9, "exact", "gbp"),
    ("2,000 troops", "2,000", 2000, "exact", "troop"),
    ("2000 troops", "2000", 2000, "exact", "troop"),
    ("2 500 troops", "2 500", 2500, "exact", "troop"),
    ("1.5 million refugees", "1.5 million", 1.5e6, "exact", "refugee"),
    ("3.5bn", "3.5bn", 3.5e9, "exact", ""),
    ("two thousand five hundred", "two thousand five hundred", 2500, "exact", ""),
    ("twenty-five", "twenty-five", 25, "exact", ""),
    ("a hundred", "a hundred", 100, "exact", ""),
    ("a million", "a million", 1e6, "exact", ""),
    ("2,500 troops or more", "2,500", 2500, "atleast", "troop"),
    ("a rocket attack on one base last December killed", "one", 1, "exact", "base"),
    ("NATO 30 members", "30", 30, "exact", "member"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "needle", "value", "bound", "unit"), CASES)
def test_cases(text: str, needle: str, value: float, bound: str, unit: str) -> None:
    q = one(text, needle)
    assert q.value == pytest.approx(value)
    assert q.bound == bound
    assert q.unit == unit
    assert text[q.start : q.end] == q.text
    assert q.low <= q.value <= q.high


def test_unit_text_is_the_phrase() -> None:
    q = one("There are presently about 2,500 American troops in Iraq.", "2,500")
    assert q.unit_text == "American troops"
    assert (q.low, q.high) == pytest.approx((2250, 2750))
    assert one("at least 14 drone and rocket attacks", "14").unit_text == "drone and rocket attacks"


def test_inherited_unit_and_distributed_hedge() -> None:
    q = one("The U.S. has approximately 2,500 troops in Iraq and 900 in neighbouring Syria", "900")
    assert (q.value, q.unit, q.inherited_unit, q.bound) == (900, "troop", True, "approx")


def test_inheritance_stops_at_sentence_end() -> None:
    q = one("The U.S. has 2,500 troops in Iraq. In Syria 900 remain.", "900")
    assert q.unit == ""


def test_dozens_more_inherits() -> None:
    q = one("The attacks have killed three American troops and wounded dozens more", "dozens")
    assert (q.low, q.high, q.unit, q.inherited_unit) == (24, 99, "troop", True)


def test_vague_hundreds() -> None:
    q = one("Other nations also contribute hundreds of troops", "hundreds")
    assert (q.low, q.high) == (200, 999)


def test_role_pair_from_to() -> None:
    text = "reduce our troop presence in Iraq from about 5,200 to 3,000 troops during the month of September"
    qs = extract_quantities(text)
    assert [(q.value, q.role, q.unit, q.bound) for q in qs] == [
        (5200, "from", "troop", "approx"),
        (3000, "to", "troop", "exact"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The board will cut its staff from about 5,200 workers to 3,000 by November.",
        "Staff numbers fell from 5,200 workers to 3,000 in a year.",
    ],
)
def test_role_pair_with_the_unit_after_the_first_figure(text) -> None:
    qs = extract_quantities(text)
    assert [(q.value, q.role, q.unit) for q in qs] == [(5200, "from", "worker"), (3000, "to", "worker")]


def test_two_counts_of_other_things_are_no_pair() -> None:
    qs = extract_quantities("From 3 nurses to 5 doctors were hurt.")
    assert [(q.value, q.role) for q in qs] == [(3, ""), (5, "")]


def test_role_pair_with_share() -> None:
    qs = extract_quantities("reduce troops by a third from 5,200 to 3,500")
    assert [(round(q.value, 4), q.role, q.unit) for q in qs] == [
        (round(1 / 3, 4), "", "share"),
        (5200, "from", "troop"),
        (3500, "to", "troop"),
    ]


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("from 500 to 4,000", 500, 4000, ""),
        ("between 500 and 4,000 troops", 500, 4000, "troop"),
        ("5,000–6,000 troops", 5000, 6000, "troop"),
        ("between 3 and 5 million people", 3e6, 5e6, "person"),
        ("30-40% of the vote", 0.3, 0.4, "share"),
    ],
)
def test_ranges(text: str, low: float, high: float, unit: str) -> None:
    (q,) = extract_quantities(text)
    assert q.bound == "range"
    assert (q.low, q.high, q.unit) == (pytest.approx(low), pytest.approx(high), unit)
    assert q.low <= q.value <= q.high


@pytest.mark.parametrize(
    "text",
    [
        "in 2014",
        "9 December 2021",
        "Dec. 9, 2021",
        "December 9, 2021",
        "Sept 6",
        "June 11",
        "2020-07-25",
        "2013–2017",
        "COVID-19",
        "F-16",
        "F-16s",
        "K-1 Air Base",
        "ISIS-K",
        "Operation 2",
        "at 10:30 a.m.",
        "at 3 p.m.",
        "the 1990s",
        "the final base",
        "the last base",
        "one of the alleles",
        "the first half of 2021",
        "2014 was a bad year",
        "a year and a half",
        "IE 11 is not supported",
    ],
)
def test_not_quantities(text: str) -> None:
    assert extract_quantities(text) == []


def test_month_then_number_is_not_a_date() -> None:
    (q,) = extract_quantities("In March 2,500 troops left")
    assert (q.value, q.unit) == (2500, "troop")


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two thousand five hundred", 2500),
        ("twenty-five", 25),
        ("a hundred", 100),
        ("a million", 1e6),
        ("two and a half thousand", 2500),
        ("nine hundred", 900),
        ("a dozen", 12),
        ("one hundred and five", 105),
        ("one and a half million", 1.5e6),
        ("1.5 million", 1.5e6),
        ("2,500", 2500),
        ("3.5bn", 3.5e9),
        ("Twenty Five", 25),
    ],
)
def test_parse_number_words(words: str, value: float) -> None:
    assert parse_number_words(words) == pytest.approx(value)


@pytest.mark.parametrize("words", ["", "troops", "five twenty", "a", "and", "two troops"])
def test_parse_number_words_rejects(words: str) -> None:
    assert parse_number_words(words) is None


@pytest.mark.parametrize(
    ("noun", "lemma"),
    [
        ("Troops", "troop"),
        ("people", "person"),
        ("persons", "person"),
        ("Iraqis", "iraqi"),
        ("casualties", "casualty"),
        ("bases", "base"),
        ("personnel", "personnel"),
        ("crisis", "crisis"),
        ("dollars", "usd"),
        ("attacks", "attack"),
    ],
)
def test_normalise_unit(noun: str, lemma: str) -> None:
    assert normalise_unit(noun) == lemma


def test_sorted_by_start() -> None:
    text = "At least 14 attacks hit 3 bases, killing 5 people and wounding dozens more."
    qs = extract_quantities(text)
    assert [q.start for q in qs] == sorted(q.start for q in qs)
    assert [q.value for q in qs] == [14, 3, 5, 24]


# --------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_spans_round_trip(text: str) -> None:
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.text
        assert q.low <= q.value <= q.high


_FRAGMENTS = st.sampled_from(
    [
        "about 2,500 troops",
        "in 2014",
        "more than 3 bases",
        " and ",
        "two and a half thousand",
        "$4bn",
        "40%",
        "F-16",
        "COVID-19",
        "dozens of",
        "9 December 2021",
        "from 5,200 to 3,000",
        "the fourth base",
        ". ",
        "-",
        "a third of",
        "half a million",
        "one in five",
        "-odd ",
        "a couple of dozen",
        " and a half",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=5)), max_size=8).map("".join))
def test_properties_on_newsy_text(text: str) -> None:
    starts = []
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.text
        assert q.low <= q.value <= q.high
        starts.append(q.start)
    assert starts == sorted(starts)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1000, max_value=999_999).filter(lambda n: not 1900 <= n <= 2100),
    st.sampled_from(["about ", "", "more than ", "nearly "]),
    st.sampled_from(["troops", "Iraqis", "people"]),
)
def test_grouping_does_not_change_value(n: int, hedge: str, noun: str) -> None:
    plain = extract_quantities(f"{hedge}{n} {noun} were there")
    grouped = extract_quantities(f"{hedge}{n:,} {noun} were there")
    assert [(q.value, q.bound, q.unit) for q in plain] == [(q.value, q.bound, q.unit) for q in grouped]
    assert plain[0].value == n


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(CASES),
    st.sampled_from([("“", "”"), ('"', '"'), ("'", "'")]),
    st.sampled_from([" ", "  "]),
)
def test_quotes_and_spaces_do_not_change_values(case: tuple, quotes: tuple[str, str], space: str) -> None:
    text = case[0]
    if re.search(r"\d \d", text):
        return  # "2 500" is digit grouping; doubling its space splits it
    base = [(q.value, q.bound, q.unit) for q in extract_quantities(text)]
    quoted = f"He said {quotes[0]}{text.replace(' ', space)}{quotes[1]} on TV"
    assert [(q.value, q.bound, q.unit) for q in extract_quantities(quoted)] == base


def test_an_ordinal_before_a_count_is_no_rank() -> None:
    qs = extract_quantities("The first two rounds of the dialogue were held in June and August 2020.")
    assert [(q.value, q.bound, q.unit) for q in qs] == [(2, "exact", "round")]


# --------------------------------------------------------------------------- fractions of a scale word

FRACTIONS = {"half a": 0.5, "a half": 0.5, "a quarter of a": 0.25, "three quarters of a": 0.75, "quarter": 0.25}
SCALE_VALUES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(sorted(FRACTIONS)),
    st.sampled_from(sorted(SCALE_VALUES)),
    st.sampled_from([("", "exact"), ("about ", "approx"), ("nearly ", "less"), ("more than ", "more")]),
    st.sampled_from(["refugees", "people", "voters"]),
)
def test_a_fraction_of_a_scale_word_is_that_fraction_of_it(fraction, scale, hedge, noun) -> None:
    """ "half a million" is 500,000 (it was read as a million), "half a dozen" six, and a hedge before the
    fraction bounds the whole figure."""
    (q,) = extract_quantities(f"Officials said {hedge[0]}{fraction} {scale} {noun} were counted.")
    assert q.value == pytest.approx(FRACTIONS[fraction] * SCALE_VALUES[scale])
    assert q.bound == hedge[1]
    assert q.unit == noun.rstrip("s") if noun != "people" else q.unit == "person"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.sampled_from(["thousand", "million", "billion"]))
def test_and_a_half_after_a_scale_word_is_half_of_that_scale(n, scale) -> None:
    word = {v: w for w, v in UNITS.items() if 0 < v < 10}[n]
    assert parse_number_words(f"{word} {scale} and a half") == (n + 0.5) * SCALE_VALUES[scale]
    assert parse_number_words(f"{word} and a half {scale}") == (n + 0.5) * SCALE_VALUES[scale]
    if n == 1:
        assert parse_number_words(f"a {scale} and a half") == 1.5 * SCALE_VALUES[scale]


def test_a_share_is_still_a_share() -> None:
    """Only a fraction of a scale word changes: "half of the troops" and "a third of the bases" stay shares."""
    assert [(q.value, q.unit) for q in extract_quantities("Nearly half of the troops left.")] == [(0.5, "share")]
    assert [q.unit for q in extract_quantities("A third of the bases closed.")] == ["share"]
    assert extract_quantities("The talks took a year and a half.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One in five voters backed it.", [(0.2, "exact", "share")]),
        ("About 1 in 3 Iraqis said so.", [(1 / 3, "approx", "share")]),
        ("Nine in ten people agreed.", [(0.9, "exact", "share")]),
        ("One in a hundred people left.", [(0.01, "exact", "share")]),
        # not rates: a count in a count of attacks, a year, a score
        ("Gunmen killed 5 in 2 attacks.", [(5, "exact", ""), (2, "exact", "attack")]),
        ("He said 3 in 2020.", [(3, "exact", "")]),
        ("They won 3 in 10 games.", [(3, "exact", ""), (10, "exact", "game")]),
    ],
)
def test_one_in_five_is_a_share_not_five(text, expected) -> None:
    got = [(q.value, q.bound, q.unit) for q in extract_quantities(text)]
    assert [(pytest.approx(v), b, u) for v, b, u in expected] == got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a couple of dozen rockets", (24, 36, "vague")),
        ("a couple of hundred troops", (200, 300, "vague")),
        ("a hundred-odd troops", (100, 130, "more")),
        ("50 odd people", (50, 65, "more")),
        ("2,000-plus troops", (2000, 2600, "more")),
        ("two-and-a-half thousand troops", (2500, 2500, "exact")),
    ],
)
def test_couples_odd_plus_and_hyphenated_halves(text, expected) -> None:
    (q,) = extract_quantities(f"Officials counted {text} there.")
    low, high, bound = expected
    assert (q.low, q.high, q.bound) == (pytest.approx(low), pytest.approx(high), bound)


def test_a_spaced_plus_is_a_sum_not_a_bound() -> None:
    assert [q.bound for q in extract_quantities("It sent 2,000 plus 500 troops.")] == ["exact", "exact"]


@pytest.mark.parametrize("text", ["The blast killed nobody.", "No one was hurt.", "No-one was injured in the fire."])
def test_nobody_counts_zero_people(text):
    (q,) = extract_quantities(text)
    assert (q.value, q.low, q.high, q.unit) == (0.0, 0.0, 0.0, "person")
    assert text[q.start : q.end].lower() in ("nobody", "no one", "no-one")


def test_quantities_stay_sorted_with_a_zero_count_among_them():
    qs = extract_quantities("Two people were killed, and no one else was hurt; 13 were injured.")
    assert [q.value for q in qs] == [2.0, 0.0, 13.0]
