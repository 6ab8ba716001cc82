"""Findings for the parts of a compound draft sentence: one per part, at the part's own span.

A sentence that makes several claims ("The mission ended on 9 December 2021, and France
announced …") is judged part by part (``factcheck.atomic``); each part that fails is its own
finding, with its own rule, line, column and end, and its message names the part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from factcheck.draft import Draft, DraftSentence, LineIndex
from factcheck.lint import Diagnostic, diagnostic_for
from factcheck.records import PartVerdict, Verdict

STATUS_ORDER = ("reported", "baselined", "below-confidence", "suppressed", "disabled", "supported")


@lru_cache(maxsize=8)
def _lines(text: str) -> LineIndex:
    """Line positions of a draft's text (once per draft: a str caches its hash)."""
    return LineIndex(text)


def file_span(sentence: DraftSentence, claim: str, start: int, end: int) -> tuple[int, int] | None:
    """File offsets of ``claim[start:end]`` (``claim``: the sentence as checked), or None when the
    sentence's characters cannot be mapped."""
    shift = sentence.text.find(claim) if claim != sentence.text else 0
    offsets = sentence.offsets
    if shift < 0 or not offsets or end <= start or shift + end > len(offsets):
        return None
    return offsets[shift + start], offsets[shift + end - 1] + 1


def part_diagnostics(sentence: DraftSentence, verdict: Verdict, draft: Draft) -> tuple[Diagnostic, ...]:
    """One finding per part of ``verdict`` (supported parts too: FC000, shown with --show-supported)."""
    lines = _lines(draft.text)
    return tuple(_diagnostic(sentence, verdict, p, lines) for p in verdict.parts if not _repeats(p, verdict.parts))


def _repeats(part: PartVerdict, parts: Sequence[PartVerdict]) -> bool:
    """Whether ``part`` is an attribution ("McKenzie said") failing on the very finding of another part (the same
    verdict, reason and best evidence): the content it attributes. One problem, one finding, at the content."""
    if part.kind != "attribution" or part.verdict.verdict == "supported":
        return False
    mine = _finding(part)
    return any(o is not part and _finding(o) == mine for o in parts)


def _finding(part: PartVerdict) -> tuple[str, str, tuple[str, str] | None]:
    best = part.verdict.evidence[0] if part.verdict.evidence else None
    return part.verdict.verdict, part.verdict.reason, (best.stance, best.passage.text) if best else None


def _diagnostic(sentence: DraftSentence, verdict: Verdict, part: PartVerdict, lines: LineIndex) -> Diagnostic:
    n = len(verdict.parts)
    base = diagnostic_for(sentence, part.verdict)
    where = file_span(sentence, verdict.claim, part.start, part.end)
    message = f"part {part.index} of {n}, ‘{part.quoted}’: {base.message}"
    text = verdict.claim[part.start : part.end]  # the part's own piece, as in the draft
    if where is None:  # markup the offsets do not cover: the whole sentence's place
        return replace(base, message=message, text=text, part=part.index, parts=n)
    start, end = where
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    return replace(
        base,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        start=start,
        end=end,
        message=message,
        text=text,
        part=part.index,
        parts=n,
    )


def sentence_status(verdict: Verdict, parts: Sequence[tuple[Diagnostic, str]]) -> str:
    """What became of a compound sentence: reported when one of its parts is, else what became
    of the part that decided its verdict."""
    statuses = [status for _, status in parts]
    if "reported" in statuses and verdict.verdict != "supported":
        return "reported"
    deciding = [status for d, status in parts if d.verdict == verdict.verdict]
    return min(deciding or statuses, key=STATUS_ORDER.index)
