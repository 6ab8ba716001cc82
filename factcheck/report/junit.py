"""JUnit XML: one testcase per judged claim; a failure for each finding at or above ``fail_on``;
an error testcase for each draft or sentence that could not be checked (FC001)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from factcheck.lint import ClaimResult, Diagnostic, LintReport, failing_verdicts

SKIPPED = {
    "suppressed": "suppressed",
    "baselined": "in baseline",
    "disabled": "rule disabled",
    "below-confidence": "below min-confidence",
}


def testcase(result: ClaimResult, failing: tuple[str, ...]) -> ET.Element:
    d = result.diagnostic
    case = ET.Element(
        "testcase",
        {
            "classname": d.path,
            "name": f"{d.line}:{d.column} {d.text}",
            "file": d.path,
            "line": str(d.line),
        },
    )
    if result.status in SKIPPED:
        ET.SubElement(case, "skipped", {"message": f"{d.rule} {SKIPPED[result.status]}"})
    elif result.status == "reported" and d.verdict in failing:
        failure = ET.SubElement(case, "failure", {"message": d.message, "type": f"{d.rule} {d.rule_name}"})
        failure.text = f"{d.path}:{d.line}:{d.column}: {d.severity} [{d.rule}] {d.message}"
    return case


def error_case(d: Diagnostic) -> ET.Element:
    case = ET.Element(
        "testcase",
        {"classname": d.path, "name": f"{d.line}:{d.column} not checked", "file": d.path, "line": str(d.line)},
    )
    error = ET.SubElement(case, "error", {"message": d.message, "type": f"{d.rule} {d.rule_name}"})
    error.text = f"{d.path}:{d.line}:{d.column}: {d.severity} [{d.rule}] {d.message}"
    return case


def render(report: LintReport) -> str:
    failing = failing_verdicts(report.fail_on)
    cases = [testcase(r, failing) for r in report.results] + [error_case(d) for d in report.errors]
    failures = sum(1 for c in cases if c.find("failure") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    errors = len(report.errors)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors), "skipped": str(skipped)}
    suites = ET.Element("testsuites", {"name": "factcheck", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "factcheck lint", **counts})
    suite.extend(cases)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
