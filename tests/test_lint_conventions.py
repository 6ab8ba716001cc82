"""The conventions ruff, eslint, Vale and markdownlint users expect of ``factcheck lint`` (issue 10):
--quiet, --statistics, --select/--ignore, colour, --stdin-filename, same-line ignore comments,
unknown rules in comments, ``factcheck rule``, rule docs in the repository, no path = the
configured include, evidence in GitHub annotations.

The engine is the test_lint ``FakeJudge`` (real Verdict records).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_lint import FakeJudge

from factcheck import lint_cli
from factcheck.cli import main
from factcheck.lint import RULES, rules_markdown

REPO = Path(__file__).resolve().parent.parent
DRAFT = (
    "# Troops\n\n"
    "The U.S. has 5,200 troops in Iraq.\n\n"
    "Officials said 900 troops remain in Syria.\n\n"
    "Iraq has 5,200 tanks.\n"
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.8), "900": ("unverified", "", 0.1)})
    monkeypatch.setattr(lint_cli, "_default_judge", lambda sources, index, top_k=8: judge)
    monkeypatch.chdir(tmp_path)
    for var in ("GITHUB_ACTIONS", "FACTCHECK_CONFIG", "NO_COLOR", "FACTCHECK_DOCS_URL"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")

    def invoke(*args: str, **kwargs):
        return CliRunner().invoke(lint_cli.lint, list(args), catch_exceptions=False, **kwargs)

    return invoke


def test_quiet_prints_findings_only(cli) -> None:
    loud = cli("draft.md")
    quiet = cli("draft.md", "-q")
    assert loud.stdout.endswith("3 claims: 0 supported, 2 contradicted, 0 disputed, 1 unverified\n")
    assert quiet.exit_code == 1 and "claims:" not in quiet.stdout
    assert quiet.stdout == loud.stdout.removesuffix("3 claims: 0 supported, 2 contradicted, 0 disputed, 1 unverified\n")


def test_statistics_counts_per_rule(cli) -> None:
    result = cli("draft.md", "--statistics")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2  FC101  contradicted-number",
        "1  FC301  unverified",
        "3 claims: 0 supported, 2 contradicted, 0 disputed, 1 unverified",
    ]
    refused = cli("draft.md", "--statistics", "--format", "json")
    assert refused.exit_code == 2 and "--statistics" in refused.stderr


@pytest.mark.parametrize(
    ("args", "rules"),
    [
        (("--select", "FC1"), ["FC101", "FC101"]),
        (("--select", "FC301"), ["FC301"]),
        (("--ignore", "FC301"), ["FC101", "FC101"]),
        (("--ignore", "FC1,FC3"), []),
        (("--select", "fc1", "--ignore", "FC101"), []),
    ],
)
def test_select_and_ignore(cli, args: tuple[str, ...], rules: list[str]) -> None:
    result = cli("draft.md", "--format", "json", *args)
    found = [f["rule"] for group in json.loads(result.stdout)["files"] for f in group["findings"]]
    assert found == rules
    assert result.exit_code == (1 if "FC101" in rules else 0)


def test_unknown_rule_in_select_or_ignore_is_an_error(cli) -> None:
    for option in ("--select", "--ignore"):
        result = cli("draft.md", option, "FC999")
        assert result.exit_code == 2 and "FC999" in result.stderr and "names no rule" in result.stderr


def test_select_in_config(cli, tmp_path: Path) -> None:
    (tmp_path / ".factcheck.toml").write_text('select = ["FC3"]\n', encoding="utf-8")
    result = cli("draft.md", "-q")
    assert result.exit_code == 0 and result.stdout.count("[FC301]") == 1 and "FC101" not in result.stdout


def test_colour_on_request_and_never_in_files(cli, tmp_path: Path) -> None:
    coloured = cli("draft.md", "--color")
    assert "\x1b[" in coloured.stdout and "draft.md:3:1:" in coloured.stdout
    assert "\x1b[" not in cli("draft.md").stdout  # not a terminal: no colour
    assert "\x1b[" not in cli("draft.md", "--no-color").stdout
    cli("draft.md", "-o", "report.txt")
    assert "\x1b[" not in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_stdin_filename_names_the_draft(cli) -> None:
    result = cli("-", "--stdin-filename", "drafts/new.md", input="Text.\n\nThe U.S. has 5,200 troops in Iraq.\n")
    assert result.exit_code == 1 and "drafts/new.md:3:1: error [FC101]" in result.stdout
    plain = cli("-", "--stdin-filename", "notes.txt", input="The U.S. has 5,200 troops in Iraq.\n")
    assert "notes.txt:1:1: error [FC101]" in plain.stdout


def test_same_line_ignore_comment(cli, tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(
        "The U.S. has 5,200 troops in Iraq. <!-- factcheck: ignore FC101 -->\nIraq has 5,200 tanks.\n",
        encoding="utf-8",
    )
    result = cli("draft.md")
    assert "draft.md:1:1" not in result.stdout and "draft.md:2:1: error [FC101]" in result.stdout
    assert "1 suppressed" in result.stdout


def test_ignore_comment_naming_an_unknown_rule_is_warned(cli, tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text("<!-- factcheck: ignore FC999 -->\nThe U.S. has 5,200 troops.\n")
    result = cli("draft.md")
    assert "warning: draft.md:1:1: suppression comment names unknown rule FC999" in result.stderr
    assert "error [FC101]" in result.stdout  # it suppressed nothing


def test_rule_command_prints_the_documentation() -> None:
    result = CliRunner().invoke(main, ["rule", "FC101"])
    assert result.exit_code == 0
    assert result.stdout.startswith("## FC101 contradicted-number\n") and "suppress" in result.stdout
    every = CliRunner().invoke(main, ["rule"])
    assert every.stdout == rules_markdown()
    unknown = CliRunner().invoke(main, ["rule", "FC999"])
    assert unknown.exit_code == 2 and "unknown rule 'FC999'" in unknown.stderr


def test_rule_docs_in_the_repository_match_the_rules() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == rules_markdown(), "regenerate docs/rules.md: factcheck rule > docs/rules.md"
    for rule_id in RULES:
        assert f'<a id="{rule_id.lower()}"></a>' in text


def test_no_path_lints_the_configured_include(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "drafts" / "sub").mkdir(parents=True)
    (tmp_path / "drafts" / "sub" / "a.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / ".venv" / "drafts").mkdir(parents=True)
    (tmp_path / ".venv" / "drafts" / "x.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.factcheck]\ninclude = ["drafts/**/*.md"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "drafts")  # from a subfolder too
    result = cli("-q")
    assert result.exit_code == 1
    assert {line.split(":")[0] for line in result.stdout.splitlines() if not line.startswith(" ")} == {"sub/a.md"}


def test_no_path_without_include_is_a_clear_error(cli) -> None:
    result = cli()
    assert result.exit_code == 2 and "give the drafts to check" in result.stderr and "include" in result.stderr


def test_walks_skip_hidden_folders_sources_and_index(cli, tmp_path: Path) -> None:
    for folder in (".git", "node_modules", "sources", "index"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.md").write_text(DRAFT, encoding="utf-8")
    result = cli(".", "-q")
    assert {line.split(":")[0] for line in result.stdout.splitlines() if not line.startswith(" ")} == {"draft.md"}


def test_github_annotations_carry_the_quoted_evidence(cli) -> None:
    result = cli("draft.md", "--format", "github")
    (line,) = [x for x in result.stdout.splitlines() if "line=3," in x]
    message = line.split("::", 2)[2]
    assert "%0Acontradicts: Reuters, 2024-09-06" in message
    assert "“The U.S. has approximately 2,500 troops in Iraq.”" in message


def test_progress_is_reported_in_batches_and_verdicts_are_the_same() -> None:
    from factcheck.lint import PROGRESS_BATCH, judge_all

    claims = [f"Iraq has {n} bases." for n in range(PROGRESS_BATCH * 2 + 7)]
    seen: list[tuple[int, int]] = []
    plain, batched = FakeJudge(), FakeJudge()
    assert judge_all(batched, claims, lambda done, total: seen.append((done, total))) == judge_all(plain, claims)
    assert len(plain.calls) == 1 and [len(c) for c in batched.calls] == [PROGRESS_BATCH, PROGRESS_BATCH, 7]
    total = len(claims)
    assert seen == [(PROGRESS_BATCH, total), (2 * PROGRESS_BATCH, total), (total, total)]


def test_no_progress_bar_off_a_terminal_or_in_ci(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.lint import LintConfig

    assert lint_cli._first_use_build(LintConfig()) is None  # stderr is not a terminal here
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    assert lint_cli._first_use_build(LintConfig()) is None
    result = cli("draft.md")
    assert "checking claims" not in result.stderr and "indexing" not in result.stderr


def test_eval_reports_progress_per_batch(corpus, tmp_path: Path) -> None:
    from factcheck.evaluate import evaluate, load_claims

    claims = tmp_path / "claims.jsonl"
    lines = [
        '{"claim": "About 2,500 U.S. troops remain in Iraq.", "label": "supported"}',
        '{"claim": "The U.S. has 5,200 troops in Iraq today.", "label": "contradicted"}',
        '{"claim": "About 900 U.S. troops are in Syria.", "label": "supported"}',
    ]
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    result = evaluate(
        load_claims(claims),
        sources=corpus.sources,
        index=corpus.index,
        batch=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(2, 3), (3, 3)] and result.n == 3
