"""The metadata store: documents, passages with spans, and the lexical (FTS5 BM25) index.

One SQLite file per index generation. Passage ``row`` numbers are the row numbers of the
dense vectors, so a FAISS hit maps straight to its passage.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from factcheck.errors import IndexStateError
from factcheck.index.manifest import REPAIR
from factcheck.records import Document, Passage, SourceInfo

STORE_NAME = "store.sqlite"
_SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, path TEXT, title TEXT, publisher TEXT, published TEXT, url TEXT, sha256 TEXT
);
CREATE TABLE passages (
    row INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER, "end" INTEGER, line INTEGER, col INTEGER, heading TEXT, kind TEXT
);
CREATE UNIQUE INDEX passages_doc ON passages (doc_id, ordinal);
CREATE VIRTUAL TABLE lexical USING fts5 (body, tokenize = 'porter unicode61');
CREATE TABLE gazetteer (doc_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (doc_id, name));
CREATE TABLE facts (row INTEGER PRIMARY KEY, version INTEGER NOT NULL, sentence TEXT NOT NULL, window TEXT NOT NULL);
"""
_DIGIT_GROUP = re.compile(r"(?<=\d)[,\u202f\u00a0 ](?=\d{3}\b)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")
_STOP = frozenset(
    "a an the of in on at to for by with and or but is are was were be been has have had it its this that "
    "as from into than then there their they them he she his her we our you your not no".split()
)


def lexical_text(text: str) -> str:
    """Text as the lexical index sees it: digit grouping removed ("2,500" -> "2500")."""
    return _DIGIT_GROUP.sub("", text)


def phrases(text: str) -> list[str]:
    """The content words of ``text``, once each, in order: the phrases of its lexical query."""
    words: list[str] = []
    for word in _WORD.findall(lexical_text(text)):
        w = word.lower().replace("’", "'")
        for part in re.split(r"[.'-]", w):
            if part and part not in _STOP and part not in words:
                words.append(part)
    return words


def fts_query(text: str) -> str:
    """An FTS5 OR-query of the content words of ``text`` (each quoted, so no syntax leaks)."""
    return " OR ".join(f'"{w}"' for w in phrases(text))


class StoreWriter:
    """Writes a new store file document by document (passages, lexical index, gazetteer, facts), so a
    build holds one document at a time, not the corpus. Rows are numbered 0..n-1 in the order added."""

    def __init__(self, path: Path) -> None:
        self._con = sqlite3.connect(path)
        self._con.executescript(_SCHEMA)
        self.rows = 0
        self._pending = 0

    def add(
        self,
        doc: Document,
        passages: Sequence[Passage],
        gazetteer: Iterable[tuple[str, str]],
        facts: Sequence[tuple[str, str]],
        facts_version: int,
    ) -> None:
        """One document with its passages, its gazetteer and one ``(sentence, window)`` facts pair per passage."""
        con, first = self._con, self.rows
        published = doc.published.isoformat() if doc.published else ""
        con.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?)",
            (doc.id, doc.path, doc.title, doc.publisher, published, doc.url, doc.sha256),
        )
        rows = [
            (first + i, p.doc_id, p.ordinal, p.text, p.start, p.end, p.line, p.column, p.heading, p.kind)
            for i, p in enumerate(passages)
        ]
        _insert(con, rows)
        con.executemany("INSERT OR IGNORE INTO gazetteer VALUES (?, ?, ?)", [(doc.id, n, k) for n, k in gazetteer])
        con.executemany(
            "INSERT INTO facts VALUES (?, ?, ?, ?)",
            [(first + i, facts_version, s, w) for i, (s, w) in enumerate(facts)],
        )
        self.rows += len(rows)
        self._pending += len(rows) + 1
        if self._pending >= 5000:  # bounded transactions: memory does not grow with the corpus
            con.commit()
            self._pending = 0

    def close(self) -> int:
        """Commit and close; the number of passages written."""
        self._con.commit()
        self._con.close()
        return self.rows


def _insert(con: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    con.executemany("INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("INSERT INTO lexical (rowid, body) VALUES (?, ?)", [(r[0], lexical_text(str(r[3]))) for r in rows])


def _passage(row: sqlite3.Row | tuple[object, ...]) -> Passage:
    _, doc_id, ordinal, text, start, end, line, col, heading, kind = row
    return Passage(
        str(doc_id), int(ordinal), str(text), int(start), int(end), int(line), int(col), str(heading), str(kind)
    )


class Store:
    """Read access to one store file."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise IndexStateError(f"index store {path} is missing; {REPAIR}")
        try:
            self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self._con.execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.DatabaseError as exc:
            raise IndexStateError(f"index store {path} is corrupt ({exc}); {REPAIR}") from exc
        self.path = path
        self._facts: bool | None = None

    def close(self) -> None:
        self._con.close()

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._con.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise IndexStateError(f"index store {self.path} is corrupt ({exc}); {REPAIR}") from exc

    def count(self) -> int:
        return int(self._query("SELECT count(*) FROM passages")[0][0])  # type: ignore[arg-type]

    def sources(self) -> dict[str, SourceInfo]:
        out = {}
        for sid, path, title, publisher, published, url, _ in self._query("SELECT * FROM documents"):
            pub = date.fromisoformat(str(published)) if published else None
            out[str(sid)] = SourceInfo(str(sid), str(title), str(publisher), pub, str(url), str(path))
        return out

    def passages(self, rows: Sequence[int]) -> dict[int, Passage]:
        out: dict[int, Passage] = {}
        for at in range(0, len(rows), 500):
            chunk = list(rows[at : at + 500])
            marks = ",".join("?" * len(chunk))
            found = self._query(f"SELECT * FROM passages WHERE row IN ({marks})", chunk)
            out.update({int(r[0]): _passage(r) for r in found})  # type: ignore[call-overload]
        return out

    def document_passages(self, doc_id: str) -> list[tuple[int, Passage]]:
        found = self._query("SELECT * FROM passages WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [(int(r[0]), _passage(r)) for r in found]  # type: ignore[arg-type]

    def neighbours(self, doc_id: str, ordinal: int, width: int = 1) -> list[Passage]:
        found = self._query(
            "SELECT * FROM passages WHERE doc_id = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal",
            (doc_id, ordinal - width, ordinal + width),
        )
        return [_passage(r) for r in found]

    def gazetteer(self) -> dict[str, str]:
        """Persons and places seen with a title or place cue anywhere in the corpus."""
        found: dict[str, str] = {}
        for name, kind in self._query("SELECT name, kind FROM gazetteer ORDER BY doc_id, name"):
            found.setdefault(str(name), str(kind))
        return found

    def document_gazetteer(self, doc_id: str) -> list[tuple[str, str]]:
        """The gazetteer entries one document contributed (reused when it is unchanged)."""
        return [
            (str(n), str(k)) for n, k in self._query("SELECT name, kind FROM gazetteer WHERE doc_id = ?", (doc_id,))
        ]

    def neighbour_rows_many(self, keys: Sequence[tuple[str, int, int]]) -> list[list[tuple[int, Passage]]]:
        """``neighbour_rows`` of several ``(doc_id, ordinal, width)`` at once (one call to a remote shard)."""
        return [self.neighbour_rows(d, o, w) for d, o, w in keys]

    def lexical_many(self, texts: Sequence[str], k: int) -> list[list[tuple[int, float]]]:
        return [self.lexical(t, k) for t in texts]

    def neighbour_rows(self, doc_id: str, ordinal: int, width: int = 1) -> list[tuple[int, Passage]]:
        found = self._query(
            "SELECT * FROM passages WHERE doc_id = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal",
            (doc_id, ordinal - width, ordinal + width),
        )
        return [(int(r[0]), _passage(r)) for r in found]  # type: ignore[arg-type]

    def stored_facts(self, rows: Sequence[int], version: int) -> dict[int, tuple[str, str]]:
        """Facts stored at index time for passage ``rows``, of the given codec version (an index from
        before facts were stored answers with none)."""
        rows = [r for r in rows if r >= 0]
        if not rows or not self._has_facts():
            return {}
        out: dict[int, tuple[str, str]] = {}
        for at in range(0, len(rows), 500):
            chunk = rows[at : at + 500]
            marks = ",".join("?" * len(chunk))
            found = self._query(
                f"SELECT row, sentence, window FROM facts WHERE row IN ({marks}) AND version = ?", [*chunk, version]
            )
            out.update({int(r): (str(s), str(w)) for r, s, w in found})  # type: ignore[call-overload]
        return out

    def facts_versions(self) -> set[int]:
        """The codec versions of the stored facts (none for an index from before facts were stored)."""
        if not self._has_facts():
            return set()
        return {int(v) for (v,) in self._query("SELECT DISTINCT version FROM facts")}  # type: ignore[call-overload]

    def document_facts(self, doc_id: str, version: int) -> dict[int, tuple[str, str]]:
        """``ordinal -> (sentence, window)`` facts of one document (reused when it is unchanged)."""
        if not self._has_facts():
            return {}
        found = self._query(
            "SELECT p.ordinal, f.sentence, f.window FROM passages p JOIN facts f ON f.row = p.row "
            "WHERE p.doc_id = ? AND f.version = ?",
            (doc_id, version),
        )
        return {int(o): (str(s), str(w)) for o, s, w in found}  # type: ignore[call-overload]

    def _has_facts(self) -> bool:
        if self._facts is None:
            found = self._query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'facts'")
            self._facts = bool(found)
        return self._facts

    def lexical(self, text: str, k: int) -> list[tuple[int, float]]:
        """BM25 search: ``(row, score)`` best first (score = -bm25, higher is better)."""
        query = fts_query(text)
        if not query:
            return []
        found = self._query(  # ties by row, as a sharded index merges them (bm25.py)
            "SELECT rowid, bm25(lexical) AS s FROM lexical WHERE lexical MATCH ? ORDER BY s, rowid LIMIT ?", (query, k)
        )
        return [(int(r), -float(s)) for r, s in found]  # type: ignore[arg-type]
