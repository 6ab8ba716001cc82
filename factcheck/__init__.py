"""factcheck: offline claim verification against a newsroom's own source articles.

    from factcheck import build_index, check
    build_index("sources", "index")
    for verdict in check(["About 2,500 U.S. troops remain in Iraq."]):
        print(verdict.verdict, verdict.reason)

The heavy names are imported on first use, so ``import factcheck`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# These two share their module's name, so they are bound at once (both import in ~40 ms, no
# model, no FAISS); a lazy attribute would be shadowed by the submodule once it is imported.
from factcheck.evaluate import evaluate as evaluate
from factcheck.evaluate import load_claims as load_claims
from factcheck.lint import lint as lint

_EXPORTS = {
    "build_index": "factcheck.api",
    "check": "factcheck.api",
    "open_index": "factcheck.api",
    "Verdict": "factcheck.records",
    "Evidence": "factcheck.records",
    "Passage": "factcheck.records",
    "Document": "factcheck.records",
    "FactcheckError": "factcheck.errors",
}

__all__ = sorted([*_EXPORTS, "evaluate", "load_claims", "lint"])


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
