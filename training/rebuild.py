"""Rebuild the shipped stance model from data in ../shared, in one command, with fixed seeds.

    python training/rebuild.py [--shared ../shared] [--threads 2]

Steps (each a script of its own, rerunnable alone):
  1. build_pairs.py   the training pairs (training side of shared/benchmarks/SPLITS.md only)
  2. train_stance.py  stage 1: fine-tune the packaged MiniLM as a cross-encoder on them (resumable from ckpt.pt)
  3. build_stage2.py  related-but-silent passages (WiCE dev training half, SciFact train) + a replay sample
  4. train_stance.py  stage 2: from stage 1's model, on those (training/out/stage2/, resumable)
     build_stage2.py + train_stance.py again: stage 3, a larger replay, from stage 2's model (training/out/stage3/)
  5. export_stance.py int8 ONNX + tokenizer + manifest into factcheck/data/stance/, frozen test sample
  6. calibrate.py     the thresholds combining rules and model, on seed dev, WiCE dev (calibration half), SciFact train
Needs torch and transformers (installed with sentence-transformers). About 2.5 hours of CPU on 2 cores
idle; a GPU, if present, is used. Training never runs in CI.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def step(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(HERE.parents[1] / "shared"))
    parser.add_argument("--threads", default="2")
    parser.add_argument("--epochs", default="0.6", help="stage 1 epochs")
    args = parser.parse_args()
    out = HERE / "out"
    if (out / "ckpt.pt").exists():
        sys.exit(f"{out / 'ckpt.pt'} exists: remove training/out/ to start afresh, or run train_stance.py to resume")
    step(str(HERE / "build_pairs.py"), "--shared", args.shared)
    step(str(HERE / "train_stance.py"), "--threads", args.threads, "--epochs", args.epochs)
    # stage 2: related-but-silent passages, from stage 1's model
    step(str(HERE / "build_stage2.py"), "--shared", args.shared)
    (out / "stage2").mkdir(exist_ok=True)
    step(
        str(HERE / "train_stance.py"),
        *("--threads", args.threads, "--init", str(out / "final"), "--pairs", str(out / "pairs-stage2.jsonl")),
        *("--out", str(out / "stage2"), "--epochs", "1.0", "--lr", "3e-5", "--every", "100"),
    )
    # stage 3: the same new pairs with a larger replay of stage 1's, from stage 2's model, at a lower rate
    pairs3 = str(out / "pairs-stage3.jsonl")
    step(str(HERE / "build_stage2.py"), "--shared", args.shared, "--replay", "48000", "--seed", "31", "--out", pairs3)
    (out / "stage3").mkdir(exist_ok=True)
    step(
        str(HERE / "train_stance.py"),
        *("--threads", args.threads, "--init", str(out / "stage2" / "final"), "--pairs", pairs3),
        *("--out", str(out / "stage3"), "--epochs", "0.5", "--lr", "2e-5", "--every", "100"),
    )
    step(str(HERE / "export_stance.py"), "--checkpoint", str(out / "stage3" / "final"))
    step(str(HERE / "calibrate.py"), "--shared", args.shared)


if __name__ == "__main__":
    main()
