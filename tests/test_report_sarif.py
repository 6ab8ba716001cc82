from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from factcheck.draft import read_draft
from factcheck.lint import RULES, LintConfig, build_report, fingerprint
from factcheck.records import Evidence, Passage, SourceInfo, Verdict
from factcheck.report import lint_json, sarif

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
REUTERS = SourceInfo("000", "US to end Iraq mission", "Reuters", date(2024, 9, 6), path="sources/000.txt")
NO_PATH = SourceInfo("009", "Wire copy", "", None)
TEXT = "# Troops\n\nThe **U.S.** has 5,200 troops in Iraq. It was sad.\n\nNATO has 30 members.\n"
CLAIM = "The U.S. has 5,200 troops in Iraq."


def ev(source: SourceInfo, stance: str, text: str) -> Evidence:
    return Evidence(Passage(source.id, 0, text, 0, len(text), 2, 7), source, stance, 0.8, "")


VERDICTS = {
    CLAIM: Verdict(
        CLAIM,
        "contradicted",
        0.83,
        "says 5,200 troops in Iraq",
        (
            ev(REUTERS, "contradicts", "The U.S. has approximately 2,500 troops in Iraq."),
            ev(NO_PATH, "supports", "5,200 troops."),
        ),
        "number",
    ),
    "NATO has 30 members.": Verdict(
        "NATO has 30 members.", "supported", 0.9, "ok", (ev(REUTERS, "supports", "NATO has 30 members."),), "number"
    ),
}


@pytest.fixture
def log() -> dict:
    report = build_report([read_draft("drafts/a.md", TEXT)], VERDICTS, LintConfig(show_supported=True))
    return json.loads(sarif.render(report))


def test_validates_against_the_official_schema(log):
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_empty_report_validates():
    report = build_report([read_draft("a.md", "It was sad.\n")], {}, LintConfig())
    log = json.loads(sarif.render(report))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []


def test_schema_rejects_a_broken_log(log):
    del log["runs"][0]["tool"]["driver"]["name"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_driver_and_rules(log):
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "factcheck" and driver["version"]
    assert "informationUri" not in driver  # no made-up host: only a configured docs URL is linked
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    fc101 = driver["rules"][list(RULES).index("FC101")]
    assert fc101["name"] == "contradicted-number"
    assert fc101["defaultConfiguration"] == {"level": "error"}
    assert fc101["shortDescription"]["text"] and fc101["fullDescription"]["text"]
    assert fc101["help"]["markdown"].startswith("## FC101 contradicted-number") and "helpUri" not in fc101
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert (levels["FC201"], levels["FC301"], levels["FC000"]) == ("warning", "note", "none")


def test_result_location_region_and_fingerprint(log):
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "FC101"
    assert log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "FC101"
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("says 5,200 troops in Iraq; Reuters, 2024-09-06: “The U.S.")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "drafts/a.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {
        "startLine": 3,
        "startColumn": 1,
        "endLine": 3,
        "endColumn": 39,
        "charOffset": 10,
        "charLength": 38,
        "snippet": {"text": CLAIM},
    }
    assert TEXT[10:48] == "The **U.S.** has 5,200 troops in Iraq."
    assert result["partialFingerprints"] == {"factcheckClaim/v1": fingerprint("FC101", CLAIM)}


def test_evidence_as_related_locations(log):
    related = log["runs"][0]["results"][0]["relatedLocations"]
    assert related[0]["physicalLocation"]["artifactLocation"] == {"uri": "sources/000.txt", "uriBaseId": "%SRCROOT%"}
    assert related[0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 7,
        "snippet": {"text": "The U.S. has approximately 2,500 troops in Iraq."},
    }
    assert related[0]["message"]["text"] == "contradicts: US to end Iraq mission (Reuters, 2024-09-06)"
    assert "physicalLocation" not in related[1]
    assert related[1]["message"]["text"] == "supports: Wire copy (Wire copy)"


def test_supported_claim_is_a_pass(log):
    supported = log["runs"][0]["results"][1]
    assert (supported["ruleId"], supported["kind"], supported["level"]) == ("FC000", "pass", "none")


def test_fingerprint_stable_across_edits_elsewhere():
    moved = "Intro paragraph here.\n\n" + TEXT.replace("The **U.S.**", "The  U.S.")
    first = build_report([read_draft("drafts/a.md", TEXT)], VERDICTS, LintConfig())
    second = build_report([read_draft("drafts/a.md", moved)], VERDICTS, LintConfig())
    assert first.diagnostics[0].line != second.diagnostics[0].line
    a = json.loads(sarif.render(first))["runs"][0]["results"][0]["partialFingerprints"]
    b = json.loads(sarif.render(second))["runs"][0]["results"][0]["partialFingerprints"]
    assert a == b


def test_json_format_groups_by_path(log):
    report = build_report(
        [read_draft("drafts/a.md", TEXT), read_draft("drafts/b.md", "It was sad.\n")], VERDICTS, LintConfig()
    )
    data = json.loads(lint_json.render(report))
    assert [f["path"] for f in data["files"]] == ["drafts/a.md", "drafts/b.md"]
    (finding,) = data["files"][0]["findings"]
    keys = ("line", "column", "end_line", "end_column", "severity", "rule", "verdict")
    assert {k: finding[k] for k in keys} == {
        "line": 3,
        "column": 1,
        "end_line": 3,
        "end_column": 39,
        "severity": "error",
        "rule": "FC101",
        "verdict": "contradicted",
    }
    assert finding["text"] == CLAIM
    assert finding["evidence"][0] == {
        "source": "000",
        "title": "US to end Iraq mission",
        "publisher": "Reuters",
        "published": "2024-09-06",
        "path": "sources/000.txt",
        "line": 2,
        "column": 7,
        "text": "The U.S. has approximately 2,500 troops in Iraq.",
        "stance": "contradicts",
        "score": 0.8,
    }
    assert data["summary"]["claims"] == 2 and data["summary"]["contradicted"] == 1
    assert data["files"][1]["findings"] == []


def test_help_uri_points_at_the_configured_rules_page(monkeypatch):
    monkeypatch.setenv("FACTCHECK_DOCS_URL", "https://git.example.com/news/factcheck/blob/main/docs/rules.md")
    report = build_report([read_draft("drafts/a.md", TEXT)], VERDICTS, LintConfig())
    log = json.loads(sarif.render(report))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://git.example.com/news/factcheck/blob/main/docs/rules.md"
    fc101 = driver["rules"][list(RULES).index("FC101")]
    assert fc101["helpUri"] == "https://git.example.com/news/factcheck/blob/main/docs/rules.md#fc101"
