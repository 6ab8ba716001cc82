"""One passage's stance from the fact rules and the stance model together.

The rules are decisive where they are exact: another figure, date or ordinal for the same quantity
(``EXACT``), with the time logic of ``verdict.py`` on top. Everything the rules cannot name (a swapped
group or kind of person, an added detail, an opposite action outside any word list, negation in the
source's own wording, a paraphrase) is the model's call. The few thresholds (``Calibration``) are fitted by
``training/calibrate.py`` on tuning data only (seed dev with half of the fresh claims, the calibration half of
WiCE dev, SciFact train), and shipped in ``factcheck/data/stance/stance.json``. A claim checked against the
documents it names (a grounded check: ``sources`` in a claims file, ``check --source``) has thresholds of its own
(``calibration_grounded``), fitted on the grounded tuning checks only (WiCE dev's calibration half, half of SciFact
train): there the passages are the claim's own cited text, not whatever an archive search returned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from factcheck.errors import ModelError
from factcheck.extract.lexicon import STOPWORDS
from factcheck.judge.stance import Judgement
from factcheck.judge.stance_model import StanceProbs
from factcheck.judge.verdict import EXACT

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,.]*%?")


@dataclass(frozen=True)
class Calibration:
    """Thresholds on the model's probabilities (see the module docstring)."""

    entail: float = 0.6  # the model alone calls a passage supporting at or above this
    contradict: float = 0.6  # ... contradicting
    neutral_veto: float = 0.8  # a rule's support is dropped when the model says neutral this surely
    # ... a support the rules found by a matching date alone: the date says nothing of the claim's other words
    date_neutral_veto: float = 1.01
    entail_veto: float = 0.95  # a rule's contradiction is dropped when the model says entails this surely
    soft_rules: bool = True  # rules on actors, places and polarity keep their contradictions
    min_score: float = 0.0  # the model speaks only of passages this close to the claim (0.7 cosine + 0.3 shared words)

    @classmethod
    def from_dict(cls, raw: object, section: str = "calibration") -> Calibration:
        """The thresholds of a manifest section (defaults for what it leaves out). A section that is there but
        malformed (not a mapping, a threshold that is not a number from 0 to 1.01) is an error, never ignored."""
        if not raw:
            return cls()
        if not isinstance(raw, Mapping):
            raise ModelError(f"stance model manifest: malformed '{section}' (not a mapping); reinstall factcheck")
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        for key, value in known.items():
            if key == "soft_rules":
                ok = isinstance(value, bool)
            else:
                ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1.01
            if not ok:
                raise ModelError(
                    f"stance model manifest: malformed '{section}' ({key} = {value!r}); reinstall factcheck"
                )
        return cls(**known)  # type: ignore[arg-type]

    @classmethod
    def shipped(cls, manifest: Mapping[str, object]) -> tuple[Calibration, Calibration]:
        """The thresholds for checks against the whole archive, and those for grounded checks (a claim against
        the documents it names; the same thresholds when the manifest has none of their own)."""
        archive = cls.from_dict(manifest.get("calibration"))
        raw = manifest.get("calibration_grounded")
        return archive, (archive if raw is None else cls.from_dict(raw, "calibration_grounded"))


def combine(
    rule: Judgement, probs: StanceProbs | None, cal: Calibration, *, claim: str, passage: str, label: str
) -> Judgement:
    """The passage's stance: the rule's where it is exact, else the model's, each with its reason. The score
    stays the passage's closeness to the claim (what evidence is ranked and weighed by); the model's
    probability is named in the reason."""
    if probs is None or rule.score < cal.min_score:
        return rule
    if rule.stance == "contradicts":
        if probs.entails >= cal.entail_veto:
            return _related(rule, probs, claim, passage)
        if rule.aspect in EXACT or cal.soft_rules:
            return rule
    if rule.stance == "supports":
        if probs.contradicts >= cal.contradict and probs.contradicts > probs.entails:
            return _model_contradicts(rule, probs, claim, passage, label)
        if probs.neutral >= cal.neutral_veto or (rule.aspect == "date" and probs.neutral >= cal.date_neutral_veto):
            return _related(rule, probs, claim, passage)
        return rule
    if probs.contradicts >= cal.contradict and probs.contradicts > probs.entails:
        return _model_contradicts(rule, probs, claim, passage, label)
    if probs.entails >= cal.entail and probs.entails > probs.contradicts:
        return replace(
            rule,
            stance="supports",
            aspect="text",
            reason=f"{label} says the same (model {probs.entails:.2f})",
            state=False,
        )
    return rule if rule.stance == "related" else _related(rule, probs, claim, passage)


def model_only(rule: Judgement, probs: StanceProbs | None, cal: Calibration, **text: str) -> Judgement:
    """The ablation without rules: the model's stance, keeping only the passage's time."""
    neutral = replace(rule, stance="related", aspect="text", reason="no stance", state=False)
    return combine(neutral, probs, replace(cal, soft_rules=False), **text)  # type: ignore[arg-type]


def _model_contradicts(rule: Judgement, probs: StanceProbs, claim: str, passage: str, label: str) -> Judgement:
    ours, theirs = clash(claim, passage)
    said = f"says {ours}; {label}: {theirs}" if ours and theirs else f"{label} says otherwise"
    return replace(
        rule,
        stance="contradicts",
        aspect="text",
        reason=f"{said} (model {probs.contradicts:.2f})",
        state=False,
    )


def _related(rule: Judgement, probs: StanceProbs, claim: str, passage: str) -> Judgement:
    ours, _ = clash(claim, passage)
    reason = f"does not state {ours}" if ours else "on the same subject, but does not state the claim"
    return replace(rule, stance="related", aspect="text", reason=f"{reason} (model {probs.neutral:.2f} neutral)")


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in STOPWORDS]


def clash(claim: str, passage: str, most: int = 3) -> tuple[str, str]:
    """The claim's words the passage lacks, and the passage's words the claim lacks near where they
    share most: what an editor compares ("nurse" / "doctor")."""
    cw, pw = _words(claim), _words(passage)
    ckeys, pkeys = {_key(w) for w in cw}, {_key(w) for w in pw}
    ours = [w for w in dict.fromkeys(cw) if _key(w) not in pkeys][:most]
    shared_at = [i for i, w in enumerate(pw) if _key(w) in ckeys]
    if shared_at:
        lo, hi = min(shared_at), max(shared_at)
        pw = pw[max(lo - 2, 0) : hi + 3]
    theirs = [w for w in dict.fromkeys(pw) if _key(w) not in ckeys][:most]
    return " ".join(ours), " ".join(theirs)


def _key(word: str) -> str:
    w = word.lower().replace(",", "")
    return w[:5] if len(w) > 5 and not w[0].isdigit() else w
