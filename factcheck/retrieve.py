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
    restrict: Sequence[frozenset[str] | None] | None = None,
) -> list[list[Candidate]]:
    """The ``top_k`` fused candidates for each claim, best first, with neighbouring sentences.

    ``restrict`` gives, per claim, the source ids it may be checked against (None: all of them)."""
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
        allowed = restrict[i] if restrict else None
        if allowed is None:
            dense_rows = [int(r) for r in rows[i] if r >= 0]
            lexical_rows = [r for r, _ in snapshot.store.lexical(claim, depth)]
        else:
            dense_rows, lexical_rows = _restricted(snapshot, claim, vectors[i], allowed, depth)
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
            found.append(Candidate(p, sources[p.doc_id], cosine[row], fused[row], prev, nxt, row))
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
                found.append(Candidate(p, sources[p.doc_id], float(sim), score, prev, nxt, row))
        results.append(found)
    return results


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
