from __future__ import annotations

from factcheck.draft import read_draft
from factcheck.lint import LintConfig, build_report
from factcheck.records import Verdict
from factcheck.report import github


def make(verdicts: dict[str, Verdict], text: str, path: str = "drafts/a.md", **changes: object):
    return build_report([read_draft(path, text)], verdicts, LintConfig(**changes))  # type: ignore[arg-type]


def test_one_annotation_per_finding_with_level_mapping():
    text = "Iraq has 5 bases.\n\nIraq has 6 ships.\n\nIraq has 7 jets.\n\nIraq has 8 tanks.\n"
    verdicts = {
        "Iraq has 5 bases.": Verdict("Iraq has 5 bases.", "contradicted", 0.9, "says 5 bases", (), "number"),
        "Iraq has 6 ships.": Verdict("Iraq has 6 ships.", "disputed", 0.5, "sources disagree", ()),
        "Iraq has 7 jets.": Verdict("Iraq has 7 jets.", "unverified", 0.1, "no source", ()),
        "Iraq has 8 tanks.": Verdict("Iraq has 8 tanks.", "supported", 0.9, "ok", ()),
    }
    assert github.render(make(verdicts, text)) == (
        "::error file=drafts/a.md,line=1,endLine=1,col=1,endColumn=18,"
        "title=FC101 contradicted-number::says 5 bases\n"
        "::warning file=drafts/a.md,line=3,endLine=3,col=1,endColumn=18,"
        "title=FC201 disputed::sources disagree\n"
        "::notice file=drafts/a.md,line=5,endLine=5,col=1,endColumn=17,title=FC301 unverified::no source\n"
    )


def test_escaping_of_data_and_properties():
    verdict = Verdict("Iraq has 5 bases.", "contradicted", 0.9, "100% wrong\r\nsee: a, b", (), "number")
    out = github.render(make({"Iraq has 5 bases.": verdict}, "Iraq has 5 bases.\n", path="d:r,a%ft.md"))
    assert out == (
        "::error file=d%3Ar%2Ca%25ft.md,line=1,endLine=1,col=1,endColumn=18,"
        "title=FC101 contradicted-number::100%25 wrong%0D%0Asee: a, b\n"
    )
    assert out.count("\n") == 1


def test_escape_functions():
    assert github.escape_data("a%b\nc\rd:e,f") == "a%25b%0Ac%0Dd:e,f"
    assert github.escape_property("a%b\nc\rd:e,f") == "a%25b%0Ac%0Dd%3Ae%2Cf"


def test_nothing_to_report_is_empty():
    assert github.render(make({}, "It was sad.\n")) == ""
