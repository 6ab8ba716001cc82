"""Write one index part — a whole index generation, or one shard of a sharded one — document by document.

Passages, facts and gazetteer go to the store as each document arrives; vectors are appended to
``vectors.npy`` (its header rewritten with the final shape at the end); the FAISS index is built
from that file in blocks. Peak memory is one document (or one batch of them) plus the FAISS index,
never the corpus.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.index.dense import DENSE_NAME, VECTORS_NAME, build_dense_from_file, choose_kind, save_dense
from factcheck.index.store import STORE_NAME, StoreWriter

if TYPE_CHECKING:
    from factcheck.index.prepare import Prepared

PART_FILES = [STORE_NAME, VECTORS_NAME, DENSE_NAME]
_HEADER = 128  # bytes kept for the .npy header: room for any 2-d float32 shape


def _npy_header(rows: int, dimension: int) -> bytes:
    """A version 1.0 ``.npy`` header of exactly ``_HEADER`` bytes for a rows x dimension float32 matrix."""
    text = f"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {dimension}), }}"
    body = text.ljust(_HEADER - 10 - 1) + "\n"
    header = b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body.encode("latin1")
    assert len(header) == _HEADER
    return header


@dataclass(frozen=True)
class PartSummary:
    passages: int
    dimension: int
    dense_kind: str
    per_doc: dict[str, int]
    encoded: int


class PartWriter:
    """Streams prepared documents into ``folder`` (which must exist): call ``add`` in order, then ``finish``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = StoreWriter(folder / STORE_NAME)
        self._vectors = (folder / VECTORS_NAME).open("wb")
        self._vectors.write(b"\0" * _HEADER)
        self.dimension = 0
        self.per_doc: dict[str, int] = {}
        self.encoded = 0

    def add(self, prepared: Prepared) -> None:
        import numpy as np

        a = prepared.analysed
        vectors = np.ascontiguousarray(prepared.vectors, dtype="<f4")
        if len(a.passages):
            if self.dimension and vectors.shape[1] != self.dimension:
                raise ValueError(f"document {a.doc.id}: vectors of dimension {vectors.shape[1]}, not {self.dimension}")
            self.dimension = int(vectors.shape[1])
        if len(vectors) != len(a.passages):
            raise ValueError(f"document {a.doc.id}: {len(vectors)} vectors for {len(a.passages)} passages")
        self.store.add(a.doc, a.passages, a.gazetteer, a.facts, a.facts_key)
        self._vectors.write(vectors.tobytes())
        self.per_doc[a.doc.id] = len(a.passages)
        self.encoded += prepared.encoded

    def finish(self, dimension_if_empty: int) -> PartSummary:
        """Close the store, finalise ``vectors.npy``, build and save the dense index, fsync every file."""
        n = self.store.close()
        dimension = self.dimension or dimension_if_empty
        self._vectors.seek(0)
        self._vectors.write(_npy_header(n, dimension))
        self._vectors.close()
        kind = choose_kind(n)
        save_dense(build_dense_from_file(self.folder / VECTORS_NAME, kind), self.folder / DENSE_NAME)
        for name in PART_FILES:
            with (self.folder / name).open("rb+") as handle:
                os.fsync(handle.fileno())
        return PartSummary(n, dimension, kind, dict(self.per_doc), self.encoded)

    def abort(self) -> None:
        """Release the files after a failure (the caller removes the folder)."""
        import contextlib

        with contextlib.suppress(Exception):
            self.store.close()
        self._vectors.close()
