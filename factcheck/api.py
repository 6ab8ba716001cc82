"""The library API behind the CLI: build an index, check claims.

from factcheck import check
verdicts = check(["About 2,500 U.S. troops remain in Iraq."])
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import IndexStateError, InputError
from factcheck.records import Candidate, Verdict

if TYPE_CHECKING:
    from factcheck.embed import Encoder
    from factcheck.index.build import BuildReport, Progress
    from factcheck.index.snapshot import Snapshot
    from factcheck.judge.facts import TextFacts

MAX_CLAIM_CHARS = 2000
DEFAULT_TOP_K = 8
CANDIDATES = 20


def clean_claim(text: str) -> str:
    """A claim as checked: white space collapsed; empty or oversized claims are refused."""
    claim = re.sub(r"\s+", " ", text).strip()
    if not claim:
        raise InputError("empty claim: give the sentence to check")
    if len(claim) > MAX_CLAIM_CHARS:
        raise InputError(f"claim is {len(claim):,} characters long; the limit is {MAX_CLAIM_CHARS:,} (one sentence)")
    return claim


def build_index(
    sources: Path | str = Path("sources"),
    index: Path | str = Path("index"),
    *,
    rebuild: bool = False,
    encoder: Encoder | None = None,
    lock_timeout: float = -1,
    progress: Progress | None = None,
) -> BuildReport:
    """Build or refresh the index of ``sources`` in ``index`` (only changed documents are embedded)."""
    from factcheck.index.build import build_index as _build

    return _build(
        Path(sources), Path(index), encoder=encoder, rebuild=rebuild, lock_timeout=lock_timeout, progress=progress
    )


def open_index(
    sources: Path | str, index: Path | str, *, refresh: bool = True, encoder: Encoder | None = None
) -> tuple[Snapshot, BuildReport | None]:
    """The live index, built or refreshed first when it is missing or stale (and ``refresh``).

    A damaged or foreign index (other model, format or build) is never rebuilt silently here:
    it raises IndexStateError with the repair hint, and ``factcheck index --rebuild`` repairs it."""
    sources, index = Path(sources), Path(index)
    from factcheck.index.build import IndexReadOnlyError, is_stale
    from factcheck.index.build import build_index as _build
    from factcheck.index.snapshot import open_snapshot, read_pointer

    def opened() -> Snapshot:
        snap = open_snapshot(index)
        if encoder is not None and snap.manifest.model_id != encoder.id:
            snap.close()
            raise IndexStateError(
                f"index {index} was built with {snap.manifest.model_id}, not {encoder.id}; "
                "run `factcheck index --rebuild` to rebuild it"
            )
        return snap

    report = None
    if refresh:
        if index.exists() and not index.is_dir():
            raise IndexStateError(f"index path is not a folder: {index}")
        if read_pointer(index) is None:
            report = _build(sources, index, encoder=encoder)
        else:
            snap = opened()  # validated before a refresh may build on it
            try:
                stale = is_stale(snap, sources)
            finally:
                snap.close()
            if stale:
                try:
                    report = _build(sources, index, encoder=encoder)
                except IndexReadOnlyError as exc:  # only a refresh was needed: answer from what is there
                    from factcheck.ingest import SourceWarning

                    warnings.warn(
                        f"{exc}; answering from the index as it is, without the latest changes in {sources}",
                        SourceWarning,
                        stacklevel=2,
                    )
    return opened(), report


def _query_encoders(index: Path) -> tuple[Encoder, Encoder]:
    """``(for the index, for claims)``: ONNX (no torch) when the index holds the model's export,
    else sentence-transformers; claim vectors are cached on disk. ONNX also embeds the changed
    documents of a stale index: same model, verified against sentence-transformers on export."""
    from factcheck.embed import query_encoder

    cached = query_encoder(index)
    return cached.inner, cached


def check(
    claims: Sequence[str] | str,
    *,
    sources: Path | str = Path("sources"),
    index: Path | str = Path("index"),
    top_k: int = DEFAULT_TOP_K,
    as_of: Sequence[date | None] | None = None,
    refresh: bool = True,
    encoder: Encoder | None = None,
) -> list[Verdict]:
    """Verdicts for ``claims`` against the sources, one per claim, in order."""
    sources, index = Path(sources), Path(index)
    if isinstance(claims, str):
        claims = [claims]
    cleaned = [clean_claim(c) for c in claims]
    if not cleaned:
        return []
    indexer, encoder = (encoder, encoder) if encoder else _query_encoders(index)
    snapshot, _ = open_index(sources, index, refresh=refresh, encoder=indexer)
    try:
        return check_on(snapshot, encoder, cleaned, top_k=top_k, as_of=as_of)
    finally:
        snapshot.close()


def query_encoder_for(index: Path) -> tuple[Encoder, Encoder]:
    """``(for the index, for claims)``: the encoders ``check`` uses for this index."""
    return _query_encoders(index)


def check_on(
    snapshot: Snapshot,
    encoder: Encoder,
    claims: Sequence[str],
    *,
    top_k: int = DEFAULT_TOP_K,
    as_of: Sequence[date | None] | None = None,
) -> list[Verdict]:
    """Verdicts for cleaned ``claims`` on one open snapshot (several batches read one index)."""
    from factcheck.judge.facts import focus_text

    foci = [focus_text(c) for c in claims]
    extra = [f for f in foci if f]
    vectors = encoder.encode(list(claims) + extra)
    return judge_claims(
        snapshot,
        claims,
        vectors[: len(claims)],
        top_k=top_k,
        as_of=as_of,
        foci=foci,
        focus_vectors=vectors[len(claims) :],
    )


def judge_claims(
    snapshot: Snapshot,
    claims: Sequence[str],
    vectors: object,
    *,
    top_k: int = DEFAULT_TOP_K,
    as_of: Sequence[date | None] | None = None,
    foci: Sequence[str | None] | None = None,
    focus_vectors: object = None,
) -> list[Verdict]:
    """Retrieve and judge already-embedded claims (the model-free half of ``check``).

    ``foci`` holds, per claim, the fact-bearing part of a long claim or None, and
    ``focus_vectors`` the embeddings of the non-None ones, in order: their hits are judged too."""
    from factcheck.judge.facts import text_facts
    from factcheck.judge.stance import Context, judge_passage
    from factcheck.judge.verdict import Judged, aggregate, label
    from factcheck.retrieve import retrieve

    gazetteer = snapshot.store.gazetteer()
    found = retrieve(snapshot, claims, vectors, top_k=max(CANDIDATES, top_k))  # type: ignore[arg-type]
    focus_found: dict[int, list[Candidate]] = {}
    if foci and any(foci):
        which = [i for i, f in enumerate(foci) if f]
        hits = retrieve(snapshot, [foci[i] or "" for i in which], focus_vectors, top_k=CANDIDATES)  # type: ignore[arg-type]
        focus_found = dict(zip(which, hits, strict=True))
    verdicts = []
    cache: dict[tuple[str, str], TextFacts] = {}
    for i, (claim, candidates) in enumerate(zip(claims, found, strict=True)):
        when = as_of[i] if as_of else None
        cf = text_facts(claim, published=when, gazetteer=gazetteer)
        focus = foci[i] if foci else None
        ff = text_facts(focus, published=when, gazetteer=gazetteer) if focus else None
        candidates = _merge(candidates, focus_found.get(i, []))
        judged = []
        for cand in candidates:
            sentence, window = _passage_facts(cand, gazetteer, cache)
            ctx = Context(sentence, window, cand.dense, cand.source.published, label(cand))
            judged.append(Judged(cand, judge_passage(cf, ctx, ff)))
        verdict = aggregate(claim, judged, dates=cf.dates, as_of=when, past=cf.past)
        top = max((c.dense for c in candidates), default=0.0)
        verdicts.append(replace(verdict, evidence=verdict.evidence[:top_k], similarity=round(top, 4)))
    return verdicts


def _merge(first: list[Candidate], more: list[Candidate]) -> list[Candidate]:
    """Candidates of a claim and of its focus, once each, with the higher similarity."""
    if not more:
        return first
    by_key = {(c.passage.doc_id, c.passage.ordinal): c for c in first}
    for c in more:
        key = (c.passage.doc_id, c.passage.ordinal)
        if key not in by_key or c.dense > by_key[key].dense:
            by_key[key] = c if key not in by_key else replace(by_key[key], dense=c.dense)
    return sorted(by_key.values(), key=lambda c: (-c.fused, -c.dense))


def _passage_facts(
    cand: Candidate, gazetteer: dict[str, str], cache: dict[tuple[str, str], TextFacts]
) -> tuple[TextFacts, TextFacts]:
    from factcheck.judge.facts import text_facts

    p = cand.passage
    key = (p.doc_id, str(p.ordinal))
    if key not in cache:
        pub = cand.source.published
        sentence = text_facts(p.text, published=pub, heading=p.heading, gazetteer=gazetteer)
        window_text = " ".join(t for t in (cand.previous, p.text, cand.next) if t)
        window = text_facts(window_text, published=pub, heading=p.heading, gazetteer=gazetteer)
        if p.heading:
            heading = text_facts(p.heading, published=pub, gazetteer=gazetteer)
            window = _with_heading(window, heading)
        cache[key] = sentence
        cache[(p.doc_id, f"{p.ordinal}w")] = window
    return cache[key], cache[(p.doc_id, f"{p.ordinal}w")]


def _with_heading(window: TextFacts, heading: TextFacts) -> TextFacts:
    return replace(
        window,
        dates=window.dates + heading.dates,
        entities=window.entities + heading.entities,
        heading_dates=heading.dates,
    )
