"""Frozen records passed between the stages of the flow.

ingest -> Document; segment -> Passage; extract -> Quantity / DateMention / Entity;
retrieve -> Candidate; judge -> Evidence; aggregate -> Verdict.
No stage re-parses what an earlier stage produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

VERDICTS = ("supported", "contradicted", "disputed", "unverified")


@dataclass(frozen=True)
class Document:
    """One source article as ingested from ``sources/``."""

    id: str
    path: str
    title: str
    text: str
    sha256: str
    publisher: str = ""
    published: date | None = None
    url: str = ""
    body_start: int = 0  # offset where the text starts after any front matter


@dataclass(frozen=True)
class Passage:
    """One sentence (or heading / list item) of a document, with its exact place in it."""

    doc_id: str
    ordinal: int  # position within its document, 0-based
    text: str
    start: int  # character offsets into Document.text; text == doc.text[start:end]
    end: int
    line: int  # 1-based
    column: int  # 1-based, in characters
    heading: str = ""  # nearest section heading above, "" if none
    kind: str = "sentence"  # "sentence" | "heading" | "item"


@dataclass(frozen=True)
class Quantity:
    """A number in text with its bound, counted noun and span.

    ``low``/``high`` are the interval the wording allows ("about 2,500" -> about
    2,250..2,750; "more than 2,000" -> 2,000..2,600). ``unit`` is a normalised
    lemma of the counted noun ("troop", "iraqi", "usd", "share", "base"), "" when
    none was found.
    """

    value: float
    low: float
    high: float
    bound: str  # exact|approx|more|atleast|less|atmost|range|vague|ordinal
    unit: str
    unit_text: str
    start: int
    end: int
    text: str
    role: str = ""  # "" | "from" | "to"  (in "from 5,200 to 3,000")
    inherited_unit: bool = False  # "2,500 troops ... and 900 in Syria": 900 inherits "troop"


@dataclass(frozen=True)
class DateMention:
    """A date or period in text, normalised to an inclusive interval."""

    low: date
    high: date
    granularity: str  # day|month|season|year|decade|range
    start: int
    end: int
    text: str
    relation: str = "on"  # on|by|before|after|since|until
    relative: bool = False  # resolved against a publication date or a heading


@dataclass(frozen=True)
class Entity:
    """A named actor or place mention."""

    key: str  # normalised comparison key ("mckenzie", "united states", "spain")
    kind: str  # person|country|place|org|group|other
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceInfo:
    id: str
    title: str
    publisher: str = ""
    published: date | None = None
    url: str = ""
    path: str = ""


@dataclass(frozen=True)
class Candidate:
    """A retrieved passage with its retrieval scores and its context."""

    passage: Passage
    source: SourceInfo
    dense: float  # cosine similarity to the claim
    fused: float  # fused rank score
    previous: str = ""  # neighbouring sentences, for context
    next: str = ""
    row: int = -1  # the passage's row in the index store (-1: not from a store)


@dataclass(frozen=True)
class Evidence:
    """A passage judged against a claim."""

    passage: Passage
    source: SourceInfo
    stance: str  # supports|contradicts|related
    score: float
    reason: str
    aspect: str = ""  # what decided the stance: number|date|actor|place|polarity|order|text
    valid: date | None = None  # the time the passage speaks of (explicit date, else publication)


@dataclass(frozen=True)
class Verdict:
    claim: str
    verdict: str  # one of VERDICTS
    confidence: float
    reason: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    aspect: str = ""  # aspect of the deciding evidence (for rule ids in lint)
    similarity: float = 0.0  # cosine of the most similar passage (for the similarity baseline)
    parts: tuple[PartVerdict, ...] = ()  # the atomic claims of a compound claim, each judged ((): one claim)


@dataclass(frozen=True)
class PartVerdict:
    """One atomic claim of a compound claim and its own verdict.

    ``text`` is what was checked (with the subject, figure or time it inherits); ``quoted`` the
    part as written; ``spans`` its pieces and ``start``/``end`` its own piece, as character
    offsets into the claim."""

    index: int  # 1-based
    text: str
    quoted: str
    kind: str  # clause | comparison | relative | appositive | figure | content | attribution
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]
    verdict: Verdict
