"""BM25 over several stores with the statistics of all of them, exactly as FTS5 scores one store.

FTS5's ``bm25()`` weighs each query phrase by an IDF taken from its own table (rows, rows holding the
phrase, mean row length). Split a corpus into shards and each shard would weigh words by its own
slice, and rank otherwise than one index of the whole corpus. So a sharded search runs in two
steps: every shard reports its counts (``Counts``); their sums give the corpus-wide weights
(``Weights``); every shard then scores its own rows with those weights (``top``) and the best are
merged by score, then row. The arithmetic is FTS5's own (``fts5Bm25Function`` in ``fts5_aux.c``: the
same operations in the same order, in doubles), so one shard scores exactly as ``Store.lexical``
does — a test holds the two equal.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Counts:
    """What one store holds of a query: rows, tokens in all rows, and rows holding each phrase."""

    rows: int
    tokens: int
    hits: tuple[int, ...]

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.rows + other.rows,
            self.tokens + other.tokens,
            tuple(a + b for a, b in zip(self.hits, other.hits, strict=True)),
        )


@dataclass(frozen=True)
class Weights:
    """Corpus-wide BM25 weights of a query's phrases (from the summed ``Counts``)."""

    idf: tuple[float, ...]
    avgdl: float

    @classmethod
    def of(cls, counts: Counts) -> Weights:
        n = counts.rows
        idf = []
        for hits in counts.hits:
            value = math.log((n - hits + 0.5) / (hits + 0.5))
            idf.append(value if value > 0.0 else 1e-6)
        return cls(tuple(idf), float(counts.tokens) / float(n) if n else 1.0)


def _varint(blob: bytes, at: int = 0) -> tuple[int, int]:
    """SQLite's variable-length integer at ``at``: ``(value, next offset)``."""
    value = 0
    for i in range(8):
        byte = blob[at + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    return (value << 8) | blob[at + 8], at + 9


class Lexical:
    """Global-statistics BM25 over the ``lexical`` FTS5 table of one store connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con
        con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.lexical_rows USING fts5vocab(main, lexical, row)")
        con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.lexical_hits USING fts5vocab(main, lexical, instance)")
        self._tokenizer = sqlite3.connect(":memory:")
        self._tokenizer.execute("CREATE VIRTUAL TABLE words USING fts5 (body, tokenize = 'porter unicode61')")
        self._tokenizer.execute("CREATE VIRTUAL TABLE words_vocab USING fts5vocab(words, instance)")
        self._terms: dict[str, str] = {}
        self._totals: tuple[int, int] | None = None

    def close(self) -> None:
        self._tokenizer.close()

    def _term(self, word: str) -> str:
        """The indexed term of a word (the table's own tokenizer: case folding, Porter stemming)."""
        if word not in self._terms:
            con = self._tokenizer
            con.execute("DELETE FROM words")
            con.execute("INSERT INTO words (rowid, body) VALUES (1, ?)", (word,))
            found = [str(t) for (t,) in con.execute("SELECT term FROM words_vocab ORDER BY offset")]
            self._terms[word] = found[0] if len(found) == 1 else ""
        return self._terms[word]

    def totals(self) -> tuple[int, int]:
        """``(rows, tokens)`` as FTS5 keeps them (its averages record)."""
        if self._totals is None:
            found = self._con.execute("SELECT block FROM lexical_data WHERE id = 1").fetchone()
            if found is None or not found[0]:  # an empty table (a shard that got no document)
                self._totals = (0, 0)
            else:
                rows, at = _varint(bytes(found[0]))
                tokens, _ = _varint(bytes(found[0]), at)
                self._totals = (rows, tokens)
        return self._totals

    def counts(self, words: Sequence[str]) -> Counts:
        rows, tokens = self.totals()
        hits = []
        for word in words:
            term = self._term(word)
            found = self._con.execute("SELECT doc FROM temp.lexical_rows WHERE term = ?", (term,)).fetchone()
            hits.append(int(found[0]) if found and term else 0)
        return Counts(rows, tokens, tuple(hits))

    def top(self, words: Sequence[str], weights: Weights, k: int) -> list[tuple[int, float]]:
        """``(row, score)`` of the ``k`` best rows of this store under corpus-wide ``weights``: score
        (higher is better, as ``Store.lexical``), then row."""
        freq: dict[int, list[float]] = {}
        length: dict[int, int] = {}
        for i, word in enumerate(words):
            term = self._term(word)
            if not term:
                continue
            found = self._con.execute(
                "SELECT h.doc, count(*), d.sz FROM temp.lexical_hits h JOIN lexical_docsize d ON d.id = h.doc "
                "WHERE h.term = ? GROUP BY h.doc",
                (term,),
            )
            for row, count, size in found:
                if row not in freq:
                    freq[row] = [0.0] * len(words)
                    length[row] = _varint(bytes(size))[0]
                freq[row][i] += float(count)
        scored = []
        for row, f in freq.items():
            d = float(length[row])
            score = 0.0
            for i, idf in enumerate(weights.idf):
                score += idf * ((f[i] * (K1 + 1.0)) / (f[i] + K1 * (1 - B + B * d / weights.avgdl)))
            scored.append((row, score))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:k]
