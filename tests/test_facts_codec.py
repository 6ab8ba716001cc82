"""Passage facts survive the index's JSON codec unchanged; the index stores what queries would compute."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.judge.facts import passage_facts, text_facts
from factcheck.judge.facts_codec import dumps, facts_key, loads

SENTENCES = [
    "About 2,500 U.S. troops remain in Iraq as of September 2024, officials said.",
    "The mission ended on 9 December 2021, and France announced in June 2020 that it would leave by July.",
    "No fewer than twelve people were not hurt; Gen. Frank McKenzie visited Baghdad on Tuesday.",
    "",
    "Prices rose 3.2% in the year to March.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_round_trip(text):
    facts = text_facts(text, heading="2021 withdrawal")
    assert loads(dumps(facts)) == facts


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abcXYZ 0123456789,.%$-", max_size=80))
def test_round_trip_any_text(text):
    facts = text_facts(text)
    assert loads(dumps(facts)) == facts


def test_foreign_payload_is_refused():
    with pytest.raises(ValueError):
        loads(json.dumps([1, 2]))
    with pytest.raises(KeyError):
        loads(json.dumps({"$": "os.system", "v": []}))


@pytest.mark.e2e
def test_index_stores_the_facts_queries_would_compute(corpus):
    from factcheck.index.snapshot import open_snapshot

    snap = open_snapshot(corpus.index)
    try:
        sources = snap.store.sources()
        stored = snap.store.stored_facts(list(range(snap.manifest.passages)), facts_key())
        assert len(stored) == snap.manifest.passages
        for row, passage in sorted(snap.store.passages(list(range(snap.manifest.passages))).items())[::7]:
            around = snap.store.neighbours(passage.doc_id, passage.ordinal)
            expected = passage_facts(
                passage.text,
                previous=" ".join(q.text for q in around if q.ordinal < passage.ordinal),
                following=" ".join(q.text for q in around if q.ordinal > passage.ordinal),
                heading=passage.heading,
                published=sources[passage.doc_id].published,
                gazetteer=dict(snap.store.document_gazetteer(passage.doc_id)),
            )
            assert (loads(stored[row][0]), loads(stored[row][1])) == expected
        assert snap.store.stored_facts(list(range(3)), facts_key() + 10) == {}
    finally:
        snap.close()


def test_facts_read_with_another_date_order_are_not_reused(monkeypatch):
    """Stored passage facts hold dates read one way; a later ``date-order`` must not reuse them."""
    keys = set()
    for order in ("auto", "dmy", "mdy"):
        monkeypatch.setenv("FACTCHECK_DATE_ORDER", order)
        keys.add(facts_key())
    assert len(keys) == 3
