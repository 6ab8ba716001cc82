"""Build a sharded index on Ray: sources read as a Ray Dataset, documents analysed in parallel tasks,
embedded in ``map_batches`` by a pool of actors (one model each), shards written by parallel tasks.

The plan (what changed), the writer lock and the switch of ``CURRENT`` are the local build's
(index/build.py): only changed documents go through the pipeline, only the shards they touch are
written again (the others are hard links to the live generation), and a build that fails or is
interrupted anywhere on the cluster leaves the live generation as it was.

The index folder must be reachable at the same path from every node (a shared file system) —
true of a local cluster, and what a multi-node cluster needs (see README "Scale-out on Ray").
Prepared documents travel from the embedding actors to the shard writers through
``<build folder>/.staged/<shard>/`` files on that shared folder, one file per batch and shard.
"""

from __future__ import annotations

import pickle
import shutil
import uuid
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.engine.ray_cluster import cluster_cpus, connect
from factcheck.index.build import Written, dirty_shards, shard_jobs, written_shards
from factcheck.index.plan import Plan, Scanned, reread, scan
from factcheck.index.sharded import shard_of
from factcheck.index.shards import ShardJob, link_shard, reusable_shards
from factcheck.ingest import SourceFile, SourceWarning
from factcheck.judge.facts_codec import facts_key

if TYPE_CHECKING:
    import numpy as np

    from factcheck.embed import Encoder
    from factcheck.index.snapshot import Snapshot

DEFAULT_SHARDS = 2
SCAN_BATCH = 64
ANALYSE_BATCH = 8  # documents per analysis task
EMBED_BATCH = 16  # documents per call of an embedding actor
STAGED = ".staged"


def _objects(values: list[Any]) -> np.ndarray:
    import numpy as np

    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def scan_batch(batch: Mapping[str, Any], catalog: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """Ray Data: read each source of the batch (hash and metadata; the text is dropped)."""
    found = [pickle.dumps(scan(pickle.loads(s), catalog)) for s in batch["source"]]
    return {"i": batch["i"], "scanned": _objects(found)}


def analyse_batch(batch: Mapping[str, Any], catalog: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """Ray Data: read, segment each document and compute its passage facts (no model: plain tasks)."""
    from factcheck.index.prepare import analyse

    out = []
    for doc_blob, source_blob in zip(batch["doc"], batch["source"], strict=True):
        doc, source = pickle.loads(doc_blob), pickle.loads(source_blob)
        out.append(pickle.dumps(analyse(reread(doc, source, catalog))))
    return {"shard": batch["shard"], "analysed": _objects(out)}


class EmbedAndStage:
    """Ray Data actor: one model per worker; embeds each document on its own (see index/prepare.py) and
    stages the prepared documents for their shard's writer."""

    def __init__(self, model: str, staging: str, threads: int, onnx: str | None = None) -> None:
        from factcheck.embed import Encoder
        from factcheck.onnx_encoder import OnnxEncoder

        # the index's ONNX export when the driver has one (no torch in the workers), else sentence-transformers
        self.encoder = OnnxEncoder(Path(onnx), model, threads=threads) if onnx else Encoder(model)
        self.staging = Path(staging)
        self.threads = threads

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, Any]:
        from factcheck.index.prepare import embed
        from factcheck.onnx_encoder import OnnxEncoder

        if not isinstance(self.encoder, OnnxEncoder):
            import torch

            torch.set_num_threads(self.threads)
        by_shard: dict[int, list[Any]] = {}
        ids, encoded, passages, notes, dims = [], [], [], [], []
        for shard, blob in zip(batch["shard"], batch["analysed"], strict=True):
            analysed = pickle.loads(blob)
            prepared = embed(analysed, self.encoder, 0)
            by_shard.setdefault(int(shard), []).append(prepared)
            ids.append(analysed.doc.id)
            encoded.append(prepared.encoded)
            passages.append(len(analysed.passages))
            notes.append("\n".join(analysed.notes))
            dims.append(int(prepared.vectors.shape[1]) if len(analysed.passages) else 0)
        for shard, docs in by_shard.items():
            folder = self.staging / f"{shard:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{uuid.uuid4().hex}.pkl").write_bytes(pickle.dumps(docs, protocol=pickle.HIGHEST_PROTOCOL))
        return {"id": _objects(ids), "encoded": encoded, "passages": passages, "notes": _objects(notes), "dim": dims}


def write_staged_shard(
    job: ShardJob, folder: str, staged: str, old_folder: str | None, dimension: int
) -> dict[str, Any]:
    """Ray task: write one shard from its staged documents and, for unchanged ones, the live generation."""
    from factcheck.index.prepare import reuse
    from factcheck.index.shards import write_shard
    from factcheck.index.snapshot import open_generation

    ready: dict[str, Any] = {}
    staged_dir = Path(staged)
    for path in sorted(staged_dir.glob("*.pkl")) if staged_dir.is_dir() else []:
        for prepared in pickle.loads(path.read_bytes()):
            ready[prepared.doc.id] = prepared
    old = open_generation(Path(old_folder)) if old_folder else None
    try:
        return write_shard(
            job, Path(folder), lambda d: ready.pop(d.id) if d.id in ready else reuse(old, d), lambda: dimension
        )
    finally:
        if old is not None:
            old.close()


class RayBuild:
    """``BuildEngine`` on a Ray cluster (index/build.py drives it)."""

    def __init__(self, address: str | None = None, *, encoder: Encoder | None = None, workers: int | None = None):
        from factcheck.embed import Encoder

        self.ray = connect(address)
        self.encoder = encoder or Encoder()  # its id hashes the model's files: nothing is loaded here
        self.onnx = encoder is None  # no encoder given: the workers embed with the index's ONNX export
        self.model_id = self.encoder.id
        self.workers = workers or cluster_cpus(self.ray)

    def shard_count(self, requested: int | None, current: int) -> int:
        return requested if requested else current or DEFAULT_SHARDS

    def scan(self, sources: list[SourceFile], catalog: Mapping[str, Mapping[str, str]]) -> Iterable[Scanned]:
        items = [{"i": i, "source": pickle.dumps(s)} for i, s in enumerate(sources)]
        ds = self.ray.data.from_items(items).map_batches(
            scan_batch, batch_size=SCAN_BATCH, fn_kwargs={"catalog": dict(catalog)}
        )
        rows = sorted(ds.take_all(), key=lambda r: int(r["i"]))
        return [pickle.loads(r["scanned"]) for r in rows]

    def _embed(self, plan: Plan, shards: int, staging: Path, index_dir: Path) -> int:
        """Run the pipeline over the changed documents; returns the vectors' dimension (0 if none)."""
        docs = {d.id: d for d in plan.docs}
        items = [
            {"doc": pickle.dumps(docs[i]), "source": pickle.dumps(plan.sources[i]), "shard": shard_of(i, shards)}
            for i in plan.fresh
        ]
        threads = 1  # each embedding actor reserves one CPU (num_cpus=1); the others run analysis and other actors
        export = None
        if self.onnx:
            from factcheck.onnx_encoder import build_export

            export = build_export(index_dir, self.encoder.path)
        ds = (
            self.ray.data.from_items(items)
            .map_batches(analyse_batch, batch_size=ANALYSE_BATCH, fn_kwargs={"catalog": dict(plan.catalog)})
            .map_batches(
                EmbedAndStage,
                fn_constructor_kwargs={
                    "model": str(self.encoder.path),
                    "staging": str(staging),
                    "threads": threads,
                    "onnx": str(export.resolve()) if export is not None else None,
                },
                batch_size=EMBED_BATCH,
                concurrency=self.workers,
                num_cpus=1,
            )
        )
        dimension = 0
        self.encoded = 0
        for row in ds.take_all():
            self.encoded += int(row["encoded"])
            dimension = max(dimension, int(row["dim"]))
            for note in str(row["notes"]).splitlines():
                warnings.warn(note, SourceWarning, stacklevel=2)
        return dimension

    def write(self, work: Path, plan: Plan, old: Snapshot | None, shards: int, build_id: str) -> Written:
        staging = work / STAGED
        dimension = self._embed(plan, shards, staging, work.parent) if plan.fresh else 0  # work: <index>/.build-*
        dimension = dimension or (old.manifest.dimension if old is not None else 0) or self.encoder.dimension
        keep = reusable_shards(old, shards, dirty_shards(plan, shards), plan.catalog_sha256, facts_key())
        task = self.ray.remote(write_staged_shard).options(num_cpus=1)
        entries: dict[str, dict[str, Any]] = {}
        pending = {}
        for job in shard_jobs(plan, shards, self.model_id, build_id):
            if job.index in keep and old is not None:
                entries[job.name] = link_shard(old.folder / job.name, work / job.name, old.manifest.shards[job.name])
            else:
                old_folder = str(old.folder.resolve()) if old is not None else None
                staged = str((staging / f"{job.index:03d}").resolve())
                pending[job.name] = task.remote(job, str((work / job.name).resolve()), staged, old_folder, dimension)
        for name, entry in zip(pending, self.ray.get(list(pending.values())), strict=True):
            entries[name] = entry
        shutil.rmtree(staging, ignore_errors=True)
        written = written_shards(work, dict(sorted(entries.items())))
        return Written(
            written.passages,
            written.dimension,
            written.dense_kind,
            getattr(self, "encoded", 0),
            written.per_doc,
            [],
            written.shards,
        )

    def finished(self, index_dir: Path) -> None:
        from factcheck.onnx_encoder import ensure_onnx_export

        ensure_onnx_export(index_dir, self.encoder)  # queries (on any engine) then run without torch
