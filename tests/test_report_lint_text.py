from __future__ import annotations

from datetime import date

from factcheck.draft import read_draft
from factcheck.lint import LintConfig, build_report
from factcheck.records import Evidence, Passage, SourceInfo, Verdict
from factcheck.report import lint_text

REUTERS = SourceInfo("000", "US to end Iraq mission", "Reuters", date(2024, 9, 6), path="sources/000.txt")
AP = SourceInfo("001", "Troops stay", "AP", None, path="sources/001.txt")
DRAFT = (
    "# Troops\n\nThe U.S. has 5,200 troops in Iraq. It was *sad*.\n\n"
    "<!-- factcheck: ignore FC201 -->\nGen. Smith arrived on Sept. 3.\n"
)


def ev(source: SourceInfo, stance: str, text: str, line: int) -> Evidence:
    return Evidence(Passage(source.id, 0, text, 0, len(text), line, 1), source, stance, 0.9, "")


VERDICTS = {
    "The U.S. has 5,200 troops in Iraq.": Verdict(
        "The U.S. has 5,200 troops in Iraq.", "contradicted", 0.83, "says 5,200 troops in Iraq",
        (ev(REUTERS, "contradicts", "The U.S. has approximately 2,500 troops in Iraq.", 2),
         ev(AP, "related", "Troops are in Iraq.", 4)), "number"),
    "Gen. Smith arrived on Sept. 3.": Verdict("Gen. Smith arrived on Sept. 3.", "unverified", 0.2, "", ()),
}


def report(**changes: object):
    draft = read_draft("drafts/a.md", DRAFT)
    return build_report([draft], VERDICTS, LintConfig(**changes))  # type: ignore[arg-type]


def test_text_output_whole():
    assert lint_text.render(report()) == (
        "drafts/a.md:3:1: error [FC101] says 5,200 troops in Iraq; Reuters, 2024-09-06: "
        "“The U.S. has approximately 2,500 troops in Iraq.”\n"
        "    contradicts: Reuters, 2024-09-06 (sources/000.txt:2:1): "
        "“The U.S. has approximately 2,500 troops in Iraq.”\n"
        "drafts/a.md:6:1: info [FC301] no source mentions this\n"
        "drafts/a.md:5:1: note: unused suppression <!-- factcheck: ignore FC201 -->\n"
        "2 claims: 0 supported, 1 contradicted, 0 disputed, 1 unverified\n"
    )


def test_text_output_when_clean():
    clean = build_report([read_draft("a.md", "It was sad.\n")], {}, LintConfig())
    assert lint_text.render(clean) == "0 claims: 0 supported, 0 contradicted, 0 disputed, 0 unverified\n"


def test_summary_mentions_hidden_findings():
    text = lint_text.render(report(disable=frozenset({"FC301"})))
    assert "[FC301]" not in text
    assert text.endswith("2 claims: 0 supported, 1 contradicted, 0 disputed, 1 unverified (1 disabled)\n")
