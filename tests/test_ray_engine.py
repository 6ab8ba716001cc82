"""The Ray engine on a real local cluster (``ray start --head``, 2 CPUs), started once per session.

Ray not installed: these tests skip and say so. Ray installed but the cluster cannot start: they
fail (an error in the fixture), never skip.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import SEED_CLAIMS

from factcheck.api import build_index, check
from factcheck.engine import Engine
from factcheck.errors import IndexStateError
from factcheck.report import check_json

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'factcheck[ray]' runs these tests)")

pytestmark = pytest.mark.e2e

CLIMATE = SEED_CLAIMS.parent.parent / "benchmarks" / "climate-fever"
CLIMATE_SAMPLE = 100  # the first 100 claims; their corpus is the documents their evidence cites


@pytest.fixture(scope="session")
def ray_address():
    from factcheck.engine import local_cluster

    cluster = local_cluster.start(num_cpus=2)  # raises (the tests error) when Ray cannot start
    try:
        ray.init(address=cluster.address, log_to_driver=False)
        yield cluster.address
    finally:
        ray.shutdown()
        cluster.stop()


@pytest.fixture(scope="session")
def ray_engine(ray_address) -> Engine:
    return Engine("ray", ray_address)


@pytest.fixture(scope="session")
def ray_index(tmp_path_factory, corpus, encoder, ray_engine):
    """The bundled sources built on Ray as 2 shards."""
    root = tmp_path_factory.mktemp("ray")
    shutil.copytree(corpus.sources, root / "sources")
    shutil.copytree(corpus.index / "models", root / "index" / "models")
    report = build_index(root / "sources", root / "index", encoder=encoder, shards=2, engine=ray_engine)
    return root, report


def live(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


def seed_claims() -> list[str]:
    return [json.loads(line)["claim"] for line in SEED_CLAIMS.read_text(encoding="utf-8").splitlines() if line]


def test_a_ray_build_writes_shards_and_a_manifest_that_lists_them(ray_index, corpus):
    root, report = ray_index
    manifest = json.loads((live(root / "index") / "manifest.json").read_text())
    assert sorted(manifest["shards"]) == ["shard-000", "shard-001"]
    assert report.passages == corpus.report.passages and report.encoded == report.passages
    assert not (live(root / "index") / ".staged").exists()


def test_seed_dev_verdicts_and_evidence_are_the_local_engines(ray_index, ray_engine, encoder, check_claims):
    root, _ = ray_index
    claims = seed_claims()
    on_ray = check(claims, sources=root / "sources", index=root / "index", encoder=encoder, engine=ray_engine)
    assert check_json.render(on_ray) == check_json.render(check_claims(claims))


def test_seed_dev_eval_figures_are_the_local_engines(ray_index, ray_engine, corpus):
    from factcheck.evaluate import evaluate, load_claims

    root, _ = ray_index
    items = load_claims(SEED_CLAIMS)
    local = evaluate(items, sources=corpus.sources, index=corpus.index).to_dict(show_misses=True)
    remote = evaluate(items, sources=root / "sources", index=root / "index", engine=ray_engine)
    remote_figures = remote.to_dict(show_misses=True)
    local.pop("claims_per_second"), remote_figures.pop("claims_per_second")
    assert remote_figures == local


def test_an_unchanged_rebuild_on_ray_embeds_nothing_and_a_change_rewrites_one_shard(
    ray_index, ray_engine, encoder, tmp_path
):
    from factcheck.index.sharded import shard_of

    root, _ = ray_index
    shutil.copytree(root / "sources", tmp_path / "sources")
    shutil.copytree(root / "index", tmp_path / "index")
    before = live(tmp_path / "index")
    same = build_index(tmp_path / "sources", tmp_path / "index", encoder=encoder, engine=ray_engine)
    assert (same.encoded, same.generation) == (0, before.name)
    doc = "001_a93a268476cc8a53"
    path = tmp_path / "sources" / f"{doc}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe U.S. has 2,500 troops in Iraq, an official said.\n")
    report = build_index(tmp_path / "sources", tmp_path / "index", encoder=encoder, engine=ray_engine)
    assert report.updated == (doc,) and 0 < report.encoded < report.passages
    after = live(tmp_path / "index")
    touched = f"shard-{shard_of(doc, 2):03d}"
    for name in ("shard-000", "shard-001"):
        linked = (before / name / "store.sqlite").stat().st_ino == (after / name / "store.sqlite").stat().st_ino
        assert linked == (name != touched)


def test_a_ray_build_that_fails_leaves_the_live_generation_untouched(
    ray_index, ray_engine, encoder, tmp_path, monkeypatch, file_tree
):
    import factcheck.index.build as build

    root, _ = ray_index
    shutil.copytree(root / "sources", tmp_path / "sources")
    shutil.copytree(root / "index", tmp_path / "index")
    state = file_tree(tmp_path / "index")
    (tmp_path / "sources" / "new.txt").write_text("The U.S. has 3,000 troops in Iraq, an official said.\n")

    def interrupted(stage: str) -> None:
        if stage == "store":  # the shards are written on the cluster; the switch has not happened
            raise KeyboardInterrupt

    monkeypatch.setattr(build, "_pause", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_index(tmp_path / "sources", tmp_path / "index", encoder=encoder, engine=ray_engine)
    assert file_tree(tmp_path / "index") == state
    assert not [p for p in (tmp_path / "index").iterdir() if p.name.startswith(".build-")]


LINT_DRAFT = """# Draft

About 5,200 American troops are stationed in Iraq today.

The combat mission formally ended on 9 December 2021.

Spain announced in June 2020 that it would withdraw from its primary base in Iraq by the end of July.
"""


def _lint(root: Path, engine: Engine | None):
    from factcheck.lint import LintConfig, lint
    from factcheck.lint_cli import _default_judge

    draft = root / "draft.md"
    draft.write_text(LINT_DRAFT, encoding="utf-8")
    config = LintConfig(sources=root / "sources", index=root / "index")
    return lint([draft], judge=_default_judge(root / "sources", root / "index", engine=engine), config=config)


def _kill_during(monkeypatch, when: int, how) -> list[int]:
    """Make the ``when``-th fan-out of a Ray search start after ``how(pool)`` killed shard 1."""
    from factcheck.engine.ray_search import RayPool

    calls = {"n": 0}
    killed: list[int] = []
    original = RayPool.map

    def map_(self, batch):
        calls["n"] += 1
        if calls["n"] == when:
            killed.append(how(self))
        return original(self, batch)

    monkeypatch.setattr(RayPool, "map", map_)
    return killed


def test_killing_a_shard_actor_during_lint_is_retried_and_gives_the_same_findings(ray_index, ray_engine, monkeypatch):
    root, _ = ray_index
    expected = [(d.rule, d.line, d.column, d.message) for d in _lint(root, None).diagnostics]

    def kill(pool):
        pid = pool.pids()[1]
        os.kill(pid, signal.SIGKILL)  # the process dies as a lost node's would
        return pid

    killed = _kill_during(monkeypatch, 6, kill)
    report = _lint(root, ray_engine)
    assert killed  # the actor was killed mid-run, Ray restarted it and ran the call again
    assert [(d.rule, d.line, d.column, d.message) for d in report.diagnostics] == expected


def test_a_shard_actor_that_cannot_come_back_is_a_clear_error_not_a_partial_verdict(ray_index, ray_engine, monkeypatch):
    root, _ = ray_index

    def kill_for_good(pool):
        pool.ray.kill(pool.actors[1], no_restart=True)
        return 1

    _kill_during(monkeypatch, 6, kill_for_good)
    with pytest.raises(
        IndexStateError, match=r"shard .*shard-001 .*no verdict was computed from the other shards alone"
    ):
        _lint(root, ray_engine)


def test_a_local_index_is_served_on_ray_as_one_shard(corpus, ray_engine, encoder, check_claims):
    claims = seed_claims()[:8]
    on_ray = check(
        claims, sources=corpus.sources, index=corpus.index, encoder=encoder, refresh=False, engine=ray_engine
    )
    assert check_json.render(on_ray) == check_json.render(check_claims(claims))


def test_a_bad_address_is_one_line_and_exit_2(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    env.pop("RAY_ADDRESS", None)
    done = subprocess.run(
        [sys.executable, "-m", "factcheck", "check", "About 2,500 U.S. troops remain in Iraq.", "--engine", "ray",
         "--address", "127.0.0.1:1", "--index", str(tmp_path / "none"), "--sources", str(tmp_path)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Error: cannot connect to the Ray cluster at 127.0.0.1:1")
    assert "Traceback" not in done.stderr and done.stdout == ""


def _climate_sample(dest: Path) -> tuple[Path, Path]:
    """The first 100 Climate-FEVER claims and, as their corpus, the documents their evidence cites."""
    rows = [json.loads(line) for line in (CLIMATE / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = rows[:CLIMATE_SAMPLE]
    corpus = dest / "sources"
    corpus.mkdir(parents=True)
    for doc in sorted({e["source"] for r in rows for e in r["evidence"]}):
        if (CLIMATE / "corpus" / f"{doc}.txt").is_file():
            shutil.copyfile(CLIMATE / "corpus" / f"{doc}.txt", corpus / f"{doc}.txt")
    claims = dest / "claims.jsonl"
    claims.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return claims, corpus


@pytest.mark.skipif(not (CLIMATE / "claims.jsonl").is_file(), reason="the Climate-FEVER benchmark data is not here")
def test_climate_fever_sample_eval_is_the_same_on_both_engines(tmp_path_factory, corpus, ray_engine):
    """As a user runs them (no encoder given): the local build embeds with the ONNX export in its process,
    the Ray build in its workers."""
    from factcheck.evaluate import evaluate, load_claims

    root = tmp_path_factory.mktemp("climate")
    claims, sources = _climate_sample(root)
    shutil.copytree(corpus.index / "models", root / "local" / "models")
    build_index(sources, root / "local")
    shutil.copytree(root / "local" / "models", root / "ray" / "models")
    build_index(sources, root / "ray", shards=2, engine=ray_engine)
    items = load_claims(claims)
    local = evaluate(items, sources=sources, index=root / "local").to_dict(show_misses=True)
    remote = evaluate(items, sources=sources, index=root / "ray", engine=ray_engine).to_dict(show_misses=True)
    local.pop("claims_per_second"), remote.pop("claims_per_second")
    assert local["n"] == CLIMATE_SAMPLE
    assert remote == local
