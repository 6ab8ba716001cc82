"""Entities without a NER model: countries, aliases, titled persons, places, organisations."""

from __future__ import annotations

import pytest

from factcheck.extract.entities import country_of, extract_entities, gazetteer_from, surname


def ents(text, gazetteer=None):
    return [(e.key, e.kind) for e in extract_entities(text, gazetteer)]


def test_spans_are_exact_and_sorted():
    text = "Iraqi Prime Minister Mustafa al-Kadhimi met President Joe Biden in Washington."
    found = extract_entities(text)
    assert [e.start for e in found] == sorted(e.start for e in found)
    for e in found:
        assert text[e.start : e.end] == e.text


def test_countries_demonyms_and_capitals_share_a_key():
    assert ents("The U.S. has approximately 2,500 troops in Iraq and 900 in neighbouring Syria") == [
        ("united states", "country"),
        ("iraq", "country"),
        ("syria", "country"),
    ]
    assert ents("American troops") == [("united states", "country")]
    assert ents("The United States and Iraq reached a deal.") == [("united states", "country"), ("iraq", "country")]
    assert ("united states", "country") in ents("Washington will maintain a military footprint.")
    assert ents("Spain has 400 troops.") == [("spain", "country")]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("U.S.", "united states"),
        ("America", "united states"),
        ("Iraqi", "iraq"),
        ("Iraqis", "iraq"),
        ("Spain", "spain"),
    ],
)
def test_country_of(name, key):
    assert country_of(name) == key


def test_unknown_word_is_not_a_country():
    assert country_of("Pentagon") is None
    assert country_of("Troops") is None


def test_titled_persons_are_keyed_on_their_surname():
    assert ents("said Marine Gen. Frank McKenzie.") == [("mckenzie", "person")]
    assert ents("Iraqi Prime Minister Mustafa al-Kadhimi met President Joe Biden.") == [
        ("iraq", "country"),
        ("kadhimi", "person"),
        ("biden", "person"),
    ]
    assert ("mckenzie", "person") in ents('CENTCOM commander Gen. "Frank" McKenzie confirmed the plan.')
    assert ("brennan", "person") in ents("Coalition commander Maj. Gen. John Brennan stated it.")


def test_a_title_stops_at_a_function_word():
    found = extract_entities("President Biden said the plan would work.")
    assert [(e.key, e.text) for e in found if e.kind == "person"] == [("biden", "Biden")]


def test_surname():
    assert surname("Mustafa al-Kadhimi") == "kadhimi"
    assert surname("Frank McKenzie's") == "mckenzie"
    assert surname('Gen. "Frank" McKenzie') == "mckenzie"


def test_aliases_map_to_one_actor():
    assert ents("ISIS, also known as Daesh or ISIL, lost ground.") == [("isis", "group")] * 3
    assert ents("U.S. Central Command said Wednesday.") == [("centcom", "org")]
    assert ents("CENTCOM said so.") == [("centcom", "org")]
    assert ents("The Pentagon plans to build a new base in Kuwait.") == [("pentagon", "org"), ("kuwait", "country")]


def test_lower_case_actor_aliases():
    assert ents("the coalition will stay") == [("coalition", "org")]


def test_places_by_cue_words_share_a_key_without_the_cue():
    found = extract_entities("all coalition forces would leave the Ain al-Asad airbase in western Anbar")
    places = [e for e in found if e.kind == "place"]
    assert places and places[0].key == "ain al-asad" and places[0].text == "Ain al-Asad"
    other = extract_entities("Troops left Ain al-Asad Air Base in 2024.")
    assert "ain al-asad" in {e.key for e in other if e.kind == "place"}


def test_sentence_initial_function_words_are_not_entities():
    assert ents("The move will occur in two phases.") == []
    assert ents("However, Several officials said so.") == []


@pytest.mark.parametrize(
    ("sentence", "kind", "key"),
    [
        ("Three Iraqi officials were among the sources.", "country", "iraq"),
        ("Five Americans were killed.", "country", "united states"),
        ("Hundreds Canadian volunteers came.", "country", "canada"),
        ("Twelve Harbour Council members resigned.", "org", "harbour council"),
    ],
)
def test_a_count_opening_a_sentence_is_no_part_of_the_name_after_it(sentence, kind, key):
    assert [(e.kind, e.key) for e in extract_entities(sentence)] == [(kind, key)]


def test_gazetteer_types_names_seen_elsewhere():
    gaz = gazetteer_from(["Marine Gen. Frank McKenzie spoke.", "Troops moved to Camp Taji on Monday."])
    assert gaz["mckenzie"] == "person" and gaz["frank mckenzie"] == "person"
    assert gaz["camp taji"] == "place"
    # a bare mention elsewhere is typed by the gazetteer
    assert ("mckenzie", "person") in ents("McKenzie said the troops would stay.", gaz)
    assert ("mckenzie", "person") not in ents("McKenzie said the troops would stay.")


def test_a_name_ends_with_its_sentence_but_not_at_an_initial_or_a_title():
    text = "The strike killed commander Abu Mahdi al-Muhandis. Iraq protested."
    found = [(e.text, e.kind) for e in extract_entities(text)]
    assert ("Abu Mahdi al-Muhandis", "person") in found
    assert ("Iraq", "country") in found
    texts = [e.text for e in extract_entities("Lt. Gen. Paul Funk met John F. Kennedy Jr. in the U.S. Embassy.")]
    assert "Paul Funk" in texts and "John F. Kennedy Jr" in texts
