"""Build one training set from every stage's pairs, for a single run from the packaged MiniLM (stage 9).

    python training/build_mix.py [--out training/out/pairs-mix.jsonl] [--claim-edits]

Stages 1 to 7 trained one after another on parts of the data, each a fraction of an epoch, because two CPU cores
could not do more in a session. A GPU trains the whole union for several epochs in minutes. The union, each
(premise, hypothesis) pair once, training side of shared/benchmarks/SPLITS.md only:
  - stage 1's pairs (``pairs.jsonl``: VitaminC real and synthetic, SICK, RTE, SciFact, WiCE dev training half, the
    first draw of the contrastive edits);
  - the related-but-silent and in-context pairs of stage 2 (``pairs-stage2.jsonl``: WiCE dev training half,
    SciFact train);
  - the second and third draws of the contrastive edits (``pairs-edits.jsonl``, ``pairs-edits2.jsonl``);
  - the edited sentences read against themselves of stage 7 (``pairs-stage7.jsonl``);
  - with ``--claim-edits``: the edits made to the claims of real entailing pairs (``pairs-stage8.jsonl``).
The tune split is stage 1's, kept as it is (no pair of it, nor any pair sharing a premise and hypothesis with it,
enters the training rows), so that the runs compare with the earlier stages'.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

# (file, which rows of it): stage 1 whole; from the others only what stage 1 lacks
SOURCES = (
    ("pairs.jsonl", ()),
    ("pairs-stage2.jsonl", ("scifact-related", "wice-context", "wice-related")),
    ("pairs-edits.jsonl", ("synth-",)),
    ("pairs-edits2.jsonl", ("synth-",)),
    ("pairs-stage7.jsonl", ("identity",)),
)
CLAIM_EDITS = ("pairs-stage8.jsonl", ("claim-",))


def rows(path: Path, origins: tuple[str, ...]) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if not origins or row["origin"].startswith(origins):
                yield row


def mix(folder: Path, claim_edits: bool) -> tuple[list[dict], list[dict]]:
    """(train rows, tune rows): the union of the stages' training rows, each pair once, none of the tune split."""
    tune = [row for row in rows(folder / "pairs.jsonl", ()) if row["split"] == "tune"]
    seen = {(row["premise"], row["hypothesis"]) for row in tune}
    train = []
    for name, origins in SOURCES + ((CLAIM_EDITS,) if claim_edits else ()):
        for row in rows(folder / name, origins):
            key = (row["premise"], row["hypothesis"])
            if row["split"] != "train" or key in seen:
                continue
            seen.add(key)
            train.append(row)
    return train, tune


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=OUT, help="where the stages' pairs files are")
    parser.add_argument("--out", type=Path, default=OUT / "pairs-mix.jsonl")
    parser.add_argument("--claim-edits", action="store_true", help="add the claim edits of pairs-stage8.jsonl")
    args = parser.parse_args()
    train, tune = mix(args.folder, args.claim_edits)
    with open(args.out, "w", encoding="utf-8") as handle:
        for row in train + tune:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {lab: sum(r["label"] == lab for r in train) for lab in (0, 1, 2)}
    print(
        f"{args.out}: {len(train)} train pairs (entails {counts[0]}, contradicts {counts[1]}, neutral {counts[2]}), "
        f"{len(tune)} tune"
    )


if __name__ == "__main__":
    main()
