"""The HTML report in real headless Chromium: claims, evidence on click, keys, filters, timeline,
no script from a draft, the page without JavaScript, and a screenshot kept as a test artifact.

The screenshot is written under pytest's tmp folder and copied to ``$FACTCHECK_ARTIFACTS``
(default: ``<tmp>/factcheck-artifacts/report.png``).
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from html_cases import DRAFT, TODAY, TROOP_POINTS, chromium, chromium_paths, lint_report

from factcheck.report import html


@pytest.fixture(scope="module")
def browser():
    chromium_paths()  # skip early, with the reason, where Chromium is missing
    with chromium() as driver:
        yield driver


@pytest.fixture
def report(tmp_path):
    return lint_report(tmp_path)


def load(driver, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def claims_in_dom(driver) -> list[dict[str, str]]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-claim-id]')).map(e => "
        "({id: e.dataset.claimId, verdict: e.dataset.verdict, text: e.textContent}))"
    )


def open_detail_ids(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('section.detail'))"
        ".filter(e => e.offsetParent !== null).map(e => e.id.slice(2))"
    )


@pytest.fixture
def page(browser, report, tmp_path):
    load(browser, tmp_path / "report.html", html.render(report, today=TODAY))
    assert browser.execute_script("return document.documentElement.className") == "js"
    return browser


def test_dom_holds_every_checked_claim_with_its_verdict(page, report):
    dom = claims_in_dom(page)
    assert [c["verdict"] for c in dom] == [r.verdict.verdict for r in report.results]
    for claim, result in zip(dom, report.results, strict=True):
        assert result.sentence.text.split()[-1] in claim["text"]
    assert len({c["id"] for c in dom}) == len(dom) == len(report.results) >= 5


def test_clicking_a_claim_shows_its_evidence(page, report):
    from selenium.webdriver.common.by import By

    assert open_detail_ids(page) == []  # with JavaScript, evidence waits for a selection
    claim = page.find_element(By.CSS_SELECTOR, 'a.claim[data-verdict="contradicted"]')
    claim.click()
    cid = claim.get_attribute("data-claim-id")
    assert open_detail_ids(page) == [cid]
    detail = page.find_element(By.ID, f"d-{cid}")
    cards = detail.find_elements(By.CSS_SELECTOR, "li.card")
    contradicted = next(r for r in report.results if r.verdict.verdict == "contradicted")
    assert len(cards) == len(contradicted.verdict.evidence)
    assert "There are presently about 2,500 American troops in Iraq." in detail.text
    assert "sources/reuters.txt:3" in detail.text and "Reuters" in detail.text
    claim.click()
    assert open_detail_ids(page) == []


def test_j_and_k_move_between_claims(page):
    from selenium.webdriver.common.by import By

    ids = [c["id"] for c in claims_in_dom(page)]
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    assert open_detail_ids(page) == [ids[0]]
    body.send_keys("j")
    body.send_keys("j")
    assert open_detail_ids(page) == [ids[2]]
    assert page.switch_to.active_element.get_attribute("data-claim-id") == ids[2]
    page.switch_to.active_element.send_keys("k")
    assert open_detail_ids(page) == [ids[1]]


def test_verdict_filters_hide_claims_and_keys_skip_them(page):
    from selenium.webdriver.common.by import By

    dom = claims_in_dom(page)
    unverified = page.find_element(By.CSS_SELECTOR, 'button[data-filter="unverified"]')
    assert unverified.is_displayed() and unverified.get_attribute("aria-pressed") == "true"
    unverified.click()
    assert unverified.get_attribute("aria-pressed") == "false"
    hidden = page.execute_script(
        "return Array.from(document.querySelectorAll('a.claim.filtered-out')).map(e => e.dataset.claimId)"
    )
    assert hidden == [c["id"] for c in dom if c["verdict"] == "unverified"]
    body = page.find_element(By.TAG_NAME, "body")
    seen = []
    for _ in range(len(dom)):
        body.send_keys("j")
        seen += open_detail_ids(page)
    assert set(seen) == {c["id"] for c in dom if c["verdict"] != "unverified"}


def test_timeline_has_one_point_per_dated_value(page):
    from selenium.webdriver.common.by import By

    claim = page.find_element(By.CSS_SELECTOR, 'a.claim[data-verdict="contradicted"]')
    claim.click()
    detail = page.find_element(By.ID, f"d-{claim.get_attribute('data-claim-id')}")
    svg = detail.find_element(By.CSS_SELECTOR, "figure.timeline svg")
    assert svg.is_displayed() and svg.size["width"] > 200
    points = [
        (p.get_attribute("data-date"), p.get_attribute("data-value"))
        for p in svg.find_elements(By.CSS_SELECTOR, "circle.tl-point")
    ]
    assert len(points) == TROOP_POINTS
    assert points == [("2020-09-08", "5200"), ("2021-01-16", "3000"), ("2024-09-27", "2500")]
    marks = svg.find_elements(By.CSS_SELECTOR, "g.tl-claim-mark")
    assert [(m.get_attribute("data-date"), m.get_attribute("data-value")) for m in marks] == [("2026-11-29", "5200")]


def test_injected_markup_runs_no_script(browser, tmp_path):
    text = DRAFT + '\n<script>window.__pwned = 4</script><svg onload="window.__pwned = 5"></svg> 7 troops.\n'
    load(browser, tmp_path / "evil.html", html.render(lint_report(tmp_path, text), today=TODAY))
    assert browser.execute_script("return document.documentElement.className") == "js"  # our script ran
    assert browser.execute_script("return window.__pwned") is None
    assert browser.execute_script("return document.scripts.length") == 1
    assert (
        browser.execute_script("return document.querySelectorAll('main img, main svg[onload], main iframe').length")
        == 0
    )
    for claim in browser.execute_script("return Array.from(document.querySelectorAll('a.claim'))"):
        claim.click()  # open every detail: the evil source's cards are rendered too
    assert browser.execute_script("return window.__pwned") is None
    body = browser.execute_script("return document.body.textContent")
    assert "<script>window.__pwned = 1</script>" in body
    assert '"><img src=x onerror="window.__pwned = 2">' in body


def test_without_javascript_every_claim_shows_verdict_and_evidence(report, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "nojs.html"
    path.write_text(html.render(report, today=TODAY), encoding="utf-8")
    with chromium(javascript=False) as driver:
        driver.get(path.as_uri())
        html_class = driver.find_element(By.TAG_NAME, "html").get_attribute("class")
        assert html_class == "no-js"
        details = driver.find_elements(By.CSS_SELECTOR, "section.detail")
        assert len(details) == len(report.results) and all(d.is_displayed() for d in details)
        labels = [d.find_element(By.CSS_SELECTOR, ".label").text for d in details]
        assert [label.split()[-1] for label in labels] == [r.verdict.verdict for r in report.results]
        cards = driver.find_elements(By.CSS_SELECTOR, "li.card")
        assert len(cards) == sum(len(r.verdict.evidence) for r in report.results)
        assert all(c.is_displayed() for c in cards)
        counts = [s.text for s in driver.find_elements(By.CSS_SELECTOR, "span.count[data-static]") if s.is_displayed()]
        expected = Counter(r.verdict.verdict for r in report.results)
        assert counts == [
            f"{html.ICONS[v]} {expected[v]} {v}" for v in ("supported", "contradicted", "disputed", "unverified")
        ]
        assert not [b for b in driver.find_elements(By.CSS_SELECTOR, "button[data-filter]") if b.is_displayed()]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshot_is_written_as_an_artifact(browser, report, tmp_path):
    from selenium.webdriver.common.by import By

    load(browser, tmp_path / "report.html", html.render(report, today=TODAY))
    browser.set_window_size(1200, 1400)
    claim = browser.find_element(By.CSS_SELECTOR, 'a.claim[data-verdict="contradicted"]')
    claim.click()
    browser.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    width, height = png_size(shot)
    assert width >= 1000 and height >= 900
    folder = Path(os.environ.get("FACTCHECK_ARTIFACTS") or Path(tempfile.gettempdir()) / "factcheck-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, folder / "report.png")
    assert png_size(folder / "report.png") == (width, height)


ENGINE_DRAFT = """\
---
title: Draft — troops in Iraq
---
# U.S. troops in Iraq

About 5,200 American troops are stationed in Iraq today, while roughly 900 remain in Syria.

The combat mission formally ended on 9 December 2021, and *France* announced in June 2020 that it would withdraw
from its primary base in Iraq by the end of July.

~~~
5,200 troops in a code block are never checked
~~~
"""


@pytest.mark.e2e
def test_report_of_the_real_engine_in_the_browser(browser, check_claims, tmp_path):
    """The engine's own verdicts, reasons and evidence, whatever they are, rendered and clickable."""
    from selenium.webdriver.common.by import By

    from factcheck.lint import LintConfig, lint

    draft = tmp_path / "iraq.md"
    draft.write_text(ENGINE_DRAFT, encoding="utf-8")
    report = lint([draft], judge=lambda claims: list(check_claims(claims)), config=LintConfig(root=tmp_path))
    load(browser, tmp_path / "engine.html", html.render(report))
    dom = claims_in_dom(browser)
    assert [c["verdict"] for c in dom] == [r.verdict.verdict for r in report.results]
    assert any(r.verdict.evidence for r in report.results)
    for claim, result in zip(dom, report.results, strict=True):
        browser.find_element(By.CSS_SELECTOR, f'a.claim[data-claim-id="{claim["id"]}"]').click()
        assert open_detail_ids(browser) == [claim["id"]]
        detail = browser.find_element(By.ID, f"d-{claim['id']}")
        full, _, _ = html.split_evidence(result.verdict, html.FULL)
        assert len(detail.find_elements(By.CSS_SELECTOR, "li.card")) == len(full)
        facts = html.claim_facts(result.sentence.text)
        quantities = [q for q in facts.quantities if q.unit]
        points = html.timeline_points(quantities[0], result.verdict.evidence, facts.places) if quantities else []
        drawn = points if len({p.value for p in points}) > 1 else []  # a timeline only for a value that changed
        circles = detail.find_elements(By.CSS_SELECTOR, "circle.tl-point")
        assert [c.get_attribute("data-value") for c in circles] == [f"{p.value:g}" for p in drawn]
    first = dom[0]["id"]
    browser.find_element(By.CSS_SELECTOR, f'a.claim[data-claim-id="{first}"]').click()
    browser.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "engine.png"
    assert browser.save_screenshot(str(shot)) and png_size(shot)[0] >= 1000
    folder = Path(os.environ.get("FACTCHECK_ARTIFACTS") or Path(tempfile.gettempdir()) / "factcheck-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, folder / "report-engine.png")
