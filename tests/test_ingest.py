"""Ingest: listing sources, decoding, front matter, the catalogue and metadata precedence."""

from __future__ import annotations

import hashlib
import warnings
from datetime import date
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.ingest import (
    SourceWarning,
    decode,
    guess_title,
    list_sources,
    parse_date,
    read_catalog,
    read_documents,
    split_front_matter,
)

SOURCES = Path(__file__).resolve().parent.parent / "sources"


def test_real_sources_with_catalog_metadata():
    docs = read_documents(SOURCES)
    assert [d.id for d in docs] == sorted(p.stem for p in SOURCES.glob("*.txt"))
    by_id = {d.id: d for d in docs}
    reuters = by_id["001_a93a268476cc8a53"]
    assert reuters.publisher == "Reuters"
    assert reuters.published == date(2024, 9, 6)
    assert reuters.title.startswith("Exclusive: US-Iraq deal")
    nbc = by_id["003_1cbca1fb672ccb5a"]
    assert (nbc.publisher, nbc.published) == ("NBC News", date(2020, 9, 9))
    for d in docs:
        raw = Path(d.path).read_bytes()
        assert d.sha256 == hashlib.sha256(raw).hexdigest()
        assert d.text == raw.decode("utf-8")
        assert d.body_start == 0


def test_list_sources_recurses_sorts_and_filters(tmp_path):
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("A.", encoding="utf-8")
    (tmp_path / "c.markdown").write_text("C.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("H.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "catalog.toml").write_text("", encoding="utf-8")
    found = list_sources(tmp_path)
    assert [s.id for s in found] == ["a", "b", "c"]
    assert found[0].path == tmp_path / "sub" / "a.md"
    assert found[1].size == 2


def test_list_sources_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        list_sources(tmp_path / "missing")
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"):
        list_sources(file)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.pdf").write_bytes(b"x")
    with pytest.raises(InputError, match="no source documents"):
        list_sources(empty)


def test_two_sources_with_one_id_are_refused(tmp_path):
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "a.md").write_text("B.", encoding="utf-8")
    with pytest.raises(InputError, match="share the id 'a'"):
        list_sources(tmp_path)


def test_decode_utf8_bom_and_newlines():
    assert decode(b"\xef\xbb\xbfhello\r\nworld\rend", "p") == "hello\nworld\nend"
    assert decode("h\u00e9 \u2013 \u201cq\u201d".encode(), "p") == "h\u00e9 \u2013 \u201cq\u201d"


def test_decode_utf16_with_bom():
    assert decode("caf\u00e9\r\nx".encode("utf-16"), "p") == "caf\u00e9\nx"
    assert decode(b"\xfe\xff" + "ok".encode("utf-16-be"), "p") == "ok"


def test_decode_errors_name_the_file_and_byte():
    with pytest.raises(InputError, match=r"bad\.txt: not valid UTF-8 \(byte 3"):
        decode(b"caf\xe9 au lait", "bad.txt")
    with pytest.raises(InputError, match="binary"):
        decode(b"ab\x00cd", "bin.txt")
    with pytest.raises(InputError, match="invalid UTF-16"):
        decode(b"\xff\xfe\x00\xd8", "u16.txt")


def test_front_matter():
    text = '---\ntitle: "Deal: agreed"\npublished: 2024-09\n# comment: no\n  indented: no\n---\nBody.'
    meta, start = split_front_matter(text)
    assert meta == {"title": "Deal: agreed", "published": "2024-09"}
    assert text[start:] == "Body."
    assert split_front_matter("No front matter\n---\nx: y\n---\n") == ({}, 0)


def test_guess_title():
    assert guess_title("\n\n= Withdrawal =\ntext", "fb") == "Withdrawal"
    assert guess_title("## Markdown title\n", "fb") == "Markdown title"
    assert guess_title("Plain first line\n= Later =", "fb") == "fb"
    assert guess_title("", "fb") == "fb"


def test_guess_title_strips_closing_hashes_like_segment_does():
    assert guess_title("## Markdown title ##\n", "fb") == "Markdown title"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024", date(2024, 1, 1)), ("2024-09", date(2024, 9, 1)), ("2024-09-06", date(2024, 9, 6)), ("", None)],
)
def test_parse_date(value, expected):
    assert parse_date(value, "w") == expected


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "Sept 2024", "06/09/2024"])
def test_parse_date_rejects(value):
    with pytest.raises(InputError, match="is not YYYY-MM-DD"):
        parse_date(value, "where")


def test_metadata_precedence_front_matter_then_catalog_then_text(tmp_path):
    (tmp_path / "catalog.toml").write_text(
        '["a"]\ntitle = "Catalog A"\npublisher = "Cat Pub"\npublished = "2020-01-02"\n'
        '["b"]\ntitle = "Catalog B"\npublished = 2021-05-06\n',
        encoding="utf-8",
    )
    (tmp_path / "a.md").write_text("---\ntitle: Front A\npublished: 2024-09-06\n---\n# Heading A\nBody A.\n",
                                   encoding="utf-8")
    (tmp_path / "b.txt").write_text("= Heading B =\nBody B.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("= Heading C =\nBody C.\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Body D only.\n", encoding="utf-8")
    docs = {d.id: d for d in read_documents(tmp_path)}
    a = docs["a"]
    assert (a.title, a.publisher, a.published) == ("Front A", "Cat Pub", date(2024, 9, 6))
    assert a.text[a.body_start :] == "# Heading A\nBody A.\n"
    assert (docs["b"].title, docs["b"].published) == ("Catalog B", date(2021, 5, 6))  # TOML date value
    assert (docs["c"].title, docs["c"].published) == ("Heading C", None)
    assert docs["d"].title == "d"


def test_catalog_errors(tmp_path):
    (tmp_path / "catalog.toml").write_text("[a\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid TOML"):
        read_catalog(tmp_path)
    (tmp_path / "catalog.toml").write_text('a = "not a table"\n', encoding="utf-8")
    with pytest.raises(InputError, match="must be a table"):
        read_catalog(tmp_path)
    (tmp_path / "catalog.toml").unlink()
    assert read_catalog(tmp_path) == {}


def test_bad_published_date_in_front_matter_names_the_file(tmp_path):
    (tmp_path / "x.md").write_text("---\npublished: yesterday\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.md: published date 'yesterday'"):
        read_documents(tmp_path)


def test_non_utf8_source_is_an_input_error(tmp_path):
    (tmp_path / "good.txt").write_text("Fine.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 au lait")
    with pytest.raises(InputError, match=r"bad\.txt: not valid UTF-8"):
        read_documents(tmp_path)


def test_empty_and_duplicate_sources_are_skipped_with_warnings(tmp_path):
    (tmp_path / "a.txt").write_text("Same text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same text.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "d.md").write_text("---\ntitle: only meta\n---\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = read_documents(tmp_path)
    assert [d.id for d in docs] == ["a"]
    messages = [str(w.message) for w in caught if issubclass(w.category, SourceWarning)]
    assert any("b.txt" in m and "same content as source 'a'" in m for m in messages)
    assert sum("empty source" in m for m in messages) == 2
