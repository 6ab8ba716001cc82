"""One shard, answering in the corpus-wide row numbers of the index it belongs to.

A shard folder is a plain index generation (manifest, store, vectors, FAISS) holding some of the
documents; a plain generation can be served as a shard of one. Corpus-wide rows are the rows one
unsharded index of the same documents would have: documents by id, passages by ordinal, so
``row = offset of its document + ordinal``. Answering in those rows makes every merge and tie-break
(score, then row) the one a single index makes.

Every method takes and returns plain data (rows, arrays, records), batched, so the same object
serves in process (``sharded.LocalPool``) and behind a Ray actor (``engine/ray_search.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.index.bm25 import Counts, Lexical, Weights
from factcheck.index.dense import order_hits, search
from factcheck.index.store import phrases

if TYPE_CHECKING:
    import numpy as np

    from factcheck.records import Passage, SourceInfo


class ShardBackend:
    """Read access to one shard folder; ``offsets`` gives each of its documents' first corpus-wide row."""

    def __init__(self, folder: str | Path, offsets: Mapping[str, int], name: str = "") -> None:
        import numpy as np

        from factcheck.index.snapshot import open_part

        self.name = name or Path(folder).name
        self.snapshot = open_part(Path(folder))
        found = self.snapshot.store._query("SELECT doc_id, min(row), count(*) FROM passages GROUP BY doc_id")
        n = self.snapshot.manifest.passages
        self._global = np.empty(n, dtype=np.int64)  # local row -> corpus-wide row
        for doc_id, first, count in found:
            start = offsets[str(doc_id)]
            self._global[int(first) : int(first) + int(count)] = np.arange(start, start + int(count))  # type: ignore[call-overload]
        self._order = np.argsort(self._global, kind="stable")
        self._sorted = self._global[self._order]
        self._lexical: Lexical | None = None

    # -- identity -------------------------------------------------------------------------------
    def pid(self) -> int:
        return os.getpid()

    def passages_count(self) -> int:
        return int(self.snapshot.manifest.passages)

    def close(self) -> None:
        if self._lexical is not None:
            self._lexical.close()
        self.snapshot.close()

    # -- row numbers ----------------------------------------------------------------------------
    def _local(self, rows: Sequence[int]) -> list[int]:
        import numpy as np

        wanted = np.asarray(rows, dtype=np.int64)
        at = np.searchsorted(self._sorted, wanted)
        if len(wanted) and (at.max() >= len(self._sorted) or (self._sorted[at] != wanted).any()):
            raise KeyError(f"rows not in shard {self.name}")
        return [int(r) for r in self._order[at]]

    def _pairs(self, found: Sequence[tuple[int, Passage]]) -> list[tuple[int, Passage]]:
        return [(int(self._global[r]), p) for r, p in found]

    # -- search ---------------------------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Dense hits as ``dense.search`` gives them, in corpus-wide rows."""
        import numpy as np

        if self.snapshot.manifest.passages == 0:
            return np.full((len(queries), 0), -np.inf, np.float32), np.full((len(queries), 0), -1, np.int64)
        scores, rows = search(self.snapshot.dense, queries, k)
        mapped = np.where(rows >= 0, self._global[np.maximum(rows, 0)], -1)
        return order_hits(scores, mapped, min(k, rows.shape[1]))

    def _lex(self) -> Lexical:
        if self._lexical is None:
            self._lexical = Lexical(self.snapshot.store._con)
        return self._lexical

    def lexical_counts(self, texts: Sequence[str]) -> list[Counts]:
        return [self._lex().counts(phrases(t)) for t in texts]

    def lexical_top(self, texts: Sequence[str], weights: Sequence[Weights], k: int) -> list[list[tuple[int, float]]]:
        out = []
        for text, w in zip(texts, weights, strict=True):
            found = self._lex().top(phrases(text), w, k)
            out.append([(int(self._global[r]), s) for r, s in found])
        return out

    # -- store ----------------------------------------------------------------------------------
    def sources(self) -> dict[str, SourceInfo]:
        return self.snapshot.store.sources()

    def passages(self, rows: Sequence[int]) -> dict[int, Passage]:
        local = self._local(rows)
        found = self.snapshot.store.passages(local)
        return {g: found[r] for g, r in zip(rows, local, strict=True) if r in found}

    def neighbour_rows(self, keys: Sequence[tuple[str, int, int]]) -> list[list[tuple[int, Passage]]]:
        return [self._pairs(self.snapshot.store.neighbour_rows(d, o, w)) for d, o, w in keys]

    def document_passages(self, doc_id: str) -> list[tuple[int, Passage]]:
        return self._pairs(self.snapshot.store.document_passages(doc_id))

    def vectors(self, rows: Sequence[int]) -> np.ndarray:
        import numpy as np

        local = self._local(rows)
        return np.asarray(self.snapshot.vectors()[local], dtype=np.float32)

    def gazetteer_rows(self) -> list[tuple[str, str, str]]:
        found = self.snapshot.store._query("SELECT doc_id, name, kind FROM gazetteer ORDER BY doc_id, name")
        return [(str(d), str(n), str(k)) for d, n, k in found]

    def document_gazetteer(self, doc_id: str) -> list[tuple[str, str]]:
        return self.snapshot.store.document_gazetteer(doc_id)

    def document_facts(self, doc_id: str, version: int) -> dict[int, tuple[str, str]]:
        return self.snapshot.store.document_facts(doc_id, version)

    def stored_facts(self, rows: Sequence[int], version: int) -> dict[int, tuple[str, str]]:
        local = self._local(rows)
        found = self.snapshot.store.stored_facts(local, version)
        return {g: found[r] for g, r in zip(rows, local, strict=True) if r in found}


def merge_counts(parts: Sequence[Sequence[Counts]]) -> list[Weights]:
    """Per query, the corpus-wide weights from every shard's counts."""
    total = list(parts[0])
    for part in parts[1:]:
        total = [a + b for a, b in zip(total, part, strict=True)]
    return [Weights.of(c) for c in total]
