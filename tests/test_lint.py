from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.lint import (
    RULES,
    LintConfig,
    exit_code,
    fingerprint,
    lint,
    load_baseline,
    message_for,
    normalise_claim,
    rule_for,
    summary_line,
    write_baseline,
)
from factcheck.records import Evidence, Passage, SourceInfo, Verdict

REUTERS = SourceInfo(
    id="000", title="US to end Iraq mission", publisher="Reuters", published=date(2024, 9, 6), path="sources/000.txt"
)
PASSAGE = Passage(
    doc_id="000",
    ordinal=3,
    text="The U.S. has approximately 2,500 troops in Iraq.",
    start=120,
    end=168,
    line=2,
    column=5,
)


def evidence(stance: str = "contradicts", text: str = PASSAGE.text) -> Evidence:
    passage = Passage(PASSAGE.doc_id, PASSAGE.ordinal, text, PASSAGE.start, PASSAGE.end, PASSAGE.line, PASSAGE.column)
    return Evidence(passage=passage, source=REUTERS, stance=stance, score=0.9, reason="", aspect="number")


class FakeJudge:
    """A judge function built from real Verdict records, keyed on words in the claim."""

    def __init__(self, rules: dict[str, tuple[str, str, float]] | None = None) -> None:
        self.rules = rules or {}
        self.calls: list[list[str]] = []

    def __call__(self, claims: list[str]) -> list[Verdict]:
        self.calls.append(list(claims))
        return [self.verdict(claim) for claim in claims]

    def verdict(self, claim: str) -> Verdict:
        for word, (label, aspect, confidence) in self.rules.items():
            if word in claim:
                stance = "supports" if label == "supported" else "contradicts"
                ev = () if label == "unverified" else (evidence(stance),)
                return Verdict(claim, label, confidence, f"says {word}", ev, aspect)
        return Verdict(claim, "supported", 0.9, "matches", (evidence("supports"),), "number")


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    root = tmp_path / "drafts"
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text(
        "# Troops\n\nThe U.S. has 5,200 troops in Iraq. This is a sad day.\n\nGen. Smith arrived on Sept. 3.\n",
        encoding="utf-8",
    )
    (root / "sub" / "b.txt").write_text("Officials said 900 troops remain in Syria.\n", encoding="utf-8")
    (root / "notes.rst").write_text("Not a draft 5.\n", encoding="utf-8")
    return root


def config(tmp_path: Path, **changes: object) -> LintConfig:
    return LintConfig(root=tmp_path, **changes)  # type: ignore[arg-type]


def test_judge_called_once_with_every_checkworthy_sentence(tmp_path, drafts):
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.8)})
    report = lint([drafts], judge=judge, config=config(tmp_path))
    assert judge.calls == [
        [
            "The U.S. has 5,200 troops in Iraq.",
            "Gen. Smith arrived on Sept. 3.",
            "Officials said 900 troops remain in Syria.",
        ]
    ]
    assert report.files == ("drafts/a.md", "drafts/sub/b.txt")
    (finding,) = report.diagnostics
    assert (finding.path, finding.line, finding.column, finding.end_line, finding.end_column) == (
        "drafts/a.md",
        3,
        1,
        3,
        35,
    )
    assert (finding.rule, finding.rule_name, finding.severity) == ("FC101", "contradicted-number", "error")
    assert finding.message == ("says 5,200; Reuters, 2024-09-06: “The U.S. has approximately 2,500 troops in Iraq.”")


def test_duplicate_claims_are_judged_once_but_reported_twice(tmp_path):
    (tmp_path / "a.md").write_text("Iraq has 5 bases.\n\nIraq has 5 bases.\n", encoding="utf-8")
    judge = FakeJudge({"5 bases": ("contradicted", "number", 0.9)})
    report = lint([tmp_path / "a.md"], judge=judge, config=config(tmp_path))
    assert judge.calls == [["Iraq has 5 bases."]]
    assert [d.line for d in report.diagnostics] == [1, 3]


def test_no_claims_means_no_judge_call(tmp_path):
    (tmp_path / "a.md").write_text("This is a sad day.\n", encoding="utf-8")
    judge = FakeJudge()
    report = lint([tmp_path / "a.md"], judge=judge, config=config(tmp_path))
    assert judge.calls == [] and report.results == () and exit_code(report, "unverified") == 0


def test_all_sentences_sends_opinion_too(tmp_path):
    (tmp_path / "a.md").write_text("This is a sad day.\n", encoding="utf-8")
    judge = FakeJudge()
    lint([tmp_path / "a.md"], judge=judge, config=config(tmp_path, all_sentences=True))
    assert judge.calls == [["This is a sad day."]]


@pytest.mark.parametrize(
    ("label", "aspect", "rule"),
    [
        ("contradicted", "number", "FC101"),
        ("contradicted", "date", "FC102"),
        ("contradicted", "actor", "FC103"),
        ("contradicted", "place", "FC104"),
        ("contradicted", "polarity", "FC105"),
        ("contradicted", "order", "FC106"),
        ("contradicted", "time", "FC107"),
        ("contradicted", "text", "FC100"),
        ("contradicted", "", "FC100"),
        ("disputed", "number", "FC201"),
        ("unverified", "", "FC301"),
        ("supported", "number", "FC000"),
    ],
)
def test_rule_for(label, aspect, rule):
    assert rule_for(Verdict("c", label, 0.5, "", (), aspect)).id == rule


def test_every_rule_has_metadata():
    for rule in RULES.values():
        assert rule.name and rule.short and rule.full and rule.severity in ("error", "warning", "info")


def test_supported_hidden_unless_show_supported(tmp_path, drafts):
    judge = FakeJudge()
    assert lint([drafts], judge=judge, config=config(tmp_path)).diagnostics == ()
    shown = lint([drafts], judge=judge, config=config(tmp_path, show_supported=True)).diagnostics
    assert [d.rule for d in shown] == ["FC000"] * 3
    assert all(d.severity == "info" for d in shown)


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [
        ("contradicted", {"contradicted": 1, "disputed": 0, "unverified": 0}),
        ("disputed", {"contradicted": 1, "disputed": 1, "unverified": 0}),
        ("unverified", {"contradicted": 1, "disputed": 1, "unverified": 1}),
        ("never", {"contradicted": 0, "disputed": 0, "unverified": 0}),
    ],
)
def test_exit_code_levels_include_the_ones_before(tmp_path, fail_on, expected):
    for label, code in expected.items():
        (tmp_path / "a.md").write_text("Iraq has 5 bases.\n", encoding="utf-8")
        judge = FakeJudge({"5 bases": (label, "number", 0.9)})
        report = lint([tmp_path / "a.md"], judge=judge, config=config(tmp_path, fail_on=fail_on))
        assert exit_code(report, fail_on) == code, (fail_on, label)
        assert exit_code(report) == code


def test_min_confidence_and_disable(tmp_path, drafts):
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.4), "900": ("disputed", "number", 0.9)})
    report = lint([drafts], judge=judge, config=config(tmp_path, min_confidence=0.5))
    assert [d.rule for d in report.diagnostics] == ["FC201"]
    report = lint([drafts], judge=judge, config=config(tmp_path, disable=frozenset({"FC201"})))
    assert [d.rule for d in report.diagnostics] == ["FC101"]
    assert summary_line(report) == ("3 claims: 1 supported, 1 contradicted, 1 disputed, 0 unverified (1 disabled)")


def test_suppressions_and_unused_suppressions(tmp_path):
    (tmp_path / "a.md").write_text(
        "<!-- factcheck: ignore FC101 -->\nIraq has 5 bases.\n\n"
        "<!-- factcheck: ignore FC102 -->\nIraq has 6 ships.\n\n"
        "<!-- factcheck: ignore -->\nThe talks ended in May.\n",
        encoding="utf-8",
    )
    wrong = ("contradicted", "number", 0.9)
    judge = FakeJudge({"5 bases": wrong, "6 ships": wrong})
    report = lint([tmp_path / "a.md"], judge=judge, config=config(tmp_path))
    assert [(d.line, d.rule) for d in report.diagnostics] == [(5, "FC101")]
    assert [r.status for r in report.results] == ["suppressed", "reported", "supported"]
    assert [(s.line, s.rules) for s in report.unused_suppressions] == [(4, ("FC102",)), (7, ())]


def test_baseline_survives_edits_elsewhere(tmp_path):
    draft = tmp_path / "a.md"
    draft.write_text("Iraq has 5 bases.\n", encoding="utf-8")
    judge = FakeJudge({"bases": ("contradicted", "number", 0.9), "ships": ("contradicted", "number", 0.9)})
    report = lint([draft], judge=judge, config=config(tmp_path))
    baseline = tmp_path / "baseline.json"
    write_baseline(report, baseline)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["entries"] == [{"path": "a.md", "rule": "FC101", "claim": "iraq has 5 bases."}]

    draft.write_text("# New heading\n\nIraq has 7 ships.\n\nIraq  has 5 bases.\n", encoding="utf-8")
    report = lint([draft], judge=judge, config=config(tmp_path, baseline=baseline))
    assert [d.text for d in report.diagnostics] == ["Iraq has 7 ships."]
    assert report.status_count("baselined") == 1
    assert exit_code(report, "contradicted") == 1


def test_baseline_counts_duplicates(tmp_path):
    draft = tmp_path / "a.md"
    draft.write_text("Iraq has 5 bases.\n", encoding="utf-8")
    judge = FakeJudge({"bases": ("contradicted", "number", 0.9)})
    baseline = tmp_path / "baseline.json"
    write_baseline(lint([draft], judge=judge, config=config(tmp_path)), baseline)
    draft.write_text("Iraq has 5 bases.\n\nIraq has 5 bases.\n", encoding="utf-8")
    report = lint([draft], judge=judge, config=config(tmp_path, baseline=baseline))
    assert [d.line for d in report.diagnostics] == [3]


def test_bad_baseline_is_an_input_error(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="b.json: not a factcheck baseline"):
        load_baseline(bad)
    with pytest.raises(InputError, match="missing.json: baseline file not found"):
        load_baseline(tmp_path / "missing.json")


def test_normalise_claim():
    assert normalise_claim("  The “U.S.”  has\n2,500 ‘troops’ ") == "the \"u.s.\" has 2,500 'troops'"
    assert fingerprint("FC101", "The U.S.  has 5") == fingerprint("FC101", "the u.s. has 5")
    assert fingerprint("FC101", "x") != fingerprint("FC102", "x")


def test_message_prefers_contradicting_evidence():
    verdict = Verdict(
        "c",
        "disputed",
        0.6,
        "sources disagree",
        (evidence("supports", "A says 5."), evidence("contradicts", "B says 7.")),
        "number",
    )
    assert message_for(verdict) == "sources disagree; Reuters, 2024-09-06: “B says 7.”"
    assert message_for(Verdict("c", "unverified", 0.2, "", (), "")) == "no source mentions this"


def test_message_shortens_long_evidence():
    long = "word " * 100
    message = message_for(Verdict("c", "contradicted", 0.9, "says 5", (evidence("contradicts", long),)))
    assert message.endswith("…”") and len(message) < 220


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "1:1: binary file"),
        (b"caf\xe9 5 troops", "1:4: not valid UTF-8"),
    ],
)
def test_unreadable_files_are_fc001_findings_naming_the_file(tmp_path, content, message):
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    report = lint([bad], judge=FakeJudge(), config=config(tmp_path))
    (error,) = report.errors
    assert f"{error.path}:{error.line}:{error.column}: {error.message}".startswith(f"bad.md:{message}")
    assert error.rule == "FC001" and report.diagnostics == (error,) and exit_code(report) == 2


def test_missing_path_and_empty_directory(tmp_path):
    with pytest.raises(InputError, match="nope.md: no such file or directory"):
        lint([tmp_path / "nope.md"], judge=FakeJudge(), config=config(tmp_path))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="empty: no drafts found"):
        lint([tmp_path / "empty"], judge=FakeJudge(), config=config(tmp_path))


def test_include_and_exclude_globs(tmp_path, drafts):
    judge = FakeJudge()
    report = lint([drafts], judge=judge, config=config(tmp_path, exclude=("sub/",)))
    assert report.files == ("drafts/a.md",)
    report = lint([drafts], judge=judge, config=config(tmp_path, include=("*.txt",)))
    assert report.files == ("drafts/sub/b.txt",)
    report = lint([drafts], judge=judge, config=config(tmp_path, include=("*.rst",)))
    assert report.files == ("drafts/notes.rst",)


def test_stdin(tmp_path):
    judge = FakeJudge({"5": ("contradicted", "number", 0.9)})
    report = lint(["-"], judge=judge, config=config(tmp_path), stdin="Iraq has 5 bases.\n")
    assert [(d.path, d.line) for d in report.diagnostics] == [("<stdin>", 1)]


def test_wrong_number_of_verdicts_is_an_error(tmp_path):
    (tmp_path / "a.md").write_text("Iraq has 5 bases.\n", encoding="utf-8")
    with pytest.raises(Exception, match="returned 0 verdicts for 1 claims"):
        lint([tmp_path / "a.md"], judge=lambda claims: [], config=config(tmp_path))


def test_summary_line(tmp_path, drafts):
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.8), "900": ("unverified", "", 0.1)})
    report = lint([drafts], judge=judge, config=config(tmp_path))
    assert summary_line(report) == "3 claims: 1 supported, 1 contradicted, 0 disputed, 1 unverified"


# --------------------------------------------------------------------------- CLI (factcheck.lint_cli)

from click.testing import CliRunner  # noqa: E402

from factcheck import lint_cli  # noqa: E402


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run `factcheck lint` in tmp_path with a fake judge; returns (invoke, judge)."""
    judge = FakeJudge({"5,200": ("contradicted", "number", 0.8), "900": ("unverified", "", 0.1)})
    seen: dict[str, object] = {}

    def fake_default_judge(sources, index, top_k=8):
        seen.update(sources=sources, index=index, top_k=top_k)
        return judge

    monkeypatch.setattr(lint_cli, "_default_judge", fake_default_judge)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("FACTCHECK_CONFIG", raising=False)

    def invoke(*args: str, command=lint_cli.lint, **kwargs):
        return CliRunner().invoke(command, list(args), catch_exceptions=False, **kwargs)

    return invoke, judge, seen


def test_cli_text_and_exit_codes(cli, drafts):
    invoke, judge, _ = cli
    result = invoke("drafts")
    assert result.exit_code == 1
    assert result.stdout.startswith("drafts/a.md:3:1: error [FC101] says 5,200; Reuters, 2024-09-06:")
    assert result.stdout.endswith("3 claims: 1 supported, 1 contradicted, 0 disputed, 1 unverified\n")
    assert len(judge.calls) == 1
    assert invoke("drafts", "--exit-zero").exit_code == 0
    assert invoke("drafts", "--fail-on", "never").exit_code == 0
    assert invoke("drafts", "--min-confidence", "0.9").exit_code == 0
    assert invoke("drafts", "--min-confidence", "0.9", "--fail-on", "unverified").exit_code == 0
    assert invoke("drafts", "--fail-on", "unverified").exit_code == 1


def test_cli_formats_and_output_file(cli, drafts, tmp_path):
    invoke, _, _ = cli
    result = invoke("drafts", "--format", "sarif", "--output", "out.sarif")
    assert result.exit_code == 1 and result.stdout == ""
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"][0]["ruleId"] == "FC101"
    result = invoke("drafts", "--format", "json")
    assert json.loads(result.stdout)["summary"]["contradicted"] == 1
    result = invoke("drafts", "--format", "junit", "--fail-on", "unverified")
    assert result.stdout.count("<testcase ") == 3 and result.stdout.count("<failure ") == 2


def test_cli_defaults_to_github_on_actions(cli, drafts, monkeypatch):
    invoke, _, _ = cli
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert invoke("drafts").stdout.startswith("::error file=drafts/a.md,line=3,")
    assert invoke("drafts", "--format", "text").stdout.startswith("drafts/a.md:3:1:")


def test_cli_config_file_and_flags(cli, drafts, tmp_path):
    invoke, _, seen = cli
    (tmp_path / ".factcheck.toml").write_text(
        'sources = "news"\nfail-on = "unverified"\ntop-k = 3\nformat = "json"\n', encoding="utf-8"
    )
    result = invoke("drafts")
    assert result.exit_code == 1 and json.loads(result.stdout)["version"] == 1
    assert seen == {"sources": (tmp_path / "news").resolve(), "index": Path("index"), "top_k": 3}
    invoke("drafts", "--sources", "other")
    assert seen["sources"] == Path("other")


def test_cli_errors_are_one_line_on_stderr_with_exit_2(cli, tmp_path):
    invoke, _, _ = cli
    result = invoke("missing.md", "--format", "sarif")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: missing.md: no such file or directory\n"
    (tmp_path / ".factcheck.toml").write_text("colour = 1\n", encoding="utf-8")
    result = invoke("missing.md")
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "unknown key 'colour'" in result.stderr


def test_cli_engine_crash_is_one_line(cli, drafts, monkeypatch):
    invoke, _, _ = cli

    def broken(sources, index, top_k=8):
        def judge(claims):
            raise RuntimeError("model exploded\nwith details")

        return judge

    monkeypatch.setattr(lint_cli, "_default_judge", broken)
    result = invoke("drafts", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: internal error: RuntimeError: model exploded\n"


def test_cli_stdin_and_baseline_round_trip(cli, tmp_path):
    invoke, _, _ = cli
    result = invoke("-", "--write-baseline", "base.json", input="The U.S. has 5,200 troops.\n")
    assert result.exit_code == 1 and "<stdin>:1:1: error [FC101]" in result.stdout
    result = invoke("-", "--baseline", "base.json", input="Intro 1.\n\nThe U.S. has 5,200 troops.\n")
    assert result.exit_code == 0


def test_config_command_prints_origins(cli, tmp_path):
    invoke, _, _ = cli
    (tmp_path / "pyproject.toml").write_text('[tool.factcheck]\nfail-on = "disputed"\n', encoding="utf-8")
    result = invoke(command=lint_cli.config)
    assert result.exit_code == 0
    assert 'fail-on = "disputed"' in result.stdout and str(tmp_path / "pyproject.toml") in result.stdout
    assert "top-k = 8" in result.stdout and "# default" in result.stdout


def test_importing_the_cli_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, factcheck.lint_cli, factcheck.report.sarif, factcheck.config;"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'faiss', 'factcheck.api')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_message_does_not_double_quotes_and_supported_quotes_support():
    verdict = Verdict(
        "c",
        "supported",
        0.9,
        "agrees",
        (evidence("contradicts", "“No,” he said."), evidence("supports", "“Yes,” he said.")),
    )
    assert message_for(verdict) == "agrees; Reuters, 2024-09-06: “Yes,” he said.”"
