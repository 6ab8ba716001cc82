"""Accuracy of factcheck on every labelled claim set, with baselines, in one table.

    python benchmarks/accuracy.py            # all sets (builds indexes once under .cache/)
    python benchmarks/accuracy.py --quick    # seed dev + peer cases only
    python benchmarks/accuracy.py --json out.json

Each row is `factcheck eval --baselines` on one set: the judge, the majority class and the
similarity-only baseline (supported above a cosine threshold fitted on the other half of the
claims, else unverified), all scored on the same retrieved passages in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CACHE = ROOT / ".cache" / "bench-index"

SETS = [
    # name, claims file, sources folder, quick
    ("seed dev (40)", SHARED / "eval" / "seed-claims.dev.jsonl", ROOT / "sources", True),
    ("peer cases (10)", ROOT / "benchmarks" / "peer-cases.jsonl", ROOT / "sources", True),
    (
        "Climate-FEVER",
        SHARED / "benchmarks" / "climate-fever" / "claims.jsonl",
        SHARED / "benchmarks" / "climate-fever" / "corpus",
        False,
    ),
    (
        "SciFact dev",
        SHARED / "benchmarks" / "scifact" / "claims.jsonl",
        SHARED / "benchmarks" / "scifact" / "corpus",
        False,
    ),
    (
        "AVeriTeC numerical",
        SHARED / "benchmarks" / "averitec" / "claims_numerical.jsonl",
        SHARED / "benchmarks" / "averitec" / "corpus",
        False,
    ),
]


def format_row(row: tuple) -> str:  # type: ignore[type-arg]
    name, n, acc, f1, macc, mf1, sacc, sf1, recall, seconds = row
    r5 = "n/a" if recall is None else f"{recall:.3f}"
    baselines = f"{macc:.3f} / {mf1:.3f} | {sacc:.3f} / {sf1:.3f}"
    return f"| {name} | {n} | {acc:.3f} | {f1:.3f} | {baselines} | {r5} | {seconds:.0f} s |"


def main(argv: list[str] | None = None) -> int:
    from factcheck.errors import IndexStateError
    from factcheck.evaluate import evaluate, load_claims
    from factcheck.index.snapshot import open_snapshot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the seed dev set and the peer cases")
    parser.add_argument("--json", type=Path, help="also write the full results here")
    parser.add_argument("--only", help="run only the sets whose name contains this text")
    args = parser.parse_args(argv)

    rows, full = [], {}
    for name, claims, sources, quick in SETS:
        if (args.quick and not quick) or (args.only and args.only.lower() not in name.lower()):
            continue
        if not claims.exists():
            print(f"skipping {name}: {claims} not found", file=sys.stderr)
            continue
        index = ROOT / "index" if sources == ROOT / "sources" else CACHE / sources.parent.name
        try:
            open_snapshot(index).close()
        except IndexStateError:  # a cache from another factcheck version: build it afresh
            shutil.rmtree(index, ignore_errors=True)
        started = time.perf_counter()
        result = evaluate(load_claims(claims), sources=sources, index=index, baselines=True)
        seconds = time.perf_counter() - started
        base = result.baselines or {}
        rows.append(
            (
                name,
                result.n,
                result.accuracy,
                result.macro_f1,
                base["majority"]["accuracy"],
                base["majority"]["macro_f1"],
                base["similarity"]["accuracy"],
                base["similarity"]["macro_f1"],
                result.evidence_recall_at_5,
                seconds,
            )
        )
        full[name] = result.to_dict()
        print(f"done: {name} in {seconds:.0f} s: {format_row(rows[-1])}", file=sys.stderr, flush=True)

    print("| claim set | n | accuracy | macro-F1 | majority acc / F1 | similarity acc / F1 | evidence R@5 | time |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(format_row(row))
    if args.json:
        args.json.write_text(json.dumps(full, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
