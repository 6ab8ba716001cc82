"""Synthetic contrastive pairs: one fact changed in a real sentence.

Pure functions over a sentence and a seeded ``random.Random``. Each returns a hypothesis and the label it has
against the unchanged sentence (its premise), or ``None`` when the sentence has nothing of that kind to change.
Used only on text from the training side of ``shared/benchmarks/SPLITS.md`` (never the seed articles).
"""

from __future__ import annotations

import random
import re

ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2

NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w,]*\d)")
YEAR = re.compile(r"\b(1[89]\d\d|20[0-4]\d)\b")
MONTHS = "January February March April May June July August September October November December".split()
MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
SMALL_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()

# Pairs of opposites; either side may be swapped for the other (a general table, not tied to any corpus).
OPPOSITES = [
    ("increased", "decreased"),
    ("rose", "fell"),
    ("raised", "lowered"),
    ("won", "lost"),
    ("joined", "left"),
    ("opened", "closed"),
    ("eased", "tightened"),
    ("praised", "criticised"),
    ("accepted", "rejected"),
    ("approved", "rejected"),
    ("allowed", "banned"),
    ("supported", "opposed"),
    ("began", "ended"),
    ("started", "stopped"),
    ("entered", "exited"),
    ("gained", "lost"),
    ("hired", "fired"),
    ("bought", "sold"),
    ("expanded", "reduced"),
    ("confirmed", "denied"),
    ("arrived", "departed"),
    ("agreed", "refused"),
    ("acquitted", "convicted"),
    ("strengthened", "weakened"),
    ("lifted", "imposed"),
    ("cut", "raised"),
    ("before", "after"),
    ("more", "fewer"),
    ("higher", "lower"),
    ("largest", "smallest"),
    ("first", "last"),
    ("increase", "decrease"),
    ("rise", "fall"),
    ("win", "lose"),
    ("join", "leave"),
    ("open", "close"),
    ("withdraw", "deploy"),
    ("withdrew", "deployed"),
    ("keep", "give up"),
    ("remain", "leave"),
    ("remained", "left"),
    ("success", "failure"),
    ("legal", "illegal"),
    ("male", "female"),
    ("alive", "dead"),
    ("public", "private"),
    ("north", "south"),
    ("east", "west"),
    ("early", "late"),
    ("always", "never"),
]
_OPP = {}
for a, b in OPPOSITES:
    _OPP.setdefault(a, b)
    _OPP.setdefault(b, a)
OPPOSITE_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _OPP), key=len, reverse=True)) + r")\b")

# Words of one kind that exclude each other in a statement of fact.
GROUPS = [
    "American British French German Russian Chinese Japanese Italian Spanish Canadian Australian Indian Iranian "
    "Iraqi Turkish Syrian Israeli Egyptian Mexican Brazilian Dutch Swedish Polish Korean".split(),
    "doctor nurse teacher lawyer soldier officer journalist engineer farmer student pilot judge priest".split(),
    "president governor senator mayor minister ambassador general chairman director secretary".split(),
    "Democratic Republican Labour Conservative Liberal Socialist Green".split(),
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "army navy police militia".split(),
    "city town village county state province country".split(),
    "film novel album song series play".split(),
    "men women children".split(),
    "gold silver bronze".split(),
]
_GROUP_OF = {w: g for g in GROUPS for w in g}
GROUP_WORD = re.compile(r"\b(" + "|".join(sorted(_GROUP_OF, key=len, reverse=True)) + r")\b")

AUX_NEG = re.compile(r"\b(is|are|was|were|has|have|had|will|can|could|would|should|did|does|do)\b(?! not\b| no\b)")
NEGATED = re.compile(r"\b(is|are|was|were|has|have|had|will|can|could|would|should|did|does|do) not\b")
CAPITALISED = re.compile(r"(?<!^)(?<![.!?] )\b([A-Z][a-z]+(?: [A-Z][a-z]+)*)\b")


def _replace(text: str, match: re.Match[str], new: str) -> str:
    return text[: match.start()] + new + text[match.end() :]


def _pick(rng: random.Random, matches: list[re.Match[str]]) -> re.Match[str] | None:
    return rng.choice(matches) if matches else None


def _other_number(value: str, rng: random.Random) -> str:
    plain = value.replace(",", "")
    if "." in plain:
        whole, frac = plain.split(".")
        new = f"{float(plain) * rng.choice([0.5, 0.7, 1.3, 1.6, 2.0]):.{len(frac)}f}"
        return new if new != plain else f"{float(plain) + 1:.{len(frac)}f}"
    number = int(plain)
    choices = [number * 2, number + rng.randint(1, 9), max(number - rng.randint(1, 9), 0), number * 10, number // 2]
    if number >= 100:
        digits = list(plain)
        i, j = rng.sample(range(len(digits)), 2)
        digits[i], digits[j] = digits[j], digits[i]
        choices.append(int("".join(digits)))
    choices = [c for c in choices if c != number and c > 0]
    new = rng.choice(choices) if choices else number + 1
    return f"{new:,}" if "," in value else str(new)


def swap_number(text: str, rng: random.Random) -> tuple[str, int] | None:
    matches = [m for m in NUMBER.finditer(text) if not YEAR.fullmatch(m.group(0))]
    m = _pick(rng, matches)
    return (_replace(text, m, _other_number(m.group(0), rng)), CONTRADICTS) if m else None


def number_as_words(text: str, rng: random.Random) -> tuple[str, int] | None:
    """A small number written as a word: the same fact (entails)."""
    matches = [m for m in NUMBER.finditer(text) if m.group(0).isdigit() and 2 <= int(m.group(0)) <= 12]
    m = _pick(rng, matches)
    return (_replace(text, m, SMALL_WORDS[int(m.group(0))]), ENTAILS) if m else None


def swap_year(text: str, rng: random.Random) -> tuple[str, int] | None:
    m = _pick(rng, list(YEAR.finditer(text)))
    if not m:
        return None
    year = int(m.group(0)) + rng.choice([-5, -3, -2, -1, 1, 2, 3, 4])
    return _replace(text, m, str(year)), CONTRADICTS


def swap_month(text: str, rng: random.Random) -> tuple[str, int] | None:
    m = _pick(rng, list(MONTH.finditer(text)))
    if not m:
        return None
    return _replace(text, m, rng.choice([x for x in MONTHS if x != m.group(0)])), CONTRADICTS


def swap_opposite(text: str, rng: random.Random) -> tuple[str, int] | None:
    m = _pick(rng, list(OPPOSITE_WORD.finditer(text)))
    return (_replace(text, m, _OPP[m.group(0)]), CONTRADICTS) if m else None


def swap_group(text: str, rng: random.Random) -> tuple[str, int] | None:
    m = _pick(rng, list(GROUP_WORD.finditer(text)))
    if not m:
        return None
    word = m.group(0)
    return _replace(text, m, rng.choice([w for w in _GROUP_OF[word] if w != word])), CONTRADICTS


def negate(text: str, rng: random.Random) -> tuple[str, int] | None:
    negated = list(NEGATED.finditer(text))
    if negated and rng.random() < 0.5:
        m = rng.choice(negated)
        return _replace(text, m, m.group(1)), CONTRADICTS
    m = _pick(rng, list(AUX_NEG.finditer(text)))
    if not m:
        return None
    word = rng.choice(["not", "never"]) if m.group(0) in {"has", "have", "had", "was", "were"} else "not"
    return _replace(text, m, f"{m.group(0)} {word}"), CONTRADICTS


def swap_name(text: str, rng: random.Random, names: list[str]) -> tuple[str, int] | None:
    """A name (capitalised words inside the sentence) replaced by a name from another sentence."""
    m = _pick(rng, [m for m in CAPITALISED.finditer(text) if m.group(0) not in _GROUP_OF and m.group(0) not in MONTHS])
    if not m or not names:
        return None
    other = rng.choice(names)
    if other == m.group(0) or other in text:
        return None
    return _replace(text, m, other), CONTRADICTS


def add_detail(text: str, rng: random.Random, other: str) -> tuple[str, int] | None:
    """A clause from another sentence attached: the premise no longer states all of it (neutral)."""
    words = other.rstrip(" .").split()
    if len(words) < 6 or len(text) < 30:
        return None
    start = rng.randint(0, max(len(words) - 6, 0))
    tail = " ".join(words[start : start + rng.randint(4, 8)]).strip(",;:")
    base = text.rstrip(" .")
    joiner = rng.choice([", which also includes ", " and ", ", along with ", ", including ", " after "])
    return f"{base}{joiner}{tail}.", NEUTRAL


def drop_clause(text: str, rng: random.Random) -> tuple[str, int] | None:
    """The sentence shortened at a clause boundary: still stated by the premise (entails)."""
    cuts = [m.start() for m in re.finditer(r", (?:and |but |while |which |who |as |after |when )", text)]
    cuts = [c for c in cuts if c > 25]
    if not cuts:
        return None
    cut = rng.choice(cuts)
    if NEGATED.search(text[cut:]) or " not " in text[cut:]:
        return None
    return text[:cut].rstrip(" ,") + ".", ENTAILS


def names_in(text: str) -> list[str]:
    return [m.group(0) for m in CAPITALISED.finditer(text) if len(m.group(0)) > 3]


EDITS = [swap_number, number_as_words, swap_year, swap_month, swap_opposite, swap_group, negate, drop_clause]
