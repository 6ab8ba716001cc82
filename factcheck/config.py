"""Configuration for ``factcheck lint``: defaults < config file < command line.

The file is, in order: ``--config FILE``; the file named by ``FACTCHECK_CONFIG``; else the nearest
``.factcheck.toml`` (top-level keys) or ``pyproject.toml`` with a ``[tool.factcheck]`` table, walking
up from the working directory. Paths in a file are relative to that file's folder.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from factcheck.errors import ConfigError
from factcheck.lint import FAIL_ON, RULES, LintConfig

ENV_VAR = "FACTCHECK_CONFIG"
ENV_ORIGIN = f"env {ENV_VAR}"
CLI_ORIGIN = "command line"
DEFAULT_ORIGIN = "default"
FORMATS = ("text", "json", "sarif", "github", "junit", "html")
CONFIG_FILES = (".factcheck.toml", "pyproject.toml")

DEFAULTS: dict[str, Any] = {
    "sources": Path("sources"),
    "index": Path("index"),
    "fail-on": "contradicted",
    "min-confidence": 0.0,
    "include": ("*.md", "*.markdown", "*.txt"),
    "exclude": (),
    "disable": (),
    "format": None,
    "top-k": 8,
    "date-order": "auto",
    "select": (),
    "docs-url": "",  # where docs/rules.md is published (SARIF helpUri); empty: not linked
}

Effective = dict[str, tuple[Any, str]]


# --------------------------------------------------------------------------- validation


def _string(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a non-empty string")
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return str(value)

    return check


def _confidence(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"expected a number from 0 to 1, got {value!r}")
    return float(value)


def _positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a positive integer, got {value!r}")
    return value


def _globs(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
        raise ValueError("expected a list of glob strings")
    return tuple(value)


def _rule_ids(value: object) -> tuple[str, ...]:
    ids = _globs(value)
    unknown = [rule for rule in ids if rule not in RULES]
    if unknown:
        raise ValueError(f"unknown rule id {unknown[0]!r} (known: {', '.join(RULES)})")
    return ids


def _rule_prefixes(value: object) -> tuple[str, ...]:
    """Rule ids or prefixes of them ("FC1": every FC1xx rule), as ruff's ``select``."""
    ids = _globs(value)
    unknown = [p for p in ids if not any(rule.startswith(p) for rule in RULES)]
    if unknown:
        raise ValueError(f"{unknown[0]!r} names no rule (known: {', '.join(RULES)})")
    return ids


VALIDATORS: dict[str, Callable[[object], Any]] = {
    "sources": _string,
    "index": _string,
    "fail-on": _choice(FAIL_ON),
    "min-confidence": _confidence,
    "include": _globs,
    "exclude": _globs,
    "disable": _rule_ids,
    "format": _choice(FORMATS),
    "top-k": _positive_int,
    "date-order": _choice(("auto", "dmy", "mdy")),
    "select": _rule_prefixes,
    "docs-url": _string,
}
PATH_KEYS = ("sources", "index")
GLOB_KEYS = ("include", "exclude")


def _anchor(glob: str, folder: Path) -> str:
    """A glob with a ``/`` inside is relative to the config file's folder (as in ruff and
    .gitignore): it is made absolute. One without (``*.md``, ``archive/``) matches at any depth."""
    if "/" not in glob.rstrip("/") or glob.startswith("/"):
        return glob
    return (folder.resolve() / glob.removeprefix("./")).as_posix()


def validate(key: str, value: object, where: str) -> Any:
    """The checked value of ``key``; ConfigError naming ``where`` and the key otherwise."""
    if key not in VALIDATORS:
        raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(VALIDATORS)})")
    try:
        return VALIDATORS[key](value)
    except ValueError as error:
        raise ConfigError(f"{where}: {key}: {error}") from None


# --------------------------------------------------------------------------- files


def _has_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` configures factcheck. A file that cannot be parsed but mentions
    ``tool.factcheck`` is a ConfigError: ignoring it would silently run with the defaults."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if "tool.factcheck" in text:
            raise ConfigError(f"{pyproject}: invalid TOML: {error}") from None
        return False
    return isinstance(data.get("tool"), dict) and "factcheck" in data["tool"]


def discover(start: Path) -> Path | None:
    """The nearest ``.factcheck.toml`` or ``pyproject.toml`` with ``[tool.factcheck]``, walking up."""
    for folder in (start, *start.parents):
        if (candidate := folder / ".factcheck.toml").is_file():
            return candidate
        if (candidate := folder / "pyproject.toml").is_file() and _has_table(candidate):
            return candidate
    return None


def load_file(path: Path) -> dict[str, Any]:
    """Validated settings of one config file; relative paths resolved against its folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    tool = data.get("tool", {})
    if path.name == "pyproject.toml" or (set(data) == {"tool"} and isinstance(tool, dict) and "factcheck" in tool):
        # pyproject.toml, or pyproject's [tool.factcheck] table pasted into .factcheck.toml as it is
        table = tool.get("factcheck", {}) if isinstance(tool, dict) else {}
        where = f"{path} [tool.factcheck]"
    else:
        table, where = data, str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table of settings")
    settings: dict[str, Any] = {}
    for key, value in table.items():
        checked = validate(key, value, where)
        if key in PATH_KEYS:
            checked = (path.parent / checked).resolve() if not Path(checked).is_absolute() else Path(checked)
        elif key in GLOB_KEYS:
            checked = tuple(_anchor(glob, path.parent) for glob in checked)
        settings[key] = checked
    return settings


def config_source(explicit: Path | None, environ: Mapping[str, str], cwd: Path) -> tuple[Path | None, str]:
    """Which file to read and the origin label its values carry."""
    if explicit is not None:
        return explicit, str(explicit)
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR]), ENV_ORIGIN
    found = discover(cwd)
    return found, str(found) if found else DEFAULT_ORIGIN


# --------------------------------------------------------------------------- merging


def effective_config(
    cli_overrides: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Effective:
    """Every setting with its value and origin: "default", the file path, "env FACTCHECK_CONFIG"
    or "command line". ``cli_overrides`` uses config-file key names; ``None`` values are ignored."""
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    result: Effective = {key: (value, DEFAULT_ORIGIN) for key, value in DEFAULTS.items()}
    path, origin = config_source(config_file, environ, cwd)
    if path is not None:
        for key, value in load_file(path).items():
            result[key] = (value, origin)
    for key, value in (cli_overrides or {}).items():
        if value is None or value == ():
            continue
        checked = validate(key, value, CLI_ORIGIN)
        result[key] = (Path(checked) if key in PATH_KEYS else checked, CLI_ORIGIN)
    return result


def lint_config(
    effective: Effective,
    *,
    all_sentences: bool = False,
    show_supported: bool = False,
    baseline: Path | None = None,
    root: Path | None = None,
) -> LintConfig:
    """The ``LintConfig`` for a run from the effective settings and the run-only flags."""
    value = {key: item[0] for key, item in effective.items()}
    return LintConfig(
        sources=Path(value["sources"]),
        index=Path(value["index"]),
        fail_on=value["fail-on"],
        min_confidence=value["min-confidence"],
        include=tuple(value["include"]),
        exclude=tuple(value["exclude"]),
        disable=frozenset(value["disable"]),
        all_sentences=all_sentences,
        show_supported=show_supported,
        baseline=baseline,
        top_k=value["top-k"],
        root=root,
        select=tuple(value["select"]),
    )


def _toml_value(value: Any) -> str:
    if value is None:
        return '"auto"'
    if isinstance(value, Path):
        return f'"{value.as_posix()}"'
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def render_effective(effective: Effective) -> str:
    """One ``key = value  # origin`` line per setting, in TOML syntax."""
    width = max(len(f"{k} = {_toml_value(v)}") for k, (v, _) in effective.items())
    lines = [f"{f'{key} = {_toml_value(value)}':<{width}}  # {origin}" for key, (value, origin) in effective.items()]
    return "\n".join(lines) + "\n"
