"""Open the live generation of an index: one consistent, validated, read-only snapshot.

A reader reads ``CURRENT`` once and keeps that generation until it closes the snapshot. It
never takes the writer lock; instead it holds a shared ``flock`` on the generation's
manifest, and a writer deletes an old generation only when it can take that lock
exclusively at once (see ``build._retire``), so no generation disappears under a reader.
"""

from __future__ import annotations

import contextlib
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import IndexStateError
from factcheck.index.dense import DENSE_NAME, VECTORS_NAME, load_dense
from factcheck.index.manifest import FORMAT_VERSION, MANIFEST_NAME, REPAIR, Manifest, check_files
from factcheck.index.store import STORE_NAME, Store

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from factcheck.index.sharded import Layout, Pool

    Serve = Callable[[list[Path], Layout], Pool]

CURRENT_NAME = "CURRENT"
LOCK_NAME = ".lock"


class Snapshot:
    """One index generation. The store is opened at once; vectors and FAISS lazily."""

    def __init__(self, folder: Path, manifest: Manifest, pin: int | None = None) -> None:
        self.folder = folder
        self.generation = folder.name
        self.manifest = manifest
        self._pin = None  # fd of the manifest, shared-locked while this snapshot is open
        self.store = Store(folder / STORE_NAME)
        if self.store.count() != manifest.passages:
            self.store.close()
            raise IndexStateError(f"index store {folder / STORE_NAME} does not match its manifest; {REPAIR}")
        self._check_vectors_header()
        self._pin = pin  # owned from here on; on failure above, the caller still owns it

    @cached_property
    def dense(self) -> Any:
        index = load_dense(self.folder / DENSE_NAME)
        if index.ntotal != self.manifest.passages or index.d != self.manifest.dimension:
            raise IndexStateError(f"dense index {self.folder / DENSE_NAME} does not match its manifest; {REPAIR}")
        return index

    def _check_vectors_header(self) -> None:
        """The vectors file's shape against the manifest, from its header alone."""
        import numpy as np

        try:
            with (self.folder / VECTORS_NAME).open("rb") as handle:
                version = np.lib.format.read_magic(handle)
                read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                shape, _, _ = read(handle)
        except (OSError, ValueError, SyntaxError) as exc:
            self.store.close()
            raise IndexStateError(f"index vectors {self.folder / VECTORS_NAME} are corrupt; {REPAIR}") from exc
        if tuple(shape) != (self.manifest.passages, self.manifest.dimension):
            self.store.close()
            raise IndexStateError(
                f"index vectors {self.folder / VECTORS_NAME} do not match the manifest "
                f"(shape {tuple(shape)}, manifest {self.manifest.passages} x {self.manifest.dimension}); {REPAIR}"
            )

    def vectors(self) -> np.ndarray:
        import numpy as np

        try:
            matrix = np.load(self.folder / VECTORS_NAME, mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise IndexStateError(f"index vectors {self.folder / VECTORS_NAME} are corrupt; {REPAIR}") from exc
        if matrix.shape != (self.manifest.passages, self.manifest.dimension):
            raise IndexStateError(f"index vectors {self.folder / VECTORS_NAME} do not match the manifest; {REPAIR}")
        return matrix

    def close(self) -> None:
        self.store.close()
        self._unpin()

    def _unpin(self) -> None:
        if self._pin is not None:
            with contextlib.suppress(OSError):
                os.close(self._pin)  # closing the descriptor releases the flock
            self._pin = None

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pin_generation(manifest_path: Path) -> int | None:
    """Open ``manifest_path`` and hold a shared lock on it; None where flock does not exist.

    Raises FileNotFoundError when the generation was removed (or is being removed) meanwhile."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    fd = os.open(manifest_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        # A writer renames a generation away while it holds the exclusive lock: after we got
        # the shared lock, the path must still lead to the file we locked.
        st = os.fstat(fd)
        now = os.stat(manifest_path)
        if (st.st_dev, st.st_ino) != (now.st_dev, now.st_ino):
            raise FileNotFoundError(manifest_path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_pointer(index_dir: Path) -> str | None:
    """The generation name in ``CURRENT``, None when there is no such file."""
    try:
        raw = (index_dir / CURRENT_NAME).read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise IndexStateError(f"index pointer {index_dir / CURRENT_NAME} is a folder; {REPAIR}") from exc
    except OSError as exc:
        raise IndexStateError(f"cannot read index pointer {index_dir / CURRENT_NAME}: {exc.strerror}") from exc
    return raw.decode("utf-8", errors="replace").strip()


def open_snapshot(index_dir: Path, *, verify: bool = False, serve: Serve | None = None) -> Snapshot:
    """The live generation of ``index_dir``; IndexStateError when it is absent or damaged.

    A sharded generation is opened through ``serve`` (a pool of its shards: every shard in this
    process by default, or Ray actors); with ``serve`` given, a plain generation is served as one shard."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexStateError(f"index path is not a folder: {index_dir}")
    pointer = index_dir / CURRENT_NAME
    for _attempt in range(5):
        name = read_pointer(index_dir)
        if name is None:
            raise IndexStateError(f"no index in {index_dir}; run `factcheck index` first")
        folder = index_dir / name
        if not name.startswith("gen-") or "/" in name or "\\" in name or not folder.is_dir():
            if read_pointer(index_dir) != name:
                continue  # a writer switched CURRENT meanwhile: read it again
            raise IndexStateError(f"index pointer {pointer} names no generation ({name[:60]!r}); {REPAIR}")
        manifest_path = folder / MANIFEST_NAME
        try:
            pin = pin_generation(manifest_path)
        except FileNotFoundError:
            if read_pointer(index_dir) != name:
                continue
            raise IndexStateError(f"index manifest {manifest_path} is missing; {REPAIR}") from None
        except OSError as exc:
            raise IndexStateError(f"cannot read index manifest {manifest_path}: {exc.strerror}; {REPAIR}") from exc
        try:
            manifest = _read_manifest(index_dir, manifest_path)
            if manifest.shards or serve is not None:
                from factcheck.index.shards import open_sharded

                return open_sharded(folder, manifest, pin, verify=verify, serve=serve)  # type: ignore[return-value]
            check_files(folder, manifest, full=verify)
            return Snapshot(folder, manifest, pin)
        except BaseException:
            if pin is not None:
                os.close(pin)
            raise
    raise IndexStateError(f"index {index_dir} changes too fast to be read (is a build looping?)")


def open_generation(folder: Path) -> Snapshot:
    """A generation folder, plain or sharded (every shard in this process), without the ``CURRENT`` pointer
    and without pinning it: for a build that reads the generation its writer lock keeps alive."""
    manifest = _read_manifest(folder.parent, folder / MANIFEST_NAME)
    if manifest.shards:
        from factcheck.index.shards import open_sharded

        return open_sharded(folder, manifest, None)  # type: ignore[return-value]
    check_files(folder, manifest)
    return Snapshot(folder, manifest)


def open_part(folder: Path, *, verify: bool = False) -> Snapshot:
    """One plain generation folder (a whole index, or a shard of one), without the ``CURRENT`` pointer."""
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise IndexStateError(f"index manifest {manifest_path} is missing; {REPAIR}")
    manifest = _read_manifest(folder.parent, manifest_path)
    if manifest.shards:
        raise IndexStateError(f"index manifest {manifest_path} describes shards, not one part; {REPAIR}")
    check_files(folder, manifest, full=verify)
    return Snapshot(folder, manifest)


def _read_manifest(index_dir: Path, manifest_path: Path) -> Manifest:
    try:
        text = manifest_path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise IndexStateError(f"cannot read index manifest {manifest_path}: {exc.strerror}; {REPAIR}") from exc
    manifest = Manifest.from_json(text, manifest_path)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStateError(
            f"index {index_dir} has format {manifest.format_version}, this factcheck reads {FORMAT_VERSION}; {REPAIR}"
        )
    manifest.validate(manifest_path)
    return manifest


def verify_index(index_dir: Path, model_id: str | None = None) -> str:
    """Check the live generation in full (checksums, SQLite integrity, vector and FAISS shapes,
    and the model it was built with when ``model_id`` is given).

    Returns a one-line summary; raises IndexStateError naming the first damage found."""
    with open_snapshot(index_dir, verify=True) as snap:
        if model_id is not None and snap.manifest.model_id != model_id:
            raise IndexStateError(
                f"index {index_dir} was built with {snap.manifest.model_id}, not {model_id}; {REPAIR}"
            )
        snap.vectors()
        _ = snap.dense
        for part in [snap.folder / name for name in sorted(snap.manifest.shards)] or [snap.folder]:
            _integrity(part / STORE_NAME)
        m = snap.manifest
        extras = _verify_side_files(index_dir, m.model_id)
        return (
            f"index {index_dir} is sound: {snap.generation}, {len(m.documents)} documents, {m.passages} passages, "
            f"model {m.model_id}, dimension {m.dimension}, format {m.format_version}{extras}"
        )


def _integrity(store: Path) -> None:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise IndexStateError(f"index store {store} is corrupt ({exc}); {REPAIR}") from exc
    if not result or result[0] != "ok":
        raise IndexStateError(f"index store {store} fails its integrity check; {REPAIR}")


def _verify_side_files(index_dir: Path, model_id: str) -> str:
    """Check the ONNX export (``models/``) and the claim cache (``cache/``) kept beside the
    generations; the summary's tail on success, IndexStateError naming the file otherwise."""
    from factcheck.embed import CACHE_DIR, CACHE_NAME, cache_problem
    from factcheck.onnx_encoder import export_problem, onnx_path

    tail = ""
    export = onnx_path(index_dir, model_id)
    if export.exists():
        if (problem := export_problem(export)) is not None:
            raise IndexStateError(f"ONNX export {export} {problem}; {REPAIR}")
        tail += "; ONNX export verified"
    cache = index_dir / CACHE_DIR / CACHE_NAME
    if cache.exists():
        if (problem := cache_problem(cache)) is not None:
            raise IndexStateError(f"claim cache {cache} {problem}; delete it (it is refilled as claims are checked)")
        tail += "; claim cache sound"
    return tail
