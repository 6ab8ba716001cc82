"""Average the weights of fine-tuned checkpoints of one architecture (a "model soup").

    python training/average.py OUT CHECKPOINT[:WEIGHT] CHECKPOINT[:WEIGHT] ...

Weights default to equal parts and are normalised to sum to one. The tokenizer and config are copied from the first
checkpoint. Used for the stage-7/8d averages in training/README.md (none shipped).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from safetensors.torch import load_file, save_file


def parse(spec: str) -> tuple[Path, float]:
    path, _, weight = spec.partition(":")
    return Path(path), float(weight) if weight else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("checkpoints", nargs="+", type=parse)
    args = parser.parse_args()
    total = sum(w for _, w in args.checkpoints)
    states = [(load_file(str(p / "model.safetensors")), w / total) for p, w in args.checkpoints]
    first = states[0][0]
    if any(s.keys() != first.keys() for s, _ in states):
        raise SystemExit("average.py: the checkpoints do not share one architecture")
    merged = {}
    for key, tensor in first.items():
        if tensor.is_floating_point():
            merged[key] = sum(s[key].float() * w for s, w in states).to(tensor.dtype)
        else:
            merged[key] = tensor
    args.out.mkdir(parents=True, exist_ok=True)
    for f in args.checkpoints[0][0].iterdir():
        if f.name != "model.safetensors":
            shutil.copy(f, args.out / f.name)
    save_file(merged, str(args.out / "model.safetensors"), metadata={"format": "pt"})
    print(f"wrote {args.out} from {len(states)} checkpoints")


if __name__ == "__main__":
    main()
