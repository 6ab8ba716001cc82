"""Where factcheck runs: in this process (the default), or on a Ray cluster (``--engine ray``).

Nothing here imports Ray: ``Engine.ray`` only records the choice, and the Ray modules
(``ray_cluster``, ``ray_build``, ``ray_search``) are imported when a build or a search needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factcheck.errors import ConfigError

if TYPE_CHECKING:
    from factcheck.embed import Encoder
    from factcheck.index.build import BuildEngine
    from factcheck.index.snapshot import Serve

ENGINES = ("local", "ray")
RAY_MISSING = "--engine ray needs Ray, which is not installed here: pip install 'factcheck[ray]'"


def require_ray() -> Any:
    """The ``ray`` module, or a one-line ConfigError saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(RAY_MISSING) from exc
    return ray


@dataclass(frozen=True)
class Engine:
    """``local``: everything in this process. ``ray``: builds on Ray Data, shards served by Ray actors,
    on the cluster at ``address`` (None: ``$RAY_ADDRESS``, else a cluster started for this process)."""

    name: str = "local"
    address: str | None = None
    workers: int | None = None  # embedding workers of a Ray build (None: one per CPU of the cluster)

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise ConfigError(f"unknown engine {self.name!r}: use one of {', '.join(ENGINES)}")
        if self.address and self.name != "ray":
            raise ConfigError("--address names a Ray cluster: it needs --engine ray")

    @property
    def is_ray(self) -> bool:
        return self.name == "ray"

    def builder(self, encoder: Encoder | None = None) -> BuildEngine | None:
        """The build engine (None: the local one, which build.py makes itself)."""
        if not self.is_ray:
            return None
        from factcheck.engine.ray_build import RayBuild

        return RayBuild(self.address, encoder=encoder, workers=self.workers)

    def serve(self) -> Serve | None:
        """How an index's shards are served (None: in this process)."""
        if not self.is_ray:
            return None
        from factcheck.engine.ray_search import RayServe

        return RayServe(self.address)


LOCAL = Engine()
