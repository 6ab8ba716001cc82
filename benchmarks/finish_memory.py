"""Peak memory of a streamed build's last phase (FAISS training and adding), measured on an existing build.

    python benchmarks/finish_memory.py INDEX_DIR SOURCES [--docs 2000] [--keep-session] [--chunk N]

A full streamed build of the 50 MB corpus takes over an hour on 2 cores; its memory is flat while it embeds
(the ONNX session, one document) and peaks in the last phase, when FAISS trains on a sample of the vectors and
adds them all. This reproduces the two phases in one process: it analyses and embeds the first ``--docs``
documents of SOURCES as the build does (so the session's memory arena grows as it did), then builds the dense
index from the ``vectors.npy`` of the live generation of INDEX_DIR, as ``PartWriter.finish`` does.
``--keep-session`` and ``--chunk 100000`` reproduce the build before the encoder was released there and blocks
were 25,000 vectors. Prints the resident memory after each phase and the process's peak (VmHWM).
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path


def rss_mb() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("sources", type=Path)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--keep-session", action="store_true")
    parser.add_argument("--chunk", type=int, default=None)
    args = parser.parse_args()

    import factcheck.index.dense as dense
    from factcheck.index.prepare import analyse, embed
    from factcheck.index.snapshot import read_pointer
    from factcheck.ingest import list_sources, read_catalog, read_document
    from factcheck.onnx_encoder import build_encoder

    if args.chunk:
        dense.ADD_CHUNK = args.chunk
    encoder = build_encoder(args.index)
    print(f"encoder loaded: {rss_mb()[0]:.0f} MB", flush=True)
    sources = list_sources(args.sources)[: args.docs]
    catalog = read_catalog(args.sources)
    for source in sources:
        embed(analyse(read_document(source, dict(catalog))), encoder, 0)
    now, peak = rss_mb()
    print(f"after embedding {len(sources)} documents: {now:.0f} MB (peak {peak:.0f} MB)", flush=True)
    if not args.keep_session:
        encoder.release()
    vectors = args.index / read_pointer(args.index) / dense.VECTORS_NAME
    index = dense.build_dense_from_file(vectors)
    now, peak = rss_mb()
    print(f"after FAISS ({index.ntotal:,} vectors, blocks of {dense.ADD_CHUNK:,}): {now:.0f} MB (peak {peak:.0f} MB)")
    print(f"ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
