"""``factcheck check --format text``: readable for an editor; colour only when asked."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from factcheck.records import Evidence, Verdict

COLOURS = {"supported": "green", "contradicted": "red", "disputed": "yellow", "unverified": "blue"}
STANCE_MARK = {"supports": "+", "contradicts": "-", "related": "~"}
SHOWN = 4


def _style(text: str, colour: bool, **kw: object) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **kw)  # type: ignore[arg-type]


def _evidence(e: Evidence, colour: bool) -> list[str]:
    pub = e.source.published.isoformat() if e.source.published else "undated"
    head = f"  {STANCE_MARK[e.stance]} {e.stance:<11} {e.source.id}:{e.passage.line}:{e.passage.column}"
    head += f"  {e.source.title[:60]} ({pub})"
    quote = textwrap.fill(f"“{e.passage.text}”", width=96, initial_indent="      ", subsequent_indent="       ")
    lines = [_style(head, colour, bold=True), quote]
    if e.stance != "related":
        lines.append(_style(f"      why: {e.reason}", colour, dim=True))
    return lines


def render(verdicts: Sequence[Verdict], *, colour: bool = False, show: int = SHOWN) -> str:
    out: list[str] = []
    for v in verdicts:
        tag = _style(v.verdict.upper(), colour, fg=COLOURS[v.verdict], bold=True)
        out.append(f"{tag} ({v.confidence:.2f})  {v.claim}")
        out.append(f"  {v.reason}")
        for p in v.parts:
            mark = _style(p.verdict.verdict, colour, fg=COLOURS[p.verdict.verdict])
            out.append(f"  part {p.index}/{len(v.parts)} {mark}: ‘{p.quoted}’")
            if p.text != p.quoted:
                out.append(_style(f"      checked as: {p.text}", colour, dim=True))
            out.append(_style(f"      why: {p.verdict.reason}", colour, dim=True))
        for e in v.evidence[:show]:
            out.extend(_evidence(e, colour))
        out.append("")
    return "\n".join(out)
