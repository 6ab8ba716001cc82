"""Shared fixtures: one real index of a copy of ``sources/``, built once per session.

The whole session runs offline: the model hub is switched off and every HTTP proxy points at a
dead port, so a test that reached the network would fail instead of quietly downloading.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

DEAD_PROXY = "http://127.0.0.1:9"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
    os.environ[_var] = DEAD_PROXY
os.environ.pop("NO_PROXY", None)
os.environ.pop("no_proxy", None)
os.environ.pop("FACTCHECK_MODEL", None)

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
SEED_CLAIMS = Path("/work/shared/eval/seed-claims.dev.jsonl")
if not SEED_CLAIMS.is_file():  # CI runs in a clone with shared/ beside it
    SEED_CLAIMS = REPO.parent / "shared" / "eval" / "seed-claims.dev.jsonl"


@dataclass(frozen=True)
class Corpus:
    sources: Path
    index: Path
    report: object  # factcheck.index.build.BuildReport of the first build


def tree_state(*folders: Path) -> dict[str, tuple[int, int]]:
    """``{path: (size, mtime_ns)}`` of every file below ``folders`` (the writer's .lock aside)."""
    state: dict[str, tuple[int, int]] = {}
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != ".lock":
                st = path.stat()
                state[str(path)] = (st.st_size, st.st_mtime_ns)
    return state


@pytest.fixture(scope="session")
def encoder():
    """The real MiniLM encoder from the installed model package (loaded once)."""
    from factcheck.embed import Encoder

    return Encoder()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, encoder) -> Corpus:
    """A copy of ``sources/`` and ONE index of it, built with the real model."""
    from factcheck.api import build_index

    root = tmp_path_factory.mktemp("corpus")
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    index = root / "index"
    report = build_index(sources, index, encoder=encoder)
    return Corpus(sources, index, report)


@pytest.fixture(scope="session")
def check_claims(corpus, encoder):
    """``check_claims(claims, **kw)`` -> verdicts on the shared index, memoised per claim."""
    from factcheck.api import check

    cache: dict[tuple, object] = {}

    def run(claims, **kw):
        key = (tuple(claims), tuple(sorted(kw.items())))
        if key not in cache:
            cache[key] = check(
                list(claims), sources=corpus.sources, index=corpus.index, encoder=encoder, refresh=False, **kw
            )
        return cache[key]

    return run


@pytest.fixture(scope="session")
def file_tree():
    """``file_tree(*folders)``: size and mtime of every file, to prove that nothing was changed."""
    return tree_state


def private_copy(base: Path, dest: Path) -> Path:
    """A private copy of ``base/sources`` and ``base/index`` in ``dest`` (tests may damage it)."""
    shutil.copytree(base / "sources", dest / "sources", symlinks=True)
    shutil.copytree(base / "index", dest / "index", symlinks=True)
    return dest
