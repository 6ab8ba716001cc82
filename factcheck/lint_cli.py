"""Click commands ``factcheck lint`` and ``factcheck config`` (added to the main group by cli.py).

Thin: settle the configuration, call :func:`factcheck.lint.lint` with a judge, render, write,
exit. Errors are one ``Error: …`` line on stderr with exit code 2; machine output on stdout
never carries them.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from factcheck.config import FORMATS, effective_config, lint_config, render_effective
from factcheck.engine import Engine
from factcheck.engine.cli_options import engine_from, engine_options
from factcheck.errors import ConfigError, FactcheckError, InputError
from factcheck.lint import FAIL_ON, STDIN, Judge, LintConfig, LintReport, collect_files, exit_code, summary_line
from factcheck.lint import lint as run_lint
from factcheck.lint import statistics as lint_statistics
from factcheck.lint import write_baseline as save_baseline
from factcheck.records import Verdict

RENDERERS = {
    "text": "factcheck.report.lint_text",
    "json": "factcheck.report.lint_json",
    "sarif": "factcheck.report.sarif",
    "github": "factcheck.report.github",
    "junit": "factcheck.report.junit",
    "html": "factcheck.report.html",
}


def _default_judge(sources: Path, index: Path, top_k: int = 8, engine: Engine | None = None) -> Judge:
    """The real engine as a judge function; ``factcheck.api`` (and its models) load on first call."""

    def judge(claims: list[str]) -> list[Verdict]:
        from factcheck import api  # lazy: keeps `factcheck lint --help` and clean runs fast

        return list(api.check(claims, sources=sources, index=index, top_k=top_k, engine=engine))

    return judge


def renderer(name: str) -> Callable[[LintReport], str]:
    if name not in RENDERERS:
        raise FactcheckError(f"unknown format {name!r} (choose from {', '.join(RENDERERS)})")
    render: Callable[[LintReport], str] = importlib.import_module(RENDERERS[name]).render
    return render


def choose_format(configured: str | None, environ: dict[str, str] | os._Environ[str]) -> str:
    """The configured format, else ``github`` on GitHub Actions, else ``text``."""
    if configured:
        return configured
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Turn any failure into ``Error: …`` on stderr and exit code 2 — never a traceback."""
    try:
        yield
    except FactcheckError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(error.exit_code)
    except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
        raise
    except Exception as error:  # noqa: BLE001 - the CLI boundary: report, don't trace
        message = str(error).splitlines()[0] if str(error) else ""
        click.echo(f"Error: internal error: {type(error).__name__}: {message}".rstrip(": "), err=True)
        sys.exit(2)


def _write(text: str, output: Path | None, *, colour: bool = False) -> None:
    if output is None:
        click.echo(text, nl=False, color=colour or None)  # click strips ANSI codes unless told
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise FactcheckError(f"{output}: cannot write output ({error.strerror})") from None


def refuse_overwriting_a_draft(
    output: Path | None, paths: tuple[Path, ...], config: LintConfig, write_baseline: Path | None = None
) -> None:
    """``--output`` and ``--write-baseline`` must not name a draft being read, the baseline being
    read, or each other: one file would replace another."""
    written = [(option, path) for option, path in (("--output", output), ("--write-baseline", write_baseline)) if path]
    if not written:
        return
    if output is not None and write_baseline is not None and output.resolve() == write_baseline.resolve():
        raise InputError(f"{output}: --output and --write-baseline name the same file")
    if output is not None and config.baseline is not None and output.resolve() == config.baseline.resolve():
        raise InputError(f"{output}: --output names the --baseline file being read; refusing to overwrite it")
    drafts = {
        Path(item).resolve()
        for item in collect_files([str(p) if str(p) == STDIN else p for p in paths], config)
        if item != STDIN
    }
    for option, path in written:
        if path.resolve() in drafts:
            raise InputError(f"{path}: {option} names a draft being checked; refusing to overwrite it")


def _rule_list(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """``--select FC1,FC201 --select FC3`` -> ("FC1", "FC201", "FC3"); None when not given."""
    items = tuple(v.strip().upper() for value in values for v in value.split(",") if v.strip())
    return items or None


def _with_run_options(config: LintConfig, ignored: tuple[str, ...] | None, stdin_name: str | None) -> LintConfig:
    """``--ignore`` adds to the configured ``disable``; ``--stdin-filename`` names stdin's draft."""
    from dataclasses import replace

    from factcheck.lint import RULES, unknown_rules

    if ignored and (unknown := unknown_rules(ignored)):
        raise ConfigError(f"--ignore: {unknown[0]!r} names no rule (known: {', '.join(RULES)})")
    disable = config.disable | {rule for rule in RULES for prefix in ignored or () if rule.startswith(prefix)}
    return replace(config, disable=frozenset(disable), stdin_name=stdin_name or config.stdin_name)


def _configured_paths(settings: dict[str, Any], config_file: Path | None) -> tuple[Path, ...]:
    """No path given: the folder of the config file, walked for its ``include`` globs."""
    from factcheck.config import DEFAULT_ORIGIN, config_source

    found, _ = config_source(config_file, os.environ, Path.cwd())
    if found is None or settings["include"][1] == DEFAULT_ORIGIN:
        raise ConfigError(
            'give the drafts to check (files, folders or -), or set include = ["drafts/**/*.md"] in '
            "[tool.factcheck] of pyproject.toml or in .factcheck.toml"
        )
    return (found.parent,)


def _first_use_build(config: LintConfig) -> Callable[[int, int], None] | None:
    """On a terminal (not in CI, not --quiet): build a missing index with a progress bar (the
    first use takes 20-35 s), and return a bar for the claims judged; None elsewhere."""
    from factcheck.cli import _interactive, _progress_bar

    if not _interactive():
        return None
    from factcheck.index.snapshot import read_pointer

    if config.sources.is_dir() and not (config.index.exists() and read_pointer(config.index)):
        from factcheck.api import build_index

        build_index(config.sources, config.index, progress=_progress_bar("indexing the sources"))
    return _progress_bar("checking claims")


def _colour_terminal() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _overrides(**values: Any) -> dict[str, Any]:
    return {key.replace("_", "-"): value for key, value in values.items() if value is not None}


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Config file (default: $FACTCHECK_CONFIG, else the nearest .factcheck.toml or pyproject.toml).",
)


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format (default: github when GITHUB_ACTIONS=true, else text).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to FILE instead of stdout.",
)
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), help="Exit 1 on findings at or above this verdict (default: contradicted)."
)
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), help="Drop findings below this confidence.")
@click.option("--all-sentences", is_flag=True, help="Check every sentence, not only check-worthy ones.")
@click.option("--show-supported", is_flag=True, help="Also report supported claims (FC000).")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Ignore findings recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record the current findings as a baseline in FILE.",
)
@config_option
@click.option("--sources", type=click.Path(path_type=Path, file_okay=False), help="Source articles folder.")
@click.option("--index", type=click.Path(path_type=Path, file_okay=False), help="Index folder.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--select", "selected", multiple=True, help="Report only these rules (ids or prefixes: FC1,FC201).")
@click.option("--ignore", "ignored", multiple=True, help="Do not report these rules (ids or prefixes: FC301).")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary line, no warnings.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has instead of the findings.")
@click.option("--color/--no-color", "colour", default=None, help="Colour the text output (default: on a terminal).")
@click.option("--stdin-filename", help="The name to report a draft read from - (stdin) under.")
@engine_options
def lint_command(
    paths: tuple[Path, ...],
    output_format: str | None,
    output: Path | None,
    fail_on: str | None,
    min_confidence: float | None,
    all_sentences: bool,
    show_supported: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    config_file: Path | None,
    sources: Path | None,
    index: Path | None,
    exit_zero: bool,
    selected: tuple[str, ...],
    ignored: tuple[str, ...],
    quiet: bool,
    statistics: bool,
    colour: bool | None,
    stdin_filename: str | None,
    engine: str,
    address: str | None,
) -> None:
    """Check the claims in markdown or text drafts (files, folders, or - for stdin; none: the
    configured ``include``)."""
    with _one_line_errors():
        settings = effective_config(
            _overrides(
                format=output_format,
                fail_on=fail_on,
                min_confidence=min_confidence,
                sources=str(sources) if sources else None,
                index=str(index) if index else None,
                select=_rule_list(selected),
            ),
            config_file=config_file,
        )
        config = lint_config(settings, all_sentences=all_sentences, show_supported=show_supported, baseline=baseline)
        config = _with_run_options(config, _rule_list(ignored), stdin_filename)
        if settings["date-order"][1] != "default":  # how the judge reads 12/09/2021 (extract.dates)
            os.environ["FACTCHECK_DATE_ORDER"] = settings["date-order"][0]
        if settings["docs-url"][0]:  # where docs/rules.md is published (SARIF helpUri)
            os.environ["FACTCHECK_DOCS_URL"] = settings["docs-url"][0]
        fmt = choose_format(settings["format"][0], os.environ)
        if statistics and fmt != "text":
            raise ConfigError(f"--statistics prints text; it cannot be combined with --format {fmt}")
        render = renderer(fmt)
        paths = paths or _configured_paths(settings, config_file)
        refuse_overwriting_a_draft(output, paths, config, write_baseline)
        where = engine_from(engine, address)
        if where.is_ray:
            judge = _default_judge(config.sources, config.index, config.top_k, engine=where)
        else:  # the local engine: the call as it always was (tests stand in for it)
            judge = _default_judge(config.sources, config.index, config.top_k)
        bar = None if quiet else _first_use_build(config)
        report = run_lint([str(p) if str(p) == "-" else p for p in paths], judge=judge, config=config, progress=bar)
        text = lint_statistics(report) if statistics else render(report)
        if fmt == "text" and quiet and not statistics:
            text = text.removesuffix(summary_line(report) + "\n")
        coloured = fmt == "text" and (colour if colour is not None else output is None and _colour_terminal())
        if coloured:
            from factcheck.report.lint_text import colourise

            text = colourise(text)
        _write(text, output, colour=coloured)
        for notice in () if quiet else report.notices:
            click.echo(f"warning: {notice}", err=True)
        for error in report.errors:  # also findings in the report; here for whoever reads the log
            click.echo(f"Error: {error.path}:{error.line}:{error.column}: {error.message}", err=True)
        if write_baseline is not None:
            save_baseline(report, write_baseline)
        code = 2 if report.errors else 0 if exit_zero else exit_code(report, config.fail_on)
    sys.exit(code)


@click.command("config")
@config_option
def config_command(config_file: Path | None) -> None:
    """Print the effective configuration, each value with where it came from."""
    with _one_line_errors():
        click.echo(render_effective(effective_config({}, config_file=config_file)), nl=False)
        click.echo(render_models(), nl=False)


def render_models() -> str:
    """The models the engine uses, as comments after the configuration (each checked as it would be at load)."""
    from dataclasses import asdict

    from factcheck.embed import model_id, resolve_model_path
    from factcheck.judge.combine import Calibration
    from factcheck.judge.confidence import Rescale
    from factcheck.judge.stance_model import MODEL_DIR, verify

    stance = verify()
    scale = Rescale.from_dict(stance.get("confidence"))
    confidence = (
        f"sigmoid({scale.slope:g} * logit(rules' estimate) {'-' if scale.shift < 0 else '+'} {abs(scale.shift):g}), "
        "Platt scaling"
        if scale
        else "the rules' estimate"
    )
    archive, grounded = Calibration.shipped(stance)  # the values in force, defaults included

    def thresholds(cal: Calibration) -> str:  # a probability threshold above 1 can never be reached: off
        return ", ".join(f"{k} {'off' if isinstance(v, float) and v > 1 else v}" for k, v in asdict(cal).items())

    return (
        f"# embedding model: {model_id(resolve_model_path(None))} ({resolve_model_path(None)})\n"
        f"# judge model: {stance.get('name')} sha256 {stance['files'][stance['model']][:16]}, "
        f"verified ({MODEL_DIR / stance['model']})\n"
        f"# judge calibration: {thresholds(archive)}\n"
        f"# judge calibration, grounded checks (--source, claims' sources): {thresholds(grounded)}\n"
        f"# verdict confidence: {confidence}\n"
    )


@click.command("rule")
@click.argument("rule_ids", nargs=-1, metavar="[RULE]...")
def rule_command(rule_ids: tuple[str, ...]) -> None:
    """Print the documentation of lint rules (all when none is named), as docs/rules.md has it."""
    from factcheck.lint import RULES, rules_markdown

    with _one_line_errors():
        if not rule_ids:
            click.echo(rules_markdown(), nl=False)
            return
        for rule_id in rule_ids:
            if rule_id.upper() not in RULES:
                raise ConfigError(f"unknown rule {rule_id!r} (known: {', '.join(RULES)})")
        click.echo("\n".join(RULES[r.upper()].explain() for r in rule_ids), nl=False)


# the names cli.py adds: main.add_command(lint), main.add_command(config), main.add_command(rule)
lint = lint_command
config = config_command
rule = rule_command
