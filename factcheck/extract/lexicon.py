"""Words: tokens, lemmas, content words, negation and opposite actions. Pure functions.

The action groups below are general English, not tied to any claim: each group holds words
for one direction of an action, and ``OPPOSITES`` pairs the directions that cannot both be
true of the same subject at the same time (leave vs stay, reduce vs increase, ...).
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*")

STOPWORDS = frozenset(
    """a an the of in on at to for by with and or but nor so yet is are was were be been being am has have had
    having do does did it its it's this that these those as from into onto than then there their theirs they them
    he she his her hers him we our ours us you your yours i me my mine who whom whose which what when where why how
    all any both each few more most other some such only own same too very can could will would shall should may
    might must also just about over after before again further once here up down out off under above below between
    through during until while because if s t said says say according also still even now new one ever not no
    never whatever whichever whoever however""".split()
)

# Irregular forms simplemma leaves alone or gets wrong for our purposes.
_IRREGULAR = {
    "left": "leave",
    "leaves": "leave",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "began": "begin",
    "begun": "begin",
    "won": "win",
    "lost": "lose",
    "kept": "keep",
    "sent": "send",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "drew": "draw",
    "drawn": "draw",
    "ran": "run",
    "troops": "troop",
    "forces": "force",
    "talks": "talk",
    "u.s.": "us",
    "u.s": "us",
}


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """Lower-case lemma of one word."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if not w.isalpha():
        return w
    import simplemma

    return str(simplemma.lemmatize(w, lang="en")).lower()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a lemma, so that word families match ("retaliation")."""
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def lemmas(text: str) -> list[str]:
    return [lemma(t) for t in tokens(text)]


def content_lemmas(text: str) -> frozenset[str]:
    """Lemmas of the content words (no stop words, no bare numbers)."""
    return frozenset(w for w in lemmas(text) if w not in STOPWORDS and not w[0].isdigit() and len(w) > 1)


# --- negation ----------------------------------------------------------------------------------

NEGATORS = frozenset({"not", "n't", "never", "no", "none", "nor", "neither", "nobody", "nothing", "cannot"})
DENIALS = frozenset({"deny", "refuse", "reject", "dismiss", "oppose"})
# Determiners that negate a noun and what is said of it ("no agreement has been reached", "nobody was hurt").
NEGATING_DETERMINERS = frozenset({"no", "none", "nobody", "nothing", "neither"})
_NEG_PHRASES = re.compile(
    r"\b(?:no longer|rule[sd]? out|ruling out|not yet|(?:ha[sd]|have|is|are|was|were)\s+yet\s+to"
    r"|vot(?:e|ed|es|ing)\s+against)\b",
    re.I,
)
_NEG_CONTRACTION = re.compile(r"n['’]t\b", re.I)
# "not only X (but also Y)", "not just", "not least" assert X: no negation
_NOT_A_NEGATION = re.compile(r"\bnot\s+(?:only|just|merely|simply|least)\b", re.I)


def negation_count(text: str) -> int:
    """How many negation cues ``text`` has ("not", "never", "n't", "no", "denied", "ruled out")."""
    text = _NOT_A_NEGATION.sub(" ", text)
    count = len(_NEG_PHRASES.findall(text)) + len(_NEG_CONTRACTION.findall(text))
    text = _NEG_PHRASES.sub(" ", text)  # "no longer" is one cue, not two
    for w in lemmas(text):
        if w in NEGATORS or w in DENIALS:
            count += 1
    return count


def is_negated(text: str) -> bool:
    return negation_count(text) % 2 == 1


# A word and the same word with a prefix of opposition ("stability" / "instability", "legal" / "illegal"): the
# least stem length after each prefix, and words that take a prefix without turning into their opposite.
_OPPOSING_PREFIXES = (("non-", 4), ("non", 4), ("un", 4), ("dis", 5), ("in", 5), ("im", 5), ("il", 5), ("ir", 5))
_NOT_OPPOSITES = frozenset(
    "cover close charge count crease stall habit solve sight stead press tribute grace patch course pose port".split()
)


def prefixed_opposite(claim: str, passage: str) -> tuple[str, str] | None:
    """A (claim word, passage word) pair where one is the other with a prefix of opposition ("stability",
    "instability"), and the side with the plain word lacks the prefixed one and the other side the plain one."""
    cw, pw = content_lemmas(claim), content_lemmas(passage)
    for ours, theirs, flipped in ((cw, pw, False), (pw, cw, True)):
        for word in sorted(ours):
            for prefix, least in _OPPOSING_PREFIXES:
                base = word[len(prefix) :]
                if not word.startswith(prefix) or len(base) < least or base in _NOT_OPPOSITES:
                    continue
                if base in theirs and base not in ours and word not in theirs:
                    return (base, word) if flipped else (word, base)
    return None


# "before" and "after" an event: the relation words, the words of the anchor that follows them (to a coordinating
# word or punctuation) and of what the text places there (back to the clause start).
_RELATIVE = re.compile(
    r"\b(?P<rel>before|ahead\s+of|prior\s+to|in\s+the\s+run-up\s+to|after|following|in\s+the\s+wake\s+of)\s+"
    r"(?P<anchor>(?:(?!\b(?:and|but|or|while|then|when)\b)[^,;:.!?()]){2,80})",
    re.I,
)
_AFTER_WORDS = ("after", "following", "in the wake of")
_CLAUSE_START = re.compile(r"[,;:.!?()]")


def relative_anchors(text: str) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    """Each "before X" / "after X" of ``text``: ("before" or "after", the content words of X (at most six), the
    content words of what the clause puts before or after X)."""
    found = []
    for m in _RELATIVE.finditer(text):
        rel = " ".join(m.group("rel").lower().split())
        words = [w for w in lemmas(m.group("anchor")) if w not in STOPWORDS][:6]
        placed = _CLAUSE_START.split(text[: m.start()])[-1]
        if words:
            side = "after" if rel in _AFTER_WORDS else "before"
            found.append((side, frozenset(words), frozenset(w for w in lemmas(placed) if w not in STOPWORDS)))
    return found


def order_flip(claim: str, passage: str) -> tuple[str, str] | None:
    """("after", "before") or the reverse where the claim puts something on one side of an anchor and the passage
    on the other side of an anchor sharing a word with it, and neither also says the other. A passage placing the
    claim's anchor itself ("B before A" for "A after B") says the same."""
    ours, theirs = relative_anchors(claim), relative_anchors(passage)
    for rel, words, _ in ours:
        if any(r != rel and words & w for r, w, _ in ours):
            continue
        other = [w for r, w, placed in theirs if r != rel and words & w and not words & placed]
        if other and not any(r == rel and words & w for r, w, _ in theirs):
            return rel, "before" if rel == "after" else "after"
    return None


# --- opposite actions --------------------------------------------------------------------------

ACTION_GROUPS: dict[str, frozenset[str]] = {
    # Verbs only: nouns such as "drawdown" or "presence" name a topic, they assert nothing.
    "out": frozenset("withdraw leave depart exit vacate evacuate quit abandon expel oust".split()),
    "in": frozenset("stay remain reinforce deploy send station maintain keep arrive enter".split()),
    "down": frozenset("reduce cut decrease shrink lower fall decline drop diminish minimize halve".split()),
    "up": frozenset("increase grow expand raise boost rise add double triple escalate".split()),
    "end": frozenset("end conclude finish terminate cease halt wrap".split()),
    "continue": frozenset("continue extend prolong resume persist".split()),
    "approve": frozenset("approve pass adopt accept endorse ratify".split()),
    "reject": frozenset("reject veto block oppose refuse".split()),
    "support": frozenset("support welcome back praise favour favor endorse".split()),
    "oppose": frozenset("oppose criticize criticise condemn object denounce replace".split()),
    "suspend": frozenset("suspend pause freeze".split()),
    "resume": frozenset("resume restart reopen".split()),
    "win": frozenset("win".split()),
    "lose": frozenset("lose defeat".split()),
    "cancel": frozenset("cancel scrap".split()),  # and "call off"
    "proceed": frozenset("proceed".split()),  # and "go ahead"
    "tighten": frozenset("tighten toughen".split()),
    "ease": frozenset("ease relax loosen".split()),
    "join": frozenset("join".split()),
    "quit": frozenset("quit resign leave exit".split()),
    "hire": frozenset("hire recruit".split()),
    "fire": frozenset("fire sack".split()),  # and "lay off"
    "acquit": frozenset("acquit exonerate".split()),
    "convict": frozenset("convict".split()),
    "impose": frozenset("impose".split()),
    "lift": frozenset("lift".split()),
    "binding": frozenset({"binding", "mandatory", "compulsory"}),
    "nonbinding": frozenset({"non-binding", "nonbinding", "voluntary", "symbolic"}),
    "with": frozenset({"with"}),
    "without": frozenset({"without"}),
}
OPPOSITES: dict[str, str] = {}
for _a, _b in [
    ("out", "in"),
    ("down", "up"),
    ("end", "continue"),
    ("approve", "reject"),
    ("support", "oppose"),
    ("suspend", "resume"),
    ("win", "lose"),
    ("binding", "nonbinding"),
    ("cancel", "proceed"),
    ("tighten", "ease"),
    ("join", "quit"),
    ("hire", "fire"),
    ("acquit", "convict"),
    ("impose", "lift"),
]:
    OPPOSITES[_a] = _b
    OPPOSITES[_b] = _a
_HYPHENATED = re.compile(r"\b(?:non|un)-?binding\b", re.I)
# Verbs with a particle, and the action group they express ("called off": cancel).
PHRASAL_ACTIONS: dict[tuple[str, str], str] = {
    ("pull", "out"): "out",
    ("pull", "back"): "out",
    ("draw", "down"): "out",
    ("give", "up"): "out",
    ("wrap", "up"): "end",
    ("call", "off"): "cancel",
    ("go", "ahead"): "proceed",
    ("lay", "off"): "fire",
}


def actions(text: str) -> frozenset[str]:
    """The action directions ``text`` expresses (keys of ACTION_GROUPS that have an opposite)."""
    found: set[str] = set()
    if _HYPHENATED.search(text):
        found.add("nonbinding")
        text = _HYPHENATED.sub(" ", text)
    words = lemmas(text)
    for i, w in enumerate(words):
        phrasal = PHRASAL_ACTIONS.get((w, words[i + 1] if i + 1 < len(words) else ""))
        if phrasal:
            found.add(phrasal)
        for group, members in ACTION_GROUPS.items():
            if group in OPPOSITES and w in members:
                found.add(group)
    return frozenset(found)


def opposed(claim_actions: frozenset[str], passage_actions: frozenset[str]) -> tuple[str, str] | None:
    """A (claim direction, passage direction) pair in opposition, when the passage never
    expresses the claim's direction itself."""
    for group in sorted(claim_actions):
        other = OPPOSITES.get(group)
        if other and other in passage_actions and group not in passage_actions:
            return group, other
    return None


# --- kinds of person ---------------------------------------------------------------------------

# Occupations and roles that name who did something, each a group of its synonyms: a nurse is not a doctor.
# Soldiers, troops, forces and officials are left out: news uses them for one another.
ROLE_GROUPS: dict[str, frozenset[str]] = {
    "doctor": frozenset("doctor physician surgeon".split()),
    "nurse": frozenset("nurse".split()),
    "paramedic": frozenset("paramedic".split()),
    "firefighter": frozenset("firefighter fireman firemen".split()),
    "police": frozenset("police policeman policemen policewoman policewomen".split()),
    "teacher": frozenset("teacher".split()),
    "student": frozenset("student pupil".split()),
    "journalist": frozenset("journalist reporter".split()),
    "lawyer": frozenset("lawyer attorney".split()),
    "protester": frozenset("protester protestor demonstrator".split()),
    "farmer": frozenset("farmer".split()),
    "pilot": frozenset("pilot".split()),
    "miner": frozenset("miner".split()),
}
_ROLE_OF = {w: group for group, words in ROLE_GROUPS.items() for w in words}


def roles(text: str) -> dict[str, str]:
    """The kinds of person ``text`` names, each group with its first word as written ("nurses")."""
    found: dict[str, str] = {}
    for word in tokens(text):
        group = _ROLE_OF.get(lemma(word)) or _ROLE_OF.get(word.lower())
        if group:
            found.setdefault(group, word)
    return found


_LEADING_SUBORDINATE = re.compile(
    r"^\s*(?:even\s+|only\s+|just\s+)?"
    r"(?:after|before|once|when|whenever|until|since|although|though|while|if|as soon as)\b[^,;]{3,160},\s*",
    re.I,
)


def main_clause(text: str) -> str:
    """``text`` without a leading subordinate clause: what it asserts ("Even after the mission ends, Washington
    will keep troops there" asserts keeping, not ending)."""
    found = _LEADING_SUBORDINATE.match(text)
    return text[found.end() :] if found else text


def action_word(text: str, group: str) -> str:
    """The word of ``text`` that expresses an action group ("withdraw" for "out"), for reasons."""
    if group == "nonbinding":
        found = _HYPHENATED.search(text)
        if found:
            return found.group(0)
    members = ACTION_GROUPS.get(group, frozenset())
    words = tokens(text)
    for i, word in enumerate(words):
        w = lemma(word)
        if w in members:
            return word
        if i + 1 < len(words) and PHRASAL_ACTIONS.get((w, lemma(words[i + 1]))) == group:
            return f"{word} {words[i + 1]}"
    return group


_GROUP_KEY: dict[str, str] = {}
for _group, _members in ACTION_GROUPS.items():
    for _m in _members:
        _GROUP_KEY.setdefault(_m, _group)


def word_key(lemma_: str) -> str:
    """The comparison key of a lemma: its action group ("concluded" -> "end"), else its stem."""
    return _GROUP_KEY.get(lemma_) or stem(lemma_)


_SKIP_AFTER_NEGATOR = frozenset("be have do a an the to any longer yet even ever always really only just".split())


def negated_terms(text: str) -> frozenset[str]:
    """Keys of the words a negation applies to: the first content word after "not"/"never"/"no"
    ("did not retaliate" -> retali), up to four after a denial ("denied the prospect of ...")."""
    words = [w.lower().replace("’", "'") for w in tokens(_NOT_A_NEGATION.sub(" ", text))]
    out: set[str] = set()
    for i, w in enumerate(words):
        lem = lemma(w)
        before = words[i - 1] if i else ""
        if lem in NEGATING_DETERMINERS:
            take = 2  # the noun and its predicate: "no agreement has been reached"
        elif lem in NEGATORS or w.endswith("n't") or lem in ("without",):
            take = 1
        elif w == "yet" and i + 1 < len(words) and words[i + 1] == "to" and lemma(before) in ("have", "be"):
            take = 1  # "has yet to resume"
        elif w == "against" and lemma(before) == "vote":
            take = 2  # "voted against raising fees"
        elif lem in DENIALS or (lem == "rule" and i + 1 < len(words) and words[i + 1] == "out"):
            take = 4
        else:
            continue
        for nxt in words[i + 1 : i + 8]:
            key = lemma(nxt)
            if key in _SKIP_AFTER_NEGATOR or key in ("out", "not", "to", "one") or not key.isalpha():
                continue
            if key in STOPWORDS:
                continue
            out.add(word_key(key))
            take -= 1
            if take == 0:
                break
    return frozenset(out)


# --- tense -------------------------------------------------------------------------------------

_PRESENT_OR_AHEAD = re.compile(
    r"\b(?:today|now|currently|presently|at present|still|remains?|remaining|these days|is|are|has|have"
    r"|will|would|plans?|expects?)\b",
    re.I,
)
_PAST_WORDS = frozenset(
    "was were had did announced said reported stated declared ordered decided led took sent began became brought "
    "fought sought struck gave told made went came left won lost kept held met rose fell grew drew chose spoke "
    "wrote stood knew saw ran thought bought built swept withdrew drove threw flew shot fled paid sold spent found "
    "heard stole broke froze overtook undertook overthrew upheld withheld overcame".split()
)
# After these an "-ed" word is an adjective or a participle ("the planned withdrawal", "were stationed")
_NOT_BEFORE_A_PAST_VERB = frozenset(
    "a an the its their his her our your my this that these those of in on at for with by from to into and or "
    "be been being is are was were has have had not newly recently".split()
)
_WORD_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def told_in_past(text: str) -> bool:
    """Whether ``text`` states something in the simple past with no present or future marker: "true once is
    enough" ("militias attacked the base", "the killing led the U.S. to send troops"), against a state that
    holds now ("2,500 troops remain") or a plan ("will withdraw")."""
    if _PRESENT_OR_AHEAD.search(text):
        return False
    words = _WORD_RUN.findall(text)
    for i, word in enumerate(words):
        lower = word.lower()
        if lower in _PAST_WORDS and word == lower:
            return True
        if (
            word == lower
            and "-" not in word
            and len(word) > 4
            and word.endswith("ed")
            and i > 0
            and words[i - 1].lower() not in _NOT_BEFORE_A_PAST_VERB
        ):
            return True
    return False
