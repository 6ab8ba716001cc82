"""Open the live generation of an index: one consistent, validated, read-only snapshot."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import IndexStateError
from factcheck.index.dense import DENSE_NAME, VECTORS_NAME, load_dense
from factcheck.index.manifest import FORMAT_VERSION, MANIFEST_NAME, REPAIR, Manifest, check_files
from factcheck.index.store import STORE_NAME, Store

if TYPE_CHECKING:
    import numpy as np

CURRENT_NAME = "CURRENT"
LOCK_NAME = ".lock"


class Snapshot:
    """One index generation. The store is opened at once; vectors and FAISS lazily."""

    def __init__(self, folder: Path, manifest: Manifest) -> None:
        self.folder = folder
        self.generation = folder.name
        self.manifest = manifest
        self.store = Store(folder / STORE_NAME)
        if self.store.count() != manifest.passages:
            raise IndexStateError(f"index store {folder / STORE_NAME} does not match its manifest; {REPAIR}")

    @cached_property
    def dense(self) -> Any:
        index = load_dense(self.folder / DENSE_NAME)
        if index.ntotal != self.manifest.passages or index.d != self.manifest.dimension:
            raise IndexStateError(f"dense index {self.folder / DENSE_NAME} does not match its manifest; {REPAIR}")
        return index

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


def open_snapshot(index_dir: Path, *, verify: bool = False) -> Snapshot:
    """The live generation of ``index_dir``; IndexStateError when it is absent or damaged."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexStateError(f"index path is not a folder: {index_dir}")
    pointer = index_dir / CURRENT_NAME
    if not pointer.is_file():
        raise IndexStateError(f"no index in {index_dir}; run `factcheck index` first")
    name = pointer.read_text(encoding="utf-8", errors="replace").strip()
    folder = index_dir / name
    if not name.startswith("gen-") or "/" in name or not folder.is_dir():
        raise IndexStateError(f"index pointer {pointer} names no generation; {REPAIR}")
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise IndexStateError(f"index manifest {manifest_path} is missing; {REPAIR}")
    manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8", errors="replace"), manifest_path)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStateError(
            f"index {index_dir} has format {manifest.format_version}, this factcheck reads {FORMAT_VERSION}; {REPAIR}"
        )
    check_files(folder, manifest, full=verify)
    return Snapshot(folder, manifest)
