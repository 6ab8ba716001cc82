"""The shipped stance model on the pair-level report sets of shared/benchmarks/SPLITS.md (right column only).

    python benchmarks/stance_pairs.py [--json out.json] [--limit N]

One claim x evidence pair at a time, no retrieval, no rules: what the model alone reads. Each row gives the
model's accuracy and the majority-class baseline of the same rows. Three-way sets (entails / contradicts /
neutral) are scored three-way; two-way sets as their own labels (FEVER-Symmetric: supports vs refutes, the model's
larger of the two; RTE: entails vs not). VitaminC held-out pages are also scored per contrastive case (every
pair of the case right).
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks"
E, C, N = 0, 1, 2
FEVER = {"SUPPORTS": E, "REFUTES": C, "NOT ENOUGH INFO": N}

sys.path.insert(0, str(ROOT / "training"))
from build_pairs import detok  # noqa: E402  (undo PTB tokenisation, as the training pairs do)


def _jsonl(lines) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    for line in lines:
        if line.strip():
            yield json.loads(line)


def vitaminc_heldout() -> list[tuple[str, str, int, str]]:
    held = {p for p in (BENCH / "vitaminc" / "heldout-pages.txt").read_text().splitlines() if p}
    zf = zipfile.ZipFile(BENCH / "vitaminc" / "raw" / "vitaminc_real.zip")
    return [
        (detok(r["claim"]), detok(r["evidence"]), FEVER[r["label"]], r["case_id"])
        for r in _jsonl(zf.open("vitaminc_real/test.jsonl"))
        if r["page"] in held
    ]


def fever_symmetric(split: str) -> list[tuple[str, str, int, str]]:
    path = BENCH / "fever-symmetric" / "raw" / f"fever_symmetric_{split}.jsonl"
    return [(detok(r["claim"]), detok(r["evidence"]), FEVER[r["gold_label"]], "") for r in _jsonl(open(path))]


def fever_adversarial() -> list[tuple[str, str, int, str]]:
    zf = zipfile.ZipFile(BENCH / "fever-adversarial" / "raw" / "fever_adversarial.zip")
    return [
        (detok(r["claim"]), detok(r["evidence"]), FEVER[r["label"]], "")
        for r in _jsonl(zf.open("fever_adversarial/test.jsonl"))
    ]


def anli(round_: str) -> list[tuple[str, str, int, str]]:
    zf = zipfile.ZipFile(BENCH / "anli" / "raw" / "anli.zip")
    return [
        (r["claim"], r["evidence"], FEVER[r["label"]], "")
        for r in _jsonl(zf.open("anli/test.jsonl"))
        if r["tag"] == f"{round_}_test"
    ]


def sick_test() -> list[tuple[str, str, int, str]]:
    labels = {"ENTAILMENT": E, "CONTRADICTION": C, "NEUTRAL": N}
    with open(BENCH / "sick" / "raw" / "SICK.txt", encoding="utf-8") as f:
        return [
            (r["sentence_B"], r["sentence_A"], labels[r["entailment_label"]], "")
            for r in csv.DictReader(f, delimiter="\t")
            if r["SemEval_set"].strip() == "TEST"
        ]


def rte_dev() -> list[tuple[str, str, int, str]]:
    with open(BENCH / "rte" / "raw" / "dev.tsv", encoding="utf-8") as f:
        return [
            (r["sentence2"], r["sentence1"], E if r["label"].strip() == "0" else N, "")
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


SETS = [
    ("VitaminC held-out pages", vitaminc_heldout, 3),
    ("FEVER-Symmetric v0.2 dev", lambda: fever_symmetric("dev"), 2),
    ("FEVER-Symmetric v0.2 test", lambda: fever_symmetric("test"), 2),
    ("FEVER 2.0 adversarial", fever_adversarial, 3),
    ("ANLI R1 test", lambda: anli("r1"), 3),
    ("ANLI R2 test", lambda: anli("r2"), 3),
    ("ANLI R3 test", lambda: anli("r3"), 3),
    ("SICK test", sick_test, 3),
    ("RTE dev", rte_dev, 2),
]


def predict(probs, ways: int, labels: set[int]) -> int:  # type: ignore[no-untyped-def]
    scores = [probs.entails, probs.contradicts, probs.neutral]
    if ways == 2:  # a two-way set: the larger of its two labels
        two = sorted(labels)
        if two == [E, N]:  # entails vs not
            return E if probs.entails >= probs.contradicts + probs.neutral else N
        return max(two, key=lambda lab: scores[lab])
    return max(range(3), key=lambda lab: scores[lab])


def main(argv: list[str] | None = None) -> int:
    from factcheck.judge.stance_model import StanceModel

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="first N pairs of each set (a quick look)")
    parser.add_argument("--only", help="only sets whose name contains this text")
    args = parser.parse_args(argv)
    model = StanceModel()
    rows, full = [], {}
    for name, load, ways in SETS:
        if args.only and args.only.lower() not in name.lower():
            continue
        data = load()
        if args.limit:
            data = data[: args.limit]
        began = time.perf_counter()
        probs = model.predict([(claim, evidence) for claim, evidence, _, _ in data])
        seconds = time.perf_counter() - began
        labels = {gold for _, _, gold, _ in data}
        pred = [predict(p, ways, labels) for p in probs]
        gold = [g for _, _, g, _ in data]
        acc = sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)
        majority = collections.Counter(gold).most_common(1)[0][1] / len(gold)
        entry = {
            "n": len(gold),
            "accuracy": round(acc, 4),
            "majority": round(majority, 4),
            "pairs_per_second": round(len(gold) / seconds, 1),
        }
        cases = collections.defaultdict(list)
        for (_, _, g, case), p in zip(data, pred, strict=True):
            if case:
                cases[case].append(p == g)
        if cases:
            entry["cases"] = len(cases)
            entry["case_accuracy"] = round(sum(all(v) for v in cases.values()) / len(cases), 4)
        full[name] = entry
        note = f"{entry['case_accuracy']:.3f} ({entry['cases']} cases)" if cases else "-"
        rows.append(f"| {name} | {len(gold)} | {acc:.3f} | {majority:.3f} | {note} |")
        print(f"done: {rows[-1]} ({seconds:.0f} s)", file=sys.stderr, flush=True)
    print("| set (report only) | pairs | model accuracy | majority | all pairs of a case right |")
    print("|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    if args.json:
        args.json.write_text(json.dumps(full, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
