"""GitHub Actions workflow commands: one ``::error file=…,line=…::message`` line per finding.

Levels: contradicted -> error, disputed -> warning, unverified (and supported) -> notice. The
quoted evidence follows the message on its own lines, as in the text format.
Escaping follows the workflow-command spec: data escapes ``%``, CR and LF; property values also
escape ``:`` and ``,``.
"""

from __future__ import annotations

from factcheck.lint import Diagnostic, LintReport

LEVELS = {
    "contradicted": "error",
    "disputed": "warning",
    "unverified": "notice",
    "supported": "notice",
    "error": "error",  # FC001: a draft or sentence that could not be checked
}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    properties = {
        "file": diagnostic.path,
        "line": str(diagnostic.line),
        "endLine": str(diagnostic.end_line),
        "col": str(diagnostic.column),
        "endColumn": str(diagnostic.end_column),
        "title": f"{diagnostic.rule} {diagnostic.rule_name}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    level = LEVELS.get(diagnostic.verdict, "notice")
    return f"::{level} {joined}::{escape_data(message(diagnostic))}"


def message(diagnostic: Diagnostic) -> str:
    """The finding's message and, on the lines below, the quoted evidence (as the text format)."""
    from factcheck.report.lint_text import evidence_line, evidence_shown

    return "\n".join([diagnostic.message, *(evidence_line(e).strip() for e in evidence_shown(diagnostic))])


def render(report: LintReport) -> str:
    return "".join(annotation(d) + "\n" for d in report.diagnostics)
