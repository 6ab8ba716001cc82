"""Compound claims checked part by part (factcheck.atomic): worst part decides, reason names it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from factcheck.atomic import Query, _attributed, combine_parts, plan
from factcheck.decompose import decompose
from factcheck.records import Evidence, PartVerdict, Passage, SourceInfo, Verdict

REUTERS = SourceInfo("r", "Deal", "Reuters", date(2024, 9, 6))
NBC = SourceInfo("n", "Drawdown", "NBC News", date(2020, 9, 9))
SOURCES = {"r": REUTERS, "n": NBC}
README_EXAMPLE = (
    "The combat mission formally ended on 9 December 2021, and France announced in June 2020 that it "
    "would withdraw from its primary base in Iraq by the end of July."
)


def part(
    index: int, verdict: str, confidence: float = 0.8, quoted: str = "", source: SourceInfo = REUTERS
) -> PartVerdict:
    ev = Evidence(Passage(source.id, index, "p", 0, 1, 1, 1), source, "supports", 0.9, "r")
    v = Verdict(f"claim {index}", verdict, confidence, f"reason {index}", (ev,), aspect="number")
    return PartVerdict(index, f"text {index}", quoted or f"quoted {index}", "clause", 0, 1, ((0, 1),), v)


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (["supported", "supported"], "supported"),
        (["supported", "contradicted"], "contradicted"),
        (["unverified", "contradicted", "supported"], "contradicted"),
        (["disputed", "unverified"], "disputed"),
        (["supported", "unverified"], "unverified"),
    ],
)
def test_the_worst_part_decides(verdicts, expected):
    v = combine_parts("the sentence", [part(i, x) for i, x in enumerate(verdicts, 1)])
    assert v.verdict == expected
    assert v.claim == "the sentence" and len(v.parts) == len(verdicts)


def test_the_reason_names_the_deciding_part():
    v = combine_parts("s", [part(1, "supported"), part(2, "contradicted", quoted="France announced")])
    assert v.reason == "part 2 of 2, ‘France announced’: contradicted: reason 2"
    assert v.confidence == 0.8


def test_a_partly_supported_claim_is_unverified_and_says_which_part_no_source_states():
    v = combine_parts("s", [part(1, "supported"), part(2, "unverified", quoted="down from 5.3% in the spring")])
    assert v.verdict == "unverified"
    assert "no source states part 2 ‘down from 5.3% in the spring’" in v.reason
    assert "part 1 supported" in v.reason


def test_a_single_claim_is_one_query_and_a_compound_one_query_per_part():
    queries = plan(["About 2,500 U.S. troops remain in Iraq.", README_EXAMPLE], None, SOURCES)
    assert [q.claim for q in queries] == [0, 1, 1]
    assert queries[0].part is None and queries[0].text == "About 2,500 U.S. troops remain in Iraq."
    assert [q.text for q in queries[1:]] == [p.text for p in decompose(README_EXAMPLE)]
    assert plan([README_EXAMPLE], None, SOURCES, split=False) == [Query(0, README_EXAMPLE)]


def test_a_claim_whose_one_part_is_itself_is_queried_as_written():
    claim = "A senior official said U.S. troop numbers in Iraq could change."  # one part: the content, said by ...
    assert [q.text for q in plan([claim], None, SOURCES)] == [claim]  # not stripped of its full stop


def test_an_attribution_to_an_outlet_is_checked_on_its_articles_only():
    queries = plan(["According to NBC News, about 2,500 American troops remained in Iraq in July 2021."], None, SOURCES)
    outlet = next(q for q in queries if q.part is not None and q.part.kind == "attribution")
    assert outlet.outlet == "NBC News" and outlet.restrict == frozenset({"n"})
    assert outlet.text == "about 2,500 American troops remained in Iraq in July 2021"


def test_an_attribution_to_an_outlet_at_another_time_is_contradicted():
    queries = plan(
        ["Under the plan reported by Reuters in May 2023, all coalition forces would leave by 2025."], None, SOURCES
    )
    q = next(q for q in queries if q.outlet)
    said = _attributed(q, part(1, "supported").verdict, SOURCES)
    assert said.verdict == "contradicted"
    assert said.reason == "Reuters published it on 2024-09-06, not in May 2023"
    in_time = plan(
        ["Under the plan reported by Reuters in September 2024, all forces would leave by 2025."], None, SOURCES
    )
    q = next(q for q in in_time if q.outlet)
    assert _attributed(q, part(1, "supported").verdict, SOURCES).verdict == "supported"
    assert "does not state it" in _attributed(q, part(1, "unverified").verdict, SOURCES).reason


@pytest.mark.e2e
def test_the_readme_example_gets_a_verdict_per_part(check_claims):
    (v,) = check_claims([README_EXAMPLE])
    assert [p.verdict.verdict for p in v.parts] == ["supported", "contradicted"]
    assert v.verdict == "contradicted"
    assert v.reason.startswith("part 2 of 2, ‘France announced in June 2020")
    assert any("Spain" in e.passage.text for e in v.parts[1].verdict.evidence)


@pytest.mark.e2e
def test_check_json_carries_the_parts(check_claims):
    from factcheck.report import check_json

    out = json.loads(check_json.render(check_claims([README_EXAMPLE])))
    parts = out["results"][0]["parts"]
    assert [(p["index"], p["kind"], p["verdict"]) for p in parts] == [
        (1, "clause", "supported"),
        (2, "clause", "contradicted"),
    ]
    assert README_EXAMPLE[parts[1]["start"] : parts[1]["end"]].startswith("France announced")
    assert all(p["evidence"] for p in parts)
    single = json.loads(check_json.render(check_claims(["About 2,500 U.S. troops remain in Iraq."])))
    assert single["results"][0]["parts"] == []


def test_an_opinion_part_is_not_checked():
    queries = plan(["About 2,500 U.S. troops remain in Iraq, and that is a scandal."], None, SOURCES)
    assert [(q.text, q.part) for q in queries] == [("About 2,500 U.S. troops remain in Iraq", None)]


def _benchmark():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "atomic.py"
    spec = importlib.util.spec_from_file_location("atomic_benchmark", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["atomic-claims.jsonl", "atomic-claims.heldout.jsonl"])
def test_the_labelled_sets_load_and_their_splits_hold(name):
    bench = _benchmark()
    rows = bench.load(bench.ROOT / "benchmarks" / name)
    assert len(rows) >= (60 if name == "atomic-claims.jsonl" else 20)
    right = [bench.split_right(r["sentence"], r["parts"], [p.spans for p in decompose(r["sentence"])]) for r in rows]
    assert sum(right) / len(rows) >= 0.9


def test_the_benchmark_scores_parts_and_refuses_a_bad_set_in_one_line(tmp_path):
    bench = _benchmark()
    rows = bench.load(bench.ROOT / "benchmarks" / "atomic-claims.jsonl")[:2]
    verdicts = []
    for r in rows:
        parts = [
            PartVerdict(
                k, p.text, p.quoted(r["sentence"]), p.kind, p.start, p.end, p.spans, part(k, e["verdict"]).verdict
            )
            for k, (p, e) in enumerate(zip(decompose(r["sentence"]), r["parts"], strict=True), 1)
        ]
        verdicts.append(combine_parts(r["sentence"], parts))
    table = bench.score(rows, verdicts)["table"]["all"]
    assert (table["split_accuracy"], table["part_accuracy"], table["sentence_verdict_accuracy"]) == (1.0, 1.0, 1.0)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"sentence": "a b", "parts": [{"text": "c", "verdict": "supported"}]}\n', encoding="utf-8")
    with pytest.raises(bench.SetError, match=r"bad.jsonl:1: part 'c' is not in the sentence"):
        bench.load(bad)
