"""The training stages of the stance model, in one place: how each stage's pairs are built, how it is trained, and
what it is, in words. ``rebuild.py`` runs them in order (each from the previous stage's model) up to ``SHIPPED``;
``model_card.py`` describes them from the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

SHIPPED = 7  # the stage whose model is exported into the package


@dataclass(frozen=True)
class Stage:
    number: int
    pairs: str  # its pairs file under training/out/
    builds: tuple[tuple[str, ...], ...]  # scripts (with their arguments) that write the pairs; {shared} and {out}
    epochs: str
    lr: str
    seed: str
    about: str  # how it was trained, for the model card

    @property
    def folder(self) -> str:
        """Its folder under training/out/ (train.log, checkpoint, final/)."""
        return "." if self.number == 1 else f"stage{self.number}"


def _stage2(replay: str, seed: str, out: str) -> tuple[str, ...]:
    return ("build_stage2.py", "--shared", "{shared}", "--replay", replay, "--seed", seed, "--out", "{out}/" + out)


def _edits(seed: str, out: str) -> tuple[str, ...]:
    return ("build_pairs.py", "--shared", "{shared}", "--seed", seed, "--per-edit", "3000", "--out", "{out}/" + out)


def _stage5(edits: str, out: str, *how: str) -> tuple[str, ...]:
    return ("build_stage5.py", "--shared", "{shared}", "--edits", "{out}/" + edits, *how, "--out", "{out}/" + out)


STAGES = (
    Stage(
        1,
        "pairs.jsonl",
        (("build_pairs.py", "--shared", "{shared}"),),
        "0.6",
        "6e-5",
        "13",
        "from the packaged MiniLM, 0.6 epoch at lr 6e-5 (`build_pairs.py`, seed 13).",
    ),
    Stage(
        2,
        "pairs-stage2.jsonl",
        (_stage2("26000", "29", "pairs-stage2.jsonl"),),
        "1.0",
        "3e-5",
        "13",
        "the related-but-silent and in-context pairs plus a replay of 26,000 stage-1 pairs "
        "(`build_stage2.py`, seed 29), one epoch at lr 3e-5.",
    ),
    Stage(
        3,
        "pairs-stage3.jsonl",
        (_stage2("48000", "31", "pairs-stage3.jsonl"),),
        "0.5",
        "2e-5",
        "31",
        "the same new pairs with a replay of 48,000 (seed 31), 0.5 epoch at lr 2e-5.",
    ),
    Stage(
        4,
        "pairs-stage4.jsonl",
        (_stage2("36000", "43", "pairs-stage4.jsonl"),),
        "0.9",
        "2e-5",
        "43",
        "the same new pairs with a replay of 36,000 (seed 43), 0.9 epoch at lr 2e-5.",
    ),
    Stage(
        5,
        "pairs-stage5.jsonl",
        (
            _edits("53", "pairs-edits.jsonl"),
            _stage5(
                "pairs-edits.jsonl", "pairs-stage5.jsonl", *("--mix", "balanced", "--replay", "18000", "--seed", "59")
            ),
        ),
        "1.0",
        "3e-5",
        "59",
        "a second, larger draw of the contrastive edits (`build_pairs.py --seed 53 --per-edit 3000`), the "
        "related pairs and a label-balanced replay of 18,000 real pairs (`build_stage5.py --mix balanced`, "
        "seed 59), one epoch at lr 3e-5.",
    ),
    Stage(
        6,
        "pairs-stage6.jsonl",
        (
            _edits("53", "pairs-edits.jsonl"),
            _stage5(
                "pairs-edits.jsonl", "pairs-stage6.jsonl", *("--mix", "natural", "--replay", "22000", "--seed", "61")
            ),
        ),
        "1.0",
        "2e-5",
        "61",
        "the same edits and related pairs with a replay of 22,000 real pairs as they come "
        "(`build_stage5.py --mix natural`, seed 61), one epoch at lr 2e-5.",
    ),
    Stage(
        7,
        "pairs-stage7.jsonl",
        (
            _edits("67", "pairs-edits2.jsonl"),
            _stage5(
                "pairs-edits2.jsonl",
                "pairs-stage7.jsonl",
                *("--mix", "natural", "--replay", "16000", "--identity", "4000", "--seed", "71"),
            ),
        ),
        "0.8",
        "2e-5",
        "71",
        "a third draw of the edits (`build_pairs.py --seed 67 --per-edit 3000`), the related pairs, 16,000 real "
        "pairs as they come and 4,000 edited sentences read against themselves (entails; `build_stage5.py "
        "--identity 4000`, seed 71), 0.8 epoch at lr 2e-5.",
    ),
)
