"""Candidates for a claim: dense (FAISS) and lexical (BM25) results fused by reciprocal rank.

Search takes vectors, not a model, so it can be tested without MiniLM. Ties break on the
passage row, so results are stable from run to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from factcheck.index.dense import search
from factcheck.records import Candidate, Passage

if TYPE_CHECKING:
    import numpy as np

    from factcheck.index.snapshot import Snapshot

RRF_K = 60
EXPAND = 5  # the neighbours of this many top hits are judged too
LEXICAL_SLOTS = 10  # this many BM25 hits are always judged


DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.5  # BM25 helps with rare names and figures; meaning comes from the dense side


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None) -> dict[int, float]:
    """Weighted reciprocal rank fusion of several rankings of rows (best first)."""
    fused: dict[int, float] = {}
    for i, ranking in enumerate(rankings):
        weight = weights[i] if weights else 1.0
        for rank, row in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank + 1)
    return fused


def retrieve(
    snapshot: Snapshot,
    claims: Sequence[str],
    vectors: np.ndarray,
    *,
    top_k: int = 12,
    depth: int = 40,
    restrict: Sequence[frozenset[str] | None] | None = None,
) -> list[list[Candidate]]:
    """The ``top_k`` fused candidates for each claim, best first, with neighbouring sentences.

    ``restrict`` gives, per claim, the source ids it may be checked against (None: all of them).
    The index is read in a few batched calls for all claims together (passages, neighbours,
    vectors), so a sharded index served by remote shards answers in a few round trips."""

    if not claims:
        return []
    n = snapshot.manifest.passages
    if n == 0:
        return [[] for _ in claims]
    scores, rows = search(snapshot.dense, vectors, min(depth, n))
    sources = snapshot.store.sources()
    matrix = snapshot.vectors()
    store = snapshot.store
    free = [i for i in range(len(claims)) if not restrict or restrict[i] is None]
    lexical_free = dict(zip(free, store.lexical_many([claims[i] for i in free], depth), strict=True))
    plans = []
    for i, claim in enumerate(claims):
        allowed = restrict[i] if restrict else None
        if allowed is None:
            dense_rows = [int(r) for r in rows[i] if r >= 0]
            lexical_rows = [r for r, _ in lexical_free[i]]
        else:
            dense_rows, lexical_rows = _restricted(snapshot, claim, vectors[i], allowed, depth)
        fused = rrf([dense_rows, lexical_rows], weights=[DENSE_WEIGHT, LEXICAL_WEIGHT])
        best = sorted(fused, key=lambda r: (-fused[r], r))[:top_k]
        # the best lexical hits are judged even when the dense side ranks them low: rare names
        # and exact words ("talks", "Besmaya") are what BM25 is for
        best += [r for r in lexical_rows[:LEXICAL_SLOTS] if r not in best]
        cosine = {int(r): float(s) for r, s in zip(rows[i], scores[i], strict=False) if r >= 0}
        plans.append((best, fused, cosine, sorted(r for r in best if r not in cosine)))
    stored = _Rows(matrix, store)
    stored.fetch(vectors_of=[r for *_, missing in plans for r in missing], passages_of=[r for p in plans for r in p[0]])
    results: list[list[Candidate]] = []
    extras: list[list[tuple[int, float]]] = []
    for i, (best, fused, cosine, missing) in enumerate(plans):
        if missing:
            exact = stored.matrix(missing) @ vectors[i]
            cosine.update({r: float(s) for r, s in zip(missing, exact, strict=True)})
        found = []
        seen = set(best)
        extra: list[tuple[int, float]] = []
        for rank, row in enumerate(best):
            p = stored.passages[row]
            around = stored.around[row]
            prev = " ".join(q.text for _, q in around if q.ordinal < p.ordinal)
            nxt = " ".join(q.text for _, q in around if q.ordinal > p.ordinal)
            found.append(Candidate(p, sources[p.doc_id], cosine[row], fused[row], prev, nxt, row))
            if rank < EXPAND:  # the sentences around the best hits often carry the fact itself
                extra += [(r, fused[row] / 2) for r, q in around if r not in seen and q.ordinal != p.ordinal]
                seen.update(r for r, _ in around)
        results.append(found)
        extras.append(extra)
    stored.fetch(vectors_of=[r for e in extras for r, _ in e], passages_of=[r for e in extras for r, _ in e])
    for i, extra in enumerate(extras):
        if not extra:
            continue
        sims = stored.matrix([r for r, _ in extra]) @ vectors[i]
        for (row, score), sim in zip(extra, sims, strict=True):
            p = stored.passages[row]
            around = stored.around[row]
            prev = " ".join(q.text for _, q in around if q.ordinal < p.ordinal)
            nxt = " ".join(q.text for _, q in around if q.ordinal > p.ordinal)
            results[i].append(Candidate(p, sources[p.doc_id], float(sim), score, prev, nxt, row))
    return results


class _Rows:
    """Vectors, passages and neighbours of rows, fetched from the index in one batch per kind."""

    def __init__(self, vectors: Any, store: Any) -> None:
        self._source, self._store = vectors, store
        self.vectors: dict[int, np.ndarray] = {}
        self.passages: dict[int, Passage] = {}
        self.around: dict[int, list[tuple[int, Passage]]] = {}

    def fetch(self, *, vectors_of: Sequence[int], passages_of: Sequence[int]) -> None:
        import numpy as np

        wanted = sorted(set(vectors_of) - self.vectors.keys())
        if wanted:
            block = np.asarray(self._source[wanted], dtype=np.float32)
            self.vectors.update(zip(wanted, block, strict=True))
        rows = sorted(set(passages_of) - self.passages.keys())
        if rows:
            self.passages.update(self._store.passages(rows))
            keys = [(self.passages[r].doc_id, self.passages[r].ordinal, 1) for r in rows]
            self.around.update(zip(rows, self._store.neighbour_rows_many(keys), strict=True))

    def matrix(self, rows: Sequence[int]) -> np.ndarray:
        import numpy as np

        return np.ascontiguousarray(np.stack([self.vectors[r] for r in rows]), dtype=np.float32)


def _restricted(
    snapshot: Snapshot, claim: str, vector: np.ndarray, allowed: frozenset[str], depth: int
) -> tuple[list[int], list[int]]:
    """Dense (exact) and lexical rankings over the passages of the allowed sources only."""
    import numpy as np

    rows = sorted(r for doc in allowed for r, _ in snapshot.store.document_passages(doc))
    if not rows:
        return [], []
    sims = np.asarray(snapshot.vectors()[rows], dtype=np.float32) @ vector
    order = np.argsort(-sims, kind="stable")[:depth]
    dense_rows = [rows[j] for j in order]
    inside = set(rows)
    lexical_rows = [r for r, _ in snapshot.store.lexical(claim, max(depth, 20 * len(rows))) if r in inside][:depth]
    return dense_rows, lexical_rows
