"""Regression tests for what ``fuzz/run.py`` found. Each test names its finding.

Finding 1 (segment:Hang, 2026-11-21, seed 20261121): a line of ~900 ``=`` followed by text
that does not close the heading makes the heading regular expressions backtrack
cubically: 2.6 s for 894 ``=``, minutes for a few thousand. A single such line in a source hangs
``factcheck index``. Fixed in ingest (``heading_title``, plain string operations), which
segment.py now shares (commit 768ac1b).

Finding 2 (segment:ValueError, seed 31337): pysbd raises ValueError ("invalid literal for int()")
on a digit run after an ASCII separator control, e.g. ``2\x1e26.``: one such byte in a source
made ``factcheck index`` fail. Fixed in ``ingest.decode``: control characters other than tab and
newline become spaces (length kept, so spans hold). ``segment.split_sentences``
itself now retries such raw text with the control characters blanked.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from factcheck.ingest import guess_title, heading_title
from factcheck.records import Document

UNCLOSED = "=" * 3000 + " region, the U.S. may be able to support its forces in Syria."


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """TimeoutError when the block runs longer than ``seconds`` (the regex engine sees signals)."""

    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fast(fn: Callable[[], object], seconds: float = 1.0) -> object:
    started = time.perf_counter()
    with time_limit(seconds):
        result = fn()
    assert time.perf_counter() - started < seconds
    return result


def test_finding1_guess_title_is_linear_on_unclosed_equals_runs() -> None:
    assert _fast(lambda: guess_title(UNCLOSED + "\nbody", "fallback")) == "fallback"
    assert _fast(lambda: heading_title("=" * 100_000 + " x")) is None
    assert heading_title("= Title =") == "Title"
    assert heading_title("  == Section two ==  ") == "Section two"
    assert heading_title("# Markdown title") == "Markdown title"
    assert heading_title("####### seven hashes") is None
    assert heading_title("===") is None
    assert heading_title("plain line") is None


def test_finding1_segment_is_linear_on_unclosed_equals_runs() -> None:
    from factcheck.segment import segment

    doc = Document("doc", "doc.txt", "t", "A first sentence.\n" + UNCLOSED + "\n", "0" * 64)
    passages = _fast(lambda: segment(doc), seconds=2.0)
    assert passages


CONTROL_DIGITS = "With the last phase ending in 2\x1e26. A small force stays.\n1.\x1c2. item one.\n"


def test_finding2_decode_turns_controls_into_spaces() -> None:
    from factcheck.ingest import decode

    text = decode(CONTROL_DIGITS.encode(), "f.txt")
    assert text == CONTROL_DIGITS.replace("\x1e", " ").replace("\x1c", " ")
    assert decode("a\tb\x0bc\x7fd\x85e".encode(), "f.txt") == "a\tb c d e"


def test_finding2_source_with_control_digits_segments(tmp_path: Path) -> None:
    from factcheck.ingest import list_sources, read_document
    from factcheck.segment import segment

    (tmp_path / "ctl.txt").write_bytes(CONTROL_DIGITS.encode())
    doc = read_document(list_sources(tmp_path)[0])
    passages = segment(doc)
    assert passages and all(doc.text[p.start : p.end] == p.text for p in passages)


def test_finding2_split_sentences_on_raw_controls() -> None:
    from factcheck.segment import split_sentences

    assert split_sentences("With the last phase ending in 2\x1e26. A small force stays.")
