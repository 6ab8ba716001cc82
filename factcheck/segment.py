"""Documents -> Passages with exact character spans, line and column.

Lines are grouped into blocks: headings (``= X =``, ``== X ==``, ``# X``), list items
(``- x``, ``* x``, ``1. x``) and paragraphs (consecutive text lines). Paragraphs are split
into sentences by pysbd, which keeps "U.S.", "Gen.", "Sept.", decimals and quotes whole.
Headings are not passages; each passage remembers the nearest heading above it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from factcheck.ingest import heading_title
from factcheck.records import Document, Passage

_RULE = re.compile(r"^[ \t]{0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})[ \t]*$")
_SETEXT = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+(?=\S)")
MAX_PASSAGE_CHARS = 2000
# Bump when segmentation changes: indexes built by another version are rebuilt, not reused.
SEGMENTER_VERSION = "pysbd-0.3/blocks-3"


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


class LineIndex:
    """Offset -> (line, column), both 1-based."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1


# pysbd's time grows with the square of a paragraph's length (a 1.85 MB one-line draft never
# finished): longer paragraphs are first cut into blocks of about SAFE_BLOCK characters at likely
# sentence ends — a full stop after a word of 4+ letters (not an abbreviation such as "Sept.") or
# a number, then white space and a capital or digit (never "Gen.", "U.S.") — and each block is
# split alone.
SAFE_BLOCK = 1000
_ABBREVIATIONS_4 = (
    "Sept|Capt|Corp|Prof|Dept|Univ|Assn|Bros|Supt|Calif|Mass|Penn|Wash|Conn|Tenn|Ariz|Colo|Mich|Minn|Okla|Blvd"
)
_RE_LIKELY_END = re.compile(
    rf"(?:\b(?!(?:{_ABBREVIATIONS_4})\.)[A-Za-z]{{4,}}|\d)[.!?][\"'”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])"
)


def safe_blocks(text: str, size: int = SAFE_BLOCK) -> list[tuple[int, int, bool]]:
    """``(start, end, split)`` blocks of ``text`` of about ``size`` characters, cut at likely
    sentence ends. A stretch of ``4 * size`` characters without one is a run-on sentence: it
    runs to the next likely end as one block with ``split`` False (too long to be a claim, it
    is reported as such rather than cut into fragments that would be judged as claims)."""
    blocks: list[tuple[int, int, bool]] = []
    start = 0
    while len(text) - start > size:
        cut = None
        for match in _RE_LIKELY_END.finditer(text, start + size // 2, start + 4 * size):
            cut = match.end()
            if cut >= start + size:
                break
        if cut is None:  # the last likely end early in the block, if any
            for match in _RE_LIKELY_END.finditer(text, start + 1, start + size // 2):
                cut = match.end()
        if cut is None and len(text) - start > 4 * size:
            following = _RE_LIKELY_END.search(text, start + 4 * size)
            end = following.end() if following else len(text)
            blocks.append((start, end, False))
            start = end
            continue
        blocks.append((start, cut or len(text), True))
        start = cut or len(text)
    if start < len(text) or not blocks:
        blocks.append((start, len(text), True))
    return blocks


LONG_PARAGRAPH = 20_000  # sources: only paragraphs longer than this are cut first (others as before)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``, stripped of surrounding white space.

    pysbd gives the sentence strings; they are located in ``text`` in order, so spans are
    exact even where the same sentence appears twice. A paragraph over LONG_PARAGRAPH
    characters is cut into safe blocks first (pysbd is quadratic); a run-on block is one span.
    """
    if len(text) <= LONG_PARAGRAPH:
        return _split_paragraph(text)
    spans: list[tuple[int, int]] = []
    for base, end, split in safe_blocks(text):
        block = text[base:end]
        if split:
            spans += [(base + s, base + e) for s, e in _split_paragraph(block)]
        elif block.strip():
            spans.append((base + len(block) - len(block.lstrip()), base + len(block.rstrip())))
    return spans


def _split_paragraph(text: str) -> list[tuple[int, int]]:
    if not text.strip():
        return []
    spans: list[tuple[int, int]] = []
    cursor = 0
    try:
        pieces = _segmenter().segment(text)
    except (ValueError, IndexError):  # pysbd chokes on some control characters ("2\x1e26.")
        pieces = _segmenter().segment(_CONTROL.sub(" ", text))
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:  # pysbd changed the text: fall back to the rest of the block
            at = cursor
            while at < len(text) and text[at].isspace():
                at += 1
            end = len(text)
        else:
            end = at + len(piece)
        if end > at:
            spans.append((at, end))
        cursor = end
        if cursor >= len(text):
            break
    # Whatever pysbd dropped at the end still belongs to the last sentence.
    tail = text[cursor:].strip()
    if tail and spans:
        spans[-1] = (spans[-1][0], text.rstrip().__len__())
    elif tail:
        start = len(text) - len(text.lstrip())
        spans.append((start, len(text.rstrip())))
    return spans


def _blocks(text: str, start: int, *, wrapped: bool = True) -> Iterator[tuple[str, int, int]]:
    """``(kind, start, end)`` blocks of ``text`` from offset ``start``: heading, item or para.

    With ``wrapped`` (markdown), consecutive text lines form one paragraph; otherwise (plain
    text, where news copy keeps a paragraph per line) every line is its own paragraph."""
    para_start: int | None = None
    para_end = start
    pos = start
    for line in text[start:].split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if wrapped and _RULE.match(line):
            # markdown: "Title\n=====" is a heading; a lone "---" or "***" is a thematic break
            if para_start is not None and _SETEXT.match(line) and "\n" not in text[para_start:para_end]:
                yield "heading", para_start, para_end
            elif para_start is not None:
                yield "para", para_start, para_end
            para_start = None
            continue
        kind = "heading" if heading_title(line) else "item" if _ITEM.match(line) else "para"
        if not line.strip() or kind != "para":
            if para_start is not None:
                yield "para", para_start, para_end
                para_start = None
            if line.strip():
                yield kind, line_start, line_end
            continue
        if para_start is not None and not wrapped:
            yield "para", para_start, para_end
            para_start = None
        if para_start is None:
            para_start = line_start
        para_end = line_end
    if para_start is not None:
        yield "para", para_start, para_end


def heading_text(line: str) -> str:
    return heading_title(line) or line.strip()


def segment(doc: Document) -> list[Passage]:
    """All passages of a document, in order."""
    text = doc.text
    lines = LineIndex(text)
    passages: list[Passage] = []
    heading = ""

    def add(start: int, end: int, kind: str) -> None:
        while end > start and text[end - 1].isspace():
            end -= 1
        # very long sentences (tables, run-on lists) are cut at white space
        while end - start > MAX_PASSAGE_CHARS:
            cut = text.rfind(" ", start, start + MAX_PASSAGE_CHARS)
            cut = cut if cut > start else start + MAX_PASSAGE_CHARS
            add(start, cut, kind)
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end <= start:
            return
        line, column = lines.position(start)
        passages.append(Passage(doc.id, len(passages), text[start:end], start, end, line, column, heading, kind))

    wrapped = doc.path.lower().endswith((".md", ".markdown"))
    for kind, start, end in _blocks(text, doc.body_start, wrapped=wrapped):
        if kind == "heading":
            if not passages and not heading and not text[doc.body_start : start].strip():
                heading = ""  # the title line names the document, not a section
                continue
            heading = heading_text(text[start:end])
            continue
        if kind == "item":
            marker = _ITEM.match(text[start:end])
            add(start + (marker.end() if marker else 0), end, "item")
            continue
        block = text[start:end].replace("\n", " ")  # same length, so offsets hold
        for s, e in split_sentences(block):
            add(start + s, start + e, "sentence")
    return passages
