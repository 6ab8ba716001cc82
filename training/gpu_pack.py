"""Carry the MiniLM to a GPU machine and trained weights back, in the few megabytes such a machine allows.

    python training/gpu_pack.py base   DIR          # here: DIR/base.safetensors, config and tokenizer (~22 MB)
    python training/gpu_pack.py expand DIR OUT      # there: OUT, a full MiniLM folder train_stance.py --base reads
    python training/gpu_pack.py pack   MODEL FILE   # there: a trained model's weights, int8 per row (~11 MB)
    python training/gpu_pack.py unpack FILE MODEL   # here: FILE back to a model folder export_stance.py reads

The word-embedding table is half of MiniLM's weights and stays frozen in training (train_stance.py), so it never
travels: both sides read it from the shipped artifact, ``factcheck/data/stance/model.onnx``, which holds it as int8
(the table the runtime reads). The other weights go out as float16 and come back as int8 with one scale per row
(the shipped artifact is int8 per channel anyway); biases and norms stay float32.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parents[1]
ONNX = ROOT / "factcheck" / "data" / "stance" / "model.onnx"
WORDS = "embeddings.word_embeddings.weight"
TOKENIZER = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def word_embeddings(path: Path = ONNX) -> torch.Tensor:
    """The frozen word-embedding table, as the shipped int8 artifact holds it."""
    found = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(path)).graph.initializer if WORDS in t.name}
    prefix = "model.bert." + WORDS
    q = found[prefix + "_quantized"].astype(np.float32)
    table = (q - found[prefix + "_zero_point"].astype(np.float32)) * found[prefix + "_scale"].astype(np.float32)
    return torch.from_numpy(table)


def base(out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from train_stance import BASE

    out.mkdir(parents=True, exist_ok=True)
    weights = load_file(BASE / "model.safetensors")
    save_file(
        {k: v.half() for k, v in weights.items() if k != WORDS and v.is_floating_point()}, out / "base.safetensors"
    )
    for name in ("config.json", *TOKENIZER):
        shutil.copy(BASE / name, out / name)


def expand(src: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.float() for k, v in load_file(src / "base.safetensors").items()}
    weights[WORDS] = word_embeddings()
    save_file(weights, out / "model.safetensors")
    for name in ("config.json", *TOKENIZER):
        shutil.copy(src / name, out / name)


def pack(model: Path, out: Path) -> None:
    if model.suffix == ".pt":  # a run stopped before its end: the last checkpoint of train_stance.py
        weights = torch.load(model, map_location="cpu", weights_only=False)["model"]
    else:
        weights = load_file(model / "model.safetensors")
    packed: dict[str, torch.Tensor] = {}
    for name, w in weights.items():
        if name.endswith(WORDS) or not w.is_floating_point():
            continue
        if w.ndim == 2 and min(w.shape) >= 256:
            scale = w.abs().amax(dim=1).clamp(min=1e-12) / 127.0
            packed[name + ".q"] = torch.round(w / scale[:, None]).to(torch.int8)
            packed[name + ".s"] = scale.float()
        else:
            packed[name] = w.float()
    save_file(packed, out)


def unpack(src: Path, model: Path, like: Path) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    packed = load_file(src)
    weights = {k: v for k, v in packed.items() if not k.endswith((".q", ".s"))}
    for name in (k[:-2] for k in packed if k.endswith(".q")):
        weights[name] = packed[name + ".q"].float() * packed[name + ".s"][:, None]
    prefix = next(k for k in weights if k.endswith("embeddings.position_embeddings.weight")).split("embeddings.")[0]
    weights[prefix + WORDS] = word_embeddings()
    target = AutoModelForSequenceClassification.from_pretrained(like)
    missing, unexpected = target.load_state_dict(weights, strict=False)
    if [m for m in missing if "position_ids" not in m] or unexpected:
        sys.exit(f"{src}: weights do not fit {like}: missing {missing}, unexpected {unexpected}")
    target.save_pretrained(model)
    AutoTokenizer.from_pretrained(like).save_pretrained(model)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("base", "expand", "pack", "unpack"))
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument(
        "--like",
        type=Path,
        default=ROOT / "training" / "out" / "stage7" / "final",
        help="unpack: a trained model of the same shape (config and tokenizer)",
    )
    args = parser.parse_args()
    if args.what == "base":
        base(*args.paths)
    elif args.what == "expand":
        expand(*args.paths)
    elif args.what == "pack":
        pack(*args.paths)
    else:
        unpack(*args.paths, args.like)


if __name__ == "__main__":
    main()
