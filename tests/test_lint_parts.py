"""lint on compound sentences: one finding per failing part, at the part's own line, column and end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.atomic import combine_parts
from factcheck.decompose import decompose
from factcheck.lint import LintConfig, exit_code, lint, load_baseline, write_baseline
from factcheck.records import PartVerdict, Verdict
from factcheck.report import lint_json, sarif

DRAFT = """\
# Troops

The combat mission formally ended on 9 December 2021, and *France* announced in June 2020
that it would withdraw from its primary base in Iraq by the end of July.

The U.S. has about 2,500 troops in Iraq, 900 in Syria and 3,000 in Kuwait.

About 2,500 U.S. troops remain in Iraq.
"""


class PartsJudge:
    """Splits claims as the engine does and judges each part by a word in it (no index, no model)."""

    RULES = {"France": ("contradicted", "actor"), "Kuwait": ("unverified", "")}

    def __call__(self, claims: list[str]) -> list[Verdict]:
        return [self.verdict(c) for c in claims]

    def judge(self, text: str) -> Verdict:
        for word, (label, aspect) in self.RULES.items():
            if word in text:
                return Verdict(text, label, 0.8, f"says {word}", (), aspect)
        return Verdict(text, "supported", 0.9, "agrees", ())

    def verdict(self, claim: str) -> Verdict:
        parts = decompose(claim)
        if len(parts) == 1:
            return self.judge(claim)
        judged = [
            PartVerdict(k, p.text, p.quoted(claim), p.kind, p.start, p.end, p.spans, self.judge(p.text))
            for k, p in enumerate(parts, 1)
        ]
        return combine_parts(claim, judged)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.md"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def run(draft: Path, judge=None, **config) -> object:
    return lint([draft], judge=judge or PartsJudge(), config=LintConfig(root=draft.parent, **config))


def test_each_failing_part_is_its_own_finding_at_its_own_place(draft):
    report = run(draft)
    found = [(d.rule, d.line, d.column, d.end_line, d.end_column, d.part, d.parts) for d in report.diagnostics]
    assert found == [
        ("FC103", 3, 60, 4, 72, 2, 2),  # "France announced … July", after the emphasis mark
        ("FC301", 6, 59, 6, 74, 3, 3),  # "3,000 in Kuwait"
    ]
    text = DRAFT
    france = report.diagnostics[0]
    assert text[france.start : france.end].startswith("France* announced in June 2020\nthat it")
    assert france.message.startswith("part 2 of 2, ‘France announced in June 2020 that it")
    assert text[report.diagnostics[1].start : report.diagnostics[1].end] == "3,000 in Kuwait"
    assert [r.verdict.verdict for r in report.results] == ["contradicted", "unverified", "supported"]
    assert exit_code(report) == 1


def test_a_supported_part_is_no_finding_unless_supported_ones_are_shown(draft):
    shown = run(draft, show_supported=True)
    assert [(d.rule, d.part) for d in shown.diagnostics if d.line == 3] == [("FC000", 1), ("FC103", 2)]


def test_json_and_sarif_carry_the_parts(draft):
    report = run(draft)
    data = lint_json.report_json(report)
    findings = data["files"][0]["findings"]
    assert [(f["part"], f["parts"], f["rule"]) for f in findings] == [(2, 2, "FC103"), (3, 3, "FC301")]
    results = sarif.sarif_log(report)["runs"][0]["results"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (3, 60, 4, 72)
    assert results[0]["properties"]["part"] == 2 and results[1]["properties"]["parts"] == 3


def test_a_baseline_holds_each_failing_part(draft, tmp_path):
    baseline = tmp_path / "base.json"
    write_baseline(run(draft), baseline)
    claims = sorted(e["claim"] for e in json.loads(baseline.read_text(encoding="utf-8"))["entries"])
    assert claims == [
        "3,000 in kuwait",
        "france announced in june 2020 that it would withdraw from its primary base in iraq by the end of july",
    ]
    again = run(draft, baseline=baseline)
    assert again.diagnostics == () and exit_code(again) == 0
    assert sum(load_baseline(baseline).values()) == 2


def test_an_ignore_comment_before_a_compound_sentence_suppresses_its_parts(tmp_path):
    path = tmp_path / "d.md"
    path.write_text("<!-- factcheck: ignore -->\n" + DRAFT.split("\n\n")[1] + "\n", encoding="utf-8")
    report = run(path)
    assert report.diagnostics == ()
    assert [r.status for r in report.results] == ["suppressed"]


@pytest.mark.e2e
def test_the_real_engine_reports_the_readme_example_at_the_france_part(draft, check_claims):
    report = run(draft, judge=lambda claims: check_claims(claims))
    first = report.diagnostics[0]
    assert (first.rule, first.line, first.column, first.part) == ("FC103", 3, 60, 2)
    assert "Spain" in first.message


def test_the_html_report_lists_each_part_with_its_verdict(draft):
    from factcheck.report import html

    page = html.render(run(draft))
    assert page.count('<ol class="parts"') == 2
    assert "✗ contradicted</span> part 2: “France announced in June 2020" in page
    assert "? unverified</span> part 3: “The U.S. has … 3,000 in Kuwait”" in page


def test_an_attribution_failing_on_the_content_it_attributes_is_one_finding(tmp_path):
    """The attribution part ("Gen. Dana Cole said") judged on the content it attributes fails with the same reason
    and evidence: one problem, one finding, at the content."""
    path = tmp_path / "draft.md"
    path.write_text("Gen. Dana Cole said 400 medics would reach Kuwait in May 2021.\n", encoding="utf-8")

    class SameFinding(PartsJudge):
        def judge(self, text: str) -> Verdict:
            return Verdict(text, "contradicted", 0.8, "says 400 medics; Src: 40 medics", (), "number")

    report = run(path, SameFinding())
    assert [(d.part, d.parts) for d in report.diagnostics] == [(2, 2)]
    assert report.diagnostics[0].message.startswith("part 2 of 2, ‘400 medics would reach Kuwait")
    assert exit_code(report) == 1

    class OtherFinding(SameFinding):  # the attribution fails on its own: both are findings
        def judge(self, text: str) -> Verdict:
            if "400" in text and "Cole" not in text:
                return super().judge(text)
            return Verdict(text, "contradicted", 0.8, "says Dana Cole; Src: Lee Park", (), "actor")

    assert [d.part for d in run(path, OtherFinding()).diagnostics] == [1, 2]
