"""Run a command and report its wall time and its own peak RSS (used by run.py).

    python benchmarks/measure.py RESULT.json COMMAND [ARGS...]

The command is started from this small process, not from the benchmark itself: a child
forked from a process that has torch loaded inherits that process's peak RSS in
``ru_maxrss``, which would inflate every figure.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    result, command = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(result, "w", encoding="utf-8") as handle:
        json.dump({"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "code": os.waitstatus_to_exitcode(status)}, handle)


if __name__ == "__main__":
    main()
