"""Extract dates and periods from text as inclusive ``[low, high]`` date intervals.

Grammar (one small regex per form, all compiled at import):

* absolute: ``2021-12-09``, ``9 December 2021``, ``Dec. 9, 2021``, ``September 2025``,
  ``12/09/2021`` (day or month first: see ``numeric_date_order``), ``in 2014``, ``the 1990s``,
  ``2013–2017``, day ranges ``9–11 December 2021``;
* parts of a year or month: ``early 2020`` (Jan–Apr), ``mid-2020`` (May–Aug),
  ``late 2023`` (Sep–Dec), ``the end of 2026`` (Oct–Dec), ``the beginning of 2020``
  (Jan–Mar), ``the first half of 2021``, ``Q3 2021``, ``spring 2020`` (Mar–May; winter is
  Dec–Feb of the next year), ``late March 2020`` (21–31 March);
* yearless days and months (``On 1 June``, ``in January``): the year comes from the
  range partner ("March – May 2020"), else from ``context`` (a heading's range),
  else from ``published`` (the latest such month not after publication);
* relative to ``published`` (left out when it is None): ``today``, ``yesterday``,
  ``this/last/next week|month|year``, ``earlier this month``, ``last December``, ``two years ago``,
  ``May next year``, weekdays (the last such day on or before publication);
* anaphora resolved against the previous date of the same text: ``three years later``,
  ``two days earlier``, ``that month``, ``that year``, ``the following year``,
  ``the close of that year``.

Two dates joined by "–", "to", "until" or "between ... and" become one ``range``.
The preposition before a date gives its ``relation``: by, before, after, since,
until (until / till / through), else ``on``.

Granularity is one of day|month|season|year|decade|range; "season" is used for every
part of a year or month (early/mid/late, halves, quarters, seasons, end of ...),
"range" also for weeks.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from factcheck.extract.words import MONTHS, UNITS, WEEKDAYS, alternation, small_number
from factcheck.records import DateMention

__all__ = ["contains", "date_interval_overlaps", "extract_dates", "heading_range"]

# --------------------------------------------------------------------------- grammar

# Capitalised only ("may" and "march" are verbs); only abbreviations take a dot.
_MONTH = (
    alternation(m for m in MONTHS if len(m) > 4 or m in ("May", "June", "July"))
    + r"\b|"
    + alternation(m for m in MONTHS if len(m) <= 4 and m not in ("May", "June", "July"))
    + r"\b\.?"
)
_MONTH = f"(?:{_MONTH})"
_FULL_MONTH = alternation(m for m in MONTHS if len(m) > 4 or m in ("May", "June", "July"))
_WEEKDAY = alternation(WEEKDAYS)
_YEAR = r"(?<![\d,.$£€])(?:1[5-9]|20)\d\d(?![\d%]|,\d|\.\d)"
_DAY = r"(?<![\d,.])\d{1,2}(?:st|nd|rd|th)?"
_DASH = r"\s*[–—-]\s*"
_NUMBER_WORD = alternation([*UNITS, "a", "an", "twenty", "thirty", "forty", "fifty"])

_PART = (
    r"(?i:early|late|mid|middle\s+of|end\s+of|close\s+of|turn\s+of|beginning\s+of|start\s+of"
    r"|(?:first|second)\s+half\s+of|(?:first|second|third|fourth|last|final)\s+quarter\s+of"
    r"|spring|summer|autumn|fall|winter|q[1-4])"
)

_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")),
    (
        "numeric",  # 12/09/2021, 12.09.2021: day or month first, see numeric_date_order()
        re.compile(
            r"(?<![\d/.,-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:1[5-9]|20)\d\d)(?![\d/]|[.,]\d)"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"(?P<d>{_DAY})(?:{_DASH}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?P<m>{_MONTH})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:{_DASH}(?P<d2>\d{{1,2}})\b)?"
            rf"(?![\d%]|,\d{{3}}|\.\d|\s*(?:troops|people|percent))(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    ("my", re.compile(rf"\b(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})")),
    (
        "part",
        re.compile(
            rf"(?:\b(?i:the)\s+)?\b(?P<part>{_PART})(?:\s+of)?(?:\s+|-)(?:(?i:the\s+year)\s+)?"
            rf"(?:(?P<m>{_MONTH})\s+)?(?P<y>{_YEAR})"
        ),
    ),
    (
        "partmonth",  # "late March", "the end of July" (year from context / publication)
        re.compile(
            r"(?:\b(?i:the)\s+)?\b(?P<part>(?i:early|late|mid|(?:end|close|beginning|start|middle)\s+of))"
            rf"(?:\s+|-)(?P<m>{_FULL_MONTH})\b(?!\.?\s*\d)"
        ),
    ),
    (
        "partrel",
        re.compile(
            r"(?:\b(?i:the)\s+)?\b(?i:(?P<part>end|close|beginning|start|middle|turn|rest|remainder"
            r"|first\s+half|second\s+half)\s+of\s+(?P<which>the|this|that|next|last)\s+year)\b"
        ),
    ),
    (
        "laterthis",
        re.compile(r"\b(?i:(?P<dir>later|earlier)\s+(?P<which>this|that)\s+(?P<unit>year|month|week))\b"),
    ),
    (
        "decade",
        re.compile(
            r"(?:\b(?i:the)\s+)?(?:(?P<part>(?i:early|late|mid))[\s-]+)?"
            r"(?:(?<![\d,.])(?P<y>(?:1[5-9]|20)\d0)s|['’](?P<yy>\d0)s)\b"
        ),
    ),
    ("yearrange", re.compile(rf"(?P<y>{_YEAR}){_DASH}(?P<y2>(?:1[5-9]|20)\d\d|\d\d)(?![\d,%])")),
    ("year", re.compile(rf"(?<![\w-])(?P<y>{_YEAR})(?!-\w|\s*%)")),
    (
        "month",
        re.compile(
            rf"(?:\b(?P<rel>(?i:last|next|this|past))\s+)?\b(?P<m>{_FULL_MONTH})\b(?!\.?\s*\d)"
            r"(?:\s+(?P<yrel>(?i:next|last|this))\s+(?i:year))?"
        ),
    ),
    (
        "rel",
        re.compile(
            r"\b(?i:(?P<word>today|yesterday|tomorrow|tonight)"
            r"|(?:(?P<dir>earlier|later)\s+)?(?P<which>this|last|next)\s+(?P<unit>week|month|year))\b"
        ),
    ),
    ("weekday", re.compile(rf"(?:\b(?P<rel>(?i:last|next|this))\s+)?\b(?P<wd>{_WEEKDAY})\b")),
    (
        "ago",
        re.compile(rf"\b(?i:(?P<n>{_NUMBER_WORD}|\d{{1,3}}|an?)\s+(?P<unit>day|week|month|year)s?\s+ago)\b"),
    ),
    (
        "later",
        re.compile(
            rf"\b(?i:(?P<n>{_NUMBER_WORD}|\d{{1,3}}|several|a\s+few)\s+(?P<unit>day|week|month|year)s?"
            # "after"/"before" only at a clause end: "a month after Trump told" is no anaphor
            r"\s+(?P<dir>later|earlier|afterwards?|(?:after|before)(?=\s*(?:[,.;:)]|$))))\b"
        ),
    ),
    (
        "following",
        re.compile(
            r"\b(?i:(?:the\s+)?(?P<dir>following|next|previous|preceding|prior)\s+(?P<unit>day|week|month|year)"
            r"|(?P<that>that)\s+(?P<unit2>day|week|month|year))\b"
        ),
    ),
]

_RELATION = re.compile(
    r"\b(?i:(?P<by>by|no\s+later\s+than|not\s+later\s+than)|(?P<before>before|prior\s+to|ahead\s+of)"
    r"|(?P<after>after|following|not\s+before)|(?P<since>since)"
    r"|(?P<until>until|till|til|through|up\s+until|up\s+to))"
    r"(?:\s+(?i:at\s+least|at\s+the\s+latest|as\s+late\s+as))?\s+\Z"
)
_YEAR_CUE = re.compile(
    r"(?:\b(?i:in|since|until|till|by|during|before|after|of|from|through|to|and|between|early"
    r"|late|mid|end|spring|summer|autumn|fall|winter|year|circa|the|fiscal|on|for|around)|['’]s|[(–—,])\s*-?\Z"
)
_HEDGE_BEFORE = re.compile(
    r"\b(?i:about|some|roughly|approximately|nearly|almost|over|more\s+than|fewer\s+than|less\s+than"
    r"|at\s+least|up\s+to|around|under)\s+\Z"
)
_FUNCTION_AFTER = re.compile(
    r"\s+(?i:was|is|were|are|saw|and|or|when|as|to|had|has|have|will|would|in|on|at|after|before"
    r"|until|through|marked|brought|began|ended|also|the|a|an|with|for|by|that|which|but|so|of)\b"
)
_MONTH_CUE = re.compile(
    r"\b(?i:in|on|by|since|until|till|through|from|to|of|during|before|after|early|late|mid|between"
    r"|and|last|next|this|at\s+least|around|starting|beginning|ending|as\s+of)\s+\Z"
)
# "an April visit", "the March attack", "Iraq's October elections": a month (not May) between a determiner and
# the noun it dates
_MONTH_AS_ADJECTIVE = re.compile(r"(?:\b(?i:a|an|the|its|this|that|his|her|their|our)|['’]s)\s+\Z")
_RANGE_GAP = re.compile(r"\s*(?:-|–|—)\s*|\s+(?i:to|until|till|through)\s+")
_RANGE_TO_MONTH = re.compile(rf"(?:{_RANGE_GAP.pattern})(?:{_DAY}\s+)?{_MONTH}")
_NEXT_LOWER_WORD = re.compile(r"\s+([a-z][a-z-]*)")
_COORDINATION_GAP = re.compile(r"\s*,\s*|\s+(?i:and|or)\s+|\s*,\s+(?i:and|or)\s+")
_BETWEEN = re.compile(r"\b(?i:between)\s+\Z")
_SUFFIX_GAP = re.compile(r"\s+(?i:and)\s+")

# Month ranges (first, last) of the parts of a year.
_YEAR_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 4),
    "mid": (5, 8),
    "middle of": (5, 8),
    "late": (9, 12),
    "end of": (10, 12),
    "close of": (10, 12),
    "turn of": (1, 1),
    "beginning of": (1, 3),
    "start of": (1, 3),
    "first half of": (1, 6),
    "second half of": (7, 12),
    "first quarter of": (1, 3),
    "second quarter of": (4, 6),
    "third quarter of": (7, 9),
    "fourth quarter of": (10, 12),
    "last quarter of": (10, 12),
    "final quarter of": (10, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 14),  # December to February of the next year
}
# Day ranges (first, last; 31 = end of month) of the parts of a month.
_MONTH_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 10),
    "beginning of": (1, 10),
    "start of": (1, 10),
    "mid": (11, 20),
    "middle of": (11, 20),
    "late": (21, 31),
    "end of": (21, 31),
    "close of": (21, 31),
    "first half of": (1, 15),
    "second half of": (16, 31),
}
_UNIT_DELTA = {
    "day": relativedelta(days=1),
    "week": relativedelta(weeks=1),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
}


# --------------------------------------------------------------------------- helpers


def date_interval_overlaps(a: DateMention, b: DateMention) -> bool:
    """True when the two mentions' intervals share at least one day."""
    return a.low <= b.high and b.low <= a.high


def contains(outer: DateMention, inner: DateMention) -> bool:
    """True when ``inner``'s interval lies within ``outer``'s."""
    return outer.low <= inner.low and inner.high <= outer.high


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), _month_end(y, m)


def _year_span(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


def _months_span(y: int, first: int, last: int) -> tuple[date, date]:
    """Months ``first..last`` of year ``y``; months above 12 spill into the next year."""
    ly, lm = (y + 1, last - 12) if last > 12 else (y, last)
    return date(y, first, 1), _month_end(ly, lm)


def _norm_part(part: str) -> str:
    return " ".join(part.lower().split()).removesuffix("-").strip()


def _counted(g: Mapping[str, str | None], words: Mapping[str, int]) -> tuple[int, str] | None:
    """How many of which unit a match counts ("two years", "several weeks"), ``words`` giving the counts of words
    that are not numbers; None when the count is not read."""
    n_word = " ".join((g["n"] or "").lower().split())
    n = words.get(n_word) or small_number(n_word)
    return None if n is None else (n, (g["unit"] or "").lower())


def _span_for(unit: str, d: date) -> tuple[date, date, str]:
    """The calendar unit containing ``d``."""
    if unit == "day":
        return d, d, "day"
    if unit == "week":
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=6), "range"
    if unit == "month":
        return (*_month_span(d.year, d.month), "month")
    return (*_year_span(d.year), "year")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


# --------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    groups: dict[str, str | None]
    low: date | None = None
    high: date | None = None
    gran: str = ""
    relative: bool = False
    month: int = 0  # for yearless days/months
    day: int = 0
    day2: int = 0
    part: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _collect(text: str) -> list[_Cand]:
    found: list[_Cand] = []
    for kind, rx in _FORMS:
        for m in rx.finditer(text):
            if m.end() > m.start() and _accept(text, kind, m):
                found.append(_Cand(m.start(), m.end(), kind, m.groupdict()))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    chosen: list[_Cand] = []
    last_end = -1
    for c in found:
        if c.start >= last_end:
            chosen.append(c)
            last_end = c.end
    return chosen


def _accept(text: str, kind: str, m: re.Match[str]) -> bool:
    """Context checks that a regex alone cannot make."""
    before = text[max(0, m.start() - 20) : m.start()]
    if kind == "year":
        if _HEDGE_BEFORE.search(before):
            return False  # "about 2000 troops" is a quantity
        if _YEAR_CUE.search(before):
            return True
        after = text[m.end() : m.end() + 20]
        nxt = _NEXT_LOWER_WORD.match(after)
        return nxt is None or bool(_FUNCTION_AFTER.match(after)) or nxt.group(1).endswith("ed")
    if kind == "month" and not m.group("rel") and not m.group("yrel"):
        if _MONTH_CUE.search(before):
            return True
        after = text[m.end() : m.end() + 30]
        if _MONTH_AS_ADJECTIVE.search(before) and m.group(0).lower() != "may":
            nxt = _NEXT_LOWER_WORD.match(after)
            return nxt is not None and nxt.group(1) != "of"
        return bool(_RANGE_TO_MONTH.match(after))
    return True


def _pair_ranges(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Mark "X – Y", "from X to Y", "between X and Y" pairs (joined after resolution)."""
    for a, b in zip(cands, cands[1:], strict=False):
        if a.kind not in _ABSOLUTE or b.kind not in _ABSOLUTE or a.extra or b.extra:
            continue
        gap = text[a.end : b.start]
        if _RANGE_GAP.fullmatch(gap) or (
            _SUFFIX_GAP.fullmatch(gap) and _BETWEEN.search(text[max(0, a.start - 10) : a.start])
        ):
            a.extra["range_with"] = "next"
            b.extra["range_with"] = "prev"
        elif _COORDINATION_GAP.fullmatch(gap) and not _year_of(a) and _year_of(b):
            a.extra["year_from"] = "next"  # "On 11 March and 14 March 2020"
    return cands


_ABSOLUTE = frozenset(
    {"iso", "numeric", "dmy", "mdy", "my", "part", "partmonth", "yearrange", "year", "month", "decade"}
)


def _year_of(c: _Cand) -> int | None:
    y = c.groups.get("y")
    return int(y) if y and len(y) == 4 else None


def _resolve_absolute(c: _Cand) -> bool:
    """Fill low/high for forms that carry their own year; yearless forms keep month/day."""
    g = c.groups
    y = _year_of(c)
    k = c.kind
    if k == "iso":
        d = _safe_date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))
        if d is None:
            return False
        c.low, c.high, c.gran = d, d, "day"
        return True
    if k == "numeric":
        return _resolve_numeric(c)
    if k in ("dmy", "mdy", "my", "month", "partmonth"):
        c.month = MONTHS.get((g["m"] or "").rstrip(". ").strip(), 0)
        if k in ("dmy", "mdy"):
            c.day = int((g["d"] or "0").rstrip("stndrh"))
            c.day2 = int(g["d2"]) if g.get("d2") else 0
            if not 1 <= c.day <= 31 or (c.day2 and not c.day < c.day2 <= 31):
                return False
        if k == "partmonth":
            c.part = _norm_part(g["part"] or "")
        if y is None:
            return True  # yearless: resolved later
        return _fill_month_day(c, y)
    if k == "part":
        part = _norm_part(g["part"] or "")
        assert y is not None
        if g.get("m"):
            month = MONTHS.get((g["m"] or "").rstrip(". ").strip(), 0)
            first, last = _MONTH_PARTS.get(part, (1, 31))
            end = _month_end(y, month)
            c.low, c.high = date(y, month, first), end if last == 31 else date(y, month, last)
        else:
            first, last = _YEAR_PARTS.get(part, (1, 12))
            c.low, c.high = _months_span(y, first, last)
        c.gran = "season"
        return True
    if k == "decade":
        y0 = int(g["y"]) if g.get("y") else 1900 + int(g["yy"] or 0)
        part = (g.get("part") or "").lower()
        first, last = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}.get(part, (0, 9))
        c.low, c.high = date(y0 + first, 1, 1), date(y0 + last, 12, 31)
        c.gran = "decade" if not part else "range"
        return True
    if k == "yearrange":
        y1 = int(g["y"] or 0)
        y2s = g["y2"] or ""
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 <= y1:
            return False
        c.low, c.high, c.gran = date(y1, 1, 1), date(y2, 12, 31), "range"
        return True
    if k == "year":
        assert y is not None
        c.low, c.high = _year_span(y)
        c.gran = "year"
        return True
    return True


DATE_ORDER_VAR = "FACTCHECK_DATE_ORDER"
DATE_ORDERS = ("auto", "dmy", "mdy")


def numeric_date_order() -> str:
    """How ``12/09/2021`` is read: ``dmy`` (12 September), ``mdy`` (December 9) or ``auto``
    (the default: a part above 12 decides; when both readings are valid and differ, the date
    is the interval between them, so it never contradicts either reading). Set by
    ``$FACTCHECK_DATE_ORDER`` or the ``date-order`` setting of ``factcheck lint``."""
    import os

    order = os.environ.get(DATE_ORDER_VAR, "auto").strip().lower() or "auto"
    return order if order in DATE_ORDERS else "auto"


def _resolve_numeric(c: _Cand) -> bool:
    a, b, y = int(c.groups["a"] or 0), int(c.groups["b"] or 0), int(c.groups["y"] or 0)
    dmy, mdy = _safe_date(y, b, a), _safe_date(y, a, b)
    order = numeric_date_order()
    preferred = dmy if order == "dmy" else mdy if order == "mdy" else None
    readings = sorted({d for d in ((preferred,) if preferred else (dmy, mdy)) if d is not None})
    if not readings:
        return False
    c.low, c.high = readings[0], readings[-1]
    c.gran = "day" if len(readings) == 1 else "range"
    return True


def _fill_month_day(c: _Cand, y: int) -> bool:
    if not 1 <= c.month <= 12:
        return False
    if c.kind == "partmonth":
        first, last = _MONTH_PARTS[c.part]
        c.low = date(y, c.month, first)
        c.high = _month_end(y, c.month) if last == 31 else date(y, c.month, last)
        c.gran = "season"
        return True
    if c.day:
        lo = _safe_date(y, c.month, c.day)
        hi = _safe_date(y, c.month, c.day2) if c.day2 else lo
        if lo is None or hi is None:
            return False
        c.low, c.high, c.gran = lo, hi, "day" if not c.day2 else "range"
        return True
    c.low, c.high = _month_span(y, c.month)
    c.gran = "month"
    return True


def _yearless_year(c: _Cand, published: date | None, context: tuple[date, date] | None) -> int | None:
    """The year of a yearless day or month: inside ``context`` if given, else the latest
    such month not after the publication month."""
    if context is not None:
        lo, hi = min(context), max(context)
        for y in range(lo.year, hi.year + 1):
            probe = _safe_date(y, c.month, c.day or 1)
            end = probe if c.day else (_month_end(y, c.month) if probe else None)
            if probe is not None and end is not None and probe <= hi and end >= lo:
                return y
        return lo.year
    if published is not None:
        return published.year if c.month <= published.month else published.year - 1
    return None


def _resolve_relative(c: _Cand, published: date | None, prev: DateMention | None) -> bool:
    g = c.groups
    k = c.kind
    if k == "month":  # "last December", "May next year", "this March"
        c.month = MONTHS[(g["m"] or "").strip()]
        rel = (g.get("rel") or "").lower()
        yrel = (g.get("yrel") or "").lower()
        if published is None:
            return False
        if yrel:
            y = published.year + {"next": 1, "last": -1, "this": 0}[yrel]
        elif rel in ("last", "past"):
            y = published.year if c.month < published.month else published.year - 1
        elif rel == "next":
            y = published.year if c.month > published.month else published.year + 1
        else:
            y = published.year
        return _fill_month_day(c, y)
    if k == "rel":
        if published is None:
            return False
        word = (g.get("word") or "").lower()
        if word:
            shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
            d = published + timedelta(days=shift)
            c.low, c.high, c.gran = d, d, "day"
            return True
        unit = (g["unit"] or "").lower()
        which = (g["which"] or "").lower()
        step = {"this": 0, "last": -1, "next": 1}[which]
        anchor = published + _UNIT_DELTA[unit] * step
        c.low, c.high, c.gran = _span_for(unit, anchor)
        direction = (g.get("dir") or "").lower()
        if direction == "earlier" and which == "this":
            c.high = published
        elif direction == "later" and which == "this":
            c.low = published
        return True
    if k == "ago":  # "two years ago": about two years before publication
        if published is None:
            return False
        counted = _counted(g, {"a": 1, "an": 1})
        if counted is None:
            return False
        n, unit = counted
        anchor = published - _UNIT_DELTA[unit] * n
        if unit == "year":  # a year counted back, not a calendar year: half a year either side
            c.low, c.high, c.gran = anchor - relativedelta(months=6), anchor + relativedelta(months=6), "year"
        else:
            c.low, c.high, c.gran = _span_for(unit, anchor)
        return True
    if k == "weekday":
        if published is None:
            return False
        wd = WEEKDAYS[g["wd"] or "Monday"]
        rel = (g.get("rel") or "").lower()
        back = (published.weekday() - wd) % 7
        if rel == "last" and back == 0:
            back = 7
        if rel == "next":
            d = published + timedelta(days=(wd - published.weekday()) % 7 or 7)
        else:
            d = published - timedelta(days=back)
        c.low, c.high, c.gran = d, d, "day"
        return True
    if k in ("partrel", "laterthis"):
        which = (g.get("which") or "").lower()
        if which == "that" or (which == "the" and prev is not None):
            if prev is None:
                return False
            base = prev.low if prev.granularity != "range" else prev.high
            year = base.year
        elif published is not None:
            year = published.year + {"next": 1, "last": -1}.get(which, 0)
            base = published
        else:
            return False
        if k == "laterthis":
            unit = (g["unit"] or "").lower()
            c.low, c.high, c.gran = _span_for(unit, base if which == "this" else base)
            if which == "that" and unit == "year":
                c.low, c.high, c.gran = (*_year_span(year), "year")
            if which == "this" and published is not None:
                if (g["dir"] or "").lower() == "earlier":
                    c.high = published
                else:
                    c.low = published
            return True
        part = _norm_part(g["part"] or "") + " of"
        first, last = _YEAR_PARTS.get(
            part, {"rest of": (base.month, 12), "remainder of": (base.month, 12)}.get(part, (1, 12))
        )
        c.low, c.high = _months_span(year, first, last)
        c.gran = "season"
        return True
    if k == "later":
        if prev is None:
            return False
        counted = _counted(g, {"several": 3, "a few": 3})
        if counted is None:
            return False
        n, unit = counted
        sign = -1 if (g["dir"] or "").lower() in ("earlier", "before") else 1
        delta = _UNIT_DELTA[unit] * (n * sign)
        return _shift(c, prev, delta)
    if k == "following":
        if prev is None:
            return False
        if g.get("that"):
            unit = (g["unit2"] or "").lower()
            c.low, c.high, c.gran = _span_for(unit, prev.low)
            return True
        unit = (g["unit"] or "").lower()
        sign = -1 if (g["dir"] or "").lower() in ("previous", "preceding", "prior") else 1
        base = prev.high if sign > 0 else prev.low
        c.low, c.high, c.gran = _span_for(unit, base + _UNIT_DELTA[unit] * sign)
        return True
    return False


def _shift(c: _Cand, prev: DateMention, delta: relativedelta) -> bool:
    try:
        low = prev.low + delta
        high = prev.high + delta
    except (OverflowError, ValueError):
        return False
    if prev.granularity == "month":
        low, high = _month_span(low.year, low.month)
    elif prev.granularity == "year":
        low, high = _year_span(low.year)
    c.low, c.high, c.gran = low, high, prev.granularity
    return True


def _relation(text: str, start: int) -> str:
    m = _RELATION.search(text[max(0, start - 30) : start])
    if not m:
        return "on"
    return next(k for k, v in m.groupdict().items() if v)


# --------------------------------------------------------------------------- public API


def extract_dates(
    text: str, *, published: date | None = None, context: tuple[date, date] | None = None
) -> list[DateMention]:
    """All date mentions of ``text`` as inclusive intervals, sorted by start.

    ``published`` resolves relative expressions ("last month", "Wednesday"); without it
    they are left out.  ``context`` (a section heading's range) gives the year of
    yearless dates ("On 1 June") and wins over ``published`` for them.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        return _extract(text, published, context)
    except (ValueError, OverflowError):  # calendar arithmetic off the ends of date
        return []


def _extract(text: str, published: date | None, context: tuple[date, date] | None) -> list[DateMention]:
    cands = _pair_ranges(text, _collect(text))
    resolved: list[_Cand] = []
    for c in cands:
        absolute = c.kind in _ABSOLUTE and not (c.kind == "month" and _is_relative_month(c))
        if absolute and not _resolve_absolute(c):
            continue
        resolved.append(c)
    # Years for yearless dates: from the range partner, else context / publication.
    for i, c in enumerate(resolved):
        if c.low is not None or c.kind not in ("dmy", "mdy", "month", "partmonth") or not c.month:
            continue
        partner = None
        if c.extra.get("year_from") == "next" and i + 1 < len(resolved):
            nxt = resolved[i + 1]
            if nxt.low is not None and _fill_month_day(c, nxt.low.year):
                continue
        if c.extra.get("range_with") == "next" and i + 1 < len(resolved):
            partner = resolved[i + 1]
            if partner.low is not None:
                y = partner.low.year - (1 if c.month > partner.low.month else 0)
                if _fill_month_day(c, y):
                    continue
        elif c.extra.get("range_with") == "prev" and i > 0:
            partner = resolved[i - 1]
            if partner.high is not None:
                y = partner.high.year + (1 if c.month < partner.high.month else 0)
                if _fill_month_day(c, y):
                    continue
        y = _yearless_year(c, published, context)
        if y is not None and _fill_month_day(c, y):
            c.relative = True
    out: list[DateMention] = []
    prev: DateMention | None = None
    pending: DateMention | None = None  # first half of a range
    for c in resolved:
        if c.low is None:
            if c.kind in _ABSOLUTE and c.kind != "month":
                continue
            if not _resolve_relative(c, published, prev):
                continue
            c.relative = True
        assert c.low is not None and c.high is not None
        if c.low > c.high:
            continue
        mention = DateMention(
            low=c.low,
            high=c.high,
            granularity=c.gran,
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            relation=_relation(text, c.start),
            relative=c.relative,
        )
        if c.extra.get("range_with") == "next":
            pending = mention
            continue
        if c.extra.get("range_with") == "prev" and pending is not None:
            if pending.low <= mention.high:
                mention = DateMention(
                    low=pending.low,
                    high=mention.high,
                    granularity="range",
                    start=pending.start,
                    end=mention.end,
                    text=text[pending.start : mention.end],
                    relation=pending.relation,
                    relative=pending.relative or mention.relative,
                )
            else:
                out.append(pending)
            pending = None
        elif pending is not None:
            out.append(pending)
            pending = None
        out.append(mention)
        prev = mention
    if pending is not None:
        out.append(pending)
    out.sort(key=lambda d: (d.start, d.end))
    return out


def _is_relative_month(c: _Cand) -> bool:
    return bool(c.groups.get("rel") or c.groups.get("yrel"))


def heading_range(heading: str) -> tuple[date, date] | None:
    """The period a section heading covers ("March – May 2020: Base transfers" ->
    2020-03-01..2020-05-31), or None when the heading names no date."""
    mentions = extract_dates(heading)
    if not mentions:
        return None
    return min(m.low for m in mentions), max(m.high for m in mentions)
