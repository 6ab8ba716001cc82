"""The combination of fact rules and stance model for one passage (pure functions, no model)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.errors import ModelError
from factcheck.judge.combine import Calibration, clash, combine, model_only
from factcheck.judge.stance import Judgement
from factcheck.judge.stance_model import StanceProbs

CAL = Calibration(entail=0.6, contradict=0.6, neutral_veto=0.8, entail_veto=0.95, soft_rules=True)
SPAN = (date(2024, 9, 27), date(2024, 9, 27))
TEXT = {"claim": "A nurse said the clinic opened.", "passage": "A doctor said the clinic opened.", "label": "Herald"}


def rule(stance: str, aspect: str = "text", state: bool = False) -> Judgement:
    return Judgement(stance, aspect, "rule reason", 0.7, SPAN, state)


def probs(e: float, c: float) -> StanceProbs:
    return StanceProbs(e, c, round(1 - e - c, 6))


def test_an_exact_rule_contradiction_stands_unless_the_model_is_sure_of_support():
    kept = combine(rule("contradicts", "number", True), probs(0.9, 0.05), CAL, **TEXT)
    assert (kept.stance, kept.aspect, kept.reason, kept.state) == ("contradicts", "number", "rule reason", True)
    dropped = combine(rule("contradicts", "date"), probs(0.97, 0.01), CAL, **TEXT)
    assert dropped.stance == "related"


def test_soft_rule_contradictions_follow_the_setting():
    soft = rule("contradicts", "actor")
    assert combine(soft, probs(0.5, 0.1), CAL, **TEXT).stance == "contradicts"
    off = Calibration(entail=0.6, contradict=0.6, neutral_veto=0.8, entail_veto=0.95, soft_rules=False)
    assert combine(soft, probs(0.7, 0.1), off, **TEXT).stance == "supports"
    assert combine(soft, probs(0.1, 0.1), off, **TEXT).stance == "related"


def test_the_model_overrules_a_rule_support_on_a_swapped_word():
    out = combine(rule("supports", "number", True), probs(0.1, 0.85), CAL, **TEXT)
    assert out.stance == "contradicts" and out.aspect == "text" and not out.state
    assert "nurse" in out.reason and "doctor" in out.reason and "Herald" in out.reason


def test_an_added_detail_turns_a_rule_support_into_related():
    out = combine(rule("supports", "number", True), probs(0.05, 0.05), CAL, **TEXT)
    assert out.stance == "related"
    assert combine(rule("supports", "number", True), probs(0.5, 0.1), CAL, **TEXT).stance == "supports"


def test_a_date_alone_supports_only_what_the_model_does_not_find_silent():
    """A matching date says nothing of the claim's other words ("the joint statement was issued on 15 April" against
    a passage dated 15 April about something else): the model's neutral vetoes it, from its own threshold."""
    dated = Calibration(entail=0.6, contradict=0.6, neutral_veto=1.01, date_neutral_veto=0.7)
    assert combine(rule("supports", "date"), probs(0.1, 0.05), dated, **TEXT).stance == "related"
    assert combine(rule("supports", "date"), probs(0.4, 0.05), dated, **TEXT).stance == "supports"
    assert combine(rule("supports", "number", True), probs(0.1, 0.05), dated, **TEXT).stance == "supports"
    silent = probs(0.22, 0.03)  # neutral 0.75: under the general veto (0.8), over the date's (0.7)
    assert combine(rule("supports", "date"), silent, CAL, **TEXT).stance == "supports"  # off by default
    assert combine(rule("supports", "date"), silent, dated, **TEXT).stance == "related"


def test_the_model_decides_where_rules_see_nothing():
    assert combine(rule("related"), probs(0.75, 0.1), CAL, **TEXT).stance == "supports"
    assert combine(rule("related"), probs(0.2, 0.7), CAL, **TEXT).stance == "contradicts"
    assert combine(rule("related"), probs(0.5, 0.4), CAL, **TEXT).stance == "related"


def test_no_probabilities_leave_the_rule_as_it_is():
    r = rule("supports", "date")
    assert combine(r, None, CAL, **TEXT) is r


def test_model_only_ignores_the_rules_stance_but_keeps_the_time():
    out = model_only(rule("contradicts", "number", True), probs(0.8, 0.1), CAL, **TEXT)
    assert out.stance == "supports" and out.span == SPAN and not out.state
    assert model_only(rule("supports", "number", True), probs(0.3, 0.2), CAL, **TEXT).stance == "related"


def test_clash_names_the_words_each_side_lacks():
    ours, theirs = clash("The mayor praised the plan on Monday.", "The mayor criticised the plan on Monday.")
    assert ours == "praised" and theirs == "criticised"


WORDS = st.lists(st.sampled_from("mayor nurse doctor plan city 2,500 troops praised quit joined Riverside".split()))


@given(WORDS, WORDS)
def test_clash_never_names_a_word_both_sides_share(a, b):
    claim, passage = " ".join(a), " ".join(b)
    ours, theirs = clash(claim, passage)
    assert not set(ours.split()) & set(passage.split())
    assert not set(theirs.split()) & set(claim.split())


def test_calibration_reads_only_known_keys():
    cal = Calibration.from_dict({"entail": 0.7, "unknown": 3})
    assert cal.entail == 0.7 and cal.contradict == Calibration().contradict
    assert Calibration.from_dict(None) == Calibration()


def test_the_model_is_not_heard_on_passages_far_from_the_claim():
    far = Judgement("related", "text", "speaks of other things", 0.3, SPAN)
    strict = Calibration(entail=0.6, contradict=0.6, neutral_veto=0.8, entail_veto=0.95, min_score=0.5)
    assert combine(far, probs(0.1, 0.85), strict, **TEXT) is far
    assert combine(far, probs(0.1, 0.85), CAL, **TEXT).stance == "contradicts"


# Thresholds of their own for grounded checks, read from the manifest.
def test_grounded_checks_take_their_own_thresholds_or_the_archives():
    archive, grounded = Calibration.shipped({"calibration": {"entail": 0.7}, "calibration_grounded": {"entail": 0.4}})
    assert (archive.entail, grounded.entail) == (0.7, 0.4)
    archive, grounded = Calibration.shipped({"calibration": {"entail": 0.7}})
    assert grounded == archive


@pytest.mark.parametrize(
    "raw",
    [["entail", 0.4], {"entail": "high"}, {"entail": 2.0}, {"entail": True}, {"soft_rules": "yes"}, {"min_score": -1}],
)
def test_a_malformed_calibration_section_is_an_error_naming_it(raw):
    with pytest.raises(ModelError, match="malformed 'calibration_grounded'"):
        Calibration.shipped({"calibration": {}, "calibration_grounded": raw})


def test_the_shipped_manifest_has_both_sets_of_thresholds():
    from factcheck.judge.stance_model import verify

    archive, grounded = Calibration.shipped(verify())
    assert archive != grounded  # fitted apart (training/calibrate.py --grounded)
