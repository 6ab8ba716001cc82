"""How a checkpoint reads the gold evidence of the tuning claims (a diagnostic; tuning data only).

    python training/probe_gold.py training/out/stage7/final [more checkpoints ...]

For each seed dev claim and each claim of the fresh claims' odd-numbered (tuning) half with a gold passage, the
checkpoint reads (claim, gold passage). Prints, over the supported and contradicted ones: the AUC of P(entails) and of
P(contradicts) for telling them apart, and how many of each the model's most likely label gets right. The figures in
training/README.md ("gold evidence") come from it. The even half of the fresh claims is never read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
from sklearn.metrics import roc_auc_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from accuracy import even_numbered  # noqa: E402  (the fresh claims' split, as calibrate.py uses it)


def tuning_pairs() -> list[tuple[str, str, str]]:
    fresh = [json.loads(line) for line in (ROOT / "benchmarks" / "fresh-claims.jsonl").read_text().splitlines()]
    rows = [r for r in fresh if not even_numbered(r["id"])]
    rows += [json.loads(line) for line in (ROOT.parent / "shared" / "eval" / "seed-claims.dev.jsonl").open()]
    return [(r["claim"], r["evidence"][0]["text"], r["label"]) for r in rows if r.get("evidence")]


def main() -> None:
    pairs = tuning_pairs()
    torch.set_num_threads(1)
    for checkpoint in sys.argv[1:]:
        tok = AutoTokenizer.from_pretrained(checkpoint)
        model = AutoModelForSequenceClassification.from_pretrained(checkpoint).eval()
        with torch.no_grad():
            enc = tok(
                [c for c, _, _ in pairs],
                [p for _, p, _ in pairs],
                padding=True,
                truncation="only_second",
                max_length=128,
                return_tensors="pt",
            )
            probs = model(**enc).logits.softmax(-1).numpy()
        labels = [label for _, _, label in pairs]
        both = [(p, lab) for p, lab in zip(probs, labels, strict=True) if lab in ("supported", "contradicted")]
        auc_e = roc_auc_score([lab == "supported" for _, lab in both], [p[0] for p, _ in both])
        auc_c = roc_auc_score([lab == "contradicted" for _, lab in both], [p[1] for p, _ in both])
        con = sum(1 for p, lab in both if lab == "contradicted" and p.argmax() == 1)
        sup = sum(1 for p, lab in both if lab == "supported" and p.argmax() == 0)
        n_con = sum(1 for _, lab in both if lab == "contradicted")
        n_sup = len(both) - n_con
        print(
            f"{checkpoint}: {len(pairs)} pairs; supported vs contradicted AUC of P(entails) {auc_e:.3f}, of "
            f"P(contradicts) {auc_c:.3f}; contradicts on contradicted {con}/{n_con}, entails on supported {sup}/{n_sup}"
        )


if __name__ == "__main__":
    main()
