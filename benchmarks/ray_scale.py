"""Scale-out benchmark: streamed local build memory, Ray build scaling, search through shard actors.

    python benchmarks/ray_scale.py                      # 50 MB memory corpus, Climate-FEVER on Ray
    python benchmarks/ray_scale.py --quick              # 2 MB memory corpus, the bundled sources on Ray
    python benchmarks/ray_scale.py --only m --corpus-mb 50 --compare-with /path/to/other/checkout
    python benchmarks/ray_scale.py --only p             # full Climate-FEVER parity, both engines

(m) peak resident memory of ``factcheck index`` (a local streamed build, its own process, measured by
    measure.py) of a corpus of ``--corpus-mb`` MB of real text: the SciFact, Climate-FEVER, AVeriTeC and
    WiCE corpora of ../shared/benchmarks, in that order, then again as numbered copies (a first line
    "Copy N." keeps a copy from being skipped as a duplicate) until the size is reached.
    ``--compare-with DIR`` builds the same corpus with the factcheck checked out in DIR too.
(r) a Ray build of ``--build-corpus`` (default: the Climate-FEVER corpus; quick: sources/) on a real
    local cluster (``ray start --head``, 2 CPUs) with 1 and then 2 embedding workers, from scratch each
    time: passages/s and scaling efficiency (speed-up / workers).
(q) query latency for the 40 seed dev claims: one batch through the shard actors vs the local plain
    index, both opened once and warmed (claim vectors cached: retrieval and judging are timed),
    median of ``--runs``; and the same verdicts, checked.
(s) memory of each shard actor (VmRSS, VmHWM of its process) after (q).
(p) ``factcheck eval`` of every Climate-FEVER claim on both engines (a plain local index, a 2-shard
    Ray index of the whole corpus): the figures must be the same. Not run by default (long).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from run import Table, median, run_measured, run_process  # noqa: E402 - the benchmark helpers beside this file

SHARED = ROOT.parent / "shared"
CORPORA = ("scifact", "climate-fever", "averitec", "wice")
SEED = SHARED / "eval" / "seed-claims.dev.jsonl"
CLIMATE = SHARED / "benchmarks" / "climate-fever"


def make_corpus(megabytes: float, dest: Path) -> tuple[int, int]:
    """Real text up to ``megabytes`` MB in ``dest`` (see (m)); ``(files, bytes)``."""
    if dest.is_dir() and (dest / ".complete").is_file():
        files = [p for p in dest.iterdir() if p.suffix == ".txt"]
        return len(files), sum(p.stat().st_size for p in files)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    sources = [p for name in CORPORA for p in sorted((SHARED / "benchmarks" / name).glob("**/corpus/*.txt"))]
    if not sources:
        raise SystemExit(f"no corpus under {SHARED / 'benchmarks'}")
    limit, size, files, copy = int(megabytes * 1_000_000), 0, 0, 0
    while size < limit:
        for path in sources:
            text = path.read_text(encoding="utf-8", errors="replace")
            body = text if copy == 0 else f"Copy {copy}.\n{text}"
            target = dest / f"{copy:02d}_{path.parent.parent.name}_{path.stem}.txt"
            target.write_text(body, encoding="utf-8")
            size += target.stat().st_size
            files += 1
            if size >= limit:
                break
        copy += 1
    (dest / ".complete").write_text("")
    return files, size


def bench_memory(table: Table, work: Path, megabytes: float, other: Path | None) -> None:
    corpus = work / f"corpus-{megabytes:g}mb"
    files, size = make_corpus(megabytes, corpus)
    command = [sys.executable, "-c", "from factcheck.cli import main; main()", "index", "--sources", str(corpus)]
    shutil.rmtree(work / "index-mem", ignore_errors=True)  # from scratch: the one-off ONNX export is measured too
    figures, _ = run_measured([*command, "--index", str(work / "index-mem"), "-q"])
    wall, rss, tree = figures["wall"], figures["rss_mb"], figures["tree_mb"]
    passages = json.loads(_manifest(work / "index-mem").read_text())["passages"]
    table.figures.update(
        memory_corpus_mb=size / 1e6,
        memory_passages=passages,
        memory_peak_mb=rss,
        memory_tree_mb=tree,
        memory_wall_s=wall,
    )
    table.add("m", f"corpus: {files:,} files, {size / 1e6:.1f} MB, {passages:,} passages", f"built in {wall:.0f} s")
    table.add("m", "streamed local build: peak RSS, largest single process", f"{rss:.0f} MB")
    table.add(
        "m",
        "streamed local build: peak RSS, whole process tree",
        f"{tree:.0f} MB",
        "≤ 1,000 MB (50 MB corpus)",
        tree <= 1000,
    )
    table.figures.update(memory_build_process_mb=figures["root_mb"])
    table.add(
        "m",
        "  of which the build process itself (no torch: it embeds with the ONNX export)",
        f"{figures['root_mb']:.0f} MB",
    )
    if other is not None:
        env_command = ["env", f"PYTHONPATH={other}", *command]
        wall2, rss2, _ = run_process([*env_command, "--index", str(work / "index-other"), "-q"], cwd=other)
        table.figures.update(other_peak_mb=rss2, other_wall_s=wall2)
        table.add("m", f"same corpus, factcheck in {other}: peak RSS", f"{rss2:.0f} MB ({wall2:.0f} s)")


def _manifest(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip() / "manifest.json"


def bench_ray(table: Table, work: Path, corpus: Path, runs: int) -> None:
    from factcheck.api import build_index, check_on, clean_claim, open_index, query_encoder_for
    from factcheck.embed import Encoder
    from factcheck.engine import Engine, local_cluster

    encoder = Encoder()
    cluster = local_cluster.start(num_cpus=2, attempts=8)
    try:
        import ray

        ray.init(address=cluster.address, log_to_driver=False)
        claims = [
            clean_claim(json.loads(line)["claim"]) for line in SEED.read_text(encoding="utf-8").splitlines() if line
        ]
        local_index = work / "index-local"
        if not local_index.is_dir():  # also writes the ONNX export, copied to the Ray indexes below
            build_index(corpus, local_index)  # as a user runs it: passages embedded with the ONNX export
        speeds = {}
        for workers in (1, 2):
            index = work / f"index-ray-{workers}"
            shutil.rmtree(index, ignore_errors=True)
            shutil.copytree(local_index / "models", index / "models")  # the timed build embeds passages only
            engine = Engine("ray", cluster.address, workers)
            start = time.perf_counter()
            report = build_index(corpus, index, shards=2, engine=engine)  # each worker: ONNX, one thread
            wall = time.perf_counter() - start
            speeds[workers] = report.passages / wall
            table.add(
                "r",
                f"Ray build, {workers} worker(s), {report.passages:,} passages",
                f"{speeds[workers]:.1f} passages/s ({wall:.0f} s)",
            )
        efficiency = speeds[2] / speeds[1] / 2
        table.figures.update(ray_build_passages_s=speeds, ray_scaling_efficiency=efficiency)
        table.add("r", "scaling efficiency, 2 workers vs 1", f"{efficiency:.0%}")

        times: dict[str, float] = {}
        verdicts: dict[str, Any] = {}
        for name, index, engine in (
            ("local", local_index, None),
            ("ray", work / "index-ray-2", Engine("ray", cluster.address)),
        ):
            _, queries = query_encoder_for(index)  # ONNX, claim vectors cached on disk
            snapshot, _ = open_index(corpus, index, encoder=encoder, refresh=False, engine=engine)
            try:
                check_on(snapshot, queries, claims)  # warm: models loaded, claim vectors cached, alike
                samples = []
                for _ in range(runs):
                    start = time.perf_counter()
                    verdicts[name] = check_on(snapshot, queries, claims)
                    samples.append(time.perf_counter() - start)
                times[name] = median(samples)
                if engine is not None:
                    pool = snapshot.pool  # type: ignore[attr-defined]
                    for shard, pid in zip(pool.names, pool.pids(), strict=True):
                        status = Path(f"/proc/{pid}/status").read_text()
                        rss = {
                            k: int(v.split()[0]) / 1024
                            for k, v in (line.split(":", 1) for line in status.splitlines())
                            if k in ("VmRSS", "VmHWM")
                        }
                        table.figures.setdefault("shard_actor_mb", {})[shard] = rss
                        table.add(
                            "s",
                            f"shard actor {shard}: resident memory",
                            f"{rss['VmRSS']:.0f} MB (peak {rss['VmHWM']:.0f} MB)",
                        )
            finally:
                snapshot.close()
        same = [v.verdict for v in verdicts["local"]] == [v.verdict for v in verdicts["ray"]]
        table.figures.update(query_batch_s=times, same_verdicts=same)
        n = len(claims)
        table.add(
            "q", f"{n} claims, local plain index", f"{times['local']:.2f} s ({times['local'] / n * 1000:.0f} ms/claim)"
        )
        table.add(
            "q", f"{n} claims, through 2 shard actors", f"{times['ray']:.2f} s ({times['ray'] / n * 1000:.0f} ms/claim)"
        )
        table.add("q", "same verdicts on both engines", "yes" if same else "NO", "yes", same)
    finally:
        import ray

        ray.shutdown()
        cluster.stop()


def bench_parity(table: Table, work: Path) -> None:
    from factcheck.api import build_index
    from factcheck.engine import Engine, local_cluster
    from factcheck.evaluate import evaluate, load_claims

    corpus = CLIMATE / "corpus"
    items = load_claims(CLIMATE / "claims.jsonl")
    build_index(corpus, work / "cf-local")  # as a user runs it: embedded with the ONNX export
    shutil.copytree(work / "cf-local" / "models", work / "cf-ray" / "models", dirs_exist_ok=True)
    cluster = local_cluster.start(num_cpus=2, attempts=8)
    try:
        import ray

        ray.init(address=cluster.address, log_to_driver=False)
        engine = Engine("ray", cluster.address)
        build_index(corpus, work / "cf-ray", shards=2, engine=engine)
        local = evaluate(items, sources=corpus, index=work / "cf-local").to_dict(show_misses=True)
        remote = evaluate(items, sources=corpus, index=work / "cf-ray", engine=engine).to_dict(show_misses=True)
    finally:
        import ray

        ray.shutdown()
        cluster.stop()
    local.pop("claims_per_second"), remote.pop("claims_per_second")
    table.figures.update(parity_accuracy=local["accuracy"], parity_same=local == remote)
    table.add(
        "p",
        f"Climate-FEVER, {local['n']} claims: accuracy / macro-F1 (local)",
        f"{local['accuracy']:.3f} / {local['macro_f1']:.3f}",
    )
    table.add("p", "same eval figures and misses on Ray", "yes" if local == remote else "NO", "yes", local == remote)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="mrqs", help="sections to run (letters of m, r, q, s, p)")
    parser.add_argument("--corpus-mb", type=float, default=None)
    parser.add_argument("--build-corpus", type=Path, default=None)
    parser.add_argument("--compare-with", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="work folder kept between runs (corpora, indexes)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    table = Table()
    work = args.keep or Path(tempfile.mkdtemp(prefix="factcheck-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    if "m" in args.only:
        bench_memory(table, work, args.corpus_mb or (2 if args.quick else 50), args.compare_with)
    if "r" in args.only or "q" in args.only or "s" in args.only:
        corpus = args.build_corpus or (ROOT / "sources" if args.quick else CLIMATE / "corpus")
        bench_ray(table, work, corpus, args.runs)
    if "p" in args.only:
        bench_parity(table, work)
    print(table.render())
    if args.json:
        args.json.write_text(json.dumps(table.figures, indent=2, default=str), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
