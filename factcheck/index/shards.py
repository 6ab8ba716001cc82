"""The sharded index format: one generation folder holding N shard folders and a manifest listing them.

::

    index/gen-<id>/manifest.json      every document, the passage count, and per shard its manifest's sha256
    index/gen-<id>/shard-000/         a plain generation: manifest.json, store.sqlite, vectors.npy, dense.faiss
    index/gen-<id>/shard-001/         ...

A document lives in shard ``sharded.shard_of(id, N)`` (a stable hash). Each shard folder is itself a
plain index of its documents, so a shard opens like any index, and a plain index can be served as
a shard of one. A rebuild rewrites only the shards whose documents changed; the others are hard
links to the previous generation's files (no copy). Generations, the ``CURRENT`` pointer and the
writer lock are the plain index's (build.py): a build that fails leaves the live generation as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import IndexStateError
from factcheck.index.manifest import FORMAT_VERSION, MANIFEST_NAME, REPAIR, DocEntry, Manifest, check_files, file_digest
from factcheck.index.part import PART_FILES, PartWriter
from factcheck.index.sharded import Layout, LocalPool, ShardedSnapshot, shard_name

if TYPE_CHECKING:
    from factcheck.index.prepare import Prepared
    from factcheck.index.snapshot import Serve
    from factcheck.records import Document


def shard_folders(folder: Path, manifest: Manifest, *, verify: bool = False) -> list[Path]:
    """The shard folders of a sharded generation, each checked against the manifest that lists it."""
    folders = []
    for name in sorted(manifest.shards):
        shard = folder / name
        if "/" in name or name.startswith(".") or not shard.is_dir():
            raise IndexStateError(f"index shard {shard} is missing; {REPAIR}")
        path = shard / MANIFEST_NAME
        if not path.is_file():
            raise IndexStateError(f"index shard manifest {path} is missing; {REPAIR}")
        if file_digest(path) != manifest.shards[name]["manifest_sha256"]:
            raise IndexStateError(f"index shard manifest {path} is damaged or belongs to another build; {REPAIR}")
        try:
            part = Manifest.from_json(path.read_text(encoding="utf-8"), path)
        except OSError as exc:
            raise IndexStateError(f"cannot read index shard manifest {path}: {exc.strerror}; {REPAIR}") from exc
        check_files(shard, part, full=verify)
        folders.append(shard)
    return folders


def open_sharded(
    folder: Path, manifest: Manifest, pin: int | None, *, verify: bool = False, serve: Serve | None = None
) -> ShardedSnapshot:
    """A sharded generation (or, with ``serve``, a plain one as a shard of one) as one snapshot."""
    folders = shard_folders(folder, manifest, verify=verify) if manifest.shards else [folder]
    layout = Layout(manifest, len(folders))
    pool = (serve or LocalPool)(folders, layout)
    return ShardedSnapshot(folder, manifest, pool, layout, pin)


@dataclass(frozen=True)
class ShardJob:
    """What one shard of a new generation holds, and what the build knows to write it."""

    index: int
    docs: tuple[Document, ...]  # its documents, text dropped, by id
    stats: Mapping[str, tuple[int, int]]  # id -> (size, mtime_ns) of the source file
    model_id: str
    segmenter: str
    catalog_sha256: str
    build_id: str
    facts_key: int

    @property
    def name(self) -> str:
        return shard_name(self.index)


def write_shard(
    job: ShardJob,
    folder: Path,
    prepared: Callable[[Document], Prepared],
    dimension: Callable[[], int],
) -> dict[str, Any]:
    """Write shard ``job`` into ``folder`` (created here), its documents in id order; returns its entry
    in the generation's manifest."""
    folder.mkdir()
    writer = PartWriter(folder)
    try:
        for doc in job.docs:
            writer.add(prepared(doc))
        summary = writer.finish(dimension() if not writer.dimension else writer.dimension)
    except BaseException:
        writer.abort()
        raise
    documents = {
        d.id: DocEntry(d.sha256, job.stats[d.id][0], job.stats[d.id][1], summary.per_doc.get(d.id, 0), d.path)
        for d in job.docs
    }
    from factcheck.index.manifest import describe_files

    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model_id=job.model_id,
        dimension=summary.dimension,
        dense_kind=summary.dense_kind,
        passages=summary.passages,
        documents=documents,
        files=describe_files(folder, PART_FILES),
        catalog_sha256=job.catalog_sha256,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        build_id=job.build_id,
        segmenter=job.segmenter,
    )
    _write_manifest(folder, manifest)
    return _entry(folder, summary.passages, len(documents), job.facts_key, summary.encoded, summary.dimension)


def link_shard(old: Path, folder: Path, entry: Mapping[str, Any]) -> dict[str, Any]:
    """An unchanged shard: the previous generation's files, hard-linked (copied where links fail)."""
    folder.mkdir()
    for name in [*PART_FILES, MANIFEST_NAME]:
        try:
            os.link(old / name, folder / name)
        except OSError:
            shutil.copy2(old / name, folder / name)
    return {**entry, "encoded": 0}


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    path = folder / MANIFEST_NAME
    with path.open("w", encoding="utf-8") as handle:
        handle.write(manifest.to_json())
        handle.flush()
        os.fsync(handle.fileno())


def _entry(folder: Path, passages: int, documents: int, facts_key: int, encoded: int, dimension: int) -> dict[str, Any]:
    return {
        "manifest_sha256": file_digest(folder / MANIFEST_NAME),
        "passages": passages,
        "documents": documents,
        "facts_key": facts_key,
        "dimension": dimension,
        "encoded": encoded,
    }


def reusable_shards(old: Any, count: int, dirty: Iterable[int], catalog_sha256: str, facts_key: int) -> set[int]:
    """The shards of the new generation that can be linked from the live one ``old``: same shard count,
    same catalogue and facts key, and none of their documents added, changed or removed."""
    if old is None or len(old.manifest.shards) != count or old.manifest.catalog_sha256 != catalog_sha256:
        return set()
    dirty = set(dirty)
    keep = set()
    for i in range(count):
        entry = old.manifest.shards.get(shard_name(i))
        if i not in dirty and entry is not None and entry.get("facts_key") == facts_key:
            keep.add(i)
    return keep
