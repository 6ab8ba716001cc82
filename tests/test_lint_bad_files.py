"""One bad draft never sinks a lint run (issue 10): a NUL-containing, non-UTF-8, unreadable or
oversized-sentence draft becomes an FC001 finding at its location (in every format, and in
SARIF's toolExecutionNotifications), the other drafts are checked, and the exit status is 2.
UTF-16 drafts with a byte-order mark are read like UTF-16 sources.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from test_lint import FakeJudge

from factcheck import lint_cli
from factcheck.lint import MAX_SENTENCE_CHARS, LintConfig, lint

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
GOOD = "# Troops\n\nThe U.S. has 5,200 troops in Iraq.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "a_good.md").write_text(GOOD, encoding="utf-8")
    (drafts / "b_nul.md").write_bytes(b"Line one has 5 troops.\nLine two \x00 has 6.\n")
    (drafts / "c_latin1.md").write_bytes(b"First line.\n\nCaf\xe9 has 5 troops.\n")
    long_sentence = "The U.S. has " + ", ".join(f"{n} troops in base {n}" for n in range(400)) + "."
    assert len(long_sentence) > MAX_SENTENCE_CHARS
    (drafts / "d_long.md").write_text(f"Intro has 7 troops.\n\n{long_sentence}\n", encoding="utf-8")
    (drafts / "e_utf16.md").write_bytes("Officials said 900 troops remain in Syria.\r\n".encode("utf-16"))
    return drafts


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.8)})
    monkeypatch.setattr(lint_cli, "_default_judge", lambda sources, index, top_k=8: judge)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("FACTCHECK_CONFIG", raising=False)
    return lambda *args: CliRunner().invoke(lint_cli.lint, list(args), catch_exceptions=False)


def test_bad_drafts_are_findings_and_the_rest_is_checked(tmp_path: Path, folder: Path) -> None:
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.8)})
    report = lint([folder], judge=judge, config=LintConfig(root=tmp_path))
    assert [(e.path, e.line, e.column) for e in report.errors] == [
        ("drafts/b_nul.md", 2, 10),
        ("drafts/c_latin1.md", 3, 4),
        ("drafts/d_long.md", 3, 1),
    ]
    nul, latin1, long = (e.message for e in report.errors)
    assert nul == "binary file (NUL byte), not a draft"
    assert latin1 == "not valid UTF-8 (byte 16)"
    assert long.startswith("sentence is ") and "the limit is 2,000: not checked" in long
    checked = [c for call in judge.calls for c in call]
    assert "The U.S. has 5,200 troops in Iraq." in checked
    assert "Intro has 7 troops." in checked  # the long sentence's neighbour is still checked
    assert "Officials said 900 troops remain in Syria." in checked  # UTF-16 with BOM
    assert not any(len(c) > MAX_SENTENCE_CHARS for c in checked)
    assert "1 contradicted" in lint_summary(report) and "3 errors: not checked (FC001)" in lint_summary(report)


def lint_summary(report) -> str:
    from factcheck.lint import summary_line

    return summary_line(report)


def test_cli_exits_2_with_findings_for_the_rest(cli, folder: Path) -> None:
    result = cli("drafts")
    assert result.exit_code == 2
    assert "drafts/a_good.md:3:1: error [FC101]" in result.stdout
    assert "drafts/b_nul.md:2:10: error [FC001] binary file (NUL byte), not a draft" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert [e.split(": ")[1] for e in errors] == [
        "drafts/b_nul.md:2:10",
        "drafts/c_latin1.md:3:4",
        "drafts/d_long.md:3:1",
    ]
    assert "Traceback" not in result.stderr


def test_exit_zero_does_not_hide_unreadable_drafts(cli, folder: Path) -> None:
    assert cli("drafts", "--exit-zero").exit_code == 2


def test_sarif_carries_errors_as_results_and_notifications(cli, folder: Path) -> None:
    result = cli("drafts", "--format", "sarif")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["locations"][0]["physicalLocation"]["region"]["startLine"]) for n in notes] == [
        ("error", 2),
        ("error", 3),
        ("error", 3),
    ]
    assert {r["ruleId"] for r in run["results"]} >= {"FC001", "FC101"}


def test_github_and_json_carry_errors(cli, folder: Path) -> None:
    github = cli("drafts", "--format", "github").stdout
    assert "::error file=drafts/b_nul.md,line=2," in github
    report = json.loads(cli("drafts", "--format", "json").stdout)
    rules = [f["rule"] for group in report["files"] for f in group["findings"]]
    assert rules.count("FC001") == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_draft_is_a_finding(cli, folder: Path) -> None:
    (folder / "a_good.md").chmod(0)
    try:
        result = cli("drafts")
    finally:
        (folder / "a_good.md").chmod(0o644)
    assert "drafts/a_good.md:1:1: error [FC001] cannot read (Permission denied)" in result.stdout


def test_utf16_big_endian_and_stdin(cli, tmp_path: Path) -> None:
    (tmp_path / "be.md").write_bytes(b"\xfe\xff" + "The U.S. has 5,200 troops in Iraq.\n".encode("utf-16-be"))
    result = cli("be.md")
    assert result.exit_code == 1 and "be.md:1:1: error [FC101]" in result.stdout
    result = CliRunner().invoke(lint_cli.lint, ["-"], input=b"caf\xe9 5,200 troops.\n")
    assert result.exit_code == 2 and "<stdin>:1:4: error [FC001] not valid UTF-8" in result.stdout
