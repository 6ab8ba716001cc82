"""Build or refresh an index, atomically and incrementally.

Layout of an index folder::

    index/CURRENT           name of the live generation (replaced atomically)
    index/gen-<id>/         manifest.json, store.sqlite, vectors.npy, dense.faiss
    index/.build-<id>/      a build in progress (removed when it fails or is abandoned)
    index/.lock             held by the one writer

A build writes a whole new generation beside the live one, fsyncs it, renames it into place
and only then switches CURRENT. Readers that opened the old generation keep a consistent
snapshot; an interrupted build leaves the live index untouched. Documents whose content
hash did not change keep their passages and vectors: only added or changed documents are
segmented and embedded.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import IndexLockedError, IndexStateError, InputError
from factcheck.extract.entities import gazetteer_from
from factcheck.index.dense import DENSE_NAME, VECTORS_NAME, build_dense, choose_kind, save_dense
from factcheck.index.manifest import FORMAT_VERSION, MANIFEST_NAME, REPAIR, DocEntry, Manifest, describe_files
from factcheck.index.snapshot import CURRENT_NAME, LOCK_NAME, Snapshot, open_snapshot, read_pointer
from factcheck.index.store import STORE_NAME, create_store, write_facts
from factcheck.ingest import CATALOG_NAME, SourceWarning, list_sources, read_catalog, read_document
from factcheck.records import Document, Passage
from factcheck.segment import SEGMENTER_VERSION, segment

if TYPE_CHECKING:
    import numpy as np

    from factcheck.embed import Encoder

Progress = Callable[[int, int], None]
ENCODE_CHUNK = 256


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
) -> BuildReport:
    import numpy as np

    from factcheck.embed import Encoder

    sources_list = list_sources(sources)  # fails early, before any lock or write
    prepare_index_dir(index_dir)
    encoder = encoder or Encoder()
    with _sigterm_as_interrupt(), writer_lock(index_dir, lock_timeout, on_wait):
        _sweep(index_dir)
        live = read_pointer(index_dir)  # kept by the clean-up: readers may be using it
        old = _reusable(index_dir, encoder.id, rebuild)
        catalog = read_catalog(sources)
        docs: list[Document] = []
        skipped: list[str] = []
        duplicates: dict[str, str] = {}
        seen: dict[str, str] = {}
        known = old.manifest.documents if old else {}
        # Of two sources with the same content, keep the one already indexed (then the first id).
        failed: list[str] = []
        for src in sorted(sources_list, key=lambda s: s.id not in known):
            try:
                doc = read_document(src, catalog)
            except InputError as exc:  # one unreadable source never sinks the build: the rest goes on
                warnings.warn(f"{exc}; skipped", SourceWarning, stacklevel=2)
                failed.append(str(exc))
                skipped.append(src.id)
                continue
            if not doc.text[doc.body_start :].strip():
                warnings.warn(f"{src.path}: empty source, skipped", SourceWarning, stacklevel=2)
                skipped.append(src.id)
                continue
            if doc.sha256 in seen:
                warnings.warn(
                    f"{src.path}: same content as source {seen[doc.sha256]!r}, skipped", SourceWarning, stacklevel=2
                )
                skipped.append(src.id)
                duplicates[src.id] = seen[doc.sha256]
                continue
            seen[doc.sha256] = doc.id
            docs.append(doc)
        docs.sort(key=lambda d: d.id)
        stats = {s.id: s for s in sources_list}
        old_docs = old.manifest.documents if old else {}
        added = [d.id for d in docs if d.id not in old_docs]
        updated = [d.id for d in docs if d.id in old_docs and old_docs[d.id].sha256 != d.sha256]
        unchanged = [d.id for d in docs if d.id in old_docs and old_docs[d.id].sha256 == d.sha256]
        current_ids = {d.id for d in docs}
        removed = [k for k in old_docs if k not in current_ids]
        if (
            old is not None
            and not (added or updated or removed)
            and old.manifest.catalog_sha256 == catalog_digest(sources)
        ):
            report = BuildReport(
                (), (), tuple(unchanged), (), tuple(skipped), old.manifest.passages, 0, old.generation, tuple(failed)
            )
            old.close()
            return report
        if not docs:
            if old is not None:
                old.close()
            if failed:
                raise InputError(failed[0] if len(failed) == 1 else f"{failed[0]} (and {len(failed) - 1} more)")
            raise InputError(f"no source in {sources} has any text ({len(skipped)} empty or duplicate)")

        build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        work = index_dir / f".build-{build_id}"
        work.mkdir()
        try:
            passages, vectors, encoded = _collect(docs, set(unchanged), old, encoder, progress, after_encode)
            gazetteer = _gazetteer_rows(passages, set(unchanged), old)
            n = create_store(work / STORE_NAME, docs, passages, gazetteer)
            write_facts(work / STORE_NAME, _facts_rows(docs, passages, gazetteer, set(unchanged), old))
            _pause("store")
            if len(vectors) == 1:
                matrix = np.ascontiguousarray(vectors[0], dtype=np.float32)
            else:
                matrix = np.vstack(vectors) if vectors else np.zeros((0, 384), dtype=np.float32)
            np.save(work / VECTORS_NAME, matrix)
            kind = choose_kind(n)
            save_dense(build_dense(matrix, kind), work / DENSE_NAME)
            per_doc: dict[str, int] = {}
            for p in passages:
                per_doc[p.doc_id] = per_doc.get(p.doc_id, 0) + 1
            files = [STORE_NAME, VECTORS_NAME, DENSE_NAME]
            for name in files:
                _fsync_file(work / name)
            manifest = Manifest(
                format_version=FORMAT_VERSION,
                model_id=encoder.id,
                dimension=int(matrix.shape[1]) if n else encoder.dimension,
                dense_kind=kind,
                passages=n,
                documents={
                    d.id: DocEntry(d.sha256, stats[d.id].size, stats[d.id].mtime_ns, per_doc.get(d.id, 0), d.path)
                    for d in docs
                },
                files=describe_files(work, files),
                skipped={sid: [stats[sid].size, stats[sid].mtime_ns] for sid in skipped},
                duplicates=duplicates,
                catalog_sha256=catalog_digest(sources),
                created=datetime.now(UTC).isoformat(timespec="seconds"),
                build_id=build_id,
                segmenter=SEGMENTER_VERSION,
            )
            (work / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
            _fsync_file(work / MANIFEST_NAME)
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
        except BaseException:
            if old:
                old.close()
            shutil.rmtree(work, ignore_errors=True)
            if read_pointer(index_dir) != f"gen-{build_id}":  # renamed but never made live
                shutil.rmtree(index_dir / f"gen-{build_id}", ignore_errors=True)
                with contextlib.suppress(OSError):
                    (index_dir / f".CURRENT-{build_id}").unlink()
            raise
        _cleanup(index_dir, {generation} | ({live} if live else set()))
        from factcheck.onnx_encoder import ensure_onnx_export

        ensure_onnx_export(index_dir, encoder)  # index/models/<model>.onnx: queries then run without torch
    added_, updated_, unchanged_, removed_ = tuple(added), tuple(updated), tuple(unchanged), tuple(removed)
    return BuildReport(added_, updated_, unchanged_, removed_, tuple(skipped), n, encoded, generation, tuple(failed))


def _facts_rows(
    docs: list[Document],
    passages: list[Passage],
    gazetteer: list[tuple[str, str, str]],
    unchanged: set[str],
    old: Snapshot | None,
) -> Iterator[tuple[int, int, str, str]]:
    """``(row, version, sentence, window)`` facts of every passage (rows in ``passages`` order): those of
    unchanged documents reused, the others extracted once here so that queries need not."""
    from factcheck.judge.facts import passage_facts
    from factcheck.judge.facts_codec import dumps, facts_key

    key = facts_key()
    published = {d.id: d.published for d in docs}
    per_doc: dict[str, dict[str, str]] = {}
    for doc_id, name, kind in gazetteer:
        per_doc.setdefault(doc_id, {}).setdefault(name, kind)
    reused: dict[int, tuple[str, str]] = {}
    current = ""
    for row, p in enumerate(passages):
        if p.doc_id != current:
            current = p.doc_id
            reused = old.store.document_facts(p.doc_id, key) if old and p.doc_id in unchanged else {}
        if p.ordinal in reused:
            yield row, key, *reused[p.ordinal]
            continue
        before = passages[row - 1].text if row > 0 and passages[row - 1].doc_id == p.doc_id else ""
        after = passages[row + 1].text if row + 1 < len(passages) and passages[row + 1].doc_id == p.doc_id else ""
        sentence, window = passage_facts(
            p.text,
            previous=before,
            following=after,
            heading=p.heading,
            published=published.get(p.doc_id),
            gazetteer=per_doc.get(p.doc_id, {}),
        )
        yield row, key, dumps(sentence), dumps(window)


def _gazetteer_rows(passages: list[Passage], unchanged: set[str], old: Snapshot | None) -> list[tuple[str, str, str]]:
    """``(doc_id, name, kind)`` rows: reused for unchanged documents, read anew for the others."""
    by_doc: dict[str, list[str]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p.text)
    rows: list[tuple[str, str, str]] = []
    for doc_id, texts in by_doc.items():
        if old is not None and doc_id in unchanged:
            rows += [(doc_id, name, kind) for name, kind in old.store.document_gazetteer(doc_id)]
        else:
            rows += [(doc_id, name, kind) for name, kind in sorted(gazetteer_from(texts).items())]
    return rows


def _collect(
    docs: list[Document],
    unchanged: set[str],
    old: Snapshot | None,
    encoder: Encoder,
    progress: Progress | None,
    after_encode: Callable[[int], None] | None,
) -> tuple[list[Passage], list[np.ndarray], int]:
    """Passages of every document and their vectors, reusing those of unchanged documents."""
    import numpy as np

    passages: list[Passage] = []
    blocks: list[Any] = []  # per document: old rows (reuse) or the new passages' index range
    fresh: list[Passage] = []
    old_vectors = old.vectors() if old else None
    for doc in docs:
        if old is not None and doc.id in unchanged:
            rows_passages = old.store.document_passages(doc.id)
            passages.extend(p for _, p in rows_passages)
            blocks.append(("old", [r for r, _ in rows_passages]))
        else:
            new = segment(doc)
            if not new:
                warnings.warn(f"{doc.path}: no sentences found", SourceWarning, stacklevel=3)
            blocks.append(("new", (len(fresh), len(fresh) + len(new))))
            fresh.extend(new)
            passages.extend(new)
    new_vectors = _encode(encoder, [p.text for p in fresh], progress, after_encode)
    if all(kind == "new" for kind, _ in blocks):
        return passages, [new_vectors], len(fresh)  # already in passage order: no copy to stack
    vectors: list[np.ndarray] = []
    for kind, value in blocks:
        if kind == "old":
            assert old_vectors is not None
            vectors.append(np.asarray(old_vectors[value], dtype=np.float32))
        else:
            vectors.append(new_vectors[value[0] : value[1]])
    return passages, vectors, len(fresh)


def _encode(
    encoder: Encoder, texts: list[str], progress: Progress | None, after_encode: Callable[[int], None] | None
) -> np.ndarray:
    """Vectors of ``texts``, in order; a text that occurs more than once is embedded once.

    Vectors are written chunk by chunk into one preallocated matrix (no list of chunks to
    stack), so peak memory is one matrix of the build's new passages."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    first: dict[str, int] = {}
    where = np.fromiter((first.setdefault(t, len(first)) for t in texts), dtype=np.int64, count=len(texts))
    unique = list(first)
    del first
    matrix: np.ndarray | None = None
    done = 0
    for at in range(0, len(unique), ENCODE_CHUNK):
        chunk = unique[at : at + ENCODE_CHUNK]
        block = encoder.encode(chunk)
        if matrix is None:
            matrix = np.empty((len(unique), block.shape[1]), dtype=np.float32)
        matrix[at : at + len(chunk)] = block
        done += len(chunk)
        if progress:
            progress(done, len(unique))
        if after_encode:
            after_encode(done)
        _pause("encode")
    assert matrix is not None
    return matrix if len(unique) == len(texts) else matrix[where]


def catalog_digest(sources: Path) -> str:
    import hashlib

    path = sources / CATALOG_NAME
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def is_stale(snapshot: Snapshot, sources: Path) -> bool:
    """Whether ``sources`` differs from what the snapshot was built from.

    Every indexed document is hashed, as ``factcheck index`` does: a same-size correction
    copied with its modification time kept (``cp -p``, ``rsync -a``, ``tar x``) is a change."""
    import hashlib

    listed = {s.id: s for s in list_sources(sources)}
    known = snapshot.manifest.documents
    if catalog_digest(sources) != snapshot.manifest.catalog_sha256:
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
