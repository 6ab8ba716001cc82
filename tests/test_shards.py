"""The sharded index format, in one process (no Ray): same verdicts as a plain index, incremental
rewrites of the touched shards only, global BM25 equal to FTS5's, and one-line errors for damage."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SEED_CLAIMS

from factcheck.api import build_index, check
from factcheck.errors import IndexStateError
from factcheck.index.snapshot import open_snapshot
from factcheck.report import check_json

pytestmark = pytest.mark.e2e


def seed_claims() -> list[str]:
    return [json.loads(line)["claim"] for line in SEED_CLAIMS.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def sharded(tmp_path_factory, corpus, encoder):
    """The bundled sources built as 3 shards (the plain index is the session's ``corpus``)."""
    root = tmp_path_factory.mktemp("sharded")
    shutil.copytree(corpus.sources, root / "sources")
    shutil.copytree(corpus.index / "models", root / "index" / "models")
    report = build_index(root / "sources", root / "index", encoder=encoder, shards=3)
    return root, report


def live(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


def test_a_sharded_build_lists_its_shards_in_the_manifest(sharded, corpus):
    root, report = sharded
    manifest = json.loads((live(root / "index") / "manifest.json").read_text())
    assert sorted(manifest["shards"]) == ["shard-000", "shard-001", "shard-002"]
    assert sum(s["passages"] for s in manifest["shards"].values()) == manifest["passages"] == report.passages
    assert report.passages == corpus.report.passages
    for name in manifest["shards"]:  # each shard is itself a plain index of its documents
        part = json.loads((live(root / "index") / name / "manifest.json").read_text())
        assert set(part["files"]) == {"store.sqlite", "vectors.npy", "dense.faiss"}


def test_sharded_and_plain_indexes_give_the_same_verdicts_and_evidence(sharded, corpus, encoder, check_claims):
    root, _ = sharded
    claims = seed_claims()
    plain = check_claims(claims)
    shards = check(claims, sources=root / "sources", index=root / "index", encoder=encoder, refresh=False)
    assert check_json.render(shards) == check_json.render(plain)


def test_global_bm25_of_one_shard_is_fts5s_own(corpus):
    from factcheck.index.bm25 import Lexical, Weights
    from factcheck.index.store import phrases

    with open_snapshot(corpus.index) as snap:
        lexical = Lexical(snap.store._con)
        for claim in seed_claims():
            words = phrases(claim)
            assert lexical.top(words, Weights.of(lexical.counts(words)), 40) == snap.store.lexical(claim, 40)


def test_a_changed_document_rewrites_only_its_shard(sharded, tmp_path, encoder):
    from factcheck.index.sharded import shard_of

    root, _ = sharded
    shutil.copytree(root / "sources", tmp_path / "sources")
    shutil.copytree(root / "index", tmp_path / "index")
    before = live(tmp_path / "index")
    doc = "004_82846e767e5b664f"
    path = tmp_path / "sources" / f"{doc}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe U.S. plans to keep about 2,000 troops in Iraq.\n")
    report = build_index(tmp_path / "sources", tmp_path / "index", encoder=encoder)
    assert report.updated == (doc,) and 0 < report.encoded < 60
    after = live(tmp_path / "index")
    touched = f"shard-{shard_of(doc, 3):03d}"
    for name in ("shard-000", "shard-001", "shard-002"):
        same = (before / name / "vectors.npy").stat().st_ino == (after / name / "vectors.npy").stat().st_ino
        assert same == (name != touched), name  # untouched shards are hard links, not copies


def test_a_missing_shard_is_named_in_one_line(sharded, tmp_path):
    root, _ = sharded
    shutil.copytree(root / "index", tmp_path / "index")
    shutil.rmtree(live(tmp_path / "index") / "shard-001")
    with pytest.raises(IndexStateError, match=r"index shard .*shard-001 is missing; run `factcheck index --rebuild`"):
        open_snapshot(tmp_path / "index")


def test_a_damaged_shard_file_is_named_in_one_line(sharded, tmp_path):
    root, _ = sharded
    shutil.copytree(root / "index", tmp_path / "index")
    vectors = live(tmp_path / "index") / "shard-002" / "vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[len(data) // 2] ^= 0xFF
    vectors.write_bytes(bytes(data))
    with pytest.raises(IndexStateError, match=r"shard-002/vectors.npy is damaged"):
        open_snapshot(tmp_path / "index")


def test_a_shard_manifest_from_another_build_is_refused(sharded, tmp_path):
    root, _ = sharded
    shutil.copytree(root / "index", tmp_path / "index")
    part = live(tmp_path / "index") / "shard-000" / "manifest.json"
    part.write_text(part.read_text().replace('"build_id"', '"build_id" ', 1))
    with pytest.raises(IndexStateError, match=r"shard-000/manifest.json is damaged or belongs to another build"):
        open_snapshot(tmp_path / "index")


def test_cli_check_on_a_damaged_sharded_index_is_one_line_and_exit_2(sharded, tmp_path):
    from click.testing import CliRunner

    from factcheck.cli import main

    root, _ = sharded
    shutil.copytree(root / "index", tmp_path / "index")
    shutil.rmtree(live(tmp_path / "index") / "shard-000")
    result = CliRunner().invoke(
        main, ["check", "About 2,500 U.S. troops remain in Iraq.", "--index", str(tmp_path / "index"), "--no-refresh"]
    )
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "shard-000 is missing" in result.stderr


def test_verify_checks_every_shard(sharded):
    from factcheck.index.snapshot import verify_index

    root, _ = sharded
    assert "is sound" in verify_index(root / "index")


def test_back_to_a_plain_index_with_zero_shards(sharded, tmp_path, encoder):
    root, _ = sharded
    shutil.copytree(root / "sources", tmp_path / "sources")
    shutil.copytree(root / "index", tmp_path / "index")
    report = build_index(tmp_path / "sources", tmp_path / "index", encoder=encoder, shards=0)
    assert report.encoded == 0  # every document reused from the shards
    manifest = json.loads((live(tmp_path / "index") / "manifest.json").read_text())
    assert "shards" not in manifest and manifest["passages"] == report.passages
