"""Grounded checks: a claim restricted to named sources (``check --source``, ``"sources"`` in a claims file)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from factcheck.cli import main

pytestmark = pytest.mark.e2e
CLAIM = "About 2,500 U.S. troops remain in Iraq."
REUTERS = "001_a93a268476cc8a53"
DOC_2021 = "004_82846e767e5b664f"


def run(corpus, *args):
    base = ["--sources", str(corpus.sources), "--index", str(corpus.index)]
    return CliRunner().invoke(main, [args[0], *base, *args[1:]], catch_exceptions=False)


def test_check_source_restricts_the_evidence(corpus):
    everywhere = json.loads(run(corpus, "check", "--format", "json", "--no-refresh", CLAIM).output)
    assert len({e["source"] for e in everywhere["results"][0]["evidence"]}) > 1
    result = run(corpus, "check", "--format", "json", "--no-refresh", "--source", REUTERS, CLAIM)
    only = json.loads(result.output)["results"][0]
    assert only["evidence"] and {e["source"] for e in only["evidence"]} == {REUTERS}
    assert only["verdict"] == "supported"


def test_check_unknown_source_is_a_one_line_error(corpus):
    result = run(corpus, "check", "--no-refresh", "--source", "nope", CLAIM)
    assert result.exit_code == 2
    assert "unknown source id 'nope'" in result.output and "Traceback" not in result.output


def test_claims_file_sources(corpus, tmp_path):
    claims = tmp_path / "c.jsonl"
    rows = [
        {"claim": CLAIM, "label": "supported", "sources": [REUTERS]},
        {"claim": CLAIM, "label": "contradicted", "sources": ["003_1cbca1fb672ccb5a"]},  # 2020: 5,200
        {"claim": "The Pentagon plans to build a new base in Kuwait.", "label": "unverified", "sources": [DOC_2021]},
    ]
    claims.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run(corpus, "eval", "--format", "json", "--show-misses", str(claims))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["accuracy"] == 1.0


def test_claims_file_unknown_source_names_the_line(corpus, tmp_path):
    claims = tmp_path / "c.jsonl"
    claims.write_text(
        json.dumps({"claim": CLAIM, "label": "supported"})
        + "\n"
        + json.dumps({"claim": CLAIM, "label": "supported", "sources": ["missing-doc"]})
        + "\n",
        encoding="utf-8",
    )
    result = run(corpus, "eval", str(claims))
    assert result.exit_code == 2
    assert f"{claims}:2: unknown source id 'missing-doc'" in result.output


def test_a_duplicate_source_stands_for_the_indexed_one(tmp_path, encoder):
    from factcheck.api import check

    sources = tmp_path / "sources"
    sources.mkdir()
    text = "The museum reopened on 3 May 2021 after a two-year renovation.\n"
    (sources / "a.txt").write_text(text, encoding="utf-8")
    (sources / "b.txt").write_text(text, encoding="utf-8")  # skipped as a duplicate of a
    with pytest.warns(UserWarning, match="same content"):
        verdict = check(
            ["The museum reopened in May 2021."], sources=sources, index=tmp_path / "index", encoder=encoder, only=["b"]
        )[0]
    assert verdict.evidence and {e.source.id for e in verdict.evidence} == {"a"}


def archive_and_grounded(corpus, encoder, claim):
    """The claim's cases (candidates and rules' judgements) checked against every source, and against REUTERS only."""
    from factcheck.api import gather_on, known_sources, open_index

    snapshot, _ = open_index(corpus.sources, corpus.index, encoder=encoder)
    try:
        (everywhere,) = gather_on(snapshot, encoder, [claim])
        (named,) = gather_on(snapshot, encoder, [claim], restrict=[known_sources(snapshot, [REUTERS])])
    finally:
        snapshot.close()
    return everywhere, named


def test_a_grounded_claim_is_judged_with_the_grounded_thresholds(corpus, encoder):
    """The same claim and passages, the same model reading (an entailment between the two thresholds): supported
    when checked against its named source, not when checked against the whole archive."""
    from factcheck.api import decide
    from factcheck.judge.combine import Calibration
    from factcheck.judge.stance_model import StanceProbs, verify

    archive, grounded = Calibration.shipped(verify())
    middle = (archive.entail + grounded.entail) / 2
    claim = "Details of the troop movements are kept secret for reasons of military sensitivity."  # no figure or date
    everywhere, named = archive_and_grounded(corpus, encoder, claim)
    assert named.grounded and not everywhere.grounded
    verdicts = []
    for case in (everywhere, named):
        reading = {(0, j): StanceProbs(middle, 0.0, 1 - middle) for j in range(len(case.candidates))}
        plain = [replace(case, rules=tuple(replace(r, stance="related") for r in case.rules))]
        verdicts.append(decide(plain, reading)[0].verdict)
    assert verdicts == ["unverified", "supported"]


def test_the_model_reads_more_passages_of_a_grounded_check(corpus, encoder):
    from factcheck.api import MODEL_CANDIDATES, MODEL_CANDIDATES_GROUNDED, model_probs

    everywhere, named = archive_and_grounded(corpus, encoder, CLAIM)

    def read(case):  # the passages the model reads, beyond those a rule decided on
        ruled = {j for j, r in enumerate(case.rules) if r.stance != "related"}
        return {j for _, j in model_probs([case])} - ruled

    assert MODEL_CANDIDATES < MODEL_CANDIDATES_GROUNDED
    assert len(read(everywhere)) <= MODEL_CANDIDATES < len(read(named)) <= MODEL_CANDIDATES_GROUNDED


def test_a_grounded_check_reads_its_two_closest_passages_together(corpus, encoder):
    from factcheck.api import model_probs
    from factcheck.judge.stance_model import shipped_model

    everywhere, named = archive_and_grounded(corpus, encoder, CLAIM)
    model = shipped_model()
    # the archive's two closest passages of CLAIM are of two documents: no joint reading there
    for case, together in ((named, 1), (everywhere, 0)):
        before = model.pairs_scored
        probs = model_probs([case])
        assert model.pairs_scored - before == len(probs) + together
    first, second = sorted(range(len(named.candidates)), key=lambda j: -named.candidates[j].dense)[:2]
    assert {p.partner for p in model_probs([named]).values()} <= {None, second}


def test_a_joint_reading_names_the_passage_it_was_read_with(corpus, encoder):
    from factcheck.api import decide
    from factcheck.judge.stance_model import StanceProbs

    claim = "Details of the troop movements are kept secret for reasons of military sensitivity."
    _, named = archive_and_grounded(corpus, encoder, claim)
    plain = replace(named, rules=tuple(replace(r, stance="related") for r in named.rules))
    first, second = sorted(range(len(plain.candidates)), key=lambda j: -plain.candidates[j].dense)[:2]
    alone = decide([plain], {(0, first): StanceProbs(0.95, 0.0, 0.05)})[0]
    together = decide([plain], {(0, first): StanceProbs(0.95, 0.0, 0.05, partner=second)})[0]
    assert alone.verdict == together.verdict == "supported"
    line = plain.candidates[second].passage.line
    assert "read with" not in alone.reason and f"read with line {line}" in together.reason
    ruled = replace(plain, rules=tuple(replace(r, stance="supports", reason="the rules' own") for r in plain.rules))
    by_rules = decide([ruled], {(0, first): StanceProbs(0.95, 0.0, 0.05, partner=second)})[0]
    assert by_rules.verdict == "supported" and "read with" not in by_rules.reason  # the rules decided


def test_a_joint_premise_keeps_the_documents_order():
    from factcheck.api import joint_premise
    from factcheck.records import Candidate, Passage, SourceInfo

    source = SourceInfo("town", "Town news", "Gazette", None)

    def cand(ordinal, text):
        return Candidate(Passage("town", ordinal, text, 0, len(text), ordinal + 1, 1), source, dense=0.5, fused=0.0)

    later, earlier = cand(7, "It opens in May."), cand(2, "The council approved a new library.")
    assert joint_premise(later, earlier) == "The council approved a new library. It opens in May."


def test_an_archive_check_reads_two_closest_passages_of_one_document_together(tmp_path, encoder):
    from factcheck.api import gather_on, model_probs, open_index
    from factcheck.judge.stance_model import shipped_model

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "library.txt").write_text(
        "The town council approved a new public library on Monday.\n\n"
        "The ferry timetable was not discussed.\n\n"
        "The library will open in May with room for 40,000 books.\n",
        encoding="utf-8",
    )
    (sources / "weather.txt").write_text("Heavy rain flooded two roads near the harbour.\n", encoding="utf-8")
    snapshot, _ = open_index(sources, tmp_path / "index", encoder=encoder)
    try:
        (case,) = gather_on(snapshot, encoder, ["The council approved a new library, which will open in May."])
    finally:
        snapshot.close()
    first, second = sorted(range(len(case.candidates)), key=lambda j: -case.candidates[j].dense)[:2]
    assert case.candidates[first].passage.doc_id == case.candidates[second].passage.doc_id == "library"
    assert not case.grounded
    reading = model_probs([case])
    partners = {p.partner for p in reading.values()} - {None}
    assert partners <= {second}
    model = shipped_model()
    before = model.pairs_scored
    assert model_probs([case]).keys() == reading.keys()
    assert model.pairs_scored - before == len(reading) + 1  # each passage, and the closest two together
