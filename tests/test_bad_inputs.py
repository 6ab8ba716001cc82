"""Bad inputs never crash the CLI and never change what exists.

Each refused case runs ``factcheck`` as a subprocess against a copy of a real index and its
sources and asserts: exit code 2, exactly one ``Error: ...`` line on stderr that names the
culprit, no traceback, nothing printed on stdout, and the index and sources byte-for-byte as
before. Accepted oddities (UTF-16, CRLF, empty files, duplicates, symlink loops) exit 0 and
give correct passages. ``FACTCHECK_SLOW=1`` also runs the 50 MB source.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import private_copy

from factcheck.cli import main

REPO = Path(__file__).resolve().parent.parent
FACTCHECK = str(Path(sys.executable).parent / "factcheck")
ARTICLE = (
    "Officials said about 2,500 U.S. troops remain in Iraq. The mission will end by September 2025.\n"
    "A second phase follows in Syria, where 900 troops are stationed.\n"
)


def tree_digest(*folders: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.name != ".lock":
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_symlink():
                out[str(path)] = "-> " + os.readlink(path)
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, encoder: object) -> Path:
    from factcheck.api import build_index

    root = tmp_path_factory.mktemp("bad-inputs-base")
    (root / "sources").mkdir()
    shutil.copy2(next((REPO / "sources").glob("004_*.txt")), root / "sources" / "bloomberg.txt")
    (root / "sources" / "short.txt").write_text(ARTICLE, encoding="utf-8")
    build_index(root / "sources", root / "index", encoder=encoder)  # type: ignore[arg-type]
    return root


@pytest.fixture()
def work(base: Path, tmp_path: Path) -> Path:
    """A private copy of the base sources and index."""
    return private_copy(base, tmp_path)


def run(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FACTCHECK, *args],
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        timeout=120,
        cwd=root,
        encoding="latin-1",
    )


def corpus_args(root: Path) -> list[str]:
    return ["--sources", str(root / "sources"), "--index", str(root / "index")]


def assert_refused(proc: subprocess.CompletedProcess[str], *culprits: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.stdout == ""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr
    other = [line for line in lines if not line.startswith(("Error:", "Usage:", "Try ", "warning: "))]
    assert not other, proc.stderr  # only warnings and click's usage lines may come with the error
    for culprit in culprits:
        assert culprit in errors[0], (culprit, errors[0])
    return errors[0]


@dataclass(frozen=True)
class Case:
    """A refused input: ``prepare(root)`` makes it and returns the CLI arguments (and stdin)."""

    prepare: Callable[[Path], tuple[list[str], bytes | None]]
    culprits: Callable[[Path], tuple[str, ...]]


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _index_with(name: str, data: bytes | str) -> Callable[[Path], tuple[list[str], bytes | None]]:
    def prepare(root: Path) -> tuple[list[str], bytes | None]:
        _write(root / "sources" / name, data)
        return ["index", *corpus_args(root)], None

    return prepare


def _check(
    *claims: str, stdin: bytes | None = None, extra: tuple[str, ...] = ()
) -> Callable[[Path], tuple[list[str], bytes | None]]:
    return lambda root: (["check", *claims, *corpus_args(root), *extra], stdin)


def _eval(lines: bytes) -> Callable[[Path], tuple[list[str], bytes | None]]:
    def prepare(root: Path) -> tuple[list[str], bytes | None]:
        _write(root / "claims.jsonl", lines)
        return ["eval", str(root / "claims.jsonl"), *corpus_args(root)], None

    return prepare


def _const(*words: str) -> Callable[[Path], tuple[str, ...]]:
    return lambda root: words


GOOD = json.dumps({"claim": "About 2,500 U.S. troops remain in Iraq.", "label": "supported"}).encode()

CASES: dict[str, Case] = {
    # ----- claims
    "empty-claim": Case(_check(""), _const("empty claim")),
    "whitespace-claim": Case(_check(" \t\n  "), _const("empty claim")),
    "megabyte-claim": Case(_check("-", stdin=b"troops " * 150_000 + b"\n"), _const("1,049,999 characters", "limit")),
    "stdin-empty": Case(_check("-", stdin=b""), _const("no claims on standard input")),
    "stdin-invalid-utf8": Case(
        _check("-", stdin=b"About 2,500 troops \xff\xfe in Iraq\n"), _const("standard input", "UTF-8", "byte 19")
    ),
    "no-claims": Case(_check(), _const("give one or more claims")),
    # ----- options
    "unknown-option": Case(_check("x", extra=("--bogus",)), _const("--bogus")),
    "unknown-format": Case(_check("x", extra=("--format", "xml")), _const("--format", "xml")),
    "top-k-zero": Case(_check("x", extra=("--top-k", "0")), _const("--top-k")),
    "unknown-command": Case(lambda root: (["frobnicate"], None), _const("frobnicate")),
    "lock-timeout-not-a-number": Case(
        lambda root: (["index", *corpus_args(root), "--lock-timeout", "soon"], None), _const("--lock-timeout", "soon")
    ),
    # ----- paths
    "check-index-is-a-file": Case(
        lambda root: (
            ["check", "x", "--sources", str(root / "sources"), "--index", str(_write(root / "afile", "x"))],
            None,
        ),
        lambda root: ("not a folder", str(root / "afile")),
    ),
    "index-path-is-a-file": Case(
        lambda root: (["index", "--sources", str(root / "sources"), "--index", str(_write(root / "afile", "x"))], None),
        lambda root: ("not a folder", str(root / "afile")),
    ),
    "missing-sources": Case(
        lambda root: (["index", "--sources", str(root / "nowhere"), "--index", str(root / "index")], None),
        lambda root: ("not found", str(root / "nowhere")),
    ),
    "check-missing-sources-no-index": Case(
        lambda root: (["check", "x", "--sources", str(root / "nowhere"), "--index", str(root / "fresh")], None),
        lambda root: ("not found", str(root / "nowhere")),
    ),
    "sources-is-a-file": Case(
        lambda root: (
            ["index", "--sources", str(_write(root / "s.txt", ARTICLE)), "--index", str(root / "index")],
            None,
        ),
        lambda root: ("not a folder", str(root / "s.txt")),
    ),
    "sources-without-documents": Case(
        lambda root: (
            [
                "index",
                "--sources",
                str(_write(root / "docs" / "notes.pdf", b"%PDF").parent),
                "--index",
                str(root / "index"),
            ],
            None,
        ),
        lambda root: ("no source documents", str(root / "docs")),
    ),
    "sources-self-symlink": Case(
        lambda root: (
            os.symlink(root / "loop", root / "loop")
            or ["index", "--sources", str(root / "loop"), "--index", str(root / "index")],
            None,
        ),
        lambda root: (str(root / "loop"),),
    ),
    # ----- source contents
    "all-sources-empty": Case(
        lambda root: (
            [_write(root / "only" / n, t) for n, t in (("a.txt", ""), ("b.md", "  \n\n"))]
            and ["index", "--sources", str(root / "only"), "--index", str(root / "index")],
            None,
        ),
        lambda root: ("no source", str(root / "only"), "any text"),
    ),
    "bad-catalog-toml": Case(
        _index_with("catalog.toml", "[short\ntitle = 1"), lambda root: (str(root / "sources" / "catalog.toml"), "TOML")
    ),
    "catalog-entry-not-a-table": Case(
        _index_with("catalog.toml", 'short = "x"\n'), lambda root: (str(root / "sources" / "catalog.toml"), "[short]")
    ),
    "duplicate-source-id": Case(
        _index_with("sub/short.md", "Another text.\n"),
        lambda root: ("short", str(root / "sources" / "sub" / "short.md")),
    ),
    # ----- claims files
    "claims-file-missing": Case(
        lambda root: (["eval", str(root / "none.jsonl"), *corpus_args(root)], None),
        lambda root: (str(root / "none.jsonl"),),
    ),
    "claims-invalid-json": Case(
        _eval(GOOD + b"\n" + GOOD + b'\n{"claim": "x", \n'),
        lambda root: (f"{root / 'claims.jsonl'}:3:", "invalid JSON"),
    ),
    "claims-missing-label": Case(
        _eval(GOOD + b'\n{"claim": "No label here."}\n'), lambda root: (f"{root / 'claims.jsonl'}:2:", "label")
    ),
    "claims-bad-as-of": Case(
        _eval(b'{"claim": "x", "label": "supported", "as_of": "yesterday"}\n'),
        lambda root: (f"{root / 'claims.jsonl'}:1:", "yesterday"),
    ),
    "claims-not-an-object": Case(_eval(b'["claim", "supported"]\n'), lambda root: (f"{root / 'claims.jsonl'}:1:",)),
    "claims-invalid-utf8": Case(_eval(GOOD + b"\n\xff\n"), lambda root: (str(root / "claims.jsonl"), "UTF-8")),
    "claims-empty": Case(_eval(b"\n\n"), lambda root: (str(root / "claims.jsonl"), "no claims")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_cleanly(name: str, work: Path) -> None:
    case = CASES[name]
    before = tree_digest(work / "index", work / "sources")
    args, stdin = case.prepare(work)
    made = tree_digest(work / "index", work / "sources")  # the case's own files are part of "before"
    before.update(made)
    proc = run(work, *args, stdin=stdin)
    assert_refused(proc, *case.culprits(work))
    assert tree_digest(work / "index", work / "sources") == before


UNREADABLE_SOURCES = {
    "binary-source": ("blob.txt", b"GIF89a\x00\x01\x02" + bytes(range(256)) * 4, ("binary",)),
    "invalid-utf8-source": ("latin.txt", "Caf\u00e9 au lait. ".encode("latin-1") * 3, ("UTF-8", "byte 3")),
    "invalid-utf16-source": ("odd.txt", b"\xff\xfeA\x00\x00\xd8B\x00", ("UTF-16", "byte")),
    "bad-published-date": ("dated.md", b"---\npublished: 27/09/2024\n---\nA sentence here.\n", ("27/09/2024",)),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE_SOURCES))
def test_unreadable_source_is_skipped_and_fails_the_run(name: str, work: Path) -> None:
    """One bad source never sinks the build: the others are indexed, the bad one is named, exit 2."""
    file_name, data, words = UNREADABLE_SOURCES[name]
    _write(work / "sources" / "new.txt", "A new source says 700 troops remain in Kuwait.\n")
    bad = _write(work / "sources" / file_name, data)
    proc = run(work, "index", *corpus_args(work))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(bad) in errors[0] and all(w in errors[0] for w in words), proc.stderr
    assert "skipped; the other sources were indexed" in errors[0]
    assert "1 added" in proc.stdout and "(1 unreadable)" in proc.stdout
    answer = run(
        work, "check", "A new source says 700 troops remain in Kuwait.", "--format", "json", *corpus_args(work)
    )
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["results"][0]["verdict"] == "supported"


def _without_dac_override() -> list[str]:
    """Root reads every file whatever its mode: then run the CLI without the two capabilities
    that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so chmod 000 bites as for anyone."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): chmod 000 cannot make a file unreadable")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, "--bounding-set", caps, "--inh-caps", caps]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_unreadable_source_refused(work: Path, what: str) -> None:
    prefix = _without_dac_override()
    target = _write(work / "sources" / "locked" / "secret.txt", ARTICLE)
    locked = target if what == "file" else target.parent
    before = tree_digest(work / "index")
    locked.chmod(0o000)
    try:
        proc = subprocess.run(
            [*prefix, FACTCHECK, "index", *corpus_args(work)], capture_output=True, text=True, timeout=120
        )
    finally:
        locked.chmod(0o755 if what == "folder" else 0o644)
    if what == "folder":
        assert_refused(proc, str(locked), "permission denied")
    else:  # one unreadable file: the others are indexed, the file is named, exit 2
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        (error,) = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
        assert str(locked) in error and "permission denied" in error and "skipped" in error
    assert tree_digest(work / "index") == before


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    proc = run(tmp_path, "--debug", "check", "")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "InputError: empty claim" in proc.stderr


# --------------------------------------------------------------------------- accepted oddities


def index_in_process(root: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["index", *corpus_args(root)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"factcheck index raised {result.exception!r}") from result.exception
    return result.exit_code, result.stdout, result.stderr


def stored(root: Path, doc_id: str) -> list[str]:
    from factcheck.index.snapshot import open_snapshot

    with open_snapshot(root / "index") as snap:
        return [p.text for _, p in snap.store.document_passages(doc_id)]


def assert_spans_exact(root: Path, name: str) -> None:
    from factcheck.index.snapshot import open_snapshot
    from factcheck.ingest import list_sources, read_document

    source = next(s for s in list_sources(root / "sources") if s.path.name == name)
    doc = read_document(source)
    with open_snapshot(root / "index") as snap:
        passages = [p for _, p in snap.store.document_passages(source.id)]
    assert passages
    for p in passages:
        assert doc.text[p.start : p.end] == p.text


def test_utf16_source_with_bom_is_decoded(work: Path) -> None:
    text = "Madrid sent 300 soldiers to Iraq in 2021. The ministry confirmed it on Monday.\r\n"
    _write(work / "sources" / "spanish.txt", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    code, out, err = index_in_process(work)
    assert code == 0, err
    assert "1 added" in out
    assert stored(work, "spanish") == [
        "Madrid sent 300 soldiers to Iraq in 2021.",
        "The ministry confirmed it on Monday.",
    ]
    assert_spans_exact(work, "spanish.txt")


def test_crlf_source_is_read_as_lines(work: Path) -> None:
    _write(work / "sources" / "windows.txt", b"Line one has 12 ships.\r\nLine two has 14 planes.\r\n\r\nA third.\r\n")
    code, _, err = index_in_process(work)
    assert code == 0, err
    passages = stored(work, "windows")
    assert passages == ["Line one has 12 ships.", "Line two has 14 planes.", "A third."]
    assert not any("\r" in p for p in passages)
    assert_spans_exact(work, "windows.txt")


def test_empty_source_is_warned_not_fatal(work: Path) -> None:
    _write(work / "sources" / "empty.txt", b"")
    _write(work / "sources" / "new.txt", "A new article names 7 ministers.\n")
    code, out, err = index_in_process(work)
    assert code == 0, err
    assert f"warning: {work / 'sources' / 'empty.txt'}: empty source, skipped" in err
    assert "1 added" in out and "1 skipped" in out


def test_source_without_sentences_is_warned_not_fatal(work: Path) -> None:
    _write(work / "sources" / "headings.md", "# Title\n\n## Section one\n\n## Section two\n")
    code, out, err = index_in_process(work)
    assert code == 0, err
    assert f"{work / 'sources' / 'headings.md'}: no sentences found" in err
    assert stored(work, "headings") == []


def test_duplicate_documents_are_deduplicated_and_reported(work: Path) -> None:
    shutil.copy2(work / "sources" / "short.txt", work / "sources" / "copy-of-short.txt")
    code, out, err = index_in_process(work)
    assert code == 0, err
    assert "same content as source" in err and "copy-of-short.txt" in err
    assert "1 skipped" in out
    assert stored(work, "copy-of-short") == []


def test_symlink_loops_in_sources_terminate(work: Path) -> None:
    (work / "sources" / "sub").mkdir()
    _write(work / "sources" / "sub" / "deep.txt", "Deep text names 3 rivers.\n")
    os.symlink(work / "sources", work / "sources" / "sub" / "back-to-top")
    os.symlink("self.txt", work / "sources" / "self.txt")  # a link to itself
    started = time.monotonic()
    code, out, err = index_in_process(work)
    assert code == 0, err
    assert time.monotonic() - started < 60
    assert "1 added" in out and stored(work, "deep") == ["Deep text names 3 rivers."]


# --------------------------------------------------------------------------- 50 MB


@pytest.mark.skipif(not os.environ.get("FACTCHECK_SLOW"), reason="slow: set FACTCHECK_SLOW=1")
def test_fifty_megabyte_source(base: Path, tmp_path: Path) -> None:
    """A 50 MB source indexes (real segmentation, real model) in bounded memory."""
    sources = tmp_path / "sources"
    shutil.copytree(base / "sources", sources)
    paragraph = (REPO / "sources").glob("00[0-3]_*.txt")
    block = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(paragraph))
    with (sources / "huge.txt").open("w", encoding="utf-8") as handle:
        written = 0
        n = 0
        while written < 50_000_000:
            chunk = f"= Part {n} =\n{block}\n\n"
            handle.write(chunk)
            written += len(chunk.encode())
            n += 1
    started = time.monotonic()
    proc = subprocess.run([FACTCHECK, "index", *corpus_args(tmp_path)], capture_output=True, text=True, timeout=7200)
    took = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"50 MB source: {took:.0f} s, peak RSS {peak_kb / 1024:.0f} MiB; {proc.stdout.strip()}")
    assert proc.returncode == 0, proc.stderr
    assert peak_kb < 8 * 1024 * 1024


def _set_writable(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755 if writable else 0o555)
        else:
            path.chmod(0o644 if writable else 0o444)


def test_read_only_index_answers_with_a_warning_when_only_a_refresh_was_needed(work: Path) -> None:
    prefix = _without_dac_override()
    _write(work / "sources" / "short.txt", ARTICLE + "A third phase follows in Kuwait, where 700 troops stay.\n")
    before = tree_digest(work / "index")
    _set_writable(work / "index", False)
    try:
        check = subprocess.run(
            [*prefix, FACTCHECK, "check", "About 2,500 U.S. troops remain in Iraq.", *corpus_args(work)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        index = subprocess.run(
            [*prefix, FACTCHECK, "index", *corpus_args(work)], capture_output=True, text=True, timeout=120
        )
    finally:
        _set_writable(work / "index", True)
    assert check.returncode == 0 and "SUPPORTED" in check.stdout, check.stderr
    assert f"index folder {work / 'index'} is read-only" in check.stderr
    assert "answering from the index as it is" in check.stderr and "Traceback" not in check.stderr
    assert_refused(index, f"index folder {work / 'index'} is read-only", "writable")
    assert tree_digest(work / "index") == before
