"""Extract quantities ("about 2,500 American troops", "$4bn", "a third") from text.

Grammar (all regexes are compiled once, at import):

* A *number* is digits with optional grouping and decimals ("2,500", "2 500",
  "1.5") optionally followed by a scale ("million", "bn", a glued "k": "2.5k"), or a number-word phrase
  ("two thousand five hundred", "twenty-five", "a dozen", "two and a half thousand").
* Special forms tried before a plain number at the same position: money with a
  currency sign or code ("$4bn", "US$4 bn", "€3 million"), percentages ("40%",
  "40 per cent"), vague plurals ("dozens", "tens of thousands"), spoken fractions
  ("a third", "two-thirds", "half of") and ordinals ("the fourth base").
* A *hedge* is read from the words just before the number ("about", "more than",
  "at least", "nearly", "up to" ...), and gives the bound and the interval.
* The *unit* is the head noun of the noun phrase right after the number, skipping
  modifiers ("American troops" -> "troop", "drone and rocket attacks" -> "attack").
* Two numbers joined by "to", "–" or "between ... and" make a range, or a
  ``from``/``to`` role pair when a change verb ("reduce", "increase") governs them.
* A unitless number coordinated with an earlier quantity of the same sentence
  inherits its unit ("2,500 troops in Iraq and 900 in Syria").

Things that look like numbers but are dates, times or names (years, "9 December
2021", "COVID-19", "F-16", "Operation 2", "10:30", "the 1990s") are left out.

Interval conventions (``low <= value <= high`` always holds):

=========  ===========================================================
exact      low = high = value
approx     value * 0.9 .. value * 1.1   ("about", "roughly", "some" ...)
more       value .. value * 1.3         ("more than", "over", "upwards of")
atleast    value .. value * 1.3         ("at least", "no fewer than")
less       value * 0.7 .. value         ("fewer than", "under", "nearly", "almost")
atmost     0 .. value                   ("up to", "at most", "as many as")
range      low .. high, value = midpoint ("between 500 and 4,000", "5,000–6,000")
vague      e.g. dozens 24..99, hundreds 200..999; value = low
ordinal    low = high = value           ("the fourth base")
=========  ===========================================================
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from factcheck.extract.words import (
    FRACTION_DENOMINATORS,
    MONTHS,
    ORDINALS,
    SCALE_ABBR,
    SCALES,
    TENS,
    UNITS,
    alternation,
    wordset,
)
from factcheck.records import Quantity

__all__ = ["extract_quantities", "normalise_unit", "parse_number_words"]

# --------------------------------------------------------------------------- grammar

_UNIT_WORDS = alternation(UNITS)
_TENS_WORDS = alternation(TENS)
_ONE_TO_NINE = alternation(w for w, v in UNITS.items() if 0 < v < 10)
_SCALE_WORDS = alternation(SCALES)
# One number word: "twenty-five", "seven", "hundred", "dozen".
_NUMBER_WORD = rf"(?:{_TENS_WORDS}(?:-{_ONE_TO_NINE})?|{_UNIT_WORDS}|{_SCALE_WORDS}|dozen)\b"
# "and" only continues a number after a scale word ("hundred and five").
_AFTER_SCALE = "(?:" + "|".join(f"(?<={w})" for w in (*SCALES, "dozen")) + ")"
_FRACTION_DEN = alternation(FRACTION_DENOMINATORS)
_FRACTION_NUM = alternation(["a", "an", *(w for w, v in UNITS.items() if 0 < v < 10)])
_BEFORE_SCALE = rf"(?=(?:{_SCALE_WORDS}|dozen)\b)"
# A fraction of a scale word: "half a million", "a half million", "a quarter of a million", "three quarters of
# a million", "quarter million", "half a dozen" (parse_number_words reads it).
_FRACTION_OF_SCALE = rf"(?:(?:{_FRACTION_NUM})[ \t-]+)?{_FRACTION_DEN}(?:[ \t]+of)?(?:[ \t]+an?)?[ \t]+{_BEFORE_SCALE}"
# A phrase of number words; "a"/"an" only in front of a scale ("a hundred", "a dozen").
_WORD_NUMBER = (
    rf"(?:{_FRACTION_OF_SCALE}|an?\s+{_BEFORE_SCALE})?{_NUMBER_WORD}"
    rf"(?:[ \t-]+(?:and[ \t-]+)?a[ \t-]+half\b"  # "two and a half", "two-and-a-half"
    rf"|{_AFTER_SCALE}[ \t]+and[ \t]+{_NUMBER_WORD}"  # "hundred and five"
    rf"|(?:[ \t]+|-){_NUMBER_WORD})*"
)
_SP = r"[ \t\u00a0]{0,3}"  # optional short blank between a number and its scale or sign
# Digits: "2,500", "2 500", "2500", "1.5".  Never glued to a letter-hyphen ("F-16").
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,])|\d+)(?:\.\d+)?"
_DIGITS_START = r"(?<![\w.,$€£\[/:])(?<![A-Za-z]-)"
_NUMBER = (
    rf"{_DIGITS_START}{_DIGITS}(?:{_SP}{_SCALE_WORDS}\b|{_SP}(?:bn|mn|mln|tn|trn)\b|[kK](?![\w%]))?(?![\w%])"
    rf"|\b{_WORD_NUMBER}"
)
_CURRENCY = r"(?:US\$|A\$|C\$|\$|€|£|USD|EUR|GBP)"
_ORDINAL = alternation(ORDINALS)

_CANDIDATE = re.compile(
    rf"""
    (?P<money>(?<![\w$])(?P<cur>{_CURRENCY}){_SP}(?P<mnum>{_DIGITS})
        (?:{_SP}(?P<mscale>{_SCALE_WORDS}|bn|mn|mln|tn|trn|m|k|b)\b)?(?![\w%]))
  | (?P<pct>(?P<pnum>{_DIGITS_START}{_DIGITS}|\b{_WORD_NUMBER})
        {_SP}(?P<psign>%|percent\b|per\s{{0,3}}cent\b|pct\b))
  | \b(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)
        |(?:several|a\s+few|a\s+couple\s+of)\s+(?:dozen|hundred|thousand|million|billion)
        |dozens|scores(?=\s+of\b)|hundreds|thousands|millions|billions)\b
  | \b(?P<frac>(?P<fnum>{_FRACTION_NUM})[\s-]+(?P<fden>{_FRACTION_DEN})\b(?!(?:\s+of)?(?:\s+an?)?\s+{_BEFORE_SCALE})
        |(?P<fhalf>half)\b(?=\s+(?:of|the|its|their|our|all)\b))
  | \b(?P<ord>{_ORDINAL}|\d+(?:st|nd|rd|th))\b
  | (?P<num>{_NUMBER})
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A rate, "one in five voters", "1 in 3": a share, tried where a plain number starts.
_RATE = re.compile(
    rf"""(?P<rnum>\d{{1,3}}|{_UNIT_WORDS})\s+in\s+(?P<rden>\d{{1,3}}|{_UNIT_WORDS}|{_TENS_WORDS}|a\s+hundred)\b
        (?![.,]\d)(?!\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|games?|matches?|races?)\b)""",
    re.VERBOSE | re.IGNORECASE,
)

# Hedges, read backwards from the number: the regex is anchored at the end of
# the text that precedes it.  Longer forms come first inside each group, and a
# search finds the leftmost start, so "no more than" beats "more than".
_HEDGE = re.compile(
    r"""\b(?:
      (?P<atleast>at\s+least|no\s+(?:fewer|less)\s+than|not\s+(?:fewer|less)\s+than|a\s+minimum\s+of)
    | (?P<atmost>up\s+to|at\s+most|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of|as\s+many\s+as)
    | (?P<more>(?:just\s+|well\s+)?(?:more\s+than|over)|upwards\s+of|in\s+excess\s+of|above
              |greater\s+than|exceeding)
    | (?P<less>(?:just\s+|slightly\s+)?(?:fewer\s+than|less\s+than|under|below)|nearly|almost|short\s+of)
    | (?P<approx>about|around|approximately|roughly|some|circa|an\s+estimated|estimated|close\s+to
                |approx\.|c\.|more\s+or\s+less)
    )\s+\Z""",
    re.VERBOSE | re.IGNORECASE,
)
_HEDGE_AFTER = re.compile(r"\s+or\s+(?:(?P<atleast>more)|(?P<approx>so))\b", re.IGNORECASE)
# Right after the number: "a hundred-odd troops", "2,000-plus troops" (a spaced "plus" may be a sum: not read).
_HEDGE_GLUED = re.compile(r"(?:-|[ \t]+(?=odd\b))(?P<more>odd|plus)\b", re.IGNORECASE)

# Spans that are dates, times or decades; numbers inside them are not quantities.
_MONTH = alternation(MONTHS)
_NOT_QUANTITY = re.compile(
    rf"""
      \b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b                                  # 2020-07-25
    | \b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b                           # 9/11, 12/9/2021
    | \b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+\d{{4}})?  # 9 December 2021
    | \b{_MONTH}\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d]|,\d{{3}})(?:,?\s+\d{{4}}\b)?  # Dec. 9, 2021
    | \b{_MONTH}\b\.?,?\s+\d{{4}}\b                                    # September 2025
    | (?<![\d,.])(?:1[5-9]|20)\d\d\s*[-–—/]\s*(?:(?:1[5-9]|20)\d\d|\d\d)(?![\d,])  # 2013–2017
    | (?<![\d,.])(?:1[5-9]|20)\d0s\b | ['’]\d0s\b | \b\d0s\b            # the 1990s, '90s
    | \b\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[ap]\.?m\.?)?                # 10:30
    | \b\d{{1,2}}(?:\.\d{{2}})?\s*(?:[ap]\.m\.|[ap]m\b|o['’]clock)      # 3 p.m.
    | \b[A-Z]{{1,5}}-\d+\w*                                             # F-16, COVID-19, K-1
    """,
    re.VERBOSE,
)

# A count right after an ordinal ("the first two rounds", "the last 3 bases").
_COUNT_AFTER = re.compile(r"\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozen)\b", re.I)
# A capitalised word naming the number that follows it ("Operation 2", "Resolution 2334").
_LABEL_BEFORE = re.compile(
    r"\b(?:Operation|Resolution|Article|Section|Chapter|Phase|Route|Highway|Flight|Camp|Block"
    r"|Level|Grade|Stage|Room|Gate|Number|No\.|Nos\.|Act|Law|Decree|Order|Brigade|Division"
    r"|Battalion|Regiment|Squadron|Fleet|Platform|Page|Vol\.|Volume|Item|Point|Title|Part|Unit"
    r"|Building|Hangar|Runway|Track|Episode|Season|Version|Windows|iPhone|Galaxy|Boeing|Airbus)\s+\Z"
)
# Prepositions that make a bare 19xx/20xx number a year ("in 2014", "since 2003").
_ACRONYM_BEFORE = re.compile(r"(?<![\w.])[A-Z]{2,5}\s\Z")
_YEAR_PREPOSITION = re.compile(
    r"\b(?:in|since|until|till|by|during|before|after|of|from|through|year|early|late|mid|end"
    r"|summer|winter|spring|autumn|fall|around|circa|between|and|to|for)\s+\Z",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that|each|every)\s+\Z", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+\Z", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+\Z", re.IGNORECASE)
_UNIT_THEN_TO = re.compile(r"\s+to\s+\Z", re.IGNORECASE)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to)\s*\Z|\s+and\s+\Z", re.IGNORECASE)
# Verbs of change that turn "from X to Y" into a before/after pair.
_CHANGE_VERB = re.compile(
    r"\b(?:reduc|cut|increas|rais|rise|rose|risen|ris|grow|grew|drop|fall|fell|declin|lower"
    r"|expand|shrink|shrank|trim|boost|slash|jump|climb|doubl|halv|tripl|swell|swoll|plung"
    r"|bring|brought|draw|drew|scal|go|went|gone|chang|mov|shift|upp|hik|par)\w*"
    r"(?:\s+(?:down|up|back|out))?",
    re.IGNORECASE,
)
_GROUPING = re.compile(r"[,\s\u00a0\u202f]")
_GROUP_SEPARATOR = re.compile(r"(?<=\d)[, \u00a0\u202f](?=\d{3}\b)")
_OF_PARTITIVE = re.compile(r"\s+of(?:\s+(?:the|its|their|our|these|those|his|her))?\b")
_OF_DETERMINER = re.compile(r"\s+of\s+(?:the|its|their|our|these|those)\b", re.IGNORECASE)
_OF_AFTER = re.compile(r"\s+of\b")
_AND_BEFORE = re.compile(r"\band\s+\Z")
_HALF_AS_DATE_PART = re.compile(r"\b(?:first|second|latter|former|other|and|a)\s+\Z", re.IGNORECASE)
_LEADING_DIGITS = re.compile(r"\d+")
_SCALE_AT_END = re.compile(rf"{_SCALE_WORDS}$|(?:bn|mn|mln|tn|trn)$|(?<=\d)k$", re.IGNORECASE)  # "2.5k" glued
_FOUR_DIGITS = re.compile(r"\d{4}")
_CHANGE_OBJECT = re.compile(
    r"\s+(?:(?:our|the|its|their|his|her|us|u\.s\.|american|total)\s+)*([A-Za-z]+)", re.IGNORECASE
)
# "nobody was hurt", "no one was killed": a count of no people
NOBODY_WORDS = frozenset({"nobody", "no one", "no-one"})
_NOBODY = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(NOBODY_WORDS)) + r")\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<![A-Z])[.!?][\"”’)]?\s|\n\s*\n|;")
_TOKEN = re.compile(
    r"[ \t\u00a0]*(?:(?P<abbr>(?:[A-Za-z]\.){2,})|(?P<word>[A-Za-z]+(?:['’-][A-Za-z]+)*)|(?P<other>\S))"
)

# --------------------------------------------------------------------------- word lists

# Words that end the noun phrase after a number (prepositions, determiners,
# auxiliaries, conjunctions, pronouns, frequent adverbs).
_STOP = wordset("""
    in on at to from of for with by during into onto across since until till after before over
    under between among amid through throughout per within without near around about against
    toward towards via than as like upon off out up down
    the a an this that these those its their his her our my your some any each every all both
    no not nor
    is are was were be been being will would shall should can could may might must have has had
    do does did get got
    and or but so yet while who whom whose which what when where why how if then
    i we you he she it they them us him me
    more less fewer most least still also now already there here too ago later earlier
    apiece each alone only just even again previously currently respectively total altogether
    remain remains remained said say says told
    last next today yesterday tomorrow tonight
    """)
# Modifiers that never head the phrase themselves when a noun follows.
_MODIFIERS = wordset("""
    us u.s. american iraqi syrian afghan british french german italian spanish kurdish iranian
    israeli turkish russian nato coalition foreign additional extra other new further military
    armed active uniformed western allied international
    """)
# Plurals without an -s, and uncountables that head a count ("4,000 personnel").
_IRREGULAR = {
    "people": "person",
    "persons": "person",
    "men": "man",
    "women": "woman",
    "children": "child",
    "personnel": "personnel",
    "police": "police",
    "staff": "staff",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "aircraft": "aircraft",
    "sheep": "sheep",
    "fish": "fish",
    "series": "series",
    "species": "species",
    "news": "news",
    "dollars": "usd",
    "dollar": "usd",
    "usd": "usd",
    "euros": "eur",
    "euro": "eur",
    "eur": "eur",
    "sterling": "gbp",
    "gbp": "gbp",
    "percent": "share",
    "pct": "share",
}
# Words ending in -s that are not plurals ("crisis", "status", "gas").
_NOT_PLURAL_ENDINGS = ("ss", "us", "sis", "xis", "ous")
_NOT_PLURAL = wordset("this his has was is gas bus yes series species news lens chaos")
_CURRENCY_CODES = {"$": "usd", "us$": "usd", "usd": "usd", "€": "eur", "eur": "eur", "£": "gbp",
                   "gbp": "gbp", "a$": "aud", "c$": "cad"}  # fmt: skip
# Hyphenated adjectives after a number that are not the counted noun ("2,500-strong").
_HYPHEN_ADJECTIVES = wordset("strong odd plus fold member-strong")
_NOUN_SUFFIX_EXCEPTIONS = wordset("bed need seed speed feed creed breed shed red hundred thing")
# Vague plurals: (low, high).
_VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (24, 99),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2e6, 999e6),
    "billions": (2e9, 999e9),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "tens of millions": (2e7, 9.9e7),
    "hundreds of millions": (2e8, 9.99e8),
    "tens of billions": (2e10, 9.9e10),
    "hundreds of billions": (2e11, 9.99e11),
}
_FEW = {"several": (3, 9), "a few": (2, 5), "a couple of": (2, 3)}


# --------------------------------------------------------------------------- helpers


def normalise_unit(noun: str) -> str:
    """Lemma of a counted noun: lowercase, singular, currency names as ISO codes.

    >>> normalise_unit("Troops"), normalise_unit("people"), normalise_unit("casualties")
    ('troop', 'person', 'casualty')
    """
    w = noun.strip().lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'.")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if "-" in w:  # "drone-strikes" -> inflect the last part only
        head, _, tail = w.rpartition("-")
        return f"{head}-{normalise_unit(tail)}"
    if len(w) > 3 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return w[:-2]
    if len(w) > 2 and w.endswith("s") and not w.endswith(_NOT_PLURAL_ENDINGS) and w not in _NOT_PLURAL:
        return w[:-1]
    return w


def _looks_plural(word: str) -> bool:
    w = word.lower()
    if w in _IRREGULAR:
        return True
    return (
        len(w) > 2 and w.endswith("s") and not w.endswith((*_NOT_PLURAL_ENDINGS, "'s", "’s")) and w not in _NOT_PLURAL
    )


def _looks_verbal(word: str) -> bool:
    w = word.lower()
    if w in _NOUN_SUFFIX_EXCEPTIONS:
        return False
    return (len(w) > 4 and w.endswith(("ed", "ing"))) or w.endswith("ly")


def _parse_digits(s: str) -> float:
    return float(_GROUPING.sub("", s))


_PHRASE_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?", re.IGNORECASE)


def parse_number_words(s: str) -> float | None:
    """Value of a number written in words and/or digits; None if ``s`` is not one.

    >>> parse_number_words("two thousand five hundred"), parse_number_words("twenty-five")
    (2500.0, 25.0)
    >>> parse_number_words("two and a half thousand"), parse_number_words("1.5 million")
    (2500.0, 1500000.0)
    >>> parse_number_words("half a million"), parse_number_words("a million and a half")
    (500000.0, 1500000.0)
    >>> parse_number_words("troops") is None
    True
    """
    text = _GROUP_SEPARATOR.sub("", s.strip())
    tokens = _PHRASE_TOKEN.findall(text.lower())
    if not tokens or len(_PHRASE_TOKEN.sub("", text).strip(" -\t\n")) > 0:
        return None
    share = _fraction_of_scale(tokens)
    if share is not None:
        fraction, rest = share
        value = _parse_tokens(rest)
        return None if value is None else fraction * value
    return _parse_tokens(tokens)


def _fraction_of_scale(tokens: list[str]) -> tuple[float, list[str]] | None:
    """A leading fraction of a scale word ("three quarters of a million"): the fraction and the tokens from the
    scale word on; None when the phrase does not start so."""
    i = 0
    numerator = 1
    if tokens[0] in ("a", "an") or (tokens[0] in UNITS and 0 < UNITS[tokens[0]] < 10):
        numerator = UNITS.get(tokens[0], 1)
        i = 1
    if i >= len(tokens) or tokens[i] not in FRACTION_DENOMINATORS:
        return None
    fraction = numerator / FRACTION_DENOMINATORS[tokens[i]]
    i += 1
    if i < len(tokens) and tokens[i] == "of":
        i += 1
    if i < len(tokens) and tokens[i] in ("a", "an"):
        i += 1
    if i >= len(tokens) or tokens[i] not in (*SCALES, "dozen"):
        return None
    return fraction, tokens[i:]


def _parse_tokens(tokens: list[str]) -> float | None:
    total = 0.0
    current = 0.0
    last_scale = 0.0
    seen_number = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok[0].isdigit():
            if seen_number and current and not (current >= 100 and float(tok) < 100):
                return None
            current += float(tok)
            seen_number = True
        elif tok in UNITS or tok in TENS:
            value = UNITS.get(tok, TENS.get(tok, 0))
            # "twenty five" adds up, "five twenty" does not.
            if seen_number and current % 100 and (current % 10 or value >= 10):
                return None
            current += value
            seen_number = True
        elif tok == "hundred":
            current = (current or 1) * 100
            seen_number = True
        elif tok in SCALES or tok in SCALE_ABBR:
            scale = SCALES.get(tok) or SCALE_ABBR[tok]
            total += (current or 1) * scale
            current = 0.0
            last_scale = scale
            seen_number = True
        elif tok == "dozen":
            current = (current or 1) * 12
            seen_number = True
        elif tok in ("a", "an") and nxt == "half" and seen_number:
            # "two and a half"; after a scale word, half of it: "a million and a half"
            if current or not last_scale:
                current += 0.5
            else:
                total += 0.5 * last_scale
            i += 1
        elif tok in ("a", "an") and not seen_number and nxt in (*SCALES, "dozen", "half"):
            pass
        elif tok == "half" and not seen_number:
            current = 0.5
            seen_number = True
        elif tok == "and" and seen_number and nxt:
            pass
        else:
            return None
        i += 1
    if not seen_number:
        return None
    return total + current


# --------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    start: int
    end: int
    value: float
    kind: str  # num|money|pct|frac|vague|ord
    bound: str = "exact"
    low: float = 0.0
    high: float = 0.0
    unit: str = ""
    unit_text: str = ""
    role: str = ""
    inherited: bool = False
    scale: int = 1
    yearlike: bool = False
    bare_one: bool = False
    unit_lower: bool = False  # the unit phrase starts with a lowercase word or U.S.
    extra: dict[str, str] = field(default_factory=dict)


def _set_interval(c: _Cand) -> None:
    v = c.value
    if c.bound == "approx":
        c.low, c.high = v * 0.9, v * 1.1
    elif c.bound in ("more", "atleast"):
        c.low, c.high = v, v * 1.3
    elif c.bound == "less":
        c.low, c.high = v * 0.7, v
    elif c.bound == "atmost":
        c.low, c.high = 0.0, v
    elif c.bound in ("exact", "ordinal"):
        c.low = c.high = v
    if c.low > c.high:  # negative values never occur, but keep the invariant anyway
        c.low, c.high = c.high, c.low


def _find_unit(text: str, pos: int, *, allow_of: bool) -> tuple[str, str, bool]:
    """Head noun of the noun phrase starting at ``pos``: (lemma, exact unit_text, lowercase?)."""
    # "14-day", "20-year-old": a hyphen compound glued to the number.
    if text.startswith("-", pos):
        m = _TOKEN.match(text, pos + 1)
        if m and m.group("word") and not text[pos + 1].isspace():
            word = m.group("word").split("-")[0]
            if word.lower() not in _HYPHEN_ADJECTIVES and word.lower() not in _STOP:
                return normalise_unit(word), word, True
            pos = m.end()
    if allow_of:
        m = _OF_PARTITIVE.match(text[pos : pos + 20])
        if m:
            pos += m.end()
    words: list[tuple[int, int, str]] = []
    head: tuple[int, int, str] | None = None
    cur = pos
    for _ in range(6):
        m = _TOKEN.match(text, cur)
        if not m or m.group("other") is not None:
            break
        tok = m.group("abbr") or m.group("word")
        ts, te = m.start("abbr") if m.group("abbr") else m.start("word"), m.end()
        low = tok.lower()
        if m.group("abbr") is None and text[m.start() : ts].count("\n") > 0:
            break
        if low in ("and", "or") and words:
            # Coordination of singular pre-modifiers: "drone and rocket attacks".
            nm = _TOKEN.match(text, te)
            nw = nm.group("word") if nm else None
            if nw and nw.lower() not in _STOP and not _looks_verbal(nw) and not _looks_plural(words[-1][2]):
                head = None
                cur = te
                continue
            break
        if low in _STOP:
            break
        capital = tok[0].isupper()
        if words and capital and not words[-1][2][0].isupper() and m.group("abbr") is None:
            break  # a proper noun after a common noun starts something else
        if _looks_verbal(tok) and low not in _MODIFIERS:
            nm = _TOKEN.match(text, te)
            nw = nm.group("word") if nm else None
            if nw and nw.lower() not in _STOP and not _looks_verbal(nw):
                words.append((ts, te, tok))  # "trained troops": a participle modifier
                cur = te
                continue
            break
        words.append((ts, te, tok))
        cur = te
        if low.rstrip(".") in _MODIFIERS or m.group("abbr"):
            continue
        head = (ts, te, tok)
        if _looks_plural(tok):
            break
    if head is None:
        return "", "", False
    first = words[0][2]
    lowercase = not first[0].isupper() or first.lower().rstrip(".") in _MODIFIERS
    head_words = [w for w in words if w[0] <= head[0]]
    return normalise_unit(head[2]), text[head_words[0][0] : head[1]], lowercase


def _scan(text: str) -> list[_Cand]:
    masked = [(m.start(), m.end()) for m in _NOT_QUANTITY.finditer(text)]  # sorted, disjoint
    masked_ends = [b for _, b in masked]
    out: list[_Cand] = []
    taken = 0  # the end of a rate read at an earlier number
    for m in _CANDIDATE.finditer(text):
        s, e = m.span()
        if s < taken:
            continue
        k = bisect.bisect_right(masked_ends, s)  # first masked span ending after s
        if k < len(masked) and masked[k][0] < e:
            continue
        c = _rate(text, s) if m.group("num") else None
        if c is not None:
            out.append(c)
            taken = c.end
            continue
        c = _make_candidate(text, m)
        if c is not None:
            out.append(c)
    return out


def _rate(text: str, at: int) -> _Cand | None:
    """ "one in five voters" at ``at``: the share one fifth; None when no rate starts there ("5 in 2 attacks")."""
    r = _RATE.match(text, at)
    if r is None:
        return None
    num, den = parse_number_words(r.group("rnum")), parse_number_words(r.group("rden"))
    if not num or not den or num >= den:
        return None
    c = _Cand(at, r.end(), num / den, "frac")
    c.unit, c.unit_text = "share", r.group()
    return c


def _make_candidate(text: str, m: re.Match[str]) -> _Cand | None:
    s, e = m.span()
    g = m.group
    if g("money"):
        scale_word = (g("mscale") or "").lower()
        scale = SCALES.get(scale_word) or SCALE_ABBR.get(scale_word, 1)
        cur = g("cur").strip().lower()
        c = _Cand(s, e, _parse_digits(g("mnum")) * scale, "money", scale=scale)
        c.unit, c.unit_text = _CURRENCY_CODES.get(cur, "usd"), g("cur").strip()
        return c
    if g("pct"):
        value = parse_number_words(g("pnum"))
        if value is None:
            return None
        c = _Cand(s, e, value / 100, "pct")
        c.unit, c.unit_text = "share", g("psign")
        return c
    if g("vague"):
        phrase = " ".join(g("vague").lower().split())
        if phrase in _VAGUE:
            low, high = _VAGUE[phrase]
        else:
            few, _, scale_word = phrase.rpartition(" ")
            base = 12 if scale_word == "dozen" else SCALES[scale_word]
            low, high = (x * base for x in _FEW[few])
        c = _Cand(s, e, low, "vague", bound="vague", low=low, high=high)
        c.unit, c.unit_text, c.unit_lower = _find_unit(text, e, allow_of=True)
        return c
    if g("frac"):
        if g("fhalf"):
            if _HALF_AS_DATE_PART.search(text[max(0, s - 12) : s]):
                return None  # "the first half of 2021", "a year and a half"
            value = 0.5
        else:
            num = g("fnum").lower()
            den_word = g("fden").lower()
            numerator = 1 if num in ("a", "an") else UNITS[num]
            if den_word == "half" and num in ("a", "an") and _AND_BEFORE.search(text[max(0, s - 6) : s]):
                return None  # "a year and a half"
            if not den_word.endswith("s") and den_word != "half" and numerator == 1:
                unit, _, _ = _find_unit(text, e, allow_of=False)
                if unit and den_word in ORDINALS:  # "a third base" is an ordinal
                    v = float(ORDINALS[den_word])
                    c = _Cand(m.start("fden"), e, v, "ord", bound="ordinal", low=v, high=v)
                    c.unit, c.unit_text, c.unit_lower = _find_unit(text, e, allow_of=False)
                    return c
            value = numerator / FRACTION_DENOMINATORS[den_word]
        c = _Cand(s, e, value, "frac")
        c.unit, c.unit_text = "share", g("fden") or g("fhalf")
        return c
    if g("ord"):
        word = g("ord").lower()
        value = ORDINALS.get(word)
        if value is None:
            digits = _LEADING_DIGITS.match(word)
            value = int(digits.group()) if digits else None
        if value is None or not _DETERMINER_BEFORE.search(text[max(0, s - 8) : s]):
            return None
        if _COUNT_AFTER.match(text, e):
            return None  # "the first two rounds" are rounds one and two, not a rank
        unit, unit_text, lower = _find_unit(text, e, allow_of=False)
        if not unit or unit in ("half", "quarter"):
            return None  # no counted noun, or a date part ("the first half of 2021")
        c = _Cand(s, e, float(value), "ord", bound="ordinal", low=float(value), high=float(value))
        c.unit, c.unit_text, c.unit_lower = unit, unit_text, lower
        return c
    # a plain number
    raw = g("num")
    value = parse_number_words(raw)
    if value is None:
        return None
    scale_m = _SCALE_AT_END.search(raw)
    c = _Cand(s, e, value, "num")
    if scale_m:
        word = scale_m.group().lower()
        c.scale = SCALES.get(word) or SCALE_ABBR.get(word, 1)
    c.yearlike = bool(_FOUR_DIGITS.fullmatch(raw)) and 1900 <= value <= 2100
    c.bare_one = raw.lower() == "one"
    if _LABEL_BEFORE.search(text[max(0, s - 12) : s]):
        return None
    acronym_label = bool(_ACRONYM_BEFORE.search(text[max(0, s - 8) : s])) and raw.isdigit()
    c.unit, c.unit_text, c.unit_lower = _find_unit(text, e, allow_of=False)
    if acronym_label and not c.unit:
        return None  # "IE 11", "MQ 9": a name, not a count
    if not c.unit:
        pm = _OF_DETERMINER.match(text[e : e + 20])
        if pm and not c.bare_one:
            c.unit, c.unit_text, c.unit_lower = _find_unit(text, e, allow_of=True)
    return c


# --------------------------------------------------------------------------- assembly


def _apply_hedge(text: str, c: _Cand) -> None:
    if c.kind in ("vague", "ord"):
        return
    hm = _HEDGE.search(text[max(0, c.start - 30) : c.start])
    if hm:
        c.bound = next(k for k, v in hm.groupdict().items() if v)
    elif c.kind in ("num", "money") and _HEDGE_GLUED.match(text, c.end):
        c.bound = "more"
    else:
        after = c.end
        if c.unit_text:  # "2,500 troops or more"
            at = text.find(c.unit_text, c.end, c.end + len(c.unit_text) + 3)
            after = at + len(c.unit_text) if at >= 0 else c.end
        am = _HEDGE_AFTER.match(text, after)
        if am:
            c.bound = next(k for k, v in am.groupdict().items() if v)
    _set_interval(c)


def _pairs(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Join "X to Y", "X–Y", "between X and Y" into ranges or from/to role pairs."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        if (
            b is not None
            and a.kind in ("num", "money", "pct")
            and b.kind in ("num", "money", "pct")
            and not (a.unit and a.unit != b.unit and a.kind != "money" and (b.unit or not a.unit_text))
            and a.end <= b.start
            and not a.yearlike
            and not b.yearlike
        ):
            gap = text[a.end : b.start]
            hedge_start = a.start
            hm = _HEDGE.search(text[max(0, a.start - 30) : a.start])
            if hm:
                hedge_start = a.start - (len(text[max(0, a.start - 30) : a.start]) - hm.start())
            before = text[max(0, hedge_start - 10) : hedge_start]
            joined = _RANGE_GAP.fullmatch(gap) if len(gap) <= 7 else None
            if joined is None and a.unit_text and _FROM_BEFORE.search(before):  # "from 5,200 troops to 3,000"
                rest = gap.lstrip()
                if rest.lower().startswith(a.unit_text.lower()):
                    joined = _UNIT_THEN_TO.fullmatch(rest[len(a.unit_text) :])
            is_and = joined is not None and "and" in gap.lower()
            if joined and (not is_and or _BETWEEN_BEFORE.search(before)):
                _share_scale_and_unit(a, b)
                if not is_and and _FROM_BEFORE.search(before) and _governing_change(text, hedge_start):
                    a.role, b.role = "from", "to"
                    if a.unit and not b.unit:  # "from 5,200 troops to 3,000": the second counts troops too
                        b.unit, b.unit_text, b.inherited = a.unit, "", True
                    if not a.unit and not b.unit:
                        unit = _object_of_change(text, hedge_start)
                        if unit:
                            a.unit = b.unit = unit
                            a.inherited = b.inherited = True
                    out += [a, b]
                    i += 2
                    continue
                lo, hi = min(a.low, b.low), max(a.high, b.high)
                r = _Cand(a.start, b.end, (lo + hi) / 2, b.kind, bound="range", low=lo, high=hi)
                r.unit, r.unit_text, r.unit_lower = b.unit, b.unit_text, b.unit_lower
                out.append(r)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _share_scale_and_unit(a: _Cand, b: _Cand) -> None:
    """ "between 3 and 5 million" -> 3 million; "30-40%" -> 0.3 share; unit flows back."""
    if b.kind == "pct" and a.kind == "num":
        a.value, a.kind = a.value / 100, "pct"
    elif b.scale > 1 and a.scale == 1 and a.kind == "num" and a.value * b.scale <= b.value * 10:
        a.value *= b.scale
    if b.kind == "money" and a.kind == "num":
        a.kind = "money"
    if not a.unit and b.unit:
        a.unit, a.unit_text, a.inherited = b.unit, b.unit_text, True
    _set_interval(a)


def _clause_before(text: str, pos: int) -> str:
    chunk = text[max(0, pos - 90) : pos]
    ends = list(_SENTENCE_END.finditer(chunk))
    return chunk[ends[-1].end() :] if ends else chunk


def _governing_change(text: str, pos: int) -> bool:
    return _CHANGE_VERB.search(_clause_before(text, pos)) is not None


def _object_of_change(text: str, pos: int) -> str:
    clause = _clause_before(text, pos)
    verbs = list(_CHANGE_VERB.finditer(clause))
    if not verbs:
        return ""
    rest = clause[verbs[-1].end() :]
    om = _CHANGE_OBJECT.match(rest)
    if not om or om.group(1).lower() in _STOP:
        return ""
    return normalise_unit(om.group(1))


def _inherit(text: str, cands: list[_Cand]) -> None:
    """Unitless numbers take the unit (and an "approx" hedge) of the previous count
    quantity of the same sentence: "approximately 2,500 troops in Iraq and 900 in Syria"."""
    prev: _Cand | None = None
    for c in cands:
        if c.unit and c.kind in ("num", "vague", "money") and c.unit != "share":
            prev = c
            continue
        if c.unit or c.kind not in ("num", "vague") or prev is None:
            continue
        if c.start - prev.end > 300 or _SENTENCE_END.search(text, prev.end, c.start):
            continue
        c.unit, c.unit_text, c.inherited = prev.unit, "", True
        if c.kind == "num" and c.bound == "exact" and prev.bound == "approx" and not c.role:
            c.bound = "approx"
            _set_interval(c)


def extract_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, sorted by start offset (see module doc for conventions)."""
    if not isinstance(text, str) or not text:
        return []
    cands = _scan(text)
    kept: list[_Cand] = []
    for c in cands:
        if c.kind == "num":
            before = text[max(0, c.start - 12) : c.start]
            if c.yearlike and (
                not c.unit or not c.unit_lower or (_YEAR_PREPOSITION.search(before) and not _HEDGE.search(before))
            ):
                continue  # "in 2014", "2014 was"
            if c.bare_one and (not c.unit or _OF_AFTER.match(text[c.end : c.end + 4])):
                continue  # the pronoun "one", "one of the ..."
        _apply_hedge(text, c)
        kept.append(c)
    kept = _pairs(text, kept)
    _inherit(text, kept)
    nobody = [m.span() for m in _NOBODY.finditer(text)]
    result: list[Quantity] = [
        Quantity(0.0, 0.0, 0.0, "exact", "person", "people", start, end, text[start:end]) for start, end in nobody
    ]
    for c in sorted(kept, key=lambda q: (q.start, q.end)):
        if any(start <= c.start < end for start, end in nobody):
            continue  # the "one" of "no one else" counts no one
        if c.bound == "vague" or c.bound == "range":
            low, high = c.low, c.high
        else:
            low, high = c.low, c.high
        low, high = min(low, c.value), max(high, c.value)
        result.append(
            Quantity(
                value=float(c.value),
                low=float(low),
                high=float(high),
                bound=c.bound,
                unit=c.unit,
                unit_text=c.unit_text,
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                role=c.role,
                inherited_unit=c.inherited,
            )
        )
    return sorted(result, key=lambda q: (q.start, q.end))
