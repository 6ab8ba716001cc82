"""``--format html``: the editor's report, one self-contained page.

The draft as written (headings, paragraphs, lists and quotes kept; front matter and code muted),
each checked claim marked by verdict with an icon and a border style as well as a colour, and
for each claim its evidence cards: the quoted passage with the figures, dates and names that
match or clash with the claim marked, the source and the engine's reason. A number that changed
over time gets a small inline-SVG timeline with the claim's own value on it.

Everything is rendered here, on the server side: the page works without JavaScript (every
verdict and every evidence card is in the HTML); the small inline script only adds selection,
verdict filters and ``j``/``k`` navigation. The page template, its CSS and its script live in
``report/templates/``. Every text that comes from a draft or a source is escaped.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html import escape
from importlib.resources import files
from itertools import pairwise
from string import Template
from typing import TYPE_CHECKING

from factcheck.records import VERDICTS, DateMention, Evidence, Quantity, Verdict

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

    from factcheck.lint import LintReport

ICONS = {"supported": "✓", "contradicted": "✗", "disputed": "⚠", "unverified": "?"}
STANCE_ICONS = {"supports": "✓", "contradicts": "✗", "related": "•"}
MARK_CLASSES = {"match": "m", "clash": "x"}  # short: a long report holds thousands of them
FULL_UP_TO = 600  # evidence passages in a report all shown as full cards; above it the compact layout
STATUS_NOTES = {
    "suppressed": "suppressed by a factcheck comment in the draft",
    "baselined": "recorded in the baseline (not reported)",
    "below-confidence": "below --min-confidence (not reported)",
    "disabled": "its rule is disabled (not reported)",
}
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_LINE_START = re.compile(r"^", re.MULTILINE)
_CONTAINER_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?[ \t]*)*")
_ITEM_PREFIX = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])(?:[ \t]+|$)[ \t]*)*")
_ATX_OPEN = re.compile(r"[ \t]*#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$|[ \t]*$", re.MULTILINE)
_SETEXT_LINE = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_SAFE_URL = re.compile(r"https?://[^\s\"'<>]+\Z", re.IGNORECASE)


# --------------------------------------------------------------------------- what is shown


@dataclass(frozen=True)
class ClaimView:
    """One checked claim as the page shows it; ``start``/``end`` locate it in its draft (or -1)."""

    id: str
    text: str
    verdict: Verdict
    start: int = -1
    end: int = -1
    line: int = 0
    rule: str = ""
    status: str = "reported"


@dataclass(frozen=True)
class Point:
    """One dated value on a timeline."""

    when: date
    value: float
    source: str
    stance: str


@dataclass(frozen=True)
class Layout:
    """How much of each claim's evidence is a full card; the rest links to the page's passage list.

    ``per_stance``: full cards per stance that decided the verdict (supports for a supported claim,
    contradicts for a contradicted one, both for a disputed one); None shows every passage in full.
    ``related``: full cards for a claim that no passage decides (unverified).
    ``links``: other supporting or contradicting passages linked, at most; the rest are counted.
    """

    per_stance: int | None = None
    related: int = 2
    links: int = 3


FULL = Layout()
COMPACT = Layout(per_stance=1)  # keeps the report of a 1,000-sentence draft well under 2 MB
DECIDING = {"supported": ("supports",), "contradicted": ("contradicts",), "disputed": ("supports", "contradicts")}


@dataclass
class Context:
    """What every claim's details share: the date taken as now, the layout, the passages linked so far."""

    today: date
    layout: Layout = FULL
    passages: dict[str, Evidence] = field(default_factory=dict)


@dataclass
class _Placed:
    """Claims already drawn in the text whose details are still to be written after the block."""

    pending: list[ClaimView] = field(default_factory=list)
    done: set[str] = field(default_factory=set)


def claim_id(path: str, text: str, occurrence: int) -> str:
    """Stable across runs and edits elsewhere: the file, the claim's normalised text, which copy."""
    norm = " ".join(text.lower().split())
    return "c" + hashlib.sha256(f"{path}\0{norm}\0{occurrence}".encode()).hexdigest()[:12]


def _ids(keys: Iterable[tuple[str, str]]) -> list[str]:
    seen: Counter[tuple[str, str]] = Counter()
    out: list[str] = []
    for path, text in keys:
        key = (path, " ".join(text.lower().split()))
        out.append(claim_id(path, text, seen[key]))
        seen[key] += 1
    return out


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


# --------------------------------------------------------------------------- facts in a passage


@dataclass(frozen=True)
class ClaimFacts:
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]
    entities: frozenset[str]
    places: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def claim_facts(text: str) -> ClaimFacts:
    from factcheck.extract.dates import extract_dates
    from factcheck.extract.entities import extract_entities
    from factcheck.extract.numbers import extract_quantities

    entities = extract_entities(text)
    return ClaimFacts(
        tuple(extract_quantities(text)),
        tuple(extract_dates(text)),
        frozenset(e.key for e in entities),
        frozenset(e.key for e in entities if e.kind in ("country", "place")),
    )


def _overlaps(low: float, high: float, other: Quantity) -> bool:
    return low <= other.high and other.low <= high


def fact_marks(evidence: Evidence, facts: ClaimFacts) -> list[tuple[int, int, str]]:
    """Spans of the passage that match (``match``) or clash with (``clash``) the claim's facts."""
    from factcheck.extract.dates import extract_dates
    from factcheck.extract.entities import extract_entities
    from factcheck.extract.numbers import extract_quantities

    text = evidence.passage.text
    marks: list[tuple[int, int, str]] = []
    for q in extract_quantities(text):
        same_unit = [c for c in facts.quantities if c.unit == q.unit]
        if same_unit:
            hit = any(_overlaps(c.low, c.high, q) for c in same_unit)
            marks.append((q.start, q.end, "match" if hit else "clash"))
    for d in extract_dates(text, published=evidence.source.published):
        if facts.dates:
            hit = any(c.low <= d.high and d.low <= c.high for c in facts.dates)
            if hit or evidence.aspect == "date":
                marks.append((d.start, d.end, "match" if hit else "clash"))
    for e in extract_entities(text):
        if e.key in facts.entities:
            marks.append((e.start, e.end, "match"))
        elif evidence.aspect in ("actor", "office", "place") and evidence.stance == "contradicts":
            marks.append((e.start, e.end, "clash"))
    kept: list[tuple[int, int, str]] = []
    for mark in sorted(marks):
        if not kept or mark[0] >= kept[-1][1]:
            kept.append(mark)
    return kept


def _marked_passage(evidence: Evidence, facts: ClaimFacts) -> str:
    text = evidence.passage.text
    out: list[str] = []
    at = 0
    for start, end, kind in fact_marks(evidence, facts):
        out.append(_esc(text[at:start]))
        out.append(f'<mark class="{MARK_CLASSES[kind]}">{_esc(text[start:end])}</mark>')
        at = end
    out.append(_esc(text[at:]))
    return "".join(out)


# --------------------------------------------------------------------------- timeline


def timeline_points(
    quantity: Quantity, evidence: Sequence[Evidence], places: frozenset[str] = frozenset()
) -> list[Point]:
    """One point per dated value of ``quantity``'s unit in the evidence, oldest first; with ``places``
    (the claim's), only from passages that name one of them (not troops in another country)."""
    from factcheck.extract.entities import extract_entities
    from factcheck.extract.numbers import extract_quantities

    points: dict[tuple[date, float], Point] = {}
    for item in evidence:
        when = item.valid or item.source.published
        if when is None:
            continue
        found = [q for q in extract_quantities(item.passage.text) if q.unit == quantity.unit and q.role != "from"]
        if not found or (places and not places & {e.key for e in extract_entities(item.passage.text)}):
            continue
        who = item.source.publisher or item.source.title or item.source.id
        points.setdefault(
            (when, found[0].value), Point(when, found[0].value, who, _point_stance(item, found[0], quantity))
        )
    return sorted(points.values(), key=lambda p: (p.when, p.value))


def _point_stance(item: Evidence, plotted: Quantity, claim: Quantity) -> str:
    """The passage's stance, where the plotted value is what it rests on; else ``related``. A passage that
    supports "5,200 troops" with "from 5,200 to 3,000" is plotted at 3,000, and that dot does not support 5,200."""
    agrees = _overlaps(claim.low, claim.high, plotted)
    if (item.stance == "supports" and not agrees) or (item.stance == "contradicts" and agrees):
        return "related"
    return item.stance


def _claim_when(text: str, today: date) -> tuple[date, bool]:
    dates = claim_facts(text).dates
    if dates:
        return dates[0].high, True
    return today, False


def nice_ceiling(value: float) -> float:
    """The next round number at or above ``value`` (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return float(next(step * power for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * power >= value))


def timeline_svg(points: Sequence[Point], claim_value: float, claim_when: date, dated: bool) -> str:
    """A small chart: the sources' values by date (dots, oldest to newest) and the claim's (a ring)."""
    width, height, left, right, top, bottom, pad = 560, 170, 64, 24, 22, 38, 16
    days = [p.when.toordinal() for p in points] + [claim_when.toordinal()]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - 30, last + 30
    top_value = nice_ceiling(max([p.value for p in points] + [claim_value]) * 1.1)

    def x(when: date) -> float:
        return left + pad + (when.toordinal() - first) / (last - first) * (width - left - right - 2 * pad)

    def y(value: float) -> float:
        return top + (1 - value / top_value) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        ' role="img" aria-label="timeline of the values in the sources and the draft">',
        f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}"/>',
        f'<text x="{left - 6}" y="{height - bottom + 4}" text-anchor="end">0</text>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{_number(round(top_value))}</text>',
        f'<text x="{left + pad}" y="{height - 10}" text-anchor="middle">{date.fromordinal(first).isoformat()}</text>',
        f'<text x="{width - right}" y="{height - 10}" text-anchor="end">{date.fromordinal(last).isoformat()}</text>',
    ]
    if len(points) > 1:
        line = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in points)
        parts.append(f'<polyline class="trend" points="{line}"/>')
    labelled = 0
    for n, p in enumerate(points):
        cx, cy = x(p.when), y(p.value)
        parts.append(
            f'<circle class="tl-point s-{_esc(p.stance)}" cx="{cx:.1f}" cy="{cy:.1f}" r="5"'
            f' data-date="{p.when.isoformat()}" data-value="{p.value:g}"/>'
        )
        if n == 0 or p.value != points[n - 1].value:  # a label where the value changes, not on every repeat
            label_y = cy - 9 if labelled % 2 == 0 else cy + 17
            labelled += 1
            parts.append(f'<text x="{cx:.1f}" y="{label_y:.1f}" text-anchor="middle">{_number(p.value)}</text>')
    cx, cy = x(claim_when), y(claim_value)
    when = claim_when.isoformat() if dated else "now"
    parts.append(
        f'<g class="tl-claim-mark" data-date="{claim_when.isoformat()}" data-value="{claim_value:g}">'
        f"<title>the draft: {_number(claim_value)} ({when})</title>"
        f'<rect class="tl-claim" x="{cx - 7:.1f}" y="{cy - 7:.1f}" width="14" height="14"'
        f' transform="rotate(45 {cx:.1f} {cy:.1f})"/>'
        f'<text x="{cx + (-12 if cx > width / 2 else 12):.1f}" y="{cy + 4:.1f}"'
        f' text-anchor="{"end" if cx > width / 2 else "start"}">draft: {_number(claim_value)}</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)


def timeline_html(claim: ClaimView, today: date) -> str:
    """The figure for a claim whose number the sources give with different values over time, or ""."""
    quantities = [q for q in claim_facts(claim.text).quantities if q.unit]
    if not quantities:
        return ""
    points = timeline_points(quantities[0], claim.verdict.evidence, claim_facts(claim.text).places)
    if len({p.value for p in points}) < 2:
        return ""
    when, dated = _claim_when(claim.text, today)
    rows = "".join(
        f"<tr><td>{p.when.isoformat()}</td><td>{_number(p.value)}</td><td>{_esc(p.source)}</td>"
        f"<td>{_esc(p.stance)}</td></tr>"
        for p in points
    )
    unit = _esc(quantities[0].unit_text or quantities[0].unit)
    return (
        f'<figure class="timeline">{timeline_svg(points, quantities[0].value, when, dated)}'
        f"<figcaption>How the sources' figure for {unit} changed over time (dots), and the draft's value"
        f" (diamond, {'dated ' + when.isoformat() if dated else 'taken as now'}).</figcaption>"
        '<table class="points"><thead><tr><th>date</th><th>value</th><th>source</th><th>stance</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></figure>"
    )


# --------------------------------------------------------------------------- evidence and details


def _source_link(url: str) -> str:
    if not url or not _SAFE_URL.match(url):
        return ""
    return f' · <a href="{_esc(url)}" rel="noreferrer noopener">source page</a>'


def _source_line(item: Evidence) -> str:
    source = item.source
    where = f"{source.path or source.id}:{item.passage.line}"
    published = source.published.isoformat() if source.published else "undated"
    publisher = f" · {_esc(source.publisher)}" if source.publisher else ""
    return (
        f"<cite>{_esc(source.title or source.id)}</cite>{publisher} · {published} · <code>{_esc(where)}</code>"
        f"{_source_link(source.url)}"
    )


def evidence_card(item: Evidence, facts: ClaimFacts) -> str:
    icon = STANCE_ICONS.get(item.stance, "•")
    reason = f'<p class="why">why: {_esc(item.reason)}</p>' if item.reason else ""
    return (
        f'<li class="card" data-stance="{_esc(item.stance)}">'
        f'<p class="src"><span class="stance s-{_esc(item.stance)}">{icon} {_esc(item.stance)}</span>'
        f" · {_source_line(item)}</p><blockquote>{_marked_passage(item, facts)}</blockquote>{reason}</li>"
    )


def passage_id(item: Evidence) -> str:
    return "p" + hashlib.sha256(f"{item.passage.doc_id}\0{item.passage.ordinal}".encode()).hexdigest()[:10]


def split_evidence(verdict: Verdict, layout: Layout) -> tuple[list[Evidence], list[Evidence], int]:
    """(full cards, links to the page's passage list, how many more are only counted), in the engine's order."""
    evidence = list(verdict.evidence)
    if layout.per_stance is None:
        return evidence, [], 0
    chosen: list[Evidence] = []
    for stance in DECIDING.get(verdict.verdict, ()):
        chosen += [e for e in evidence if e.stance == stance][: layout.per_stance]
    if not chosen:
        chosen = evidence[: layout.related]
    full = [e for e in evidence if any(e is c for c in chosen)]
    others = [e for e in evidence if not any(e is c for c in chosen)]
    linked = [e for e in others if e.stance in ("supports", "contradicts")][: layout.links]
    return full, linked, len(others) - len(linked)


def evidence_refs(items: Sequence[Evidence]) -> str:
    """Short links, by stance, to passages in the page's list of source passages (each quoted once there)."""
    rows: list[str] = []
    for stance in dict.fromkeys(e.stance for e in items):
        links = ", ".join(
            f'<a href="#{passage_id(e)}">{_esc(e.source.publisher or e.source.title or e.source.id)}'
            f" :{e.passage.line}</a>"
            for e in items
            if e.stance == stance
        )
        rows.append(f'<li data-stance="{_esc(stance)}">{STANCE_ICONS.get(stance, "•")} {_esc(stance)}: {links}</li>')
    return '<ul class="refs">' + "".join(rows) + "</ul>"


def passages_html(passages: dict[str, Evidence]) -> str:
    """Every passage linked from a claim's evidence list, quoted once, in document order."""
    if not passages:
        return ""
    ordered = sorted(passages.items(), key=lambda kv: (kv[1].source.id, kv[1].passage.start))
    items = "".join(
        f'<li class="passage" id="{key}"><p class="src">{_source_line(e)}</p>'
        f"<blockquote>{_esc(e.passage.text)}</blockquote></li>"
        for key, e in ordered
    )
    return (
        '<section class="passages" aria-label="source passages"><h2>Source passages</h2>'
        '<p class="status">Passages retrieved for the claims above beyond their first cards, each quoted once.'
        f'</p><ol class="cards">{items}</ol></section>'
    )


def detail_html(claim: ClaimView, context: Context) -> str:
    """The verdict, reason, timeline and evidence of one claim; the linked passages go to ``context``."""
    v = claim.verdict
    facts = claim_facts(claim.text)
    rule = f" · {_esc(claim.rule)}" if claim.rule else ""
    line = f" · line {claim.line}" if claim.line else ""
    note = STATUS_NOTES.get(claim.status)
    status = f'<p class="status">Not counted: {_esc(note)}.</p>' if note else ""
    full, rest, uncounted = split_evidence(v, context.layout)
    cards = '<ol class="cards">' + "".join(evidence_card(e, facts) for e in full) + "</ol>" if full else ""
    if rest:
        context.passages.update((passage_id(e), e) for e in rest)
        cards += (
            f'<p class="more">More passages ({len(rest)}), quoted under “Source passages”:</p>{evidence_refs(rest)}'
        )
    if uncounted:
        cards += f'<p class="more">{uncounted} more retrieved passages not shown (the JSON output lists them).</p>'
    if not v.evidence:
        cards = '<p class="none">No passage in the sources speaks to this claim.</p>'
    return (
        f'<section class="detail v-{v.verdict}" id="d-{claim.id}">'
        f'<h3><span class="label v-{v.verdict}">{ICONS.get(v.verdict, "")} {v.verdict}</span>'
        f"confidence {v.confidence:.2f}{rule}{line}</h3>"
        f'<p class="reason">{_esc(v.reason) or "—"}</p>{parts_html(v)}{status}'
        f"{timeline_html(claim, context.today)}{cards}</section>"
    )


def parts_html(v: Verdict) -> str:
    """The parts of a compound claim, each with its own verdict and reason ("" for a single claim)."""
    if not v.parts:
        return ""
    items = "".join(
        f'<li><span class="label v-{p.verdict.verdict}">{ICONS.get(p.verdict.verdict, "")} {p.verdict.verdict}</span> '
        f"part {p.index}: “{_esc(p.quoted)}” — {_esc(p.verdict.reason)}</li>"
        for p in v.parts
    )
    return f'<ol class="parts" aria-label="parts of the claim">{items}</ol>'


def claim_open(claim: ClaimView) -> str:
    verdict = claim.verdict.verdict
    quiet = " quiet" if claim.status not in ("reported", "supported") else ""
    return (
        f'<a class="claim{quiet}" href="#d-{claim.id}" data-claim-id="{claim.id}" data-verdict="{verdict}">'
        f'<i aria-hidden="true">{ICONS.get(verdict, "")}</i><span class="sr-only">{verdict}: </span>'
    )


# --------------------------------------------------------------------------- the draft as written


def marked_text(
    source: str, start: int, end: int, claims: Sequence[ClaimView], placed: _Placed, hidden: Sequence[tuple[int, int]]
) -> str:
    """``source[start:end]`` escaped, minus the ``hidden`` markup, with each claim that starts in it marked."""
    inside = [c for c in claims if start <= c.start < end and c.id not in placed.done]
    bounds = {start, end} | {h for span in hidden for h in span if start <= h <= end}
    bounds |= {min(max(c.end, start), end) for c in inside} | {c.start for c in inside}
    starts = {c.start: c for c in inside}
    out: list[str] = []
    current: ClaimView | None = None
    for a, b in pairwise(sorted(bounds)):
        if current is None and a in starts:
            current = starts[a]
            out.append(claim_open(current))
        if not any(h0 <= a and b <= h1 for h0, h1 in hidden):
            out.append(_esc(source[a:b]))
        if current is not None and b >= min(current.end, end):
            out.append("</a>")
            placed.pending.append(current)
            placed.done.add(current.id)
            current = None
    return "".join(out)


class DraftPage:
    """Renders one draft's text as blocks, with its claims marked and each block's details after it."""

    def __init__(self, text: str, claims: Sequence[ClaimView], context: Context) -> None:
        self.source = text.replace("\r\n", " \n").replace("\r", "\n")  # same length: offsets still hold
        self.claims = sorted(claims, key=lambda c: c.start)
        self.context = context
        self.placed = _Placed()
        self._line_starts = [m.start() for m in _LINE_START.finditer(self.source)]

    def _offset(self, line0: int) -> int:
        return self._line_starts[line0] if line0 < len(self._line_starts) else len(self.source)

    def _span(self, node: SyntaxTreeNode) -> tuple[int, int]:
        first, last = node.map or (0, 0)
        return self._offset(first), self._offset(last)

    def _details(self) -> str:
        pending, self.placed.pending = self.placed.pending, []
        if not pending:
            return ""
        return '<div class="details">' + "".join(detail_html(c, self.context) for c in pending) + "</div>"

    def _text(self, start: int, end: int, hidden: Sequence[tuple[int, int]] = ()) -> str:
        return marked_text(self.source, start, end, self.claims, self.placed, hidden)

    def _muted(self, what: str, start: int, end: int) -> str:
        body = self._text(start, end).rstrip("\n")
        return f'<pre class="muted"><span class="what">{what}</span>{body}</pre>'

    def _prefixes(self, start: int, end: int, nested: bool, first_in_item: bool) -> list[tuple[int, int]]:
        """Container markup at the start of each line of a leaf block: quote marks, list markers, indent."""
        if not nested:
            return []
        hidden: list[tuple[int, int]] = []
        for n, match in enumerate(re.finditer(r"^.*$", self.source[start:end], re.MULTILINE)):
            pattern = _ITEM_PREFIX if (n == 0 and first_in_item) else _CONTAINER_PREFIX
            prefix = pattern.match(match.group())
            if prefix and prefix.end():
                hidden.append((start + match.start(), start + match.start() + prefix.end()))
        return hidden

    def _heading(self, node: SyntaxTreeNode, hidden: list[tuple[int, int]]) -> str:
        start, end = self._span(node)
        chunk = self.source[start:end]
        text_start = max([h1 for h0, h1 in hidden if h0 == start] or [start])
        if opener := _ATX_OPEN.match(self.source, text_start, end):
            hidden.append((opener.start(), opener.end()))
            closer = _ATX_CLOSE.search(chunk.split("\n", 1)[0])
            if closer:
                hidden.append((start + closer.start(), start + closer.end()))
        else:
            hidden += [(start + m.start(), start + m.end()) for m in _SETEXT_LINE.finditer(chunk)][-1:]
        level = node.tag if re.fullmatch(r"h[1-6]", node.tag) else "h2"
        return f"<{level}>{self._text(start, end, hidden)}</{level}>"

    def node(self, node: SyntaxTreeNode, nested: bool = False, first_in_item: bool = False) -> str:
        kind = node.type
        containers = {"bullet_list": "ul", "ordered_list": "ol", "list_item": "li", "blockquote": "blockquote"}
        if kind in containers:
            tag = containers[kind]
            inner = "".join(
                self.node(child, True, kind == "list_item" and n == 0) for n, child in enumerate(node.children)
            )
            return f"<{tag}>{inner}</{tag}>"
        start, end = self._span(node)
        hidden = self._prefixes(start, end, nested, first_in_item)
        if kind == "heading":
            return self._heading(node, hidden)
        if kind == "paragraph":
            return f"<p>{self._text(start, end, hidden)}</p>"
        if kind in ("fence", "code_block"):
            return self._muted("code — not checked", start, end)
        if kind == "html_block":
            return self._muted("HTML or comment — not checked", start, end)
        if kind == "hr":
            return "<hr>"
        return f'<p class="plain">{self._text(start, end, hidden)}</p>'  # tables and anything else

    def markdown(self) -> str:
        from markdown_it import MarkdownIt
        from markdown_it.tree import SyntaxTreeNode

        out: list[str] = []
        parsed = self.source
        if front := _FRONT_MATTER.match(self.source):
            out.append(self._muted("front matter — not checked", 0, front.end()))
            parsed = re.sub(r"[^\n]", " ", front.group()) + self.source[front.end() :]
        tree = SyntaxTreeNode(MarkdownIt("commonmark").enable("table").parse(parsed))
        for child in tree.children:
            out.append(self.node(child))
            out.append(self._details())
        return "".join(out) + self._leftovers()

    def plain(self) -> str:
        out: list[str] = []
        at = 0
        for gap in [*_BLANK_LINES.finditer(self.source), None]:
            end = gap.start() if gap else len(self.source)
            if self.source[at:end].strip():
                out.append(f'<p class="plain">{self._text(at, end)}</p>')
                out.append(self._details())
            at = gap.end() if gap else end
        return "".join(out) + self._leftovers()

    def _leftovers(self) -> str:
        """Claims the block walk did not place (should not happen): listed so none is lost."""
        rest = [c for c in self.claims if c.id not in self.placed.done]
        if not rest:
            return ""
        items = "".join(f"<li>{self._text(c.start, c.end) if c.start >= 0 else ''}</li>" for c in rest)
        return f'<p class="status">Other claims:</p><ul>{items}</ul>' + self._details()


# --------------------------------------------------------------------------- the page


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return files("factcheck.report").joinpath("templates", name).read_text(encoding="utf-8")


def summary_html(counts: Counter[str]) -> str:
    total = sum(counts.values())
    static = "".join(f'<span class="count v-{v}" data-static>{ICONS[v]} {counts[v]} {v}</span>' for v in VERDICTS)
    buttons = "".join(
        f'<button type="button" class="count v-{v}" data-filter="{v}" aria-pressed="true" hidden'
        f' title="show or hide {v} claims">{ICONS[v]} {counts[v]} {v}</button>'
        for v in VERDICTS
    )
    bar = "".join(
        f'<span class="v-{v}" style="width:{100 * counts[v] / total:.2f}%" title="{counts[v]} {v}"></span>'
        for v in VERDICTS
        if total and counts[v]
    )
    return (
        f'<div class="summary" role="group" aria-label="claims by verdict">'
        f'<span class="total">{total} claim{"" if total == 1 else "s"}</span>{static}{buttons}</div>'
        f'<div class="bar" aria-hidden="true">{bar}</div>'
    )


def legend_html() -> str:
    verdicts = " ".join(f'<span class="label v-{v}">{ICONS[v]} {v}</span>' for v in VERDICTS)
    return (
        f"<p>Verdicts: {verdicts}. In quoted passages, "
        '<mark class="m">figures</mark> match the claim and <mark class="x">figures</mark>'
        " differ from it. A confidence says how often a verdict this sure was right on test claims the judge"
        " was not tuned on (0.55: about half the time): read the evidence before you rely on a verdict.</p>"
        "<p>Made by factcheck, offline, from the newsroom's own sources.</p>"
    )


def page(title: str, meta: str, counts: Counter[str], body: str) -> str:
    from factcheck.lint import tool_version

    return Template(_asset("report.html")).substitute(
        title=_esc(title),
        meta=_esc(meta),
        version=_esc(tool_version()),
        style=_asset("report.css"),
        script=_asset("report.js"),
        summary=summary_html(counts),
        body=body,
        legend=legend_html(),
    )


def _draft_views(report: LintReport) -> dict[str, list[ClaimView]]:
    results = list(report.results)
    ids = _ids((r.diagnostic.path, r.sentence.text) for r in results)
    views: dict[str, list[ClaimView]] = {}
    for result, cid in zip(results, ids, strict=True):
        d = result.diagnostic
        view = ClaimView(cid, result.sentence.text, result.verdict, d.start, d.end, d.line, d.rule, result.status)
        views.setdefault(d.path, []).append(view)
    return views


def problems_html(report: LintReport) -> str:
    """What could not be checked (FC001: unreadable drafts, over-long sentences) and the run's notices."""
    errors = [
        f"<li><code>{_esc(e.path)}:{e.line}:{e.column}</code> [{_esc(e.rule)}] {_esc(e.message)}</li>"
        for e in getattr(report, "errors", ())
    ]
    notices = [f"<li>{_esc(n)}</li>" for n in getattr(report, "notices", ())]
    if not errors and not notices:
        return ""
    parts = ['<section class="problems" aria-label="not checked">']
    if errors:
        parts.append(f'<h2>⚠ Not checked</h2><ul class="errors">{"".join(errors)}</ul>')
    if notices:
        parts.append(f'<h2>Notes</h2><ul class="notices">{"".join(notices)}</ul>')
    return "".join(parts) + "</section>"


def choose_layout(evidence: int) -> Layout:
    """Every passage in full for an ordinary draft; the compact layout for a very long one."""
    return FULL if evidence <= FULL_UP_TO else COMPACT


def render(report: LintReport, *, today: date | None = None, layout: Layout | None = None) -> str:
    """The report of a ``factcheck lint`` run (needs ``report.drafts``, the texts that were read)."""
    from factcheck.draft import is_markdown

    evidence = sum(len(r.verdict.evidence) for r in report.results)
    context = Context(today or date.today(), layout or choose_layout(evidence))
    views = _draft_views(report)
    articles: list[str] = []
    for draft in getattr(report, "drafts", ()):
        drawn = DraftPage(draft.text, views.get(draft.path, []), context)
        body = drawn.markdown() if is_markdown(draft.path) else drawn.plain()
        articles.append(
            f'<article class="draft" data-path="{_esc(draft.path)}"><h2 class="path">{_esc(draft.path)}</h2>'
            f"{body}</article>"
        )
    counts = Counter(r.verdict.verdict for r in report.results)
    n = len(report.files)
    meta = f"{len(report.results)} checked claims in {n} file{'' if n == 1 else 's'}; fail-on {report.fail_on}"
    title = f"factcheck: {report.files[0]}" if n == 1 else "factcheck report"
    body = problems_html(report) + "".join(articles) + passages_html(context.passages)
    return page(title, meta, counts, body)


def render_verdicts(verdicts: Sequence[Verdict], *, today: date | None = None, layout: Layout | None = None) -> str:
    """The report of ``factcheck check``: each claim with its verdict and evidence."""
    context = Context(today or date.today(), layout or choose_layout(sum(len(v.evidence) for v in verdicts)))
    ids = _ids(("", v.claim) for v in verdicts)
    items: list[str] = []
    for verdict, cid in zip(verdicts, ids, strict=True):
        view = ClaimView(cid, verdict.claim, verdict, 0, len(verdict.claim))
        text = marked_text(verdict.claim, 0, len(verdict.claim), [view], _Placed(), ())
        items.append(f"<li><p>{text}</p>{detail_html(view, context)}</li>")
    counts = Counter(v.verdict for v in verdicts)
    body = (
        '<article class="draft checks"><h2 class="path">claims</h2>'
        f'<ol class="claims">{"".join(items)}</ol></article>{passages_html(context.passages)}'
    )
    return page("factcheck: claims", f"{len(verdicts)} checked claims", counts, body)
