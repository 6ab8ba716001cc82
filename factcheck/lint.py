"""``factcheck lint``: drafts -> check-worthy sentences -> one batch to the judge -> Diagnostics.

The engine is injected: ``judge`` takes the list of claim texts and returns one ``Verdict`` each,
in order. It is called once per run with every check-worthy sentence of every file (duplicates
sent once), and not at all when there is nothing to check.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from factcheck.draft import Draft, DraftSentence, Suppression, read_draft
from factcheck.errors import FactcheckError, InputError
from factcheck.records import VERDICTS, Evidence, Verdict

Judge = Callable[[list[str]], list[Verdict]]
PathArg = Path | str

STDIN = "-"
STDIN_NAME = "<stdin>"
FAIL_ON = ("contradicted", "disputed", "unverified", "never")
SEVERITIES = ("error", "warning", "info")
DOCS_FILE = "docs/rules.md"  # the rules' documentation in the repository (``factcheck rule`` prints it)
DOCS_URL_VAR = "FACTCHECK_DOCS_URL"  # where that file is published (SARIF helpUri), e.g. on your Git host
BASELINE_VERSION = 2  # 2: entry paths are relative to the baseline file's folder (1: to the working directory)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    verdict: str
    severity: str
    short: str
    full: str

    @property
    def help_uri(self) -> str | None:
        """The rule's section of the published rules page; None when no URL is configured."""
        base = docs_url()
        return f"{base}#{self.id.lower()}" if base else None

    def explain(self) -> str:
        """The rule's documentation, as ``factcheck rule`` prints it and docs/rules.md holds it."""
        return f"## {self.id} {self.name}\n\n{self.short} ({self.severity}; verdict {self.verdict}).\n\n{self.full}\n"


def rules_markdown() -> str:
    """docs/rules.md: every rule's documentation (a test keeps the file equal to this)."""
    head = (
        "# factcheck lint rules\n\n"
        "Generated from `factcheck.lint.RULES`; `factcheck rule FC101` prints one rule. Suppress a finding with "
        "`<!-- factcheck: ignore FC101 -->` (before a block, or after a sentence on its line), disable a rule with "
        '`disable = ["FC301"]` or `--ignore FC301`, report only some with `--select FC1`.\n'
    )
    return head + "".join(f'\n<a id="{rule.id.lower()}"></a>\n\n{rule.explain()}' for rule in RULES.values())


def docs_url() -> str | None:
    """Where docs/rules.md is published: ``$FACTCHECK_DOCS_URL`` (or the ``docs-url`` setting)."""
    import os

    return os.environ.get(DOCS_URL_VAR) or None


def _contradicted(rule_id: str, name: str, what: str) -> Rule:
    return Rule(
        rule_id,
        name,
        "contradicted",
        "error",
        f"The draft's {what} is contradicted by the sources",
        f"A source passage states a different {what} than the draft. Check the claim against the "
        "quoted source and correct it, or suppress with <!-- factcheck: ignore " + rule_id + " -->.",
    )


ERROR_RULE = "FC001"
MAX_SENTENCE_CHARS = 2000  # the engine's claim limit (factcheck.api.MAX_CLAIM_CHARS)
# An article is 5-50 kB; judging a 1 MB draft of distinct sentences already takes minutes, so a
# larger file (an export, a book, a mistake) is refused at once, by its size, with FC001.
MAX_DRAFT_BYTES = 1_000_000

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            ERROR_RULE,
            "not-checked",
            "error",
            "error",
            "A draft or sentence could not be checked",
            "The file could not be read (binary, not UTF-8 or UTF-16 text, unreadable) or the sentence is "
            "longer than a claim may be. The rest of the run went on; fix the file or split the sentence. "
            "factcheck exits with status 2 while such an error remains.",
        ),
        Rule(
            "FC000",
            "supported",
            "supported",
            "info",
            "The claim is supported by the sources",
            "At least one source passage supports the claim and none contradicts it.",
        ),
        _contradicted("FC100", "contradicted-other", "statement"),
        _contradicted("FC101", "contradicted-number", "number"),
        _contradicted("FC102", "contradicted-date", "date"),
        _contradicted("FC103", "contradicted-actor", "person or organisation"),
        _contradicted("FC104", "contradicted-place", "place"),
        _contradicted("FC105", "contradicted-polarity", "polarity (did / did not)"),
        _contradicted("FC106", "contradicted-order", "order of events or ranking"),
        Rule(
            "FC107",
            "outdated",
            "contradicted",
            "error",
            "The claim is outdated",
            "A more recent source passage gives a newer value than the draft. Update the claim or "
            "say when it was true.",
        ),
        Rule(
            "FC201",
            "disputed",
            "disputed",
            "warning",
            "The sources disagree about the claim",
            "Some source passages support the claim and others contradict it. Attribute the claim "
            "or resolve the disagreement.",
        ),
        Rule(
            "FC301",
            "unverified",
            "unverified",
            "info",
            "No source supports or contradicts the claim",
            "No passage in the indexed sources speaks to this claim. Add a source or attribute it.",
        ),
    )
}
_CONTRADICTED_BY_ASPECT = {
    "number": "FC101",
    "date": "FC102",
    "actor": "FC103",
    "office": "FC103",
    "place": "FC104",
    "polarity": "FC105",
    "order": "FC106",
    "time": "FC107",
}
_DEFAULT_REASON = {
    "supported": "supported by the sources",
    "contradicted": "contradicted by the sources",
    "disputed": "the sources disagree",
    "unverified": "no source mentions this",
}


@dataclass(frozen=True)
class LintConfig:
    """What to lint and how to report it. Paths are as the user gave them (config: resolved)."""

    sources: Path = Path("sources")
    index: Path = Path("index")
    fail_on: str = "contradicted"
    min_confidence: float = 0.0
    include: tuple[str, ...] = ("*.md", "*.markdown", "*.txt")
    exclude: tuple[str, ...] = ()
    disable: frozenset[str] = frozenset()
    all_sentences: bool = False
    show_supported: bool = False
    baseline: Path | None = None
    top_k: int = 8
    root: Path | None = None  # paths in findings are relative to this (default: cwd)
    select: tuple[str, ...] = ()  # rule ids or prefixes ("FC1") to report; empty: all
    stdin_name: str = "<stdin>"  # the name a draft read from standard input is reported under


@dataclass(frozen=True)
class Diagnostic:
    """One finding (or, with ``--show-supported``, one supported claim) at a span of a draft."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    rule: str
    rule_name: str
    severity: str
    verdict: str
    confidence: float
    message: str
    text: str
    evidence: tuple[Evidence, ...] = ()
    part: int = 0  # a finding about one atomic part of a compound sentence: its number (1-based) …
    parts: int = 0  # … of this many (0: about the whole sentence)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule, self.text)

    @property
    def best_evidence(self) -> Evidence | None:
        return best_evidence(self.evidence, self.verdict)


@dataclass(frozen=True)
class ClaimResult:
    """A judged sentence and what became of it.

    ``status``: reported | supported (not shown) | suppressed | baselined | below-confidence |
    disabled.
    """

    sentence: DraftSentence
    verdict: Verdict
    diagnostic: Diagnostic
    status: str
    parts: tuple[tuple[Diagnostic, str], ...] = ()  # a compound sentence: a finding and status per part

    def findings(self) -> tuple[tuple[Diagnostic, str], ...]:
        """Each finding with its status: one per part of a compound sentence, else the sentence's."""
        return self.parts or ((self.diagnostic, self.status),)


@dataclass(frozen=True)
class LintReport:
    files: tuple[str, ...]
    results: tuple[ClaimResult, ...]
    diagnostics: tuple[Diagnostic, ...]
    unused_suppressions: tuple[Suppression, ...] = ()
    fail_on: str = "contradicted"
    sentences: int = 0  # every sentence read, check-worthy or not
    notices: tuple[str, ...] = ()  # what the user should know but is no finding ("a.md: excluded …")
    errors: tuple[Diagnostic, ...] = ()  # FC001: a draft or sentence that could not be checked
    root: Path | None = None  # finding paths are relative to this (None: the working directory)
    drafts: tuple[Draft, ...] = ()  # the texts read, for reports that show the draft (html)

    def count(self, verdict: str) -> int:
        return sum(1 for r in self.results if r.verdict.verdict == verdict)

    def status_count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failing(self) -> tuple[Diagnostic, ...]:
        levels = failing_verdicts(self.fail_on)
        return tuple(d for d in self.diagnostics if d.verdict in levels)


# --------------------------------------------------------------------------- pure helpers


def tool_version() -> str:
    """The installed factcheck version, for machine-readable reports."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("factcheck")
    except PackageNotFoundError:
        return "0.0.0"


_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
    }
)


def normalise_claim(text: str) -> str:
    """Lowercase, quotes made straight, whitespace collapsed: the key of a claim in a baseline."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return re.sub(r"\s+", " ", text).strip()


def fingerprint(rule: str, text: str) -> str:
    """Stable across runs and edits elsewhere in the file: rule + normalised claim text."""
    return hashlib.sha256(f"{rule}\0{normalise_claim(text)}".encode()).hexdigest()[:32]


def rule_for(verdict: Verdict) -> Rule:
    if verdict.verdict == "contradicted":
        return RULES[_CONTRADICTED_BY_ASPECT.get(verdict.aspect, "FC100")]
    if verdict.verdict == "disputed":
        return RULES["FC201"]
    if verdict.verdict == "unverified":
        return RULES["FC301"]
    return RULES["FC000"]


def rule_selected(rule_id: str, select: Sequence[str]) -> bool:
    """Whether ``rule_id`` is among ``select`` (ids or prefixes, as ruff's ``--select FC1``)."""
    return not select or any(rule_id.startswith(prefix) for prefix in select)


def unknown_rules(ids: Iterable[str]) -> list[str]:
    """The ids (or prefixes) in ``ids`` that name no rule."""
    return [i for i in ids if not any(rule.startswith(i) for rule in RULES)]


def statistics(report: LintReport) -> str:
    """``--statistics``: one line per rule with its count of reported findings, most first."""
    counts = Counter(d.rule for d in report.diagnostics)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = [
        f"{n:>{width}}  {rule}  {RULES[rule].name}"
        for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join([*lines, summary_line(report)]) + "\n"


def failing_verdicts(fail_on: str) -> tuple[str, ...]:
    """The verdicts that fail at ``fail_on``; each level includes the ones before it."""
    if fail_on == "never":
        return ()
    if fail_on not in FAIL_ON:
        raise FactcheckError(f"unknown --fail-on level {fail_on!r} (choose from {', '.join(FAIL_ON)})")
    return FAIL_ON[: FAIL_ON.index(fail_on) + 1]


def exit_code(report: LintReport, fail_on: str | None = None) -> int:
    """2 if a draft or sentence could not be checked (FC001); else 1 if any reported finding is
    at or above ``fail_on`` (default: the report's); else 0."""
    if report.errors:
        return 2
    levels = failing_verdicts(fail_on or report.fail_on)
    return 1 if any(d.verdict in levels for d in report.diagnostics) else 0


def best_evidence(evidence: Sequence[Evidence], verdict: str = "contradicted") -> Evidence | None:
    """The first contradicting passage, else the first supporting one, else the first at all
    (for a supported verdict: supporting first)."""
    order = ("supports", "contradicts") if verdict == "supported" else ("contradicts", "supports")
    for stance in order:
        for item in evidence:
            if item.stance == stance:
                return item
    return evidence[0] if evidence else None


def shorten(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


_QUOTE_MARKS = '“”"'


def quote(text: str, limit: int = 160) -> str:
    """``text`` shortened and in curly quotes, without doubling quotes it already has."""
    inner = shorten(text.strip().strip(_QUOTE_MARKS), limit)
    return f"“{inner}”"


def evidence_label(item: Evidence) -> str:
    """'Reuters, 2024-09-06' — who said it and when, as an editor would cite it."""
    who = item.source.publisher or item.source.title or item.source.id
    when = item.source.published.isoformat() if item.source.published else ""
    return f"{who}, {when}" if when else who


def message_for(verdict: Verdict) -> str:
    """'says 5,200 troops in Iraq; Reuters, 2024-09-06: “The U.S. has about 2,500 troops…”'."""
    reason = verdict.reason.strip() or _DEFAULT_REASON.get(verdict.verdict, verdict.verdict)
    best = best_evidence(verdict.evidence, verdict.verdict)
    cited = any(evidence_label(e) in reason for e in verdict.evidence)
    if best is None or verdict.verdict == "unverified" or cited:
        return reason  # the engine's reason already cites the source; the quote follows below
    return f"{reason}; {evidence_label(best)}: {quote(best.passage.text)}"


def summary_line(report: LintReport) -> str:
    """'12 claims: 9 supported, 2 contradicted, 0 disputed, 1 unverified' (+ what was hidden)."""
    total = len(report.results)
    counts = ", ".join(f"{report.count(v)} {v}" for v in VERDICTS)
    line = f"{total} claim{'' if total == 1 else 's'}: {counts}"
    hidden = [
        (report.status_count(status), label)
        for status, label in (
            ("suppressed", "suppressed"),
            ("baselined", "in baseline"),
            ("below-confidence", "below min-confidence"),
            ("disabled", "disabled"),
        )
    ]
    extra = ", ".join(f"{n} {label}" for n, label in hidden if n)
    line = f"{line} ({extra})" if extra else line
    if report.errors:
        n = len(report.errors)
        line += f"; {n} error{'' if n == 1 else 's'}: not checked ({ERROR_RULE})"
    return line


def diagnostic_for(sentence: DraftSentence, verdict: Verdict) -> Diagnostic:
    rule = rule_for(verdict)
    return Diagnostic(
        path=sentence.path,
        line=sentence.line,
        column=sentence.column,
        end_line=sentence.end_line,
        end_column=sentence.end_column,
        start=sentence.start,
        end=sentence.end,
        rule=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        verdict=verdict.verdict,
        confidence=verdict.confidence,
        message=message_for(verdict),
        text=sentence.text,
        evidence=tuple(verdict.evidence),
    )


# --------------------------------------------------------------------------- baseline

BaselineKey = tuple[str, str, str]


def _draft_location(path: str, root: Path | None) -> str:
    """Where a finding's draft is, independent of the working directory: its resolved path
    (``<stdin>`` stays as it is)."""
    if path == STDIN_NAME:
        return path
    given = Path(path)
    return str((given if given.is_absolute() else (root or Path.cwd()) / given).resolve())


def baseline_key(diagnostic: Diagnostic, root: Path | None = None) -> BaselineKey:
    return (_draft_location(diagnostic.path, root), diagnostic.rule, normalise_claim(diagnostic.text))


def load_baseline(path: Path) -> Counter[BaselineKey]:
    """Entries of a baseline file, counted (the same claim twice needs two entries).

    Entry paths are relative to the baseline file's folder (version 2) or to the working
    directory (version 1), so the file works whatever folder ``lint`` runs from."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        version = data["version"]
        entries = data["entries"]
        if version not in (1, BASELINE_VERSION):
            raise InputError(
                f"{path}: baseline version {version!r} is not supported (this factcheck reads 1 to {BASELINE_VERSION})"
            )
        base = path.parent if version >= 2 else None
        return Counter((_draft_location(str(e["path"]), base), e["rule"], normalise_claim(e["claim"])) for e in entries)
    except FileNotFoundError:
        raise InputError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}: not a factcheck baseline ({type(error).__name__})") from None


def _relative_to(location: str, folder: Path) -> str:
    if location == STDIN_NAME:
        return location
    return Path(os.path.relpath(location, folder.resolve())).as_posix()


def baseline_json(report: LintReport, dest: Path | None = None) -> str:
    """The baseline of ``report``: every current finding, including already baselined ones.

    Paths are written relative to the folder of ``dest`` (the baseline file; default: the
    working directory)."""
    folder = dest.parent if dest is not None else Path.cwd()
    entries = sorted(
        (
            {
                "path": _relative_to(_draft_location(d.path, report.root), folder),
                "rule": d.rule,
                "claim": normalise_claim(d.text),
            }
            for r in report.results
            for d, status in r.findings()
            if status in ("reported", "baselined")
        ),
        key=lambda e: (e["path"], e["rule"], e["claim"]),
    )
    payload = {"version": BASELINE_VERSION, "tool": "factcheck", "entries": entries}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def write_baseline(report: LintReport, path: Path) -> None:
    try:
        path.write_text(baseline_json(report, path), encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write baseline ({error.strerror})") from None


# --------------------------------------------------------------------------- files


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """A gitignore/ruff-style glob as a regex: ``*`` and ``?`` stay inside one folder, ``**/``
    matches zero or more folders (``drafts/**/*.md`` matches ``drafts/a.md``), ``[...]`` a class."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (close := pattern.find("]", i + 2)) > 0:
            body = pattern[i + 1 : close]
            out.append("[" + ("^" + re.escape(body[1:]) if body[0] in "!^" else re.escape(body)) + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _prefixes(relative: str) -> list[str]:
    """``a/b/c.md`` -> ``a``, ``a/b``, ``a/b/c.md``: a pattern matching a folder matches its files."""
    parts = relative.split("/")
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def _matches(file: Path, patterns: Iterable[str], bases: Sequence[Path]) -> bool:
    """Whether ``file`` matches one of ``patterns``. A pattern with a ``/`` inside is anchored:
    absolute (from a config file, made relative to its folder) or relative to one of ``bases``;
    a pattern without one (``*.md``, ``archive/``) matches a file or folder name at any depth
    below the base."""
    resolved = file.resolve()
    relatives = []
    for base in bases:
        try:
            relatives.append(resolved.relative_to(base.resolve()).as_posix())
        except ValueError:
            continue
    for pattern in patterns:
        bare = pattern.rstrip("/")
        if not bare:
            continue
        if "/" in bare:
            if bare.startswith("/"):
                candidates = _prefixes(resolved.as_posix().lstrip("/"))
                bare = bare.lstrip("/")
            else:
                candidates = [prefix for relative in relatives for prefix in _prefixes(relative)]
            if any(_glob(bare).match(c) for c in candidates):
                return True
        else:
            names = {part for relative in relatives for part in relative.split("/")} or {resolved.name}
            if any(_glob(bare).match(name) for name in names):
                return True
    return False


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in posix form when inside it, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


_NEVER_WALKED = frozenset({"node_modules", "venv", "site-packages", "__pycache__", "build", "dist"})


def _walk_skips(config: LintConfig) -> tuple[Path, ...]:
    """Folders a walk never enters: the sources and the index (their .txt files are no drafts)."""
    return tuple(p.resolve() for p in (config.sources, config.index))


def _skipped_in_walk(file: Path, walked: Path, skip: tuple[Path, ...]) -> bool:
    """Hidden folders (.git, .venv, .tox ...), virtual environments and build output below the
    walked one, and the sources and index folders."""
    relative = file.relative_to(walked).parts[:-1]
    if any(part.startswith(".") or part in _NEVER_WALKED for part in relative):
        return True
    resolved = file.resolve()
    return any(resolved.is_relative_to(folder) for folder in skip)


def collect_files(paths: Sequence[PathArg], config: LintConfig, notices: list[str] | None = None) -> list[Path | str]:
    """Files to lint, in a stable order. Directories are walked for ``include`` minus ``exclude``;
    files named explicitly are kept unless excluded (then a notice says so, as pre-commit names
    excluded files too); ``-`` is stdin."""
    root = config.root or Path.cwd()
    found: list[Path | str] = []
    for arg in paths:
        if str(arg) == STDIN:
            found.append(STDIN)
            continue
        path = Path(arg)
        if path.is_dir():
            skip = _walk_skips(config)
            in_dir = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not _skipped_in_walk(p, path, skip)
                and _matches(p, config.include, (path, root))
                and not _matches(p, config.exclude, (path, root))
            )
            if not in_dir:
                raise InputError(f"{path}: no drafts found (looked for {', '.join(config.include)})")
            found.extend(in_dir)
        elif path.exists():
            if not _matches(path, config.exclude, (root,)):
                found.append(path)
            elif notices is not None:
                notices.append(f"{path}: not checked: excluded by the configuration (exclude = {list(config.exclude)})")
        else:
            raise InputError(f"{path}: no such file or directory")
    unique: dict[str, Path | str] = {}
    for item in found:
        unique.setdefault(str(item), item)
    return list(unique.values())


class UnreadableDraft(InputError):
    """A draft that is not text; ``line``/``column`` locate the first bad byte (1-based)."""

    def __init__(self, path: str | Path, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{path}:{line}:{column}: {reason}")
        self.path, self.reason, self.line, self.column = str(path), reason, line, column


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def decode_draft(data: bytes, path: str | Path) -> str:
    """A draft's text: UTF-8 (BOM allowed) or UTF-16 with a BOM, as sources are read; line
    ends are kept (findings point into the file as it is). UnreadableDraft otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableDraft(path, f"invalid UTF-16 at byte {error.start}") from None
    if (nul := data.find(b"\0")) >= 0:
        raise UnreadableDraft(path, "binary file (NUL byte), not a draft", *_position(data, nul))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDraft(path, f"not valid UTF-8 (byte {error.start})", *_position(data, error.start)) from None


def read_text(path: Path) -> str:
    """A draft's text; UnreadableDraft (one line, naming the file and line) when it is no text."""
    try:
        size = path.stat().st_size
        if size > MAX_DRAFT_BYTES:
            raise UnreadableDraft(
                path, f"draft is {size / 1e6:.1f} MB; the limit is {MAX_DRAFT_BYTES / 1e6:.0f} MB (split it)"
            )
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDraft(path, f"cannot read ({error.strerror})") from None
    return decode_draft(data, path)


def error_diagnostic(
    path: str,
    message: str,
    line: int = 1,
    column: int = 1,
    start: int = 0,
    end: int = 0,
    *,
    end_line: int = 0,
    end_column: int = 0,
    text: str = "",
) -> Diagnostic:
    """An FC001 finding: what could not be checked, where."""
    rule = RULES[ERROR_RULE]
    return Diagnostic(
        path=path,
        line=line,
        column=column,
        end_line=end_line or line,
        end_column=end_column or column,
        start=start,
        end=end,
        rule=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        verdict="error",
        confidence=1.0,
        message=message,
        text=text,
    )


def read_drafts(
    paths: Sequence[PathArg],
    config: LintConfig,
    stdin: str | None = None,
    *,
    notices: list[str] | None = None,
    errors: list[Diagnostic] | None = None,
) -> list[Draft]:
    """The drafts at ``paths``. A draft that cannot be read becomes an FC001 finding in
    ``errors`` and the others are read on (without ``errors``: UnreadableDraft is raised)."""
    root = config.root or Path.cwd()
    drafts: list[Draft] = []
    for item in collect_files(paths, config, notices):
        try:
            if item == STDIN:
                text = stdin if stdin is not None else decode_draft(sys.stdin.buffer.read(), config.stdin_name)
                name = config.stdin_name
                drafts.append(read_draft(name, text, markdown=True if name == STDIN_NAME else None))
            else:
                assert isinstance(item, Path)
                drafts.append(read_draft(display_path(item, root), read_text(item)))
        except UnreadableDraft as error:
            if errors is None:
                raise
            where = config.stdin_name if item == STDIN else display_path(Path(item), root)
            errors.append(error_diagnostic(where, error.reason, error.line, error.column))
    return drafts


def oversized(drafts: Sequence[Draft], all_sentences: bool) -> list[Diagnostic]:
    """FC001 findings for sentences longer than a claim may be (they are not sent to the judge)."""
    return [
        error_diagnostic(
            s.path,
            f"sentence is {len(s.text):,} characters long; the limit is {MAX_SENTENCE_CHARS:,}: not checked "
            "(split it, or end its sentences with a full stop)",
            s.line,
            s.column,
            s.start,
            s.end,
            end_line=s.end_line,
            end_column=s.end_column,
            text=shorten(s.text, 80),
        )
        for d in drafts
        for s in d.sentences
        if (all_sentences or s.checkworthy) and len(s.text) > MAX_SENTENCE_CHARS
    ]


# --------------------------------------------------------------------------- the run


PROGRESS_BATCH = 50  # claims per judge call when a progress bar is shown


def judge_all(
    judge: Judge, claims: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> dict[str, Verdict]:
    """One call to ``judge`` with every distinct claim; verdicts by claim text. With
    ``progress`` (a bar on a terminal), calls of PROGRESS_BATCH claims, reported as they end."""
    unique = list(dict.fromkeys(claims))
    if not unique:
        return {}
    if progress is None:
        verdicts = list(judge(unique))
    else:
        verdicts = []
        for at in range(0, len(unique), PROGRESS_BATCH):
            verdicts += judge(unique[at : at + PROGRESS_BATCH])
            progress(min(at + PROGRESS_BATCH, len(unique)), len(unique))
    if len(verdicts) != len(unique):
        raise FactcheckError(f"the engine returned {len(verdicts)} verdicts for {len(unique)} claims")
    return dict(zip(unique, verdicts, strict=True))


def _status(
    diagnostic: Diagnostic,
    config: LintConfig,
    suppressions: Sequence[Suppression],
    used: set[Suppression],
    baseline: Counter[BaselineKey],
) -> str:
    if diagnostic.rule == "FC000":
        return "reported" if config.show_supported else "supported"
    covering = [s for s in suppressions if s.covers(diagnostic.start, diagnostic.rule)]
    if covering:
        used.update(covering)
        return "suppressed"
    if diagnostic.rule in config.disable or not rule_selected(diagnostic.rule, config.select):
        return "disabled"
    if diagnostic.confidence < config.min_confidence:
        return "below-confidence"
    key = baseline_key(diagnostic, config.root)
    if baseline[key] > 0:
        baseline[key] -= 1
        return "baselined"
    return "reported"


def build_report(
    drafts: Sequence[Draft],
    verdicts: Mapping[str, Verdict],
    config: LintConfig,
    baseline: Counter[BaselineKey] | None = None,
    notices: Sequence[str] = (),
    errors: Sequence[Diagnostic] = (),
) -> LintReport:
    """Diagnostics for every judged sentence, with suppressions, disabled rules, min-confidence
    and baseline applied. Pure: no I/O."""
    remaining = Counter(baseline or {})
    notes = [*notices, *(n for d in drafts for n in d.notices), *_unknown_rule_notices(drafts)]
    results: list[ClaimResult] = []
    used: set[Suppression] = set()
    for draft in drafts:
        for sentence in draft.sentences:
            verdict = verdicts.get(sentence.text)
            if verdict is None or not (config.all_sentences or sentence.checkworthy):
                continue
            diagnostic = diagnostic_for(sentence, verdict)
            if verdict.parts:  # a compound sentence: one finding per part, at the part's own span
                from factcheck.lint_parts import part_diagnostics, sentence_status

                found = part_diagnostics(sentence, verdict, draft)
                parts = tuple((d, _status(d, config, draft.suppressions, used, remaining)) for d in found)
                results.append(ClaimResult(sentence, verdict, diagnostic, sentence_status(verdict, parts), parts))
                continue
            status = _status(diagnostic, config, draft.suppressions, used, remaining)
            results.append(ClaimResult(sentence, verdict, diagnostic, status))
    results.sort(key=lambda r: (r.diagnostic.path, r.diagnostic.start))
    unused = tuple(s for d in drafts for s in d.suppressions if s not in used)
    return LintReport(
        files=tuple(d.path for d in drafts),
        results=tuple(results),
        diagnostics=tuple(
            sorted(
                [*errors, *(d for r in results for d, status in r.findings() if status == "reported")],
                key=lambda d: (d.path, d.start),
            )
        ),
        errors=tuple(errors),
        unused_suppressions=unused,
        fail_on=config.fail_on,
        sentences=sum(len(d.sentences) for d in drafts),
        drafts=tuple(drafts),
        notices=tuple(notes + _baseline_notices(baseline, remaining, config)),
        root=config.root,
    )


def _unknown_rule_notices(drafts: Sequence[Draft]) -> list[str]:
    """A suppression comment naming a rule that does not exist suppresses nothing: say so."""
    return [
        f"{s.path}:{s.line}:{s.column}: suppression comment names unknown rule {rule} (known: {', '.join(RULES)})"
        for d in drafts
        for s in d.suppressions
        for rule in s.rules
        if rule not in RULES
    ]


def _baseline_notices(
    baseline: Counter[BaselineKey] | None, remaining: Counter[BaselineKey], config: LintConfig
) -> list[str]:
    """A baseline none of whose entries matched is worth a word: it may have been written for
    other drafts (a silently useless baseline would let every old finding fail CI again)."""
    total = sum((baseline or Counter()).values())
    if not total or sum(remaining.values()) < total:
        return []
    return [
        f"{config.baseline}: none of its {total} baseline entr{'y' if total == 1 else 'ies'} matches a finding "
        "(fixed since, or written for other drafts; --write-baseline refreshes it)"
    ]


def selected_claims(drafts: Sequence[Draft], all_sentences: bool) -> list[str]:
    return [
        s.text
        for d in drafts
        for s in d.sentences
        if (all_sentences or s.checkworthy) and len(s.text) <= MAX_SENTENCE_CHARS
    ]


def lint(
    paths: Sequence[PathArg],
    *,
    judge: Judge,
    config: LintConfig,
    stdin: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LintReport:
    """Lint the drafts at ``paths`` (files, directories, or ``-`` for stdin); ``progress(done,
    total)`` is told of the claims judged (the CLI shows a bar on a terminal)."""
    failing_verdicts(config.fail_on)  # validate before the (slow) judge runs
    notices: list[str] = []
    errors: list[Diagnostic] = []
    drafts = read_drafts(paths, config, stdin, notices=notices, errors=errors)
    errors += oversized(drafts, config.all_sentences)
    baseline = load_baseline(config.baseline) if config.baseline else None
    claims = selected_claims(drafts, config.all_sentences)
    verdicts = judge_all(judge, claims, progress)
    return build_report(drafts, verdicts, config, baseline, notices, errors)


__all__ = [
    "FAIL_ON",
    "RULES",
    "ClaimResult",
    "Diagnostic",
    "Judge",
    "LintConfig",
    "LintReport",
    "Rule",
    "baseline_json",
    "build_report",
    "exit_code",
    "failing_verdicts",
    "fingerprint",
    "lint",
    "load_baseline",
    "message_for",
    "normalise_claim",
    "rule_for",
    "summary_line",
    "write_baseline",
]
