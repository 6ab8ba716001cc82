"""Property-based robustness: file bytes -> decode -> document -> passages whose spans are
exact, and extractors that never crash whatever the text.

Runs a moderate number of examples per property (CI-friendly); ``fuzz/run.py`` runs the same
targets for as long as you like.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.errors import InputError
from factcheck.ingest import decode, heading_title, list_sources, read_document
from factcheck.segment import segment

PROFILE = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

WORDS = st.sampled_from(
    "About 2,500 U.S. troops remain in Iraq Gen. McKenzie said Sept. 27 2024 the mission ends by 2026 "
    "more than 900 $1.2 billion 3.5% a third twenty-one since 2014 last month Wednesday Spain’s “quoted” "
    "— … é 中文 🙂".split()
)
SENTENCE = st.builds(
    lambda ws, end: " ".join(ws) + end, st.lists(WORDS, min_size=1, max_size=14), st.sampled_from([".", "!", "?", ""])
)
LINE = st.one_of(
    SENTENCE,
    st.builds(lambda s: "= " + s + " =", SENTENCE),
    st.builds(lambda s: "## " + s, SENTENCE),
    st.builds(lambda s: "- " + s, SENTENCE),
    st.builds(lambda s: "1. " + s, SENTENCE),
    st.just(""),
    st.just("   "),
    st.text(min_size=0, max_size=40),
)
FRONT = st.one_of(st.just(""), st.just("---\ntitle: A title\npublished: 2024-09\n---\n"))
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])


@st.composite
def source_file(draw: st.DrawFn) -> tuple[bytes, str]:
    lines = draw(st.lists(LINE, max_size=12))
    newline = draw(NEWLINE)
    text = draw(FRONT).replace("\n", newline) + newline.join(lines)
    encoding = draw(ENCODING)
    return text.encode(encoding, errors="surrogatepass"), text


def _write(tmp: Path, name: str, data: bytes) -> Path:
    for old in tmp.iterdir():
        old.unlink()
    (tmp / name).write_bytes(data)
    return tmp


@PROFILE
@given(source=source_file(), suffix=st.sampled_from([".txt", ".md"]))
def test_every_passage_span_is_exactly_its_text(tmp_path: Path, source: tuple[bytes, str], suffix: str) -> None:
    data, original = source
    try:
        (found,) = list_sources(_write(tmp_path, "doc" + suffix, data))
        doc = read_document(found)
    except InputError as exc:  # only text with lone surrogates may be refused
        assert "\n" not in str(exc)
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in original) or "\x00" in original
        return
    assert "\r" not in doc.text
    expected = original.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(" " if (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0 else c for c in expected)
    assert doc.text.lstrip("\ufeff") == expected.lstrip("\ufeff")
    lines = doc.text.split("\n")
    for i, p in enumerate(segment(doc)):
        assert doc.text[p.start : p.end] == p.text
        assert p.ordinal == i and p.start >= doc.body_start and p.text.strip()
        assert lines[p.line - 1][p.column - 1 :].startswith(p.text.split("\n")[0])


@PROFILE
@given(data=st.binary(max_size=400))
def test_decode_refuses_only_with_one_line_input_errors(data: bytes) -> None:
    try:
        text = decode(data, "some/file.txt")
    except InputError as exc:
        assert str(exc).startswith("some/file.txt: ") and "\n" not in str(exc)
        return
    assert "\r" not in text


@PROFILE
@given(data=st.binary(max_size=300).map(lambda b: b"\xef\xbb\xbf" + b))
def test_invalid_utf8_names_the_byte_offset(data: bytes) -> None:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:8192]:
            return
        with pytest.raises(InputError, match=rf"byte {exc.start}\b"):
            decode(data, "f.txt")


@PROFILE
@given(text=st.text(max_size=300) | st.lists(SENTENCE, max_size=6).map(" ".join))
def test_number_and_date_extraction_never_crash(text: str) -> None:
    from factcheck.extract.dates import extract_dates
    from factcheck.extract.numbers import extract_quantities

    for q in extract_quantities(text):
        assert 0 <= q.start <= q.end <= len(text)
    for published in (None, date(2024, 9, 27), date(1, 1, 1), date(9999, 12, 31)):
        for d in extract_dates(text, published=published):
            assert 0 <= d.start <= d.end <= len(text) and d.low <= d.high


@PROFILE
@given(line=st.text(alphabet="=# \tab", max_size=60), run=st.integers(0, 5000))
def test_heading_titles_are_linear(line: str, run: int) -> None:
    title = heading_title("=" * run + line)
    assert title is None or title == title.strip()
