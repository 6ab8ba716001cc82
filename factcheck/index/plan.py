"""What a build must do: which sources are added, changed, unchanged, removed, skipped or unreadable.

Sources are read one at a time and only their metadata and hash kept (``Scanned``), so planning a
build of a large archive holds no document text. A cluster build scans in parallel and hands the
results over in the same order; the decisions (which duplicate is kept, what is skipped) are made
here, the same for every engine.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from factcheck.errors import InputError
from factcheck.ingest import SourceFile, SourceWarning, read_document
from factcheck.records import Document

if TYPE_CHECKING:
    from factcheck.index.manifest import Manifest


@dataclass(frozen=True)
class Scanned:
    """One source as the first pass read it: its document without text, or why it could not be read."""

    id: str
    doc: Document | None
    error: str = ""
    empty: bool = False


def scan(source: SourceFile, catalog: Mapping[str, Mapping[str, str]]) -> Scanned:
    try:
        doc = read_document(source, dict(catalog))  # type: ignore[arg-type]
    except InputError as exc:
        return Scanned(source.id, None, str(exc))
    empty = not doc.text[doc.body_start :].strip()
    return Scanned(source.id, replace(doc, text=""), "", empty)


def scan_all(sources: Iterable[SourceFile], catalog: Mapping[str, Mapping[str, str]]) -> Iterator[Scanned]:
    for source in sources:
        yield scan(source, catalog)


@dataclass(frozen=True)
class Plan:
    docs: tuple[Document, ...]  # to index, by id, text dropped
    sources: Mapping[str, SourceFile]
    catalog: Mapping[str, Mapping[str, str]]
    catalog_sha256: str
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[str, ...]
    failed: tuple[str, ...]
    duplicates: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def fresh(self) -> tuple[str, ...]:
        """The documents to segment and embed (added or changed)."""
        return tuple(sorted(self.added + self.updated))

    def stats(self) -> dict[str, tuple[int, int]]:
        return {d.id: (self.sources[d.id].size, self.sources[d.id].mtime_ns) for d in self.docs}

    def read(self, doc: Document) -> Document:
        return reread(doc, self.sources[doc.id], self.catalog)


def reread(doc: Document, source: SourceFile, catalog: Mapping[str, Mapping[str, str]]) -> Document:
    """A planned document read again, with its text; it must not have changed since it was planned."""
    full = read_document(source, dict(catalog))  # type: ignore[arg-type]
    if full.sha256 != doc.sha256:
        raise InputError(f"source {doc.path} changed while it was being indexed; run the build again")
    return full


def order_for(sources: list[SourceFile], old: Manifest | None) -> list[SourceFile]:
    """Scanning order: of two sources with the same content, the one already indexed is kept (then the first id)."""
    known = old.documents if old else {}
    return sorted(sources, key=lambda s: s.id not in known)


def plan_build(
    sources: list[SourceFile],
    scanned: Iterable[Scanned],
    old: Manifest | None,
    catalog: Mapping[str, Mapping[str, str]],
    catalog_sha256: str,
) -> Plan:
    """Decide the build from the scan of ``sources`` (in ``order_for`` order); warns of skipped sources."""
    by_id = {s.id: s for s in sources}
    docs: list[Document] = []
    skipped: list[str] = []
    failed: list[str] = []
    duplicates: dict[str, str] = {}
    seen: dict[str, str] = {}
    for item in scanned:
        src = by_id[item.id]
        if item.doc is None:  # one unreadable source never sinks the build: the rest goes on
            warnings.warn(f"{item.error}; skipped", SourceWarning, stacklevel=3)
            failed.append(item.error)
            skipped.append(item.id)
        elif item.empty:
            warnings.warn(f"{src.path}: empty source, skipped", SourceWarning, stacklevel=3)
            skipped.append(item.id)
        elif item.doc.sha256 in seen:
            first = seen[item.doc.sha256]
            warnings.warn(f"{src.path}: same content as source {first!r}, skipped", SourceWarning, stacklevel=3)
            skipped.append(item.id)
            duplicates[item.id] = first
        else:
            seen[item.doc.sha256] = item.id
            docs.append(item.doc)
    docs.sort(key=lambda d: d.id)
    old_docs = old.documents if old else {}
    current = {d.id for d in docs}
    return Plan(
        docs=tuple(docs),
        sources=by_id,
        catalog=catalog,
        catalog_sha256=catalog_sha256,
        added=tuple(d.id for d in docs if d.id not in old_docs),
        updated=tuple(d.id for d in docs if d.id in old_docs and old_docs[d.id].sha256 != d.sha256),
        unchanged=tuple(d.id for d in docs if d.id in old_docs and old_docs[d.id].sha256 == d.sha256),
        removed=tuple(k for k in old_docs if k not in current),
        skipped=tuple(skipped),
        failed=tuple(failed),
        duplicates=duplicates,
    )
