"""Metrics for ``factcheck eval``: accuracy, macro-F1, per-label and per-kind scores, the
confusion matrix, evidence recall@5, how well the stated confidence matches the rate of right
verdicts, throughput, and two baselines scored on the same
retrieved passages (majority class; similarity-only with a threshold fitted on the other
half of the claims, never on the claims it scores).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import InputError
from factcheck.records import VERDICTS, Verdict

if TYPE_CHECKING:
    from factcheck.engine import Engine

RECALL_AT = 5
CONFIDENCE_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # for the expected calibration error


@dataclass(frozen=True)
class LabelledClaim:
    id: str
    claim: str
    label: str
    evidence: tuple[str, ...] = ()
    kind: str = ""
    as_of: date | None = None
    sources: tuple[str, ...] = ()  # restrict the claim to these source ids (empty: all)
    line: int = 0  # where it is in its claims file


@dataclass
class EvalResult:
    n: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, dict[str, float]]
    per_kind: dict[str, dict[str, float]]
    confusion: dict[str, dict[str, int]]
    evidence_recall_at_5: float | None
    claims_per_second: float
    misses: list[dict[str, Any]] = field(default_factory=list)
    baselines: dict[str, dict[str, float]] | None = None
    confidence: dict[str, float | None] = field(default_factory=dict)  # calibration_scores of the verdicts

    def to_dict(self, *, show_misses: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n": self.n,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_label": self.per_label,
            "per_kind": self.per_kind,
            "confusion": self.confusion,
            "evidence_recall_at_5": self.evidence_recall_at_5,
            "claims_per_second": self.claims_per_second,
            "confidence": self.confidence,
        }
        if self.baselines is not None:
            out["baselines"] = self.baselines
        if show_misses:
            out["misses"] = self.misses
        return out


def load_claims(path: Path) -> list[LabelledClaim]:
    """Read a claims JSONL file; errors name the line."""
    if not path.is_file():
        raise InputError(f"claims file not found: {path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from exc
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: invalid JSON ({exc.msg})") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("claim"), str) or raw.get("label") not in VERDICTS:
            raise InputError(f'{path}:{n}: each line needs a "claim" string and a "label" in {", ".join(VERDICTS)}')
        as_of = None
        if raw.get("as_of"):
            try:
                as_of = date.fromisoformat(str(raw["as_of"]))
            except ValueError as exc:
                raise InputError(f"{path}:{n}: as_of {raw['as_of']!r} is not YYYY-MM-DD") from exc
        evidence = tuple(str(e["text"]) for e in raw.get("evidence") or [] if isinstance(e, dict) and e.get("text"))
        only = raw.get("sources") or []
        if not isinstance(only, list) or not all(isinstance(x, str) and x for x in only):
            raise InputError(f'{path}:{n}: "sources" must be a list of source ids')
        items.append(
            LabelledClaim(
                str(raw.get("id", n)),
                raw["claim"],
                raw["label"],
                evidence,
                str(raw.get("kind") or ""),
                as_of,
                tuple(only),
                n,
            )
        )
    if not items:
        raise InputError(f"{path}: no claims")
    return items


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().lower()


def evidence_found(gold: str, returned: Sequence[str]) -> bool:
    g = normalise(gold)
    return any(g in r or (r and r in g) for r in (normalise(x) for x in returned))


def balanced_accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Supported vs everything else: (recall of supported + recall of not supported) / 2 (LLM-AggreFact's
    metric for WiCE)."""
    pos = [p == "supported" for g, p in zip(gold, pred, strict=True) if g == "supported"]
    neg = [p != "supported" for g, p in zip(gold, pred, strict=True) if g != "supported"]
    return (sum(pos) / max(len(pos), 1) + sum(neg) / max(len(neg), 1)) / 2


def scores(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, dict[str, dict[str, float]]]:
    """Accuracy, macro-F1 over the labels present in gold, and per-label P/R/F1/support."""
    n = len(gold)
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / n if n else 0.0
    per: dict[str, dict[str, float]] = {}
    for label in VERDICTS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        support = tp + fn
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    present = [lab for lab in VERDICTS if per[lab]["support"]]
    macro = sum(per[lab]["f1"] for lab in present) / len(present) if present else 0.0
    return round(accuracy, 4), round(macro, 4), per


def calibration_scores(confidence: Sequence[float], right: Sequence[bool]) -> dict[str, float | None]:
    """How far stated confidence is from the rate of right verdicts: the mean of each, the Brier score
    (mean squared gap, lower is better), the expected calibration error over ``CONFIDENCE_BINS`` and the
    AUROC (how often a right verdict is stated surer than a wrong one; ties count half; None when all
    verdicts are right or all wrong)."""
    n = len(confidence)
    if n == 0:
        return {}
    pairs = list(zip(confidence, right, strict=True))
    ece = 0.0
    for lo, hi in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:], strict=False):
        inside = [(c, r) for c, r in pairs if lo <= c < hi]
        if inside:
            gap = sum(r for _, r in inside) / len(inside) - sum(c for c, _ in inside) / len(inside)
            ece += len(inside) / n * abs(gap)
    pos = [c for c, r in pairs if r]
    neg = [c for c, r in pairs if not r]
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return {
        "mean": round(sum(confidence) / n, 4),
        "right": round(sum(right) / n, 4),
        "brier": round(sum((c - r) ** 2 for c, r in pairs) / n, 4),
        "ece": round(ece, 4),
        "auroc": round(wins / (len(pos) * len(neg)), 4) if pos and neg else None,
    }


def _fold(claim_id: str) -> int:
    return hashlib.sha256(claim_id.encode()).digest()[0] % 2


def similarity_baseline(items: Sequence[LabelledClaim], sims: Sequence[float]) -> tuple[list[str], float]:
    """``supported`` above a cosine threshold, else ``unverified``; the threshold for each half
    is fitted on the other half (2-fold), so no claim is scored by a threshold fitted on it."""
    preds = [""] * len(items)
    thresholds = []
    for fold in (0, 1):
        train = [i for i, it in enumerate(items) if _fold(it.id) != fold]
        test = [i for i, it in enumerate(items) if _fold(it.id) == fold]
        best_t, best_acc = 0.5, -1.0
        for step in range(20, 96):
            t = step / 100
            acc = sum(("supported" if sims[i] >= t else "unverified") == items[i].label for i in train)
            if acc > best_acc:
                best_t, best_acc = t, acc
        thresholds.append(best_t)
        for i in test:
            preds[i] = "supported" if sims[i] >= best_t else "unverified"
    return preds, round(sum(thresholds) / 2, 3)


def majority_baseline(items: Sequence[LabelledClaim]) -> list[str]:
    preds = [""] * len(items)
    for fold in (0, 1):
        train = Counter(it.label for it in items if _fold(it.id) != fold)
        label = train.most_common(1)[0][0] if train else "supported"
        for i, it in enumerate(items):
            if _fold(it.id) == fold:
                preds[i] = label
    return preds


def evaluate(
    items: Sequence[LabelledClaim],
    *,
    sources: Path,
    index: Path,
    top_k: int = 8,
    baselines: bool = False,
    batch: int = 256,
    judge: str = "combined",
    claims_file: Path | None = None,
    split: bool = True,
    progress: Callable[[int, int], None] | None = None,
    engine: Engine | None = None,
) -> EvalResult:
    """Judge every labelled claim and score the verdicts; ``progress(done, total)`` after each batch."""
    from factcheck.api import check_on, clean_claim, known_sources, open_index, query_encoder_for

    indexer, encoder = query_encoder_for(index)
    snapshot, _ = open_index(
        sources, index, encoder=indexer, engine=engine
    )  # built or refreshed before the clock starts
    try:  # one snapshot for every batch: a build finishing meanwhile does not mix generations
        where = f"{claims_file}:" if claims_file else ""
        restrict = [
            known_sources(snapshot, it.sources, f"{where}{it.line}: " if where else "") if it.sources else None
            for it in items
        ]
        started = time.perf_counter()
        verdicts: list[Verdict] = []
        for at in range(0, len(items), batch):
            chunk = items[at : at + batch]
            verdicts += check_on(
                snapshot,
                encoder,
                [clean_claim(it.claim) for it in chunk],
                top_k=top_k,
                as_of=[it.as_of for it in chunk],
                restrict=restrict[at : at + batch] if any(restrict) else None,
                judge=judge,
                split=split,
            )
            if progress is not None:
                progress(len(verdicts), len(items))
    finally:
        snapshot.close()
    elapsed = time.perf_counter() - started
    return score_verdicts(items, verdicts, elapsed=elapsed, baselines=baselines)


def score_verdicts(
    items: Sequence[LabelledClaim],
    verdicts: Sequence[Verdict],
    *,
    elapsed: float = 0.0,
    baselines: bool = False,
) -> EvalResult:
    gold = [it.label for it in items]
    pred = [v.verdict for v in verdicts]
    accuracy, macro, per = scores(gold, pred)
    kinds: dict[str, list[bool]] = {}
    for it, p in zip(items, pred, strict=True):
        kinds.setdefault(it.kind or "-", []).append(it.label == p)
    per_kind = {k: {"accuracy": round(sum(v) / len(v), 4), "n": len(v)} for k, v in sorted(kinds.items())}
    confusion = {g: {p: 0 for p in VERDICTS} for g in VERDICTS}
    for g, p in zip(gold, pred, strict=True):
        confusion[g][p] += 1
    found = total = 0
    for it, v in zip(items, verdicts, strict=True):
        returned = [e.passage.text for e in v.evidence[:RECALL_AT]]
        for text in it.evidence:
            total += 1
            found += evidence_found(text, returned)
    misses = [
        {
            "id": it.id,
            "claim": it.claim,
            "gold": it.label,
            "predicted": v.verdict,
            "kind": it.kind,
            "reason": v.reason,
        }
        for it, v in zip(items, verdicts, strict=True)
        if it.label != v.verdict
    ]
    result = EvalResult(
        n=len(items),
        accuracy=accuracy,
        macro_f1=macro,
        per_label=per,
        per_kind=per_kind,
        confusion=confusion,
        evidence_recall_at_5=round(found / total, 4) if total else None,
        claims_per_second=round(len(items) / elapsed, 2) if elapsed > 0 else 0.0,
        misses=misses,
        confidence=calibration_scores(
            [v.confidence for v in verdicts], [g == p for g, p in zip(gold, pred, strict=True)]
        ),
    )
    if baselines:
        sim_pred, threshold = similarity_baseline(items, [v.similarity for v in verdicts])
        maj_acc, maj_f1, _ = scores(gold, majority_baseline(items))
        sim_acc, sim_f1, _ = scores(gold, sim_pred)
        result.baselines = {
            "majority": {"accuracy": maj_acc, "macro_f1": maj_f1},
            "similarity": {"accuracy": sim_acc, "macro_f1": sim_f1, "threshold": threshold},
        }
    return result
