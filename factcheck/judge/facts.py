"""Facts of a claim or a passage, ready to compare: quantities bound to places, dates resolved
against the source's publication date and section heading, entities, polarity, actions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from factcheck.extract.dates import extract_dates, heading_range
from factcheck.extract.entities import extract_entities
from factcheck.extract.lexicon import (
    actions,
    content_lemmas,
    negated_terms,
    negation_count,
    told_in_past,
    word_key,
)
from factcheck.extract.numbers import extract_quantities
from factcheck.extract.offices import Office, extract_offices
from factcheck.records import DateMention, Entity, Quantity

PLACE_KINDS = ("country", "place")
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas|with)\s+|\s+(?:but|while|whereas)\s+|\s+and\s+(?=[0-9$])")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|inside|within|across|near|throughout)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}"
    r"|\b(?:into|from|(?<!according )to|out of)\s+(?:the\s+)?)$",
    re.I,
)
# What may stand between a figure and the date it is given for: a few words, no other figure, no clause break,
# ending in the date's preposition ("21 percent in", "2,500 U.S. troops in Iraq as of").
_DATE_RIGHT_AFTER = re.compile(r"(?:\s+[A-Za-z][A-Za-z.'-]*){0,5}?\s+(?:in|on|as of|during)\s+(?:the\s+)?", re.I)
UNIT_SYNONYMS = {
    "soldier": "troop",
    "force": "troop",
    "personnel": "troop",
    "servicemember": "troop",
    "marine": "troop",
    "service member": "troop",
    "member": "troop",
    "military": "troop",
    "boot": "troop",
    "american": "troop",
    "people": "person",
    "persons": "person",
    "individual": "person",
    "dollar": "usd",
    "$": "usd",
}


# Verbs that make a figure a change or an event count rather than a level ("withdraw 2,000
# troops", "killed three troops" are not "2,500 troops in Iraq").
DELTA_VERBS = frozenset(
    "withdraw withdrawal pull pullout reduce reduction cut decrease increase add boost raise deploy send drawdown "
    "remove evacuate kill wound injure die attack fire launch strike capture arrest".split()
)
# the comparison keys of the verbs of change ("withdraw" and "pull out" -> "out"; "kill")
CHANGE_KEYS = frozenset(word_key(v) for v in DELTA_VERBS)
_SUBJECT_VERB = re.compile(
    r"\.?\s+(?:has|have|had|is|are|was|were|will|would|could|can|may|might|plans?|planned|sent|sends|"
    r"deployed|deploys|keeps?|kept|maintains?|maintained|withdr\w+|reduc\w+|decided|decides|contributes?|"
    r"contributed|trained|trains|spent|spends|gave|gives|stations?|stationed|still)\b"
)


@dataclass(frozen=True)
class BoundQuantity:
    q: Quantity
    place: str | None  # country/place key the number is bound to
    context: frozenset[str]  # content lemmas of its clause
    when: DateMention | None  # date in the same sentence, if any
    place_kind: str = ""  # country | place
    actions: frozenset[str] = frozenset()  # action directions of its clause (withdrawn vs remaining)
    owner: str | None = None  # the country the counted things belong to ("Spain has 400 troops")
    place_after: bool = False  # the place follows the figure ("900 in Syria"): a firm binding
    delta: bool = False  # a change ("withdraw 2,000 troops"), not a level ("2,500 troops remain")
    mentions: frozenset[str] = frozenset()  # entity keys of the whole sentence


@dataclass(frozen=True)
class Clause:
    lemmas: frozenset[str]
    negations: int
    actions: frozenset[str]
    start: int = 0
    end: int = 0

    def holds(self, mention: DateMention) -> bool:
        return self.start <= mention.start < self.end or self.start == self.end


@dataclass(frozen=True)
class TextFacts:
    text: str
    quantities: tuple[BoundQuantity, ...]
    ordinals: tuple[BoundQuantity, ...]
    dates: tuple[DateMention, ...]
    entities: tuple[Entity, ...]
    negations: int
    actions: frozenset[str]
    lemmas: frozenset[str]
    clauses: tuple[Clause, ...] = ()
    past: bool = False  # told in the past tense with no present marker: true once is enough
    heading_dates: tuple[DateMention, ...] = ()  # dates of the section heading (set for windows)
    negated: frozenset[str] = frozenset()  # keys of the words a negation applies to
    offices: tuple[Office, ...] = ()  # who holds an office, as the text says it ("Prime Minister X")

    def closest_clause(self, lemmas: frozenset[str]) -> Clause:
        """The clause sharing most words with ``lemmas`` (negation and actions are read there)."""
        if not self.clauses:
            return Clause(self.lemmas, self.negations, self.actions)
        return max(self.clauses, key=lambda c: len(c.lemmas & lemmas))

    def entity_keys(self, *kinds: str) -> set[str]:
        return {e.key for e in self.entities if not kinds or e.kind in kinds}


# Reporting verbs say who speaks, not what happened: they do not count as shared words.
_REPORTING = frozenset("say state tell add note announce report claim according told stated added".split())


def normal_lemmas(text: str) -> frozenset[str]:
    """Content words as comparison keys: action words folded into their group ("concluded" ->
    "end"), other words stemmed ("retaliate" and "retaliation" -> "retali"), reporting verbs
    dropped."""
    return frozenset(word_key(w) for w in content_lemmas(text) if w not in _REPORTING)


def clauses(text: str) -> list[tuple[int, int]]:
    spans = []
    at = 0
    for m in _CLAUSE_BREAK.finditer(text):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(text)))
    return spans


def _bind_place(text: str, q: Quantity, entities: tuple[Entity, ...], clause: tuple[int, int]) -> Entity | None:
    """The place a number is bound to: a country/place entity after a locative preposition in
    its clause. Preferred: right after the number with no comma between ("2,500 troops in
    Iraq"), then before it ("forces in Iraq ... 2,500"), then after a comma."""
    cs, ce = clause
    best: tuple[int, Entity] | None = None
    for e in entities:
        if e.kind not in PLACE_KINDS or not (cs <= e.start < ce):
            continue
        if not _LOCATIVE.search(text[max(cs, e.start - 40) : e.start]):
            continue
        if e.start >= q.end:
            gap = text[q.end : e.start]
            rank = (0 if "," not in gap else 2000) + len(gap)
        else:
            rank = 1000 + (q.start - e.end)
        if best is None or rank < best[0]:
            best = (rank, e)
    return best[1] if best else None


def unit_key(q: Quantity) -> str:
    return UNIT_SYNONYMS.get(q.unit, q.unit)


def text_facts(
    text: str,
    *,
    published: date | None = None,
    heading: str = "",
    gazetteer: Mapping[str, str] | None = None,
) -> TextFacts:
    context = heading_range(heading) if heading else None
    found = extract_dates(text, published=published, context=context)
    dates = tuple(_since_clauses(text, [d for d in found if not _DATELINE.match(text, d.end)]))
    entities = tuple(extract_entities(text, gazetteer))
    spans = clauses(text)
    bound: list[BoundQuantity] = []
    ordinals: list[BoundQuantity] = []
    for q in extract_quantities(text):
        if any(d.start < q.end and q.start < d.end for d in dates):
            continue  # "three years later" is a date, not a count
        clause = next(((s, e) for s, e in spans if s <= q.start < e), (0, len(text)))
        own_words = normal_lemmas(q.text + " " + q.unit_text)
        clause_text = text[clause[0] : clause[1]]
        ctx = normal_lemmas(clause_text) - own_words
        clause_actions = actions(clause_text)
        delta = not q.role and (
            added(text, q)
            or (
                bool(content_lemmas(clause_text) & DELTA_VERBS)
                and "in" not in clause_actions
                and not _LEVEL_BEFORE.search(text[max(0, q.start - 40) : q.start])
            )
        )
        when = _nearest_date(q, dates, clause, text)
        place = _bind_place(text, q, entities, clause)
        item = BoundQuantity(
            q,
            place.key if place else None,
            ctx,
            when,
            place_kind=place.kind if place else "",
            actions=clause_actions,
            owner=_owner(text, q, entities, clause),
            place_after=bool(place and place.start >= q.end),
            delta=delta,
            mentions=frozenset(e.key for e in entities),
        )
        (ordinals if q.bound == "ordinal" else bound).append(item)
    return TextFacts(
        text=text,
        quantities=tuple(bound),
        ordinals=tuple(ordinals),
        dates=dates,
        entities=entities,
        negations=negation_count(text),
        actions=actions(_blank(text, [(d.start, d.end) for d in dates])),  # "the end of 2026" is no action
        lemmas=normal_lemmas(_blank(text, [(d.start, d.end) for d in dates] + [(e.start, e.end) for e in entities]))
        | {f"@{k}" for e in entities for k in e.key.split("+")},
        past=told_in_past(text),
        negated=negated_terms(text),
        offices=extract_offices(text),
        clauses=tuple(
            Clause(normal_lemmas(text[a:b]), negation_count(text[a:b]), actions(text[a:b]), a, b) for a, b in spans
        ),
    )


def passage_facts(
    text: str,
    *,
    previous: str = "",
    following: str = "",
    heading: str = "",
    published: date | None = None,
    gazetteer: Mapping[str, str] | None = None,
) -> tuple[TextFacts, TextFacts]:
    """A passage's own facts and those of its window (previous + passage + next sentence, with the
    section heading's dates and names). Computed when the passage is indexed; the same at query time."""
    sentence = text_facts(text, published=published, heading=heading, gazetteer=gazetteer)
    window_text = " ".join(t for t in (previous, text, following) if t)
    window = text_facts(window_text, published=published, heading=heading, gazetteer=gazetteer)
    if heading:
        head = text_facts(heading, published=published, gazetteer=gazetteer)
        window = replace(
            window,
            dates=window.dates + head.dates,
            entities=window.entities + head.entities,
            heading_dates=head.dates,
        )
    return sentence, window


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by spaces (dates do not count as shared words)."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


# "an additional 13", "another 2,000", "thousands of additional soldiers", "3,000 more troops": what was added
_ADDED_BEFORE = re.compile(r"\b(?:an?\s+)?(?:additional|another|extra|further)\s+$", re.IGNORECASE)
_ADDED_AFTER = re.compile(r"^\s+(?:of\s+)?(?:additional|more|extra|further)\b", re.IGNORECASE)


def added(text: str, q: Quantity) -> bool:
    """Whether ``q`` counts what was added to something ("an additional 13", "3,000 more troops"): a change."""
    return bool(
        _ADDED_BEFORE.search(text[max(0, q.start - 25) : q.start]) or _ADDED_AFTER.match(text[q.end : q.end + 30])
    )


def _nearest_date(
    q: Quantity, dates: tuple[DateMention, ...], clause: tuple[int, int], text: str = ""
) -> DateMention | None:
    """The date a figure is given for: a date right after it ("reaching 21 percent in August 2023", "2,500
    troops in Iraq as of March 2023"), else the nearest date before it in its clause, else before it in the
    sentence ("By January 2021, ... 2,500 troops"). A date further after the figure usually belongs to
    something else ("900 ... the coalition formed in 2014")."""
    after = [d for d in dates if d.start >= q.end and _DATE_RIGHT_AFTER.fullmatch(text[q.end : d.start])]
    if after:
        return min(after, key=lambda d: d.start)
    before = [d for d in dates if d.end <= q.start]
    in_clause = [d for d in before if clause[0] <= d.start < clause[1]]
    pool = in_clause or before
    return max(pool, key=lambda d: d.start) if pool else None


def _owner(text: str, q: Quantity, entities: tuple[Entity, ...], clause: tuple[int, int]) -> str | None:
    """The country whose troops, money or people a figure counts: a demonym in the counted noun
    phrase ("American troops") or the subject before the figure ("Spain has 400 troops")."""
    unit_at = text.find(q.unit_text, q.end) if q.unit_text else -1
    if 0 <= unit_at - q.end < 30:
        for e in entities:
            if e.kind == "country" and q.end <= e.start and e.end <= unit_at + len(q.unit_text):
                return e.key
    # "the number of American forces in Iraq was still approximately 2,500 soldiers"
    for e in sorted(entities, key=lambda e: -e.start):
        countable = q.unit not in ("usd", "eur", "gbp", "share") and e.kind == "country"
        near = clause[0] <= e.start and e.end <= q.start and q.start - e.end < 60
        if countable and near and _FORCES_AFTER.match(text, e.end):
            return e.key
    subjects = [
        e
        for e in entities
        if e.kind in ("country", "org", "group")
        and e.end <= q.start
        and not _LOCATIVE.search(text[max(0, e.start - 40) : e.start])
        and text[e.end : e.end + 2] not in ("'s", "’s")
        and not text[e.end : e.end + 1].isalpha()
        and _SUBJECT_VERB.match(text, e.end)
    ]
    return subjects[-1].key if subjects else None  # the nearest country acting as a subject


_FORCES_AFTER = re.compile(
    r"\.?\s+(?:military\s+|armed\s+|combat\s+)?(?:troops|forces|soldiers|personnel|service members)\b"
)
# "reduced its presence to 2,500 troops", "leaving about 3,000": after these a figure is a level, not a change.
HEDGES_BEFORE = (
    r"(?:about|around|roughly|approximately|some|nearly|almost|just|only|over|under|"
    r"more than|fewer than|less than|at least|at most)?"
)
_LEVEL_BEFORE = re.compile(rf"\b(?:to|at|from|of|leaving(?:\s+behind)?)\s+{HEDGES_BEFORE}\s*$", re.I)
# "BAGHDAD, Sept 6 (Reuters) -": the date a report was filed, not a date of its events.
_DATELINE = re.compile(r"\s*\([A-Z][\w .&-]{1,40}\)\s*[-–—]")
_SINCE = re.compile(r"\bsince\b[^,;]*$", re.I)


def _since_clauses(text: str, dates: list[DateMention]) -> list[DateMention]:
    """ "lost its territory since it swept Iraq in 2014": a date inside a since-clause marks a start."""
    from dataclasses import replace

    out = []
    for d in dates:
        if d.relation == "on" and _SINCE.search(text[max(0, d.start - 60) : d.start]):
            d = replace(d, relation="since")
        out.append(d)
    return out


_FOCUS_BREAK = re.compile(r"[,;:]\s+|\s+(?:that|while|as|because|after|before)\s+")
FOCUS_MIN_WORDS = 16


def focus_text(claim: str) -> str | None:
    """The part of a long, draft-style claim that carries its checkable facts.

    "With campaigning season approaching and militia violence still a worry for planners,
    Reuters noted that Iraq's next parliamentary elections are scheduled for October 2026"
    -> "Iraq's next parliamentary elections are scheduled for October 2026". None when the
    claim is short, has no number or date, or the facts fill most of it."""
    if len(claim.split()) < FOCUS_MIN_WORDS:
        return None
    spans = [(d.start, d.end) for d in extract_dates(claim)] + [(q.start, q.end) for q in extract_quantities(claim)]
    if not spans:
        return None
    cuts = [0] + [m.end() for m in _FOCUS_BREAK.finditer(claim)] + [len(claim) + 1]
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
    keep = [(a, b) for a, b in pieces if any(a <= s < b for s, _ in spans)]
    if not keep:
        return None
    text = claim[keep[0][0] : keep[-1][1]].strip(" ,;:")
    if len(text.split()) < 4 or len(text) > 0.7 * len(claim):
        return None
    return text
