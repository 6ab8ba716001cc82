"""Named actors and places, found without a NER model.

Capitalised spans (with "al-", "bin", "of" inside names) are typed by, in order: the bundled
country list (names, demonyms, capitals used as metonyms), the alias table (ISIS = ISIL =
Daesh, CENTCOM = Central Command, ...), a title before the name (Gen., President, Prime
Minister, ... -> person, keyed on the surname), words that mark places (Base, Camp, Airfield,
province, ...) or organisations (Council, Command, Forces, ...), and finally a gazetteer the
caller passes in (persons and places seen with such cues elsewhere in the corpus).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

from factcheck.records import Entity

TITLES = (
    r"(?:Marine |Army |Air Force |Navy |Retired |retired |former |Former |acting |Acting )?"
    r"(?:Gen\.|General|Lt\.?(?: Gen\.| Col\.)?|Lieutenant General|Maj\.(?: Gen\.)?|Major General|Col\.|Colonel|"
    r"Adm\.|Admiral|Capt\.|Captain|Sgt\.|President|Vice President|Prime Minister|Premier|Minister|"
    r"Secretary(?:-General)?|Secretary of State|Defense Secretary|Sen\.|Senator|Rep\.|Representative|Gov\.|"
    r"Governor|Mayor|King|Queen|Prince|Sheikh|Ayatollah|Chancellor|Ambassador|Commander|commander|Dr\.|Mr\.|"
    r"Mrs\.|Ms\.|Pope|Speaker|Chairman|spokesman|spokeswoman|spokesperson|adviser|advisor|leader|chief)"
)
# One word of a name ("al-Sudani", "McKenzie"); offices.py reads names with it too.
NAME_WORD = r"(?:(?:[Aa]l|[Ee]l|[Bb]in|[Ii]bn|[Aa]bu|[Aa]bd|[Dd]e|[Vv]an|[Vv]on|[Mm]c)-?)?[A-Z][\w'’.-]*"
# A name never runs on past the end of its sentence ("... commander Abu Mahdi al-Muhandis. Iraq" is two names): a
# word ending in a full stop ends one, unless it is an initial ("John F. Kennedy"), dotted ("U.S.") or one of these.
_ABBREVIATIONS = (
    "Gen Col Capt Sgt Adm Gov Sen Rep Mrs Mr Ms Dr St Mt Jr Sr Maj Lt Ft Brig Cmdr Prof Rev Gens No Co Corp Inc Ltd "
    "Bros Ave Sept Jan Feb Mar Apr Jun Jul Aug Sep Oct Nov Dec"
).split()
_IN_SENTENCE = "(?:(?<![a-z][a-z]\\.)" + "".join(rf"|(?<=\b{a}\.)" for a in _ABBREVIATIONS) + ")"
_SPAN = re.compile(
    rf"{NAME_WORD}(?:{_IN_SENTENCE}(?:\s+|\s+(?:of|of the|al|bin|ibn|de|du|del|la|le|van|von|and the)\s+)"
    rf"(?:\"?{NAME_WORD}\"?))*"
)
_TITLED = re.compile(rf"\b{TITLES}\s+((?:\"?{NAME_WORD}\"?{_IN_SENTENCE}\s+){{0,3}}\"?{NAME_WORD}\"?)")
_PLACE_WORDS = re.compile(
    r"\b(?:Base|Air Base|Airbase|airbase|Camp|Airfield|Airport|Province|province|Governorate|region|Region|"
    r"City|Valley|River|Desert|Gulf|Sea|Island|Strait|Border|Embassy|Square|Street|Palace|District|Zone|Port)\b"
)
_PLACE_AFTER = re.compile(r"\s+(?:air ?base|base|camp|airfield|airport|province|region|governorate|city)\b")
_ORG_WORDS = re.compile(
    r"\b(?:Council|Command|Forces|Force|Army|Navy|Corps|Ministry|Department|Agency|Party|Front|Movement|Group|"
    r"Organization|Organisation|Committee|Commission|Court|Parliament|Congress|Senate|Assembly|Bank|Fund|"
    r"University|Institute|Company|Corporation|Times|News|Post|Press|Reuters|Bloomberg|Associated|Brigades|"
    r"Guard|Guards|Hezbollah|Coalition|Task|Operation|Mission|Administration|Office|Service|Services)\b"
)
# Capitalised words that start sentences or headings without naming anything.
_FUNCTION_CAPS = frozenset(
    """The A An In On At By For From To Of And But Or If As After Before During Under Over Since Until While When
    Where Why How What Which Who This That These Those There Here It Its They Their He She His Her We Our You
    Some Several Many Most More Less About Around Roughly Nearly Approximately Almost Only Also Still Even Yet So
    Although Though However Moreover Meanwhile Earlier Later Today Tonight Yesterday Tomorrow Now Then Both Each
    Every All Any No Not Other Another Such Due Despite Through Into Across Against Among Between Without
    Within Like Unlike Whatever Whoever Get Download Exclusive Infobox Result Date Place Conflict Partof See
    Iran-backed Iranian-backed U.S.-led US-led""".split()
)
_MONTHS = frozenset(
    "January February March April May June July August September October November December Jan Feb Mar Apr Jun "
    "Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)


def _norm(text: str) -> str:
    t = text.replace("’", "'").replace("\u2013", "-").strip(" \"'.,")
    t = re.sub(r"'s$", "", t)
    t = re.sub(r"^(?:the|The)\s+", "", t)
    return re.sub(r"\s+", " ", t).lower()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(alias -> country key, alias -> actor key), keys and aliases lower-cased."""
    countries: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for name, target in (("countries.tsv", countries), ("aliases.tsv", aliases)):
        text = resources.files("factcheck.data").joinpath(name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            key, names = fields[0], fields[-1]
            if len(fields) == 3:
                ALIAS_KINDS[key.strip()] = fields[1].strip()
            for alias in names.split(","):
                if alias.strip():
                    target[_norm(alias)] = key.strip()
    return countries, aliases


ALIAS_KINDS: dict[str, str] = {}


def surname(name: str) -> str:
    """The comparison key of a person's name: the last word, without an "al-" style prefix."""
    words = [w for w in re.split(r"\s+", _norm(name).replace('"', "")) if w]
    last = words[-1] if words else ""
    return re.sub(r"^(?:al|el|bin|ibn|abu)-", "", last)


def country_of(text: str) -> str | None:
    return _tables()[0].get(_norm(text))


# A count opening a sentence is capitalised, and is no part of the name after it ("Three Iraqi officials").
_COUNT_CAPS = frozenset(
    """One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen Sixteen Seventeen
    Eighteen Nineteen Twenty Thirty Forty Fifty Sixty Seventy Eighty Ninety Hundred Hundreds Thousand Thousands
    Dozen Dozens Million Millions Billion Billions""".split()
)


def _strip_function_caps(text: str, start: int) -> tuple[str, int]:
    """Drop leading function words ("The", "In", "On") and counts ("Three") from a capitalised span."""
    words = text.split(" ")
    while words and (words[0] in _FUNCTION_CAPS or words[0] in _MONTHS or words[0] in _COUNT_CAPS):
        start += len(words[0]) + 1
        words = words[1:]
    while words and (words[-1] in _MONTHS or words[-1] in {"of", "and", "the", "of the"}):
        words = words[:-1]
    return " ".join(words), start


def extract_entities(text: str, gazetteer: Mapping[str, str] | None = None) -> list[Entity]:
    """Typed entity mentions in ``text``, sorted by start."""
    countries, aliases = _tables()
    gazetteer = gazetteer or {}
    found: dict[tuple[int, int], Entity] = {}

    for match in _TITLED.finditer(text):
        name = match.group(1)
        # Stop a titled name at the first function word ("President Biden said" -> "Biden").
        words = name.split()
        keep = []
        for w in words:
            if w.strip('"') in _FUNCTION_CAPS or w.strip('"') in _MONTHS:
                break
            keep.append(w)
        if not keep:
            continue
        name = " ".join(keep).rstrip(".,;:")
        s = match.start(1)
        key = surname(name)
        if country_of(name) or _norm(name) in aliases:
            continue
        found[(s, s + len(name))] = Entity(key, "person", s, s + len(name), name)

    for match in _SPAN.finditer(text):
        raw, start = _strip_function_caps(match.group(0).rstrip(".,;:'’\""), match.start())
        if not raw or any(s <= start < e for s, e in found):
            continue
        for ent in _type_span(raw, start, text, countries, aliases, gazetteer):
            if not any(s <= ent.start < e or ent.start <= s < ent.end for s, e in found):
                found[(ent.start, ent.end)] = ent
    # lower-case aliases of actors ("parliament", "the coalition")
    for alias, key in aliases.items():
        if alias.islower() and len(alias) > 3:
            for m in re.finditer(rf"\b{re.escape(alias)}\b", text):
                if not any(s <= m.start() < e for s, e in found):
                    kind = ALIAS_KINDS.get(key, "org")
                    found[(m.start(), m.end())] = Entity(key, kind, m.start(), m.end(), m.group(0))
    return sorted(found.values(), key=lambda e: e.start)


def _type_span(
    raw: str,
    start: int,
    text: str,
    countries: dict[str, str],
    aliases: dict[str, str],
    gazetteer: Mapping[str, str],
) -> Iterable[Entity]:
    norm = _norm(raw)
    end = start + len(raw)
    parts = re.split(r"(?<=[A-Za-z.])[-–](?=[A-Z])", raw)
    if len(parts) == 2 and all(_norm(p) in countries for p in parts):
        # "U.S.-Iraq (plan)": a pair of parties modifying a noun, keyed "united states+iraq"
        yield Entity("+".join(countries[_norm(p)] for p in parts), "pair", start, end, raw)
        return
    if norm in countries:
        yield Entity(countries[norm], "country", start, end, raw)
        return
    if norm in aliases:
        yield Entity(aliases[norm], ALIAS_KINDS.get(aliases[norm], "org"), start, end, raw)
        return
    # "U.S. Central Command", "Iraqi Prime Minister": split a leading country/demonym off
    words = raw.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head = " ".join(words[:cut])
        if _norm(head) in countries:
            yield Entity(countries[_norm(head)], "country", start, start + len(head), head)
            rest = " ".join(words[cut:])
            yield from _type_span(rest, start + len(head) + 1, text, countries, aliases, gazetteer)
            return
    if norm in gazetteer:
        kind = gazetteer[norm]
        yield Entity(surname(raw) if kind == "person" else norm, kind, start, end, raw)
        return
    last = surname(raw)
    if last in gazetteer and gazetteer[last] == "person" and len(words) <= 3:
        yield Entity(last, "person", start, end, raw)
        return
    if _PLACE_WORDS.search(raw) or _PLACE_AFTER.match(text, end):
        yield Entity(_place_key(norm), "place", start, end, raw)
        return
    if _ORG_WORDS.search(raw) or (raw.isupper() and len(raw) > 1):
        yield Entity(norm, "org", start, end, raw)
        return
    before = text[max(0, start - 6) : start].lower()
    if re.search(r"\b(?:in|at|near|to|from)\s+$", before) and start > 0 and len(words) <= 3:
        yield Entity(_place_key(norm), "place", start, end, raw)
        return
    if len(raw) > 1 and not raw.islower():
        if " " not in raw and _sentence_start(text, start) and _common_word(norm):
            return  # "Talks between ..." : a capital that only starts the sentence
        yield Entity(norm, "other", start, end, raw)


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n"


@lru_cache(maxsize=20_000)
def _common_word(word: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word, lang="en"))


def _place_key(norm: str) -> str:
    """ "the Ain al-Asad airbase" and "Ain al-Asad air base" share one key."""
    key = re.sub(r"\b(?:air ?base|base|camp|airfield|air field)\b", "", norm)
    return re.sub(r"\s+", " ", key).strip() or norm


def gazetteer_from(texts: Iterable[str]) -> dict[str, str]:
    """Persons and places seen with a title or a place cue in ``texts`` (normalised name -> kind)."""
    gaz: dict[str, str] = {}
    for text in texts:
        for ent in extract_entities(text):
            if ent.kind == "person":
                gaz.setdefault(ent.key, "person")
                gaz.setdefault(_norm(ent.text), "person")
            elif ent.kind == "place":
                gaz.setdefault(_norm(ent.text), "place")
    return gaz
