"""The library API behind the CLI: build an index, check claims.

from factcheck import check
verdicts = check(["About 2,500 U.S. troops remain in Iraq."])
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import IndexStateError, InputError
from factcheck.records import Candidate, Verdict

if TYPE_CHECKING:
    from collections.abc import Callable

    from factcheck.embed import Encoder
    from factcheck.engine import Engine
    from factcheck.index.build import BuildReport, Progress
    from factcheck.index.snapshot import Serve, Snapshot
    from factcheck.judge.combine import Calibration
    from factcheck.judge.facts import TextFacts
    from factcheck.judge.stance import Judgement
    from factcheck.judge.stance_model import StanceProbs

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
    shards: int | None = None,
    engine: Engine | None = None,
    on_wait: Callable[[], None] | None = None,
) -> BuildReport:
    """Build or refresh the index of ``sources`` in ``index`` (only changed documents are embedded).

    ``shards``: write that many shards (0: a plain index; None: as the live index is); ``engine``: where
    to build (``Engine("ray", address)``: on a Ray cluster)."""
    from factcheck.index.build import build_index as _build

    builder = engine.builder(encoder) if engine else None
    return _build(
        Path(sources),
        Path(index),
        encoder=encoder,
        rebuild=rebuild,
        lock_timeout=lock_timeout,
        progress=progress,
        on_wait=on_wait,
        shards=shards,
        engine=builder,
    )


def open_index(
    sources: Path | str,
    index: Path | str,
    *,
    refresh: bool = True,
    encoder: Encoder | None = None,
    engine: Engine | None = None,
) -> tuple[Snapshot, BuildReport | None]:
    """The live index, built or refreshed first when it is missing or stale (and ``refresh``).

    A damaged or foreign index (other model, format or build) is never rebuilt silently here:
    it raises IndexStateError with the repair hint, and ``factcheck index --rebuild`` repairs it."""
    sources, index = Path(sources), Path(index)
    from factcheck.index.build import IndexReadOnlyError, is_stale
    from factcheck.index.build import build_index as _build
    from factcheck.index.snapshot import open_snapshot, read_pointer

    def opened(serve: Serve | None = None) -> Snapshot:
        snap = open_snapshot(index, serve=serve)
        if encoder is not None and snap.manifest.model_id != encoder.id:
            snap.close()
            raise IndexStateError(
                f"index {index} was built with {snap.manifest.model_id}, not {encoder.id}; "
                "run `factcheck index --rebuild` to rebuild it"
            )
        return snap

    report = None
    if refresh:
        builder = engine.builder(encoder) if engine else None
        if index.exists() and not index.is_dir():
            raise IndexStateError(f"index path is not a folder: {index}")
        if read_pointer(index) is None:
            report = _build(sources, index, encoder=encoder, engine=builder)
        else:
            snap = opened()  # validated (in this process) before a refresh may build on it
            try:
                stale = is_stale(snap, sources)
            finally:
                snap.close()
            if stale:
                try:
                    report = _build(sources, index, encoder=encoder, engine=builder)
                except IndexReadOnlyError as exc:  # only a refresh was needed: answer from what is there
                    from factcheck.ingest import SourceWarning

                    warnings.warn(
                        f"{exc}; answering from the index as it is, without the latest changes in {sources}",
                        SourceWarning,
                        stacklevel=2,
                    )
    return opened(engine.serve() if engine else None), report


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
    only: Sequence[str] = (),
    judge: str = "combined",
    split: bool = True,
    engine: Engine | None = None,
) -> list[Verdict]:
    """Verdicts for ``claims`` against the sources, one per claim, in order.

    ``only``: source ids every claim is restricted to (empty: all sources). ``split``: check a
    compound claim part by part (see ``check_on``). ``engine``: where the index is searched
    (``Engine("ray")``: each shard by a Ray actor; the same verdicts)."""
    sources, index = Path(sources), Path(index)
    if isinstance(claims, str):
        claims = [claims]
    cleaned = [clean_claim(c) for c in claims]
    if not cleaned:
        return []
    indexer, encoder = (encoder, encoder) if encoder else _query_encoders(index)
    snapshot, _ = open_index(sources, index, refresh=refresh, encoder=indexer, engine=engine)
    try:
        restrict = [known_sources(snapshot, only)] * len(cleaned) if only else None
        return check_on(
            snapshot, encoder, cleaned, top_k=top_k, as_of=as_of, restrict=restrict, judge=judge, split=split
        )
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
    restrict: Sequence[frozenset[str] | None] | None = None,
    judge: str = "combined",
    split: bool = True,
) -> list[Verdict]:
    """Verdicts for cleaned ``claims`` on one open snapshot (several batches read one index).

    ``split``: a compound claim is checked part by part (``factcheck.atomic``), its verdict the
    worst of its parts, which ``Verdict.parts`` lists."""
    if judge not in JUDGES:
        raise InputError(f"unknown judge {judge!r}: use one of {', '.join(JUDGES)}")
    from factcheck.atomic import assemble, gather_parts

    queries, cases = gather_parts(snapshot, encoder, claims, as_of=as_of, restrict=restrict, split=split, top_k=top_k)
    probs = model_probs(cases) if judge != "rules" else {}
    return assemble(claims, queries, decide(cases, probs, judge=judge, top_k=top_k), snapshot.store.sources())


def gather_on(
    snapshot: Snapshot,
    encoder: Encoder,
    claims: Sequence[str],
    *,
    as_of: Sequence[date | None] | None = None,
    restrict: Sequence[frozenset[str] | None] | None = None,
    top_k: int = DEFAULT_TOP_K,
) -> list[ClaimCase]:
    """Each claim's candidates and the fact rules' judgements of them (embeds the claims)."""
    from factcheck.judge.facts import focus_text

    foci = [focus_text(c) for c in claims]
    extra = [f for f in foci if f]
    vectors = encoder.encode(list(claims) + extra)
    return gather(
        snapshot,
        claims,
        vectors[: len(claims)],
        as_of=as_of,
        foci=foci,
        focus_vectors=vectors[len(claims) :],
        restrict=restrict,
        top_k=top_k,
    )


def known_sources(snapshot: Snapshot, ids: Sequence[str], where: str = "") -> frozenset[str]:
    """``ids`` as a set, after checking that the index holds each of them (a source skipped as a duplicate
    stands for the indexed one with the same content)."""
    have = snapshot.store.sources()
    ids = [snapshot.manifest.duplicates.get(i, i) for i in ids]
    unknown = [i for i in ids if i not in have]
    if unknown:
        raise InputError(
            f"{where}unknown source id {unknown[0]!r}: the index has {len(have)} sources "
            "(ids are the file names in the sources folder, without extension)"
        )
    return frozenset(ids)


def gather(
    snapshot: Snapshot,
    claims: Sequence[str],
    vectors: object,
    *,
    as_of: Sequence[date | None] | None = None,
    foci: Sequence[str | None] | None = None,
    focus_vectors: object = None,
    restrict: Sequence[frozenset[str] | None] | None = None,
    top_k: int = DEFAULT_TOP_K,
) -> list[ClaimCase]:
    """Retrieve candidates for already-embedded claims and judge each by the fact rules.

    ``foci`` holds, per claim, the fact-bearing part of a long claim or None, and
    ``focus_vectors`` the embeddings of the non-None ones, in order: their hits are judged too.
    ``restrict`` holds, per claim, the source ids it is checked against (None: all)."""
    from factcheck.judge.facts import text_facts
    from factcheck.judge.stance import Context, judge_passage
    from factcheck.judge.verdict import label
    from factcheck.retrieve import retrieve

    gazetteer = snapshot.store.gazetteer()
    found = retrieve(snapshot, claims, vectors, top_k=max(CANDIDATES, top_k), restrict=restrict)  # type: ignore[arg-type]
    focus_found: dict[int, list[Candidate]] = {}
    if foci and any(foci):
        which = [i for i, f in enumerate(foci) if f]
        hits = retrieve(
            snapshot,
            [foci[i] or "" for i in which],
            focus_vectors,  # type: ignore[arg-type]
            top_k=CANDIDATES,
            restrict=[restrict[i] for i in which] if restrict else None,
        )
        focus_found = dict(zip(which, hits, strict=True))
    facts = PassageFacts(snapshot)
    merged = [_merge(c, focus_found.get(i, [])) for i, c in enumerate(found)]
    facts.preload([c for cands in merged for c in cands])
    cases = []
    for i, (claim, candidates) in enumerate(zip(claims, merged, strict=True)):
        when = as_of[i] if as_of else None
        cf = text_facts(claim, published=when, gazetteer=gazetteer)
        focus = foci[i] if foci else None
        ff = text_facts(focus, published=when, gazetteer=gazetteer) if focus else None
        rules = []
        grounded = bool(restrict) and restrict[i] is not None  # type: ignore[index]
        for cand in candidates:
            sentence, window = facts.get(cand)
            ctx = Context(sentence, window, cand.dense, cand.source.published, label(cand), grounded)
            rules.append(judge_passage(cf, ctx, ff))
        cases.append(ClaimCase(claim, cf, when, tuple(candidates), tuple(rules), grounded))
    return cases


@dataclass(frozen=True)
class ClaimCase:
    """A claim with its candidates and the fact rules' judgement of each (before the model)."""

    claim: str
    facts: TextFacts
    as_of: date | None
    candidates: tuple[Candidate, ...]
    rules: tuple[Judgement, ...]
    grounded: bool = False  # checked against named documents only (``sources`` / ``--source``)


def decide(
    cases: Sequence[ClaimCase],
    probs: dict[tuple[int, int], StanceProbs],
    *,
    judge: str = "combined",
    top_k: int = DEFAULT_TOP_K,
    calibration: Calibration | None = None,
    rescale: bool = True,
) -> list[Verdict]:
    """Verdicts from the rules' judgements and the model's probabilities. ``calibration``, when given, serves
    every claim; else the shipped thresholds do: those for grounded checks (``calibration_grounded``: a claim
    checked against the documents it names) or those for checks against the whole archive. With ``rescale``
    (the combined judge only), each confidence is the shipped rescaling of the rules' estimate
    (``judge.confidence``); the ablations keep the estimate."""
    from factcheck.judge.combine import Calibration, combine, model_only
    from factcheck.judge.confidence import Rescale
    from factcheck.judge.verdict import Judged, aggregate, label

    grounded_calibration = calibration
    if judge != "rules" and calibration is None:
        calibration, grounded_calibration = Calibration.shipped(_stance_manifest())
    scale = Rescale.from_dict(_stance_manifest().get("confidence")) if rescale and judge == "combined" else None
    verdicts = []
    for i, case in enumerate(cases):
        judged = []
        for j, (cand, rule) in enumerate(zip(case.candidates, case.rules, strict=True)):
            cal = grounded_calibration if case.grounded else calibration
            if judge != "rules" and cal is not None:
                how = combine if judge == "combined" else model_only
                text = {"claim": case.claim, "passage": cand.passage.text, "label": label(cand)}
                reading = probs.get((i, j))
                ruled = rule.stance
                rule = how(rule, reading, cal, **text)
                if reading is not None and reading.partner is not None and ruled != "supports" == rule.stance:
                    # the support is the joint reading's, not the rules'
                    rule = replace(rule, reason=f"{rule.reason}, {_read_with(cand, case.candidates[reading.partner])}")
            judged.append(Judged(cand, rule))
        facts = case.facts
        verdict = aggregate(
            case.claim,
            judged,
            dates=facts.dates,
            as_of=case.as_of,
            past=facts.past,
            exact=bool(facts.quantities or facts.dates or facts.ordinals),
        )
        top = max((c.dense for c in case.candidates), default=0.0)
        confidence = scale(verdict.confidence) if scale is not None else verdict.confidence
        verdicts.append(
            replace(verdict, evidence=verdict.evidence[:top_k], similarity=round(top, 4), confidence=confidence)
        )
    return verdicts


JUDGES = ("combined", "rules", "model")
# The stance model reads this many most similar passages per claim (those at least this similar), and every
# passage the rules decided on: cross-encoding is the costly step, and a passage this far from the claim is silent.
MODEL_CANDIDATES = 6
MODEL_MIN_COSINE = 0.3
# A grounded check (a claim against the documents it names) reads more of them: its support may sit in any
# sentence of its cited text (tuning checks: SciFact train's odd half +1 claim, WiCE dev's calibration half level;
# not fitted on: grounded news 48 -> 49 of 56, SciFact train's even half level).
MODEL_CANDIDATES_GROUNDED = 10


def model_probs(cases: Sequence[ClaimCase]) -> dict[tuple[int, int], StanceProbs]:
    """The stance model's probabilities for the pairs worth reading, keyed by (claim, candidate).

    A claim's most similar passage is also read together with its second (``joint_premise``) when both are
    of one document, or in a grounded check: the claim's support may be split between two sentences. That
    reading stands for the passage when it finds more support, with the other passage named
    (``StanceProbs.partner``)."""
    from factcheck.judge.stance_model import shipped_model

    keys: list[tuple[int, int]] = []
    pairs: list[tuple[str, str]] = []
    joint: list[tuple[int, int, int]] = []  # (claim, most similar, second)
    for i, case in enumerate(cases):
        cands = case.candidates
        by_similarity = sorted(range(len(cands)), key=lambda j: -cands[j].dense)
        most = MODEL_CANDIDATES_GROUNDED if case.grounded else MODEL_CANDIDATES
        near = [j for j in by_similarity[:most] if cands[j].dense >= MODEL_MIN_COSINE]
        chosen = set(near) | {j for j, r in enumerate(case.rules) if r.stance != "related"}
        for j in sorted(chosen):
            keys.append((i, j))
            pairs.append((case.claim, premise(cands[j])))
        if len(cands) >= 2 and cands[by_similarity[0]].dense >= MODEL_MIN_COSINE:  # as for one passage
            first, second = by_similarity[:2]
            if case.grounded or cands[first].passage.doc_id == cands[second].passage.doc_id:
                joint.append((i, first, second))
    together = [(cases[i].claim, joint_premise(cases[i].candidates[a], cases[i].candidates[b])) for i, a, b in joint]
    predicted = shipped_model().predict(pairs + together)
    probs = dict(zip(keys, predicted[: len(pairs)], strict=True))
    for (i, first, second), reading in zip(joint, predicted[len(pairs) :], strict=True):
        own = probs.get((i, first))
        if own is None or reading.entails > own.entails:
            probs[(i, first)] = replace(reading, partner=second)
    return probs


def premise(cand: Candidate) -> str:
    """What the stance model reads of a passage: the sentence with its neighbours, as a reader would
    (calibrated on WiCE dev: support spread over adjacent sentences is found; the sentence alone scored
    6 points of balanced accuracy lower there)."""
    return " ".join(t for t in (cand.previous, cand.passage.text, cand.next) if t)


def joint_premise(first: Candidate, second: Candidate) -> str:
    """Two passages read as one, in their documents' order (sentences only: two windows would not fit the
    model's 128 tokens). Kept on tuning data: for grounded checks WiCE dev's calibration half, SciFact train's
    odd half and grounded news rose, SciFact train's even half (not fitted on) too; for two passages of one
    document in an archive check, the news tuning claims rose (README, 2026-12-01)."""
    ordered = sorted((first, second), key=lambda c: (c.passage.doc_id, c.passage.ordinal))
    return " ".join(c.passage.text for c in ordered)


def _read_with(cand: Candidate, partner: Candidate) -> str:
    """Names the passage a joint reading took with ``cand``: its line, and its source when another."""
    from factcheck.judge.verdict import label

    where = f"line {partner.passage.line}"
    if partner.passage.doc_id != cand.passage.doc_id:
        where = f"{label(partner)}, {where}"
    return f"read with {where}"


def _stance_manifest() -> dict[str, Any]:
    from factcheck.judge.stance_model import shipped_model

    return shipped_model().manifest


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


class PassageFacts:
    """Facts of candidate passages: those stored in the index at build time, else computed (and kept) here,
    each with its own document's gazetteer, exactly as the build computes them."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._facts: dict[int | tuple[str, int], tuple[TextFacts, TextFacts]] = {}
        self._gazetteers: dict[str, dict[str, str]] = {}

    def preload(self, candidates: Sequence[Candidate]) -> None:
        from factcheck.judge.facts_codec import facts_key, loads

        rows = sorted({c.row for c in candidates if c.row >= 0 and c.row not in self._facts})
        for row, (sentence, window) in self.snapshot.store.stored_facts(rows, facts_key()).items():
            self._facts[row] = (loads(sentence), loads(window))

    def get(self, cand: Candidate) -> tuple[TextFacts, TextFacts]:
        from factcheck.judge.facts import passage_facts

        p = cand.passage
        key: int | tuple[str, int] = cand.row if cand.row >= 0 else (p.doc_id, p.ordinal)
        if key not in self._facts:
            if p.doc_id not in self._gazetteers:
                self._gazetteers[p.doc_id] = dict(self.snapshot.store.document_gazetteer(p.doc_id))
            self._facts[key] = passage_facts(
                p.text,
                previous=cand.previous,
                following=cand.next,
                heading=p.heading,
                published=cand.source.published,
                gazetteer=self._gazetteers[p.doc_id],
            )
        return self._facts[key]
