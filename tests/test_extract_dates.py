"""Tests for factcheck.extract.dates."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extract.dates import contains, date_interval_overlaps, extract_dates, heading_range
from factcheck.records import DateMention

PUB = date(2024, 9, 27)  # a Friday

D = date

# (text, expected mention text, low, high, granularity)
ABSOLUTE: list[tuple[str, str, date, date, str]] = [
    ("on 9 December 2021", "9 December 2021", D(2021, 12, 9), D(2021, 12, 9), "day"),
    ("on Dec. 9, 2021", "Dec. 9, 2021", D(2021, 12, 9), D(2021, 12, 9), "day"),
    ("on December 9, 2021", "December 9, 2021", D(2021, 12, 9), D(2021, 12, 9), "day"),
    ("on 2021-12-09", "2021-12-09", D(2021, 12, 9), D(2021, 12, 9), "day"),
    ("on March 15, 2023", "March 15, 2023", D(2023, 3, 15), D(2023, 3, 15), "day"),
    ("in Sept. 2025", "Sept. 2025", D(2025, 9, 1), D(2025, 9, 30), "month"),
    ("in September 2025", "September 2025", D(2025, 9, 1), D(2025, 9, 30), "month"),
    ("in 2014", "2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("2021", "2021", D(2021, 1, 1), D(2021, 12, 31), "year"),
    ("in December 2019", "December 2019", D(2019, 12, 1), D(2019, 12, 31), "month"),
    ("the 1990s", "the 1990s", D(1990, 1, 1), D(1999, 12, 31), "decade"),
    ("2013–2017", "2013–2017", D(2013, 1, 1), D(2017, 12, 31), "range"),
    ("from 2013 to 2017", "2013 to 2017", D(2013, 1, 1), D(2017, 12, 31), "range"),
    ("between 2013 and 2017", "2013 and 2017", D(2013, 1, 1), D(2017, 12, 31), "range"),
    ("20 March 2020 – 9 December 2021", "20 March 2020 – 9 December 2021", D(2020, 3, 20), D(2021, 12, 9),
     "range"),
    ("March – May 2020", "March – May 2020", D(2020, 3, 1), D(2020, 5, 31), "range"),
    ("June 2020 – January 2021", "June 2020 – January 2021", D(2020, 6, 1), D(2021, 1, 31), "range"),
    ("9–11 December 2021", "9–11 December 2021", D(2021, 12, 9), D(2021, 12, 11), "range"),
    ("by the end of 2026", "the end of 2026", D(2026, 10, 1), D(2026, 12, 31), "season"),
    ("early 2020", "early 2020", D(2020, 1, 1), D(2020, 4, 30), "season"),
    ("mid-2020", "mid-2020", D(2020, 5, 1), D(2020, 8, 31), "season"),
    ("late 2023", "late 2023", D(2023, 9, 1), D(2023, 12, 31), "season"),
    ("the first half of 2021", "the first half of 2021", D(2021, 1, 1), D(2021, 6, 30), "season"),
    ("spring 2020", "spring 2020", D(2020, 3, 1), D(2020, 5, 31), "season"),
    ("late March 2020", "late March 2020", D(2020, 3, 21), D(2020, 3, 31), "season"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "needle", "low", "high", "gran"), ABSOLUTE)
def test_absolute(text: str, needle: str, low: date, high: date, gran: str) -> None:
    (d,) = extract_dates(text)
    assert (d.text, d.low, d.high, d.granularity, d.relative) == (needle, low, high, gran, False)
    assert text[d.start : d.end] == d.text


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("by September 2025", "by"),
        ("after 2014", "after"),
        ("before March 2020", "before"),
        ("since 2003", "since"),
        ("until 2021", "until"),
        ("till 2021", "until"),
        ("through 2021", "until"),
        ("until at least September 2026", "until"),
        ("in 2014", "on"),
        ("no later than 2025", "by"),
        ("by the end of 2026", "by"),
    ],
)
def test_relation(text: str, relation: str) -> None:
    (d,) = extract_dates(text)
    assert d.relation == relation


# (text, expected text, low, high, granularity), all resolved against PUB = 2024-09-27
RELATIVE: list[tuple[str, str, date, date, str]] = [
    ("this month", "this month", D(2024, 9, 1), D(2024, 9, 30), "month"),
    ("last month", "last month", D(2024, 8, 1), D(2024, 8, 31), "month"),
    ("earlier this month", "earlier this month", D(2024, 9, 1), D(2024, 9, 27), "month"),
    ("this year", "this year", D(2024, 1, 1), D(2024, 12, 31), "year"),
    ("last year", "last year", D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("next year", "next year", D(2025, 1, 1), D(2025, 12, 31), "year"),
    ("in May next year", "May next year", D(2025, 5, 1), D(2025, 5, 31), "month"),
    ("last December", "last December", D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("today", "today", PUB, PUB, "day"),
    ("yesterday", "yesterday", D(2024, 9, 26), D(2024, 9, 26), "day"),
    ("on Wednesday", "Wednesday", D(2024, 9, 25), D(2024, 9, 25), "day"),
    ("on Monday", "Monday", D(2024, 9, 23), D(2024, 9, 23), "day"),
    ("on Friday", "Friday", PUB, PUB, "day"),
    ("in January", "January", D(2024, 1, 1), D(2024, 1, 31), "month"),
    ("in April", "April", D(2024, 4, 1), D(2024, 4, 30), "month"),
    ("in December", "December", D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("on Sept 6", "Sept 6", D(2024, 9, 6), D(2024, 9, 6), "day"),
    ("by the end of the year", "the end of the year", D(2024, 10, 1), D(2024, 12, 31), "season"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "needle", "low", "high", "gran"), RELATIVE)
def test_relative(text: str, needle: str, low: date, high: date, gran: str) -> None:
    (d,) = extract_dates(text, published=PUB)
    assert (d.text, d.low, d.high, d.granularity, d.relative) == (needle, low, high, gran, True)


@pytest.mark.parametrize("text", [r[0] for r in RELATIVE])
def test_relative_needs_publication_date(text: str) -> None:
    assert extract_dates(text) == []


@pytest.mark.parametrize("text", ["recently", "weeks ago", "a few weeks ago"])
def test_vague_relative_is_skipped(text: str) -> None:
    assert extract_dates(text, published=PUB) == []


def test_context_gives_year() -> None:
    (d,) = extract_dates("On 1 June", context=(D(2020, 6, 1), D(2021, 1, 31)))
    assert (d.low, d.high, d.relative) == (D(2020, 6, 1), D(2020, 6, 1), True)
    (d,) = extract_dates("On 15 February", context=(D(2021, 2, 1), D(2021, 4, 30)), published=PUB)
    assert d.low == D(2021, 2, 15)  # context wins over publication
    (d,) = extract_dates("On 10 January", context=(D(2020, 6, 1), D(2021, 1, 31)))
    assert d.low == D(2021, 1, 10)
    (d,) = extract_dates("On 10 March", context=(D(2020, 6, 1), D(2021, 1, 31)))
    assert d.low == D(2020, 3, 10)  # does not fit: the context's start year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2011, troops left. Three years later, they returned.",
         [(D(2011, 1, 1), "year"), (D(2014, 1, 1), "year")]),
        ("On 5 June 2020 it began; two days later it ended.",
         [(D(2020, 6, 5), "day"), (D(2020, 6, 7), "day")]),
        ("It happened in March 2020. That month, bases closed.",
         [(D(2020, 3, 1), "month"), (D(2020, 3, 1), "month")]),
        ("In 2019 they came. That year, 5 died.",
         [(D(2019, 1, 1), "year"), (D(2019, 1, 1), "year")]),
        ("In 2019 it began. The following year it ended.",
         [(D(2019, 1, 1), "year"), (D(2020, 1, 1), "year")]),
    ],
)  # fmt: skip
def test_anaphora(text: str, expected: list[tuple[date, str]]) -> None:
    assert [(d.low, d.granularity) for d in extract_dates(text)] == expected


def test_close_of_that_year() -> None:
    text = "President Biden announced in July 2022 that the mission would end by the close of that year"
    a, b = extract_dates(text)
    assert (a.text, a.low, a.high, a.relation) == ("July 2022", D(2022, 7, 1), D(2022, 7, 31), "on")
    assert (b.text, b.low, b.high, b.relation) == (
        "the close of that year",
        D(2022, 10, 1),
        D(2022, 12, 31),
        "by",
    )


@pytest.mark.parametrize(
    "text",
    [
        "we may march on",
        "They may well march.",
        "COVID-19",
        "2,500 troops",
        "2000 troops",
        "about 2000 soldiers",
        "Operation Martyr Soleimani",
        "Theresa May said",
        "recently",
        "F-16",
        "the March of Dimes",
        "April Smith said",
        "that May be true",
        "the May attack",
        "an August Bank holiday",
    ],
)
def test_not_dates(text: str) -> None:
    assert extract_dates(text, published=PUB) == []


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("March – May 2020: Base transfers", (D(2020, 3, 1), D(2020, 5, 31))),
        ("June 2020 – January 2021: American–Iraqi dialogue", (D(2020, 6, 1), D(2021, 1, 31))),
        ("July 2021 – December 2021: End of U.S. combat mission", (D(2021, 7, 1), D(2021, 12, 31))),
        ("2014–2017: War against ISIS", (D(2014, 1, 1), D(2017, 12, 31))),
        ("Background", None),
        ("", None),
    ],
)
def test_heading_range(heading: str, expected: tuple[date, date] | None) -> None:
    assert heading_range(heading) == expected


def test_interval_helpers() -> None:
    year = extract_dates("in 2021")[0]
    day = extract_dates("on 9 December 2021")[0]
    other = extract_dates("in 2019")[0]
    assert contains(year, day) and not contains(day, year)
    assert date_interval_overlaps(year, day) and not date_interval_overlaps(year, other)


def test_coordinated_yearless_day_borrows_year() -> None:
    a, b = extract_dates("On 11 March and 14 March 2020, Camp Taji was hit")
    assert (a.low, b.low, a.relative) == (D(2020, 3, 11), D(2020, 3, 14), False)


def test_clause_final_after_only() -> None:
    assert extract_dates("the first phase would end one month before Iraqi polls") == []
    a, b = extract_dates("It began on 3 May 2020. A month after, it ended.")
    assert (b.low, b.granularity) == (D(2020, 6, 3), "day")


def test_no_stray_spaces_or_dots() -> None:
    (d,) = extract_dates("could be announced this month.", published=PUB)
    assert d.text == "this month"
    (d,) = extract_dates("on 26 March. The third base", published=PUB)
    assert d.text == "26 March"


def test_sorted_and_several() -> None:
    text = "Troops arrived in 2014, left in December 2021 and will stay until September 2026."
    ds = extract_dates(text)
    assert [d.text for d in ds] == ["2014", "December 2021", "September 2026"]
    assert [d.relation for d in ds] == ["on", "on", "until"]


# --------------------------------------------------------------------------- properties


def _check(text: str, ds: list[DateMention]) -> None:
    starts = [d.start for d in ds]
    assert starts == sorted(starts)
    for d in ds:
        assert text[d.start : d.end] == d.text
        assert d.low <= d.high


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.dates()))
def test_never_raises(text: str, published: date | None) -> None:
    _check(text, extract_dates(text, published=published))
    heading_range(text)


_FRAGMENTS = st.sampled_from(
    [
        "in 2014",
        " ",
        "9 December 2021",
        "Dec. 9, 2021",
        " – ",
        "March",
        "May",
        "2020",
        "three years later",
        "that year",
        "the close of that year",
        "last December",
        "Wednesday",
        "from ",
        " to ",
        "31 February",
        "9999",
        "0001-01-01",
        "the 1990s",
        "early ",
        ". ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=4)), max_size=8).map("".join),
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), st.tuples(st.dates(), st.dates())),
)
def test_properties_on_datey_text(text: str, published: date | None, context: tuple[date, date] | None) -> None:
    _check(text, extract_dates(text, published=published, context=context))


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(ABSOLUTE), st.sampled_from([("“", "”"), ('"', '"'), ("(", ")")]))
def test_quotes_do_not_change_values(case: tuple, quotes: tuple[str, str]) -> None:
    text = case[0]
    base = [(d.low, d.high, d.granularity) for d in extract_dates(text)]
    quoted = f"He said {quotes[0]}{text}{quotes[1]} yesterday"
    assert [(d.low, d.high, d.granularity) for d in extract_dates(quoted)] == base


@settings(max_examples=80, deadline=None)
@given(
    st.integers(min_value=1, max_value=9),
    st.sampled_from(["day", "week", "month", "year"]),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
)
def test_n_units_ago_counts_back_from_publication(n, unit, published):
    """ "two years ago" in an article of 27 September 2024 is about September 2022 (a year counted back, half a
    year either side); days, weeks and months are the calendar unit counted back."""
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
    (mention,) = extract_dates(f"It happened {words[n]} {unit}s ago.", published=published)
    back = published - relativedelta(**{f"{unit}s": n})
    assert mention.low <= back <= mention.high
    assert mention.high < published


def test_vague_counts_ago_and_unpublished_texts_give_no_date():
    assert extract_dates("It happened several weeks ago.", published=date(2024, 9, 27)) == []
    assert extract_dates("It happened two years ago.") == []


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("an April visit", 4),
        ("The March attack killed two.", 3),
        ("the January meeting", 1),
        ("Oslo's October vote", 10),
    ],
)
def test_a_month_between_a_determiner_and_its_noun_is_a_date(text: str, month: int) -> None:
    (found,) = extract_dates(text, published=PUB)
    assert (found.low.month, found.high.month, found.granularity) == (month, month, "month")
