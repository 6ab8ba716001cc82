"""The dense index: FAISS over L2-normalised vectors, inner product = cosine.

Exact search (IndexFlatIP) while it is fast enough; from ``APPROX_FROM`` vectors an HNSW
graph over 8-bit scalar-quantised vectors, which keeps recall high under 1 GB at a million
passages. The kind chosen is recorded in the manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import IndexStateError
from factcheck.index.manifest import REPAIR

if TYPE_CHECKING:
    import numpy as np

DENSE_NAME = "dense.faiss"
VECTORS_NAME = "vectors.npy"
APPROX_FROM = 200_000


def choose_kind(n: int) -> str:
    return "flat" if n < APPROX_FROM else "hnsw-sq8"


def build_dense(vectors: np.ndarray, kind: str | None = None) -> Any:
    import faiss

    n, dim = vectors.shape
    kind = kind or choose_kind(n)
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw-sq8":
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.train(vectors)
    else:
        raise ValueError(f"unknown dense index kind {kind!r}")
    if n:
        index.add(vectors)
    return index


def save_dense(index: Any, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_dense(path: Path, *, ef_search: int = 96) -> Any:
    import faiss

    if not path.is_file():
        raise IndexStateError(f"dense index {path} is missing; {REPAIR}")
    try:
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError:
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexStateError(f"dense index {path} is corrupt; {REPAIR}") from exc
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = ef_search
    return index


def search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(scores, rows)`` arrays of shape (len(queries), k); rows of -1 mean no hit."""
    k = max(1, min(k, int(index.ntotal) or 1))
    return index.search(queries, k)  # type: ignore[no-any-return]
