"""Read a markdown or plain-text draft into sentences with exact spans in the original file.

Markdown is parsed with markdown-it-py. Only prose is read: headings, paragraphs (also inside
list items and blockquotes) and table cells. Front matter, code blocks, inline code, link
targets, autolinks, images and HTML are never checked. The text of each inline node is located
in the original source, so every character of a sentence maps back to its own offset there:
a sentence's span runs from its first to its last character in the original file, whatever
markup lies in between.

Suppression comments are parsed here too (``<!-- factcheck: ignore [RULE ...] -->``,
``<!-- factcheck: off [RULE ...] -->`` ... ``<!-- factcheck: on -->``); applying them to
findings is the linter's job.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factcheck.segment import SAFE_BLOCK, safe_blocks

if TYPE_CHECKING:
    from markdown_it.token import Token

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
MAX_NESTING = 100  # markdown-it's nesting limit (commonmark: 20, which dropped a 10-deep list silently)


@dataclass(frozen=True)
class DraftSentence:
    """One sentence of a draft. ``text`` is the plain text (markup removed); the span is in the file.

    ``start``/``end`` are character offsets into the file's text; ``line``/``column`` are 1-based
    and ``end_column`` is exclusive (the column just after the last character), like ruff and
    SARIF ``endColumn``.
    """

    path: str
    text: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    checkworthy: bool
    why: str
    offsets: tuple[int, ...] = ()  # the file offset of each character of ``text`` (markup removed)


@dataclass(frozen=True)
class Suppression:
    """A ``<!-- factcheck: ... -->`` comment and the span of the file it covers."""

    path: str
    line: int
    column: int
    directive: str  # "ignore" (next block or sentence) | "off" (until "on" or end of file)
    rules: tuple[str, ...]  # empty: every rule
    scope_start: int
    scope_end: int
    comment: str

    def covers(self, offset: int, rule: str) -> bool:
        """True when a finding of ``rule`` starting at ``offset`` is suppressed by this comment."""
        in_scope = self.scope_start <= offset < self.scope_end
        return in_scope and (not self.rules or rule in self.rules)


@dataclass(frozen=True)
class Draft:
    path: str
    text: str
    sentences: tuple[DraftSentence, ...]
    suppressions: tuple[Suppression, ...]
    notices: tuple[str, ...] = ()  # "path:line:col: …" for text that could not be read as prose


# --------------------------------------------------------------------------- positions


class LineIndex:
    """Offsets <-> 1-based line and column for one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def line_start(self, line0: int) -> int:
        """Offset of the first character of 0-based line ``line0`` (clamped to the text)."""
        return self._starts[line0] if 0 <= line0 < len(self._starts) else -1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    @property
    def line_count(self) -> int:
        return len(self._starts)


# --------------------------------------------------------------------------- check-worthiness

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|quarter|third|percent|"
    "twice|thrice|double|triple|once|single|pair|couple"
)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TITLES = (
    "President|Vice President|Prime Minister|Minister|Secretary|Gen\\.|General|Col\\.|Colonel|"
    "Adm\\.|Admiral|Sen\\.|Senator|Rep\\.|Representative|Gov\\.|Governor|Mayor|King|Queen|"
    "Prince|Princess|Pope|Chancellor|Judge|Justice|Dr\\.|Mr\\.|Mrs\\.|Ms\\.|Prof\\.|Sgt\\.|Lt\\.|"
    "Capt\\.|CEO|Chairman|Chairwoman|Ambassador"
)
_ATTRIBUTION = (
    "said|says|say|saying|according to|announced|announces|told|tells|reported|reports|stated|"
    "states|claimed|claims|confirmed|confirms|denied|denies|declared|wrote|testified|acknowledged|"
    "estimated|estimates|revealed|insisted|warned"
)
_COMPARISON = (
    "more than|less than|fewer than|greater than|higher than|lower than|at least|at most|"
    "up to|as many as|as much as|compared (?:with|to)|[a-z]+est|most|least|record|"
    "increase[sd]?|increasing|decrease[sd]?|decreasing|rose|rise[sn]?|risen|fell|fall(?:s|en)?|"
    "grew|grow[sn]?|declined?|declines|doubled|tripled|halved|dropped|drops|surged|soared|"
    "plunged|jumped|first|only|majority|minority"
)
_SUPERLATIVE_NOT = frozenset(
    {
        "best",
        "rest",
        "test",
        "west",
        "east",
        "nest",
        "interest",
        "guest",
        "honest",
        "modest",
        "protest",
        "request",
        "contest",
        "forest",
        "quest",
        "chest",
        "vest",
        "suggest",
        "invest",
        "arrest",
        "harvest",
        "manifest",
        "digest",
        "earnest",
        "unrest",
        "pest",
        "zest",
        "jest",
    }
)

_RE_DIGIT = re.compile(r"\d")
_RE_NUMBER_WORD = re.compile(rf"\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_RE_DATE = re.compile(
    rf"\b(?:{_MONTHS}|{_WEEKDAYS})(?=\W|$)|\b(?:last|next|this|earlier this|later this)\s+"
    r"(?:year|month|week|decade|century|spring|summer|autumn|fall|winter)\b",
)
_RE_TITLE = re.compile(rf"(?<![\w.])(?:{_TITLES})(?=\W|$)")
# Number words that count nothing: "one" standing for a noun ("a good one", "no one", "the one who") and
# "once" as "when" or in set phrases ("Once the talks end", "once again", "at once").
_RE_NOT_A_COUNT = re.compile(
    r"\b(?:(?:a|an|the|this|that|which|every|each|any|some|another)\s+(?:[a-z]+\s+)?one\b(?!\s+of\b)"
    r"|^\W*once\b|\bonce\s+(?:again|more|and\s+for\s+all)\b|\bat\s+once\b)",
    re.IGNORECASE,
)
# The writer's own opinion framing the sentence ("In my view ...", "I think ..."): without a number or a date
# in it, such a sentence asks for no source.
_RE_OPINION = re.compile(
    r"\b(?:in\s+(?:my|our)\s+(?:view|opinion|judgement|judgment)|to\s+my\s+mind|"
    r"(?:I|we)\s+(?:(?:really|strongly|still|do)\s+)?(?:think|believe|feel|suspect|doubt|hope)|"
    r"I(?:'|’)m\s+(?:sure|convinced)|personally)\b",
    re.IGNORECASE,
)
_RE_ATTRIBUTION = re.compile(rf"\b(?:{_ATTRIBUTION})\b", re.IGNORECASE)
_RE_COMPARISON = re.compile(rf"\b(?:{_COMPARISON})\b", re.IGNORECASE)
_RE_WORD = re.compile(r"[\w][\w'’.&-]*")
_RE_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,}\b")
_OPENERS = "\"'“‘(«[:;—–-"
_NOT_NAMES = frozenset(
    {"I", "I'm", "I’m", "I'd", "I’d", "I've", "I’ve", "I'll", "I’ll", "OK", "Sep", "Sept"}
    | {w.rstrip("\\.") for w in f"{_MONTHS}|{_WEEKDAYS}".split("|") if "?" not in w}
)


def _capitalised_name(sentence: str) -> str:
    """The first capitalised word that is not a sentence opener (a name or a place), or ""."""
    previous_end = -1
    first = True
    for match in _RE_WORD.finditer(sentence):
        word = match.group().rstrip(".")
        between = sentence[previous_end : match.start()] if previous_end >= 0 else ""
        previous_end = match.end()
        starts_clause = first or any(ch in _OPENERS for ch in between.strip())
        first = False
        if not word or not word[0].isupper() or word in _NOT_NAMES or starts_clause:
            continue
        return word
    return ""


def _superlative(match: re.Match[str]) -> bool:
    word = match.group().lower()
    return not (word.endswith("est") and " " not in word and (word in _SUPERLATIVE_NOT or len(word) < 5))


def checkworthiness(sentence: str) -> tuple[bool, str]:
    """Is ``sentence`` a factual claim worth checking, and why (or why not).

    Check-worthy: a number or quantity word, a date (month, weekday, year, "last year"), a named
    actor or place (a capitalised word not opening the sentence, an acronym, or a title such as
    "Gen." or "President"), an attributed statement ("said", "according to") or a comparison
    ("more than", "largest", "increased"). Opinion and narrative without any of these is not, nor is a
    sentence the writer frames as their own opinion ("In my view", "I think") without a number, a date or an
    attribution.
    """
    reasons: list[str] = []
    digit = _RE_DIGIT.search(sentence)
    number_word = _RE_NUMBER_WORD.search(_RE_NOT_A_COUNT.sub(_blank, sentence))
    if digit or number_word:
        reasons.append(f"number '{_word_at(sentence, digit.start()) if digit else number_word.group()}'")
    if date := _RE_DATE.search(sentence):
        reasons.append(f"date '{date.group()}'")
    title = _RE_TITLE.search(sentence)
    acronym = _RE_ACRONYM.search(sentence)
    name = _capitalised_name(sentence)
    if title or acronym or name:
        found = title.group() if title else acronym.group() if acronym else name
        reasons.append(f"name '{found}'")
    attribution = _RE_ATTRIBUTION.search(sentence)
    if not (digit or number_word or date or attribution) and (opinion := _RE_OPINION.search(sentence)):
        return False, f"opinion '{opinion.group()}', with no number, date or attribution"
    if attribution:
        reasons.append(f"attribution '{attribution.group()}'")
    comparison = next((m for m in _RE_COMPARISON.finditer(sentence) if _superlative(m)), None)
    if comparison:
        reasons.append(f"comparison '{comparison.group()}'")
    if reasons:
        return True, "; ".join(reasons)
    return False, "no number, date, name, attribution or comparison"


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _word_at(text: str, offset: int) -> str:
    start = offset
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = offset
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(".,;:!?\"'“”‘’()")


# --------------------------------------------------------------------------- sentences


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd  # lazy: keeps `import factcheck.draft` cheap

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, surrounding whitespace excluded."""
    if len(text) <= SAFE_BLOCK:
        return _split_block(text)
    spans: list[tuple[int, int]] = []
    for base, end, split in safe_blocks(text):
        if split:
            spans += [(base + s, base + e) for s, e in _split_block(text[base:end])]
        elif text[base:end].strip():
            block = text[base:end]
            spans.append((base + len(block) - len(block.lstrip()), base + len(block.rstrip())))
    return spans


# A dotted acronym ends a sentence as often as it opens a name ("... visit to the U.S. Then they left" / "the U.S.
# Army"); the segmenter reads every one as a name's. Split after one where the next word opens a sentence, or
# where a line of the source ends after it and the next word is no name that follows such an acronym.
_RE_ACRONYM_THEN_WORD = re.compile(r"(?:\b[A-Z]\.){2,}(?=\s+([A-Z][\w'’-]*))")
_OPENERS_AFTER_ACRONYM = frozenset(
    """The A An It Its He She They We I This That These Those There Then But And So Yet In On At By For After
    Before During Meanwhile However Still Later Earlier Now Today Yesterday Last Next Some Many Most""".split()
)
_NAMES_AFTER_ACRONYM = frozenset(
    """Army Navy Air Marine Marines Coast Guard Embassy Embassies Senate House Congress Department State States
    Central Command Forces Force Special Treasury Supreme Court Capitol Agency Secretary President Vice Ambassador
    Security Council General Assembly Mission Government Postal Census Bureau Attorney Open Dollar Dollars Navy's
    Army's Military Defense Defence Justice National""".split()
)


def split_after_acronyms(
    text: str, spans: list[tuple[int, int]], line_break: Callable[[int, int], bool] = lambda _a, _b: False
) -> list[tuple[int, int]]:
    """``spans`` (sentences of ``text``) split after a dotted acronym that ends a sentence: before a word that
    opens one ("... to the U.S. Then they left."), or, where a line of the source ends between the two
    (``line_break(i, j)``: between the characters at ``i`` and ``j``), before any capitalised word but a name
    that follows such acronyms ("U.S. Army")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        for match in _RE_ACRONYM_THEN_WORD.finditer(text, start, end):
            word, after = match.group(1), match.start(1)
            if word in _OPENERS_AFTER_ACRONYM or (
                line_break(match.end() - 1, after) and word not in _NAMES_AFTER_ACRONYM
            ):
                out.append((start, match.end()))
                start = after
        out.append((start, end))
    return out


def _split_block(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter().segment(text):
        sentence = piece.sent
        start = piece.start if text[piece.start : piece.end] == sentence else text.find(sentence, cursor)
        if start < 0:  # the segmenter altered the text: fall back to what is left
            start = cursor
            sentence = text[cursor:]
        end = start + len(sentence)
        stripped_start = start + (len(sentence) - len(sentence.lstrip()))
        stripped_end = end - (len(sentence) - len(sentence.rstrip()))
        if stripped_end > stripped_start:
            spans.append((stripped_start, stripped_end))
        cursor = max(cursor, end)
    return spans


@dataclass(frozen=True)
class _Prose:
    """Plain text of one block, with the source offset of each of its characters."""

    text: str
    offsets: tuple[int, ...]
    heading: bool = False


# Not prose: bare URLs (``https://…``, ``www.…``) and footnote references and labels (``[^1]``,
# ``[^note]:``). Left in, a URL's digits read as figures and a footnote label as "1 in Iraq".
_RE_NOT_PROSE = re.compile(
    r"(?:https?|ftp)://[^\s<>\"]*[^\s<>\".,;:!?)\]]|\bwww\.[^\s<>\"]*[^\s<>\".,;:!?)\]]|\[\^[^\]\s]+\]:?"
)


def _without_markup_text(prose: _Prose) -> _Prose:
    """``prose`` without bare URLs and footnote marks (offsets kept for what remains)."""
    if not _RE_NOT_PROSE.search(prose.text):
        return prose
    chars: list[str] = []
    offsets: list[int] = []
    kept = 0
    for match in [*_RE_NOT_PROSE.finditer(prose.text), None]:
        stop = match.start() if match else len(prose.text)
        for i in range(kept, stop):
            ch = prose.text[i]
            if ch == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(ch)
            offsets.append(prose.offsets[i])
        kept = match.end() if match else stop
    while chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return _Prose("".join(chars), tuple(offsets), prose.heading)


def _sentences_of(prose: _Prose, path: str, lines: LineIndex) -> Iterator[DraftSentence]:
    prose = _without_markup_text(prose)

    def line_break(i: int, j: int) -> bool:  # a source line ends between the characters at i and j
        return lines.position(prose.offsets[j])[0] > lines.position(prose.offsets[i])[0]

    for start, end in split_after_acronyms(prose.text, split_sentences(prose.text), line_break):
        text = prose.text[start:end]
        src_start, src_end = prose.offsets[start], prose.offsets[end - 1] + 1
        line, column = lines.position(src_start)
        end_line, end_column = lines.position(src_end)
        worthy, why = checkworthiness(text)
        if worthy and prose.heading and not re.match(r"(?:number|date) ", why):
            # a heading is a title, not a statement: checked only when it states a figure or a date
            worthy, why = False, f"heading without a number or date ({why})"
        offsets = prose.offsets[start:end]
        yield DraftSentence(path, text, src_start, src_end, line, column, end_line, end_column, worthy, why, offsets)


# --------------------------------------------------------------------------- plain text


def _text_blocks(text: str) -> Iterator[_Prose]:
    """Paragraphs of a plain-text draft: runs of non-blank lines, newlines read as spaces."""
    for match in re.finditer(r"(?:[^\r\n]*\S[^\r\n]*(?:\r\n|\r|\n|$))+", text):
        block = match.group().rstrip()
        flat = re.sub(r"\s", " ", block)
        yield _Prose(flat, tuple(range(match.start(), match.start() + len(block))))


# --------------------------------------------------------------------------- markdown

_RE_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_RE_DIRECTIVE = re.compile(r"<!--\s*factcheck\s*:\s*(?P<verb>ignore|off|on)\b(?P<rules>[^>]*?)\s*-->", re.IGNORECASE)
_RE_RULE_ID = re.compile(r"\b[A-Z]{2}\d{3}\b")


def _markdown_source(text: str) -> str:
    """The text markdown-it parses: same length and lines as ``text``, front matter blanked."""
    source = text.replace("\r\n", " \n").replace("\r", "\n")
    if front := _RE_FRONT_MATTER.match(source):
        blank = re.sub(r"[^\n]", " ", front.group())
        source = blank + source[front.end() :]
    return source


def _skip_link_tail(source: str, pos: int) -> int:
    """After a link's text: skip ``](destination "title")``, ``][label]`` or ``]``."""
    close = source.find("]", pos)
    if close < 0:
        return pos
    pos = close + 1
    if source.startswith("(", pos):
        depth = 0
        for i in range(pos, len(source)):
            if source[i] == "\\":
                continue
            if source[i] == "(":
                depth += 1
            elif source[i] == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
        return pos
    if source.startswith("[", pos):
        end = source.find("]", pos)
        return end + 1 if end >= 0 else pos
    return pos


_RE_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _align(content: str, source: str, pos: int, limit: int) -> list[int] | None:
    """Offsets in ``source`` of each character of ``content``, found from ``pos`` on.

    Exact match first; otherwise character by character, reading backslash escapes and HTML
    entities as the character they stand for.
    """
    found = source.find(content, pos, limit)
    if found >= 0:
        return list(range(found, found + len(content)))
    offsets: list[int] = []
    i = pos
    for ch in content:
        while i < limit:
            if source[i] == ch:
                offsets.append(i)
                i += 1
                break
            if source[i] == "\\" and i + 1 < limit and source[i + 1] == ch:
                offsets.append(i + 1)
                i += 2
                break
            if (
                source[i] == "&"
                and (entity := _RE_ENTITY.match(source, i))
                and html.unescape(entity.group()).startswith(ch)
            ):
                offsets.append(i)
                i = entity.end()
                break
            i += 1
        else:
            return None
    return offsets


@dataclass
class _Directive:
    verb: str
    rules: tuple[str, ...]
    start: int
    end: int
    comment: str


def _directives(raw: str, base: int) -> list[_Directive]:
    return [
        _Directive(
            m.group("verb").lower(),
            tuple(_RE_RULE_ID.findall(m.group("rules"))),
            base + m.start(),
            base + m.end(),
            m.group(),
        )
        for m in _RE_DIRECTIVE.finditer(raw)
    ]


def _append(chars: list[str], offsets: list[int], content: str, found: Sequence[int]) -> None:
    """Add ``content`` at ``found`` offsets, never two spaces in a row nor a leading space."""
    for ch, offset in zip(content, found, strict=True):
        if ch.isspace() and (not chars or chars[-1] == " "):
            continue
        chars.append(" " if ch.isspace() else ch)
        offsets.append(offset)


class _MarkdownReader:
    """Walks markdown-it tokens, collecting prose blocks and suppression comments."""

    def __init__(self, text: str) -> None:
        self.source = _markdown_source(text)
        self.lines = LineIndex(self.source)
        self.cursor = 0
        self.blocks: list[_Prose] = []
        self.block_directives: list[tuple[_Directive, int, int]] = []  # directive, scope start/end
        self.inline_directives: list[_Directive] = []
        self.notices: list[tuple[int, str]] = []  # (offset, message): text not checked, and why

    def _line_offset(self, line0: int) -> int:
        start = self.lines.line_start(line0)
        return len(self.source) if start < 0 else start

    def read(self) -> None:
        from markdown_it import MarkdownIt  # lazy

        tokens = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").parse(self.source)
        covered = [False] * self.lines.line_count
        table: Token | None = None
        heading = False
        for index, token in enumerate(tokens):
            if token.map and (token.nesting == 0 or token.type == "table_open"):
                for line0 in range(token.map[0], min(token.map[1], len(covered))):
                    covered[line0] = True
            if token.type == "table_open":
                table = token
                continue
            if token.type == "table_close":
                if table is not None and table.map:
                    rows = table.map[1] - table.map[0] - 2
                    self.notices.append(
                        (
                            self._line_offset(table.map[0]),
                            f"table not checked ({rows} row{'s' if rows != 1 else ''}): a row is no sentence; "
                            "state the figures you want checked in prose",
                        )
                    )
                table = None
                continue
            if table is not None:
                continue
            if token.type in ("heading_open", "heading_close"):
                heading = token.type == "heading_open"
            if token.type == "html_block" and token.map and "<!--" in token.content and "-->" not in token.content:
                hidden = token.map[1] - token.map[0] - 1
                self.notices.append(
                    (
                        self._line_offset(token.map[0]) + token.content.find("<!--"),
                        f"HTML comment never closed: the rest of the file ({hidden} line{'s' if hidden != 1 else ''}) "
                        "is not checked (add -->)",
                    )
                )
            if token.type == "html_block" and token.map:
                base = self._line_offset(token.map[0])
                target = tokens[index + 1] if index + 1 < len(tokens) else None
                scope = (0, 0)
                if target is not None and target.nesting >= 0 and target.map:
                    scope = (self._line_offset(target.map[0]), self._line_offset(target.map[1]))
                for directive in _directives(self.source[base : self._line_offset(token.map[1])], base):
                    self.block_directives.append((directive, *scope))
            elif token.type == "inline" and token.map:
                self._read_inline(token, heading)
        self._uncovered(covered)

    def _uncovered(self, covered: list[bool]) -> None:
        """A notice for each run of text lines no token read (nested deeper than MAX_NESTING)."""
        line0 = 0
        while line0 < len(covered):
            start, end = self.lines.line_start(line0), self._line_offset(line0 + 1)
            if covered[line0] or not self.source[start:end].strip():
                line0 += 1
                continue
            count = 0
            while line0 < len(covered) and not covered[line0]:
                text_line = self.source[self.lines.line_start(line0) : self._line_offset(line0 + 1)]
                count += bool(text_line.strip())
                line0 += 1
            self.notices.append(
                (
                    start,
                    f"{count} line{'s' if count != 1 else ''} not checked: lists or block quotes nested too "
                    "deeply to be read",
                )
            )

    def _read_inline(self, token: Token, heading: bool = False) -> None:
        source = self.source
        block_start = self._line_offset(token.map[0]) if token.map else 0
        limit = self._line_offset(token.map[1]) if token.map else len(source)
        self.cursor = max(self.cursor, block_start)
        chars: list[str] = []
        offsets: list[int] = []
        skip_text = 0  # >0 inside an autolink or an image
        for child in token.children or []:
            kind = child.type
            if kind == "text" and not skip_text:
                found = _align(child.content, source, self.cursor, limit)
                if found is None:
                    continue
                _append(chars, offsets, child.content, found)
                self.cursor = found[-1] + 1 if found else self.cursor
            elif kind in ("softbreak", "hardbreak"):
                _append(chars, offsets, " ", [self.cursor])
            elif kind == "code_inline":
                self._skip_code(child.markup, limit)
                _append(chars, offsets, " ", [max(self.cursor - 1, 0)])
            elif kind == "html_inline":
                found_at = source.find(child.content, self.cursor, limit)
                if found_at >= 0:
                    self.inline_directives.extend(_directives(child.content, found_at))
                    self.cursor = found_at + len(child.content)
            elif kind == "link_open" and child.markup == "autolink":
                skip_text += 1
            elif kind == "link_close" and child.markup == "autolink":
                skip_text -= 1
                close = source.find(">", self.cursor, limit)
                self.cursor = close + 1 if close >= 0 else self.cursor
            elif kind == "link_close":
                self.cursor = _skip_link_tail(source, self.cursor)
            elif kind == "image":
                opening = source.find("![", self.cursor, limit)
                if opening >= 0:
                    self.cursor = _skip_link_tail(source, opening + 2)
        if chars:
            self.blocks.append(_Prose("".join(chars), tuple(offsets), heading))

    def _skip_code(self, markup: str, limit: int) -> None:
        opening = self.source.find(markup, self.cursor, limit)
        if opening < 0:
            return
        closing = self.source.find(markup, opening + len(markup), limit)
        self.cursor = closing + len(markup) if closing >= 0 else opening + len(markup)


def _suppressions(reader: _MarkdownReader, sentences: Sequence[DraftSentence], path: str) -> list[Suppression]:
    """Turn the directives into suppressions with the span each one covers."""
    result: list[Suppression] = []

    def add(directive: _Directive, verb: str, scope_start: int, scope_end: int) -> None:
        line, column = reader.lines.position(directive.start)
        result.append(Suppression(path, line, column, verb, directive.rules, scope_start, scope_end, directive.comment))

    opened: _Directive | None = None
    ordered = sorted(
        [(d, s, e) for d, s, e in reader.block_directives] + [(d, -1, -1) for d in reader.inline_directives],
        key=lambda item: item[0].start,
    )
    for directive, scope_start, scope_end in ordered:
        if directive.verb == "off":
            if opened is None:
                opened = directive
        elif directive.verb == "on":
            if opened is not None:
                add(opened, "off", opened.end, directive.start)
                opened = None
        elif scope_start >= 0:
            add(directive, "ignore", scope_start, scope_end)
        else:  # an inline comment: the sentence before it on its line (as ruff's noqa), else the next one
            line = reader.lines.position(directive.start)[0]
            following = next((s for s in sentences if s.end > directive.end), None)
            before = next((s for s in reversed(sentences) if s.end <= directive.start), None)
            same_line_after = following is not None and following.line == line and following.start >= directive.end
            if before is not None and before.end_line == line and not same_line_after:
                scope = (before.start, before.end)
            else:
                scope = (following.start, following.end) if following else (directive.end, directive.end)
            add(directive, "ignore", *scope)
    if opened is not None:
        add(opened, "off", opened.end, len(reader.source))
    return result


# --------------------------------------------------------------------------- entry point


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES) or path in ("-", "<stdin>")


def read_draft(path: str, text: str, *, markdown: bool | None = None) -> Draft:
    """Split ``text`` (the content of the draft at ``path``) into sentences and suppressions.

    ``markdown`` defaults to a guess from the file name (``.md`` and stdin are markdown, anything
    else plain text: paragraphs separated by blank lines).
    """
    if markdown is None:
        markdown = is_markdown(path)
    if not markdown:
        lines = LineIndex(text)
        sentences = tuple(s for block in _text_blocks(text) for s in _sentences_of(block, path, lines))
        return Draft(path, text, sentences, ())
    reader = _MarkdownReader(text)
    reader.read()
    sentences = tuple(s for block in reader.blocks for s in _sentences_of(block, path, reader.lines))
    notices = tuple(
        "{}:{}:{}: {}".format(path, *reader.lines.position(offset), message) for offset, message in reader.notices
    )
    return Draft(path, text, sentences, tuple(_suppressions(reader, sentences, path)), notices)
