"""Who holds an office: extraction (pure) and how a present-tense claim about it is judged over time."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from factcheck.extract.offices import extract_offices, same_office
from factcheck.judge.facts import text_facts
from factcheck.judge.stance import Context, Judgement, judge_passage
from factcheck.judge.verdict import Judged, aggregate
from factcheck.records import Candidate, Passage, SourceInfo


def holders(text: str) -> list[tuple[str, str, bool, bool]]:
    return [(o.title, o.holder, o.former, o.asserted) for o in extract_offices(text)]


def test_a_title_before_a_name_names_the_holder():
    assert holders("U.S. President Joe Biden and Iraqi Prime Minister Mohammed Shia al-Sudani met in April.") == [
        ("president", "biden", False, False),
        ("prime minister", "sudani", False, False),
    ]
    (pm,) = extract_offices("Iraqi Prime Minister Mustafa Al-Kadhimi visited the White House.")
    assert pm.scope == frozenset({"iraq"})


def test_a_claim_asserts_an_office_in_the_present_tense():
    assert holders("Mustafa al-Kadhimi is Iraq's prime minister.") == [("prime minister", "kadhimi", False, True)]
    assert holders("Tomás Villanueva chairs the water authority.") == [("chair", "villanueva", False, True)]
    assert holders("Mustafa al-Kadhimi was Iraq's prime minister.") == []  # the past says nothing of now


def test_former_holders_and_other_offices_are_told_apart():
    text = (
        "Tomás Villanueva, a civil engineer, was appointed chair of the Ostrander Basin Water Authority on "
        "January 9, replacing interim chair Carl Osei."
    )
    assert holders(text) == [("chair", "villanueva", False, False), ("chair", "osei", True, False)]
    text = "Graham Pell stepped down as chief executive in December and was replaced by Ines Marchetti."
    assert holders(text) == [("chief executive", "pell", True, False), ("chief executive", "marchetti", False, False)]
    text = (
        "Graham Pell, the chief executive of the utility, stepped down in December and was succeeded by Ines Marchetti."
    )
    assert holders(text) == [("chief executive", "pell", True, False), ("chief executive", "marchetti", False, False)]
    assert holders("Chris Miller, the former acting defense secretary, said so.") == [
        ("defense secretary", "miller", True, False)
    ]
    assert holders("The board named vice chair Carl Osei as its spokesman.") == []  # a vice chair is not the chair
    assert holders("Vice President Kamala Harris spoke.") == [("vice president", "harris", False, False)]
    assert holders("The chair said on Monday that the talks went well.") == []  # no name, no holder


def test_offices_agree_only_on_title_and_scope():
    (iraq,) = extract_offices("Mustafa al-Kadhimi is Iraq's prime minister.")
    (uk,) = extract_offices("British Prime Minister Keir Starmer spoke.")
    (bare,) = extract_offices("Prime Minister Mohammed Shia al-Sudani spoke.")
    (mayor,) = extract_offices("Mayor Ann Lee of Iraq spoke.")
    assert not same_office(iraq, uk)
    assert not same_office(iraq, mayor)
    assert same_office(iraq, bare, "Iraq's government said Prime Minister Mohammed Shia al-Sudani spoke.")
    assert not same_office(iraq, bare, "Prime Minister Mohammed Shia al-Sudani spoke.")  # whose, unknown


@given(st.text(max_size=200))
def test_extraction_never_fails_and_keys_are_names(text):
    for office in extract_offices(text):
        assert office.holder and office.name and office.start < office.end <= len(text)


SOURCE = {
    "old": SourceInfo("old", "Old report", "Wire", date(2021, 7, 26)),
    "new": SourceInfo("new", "New report", "Paper", date(2024, 9, 6)),
}


def judged(claim: str, sentence: str, source: str) -> Judged:
    info = SOURCE[source]
    facts = text_facts(sentence, published=info.published)
    ctx = Context(facts, facts, 0.55, info.published, f"{info.publisher}, {info.published.isoformat()}")
    judgement: Judgement = judge_passage(text_facts(claim), ctx)
    passage = Passage(source, 1, sentence, 0, len(sentence), 1, 1)
    return Judged(Candidate(passage, info, 0.55, 0.55), judgement)


def test_the_latest_source_names_who_holds_an_office_now():
    old = "Iraqi Prime Minister Mustafa al-Kadhimi visited the White House."
    new = "Iraqi Prime Minister Mohammed Shia al-Sudani met the U.S. envoy."
    claim = "Mustafa al-Kadhimi is Iraq's prime minister."
    items = [judged(claim, old, "old"), judged(claim, new, "new")]
    assert [(j.stance, j.judgement.aspect, j.judgement.state) for j in items] == [
        ("supports", "office", True),
        ("contradicts", "office", True),
    ]
    verdict = aggregate(claim, items)
    assert verdict.verdict == "contradicted" and verdict.aspect == "time"
    assert "Mohammed Shia al-Sudani" in verdict.reason and "2021-07-26" in verdict.reason
    current = "Mohammed Shia al-Sudani is Iraq's prime minister."
    assert aggregate(current, [judged(current, old, "old"), judged(current, new, "new")]).verdict == "supported"


def test_a_claim_with_a_time_of_its_own_is_not_judged_by_the_office_rule():
    claim = "In 2021, Mustafa al-Kadhimi is Iraq's prime minister."
    j = judged(claim, "Iraqi Prime Minister Mohammed Shia al-Sudani met the U.S. envoy.", "new")
    assert j.judgement.aspect != "office"


def test_whose_office_may_be_named_elsewhere_in_the_passage():
    claim = "Donald Trump is the U.S. president."
    j = judged(claim, "President Joe Biden said the U.S. would keep troops in the region.", "new")
    assert (j.stance, j.judgement.aspect) == ("contradicts", "office")  # "U.S." names the president's country
    j = judged(claim, "President Joe Biden said the talks went well.", "new")
    assert j.judgement.aspect != "office"  # whose president, the passage does not say
