"""Regression tests: drafts and figures are read as an editor means them (issue 10, items 6-8).

No claim is dropped without a notice naming its line (deep nesting, unclosed comments,
tables); footnote marks and bare URLs are not prose; a fact-free heading is no claim; "2.5k"
is 2,500 and ``12/09/2021`` is a day, read day- or month-first as configured.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from factcheck.draft import read_draft
from factcheck.extract.dates import extract_dates
from factcheck.extract.numbers import extract_quantities

# ----------------------------------------------------------------------------- 6. nothing dropped silently


def test_list_nested_ten_levels_is_read() -> None:
    text = "".join("  " * i + f"- level {i} has {i + 1},200 troops in Iraq.\n" for i in range(12))
    draft = read_draft("a.md", text)
    assert [s.line for s in draft.sentences] == list(range(1, 13))
    assert draft.notices == ()


def test_blockquotes_nested_twenty_levels_are_read() -> None:
    text = "".join(">" * i + f" quote {i} says {i},200 troops.\n\n" for i in range(1, 23))
    draft = read_draft("a.md", text)
    assert len(draft.sentences) == 22 and draft.notices == ()


def test_nesting_beyond_the_parser_limit_is_a_notice_with_the_line() -> None:
    text = "".join("  " * i + f"- level {i} has 5 troops.\n" for i in range(60))
    draft = read_draft("deep.md", text)
    assert len(draft.sentences) < 60
    first_missing = len(draft.sentences) + 1
    assert draft.notices == (
        f"deep.md:{first_missing}:1: {60 - len(draft.sentences)} lines not checked: lists or block quotes "
        "nested too deeply to be read",
    )


def test_unclosed_html_comment_is_a_notice_with_the_line() -> None:
    text = "Intro has 5 troops.\n\n<!-- a note never closed\n\nThe U.S. has 5,200 troops in Iraq.\n"
    draft = read_draft("a.md", text)
    assert [s.text for s in draft.sentences] == ["Intro has 5 troops."]
    assert draft.notices == (
        "a.md:3:1: HTML comment never closed: the rest of the file (2 lines) is not checked (add -->)",
    )


def test_notices_reach_the_lint_report(tmp_path: Path) -> None:
    from test_lint import FakeJudge

    from factcheck.lint import LintConfig, lint

    draft = tmp_path / "a.md"
    draft.write_text("Intro has 5 troops.\n\n<!-- never closed\n\nThe U.S. has 5,200 troops.\n", encoding="utf-8")
    report = lint([draft], judge=FakeJudge(), config=LintConfig(root=tmp_path))
    assert report.notices == (
        "a.md:3:1: HTML comment never closed: the rest of the file (2 lines) is not checked (add -->)",
    )


# ----------------------------------------------------------------------------- 7. markdown read as meant


def test_table_is_skipped_with_one_notice_not_checked_cell_by_cell() -> None:
    text = "Intro 5 troops.\n\n| year | troops |\n|---|---|\n| 2020 | 5,200 |\n| 2021 | 2,500 |\n\nAfter 6 troops.\n"
    draft = read_draft("a.md", text)
    assert [s.text for s in draft.sentences] == ["Intro 5 troops.", "After 6 troops."]
    assert draft.notices == (
        "a.md:3:1: table not checked (2 rows): a row is no sentence; state the figures you want checked in prose",
    )


def test_footnote_reference_does_not_glue_sentences_nor_become_a_figure() -> None:
    text = "The mission ends in 2030.[^1] The U.S. has 2,500 troops in Iraq.[^note]\n\n[^1]: Reuters, 2024.\n"
    draft = read_draft("a.md", text)
    assert [s.text for s in draft.sentences] == [
        "The mission ends in 2030.",
        "The U.S. has 2,500 troops in Iraq.",
        "Reuters, 2024.",
    ]
    for s in draft.sentences:  # spans still point at the sentence in the file
        assert text[s.start : s.end] == s.text


def test_bare_urls_are_not_claim_text() -> None:
    text = "See https://example.org/a/2024/troops-5200 for the 2,500 troops in Iraq (www.x.org/7).\n"
    (sentence,) = read_draft("a.md", text).sentences
    assert "example.org" not in sentence.text and "x.org" not in sentence.text
    assert "5200" not in sentence.text and "2,500 troops in Iraq" in sentence.text


def test_fact_free_heading_is_no_claim_but_a_heading_with_a_figure_is() -> None:
    draft = read_draft("a.md", "# U.S. troops in Iraq\n\n## 5,200 troops remain\n\nText.\n")
    worthy = {s.text: s.checkworthy for s in draft.sentences}
    assert worthy == {"U.S. troops in Iraq": False, "5,200 troops remain": True, "Text.": False}


# ----------------------------------------------------------------------------- 8. figures


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.5k troops in Iraq", 2500.0),
        ("2.5K troops", 2500.0),
        ("5k troops", 5000.0),
        ("about 2.5k U.S. troops", 2500.0),
    ],
)
def test_k_suffix_scales(text: str, value: float) -> None:
    assert [q.value for q in extract_quantities(text)] == [value]


def test_k_claim_is_judged_on_its_value(check_claims) -> None:
    (verdict,) = check_claims(["About 2.5k U.S. troops remain in Iraq."])
    assert verdict.verdict == "supported", verdict.reason
    (verdict,) = check_claims(["About 5.2k U.S. troops remain in Iraq."])
    assert verdict.verdict == "contradicted", verdict.reason


@pytest.mark.parametrize(
    ("order", "text", "low", "high"),
    [
        ("dmy", "ended on 12/09/2021", date(2021, 9, 12), date(2021, 9, 12)),
        ("mdy", "ended on 12/09/2021", date(2021, 12, 9), date(2021, 12, 9)),
        ("auto", "ended on 12/09/2021", date(2021, 9, 12), date(2021, 12, 9)),  # both readings, never one guessed
        ("auto", "ended on 25/12/2021", date(2021, 12, 25), date(2021, 12, 25)),
        ("auto", "ended on 12/25/2021", date(2021, 12, 25), date(2021, 12, 25)),
        ("dmy", "ended on 12/25/2021", date(2021, 12, 25), date(2021, 12, 25)),  # only one reading is a date
        ("dmy", "ended on 09.12.2021", date(2021, 12, 9), date(2021, 12, 9)),
    ],
)
def test_numeric_dates_are_days(monkeypatch: pytest.MonkeyPatch, order: str, text: str, low: date, high: date) -> None:
    monkeypatch.setenv("FACTCHECK_DATE_ORDER", order)
    (mention,) = extract_dates(text)
    assert (mention.low, mention.high) == (low, high)
    assert mention.text == text.split()[-1]


def test_impossible_numeric_date_is_no_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_DATE_ORDER", "dmy")
    assert extract_dates("on 31/02/2021") == []


def test_date_order_is_a_lint_setting(tmp_path: Path) -> None:
    from factcheck.config import effective_config
    from factcheck.errors import ConfigError

    (tmp_path / ".factcheck.toml").write_text('date-order = "dmy"\n', encoding="utf-8")
    assert effective_config({}, cwd=tmp_path, environ={})["date-order"][0] == "dmy"
    (tmp_path / ".factcheck.toml").write_text('date-order = "ymd"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="date-order: expected one of auto, dmy, mdy"):
        effective_config({}, cwd=tmp_path, environ={})


def test_long_source_paragraph_is_split_in_blocks_with_the_same_sentences() -> None:
    from factcheck.segment import LONG_PARAGRAPH, _split_paragraph, split_sentences

    one = "The U.S. had {n:,} troops in Iraq on Sept. 3, said Gen. Smith. Prices rose 3.2% in the year to March."
    text = " ".join(one.format(n=n) for n in range(260))
    assert len(text) > LONG_PARAGRAPH
    spans = split_sentences(text)
    assert len(spans) == 520 and spans == _split_paragraph(text)
