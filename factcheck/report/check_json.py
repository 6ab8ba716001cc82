"""``factcheck check --format json``: one object, ``{"results": [...]}``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from factcheck.records import Evidence, PartVerdict, Verdict


def evidence_dict(e: Evidence) -> dict[str, Any]:
    return {
        "source": e.source.id,
        "title": e.source.title,
        "published": e.source.published.isoformat() if e.source.published else None,
        "line": e.passage.line,
        "column": e.passage.column,
        "start": e.passage.start,
        "end": e.passage.end,
        "text": e.passage.text,
        "stance": e.stance,
        "score": e.score,
        "reason": e.reason,
        "aspect": e.aspect,
        "valid": e.valid.isoformat() if e.valid else None,
    }


def verdict_dict(v: Verdict) -> dict[str, Any]:
    return {
        "claim": v.claim,
        "verdict": v.verdict,
        "confidence": v.confidence,
        "reason": v.reason,
        "aspect": v.aspect,
        "evidence": [evidence_dict(e) for e in v.evidence],
        "parts": [part_dict(p) for p in v.parts],
    }


def part_dict(p: PartVerdict) -> dict[str, Any]:
    """One atomic claim of a compound claim: where it is in the claim, what was checked, its verdict."""
    return {
        "index": p.index,
        "text": p.text,
        "quoted": p.quoted,
        "kind": p.kind,
        "start": p.start,
        "end": p.end,
        "spans": [list(span) for span in p.spans],
        "verdict": p.verdict.verdict,
        "confidence": p.verdict.confidence,
        "reason": p.verdict.reason,
        "aspect": p.verdict.aspect,
        "evidence": [evidence_dict(e) for e in p.verdict.evidence],
    }


def render(verdicts: Sequence[Verdict]) -> str:
    # allow_nan=False: a NaN score (a damaged model) fails loudly instead of printing invalid JSON
    return (
        json.dumps({"results": [verdict_dict(v) for v in verdicts]}, indent=2, ensure_ascii=False, allow_nan=False)
        + "\n"
    )
