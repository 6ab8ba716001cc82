"""Who holds an office, as a text says it: "Iraqi Prime Minister Mohammed Shia al-Sudani", "Ines Marchetti, the
company's chief executive", "Carl Osei is the chair of the water authority", "Villanueva chairs the authority".

An office is one a single person holds at a time (a prime minister, a chair, a chief executive, a mayor), so a
passage that names another holder of the same office contradicts a claim that names this one, at the passage's
time. Former holders ("former Prime Minister", "resigned as chair", "replacing interim chair Carl Osei") are told
apart: they say the person no longer holds it. Pure functions of the text; no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.entities import NAME_WORD, country_of, surname

# Offices held by one person at a time, each spelling -> its key (the longest spellings first in the pattern).
_OFFICES = {
    "prime minister": "prime minister",
    "premier": "prime minister",
    "vice president": "vice president",
    "president": "president",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "chair": "chair",
    "chief executive officer": "chief executive",
    "chief executive": "chief executive",
    "ceo": "chief executive",
    "chief operating officer": "chief operating officer",
    "mayor": "mayor",
    "governor": "governor",
    "speaker": "speaker",
    "defense secretary": "defense secretary",
    "defence secretary": "defense secretary",
    "secretary of defense": "defense secretary",
    "secretary of state": "secretary of state",
    "foreign minister": "foreign minister",
    "defense minister": "defense minister",
    "defence minister": "defense minister",
    "finance minister": "finance minister",
    "interior minister": "interior minister",
    "secretary-general": "secretary-general",
    "secretary general": "secretary-general",
    "director-general": "director-general",
    "executive director": "executive director",
    "chancellor": "chancellor",
}
# "runs the company", "heads the agency": the office of whoever leads it day to day.
_LEAD_VERBS = {"chairs": "chair", "heads": "chief executive", "runs": "chief executive"}

_TITLE = "(?i:" + "|".join(sorted((re.escape(t) for t in _OFFICES), key=len, reverse=True)) + ")"
_NAME = rf"{NAME_WORD}(?:\s+(?:al-|bin\s+|de\s+|van\s+)?{NAME_WORD}){{0,3}}"
_RANK = r"(?:(?:Gen\.|General|Adm\.|Admiral|Dr\.|Mr\.|Mrs\.|Ms\.|Sir|Dame)\s+)?"
_MOD_WORDS = r"interim|acting|former|ex-|then-|outgoing|incoming|new|deputy|assistant|vice(?!\s+president)|co-"
_MODS = rf"(?P<mods>(?i:(?:(?:{_MOD_WORDS})\s*)*))"
_NOT_SCOPE = (
    rf"(?!(?i:{_MOD_WORDS}|vice|replacing|succeeding|succeeded|replaced|as|and|or|by|with|to|for|said|says|told|named|"
    r"appointed|elected|its|his|her|their|then)\b)"
)
_SCOPE = rf"(?P<scope>(?:the\s+)?{_NOT_SCOPE}(?:[A-Z][\w.'’-]*|[a-z]+'s|[a-z]+)\s+)?"
_OF = r"(?:\s+of\s+(?P<of>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|of|and))*))?"
_ASIDE = r"(?:,[^,;]{1,120},)?"  # "Tomás Villanueva, a civil engineer ..., was appointed"

# "Iraqi Prime Minister Mohammed Shia al-Sudani", "authority chair Tomás Villanueva"
_TITLED = re.compile(rf"\b{_SCOPE}{_MODS}(?P<title>{_TITLE})\s+{_RANK}(?P<name>{_NAME})")
# "Ines Marchetti, the company's chief executive", "Denise Farrow, chair of the Water Authority"
_APPOSED = re.compile(rf"(?P<name>{_NAME}),\s+(?i:the\s+|a\s+|its\s+)?{_SCOPE}{_MODS}(?P<title>{_TITLE})\b{_OF}")
# "Carl Osei is the chair of ...", "Villanueva was appointed chair of ...", "al-Sudani remains prime minister"
_COPULA = re.compile(
    rf"(?P<name>{_NAME}){_ASIDE}\s+(?P<verb>is|remains|is still|still is|serves as|has been|continues to be|became|"
    rf"was (?:appointed|named|elected|chosen|sworn in)(?: as)?|took over as|resigned as|stepped down as|quit as|"
    rf"retired as|was ousted as|was removed as)\s+(?:the\s+|its\s+)?{_SCOPE}{_MODS}(?P<title>{_TITLE})\b{_OF}"
)
# "Tomás Villanueva chairs the water authority"
_LEADS = re.compile(
    rf"(?P<name>{_NAME})\s+(?:still\s+|now\s+)?(?P<verb>chairs|heads|runs)\s+"
    r"(?P<of>(?:the\s+)?[\w'’ -]{2,50}?)(?=[.,;:]|\s+(?:and|since|after|as|until|from)\b|$)"
)
_REPLACED_BY = re.compile(rf"\b(?:replaced|succeeded)\s+by\s+{_RANK}(?P<name>{_NAME})")
# "Graham Pell, the chief executive of Halden Valley Water, stepped down in December"
_LEFT_AFTER = re.compile(
    r"(?:\s+(?:of|at)\s+[^,;]{1,60})?\s*,?\s*(?:who\s+)?(?:has\s+|had\s+|then\s+)?"
    r"(?:stepped down|resigned|quit|retired|left|was ousted|was removed|was replaced|was succeeded)\b"
)
_BEFORE_FORMER = re.compile(r"(?:replacing|succeeding|succeeded|replaced|ousted|after)\s+(?:the\s+)?$", re.I)

_LEAVES = ("resigned as", "stepped down as", "quit as", "retired as", "was ousted as", "was removed as")
_PRESENT = ("is", "remains", "is still", "still is", "serves as", "has been", "continues to be")
_GENERIC_SCOPE = frozenset(
    "the a an its their his her company company's firm utility authority authority's board agency government "
    "country council city state party group bank his her new".split()
)


@dataclass(frozen=True)
class Office:
    """A person named as holding (or as no longer holding) an office."""

    title: str  # the office's key: "prime minister", "chair", "chief executive", ...
    holder: str  # the person's comparison key (surname)
    name: str  # the person as written
    scope: frozenset[str]  # whose office: country keys and other words ("iraq"; "water", "authority")
    former: bool  # the text says the person no longer holds it
    asserted: bool  # said in the present tense as a fact ("X is the chair", "X chairs"), not just a title
    start: int
    end: int


def _scope_words(*parts: str | None) -> frozenset[str]:
    words: set[str] = set()
    for part in parts:
        if not part:
            continue
        whole = country_of(part.strip())
        if whole:
            words.add(whole)
            continue
        for w in re.findall(r"[A-Za-z][\w.'’-]*", part):
            w = re.sub(r"['’]s$", "", w)
            key = country_of(w) or w.lower().strip(".")
            if key not in _GENERIC_SCOPE and len(key) > 1 and key not in _OFFICES:
                words.add(key)
    return frozenset(words)


def _former(mods: str | None, text: str, start: int) -> bool:
    m = (mods or "").lower()
    return any(k in m for k in ("former", "ex-", "then-", "outgoing")) or bool(
        _BEFORE_FORMER.search(text[max(0, start - 25) : start])
    )


def _other_office(mods: str | None) -> bool:
    """A deputy, an assistant, a vice chair or a co-chair holds another office than the title's."""
    m = (mods or "").lower()
    return any(k in m for k in ("deputy", "assistant", "vice", "co-"))


def _name(raw: str) -> str:
    words = raw.split()
    while words and words[-1].lower() in {"said", "says", "told", "and", "of", "the"}:
        words.pop()
    return " ".join(words)


def extract_offices(text: str) -> tuple[Office, ...]:
    """Every office holder the text names, in order of appearance; one per (holder, office)."""
    if not isinstance(text, str) or not text:
        return ()
    found: dict[tuple[str, str], Office] = {}

    def add(title: str, name: str, scope: frozenset[str], former: bool, asserted: bool, start: int, end: int) -> None:
        name = _name(name)
        key = surname(name) if name else ""
        if not key or key in _OFFICES or len(key) < 2:
            return
        office = Office(_OFFICES.get(title.lower(), title.lower()), key, name, scope, former, asserted, start, end)
        old = found.get((office.title, key))
        if old is None or (office.former and not old.former) or (office.asserted and not old.asserted):
            found[(office.title, key)] = office

    for m in _TITLED.finditer(text):
        if _other_office(m.group("mods")):
            continue
        scope = _scope_words(m.group("scope"))
        add(m.group("title"), m.group("name"), scope, _former(m.group("mods"), text, m.start()), False, *m.span())
    for m in _APPOSED.finditer(text):
        if _other_office(m.group("mods")):
            continue
        scope = _scope_words(m.group("scope"), m.group("of"))
        gone = _former(m.group("mods"), text, m.start()) or bool(_LEFT_AFTER.match(text, m.end()))
        add(m.group("title"), m.group("name"), scope, gone, False, *m.span())
    for m in _COPULA.finditer(text):
        if _other_office(m.group("mods")):
            continue
        verb = m.group("verb").lower()
        scope = _scope_words(m.group("scope"), m.group("of"))
        gone = verb in _LEAVES or _former(m.group("mods"), text, m.start("title"))
        add(m.group("title"), m.group("name"), scope, gone, verb in _PRESENT and not gone, *m.span())
    for m in _LEADS.finditer(text):
        verb = m.group("verb").lower()
        add(_LEAD_VERBS[verb], m.group("name"), _scope_words(m.group("of")), False, True, *m.span())
    # "Pell stepped down as chief executive ... and was replaced by Ines Marchetti"
    for m in _REPLACED_BY.finditer(text):
        gone = [o for o in found.values() if o.former and o.start < m.start()]
        if gone:
            o = gone[-1]
            add(o.title, m.group("name"), o.scope, False, False, *m.span())
    return tuple(sorted(found.values(), key=lambda o: o.start))


def same_office(a: Office, b: Office, b_context: str = "") -> bool:
    """Whether two mentions speak of one office: the same title, and scopes that agree. A scope one side leaves
    out ("Prime Minister X") agrees when the other side's scope is named in ``b_context`` (the passage around)."""
    if a.title != b.title:
        return False
    if a.scope and b.scope:
        return bool(a.scope & b.scope)
    if not a.scope:
        return True
    low = b_context.lower()
    return any(w in low for w in a.scope)
