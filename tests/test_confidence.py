"""The confidence a verdict states: the rules' estimate rescaled (``judge.confidence``), and how it is scored."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.errors import ModelError
from factcheck.evaluate import calibration_scores
from factcheck.judge.confidence import Rescale, logit
from factcheck.judge.stance_model import read_manifest

probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(probability, probability, st.floats(0.01, 5), st.floats(-3, 3))
def test_rescaling_keeps_the_order_of_estimates(a, b, slope, shift):
    scale = Rescale(slope, shift)
    low, high = sorted((a, b))
    assert scale(low) <= scale(high)
    assert 0.01 <= scale(low) <= 0.99


def test_the_identity_rescaling_leaves_an_estimate_alone():
    assert Rescale(1.0, 0.0)(0.73) == 0.73
    assert logit(0.5) == 0.0
    assert math.isfinite(logit(0.0)) and math.isfinite(logit(1.0))


def test_without_a_rescaling_the_estimate_stands():
    assert Rescale.from_dict(None) is None
    assert Rescale.from_dict({"method": "platt", "slope": 0.5, "shift": -0.1}) == Rescale(0.5, -0.1)


@pytest.mark.parametrize(
    "raw",
    [
        {},
        [],
        {"method": "isotonic", "slope": 1, "shift": 0},
        {"method": "platt"},
        {"method": "platt", "slope": "x", "shift": 0},
        {"method": "platt", "slope": -1, "shift": 0},  # would turn the order around
        {"method": "platt", "slope": 1, "shift": float("nan")},
    ],
)
def test_a_malformed_rescaling_is_an_error_not_ignored(raw):
    with pytest.raises(ModelError, match="confidence"):
        Rescale.from_dict(raw)


def test_the_shipped_rescaling_is_monotone_and_tempers_the_estimate():
    """Fitted on tuning claims where about half the verdicts are right: it keeps the order of the rules'
    estimate (slope > 0) and brings a 0.9 estimate well below 0.9."""
    scale = Rescale.from_dict(read_manifest().get("confidence"))
    assert scale is not None and scale.slope > 0
    assert scale(0.5) < scale(0.9) < 0.9
    assert set(read_manifest()["confidence"]["fit"]["fitted_on"]) == {
        "fresh claims, odd half",
        "fresh claims 2",
        "fresh claims 3",
    }


def test_calibration_scores_by_hand():
    scores = calibration_scores([0.9, 0.9, 0.55, 0.55], [True, False, True, False])
    assert scores["mean"] == 0.725 and scores["right"] == 0.5
    assert scores["brier"] == round((0.01 + 0.81 + 0.2025 + 0.3025) / 4, 4)
    # two bins, each half right: |0.5 - 0.9| and |0.5 - 0.55|, weighted equally
    assert scores["ece"] == round((0.4 + 0.05) / 2, 4)
    assert scores["auroc"] == 0.5  # right and wrong verdicts are stated equally sure


def test_auroc_is_undefined_when_every_verdict_is_right():
    assert calibration_scores([0.6, 0.7], [True, True])["auroc"] is None
    assert calibration_scores([], []) == {}


def test_checked_confidences_are_the_rescaled_estimates(corpus, encoder):
    """End to end on the bundled sources: each stated confidence is the shipped rescaling of the rules'
    estimate, so surer estimates stay surer."""
    from factcheck.api import decide, model_probs, open_index
    from factcheck.atomic import gather_parts
    from factcheck.judge.stance_model import shipped_model

    claims = [
        "About 2,500 U.S. troops remain in Iraq.",
        "The U.S. has 5,200 troops in Iraq today.",
        "Spain announced it would withdraw from its base in Iraq.",
        "The coalition opened a new base in Mosul in 2022.",
    ]
    snapshot, _ = open_index(corpus.sources, corpus.index, encoder=encoder)
    try:
        _, cases = gather_parts(snapshot, encoder, claims)
    finally:
        snapshot.close()
    probs = model_probs(cases)
    estimated = decide(cases, probs, rescale=False)
    stated = decide(cases, probs)
    scale = Rescale.from_dict(shipped_model().manifest["confidence"])  # what decide() reads
    assert scale is not None
    assert [v.verdict for v in stated] == [v.verdict for v in estimated]
    assert [v.confidence for v in stated] == [scale(v.confidence) for v in estimated]
    assert len({v.confidence for v in estimated}) > 1
    by_estimate = sorted(zip(estimated, stated, strict=True), key=lambda p: p[0].confidence)
    assert [s.confidence for _, s in by_estimate] == sorted(s.confidence for s in stated)
