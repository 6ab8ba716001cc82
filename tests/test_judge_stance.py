"""judge_passage on hand-built contexts: real sentences from the sources, fixed cosines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from factcheck.judge.facts import text_facts
from factcheck.judge.stance import Context, _gives_figure, judge_passage, word_share

REUTERS = date(2024, 9, 6)
WIKI = date(2023, 12, 1)
NBC = date(2020, 9, 9)
BLOOMBERG = date(2021, 7, 26)

IRAQ_SYRIA = "The U.S. has approximately 2,500 troops in Iraq and 900 in neighbouring Syria as part of the coalition."
PRESENTLY = "There are presently about 2,500 American troops in Iraq."
CONCLUDED = (
    "The U.S. combat mission formally concluded on 9 December 2021, with 2,500 U.S. troops remaining in the country."
)
BIDEN_JULY = (
    "In July 2021, President Joe Biden announced that he would end the U.S. combat mission in Iraq by the end of 2021."
)
SPAIN = "On 1 June Spain announced its intentions to withdraw from its primary base in Iraq by the end of July."
AIN_AL_ASAD = (
    "Under the plan, all coalition forces would leave the Ain al-Asad airbase in western Anbar province and reduce "
    "their presence in Baghdad by September 2025."
)
TRAINED = (
    "The U.S. has trained 250,000 Iraqis and believes that they've proven capable of defending the country, "
    "the official said."
)
MCKENZIE = (
    "Marine Gen. Frank McKenzie said the U.S. would reduce its troop presence in Iraq from about 5,200 to 3,000 "
    "troops during the month of September."
)


def judge(claim, sentence, cosine, published=REUTERS, *, previous="", following="", heading=""):
    window_text = " ".join(t for t in (previous, sentence, following) if t)
    window = text_facts(window_text, published=published, heading=heading)
    if heading:  # as the API does: the heading's dates and entities belong to the window
        head = text_facts(heading, published=published)
        window = replace(
            window, dates=window.dates + head.dates, entities=window.entities + head.entities, heading_dates=head.dates
        )
    ctx = Context(
        text_facts(sentence, published=published, heading=heading),
        window,
        cosine,
        published,
        "Src, 2024-09-06",
    )
    return judge_passage(text_facts(claim), ctx)


def test_matching_figure_supports_and_is_a_state():
    j = judge("About 2,500 U.S. troops remain in Iraq.", IRAQ_SYRIA, 0.75)
    assert (j.stance, j.aspect, j.state) == ("supports", "number", True)
    assert len(j.values) == 1 and "2,500" in j.values[0]
    assert j.span == (REUTERS, REUTERS)  # no date in the sentence: valid at publication
    claim = text_facts("About 2,500 U.S. troops remain in Iraq.")
    share = word_share(claim, text_facts(IRAQ_SYRIA))
    assert 0 < share < 1
    assert j.score == pytest.approx(0.7 * 0.75 + 0.3 * share, abs=1e-3)


def test_second_figure_binds_to_its_own_place():
    j = judge("About 900 U.S. troops are deployed in Syria.", IRAQ_SYRIA, 0.75)
    assert j.stance == "supports"
    assert len(j.values) == 1 and "900" in j.values[0]


def test_number_conflict():
    j = judge("The U.S. has 5,200 troops in Iraq today.", IRAQ_SYRIA, 0.75)
    assert (j.stance, j.aspect, j.state) == ("contradicts", "number", True)
    assert "5,200" in j.reason and "2,500" in j.reason
    j = judge("The U.S. has trained 400,000 Iraqi security personnel.", TRAINED, 0.73, BLOOMBERG)
    assert (j.stance, j.aspect) == ("contradicts", "number")
    assert "400,000" in j.reason and "250,000" in j.reason
    assert j.span == (BLOOMBERG, BLOOMBERG)


def test_figure_of_another_place_in_the_same_sentence_conflicts():
    j = judge("About 2,500 U.S. troops are deployed in Syria.", IRAQ_SYRIA, 0.75)
    assert (j.stance, j.aspect) == ("contradicts", "number")
    assert len(j.values) == 1 and "900" in j.values[0]


def test_place_swap():
    j = judge("About 2,500 U.S. troops are in Kuwait.", IRAQ_SYRIA, 0.7)
    assert (j.stance, j.aspect) == ("contradicts", "place")
    assert "Kuwait" in j.reason and "Iraq" in j.reason
    j = judge("The coalition will leave Erbil airbase by September 2025.", AIN_AL_ASAD, 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "place")
    assert "Erbil" in j.reason and "Ain al-Asad" in j.reason


def test_unverified_when_the_figure_binds_elsewhere():
    # the passage's figure counts another place
    j = judge("About 900 U.S. troops are deployed in Syria.", "The U.S. has 2,500 troops in Iraq.", 0.7)
    assert j.stance == "related" and j.reason == "does not give the claim's figure"
    # the passage's figure belongs to another owner
    assert judge("Spain has 2,500 troops in Iraq.", IRAQ_SYRIA, 0.75).stance == "related"
    # a change is not a level
    j = judge("The U.S. has 2,000 troops in Iraq.", "The U.S. will withdraw 2,000 troops from Iraq.", 0.75)
    assert j.stance == "related"


def test_date_support_and_conflict():
    claim = "The U.S. combat mission in Iraq formally ended on 9 December 2021."
    j = judge(claim, CONCLUDED, 0.85, WIKI, previous=BIDEN_JULY)
    assert (j.stance, j.aspect) == ("supports", "date")
    assert j.span == (date(2021, 12, 9), date(2021, 12, 9))
    j = judge(
        "The U.S. combat mission in Iraq formally ended in March 2020.", CONCLUDED, 0.85, WIKI, previous=BIDEN_JULY
    )
    assert (j.stance, j.aspect) == ("contradicts", "date")
    assert "March 2020" in j.reason and "9 December 2021" in j.reason


def test_date_support_needs_the_claims_places_in_the_window():
    j = judge("The U.S. combat mission in Iraq formally ended on 9 December 2021.", CONCLUDED, 0.85, WIKI)
    assert j.stance == "related"
    assert "actors or places" in j.reason
    assert j.states  # its own sentence gives the claim's date: a model's support of it rests on that date


def test_states_only_what_the_sentence_itself_gives():
    claim = "The harbour bridge in Dunmore reopened on 4 March 2019."
    own = judge(claim, "The bridge reopened to traffic on 4 March 2019 after repairs.", 0.8, WIKI)
    assert (own.stance, own.states) == ("related", True)  # Dunmore is not named around it
    around = judge(claim, "The bridge reopened to traffic after repairs.", 0.8, WIKI, previous="It was 4 March 2019.")
    assert not around.states  # the date is a neighbour's
    dateless = judge("The harbour bridge in Dunmore reopened.", "The bridge reopened to traffic.", 0.8, WIKI)
    assert not dateless.states  # a claim without figures or dates: nothing to rest on


def test_same_statement_supports():
    claim = "Spain announced it would withdraw from its primary base in Iraq by the end of July."
    j = judge(claim, SPAIN, 0.9, WIKI)
    assert (j.stance, j.aspect) == ("supports", "text")
    assert j.span == (date(2023, 6, 1), date(2023, 6, 1))  # "On 1 June" resolved against publication


def test_actor_swap():
    j = judge("France announced it would withdraw from its primary base in Iraq by the end of July.", SPAIN, 0.75, WIKI)
    assert (j.stance, j.aspect) == ("contradicts", "actor")
    assert "France" in j.reason and "Spain" in j.reason
    j = judge("Gen. Joseph Votel announced the reduction to 3,000 troops.", MCKENZIE, 0.7, NBC)
    assert (j.stance, j.aspect) == ("contradicts", "actor")
    assert "Votel" in j.reason and "McKenzie" in j.reason
    assert judge("Gen. Frank McKenzie announced the reduction to 3,000 troops.", MCKENZIE, 0.7, NBC).stance == (
        "supports"
    )


def test_negation():
    j = judge("Spain announced it would not withdraw from its primary base in Iraq.", SPAIN, 0.8, WIKI)
    assert (j.stance, j.aspect) == ("contradicts", "polarity")
    assert "not" in j.reason


def test_a_word_against_its_prefixed_opposite_is_a_negation():
    j = judge(
        "The council described the new bridge as stable.",
        "The council described the new bridge as unstable after Tuesday's inspection.",
        0.85,
    )
    assert (j.stance, j.aspect) == ("contradicts", "polarity")
    assert "stable" in j.reason and "unstable" in j.reason


def test_a_former_holder_is_supported_by_a_passage_naming_them_former():
    passage = "Elena Ruiz, the former mayor of Tarragona, opened the new library on Saturday."
    j = judge("Elena Ruiz is the former mayor of Tarragona.", passage, 0.6)
    assert (j.stance, j.aspect) == ("supports", "office")
    assert "Elena Ruiz" in j.reason and not j.state  # once former, always former: no state a later source outdates
    # a claim that says more than the office is not decided by the office alone
    assert judge("Elena Ruiz, the former mayor of Tarragona, closed the library.", passage, 0.6).aspect != "office"
    # a passage naming someone else as former mayor is no support on the office (two can have held it)
    assert judge("Pau Serra is the former mayor of Tarragona.", passage, 0.6).aspect != "office"


def test_before_against_after_the_same_event_is_a_contradiction_of_order():
    j = judge(
        "The first phase of the dam repairs will end a month after the March 2027 council elections.",
        "The first phase of the dam repairs will end one month before council elections set for March 2027.",
        0.85,
    )
    assert (j.stance, j.aspect) == ("contradicts", "order")
    assert "after" in j.reason and "before" in j.reason


def test_a_name_of_several_words_must_be_in_an_archive_passage_for_the_rules_to_support():
    passage = "Elena Ruiz, the former mayor of Tarragona, opened the new library on Saturday."
    claim = text_facts("Pau Serra is the former mayor of Tarragona.")
    ctx = Context(text_facts(passage), text_facts(passage), 0.8, REUTERS, "Src, 2024-09-06")
    assert judge_passage(claim, ctx).stance == "related"
    assert judge_passage(text_facts("Elena Ruiz is the former mayor of Tarragona."), ctx).stance == "supports"
    # a grounded check reads the claim's own cited text, which names its subject once ("He", "She")
    cited = "She opened the new library in Tarragona on Saturday."
    ctx = Context(text_facts(cited), text_facts(cited), 0.8, REUTERS, "Src, 2024-09-06")
    claim = text_facts("Elena Ruiz opened the new library in Tarragona on Saturday.")
    assert judge_passage(claim, ctx).stance == "related"
    assert judge_passage(claim, replace(ctx, grounded=True)).stance == "supports"


def test_an_opposite_action_told_for_other_dates_is_no_contradiction():
    passage = "The army withdrew its troops from the border in 2005, but returned there in 2012 with new orders."
    j = judge("The army deployed troops to the border in 2012.", passage, 0.8)
    assert j.stance != "contradicts"
    # the opposite action told for the claim's own year still denies it
    j = judge("The army deployed troops to the border in 2005.", passage, 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "polarity")


def test_an_actor_who_also_did_it_is_one_more_actor_not_another():
    claim = "Canada sent engineers to the flooded valley in 2019."
    j = judge(claim, "Norway also sent engineers to the flooded valley in 2019.", 0.8)
    assert j.stance != "contradicts"
    j = judge(claim, "Norway sent engineers to the flooded valley in 2019.", 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "actor")


def test_a_figure_conflict_names_the_figure_counting_the_claims_own_things():
    passage = (
        "The panel heard five French engineers, two engineers from other firms, and three Spanish engineers, "
        "all speaking on condition of anonymity."
    )
    j = judge("The panel heard five French engineers and four Spanish engineers.", passage, 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "number")
    assert "three Spanish engineers" in j.reason


def test_two_figures_of_change_are_compared_only_as_the_same_change():
    passage = "Rocket attacks have killed three French engineers and wounded dozens more."
    j = judge("The firm might pull its roughly 900 French engineers out of Mali.", passage, 0.75)
    assert j.stance != "contradicts"
    j = judge("Rocket attacks have killed five French engineers.", passage, 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "number")


def test_a_holder_named_otherwise_does_not_support_an_office():
    passage = "Lena Ortiz, economic adviser to the Chilean president, said the budget had passed."
    j = judge("Lena Ortiz is Chile's finance minister.", passage, 0.8)
    assert (j.stance, j.aspect) == ("related", "office")
    assert "finance minister" in j.reason


def test_opposite_action():
    j = judge("The coalition will stay at Ain al-Asad airbase after September 2025.", AIN_AL_ASAD, 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "polarity")
    assert "stay" in j.reason and "leave" in j.reason
    j = judge("Spain announced it would stay at its primary base in Iraq after the end of July.", SPAIN, 0.75, WIKI)
    assert (j.stance, j.aspect) == ("contradicts", "polarity")
    j = judge("The coalition will leave Ain al-Asad airbase by September 2025.", AIN_AL_ASAD, 0.8)
    assert (j.stance, j.aspect) == ("supports", "date")


def test_low_cosine_is_never_decisive():
    for claim, sentence in [
        ("About 2,500 U.S. troops remain in Iraq.", IRAQ_SYRIA),
        ("The U.S. has 5,200 troops in Iraq today.", IRAQ_SYRIA),
        ("France announced it would withdraw from its primary base in Iraq by the end of July.", SPAIN),
    ]:
        j = judge(claim, sentence, 0.2)
        assert (j.stance, j.reason) == ("related", "speaks of other things")


def test_unrelated_passage_is_related():
    j = judge(
        "The Pentagon plans to build a new base in Kuwait.",
        "On 4 April 2020, the coalition transferred the Al-Taqaddum Air Base.",
        0.46,
    )
    assert j.stance == "related"


def test_from_value_held_just_before_its_date():
    j = judge("The U.S. has 5,200 troops in Iraq.", MCKENZIE, 0.7, NBC)
    assert j.stance == "supports"
    assert len(j.values) == 1 and "5,200" in j.values[0]
    assert j.span == (date(2020, 9, 8), date(2020, 9, 8))  # "from 5,200" held the day before publication


def test_heading_period_dates_a_sentence_without_dates():
    j = judge(
        "About 2,500 U.S. troops remain in Iraq.",
        "About 2,500 U.S. troops remain in Iraq.",
        0.95,
        WIKI,
        heading="July 2021 \u2013 December 2021: End of combat mission",
    )
    assert j.stance == "supports"
    assert j.span == (date(2021, 7, 1), date(2021, 12, 31))


def test_two_approximate_figures_far_apart_do_not_support():
    j = judge("About 2,500 U.S. troops remain in Iraq.", "The U.S. has about 3,000 troops in Iraq.", 0.9)
    assert j.stance != "supports"


REUTERS_TALKS = (
    "The agreement follows more than six months of talks between Baghdad and Washington, initiated by Prime "
    "Minister al-Sudani in January amid attacks by Iran-backed Iraqi armed groups on U.S. forces stationed at "
    "Iraqi bases."
)
REUTERS_KILLED = (
    "The rocket and drone attacks have killed three American troops and wounded dozens more, resulting in several "
    "rounds of deadly U.S. retaliation that threatened government efforts to stabilize Iraq after decades of "
    "conflict."
)


def test_a_casualty_count_is_not_a_troop_level():
    j = judge(
        "The U.S. has 5,200 troops in Iraq today.", REUTERS_KILLED, 0.6, previous=REUTERS_TALKS, following=IRAQ_SYRIA
    )
    assert j.stance == "related", j.reason


def test_a_from_value_held_until_the_change_so_an_earlier_date_agrees():
    before = judge(
        "About 5,200 U.S. troops were in Iraq in August 2020.",
        MCKENZIE + " It was announced on 9 September 2020.",
        0.8,
        NBC,
    )
    assert before.stance != "contradicts", before.reason
    after = judge(
        "The U.S. cut its troops in Iraq from 5,200 to 3,000 in August 2020.",
        "On 9 September 2020 the U.S. said it would cut its troops in Iraq from 5,200 to 3,000.",
        0.85,
        NBC,
    )
    assert (after.stance, after.aspect) == ("contradicts", "date")  # the change itself keeps its date


def test_a_place_named_but_not_bound_to_the_figure_still_counts():
    j = judge("Between 2,000 and 3,000 troops remain in Iraq, according to U.S. officials.", PRESENTLY, 0.7)
    assert (j.stance, j.aspect) == ("supports", "number"), j.reason


def test_a_place_named_in_both_does_not_make_other_people_the_same_count():
    officials = (
        "The sources include five U.S. officials, two officials from other coalition nations, and an Iraqi official."
    )
    assert (
        judge("About 2,500 U.S. troops are still in Iraq according to officials.", officials, 0.7).stance
        != "contradicts"
    )


def test_another_date_for_the_same_actors_is_another_events_unless_the_passage_says_what_happened():
    claim = "In April 2021, Anna Lund ruled out selling the harbour to Norway."
    said = "Anna Lund said on Wednesday that Norway would lease the port from next month."
    j = judge(claim, said, 0.62, published=date(2020, 9, 9))
    assert j.stance != "contradicts"
    # the same words of what happened, on another date, are a clash of dates
    sold = "In June 2020, Anna Lund ruled out selling the harbour to Norway."
    j = judge(claim, sold, 0.8, published=date(2021, 9, 9))
    assert (j.stance, j.aspect) == ("contradicts", "date")


def test_a_figure_a_change_ends_at_is_not_compared_with_where_it_began():
    claim = "In September 2020 the army said it would shrink its contingent to 3,000 troops."
    j = judge(claim, "In September 2020, the army said it would cut troops from 5,200 to 3,500.", 0.7, published=NBC)
    assert j.reason.endswith("3,500 troops")
    leaving = "In September 2020 the army withdrew 2,000 troops, leaving about 3,000."
    q = {bq.q.text: bq.delta for bq in text_facts(leaving).quantities}
    assert q == {"2,000": True, "3,000": False}


def test_a_person_named_only_beside_the_passage_is_no_swap_of_the_claims():
    claim = "The harbour reopened on 4 May 2023, weeks after Mayor Anna Lund promised it would."
    said = "The harbour reopened on 4 May 2023, weeks after repairs were promised."
    quoted = 'Harbour master Gen. Piet Visser said: "We are back."'
    j = judge(claim, said, 0.8, published=date(2023, 5, 5), following=quoted)
    assert j.stance != "contradicts"
    swapped = said.replace("repairs were promised", "Mayor Piet Visser promised it would")
    j = judge(claim, swapped, 0.8, published=date(2023, 5, 5))
    assert (j.stance, j.aspect) == ("contradicts", "actor")


def test_an_action_in_a_leading_subordinate_clause_is_not_what_the_claim_asserts():
    claim = "Even after the dredging ends, the port authority will keep the harbour open to ferries."
    said = "The port authority will keep the harbour open to ferries and continue the dredging."
    assert judge(claim, said, 0.8, published=date(2023, 5, 5)).stance != "contradicts"
    # what the main clause asserts is still read: keeping the ferries there against withdrawing them
    withdrawn = "The port authority will withdraw the ferries from the harbour and continue the dredging."
    j = judge("Even after the dredging ends, the port authority will keep the ferries in the harbour.", withdrawn, 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "polarity")


COUNCIL = date(2023, 5, 10)


@pytest.mark.parametrize(
    ("claim", "passage", "stance"),
    [
        # both deny the same thing: the same polarity
        (
            "The council has not reached an agreement on the harbour budget.",
            "No agreement has been reached on the harbour budget, the council said on Tuesday.",
            "supports",
        ),
        (
            "The minister said the hospital would not be sold.",
            "The minister denied that the hospital would be sold.",
            "supports",
        ),
        (
            "Anna Berg opposed the plan to close the library.",
            "Anna Berg rejected the plan to close the library.",
            "supports",
        ),
        (
            "Nobody was hurt in the fire at the depot.",
            "Police said nobody was hurt in the fire at the depot.",
            "supports",
        ),
        # a negation in the passage's own wording
        (
            "The ferry company has resumed service to the island.",
            "The ferry company has yet to resume service to the island.",
            "contradicts",
        ),
        ("The council voted to raise parking fees.", "The council voted against raising parking fees.", "contradicts"),
        (
            "The council reached an agreement on the harbour budget.",
            "No agreement has been reached on the harbour budget.",
            "contradicts",
        ),
        (
            "Several people were injured in the fire at the depot.",
            "Police said nobody was injured in the fire at the depot.",
            "contradicts",
        ),
        # opposite phrasal actions
        (
            "The union went ahead with the strike planned for June.",
            "The union called off the strike planned for June.",
            "contradicts",
        ),
        (
            "The union cancelled the strike planned for June.",
            "The union called off the strike planned for June.",
            "supports",
        ),
    ],
)
def test_negation_in_either_wording(claim, passage, stance):
    """Made-up council news: a denial on both sides is agreement; "no X", "yet to", "voted against" and "called
    off" deny what the other side asserts."""
    j = judge(claim, passage, 0.85, COUNCIL)
    assert j.stance == stance, j.reason


def test_a_place_inside_another_is_no_swap():
    """ "Riverside" and "Riverside Park" (issue item 7): one place in the other, or the same named shorter; another
    place is still a swap."""
    park = "The festival was held in Riverside Park for the first time."
    assert judge("The festival was held in Riverside for the first time.", park, 0.85, COUNCIL).stance != "contradicts"
    j = judge("The festival was held in Lakeside Park for the first time.", park, 0.85, COUNCIL)
    assert (j.stance, j.aspect) == ("contradicts", "place")


def test_another_kind_of_person_is_a_swap():
    """ "A nurse" for "a doctor" (issue item 2), one for one; a synonym is the same kind, and a kind named around
    the passage may be the claim's own."""
    nurse = "A nurse at the city hospital was honoured for her work during the flood."
    j = judge("A doctor at the city hospital was honoured for her work during the flood.", nurse, 0.85, COUNCIL)
    assert (j.stance, j.aspect) == ("contradicts", "actor") and "doctor" in j.reason and "nurse" in j.reason
    rescue = "Firefighters rescued three children from the burning apartment on Elm Street."
    j = judge("Police rescued three children from the burning apartment on Elm Street.", rescue, 0.85, COUNCIL)
    assert (j.stance, j.aspect) == ("contradicts", "actor")
    j = judge("Firemen rescued three children from the burning apartment on Elm Street.", rescue, 0.85, COUNCIL)
    assert j.stance == "supports"
    j = judge(
        "Police rescued three children from the burning apartment on Elm Street.",
        rescue,
        0.85,
        COUNCIL,
        following="Police later closed the street.",
    )
    assert j.stance != "contradicts"


@pytest.mark.parametrize(
    ("claim", "passage"),
    [
        ("The central bank tightened lending rules in October.", "The central bank eased lending rules in October."),
        ("Marta Lind quit the board of the shipping company.", "Marta Lind joined the board of the shipping company."),
        ("The club will give up its stadium in the centre.", "The club will keep its stadium in the centre."),
        ("The court convicted the former minister of fraud.", "The court acquitted the former minister of fraud."),
        ("Sales of electric cars halved in September.", "Sales of electric cars doubled in September."),
        ("The government lifted the curfew in the capital.", "The government imposed a curfew in the capital."),
        ("The airline laid off its cabin crew in Bergen.", "The airline hired cabin crew in Bergen."),
    ],
)
def test_opposite_actions_beyond_withdraw_and_stay(claim, passage):
    """Made-up pairs (issue item 3): eased / tightened, joined / quit, keep / give up, acquitted / convicted,
    doubled / halved, imposed / lifted, hired / laid off."""
    j = judge(claim, passage, 0.85, COUNCIL)
    assert (j.stance, j.aspect) == ("contradicts", "polarity"), j.reason


# Vague figures ("hundreds", "thousands") are compared as the ranges they allow (made-up sentences).
HUNDREDS = "Several neighbouring countries also sent hundreds of firefighters to the region."


def test_a_vague_figure_denies_a_figure_outside_its_range():
    j = judge("Several neighbouring countries sent thousands of firefighters to the region.", HUNDREDS, 0.8)
    assert (j.stance, j.aspect) == ("contradicts", "number")
    assert "hundreds" in j.reason


def test_a_vague_figure_is_confirmed_by_the_same_vague_figure():
    j = judge("Neighbouring countries sent hundreds of firefighters to the region.", HUNDREDS, 0.85)
    assert (j.stance, j.aspect) == ("supports", "number")


def test_a_vague_figure_does_not_confirm_a_precise_one():
    j = judge("Neighbouring countries sent 400 firefighters to the region.", HUNDREDS, 0.8)
    assert j.stance == "related"


def test_a_precise_figure_confirms_a_vague_claim():
    j = judge(
        "Thousands of firefighters were sent to the region.",
        "About 2,300 firefighters were sent to the region from neighbouring countries.",
        0.8,
    )
    assert (j.stance, j.aspect) == ("supports", "number")


def test_a_sentence_giving_the_claims_figure_does_not_deny_it_with_another_of_its_figures():
    listing = (
        "The sources include five U.S. officials, two officials from other coalition nations, and three Iraqi "
        "officials, all speaking on condition of anonymity."
    )
    j = judge("Three Iraqi officials were among the sources.", listing, 0.7)
    assert j.stance != "contradicts", j.reason
    j = judge("Four Iraqi officials were among the sources.", listing, 0.7)
    assert (j.stance, j.aspect) == ("contradicts", "number")
    # a figure of the claim's value pinned to another place still leaves the claim's place its own figure
    j = judge("About 900 U.S. troops are deployed in Iraq.", IRAQ_SYRIA, 0.75)
    assert (j.stance, j.aspect) == ("contradicts", "number")
    given = text_facts(listing).quantities
    assert _gives_figure(text_facts("Three Iraqi officials were among the sources.").quantities[0], given)
    assert not _gives_figure(text_facts("Four Iraqi officials were among the sources.").quantities[0], given)
    assert not _gives_figure(text_facts("Three Iraqi soldiers were among the dead.").quantities[0], given)
    assert not _gives_figure(
        text_facts("About 900 U.S. troops are deployed in Iraq.").quantities[0], text_facts(IRAQ_SYRIA).quantities
    )


def test_a_country_saying_where_a_named_place_is_is_no_swap():
    """ "Iraq's Kurdistan region" against a passage on "the Kurdistan region" and forces in Syria: the country
    says where the place is, it is not the claim's actor; a country acting is still a swap."""
    passage = (
        "A small force will remain in the Lakeland region, and the navy may be able to support its ships in Norway."
    )
    for claim in (
        "A small force will remain in Sweden's Lakeland region.",
        "A small force will remain in the Lakeland region, Sweden.",
        "A small force will remain in the Lakeland region of Sweden.",
    ):
        assert judge(claim, passage, 0.85, COUNCIL).stance != "contradicts", claim
    j = judge(
        "Sweden will keep a small force in the Lakeland region.",
        "Norway will keep a small force in the Lakeland region.",
        0.85,
        COUNCIL,
    )
    assert (j.stance, j.aspect) == ("contradicts", "actor")


def test_a_figure_of_change_is_an_event_not_a_state():
    """ "300 volunteers will be withdrawn" counts one change: a later report of another change does not outdate it
    as a later level outdates a level ("2,500 troops remain")."""
    sent = "The council said 300 volunteers will be withdrawn from the coast this month."
    j = judge("300 volunteers will be withdrawn from the coast.", sent, 0.9, COUNCIL)
    assert (j.stance, j.aspect, j.state) == ("supports", "number", False)
    j = judge("500 volunteers will be withdrawn from the coast.", sent, 0.9, COUNCIL)
    assert (j.stance, j.aspect, j.state) == ("contradicts", "number", False)
    j = judge("About 2,500 U.S. troops remain in Iraq.", IRAQ_SYRIA, 0.75)
    assert j.state


def test_a_figure_told_with_every_date_of_the_claim_holds_for_those_dates():
    """A plan's figure ("in two phases, ... in May 2026 ... until at least June 2027") is told for the plan's
    dates, not only for the day of the report."""
    plan = "The repairs will occur in two phases, ending in May 2026 but continuing until at least June 2027."
    j = judge(plan, plan, 1.0, COUNCIL)
    assert (j.stance, j.aspect) == ("supports", "number")
    assert j.span == (date(2026, 5, 1), date(2027, 6, 30))
    j = judge("The repairs will occur in two phases.", plan, 0.9, COUNCIL)
    assert j.span == (COUNCIL, COUNCIL)  # a claim without dates: the report's day, as before


def test_a_country_swap_needs_both_countries_in_one_role():
    """Where something is ("in Sweden") is not set against whose it is ("the Norwegian mission")."""
    j = judge(
        "The training mission in Sweden would end by the end of 2025.",
        "The Norwegian training mission formally ended on 9 December 2025.",
        0.85,
        COUNCIL,
    )
    assert j.stance != "contradicts", j.reason
    j = judge("Troops will stay in Sweden next year.", "Troops will stay in Norway next year.", 0.85, COUNCIL)
    assert (j.stance, j.aspect) == ("contradicts", "actor")
    j = judge("Sweden will keep a small force there.", "Norway will keep a small force there.", 0.85, COUNCIL)
    assert (j.stance, j.aspect) == ("contradicts", "actor")


def test_nobody_is_a_count_that_another_count_denies():
    """ "Killed nobody" against "two people were killed" (issue item 5)."""
    j = judge(
        "The ferry accident killed nobody.",
        "Two people were killed and 13 were injured when the ferry hit the pier.",
        0.8,
        COUNCIL,
    )
    assert (j.stance, j.aspect) == ("contradicts", "number")
    assert "nobody" in j.reason and "two people" in j.reason.lower()
