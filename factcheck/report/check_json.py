"""``factcheck check --format json``: one object, ``{"results": [...]}``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from factcheck.records import Evidence, Verdict


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
    }


def render(verdicts: Sequence[Verdict]) -> str:
    return json.dumps({"results": [verdict_dict(v) for v in verdicts]}, indent=2, ensure_ascii=False) + "\n"
