"""factcheck: offline claim verification against a newsroom's own source articles.

    from factcheck import build_index, check
    build_index("sources", "index")
    for verdict in check(["About 2,500 U.S. troops remain in Iraq."]):
        print(verdict.verdict, verdict.reason)

The names below are imported on first use, so ``import factcheck`` stays instant.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "build_index": "factcheck.api",
    "check": "factcheck.api",
    "open_index": "factcheck.api",
    "lint": "factcheck.lint",
    "evaluate": "factcheck.evaluate",
    "load_claims": "factcheck.evaluate",
    "Verdict": "factcheck.records",
    "Evidence": "factcheck.records",
    "Passage": "factcheck.records",
    "Document": "factcheck.records",
    "FactcheckError": "factcheck.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
