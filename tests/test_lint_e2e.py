"""`factcheck lint` end to end: a markdown draft checked by the real engine on the shared index."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DRAFT = textwrap.dedent(
    """\
    ---
    title: Draft on troops in Iraq
    figure: 5,200 troops
    ---
    # U.S. troops in Iraq

    About 5,200 American troops are stationed in *Iraq* today.

    ```
    The U.S. has 5,200 troops in Iraq today.
    ```

    <!-- The U.S. has 5,200 troops in Iraq today. -->

    - **France** announced it would withdraw from its primary base in Iraq by the end of July.
    - This is a story worth following.

    About 900 U.S. troops are deployed in [Syria](https://example.com/5200-troops).
    """
)


def run_lint(tmp_path: Path, corpus, *args: str) -> subprocess.CompletedProcess[str]:
    draft = tmp_path / "draft.md"
    if not draft.exists():
        draft.write_text(DRAFT, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "factcheck",
            "lint",
            str(draft),
            "--sources",
            str(corpus.sources),
            "--index",
            str(corpus.index),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )


@pytest.fixture(scope="module")
def lint_json(tmp_path_factory, corpus):
    tmp = tmp_path_factory.mktemp("lint")
    result = run_lint(tmp, corpus, "--format", "json", "--show-supported")
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def findings(report: dict) -> list[dict]:
    return [item for group in report["files"] for item in group["findings"]]


def test_each_claim_is_found_at_its_exact_place_with_the_right_rule(lint_json):
    items = sorted(findings(lint_json), key=lambda d: (d["line"], d["column"]))
    got = [(d["line"], d["column"], d["end_line"], d["end_column"], d["rule"], d["verdict"]) for d in items]
    assert got == [
        # line 5, the heading "U.S. troops in Iraq", states no figure or date: a title, not a claim
        (7, 1, 7, 59, "FC107", "contradicted"),  # outdated: 5,200 was the 2020 level
        (15, 5, 15, 91, "FC103", "contradicted"),  # France for Spain (the span starts at "France", inside **)
        (18, 1, 18, 80, "FC000", "supported"),
    ]


def test_nothing_comes_from_front_matter_code_or_comments(lint_json):
    lines = {d["line"] for d in findings(lint_json)}
    assert not lines & {2, 3, 10, 13}


def test_messages_name_the_figures_and_the_source(lint_json):
    by_rule = {d["rule"]: d for d in findings(lint_json)}
    message = by_rule["FC107"]["message"]
    assert "5,200" in message and "2,500" in message and "2024" in message
    assert "Spain" in by_rule["FC103"]["message"]


def test_fail_on_never_exits_zero_and_text_has_a_summary(tmp_path, corpus):
    result = run_lint(tmp_path, corpus, "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    assert "draft.md:7:1: error [FC107]" in result.stdout
    assert "3 claims: 1 supported, 2 contradicted, 0 disputed, 0 unverified" in result.stdout


def lint_fixture(name: str, tmp_path: Path, corpus) -> subprocess.CompletedProcess[str]:
    """`factcheck lint --format json` of a draft in tests/fixtures, on the shared index."""
    draft = Path(__file__).parent / "fixtures" / name
    return subprocess.run(
        [sys.executable, "-m", "factcheck", "lint", str(draft), "--sources", str(corpus.sources),
         "--index", str(corpus.index), "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip


def test_true_restatements_of_the_sources_raise_nothing(tmp_path, corpus):
    """Twenty-five sentences written here that restate the bundled articles truly, one per line (so that two run
    together is caught too): a linter's worst answer is a false error on such a sentence. Each was once read
    wrong (a count taken into a name, a country saying where a place is read as a swap, two claims run
    together after "U.S.", a month used as an adjective not read as a date, an "and" read into a "before" /
    "after" anchor, an opposite action of another year, an actor who "also" did it, a figure of one change
    compared with another)."""
    result = lint_fixture("true-restatements.md", tmp_path, corpus)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert findings(report) == []
    assert report["summary"]["claims"] == report["summary"]["supported"] == 25


def test_restatements_with_a_fact_turned_are_each_an_error(tmp_path, corpus):
    """The same kind of sentences with one fact turned in each (a figure, an owner's count, a figure in another
    country, an opposite action, a word against its prefixed opposite, "after" against "before"): each
    line is one error, at its own line, naming the source's fact."""
    result = lint_fixture("turned-facts.md", tmp_path, corpus)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    errors = [f for f in findings(report) if f["severity"] == "error"]
    assert sorted({f["line"] for f in errors}) == list(range(3, 10))
    assert report["summary"]["claims"] == report["summary"]["contradicted"] == 7
    messages = " ".join(f["message"] for f in errors)
    for fact in ("hundreds", "three Iraqi officials", "three American troops", "900", "leave"):
        assert fact in messages
    assert "instability" in messages and "before" in messages
