"""Shared word tables for the number and date extractors.

Everything here is plain data plus two tiny helpers that turn a table into a
regex alternation.  Keys are lowercase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip

TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip

# Multipliers inside a number-word phrase ("two thousand five hundred").
SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}

# Abbreviated scales after digits ("3.5bn", "$1.2m", "$40k").
SCALE_ABBR: dict[str, int] = {
    "k": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
}

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100,
}  # fmt: skip

# Denominators of spoken fractions ("a third", "two-thirds", "three quarters").
FRACTION_DENOMINATORS: dict[str, int] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10,
}  # fmt: skip

# Month names and their usual abbreviations (matched case-sensitively, capitalised,
# so the verbs "may" and "march" are never months).
MONTHS: dict[str, int] = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4,
    "Apr": 4, "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8,
    "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10, "November": 11,
    "Nov": 11, "December": 12, "Dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5,
    "Sunday": 6,
}  # fmt: skip


def alternation(words: Iterable[str]) -> str:
    """A non-capturing regex alternation of ``words``, longest first (so "seventeen"
    is tried before "seven")."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def wordset(words: str) -> frozenset[str]:
    """A frozenset of the whitespace-separated words of ``words``."""
    return frozenset(words.split())


def small_number(word: str) -> int | None:
    """Value of a single small number word or digit string ("three", "twenty-five", "12")."""
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    if w in UNITS:
        return UNITS[w]
    if w in TENS:
        return TENS[w]
    if w in ("a", "an"):
        return 1
    head, _, tail = w.partition("-")
    if head in TENS and tail in UNITS and 0 < UNITS[tail] < 10:
        return TENS[head] + UNITS[tail]
    return None
