"""Synthetic vectors for the scale benchmark, made from real MiniLM vectors.

Base: the MiniLM vectors (ONNX export, same model) of every 8- and 16-word window of
``sources/*.txt`` (stride 3 words; 9 in quick mode), about 3,000 real vectors.
Each synthetic vector is a random convex mixture of 3 base vectors (Dirichlet(0.5) weights,
so most lean on one or two), plus isotropic Gaussian noise of total norm ``NOISE`` (0.3,
per-dimension sigma 0.3/sqrt(384)), renormalised to unit length. This keeps the vectors on the
part of the sphere real sentences occupy, with a spread of near-duplicates, rather than the
uniform random vectors on which every approximate index looks worse than in practice.
Queries are real claims (source sentences with numbers varied, as lint_draft.py makes them),
encoded at query time.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import numpy as np

NOISE = 0.3
MIX = 3
CACHE = Path.home() / ".cache" / "factcheck-bench"


def windows(sources: Path, stride: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(sources.glob("*.txt")):
        words = path.read_text(encoding="utf-8").split()
        for size in (8, 16):
            texts += [" ".join(words[i : i + size]) for i in range(0, max(1, len(words) - size), stride)]
    return texts


def base_vectors(encoder: Any, sources: Path, *, quick: bool = False) -> np.ndarray:
    """Real MiniLM vectors of source windows (cached on disk by content and model)."""
    texts = windows(sources, 9 if quick else 3)
    key = hashlib.sha256(("\n".join(texts) + encoder.id).encode()).hexdigest()[:16]
    cached = CACHE / f"base-{key}.npy"
    if cached.is_file():
        return np.load(cached)
    vectors = encoder.encode(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(cached, vectors)
    return vectors


def synthesise(base: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors: convex mixtures of ``MIX`` base vectors plus noise, renormalised."""
    rng = np.random.default_rng(seed)
    dim = base.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    for at in range(0, n, 100_000):
        m = min(100_000, n - at)
        picks = rng.integers(0, len(base), size=(m, MIX))
        weights = rng.dirichlet([0.5] * MIX, size=m).astype(np.float32)
        v = np.einsum("mk,mkd->md", weights, base[picks])
        v += rng.normal(0.0, NOISE / np.sqrt(dim), size=v.shape).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[at : at + m] = v
    return out


def claims(sources: Path, count: int, seed: int = 5) -> list[str]:
    """``count`` claim-like sentences: source sentences with some numbers varied."""
    import lint_draft

    sentences = lint_draft.source_sentences(sources)
    rng = random.Random(seed)
    return [lint_draft.vary_numbers(rng.choice(sentences), rng) for _ in range(count)]
