"""Search a sharded index on Ray: one actor per shard, every call fanned out and gathered whole.

Each actor holds one ``ShardBackend`` (its shard's store, vectors and FAISS index, answering in
corpus-wide rows); ``index.sharded`` merges their answers exactly as one index would. An actor that
dies (its node lost, its process killed) is restarted by Ray, which reopens the shard and runs the
call again (every call is a read, so a retry is safe). When it cannot be brought back, the call
fails with an error naming the shard: a verdict is never computed from the other shards alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factcheck.engine.ray_cluster import connect
from factcheck.errors import FactcheckError, IndexStateError
from factcheck.index.shard import ShardBackend
from factcheck.index.sharded import Call, Layout

RESTARTS = 2  # times Ray restarts a dead shard actor (and retries the call that was running)
ACTOR_CPUS = 0.5
CALL_TIMEOUT_S = 600.0


class RayServe:
    """Opens a sharded index (or a plain one, as one shard) with one Ray actor per shard."""

    def __init__(self, address: str | None = None) -> None:
        self.address = address

    def __call__(self, folders: list[Path], layout: Layout) -> RayPool:
        return RayPool(folders, layout, connect(self.address))


class RayPool:
    def __init__(self, folders: Sequence[Path], layout: Layout, ray: Any) -> None:
        self.ray = ray
        self.names = [f.name for f in folders]
        self.folders = list(folders)
        actor = ray.remote(ShardBackend).options(num_cpus=ACTOR_CPUS, max_restarts=RESTARTS, max_task_retries=RESTARTS)
        self.actors = [actor.remote(str(f.resolve()), layout.offsets(i), f.name) for i, f in enumerate(self.folders)]
        try:
            self.map([(i, "passages_count", ()) for i in range(len(self.actors))])  # every shard opened
        except BaseException:
            self.close()
            raise

    def pids(self) -> list[int]:
        """The process of each shard actor (tests kill one)."""
        return [int(p) for p in self.map([(i, "pid", ()) for i in range(len(self.actors))])]

    def map(self, calls: Sequence[Call]) -> list[Any]:
        """Every call's answer, in order; all calls are sent before the first answer is awaited."""
        ray = self.ray
        refs = [getattr(self.actors[s], method).remote(*args) for s, method, args in calls]
        answers = []
        for (shard, _, _), ref in zip(calls, refs, strict=True):
            try:
                answers.append(ray.get(ref, timeout=CALL_TIMEOUT_S))
            except ray.exceptions.RayTaskError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, FactcheckError):
                    raise cause from None
                raise IndexStateError(self._failed(shard, exc)) from exc
            except ray.exceptions.RayError as exc:  # the actor died for good, the call timed out
                raise IndexStateError(self._failed(shard, exc)) from exc
        return answers

    def _failed(self, shard: int, exc: BaseException) -> str:
        """Which shard failed and why, in one line."""
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"shard {self.folders[shard]} could not answer on Ray ({type(exc).__name__}: {reason[:200]}); "
            "no verdict was computed from the other shards alone"
        )

    def close(self) -> None:
        for actor in getattr(self, "actors", []):
            with contextlib.suppress(Exception):  # an actor already gone
                self.ray.kill(actor)
        self.actors = []
