"""Fit the confidence rescaling (``factcheck.judge.confidence``): how often a verdict this sure is right.

    python training/fit_confidence.py [--dry-run]
    python training/fit_confidence.py --score NAME=CLAIMS:SOURCES:INDEX ...   # the shipped rescaling on other sets

Fitted on tuning claims only (``../shared/benchmarks/SPLITS.md``; the fresh claims are the project's own): the
odd-numbered half of ``benchmarks/fresh-claims.jsonl`` and all of ``fresh-claims-2.jsonl`` and
``fresh-claims-3.jsonl``. The 40 seed dev claims are left out: the rules were written for them and get all 40
right, so they would teach that a verdict is always right. Platt scaling: a logistic regression of "the claim's
verdict is right" on the logit of the rules' estimate of its confidence, two numbers; the verdicts themselves do
not change. Writes ``confidence`` into ``factcheck/data/stance/stance.json``.

A richer map was tried first and dropped: a logistic regression on 14 facts of the decision (the verdict, the
deciding aspect, closeness, the model's entailment probability, margin, sources) fitted these sets far better
(AUROC 0.64 in sample) and ranked right verdicts above wrong ones worse than the rules' estimate on every
never-fitted set (training/README.md, "Confidence").

``--score`` prints, for each set, the Brier score, the expected calibration error (6 bins) and the AUROC of the
rules' estimate and of the shipped rescaling: aggregates only, so that never-fitted sets stay unread. A set whose
name ends in ``:even`` keeps only its even-numbered claims (the never-fitted half of the fresh claims).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from accuracy import even_numbered  # noqa: E402
from calibrate import gathered, in_fresh_tuning_half, verdicts  # noqa: E402

from factcheck.evaluate import calibration_scores
from factcheck.judge.combine import Calibration
from factcheck.judge.confidence import Rescale, logit
from factcheck.judge.stance_model import MODEL_DIR, read_manifest

ROOT = Path(__file__).resolve().parents[1]
TUNING = {
    "fresh claims, odd half": ("benchmarks/fresh-claims.jsonl", lambda it: in_fresh_tuning_half(it.id)),
    "fresh claims 2": ("benchmarks/fresh-claims-2.jsonl", lambda it: True),
    "fresh claims 3": ("benchmarks/fresh-claims-3.jsonl", lambda it: True),
}


def claim_rows(claims: Path, sources: Path, index: Path, keep: Callable = lambda it: True) -> list[dict]:  # type: ignore[type-arg]
    """Per claim: whether its verdict is right, and the rules' estimate of its confidence."""
    items, gathered_cases, probs = gathered(claims, sources, index, keep)
    cal = Calibration.from_dict(read_manifest()["calibration"])
    decided = verdicts(items, gathered_cases, probs, calibration=cal, rescale=False)
    return [{"right": it.label == v.verdict, "estimate": v.confidence} for it, v in zip(items, decided, strict=True)]


def fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: the maximum-likelihood slope and shift of a logistic regression on one input (Newton)."""
    design = np.column_stack([x, np.ones_like(x)])
    w = np.array([1.0, 0.0])
    for _ in range(100):
        p = 1 / (1 + np.exp(-design @ w))
        grad = design.T @ (p - y)
        hess = (design * (p * (1 - p))[:, None]).T @ design + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return float(w[0]), float(w[1])


def summary(rows: list[dict], conf: Sequence[float]) -> dict[str, float | None]:  # type: ignore[type-arg]
    return {"n": len(rows)} | calibration_scores(conf, [r["right"] for r in rows])


def compare(rows: list[dict], scale: Rescale | None) -> dict[str, dict[str, float | None]]:  # type: ignore[type-arg]
    out = {"rules_estimate": summary(rows, [r["estimate"] for r in rows])}
    if scale is not None:
        out["rescaled"] = summary(rows, [scale(r["estimate"]) for r in rows])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the fit, do not write stance.json")
    parser.add_argument("--score", nargs="+", metavar="NAME=CLAIMS:SOURCES:INDEX", help="score the shipped rescaling")
    args = parser.parse_args()
    if args.score:
        scale = Rescale.from_dict(read_manifest().get("confidence"))
        pooled: list[dict] = []  # type: ignore[type-arg]
        for spec in args.score:
            name, _, paths = spec.partition("=")
            claims, sources, index = (Path(p) for p in paths.split(":"))
            keep = (lambda it: even_numbered(it.id)) if name.endswith(":even") else (lambda it: True)
            rows = claim_rows(claims, sources, index, keep)
            pooled += rows
            print(json.dumps({name: compare(rows, scale)}))
        print(json.dumps({"pooled": compare(pooled, scale)}))
        return
    rows = []
    for path, keep in TUNING.values():
        rows += claim_rows(ROOT / path, ROOT / "sources", ROOT / "index", keep)
    x = np.array([logit(r["estimate"]) for r in rows])
    y = np.array([float(r["right"]) for r in rows])
    slope, shift = fit(x, y)
    scale = Rescale(round(slope, 4), round(shift, 4))
    result = {
        "method": "platt",
        "slope": scale.slope,
        "shift": scale.shift,
        "fit": {"fitted_on": list(TUNING), "n": len(rows), "in_sample": compare(rows, scale)},
    }
    print(json.dumps(result, indent=2))
    if not args.dry_run:
        path = MODEL_DIR / "stance.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["confidence"] = result
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)


if __name__ == "__main__":
    main()
