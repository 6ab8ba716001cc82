"""Stable JSON output of ``factcheck lint``: findings grouped by file, then a summary."""

from __future__ import annotations

import json
from typing import Any

from factcheck.lint import Diagnostic, LintReport, summary_line, tool_version
from factcheck.records import VERDICTS, Evidence

FORMAT_VERSION = 1


def evidence_json(item: Evidence) -> dict[str, Any]:
    return {
        "source": item.source.id,
        "title": item.source.title,
        "publisher": item.source.publisher,
        "published": item.source.published.isoformat() if item.source.published else None,
        "path": item.source.path,
        "line": item.passage.line,
        "column": item.passage.column,
        "text": item.passage.text,
        "stance": item.stance,
        "score": round(item.score, 4),
    }


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_line": diagnostic.end_line,
        "end_column": diagnostic.end_column,
        "severity": diagnostic.severity,
        "rule": diagnostic.rule,
        "rule_name": diagnostic.rule_name,
        "message": diagnostic.message,
        "text": diagnostic.text,
        "verdict": diagnostic.verdict,
        "confidence": round(diagnostic.confidence, 4),
        "fingerprint": diagnostic.fingerprint,
        "evidence": [evidence_json(e) for e in diagnostic.evidence],
        "part": diagnostic.part,  # a part of a compound sentence: its number, of "parts" (0: the whole sentence)
        "parts": diagnostic.parts,
    }


def report_json(report: LintReport) -> dict[str, Any]:
    by_path: dict[str, list[dict[str, Any]]] = {path: [] for path in report.files}
    for diagnostic in report.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic_json(diagnostic))
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": "factcheck", "version": tool_version()},
        "files": [{"path": path, "findings": findings} for path, findings in sorted(by_path.items())],
        "unused_suppressions": [
            {"path": s.path, "line": s.line, "column": s.column, "comment": s.comment}
            for s in report.unused_suppressions
        ],
        "summary": {
            "claims": len(report.results),
            **{verdict: report.count(verdict) for verdict in VERDICTS},
            "suppressed": report.status_count("suppressed"),
            "baselined": report.status_count("baselined"),
            "fail_on": report.fail_on,
            "failing": len(report.failing),
            "text": summary_line(report),
        },
    }


def render(report: LintReport) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
