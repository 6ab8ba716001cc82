"""The learned stance model: claim x passage -> entails / contradicts / neutral, with probabilities.

A MiniLM cross-encoder fine-tuned here (``training/``), shipped in ``factcheck/data/stance/`` as an int8 ONNX
graph with its tokenizer and a manifest (``stance.json``) that records each file's sha256. Files are checked
against the manifest when the model is first loaded; a missing or altered file is an error naming it, never
a silent fallback. Runs on onnxruntime + tokenizers + numpy: torch stays off the query path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from factcheck.errors import ModelError
from factcheck.onnx_encoder import cores, session_options

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "stance"
LABELS = ("entails", "contradicts", "neutral")


@dataclass(frozen=True)
class StanceProbs:
    """The model's probabilities for one claim x passage pair."""

    entails: float
    contradicts: float
    neutral: float
    partner: int | None = None  # read together with this other candidate of the claim (``api.model_probs``)

    @property
    def label(self) -> str:
        values = (self.entails, self.contradicts, self.neutral)
        return LABELS[values.index(max(values))]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path = MODEL_DIR) -> dict[str, Any]:
    path = folder / "stance.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"stance model manifest missing: {path} (reinstall factcheck)") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"stance model manifest unreadable: {path} ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise ModelError(f"stance model manifest malformed: {path}")
    return manifest


def verify(folder: Path = MODEL_DIR) -> dict[str, Any]:
    """The manifest, after checking every file it lists against its recorded sha256."""
    manifest = read_manifest(folder)
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"stance model file missing: {path} (reinstall factcheck)")
        if sha256_file(path) != expected:
            raise ModelError(f"stance model file damaged: {path} (sha256 differs from stance.json; reinstall)")
    return manifest


class StanceModel:
    """ONNX Runtime inference, one pair per run by default.

    The int8 graph scales its activations per run, so a pair run beside others (padded to their length)
    gets slightly different probabilities; one pair per run keeps every verdict independent of the claims
    checked with it, and unpadded runs are also faster here (measured: 127 pairs/s at 1, 93 at 32)."""

    def __init__(self, folder: Path = MODEL_DIR, *, batch_size: int = 1, threads: int | None = None) -> None:
        self.folder = Path(folder)
        self.manifest = verify(self.folder)
        self.batch_size = batch_size
        self.threads = threads or cores()
        self.max_length = int(self.manifest.get("max_length", 128))
        self._runner: _Runner | None = None
        self._side_by_side: list[_Runner] = []
        self.pairs_scored = 0

    @property
    def name(self) -> str:
        return str(self.manifest.get("name", "stance"))

    def _load(self) -> _Runner:
        if self._runner is None:
            self._runner = _Runner.load(self.folder, self.manifest, self.max_length, self.threads)
        return self._runner

    def _runners(self, pairs: int) -> list[_Runner]:
        """One runner for a few pairs (a cold ``check``); for many (a lint), one single-threaded session per core,
        side by side: each run is too small to keep two threads busy (measured on 600 pairs, 2 cores: 3.43 s with
        one session of two threads, 1.85 s with two of one; the probabilities identical)."""
        if pairs < SIDE_BY_SIDE_FROM or self.threads < 2:
            return [self._load()]
        while len(self._side_by_side) < self.threads:
            self._side_by_side.append(_Runner.load(self.folder, self.manifest, self.max_length, 1))
        return self._side_by_side

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[StanceProbs]:
        """Probabilities for each (claim, passage) pair, in input order."""
        import numpy as np

        if not pairs:
            return []
        runners = self._runners(len(pairs))
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        probs = np.empty((len(pairs), 3), dtype=np.float32)
        if len(runners) == 1:
            runners[0].run(pairs, order, self.batch_size, probs)
        else:
            from concurrent.futures import ThreadPoolExecutor

            # whole batches dealt in turn, so that each is the batch it would be in one session; lengths even out
            batches = [order[at : at + self.batch_size] for at in range(0, len(order), self.batch_size)]
            shares = [[i for batch in batches[k :: len(runners)] for i in batch] for k in range(len(runners))]

            with ThreadPoolExecutor(len(runners)) as pool:  # onnxruntime lets go of the GIL while it runs
                done = [
                    pool.submit(r.run, pairs, share, self.batch_size, probs)
                    for r, share in zip(runners, shares, strict=True)
                ]
                for future in done:
                    future.result()
        if not np.isfinite(probs).all():
            raise ModelError(f"stance model {self.folder} gave non-finite probabilities (damaged model file?)")
        self.pairs_scored += len(pairs)
        return [StanceProbs(*map(float, row)) for row in probs]


SIDE_BY_SIDE_FROM = 64  # pairs from which StanceModel runs one single-threaded session per core


@dataclass(frozen=True)
class _Runner:
    """One ONNX Runtime session with its tokenizers (one per thread that runs pairs)."""

    session: Any
    tokenizer: Any
    fallback: Any  # a claim longer than max_length on its own: cut longest-first (see load)

    @classmethod
    def load(cls, folder: Path, manifest: dict[str, Any], max_length: int, threads: int) -> _Runner:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        def tokenizer(strategy: str) -> Any:
            made = Tokenizer.from_file(str(folder / manifest["tokenizer"]))
            made.enable_truncation(max_length=max_length, strategy=strategy)
            made.enable_padding(pad_id=made.token_to_id("[PAD]") or 0, pad_token="[PAD]")
            return made

        # A claim longer than max_length on its own cannot keep whole under "only_second" (the tokenizer raises
        # and the whole run failed): such a batch is cut longest-first instead.
        session = ort.InferenceSession(
            str(folder / manifest["model"]), sess_options=session_options(threads), providers=["CPUExecutionProvider"]
        )
        return cls(session, tokenizer("only_second"), tokenizer("longest_first"))

    def run(self, pairs: Sequence[tuple[str, str]], rows_in_turn: list[int], batch_size: int, probs: Any) -> None:
        """Write the probabilities of the pairs ``rows_in_turn`` names into those rows of ``probs``."""
        import numpy as np

        for at in range(0, len(rows_in_turn), batch_size):
            rows = rows_in_turn[at : at + batch_size]
            items = [(pairs[i][0], pairs[i][1]) for i in rows]
            try:
                batch = self.tokenizer.encode_batch(items)
            except Exception:  # noqa: BLE001 - tokenizers raises a bare Exception: a claim too long to keep
                batch = self.fallback.encode_batch(items)
            feed = {
                "input_ids": np.asarray([e.ids for e in batch], dtype=np.int64),
                "attention_mask": np.asarray([e.attention_mask for e in batch], dtype=np.int64),
                "token_type_ids": np.asarray([e.type_ids for e in batch], dtype=np.int64),
            }
            (logits,) = self.session.run(None, feed)
            logits = logits - logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            probs[rows] = exp / exp.sum(axis=1, keepdims=True)


@cache
def shipped_model() -> StanceModel:
    """The packaged stance model, loaded once per process."""
    return StanceModel()
