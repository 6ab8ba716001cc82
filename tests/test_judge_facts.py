"""Facts of a text: figures bound to places and owners, levels vs changes, dates, polarity."""

from __future__ import annotations

from datetime import date

import pytest

from factcheck.judge.facts import clauses, normal_lemmas, text_facts, unit_key


def by_value(facts):
    return {b.q.value: b for b in facts.quantities}


def test_each_figure_binds_to_its_own_place():
    f = text_facts("The U.S. has approximately 2,500 troops in Iraq and 900 in neighbouring Syria")
    q = by_value(f)
    assert set(q) == {2500, 900}
    assert (q[2500].place, q[2500].place_kind) == ("iraq", "country")
    assert (q[900].place, q[900].place_kind) == ("syria", "country")
    # 900 inherits the counted noun of 2,500 and the sentence's subject
    assert unit_key(q[900].q) == "troop" and q[900].q.inherited_unit
    assert q[2500].owner == q[900].owner == "united states"
    assert q[2500].q.bound == "approx" and q[2500].q.low < 2500 < q[2500].q.high


def test_owner_is_the_subject_country():
    q = by_value(text_facts("Spain has 400 troops in Iraq."))[400]
    assert q.owner == "spain"
    assert q.place == "iraq"
    assert q.q.bound == "exact" and (q.q.low, q.q.high) == (400, 400)


def test_owner_from_a_demonym_in_the_counted_noun_phrase():
    q = by_value(text_facts("There are presently about 2,500 American troops in Iraq."))[2500]
    assert (q.owner, q.place) == ("united states", "iraq")


def test_a_place_after_a_locative_is_not_an_owner():
    q = by_value(text_facts("Troops in Iraq number 400."))[400]
    assert q.owner is None
    assert q.place == "iraq"


def test_sentence_initial_locative_binds_the_place():
    q = by_value(text_facts("In Iraq, 400 troops remain."))[400]
    assert q.place == "iraq"


def test_withdrawn_figures_are_changes_remaining_figures_are_levels():
    withdraw = by_value(text_facts("The U.S. will withdraw 2,000 troops from Iraq."))[2000]
    assert withdraw.delta and "out" in withdraw.actions
    remain = by_value(text_facts("About 2,500 U.S. troops remain in Iraq."))[2500]
    assert not remain.delta
    level = by_value(text_facts("By January 2021, the U.S. had reduced its presence to 2,500 troops in Iraq."))[2500]
    assert not level.delta  # "reduced ... to 2,500": the level after the change


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The ministry deployed thousands of additional nurses to the north.", None),
        ("An additional 13 people were injured.", 13),
        ("The city hired 300 more teachers in March.", 300),
        ("Another 40 buses will be sent to the coast.", 40),
    ],
)
def test_what_was_added_is_a_change(text, value):
    facts = text_facts(text)
    q = facts.quantities[0] if value is None else by_value(facts)[value]
    assert q.delta
    assert not by_value(text_facts("The city has 300 teachers deployed in the north."))[300].delta


def test_from_to_roles():
    f = text_facts(
        "the United States has decided to reduce our troop presence in Iraq from about 5,200 to 3,000 troops "
        "during the month of September",
        published=date(2020, 9, 9),
    )
    q = by_value(f)
    assert (q[5200].q.role, q[3000].q.role) == ("from", "to")
    assert not q[5200].delta and not q[3000].delta
    assert q[5200].place == q[3000].place == "iraq"
    assert [(d.low, d.high) for d in f.dates] == [(date(2020, 9, 1), date(2020, 9, 30))]


def test_date_before_a_figure_is_its_time():
    f = text_facts("By January 2021, the U.S. had reduced its presence to 2,500 troops in Iraq.")
    when = by_value(f)[2500].when
    assert when is not None and when.text == "January 2021" and when.relation == "by"


def test_a_date_right_after_a_figure_is_its_time():
    f = text_facts(
        "The reservoir kept falling, reaching 21 percent in August 2023 and a record low of 19 percent in October 2023."
    )
    q = by_value(f)
    assert (q[0.21].when.text, q[0.19].when.text) == ("August 2023", "October 2023")
    as_of = by_value(text_facts("About 2,500 U.S. troops were in Iraq as of March 2023."))[2500].when
    assert as_of is not None and as_of.text == "March 2023"


def test_a_date_further_after_a_figure_belongs_to_something_else():
    f = text_facts("The U.S. has about 900 troops remaining in Syria, where the coalition formed in 2014.")
    assert by_value(f)[900].when is None
    f = text_facts(
        "The U.S. was expected to reduce troops from 5,200 to 3,000 in September.", published=date(2020, 8, 28)
    )
    q = by_value(f)
    assert q[3000].when.text == "September" and q[5200].when is None


def test_day_dates_and_present_markers():
    f = text_facts("The U.S. combat mission formally concluded on 9 December 2021, with 2,500 U.S. troops remaining.")
    assert [(d.low, d.high, d.granularity) for d in f.dates] == [(date(2021, 12, 9), date(2021, 12, 9), "day")]
    assert by_value(f)[2500].when.low == date(2021, 12, 9)
    assert not text_facts("The U.S. has 5,200 troops in Iraq today.").past
    assert text_facts("Gen. McKenzie announced the reduction of troops in Iraq to 3,000.").past


def test_relative_dates_resolve_against_publication():
    f = text_facts("More than 2,000 U.S. troops will be withdrawn from Iraq this month", published=date(2020, 9, 9))
    assert [(d.low, d.high) for d in f.dates] == [(date(2020, 9, 1), date(2020, 9, 30))]
    q = by_value(f)[2000]
    assert q.q.bound == "more" and q.q.low == 2000 and q.q.high > 2000


def test_a_dateline_is_not_an_event_date():
    f = text_facts(
        "BAGHDAD, Sept 6 (Reuters) - The United States and Iraq have reached an understanding",
        published=date(2024, 9, 6),
    )
    assert f.dates == ()


def test_since_clause_marks_a_start():
    f = text_facts("ISIS has lost its territory since it swept Iraq in 2014")
    assert [d.relation for d in f.dates] == ["since"]


def test_year_is_not_counted_as_a_quantity():
    f = text_facts("Three years later, in 2017, the group was defeated.")
    assert all(b.q.value != 2017 for b in f.quantities)


def test_number_words_and_ordinals():
    f = text_facts("Roughly nine hundred American troops are deployed in Syria.")
    q = by_value(f)[900]
    assert (q.place, q.owner, q.q.bound) == ("syria", "united states", "approx")
    o = text_facts("It was the fourth base transferred.")
    assert [b.q.value for b in o.ordinals] == [4] and o.quantities == ()


def test_negation_actions_and_lemmas():
    f = text_facts("The coalition will not stay at Ain al-Asad airbase.")
    assert f.negations == 1
    assert "in" in f.actions
    assert "@coalition" in f.lemmas and "@ain al-asad" in f.lemmas
    assert "coalition" not in f.lemmas  # entity words are replaced by their key


def test_clauses_split_on_conjunctions():
    text = "2,500 troops are in Iraq, but 900 are in Syria"
    spans = clauses(text)
    assert [text[a:b] for a, b in spans] == ["2,500 troops are in Iraq", "900 are in Syria"]


def test_normal_lemmas_fold_action_synonyms():
    assert normal_lemmas("The mission concluded") == normal_lemmas("The mission ended")
