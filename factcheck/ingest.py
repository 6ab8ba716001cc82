"""Read ``sources/`` into Documents: decoding, front matter and the catalogue file.

A source is a UTF-8 ``.txt`` or ``.md`` file; its stem is its source id. Metadata
(title, publisher, published, url) comes from, in order of precedence:

1. front matter at the top of the file (``---`` lines around ``key: value`` pairs);
2. ``sources/catalog.toml``: one table per source id;
3. the text itself: a ``= Title =`` / ``# Title`` first line, else the stem.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from factcheck.errors import InputError
from factcheck.records import Document

SOURCE_SUFFIXES = (".txt", ".md", ".markdown")
CATALOG_NAME = "catalog.toml"
META_KEYS = ("title", "publisher", "published", "url")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"#{1,6}\s")


class SourceWarning(UserWarning):
    """A source that was skipped or changed on the way in (empty, duplicate)."""


@dataclass(frozen=True)
class SourceFile:
    """A source file found on disk, before it is read."""

    id: str
    path: Path
    size: int
    mtime_ns: int


def list_sources(folder: Path) -> list[SourceFile]:
    """The source files in ``folder`` (recursively), sorted by id.

    Raises InputError when the folder is missing, is not a folder, or holds no sources.
    """
    if not folder.exists():
        raise InputError(f"sources folder not found: {folder}")
    if not folder.is_dir():
        raise InputError(f"sources path is not a folder: {folder}")
    found: dict[str, SourceFile] = {}
    for path in _walk(folder):
        if path.suffix.lower() not in SOURCE_SUFFIXES or path.name.startswith("."):
            continue
        try:
            stat = path.stat()
        except OSError as exc:
            raise InputError(f"cannot read source {path}: {exc.strerror}") from exc
        sid = path.stem
        if sid in found:
            raise InputError(f"two sources share the id {sid!r}: {found[sid].path} and {path}")
        found[sid] = SourceFile(sid, path, stat.st_size, stat.st_mtime_ns)
    if not found:
        raise InputError(f"no source documents (*.txt, *.md) in {folder}")
    return [found[k] for k in sorted(found)]


def _walk(folder: Path) -> Iterator[Path]:
    """Files below ``folder``, following no symlinked folders twice (loops are cut)."""
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = current.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(current.iterdir())
        except PermissionError as exc:
            raise InputError(f"cannot read folder {current}: permission denied") from exc
        for entry in entries:
            if entry.is_dir():
                stack.append(entry)
            elif entry.is_file():
                yield entry


# Control characters other than tab and newline become spaces (one for one, so offsets hold):
# pysbd crashes on "2\x1e26" (int() of a number with a record separator; fuzz finding 2).
_CONTROLS = {c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}


def decode(data: bytes, path: Path | str) -> str:
    """Decode source bytes: UTF-8 (BOM allowed) or UTF-16 with a BOM; CRLF becomes LF."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: invalid UTF-16 at byte {exc.start}") from exc
    else:
        if b"\x00" in data[:8192]:
            raise InputError(f"{path}: looks like a binary file, not UTF-8 text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
            ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)


def read_catalog(folder: Path) -> dict[str, dict[str, str]]:
    """The catalogue ``folder/catalog.toml``: ``{source id: {key: value}}``; {} when absent."""
    path = folder / CATALOG_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(decode(path.read_bytes(), path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from exc
    catalog: dict[str, dict[str, str]] = {}
    for sid, meta in data.items():
        if not isinstance(meta, dict):
            raise InputError(f"{path}: [{sid}] must be a table of title/publisher/published/url")
        catalog[sid] = {k: str(v) for k, v in meta.items()}
    return catalog


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """Front matter as a dict and the offset where the body starts (0 without front matter)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "#")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, match.end()


def parse_date(value: str, where: str) -> date | None:
    """An ISO date (``2024-09-06``), a month (``2024-09``) or a year; None when empty."""
    value = value.strip()
    if not value:
        return None
    for pattern, fill in ((r"\d{4}-\d{2}-\d{2}", ""), (r"\d{4}-\d{2}", "-01"), (r"\d{4}", "-01-01")):
        if re.fullmatch(pattern, value):
            try:
                return date.fromisoformat(value + fill)
            except ValueError:
                break
    raise InputError(f"{where}: published date {value!r} is not YYYY-MM-DD")


def heading_title(line: str) -> str | None:
    """The title of a ``= Title =`` or ``# Title`` line, None for other lines.

    Plain string operations: a regular expression for this backtracks for minutes on a long
    run of ``=`` that is not closed (found by fuzzing)."""
    stripped = line.strip()
    if len(stripped) >= 2 and stripped[0] == "=" and stripped[-1] == "=":
        return stripped.strip("=").strip() or None
    if _MD_HEADING.match(stripped):
        return stripped.lstrip("#").rstrip("#").strip() or None
    return None


def guess_title(body: str, fallback: str) -> str:
    """A heading on the first non-blank line, else the fallback."""
    for line in body.splitlines():
        if not line.strip():
            continue
        return heading_title(line) or fallback
    return fallback


def read_document(source: SourceFile, catalog: dict[str, dict[str, str]] | None = None) -> Document:
    """Read one source file into a Document (metadata resolved)."""
    try:
        data = source.path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"cannot read source {source.path}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"cannot read source {source.path}: {exc.strerror}") from exc
    text = decode(data, source.path)
    front, body_start = split_front_matter(text)
    meta = dict((catalog or {}).get(source.id, {}))
    meta.update({k: v for k, v in front.items() if k in META_KEYS})
    title = meta.get("title") or guess_title(text[body_start:], source.id)
    return Document(
        id=source.id,
        path=str(source.path),
        title=title,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        publisher=meta.get("publisher", ""),
        published=parse_date(meta.get("published", ""), str(source.path)),
        url=meta.get("url", ""),
        body_start=body_start,
    )


def read_documents(folder: Path) -> list[Document]:
    """All documents of a sources folder. Empty and duplicate files are warned about and skipped."""
    catalog = read_catalog(folder)
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for source in list_sources(folder):
        doc = read_document(source, catalog)
        if not doc.text[doc.body_start :].strip():
            warnings.warn(f"{source.path}: empty source, skipped", SourceWarning, stacklevel=2)
            continue
        if doc.sha256 in seen:
            warnings.warn(
                f"{source.path}: same content as source {seen[doc.sha256]!r}, skipped", SourceWarning, stacklevel=2
            )
            continue
        seen[doc.sha256] = doc.id
        docs.append(doc)
    return docs
