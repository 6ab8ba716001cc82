"""Candidates for a claim: dense (FAISS) and lexical (BM25) results fused by reciprocal rank.

Search takes vectors, not a model, so it can be tested without MiniLM. Ties break on the
passage row, so results are stable from run to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from factcheck.index.dense import search
from factcheck.records import Candidate

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
) -> list[list[Candidate]]:
    """The ``top_k`` fused candidates for each claim, best first, with neighbouring sentences."""
    import numpy as np

    if not claims:
        return []
    n = snapshot.manifest.passages
    if n == 0:
        return [[] for _ in claims]
    scores, rows = search(snapshot.dense, vectors, min(depth, n))
    sources = snapshot.store.sources()
    matrix = snapshot.vectors()
    results: list[list[Candidate]] = []
    for i, claim in enumerate(claims):
        dense_rows = [int(r) for r in rows[i] if r >= 0]
        lexical_rows = [r for r, _ in snapshot.store.lexical(claim, depth)]
        fused = rrf([dense_rows, lexical_rows], weights=[DENSE_WEIGHT, LEXICAL_WEIGHT])
        best = sorted(fused, key=lambda r: (-fused[r], r))[:top_k]
        # the best lexical hits are judged even when the dense side ranks them low: rare names
        # and exact words ("talks", "Besmaya") are what BM25 is for
        best += [r for r in lexical_rows[:LEXICAL_SLOTS] if r not in best]
        cosine = {int(r): float(s) for r, s in zip(rows[i], scores[i], strict=False) if r >= 0}
        missing = [r for r in best if r not in cosine]
        if missing:
            exact = np.asarray(matrix[sorted(missing)], dtype=np.float32) @ vectors[i]
            cosine.update({r: float(s) for r, s in zip(sorted(missing), exact, strict=True)})
        passages = snapshot.store.passages(best)
        found = []
        seen = set(best)
        extra: list[tuple[int, float]] = []
        for rank, row in enumerate(best):
            p = passages[row]
            around = snapshot.store.neighbour_rows(p.doc_id, p.ordinal)
            prev = " ".join(q.text for _, q in around if q.ordinal < p.ordinal)
            nxt = " ".join(q.text for _, q in around if q.ordinal > p.ordinal)
            found.append(Candidate(p, sources[p.doc_id], cosine[row], fused[row], prev, nxt))
            if rank < EXPAND:  # the sentences around the best hits often carry the fact itself
                extra += [(r, fused[row] / 2) for r, q in around if r not in seen and q.ordinal != p.ordinal]
                seen.update(r for r, _ in around)
        if extra:
            rows_extra = [r for r, _ in extra]
            sims = np.asarray(matrix[rows_extra], dtype=np.float32) @ vectors[i]
            more = snapshot.store.passages(rows_extra)
            for (row, score), sim in zip(extra, sims, strict=True):
                p = more[row]
                around = snapshot.store.neighbours(p.doc_id, p.ordinal)
                prev = " ".join(q.text for q in around if q.ordinal < p.ordinal)
                nxt = " ".join(q.text for q in around if q.ordinal > p.ordinal)
                found.append(Candidate(p, sources[p.doc_id], float(sim), score, prev, nxt))
        results.append(found)
    return results
