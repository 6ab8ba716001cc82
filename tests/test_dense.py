"""The dense index against exact numpy search on small random normalised data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factcheck.index.dense import (
    APPROX_FROM,
    DENSE_NAME,
    VECTORS_NAME,
    RefinedIndex,
    build_dense,
    choose_kind,
    ivf_lists,
    load_dense,
    save_dense,
    search,
)


def normalised(rng: np.random.Generator, n: int, d: int = 32, clusters: int = 0) -> np.ndarray:
    if clusters:
        centres = rng.normal(size=(clusters, d))
        x = centres[rng.integers(0, clusters, n)] + 0.3 * rng.normal(size=(n, d))
    else:
        x = rng.normal(size=(n, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)


def exact(data: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = queries @ data.T
    rows = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, rows, axis=1), rows


def save_and_load(tmp_path: Path, data: np.ndarray, kind: str) -> object:
    np.save(tmp_path / VECTORS_NAME, data)
    save_dense(build_dense(data, kind), tmp_path / DENSE_NAME)
    return load_dense(tmp_path / DENSE_NAME)


def test_choose_kind_by_size() -> None:
    assert choose_kind(0) == "flat"
    assert choose_kind(APPROX_FROM - 1) == "flat"
    assert choose_kind(APPROX_FROM) == "ivf-sq8"
    assert choose_kind(1_000_000) == "ivf-sq8"


def test_ivf_lists_bounds() -> None:
    assert ivf_lists(1_000_000) == 2048
    assert ivf_lists(200_000) == 1024
    for n in (1, 10, 100, 5_000, 20_000):
        assert 1 <= ivf_lists(n) <= max(1, n // 39)


def test_flat_equals_exact(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    data, queries = normalised(rng, 500), normalised(rng, 20)
    index = save_and_load(tmp_path, data, "flat")
    scores, rows = search(index, queries, 10)
    want_scores, want_rows = exact(data, queries, 10)
    np.testing.assert_allclose(scores, want_scores, atol=1e-5)
    assert (rows == want_rows).all()


def test_ivf_sq8_refined_recall(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    data = normalised(rng, 8_000, clusters=40)
    queries = normalised(np.random.default_rng(2), 50, clusters=40)
    index = save_and_load(tmp_path, data, "ivf-sq8")
    assert isinstance(index, RefinedIndex)
    assert index.ntotal == len(data) and index.d == data.shape[1]
    scores, rows = search(index, queries, 10)
    want_scores, want_rows = exact(data, queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(rows, want_rows, strict=True)])
    assert recall >= 0.9
    # refined scores are exact inner products, best first
    for q, r, s in zip(queries, rows, scores, strict=True):
        np.testing.assert_allclose(s, data[r] @ q, atol=1e-5)
        assert (np.diff(s) <= 1e-6).all()


def test_search_clamps_k_and_pads(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    data = normalised(rng, 5)
    index = save_and_load(tmp_path, data, "flat")
    scores, rows = search(index, normalised(rng, 2), 50)
    assert rows.shape == (2, 5) and (rows >= 0).all()


def test_unknown_kind() -> None:
    with pytest.raises(ValueError):
        build_dense(normalised(np.random.default_rng(4), 10), "lsh")
