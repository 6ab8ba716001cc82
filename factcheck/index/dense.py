"""The dense index: FAISS over L2-normalised vectors, inner product = cosine.

Exact search (``flat``, IndexFlatIP) below ``APPROX_FROM`` vectors. From there ``ivf-sq8``:
an inverted file (``ivf_lists(n)`` k-means cells, ~2·√n, trained on 40 points per cell) over
8-bit scalar-quantised residuals, searched with ``NPROBE`` cells; its ``REFINE``·k best
candidates are then re-scored exactly against ``vectors.npy`` (only those rows are read,
with pread). Measured on a synthetic million (benchmarks/README.md): ~0.4 GB of codes,
recall@10 ≥ 0.99 vs exact, about a millisecond per search. HNSW was rejected: 402 s and
4.8 GB to build HNSWFlat over 1M on this machine. The kind chosen is recorded in the manifest.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import IndexStateError
from factcheck.index.manifest import REPAIR

if TYPE_CHECKING:
    import numpy as np

DENSE_NAME = "dense.faiss"
VECTORS_NAME = "vectors.npy"
APPROX_FROM = 200_000
APPROX_KIND = "ivf-sq8"
KINDS = ("flat", "ivf-sq8", "hnsw-sq8")
NPROBE = 32
REFINE = 4  # exact re-scoring of REFINE * k approximate candidates
TRAIN_PER_LIST = 40
_SEED = 1234


def choose_kind(n: int) -> str:
    """``flat`` (exact) for small indexes, ``ivf-sq8`` from ``APPROX_FROM`` vectors."""
    return "flat" if n < APPROX_FROM else APPROX_KIND


def ivf_lists(n: int) -> int:
    """Inverted lists for ``n`` vectors: the power of two nearest 2·√n, at least 39 points each."""
    wanted = 2 ** round(math.log2(max(2.0, 2 * math.sqrt(max(n, 1)))))
    return int(max(1, min(wanted, 65536, n // 39 or 1)))


def _set_threads() -> None:
    import faiss

    from factcheck.onnx_encoder import cores

    faiss.omp_set_num_threads(cores())


def build_dense(vectors: np.ndarray, kind: str | None = None, *, lists: int | None = None) -> Any:
    """A FAISS index over ``vectors`` (n x d float32, normalised) of ``kind`` (default: by size)."""
    import faiss
    import numpy as np

    _set_threads()
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape
    kind = kind or choose_kind(n)
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "ivf-sq8":
        nlist = lists or ivf_lists(n)
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        rng = np.random.default_rng(_SEED)
        sample = min(n, TRAIN_PER_LIST * nlist)
        rows = np.sort(rng.choice(n, size=sample, replace=False)) if sample < n else np.arange(n)
        index.train(vectors[rows])
        index.nprobe = min(NPROBE, nlist)
    elif kind == "hnsw-sq8":  # kept so older indexes can be rebuilt alike; not chosen any more
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.train(vectors)
    else:
        raise ValueError(f"unknown dense index kind {kind!r}")
    if n:
        for at in range(0, n, 100_000):
            index.add(vectors[at : at + 100_000])
    return index


def save_dense(index: Any, path: Path) -> None:
    import faiss

    faiss.write_index(getattr(index, "index", index), str(path))


class RefinedIndex:
    """An approximate FAISS index whose candidates are re-scored exactly from ``vectors.npy``.

    Looks like a FAISS index to callers (``ntotal``, ``d``, ``search``). Candidate rows are
    read with ``pread``, not through a memory map: mapped pages (and the kernel's read-ahead
    around each random access) count as resident memory, which took a 1M search process to
    2 GB; reading 160 rows of 1.5 kB keeps it at the size of the FAISS codes.
    """

    def __init__(self, index: Any, vectors_path: Path, factor: int = REFINE) -> None:
        self.index = index
        self.vectors_path = vectors_path
        self.factor = factor
        self._fd: int | None = None
        self._offset = 0
        self._dtype: Any = None

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    @property
    def d(self) -> int:
        return int(self.index.d)

    def _open(self) -> int:
        import numpy as np

        if self._fd is None:
            try:
                with self.vectors_path.open("rb") as handle:
                    major, _ = np.lib.format.read_magic(handle)
                    read_header = (
                        np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
                    )
                    shape, fortran, dtype = read_header(handle)
                    offset = handle.tell()
            except (OSError, ValueError) as exc:
                raise IndexStateError(f"index vectors {self.vectors_path} are unreadable; {REPAIR}") from exc
            if shape != (self.ntotal, self.d) or fortran or dtype.kind != "f":
                raise IndexStateError(f"index vectors {self.vectors_path} do not match the dense index; {REPAIR}")
            self._offset, self._dtype = offset, dtype
            self._fd = os.open(self.vectors_path, os.O_RDONLY)
        return self._fd

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows`` (sorted ascending for sequential reads), float32."""
        import numpy as np

        fd = self._open()
        size = self.d * self._dtype.itemsize
        out = np.empty((len(rows), self.d), dtype=np.float32)
        for i, row in enumerate(rows):
            data = os.pread(fd, size, self._offset + int(row) * size)
            if len(data) != size:
                raise IndexStateError(f"index vectors {self.vectors_path} are truncated; {REPAIR}")
            out[i] = np.frombuffer(data, dtype=self._dtype)
        return out

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        queries = np.ascontiguousarray(queries, dtype=np.float32)
        _, found = self.index.search(queries, max(k, min(self.ntotal, k * self.factor)))
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        rows = np.full((len(queries), k), -1, dtype=np.int64)
        for i, candidates in enumerate(found):
            candidates = np.unique(candidates[candidates >= 0])  # sorted: sequential reads
            if not len(candidates):
                continue
            exact = self.rows(candidates) @ queries[i]
            best = np.lexsort((candidates, -exact))[:k]
            scores[i, : len(best)] = exact[best]
            rows[i, : len(best)] = candidates[best]
        return scores, rows


def load_dense(path: Path, *, nprobe: int = NPROBE, ef_search: int = 96, refine: int = REFINE) -> Any:
    """The FAISS index at ``path``, memory-mapped when FAISS can; approximate kinds are wrapped
    in a ``RefinedIndex`` over the ``vectors.npy`` beside it (when present)."""
    import faiss

    if not path.is_file():
        raise IndexStateError(f"dense index {path} is missing; {REPAIR}")
    _set_threads()
    try:
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError:
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexStateError(f"dense index {path} is corrupt; {REPAIR}") from exc
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = ef_search
    if hasattr(index, "nprobe"):
        index.nprobe = min(nprobe, int(getattr(index, "nlist", nprobe)))
    vectors = path.parent / VECTORS_NAME
    if refine > 1 and not isinstance(index, faiss.IndexFlat) and vectors.is_file():
        return RefinedIndex(index, vectors, refine)
    return index


def search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(scores, rows)`` arrays of shape (len(queries), k); rows of -1 mean no hit."""
    import faiss

    from factcheck.onnx_encoder import cores

    # one claim: one thread (OpenMP workers only add wake-up latency); batches: every core
    faiss.omp_set_num_threads(1 if len(queries) < 4 else cores())
    k = max(1, min(k, int(index.ntotal) or 1))
    return index.search(queries, k)  # type: ignore[no-any-return]
