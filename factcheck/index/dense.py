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
from collections.abc import Callable, Iterator
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
ADD_CHUNK = 25_000  # vectors read and added per block: 38 MB at 384 dimensions
TIE_MARGIN = 8  # extra hits asked for, so hits tied at the cut are ordered by row (as shards merge them)
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
    import numpy as np

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape

    def chunks() -> Iterator[np.ndarray]:
        for at in range(0, n, ADD_CHUNK):
            yield vectors[at : at + ADD_CHUNK]

    return _build(n, dim, lambda rows: vectors[rows], chunks, kind, lists)


def build_dense_from_file(path: Path, kind: str | None = None) -> Any:
    """``build_dense`` over a ``.npy`` file read in blocks with plain reads (no memory map, whose pages
    would count as resident): the build's memory is the FAISS index plus one block."""
    n, dim, offset = npy_layout(path)

    def block(start: int, count: int) -> np.ndarray:
        import numpy as np

        return np.fromfile(path, dtype="<f4", count=count * dim, offset=offset + start * dim * 4).reshape(count, dim)

    def rows(wanted: np.ndarray) -> np.ndarray:
        import numpy as np

        out = np.empty((len(wanted), dim), dtype=np.float32)
        for at in range(0, n, ADD_CHUNK):
            inside = (wanted >= at) & (wanted < at + ADD_CHUNK)
            if inside.any():
                out[inside] = block(at, min(ADD_CHUNK, n - at))[wanted[inside] - at]
        return out

    def chunks() -> Iterator[np.ndarray]:
        for at in range(0, n, ADD_CHUNK):
            yield block(at, min(ADD_CHUNK, n - at))

    return _build(n, dim, rows, chunks, kind, None)


def npy_layout(path: Path) -> tuple[int, int, int]:
    """``(rows, dimension, data offset)`` of a little-endian float32 C-order ``.npy`` matrix."""
    import numpy as np

    try:
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read(handle)
            offset = handle.tell()
    except (OSError, ValueError, SyntaxError) as exc:
        raise IndexStateError(f"index vectors {path} are unreadable; {REPAIR}") from exc
    if len(shape) != 2 or fortran or dtype != np.dtype("<f4"):
        raise IndexStateError(f"index vectors {path} are not a float32 matrix; {REPAIR}")
    return int(shape[0]), int(shape[1]), offset


def _build(
    n: int,
    dim: int,
    rows: Callable[[np.ndarray], np.ndarray],
    chunks: Callable[[], Iterator[np.ndarray]],
    kind: str | None,
    lists: int | None,
) -> Any:
    import faiss
    import numpy as np

    _set_threads()
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
        picked = np.sort(rng.choice(n, size=sample, replace=False)) if sample < n else np.arange(n)
        index.train(rows(picked))
        index.nprobe = min(NPROBE, nlist)
    elif kind == "hnsw-sq8":  # kept so older indexes can be rebuilt alike; not chosen any more
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.train(rows(np.arange(n)))
    else:
        raise ValueError(f"unknown dense index kind {kind!r}")
    for block in chunks():
        if len(block):
            index.add(np.ascontiguousarray(block, dtype=np.float32))
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
    """``(scores, rows)`` arrays of shape (len(queries), k); rows of -1 mean no hit.

    Hits are ordered by score, then row: ``TIE_MARGIN`` more are asked for, so equal scores at the
    cut (a sentence that several documents repeat) are chosen by row, as a sharded index merges them."""
    import faiss

    from factcheck.onnx_encoder import cores

    # one claim: one thread (OpenMP workers only add wake-up latency); batches: every core
    faiss.omp_set_num_threads(1 if len(queries) < 4 else cores())
    total = int(index.ntotal)
    k = max(1, min(k, total or 1))
    scores, rows = index.search(queries, min(total or 1, k + TIE_MARGIN))
    return order_hits(scores, rows, k)


def order_hits(scores: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best of each line of hits, by score then row (no hit, -1, last)."""
    import numpy as np

    out_scores = np.full((len(rows), k), -np.inf, dtype=np.float32)
    out_rows = np.full((len(rows), k), -1, dtype=np.int64)
    for i in range(len(rows)):
        valid = rows[i] >= 0
        r, s = rows[i][valid], scores[i][valid]
        best = np.lexsort((r, -s))[:k]
        out_scores[i, : len(best)] = s[best]
        out_rows[i, : len(best)] = r[best]
    return out_scores, out_rows
