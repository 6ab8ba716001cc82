"""Passage facts as compact JSON, so the index can store them (no pickle: an index file is data, never code).

Only the frozen records of the flow are known to the codec; anything else is an error. Tuples and frozensets
round-trip as themselves, dates as ISO strings.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from typing import Any

from factcheck.extract.offices import Office
from factcheck.judge.facts import BoundQuantity, Clause, TextFacts
from factcheck.records import DateMention, Entity, Quantity

# Bump when text_facts or an extractor changes what it returns: stored facts of another version are recomputed.
FACTS_VERSION = 18


def facts_key() -> int:
    """What stored facts must have been computed with to be reused now: the codec version and how numeric
    dates are read (``date-order``). Facts stored under another key are recomputed at query time."""
    from factcheck.extract.dates import DATE_ORDERS, numeric_date_order

    return FACTS_VERSION * 10 + DATE_ORDERS.index(numeric_date_order())


_TYPES: dict[str, type] = {
    "T": TextFacts,
    "B": BoundQuantity,
    "C": Clause,
    "Q": Quantity,
    "D": DateMention,
    "E": Entity,
    "O": Office,
}
_TAGS = {cls: tag for tag, cls in _TYPES.items()}
_FIELDS = {cls: [f.name for f in fields(cls)] for cls in _TYPES.values()}


def _plain(value: Any) -> Any:
    cls = type(value)
    if cls in _TAGS:
        return {"$": _TAGS[cls], "v": [_plain(getattr(value, name)) for name in _FIELDS[cls]]}
    if cls is tuple:
        return [_plain(v) for v in value]
    if cls is frozenset:
        return {"$s": sorted(_plain(v) for v in value)}
    if cls is date:
        return {"$d": value.isoformat()}
    if value is None or cls in (str, int, float, bool):
        return value
    raise TypeError(f"cannot store a {cls.__name__} in passage facts")


def _typed(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    if isinstance(value, dict):
        if "$d" in value:
            return date.fromisoformat(value["$d"])
        if "$s" in value:
            return frozenset(_typed(v) for v in value["$s"])
        cls = _TYPES[value["$"]]
        return cls(*(_typed(v) for v in value["v"]))
    return value


def dumps(facts: TextFacts) -> str:
    return json.dumps(_plain(facts), separators=(",", ":"), ensure_ascii=False)


def loads(text: str) -> TextFacts:
    facts = _typed(json.loads(text))
    if not isinstance(facts, TextFacts):
        raise ValueError("stored passage facts are not a TextFacts record")
    return facts
