"""Time `factcheck lint` on a generated 1,000-sentence draft.

The draft is 1,000 *distinct* sentences of real news text that is not in the sources: sentences of the web
pages in ``shared/benchmarks/averitec/corpus`` (read in place, never copied here), grouped into paragraphs,
so that no cache flatters the figure. Where that corpus is missing (a checkout without shared/), it falls
back to sentences of ``sources/*.txt`` with their numbers varied, and says so: that draft repeats ~190 source
sentences and flatters the timing. Prints the median wall time of 3 runs.
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


REAL_TEXT = ROOT.parent / "shared" / "benchmarks" / "averitec" / "corpus"
CHECK_WORTHY = re.compile(r"\d|\b[A-Z][a-z]+\b.*\b[A-Z][a-z]+\b")


def real_sentences(folder: Path = REAL_TEXT) -> list[str]:
    """Distinct, check-worthy sentences (a figure, or two capitalised words) of the real-text corpus, in a
    fixed order; [] when the corpus is not there."""
    from factcheck.draft import read_draft

    seen: dict[str, None] = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        draft = read_draft(path.name, path.read_text(encoding="utf-8", errors="replace"), markdown=False)
        for s in draft.sentences:
            text = " ".join(s.text.split())
            if 40 <= len(text) <= 300 and CHECK_WORTHY.search(text[1:]):
                seen.setdefault(text, None)
    return list(seen)


def real_draft(count: int, seed: int = 7) -> str | None:
    """``count`` distinct real sentences, five to a paragraph; None when the corpus is missing or too small."""
    sentences = real_sentences()
    if len(sentences) < count:
        return None
    chosen = random.Random(seed).sample(sentences, count)
    paragraphs = [" ".join(chosen[i : i + 5]) for i in range(0, len(chosen), 5)]
    return "# Generated draft (real text, not in the sources)\n\n" + "\n\n".join(paragraphs) + "\n"


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
    text = real_draft(args.sentences)
    if text is None:
        print(f"{REAL_TEXT} missing: the draft repeats source sentences (flattering)", file=sys.stderr)
        sentences = source_sentences(Path(args.sources))
        if not sentences:
            sys.exit(f"no sentences found in {args.sources}/*.txt")
        text = make_draft(sentences, args.sentences)
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / "draft.md"
        draft.write_text(text, encoding="utf-8")
        extra = ["--sources", args.sources, "--index", args.index]
        times = [time_lint(draft, extra) for _ in range(args.runs)]
    print(f"factcheck lint, {args.sentences} sentences: median {statistics.median(times):.2f} s "
          f"over {args.runs} runs ({', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
