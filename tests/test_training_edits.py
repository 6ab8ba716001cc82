"""The synthetic contrastive edits the stance model is trained on (training/synth.py, training/build_stage5.py).

Pure functions on made-up sentences; nothing here trains or imports torch.
"""

from __future__ import annotations

import collections
import importlib
import random
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

TRAINING = str(Path(__file__).resolve().parents[1] / "training")
OWN = ("synth", "build_pairs", "build_stage2", "build_stage5")


def _training_modules():  # type: ignore[no-untyped-def]
    """The training scripts import each other by bare name, and ``benchmarks/synth.py`` is another module called
    ``synth``: import them with training/ first on the path, then put back whatever those names meant before."""
    saved = {name: sys.modules.pop(name) for name in OWN if name in sys.modules}
    sys.path.insert(0, TRAINING)
    try:
        return (
            importlib.import_module("synth"),
            importlib.import_module("build_pairs"),
            importlib.import_module("build_stage5"),
        )
    finally:
        sys.path.remove(TRAINING)
        for name in OWN:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


synth, build_pairs, build_stage5 = _training_modules()
CONTRADICTS, ENTAILS, NEUTRAL = build_pairs.CONTRADICTS, build_pairs.ENTAILS, build_pairs.NEUTRAL
edit_once, claim_edits = build_pairs.edit_once, build_stage5.claim_edits

SENTENCE = "The council approved 12 new schools in March 2019, and the mayor was not present."


def test_swap_number_changes_the_figure_and_contradicts() -> None:
    made, label = synth.swap_number(SENTENCE, random.Random(1))
    assert label == CONTRADICTS
    assert "12 new" not in made and made.replace("2019", "") != SENTENCE.replace("2019", "")


def test_number_as_words_keeps_the_fact() -> None:
    assert synth.number_as_words("Police arrested 3 men.", random.Random(1)) == ("Police arrested three men.", ENTAILS)


def test_negate_turns_a_denial_around() -> None:
    made = {synth.negate("The mayor was not present.", random.Random(seed)) for seed in range(20)} - {None}
    assert made == {("The mayor was present.", CONTRADICTS)}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*"abc XYZ 0123 ,.'", "March ", "not ", "won ", " was ", "Paris ", ", and "]), max_size=30)
)
def test_an_edit_changes_the_text_or_declines(parts: list[str]) -> None:
    text = "".join(parts)
    rng = random.Random(7)
    counts: collections.Counter[str] = collections.Counter()
    made = edit_once(text, rng, [*synth.EDITS, "name", "detail"], counts, 10, ["Alice Smith"], "a b c d e f g h i j")
    if made is not None:
        name, edited, label = made
        assert edited != text and label in (ENTAILS, CONTRADICTS, NEUTRAL) and counts[name] == 1


def _real(premise: str, hypothesis: str, origin: str = "vitaminc-real", label: int = ENTAILS) -> dict:
    return {
        "premise": premise,
        "hypothesis": hypothesis,
        "label": label,
        "origin": origin,
        "group": "g",
        "split": "train",
    }


def test_claim_edits_pair_each_edited_claim_with_its_original() -> None:
    real = [
        _real("The film, released in 2014, earned $40 million worldwide.", "The movie made 40 million dollars."),
        _real("Smith was elected mayor of Leeds in May 2010.", "In 2010 Smith became the mayor of Leeds."),
        _real("A man is playing a guitar.", "A man plays an instrument.", origin="sick"),
        _real("It rained.", "It was sunny.", label=CONTRADICTS),  # not entailing: never edited
    ]
    out = claim_edits(real, 10, random.Random(3))
    assert out, "no claim could be edited"
    edited, originals = out[0::2], out[1::2]
    for e, o in zip(edited, originals, strict=True):
        assert o in real and o["label"] == ENTAILS
        assert e["premise"] == o["premise"] and e["hypothesis"] != o["hypothesis"]
        assert e["origin"].startswith("claim-")


def test_a_bounded_figure_in_a_claim_is_not_edited() -> None:
    """ "more than 292 cases" may stay true when 292 changes: no contradiction is made of it."""
    real = [_real("There were 349 confirmed cases.", "There have been more than 292 cases.")] * 30
    out = claim_edits(real, 30, random.Random(5))
    assert not [p for p in out if p["origin"] in ("claim-swap_number", "claim-swap_year", "claim-swap_month")]
