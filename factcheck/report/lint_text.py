"""Human output of ``factcheck lint``: ``path:line:col: level [FC101] message``, the evidence
quoted and indented under it, then the summary line."""

from __future__ import annotations

import re

from factcheck.lint import Diagnostic, LintReport, evidence_label, quote, summary_line
from factcheck.records import Evidence

MAX_EVIDENCE = 2


def evidence_shown(diagnostic: Diagnostic) -> list[Evidence]:
    """The passages worth quoting: contradicting first, then supporting (the other way round for
    a supported claim); never 'related' ones."""
    order = ("supports", "contradicts") if diagnostic.verdict == "supported" else ("contradicts", "supports")
    ranked = [e for stance in order for e in diagnostic.evidence if e.stance == stance]
    return ranked[:MAX_EVIDENCE]


def evidence_line(item: Evidence) -> str:
    where = item.source.path or item.source.id
    place = f"{where}:{item.passage.line}:{item.passage.column}" if where else ""
    stance = "contradicts" if item.stance == "contradicts" else "supports"
    head = f"{stance}: {evidence_label(item)}" + (f" ({place})" if place else "")
    return f"    {head}: {quote(item.passage.text, 240)}"


def diagnostic_lines(diagnostic: Diagnostic) -> list[str]:
    head = (
        f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.severity} "
        f"[{diagnostic.rule}] {diagnostic.message}"
    )
    return [head, *(evidence_line(e) for e in evidence_shown(diagnostic))]


def render(report: LintReport) -> str:
    lines = [line for d in report.diagnostics for line in diagnostic_lines(d)]
    lines += [f"{s.path}:{s.line}:{s.column}: note: unused suppression {s.comment}" for s in report.unused_suppressions]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


_HEAD = re.compile(r"^(?P<where>\S.*?:\d+:\d+:) (?P<level>error|warning|info) (?P<rule>\[FC\d{3}\])", re.MULTILINE)
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def colourise(text: str) -> str:
    """ANSI colours for a terminal: the location bold, the level by severity, the rule dimmed,
    evidence lines dimmed. The text is otherwise unchanged."""
    import click

    def head(match: re.Match[str]) -> str:
        level = match.group("level")
        return " ".join(
            (
                click.style(match.group("where"), bold=True),
                click.style(level, fg=_COLOURS[level], bold=True),
                click.style(match.group("rule"), dim=True),
            )
        )

    lines = [click.style(line, dim=True) if line.startswith("    ") else line for line in text.split("\n")]
    return _HEAD.sub(head, "\n".join(lines))
