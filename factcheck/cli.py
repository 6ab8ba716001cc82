"""The ``factcheck`` command: parse options, call the library, pick a reporter, set the exit code.

Exit codes: 0 clean, 1 findings (a claim contradicted or disputed), 2 usage, input,
configuration or index errors. Errors are one line on stderr; ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from factcheck.engine.cli_options import engine_from, engine_options
from factcheck.errors import ConfigError, FactcheckError, InputError

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "json")


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class FactcheckGroup(click.Group):
    """Turns every user-caused failure into one line on stderr and exit code 2."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:  # one line, like every other error (no usage banner)
            click.echo(f"Error: {exc.format_message()} (see --help)", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        debug = "--debug" in sys.argv[1:] or bool(os.environ.get("FACTCHECK_DEBUG"))
        try:
            with _warnings_to_stderr():
                return super().invoke(ctx)
        except FactcheckError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except OSError as exc:
            if debug:
                raise
            where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
            click.echo(f"Error:{where} {exc.strerror or exc}", err=True)
            ctx.exit(2)
        except Exception as exc:  # noqa: BLE001 - last resort: never a traceback without --debug
            if debug:
                raise
            click.echo(f"Error: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
            ctx.exit(2)


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    def show(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
        from factcheck.ingest import SourceWarning

        if issubclass(category, SourceWarning):
            click.echo(f"warning: {message}", err=True)

    old = warnings.showwarning
    warnings.showwarning = show  # type: ignore[assignment]
    try:
        yield
    finally:
        warnings.showwarning = old


def corpus_options(f: F) -> F:
    f = click.option(
        "--index",
        "index_dir",
        type=click.Path(path_type=Path),
        default=Path("index"),
        show_default=True,
        help="Folder of the built index.",
    )(f)
    f = click.option(
        "--sources",
        type=click.Path(path_type=Path),
        default=Path("sources"),
        show_default=True,
        help="Folder of source articles (.txt, .md).",
    )(f)
    return f


judge_option = click.option(
    "--judge",
    type=click.Choice(["combined", "rules", "model"]),
    default="combined",
    show_default=True,
    help="Who decides stances: fact rules and stance model together, or one of them alone (for ablations).",
)

split_option = click.option(
    "--split/--no-split",
    default=True,
    show_default=True,
    help="Check a compound sentence part by part (clauses, comparisons, relative clauses, figures, attributions).",
)


def format_option(choices: tuple[str, ...] = FORMATS) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="Output format.",
    )


@click.group(cls=FactcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for bug reports.")
@click.version_option(package_name="factcheck")
def main(debug: bool) -> None:
    """Check claims against your newsroom's source articles, offline.

    \b
    factcheck index                     build or refresh the index of sources/
    factcheck check "CLAIM" ...         verdicts with evidence for claims
    factcheck lint DRAFT.md             check a draft like a linter (CI)
    factcheck eval CLAIMS.jsonl         accuracy on labelled claims
    """


def _progress_bar(label: str) -> Callable[[int, int], None] | None:
    if not _interactive():
        return None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done
        if done >= total:
            state["bar"].__exit__(None, None, None)

    return update


@main.command("index")
@corpus_options
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch instead of refreshing.")
@click.option(
    "--lock-timeout",
    type=float,
    default=-1,
    show_default=True,
    help="Seconds to wait for another build of the same index (-1: wait as long as it takes).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option(
    "--verify", is_flag=True, help="Only check the live index: every file against its checksum (exit 2 if damaged)."
)
@engine_options
@click.option(
    "--shards",
    type=click.IntRange(0, 4096),
    default=None,
    help="Write the index as N shards (0: one plain index; default: as the live index is, 2 for a first Ray build).",
)
def index_cmd(
    sources: Path,
    index_dir: Path,
    rebuild: bool,
    lock_timeout: float,
    quiet: bool,
    verify: bool,
    engine: str,
    address: str | None,
    shards: int | None,
) -> None:
    """Build or refresh the index: only added or changed documents are embedded."""
    from factcheck.api import build_index

    where = engine_from(engine, address)

    if verify:
        from factcheck.embed import Encoder
        from factcheck.index.snapshot import verify_index

        summary = verify_index(index_dir, Encoder().id)  # the id hashes the model's files; nothing is loaded
        if not quiet:
            click.echo(summary)
        return

    def waiting() -> None:
        click.echo(f"waiting for another build of {index_dir} to finish…", err=True)

    report = build_index(
        sources,
        index_dir,
        rebuild=rebuild,
        lock_timeout=lock_timeout,
        progress=_progress_bar("embedding"),
        on_wait=waiting,
        shards=shards,
        engine=where if where.is_ray else None,
    )
    if not quiet:
        click.echo(f"Indexed {sources} into {index_dir}: {report.summary()}")
    for failure in report.failed:  # the other sources were indexed; the run still fails
        click.echo(f"Error: {failure} (skipped; the other sources were indexed)", err=True)
    if report.failed:
        sys.exit(2)


def read_claims(claims: tuple[str, ...]) -> list[str]:
    if not claims:
        raise click.UsageError("give one or more claims, or - to read them from standard input")
    out: list[str] = []
    for claim in claims:
        if claim == "-":
            data = sys.stdin.buffer.read()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(f"standard input is not valid UTF-8 (byte {exc.start})") from exc
            out.extend(line for line in text.splitlines() if line.strip())
        else:
            out.append(claim)
    if not out:
        raise InputError("no claims on standard input")
    return out


@main.command("check")
@click.argument("claims", nargs=-1)
@corpus_options
@format_option(("text", "json", "html"))
@click.option("--top-k", type=click.IntRange(1, 50), default=8, show_default=True, help="Evidence passages per claim.")
@click.option("--no-refresh", is_flag=True, help="Use the index as it is, even if sources changed.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@click.option(
    "--source",
    "only",
    multiple=True,
    metavar="ID",
    help="Check only against this source (repeatable; ids are source file names without extension).",
)
@judge_option
@split_option
@engine_options
def check_cmd(
    claims: tuple[str, ...],
    sources: Path,
    index_dir: Path,
    fmt: str,
    top_k: int,
    no_refresh: bool,
    color: bool | None,
    only: tuple[str, ...],
    judge: str,
    split: bool,
    engine: str,
    address: str | None,
) -> None:
    """Verdicts for CLAIMS (or - for one claim per line on stdin), with evidence.

    Exit status: 0 when no claim is contradicted or disputed, 1 when one is, 2 on errors.
    """
    from factcheck.api import check, clean_claim

    texts = [clean_claim(c) for c in read_claims(claims)]
    verdicts = check(
        texts,
        sources=sources,
        index=index_dir,
        top_k=top_k,
        refresh=not no_refresh,
        only=only,
        judge=judge,
        split=split,
        engine=engine_from(engine, address),
    )
    if fmt == "json":
        from factcheck.report import check_json

        click.echo(check_json.render(verdicts), nl=False)
    elif fmt == "html":
        from factcheck.report import html

        click.echo(html.render_verdicts(verdicts), nl=False)
    else:
        from factcheck.report import check_text

        colour = sys.stdout.isatty() if color is None else color
        click.echo(check_text.render(verdicts, colour=colour), nl=False)
    if any(v.verdict in ("contradicted", "disputed") for v in verdicts):
        sys.exit(1)


@main.command("eval")
@click.argument("claims_file", type=click.Path(path_type=Path))
@corpus_options
@format_option()
@click.option("--show-misses", is_flag=True, help="List the claims judged wrongly.")
@click.option("--baselines", is_flag=True, help="Also score the majority and similarity-only baselines.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N claims.")
@click.option("--top-k", type=click.IntRange(1, 50), default=8, show_default=True)
@judge_option
@split_option
@engine_options
def eval_cmd(
    claims_file: Path,
    sources: Path,
    index_dir: Path,
    fmt: str,
    show_misses: bool,
    baselines: bool,
    limit: int | None,
    top_k: int,
    judge: str,
    split: bool,
    engine: str,
    address: str | None,
) -> None:
    """Accuracy, macro-F1, per-label and per-kind scores and evidence recall on labelled claims."""
    from factcheck.evaluate import evaluate, load_claims
    from factcheck.report import eval_report

    items = load_claims(claims_file)
    if limit:
        items = items[:limit]
    result = evaluate(
        items,
        sources=sources,
        index=index_dir,
        top_k=top_k,
        baselines=baselines,
        judge=judge,
        claims_file=claims_file,
        split=split,
        progress=_progress_bar("checking claims"),
        engine=engine_from(engine, address),
    )
    if fmt == "json":
        click.echo(eval_report.render_json(result, show_misses=show_misses), nl=False)
    else:
        click.echo(eval_report.render_text(result, show_misses=show_misses), nl=False)


def _add_lint_commands() -> None:
    try:
        from factcheck.lint_cli import config, lint, rule
    except ImportError:  # pragma: no cover - lint front end not installed
        return
    main.add_command(lint)
    main.add_command(config)
    main.add_command(rule)


_add_lint_commands()

__all__ = ["main", "ConfigError"]
