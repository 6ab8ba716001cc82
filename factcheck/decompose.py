"""A sentence -> its atomic claims ("parts"), each checkable alone, each with its spans in the sentence.

Rules over punctuation, conjunctions and the extractors' facts (no parser model):

- attributions ("X said …", "according to Y in September 2024", "under the plan reported by Y …")
  are kept apart from what is attributed: the content is a part without the attribution's date;
  the attribution is a part of its own only when it names a speaker (a person, an outlet);
- relative and appositive clauses ("X, who leads Y, said …"; "X, the commander of Y, said …")
  are parts claiming that X leads Y / X is the commander of Y;
- coordinated clauses (", and", ", but", ";", ", while") are parts, a clause without a subject
  taking the previous clause's ("withdrew in 2011, but returned in 2014");
- "down from X (in T)", "up from X", "compared with X" make a second claim about the same
  quantity at another time (or place);
- lists of figures ("2,500 troops in Iraq and 900 in Syria") are one part per figure.

Never split: ranges ("between 2,000 and 3,000"), "from X to Y", coordinated subjects ("the U.S.
and Iraq agreed") and lists of names. A part inherits the sentence's leading time ("In June
2020, …") when it has no date of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from factcheck.extract.dates import extract_dates
from factcheck.extract.entities import extract_entities
from factcheck.extract.numbers import extract_quantities
from factcheck.records import Quantity

Span = tuple[int, int]

KINDS = ("whole", "clause", "comparison", "relative", "appositive", "figure", "content", "attribution")


@dataclass(frozen=True)
class Part:
    """One atomic claim of a sentence.

    ``text`` is what is checked (with the subject, quantity or time it inherits); ``spans`` are
    the pieces of the sentence it comes from (offsets into the sentence, in order); ``start`` and
    ``end`` delimit its own piece, where a finding about it points. ``speaker``: for an
    attribution, who is said to have said it."""

    text: str
    spans: tuple[Span, ...]
    start: int
    end: int
    kind: str = "whole"
    speaker: str = ""
    when: str = ""  # an attribution's time ("in September 2024"), never the content's

    def quoted(self, sentence: str) -> str:
        """The part as written in the sentence ('…' between pieces)."""
        return " … ".join(sentence[a:b] for a, b in self.spans)


# --------------------------------------------------------------------------- units: pieces of the sentence


@dataclass(frozen=True)
class _Unit:
    """Pieces of the sentence read as one text (joined by one space)."""

    spans: tuple[Span, ...]
    kind: str = "whole"
    own: Span | None = None  # the piece a finding points at (default: all of it)
    text_override: str = ""

    def text(self, s: str) -> str:
        return self.text_override or " ".join(s[a:b] for a, b in self.spans)

    def joined(self, s: str) -> str:
        return " ".join(s[a:b] for a, b in self.spans)

    def to_sentence(self, i: int) -> int:
        """Sentence offset of offset ``i`` in the joined text."""
        pos = 0
        for a, b in self.spans:
            if i <= pos + (b - a):
                return a + (i - pos)
            pos += b - a + 1
        return self.spans[-1][1]

    def sub(self, s: str, i: int, j: int) -> tuple[Span, ...]:
        """The sentence pieces of joined text [i, j), trimmed of spaces and edge punctuation."""
        out: list[Span] = []
        pos = 0
        for a, b in self.spans:
            lo, hi = max(i, pos), min(j, pos + (b - a))
            if lo < hi:
                out.append(_trim(s, a + lo - pos, a + hi - pos))
            pos += b - a + 1
        return tuple(p for p in out if p[0] < p[1])


_EDGE = " \t,;:.—–-"


def _trim(s: str, a: int, b: int) -> Span:
    while a < b and s[a] in _EDGE:
        a += 1
    while b > a and s[b - 1] in _EDGE and not (s[b - 1] == "." and _abbrev_end(s, b)):
        b -= 1
    return a, b


def _abbrev_end(s: str, b: int) -> bool:
    """The full stop that ends "U.S." or "Gen." stays."""
    return bool(re.search(r"(?:\b[A-Z]\.){2,}$|\b(?:Gen|Maj|Lt|Col|Sgt|Mr|Mrs|Ms|Dr|St|Jr)\.$", s[:b]))


# --------------------------------------------------------------------------- words

_AUX = frozenset(
    "is are was were has have had will would can could may might must shall should does did do be been being".split()
)
_IRREGULAR = frozenset(
    """withdrew sent began begun met said held left kept gave given took taken made led fought won lost became
    came went rose fell saw seen spent told knew known drew drawn struck built brought bought put set cut hit
    paid ran stood remain remains remained stay stays stayed pledged plans planned announced""".split()
)
_NOT_VERB = frozenset("need seed speed feed red bed hundred united based armed".split())
_GENERIC_SPEAKER = frozenset(
    """a an the senior top several some many other officials official sources source spokesperson spokesman
    administration u.s u.s. us american iraqi iranian western diplomats diplomat analysts experts people
    reports report state department defense military government critics aides aide he she they it we i you
    his her their its our my your this that these those""".split()
)


def _is_verb(word: str) -> bool:
    w = word.lower().strip(".,;:")
    if not w or not word[0].islower():
        return False
    if w in _AUX or w in _IRREGULAR:
        return True
    return len(w) > 4 and w.endswith("ed") and w not in _NOT_VERB


def _first_verb(text: str) -> re.Match[str] | None:
    for m in re.finditer(r"[A-Za-z][\w'-]*", text):
        if m.start() > 0 and _is_verb(m.group()):
            return m
    return None


def _verb_initial(text: str) -> bool:
    """A clause that starts with its verb ("returned in 2014", "later began …"): it has no subject
    of its own and takes the previous clause's."""
    words = re.findall(r"[\w$'-]+", text)
    while words and words[0].lower() in _ADVERBS:
        words = words[1:]
    if not words or not _is_verb(words[0]):
        return False
    # "liquified petroleum gas was set": a participle used as an adjective, the verb comes later
    return not any(w.lower() in _AUX for w in words[1:7])


_ADVERBS = frozenset("later also then still subsequently finally soon eventually quickly again".split())


# --------------------------------------------------------------------------- attributions

_SPEECH = r"(?:said|says|stated|states|noted|notes|added|adds|told\s+\w+|reported|reports|wrote|writes|shows?|showed)"
_ACCORDING_LEAD = re.compile(r"^\s*(?P<att>according\s+to\s+(?P<who>[^,]{2,80}?))\s*,\s*(?P<rest>\S.*)$", re.I | re.S)
_ACCORDING_TAIL = re.compile(
    r"^(?P<rest>.*\S)\s*,\s*(?P<att>according\s+to\s+(?P<who>[^,]{2,80}?))\s*[.!]?\s*$", re.I | re.S
)
_REPORTED_BY = re.compile(
    r"^\s*(?P<att>(?:under|in|on)\s+(?:the|a|an)\s+[\w\s'-]{1,40}?\s+(?:reported|announced|described|published)\s+"
    r"by\s+(?P<who>[^,]{2,80}?))\s*,\s*(?P<rest>\S.*)$",
    re.I | re.S,
)
_SAID_LEAD = re.compile(
    rf"^\s*(?P<att>(?P<who>[^,;]{{2,80}}?)\s+{_SPEECH}(?P<when>\s+(?:on|in|last|this|earlier|during)\s+[^,;]{{2,40}}?)?)"
    r"(?(when)\s+that|(?:\s+that)?)\s+(?P<rest>\S.*)$",
    re.S,
)
_SAID_TAIL = re.compile(
    rf"^(?P<rest>.*\S)\s*,\s*(?P<att>(?P<who>[^,;]{{2,80}}?)\s+{_SPEECH}"
    r"(?P<when>\s+(?:on|in|last|this|earlier|during)\s+[^,;]{2,40}?)?)\s*[.!]?\s*$",
    re.S,
)
_PLAIN_WHO = re.compile(r"^[\w.'’\s-]+$")


def named_speaker(who: str) -> bool:
    """A speaker a source can name: a person or an outlet, not "U.S. officials" or "several sources"."""
    words = re.findall(r"[\w.'’-]+", who)
    if words and words[-1].lower() in _GENERIC_SPEAKER and not any(e.kind == "person" for e in extract_entities(who)):
        return False  # "a senior Biden administration official": anonymous, whatever modifies it
    if any(e.kind in ("person", "org", "group") and e.key not in _GENERIC_SPEAKER for e in extract_entities(who)):
        return True
    proper = [w for w in words if w[0].isupper() and w.lower().rstrip(".") not in _GENERIC_SPEAKER]
    if not proper:
        return False
    found = extract_entities(" ".join(proper))
    return not found or any(e.kind not in _PLACE_KINDS for e in found)


def _speaker_phrase(who: str) -> bool:
    """Whether text before "said" reads as a speaker (a noun phrase, no verb, no number)."""
    if not _PLAIN_WHO.match(who) or re.search(r"\d", who):
        return False
    return not any(_is_verb(w) for w in who.split()[1:])


def _attribution(s: str, u: _Unit) -> tuple[_Unit, _Unit | None, str, str] | None:
    """``(content, attribution or None, speaker, when)`` when ``u`` is attributed."""
    t = u.joined(s)
    for pattern in (_ACCORDING_LEAD, _ACCORDING_TAIL, _REPORTED_BY, _SAID_LEAD, _SAID_TAIL):
        m = pattern.match(t)
        if m is None:
            continue
        who = m.group("who").strip()
        if pattern in (_SAID_LEAD, _SAID_TAIL) and not _speaker_phrase(who):
            continue
        rest = m.group("rest")
        if len(rest.split()) < 3:
            continue
        when = ""
        if "when" in m.groupdict() and m.group("when"):
            when = m.group("when").strip()
        else:
            dm = extract_dates(who)
            if dm:  # "according to Reuters in September 2024"
                head = who[: dm[0].start].rstrip()
                prep = re.search(r"\s+(?:in|on|during|as of|last|this)$", head, re.I)
                cut = prep.start() if prep else len(head)
                who, when = head[:cut].strip(), who[cut:].strip()
        content = _Unit(u.sub(s, m.start("rest"), m.end("rest")), "content")
        att_spans = u.sub(s, m.start("att"), m.end("att"))
        att = _Unit(att_spans, "attribution", text_override=t.strip().rstrip(".")) if named_speaker(who) else None
        return content, att, who, when
    return None


# --------------------------------------------------------------------------- relative and appositive clauses

_RELATIVE = re.compile(r",\s+(?P<rel>(?:who|which)\s+(?P<body>[^,;]{3,}?))\s*(?:,|;|[.!?]?\s*$)")
_APPOSITIVE = re.compile(
    r"^(?P<np>(?:[A-Z][\w.'’-]*|al-\w+|bin|of|de)(?:\s+(?:[A-Z][\w.'’-]*|al-[\w-]+|bin|of|de))*)\s*,\s+"
    r"(?P<app>(?!(?:who|which|whose|whom|and|but|or|so|as|in|on|at|by|for|with|from|to|of|after|before|during|since|if|when|while|though|although|because|however)\b)(?:the|a|an|[a-z][\w-]*|[A-Z][\w.-]*['’]s)\b[^,;]{2,80}?)\s*,\s+(?P<rest>[a-z][^,;].*)$",
    re.S,
)
_SUBORDINATORS = frozenset("as when if while because although though after before since until unless once".split())
_CAP_WORD = re.compile(r"(?:[A-Z][\w.'’-]*|al-[\w'-]+|bin|of|de|K-\d+)$")


def _antecedent(t: str, end: int) -> int:
    """Start of the noun phrase ending at ``end``: a run of capitalised words, else back to a determiner."""
    words = list(re.finditer(r"[\w.'’-]+", t[:end]))
    if not words:
        return end
    i = len(words) - 1
    if _CAP_WORD.match(words[i].group()):
        while i > 0 and _CAP_WORD.match(words[i - 1].group()) and words[i - 1].group() != "of":
            i -= 1
        return words[i].start()
    for k in range(i, max(-1, i - 4), -1):
        if words[k].group().lower() in ("the", "a", "an", "its", "their"):
            return words[k].start()
    return words[max(0, i - 1)].start()


def _splittable_relative(t: str, m: re.Match[str]) -> bool:
    """ "X, who …," and "X, which …," between commas; at the end of a sentence only "who": a
    final ", which means …" is often about the whole clause, not the noun before it."""
    closed = t[m.end() - 1 : m.end()] in (",", ";")
    if not closed and m.group("rel").lower().startswith("which"):
        return False
    if closed:  # the sentence goes on with its verb ("X, who …, has called") or a new clause
        after = re.findall(r"[\w'-]+", t[m.end() :])
        while after and after[0].lower() in _ADVERBS:
            after = after[1:]
        if not after or not (_is_verb(after[0]) or after[0].lower() in ("and", "but", "while", "yet", "so")):
            return False
    before = t[: m.start()].rstrip()
    return not re.search(r"\d$", before)  # "as of October 23, which …": not about a date


def _relatives(s: str, u: _Unit) -> tuple[_Unit, list[_Unit]]:
    """``u`` without its non-restrictive relative / appositive clauses, and those clauses as parts."""
    t = u.joined(s)
    m = _APPOSITIVE.match(t)
    if m and m.group("np").split()[0].lower() in _SUBORDINATORS:
        m = None  # "As Melody Rose, an assistant professor, told …": not a subject
    if m and not any(w in _AUX for w in m.group("app").split()) and _is_verb(m.group("rest").split()[0]):
        np, app = m.group("np"), m.group("app")
        claim = f"{np} is {app}"
        part = _Unit(u.sub(s, m.start("np"), m.end("np")) + u.sub(s, m.start("app"), m.end("app")), "appositive")
        part = _Unit(part.spans, "appositive", own=u.sub(s, m.start("app"), m.end("app"))[0], text_override=claim)
        main = _Unit(u.sub(s, 0, m.end("np")) + u.sub(s, m.start("rest"), len(t)), u.kind)
        return main, [part]
    m = next((r for r in _RELATIVE.finditer(t) if _splittable_relative(t, r)), None)
    if m is None:
        return u, []
    start = _antecedent(t, m.start())
    np = t[start : m.start()].strip()
    body = m.group("body").strip()
    claim = f"{np} {body}"
    verb = _first_verb(" " + body)
    if verb is not None and not _is_verb(body.split()[0]):  # "which the U.S. blamed for …": the object
        at = verb.end() - 1
        claim = f"{body[:at]} {np}{body[at:]}"
    rel_spans = u.sub(s, m.start("rel"), m.end("rel"))
    part = _Unit(u.sub(s, start, m.start()) + rel_spans, "relative", own=rel_spans[0], text_override=claim)
    main = _Unit(u.sub(s, 0, m.start()) + u.sub(s, m.end(), len(t)), u.kind)
    if not main.spans:
        return u, []
    rest, more = _relatives(s, main)
    return rest, [part, *more]


# --------------------------------------------------------------------------- coordinated clauses

_COORD = re.compile(r"\s*;\s*|,\s+(?:and|but|while|whereas|yet)\s+(?!also\b)|\s+(?:but|whereas)\s+(?!also\b)")


def _clauses(s: str, u: _Unit) -> list[_Unit]:
    t = u.joined(s)
    cuts = [(m.start(), m.end()) for m in _COORD.finditer(t) if _first_verb(" " + t[m.end() :])]
    last_verb_initial = [c for c in cuts if _verb_initial(t[c[1] :])]
    if last_verb_initial:  # "invaded Iraq in 2003, toppled Saddam Hussein, and withdrew in 2011"
        serial = [
            (m.start(), m.end())
            for m in re.finditer(r",\s+", t[: last_verb_initial[-1][0]])
            if _verb_initial(re.split(r",\s", t[m.end() :])[0])
        ]
        cuts = sorted(set(cuts) | set(serial))
    units: list[_Unit] = []
    begin = 0
    subject: tuple[Span, ...] = ()
    for cut_start, cut_end in cuts:
        left = t[begin:cut_start]
        right = t[cut_end:]
        if not _first_verb(" " + left) or len(left.split()) < 3 or len(right.split()) < 2:
            continue
        # clauses, not a list of nouns ("lethargy, headache, and dizziness are low") nor
        # an interjected verb ("may, and does, vary"): each side's nearest chunk has a verb
        first_right = re.split(r",\s", right)[0].split()
        if not _first_verb(" " + re.split(r",\s", left)[-1]) or (len(first_right) < 2 and _verb_initial(right)):
            continue
        units.append(_Unit(u.sub(s, begin, cut_start), "clause"))
        if not subject:
            subject = _subject_of(s, u, begin, t[begin:cut_start])
        begin = cut_end
    if not units:
        return [u]
    last = _Unit(u.sub(s, begin, len(t)), "clause")
    units.append(last)
    out: list[_Unit] = []
    for i, unit in enumerate(units):
        if i and _verb_initial(unit.joined(s)) and subject:
            unit = _Unit(subject + unit.spans, "clause", own=(unit.spans[0][0], unit.spans[-1][1]))
        if out:
            counted = _with_counted_noun(unit.text(s), out[-1].text(s))
            if counted:
                unit = _Unit(unit.spans, unit.kind, own=unit.own, text_override=counted)
        out.append(unit)
    return out


def _with_counted_noun(text: str, previous: str) -> str:
    """ "roughly 900 remain in Syria" after "5,200 American troops are in Iraq": the figure takes
    the previous clause's counted noun ("roughly 900 American troops remain in Syria"); "" if not."""
    qs = [q for q in extract_quantities(text) if q.bound not in ("ordinal", "range")]
    before = [q for q in extract_quantities(previous) if q.bound not in ("ordinal", "range") and q.unit_text]
    if not qs or qs[0].unit or not before:
        return ""
    q = qs[0]
    return f"{text[: q.end]} {before[-1].unit_text}{text[q.end :]}"


def _subject_of(s: str, u: _Unit, begin: int, left: str) -> tuple[Span, ...]:
    """The subject of a clause (with a leading auxiliary: "The U.S. has"), as sentence pieces."""
    lead = re.match(r"\s*(?:(?:in|on|by|since|during|as of|after|before)\s+[^,]{1,40},\s*)", left, re.I)
    skip = lead.end() if lead else 0
    v = _first_verb(left[skip:])
    if v is None:
        return ()
    end = skip + v.start()
    if v.group().lower() in _AUX and v.group().lower() not in ("is", "are", "was", "were"):
        end = skip + v.end()
    return u.sub(s, begin + skip, begin + end)


# --------------------------------------------------------------------------- comparisons

_COMPARISON = re.compile(
    r",?\s+(?P<phrase>(?:down|up)\s+from\s+(?P<a>.+?)|compared\s+(?:with|to)\s+(?P<b>.+?))\s*(?=,\s|;|[.!?]?\s*$)", re.I
)
_HEDGE = re.compile(
    r"(?:about|around|approximately|roughly|some|nearly|almost|more\s+than|over|at\s+least|fewer\s+than|"
    r"less\s+than|up\s+to)\s+$",
    re.I,
)
_NOW = re.compile(r"\s*\b(?:today|now|currently|presently|at present|still)\b", re.I)
_PLACE_KINDS = ("country", "place")


def _without_dates(text: str) -> str:
    for d in sorted(extract_dates(text), key=lambda d: -d.start):
        lead = re.search(r"(?:\b(?:in|on|by|as of|during|since|at)\s+)?$", text[: d.start], re.I)
        cut = lead.start() if lead else d.start
        text = text[:cut].rstrip(", ") + text[d.end :]
    return _NOW.sub("", text)


def _comparison(s: str, u: _Unit) -> tuple[_Unit, _Unit | None]:
    t = u.joined(s)
    m = _COMPARISON.search(t)
    if m is None:
        return u, None
    main_text = t[: m.start()].rstrip(" ,;—–-")
    other = (m.group("a") or m.group("b") or "").strip()
    qs = [q for q in extract_quantities(main_text) if q.bound != "ordinal" and not _per(main_text, q.start)]
    oq = [q for q in extract_quantities(other) if q.bound != "ordinal" and not _per(other, q.start)]
    if not qs or not oq:
        return u, None
    claim = _compared_claim(main_text, qs[-1], other, oq[0])
    phrase = u.sub(s, m.start("phrase"), m.end("phrase"))
    main = _Unit(u.sub(s, 0, m.start()) + u.sub(s, m.end(), len(t)), u.kind, own=u.own)
    return main, _Unit(phrase, "comparison", text_override=claim)


def _per(text: str, at: int) -> bool:
    """ "8.17 per 1000": the 1000 is a rate's base, not a figure."""
    return bool(re.search(r"\bper\s+$", text[:at]))


def _compared_claim(main: str, q: Quantity, other: str, oq: Quantity) -> str:
    """The main clause with its figure (and place, or time) replaced by the compared one's."""
    hedge = _HEDGE.search(main[: q.start])
    prefix = main[: hedge.start() if hedge else q.start]
    after = main[q.end :]
    unit_end = q.end
    if q.unit_text:
        at = after.find(q.unit_text)
        if 0 <= at <= 2:
            unit_end = q.end + at + len(q.unit_text)
    unit = main[q.end : unit_end]
    tail = main[unit_end:]
    ohedge = _HEDGE.search(other[: oq.start])
    figure = other[ohedge.start() if ohedge else oq.start : oq.end]
    orest = other[oq.end :]
    if oq.unit_text and orest.lstrip().startswith(oq.unit_text):
        unit, orest = " " + oq.unit_text, orest.lstrip()[len(oq.unit_text) :]
    places = [e for e in extract_entities(orest) if e.kind in _PLACE_KINDS]
    main_places = [e for e in extract_entities(tail) if e.kind in _PLACE_KINDS]
    tail = _without_dates(tail)
    if places and main_places:
        old = [e for e in extract_entities(tail) if e.kind in _PLACE_KINDS]
        if old:
            e = old[0]
            tail = tail[: e.start] + places[0].text + tail[e.end :]
        orest = _without_place(orest, places[0].text)
    elif places:
        tail, orest = orest, ""
    elif not extract_dates(other):  # "down from about 5,200": once, at some earlier time
        where = re.search(r"\b(?:in|at|inside|within|across)\b.*", tail)
        return re.sub(r"\s+", " ", f"There were {figure}{unit} {where.group() if where else ''}").strip(" ,")
    claim = f"{_without_dates(prefix)}{figure}{unit}{tail}"
    if orest.strip():
        claim = f"{claim.rstrip()} {orest.strip()}"
    return re.sub(r"\s+", " ", claim).strip(" ,")


def _without_place(text: str, place: str) -> str:
    return re.sub(rf"\b(?:in|at)\s+(?:the\s+)?(?:[a-z]+\s+)?{re.escape(place)}", "", text, count=1)


# --------------------------------------------------------------------------- lists of figures

_LIST_JOIN = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)$")


def _figures(s: str, u: _Unit) -> list[_Unit]:
    t = u.joined(s)
    qs = [q for q in extract_quantities(t) if q.bound not in ("ordinal", "range") and not q.role]
    if len(qs) < 2:
        return [u]
    first = qs[0]
    hedge = _HEDGE.search(t[: first.start])
    prefix_end = hedge.start() if hedge else first.start
    prefix = t[:prefix_end]
    cuts: list[tuple[int, int, Quantity]] = []
    for q in qs[1:]:
        h = _HEDGE.search(t[: q.start])
        at = h.start() if h else q.start
        join = _LIST_JOIN.search(t[:at])
        if join is None or join.start() <= first.end:
            continue
        item = t[at:]
        if not (q.inherited_unit or any(e.kind in _PLACE_KINDS for e in extract_entities(item[:60]))):
            continue
        if _first_verb(" " + t[q.end : q.end + 40].split(",")[0].split(" and ")[0]):
            continue
        cuts.append((join.start(), at, q))
    if not cuts:
        return [u]
    out = [_Unit(u.sub(s, 0, cuts[0][0]), "figure")]
    for k, (_, at, q) in enumerate(cuts):
        stop = cuts[k + 1][0] if k + 1 < len(cuts) else len(t)
        item = t[at:stop].strip().rstrip(".")
        unit = f" {first.unit_text}" if q.inherited_unit and first.unit_text else ""
        pos = item.find(q.text) + len(q.text) if q.text in item else len(item.split()[0])
        claim = f"{prefix}{item[:pos]}{unit}{item[pos:]}"
        pieces = u.sub(s, at, stop)
        out.append(
            _Unit(u.sub(s, 0, prefix_end) + pieces, "figure", own=(pieces[0][0], pieces[-1][1]), text_override=claim)
        )
    return out


# --------------------------------------------------------------------------- the whole


_LEAD_TIME = re.compile(r"^\s*(?P<lead>(?:in|on|by|as of|since|during|after|before)\s+[^,]{2,40}?)\s*,\s+", re.I)


def decompose(sentence: str) -> tuple[Part, ...]:
    """The atomic claims of ``sentence``, in the order they start; one part (``kind="whole"``)
    when it makes a single claim."""
    s = sentence
    body = _trim(s, 0, len(s))
    if body[0] >= body[1]:
        return (Part(s, ((0, len(s)),), 0, len(s)),)
    whole = _Unit(_cleft(s, body) or (body,))
    units: list[_Unit] = []
    attribution = _attribution(s, whole)
    if attribution is not None:
        content, att, speaker, when = attribution
        extra: list[_Unit] = [att] if att is not None else []
    else:
        content, extra, speaker, when = whole, [], "", ""
    main, rels = _relatives(s, content)
    for clause in _clauses(s, main):
        kept, compared = _comparison(s, clause)
        units.extend(_figures(s, kept))
        if compared is not None:
            units.append(compared)
    units.extend(rels)
    lead = _LEAD_TIME.match(s[body[0] : body[1]])
    lead_text = lead.group("lead") if lead and extract_dates(lead.group("lead")) else ""
    parts = []
    for unit in [*units, *extra]:
        text = unit.text(s).strip().rstrip(".")
        if not text:
            continue
        kind = unit.kind
        if lead_text and kind != "attribution" and not extract_dates(text):
            text = f"{lead_text[0].upper()}{lead_text[1:]}, {text[0].lower() if _lower_ok(text) else text[0]}{text[1:]}"
        own = unit.own or (unit.spans[0][0], unit.spans[-1][1])
        parts.append(
            Part(
                text=text,
                spans=unit.spans,
                start=own[0],
                end=own[1],
                kind=kind,
                speaker=speaker if kind == "attribution" else "",
                when=when if kind == "attribution" else "",
            )
        )
    if len(parts) == 1 and parts[0].kind == "content":
        # "officials said in July that C": checked as written (the speaker helps find the passage)
        # but without the time it was said, which is never C's
        said = whole.text(s).rstrip(".")
        text = re.sub(rf"\s+{re.escape(when)}\b", "", said, count=1) if when else said
        return (replace(parts[0], text=text),)
    if len(parts) <= 1:
        return (Part(whole.text(s).rstrip("."), whole.spans, body[0], body[1]),)
    parts.sort(key=lambda p: (p.start, p.end))
    return tuple(replace(p, kind="clause") if p.kind == "whole" else p for p in parts)


# "It was X who / that Y": a cleft puts X in focus; what it claims is "X Y" ("It was the mayor who
# signed it" -> "the mayor signed it"; "It was in May that talks began" -> "in May talks began").
# X must be a noun phrase or a time or place, never an adjective ("It is clear that ...": no cleft).
_CLEFT = re.compile(
    r"It\s+(?:was|is|were|had\s+been|has\s+been)\s+"
    r"(?P<x>(?:[A-Z0-9]|(?:the|a|an|this|these|those|his|her|their|its|our|only)\s|"
    r"(?:in|on|at|by|after|before|during|until|since|from|under|through)\s+(?:the\s+|late\s+|early\s+)?[A-Z0-9])"
    r"[^;:]*?)\s*,?\s+(?:who|that|whom)\s+(?P<y>\S.*)",
    re.S,
)
_NOT_FOCUS = re.compile(r"(?:the|a|an)\s+(?:case|fact|reason|first|last|second|time|moment|one|only)\b", re.I)


def _cleft(s: str, body: Span) -> tuple[Span, Span] | None:
    """The pieces a cleft sentence claims, focus first, or None when ``s`` is no cleft."""
    m = _CLEFT.fullmatch(s, body[0], body[1])
    if m is None or _NOT_FOCUS.match(m.group("x")) or len(m.group("y").split()) < 2:
        return None
    x = _trim(s, m.start("x"), m.end("x"))
    if s[x[1] : x[1] + 1] == "," and "," in s[x[0] : x[1]]:  # "X, the commander, who": the appositive's comma stays
        x = (x[0], x[1] + 1)
    return x, _trim(s, m.start("y"), m.end("y"))


def _lower_ok(text: str) -> bool:
    return text.split()[0] in ("The", "A", "An", "There", "It")
