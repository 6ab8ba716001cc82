"""Run a command and report its wall time, its own peak RSS and the peak RSS of its process tree (used by run.py).

    python benchmarks/measure.py RESULT.json COMMAND [ARGS...]

The command is started from this small process, not from the benchmark itself: a child
forked from a process that has torch loaded inherits that process's peak RSS in
``ru_maxrss``, which would inflate every figure. ``rss_mb`` is ``ru_maxrss`` (the largest single
process of the tree); ``tree_mb`` is the largest sum of the resident memory of the command and all
its descendants, sampled every 50 ms from /proc (a child that loads a model while its parent holds
data counts twice there); ``root_mb`` the sampled peak of the command's own process.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def tree_rss_kb(root: int) -> tuple[int, int]:
    """Resident memory (kB) of process ``root`` and all its descendants, and of ``root`` alone, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        parents[pid] = int(fields.get("PPid", "0").strip() or 0)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    wanted, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in wanted:
                wanted.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in wanted), rss.get(root, 0)


def main() -> None:
    result, command = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    tree_peak = root_peak = 0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        tree, own = tree_rss_kb(pid)
        tree_peak, root_peak = max(tree_peak, tree), max(root_peak, own)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    figures = {
        "wall": wall,
        "rss_mb": usage.ru_maxrss / 1024,
        "tree_mb": max(tree_peak, usage.ru_maxrss) / 1024,
        "root_mb": root_peak / 1024,  # the command's own process, sampled
        "code": os.waitstatus_to_exitcode(status),
    }
    with open(result, "w", encoding="utf-8") as handle:
        json.dump(figures, handle)


if __name__ == "__main__":
    main()
