"""Build or refresh an index, atomically and incrementally.

Layout of an index folder::

    index/CURRENT           name of the live generation (replaced atomically)
    index/gen-<id>/         manifest.json, store.sqlite, vectors.npy, dense.faiss
                            (or shard-NNN/ folders of those, listed by the manifest: shards.py)
    index/.build-<id>/      a build in progress (removed when it fails or is abandoned)
    index/.lock             held by the one writer

A build writes a whole new generation beside the live one, fsyncs it, renames it into place
and only then switches CURRENT. Readers that opened the old generation keep a consistent
snapshot; an interrupted build leaves the live index untouched. Documents whose content
hash did not change keep their passages and vectors: only added or changed documents are
segmented and embedded.

The build streams: documents are planned from their hashes (plan.py), then prepared one at a
time (prepare.py) and appended to the store and vectors (part.py); where that happens is a
``BuildEngine``: ``LocalBuild`` here, ``RayBuild`` on a Ray cluster (engine/ray_build.py).

Crash safety, step by step (a kill at any point leaves CURRENT naming a complete generation):

1. under the writer lock, leftovers of killed builds go: ``.build-*``, ``.CURRENT-*``, ``.trash-*``;
2. files are written into ``.build-<id>/`` and fsynced, the manifest (with checksums) last,
   then the folder itself;
3. ``.build-<id>`` is renamed to ``gen-<id>`` and the index folder fsynced;
4. ``.CURRENT-<id>`` is written and fsynced, then renamed over ``CURRENT`` (atomic), and the
   folder fsynced again;
5. older generations are removed, except the one that was live when the build started and any
   that a reader still holds (see snapshot.py); a failed build removes its own folders.

SIGTERM during a build is turned into KeyboardInterrupt, so the same clean-up runs as for
Ctrl-C. ``FACTCHECK_TEST_PAUSE=stage[:seconds]`` (tests only) stops a build at a named stage
(``encode``, ``store``, ``renamed``, ``pointer``) and says so on stderr, so a test can kill it there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sys
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from factcheck.errors import IndexLockedError, IndexStateError, InputError
from factcheck.index.manifest import FORMAT_VERSION, MANIFEST_NAME, REPAIR, DocEntry, Manifest, describe_files
from factcheck.index.part import PART_FILES, PartWriter
from factcheck.index.plan import Plan, Scanned, order_for, plan_build, scan_all
from factcheck.index.prepare import Prepared, analyse, embed, reuse
from factcheck.index.sharded import shard_of
from factcheck.index.shards import ShardJob, link_shard, reusable_shards, write_shard
from factcheck.index.snapshot import CURRENT_NAME, LOCK_NAME, Snapshot, open_snapshot, read_pointer
from factcheck.ingest import CATALOG_NAME, SourceFile, SourceWarning, list_sources, read_catalog
from factcheck.judge.facts_codec import facts_key
from factcheck.records import Document
from factcheck.segment import SEGMENTER_VERSION

if TYPE_CHECKING:
    from factcheck.embed import Encoder

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildReport:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[str, ...]
    passages: int
    encoded: int  # passages embedded by this build
    generation: str
    failed: tuple[str, ...] = ()  # "path: why" of each source that could not be read (skipped)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        parts = [f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged", f"{len(self.removed)} removed"]
        if self.added:
            parts.insert(0, f"{len(self.added)} added")
        text = ", ".join(parts) + f"; {self.passages} passages ({self.encoded} embedded)"
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        if self.failed:
            text += f" ({len(self.failed)} unreadable)"
        return text


@contextlib.contextmanager
def writer_lock(index_dir: Path, timeout: float, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the index's writer lock; wait up to ``timeout`` seconds (-1: forever)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(index_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait:
            on_wait()
        try:
            lock.acquire(timeout=timeout)
        except Timeout as exc:
            raise IndexLockedError(
                f"index {index_dir} is being built by another process (waited {timeout:g} s; see --lock-timeout)"
            ) from exc
    try:
        yield
    finally:
        lock.release()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def prepare_index_dir(index_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_dir():
        raise InputError(f"index path is not a folder: {index_dir}")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create index folder {index_dir}: {exc.strerror}") from exc


LEFTOVER_PREFIXES = (".build-", ".CURRENT-", ".trash-")


def _sweep(index_dir: Path) -> None:
    """Remove what killed builds left behind (call with the writer lock held)."""
    for entry in index_dir.iterdir():
        if entry.name.startswith(LEFTOVER_PREFIXES):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    entry.unlink()


def _retire(folder: Path) -> bool:
    """Remove an old generation unless a reader holds it; True when it was removed."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        fcntl = None  # type: ignore[assignment]
    trash = folder.with_name(".trash-" + folder.name)
    manifest = folder / MANIFEST_NAME
    fd = None
    try:
        if fcntl is not None and manifest.is_file():
            fd = os.open(manifest, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # a reader still uses it: a later build removes it
        os.rename(folder, trash)
    except OSError:
        return False
    finally:
        if fd is not None:
            os.close(fd)
    shutil.rmtree(trash, ignore_errors=True)
    return True


def _cleanup(index_dir: Path, keep: set[str]) -> None:
    """Remove abandoned builds and generations other than the ones in ``keep``."""
    _sweep(index_dir)
    for entry in index_dir.iterdir():
        if entry.name.startswith("gen-") and entry.name not in keep and entry.is_dir():
            _retire(entry)


def _pause(stage: str) -> None:
    """Test hook: ``FACTCHECK_TEST_PAUSE=stage[:seconds]`` stops the build at ``stage``."""
    wanted = os.environ.get("FACTCHECK_TEST_PAUSE", "")
    if not wanted:
        return
    name, _, seconds = wanted.partition(":")
    if name == stage:
        print(f"factcheck-test: paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Within a build, SIGTERM raises KeyboardInterrupt, so the half-written build is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):  # pragma: no cover - no signals here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _reusable(index_dir: Path, encoder_id: str, rebuild: bool) -> Snapshot | None:
    if rebuild or not (index_dir / CURRENT_NAME).exists():
        return None
    try:
        snap = open_snapshot(index_dir)
    except IndexStateError as exc:
        problem = str(exc).replace(f"; {REPAIR}", "")
        warnings.warn(f"{problem}; rebuilding it from scratch", SourceWarning, stacklevel=3)
        return None
    if snap.manifest.model_id != encoder_id or snap.manifest.segmenter != SEGMENTER_VERSION:
        snap.close()
        return None
    return snap


class IndexReadOnlyError(IndexStateError):
    """The index folder cannot be written (permissions, read-only file system)."""


_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


def build_index(sources: Path, index_dir: Path, **options: Any) -> BuildReport:
    """Build ``index_dir`` from ``sources`` (or refresh it); see the module docstring.

    A first build that fails leaves no index folder behind. A folder that cannot be written
    raises IndexReadOnlyError naming it (not the temporary file that failed)."""
    created = not index_dir.exists()
    try:
        return _build_index(sources, index_dir, **options)
    except OSError as exc:
        if exc.errno in _READ_ONLY and _inside(exc.filename, index_dir):
            raise IndexReadOnlyError(
                f"index folder {index_dir} is read-only ({exc.strerror}): cannot build or refresh it "
                "(make it writable, or give --index a writable folder)"
            ) from exc
        raise
    except BaseException:
        if created and index_dir.is_dir() and read_pointer(index_dir) is None:
            shutil.rmtree(index_dir, ignore_errors=True)
        raise


def _inside(filename: object, folder: Path) -> bool:
    if not isinstance(filename, str | os.PathLike):
        return False
    try:
        Path(filename).resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


class BuildEngine(Protocol):
    """How documents are scanned and the new generation's files written: in this process (``LocalBuild``)
    or on a Ray cluster (``factcheck.engine.ray_build``). Planning, the lock and the switch are shared."""

    model_id: str

    def shard_count(self, requested: int | None, current: int) -> int: ...

    def scan(self, sources: list[SourceFile], catalog: Mapping[str, Mapping[str, str]]) -> Iterable[Scanned]: ...

    def write(self, work: Path, plan: Plan, old: Snapshot | None, shards: int, build_id: str) -> Written: ...

    def finished(self, index_dir: Path) -> None: ...


@dataclass(frozen=True)
class Written:
    """What an engine wrote into the build folder."""

    passages: int
    dimension: int
    dense_kind: str
    encoded: int
    per_doc: dict[str, int]
    files: list[str]  # a plain generation's files; [] when sharded
    shards: dict[str, dict[str, Any]]  # a sharded generation's shards (shards.py); {} when plain


class LocalBuild:
    """Documents scanned, segmented, embedded and written one at a time, in this process."""

    def __init__(
        self,
        encoder: Encoder,
        progress: Progress | None = None,
        after_encode: Callable[[int], None] | None = None,
    ) -> None:
        self.encoder = encoder
        self.model_id = encoder.id
        self.progress = progress
        self.after_encode = after_encode

    def shard_count(self, requested: int | None, current: int) -> int:
        """``requested`` shards (0: a plain index), else as many as the live index has."""
        return current if requested is None else requested

    def scan(self, sources: list[SourceFile], catalog: Mapping[str, Mapping[str, str]]) -> Iterable[Scanned]:
        return scan_all(sources, catalog)

    def _prepared(self, plan: Plan, old: Snapshot | None) -> Callable[[Document], Prepared]:
        fresh = set(plan.fresh)
        state = {"done": 0, "encoded": 0}

        def prepared(doc: Document) -> Prepared:
            if doc.id not in fresh:
                return reuse(old, doc)
            analysed = analyse(plan.read(doc))
            for note in analysed.notes:
                warnings.warn(note, SourceWarning, stacklevel=2)
            result = embed(analysed, self.encoder, 0)
            state["done"] += 1
            state["encoded"] += result.encoded
            if self.progress:
                self.progress(state["done"], len(fresh))
            if self.after_encode:
                self.after_encode(state["encoded"])
            _pause("encode")
            return result

        return prepared

    def write(self, work: Path, plan: Plan, old: Snapshot | None, shards: int, build_id: str) -> Written:
        prepared = self._prepared(plan, old)
        if shards == 0:
            writer = PartWriter(work)
            try:
                for doc in plan.docs:
                    writer.add(prepared(doc))
                dimension = writer.dimension or self.encoder.dimension
                from factcheck.onnx_encoder import OnnxEncoder

                if isinstance(self.encoder, OnnxEncoder):
                    self.encoder.release()  # its arena is not needed while FAISS trains and adds (peak memory)
                summary = writer.finish(dimension)
            except BaseException:
                writer.abort()
                raise
            return Written(
                summary.passages,
                summary.dimension,
                summary.dense_kind,
                summary.encoded,
                summary.per_doc,
                PART_FILES,
                {},
            )
        entries: dict[str, dict[str, Any]] = {}
        keep = reusable_shards(old, shards, dirty_shards(plan, shards), plan.catalog_sha256, facts_key())
        for job in shard_jobs(plan, shards, self.model_id, build_id):
            if job.index in keep and old is not None:
                entries[job.name] = link_shard(old.folder / job.name, work / job.name, old.manifest.shards[job.name])
            else:
                entries[job.name] = write_shard(job, work / job.name, prepared, lambda: self.encoder.dimension)
        return written_shards(work, entries)

    def finished(self, index_dir: Path) -> None:
        from factcheck.onnx_encoder import ensure_onnx_export

        ensure_onnx_export(index_dir, self.encoder)  # index/models/<model>.onnx: queries then run without torch


def facts_current(old: Snapshot) -> bool:
    """Whether the live generation's stored passage facts are of the current codec (``facts_key``): after an
    upgrade that changes them, a refresh recomputes them once instead of every query doing it."""
    key = facts_key()
    if old.manifest.shards:
        return all(entry.get("facts_key") == key for entry in old.manifest.shards.values())
    return old.store.facts_versions() <= {key}


def dirty_shards(plan: Plan, shards: int) -> set[int]:
    """The shards that gain, lose or change a document."""
    return {shard_of(d, shards) for d in plan.added + plan.updated + plan.removed}


def shard_jobs(plan: Plan, shards: int, model_id: str, build_id: str) -> list[ShardJob]:
    """One job per shard: its documents (by id) and what its manifest records."""
    groups: list[list[Document]] = [[] for _ in range(shards)]
    for doc in plan.docs:
        groups[shard_of(doc.id, shards)].append(doc)
    stats, key = plan.stats(), facts_key()
    return [
        ShardJob(
            i, tuple(g), {d.id: stats[d.id] for d in g}, model_id, SEGMENTER_VERSION, plan.catalog_sha256, build_id, key
        )
        for i, g in enumerate(groups)
    ]


def written_shards(work: Path, entries: dict[str, dict[str, Any]]) -> Written:
    """The summary of a sharded build folder, from the manifests of its shards."""
    per_doc: dict[str, int] = {}
    kinds = set()
    for name in entries:
        part = Manifest.from_json((work / name / MANIFEST_NAME).read_text(encoding="utf-8"), work / name)
        per_doc.update({d: e.passages for d, e in part.documents.items()})
        kinds.add(part.dense_kind)
    dimension = max(int(e["dimension"]) for e in entries.values())
    encoded = sum(int(e.pop("encoded", 0)) for e in entries.values())
    passages = sum(int(e["passages"]) for e in entries.values())
    return Written(passages, dimension, "sharded:" + ",".join(sorted(kinds)), encoded, per_doc, [], entries)


def _build_index(
    sources: Path,
    index_dir: Path,
    *,
    encoder: Encoder | None = None,
    rebuild: bool = False,
    lock_timeout: float = -1,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
    after_encode: Callable[[int], None] | None = None,
    shards: int | None = None,
    engine: BuildEngine | None = None,
) -> BuildReport:
    sources_list = list_sources(sources)  # fails early, before any lock or write
    prepare_index_dir(index_dir)
    if engine is None:
        from factcheck.onnx_encoder import build_encoder

        engine = LocalBuild(encoder or build_encoder(index_dir), progress, after_encode)
    with _sigterm_as_interrupt(), writer_lock(index_dir, lock_timeout, on_wait):
        _sweep(index_dir)
        live = read_pointer(index_dir)  # kept by the clean-up: readers may be using it
        old = _reusable(index_dir, engine.model_id, rebuild)
        try:
            report, generation = _build_locked(sources, sources_list, index_dir, engine, old, shards)
        finally:
            if old is not None:
                old.close()
        if generation:
            _cleanup(index_dir, {generation} | ({live} if live else set()))
            engine.finished(index_dir)
    return report


def _build_locked(
    sources: Path,
    sources_list: list[SourceFile],
    index_dir: Path,
    engine: BuildEngine,
    old: Snapshot | None,
    shards: int | None,
) -> tuple[BuildReport, str]:
    """Plan, write and switch in a new generation (the writer lock held); ``(report, generation)``, the
    generation "" when nothing changed."""
    catalog = read_catalog(sources)
    digest = catalog_digest(sources)
    ordered = order_for(sources_list, old.manifest if old else None)
    plan = plan_build(ordered, engine.scan(ordered, catalog), old.manifest if old else None, catalog, digest)
    old_shards = len(old.manifest.shards) if old is not None else 0  # 0: a plain index
    count = engine.shard_count(shards, old_shards)
    if (
        old is not None
        and not plan.changed
        and old.manifest.catalog_sha256 == digest
        and count == old_shards
        and facts_current(old)
    ):
        report = BuildReport(
            (), (), plan.unchanged, (), plan.skipped, old.manifest.passages, 0, old.generation, plan.failed
        )
        return report, ""
    if not plan.docs:
        if plan.failed:
            first = plan.failed[0]
            raise InputError(first if len(plan.failed) == 1 else f"{first} (and {len(plan.failed) - 1} more)")
        raise InputError(f"no source in {sources} has any text ({len(plan.skipped)} empty or duplicate)")
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    work = index_dir / f".build-{build_id}"
    work.mkdir()
    generation = f"gen-{build_id}"
    try:
        written = engine.write(work, plan, old, count, build_id)
        _pause("store")
        stats = plan.stats()
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            model_id=engine.model_id,
            dimension=written.dimension,
            dense_kind=written.dense_kind,
            passages=written.passages,
            documents={d.id: DocEntry(d.sha256, *stats[d.id], written.per_doc.get(d.id, 0), d.path) for d in plan.docs},
            files=describe_files(work, written.files),
            skipped={sid: [plan.sources[sid].size, plan.sources[sid].mtime_ns] for sid in plan.skipped},
            duplicates=plan.duplicates,
            catalog_sha256=digest,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            build_id=build_id,
            segmenter=SEGMENTER_VERSION,
            shards=written.shards,
        )
        _switch(index_dir, work, manifest, build_id, old)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if read_pointer(index_dir) != generation:  # renamed but never made live
            shutil.rmtree(index_dir / generation, ignore_errors=True)
            with contextlib.suppress(OSError):
                (index_dir / f".CURRENT-{build_id}").unlink()
        raise
    report = BuildReport(
        plan.added,
        plan.updated,
        plan.unchanged,
        plan.removed,
        plan.skipped,
        written.passages,
        written.encoded,
        generation,
        plan.failed,
    )
    return report, generation


def _switch(index_dir: Path, work: Path, manifest: Manifest, build_id: str, old: Snapshot | None) -> None:
    """Write the manifest, rename the build folder into a generation and point ``CURRENT`` at it."""
    (work / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    _fsync_file(work / MANIFEST_NAME)
    for shard in manifest.shards:
        _fsync_dir(work / shard)
    _fsync_dir(work)
    generation = f"gen-{build_id}"
    os.rename(work, index_dir / generation)
    _fsync_dir(index_dir)
    _pause("renamed")
    pointer = index_dir / f".CURRENT-{build_id}"
    with pointer.open("w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    _pause("pointer")
    if old:
        old.close()
    os.replace(pointer, index_dir / CURRENT_NAME)
    _fsync_dir(index_dir)


def catalog_digest(sources: Path) -> str:
    import hashlib

    path = sources / CATALOG_NAME
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def is_stale(snapshot: Snapshot, sources: Path) -> bool:
    """Whether ``sources`` differs from what the snapshot was built from, or its stored passage facts are of an
    older codec (after an upgrade: refreshed once, not recomputed by every query).

    Every indexed document is hashed, as ``factcheck index`` does: a same-size correction
    copied with its modification time kept (``cp -p``, ``rsync -a``, ``tar x``) is a change."""
    import hashlib

    listed = {s.id: s for s in list_sources(sources)}
    known = snapshot.manifest.documents
    if catalog_digest(sources) != snapshot.manifest.catalog_sha256 or not facts_current(snapshot):
        return True
    for sid, src in listed.items():
        entry = known.get(sid)
        if entry is None:
            if snapshot.manifest.skipped.get(sid) == [src.size, src.mtime_ns]:
                continue  # an empty or duplicate source that the build skipped
            return True
        if entry.size != src.size or hashlib.sha256(src.path.read_bytes()).hexdigest() != entry.sha256:
            return True
    return any(sid not in listed for sid in known)
