"""One document's way into an index: segment it, read its gazetteer and passage facts, embed it.

Every stage works on one document alone, so what a document contributes to an index (passages,
facts, vectors) is the same whichever process, batch or machine prepares it: a local build, a Ray
worker, or an incremental refresh. In particular a document's vectors come from one encoder call
over its own sentences only (never padded or batched with another document's), so a sharded build
on a cluster and a local build give the same vectors, hence the same verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from factcheck.records import Document, Passage

if TYPE_CHECKING:
    import numpy as np


class Embedder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Analysed:
    """A document segmented, with its gazetteer and the facts of each passage (no vectors yet)."""

    doc: Document  # its text dropped: the passages carry what is indexed
    passages: tuple[Passage, ...]
    gazetteer: tuple[tuple[str, str], ...]  # (name, kind), as the store keeps them
    facts: tuple[tuple[str, str], ...]  # per passage: (sentence, window) facts, JSON of facts_codec
    facts_key: int
    notes: tuple[str, ...] = ()  # warnings for whoever drives the build ("no sentences found")


@dataclass(frozen=True)
class Prepared:
    """A document ready to be written into an index part: ``Analysed`` plus one vector per passage."""

    analysed: Analysed
    vectors: Any  # np.ndarray, len(passages) x dimension, float32
    encoded: int = 0  # texts the encoder embedded for it (0 when reused from an older generation)

    @property
    def doc(self) -> Document:
        return self.analysed.doc


def analyse(doc: Document) -> Analysed:
    """Segment ``doc`` and compute what the judge needs of each passage (no model involved)."""
    from factcheck.extract.entities import gazetteer_from
    from factcheck.judge.facts_codec import facts_key
    from factcheck.segment import segment

    passages = tuple(segment(doc))
    gazetteer = tuple(sorted(gazetteer_from([p.text for p in passages]).items())) if passages else ()
    facts = _facts(passages, doc, dict(gazetteer))
    notes = () if passages else (f"{doc.path}: no sentences found",)
    return Analysed(replace(doc, text=""), passages, gazetteer, facts, facts_key(), notes)


def _facts(
    passages: tuple[Passage, ...],
    doc: Document,
    gazetteer: dict[str, str],
    known: dict[int, tuple[str, str]] | None = None,
) -> tuple[tuple[str, str], ...]:
    """``(sentence, window)`` facts of every passage, those in ``known`` (by ordinal) reused."""
    from factcheck.judge.facts import passage_facts
    from factcheck.judge.facts_codec import dumps

    out = []
    for i, p in enumerate(passages):
        if known and p.ordinal in known:
            out.append(known[p.ordinal])
            continue
        sentence, window = passage_facts(
            p.text,
            previous=passages[i - 1].text if i > 0 else "",
            following=passages[i + 1].text if i + 1 < len(passages) else "",
            heading=p.heading,
            published=doc.published,
            gazetteer=gazetteer,
        )
        out.append((dumps(sentence), dumps(window)))
    return tuple(out)


def embed(analysed: Analysed, encoder: Embedder, dimension: int) -> Prepared:
    """Vectors of the document's passages: one encoder call over its distinct sentences."""
    import numpy as np

    texts = [p.text for p in analysed.passages]
    if not texts:
        return Prepared(analysed, np.zeros((0, dimension), dtype=np.float32))
    unique = list(dict.fromkeys(texts))
    block = np.ascontiguousarray(encoder.encode(unique), dtype=np.float32)
    if len(unique) == len(texts):
        return Prepared(analysed, block, len(unique))
    where = {t: i for i, t in enumerate(unique)}
    return Prepared(analysed, block[[where[t] for t in texts]], len(unique))


def reuse(old: Any, doc: Document) -> Prepared:
    """An unchanged document as an older generation (``old``: a snapshot, plain or sharded) holds it;
    facts stored under another key (codec version, date order) are computed again."""
    import numpy as np

    from factcheck.judge.facts_codec import facts_key

    key = facts_key()
    rows_passages = old.store.document_passages(doc.id)
    passages = tuple(p for _, p in rows_passages)
    rows = [r for r, _ in rows_passages]
    gazetteer = tuple(old.store.document_gazetteer(doc.id))
    known = old.store.document_facts(doc.id, key)
    facts = _facts(passages, doc, dict(gazetteer), known)
    vectors = (
        np.asarray(old.vectors()[rows], dtype=np.float32) if rows else np.zeros((0, old.manifest.dimension), np.float32)
    )
    return Prepared(Analysed(replace(doc, text=""), passages, gazetteer, facts, key), vectors)
