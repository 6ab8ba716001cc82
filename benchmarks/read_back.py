"""Read the sources back: every sentence of the sources, checked against the archive that holds it.

    python benchmarks/read_back.py [--sources sources] [--index index] [--show contradicted,disputed]

A sentence of a source is true by that source, and its own line supports it, so the judge should never call
it contradicted: each one it does shows a mechanism that reads a true statement as false, which in a draft
is a false lint error. (Disputed may be right where another source gives other figures for the same thing;
unverified shows a sentence its own line failed to support.) Sentences of 40 to 300 characters that end as
sentences do are read; headings and captions are not. No labels and no claim set of SPLITS.md: the sources
themselves. Prints the verdict counts and the sentences of the verdicts named by ``--show``.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck import check  # noqa: E402
from factcheck.segment import split_sentences  # noqa: E402


def sentences_of(sources: Path) -> list[str]:
    """The sentences of every ``*.txt`` source, white space collapsed, in file order."""
    out: list[str] = []
    for path in sorted(sources.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for start, end in split_sentences(text):
            sentence = " ".join(text[start:end].split())
            if 40 <= len(sentence) <= 300 and sentence[-1] in '.!?"”’':
                out.append(sentence)
    return list(dict.fromkeys(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=ROOT / "sources")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--show", default="contradicted", help="verdicts whose sentences are listed (comma-separated)")
    args = parser.parse_args()
    sentences = sentences_of(args.sources)
    verdicts = check(sentences, sources=args.sources, index=args.index)
    counts = collections.Counter(v.verdict for v in verdicts)
    print(f"{len(sentences)} sentences of {args.sources}: " + ", ".join(f"{n} {k}" for k, n in counts.most_common()))
    show = {s.strip() for s in args.show.split(",") if s.strip()}
    for sentence, v in zip(sentences, verdicts, strict=True):
        if v.verdict in show:
            print(f"- {v.verdict}: {sentence}\n    {v.reason}")


if __name__ == "__main__":
    main()
