"""factcheck benchmarks: one command, one table.

    python benchmarks/run.py [--quick] [--runs 3] [--json out.json]

Every timing is the median of ``--runs`` runs; every comparison is a ratio of two figures
measured in the same run of this script, so a busy machine slows both sides alike.

(a) cold start: ``factcheck --help``; a cold ``factcheck check CLAIM`` (new process, index
    built, claim-vector cache emptied before each run) against the script a user would write
    (import sentence_transformers, load the packaged MiniLM, embed every sentence of
    sources/*.txt split naively, exact FAISS search); wall time and peak RSS of each process.
(b) ``factcheck lint`` of a 1,000-sentence draft (benchmarks/lint_draft.py makes the draft).
(c) index build throughput (passages/s, warm sentence-transformers encoder, in process) vs the
    raw throughput of the same encoder on the same passages: the overhead of everything else.
(d) incremental re-index after changing 1 document of a synthetic corpus vs a full build.
(e) scale: a synthetic corpus of 1,000,000 vectors (see ``synth.py``): exact IndexFlatIP vs the
    approximate kind factcheck picks at that size; build time, disk and resident size, query
    p50/p95 with claim encoding included (ONNX), recall@10 vs exact.

``--quick`` shrinks (b) to 100 sentences, (c) and (d) to 50 documents and (e) to 20,000
vectors (the approximate kind is then forced, as 20k is below the size that picks it) and
does 2 runs of each timing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

CLAIM = "About 2,500 U.S. troops remain in Iraq."
FACTCHECK = [sys.executable, "-c", "from factcheck.cli import main; main()"]

NAIVE_SCRIPT = '''
import glob, re, sys
import faiss
from sentence_transformers import SentenceTransformer

model = SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True)
sentences = []
for path in sorted(glob.glob(sys.argv[2] + "/*.txt")):
    text = open(path, encoding="utf-8").read()
    sentences += [s.strip() for s in re.split(r"(?<=[.!?])\\s+", text) if s.strip()]
vectors = model.encode(sentences, normalize_embeddings=True, convert_to_numpy=True)
index = faiss.IndexFlatIP(vectors.shape[1])
index.add(vectors)
scores, rows = index.search(model.encode([sys.argv[3]], normalize_embeddings=True), 5)
for score, row in zip(scores[0], rows[0]):
    print(f"{score:.3f}  {sentences[row]}")
'''


@dataclass
class Row:
    section: str
    what: str
    value: str
    target: str = ""
    met: bool | None = None


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def add(self, section: str, what: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(section, what, value, target, met))
        print(f"  [{section}] {what}: {value}" + (f"  (target {target})" if target else ""), file=sys.stderr)

    def render(self) -> str:
        lines = ["| | measure | value | target | met |", "| --- | --- | --- | --- | --- |"]
        for r in self.rows:
            met = "" if r.met is None else ("yes" if r.met else "**no**")
            lines.append(f"| {r.section} | {r.what} | {r.value} | {r.target} | {met} |")
        return "\n".join(lines)


# ---------------------------------------------------------------- measuring helpers


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def run_measured(command: list[str], *, cwd: Path = ROOT) -> tuple[dict[str, float], str]:
    """Run ``command`` through measure.py (see there why): its figures (``wall`` seconds, ``rss_mb`` the largest
    single process, ``tree_mb`` the peak of the whole process tree) and its stdout.

    Exit status 1 (a contradicted claim) is fine; any other failure raises.
    """
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "result.json"
        done = subprocess.run(
            [sys.executable, str(BENCH / "measure.py"), str(result), *command],
            cwd=cwd, capture_output=True, text=True,
        )
        if not result.is_file():
            raise RuntimeError(f"measure.py failed: {done.stderr.strip()[-2000:]}")
        figures = json.loads(result.read_text())
    if figures["code"] not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:4])}… failed ({figures['code']}): {done.stderr.strip()[-2000:]}")
    return figures, done.stdout


def run_process(command: list[str], *, cwd: Path = ROOT) -> tuple[float, float, str]:
    """Run ``command``: ``(wall seconds, the child's own peak RSS in MB, stdout)`` (``run_measured``)."""
    figures, out = run_measured(command, cwd=cwd)
    return float(figures["wall"]), float(figures["rss_mb"]), out


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@contextlib.contextmanager
def workdir(keep: Path | None) -> Iterator[Path]:
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
    else:
        with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as folder:
            yield Path(folder)


def clear_claim_cache(index: Path) -> None:
    from factcheck.embed import CACHE_DIR

    shutil.rmtree(index / CACHE_DIR, ignore_errors=True)


# ---------------------------------------------------------------- (a) cold start


def bench_help(table: Table, runs: int) -> None:
    walls = [run_process([*FACTCHECK, "--help"])[0] for _ in range(runs)]
    wall = median(walls)
    table.figures["help_s"] = wall
    table.add("a", "`factcheck --help` wall", f"{wall:.2f} s", "≤ 0.3 s", wall <= 0.3)


def bench_check(table: Table, sources: Path, index: Path, runs: int) -> None:
    from factcheck.embed import packaged_model_path

    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(NAIVE_SCRIPT)
        naive = handle.name
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    cached: list[float] = []
    try:
        for _ in range(runs):  # interleaved, so both see the same machine
            clear_claim_cache(index)
            wall, rss, out = run_process([*FACTCHECK, "check", "--sources", str(sources), "--index", str(index), CLAIM])
            if "SUPPORTED" not in out.upper():
                raise RuntimeError(f"unexpected verdict for {CLAIM!r}: {out[:300]}")
            ours.append((wall, rss))
            cached.append(
                run_process([*FACTCHECK, "check", "--sources", str(sources), "--index", str(index), CLAIM])[0]
            )
            wall, rss, _ = run_process([sys.executable, naive, str(packaged_model_path()), str(sources), CLAIM])
            theirs.append((wall, rss))
    finally:
        os.unlink(naive)
    check_s, naive_s = median([w for w, _ in ours]), median([w for w, _ in theirs])
    ratio = check_s / naive_s
    table.figures.update(check_s=check_s, naive_s=naive_s, check_ratio=ratio, check_cached_s=median(cached))
    table.add("a", "cold `factcheck check` (claim cache empty): wall", f"{check_s:.2f} s")
    table.add("a", "cold `factcheck check`: peak RSS", f"{median([r for _, r in ours]):.0f} MB")
    table.add("a", "same, claim vector cached", f"{median(cached):.2f} s")
    table.add("a", "naive sentence-transformers script: wall", f"{naive_s:.2f} s")
    table.add("a", "naive script: peak RSS", f"{median([r for _, r in theirs]):.0f} MB")
    table.add("a", "check / naive", f"{ratio:.0%}", "≤ 25%", ratio <= 0.25)


# ---------------------------------------------------------------- (b) lint


def bench_lint(table: Table, sources: Path, index: Path, runs: int, sentences: int) -> None:
    import lint_draft

    text = lint_draft.real_draft(sentences)
    kind = "distinct real sentences not in the sources"
    if text is None:  # no shared/ beside the checkout: source sentences with numbers varied (flatters)
        text = lint_draft.make_draft(lint_draft.source_sentences(sources), sentences)
        kind = "source sentences with numbers varied: repeats, flatters"
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / "draft.md"
        draft.write_text(text, encoding="utf-8")
        extra = ["--sources", str(sources), "--index", str(index)]
        cold = []
        for _ in range(runs):
            clear_claim_cache(index)
            cold.append(lint_draft.time_lint(draft, extra))
        warm = [lint_draft.time_lint(draft, extra) for _ in range(runs)]
    table.figures.update(lint_s=median(cold), lint_cached_s=median(warm))
    label = f"`factcheck lint`, {sentences:,}-sentence draft ({kind}; claim cache empty)"
    table.add("b", label, f"{median(cold):.2f} s")
    table.add("b", "same, claim vectors cached", f"{median(warm):.2f} s")


# ---------------------------------------------------------------- (c)+(d) build and re-index


def synthetic_corpus(folder: Path, documents: int, seed: int = 11) -> None:
    """``documents`` plain-text articles of 8-16 source sentences each (numbers varied)."""
    import lint_draft

    sentences = lint_draft.source_sentences(ROOT / "sources")
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(documents):
        body = [lint_draft.vary_numbers(rng.choice(sentences), rng) for _ in range(rng.randint(8, 16))]
        paragraphs = [" ".join(body[j : j + 4]) for j in range(0, len(body), 4)]
        (folder / f"doc{i:05d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def bench_build(table: Table, root: Path, documents: int, runs: int, encoder: Any = None) -> None:
    from factcheck.api import build_index
    from factcheck.embed import Encoder
    from factcheck.index.snapshot import open_snapshot

    sources, index = root / "synth-sources", root / "synth-index"
    synthetic_corpus(sources, documents)
    encoder = encoder or Encoder()
    encoder.encode(["warm up the model once"])
    build_index(sources, index, encoder=encoder)  # warm-up (a no-op on a kept --keep folder); ONNX export
    snap = open_snapshot(index)
    n = snap.manifest.passages
    texts = [p.text for _, p in sorted(snap.store.passages(list(range(n))).items())]
    snap.close()
    full, raw = [], []
    for _ in range(runs):
        raw.append(timed(lambda: encoder.encode(texts)))
        full.append(timed(lambda: build_index(sources, index, encoder=encoder, rebuild=True)))
    full_s, raw_s = median(full), median(raw)
    overhead = full_s / raw_s - 1
    table.add("c", f"full build, {documents:,} docs / {n:,} passages", f"{n / full_s:.0f} passages/s ({full_s:.1f} s)")
    table.add("c", "raw encoder, same passages", f"{n / raw_s:.0f} passages/s ({raw_s:.1f} s)")
    table.add("c", "build overhead over the encoder", f"{overhead:+.0%}", "≤ 15%", overhead <= 0.15)

    incremental = []
    victims = sorted(sources.glob("*.txt"))
    for i in range(runs):
        victim = victims[(i * 37) % len(victims)]
        with victim.open("a", encoding="utf-8") as handle:
            handle.write(f"\nThe ministry said on Monday that {1000 + i:,} more troops would stay.\n")
        report = None

        def refresh() -> None:
            nonlocal report
            report = build_index(sources, index, encoder=encoder)

        incremental.append(timed(refresh))
        assert report is not None and len(report.updated) == 1 and report.encoded < 40, report
    inc_s = median(incremental)
    ratio = inc_s / full_s
    table.figures.update(
        build_passages=n, build_s=full_s, raw_encode_s=raw_s, build_overhead=overhead,
        reindex_s=inc_s, reindex_ratio=ratio,
    )
    table.add("d", f"re-index after changing 1 of {documents:,} docs", f"{inc_s:.2f} s")
    table.add("d", "re-index / full build", f"{ratio:.1%}", "≤ 5%", ratio <= 0.05)


# ---------------------------------------------------------------- (e) scale


def bench_scale(table: Table, root: Path, onnx_file: Path, n: int, runs: int, queries: int) -> None:
    import numpy as np
    import synth

    from factcheck.index.dense import APPROX_KIND, DENSE_NAME, VECTORS_NAME, build_dense, choose_kind, save_dense
    from factcheck.onnx_encoder import OnnxEncoder

    encoder = OnnxEncoder(onnx_file)
    base = synth.base_vectors(encoder, ROOT / "sources", quick=n < 200_000)
    vectors = synth.synthesise(base, n)
    claims = synth.claims(ROOT / "sources", queries)
    kind = choose_kind(n) if choose_kind(n) != "flat" else APPROX_KIND
    folders = {"flat": root / "scale-flat", kind: root / f"scale-{kind}"}
    build_s: dict[str, float] = {}
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / VECTORS_NAME, vectors)
        times = []
        for _ in range(1 if n >= 200_000 else runs):  # a 1M IVF build takes minutes: once
            start = time.perf_counter()
            index = build_dense(vectors, name)
            times.append(time.perf_counter() - start)
        save_dense(index, folder / DENSE_NAME)
        del index
        build_s[name] = median(times)
    del vectors
    claims_file = root / "claims.json"
    claims_file.write_text(json.dumps(claims), encoding="utf-8")
    heldout_file = root / "heldout.npy"
    np.save(heldout_file, synth.synthesise(base, 200, seed=99))
    results = {}
    for name, folder in folders.items():
        out = subprocess.run(
            [sys.executable, str(BENCH / "search_worker.py"), str(folder), str(onnx_file), str(claims_file),
             str(heldout_file)],
            check=True, capture_output=True, text=True,
        ).stdout
        results[name] = json.loads(out)
    exact_rows = results["flat"]["rows"]
    recall = float(np.mean([
        len(set(a) & set(b)) / len(b) for a, b in zip(results[kind]["rows"], exact_rows, strict=True)
    ]))
    held_rows = {k: results[k]["heldout_rows"] for k in results}
    held_out = float(np.mean([
        len(set(a) & set(b)) / len(b) for a, b in zip(held_rows[kind], held_rows["flat"], strict=True)
    ]))
    table.figures["scale"] = {
        "n": n, "kind": kind, "recall_at_10": recall, "heldout_recall_at_10": held_out,
        **{f"{k}_build_s": v for k, v in build_s.items()},
        **{f"{k}_{m}": results[k][m] for k in results for m in ("p50_ms", "p95_ms", "rss_mb", "index_rss_mb")},
    }
    for name, folder in folders.items():
        r = results[name]
        disk = (folder / DENSE_NAME).stat().st_size / 1e6
        label = "exact IndexFlatIP" if name == "flat" else f"{name} (factcheck's pick)"
        table.add("e", f"{n:,} vectors, {label}: build", f"{build_s[name]:.1f} s")
        npy = (folder / VECTORS_NAME).stat().st_size / 1e6
        table.add("e", f"{label}: on disk (dense.faiss; vectors.npy {npy:.0f} MB)", f"{disk:.0f} MB")
        resident = r["rss_mb"]
        target = "≤ 1 GB" if name != "flat" else ""
        table.add("e", f"{label}: resident memory of a search process (index alone)",
                  f"{resident:.0f} MB ({r['index_rss_mb']:.0f} MB)", target,
                  resident <= 1024 if name != "flat" else None)
        table.add("e", f"{label}: query p50 / p95, claim encoding included",
                  f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms", "p50 ≤ 50 ms" if name != "flat" else "",
                  r["p50_ms"] <= 50 if name != "flat" else None)
    table.add("e", f"{kind}: recall@10 vs exact, {len(claims)} real claims", f"{recall:.3f}", "≥ 0.95", recall >= 0.95)
    table.add("e", f"{kind}: recall@10 vs exact, 200 held-out synthetic vectors", f"{held_out:.3f}")
    for folder in folders.values():
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- main


def prepare_index(root: Path, encoder: Any = None) -> tuple[Path, Path, Path]:
    """A copy of sources/ and its index (built with the real model, ONNX export included)."""
    from factcheck.api import build_index
    from factcheck.embed import Encoder
    from factcheck.onnx_encoder import onnx_path

    sources, index = root / "sources", root / "index"
    if not sources.exists():
        shutil.copytree(ROOT / "sources", sources)
    encoder = encoder or Encoder()
    build_index(sources, index, encoder=encoder)
    export = onnx_path(index, encoder.id)
    if not export.is_file():
        raise RuntimeError(f"the build wrote no ONNX export at {export}")
    return sources, index, export


def run(quick: bool = False, runs: int | None = None, keep: Path | None = None,
        sections: str = "abcde") -> Table:
    runs = runs or (2 if quick else 3)
    table = Table()
    with workdir(keep) as root:
        sources, index, export = prepare_index(root)
        if "a" in sections:
            bench_help(table, max(runs, 3))
            bench_check(table, sources, index, runs)
        if "b" in sections:
            bench_lint(table, sources, index, runs, 100 if quick else 1000)
        if "c" in sections or "d" in sections:
            bench_build(table, root, 50 if quick else 1000, runs)
        if "e" in sections:
            bench_scale(table, root, export, 20_000 if quick else 1_000_000, runs, 50 if quick else 200)
    return table


def machine() -> str:
    import platform

    cpu = ""
    with contextlib.suppress(OSError):
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1) if found else ""
    mem = ""
    with contextlib.suppress(OSError):
        found = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
        mem = f"{int(found.group(1)) / 2**20:.0f} GB" if found else ""
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, {mem}, Python {platform.python_version()}, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small (d) and (e); about two minutes")
    parser.add_argument("--runs", type=int, default=None, help="runs per timing (default 3, quick 2)")
    parser.add_argument("--only", default="abcde", help="sections to run, e.g. 'ae'")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    start = time.perf_counter()
    before = machine()
    table = run(args.quick, args.runs, args.keep, args.only)
    print(f"Machine: {before}")
    print(f"Mode: {'quick' if args.quick else 'full'}; total {time.perf_counter() - start:.0f} s\n")
    print(table.render())
    if args.json:
        args.json.write_text(json.dumps(table.figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
