"""Keep benchmarks/run.py working: each section at toy size, structure only (no timings)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402
import synth  # noqa: E402


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, encoder) -> tuple[Path, Path, Path, Path]:
    root = tmp_path_factory.mktemp("bench")
    sources, index, export = run.prepare_index(root, encoder)
    return root, sources, index, export


def sections(table: run.Table) -> set[str]:
    return {r.section for r in table.rows}


def test_cold_start_rows(prepared) -> None:
    _, sources, index, _ = prepared
    table = run.Table()
    run.bench_help(table, 1)
    run.bench_check(table, sources, index, 1)
    assert sections(table) == {"a"}
    assert {"help_s", "check_s", "naive_s", "check_ratio", "check_cached_s"} <= table.figures.keys()
    assert all(r.value for r in table.rows)
    assert any(r.met is not None for r in table.rows)


def test_lint_rows(prepared) -> None:
    _, sources, index, _ = prepared
    table = run.Table()
    run.bench_lint(table, sources, index, 1, 20)
    assert sections(table) == {"b"} and table.figures["lint_s"] > 0


def test_build_and_reindex_rows(prepared, encoder) -> None:
    root = prepared[0]
    table = run.Table()
    run.bench_build(table, root, 5, 1, encoder)
    assert sections(table) == {"c", "d"}
    assert table.figures["build_passages"] > 0
    assert {"build_overhead", "reindex_ratio"} <= table.figures.keys()


def test_scale_rows(prepared) -> None:
    root, _, _, export = prepared
    table = run.Table()
    run.bench_scale(table, root, export, 3_000, 1, 5)
    assert sections(table) == {"e"}
    scale = table.figures["scale"]
    assert scale["kind"] == "ivf-sq8" and scale["n"] == 3_000
    assert 0.0 <= scale["recall_at_10"] <= 1.0
    assert "| e |" in table.render()


def test_synthetic_vectors_are_unit_and_reproducible() -> None:
    import numpy as np

    base = np.eye(4, 8, dtype=np.float32)
    a, b = synth.synthesise(base, 50, seed=3), synth.synthesise(base, 50, seed=3)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_synthetic_corpus(tmp_path) -> None:
    run.synthetic_corpus(tmp_path, 3)
    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) == 3 and all(f.read_text().strip() for f in files)
