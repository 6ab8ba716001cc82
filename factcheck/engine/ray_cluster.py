"""Connect to a Ray cluster once per process, with one-line errors a user can act on."""

from __future__ import annotations

import os
from typing import Any

from factcheck.engine import require_ray
from factcheck.errors import ConfigError

# what Ray workers must see as this process does (how numeric dates are read, an alternative model)
FORWARDED_ENV = ("FACTCHECK_DATE_ORDER", "FACTCHECK_MODEL", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def connect(address: str | None) -> Any:
    """The ``ray`` module, connected to ``address`` (None: ``$RAY_ADDRESS``, else a new local cluster)."""
    ray = require_ray()
    if ray.is_initialized():
        return ray
    env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
    _reachable(address or os.environ.get("RAY_ADDRESS"))
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
            runtime_env={"env_vars": env} if env else None,
        )
    except (ConnectionError, ValueError, RuntimeError, TimeoutError) as exc:
        where = address or os.environ.get("RAY_ADDRESS") or "a new local cluster"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"cannot connect to the Ray cluster at {where}: {first}") from exc
    return ray


def _reachable(address: str | None) -> None:
    """Fail at once, in one line, when nothing listens at ``host:port`` (``ray.init`` would retry for
    minutes); ``auto``, ``local`` and no address are left to Ray."""
    import socket

    if not address or address in ("auto", "local"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"not a Ray cluster address: {address!r} (give HOST:PORT or ray://HOST:PORT)")
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot connect to the Ray cluster at {address}: {reason}") from exc


def cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
