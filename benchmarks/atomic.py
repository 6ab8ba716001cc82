"""Atomic claims: how well compound sentences are split, and how well each part is judged.

    python benchmarks/atomic.py                 # benchmarks/atomic-claims.jsonl on the bundled sources
    python benchmarks/atomic.py --misses        # also list the sentences split or judged wrongly
    python benchmarks/atomic.py --wice          # also WiCE test balanced accuracy, with vs without splitting
    python benchmarks/atomic.py --json out.json

The labelled set holds compound sentences about the seed articles, each with its expected parts (a piece of
the sentence that part must come from) and each part's verdict as the sources support it. A sentence is split
right when it gets exactly the expected number of parts and the i-th part (in order of position) contains the
i-th expected piece. A part is judged right when the predicted part holding its piece has its verdict; a part
of a sentence split wrongly counts as judged right only if some predicted part holding its piece has the
expected verdict. The sentence's expected verdict is the worst of its parts' (contradicted > disputed >
unverified > supported).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "benchmarks" / "atomic-claims.jsonl"
WICE = ROOT.parent / "shared" / "benchmarks" / "wice" / "test"
SEVERITY = {"contradicted": 0, "disputed": 1, "unverified": 2, "supported": 3}


class SetError(Exception):
    """A labelled set that cannot be read (one line, named file and line)."""


def load(path: Path) -> list[dict]:  # type: ignore[type-arg]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise SetError(f"{path}: cannot read: {e.strerror}") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            sentence, parts = row["sentence"], row["parts"]
            for p in parts:
                if p["text"] not in sentence or p["verdict"] not in SEVERITY:
                    raise ValueError(f"part {p['text']!r} is not in the sentence or has an unknown verdict")
        except (ValueError, KeyError, TypeError) as e:
            raise SetError(f"{path}:{n}: {e}") from None
        rows.append({"id": f"line {n}", "construction": "-", **row, "line": n})
    return rows


def split_right(sentence: str, expected: list[dict], predicted: list[tuple[tuple[int, int], ...]]) -> bool:  # type: ignore[type-arg]
    if len(expected) != len(predicted):
        return False
    return all(_holds(sentence, spans, e["text"]) for e, spans in zip(expected, predicted, strict=True))


def _holds(sentence: str, spans: tuple[tuple[int, int], ...], piece: str) -> bool:
    return any(piece in sentence[a:b] for a, b in spans)


def score(rows: list[dict], verdicts: list) -> dict:  # type: ignore[type-arg]
    """Split accuracy, part-verdict accuracy and sentence-verdict accuracy, overall and per construction."""
    from factcheck.decompose import decompose

    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    for row, verdict in zip(rows, verdicts, strict=True):
        s, expected = row["sentence"], row["parts"]
        parts = decompose(s)
        spans = [p.spans for p in parts]
        ok_split = split_right(s, expected, spans)
        judged = [(p.spans, p.verdict.verdict) for p in verdict.parts] or [(((0, len(s)),), verdict.verdict)]
        right_parts = 0
        for i, e in enumerate(expected):
            if ok_split and len(judged) == len(expected):
                right_parts += judged[i][1] == e["verdict"]
            else:
                right_parts += any(v == e["verdict"] for sp, v in judged if _holds(s, sp, e["text"]))
        gold = min((e["verdict"] for e in expected), key=SEVERITY.__getitem__)
        for key in (row["construction"], "all"):
            k = by_kind[key]
            k["sentences"] += 1
            k["split"] += ok_split
            k["parts"] += len(expected)
            k["parts_right"] += right_parts
            k["verdict_right"] += verdict.verdict == gold
        if not ok_split or right_parts < len(expected) or verdict.verdict != gold:
            misses.append(
                {
                    "id": row["id"],
                    "line": row["line"],
                    "sentence": s,
                    "split_right": ok_split,
                    "expected": [(e["text"], e["verdict"]) for e in expected],
                    "got": [(p.quoted(s), p.text, v) for p, (_, v) in zip(parts, judged, strict=False)]
                    if verdict.parts
                    else [(s, s, verdict.verdict)],
                    "verdict": verdict.verdict,
                    "gold": gold,
                }
            )
    table = {
        kind: {
            "sentences": k["sentences"],
            "split_accuracy": round(k["split"] / k["sentences"], 4),
            "parts": k["parts"],
            "part_accuracy": round(k["parts_right"] / k["parts"], 4),
            "sentence_verdict_accuracy": round(k["verdict_right"] / k["sentences"], 4),
        }
        for kind, k in sorted(by_kind.items(), key=lambda kv: (kv[0] == "all", kv[0]))
    }
    return {"table": table, "misses": misses}


def run_set(rows: list[dict], sources: Path, index: Path, judge: str) -> list:  # type: ignore[type-arg]
    from factcheck.api import check

    return check([r["sentence"] for r in rows], sources=sources, index=index, judge=judge)


def wice(split: bool, index: Path) -> float:
    """WiCE test balanced accuracy (supported vs not), each claim against its own cited page."""
    from factcheck.evaluate import evaluate, load_claims

    items = load_claims(WICE / "claims.jsonl")
    result = evaluate(items, sources=WICE / "corpus", index=index, split=split)
    rows = result.confusion
    positive = sum(rows.get("supported", {}).values())
    hit = rows.get("supported", {}).get("supported", 0)
    negative = sum(sum(r.values()) for g, r in rows.items() if g != "supported")
    rejected = sum(sum(r.values()) - r.get("supported", 0) for g, r in rows.items() if g != "supported")
    return (hit / max(positive, 1) + rejected / max(negative, 1)) / 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET, help="labelled compound sentences (JSON Lines)")
    parser.add_argument("--sources", type=Path, default=ROOT / "sources")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--judge", default="combined", choices=("combined", "rules", "model"))
    parser.add_argument("--misses", action="store_true", help="list the sentences split or judged wrongly")
    parser.add_argument("--wice", action="store_true", help="also WiCE test balanced accuracy with vs without split")
    parser.add_argument("--wice-index", type=Path, default=ROOT / ".cache" / "bench-index" / "wice-test")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    from factcheck.errors import FactcheckError

    try:
        rows = load(args.set)
        started = time.perf_counter()
        verdicts = run_set(rows, args.sources, args.index, args.judge)
        seconds = time.perf_counter() - started
        result = score(rows, verdicts)
        if args.wice:
            result["wice_balanced_accuracy"] = {
                "split": wice(True, args.wice_index),
                "no_split": wice(False, args.wice_index),
            }
    except (SetError, FactcheckError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    print(f"{args.set.name}: {len(rows)} sentences, judge {args.judge}, {seconds:.1f} s")
    print(f"{'construction':<14}{'n':>4}{'split':>9}{'parts':>7}{'part acc':>10}{'verdict acc':>13}")
    for kind, t in result["table"].items():
        print(
            f"{kind:<14}{t['sentences']:>4}{t['split_accuracy']:>9.3f}{t['parts']:>7}"
            f"{t['part_accuracy']:>10.3f}{t['sentence_verdict_accuracy']:>13.3f}"
        )
    if "wice_balanced_accuracy" in result:
        w = result["wice_balanced_accuracy"]
        print(f"WiCE test balanced accuracy: {w['split'] * 100:.1f} with splitting, {w['no_split'] * 100:.1f} without")
    if args.misses:
        for m in result["misses"]:
            print(f"\n{m['id']} (line {m['line']}): {m['sentence']}")
            print(f"  split {'right' if m['split_right'] else 'WRONG'}; verdict {m['verdict']} (expected {m['gold']})")
            for text, v in m["expected"]:
                print(f"  expected  {v:<13} {text}")
            for quoted, text, v in m["got"]:
                print(f"  got       {v:<13} {quoted}" + (f"  [checked as: {text}]" if text != quoted else ""))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
