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


# ----------------------------------------------------------------------------- long lines and large files


def test_long_paragraph_is_cut_into_blocks_at_sentence_ends() -> None:
    from factcheck.draft import SAFE_BLOCK, _split_block, safe_blocks, split_sentences

    one = (
        "The U.S. had {n:,} troops in Iraq on Sept. 3, said Gen. Smith. Prices rose 3.2% in the year to March. "
        "Officials met in Washington on Jan. 5 with Gov. Brown and Prof. Jones of the Univ. of Iowa."
    )
    text = " ".join(one.format(n=n * 37) for n in range(120))
    blocks = safe_blocks(text)
    assert blocks[0][0] == 0 and blocks[-1][1] == len(text) and len(blocks) > 10
    assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:], strict=False))  # contiguous, nothing lost
    assert all(end - start <= 4 * SAFE_BLOCK and split for start, end, split in blocks)
    assert split_sentences(text) == _split_block(text)  # the same sentences as pysbd on the whole


def test_run_on_text_is_one_sentence_not_fragments() -> None:
    from factcheck.draft import SAFE_BLOCK, split_sentences

    run_on = "And then " + "and then " * 600  # 5,400 characters, no sentence end
    text = f"Officials said 900 troops remain in Syria. {run_on}it ended. The U.S. has 2,500 troops in Iraq."
    assert len(run_on) > 4 * SAFE_BLOCK
    assert [text[s:e][:20] for s, e in split_sentences(text)] == [
        "Officials said 900 t",
        "And then and then an",
        "The U.S. has 2,500 t",
    ]


def test_one_line_draft_of_many_sentences_is_read(tmp_path: Path) -> None:
    from factcheck.draft import read_draft

    sentence = "About {n:,} U.S. troops remain in Iraq, officials said on Sept. 3."
    text = " ".join(sentence.format(n=n) for n in range(3000)) + "\n"  # ~200 KB on one line
    draft = read_draft("one.md", text)
    assert len(draft.sentences) == 3000
    assert all(text[s.start : s.end] == s.text for s in draft.sentences[::97])


def test_draft_over_the_size_limit_is_an_fc001_finding(cli, tmp_path: Path) -> None:
    from factcheck.lint import MAX_DRAFT_BYTES

    (tmp_path / "big.md").write_bytes(b"The U.S. has 5,200 troops. " * (MAX_DRAFT_BYTES // 27 + 1))
    (tmp_path / "ok.md").write_text(GOOD, encoding="utf-8")
    result = cli("big.md", "ok.md")
    assert result.exit_code == 2
    assert "big.md:1:1: error [FC001] draft is 1.0 MB; the limit is 1 MB (split it)" in result.stdout
    assert "ok.md:3:1: error [FC101]" in result.stdout


def test_utf16_without_bom_is_a_finding_not_garbage(cli, tmp_path: Path) -> None:
    (tmp_path / "nobom.md").write_bytes("The U.S. has 5,200 troops in Iraq.\n".encode("utf-16-le"))
    result = cli("nobom.md")
    assert result.exit_code == 2 and "nobom.md:1:2: error [FC001] binary file (NUL byte)" in result.stdout


def test_cr_only_line_ends_keep_lines(cli, tmp_path: Path) -> None:
    (tmp_path / "cr.md").write_bytes(b"# Troops\r\rIntro.\r\rThe U.S. has 5,200 troops in Iraq.\r")
    result = cli("cr.md")
    assert result.exit_code == 1 and "cr.md:5:1: error [FC101]" in result.stdout


def test_twenty_megabyte_draft_is_refused_quickly_by_size(cli, tmp_path: Path) -> None:
    with (tmp_path / "huge.md").open("wb") as handle:
        handle.truncate(20_000_000)  # sparse: no 20 MB written
    result = cli("huge.md")
    assert result.exit_code == 2 and "huge.md:1:1: error [FC001] draft is 20.0 MB; the limit is 1 MB" in result.stdout


def test_junit_counts_unreadable_drafts_as_errors(cli, folder: Path) -> None:
    import xml.etree.ElementTree as ET

    result = cli("drafts", "--format", "junit")
    assert result.exit_code == 2
    suites = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert suites.get("errors") == "3"
    errors = [case.get("file") for case in suites.iter("testcase") if case.find("error") is not None]
    assert errors == ["drafts/b_nul.md", "drafts/c_latin1.md", "drafts/d_long.md"]


def test_one_line_draft_of_1_85_megabytes_is_refused_at_once(cli, tmp_path: Path) -> None:
    sentence = "About {n:,} U.S. troops remain in Iraq, officials said on Sept. 3. "
    with (tmp_path / "oneline.md").open("w", encoding="utf-8") as handle:
        n = 0
        while handle.tell() < 1_850_000:
            handle.write(sentence.format(n=n))
            n += 1
    (tmp_path / "ok.md").write_text(GOOD, encoding="utf-8")
    result = cli("oneline.md", "ok.md")
    assert result.exit_code == 2
    assert "oneline.md:1:1: error [FC001] draft is 1.9 MB; the limit is 1 MB (split it)" in result.stdout
    assert "ok.md:3:1: error [FC101]" in result.stdout  # the other draft is still checked
