"""The manifest: what built an index generation, and checksums to detect damage."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from factcheck.errors import IndexStateError

FORMAT_VERSION = 2  # 2: the gazetteer is kept per document
MANIFEST_NAME = "manifest.json"
REPAIR = "run `factcheck index --rebuild` to rebuild it"
REQUIRED_FILES = ("store.sqlite", "vectors.npy", "dense.faiss")


@dataclass(frozen=True)
class DocEntry:
    sha256: str
    size: int
    mtime_ns: int
    passages: int
    path: str = ""


@dataclass(frozen=True)
class Manifest:
    format_version: int
    model_id: str
    dimension: int
    dense_kind: str
    passages: int
    documents: dict[str, DocEntry]
    files: dict[str, dict[str, int | str]] = field(default_factory=dict)  # name -> {size, sha256}
    skipped: dict[str, list[int]] = field(default_factory=dict)  # id -> [size, mtime_ns] of skipped sources
    duplicates: dict[str, str] = field(default_factory=dict)  # skipped id -> indexed id with the same content
    catalog_sha256: str = ""
    segmenter: str = ""
    created: str = ""
    build_id: str = ""
    # a sharded generation (shards.py): shard folder -> {"manifest_sha256", "passages", "documents"};
    # empty for a generation that holds its files itself
    shards: dict[str, dict[str, int | str]] = field(default_factory=dict)

    def to_json(self) -> str:
        raw = asdict(self)
        if not raw["shards"]:
            del raw["shards"]  # a plain generation reads as before
        return json.dumps(raw, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: Path) -> Manifest:
        try:
            raw = json.loads(text)
            raw["documents"] = {k: DocEntry(**v) for k, v in raw["documents"].items()}
            return cls(**raw)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise IndexStateError(f"index manifest {where} is unreadable; {REPAIR}") from exc

    def validate(self, where: Path) -> None:
        """Raise IndexStateError when a field has an impossible value (a hand-edited manifest)."""
        ok = (
            isinstance(self.format_version, int)
            and isinstance(self.model_id, str)
            and isinstance(self.dimension, int)
            and self.dimension > 0
            and isinstance(self.passages, int)
            and self.passages >= 0
            and isinstance(self.files, dict)
            and all(isinstance(v, dict) and isinstance(v.get("size"), int) for v in self.files.values())
            and isinstance(self.shards, dict)
            and all(isinstance(v, dict) and isinstance(v.get("manifest_sha256"), str) for v in self.shards.values())
        )
        if not ok:
            raise IndexStateError(f"index manifest {where} has impossible values; {REPAIR}")


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


SAMPLE_BLOCK = 1 << 16


def sample_digest(path: Path) -> str:
    """A cheap digest for every open: the size and blocks at the start, middle and end.

    It tells a truncated file, or a file of the same size from another build, from the one the
    manifest describes, at the cost of three small reads whatever the file's size."""
    h = hashlib.sha256()
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        h.update(str(size).encode())
        for at in sorted({0, max(0, size // 2 - SAMPLE_BLOCK // 2), max(0, size - SAMPLE_BLOCK)}):
            handle.seek(at)
            h.update(handle.read(SAMPLE_BLOCK))
    return h.hexdigest()


def describe_files(folder: Path, names: list[str]) -> dict[str, dict[str, int | str]]:
    return {
        name: {
            "size": (folder / name).stat().st_size,
            "sha256": file_digest(folder / name),
            "sample": sample_digest(folder / name),
        }
        for name in names
    }


def check_files(folder: Path, manifest: Manifest, *, full: bool = False) -> None:
    """Raise IndexStateError when a file is missing, has the wrong size or sampled digest (a
    truncated file, or one copied from another build), or (``full``) the wrong checksum."""
    for name in REQUIRED_FILES:
        if name not in manifest.files:
            raise IndexStateError(f"index manifest {folder / MANIFEST_NAME} does not list {name}; {REPAIR}")
    for name, info in manifest.files.items():
        path = folder / name
        if "/" in name or name.startswith("."):
            raise IndexStateError(f"index manifest {folder / MANIFEST_NAME} names a stray file {name!r}; {REPAIR}")
        if not path.is_file():
            raise IndexStateError(f"index file {path} is missing; {REPAIR}")
        if path.stat().st_size != info["size"]:
            raise IndexStateError(f"index file {path} is truncated or changed; {REPAIR}")
        if "sample" in info and sample_digest(path) != info["sample"]:
            raise IndexStateError(f"index file {path} is damaged or belongs to another build; {REPAIR}")
        if full and file_digest(path) != info["sha256"]:
            raise IndexStateError(f"index file {path} fails its checksum; {REPAIR}")
