"""aggregate(): time-aware verdicts from judged passages."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from factcheck.extract.dates import extract_dates
from factcheck.judge.stance import Judgement
from factcheck.judge.verdict import Judged, aggregate, claim_window, diversified, label
from factcheck.records import Candidate, Passage, SourceInfo

NBC = SourceInfo("003_nbc", "U.S. to withdraw more than 2,000 troops from Iraq", "NBC News", date(2020, 9, 9))
REUTERS = SourceInfo("001_reuters", "US-Iraq deal", "Reuters", date(2024, 9, 6))
NEWS = SourceInfo("000_news", "U.S. to end Iraq mission", "news report", date(2024, 9, 27))
WIKI = SourceInfo("002_wiki", "Withdrawal of United States troops from Iraq", "Wikipedia", date(2023, 12, 1))


def judged(source, stance, score, span, *, aspect="number", state=True, values=(), reason="", text="x", ordinal=0):
    passage = Passage(source.id, ordinal, text, 0, len(text), 1, 1)
    candidate = Candidate(passage, source, dense=score, fused=0.01)
    day = (span, span) if isinstance(span, date) else span
    return Judged(candidate, Judgement(stance, aspect, reason or f"{stance} {values}", score, day, state, values))


def nbc_5200(stance="supports"):
    return judged(NBC, stance, 0.79, date(2020, 9, 8), values=("5,200",), reason="NBC News, 2020-09-09: 5,200")


def reuters_2500(stance="contradicts"):
    return judged(
        REUTERS,
        stance,
        0.76,
        REUTERS.published,
        values=("2,500",),
        reason="claim 5,200 in Iraq; Reuters, 2024-09-06: 2,500",
    )


def test_latest_time_wins_for_a_present_claim():
    v = aggregate("The U.S. has 5,200 troops in Iraq today.", [nbc_5200(), reuters_2500()])
    assert v.verdict == "contradicted"
    # the reason says when the claim's figure was last true, and where
    assert re.search(r"5,200 .*as of 2020-09-08 \(NBC News, 2020-09-09\)", v.reason), v.reason
    assert "2,500" in v.reason
    assert v.aspect == "time"
    assert [e.stance for e in v.evidence] == ["contradicts", "supports"]
    assert v.evidence[0].valid == date(2024, 9, 6)


def test_latest_support_wins_over_old_contradictions():
    old = judged(NBC, "contradicts", 0.79, date(2020, 9, 8), values=("5,200",))
    new = judged(NEWS, "supports", 0.9, NEWS.published, values=("2,500",))
    also = judged(REUTERS, "supports", 0.73, REUTERS.published, values=("2,500",))
    v = aggregate("About 2,500 U.S. troops remain in Iraq.", [old, new, also])
    assert v.verdict == "supported"
    assert re.search(r"2 passages?\S* from 2 sources?", v.reason), v.reason
    assert {e.source.id for e in v.evidence[:2]} == {NEWS.id, REUTERS.id}


def test_disputed_when_sources_valid_at_the_same_time_disagree():
    a = judged(REUTERS, "supports", 0.8, REUTERS.published, values=("2,500",))
    b = judged(NEWS, "contradicts", 0.78, NEWS.published, values=("3,000",), reason="claim 2,500; news: 3,000")
    v = aggregate("About 2,500 U.S. troops remain in Iraq.", [a, b])
    assert v.verdict == "disputed"
    assert "Reuters, 2024-09-06" in v.reason and "claim 2,500; news: 3,000" in v.reason
    assert {e.stance for e in v.evidence} == {"supports", "contradicts"}


def test_one_source_against_itself_is_not_disputed():
    a = judged(REUTERS, "supports", 0.8, REUTERS.published, values=("2,500",), ordinal=1)
    b = judged(REUTERS, "contradicts", 0.78, REUTERS.published, values=("3,000",), ordinal=2)
    assert aggregate("About 2,500 U.S. troops remain in Iraq.", [a, b]).verdict == "contradicted"


def test_a_claim_with_a_date_is_judged_against_passages_of_that_time():
    claim = "The U.S. had 5,200 troops in Iraq in September 2020."
    dates = extract_dates(claim)
    assert claim_window(dates, None) == (date(2020, 9, 1), date(2020, 9, 30))
    v = aggregate(claim, [nbc_5200(), reuters_2500()], dates=dates)
    assert v.verdict == "supported"
    assert v.evidence[0].source.id == NBC.id
    # ... and with a 2024 date, against the 2024 passages
    claim = "The U.S. had 5,200 troops in Iraq in September 2024."
    v = aggregate(claim, [nbc_5200(), reuters_2500()], dates=extract_dates(claim))
    assert v.verdict == "contradicted"
    assert "as of 2020" not in v.reason


def test_as_of_sets_the_time_of_a_claim_without_dates():
    v = aggregate("The U.S. has 5,200 troops in Iraq.", [nbc_5200(), reuters_2500()], as_of=date(2020, 9, 1))
    assert v.verdict == "supported"
    assert claim_window([], date(2020, 9, 1)) == (date(2020, 8, 1), date(2020, 10, 2))
    assert claim_window([], None) is None


def test_a_claim_told_in_the_past_is_not_held_to_its_as_of_window():
    """as_of is when the claim was made: a past event reported later is confirmed by that report; a present
    state is judged at that time."""
    later_report = judged(NBC, "supports", 0.79, date(2020, 9, 9), values=("thousands",))
    made = date(2020, 1, 31)
    sent = aggregate("The killing led the army to send thousands of soldiers.", [later_report], as_of=made, past=True)
    assert sent.verdict == "supported"
    now = aggregate("The army has thousands of soldiers there.", [later_report], as_of=made)
    assert now.verdict == "unverified"
    dated = aggregate(
        "The army sent thousands of soldiers in 2019.", [later_report], dates=extract_dates("in 2019"), past=True
    )
    assert dated.verdict == "unverified"  # a date of its own still says when


def test_a_figure_in_another_place_is_judged_at_its_own_time():
    elsewhere = judged(
        REUTERS, "contradicts", 0.8, date(2024, 9, 27), aspect="place", state=False, values=("900 troops in Syria",)
    )
    dated = aggregate("900 troops are in Iraq in 2019.", [elsewhere], dates=extract_dates("in 2019"))
    assert dated.verdict == "unverified"
    assert aggregate("900 troops are in Iraq.", [elsewhere]).verdict == "contradicted"


def test_unverified_when_nothing_decides():
    r = judged(WIKI, "related", 0.46, WIKI.published, aspect="text", state=False, reason="speaks of other things")
    v = aggregate("The Pentagon plans to build a new base in Kuwait.", [r])
    assert v.verdict == "unverified"
    assert v.reason == "no source states it (speaks of other things)"
    assert 0.3 <= v.confidence <= 0.9
    empty = aggregate("Anything.", [])
    assert (empty.verdict, empty.evidence) == ("unverified", ())


def test_another_date_for_a_similar_event_is_no_dispute():
    sup = judged(WIKI, "supports", 0.88, date(2021, 12, 9), aspect="date", state=False)
    con = judged(NEWS, "contradicts", 0.69, date(2025, 9, 1), aspect="date", state=False)
    assert aggregate("The combat mission ended on 9 December 2021.", [sup, con]).verdict == "supported"
    strong_con = judged(NEWS, "contradicts", 0.95, date(2025, 9, 1), aspect="date", state=False)
    assert aggregate("The combat mission ended on 9 December 2021.", [sup, strong_con]).verdict == "contradicted"


def test_a_model_support_of_a_sentence_giving_the_claims_date_weighs_as_a_date():
    """The model supports a sentence that gives the claim's date (the rules missed an actor); another sentence
    gives another date: events recur, the closer passage wins, as between two date rules."""
    claim = "The combat mission ended on 9 December 2021."
    con = judged(NEWS, "contradicts", 0.69, date(2025, 9, 1), aspect="date", state=False)
    words = judged(WIKI, "supports", 0.8, date(2021, 12, 9), aspect="text", state=False)
    dates = extract_dates(claim)
    assert aggregate(claim, [words, con], dates=dates, exact=True).verdict == "contradicted"  # words alone
    on_date = Judged(words.candidate, replace(words.judgement, states=True))
    assert aggregate(claim, [on_date, con], dates=dates, exact=True).verdict == "supported"
    closer_con = judged(NEWS, "contradicts", 0.9, date(2025, 9, 1), aspect="date", state=False)
    assert aggregate(claim, [on_date, closer_con], dates=dates, exact=True).verdict == "contradicted"


def test_confidence_grows_with_independent_sources():
    one = aggregate("c", [judged(NEWS, "supports", 0.9, NEWS.published, values=("2,500",))])
    two = aggregate(
        "c",
        [
            judged(NEWS, "supports", 0.9, NEWS.published, values=("2,500",)),
            judged(REUTERS, "supports", 0.7, REUTERS.published, values=("2,500",)),
        ],
    )
    assert one.verdict == two.verdict == "supported"
    assert two.confidence > one.confidence
    assert 0 < one.confidence <= 0.99


def test_evidence_is_capped_and_diversified_by_source():
    items = [judged(NEWS, "supports", 0.9 - i * 0.01, NEWS.published, values=("2,500",), ordinal=i) for i in range(10)]
    items.append(judged(REUTERS, "supports", 0.5, REUTERS.published, values=("2,500",)))
    v = aggregate("c", items)
    assert len(v.evidence) == 8
    assert [e.source.id for e in v.evidence[:2]] == [NEWS.id, REUTERS.id]
    assert [j.source for j in diversified(items)][:2] == [NEWS.id, REUTERS.id]


def test_label():
    p = Passage("x", 0, "t", 0, 1, 1, 1)
    assert label(Candidate(p, REUTERS, 0.5, 0.1)) == "Reuters, 2024-09-06"
    assert label(Candidate(p, SourceInfo("x", "Title only"), 0.5, 0.1)) == "Title only"


# --- on the real index ----------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("The U.S. has 3,000 troops in Iraq today.", "contradicted"),  # true in Sept 2020 only
        ("In September 2020 the U.S. had about 5,200 troops in Iraq.", "supported"),  # its own time
        ("The U.S. reduced its troops in Iraq from 5,200 to 3,000 in September 2020.", "supported"),
        ("The U.S. reduced its troops in Iraq from 5,200 to 2,000 in September 2020.", "contradicted"),
        ("The U.S. combat mission in Iraq formally ended in December 2021.", "supported"),
        ("The U.S. combat mission in Iraq formally ended on 9 December 2020.", "contradicted"),
    ],
)
def test_time_aware_verdicts_on_the_sources(check_claims, claim, expected):
    (v,) = check_claims([claim])
    assert v.verdict == expected, v.reason


@pytest.mark.e2e
def test_present_claim_reason_says_when_it_was_last_true(check_claims):
    (v,) = check_claims(["The U.S. has 3,000 troops in Iraq today."])
    assert re.search(r"3,000 .*as of 2020-09-0\d", v.reason), v.reason


@pytest.mark.e2e
def test_negated_documented_event_is_contradicted(check_claims):
    (v,) = check_claims(["The U.S. combat mission in Iraq did not end in December 2021."])
    assert v.verdict == "contradicted", v.reason


@pytest.mark.e2e
def test_wrong_day_of_a_dated_event_is_contradicted(check_claims):
    (v,) = check_claims(["The U.S. combat mission in Iraq formally ended on 10 December 2021."])
    assert v.verdict == "contradicted", v.reason


@pytest.mark.e2e
def test_past_event_without_a_date_is_not_judged_as_a_present_state(check_claims):
    (v,) = check_claims(["Gen. Frank McKenzie announced the reduction of troops in Iraq to 3,000."])
    assert v.verdict == "supported", v.reason


def test_a_figure_given_for_the_claims_own_day_decides_before_one_from_days_around_it():
    claim = "On 9 September 2020 the army said it would cut its contingent to 3,000 troops."
    dates = extract_dates(claim)
    same_day = judged(NBC, "supports", 0.74, date(2020, 9, 9), values=("3,000",))
    days_before = judged(REUTERS, "contradicts", 0.66, date(2020, 8, 28), values=("3,500",))
    assert aggregate(claim, [same_day, days_before], dates=dates).verdict == "supported"
    # without a figure for that day, those of the days around it are what there is: they disagree
    v = aggregate(claim, [judged(NBC, "supports", 0.74, date(2020, 9, 2)), days_before], dates=dates)
    assert v.verdict == "disputed"
