"""Metrics on tiny hand-made inputs, claim loading, and the baselines' fold discipline."""

from __future__ import annotations

import json
from datetime import date

import pytest

from factcheck.errors import InputError
from factcheck.evaluate import (
    LabelledClaim,
    _fold,
    balanced_accuracy,
    evidence_found,
    load_claims,
    majority_baseline,
    normalise,
    score_verdicts,
    scores,
    similarity_baseline,
)
from factcheck.records import Evidence, Passage, SourceInfo, Verdict


def test_balanced_accuracy_weighs_supported_and_the_rest_alike():
    gold = ["supported", "unverified", "unverified", "unverified", "contradicted"]
    pred = ["supported", "unverified", "supported", "contradicted", "unverified"]
    assert balanced_accuracy(gold, pred) == (1 / 1 + 3 / 4) / 2  # "not supported" is one class
    assert balanced_accuracy(["unverified"] * 3, ["supported"] * 3) == 0.0


def test_accuracy_macro_f1_and_per_label():
    gold = ["supported", "supported", "contradicted", "unverified"]
    pred = ["supported", "contradicted", "contradicted", "supported"]
    accuracy, macro, per = scores(gold, pred)
    assert accuracy == 0.5
    # supported: P=1/2 R=1/2 F1=.5; contradicted: P=1/2 R=1 F1=.6667; unverified: 0; disputed absent
    assert per["supported"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert per["contradicted"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert per["unverified"]["f1"] == 0.0 and per["unverified"]["support"] == 1
    assert per["disputed"]["support"] == 0
    assert macro == pytest.approx((0.5 + 0.6667 + 0.0) / 3, abs=1e-4)  # only labels present in gold


def test_perfect_and_empty_scores():
    assert scores(["supported", "unverified"], ["supported", "unverified"])[:2] == (1.0, 1.0)
    assert scores([], [])[:2] == (0.0, 0.0)


def item(i, label, evidence=(), kind="number"):
    return LabelledClaim(f"c{i}", f"claim {i}", label, tuple(evidence), kind)


def verdict(i, label, texts=(), similarity=0.5):
    src = SourceInfo("s", "t")
    ev = tuple(Evidence(Passage("s", n, t, 0, len(t), 1, 1), src, "supports", 0.5, "r") for n, t in enumerate(texts))
    return Verdict(f"claim {i}", label, 0.8, "r", ev, similarity=similarity)


def test_confusion_per_kind_and_evidence_recall():
    items = [
        item(0, "supported", ["There are presently about 2,500 American troops in Iraq."], "number"),
        item(1, "contradicted", ["A gold passage that is not returned."], "date"),
        item(2, "unverified", kind=""),
    ]
    verdicts = [
        verdict(0, "supported", ["There are presently about 2,500 American troops in Iraq."]),
        verdict(1, "supported", ["Something else."]),
        verdict(2, "unverified"),
    ]
    r = score_verdicts(items, verdicts, elapsed=2.0)
    assert r.n == 3
    assert r.accuracy == round(2 / 3, 4)
    assert r.confusion["contradicted"]["supported"] == 1
    assert r.confusion["supported"]["supported"] == 1 and r.confusion["unverified"]["unverified"] == 1
    assert sum(sum(row.values()) for row in r.confusion.values()) == 3
    assert r.per_kind == {
        "-": {"accuracy": 1.0, "n": 1},
        "date": {"accuracy": 0.0, "n": 1},
        "number": {"accuracy": 1.0, "n": 1},
    }
    assert r.evidence_recall_at_5 == 0.5
    assert r.claims_per_second == 1.5
    assert [m["id"] for m in r.misses] == ["c1"]
    d = r.to_dict()
    assert set(d) == {
        "n",
        "accuracy",
        "macro_f1",
        "per_label",
        "per_kind",
        "confusion",
        "evidence_recall_at_5",
        "claims_per_second",
        "confidence",
    }
    # every verdict says 0.8 and two of three are right: Brier (0.2² + 0.2² + 0.8²) / 3
    assert d["confidence"] == {"mean": 0.8, "right": 0.6667, "brier": 0.24, "ece": 0.1333, "auroc": 0.5}
    assert "misses" in r.to_dict(show_misses=True)


def test_evidence_recall_only_looks_at_the_first_five():
    gold = "The gold passage."
    items = [item(0, "supported", [gold])]
    late = verdict(0, "supported", [f"other {n}." for n in range(5)] + [gold])
    assert score_verdicts(items, [late]).evidence_recall_at_5 == 0.0
    early = verdict(0, "supported", [gold])
    assert score_verdicts(items, [early]).evidence_recall_at_5 == 1.0
    assert score_verdicts([item(0, "supported")], [early]).evidence_recall_at_5 is None


def test_evidence_found_normalises_quotes_case_and_space():
    returned = ["\u201cWe have an agreement,\u201d  a senior U.S. official said."]
    assert evidence_found('"we have an agreement," a senior U.S.\nofficial said.', returned)
    assert evidence_found("We have an agreement", returned)  # gold inside a returned passage
    assert evidence_found('"We have an agreement," a senior U.S. official said. More text.', returned)
    assert not evidence_found("We have no agreement", returned)
    assert not evidence_found("anything", [])
    assert not evidence_found("anything", [""])
    assert normalise("  It\u2019s  \u201cX\u201d ") == 'it\'s "x"'


def test_similarity_baseline_never_uses_a_claims_own_fold():
    items = [LabelledClaim(f"id-{i}", "c", "supported" if i % 2 else "unverified") for i in range(40)]
    sims = [0.3 + 0.015 * i for i in range(40)]
    base, _ = similarity_baseline(items, sims)
    folds = [_fold(it.id) for it in items]
    assert set(folds) == {0, 1}
    for i in range(len(items)):
        # changing a claim's own label (or any label of its fold) must not change its prediction
        flipped = [
            LabelledClaim(it.id, it.claim, "supported" if it.label == "unverified" else "unverified")
            if folds[j] == folds[i]
            else it
            for j, it in enumerate(items)
        ]
        assert similarity_baseline(flipped, sims)[0][i] == base[i]


def test_similarity_baseline_threshold_is_fitted_on_the_other_half():
    # fold 0 separates at 0.6, fold 1 at 0.4: each half is scored by the other's threshold
    items, sims = [], []
    for i in range(60):
        cid = f"k{i}"
        fold = _fold(cid)
        s = (i % 10) / 10 + 0.05
        label = "supported" if s >= (0.6 if fold == 0 else 0.4) else "unverified"
        items.append(LabelledClaim(cid, "c", label))
        sims.append(s)
    preds, threshold = similarity_baseline(items, sims)
    # the first threshold (0.20, 0.21, ...) that separates the other fold perfectly
    fitted_on_other = {0: 0.36, 1: 0.56}
    for it, s, p in zip(items, sims, preds, strict=True):
        assert p == ("supported" if s >= fitted_on_other[_fold(it.id)] else "unverified")
    assert threshold == 0.46


def test_majority_baseline_uses_the_other_fold():
    items = [LabelledClaim(f"m{i}", "c", "supported") for i in range(10)]
    folds = [_fold(it.id) for it in items]
    items = [
        LabelledClaim(it.id, "c", "contradicted" if f == 0 else "supported") for it, f in zip(items, folds, strict=True)
    ]
    preds = majority_baseline(items)
    for f, p in zip(folds, preds, strict=True):
        assert p == ("supported" if f == 0 else "contradicted")


def test_score_verdicts_with_baselines():
    items = [item(i, "supported" if i % 2 else "unverified") for i in range(8)]
    verdicts = [verdict(i, it.label, similarity=0.9 if it.label == "supported" else 0.2) for i, it in enumerate(items)]
    r = score_verdicts(items, verdicts, baselines=True)
    assert r.accuracy == 1.0
    assert set(r.baselines) == {"majority", "similarity"}
    assert r.baselines["similarity"]["accuracy"] == 1.0
    assert "baselines" in r.to_dict()


def test_load_claims(tmp_path):
    path = tmp_path / "c.jsonl"
    rows = [
        {
            "id": "a",
            "claim": "One.",
            "label": "supported",
            "kind": "number",
            "evidence": [{"text": "E1"}, {"source": "no text"}],
            "as_of": "2020-09-01",
        },
        {"claim": "Two.", "label": "unverified"},
    ]
    path.write_text(json.dumps(rows[0]) + "\n\n" + json.dumps(rows[1]) + "\n", encoding="utf-8")
    got = load_claims(path)
    assert got[0] == LabelledClaim("a", "One.", "supported", ("E1",), "number", date(2020, 9, 1), (), 1)
    assert got[1].id == "3" and got[1].kind == "" and got[1].as_of is None  # id defaults to the line number
    assert got[1].line == 3 and got[1].sources == ()


def test_load_claims_reads_sources(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"claim": "One.", "label": "supported", "sources": ["a", "b"]}) + "\n")
    assert load_claims(path)[0].sources == ("a", "b")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"claim": "a", "label": "supported"}\n{not json\n', r"c\.jsonl:2: invalid JSON"),
        ('{"claim": "a", "label": "maybe"}\n', r"c\.jsonl:1: each line needs"),
        ('["claim"]\n', r"c\.jsonl:1: each line needs"),
        ('{"claim": "a", "label": "supported", "as_of": "Sept 2020"}\n', r"c\.jsonl:1: as_of 'Sept 2020'"),
        ("\n\n", r"no claims"),
        ('{"claim": "a", "label": "supported", "sources": "doc"}\n', r'c\.jsonl:1: "sources" must be a list'),
        ('{"claim": "a", "label": "supported", "sources": [""]}\n', r'c\.jsonl:1: "sources" must be a list'),
    ],
)
def test_load_claims_errors_name_the_line(tmp_path, content, message):
    path = tmp_path / "c.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_claims(path)


def test_load_claims_missing_and_non_utf8(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_claims(tmp_path / "none.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"claim": "caf\xe9", "label": "supported"}\n')
    with pytest.raises(InputError, match="not valid UTF-8"):
        load_claims(bad)
