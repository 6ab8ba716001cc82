"""The stance of one passage towards one claim, decided by comparing facts, not by similarity.

Similarity (the cosine of the embeddings) and word overlap only decide whether a passage
speaks of the same thing as the claim ("aligned"). Whether it supports or contradicts
the claim is decided by its facts: numbers (value, bound, unit, the place they bind to),
dates (at the claim's granularity), actors and places, negation and opposite actions,
and order (ordinals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from factcheck.extract.lexicon import (
    action_word,
    actions,
    main_clause,
    opposed,
    order_flip,
    prefixed_opposite,
    roles,
)
from factcheck.extract.numbers import NOBODY_WORDS
from factcheck.extract.offices import Office, same_office
from factcheck.judge.facts import CHANGE_KEYS, HEDGES_BEFORE, BoundQuantity, Clause, TextFacts, unit_key
from factcheck.records import DateMention, Entity

# Alignment thresholds (cosine of MiniLM embeddings, share of the claim's content words found).
ALIGN_COS = 0.55
ALIGN_COS_WITH_WORDS = 0.35
ALIGN_WORDS = 0.5
SUPPORT_COS = 0.72
SUPPORT_COS_WITH_WORDS = 0.45
SUPPORT_WORDS = 0.55
STRONG_COS = 0.7
SUPPORT_SCORE_NUMBERS = 0.45  # score = 0.7 cosine + 0.3 share of the claim's words
SUPPORT_SCORE_DATES = 0.55

_MIN = date(1, 1, 1)
_MAX = date(9999, 12, 31)
_WIDTH_ORDER = {"day": 1, "month": 31, "season": 92, "year": 366, "range": 366, "decade": 3653}


@dataclass(frozen=True)
class Judgement:
    stance: str  # supports | contradicts | related
    aspect: str  # number | date | actor | office | place | polarity | order | text
    reason: str
    score: float
    span: tuple[date, date] | None  # the time the passage speaks of
    state: bool = False  # decided by a number: a state that changes over time
    values: tuple[str, ...] = field(default_factory=tuple)  # the passage's figures, for reasons
    # the passage's own sentence states every figure and date the claim gives (a claim that gives some), though
    # the rules did not find all else: a model's support of it rests on those facts, not on words alone
    states: bool = False


@dataclass(frozen=True)
class Context:
    """A candidate passage with what surrounds it."""

    sentence: TextFacts
    window: TextFacts  # previous + sentence + next, and the heading
    cosine: float
    published: date | None
    source_label: str  # "Reuters, 2024-09-06"
    # checked against the documents the claim names: their text names its subject once, not in every passage
    grounded: bool = False


# --- small comparisons -------------------------------------------------------------------------


def _span(d: DateMention) -> tuple[date, date]:
    if d.relation in ("by", "until"):
        return _MIN, d.high
    if d.relation == "before":
        return _MIN, d.low - timedelta(days=1)
    if d.relation == "after":
        return min(d.high + timedelta(days=1), _MAX), _MAX
    if d.relation == "since":
        return d.low, _MAX
    return d.low, d.high


def _closed_overlap(a: DateMention, b: DateMention) -> bool:
    return a.low <= b.high and b.low <= a.high


def dates_overlap(a: DateMention, b: DateMention) -> bool:
    (al, ah), (bl, bh) = _span(a), _span(b)
    return al <= bh and bl <= ah


def _width(d: DateMention) -> int:
    return (d.high - d.low).days + 1


def _fmt_date(d: DateMention) -> str:
    return d.text


def quantities_consistent(a: BoundQuantity, b: BoundQuantity) -> bool:
    """Whether two figures agree: one's value lies in the interval the other's wording allows
    ("about 2,500" allows 2,400 but not "about 3,000"); ranges and vague figures ("hundreds", 200-999) agree
    when they overlap."""
    if {"range", "vague"} & {a.q.bound, b.q.bound}:
        return a.q.low <= b.q.high * 1.0001 and b.q.low <= a.q.high * 1.0001

    def within(x: BoundQuantity, y: BoundQuantity) -> bool:
        return y.q.low * 0.9999 <= x.q.value <= y.q.high * 1.0001

    return within(a, b) or within(b, a)


def _unit_words(q: BoundQuantity) -> set[str]:
    from factcheck.extract.lexicon import lemmas

    return {unit_key_word(w) for w in lemmas(q.q.unit_text)} | {unit_key(q.q)}


def unit_key_word(word: str) -> str:
    from factcheck.judge.facts import UNIT_SYNONYMS

    return UNIT_SYNONYMS.get(word, word)


def units_compatible(a: BoundQuantity, b: BoundQuantity) -> bool:
    ua, ub = unit_key(a.q), unit_key(b.q)
    if "share" in (ua, ub) or "usd" in (ua, ub):
        return ua == ub
    if ua and ub:
        return ua == ub or bool((_unit_words(a) & _unit_words(b)) - {""})
    # a bare figure ("shrink from 5,200 to 3,000") counts what its clause names
    if ua and not ub:
        return ua in {unit_key_word(w) for w in b.context}
    if ub and not ua:
        return ub in {unit_key_word(w) for w in a.context}
    return False


def _context_overlap(a: BoundQuantity, b: BoundQuantity) -> int:
    shared = a.context & b.context
    return len(shared - {unit_key(a.q), unit_key(b.q), a.q.unit, b.q.unit})


def comparable(claim: BoundQuantity, other: BoundQuantity, around: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether two numbers count the same thing (unit, place, owner, surrounding words).
    ``around`` holds the entity keys of the passage's neighbourhood."""
    if claim.q.role and not other.q.role:  # a change "from X to Y" is compared with changes
        return False
    if not units_compatible(claim, other):
        return False
    if opposed(claim.actions, other.actions):  # "2,000 withdrawn" does not count "2,500 remaining"
        return False
    if claim.delta != other.delta:  # a change is not a level
        return False
    if claim.delta and not (claim.context & other.context & CHANGE_KEYS or claim.actions & other.actions):
        return False  # two changes, but not the same change: "pull 900 troops out" is not "killed three troops"
    if claim.owner and other.owner and claim.owner != other.owner:  # Spain's troops are not U.S. troops
        return False
    if claim.owner and not other.owner and claim.owner not in other.mentions | around:
        return False
    if claim.place and other.place:
        return claim.place == other.place
    # one side's place not bound to its figure ("troops remain in Iraq"), yet named in the other's sentence,
    # counting the same noun (not "U.S. troops" and "U.S. officials", which share only a modifier)
    same_noun = unit_key(claim.q) == unit_key(other.q) != ""
    if same_noun and claim.owner and claim.owner == other.owner:  # "four Iraqi officials" / "three Iraqi officials"
        return True
    if same_noun and (claim.place or other.place) and (claim.place in other.mentions or other.place in claim.mentions):
        return True
    return _context_overlap(claim, other) >= 1


def _gives_figure(cq: BoundQuantity, quantities: tuple[BoundQuantity, ...]) -> bool:
    """Whether a sentence gives the claim's figure for things of its unit, pinned to no other place, owner or
    time ("five U.S. officials, two ..., and three Iraqi officials" for "three Iraqi officials"): its other
    figures count other things, and do not deny the claim's."""
    return any(
        pq.q.bound != "vague"
        and quantities_consistent(cq, pq)
        and unit_key(cq.q) == unit_key(pq.q) != ""
        and not (cq.place and pq.place and cq.place != pq.place)
        and not (cq.owner and pq.owner and cq.owner != pq.owner)
        and not (cq.when and pq.when and not dates_overlap(cq.when, pq.when))
        and not opposed(cq.actions, pq.actions)
        for pq in quantities
    )


_HEDGES = {"approx": "about ", "more": "more than ", "atleast": "at least ", "less": "fewer than ", "atmost": "up to "}


def describe(q: BoundQuantity) -> str:
    """A figure as an editor reads it: "about 2,500 troops", "$4 billion", "a third"."""
    text = q.q.text
    if q.q.bound == "ordinal" or q.q.unit in ("usd", "eur", "gbp", "share") or text.lower() in NOBODY_WORDS:
        return text
    unit = q.q.unit_text if q.q.unit_text and not q.q.inherited_unit else q.q.unit
    if unit and q.q.value != 1 and not unit.endswith("s") and unit == q.q.unit and unit not in ("personnel",):
        unit += "s"
    hedge = "" if text.lower().startswith(tuple(_HEDGES.values())) else _HEDGES.get(q.q.bound, "")
    return f"{hedge}{text} {unit}".strip()


def _figure(q: BoundQuantity) -> str:
    where = f" in {q.place.title()}" if q.place and len(q.place) > 3 else ""
    return f"{describe(q)}{where}"


# --- the stance --------------------------------------------------------------------------------


def word_share(claim: TextFacts, window: TextFacts) -> float:
    if not claim.lemmas:
        return 0.0
    return len(claim.lemmas & window.lemmas) / len(claim.lemmas)


def judge_passage(claim: TextFacts, ctx: Context, focus: TextFacts | None = None) -> Judgement:
    """Supports, contradicts or related, with the aspect that decided it and a reason.
    ``focus`` is the fact-bearing part of a long claim: shared words count against it too."""
    s, w = ctx.sentence, ctx.window
    words = max(word_share(claim, w), word_share(focus, w) if focus else 0.0)
    cos = ctx.cosine
    aligned = cos >= ALIGN_COS or (cos >= ALIGN_COS_WITH_WORDS and words >= ALIGN_WORDS)
    score = round(0.7 * cos + 0.3 * words, 4)
    valid = _valid_time(s, w, ctx.published)
    fallback = _fallback_time(s, w, ctx.published)
    office = _by_office(claim, s, w, ctx.source_label, score, fallback)
    if office is not None:
        return office
    if not aligned:
        return Judgement("related", "text", "speaks of other things", score, valid)

    # Numbers -------------------------------------------------------------------------------
    around = w.entity_keys()
    q_matched, q_conflict, q_swap = [], [], []
    for cq in claim.quantities:
        reached = reached_figure(claim.text, cq)
        found = [pq for pq in s.quantities if comparable(cq, pq, around) and _roles_fit(cq, pq, reached)]
        # the figure counting the claim's own things first: "three Iraqi officials" for "four Iraqi officials"
        found.sort(key=lambda pq: (bool(cq.owner) and pq.owner != cq.owner, bool(cq.place) and pq.place != cq.place))
        agree = [pq for pq in found if quantities_consistent(cq, pq)]
        # a vague figure ("hundreds") denies a figure outside its range but confirms only a vague one
        good = [pq for pq in agree if pq.q.bound != "vague" or cq.q.bound == "vague"]
        if good:
            q_matched.append((cq, good[0]))
        elif found and not agree and not _gives_figure(cq, s.quantities):
            q_conflict.append((cq, found[0]))
        else:
            swapped = [
                pq
                for pq in s.quantities
                if pq.place
                and pq.place_after
                and cq.place
                and pq.place != cq.place
                and pq.place_kind == cq.place_kind
                and units_compatible(cq, pq)
                and not opposed(cq.actions, pq.actions)
                and quantities_consistent(cq, pq)
                and pq.q.bound != "vague"
            ]
            if swapped:
                q_swap.append((cq, swapped[0]))
    o_matched, o_conflict = [], []
    for co in claim.ordinals:
        found = [po for po in s.ordinals if units_compatible(co, po)]
        if any(po.q.value == co.q.value for po in found):
            o_matched.append(co)
        elif found:
            o_conflict.append((co, found[0]))

    # Dates -----------------------------------------------------------------------------------
    d_covered, d_near, d_conflict = [], [], []
    levels_matched = bool(claim.quantities) and len(q_matched) == len(claim.quantities)
    levels_matched = levels_matched and all(not cq.q.role and not cq.delta for cq, _ in q_matched)
    best_clause = s.closest_clause(claim.lemmas)
    for cd in claim.dates:
        own = s.dates or w.heading_dates  # a heading dates only the sentences without dates of their own
        if any(_closed_overlap(cd, wd) for wd in own):
            d_covered.append(cd)
            continue
        if ctx.published and cd.relation == "on" and _width(cd) > 31 and cd.low <= ctx.published <= cd.high:
            d_covered.append(cd)  # the report itself dates from then ("the 2024 plan")
            continue
        rivals = [
            sd
            for sd in s.dates
            if _width(sd) <= max(_width(cd), 31) * 3 and not dates_overlap(cd, sd) and best_clause.holds(sd)
        ]
        # A source cannot deny what happened after it was published, unless it speaks of
        # that future itself (a plan "until at least September 2026").
        knowable = ctx.published is None or cd.low <= ctx.published
        rivals = [sd for sd in rivals if knowable or _plans_for(sd, cd, ctx.published)]
        # A level the passage gives too ("2,500 troops in Iraq") is a state: the passage's other date says when
        # it held there, not that the claim's date is wrong ("still 2,500 as of March 2023" does not deny July
        # 2021; "from 5,200 to 3,000 in September" does not deny 5,200 in August). The figure's time decides.
        if levels_matched and cd.relation == "on":
            rivals = []
        if rivals:
            d_conflict.append((cd, rivals[0]))
        elif any(_closed_overlap(cd, wd) for wd in w.dates):
            d_near.append(cd)
        elif ctx.published and cd.relation == "on" and cd.low <= ctx.published <= cd.high:
            d_covered.append(cd)  # the report itself dates from then ("the 2024 plan", "currently")

    # Neighbouring sentences may give a date only when the sentence itself gives one too.
    if d_covered and d_near:
        d_covered += d_near
    facts_fit = len(q_matched) == len(claim.quantities) and len(d_covered) == len(claim.dates)
    strong = cos >= STRONG_COS or (cos >= 0.5 and words >= 0.6)
    label = ctx.source_label

    if q_conflict:
        cq, pq = q_conflict[0]
        return _by_number("contradicts", f"says {_figure(cq)}; {label}: {describe(pq)}", cq, pq, score, fallback)
    if o_conflict:
        co, po = o_conflict[0]
        return Judgement("contradicts", "order", f"says {describe(co)}; {label}: {describe(po)}", score, valid)
    if (
        d_conflict
        and not d_covered
        and _actors_present(focus or claim, w)
        and _same_event(focus or claim, s)
        and (claim.quantities == () or q_matched)
        and ((cos >= 0.5 and words >= 0.4) or words >= 0.6)
    ):
        cd, sd = d_conflict[0]
        return Judgement("contradicts", "date", f"says {_fmt_date(cd)}; {label}: {_fmt_date(sd)}", score, valid)
    others_fit = facts_fit and (claim.quantities or claim.dates or strong)
    if q_swap and not q_matched:
        cq, pq = q_swap[0]
        return Judgement(
            "contradicts",
            "place",
            f"says {_figure(cq)}; {label}: {_figure(pq)}",
            score,
            valid,
            False,
            (describe(pq),),
        )
    if others_fit:
        factless = not (claim.quantities or claim.dates)
        # another actor in the same role: the passage must otherwise say what the claim says
        weak = cos < 0.7 and (cos < 0.65 or words < 0.6) if factless else (cos < 0.55 or words < 0.5)
        sub = None if weak else _substitution(claim, s, w, one_to_one=factless) or _role_swap(claim, s, w)
        if sub and sub[0] == "actor" and _ADDITIVE.search(s.text):  # "Iran also intervened": one more actor
            sub = None
        if sub:
            kind, theirs, ours = sub
            return Judgement("contradicts", kind, f"says {ours}; {label}: {theirs}", score, valid)
    # A dateless passage tells how things stand, and what is planned, as of its publication:
    # it may deny a claim about that later time without repeating the claim's dates.
    ahead = bool(claim.dates) and ctx.published is not None and all(d.high > ctx.published for d in claim.dates)
    timeless = ahead and not (s.dates or w.heading_dates) and not d_conflict and len(q_matched) == len(claim.quantities)
    if (
        (facts_fit or timeless or not (claim.quantities or claim.dates))
        and words >= 0.45
        and _entities_covered(claim, w)
    ):
        clause = s.closest_clause(claim.lemmas)
        asserted = main_clause(claim.text)  # "Even after the mission ends, X will keep troops there": keeping
        flip = opposed(claim.actions if asserted == claim.text else actions(asserted), clause.actions)
        if flip and _told_for_other_dates(claim, s, clause):  # "before withdrawing in 2011" for a claim on 2014
            flip = None
        if flip and (claim.quantities or claim.dates or strong or words >= 0.6):
            return Judgement(
                "contradicts",
                "polarity",
                f"says {action_word(claim.text, flip[0])}; {label}: {action_word(s.text, flip[1])}",
                score,
                valid,
            )
        when = order_flip(claim.text, s.text)
        if when and (claim.quantities or claim.dates or strong or words >= 0.6):
            return Judgement("contradicts", "order", f"says {when[0]}; {label}: {when[1]}", score, valid)
        prefixed = prefixed_opposite(claim.text, s.text)
        if prefixed and (strong or words >= 0.6):
            ours, theirs = prefixed
            return Judgement("contradicts", "polarity", f"says {ours}; {label}: {theirs}", score, valid)
        if _negation_differs(claim, s) and (strong or words >= 0.6) and not _told_for_other_dates(claim, s, clause):
            said = "it is not so" if claim.negations % 2 else "it is so"
            theirs = "it is" if claim.negations % 2 else "it is not"
            return Judgement("contradicts", "polarity", f"says {said}; {label} says {theirs}", score, valid)

    # Support ---------------------------------------------------------------------------------
    entities_fit = _entities_covered(claim, w)
    if claim.quantities:  # every figure matched, in its place and context: the facts carry it
        supportive = score >= SUPPORT_SCORE_NUMBERS
    elif claim.dates:
        supportive = score >= SUPPORT_SCORE_DATES and _orgs_covered(claim, w, not ctx.grounded)
    else:
        supportive = (cos >= SUPPORT_COS or (cos >= SUPPORT_COS_WITH_WORDS and words >= SUPPORT_WORDS)) and (
            _orgs_covered(claim, w, not ctx.grounded)
        )
    # a negated claim is supported only by a passage denying the same thing
    denies_too = bool(claim.negated & s.negated) or (bool(s.negated) and cos >= STRONG_COS)
    same_polarity = not _negation_differs(claim, s) and (not claim.negated or denies_too)
    if facts_fit and entities_fit and supportive and same_polarity and len(o_matched) == len(claim.ordinals):
        if q_matched:
            cq, pq = q_matched[0]
            return _by_number("supports", f"{label}: {describe(pq)}", cq, pq, score, _told_for(claim, s) or fallback)
        if d_covered:
            return Judgement("supports", "date", f"{label} gives the same date", score, valid)
        return Judgement("supports", "text", f"{label} says the same", score, valid)
    states = (
        facts_fit
        and bool(claim.quantities or claim.dates)
        and all(any(_closed_overlap(cd, sd) for sd in s.dates) for cd in claim.dates)
    )
    reason = _missing(claim, q_matched, d_covered, entities_fit)
    return Judgement("related", "text", reason, score, valid, states=states)


def _by_office(
    claim: TextFacts, s: TextFacts, w: TextFacts, label: str, score: float, fallback: tuple[date, date] | None
) -> Judgement | None:
    """A claim that someone holds an office now ("X is Iraq's prime minister", "X chairs the authority") against
    who the passage says holds it: a state, as a figure is, so the latest source decides for now. None when the
    passage names no holder of that office or the claim gives a time of its own."""
    if claim.dates:
        return None
    around = " ".join([w.text, *sorted(w.entity_keys())])  # "U.S." is named "united states" there
    for co in claim.offices:
        if co.former and _says_only(claim, co):  # "X is the former defense secretary" is so for good
            gone = [po for po in s.offices if po.former and po.holder == co.holder and same_office(co, po, around)]
            if gone:
                reason = f"{label}: {gone[0].name}, former {co.title}"
                return Judgement("supports", "office", reason, score, fallback, False, (gone[0].name,))
        if not co.asserted or co.former:
            continue
        same = [po for po in s.offices if same_office(co, po, around)]
        mine = [po for po in same if po.holder == co.holder]
        others = [po for po in same if po.holder != co.holder and not po.former]
        if any(not po.former for po in mine):
            po = next(po for po in mine if not po.former)
            reason = f"{label}: {co.name}, {co.title}"
            return Judgement("supports", "office", reason, score, _office_time(s, po, fallback), True, (co.name,))
        if mine:
            reason = f"says {co.name} is {co.title}; {label}: {co.name} left the post"
            valid = _office_time(s, mine[0], fallback)
            return Judgement("contradicts", "office", reason, score, valid, True, (f"{co.name} (former)",))
        if others:
            po = others[0]
            reason = f"says {co.name}; {label}: {po.name}, {co.title}"
            return Judgement("contradicts", "office", reason, score, _office_time(s, po, fallback), True, (po.name,))
        if _says_only(claim, co) and co.holder in s.text.lower():  # named, but not as holder of that office
            return Judgement("related", "office", f"does not say {co.name} is {co.title}", score, fallback)
    return None


def _says_only(claim: TextFacts, office: Office) -> bool:
    """Whether the office mention is all the claim says (its text, give or take the closing stop)."""
    return office.start <= 1 and office.end >= len(claim.text.rstrip(" .")) - 1


def _office_time(s: TextFacts, office: Office, fallback: tuple[date, date] | None) -> tuple[date, date] | None:
    """When a passage says who holds an office: a date next to the mention ("On 26 July 2021, ... Prime Minister
    X"; "was appointed chair on January 9"), else the report's own time. A date elsewhere in the sentence is
    another event's ("chief executive X said the company would spend more next year")."""
    near = [
        d
        for d in s.dates
        if d.relation == "on" and d.start < office.end + 40 and office.start - 40 < d.end and _width(d) <= 366
    ]
    if near:
        d = min(near, key=lambda d: min(abs(d.start - office.end), abs(office.start - d.end)))
        return d.low, d.high
    return fallback


def _by_number(
    stance: str, reason: str, cq: BoundQuantity, pq: BoundQuantity, score: float, fallback: tuple[date, date] | None
) -> Judgement:
    """A stance decided by a figure: a state that holds at the figure's own time, unless the claim's figure
    counts a change ("2,000 troops will be withdrawn"): one event, which a later figure does not outdate."""
    return Judgement(
        stance, "number", reason, score, _q_valid(pq, fallback, shift=not cq.q.role), not cq.delta, (describe(pq),)
    )


def _told_for(claim: TextFacts, sentence: TextFacts) -> tuple[date, date] | None:
    """The span of the claim's dates when the sentence itself gives every one of them ("two phases, ... in
    September 2025 ... until September 2026"): what its figures are told for, not the day of the report."""
    if not claim.dates or not all(any(_closed_overlap(cd, sd) for sd in sentence.dates) for cd in claim.dates):
        return None
    return min(d.low for d in claim.dates), max(d.high for d in claim.dates)


def _plans_for(rival: DateMention, claimed: DateMention, published: date | None) -> bool:
    """Whether a source published before the claimed date still speaks of it: it names a date
    after its own publication (a plan) no more than two years before the claimed one."""
    if published is None:
        return True
    return rival.high > published and claimed.low <= rival.high + timedelta(days=730)


def _told_for_other_dates(claim: TextFacts, sentence: TextFacts, clause: Clause) -> bool:
    """Whether the claim gives dates and the passage's clause gives its own, none of them overlapping the claim's:
    what the clause says happened then, not when the claim speaks of."""
    theirs = [d for d in sentence.dates if clause.start <= d.start < clause.end]
    return bool(claim.dates and theirs) and not any(_closed_overlap(cd, d) for cd in claim.dates for d in theirs)


def _negation_differs(claim: TextFacts, sentence: TextFacts) -> bool:
    """Whether one side negates what the other asserts: the claim denies a word the passage
    states plainly ("did not retaliate" vs "several rounds of U.S. retaliation"), or the
    passage denies a word of the claim. Both denying the same thing is the same polarity ("has not reached an
    agreement" / "no agreement has been reached")."""
    if claim.negated & sentence.negated:
        return False
    if claim.negated & (sentence.lemmas - sentence.negated):
        return True
    return bool(sentence.negated & (claim.lemmas - claim.negated))


def _roles_fit(cq: BoundQuantity, pq: BoundQuantity, reached: bool = False) -> bool:
    """A "from" figure is compared with a "from" one, a "to" with a "to"; a lone figure the claim reaches
    (``reached``: "shrink its contingent to 3,000") is where a change ends, not where it began ("from 5,200 to
    3,500")."""
    if cq.q.role and pq.q.role:
        return cq.q.role == pq.q.role
    return not (pq.q.role == "from" and reached)


_TARGET_BEFORE = re.compile(rf"\b(?:to|leaving(?:\s+behind)?)\s+{HEDGES_BEFORE}\s*$", re.I)


def reached_figure(text: str, cq: BoundQuantity) -> bool:
    """Whether ``text`` gives ``cq`` as where something ends up ("to about 3,000", "leaving 3,000")."""
    return bool(_TARGET_BEFORE.search(text[max(0, cq.q.start - 30) : cq.q.start]))


def _entities_covered(claim: TextFacts, window: TextFacts) -> bool:
    have = window.entity_keys()
    needed = claim.entity_keys("person", "place", "country")
    return all(k in have or _fuzzy_in(k, have) for k in needed)


def _same_event(claim: TextFacts, sentence: TextFacts) -> bool:
    """Whether the passage says what happened in words of the claim, not only who: another date for the same
    actors is another event's date unless some word of the claim other than a name is in the passage ("the
    commander of Central Command said Wednesday" does not date a ruling-out)."""
    return any(not k.startswith("@") for k in claim.lemmas & sentence.lemmas)


def _actors_present(claim: TextFacts, window: TextFacts) -> bool:
    """The claim's people, places and countries are named around the passage, and at least one
    of its organisations if it names any: the passage speaks of the same event."""
    orgs = claim.entity_keys("org", "group")
    return _entities_covered(claim, window) and (not orgs or bool(orgs & window.entity_keys()))


def _orgs_covered(claim: TextFacts, window: TextFacts, names: bool = True) -> bool:
    """Whether the window names the claim's organisations and groups, and (``names``) its other names."""
    have = window.entity_keys()
    return all(k in have for k in claim.entity_keys("org", "group")) and (not names or _names_covered(claim, window))


def _names_covered(claim: TextFacts, window: TextFacts) -> bool:
    """Whether every name of several words the claim gives without a kind ("Pau Serra") has a word of it in the
    window ("Serra", "Christopher C. Miller" for "Chris Miller")."""
    said = set(re.findall(r"[a-z0-9']+", window.text.lower()))
    for key in claim.entity_keys("other"):
        words = [w for w in re.findall(r"[a-z0-9']+", key) if len(w) >= 4]
        if len(key.split()) >= 2 and words and not any(w in said for w in words):
            return False
    return True


def _fuzzy_in(key: str, keys: set[str]) -> bool:
    return any(len(key) > 4 and _edit1(key, k) for k in keys)


def _nested_in(key: str, keys: set[str]) -> bool:
    """Whether a place name is part of another ("Riverside" in "Riverside Park"): one place inside the other, or
    the same place named shorter, never a swap."""
    words = set(key.split())
    return any(words < set(k.split()) or set(k.split()) < words for k in keys)


def _edit1(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _substitution(
    claim: TextFacts, sentence: TextFacts, window: TextFacts, *, one_to_one: bool = False
) -> tuple[str, str, str] | None:
    """Another person, country or place in the role the claim gives to its own. Without a
    number or date to pin the fact down, only a one-for-one swap counts."""
    window_keys = window.entity_keys()
    claim_keys = claim.entity_keys()
    for kind, aspect, scope in (
        ("person", "actor", window),
        ("country", "actor", sentence),
        ("place", "place", sentence),
    ):
        ours = [
            e
            for e in claim.entities
            if e.kind == kind
            and not (kind == "country" and _locates(e, claim, scope.entity_keys()))
            and e.key not in scope.entity_keys()
            and not _fuzzy_in(e.key, scope.entity_keys())
            and not (kind == "place" and _nested_in(e.key, scope.entity_keys()))
        ]
        if kind == "person":
            ours = [e for e in ours if e.key not in window_keys and not _fuzzy_in(e.key, window_keys)]
        # another person in the passage's own sentence: one named only around it may be another event's
        # ("... months after Biden said it would end" against a next sentence quoting a general)
        theirs = [
            e
            for e in sentence.entities
            if e.kind == kind and e.key not in claim_keys and not (kind == "place" and _nested_in(e.key, claim_keys))
        ]
        if kind == "country":  # where (after "in") is not set against whose ("Iraq" / "the U.S. mission")
            pairs = [(o, t) for o in ours for t in theirs if _located(o, claim.text) == _located(t, sentence.text)]
            ours, theirs = [o for o, _ in pairs], [t for _, t in pairs]
        if one_to_one and (len({e.key for e in ours}) != 1 or len({e.key for e in theirs}) != 1):
            continue
        if ours and theirs:
            return aspect, theirs[0].text, ours[0].text
    return None


# What lies between a place and the country after it that says where it is ("Erbil, Iraq", "the Kurdistan region
# of Iraq", "Mosul in Iraq")
_PLACE_THEN_COUNTRY = re.compile(
    r"(?:\s+(?:region|province|governorate|district|city|state|area))?(?:,\s*|\s+(?:of|in)\s+)"
)


# "Iran also intervened", "Spain did so too", "as well": the passage's actor did it besides others
_ADDITIVE = re.compile(r"\b(?:also|too|as well|likewise|similarly)\b", re.IGNORECASE)


def _locates(country: Entity, text: TextFacts, named: set[str]) -> bool:
    """Whether ``country`` says where a place of ``text`` is that is among ``named`` ("Iraq's Kurdistan region",
    "Kurdistan, Iraq"), rather than who acts."""
    for place in text.entities:
        if place.kind != "place" or place.key not in named:
            continue
        if country.end <= place.start and re.fullmatch(r"(?:['’]s)?\s*", text.text[country.end : place.start]):
            return True
        if place.end <= country.start and _PLACE_THEN_COUNTRY.fullmatch(text.text[place.end : country.start]):
            return True
    return False


_LOCATIVE_BEFORE = re.compile(r"\b(?:in|into|from|to|out of|across|inside|within|throughout)\s+(?:the\s+)?$", re.I)


def _located(entity: Entity, text: str) -> bool:
    """Whether ``text`` names ``entity`` as a place where something is or goes ("in Iraq", "from Iraq")."""
    return bool(_LOCATIVE_BEFORE.search(text[max(0, entity.start - 20) : entity.start]))


def _role_swap(claim: TextFacts, sentence: TextFacts, window: TextFacts) -> tuple[str, str, str] | None:
    """Another kind of person in the claim's place ("a doctor" / "a nurse"), one for one: the claim's is named
    nowhere around the passage, the passage's nowhere in the claim."""
    mine, around, said = roles(claim.text), roles(window.text), roles(sentence.text)
    ours = [word for group, word in mine.items() if group not in around]
    theirs = [word for group, word in said.items() if group not in mine]
    if len(ours) == 1 and len(theirs) == 1:
        return "actor", theirs[0], ours[0]
    return None


def _missing(claim: TextFacts, q_matched: list[object], d_covered: list[object], entities_fit: bool) -> str:
    if len(q_matched) < len(claim.quantities):
        return "does not give the claim's figure"
    if len(d_covered) < len(claim.dates):
        return "does not give the claim's date"
    if not entities_fit:
        return "does not name the claim's actors or places"
    return "on the same subject, but does not state the claim"


def _fallback_time(sentence: TextFacts, window: TextFacts, published: date | None) -> tuple[date, date] | None:
    """When a passage's figure holds if no date is attached to it: the section heading's
    period for a sentence with no date of its own, else the publication date."""
    if not sentence.dates and window.heading_dates:
        return min(d.low for d in window.heading_dates), max(d.high for d in window.heading_dates)
    return (published, published) if published else None


def _valid_time(sentence: TextFacts, window: TextFacts, published: date | None) -> tuple[date, date] | None:
    """The time a passage speaks of: its own explicit dates, else its heading's, else publication."""
    own = [d for d in sentence.dates if d.granularity in ("day", "month", "season", "year") and d.relation == "on"]
    if own:
        return min(d.low for d in own), max(d.high for d in own)
    return _fallback_time(sentence, window, published)


def _q_valid(pq: BoundQuantity, default: tuple[date, date] | None, *, shift: bool = True) -> tuple[date, date] | None:
    """When a figure holds: the date given before it, else the default; a "from" value held
    just before that."""
    if pq.when is not None and pq.when.relation in ("on", "by", "since") and pq.when.granularity != "decade":
        span = (pq.when.low, pq.when.high)
    else:
        span = default
    if span is not None and pq.q.role == "from" and shift:
        before = span[0] - timedelta(days=1)
        span = (before, before)
    return span
