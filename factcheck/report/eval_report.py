"""``factcheck eval`` output: a table for people, one JSON object for machines."""

from __future__ import annotations

import json

from factcheck.evaluate import EvalResult
from factcheck.records import VERDICTS


def render_json(result: EvalResult, *, show_misses: bool = False) -> str:
    return json.dumps(result.to_dict(show_misses=show_misses), indent=2) + "\n"


def render_text(result: EvalResult, *, show_misses: bool = False) -> str:
    recall = "n/a" if result.evidence_recall_at_5 is None else f"{result.evidence_recall_at_5:.3f}"
    lines = [
        f"claims: {result.n}   accuracy: {result.accuracy:.3f}   macro-F1: {result.macro_f1:.3f}   "
        f"evidence recall@5: {recall}   claims/s: {result.claims_per_second:.1f}",
    ]
    if result.confidence:
        c = result.confidence
        auroc = "n/a" if c["auroc"] is None else f"{c['auroc']:.3f}"
        lines.append(
            f"confidence: mean {c['mean']:.3f} (right {c['right']:.3f})   Brier {c['brier']:.3f}   "
            f"calibration error {c['ece']:.3f}   AUROC {auroc}"
        )
    lines += [
        "",
        f"{'label':<14}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}",
    ]
    for label in VERDICTS:
        row = result.per_label[label]
        lines.append(f"{label:<14}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}{row['support']:>9}")
    lines += ["", f"{'kind':<14}{'accuracy':>10}{'n':>5}"]
    for kind, row in result.per_kind.items():
        lines.append(f"{kind:<14}{row['accuracy']:>10.3f}{row['n']:>5}")
    lines += [
        "",
        "confusion (rows gold, columns predicted)",
        " " * 14 + "".join(f"{p[:6]:>8}" for p in VERDICTS),
    ]
    for gold in VERDICTS:
        lines.append(f"{gold:<14}" + "".join(f"{result.confusion[gold][p]:>8}" for p in VERDICTS))
    if result.baselines:
        lines += ["", "baselines (same retrieved passages)"]
        for name, row in result.baselines.items():
            extra = f"   threshold {row['threshold']:.2f}" if "threshold" in row else ""
            lines.append(f"  {name:<12} accuracy {row['accuracy']:.3f}   macro-F1 {row['macro_f1']:.3f}{extra}")
    if show_misses and result.misses:
        lines += ["", "misses"]
        for m in result.misses:
            lines.append(f"  [{m['id']}] gold {m['gold']}, predicted {m['predicted']}: {m['claim']}")
            lines.append(f"      {m['reason']}")
    return "\n".join(lines) + "\n"
