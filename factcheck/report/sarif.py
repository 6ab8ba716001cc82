"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every rule (so ``ruleIndex`` is stable); each result has a relative
``%SRCROOT%`` location, the claim's region, the evidence as ``relatedLocations`` and a
``partialFingerprints`` entry (rule + normalised claim text) so alerts survive edits elsewhere.
Columns count Unicode code points (``columnKind``), as the rest of factcheck does.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from factcheck.lint import RULES, Diagnostic, LintReport, Rule, docs_url, evidence_label, tool_version
from factcheck.records import Evidence

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "factcheckClaim/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
RULE_IDS = list(RULES)


def level(rule: Rule) -> str:
    return "none" if rule.verdict == "supported" else LEVELS[rule.severity]


def rule_json(rule: Rule) -> dict[str, Any]:
    """A rule with its documentation inline (``help``: what docs/rules.md says); ``helpUri`` only
    when the rules page is published somewhere (``$FACTCHECK_DOCS_URL`` / ``docs-url``)."""
    item: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.full},
        "defaultConfiguration": {"level": level(rule)},
        "help": {"text": rule.full, "markdown": rule.explain()},
        "properties": {"tags": ["fact-check", rule.verdict]},
    }
    if rule.help_uri:
        item["helpUri"] = rule.help_uri
    return item


def artifact_location(path: str) -> dict[str, Any]:
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return {"uri": posix.as_uri()}
    return {"uri": str(posix), "uriBaseId": SRCROOT}


def related_location(index: int, item: Evidence) -> dict[str, Any]:
    title = item.source.title or item.source.id
    location: dict[str, Any] = {
        "id": index,
        "message": {"text": f"{item.stance}: {title} ({evidence_label(item)})"},
    }
    if item.source.path:
        location["physicalLocation"] = {
            "artifactLocation": artifact_location(item.source.path),
            "region": {
                "startLine": max(item.passage.line, 1),
                "startColumn": max(item.passage.column, 1),
                "snippet": {"text": item.passage.text},
            },
        }
    return location


def result_json(diagnostic: Diagnostic) -> dict[str, Any]:
    rule = RULES[diagnostic.rule]
    result: dict[str, Any] = {
        "ruleId": rule.id,
        "ruleIndex": RULE_IDS.index(rule.id),
        "level": level(rule),
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(diagnostic.path),
                    "region": {
                        "startLine": diagnostic.line,
                        "startColumn": diagnostic.column,
                        "endLine": diagnostic.end_line,
                        "endColumn": diagnostic.end_column,
                        "charOffset": diagnostic.start,
                        "charLength": diagnostic.end - diagnostic.start,
                        "snippet": {"text": diagnostic.text},
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: diagnostic.fingerprint},
        "properties": {"verdict": diagnostic.verdict, "confidence": round(diagnostic.confidence, 4)},
    }
    if diagnostic.part:  # one atomic part of a compound sentence
        result["properties"].update(part=diagnostic.part, parts=diagnostic.parts)
    if rule.verdict == "supported":
        result["kind"] = "pass"
    if diagnostic.evidence:
        result["relatedLocations"] = [related_location(i, e) for i, e in enumerate(diagnostic.evidence, 1)]
    return result


def notification(level_name: str, text: str, diagnostic: Diagnostic | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"level": level_name, "message": {"text": text}}
    if diagnostic is not None:
        item["descriptor"] = {"id": diagnostic.rule}
        item["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(diagnostic.path),
                    "region": {"startLine": diagnostic.line, "startColumn": diagnostic.column},
                }
            }
        ]
    return item


def invocation(report: LintReport) -> dict[str, Any]:
    """What went wrong in the run itself: FC001 errors (a draft or sentence not checked) and the
    notices (text not read, excluded files, a baseline matching nothing)."""
    notifications = [notification("error", d.message, d) for d in report.errors]
    notifications += [notification("warning", text) for text in report.notices]
    return {"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}


def sarif_log(report: LintReport) -> dict[str, Any]:
    version = tool_version()
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "factcheck",
                        "version": version,
                        "semanticVersion": version,
                        **({"informationUri": url} if (url := docs_url()) else {}),
                        "rules": [rule_json(RULES[rule_id]) for rule_id in RULE_IDS],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation(report)],
                "results": [result_json(d) for d in report.diagnostics],
            }
        ],
    }


def render(report: LintReport) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
