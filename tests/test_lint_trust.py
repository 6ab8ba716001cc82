"""Regression tests: the linter never loses a draft and never runs silently with a wrong setup
(issue 10, items 4-5): output over an input, broken pyproject.toml, baselines used from another
folder or of an unknown version, excluded files named explicitly, README globs.

The engine is the test_lint ``FakeJudge`` (real Verdict records): these tests are about files and
configuration, not verdicts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_lint import FakeJudge

from factcheck import lint_cli
from factcheck.config import effective_config, lint_config
from factcheck.errors import ConfigError, InputError
from factcheck.lint import LintConfig, collect_files, lint, load_baseline

DRAFT = "# Troops\n\nThe U.S. has 5,200 troops in Iraq.\n"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.8)})
    monkeypatch.setattr(lint_cli, "_default_judge", lambda sources, index, top_k=8: judge)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("FACTCHECK_CONFIG", raising=False)

    def invoke(*args: str):
        return CliRunner().invoke(lint_cli.lint, list(args), catch_exceptions=False)

    return invoke


def one_error_line(result, *words: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


# ----------------------------------------------------------------------------- 4. output over an input


@pytest.mark.parametrize(
    "args",
    [
        ("-o", "draft.md", "draft.md"),
        ("--output", "./draft.md", "."),
        ("--write-baseline", "draft.md", "draft.md"),
    ],
    ids=["output-is-the-draft", "output-is-in-a-linted-folder", "write-baseline-is-the-draft"],
)
def test_no_output_replaces_a_draft(cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    one_error_line(cli(*args), "draft.md", "refusing to overwrite")
    assert (tmp_path / "draft.md").read_text(encoding="utf-8") == DRAFT


def test_output_over_the_baseline_being_read_is_refused(cli, tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    assert cli("draft.md", "--write-baseline", "base.json").exit_code == 1
    before = (tmp_path / "base.json").read_text(encoding="utf-8")
    one_error_line(cli("draft.md", "--baseline", "base.json", "-o", "base.json"), "base.json", "--baseline")
    one_error_line(cli("draft.md", "-o", "x.json", "--write-baseline", "x.json"), "x.json", "same file")
    assert (tmp_path / "base.json").read_text(encoding="utf-8") == before


# ----------------------------------------------------------------------------- 5. configuration


def test_broken_pyproject_is_an_error_not_the_defaults(cli, tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.factcheck]\nfail-on = "never"\nexclude = [\n', encoding="utf-8")
    one_error_line(cli("draft.md"), "pyproject.toml", "invalid TOML")


def test_broken_pyproject_of_another_tool_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.black\nline-length = 1\n", encoding="utf-8")
    settings = effective_config({}, cwd=tmp_path, environ={})
    assert settings["fail-on"] == ("contradicted", "default")


def test_pyproject_table_pasted_into_factcheck_toml(tmp_path: Path) -> None:
    (tmp_path / ".factcheck.toml").write_text('[tool.factcheck]\nfail-on = "never"\n', encoding="utf-8")
    settings = effective_config({}, cwd=tmp_path, environ={})
    assert settings["fail-on"][0] == "never"


def test_readme_include_glob_matches_as_gitignore_does(tmp_path: Path) -> None:
    (tmp_path / "drafts" / "archive").mkdir(parents=True)
    (tmp_path / "drafts" / "deep" / "er").mkdir(parents=True)
    for name in ("drafts/a.md", "drafts/deep/er/b.md", "drafts/archive/old.md", "drafts/c.txt", "top.md"):
        (tmp_path / name).write_text(DRAFT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.factcheck]\ninclude = ["drafts/**/*.md"]\nexclude = ["drafts/archive/**"]\n', encoding="utf-8"
    )
    elsewhere = tmp_path / "drafts" / "deep"  # run from a subfolder: globs stay relative to the config file
    config = lint_config(effective_config({}, cwd=elsewhere, environ={}), root=elsewhere)
    found = collect_files([tmp_path / "drafts"], config)
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in found) == ["drafts/a.md", "drafts/deep/er/b.md"]


def test_excluded_file_named_explicitly_gets_a_notice(cli, tmp_path: Path) -> None:
    (tmp_path / "drafts" / "archive").mkdir(parents=True)
    (tmp_path / "drafts" / "archive" / "old.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / ".factcheck.toml").write_text('exclude = ["drafts/archive/**"]\n', encoding="utf-8")
    result = cli("drafts/archive/old.md")
    assert result.exit_code == 0
    assert "warning: drafts/archive/old.md: not checked: excluded by the configuration" in result.stderr


# ----------------------------------------------------------------------------- 5. baselines


def test_baseline_works_from_another_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "drafts").mkdir()
    draft = tmp_path / "drafts" / "a.md"
    draft.write_text(DRAFT, encoding="utf-8")
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.9)})
    monkeypatch.chdir(tmp_path)
    report = lint([Path("drafts")], judge=judge, config=LintConfig())
    assert len(report.diagnostics) == 1
    from factcheck.lint import write_baseline

    write_baseline(report, tmp_path / ".factcheck-baseline.json")
    data = json.loads((tmp_path / ".factcheck-baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["entries"][0]["path"] == "drafts/a.md"
    monkeypatch.chdir(tmp_path / "drafts")  # e.g. a CI step with another working directory
    again = lint([Path("a.md")], judge=judge, config=LintConfig(baseline=Path("../.factcheck-baseline.json")))
    assert again.diagnostics == () and again.status_count("baselined") == 1


def test_baseline_matching_nothing_gets_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "b.json").write_text(
        json.dumps({"version": 2, "entries": [{"path": "other.md", "rule": "FC101", "claim": "x"}]}), encoding="utf-8"
    )
    report = lint(
        [Path("a.md")],
        judge=FakeJudge({"5,200": ("contradicted", "number", 0.9)}),
        config=LintConfig(baseline=Path("b.json")),
    )
    assert any("none of its 1 baseline entry matches" in n for n in report.notices), report.notices


def test_version_one_baseline_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "b.json").write_text(
        json.dumps(
            {
                "version": 1,
                "entries": [{"path": "a.md", "rule": "FC101", "claim": "the u.s. has 5,200 troops in iraq."}],
            }
        ),
        encoding="utf-8",
    )
    report = lint(
        [Path("a.md")],
        judge=FakeJudge({"5,200": ("contradicted", "number", 0.9)}),
        config=LintConfig(baseline=Path("b.json")),
    )
    assert report.status_count("baselined") == 1


@pytest.mark.parametrize("version", [99, 0, "2", None])
def test_unknown_baseline_version_is_refused(tmp_path: Path, version: object) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"version": version, "entries": []}), encoding="utf-8")
    with pytest.raises(InputError, match="b.json: baseline version .* is not supported"):
        load_baseline(path)


def test_config_error_type(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.factcheck\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="pyproject.toml: invalid TOML"):
        effective_config({}, cwd=tmp_path, environ={})
