#!/usr/bin/env python3
"""Bounded-time fuzzing of factcheck's extractors and readers (not part of CI).

    python fuzz/run.py --minutes 10            # every target, time shared round-robin
    python fuzz/run.py --minutes 2 --target segment --seed 7

A mutation fuzzer with no extra dependency: inputs start from the seeds in ``fuzz/corpus/``
(and ``sources/`` when present), then are mutated (byte flips, splices, insertion of tricky
tokens: numbers, dates, abbreviations, quotes, BOMs, CR/LF, NULs, long runs). Each target
runs under a per-input time limit, so a hang is found like a crash.

A finding (an unexpected exception, a broken invariant or a hang) is written to
``fuzz/crashes/<target>-<hash>.bin`` with a ``.txt`` traceback beside it, deduplicated by
target, exception type and raising line. Replay one with
``python fuzz/run.py --replay fuzz/crashes/<file>.bin``. Turn each finding into a regression
test in ``tests/test_robustness_fuzz.py``. Exit status: 0 when nothing was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from factcheck.errors import InputError  # noqa: E402

TOKENS = [
    b"2,500", b"1.5", b"3.5%", b"$1.2 billion", b"about ", b"more than ", b"between 300 and 400", b"from 5,200 to ",
    b"twenty-one", b"a third", b"half", b"U.S.", b"Gen.", b"Sept. 27", b"1 June", b"June 1, 2024", b"2019-2021",
    b"the end of 2026", b"last month", b"Wednesday", b"since 2014", b"in the 1990s", b"spring 2023", b"Q3 2022",
    b"9999", b"0", b"-1", b"1e308", b"99999999999999999999", b"10/11/12", b"31 February", b"year 0",
    b"troops", b"in Iraq", b"Spain", b"McKenzie said", b"percent", b"km", b"%", b"\xe2\x80\x94", b"\xe2\x80\x99",
    b"\xe2\x80\x9c", b"\xe2\x80\x9d", b"\xc2\xa0", b"\xe2\x80\xaf", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"\r\n", b"\r", b"\n\n", b"\t", b"\x00", b"\xc3", b"\xed\xa0\x80", b"\xf0\x9f\x92\xa9", b"=", b"= Title =\n",
    b"# ", b"## H\n", b"- ", b"1. ", b"> ", b"---\n", b"title: x\n", b"published: 2024-13-45\n", b"[a](b)", b"`",
    b"<!-- factcheck: ignore -->", b"<!-- factcheck-disable -->", b"```\n", b"|a|b|\n", b"*", b"_", b"\\",
    b"...", b"?!", b"\"", b"'", b"(", b")", b" ", b".", b",", b";", b":",
]
MAX_LEN = 6000


def _seeds() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((HERE / "corpus").glob("*")) if p.is_file()]
    sources = HERE.parent / "sources"
    if sources.is_dir():
        for path in sorted(sources.glob("*.txt"))[:5]:
            data = path.read_bytes()
            seeds += [data[i : i + 1500] for i in range(0, min(len(data), 6000), 1500)]
    return seeds or [b"About 2,500 U.S. troops remain in Iraq."]


def mutate(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        op = rng.randrange(9)
        at = rng.randrange(len(buf) + 1)
        if op == 0 and buf:  # flip a byte
            buf[min(at, len(buf) - 1)] = rng.randrange(256)
        elif op in (1, 2):  # insert a token
            buf[at:at] = rng.choice(TOKENS)
        elif op == 3 and buf:  # delete a range
            buf[at : at + rng.randrange(1, 64)] = b""
        elif op == 4 and buf:  # duplicate a range
            end = min(len(buf), at + rng.randrange(1, 200))
            buf[at:at] = buf[at:end] * rng.randrange(1, 4)
        elif op == 5:  # splice another seed
            other = rng.choice(seeds)
            start = rng.randrange(len(other) + 1)
            buf[at:at] = other[start : start + rng.randrange(1, 400)]
        elif op == 6:  # a long run of one character
            buf[at:at] = rng.choice((b"9", b" ", b".", b"\n", b"a", b"=", b"-", b"(", b"1,")) * rng.randrange(50, 800)
        elif op == 7:  # random unicode
            buf[at:at] = "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 20))).encode()
        elif op == 8 and buf:  # truncate
            del buf[at:]
    return bytes(buf[:MAX_LEN])


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _check_spans(text: str, items: list[object], name: str) -> None:
    for item in items:
        start, end = item.start, item.end  # type: ignore[attr-defined]
        if not (0 <= start <= end <= len(text)):
            raise AssertionError(f"{name}: span {start}..{end} outside text of length {len(text)}")


def t_numbers(data: bytes) -> None:
    from factcheck.extract.numbers import extract_quantities

    text = _text(data)
    _check_spans(text, extract_quantities(text), "extract_quantities")  # type: ignore[arg-type]


def t_dates(data: bytes) -> None:
    from factcheck.extract.dates import extract_dates

    text = _text(data)
    for published in (None, date(2024, 9, 27), date(1, 1, 1), date(9999, 12, 31)):
        found = extract_dates(text, published=published, context=(date(2019, 1, 1), date(2021, 12, 31)))
        _check_spans(text, found, "extract_dates")  # type: ignore[arg-type]
        for d in found:
            if d.low > d.high:
                raise AssertionError(f"extract_dates: interval {d.low}..{d.high} is reversed for {d.text!r}")


def t_entities(data: bytes) -> None:
    from factcheck.extract.entities import extract_entities

    text = _text(data)
    _check_spans(text, extract_entities(text, {"McKenzie": "person", "Erbil": "place"}), "extract_entities")  # type: ignore[arg-type]


def t_facts(data: bytes) -> None:
    from factcheck.judge.facts import text_facts

    text = _text(data)
    half = len(text) // 2
    text_facts(text[half:], published=date(2024, 9, 27), heading=text[:half][:200], gazetteer={"Erbil": "place"})


def t_decode(data: bytes) -> None:
    from factcheck.ingest import decode

    try:
        text = decode(data, "fuzz.txt")
    except InputError as exc:
        if "\n" in str(exc):
            raise AssertionError("decode: InputError message is not one line") from exc
        return
    if "\r" in text:
        raise AssertionError("decode: a CR survived")


_TMP = Path(tempfile.mkdtemp(prefix="factcheck-fuzz-"))


def t_read_document(data: bytes) -> None:
    from factcheck.ingest import list_sources, read_document

    name = "doc.md" if data[:1] in (b"-", b"#") else "doc.txt"
    for old in _TMP.iterdir():
        old.unlink()
    (_TMP / name).write_bytes(data)
    try:
        (source,) = list_sources(_TMP)
        doc = read_document(source, {"doc": {"published": "2024-09"}})
    except InputError as exc:
        if "\n" in str(exc):
            raise AssertionError("read_document: InputError message is not one line") from exc
        return
    if not 0 <= doc.body_start <= len(doc.text):
        raise AssertionError("read_document: body_start outside the text")


def t_segment(data: bytes) -> None:
    from factcheck.ingest import _CONTROLS
    from factcheck.records import Document
    from factcheck.segment import segment

    # as ingest.decode hands it over: LF line ends, control characters as spaces
    text = _text(data).replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)
    for path in ("doc.txt", "doc.md"):
        doc = Document("doc", path, "t", text, "x")
        for i, p in enumerate(segment(doc)):
            if p.text != text[p.start : p.end]:
                raise AssertionError(f"segment: passage {i} text differs from its span {p.start}..{p.end}")
            if not p.text.strip() or p.ordinal != i or len(p.text) > 2000:
                raise AssertionError(f"segment: passage {i} is empty, misnumbered or too long")
            line_start = text.rfind("\n", 0, p.start) + 1
            if (p.line, p.column) != (text.count("\n", 0, p.start) + 1, p.start - line_start + 1):
                raise AssertionError(f"segment: passage {i} has a wrong line/column")


def t_draft(data: bytes) -> None:
    from factcheck.draft import read_draft

    text = _text(data)
    for path in ("draft.md", "draft.txt"):
        draft = read_draft(path, text)
        for s in draft.sentences:
            start, end = getattr(s, "start", 0), getattr(s, "end", 0)
            if not 0 <= start <= end <= len(text):
                raise AssertionError(f"read_draft: sentence span {start}..{end} outside the text")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "numbers": t_numbers,
    "dates": t_dates,
    "entities": t_entities,
    "facts": t_facts,
    "decode": t_decode,
    "read_document": t_read_document,
    "segment": t_segment,
    "draft": t_draft,
}


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang("input took longer than the per-input limit")


def _signature(target: str, exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    frame = tb[-1] if tb else None
    where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    return f"{target}:{type(exc).__name__}:{where}"


def run(minutes: float, targets: list[str], seed: int, per_input: float, out: Path) -> int:
    rng = random.Random(seed)
    seeds = _seeds()
    pools: dict[str, list[bytes]] = {t: list(seeds) for t in targets}
    found: dict[str, Path] = {}
    counts = dict.fromkeys(targets, 0)
    slowest: dict[str, float] = dict.fromkeys(targets, 0.0)
    signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + minutes * 60
    started = time.monotonic()
    last_report = started
    warnings.simplefilter("ignore")
    while time.monotonic() < deadline:
        for name in targets:
            pool = pools[name]
            data = mutate(rng, rng.choice(pool), seeds) if rng.random() < 0.97 else rng.choice(pool)
            t0 = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, per_input)
            try:
                TARGETS[name](data)
            except (Exception, Hang, RecursionError) as exc:  # noqa: BLE001 - every escape is a finding
                signal.setitimer(signal.ITIMER_REAL, 0)
                sig = _signature(name, exc)
                if sig not in found:
                    digest = hashlib.sha256(data).hexdigest()[:12]
                    path = out / f"{name}-{digest}.bin"
                    out.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    path.with_suffix(".txt").write_text(
                        f"{sig}\n\n" + "".join(traceback.format_exception(exc)), encoding="utf-8"
                    )
                    found[sig] = path
                    print(f"FOUND {sig} -> {path}", flush=True)
                continue
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.perf_counter() - t0
            slowest[name] = max(slowest[name], took)
            counts[name] += 1
            if len(pool) < 500 and rng.random() < 0.02:
                pool.append(data)  # keep some mutants as new parents
        if time.monotonic() - last_report > 60:
            last_report = time.monotonic()
            print(f"[{(last_report - started) / 60:.1f} min] " + ", ".join(f"{k}={v}" for k, v in counts.items()),
                  flush=True)
    total = time.monotonic() - started
    print(f"done: {total / 60:.1f} min, {sum(counts.values())} inputs; "
          + ", ".join(f"{k}={v} (slowest {slowest[k]:.2f} s)" for k, v in counts.items()))
    print(f"findings: {len(found)}" + "".join(f"\n  {s} -> {p}" for s, p in found.items()))
    return 1 if found else 0


def replay(path: Path) -> int:
    target = path.name.split("-")[0]
    data = path.read_bytes()
    TARGETS[target](data)
    print(f"{path}: {target} passed")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz in total (default 10)")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="fuzz only these (repeatable)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument("--per-input", type=float, default=5.0, help="seconds before an input counts as a hang")
    parser.add_argument("--out", type=Path, default=HERE / "crashes", help="where findings are written")
    parser.add_argument("--replay", type=Path, help="run one saved finding again and show its traceback")
    args = parser.parse_args()
    if args.replay:
        return replay(args.replay)
    seed = args.seed if args.seed is not None else int(time.time())
    print(f"fuzzing {args.minutes:g} min, seed {seed}", flush=True)
    return run(args.minutes, args.target or sorted(TARGETS), seed, args.per_input, args.out)


if __name__ == "__main__":
    sys.exit(main())
