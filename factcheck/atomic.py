"""Compound claims: checked part by part, then one verdict from the parts.

``plan`` turns each claim into the queries the judge answers (one per atomic part, see
``factcheck.decompose``); ``assemble`` turns their verdicts back into one verdict per claim, the
worst of its parts (contradicted > disputed > unverified > supported), with a reason that names
the part that decided. A claim that makes a single claim is one query, judged as before.

An attribution to an outlet that is one of the sources ("according to Reuters", "reported by
Reuters in May 2023") is checked against that outlet's articles only, and its time against their
publication dates; an attribution to a person is checked as written (a passage must name them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from factcheck.decompose import Part, decompose
from factcheck.records import PartVerdict, SourceInfo, Verdict

if TYPE_CHECKING:
    from factcheck.api import ClaimCase
    from factcheck.embed import Encoder
    from factcheck.index.snapshot import Snapshot

SEVERITY = {"contradicted": 0, "disputed": 1, "unverified": 2, "supported": 3}
DATE_SLACK = timedelta(days=15)


@dataclass(frozen=True)
class Query:
    """One text the judge answers: a whole claim, or one part of a compound claim."""

    claim: int  # index of the claim it belongs to
    text: str
    part: Part | None = None
    restrict: frozenset[str] | None = None
    outlet: str = ""  # an attribution checked against this outlet's articles


def plan(
    claims: Sequence[str],
    restrict: Sequence[frozenset[str] | None] | None,
    sources: Mapping[str, SourceInfo],
    *,
    split: bool = True,
) -> list[Query]:
    """The judge's queries for ``claims``, in order (several per compound claim)."""
    queries: list[Query] = []
    for i, claim in enumerate(claims):
        only = restrict[i] if restrict else None
        parts = checkworthy(decompose(claim)) if split else ()
        if len(parts) <= 1:
            text = parts[0].text if parts and parts[0].kind != "whole" else claim
            if text == claim.rstrip().rstrip(".!?;"):  # the part is the whole claim: query it as written
                text = claim
            queries.append(Query(i, text, None, only))
            continue
        for part in parts:
            queries.append(_query(i, claim, part, only, sources, parts))
    return queries


def gather_parts(
    snapshot: Snapshot,
    encoder: Encoder,
    claims: Sequence[str],
    *,
    as_of: Sequence[date | None] | None = None,
    restrict: Sequence[frozenset[str] | None] | None = None,
    split: bool = True,
    top_k: int | None = None,
) -> tuple[list[Query], list[ClaimCase]]:
    """The judge's queries for ``claims`` (a compound claim's parts, with ``split``) and each one's case (for
    ``check``, and for whoever judges them several ways: the accuracy benchmark, calibration); ``assemble``
    takes the verdicts of the cases back to the claims."""
    from factcheck.api import DEFAULT_TOP_K, gather_on

    queries = plan(claims, restrict, snapshot.store.sources(), split=split)
    whens = [as_of[q.claim] for q in queries] if as_of else None
    only = [q.restrict for q in queries] if any(q.restrict is not None for q in queries) else None
    texts = [q.text for q in queries]
    return queries, gather_on(snapshot, encoder, texts, as_of=whens, restrict=only, top_k=top_k or DEFAULT_TOP_K)


def checkworthy(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """The parts that state something checkable ("…, and that is a scandal": not the opinion), all
    of them when none does."""
    from factcheck.draft import checkworthiness

    if len(parts) <= 1:
        return parts
    kept = tuple(p for p in parts if p.kind == "attribution" or checkworthiness(p.text)[0])
    return kept or parts


def _query(
    i: int,
    claim: str,
    part: Part,
    only: frozenset[str] | None,
    sources: Mapping[str, SourceInfo],
    parts: Sequence[Part],
) -> Query:
    if part.kind != "attribution":
        return Query(i, part.text, part, only)
    outlet = _outlet(part.speaker, sources)
    if not outlet:
        return Query(i, part.text, part, only)
    ids = frozenset(sid for sid, info in sources.items() if info.publisher.casefold() == outlet.casefold())
    if only is not None:
        ids &= only
    content = next((p.text for p in parts if p.kind == "content"), claim)
    return Query(i, content, part, ids, outlet)


def _outlet(speaker: str, sources: Mapping[str, SourceInfo]) -> str:
    """The publisher of some source that ``speaker`` names ("Reuters", "NBC News"), else ""."""
    who = speaker.casefold().removeprefix("the ").strip()
    for info in sources.values():
        if info.publisher and info.publisher.casefold() == who:
            return info.publisher
    return ""


def assemble(
    claims: Sequence[str],
    queries: Sequence[Query],
    verdicts: Sequence[Verdict],
    sources: Mapping[str, SourceInfo],
) -> list[Verdict]:
    """One verdict per claim from the verdicts of its queries."""
    grouped: list[list[tuple[Query, Verdict]]] = [[] for _ in claims]
    for q, v in zip(queries, verdicts, strict=True):
        grouped[q.claim].append((q, v))
    out = []
    for claim, answered in zip(claims, grouped, strict=True):
        if len(answered) == 1 and answered[0][0].part is None:
            out.append(replace(answered[0][1], claim=claim))
            continue
        parts = []
        for k, (q, v) in enumerate(answered, 1):
            assert q.part is not None
            if q.outlet:
                v = _attributed(q, v, sources)
            p = q.part
            v = replace(v, claim=q.text)
            parts.append(PartVerdict(k, q.text, p.quoted(claim), p.kind, p.start, p.end, p.spans, v))
        out.append(combine_parts(claim, parts))
    return out


def _attributed(q: Query, v: Verdict, sources: Mapping[str, SourceInfo]) -> Verdict:
    """An attribution to an outlet: what it says is checked on its articles, its time on their dates."""
    assert q.part is not None
    if v.verdict == "unverified":
        return replace(v, reason=f"{q.outlet} does not state it ({v.reason})")
    if v.verdict != "supported" or not q.part.when:
        return v
    from factcheck.extract.dates import extract_dates

    said = extract_dates(q.part.when)
    if not said:
        return v
    low, high = min(d.low for d in said) - DATE_SLACK, max(d.high for d in said) + DATE_SLACK
    dates = sorted({e.source.published for e in v.evidence if e.stance == "supports" and e.source.published})
    if not dates or any(low <= d <= high for d in dates):
        return v
    when = ", ".join(d.isoformat() for d in dates)
    return replace(
        v,
        verdict="contradicted",
        reason=f"{q.outlet} published it on {when}, not {q.part.when}",
        aspect="date",
    )


def combine_parts(claim: str, parts: Sequence[PartVerdict]) -> Verdict:
    """The claim's verdict: the worst of its parts; the reason names the part that decided.

    A claim whose parts are partly supported and partly unstated is ``unverified`` and says which
    part no source states."""
    deciding = min(parts, key=lambda p: (SEVERITY[p.verdict.verdict], -p.verdict.confidence, p.index))
    verdict = deciding.verdict.verdict
    n = len(parts)
    head = f"part {deciding.index} of {n}, ‘{deciding.quoted}’"
    supported = [p for p in parts if p.verdict.verdict == "supported"]
    if verdict == "supported":
        reason = f"all {n} parts supported; {head}: {deciding.verdict.reason}"
    elif verdict == "unverified" and supported:
        unstated = [p for p in parts if p.verdict.verdict == "unverified"]
        which = ", ".join(f"part {p.index} ‘{p.quoted}’" for p in unstated)
        reason = f"partly supported: no source states {which}; " + ", ".join(
            f"part {p.index} supported" for p in supported
        )
    else:
        reason = f"{head}: {verdict}: {deciding.verdict.reason}"
    # the deciding part's best passages first, then each other part's best, then the rest
    others = [p.verdict.evidence for p in parts if p is not deciding]
    ranked = [*deciding.verdict.evidence[:2], *(e[0] for e in others if e)]
    ranked += [*deciding.verdict.evidence[2:], *(x for e in others for x in e[1:])]
    evidence = []
    seen = set()
    for e in ranked:
        if (e.passage.doc_id, e.passage.ordinal) not in seen:
            seen.add((e.passage.doc_id, e.passage.ordinal))
            evidence.append(e)
    return Verdict(
        claim=claim,
        verdict=verdict,
        confidence=deciding.verdict.confidence,
        reason=reason,
        evidence=tuple(evidence[: max(len(deciding.verdict.evidence), 8)]),
        aspect=deciding.verdict.aspect,
        similarity=max(p.verdict.similarity for p in parts),
        parts=tuple(parts),
    )
