"""Time `factcheck lint` on a generated 1,000-sentence draft.

The draft is made of real sentences from ``sources/*.txt`` with their numbers varied (so some
claims are contradicted), grouped into paragraphs. Prints the median wall time of 3 runs.
Needs the engine (``factcheck.api``) and a built index; run from the repository root:

    python benchmarks/lint_draft.py [--sentences 1000] [--runs 3] [--index index --sources sources]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def source_sentences(folder: Path) -> list[str]:
    """The sentences of the source articles in ``sources/*.txt``, as the linter splits them."""
    from factcheck.draft import read_draft

    sentences: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        draft = read_draft(path.name, path.read_text(encoding="utf-8"), markdown=False)
        sentences += [s.text for s in draft.sentences if 30 <= len(s.text) <= 400]
    return sentences


def vary_numbers(sentence: str, rng: random.Random) -> str:
    """Scale about half the numbers by a random factor; leave years alone."""

    def change(match: re.Match[str]) -> str:
        text = match.group()
        value = float(text.replace(",", ""))
        if 1900 <= value <= 2100 or rng.random() < 0.5:
            return text
        new = max(1, round(value * rng.choice((0.5, 0.8, 1.5, 2, 3))))
        return f"{new:,}" if "," in text else str(new)

    return NUMBER.sub(change, sentence)


def make_draft(sentences: list[str], count: int, seed: int = 7) -> str:
    """``count`` sentences drawn from ``sources`` (numbers varied), five to a paragraph."""
    rng = random.Random(seed)
    chosen = [vary_numbers(rng.choice(sentences), rng) for _ in range(count)]
    paragraphs = [" ".join(chosen[i : i + 5]) for i in range(0, len(chosen), 5)]
    return "# Generated draft\n\n" + "\n\n".join(paragraphs) + "\n"


def time_lint(draft: Path, extra: list[str]) -> float:
    command = [sys.executable, "-c", "from factcheck.cli import main; main()",
               "lint", "--format", "json", "--exit-zero", *extra, str(draft)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"factcheck lint failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sources", default=str(ROOT / "sources"))
    parser.add_argument("--index", default=str(ROOT / "index"))
    args = parser.parse_args()
    sentences = source_sentences(Path(args.sources))
    if not sentences:
        sys.exit(f"no sentences found in {args.sources}/*.txt")
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / "draft.md"
        draft.write_text(make_draft(sentences, args.sentences), encoding="utf-8")
        extra = ["--sources", args.sources, "--index", args.index]
        times = [time_lint(draft, extra) for _ in range(args.runs)]
    print(f"factcheck lint, {args.sentences} sentences: median {statistics.median(times):.2f} s "
          f"over {args.runs} runs ({', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
