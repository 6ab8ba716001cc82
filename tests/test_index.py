"""Incremental, atomic index builds on small copies of the real sources, with the real model."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from factcheck.api import build_index, open_index
from factcheck.errors import IndexStateError, InputError
from factcheck.index.build import is_stale
from factcheck.index.snapshot import CURRENT_NAME, open_snapshot
from factcheck.ingest import SourceWarning

pytestmark = pytest.mark.e2e

SOURCES = Path(__file__).resolve().parent.parent / "sources"

IDS = ("001_a93a268476cc8a53", "003_1cbca1fb672ccb5a", "004_82846e767e5b664f")
EDITED, OTHER, LAST = IDS


@pytest.fixture(scope="module")
def built(tmp_path_factory, encoder, corpus):
    """Three sources (with their catalogue) and a first build of them."""
    root = tmp_path_factory.mktemp("small")
    sources = root / "sources"
    sources.mkdir()
    for sid in IDS:
        shutil.copy2(SOURCES / f"{sid}.txt", sources / f"{sid}.txt")
    shutil.copy2(SOURCES / "catalog.toml", sources / "catalog.toml")
    # the model's ONNX export (a by-product of a build, kept beside the generations) is reused
    # from the shared index, so this build embeds passages only
    if (corpus.index / "models").is_dir():
        shutil.copytree(corpus.index / "models", root / "index" / "models")
    before = encoder.encoded
    report = build_index(sources, root / "index", encoder=encoder)
    return root, report, encoder.encoded - before


@pytest.fixture
def work(built, tmp_path):
    """A private copy of the built corpus: (sources, index)."""
    root = built[0]
    shutil.copytree(root / "sources", tmp_path / "sources")
    shutil.copytree(root / "index", tmp_path / "index")
    return tmp_path / "sources", tmp_path / "index"


def generations(index):
    return sorted(p.name for p in index.iterdir() if p.name.startswith("gen-"))


def per_doc(index):
    snap = open_snapshot(index)
    try:
        return {sid: len(snap.store.document_passages(sid)) for sid in snap.manifest.documents}
    finally:
        snap.close()


def test_first_build_embeds_everything(built):
    root, report, embedded = built
    assert report.added == IDS
    assert (report.updated, report.unchanged, report.removed, report.skipped) == ((), (), (), ())
    assert report.passages == report.encoded > 50
    assert embedded == report.passages  # the encoder embedded every passage, once
    assert report.summary().startswith("3 added, 0 updated, 0 unchanged, 0 removed;")
    index = root / "index"
    assert (index / CURRENT_NAME).read_text(encoding="utf-8").strip() == report.generation
    snap = open_snapshot(index, verify=True)
    try:
        assert snap.generation == report.generation
        assert snap.manifest.passages == report.passages == snap.store.count()
        assert snap.vectors().shape == (report.passages, 384)
        assert snap.dense.ntotal == report.passages
        assert set(snap.manifest.documents) == set(IDS)
        assert snap.store.sources()[EDITED].publisher == "Reuters"
    finally:
        snap.close()


def test_second_build_with_nothing_changed_embeds_nothing(work, encoder, file_tree):
    sources, index = work
    state = file_tree(index)
    gen = generations(index)
    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder)
    assert encoder.encoded == before
    assert report.encoded == 0
    assert report.summary().startswith("0 updated, 3 unchanged, 0 removed;")
    assert report.summary().endswith("(0 embedded)")
    assert generations(index) == gen
    assert file_tree(index) == state  # nothing rewritten


def test_a_refresh_after_the_facts_codec_changed_recomputes_them_without_embedding(work, encoder, monkeypatch):
    sources, index = work
    gen = generations(index)
    monkeypatch.setattr("factcheck.judge.facts_codec.FACTS_VERSION", 99)
    from factcheck.judge.facts_codec import facts_key

    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder)
    assert (report.encoded, encoder.encoded - before) == (0, 0)
    assert report.unchanged == IDS and generations(index) != gen
    snap = open_snapshot(index)
    try:
        assert snap.store.facts_versions() == {facts_key()}
    finally:
        snap.close()
    again = generations(index)
    build_index(sources, index, encoder=encoder)
    assert generations(index) == again  # current now: nothing rewritten


def test_an_index_whose_facts_codec_is_older_is_stale(work, encoder, monkeypatch):
    sources, index = work
    snap = open_snapshot(index)
    try:
        assert not is_stale(snap, sources)
        monkeypatch.setattr("factcheck.judge.facts_codec.FACTS_VERSION", 99)
        assert is_stale(snap, sources)  # `check` refreshes it once, as after a change of sources
    finally:
        snap.close()


def test_touching_a_file_without_changing_it_embeds_nothing(work, encoder):
    sources, index = work
    (sources / f"{OTHER}.txt").touch()
    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder)
    assert (report.encoded, encoder.encoded - before) == (0, 0)
    assert report.unchanged == IDS


def test_editing_one_source_re_embeds_exactly_its_passages(work, encoder):
    sources, index = work
    counts = per_doc(index)
    snap = open_snapshot(index)
    old_vectors = np.array(snap.vectors())
    old_rows = {sid: [r for r, _ in snap.store.document_passages(sid)] for sid in IDS}
    snap.close()
    path = sources / f"{EDITED}.txt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nA new closing sentence was added by an editor.\n", encoding="utf-8"
    )
    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder)
    assert report.updated == (EDITED,)
    assert report.unchanged == (OTHER, LAST)
    assert report.summary().startswith("1 updated, 2 unchanged, 0 removed;")
    new_counts = per_doc(index)
    assert new_counts[EDITED] == counts[EDITED] + 1
    assert report.encoded == encoder.encoded - before == new_counts[EDITED]
    snap = open_snapshot(index)
    try:
        assert snap.generation == report.generation
        texts = [p.text for _, p in snap.store.document_passages(EDITED)]
        assert texts[-1] == "A new closing sentence was added by an editor."
        vectors = snap.vectors()
        for sid in (OTHER, LAST):  # reused vectors belong to their passages
            rows = [r for r, _ in snap.store.document_passages(sid)]
            np.testing.assert_array_equal(vectors[rows], old_vectors[old_rows[sid]])
        row = snap.store.document_passages(EDITED)[-1][0]
        fresh = encoder.encode([texts[-1]])[0]
        assert float(vectors[row] @ fresh) > 0.999
    finally:
        snap.close()


def test_deleting_a_source_drops_it(work, encoder):
    sources, index = work
    counts = per_doc(index)
    (sources / f"{LAST}.txt").unlink()
    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder)
    assert report.removed == (LAST,)
    assert (report.encoded, encoder.encoded - before) == (0, 0)
    assert report.summary().startswith("0 updated, 2 unchanged, 1 removed;")
    assert report.passages == counts[EDITED] + counts[OTHER]
    snap = open_snapshot(index)
    try:
        assert LAST not in snap.manifest.documents and LAST not in snap.store.sources()
        assert snap.store.document_passages(LAST) == []
        assert snap.vectors().shape[0] == report.passages
    finally:
        snap.close()


def test_adding_a_source_embeds_only_it(work, encoder):
    sources, index = work
    shutil.copy2(SOURCES / "000_cdb6d7e13a3b848c.txt", sources / "000_cdb6d7e13a3b848c.txt")
    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder)
    assert report.added == ("000_cdb6d7e13a3b848c",)
    assert report.summary().startswith("1 added, 0 updated, 3 unchanged, 0 removed;")
    assert report.encoded == encoder.encoded - before == per_doc(index)["000_cdb6d7e13a3b848c"]


def test_catalogue_change_rebuilds_metadata_without_embedding(work, encoder):
    sources, index = work
    catalog = sources / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('"Reuters"', '"Reuters Staff"'), encoding="utf-8")
    snap = open_snapshot(index)
    assert is_stale(snap, sources)
    snap.close()
    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder)
    assert encoder.encoded == before
    snap = open_snapshot(index)
    try:
        assert snap.store.sources()[EDITED].publisher == "Reuters Staff"
        assert not is_stale(snap, sources)
    finally:
        snap.close()
    assert report.generation == generations(index)[-1] or report.generation in generations(index)


def test_current_points_at_a_valid_generation_and_old_ones_are_cleaned(work, encoder):
    sources, index = work
    path = sources / f"{LAST}.txt"
    seen = []
    for n in range(3):
        path.write_text(path.read_text(encoding="utf-8") + f"\nEdit number {n} was made.\n", encoding="utf-8")
        report = build_index(sources, index, encoder=encoder)
        seen.append(report.generation)
        assert (index / CURRENT_NAME).read_text(encoding="utf-8").strip() == report.generation
        snap = open_snapshot(index, verify=True)
        assert snap.generation == report.generation
        snap.close()
    assert len(set(seen)) == 3
    gens = generations(index)
    assert gens[-1] == seen[-1] or seen[-1] in gens
    assert len(gens) <= 2 and set(gens) <= {seen[-1], seen[-2]}  # the live one and at most its predecessor
    assert not [p for p in index.iterdir() if p.name.startswith((".build-", ".CURRENT-"))]


def test_rebuild_re_embeds_everything(work, encoder):
    sources, index = work
    before = encoder.encoded
    report = build_index(sources, index, encoder=encoder, rebuild=True)
    assert report.added == IDS
    assert report.encoded == encoder.encoded - before == report.passages


def test_a_failed_build_leaves_the_live_index_untouched(work, encoder, file_tree):
    from factcheck.index.build import build_index as raw_build

    sources, index = work
    state = file_tree(index)
    path = sources / f"{EDITED}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")

    def crash(done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        raw_build(sources, index, encoder=encoder, after_encode=crash)
    assert file_tree(index) == state
    assert not [p for p in index.iterdir() if p.name.startswith(".build-")]
    snap, _ = open_index(sources, index, refresh=False, encoder=encoder)
    snap.close()


def test_bad_source_is_skipped_reported_and_writes_nothing(work, encoder, file_tree):
    sources, index = work
    state = file_tree(index, sources)
    (sources / "bad.txt").write_bytes(b"caf\xe9 au lait")
    with pytest.warns(SourceWarning, match="bad.txt: not valid UTF-8"):
        report = build_index(sources, index, encoder=encoder)
    assert len(report.failed) == 1 and "bad.txt: not valid UTF-8" in report.failed[0]
    assert not report.changed and "(1 unreadable)" in report.summary()
    (sources / "bad.txt").unlink()
    assert file_tree(index, sources) == state


def test_failed_first_build_leaves_no_index_folder(encoder, tmp_path):
    sources = tmp_path / "only-bad"
    sources.mkdir()
    (sources / "bad.txt").write_bytes(b"caf\xe9 au lait")
    fresh = tmp_path / "fresh-index"
    with pytest.raises(InputError, match="not valid UTF-8"), pytest.warns(SourceWarning):
        build_index(sources, fresh, encoder=encoder)
    assert not fresh.exists()


def test_index_path_that_is_a_file(tmp_path, encoder):
    file = tmp_path / "index"
    file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"):
        build_index(SOURCES, file, encoder=encoder)
    with pytest.raises(IndexStateError, match="not a folder"):
        open_snapshot(file)
    assert file.read_text(encoding="utf-8") == "not a folder"


def test_damaged_generation_is_reported(work):
    _, index = work
    gen = (index / CURRENT_NAME).read_text(encoding="utf-8").strip()
    with (index / gen / "vectors.npy").open("ab") as handle:
        handle.write(b"junk")
    with pytest.raises(IndexStateError, match="truncated or changed"):
        open_snapshot(index)
    (index / CURRENT_NAME).write_text("gen-missing\n", encoding="utf-8")
    with pytest.raises(IndexStateError, match="names no generation"):
        open_snapshot(index)
