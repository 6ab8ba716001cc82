"""How sure a verdict is: the rules' estimate, rescaled so that it says how often such a verdict is right.

``verdict.aggregate`` estimates a verdict's confidence from how close its deciding passages are to the claim
and how many sources agree. That estimate ranks right verdicts above wrong ones better than chance on claims
never seen, but states far more certainty than the judge has (about 0.73 on average where about half the verdicts
are right). ``Rescale`` is Platt scaling: ``sigmoid(a * logit(estimate) + b)``, two numbers fitted by
``training/fit_confidence.py`` on tuning claims only and shipped in ``factcheck/data/stance/stance.json``
(``confidence``). It is monotone, so it keeps the estimate's order, and ``lint --min-confidence`` keeps meaning
"the surer findings", now on a scale that says how often they are right.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from factcheck.errors import ModelError

EDGE = 1e-4  # estimates are clipped to [EDGE, 1 - EDGE] before the logit


def logit(p: float) -> float:
    p = min(max(p, EDGE), 1 - EDGE)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Rescale:
    """``sigmoid(slope * logit(estimate) + shift)``, rounded to 3 places and kept within [0.01, 0.99]."""

    slope: float
    shift: float

    @classmethod
    def from_dict(cls, raw: object) -> Rescale | None:
        """The shipped rescaling, or None when the manifest has none (then the estimate stands). One that is
        there but not a Platt rescaling with a positive slope is an error, never silently ignored."""
        if raw is None:
            return None
        try:
            if not isinstance(raw, Mapping) or raw.get("method") != "platt":
                raise ValueError("not a Platt rescaling")
            scale = cls(float(raw["slope"]), float(raw["shift"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"stance model manifest: malformed 'confidence' ({exc}); reinstall factcheck") from None
        if not (scale.slope > 0 and math.isfinite(scale.shift)):
            raise ModelError("stance model manifest: 'confidence' slope must be a positive number; reinstall factcheck")
        return scale

    def __call__(self, estimate: float) -> float:
        z = self.slope * logit(estimate) + self.shift
        return round(min(max(1.0 / (1.0 + math.exp(-z)), 0.01), 0.99), 3)
