"""A real local Ray cluster for tests and benchmarks: ``ray start --head`` (and optional worker nodes),
stopped by the process ids it started — never by name, so no other Ray on the machine is touched.

The agents' ports are fixed: given port 0, the raylet waits only a fixed 15 s for each agent to
write its port file, which a loaded machine misses (the raylet then aborts the whole node start;
ray-project/ray#65983). ``RAY_AUTH_MODE=disabled`` keeps a test cluster free of Ray's token set-up.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_S = 600


def _free_ports(n: int) -> list[int]:
    held, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        held.append(s)
        ports.append(s.getsockname()[1])
    for s in held:
        s.close()
    return ports


def _ray_bin() -> str:
    found = Path(sys.executable).with_name("ray")
    return str(found) if found.exists() else (shutil.which("ray") or "ray")


@dataclass
class LocalCluster:
    address: str
    temp_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    def pids(self) -> list[int]:
        """Every process of this cluster: those naming its folder, and their descendants."""
        parents: dict[int, int] = {}
        mine: set[int] = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            pid = int(entry.name)
            parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
            if str(self.temp_dir).encode() in cmdline:
                mine.add(pid)
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in mine and pid not in mine:
                    mine.add(pid)
                    grew = True
        mine.discard(os.getpid())
        return sorted(mine)

    def add_worker(self, num_cpus: int) -> None:
        """Start one more node (``ray start --address``) on this machine."""
        ports = _free_ports(5)
        _run(
            [
                _ray_bin(), "start", f"--address={self.address}", f"--num-cpus={num_cpus}",
                f"--dashboard-agent-listen-port={ports[0]}", f"--dashboard-agent-grpc-port={ports[1]}",
                f"--runtime-env-agent-port={ports[2]}", f"--metrics-export-port={ports[3]}",
                f"--node-manager-port={ports[4]}", "--disable-usage-stats",
            ],
            self.env,
        )  # fmt: skip

    def stop(self) -> None:
        pids = self.pids()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(_alive(p) for p in pids):
                time.sleep(0.2)
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=START_TIMEOUT_S)
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(command[:3])} failed ({done.returncode}): {' | '.join(tail)}")


def start(num_cpus: int = 2, attempts: int = 3) -> LocalCluster:
    """Start a head node with ``num_cpus`` CPUs. ``ray start`` gives a node 30 s to register, which a
    heavily loaded machine can miss: it is tried ``attempts`` times, each in a fresh folder."""
    for attempt in range(attempts):
        try:
            return _start_head(num_cpus)
        except RuntimeError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _start_head(num_cpus: int) -> LocalCluster:
    temp_dir = Path(tempfile.mkdtemp(prefix="fcray", dir="/tmp"))  # short: Ray's socket paths must fit 107 bytes
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
    port, *agents = _free_ports(5)
    cluster = LocalCluster(f"127.0.0.1:{port}", temp_dir, env)
    try:
        _run(
            [
                _ray_bin(), "start", "--head", f"--port={port}", f"--num-cpus={num_cpus}", f"--temp-dir={temp_dir}",
                "--include-dashboard=false", f"--dashboard-agent-listen-port={agents[0]}",
                f"--dashboard-agent-grpc-port={agents[1]}", f"--runtime-env-agent-port={agents[2]}",
                f"--metrics-export-port={agents[3]}", "--disable-usage-stats",
            ],
            env,
        )  # fmt: skip
    except BaseException:
        cluster.stop()
        raise
    os.environ["RAY_AUTH_MODE"] = "disabled"  # this process connects as the cluster expects
    return cluster
