"""Build the second-stage training pairs: related-but-silent passages, in the context the runtime reads them.

    python training/build_stage2.py [--shared ../shared] [--pairs training/out/pairs.jsonl]
                                    [--out training/out/pairs-stage2.jsonl] [--seed 29] [--replay 26000]

The first stage learned entails/contradicts from contrastive pairs, and then called a passage that speaks of the
same people and places but says nothing of the claim "contradicts": that is what retrieval hands the judge most
often. This stage adds such passages as `neutral`, taken from the training side of SPLITS.md only:

- WiCE dev, training half (``in_calibration_half`` false): each claim against the sentences of its cited page that
  share the most words with it but were not marked as evidence; and the marked evidence read with its neighbours,
  as the runtime reads a passage (previous + sentence + next).
- SciFact train: each claim against the sentences of its cited abstracts that are not rationales.

To these it adds a seeded replay sample of the first stage's pairs (``--replay``), so the model keeps what it
learned. The tune split is the first stage's tune split plus the new pairs whose group falls in it.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_pairs import ENTAILS, NEUTRAL, in_calibration_half, pair, split_of  # noqa: E402

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = set("the a an of in on at to for and or by with from as is was were are be been that this its it his".split())


def sentences(text: str) -> list[str]:
    """Lines of a page split at sentence ends; front matter, headings and short fragments dropped."""
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") and "\n---\n" in text else text
    out = []
    for line in body.splitlines():
        line = line.strip().lstrip("#*-> ").strip()
        for s in _SENT.split(line):
            if 30 <= len(s) <= 400:
                out.append(s)
    return out


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def overlap(claim: str, sentence: str) -> float:
    wc = words(claim)
    return len(wc & words(sentence)) / max(len(wc), 1)


def in_context(sents: list[str], i: int) -> str:
    return " ".join(sents[max(i - 1, 0) : i + 2])


def wice_related(shared: Path, rng: random.Random, per_claim: int) -> list[dict]:
    out = []
    bench = shared / "benchmarks" / "wice" / "dev"
    for line in (bench / "claims.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if in_calibration_half(row["id"]):
            continue
        page = bench / "corpus" / f"{row['sources'][0]}.md"
        if not page.exists():
            continue
        sents = sentences(page.read_text(encoding="utf-8"))
        marked = {e["text"] for e in row["evidence"]}
        group = "wice:" + row["id"]
        # a supported claim's unmarked sentences may still support it: only weakly related ones count as silent
        cap = 0.5 if row["original_label"] == "supported" else 1.01
        ranked = sorted(
            (i for i, s in enumerate(sents) if s not in marked and not any(s in m or m in s for m in marked)),
            key=lambda i: -overlap(row["claim"], sents[i]),
        )
        chosen = [i for i in ranked if 0.15 <= overlap(row["claim"], sents[i]) < cap][:per_claim]
        for i in chosen:
            premise = in_context(sents, i) if rng.random() < 0.5 else sents[i]
            out.append(pair(premise, row["claim"], NEUTRAL, "wice-related", group))
        if row["original_label"] == "supported":
            for text in sorted(marked):  # sorted: a set's order changes from run to run
                if text in sents and rng.random() < 0.7:
                    out.append(pair(in_context(sents, sents.index(text)), row["claim"], ENTAILS, "wice-context", group))
    return out


def scifact_related(shared: Path, rng: random.Random, per_claim: int) -> list[dict]:
    out = []
    bench = shared / "benchmarks" / "scifact"
    for line in (bench / "claims_train.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rationale = {e["text"] for e in row["evidence"]}
        for doc in row["cited_doc_ids"]:
            path = bench / "corpus" / f"{doc}.txt"
            if not path.exists():
                continue
            sents = [s for s in path.read_text(encoding="utf-8").splitlines() if len(s) > 30 and s not in rationale]
            ranked = sorted(range(len(sents)), key=lambda i: -overlap(row["claim"], sents[i]))[:per_claim]
            for i in ranked:
                premise = in_context(sents, i) if rng.random() < 0.3 else sents[i]
                if not any(r in premise for r in rationale):
                    out.append(pair(premise, row["claim"], NEUTRAL, "scifact-related", "sf:" + row["id"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("--shared", type=Path, default=here.parents[1] / "shared")
    parser.add_argument("--pairs", type=Path, default=here / "out" / "pairs.jsonl")
    parser.add_argument("--out", type=Path, default=here / "out" / "pairs-stage2.jsonl")
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--replay", type=int, default=26000)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    first = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines()]
    tune = [p for p in first if p["split"] == "tune"]
    train = [p for p in first if p["split"] == "train"]
    new = wice_related(args.shared, rng, per_claim=8) + scifact_related(args.shared, rng, per_claim=3)
    for p in new:
        p["split"] = split_of(p["group"])
    pairs = rng.sample(train, min(args.replay, len(train))) + tune + new
    rng.shuffle(pairs)
    with open(args.out, "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    by = collections.Counter((p["origin"], p["label"], p["split"]) for p in new)
    print(f"{len(pairs)} pairs -> {args.out} ({len(new)} new)")
    for key, n in sorted(by.items()):
        print(" ", *key, n)


if __name__ == "__main__":
    main()
