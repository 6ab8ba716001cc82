"""Passage stances -> one verdict with a confidence and a reason, taking time into account.

Numbers describe states that change (5,200 troops in 2020, 2,500 in 2024). A claim with no
time of its own is judged against the latest passages that give the figure; a claim with a
time (a date in it, or ``as_of``) against the passages valid then. When sources valid for
the same time disagree, the verdict is ``disputed`` and both sides are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import zip_longest

from factcheck.judge.stance import Judgement
from factcheck.records import Candidate, DateMention, Evidence, Verdict

EXACT = frozenset({"number", "date", "order"})  # aspects the fact rules decide exactly
CURRENT_WINDOW = timedelta(days=120)  # passages this close to the latest one count as current
MAX_EVIDENCE = 8
# Support and contradiction from different sources make a dispute when neither is much
# weaker than the other (scores are 0.7 cosine + 0.3 shared words).
DISPUTE_MIN = 0.45
DISPUTE_GAP = 0.35


@dataclass(frozen=True)
class Judged:
    candidate: Candidate
    judgement: Judgement

    @property
    def stance(self) -> str:
        return self.judgement.stance

    @property
    def valid(self) -> date | None:
        """The latest time the passage speaks of."""
        return self.judgement.span[1] if self.judgement.span else None

    @property
    def source(self) -> str:
        return self.candidate.source.id


def label(c: Candidate) -> str:
    who = c.source.publisher or c.source.title or c.source.id
    return f"{who}, {c.source.published.isoformat()}" if c.source.published else who


def claim_dates(dates: Sequence[DateMention]) -> tuple[date, date] | None:
    """The span of the dates a claim gives itself ("on 9 September 2020"), None when it gives none."""
    on = [d for d in dates if d.relation == "on"]
    return (min(d.low for d in on), max(d.high for d in on)) if on else None


def claim_window(dates: Sequence[DateMention], as_of: date | None) -> tuple[date, date] | None:
    """The time a claim speaks of, widened to its granularity; None for "now"."""
    own = claim_dates(dates)
    if own:
        low, high = own
        slack = timedelta(days=15 if (high - low).days < 2 else 0)
        return low - slack, high + slack
    if as_of is not None:
        return as_of - timedelta(days=31), as_of + timedelta(days=31)
    return None


def _in_window(j: Judged, window: tuple[date, date]) -> bool:
    span = j.judgement.span
    return span is not None and span[0] <= window[1] and window[0] <= span[1]


def _decide_state(
    items: list[Judged],
    window: tuple[date, date] | None,
    *,
    past: bool = False,
    core: tuple[date, date] | None = None,
) -> tuple[list[Judged], list[Judged], str]:
    """Current supports and contradictions among number-decided passages, and a time note."""
    dated = [j for j in items if j.valid is not None]
    if past and window is None:  # "announced the reduction to 3,000": true once is enough
        supports = [j for j in items if j.stance == "supports"]
        return (supports, [], "") if supports else ([], items, "")
    if window is not None:
        chosen = [j for j in items if j.valid is None or _in_window(j, window)]
        # the figures given for the claim's own day (or month) speak for it, before those of the days around it
        exact = [j for j in chosen if j.valid is not None and _in_window(j, core)] if core else []
        if exact:
            chosen = exact + [j for j in chosen if j.valid is None]
        note = ""
    elif dated:
        latest = max(j.valid for j in dated if j.valid is not None)
        chosen = [j for j in dated if j.valid is not None and j.valid >= latest - CURRENT_WINDOW]
        older = [j for j in dated if j not in chosen and j.stance == "supports"]
        note = ""
        if older and all(j.stance == "contradicts" for j in chosen):
            last = max(older, key=lambda j: j.valid or date.min)
            figure = last.judgement.values[0] if last.judgement.values else "the claim's figure"
            when = last.valid.isoformat() if last.valid else "?"
            note = f"; {figure} was last reported as of {when} ({label(last.candidate)})"
    else:
        chosen, note = items, ""
    return (
        [j for j in chosen if j.stance == "supports"],
        [j for j in chosen if j.stance == "contradicts"],
        note,
    )


def aggregate(
    claim: str,
    judged: Sequence[Judged],
    *,
    dates: Sequence[DateMention] = (),
    as_of: date | None = None,
    past: bool = False,
    exact: bool = False,
) -> Verdict:
    """The claim's verdict from its passages' stances. ``exact``: the claim states figures, dates or ranks;
    then a support that matches none of them (the stance model's reading of the words) does not outweigh
    a passage that gives another figure, date or rank for the same fact."""
    # as_of is when the claim was made: "now" for a state; a claim told in the past with no date of its own
    # speaks of some time before then, which a later report of it confirms
    window = claim_window(dates, None if past and not claim_dates(dates) else as_of)
    state = [j for j in judged if j.judgement.state and j.stance != "related"]
    other = [j for j in judged if not j.judgement.state and j.stance != "related"]
    note = ""
    if state:
        sup, con, note = _decide_state(state, window, past=past, core=claim_dates(dates))
    else:
        sup, con = [], []
    offices = [j for j in state if j.judgement.aspect == "office" and j.judgement.span]
    if offices and window is None and not past:
        # Who holds an office now is decided by the passages that name its holder, the latest first: older
        # passages speak of another time, and the model's reading of the words does not name a holder.
        newest = max(j.judgement.span[1] for j in offices if j.judgement.span)
        other = [
            j
            for j in other
            if (j.valid is None or j.valid >= newest - CURRENT_WINDOW)
            and not (j.stance == "supports" and j.judgement.aspect == "text")
        ]
    if window is not None:
        # a figure (a count here, the same count in another place) holds at its own time, as states do
        other = [j for j in other if j.valid is None or _in_window(j, window) or not j.judgement.values]
    sup += [j for j in other if j.stance == "supports"]
    con += [j for j in other if j.stance == "contradicts"]

    if (
        exact
        and any(j.judgement.aspect in EXACT for j in con)
        and all(j.judgement.aspect == "text" and not j.judgement.states for j in sup)
    ):
        sup = []
    best_sup = max((j.judgement.score for j in sup), default=0.0)
    best_con = max((j.judgement.score for j in con), default=0.0)
    if sup and con and all(j.judgement.aspect == "date" for j in con) and any(_on_facts(j) for j in sup):
        # Events recur: another date for a similar event is no dispute; the closer passage wins.
        if best_sup >= best_con:
            con = []
        else:
            sup = []
    if sup and con:
        different = {j.source for j in sup} != {j.source for j in con}
        if different and min(best_sup, best_con) >= DISPUTE_MIN and abs(best_sup - best_con) < DISPUTE_GAP:
            verdict = "disputed"
        elif best_con >= best_sup - 0.05:
            verdict = "contradicted"
        else:
            verdict = "supported"
    elif con:
        verdict = "contradicted"
    elif sup:
        verdict = "supported"
    else:
        verdict = "unverified"

    decisive = {"supported": sup, "contradicted": con, "disputed": sup + con}.get(verdict, [])
    if verdict == "disputed":  # both sides, alternately, best first
        sides = [diversified(sorted(side, key=lambda j: -j.judgement.score)) for side in (sup, con)]
        ordered = [j for pair in zip_longest(*sides) for j in pair if j is not None]
    else:
        ordered = diversified(sorted(decisive, key=lambda j: -j.judgement.score))
    ordered += sorted(
        (j for j in judged if j not in decisive), key=lambda j: (j.stance == "related", -j.judgement.score)
    )
    evidence = tuple(_evidence(j, verdict) for j in ordered[:MAX_EVIDENCE])
    sources = len({j.source for j in decisive})
    if verdict == "supported":
        confidence = 0.55 + 0.35 * best_sup + 0.05 * (sources - 1)
        reason = (
            f"{len(sup)} passage{'s' if len(sup) > 1 else ''} from {sources} source{'s' if sources > 1 else ''} "
            f"{'agree' if len(sup) > 1 else 'agrees'}; "
        )
        reason += ordered[0].judgement.reason
    elif verdict == "contradicted":
        confidence = 0.55 + 0.35 * best_con + 0.05 * (sources - 1)
        if window is None and any(j.judgement.state for j in con):  # the latest figure speaks for now
            best = max(con, key=lambda j: (j.judgement.state, j.valid or date.min, j.judgement.score))
        else:
            best = max(con, key=lambda j: j.judgement.score)
        reason = best.judgement.reason + note
    elif verdict == "disputed":
        confidence = 0.45 + 0.3 * min(best_sup, best_con)
        s = max(sup, key=lambda j: j.judgement.score)
        c = max(con, key=lambda j: j.judgement.score)
        reason = f"sources disagree: {label(s.candidate)} supports it; {c.judgement.reason}"
    else:
        top = max((j.judgement.score for j in judged), default=0.0)
        confidence = max(0.3, 0.9 - 0.5 * top)
        reason = "no source states it" + (f" ({ordered[0].judgement.reason})" if ordered else "")
    aspect = ""
    if verdict in ("contradicted", "disputed") and con:
        best = max(con, key=lambda j: j.judgement.score)
        aspect = "time" if (best.judgement.state and note) else best.judgement.aspect
    elif ordered and verdict == "supported":
        aspect = ordered[0].judgement.aspect
    return Verdict(claim, verdict, round(min(confidence, 0.99), 3), reason, evidence, aspect)


def _on_facts(j: Judged) -> bool:
    """A support that rests on the claim's figures or dates: the rules' own, or the model's reading of a
    sentence that states them all."""
    return j.judgement.aspect in ("date", "number") or j.judgement.states


def diversified(items: list[Judged]) -> list[Judged]:
    """The best passage of each source first (in score order), then the rest."""
    seen: set[str] = set()
    first, rest = [], []
    for j in items:
        (rest if j.source in seen else first).append(j)
        seen.add(j.source)
    return first + rest


def _evidence(j: Judged, verdict: str) -> Evidence:
    c = j.candidate
    return Evidence(
        passage=c.passage,
        source=c.source,
        stance=j.stance,
        score=round(j.judgement.score, 4),
        reason=j.judgement.reason,
        aspect=j.judgement.aspect,
        valid=j.valid,
    )
