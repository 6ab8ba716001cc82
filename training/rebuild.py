"""Rebuild the shipped stance model from data in ../shared, in one command, with fixed seeds.

    python training/rebuild.py [--shared ../shared] [--threads 2]

Steps (each a script of its own, rerunnable alone):
  1. build_pairs.py   the training pairs (training side of shared/benchmarks/SPLITS.md only)
  2. train_stance.py  stage 1: fine-tune the packaged MiniLM as a cross-encoder on them (resumable from ckpt.pt)
  3. build_stage2.py  related-but-silent passages (WiCE dev training half, SciFact train) + a replay sample
  4. train_stance.py  stage 2: from stage 1's model, on those (training/out/stage2/, resumable)
     build_stage2.py + train_stance.py again: stages 3 and 4, larger replays, each from the last model
     build_pairs.py --seed 53 / 67 --per-edit 3000: larger draws of the contrastive edits
     build_stage5.py + train_stance.py: stages 5 to 7, the edits with a replay of the real pairs
  5. export_stance.py int8 ONNX + tokenizer + manifest into factcheck/data/stance/, frozen test sample
  6. calibrate.py     the thresholds combining rules and model, on seed dev + half the fresh claims, WiCE dev
                      (calibration half), SciFact train
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
SHIPPED = 7  # the stage whose model is exported into the package


def step(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], check=True)


def train(threads: str, out: Path, stage: int, pairs: str, *, epochs: str, lr: str, seed: str) -> None:
    """One training stage, from the previous stage's model, into training/out/stage<N>/ (resumable)."""
    before = out / (f"stage{stage - 1}" if stage > 2 else "") / "final"
    (out / f"stage{stage}").mkdir(exist_ok=True)
    step(
        str(HERE / "train_stance.py"),
        *("--threads", threads, "--init", str(before), "--pairs", pairs, "--out", str(out / f"stage{stage}")),
        *("--epochs", epochs, "--lr", lr, "--seed", seed, "--every", "100"),
    )


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
    train(args.threads, out, 2, str(out / "pairs-stage2.jsonl"), epochs="1.0", lr="3e-5", seed="13")
    # stages 3 and 4: the same new pairs with larger replays of stage 1's, each from the last model, at a lower rate
    for stage, replay, seed, epochs in ((3, "48000", "31", "0.5"), (4, "36000", "43", "0.9")):
        pairs = str(out / f"pairs-stage{stage}.jsonl")
        step(str(HERE / "build_stage2.py"), "--shared", args.shared, "--replay", replay, "--seed", seed, "--out", pairs)
        train(args.threads, out, stage, pairs, epochs=epochs, lr="2e-5", seed=seed)
    # stages 5 to 7: larger draws of the contrastive edits with a replay of the real pairs (label-balanced, then as
    # they come), the last with sentences read against themselves
    edits = {"53": str(out / "pairs-edits.jsonl"), "67": str(out / "pairs-edits2.jsonl")}
    later = (  # stage, edits' seed, replay mix, replay size, sentences against themselves, seed, epochs, lr
        (5, "53", "balanced", "18000", "0", "59", "1.0", "3e-5"),
        (6, "53", "natural", "22000", "0", "61", "1.0", "2e-5"),
        (7, "67", "natural", "16000", "4000", "71", "0.8", "2e-5"),
    )
    for stage, drawn, mix, replay, identity, seed, epochs, lr in later[: SHIPPED - 4]:
        if not Path(edits[drawn]).exists():
            made = ("--seed", drawn, "--per-edit", "3000", "--out", edits[drawn])
            step(str(HERE / "build_pairs.py"), "--shared", args.shared, *made)
        pairs = str(out / f"pairs-stage{stage}.jsonl")
        how = ("--mix", mix, "--replay", replay, "--identity", identity, "--seed", seed, "--out", pairs)
        step(str(HERE / "build_stage5.py"), "--shared", args.shared, "--edits", edits[drawn], *how)
        train(args.threads, out, stage, pairs, epochs=epochs, lr=lr, seed=seed)
    step(str(HERE / "export_stance.py"), "--checkpoint", str(out / f"stage{SHIPPED}" / "final"))
    step(str(HERE / "calibrate.py"), "--shared", args.shared)


if __name__ == "__main__":
    main()
