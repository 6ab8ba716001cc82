"""The union of the stages' training pairs (training/build_mix.py): the tune split never leaks into training.

Made-up rows in temporary files; nothing here trains or imports torch.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

TRAINING = str(Path(__file__).resolve().parents[1] / "training")


def _build_mix():  # type: ignore[no-untyped-def]
    sys.path.insert(0, TRAINING)
    try:
        return importlib.import_module("build_mix")
    finally:
        sys.path.remove(TRAINING)


def _row(premise: str, hypothesis: str, origin: str, split: str = "train", label: int = 0) -> dict:
    return {"premise": premise, "hypothesis": hypothesis, "label": label, "origin": origin, "split": split}


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _stages(folder: Path) -> None:
    _write(
        folder,
        "pairs.jsonl",
        [
            _row("The council met.", "The council met on Monday.", "sick"),
            _row("The mayor spoke.", "The mayor said nothing.", "synth-negate", label=1),
            _row("A bridge opened.", "A bridge closed.", "synth-swap_opposite", split="tune", label=1),
        ],
    )
    _write(
        folder,
        "pairs-stage2.jsonl",
        [
            _row("The council met.", "The council met on Monday.", "sick"),  # a replay: already in stage 1
            _row("Rain fell.", "The match was won.", "wice-related", label=2),
        ],
    )
    _write(
        folder,
        "pairs-edits.jsonl",
        [
            _row("A bridge opened.", "A bridge closed.", "synth-swap_opposite", label=1),  # the tune pair again
            _row("Ten people came.", "Twelve people came.", "synth-swap_number", label=1),
            _row("The council met.", "The council met on Monday.", "sick"),
        ],
    )
    _write(folder, "pairs-edits2.jsonl", [_row("Ten people came.", "Twelve people came.", "synth-swap_number")])
    _write(folder, "pairs-stage7.jsonl", [_row("Snow fell.", "Snow fell.", "identity")])
    _write(folder, "pairs-stage8.jsonl", [_row("Snow fell.", "Snow did not fall.", "claim-negate", label=1)])


def test_each_pair_once_and_no_tune_pair_in_training(tmp_path: Path) -> None:
    _stages(tmp_path)
    train, tune = _build_mix().mix(tmp_path, claim_edits=False)
    keys = [(r["premise"], r["hypothesis"]) for r in train]
    assert len(keys) == len(set(keys)) == 5
    assert ("A bridge opened.", "A bridge closed.") not in keys
    assert [r["origin"] for r in tune] == ["synth-swap_opposite"]
    assert not any(r["origin"].startswith("claim-") for r in train)


def test_claim_edits_only_when_asked(tmp_path: Path) -> None:
    _stages(tmp_path)
    train, _ = _build_mix().mix(tmp_path, claim_edits=True)
    assert [r["origin"] for r in train if r["origin"].startswith("claim-")] == ["claim-negate"]
