"""Rebuild the shipped stance model from data in ../shared, in one command, with fixed seeds.

    python training/rebuild.py [--shared ../shared] [--threads 2] [--dry-run]

Steps (each a script of its own, rerunnable alone):
  1. build_pairs.py   the training pairs (training side of shared/benchmarks/SPLITS.md only)
  2. train_stance.py  stage 1: fine-tune the packaged MiniLM as a cross-encoder on them (resumable from ckpt.pt)
  3. build_stage2.py  related-but-silent passages (WiCE dev training half, SciFact train) + a replay sample
  4. train_stance.py  stage 2: from stage 1's model, on those (training/out/stage2/, resumable)
     build_stage2.py + train_stance.py again: stages 3 and 4, larger replays, each from the last model
     build_pairs.py --seed 53 / 67 --per-edit 3000: larger draws of the contrastive edits
     build_stage5.py + train_stance.py: the later stages, the edits with a replay of the real pairs
     (every stage's pairs and training settings are in stages.py; the shipped one is stages.SHIPPED)
  5. export_stance.py int8 ONNX + tokenizer + manifest into factcheck/data/stance/, frozen test sample
  6. calibrate.py     the thresholds combining rules and model, on seed dev + half the fresh claims, WiCE dev
                      (calibration half), SciFact train; then calibrate.py --grounded, the thresholds for grounded
                      checks (claims against the documents they name), on WiCE dev's calibration half and half of
                      SciFact train
  7. fit_confidence.py the rescaling of the verdicts' confidence, on the fresh claims' odd half, fresh claims 2 and 3
Needs torch and transformers (installed with sentence-transformers). About 4 hours of CPU on 2 cores
idle; a GPU, if present, is used. Training never runs in CI. A rebuild draws the same pairs (fixed seeds) but its
weights differ slightly from the shipped ones (thread scheduling; stage 1's epoch count was cut while it ran).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from stages import SHIPPED, STAGES, Stage  # noqa: E402


def commands(stage: Stage, shared: str, out: Path, threads: str) -> list[list[str]]:
    """Build one stage's pairs and train it, from the previous stage's model (stage 1: from the packaged MiniLM),
    into training/out/<its folder>/ (resumable)."""
    made = [[str(HERE / script), *(a.format(shared=shared, out=out) for a in rest)] for script, *rest in stage.builds]
    start = [] if stage.number == 1 else ["--init", str(out / STAGES[stage.number - 2].folder / "final")]
    train = [str(HERE / "train_stance.py"), "--threads", threads, *start, "--pairs", str(out / stage.pairs)]
    train += ["--out", str(out / stage.folder), "--epochs", stage.epochs, "--lr", stage.lr, "--seed", stage.seed]
    return [*made, [*train, "--every", "100"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(HERE.parents[1] / "shared"))
    parser.add_argument("--threads", default="2")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    args = parser.parse_args()
    out = HERE / "out"
    steps = [c for stage in STAGES[:SHIPPED] for c in commands(stage, args.shared, out, args.threads)]
    steps.append([str(HERE / "export_stance.py"), "--checkpoint", str(out / STAGES[SHIPPED - 1].folder / "final")])
    steps.append([str(HERE / "calibrate.py"), "--shared", args.shared])
    steps.append([str(HERE / "calibrate.py"), "--shared", args.shared, "--grounded"])
    steps.append([str(HERE / "fit_confidence.py")])
    if args.dry_run:
        print("\n".join(" ".join(c) for c in steps))
        return
    if (out / "ckpt.pt").exists():
        sys.exit(f"{out / 'ckpt.pt'} exists: remove training/out/ to start afresh, or run train_stance.py to resume")
    for c in steps:
        print("+", " ".join(c), flush=True)
        subprocess.run([sys.executable, *c], check=True)


if __name__ == "__main__":
    main()
