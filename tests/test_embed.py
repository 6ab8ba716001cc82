"""The ONNX query encoder against sentence-transformers, with the real packaged MiniLM."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from factcheck.embed import CachedEncoder, query_encoder
from factcheck.index.snapshot import open_snapshot
from factcheck.onnx_encoder import OnnxEncoder, onnx_path

CLAIMS = [
    "About 2,500 U.S. troops remain in Iraq.",
    "About 5,200 U.S. troops remain in Iraq.",
    "The U.S.-led coalition will end its mission in Iraq by September 2025.",
    "Iraq has no American troops on its soil.",
    "The moon is made of green cheese.",
]


@pytest.fixture(scope="module")
def export(corpus, encoder):
    path = onnx_path(corpus.index, encoder.id)
    assert path.is_file(), "a build must leave the ONNX export in index/models/"
    return path


@pytest.fixture(scope="module")
def onnx(export) -> OnnxEncoder:
    return OnnxEncoder(export)


@pytest.fixture(scope="module")
def sentences(corpus) -> list[str]:
    snap = open_snapshot(corpus.index)
    try:
        rows = list(range(0, snap.manifest.passages, max(1, snap.manifest.passages // 50)))[:50]
        texts = [p.text for _, p in sorted(snap.store.passages(rows).items())]
    finally:
        snap.close()
    return texts + CLAIMS + ["", "x", "word " * 400]  # empty, tiny and over-long (truncated) texts


def test_export_lives_outside_generations(corpus, export) -> None:
    assert export.parent == corpus.index / "models"
    assert not any(p.name.endswith(".tmp") for p in export.parent.iterdir())


def test_onnx_agrees_with_sentence_transformers(encoder, onnx, sentences) -> None:
    assert len(sentences) >= 50
    reference = encoder.encode(sentences)
    got = onnx.encode(sentences)
    assert got.shape == reference.shape and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    cosines = np.sum(reference * got, axis=1)
    assert float(cosines.min()) >= 0.999
    assert onnx.id == encoder.id and onnx.dimension == encoder.dimension


def test_onnx_order_and_batches_do_not_matter(onnx, sentences) -> None:
    whole = onnx.encode(sentences)
    reversed_ = onnx.encode(sentences[::-1])[::-1]
    one_by_one = np.vstack([onnx.encode([s]) for s in sentences[:10]])
    np.testing.assert_allclose(whole, reversed_, atol=1e-5)
    np.testing.assert_allclose(whole[:10], one_by_one, atol=1e-5)
    assert onnx.encode([]).shape == (0, onnx.dimension)


def test_verdicts_identical_with_either_encoder(corpus, encoder, onnx) -> None:
    from factcheck.api import check

    def summary(enc: object) -> list[tuple[str, list[tuple[str, int, str]]]]:
        verdicts = check(CLAIMS, sources=corpus.sources, index=corpus.index, encoder=enc, refresh=False)
        return [(v.verdict, [(e.passage.doc_id, e.passage.ordinal, e.stance) for e in v.evidence]) for v in verdicts]

    assert summary(onnx) == summary(encoder)


def test_default_query_encoder_is_onnx_and_cached(corpus, tmp_path) -> None:
    chosen = query_encoder(corpus.index, cache=True)
    assert isinstance(chosen, CachedEncoder) and isinstance(chosen.inner, OnnxEncoder)
    cached = CachedEncoder(chosen.inner, tmp_path / "cache.sqlite")
    before = cached.encoded
    first = cached.encode(CLAIMS + CLAIMS[:1])
    assert cached.encoded == before + len(CLAIMS)  # the duplicate is embedded once
    again = cached.encode(CLAIMS)
    assert cached.encoded == before + len(CLAIMS)  # all from the cache
    np.testing.assert_array_equal(first[: len(CLAIMS)], again)
    assert (tmp_path / "cache.sqlite").is_file()


def test_query_path_does_not_import_torch(corpus) -> None:
    script = (
        "import json, sys; from pathlib import Path; from factcheck.api import check; "
        f"v = check([{CLAIMS[0]!r}], sources=Path({str(corpus.sources)!r}), index=Path({str(corpus.index)!r}), "
        "refresh=False); "
        "print(json.dumps([v[0].verdict, 'torch' in sys.modules, 'sentence_transformers' in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    verdict, torch_loaded, st_loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert verdict == "supported"
    assert not torch_loaded and not st_loaded


def test_build_embeds_without_torch_and_exports_in_a_child(corpus, tmp_path, encoder) -> None:
    """A build given no encoder writes the missing export from a child process and embeds with it: the building
    process never imports torch, and its index gives the same evidence as the torch-built one."""
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from factcheck.api import build_index\n"
        f"report = build_index(Path({str(corpus.sources)!r}), Path({str(tmp_path / 'index')!r}))\n"
        "print(json.dumps([report.passages, 'torch' in sys.modules, 'sentence_transformers' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    passages, torch_loaded, st_loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert passages == corpus.report.passages and not torch_loaded and not st_loaded
    assert onnx_path(tmp_path / "index", encoder.id).is_file()

    from factcheck.api import check

    def evidence(index) -> list[tuple[str, list[tuple[str, int]]]]:
        verdicts = check(CLAIMS, sources=corpus.sources, index=index, refresh=False)
        return [(v.verdict, [(e.passage.doc_id, e.passage.ordinal) for e in v.evidence]) for v in verdicts]

    assert evidence(tmp_path / "index") == evidence(corpus.index)
