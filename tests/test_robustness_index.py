"""Never lose an index: kills at every stage of a build, concurrent builds and readers, disk
full, damaged or foreign index files, and no network at run time.

One small real index (two articles, the real model) is built per module and copied per test.
Builds that must be killed or raced run as ``factcheck`` subprocesses; a build stops at a named
stage with ``FACTCHECK_TEST_PAUSE=stage:seconds`` (see factcheck/index/build.py).
"""

from __future__ import annotations

import errno
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import private_copy

from factcheck.cli import main
from factcheck.errors import IndexStateError
from factcheck.index.manifest import MANIFEST_NAME, REPAIR
from factcheck.index.snapshot import CURRENT_NAME, open_snapshot, read_pointer

REPO = Path(__file__).resolve().parent.parent
FACTCHECK = str(Path(sys.executable).parent / "factcheck")
CLAIMS = [
    "About 2,500 U.S. troops remain in Iraq.",
    "There are about 9,000 American troops in Iraq.",
    "Biden and al-Kadhimi planned to announce the end of the combat mission.",
]
LEFTOVERS = (".build-", ".CURRENT-", ".trash-")


def tree_digest(*folders: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file below ``folders`` (the writer's .lock aside)."""
    import hashlib

    out: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != ".lock":
                out[f"{folder.name}/{path.relative_to(folder)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def leftovers(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith(LEFTOVERS))


def generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith("gen-"))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, encoder: object) -> Path:
    """``root/sources`` (two real articles) and ``root/index`` built from them with the real model."""
    from factcheck.api import build_index

    root = tmp_path_factory.mktemp("robust-base")
    sources = root / "sources"
    sources.mkdir()
    for name in sorted((REPO / "sources").glob("00[04]_*.txt")):
        shutil.copy2(name, sources / name.name)
    build_index(sources, root / "index", encoder=encoder)  # type: ignore[arg-type]
    return root


@pytest.fixture()
def work(base: Path, tmp_path: Path) -> Path:
    """A private copy of the base sources and index."""
    return private_copy(base, tmp_path)


def cli(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process: ``(exit code, stdout, stderr)``; an escaped exception fails the test."""
    result = CliRunner().invoke(main, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"factcheck {' '.join(args)} raised {result.exception!r}") from result.exception
    return result.exit_code, result.stdout, result.stderr


def verdicts(root: Path) -> list[tuple[str, str]]:
    code, out, err = cli(
        "check", *CLAIMS, "--sources", str(root / "sources"), "--index", str(root / "index"), "--format", "json"
    )
    assert code in (0, 1), err
    return [(r["claim"], r["verdict"]) for r in json.loads(out)["results"]]


@pytest.fixture(scope="module")
def base_verdicts(base: Path) -> list[tuple[str, str]]:
    found = verdicts(base)
    assert {v for _, v in found} - {"unverified"}, f"the claims must meet real evidence: {found}"
    return found


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("warning:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("Error: ")
    return lines[0]


# --------------------------------------------------------------------------- killed builds


class Build:
    """A ``factcheck index`` subprocess whose stderr is read by a thread."""

    def __init__(self, root: Path, *extra: str, pause: str = "", env: dict[str, str] | None = None) -> None:
        full_env = dict(os.environ, **(env or {}))
        if pause:
            full_env["FACTCHECK_TEST_PAUSE"] = pause
        self.proc = subprocess.Popen(
            [FACTCHECK, "index", "--sources", str(root / "sources"), "--index", str(root / "index"), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=full_env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if text in self.lines.get(timeout=0.5):
                    return
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
        raise AssertionError(f"never saw {text!r}; stderr: {''.join(self.err)}")

    def finish(self, timeout: float = 180) -> tuple[int, str, str]:
        self.proc.wait(timeout=timeout)
        self.reader.join(timeout=10)
        assert self.proc.stdout is not None
        return self.proc.returncode, self.proc.stdout.read(), "".join(self.err)


STAGES = ("encode", "store", "renamed", "pointer")


def test_sigkill_at_every_stage_keeps_the_live_index(
    base: Path, base_verdicts: list[tuple[str, str]], tmp_path: Path, encoder: object
) -> None:
    """SIGKILL at each stage (and SIGTERM at one), all builds at once to share the start-up time."""
    from factcheck.api import build_index

    roots = {}
    for stage in (*STAGES, "sigterm"):
        root = tmp_path / stage
        shutil.copytree(base, root, symlinks=True)
        roots[stage] = root
    before = {stage: (read_pointer(root / "index"), tree_digest(root / "index")) for stage, root in roots.items()}
    builds = {
        stage: Build(root, "--rebuild", pause=f"{'store' if stage == 'sigterm' else stage}:120")
        for stage, root in roots.items()
    }
    try:
        for stage, build in builds.items():
            build.wait_for(f"paused at {'store' if stage == 'sigterm' else stage}")
            build.proc.send_signal(signal.SIGTERM if stage == "sigterm" else signal.SIGKILL)
            build.proc.wait(timeout=60)
    finally:
        for build in builds.values():
            if build.proc.poll() is None:
                build.proc.kill()

    # SIGTERM: the build stops at once, says so, and removes its own half-written folder
    code, _, err = builds.pop("sigterm").finish()
    root = roots.pop("sigterm")
    assert code == 130, err
    assert "Interrupted." in err and "Traceback" not in err
    assert leftovers(root / "index") == []
    assert tree_digest(root / "index") == before["sigterm"][1]
    assert verdicts(root) == base_verdicts

    for stage, root in roots.items():
        index = root / "index"
        pointer, files = before[stage]
        assert read_pointer(index) == pointer, stage  # CURRENT never moved
        live = {k: v for k, v in tree_digest(index).items() if k.startswith(f"index/{pointer}/")}
        assert live == {k: v for k, v in files.items() if k.startswith(f"index/{pointer}/")}, stage
        assert verdicts(root) == base_verdicts, stage
        if stage in ("encode", "store"):
            assert any(n.startswith(".build-") for n in leftovers(index)), stage
        if stage == "pointer":
            assert any(n.startswith(".CURRENT-") for n in leftovers(index)), stage
        # the next build cleans up and succeeds
        report = build_index(root / "sources", index, encoder=encoder, rebuild=True)  # type: ignore[arg-type]
        assert leftovers(index) == [], stage
        assert read_pointer(index) == report.generation
        assert generations(index) == sorted([pointer, report.generation]), stage
        assert verdicts(root) == base_verdicts, stage


def test_stray_pointer_and_orphan_generation_are_swept(work: Path, encoder: object) -> None:
    from factcheck.api import build_index

    index = work / "index"
    live = read_pointer(index)
    assert live
    shutil.copytree(index / live, index / "gen-20000101T000000-deadbeef")  # renamed, never made live
    (index / ".CURRENT-20000101T000000-deadbeef").write_text("gen-20000101T000000-deadbeef\n")
    (index / ".build-20000101T000000-cafe").mkdir()
    (index / ".build-20000101T000000-cafe" / "store.sqlite").write_bytes(b"half")
    assert open_snapshot(index).generation == live  # readers ignore all of it
    report = build_index(work / "sources", index, encoder=encoder, rebuild=True)  # type: ignore[arg-type]
    assert leftovers(index) == []
    assert generations(index) == sorted([live, report.generation])


def test_disk_full_leaves_the_index_alone(
    work: Path, encoder: object, monkeypatch: pytest.MonkeyPatch, base_verdicts: list[tuple[str, str]]
) -> None:
    from factcheck.api import build_index
    from factcheck.index import part

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = tree_digest(work / "index")
    monkeypatch.setattr(part, "save_dense", full)
    with pytest.raises(OSError, match="No space left"):
        build_index(work / "sources", work / "index", encoder=encoder, rebuild=True)  # type: ignore[arg-type]
    assert tree_digest(work / "index") == before
    assert leftovers(work / "index") == []
    monkeypatch.undo()
    assert verdicts(work) == base_verdicts


# --------------------------------------------------------------------------- concurrency


def test_two_builds_serialise(work: Path, base_verdicts: list[tuple[str, str]]) -> None:
    first = Build(work, "--rebuild", pause="store:6")
    first.wait_for("paused at store")
    second = Build(work, "--rebuild")
    second.wait_for("waiting for another build")
    code1, out1, err1 = first.finish()
    code2, out2, err2 = second.finish()
    assert (code1, code2) == (0, 0), err1 + err2
    assert "waiting for another build" not in err1
    assert "Indexed" in out1 and "Indexed" in out2
    index = work / "index"
    live = read_pointer(index)
    assert live is not None and live in generations(index)
    assert leftovers(index) == []
    assert len(generations(index)) == 2  # the second build's and the one live before it
    code, out, err = cli("index", "--verify", "--index", str(index))
    assert code == 0 and live in out, err
    assert live == max(generations(index))  # the second build's, made after the first's
    assert verdicts(work) == base_verdicts


def test_lock_timeout_fails_clearly(work: Path) -> None:
    from filelock import FileLock

    before = tree_digest(work / "index", work / "sources")
    with FileLock(str(work / "index" / ".lock")):
        started = time.monotonic()
        proc = subprocess.run(
            [
                FACTCHECK,
                "index",
                "--sources",
                str(work / "sources"),
                "--index",
                str(work / "index"),
                "--lock-timeout",
                "0.5",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2
    assert time.monotonic() - started < 60
    assert "waiting for another build" in proc.stderr
    line = one_error_line("\n".join(x for x in proc.stderr.splitlines() if "waiting for another build" not in x))
    assert "being built by another process" in line and "--lock-timeout" in line
    assert tree_digest(work / "index", work / "sources") == before


def test_reader_keeps_its_generation_through_builds(work: Path, encoder: object) -> None:
    from factcheck.api import build_index

    index = work / "index"
    reader = open_snapshot(index)
    first = reader.generation
    rows = reader.store.count()
    build_index(work / "sources", index, encoder=encoder, rebuild=True)  # type: ignore[arg-type]
    build_index(work / "sources", index, encoder=encoder, rebuild=True)  # type: ignore[arg-type]
    assert first in generations(index)  # neither live nor previous, but a reader holds it
    assert reader.store.count() == rows and reader.vectors().shape[0] == rows
    assert reader.dense.ntotal == rows
    reader.close()
    third = build_index(work / "sources", index, encoder=encoder, rebuild=True)  # type: ignore[arg-type]
    assert first not in generations(index)
    assert len(generations(index)) == 2 and third.generation in generations(index)


# --------------------------------------------------------------------------- integrity


def _gen(index: Path) -> Path:
    name = read_pointer(index)
    assert name
    return index / name


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def _edit_manifest(**changes: object) -> Callable[[Path, object], None]:
    def edit(index: Path, encoder: object) -> None:
        path = _gen(index) / MANIFEST_NAME
        raw = json.loads(path.read_text())
        raw.update(changes)
        path.write_text(json.dumps(raw))

    return edit


def _other_build_store(index: Path, encoder: object) -> None:
    """store.sqlite of another generation (another build of other sources) copied in."""
    other = Path(str(index) + "-other")
    src = Path(str(index) + "-other-sources")
    src.mkdir()
    (src / "a.txt").write_text("A small article. It names 12 ships in the harbour.\n")
    from factcheck.api import build_index

    build_index(src, other, encoder=encoder)  # type: ignore[arg-type]
    shutil.copy2(_gen(other) / "store.sqlite", _gen(index) / "store.sqlite")


DAMAGE: dict[str, tuple[Callable[[Path, object], None], str]] = {
    "truncated-faiss": (lambda ix, _: _truncate(_gen(ix) / "dense.faiss"), "dense.faiss"),
    "scribbled-faiss": (lambda ix, _: _scribble(_gen(ix) / "dense.faiss"), "dense.faiss"),
    "corrupt-sqlite": (lambda ix, _: _scribble(_gen(ix) / "store.sqlite"), "store.sqlite"),
    "truncated-sqlite": (lambda ix, _: _truncate(_gen(ix) / "store.sqlite"), "store.sqlite"),
    "truncated-vectors": (lambda ix, _: _truncate(_gen(ix) / "vectors.npy"), "vectors.npy"),
    "missing-vectors": (lambda ix, _: (_gen(ix) / "vectors.npy").unlink(), "vectors.npy"),
    "store-of-another-build": (_other_build_store, "store.sqlite"),
    "other-model": (_edit_manifest(model_id="some-other-model@0123456789ab"), "some-other-model"),
    "other-dimension": (_edit_manifest(dimension=768), "vectors"),
    "other-format": (_edit_manifest(format_version=99), "format 99"),
    "manifest-garbage": (lambda ix, _: (_gen(ix) / MANIFEST_NAME).write_text("{not json"), MANIFEST_NAME),
    "manifest-missing": (lambda ix, _: (_gen(ix) / MANIFEST_NAME).unlink(), MANIFEST_NAME),
    "current-nowhere": (lambda ix, _: (ix / CURRENT_NAME).write_text("gen-19990101T000000-00000000\n"), "CURRENT"),
    "current-garbage": (lambda ix, _: (ix / CURRENT_NAME).write_bytes(b"\x00\xff../../etc\n"), "CURRENT"),
    "generation-deleted": (lambda ix, _: shutil.rmtree(_gen(ix)), "CURRENT"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_index_is_refused_with_the_repair_hint(work: Path, damage: str, encoder: object) -> None:
    harm, culprit = DAMAGE[damage]
    harm(work / "index", encoder)
    before = tree_digest(work / "index", work / "sources")
    code, out, err = cli("check", CLAIMS[0], "--sources", str(work / "sources"), "--index", str(work / "index"))
    assert code == 2, out + err
    line = one_error_line(err)
    assert culprit in line and "factcheck index --rebuild" in line, line
    assert out == ""
    assert tree_digest(work / "index", work / "sources") == before  # check never rebuilt it
    code, out, err = cli("index", "--verify", "--index", str(work / "index"))
    assert code == 2 and "--rebuild" in one_error_line(err)


def test_refresh_on_a_damaged_index_rebuilds_with_a_warning(work: Path, base_verdicts: list[tuple[str, str]]) -> None:
    _truncate(_gen(work / "index") / "dense.faiss")
    code, out, err = cli("index", "--sources", str(work / "sources"), "--index", str(work / "index"))
    assert code == 0, err
    assert "warning:" in err and "rebuilding it from scratch" in err and "dense.faiss" in err
    assert "2 added" in out
    assert cli("index", "--verify", "--index", str(work / "index"))[0] == 0
    assert verdicts(work) == base_verdicts


def test_rebuild_repairs_a_damaged_index(work: Path, base_verdicts: list[tuple[str, str]]) -> None:
    _scribble(_gen(work / "index") / "store.sqlite")
    code, _, err = cli("index", "--rebuild", "--sources", str(work / "sources"), "--index", str(work / "index"))
    assert code == 0, err
    assert verdicts(work) == base_verdicts


def test_verify_reports_a_sound_index(work: Path) -> None:
    code, out, err = cli("index", "--verify", "--index", str(work / "index"))
    assert code == 0, err
    assert "is sound" in out and "2 documents" in out


def test_snapshot_checks_are_cheap_but_catch_mixing(work: Path) -> None:
    """The sampled digest sees a same-size file from elsewhere without a full checksum."""
    gen = _gen(work / "index")
    data = bytearray((gen / "vectors.npy").read_bytes())
    data[-1] ^= 0xFF  # same size, last byte differs
    (gen / "vectors.npy").write_bytes(bytes(data))
    with pytest.raises(IndexStateError, match="another build"):
        open_snapshot(work / "index")
    assert REPAIR in str(pytest.raises(IndexStateError, open_snapshot, work / "index").value)


# --------------------------------------------------------------------------- no network


def test_index_and_check_run_without_network(base: Path, tmp_path: Path) -> None:
    shutil.copytree(base / "sources", tmp_path / "sources")
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    dead = "http://127.0.0.1:9"
    env.update(HTTP_PROXY=dead, HTTPS_PROXY=dead, http_proxy=dead, https_proxy=dead, ALL_PROXY=dead)
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    args = ["--sources", str(tmp_path / "sources"), "--index", str(tmp_path / "index")]
    built = subprocess.run([FACTCHECK, "index", *args], capture_output=True, text=True, env=env, timeout=300)
    assert built.returncode == 0, built.stderr
    checked = subprocess.run(
        [FACTCHECK, "check", CLAIMS[0], *args, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["results"][0]["verdict"] == "supported"
