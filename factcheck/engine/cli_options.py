"""The ``--engine`` and ``--address`` options shared by ``index``, ``check``, ``lint`` and ``eval``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from factcheck.engine import ENGINES, Engine

F = TypeVar("F", bound=Callable[..., Any])


def engine_options(f: F) -> F:
    f = click.option(
        "--address",
        metavar="ADDR",
        default=None,
        help="Ray cluster to use with --engine ray (default: $RAY_ADDRESS, else a local cluster for this run).",
    )(f)
    f = click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="local",
        show_default=True,
        help="Run in this process, or on a Ray cluster (pip install 'factcheck[ray]').",
    )(f)
    return f


def engine_from(engine: str, address: str | None) -> Engine:
    return Engine(engine, address)
