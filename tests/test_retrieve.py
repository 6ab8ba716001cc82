"""Retrieval: weighted reciprocal rank fusion, and dense+BM25 search on the shared index."""

from __future__ import annotations

import pytest

from factcheck.index.store import fts_query, lexical_text
from factcheck.retrieve import RRF_K, rrf


def test_rrf_single_ranking():
    fused = rrf([[7, 3, 5]])
    assert fused == {7: 1 / (RRF_K + 1), 3: 1 / (RRF_K + 2), 5: 1 / (RRF_K + 3)}


def test_rrf_sums_over_rankings_and_rewards_agreement():
    fused = rrf([[1, 2, 3], [3, 2, 4]], k=0)
    assert fused[2] == pytest.approx(1 / 2 + 1 / 2)
    assert fused[3] == pytest.approx(1 / 3 + 1)
    assert fused[1] == pytest.approx(1.0)
    assert fused[4] == pytest.approx(1 / 3)
    assert max(fused, key=fused.get) == 3


def test_rrf_weights():
    fused = rrf([[1], [2]], k=0, weights=[1.0, 0.5])
    assert fused == {1: 1.0, 2: 0.5}
    assert rrf([], k=60) == {}
    assert rrf([[]]) == {}


def test_lexical_text_drops_digit_grouping_only():
    got = lexical_text("about 2,500 troops, 900 in Syria; 1,234,567 total")
    assert got == "about 2500 troops, 900 in Syria; 1234567 total"
    assert lexical_text("in 2020, 300 more") == "in 2020, 300 more"


def test_fts_query_quotes_words_and_drops_stop_words():
    assert fts_query('The U.S. has "2,500" troops OR* NEAR(') == '"u" OR "s" OR "2500" OR "troops" OR "near"'
    assert fts_query("the of and") == ""


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("claim", "expected_start"),
    [
        ("About 2,500 U.S. troops remain in Iraq.", "There are presently about 2,500 American troops in Iraq."),
        ("About 900 U.S. troops are deployed in Syria.", "The U.S. has approximately 2,500 troops in Iraq and 900"),
        ("Spain announced it would withdraw from its primary base in Iraq by the end of July.",
         "On 1 June Spain announced its intentions to withdraw"),
        ("The U.S. has trained 400,000 Iraqi security personnel.", "The U.S. has trained 250,000 Iraqis"),
    ],
)
def test_retrieves_the_obvious_passage(corpus, encoder, claim, expected_start):
    from factcheck.index.snapshot import open_snapshot
    from factcheck.retrieve import retrieve

    snap = open_snapshot(corpus.index)
    try:
        (found,) = retrieve(snap, [claim], encoder.encode([claim]), top_k=5)
        texts = [c.passage.text for c in found]
        assert any(t.startswith(expected_start) for t in texts[:3]), texts
        assert len(found) >= 5  # the top 5, then possibly neighbours of the best hits
        fused = [c.fused for c in found[:5]]
        assert fused == sorted(fused, reverse=True)
        assert len({(c.passage.doc_id, c.passage.ordinal) for c in found}) == len(found)
        for c in found:
            assert -1.0 <= c.dense <= 1.0
            assert c.source.id == c.passage.doc_id
            assert c.previous or c.next  # neighbouring sentences come along
        best = next(c for c in found if c.passage.text.startswith(expected_start))
        assert best.dense > 0.5
    finally:
        snap.close()


@pytest.mark.e2e
def test_retrieve_of_no_claims(corpus):
    import numpy as np

    from factcheck.index.snapshot import open_snapshot
    from factcheck.retrieve import retrieve

    snap = open_snapshot(corpus.index)
    try:
        assert retrieve(snap, [], np.zeros((0, 384), dtype=np.float32)) == []
    finally:
        snap.close()
