"""The manifest: what built an index generation, and checksums to detect damage."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from factcheck.errors import IndexStateError

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
REPAIR = "run `factcheck index --rebuild` to rebuild it"


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
    catalog_sha256: str = ""
    segmenter: str = ""
    created: str = ""
    build_id: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: Path) -> Manifest:
        try:
            raw = json.loads(text)
            raw["documents"] = {k: DocEntry(**v) for k, v in raw["documents"].items()}
            return cls(**raw)
        except (ValueError, TypeError, KeyError) as exc:
            raise IndexStateError(f"index manifest {where} is unreadable; {REPAIR}") from exc


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def describe_files(folder: Path, names: list[str]) -> dict[str, dict[str, int | str]]:
    return {name: {"size": (folder / name).stat().st_size, "sha256": file_digest(folder / name)} for name in names}


def check_files(folder: Path, manifest: Manifest, *, full: bool = False) -> None:
    """Raise IndexStateError when a file is missing, has the wrong size or (``full``) checksum."""
    for name, info in manifest.files.items():
        path = folder / name
        if not path.is_file():
            raise IndexStateError(f"index file {path} is missing; {REPAIR}")
        if path.stat().st_size != info["size"]:
            raise IndexStateError(f"index file {path} is truncated or changed; {REPAIR}")
        if full and file_digest(path) != info["sha256"]:
            raise IndexStateError(f"index file {path} fails its checksum; {REPAIR}")
