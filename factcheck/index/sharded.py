"""A sharded index seen as one: the snapshot, store, dense index and vectors that retrieval and the
judge use, each call fanned out to the shards that hold the rows asked for and merged exactly as
one index answers (score, then corpus-wide row).

The shards are reached through a ``Pool``: ``LocalPool`` opens every shard in this process (a
sharded index that fits one machine); ``engine/ray_search.py`` serves each from a Ray actor. A pool
answers every call of a fan-out or raises: a result is never merged from some of the shards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from factcheck.index.dense import order_hits
from factcheck.index.shard import ShardBackend, merge_counts

if TYPE_CHECKING:
    import numpy as np

    from factcheck.index.manifest import Manifest
    from factcheck.records import Passage, SourceInfo

Call = tuple[int, str, tuple[Any, ...]]  # (shard, method, arguments)


def shard_of(doc_id: str, count: int) -> int:
    """The shard that holds a document: a stable hash of its id (the same on every machine and build)."""
    if count <= 1:
        return 0
    return int.from_bytes(hashlib.sha256(doc_id.encode()).digest()[:8], "big") % count


def shard_name(i: int) -> str:
    return f"shard-{i:03d}"


class Pool(Protocol):
    names: list[str]

    def map(self, calls: Sequence[Call]) -> list[Any]: ...

    def close(self) -> None: ...


class Layout:
    """Where each corpus-wide row lives: documents by id, each at the offset its passages start."""

    def __init__(self, manifest: Manifest, shards: int, assign: Callable[[str, int], int] = shard_of) -> None:
        import numpy as np

        self.ids = sorted(manifest.documents)
        counts = [manifest.documents[d].passages for d in self.ids]
        self.starts = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])[:-1] if counts else np.zeros(0, np.int64)
        self.offset = {d: int(s) for d, s in zip(self.ids, self.starts, strict=True)}
        self.doc_shard = {d: assign(d, shards) for d in self.ids}
        self._row_shard = np.asarray([self.doc_shard[d] for d in self.ids], dtype=np.int64)
        self.shards = shards

    def offsets(self, shard: int) -> dict[str, int]:
        return {d: self.offset[d] for d in self.ids if self.doc_shard[d] == shard}

    def shard_of_rows(self, rows: Sequence[int]) -> list[int]:
        import numpy as np

        at = np.searchsorted(self.starts, np.asarray(rows, dtype=np.int64), side="right") - 1
        return [int(s) for s in self._row_shard[at]]

    def by_shard(self, rows: Sequence[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for row, shard in zip(rows, self.shard_of_rows(rows), strict=True):
            out.setdefault(shard, []).append(int(row))
        return out


class LocalPool:
    """Every shard opened in this process."""

    def __init__(self, folders: Sequence[Path], layout: Layout) -> None:
        self.names = [f.name for f in folders]
        self.backends: list[ShardBackend] = []
        try:
            for i, folder in enumerate(folders):
                self.backends.append(ShardBackend(folder, layout.offsets(i), folder.name))
        except BaseException:
            self.close()
            raise

    def map(self, calls: Sequence[Call]) -> list[Any]:
        return [getattr(self.backends[shard], method)(*args) for shard, method, args in calls]

    def close(self) -> None:
        for backend in self.backends:
            backend.close()
        self.backends = []


class ShardedStore:
    """``Store``'s read interface over every shard, in corpus-wide rows."""

    def __init__(self, pool: Pool, layout: Layout, passages: int) -> None:
        self.pool, self.layout, self._count = pool, layout, passages
        self._sources: dict[str, SourceInfo] | None = None
        self._gazetteer: dict[str, str] | None = None

    def _all(self, method: str, *args: Any) -> list[Any]:
        return self.pool.map([(i, method, args) for i in range(len(self.pool.names))])

    def _on_doc(self, doc_id: str, method: str, *args: Any) -> Any:
        return self.pool.map([(self.layout.doc_shard.get(doc_id, 0), method, (doc_id, *args))])[0]

    def _by_rows(self, rows: Sequence[int], method: str, *args: Any) -> dict[int, Any]:
        groups = self.layout.by_shard(rows)
        merged: dict[int, Any] = {}
        for part in self.pool.map([(s, method, (r, *args)) for s, r in groups.items()]):
            merged.update(part)
        return merged

    def count(self) -> int:
        return self._count

    def sources(self) -> dict[str, SourceInfo]:
        if self._sources is None:
            merged: dict[str, SourceInfo] = {}
            for part in self._all("sources"):
                merged.update(part)
            self._sources = dict(sorted(merged.items()))
        return self._sources

    def gazetteer(self) -> dict[str, str]:
        if self._gazetteer is None:
            rows = sorted(r for part in self._all("gazetteer_rows") for r in part)
            found: dict[str, str] = {}
            for _, name, kind in rows:
                found.setdefault(name, kind)
            self._gazetteer = found
        return self._gazetteer

    def passages(self, rows: Sequence[int]) -> dict[int, Passage]:
        return self._by_rows(rows, "passages") if rows else {}

    def stored_facts(self, rows: Sequence[int], version: int) -> dict[int, tuple[str, str]]:
        rows = [r for r in rows if r >= 0]
        return self._by_rows(rows, "stored_facts", version) if rows else {}

    def document_passages(self, doc_id: str) -> list[tuple[int, Passage]]:
        return self._on_doc(doc_id, "document_passages")  # type: ignore[no-any-return]

    def document_gazetteer(self, doc_id: str) -> list[tuple[str, str]]:
        return self._on_doc(doc_id, "document_gazetteer")  # type: ignore[no-any-return]

    def document_facts(self, doc_id: str, version: int) -> dict[int, tuple[str, str]]:
        return self._on_doc(doc_id, "document_facts", version)  # type: ignore[no-any-return]

    def neighbour_rows_many(self, keys: Sequence[tuple[str, int, int]]) -> list[list[tuple[int, Passage]]]:
        groups: dict[int, list[int]] = {}
        for i, (doc_id, _, _) in enumerate(keys):
            groups.setdefault(self.layout.doc_shard.get(doc_id, 0), []).append(i)
        out: list[list[tuple[int, Passage]]] = [[] for _ in keys]
        calls = [(s, "neighbour_rows", ([keys[i] for i in idx],)) for s, idx in groups.items()]
        for (_, idx), part in zip(groups.items(), self.pool.map(calls), strict=True):
            for i, found in zip(idx, part, strict=True):
                out[i] = found
        return out

    def neighbour_rows(self, doc_id: str, ordinal: int, width: int = 1) -> list[tuple[int, Passage]]:
        return self.neighbour_rows_many([(doc_id, ordinal, width)])[0]

    def neighbours(self, doc_id: str, ordinal: int, width: int = 1) -> list[Passage]:
        return [p for _, p in self.neighbour_rows(doc_id, ordinal, width)]

    def lexical_many(self, texts: Sequence[str], k: int) -> list[list[tuple[int, float]]]:
        """BM25 with corpus-wide statistics (bm25.py): counts from every shard, then every shard's best."""
        if not texts:
            return []
        weights = merge_counts(self._all("lexical_counts", list(texts)))
        parts = self._all("lexical_top", list(texts), weights, k)
        out = []
        for i in range(len(texts)):
            hits = [hit for part in parts for hit in part[i]]
            hits.sort(key=lambda h: (-h[1], h[0]))
            out.append(hits[:k])
        return out

    def lexical(self, text: str, k: int) -> list[tuple[int, float]]:
        return self.lexical_many([text], k)[0]


class ShardedDense:
    """The dense index's ``search`` over every shard: each shard's best, merged by score then row."""

    def __init__(self, pool: Pool, passages: int, dimension: int) -> None:
        self.pool, self.ntotal, self.d = pool, passages, dimension

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        parts = self.pool.map([(i, "search", (queries, k)) for i in range(len(self.pool.names))])
        scores = np.concatenate([s for s, _ in parts], axis=1)
        rows = np.concatenate([r for _, r in parts], axis=1)
        return order_hits(scores, rows, k)


class ShardedVectors:
    """``vectors()[rows]`` over every shard (rows in any order; the answer in that order)."""

    def __init__(self, pool: Pool, layout: Layout, passages: int, dimension: int) -> None:
        self.pool, self.layout, self.shape = pool, layout, (passages, dimension)

    def __getitem__(self, rows: Sequence[int]) -> np.ndarray:
        import numpy as np

        rows = [int(r) for r in rows]
        out = np.empty((len(rows), self.shape[1]), dtype=np.float32)
        groups = self.layout.by_shard(rows)
        where: dict[int, list[int]] = {}
        for i, r in enumerate(rows):
            where.setdefault(r, []).append(i)
        calls = [(s, "vectors", (r,)) for s, r in groups.items()]
        for (_, part_rows), block in zip(groups.items(), self.pool.map(calls), strict=True):
            for r, vector in zip(part_rows, block, strict=True):
                out[where[r]] = vector
        return out


class ShardedSnapshot:
    """A sharded generation, read through a pool of shards; what ``Snapshot`` offers retrieval."""

    def __init__(self, folder: Path, manifest: Manifest, pool: Pool, layout: Layout, pin: int | None = None) -> None:
        self.folder = folder
        self.generation = folder.name
        self.manifest = manifest
        self.pool = pool
        self.store = ShardedStore(pool, layout, manifest.passages)
        self.dense = ShardedDense(pool, manifest.passages, manifest.dimension)
        self._vectors = ShardedVectors(pool, layout, manifest.passages, manifest.dimension)
        self._pin = pin

    def vectors(self) -> ShardedVectors:
        return self._vectors

    def close(self) -> None:
        import contextlib
        import os

        self.pool.close()
        if self._pin is not None:
            with contextlib.suppress(OSError):
                os.close(self._pin)
            self._pin = None

    def __enter__(self) -> ShardedSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
