"""Build the stance model's training pairs from the training side of shared/benchmarks/SPLITS.md.

    python training/build_pairs.py [--shared ../shared] [--out training/out/pairs.jsonl] [--seed 13]

Each line: {"premise", "hypothesis", "label" (0 entails, 1 contradicts, 2 neutral), "origin", "group", "split"}.
``split`` is "train" or "tune" (a few groups kept back to watch the run; never a report set).
Report-side sets (VitaminC held-out pages, WiCE test, SICK TEST, RTE dev, SciFact dev, FEVER, ANLI, Climate-FEVER,
AVeriTeC) and the seed articles are never read here.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import random
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2
VITC = {"SUPPORTS": ENTAILS, "REFUTES": CONTRADICTS, "NOT ENOUGH INFO": NEUTRAL}

_PTB = [
    (" -LRB- ", " ("),
    ("-LRB- ", "("),
    (" -RRB-", ")"),
    ("-LRB-", "("),
    ("-RRB-", ")"),
    (" -LSB- ", " ["),
    (" -RSB-", "]"),
    ("`` ", '"'),
    (" ''", '"'),
    (" 's", "'s"),
    (" n't", "n't"),
    (" %", "%"),
    ("$ ", "$"),
]


def detok(text: str) -> str:
    """Undo the PTB tokenisation of FEVER/VitaminC text ("Smith 's -LRB- 2019 -RRB- ." -> "Smith's (2019).")."""
    for a, b in _PTB:
        text = text.replace(a, b)
    text = re.sub(r" ([.,;:!?])", r"\1", text)
    return re.sub(r"\s+", " ", text).replace("\ufffd", " ").strip()


def split_of(group: str) -> str:
    """The split a pair's group falls in, the same in every stage: about 3 % of groups are held back to tune."""
    return "tune" if int(hashlib.sha256(group.encode()).hexdigest(), 16) % 100 < 3 else "train"


def pair(premise: str, hypothesis: str, label: int, origin: str, group: str) -> dict:
    return {"premise": premise, "hypothesis": hypothesis, "label": label, "origin": origin, "group": group}


def vitaminc(shared: Path) -> tuple[list[dict], list[str]]:
    bench = shared / "benchmarks" / "vitaminc"
    held = {p for p in (bench / "heldout-pages.txt").read_text().splitlines() if p}
    out: list[dict] = []
    sentences: list[str] = []
    by_page: dict[str, list[dict]] = collections.defaultdict(list)
    real = _zip_lines(bench / "raw" / "vitaminc_real.zip", "vitaminc_real/test.jsonl")
    for line in real:
        row = json.loads(line)
        if row["page"] in held:
            continue
        claim, evidence = detok(row["claim"]), detok(row["evidence"])
        out.append(pair(evidence, claim, VITC[row["label"]], "vitaminc-real", "vc:" + row["page"]))
        by_page[row["page"]].append({"claim": claim, "evidence": evidence, "case": row["case_id"]})
        sentences.append(evidence)
    synthetic = _zip_lines(bench / "raw" / "vitaminc_synthetic.zip", "vitaminc_synthetic/test.jsonl")
    for line in synthetic:
        row = json.loads(line)
        out.append(
            pair(detok(row["evidence"]), detok(row["claim"]), VITC[row["label"]], "vitaminc-synth", "vs:" + row["page"])
        )
    # Related but silent: a claim against a sentence of the same page from another case (what retrieval returns).
    rng = random.Random(1)
    for page, rows in by_page.items():
        for row in rows:
            others = [r for r in rows if r["case"] != row["case"] and r["evidence"] != row["evidence"]]
            if others and rng.random() < 0.35:
                other = rng.choice(others)
                if _overlap(row["claim"], other["evidence"]) < 0.6:
                    out.append(pair(other["evidence"], row["claim"], NEUTRAL, "vitaminc-related", "vc:" + page))
    return out, sentences


def _zip_lines(path: Path, member: str) -> list[bytes]:
    with zipfile.ZipFile(path) as zf:
        return zf.read(member).splitlines()


def _overlap(a: str, b: str) -> float:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(len(wa), 1)


def sick(shared: Path) -> list[dict]:
    labels = {"ENTAILMENT": ENTAILS, "CONTRADICTION": CONTRADICTS, "NEUTRAL": NEUTRAL}
    out = []
    with open(shared / "benchmarks" / "sick" / "raw" / "SICK.txt", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["SemEval_set"].strip() in {"TRAIN", "TRIAL"}:
                out.append(
                    pair(
                        row["sentence_A"],
                        row["sentence_B"],
                        labels[row["entailment_label"]],
                        "sick",
                        "sick:" + row["pair_ID"],
                    )
                )
    return out


def rte(shared: Path) -> tuple[list[dict], list[str]]:
    out, premises = [], []
    with open(shared / "benchmarks" / "rte" / "raw" / "train.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            label = ENTAILS if row["label"].strip() == "0" else NEUTRAL
            out.append(pair(row["sentence1"], row["sentence2"], label, "rte", "rte:" + row["idx"]))
            premises.append(row["sentence1"])
    return out, premises


def scifact(shared: Path, rng: random.Random) -> list[dict]:
    bench = shared / "benchmarks" / "scifact"
    out = []
    for line in (bench / "claims_train.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        group = "sf:" + row["id"]
        stance = {"supports": ENTAILS, "contradicts": CONTRADICTS}
        used = set()
        for ev in row["evidence"]:
            if ev["stance"] in stance:
                out.append(pair(ev["text"], row["claim"], stance[ev["stance"]], "scifact", group))
                used.add(ev["text"])
        for doc in row["cited_doc_ids"][:1]:
            path = bench / "corpus" / f"{doc}.txt"
            if not path.exists():
                continue
            lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if len(ln) > 40 and ln not in used]
            for text in rng.sample(lines, min(2, len(lines))):
                if row["label"] == "unverified" or not row["evidence"]:
                    out.append(pair(text, row["claim"], NEUTRAL, "scifact-silent", group))
    return out


def wice_dev(shared: Path, rng: random.Random) -> tuple[list[dict], list[str]]:
    """WiCE dev claims against their marked sentences (held apart by claim: the calibration half is not used)."""
    out, sentences = [], []
    for line in (shared / "benchmarks" / "wice" / "dev" / "claims.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if in_calibration_half(row["id"]):
            continue
        marked = [e["text"] for e in row["evidence"]]
        group = "wice:" + row["id"]
        if marked:
            label = ENTAILS if row["original_label"] == "supported" else NEUTRAL
            out.append(pair(" ".join(marked[:4]), row["claim"], label, "wice-dev", group))
        sentences.extend(marked)
    return out, sentences


def in_calibration_half(claim_id: str) -> bool:
    """WiCE dev is split by claim: one half trains pairs, the other calibrates the verdict (never both)."""
    return int(hashlib.sha256(claim_id.encode()).hexdigest(), 16) % 2 == 0


def synthetic(sentences: list[str], rng: random.Random, per_edit: int) -> list[dict]:
    pool = [s for s in dict.fromkeys(sentences) if 40 <= len(s) <= 260]
    rng.shuffle(pool)
    names = [n for s in pool[:4000] for n in synth.names_in(s)]
    counts: collections.Counter[str] = collections.Counter()
    out = []
    edits = [*synth.EDITS, "name", "detail"]
    for i, sentence in enumerate(pool):
        made = edit_once(sentence, rng, edits, counts, per_edit, names, pool[(i + 7) % len(pool)])
        if made:
            out.append(pair(sentence, made[1], made[2], "synth-" + made[0], "syn:" + str(i)))
    return out


def edit_once(
    sentence: str,
    rng: random.Random,
    edits: list,
    counts: collections.Counter[str],
    per_edit: int,
    names: list[str],
    other: str,
) -> tuple[str, str, int] | None:
    """The first edit (in a freshly shuffled order) that applies to ``sentence`` and has not yet been made
    ``per_edit`` times: (edit name, edited sentence, its label against the original). ``other`` lends a clause
    for "detail", ``names`` a name for "name"."""
    rng.shuffle(edits)
    for edit in edits:
        name = edit if isinstance(edit, str) else edit.__name__
        if counts[name] >= per_edit:
            continue
        if edit == "name":
            made = synth.swap_name(sentence, rng, names)
        elif edit == "detail":
            made = synth.add_detail(sentence, rng, other)
        else:
            made = edit(sentence, rng)
        if made and made[0] != sentence:
            counts[name] += 1
            return name, made[0], made[1]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "pairs.jsonl")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--per-edit", type=int, default=1500)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vc, vc_sentences = vitaminc(args.shared)
    rt, rte_sentences = rte(args.shared)
    wc, wice_sentences = wice_dev(args.shared, rng)
    pairs = vc + sick(args.shared) + rt + scifact(args.shared, rng) + wc
    pairs += synthetic(vc_sentences + rte_sentences + wice_sentences, rng, args.per_edit)
    for p in pairs:
        p["split"] = split_of(p["group"])
    rng.shuffle(pairs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    counts = collections.Counter((p["origin"], p["label"]) for p in pairs)
    by_origin = collections.Counter(p["origin"] for p in pairs)
    print(f"{len(pairs)} pairs -> {args.out}")
    for origin, n in sorted(by_origin.items()):
        print(f"  {origin:22} {n:6}  " + " ".join(f"{lab}:{counts[(origin, lab)]}" for lab in (0, 1, 2)))


if __name__ == "__main__":
    main()
