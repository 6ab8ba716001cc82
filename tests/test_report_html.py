"""The HTML report as text: structure, escaping, ids, timeline, contrast, CLI wiring (no browser)."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from html_cases import (
    AP,
    DRAFT,
    IMG_INJECTION,
    INJECTION,
    REUTERS,
    TODAY,
    TROOP_POINTS,
    TROOPS,
    evidence,
    fake_judge,
    lint_report,
)

from factcheck import lint_cli
from factcheck.extract.numbers import extract_quantities
from factcheck.lint import LintConfig, lint
from factcheck.records import Verdict
from factcheck.report import html


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture
def report(tmp_path):
    return lint_report(tmp_path)


@pytest.fixture
def page(report) -> str:
    return html.render(report, today=TODAY)


def test_every_checked_claim_is_one_element_with_its_verdict(report, page):
    claims = [attrs for tag, attrs in tags(page) if "data-claim-id" in attrs]
    assert [a["data-verdict"] for a in claims] == [r.verdict.verdict for r in report.results]
    assert len({a["data-claim-id"] for a in claims}) == len(report.results) >= 5
    assert {a["data-verdict"] for a in claims} == {"supported", "contradicted", "disputed", "unverified"}


def test_every_claim_has_its_details_in_the_page(report, page):
    ids = [a["data-claim-id"] for _, a in tags(page) if "data-claim-id" in a]
    details = [a["id"] for t, a in tags(page) if t == "section" and "detail" in (a.get("class") or "")]
    assert sorted(f"d-{i}" for i in ids) == sorted(details)
    cards = [a for t, a in tags(page) if t == "li" and a.get("class") == "card"]
    assert len(cards) == sum(len(r.verdict.evidence) for r in report.results)


def test_claim_ids_are_stable_across_edits_elsewhere(tmp_path):
    first = html.render(lint_report(tmp_path), today=TODAY)
    edited = DRAFT.replace("# U.S. troops in Iraq", "# U.S. troops in Iraq\n\nA new opening paragraph.")
    second = html.render(lint_report(tmp_path, edited), today=TODAY)

    def ids(page: str) -> dict[str, str]:
        return {a["data-claim-id"]: a["data-verdict"] for _, a in tags(page) if "data-claim-id" in a}

    assert ids(first).items() <= ids(second).items()
    assert html.claim_id("a.md", "Same claim.", 0) != html.claim_id("a.md", "Same claim.", 1)


def test_draft_structure_is_kept_and_code_and_front_matter_are_muted(page):
    names = [t for t, _ in tags(page)]
    for tag in ("h1", "blockquote", "ul", "li", "p"):
        assert tag in names
    assert re.search(r'<pre class="muted"><span class="what">front matter', page)
    assert re.search(r'<pre class="muted"><span class="what">code[^<]*</span>```\n5,200 troops in a code block', page)
    assert "# U.S. troops" not in page  # the heading's markup is not shown, its text is
    assert "&gt; The combat mission" not in page  # nor the quote's marker


@pytest.mark.parametrize("text", [INJECTION, IMG_INJECTION, "<svg onload=alert(1)>"])
def test_markup_in_drafts_and_sources_is_text(tmp_path, text):
    page = html.render(lint_report(tmp_path, DRAFT + f"\n{text} 7 troops remain in Mosul.\n"), today=TODAY)
    scripts = [a for t, a in tags(page) if t == "script"]
    assert len(scripts) == 1 and scripts[0] == {}  # only the page's own inline script
    assert not [t for t, _ in tags(page) if t in ("img", "iframe", "object", "embed")]
    assert not [a for _, a in tags(page) if any(k.startswith("on") for k in a)]
    assert "javascript:" not in page  # the evil source's URL is not made a link
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;" in page


def test_no_request_leaves_the_page(page):
    for tag, attrs in tags(page):
        for name in ("src", "href", "srcset", "poster", "data"):
            value = attrs.get(name) or ""
            if name == "href" and tag == "a":
                assert value.startswith("#") or value == "https://example.com/reuters-iraq"  # a source's own page
            else:
                assert not value, (tag, name, value)
        assert tag not in ("link", "iframe", "img", "object")
    assert not re.search(r"url\(|@import|@font-face", page)


def test_timeline_one_point_per_dated_value(page):
    points = re.findall(r'<circle class="tl-point[^"]*"[^>]*data-date="([\d-]+)" data-value="([\d.]+)"', page)
    assert points == [("2020-09-08", "5200"), ("2021-01-16", "3000"), ("2024-09-27", "2500")]
    assert len(points) == TROOP_POINTS
    assert page.count('<g class="tl-claim-mark" data-date="2026-11-29" data-value="5200">') == 1
    assert page.count('<figure class="timeline">') == 1  # only the claim whose value changed over time


def test_timeline_points_skip_undated_and_repeated_values():
    unit = extract_quantities("About 5,200 American troops are stationed in Iraq.")[0]
    points = html.timeline_points(unit, TROOPS)
    assert [(p.when, p.value, p.source) for p in points] == [
        (date(2020, 9, 8), 5200, "NBC News"),
        (date(2021, 1, 16), 3000, "AP"),
        (date(2024, 9, 27), 2500, "Reuters"),
    ]
    elsewhere = html.timeline_points(unit, TROOPS, frozenset({"afghanistan"}))
    assert elsewhere == [] and html.timeline_points(unit, TROOPS, frozenset({"iraq"})) == points
    assert html.timeline_points(unit, TROOPS[2:4]) and not html.timeline_html(
        html.ClaimView("c", "About 5,200 troops are in Iraq.", Verdict("x", "contradicted", 0.9, "", TROOPS[2:4])),
        TODAY,
    )  # one value only: no timeline


def test_a_dot_shows_a_stance_only_where_its_own_value_decided_it():
    claim = extract_quantities("About 5,200 American troops are stationed in Iraq.")[0]
    via_from = evidence("The U.S. cut its troops in Iraq from 5,200 to 3,000.", "supports", AP)  # plotted at 3,000
    same = evidence("Some 5,200 troops were in Iraq.", "contradicts", REUTERS)  # contradicted for another reason
    points = html.timeline_points(claim, (via_from, same, TROOPS[2]))
    assert [(p.value, p.stance) for p in points] == [(3000, "related"), (2500, "contradicts"), (5200, "related")]


def test_matching_and_clashing_figures_are_marked(page):
    assert '<mark class="x">2,500</mark>' in page and '<mark class="x">3,000</mark>' in page  # clash
    assert '<mark class="m">5,200</mark>' in page  # match


def test_evidence_cards_name_source_date_place_and_stance(page):
    card = re.search(r'<li class="card" data-stance="contradicts">.*?</li>', page, re.DOTALL)
    assert card
    text = re.sub(r"<[^>]+>", "", card.group())
    for part in ("contradicts", "Troops in Iraq", "AP", "2021-01-16", "sources/ap.txt:3", "why: AP: contradicts"):
        assert part in text


def test_supported_claims_stay_marked_when_lint_hides_them(report, page):
    assert all(r.status in ("reported", "supported") for r in report.results)
    assert 'data-verdict="supported"' in page and "supported" not in {d.verdict for d in report.diagnostics}


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_aa_contrast():
    css = (Path(html.__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", css))
    pairs = [("fg", "bg"), ("muted-fg", "bg"), ("muted-fg", "muted-bg"), ("fg", "match-bg"), ("fg", "clash-bg")]
    for verdict in ("supported", "contradicted", "disputed", "unverified"):
        pairs += [(f"{verdict}-fg", "bg"), (f"{verdict}-fg", f"{verdict}-bg"), ("fg", f"{verdict}-bg")]
        pairs += [(f"{verdict}-fg", "muted-bg")]
    for fg, bg in pairs:
        assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)


def test_check_report_lists_each_claim_with_its_evidence():
    claims = ["About 5,200 American troops are stationed in Iraq today.", "Officials said 12 bases remain open."]
    page = html.render_verdicts(fake_judge(claims), today=TODAY)
    verdicts = [a["data-verdict"] for _, a in tags(page) if "data-claim-id" in a]
    assert verdicts == ["contradicted", "disputed"]
    assert page.count('<li class="card"') == len(TROOPS) + 2
    assert '<figure class="timeline">' in page


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setattr(lint_cli, "_default_judge", lambda sources, index, top_k=8: fake_judge)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTCHECK_CONFIG", raising=False)
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")

    def invoke(*args: str):
        return CliRunner().invoke(lint_cli.lint, list(args), catch_exceptions=False)

    return invoke


def test_cli_lint_writes_the_html_report(cli, tmp_path):
    result = cli("draft.md", "--format", "html", "--output", "report.html")
    assert result.exit_code == 1 and result.output == ""  # a contradicted claim fails as in every format
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    verdicts = [a["data-verdict"] for _, a in tags(page) if "data-claim-id" in a]
    assert page.startswith("<!DOCTYPE html>") and verdicts.count("contradicted") == 1


@pytest.mark.parametrize("output", ["draft.md", "./draft.md", "{tmp}/draft.md"])
def test_cli_lint_refuses_to_overwrite_a_draft(cli, tmp_path, output):
    output = output.format(tmp=tmp_path)
    result = CliRunner().invoke(lint_cli.lint, [".", "--format", "html", "-o", output])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"Error: {Path(output)}: --output names a draft being checked; refusing to overwrite it"
    )
    assert (tmp_path / "draft.md").read_text(encoding="utf-8") == DRAFT


def test_compact_layout_shows_the_deciding_passages_and_links_the_others(report):
    contradicted = next(r.verdict for r in report.results if r.verdict.verdict == "contradicted")
    full, linked, counted = html.split_evidence(contradicted, html.COMPACT)
    assert [e.passage.text for e in full] == [TROOPS[1].passage.text]  # the first contradicting passage
    assert linked == [TROOPS[2], TROOPS[3]] and counted == 2  # the other contradicting ones; 2 related
    assert html.split_evidence(contradicted, html.FULL) == (list(TROOPS), [], 0)
    disputed = next(r.verdict for r in report.results if r.verdict.verdict == "disputed")
    assert {e.stance for e in html.split_evidence(disputed, html.COMPACT)[0]} == {"supports", "contradicts"}


def test_compact_page_links_resolve_to_passages_quoted_once(report):
    page = html.render(report, today=TODAY, layout=html.COMPACT)
    ids = {a["id"] for _, a in tags(page) if "id" in a}
    links = [a["href"] for t, a in tags(page) if t == "a" and (a.get("href") or "").startswith("#p")]
    assert links and all(link[1:] in ids for link in links)
    passages = re.findall(r'<li class="passage" id="(p\w+)">', page)
    assert len(passages) == len(set(passages)) == len(set(links))
    assert "2 more retrieved passages not shown" in page
    assert page.count('<figure class="timeline">') == 1  # drawn from every passage, shown or not


def test_layout_is_full_for_ordinary_drafts_and_compact_for_long_ones():
    assert html.choose_layout(html.FULL_UP_TO) is html.FULL
    assert html.choose_layout(html.FULL_UP_TO + 1) is html.COMPACT


def test_cli_check_prints_the_html_report(monkeypatch):
    from factcheck import api, cli

    monkeypatch.setattr(api, "check", lambda claims, **_: fake_judge(list(claims)))
    claims = ["About 5,200 American troops are stationed in Iraq today.", "It rained in Basra."]
    result = CliRunner().invoke(cli.main, ["check", *claims, "--format", "html"])
    assert result.exit_code == 1  # a contradicted claim, as in the other formats
    verdicts = [a["data-verdict"] for _, a in tags(result.stdout) if "data-claim-id" in a]
    assert result.stdout.startswith("<!DOCTYPE html>") and verdicts == ["contradicted", "unverified"]


def test_suppressed_claims_stay_visible_and_say_why(tmp_path):
    text = DRAFT.replace("About 5,200", "<!-- factcheck: ignore -->\nAbout 5,200")
    report = lint_report(tmp_path, text)
    assert [r.status for r in report.results if r.verdict.verdict == "contradicted"] == ["suppressed"]
    page = html.render(report, today=TODAY)
    quiet = [a for _, a in tags(page) if "data-claim-id" in a and "quiet" in (a.get("class") or "")]
    assert [a["data-verdict"] for a in quiet] == ["contradicted"]
    assert "Not counted: suppressed by a factcheck comment in the draft." in page
    assert re.search(r'<pre class="muted"><span class="what">HTML or comment[^<]*</span>&lt;!-- factcheck', page)


def test_drafts_that_could_not_be_checked_are_listed(tmp_path):
    (tmp_path / "broken.md").write_bytes(b"About 5,200 troops \xff\xfe are in Iraq.\n")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    report = lint([tmp_path / "broken.md", tmp_path / "draft.md"], judge=fake_judge, config=LintConfig(root=tmp_path))
    assert [e.path for e in report.errors] == ["broken.md"]
    page = html.render(report, today=TODAY)
    listed = re.search(r'<ul class="errors">(.*?)</ul>', page)
    assert listed and "broken.md:" in listed.group(1) and "[FC001]" in listed.group(1)
    assert [a["data-verdict"] for _, a in tags(page) if "data-claim-id" in a] == [
        r.verdict.verdict for r in report.results
    ]


def test_the_legend_says_what_a_confidence_means(page):
    legend = re.sub(r"<[^>]+>", "", page)
    assert "A confidence says how often a verdict this sure was right" in legend
