"""One search process of the scale benchmark (run by run.py, prints JSON).

    python benchmarks/search_worker.py INDEX_FOLDER MODEL.onnx CLAIMS.json HELDOUT.npy

Loads the dense index as factcheck does (``load_dense``), then times, per claim, ONNX encoding
+ search of the 10 nearest; reports p50/p95, the rows found (for recall), the process's peak
RSS and how much the index added to it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    """VmHWM: this process image's peak RSS (ru_maxrss would include the forking parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    folder, onnx_file, claims_file, heldout_file = (Path(a) for a in sys.argv[1:5])
    from factcheck.index.dense import DENSE_NAME, load_dense, search
    from factcheck.onnx_encoder import OnnxEncoder

    claims = json.loads(claims_file.read_text(encoding="utf-8"))
    encoder = OnnxEncoder(onnx_file)
    encoder.encode(["warm up"])
    before = rss_mb()
    index = load_dense(folder / DENSE_NAME)
    search(index, encoder.encode([claims[0]]), 10)  # first touch
    times, rows = [], []
    for claim in claims:
        start = time.perf_counter()
        _, found = search(index, encoder.encode([claim]), 10)
        times.append(time.perf_counter() - start)
        rows.append([int(r) for r in found[0]])
    heldout = np.load(heldout_file)
    heldout_rows = [[int(r) for r in search(index, q[None, :], 10)[1][0]] for q in heldout]
    after = rss_mb()
    print(json.dumps({
        "p50_ms": float(np.percentile(times, 50) * 1000),
        "p95_ms": float(np.percentile(times, 95) * 1000),
        "rows": rows,
        "heldout_rows": heldout_rows,
        "rss_mb": peak_rss_mb(),
        "index_rss_mb": after - before,
    }))


if __name__ == "__main__":
    main()
