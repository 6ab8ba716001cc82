"""Shared cases for the HTML report tests: a draft, a fake judge built from real records, a browser.

The browser is Debian's headless Chromium driven through its chromedriver by selenium
(``.ci/run`` installs both with apt-get). Where they are missing the browser tests skip, and the
reason says what to install.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from factcheck.lint import LintConfig, LintReport, lint
from factcheck.records import Evidence, Passage, SourceInfo, Verdict

TODAY = date(2026, 11, 29)
INJECTION = "<script>window.__pwned = 1</script>"
IMG_INJECTION = '"><img src=x onerror="window.__pwned = 2">'

DRAFT = f"""\
---
title: Draft on troops {INJECTION}
---
# U.S. troops in Iraq

About 5,200 American troops are stationed in Iraq today, while roughly 900 remain in Syria.

> The combat mission formally ended on 9 December 2021, President Biden said.

- France said in June 2020 that 600 soldiers would leave Iraq.
- Officials said 12 bases {INJECTION} remain open.

{IMG_INJECTION} 40 troops were sent to Basra, officials said.

```
5,200 troops in a code block are never checked
```
"""


def source(doc: str, publisher: str, published: date, title: str = "Troops in Iraq", url: str = "") -> SourceInfo:
    return SourceInfo(doc, title, publisher, published, url, f"sources/{doc}.txt")


def evidence(text: str, stance: str, src: SourceInfo, valid: date | None = None, reason: str = "") -> Evidence:
    passage = Passage(src.id, 0, text, 10, 10 + len(text), 3, 1)
    return Evidence(passage, src, stance, 0.9, reason or f"{src.publisher}: {stance}", "number", valid)


NBC = source("nbc", "NBC News", date(2020, 9, 9))
AP = source("ap", "AP", date(2021, 1, 16))
REUTERS = source("reuters", "Reuters", date(2024, 9, 27), url="https://example.com/reuters-iraq")
EVIL = source("evil", f"Evil {INJECTION}", date(2021, 1, 1), title=IMG_INJECTION, url="javascript:window.__pwned=3")

TROOPS = (
    evidence("About 5,200 American troops were in Iraq at the time.", "related", NBC, date(2020, 9, 8)),
    evidence("The U.S. had reduced its presence to 3,000 troops in Iraq.", "contradicts", AP),
    evidence("There are presently about 2,500 American troops in Iraq.", "contradicts", REUTERS),
    evidence("Reuters repeated that 2,500 troops are in Iraq.", "contradicts", REUTERS),  # same date and value
    evidence("Some 4,000 troops were in Iraq.", "related", SourceInfo("undated", "Undated note")),  # no date
)
TROOP_POINTS = 3  # 5,200 (2020-09-08), 3,000 (2021-01-16), 2,500 (2024-09-27)


def fake_verdict(claim: str) -> Verdict:
    if "5,200" in claim:
        return Verdict(
            claim, "contradicted", 0.89, "says 5,200 troops; Reuters, 2024-09-27: about 2,500", TROOPS, "number"
        )
    if "12 bases" in claim:
        evil = evidence(f"{IMG_INJECTION} {INJECTION} 12 bases", "contradicts", EVIL, reason=INJECTION)
        ok = evidence("About 12 bases remain open.", "supports", AP)
        return Verdict(claim, "disputed", 0.6, f"sources disagree {IMG_INJECTION}", (ok, evil), "number")
    if "2021" in claim:
        return Verdict(claim, "supported", 0.93, "AP, 2021-01-16: ended on 9 December 2021", (TROOPS[1],), "date")
    return Verdict(claim, "unverified", 0.3, "no source states it")


def fake_judge(claims: list[str]) -> list[Verdict]:
    return [fake_verdict(claim) for claim in claims]


def lint_report(tmp_path: Path, text: str = DRAFT, name: str = "draft.md") -> LintReport:
    draft = tmp_path / name
    draft.write_text(text, encoding="utf-8")
    return lint([draft], judge=fake_judge, config=LintConfig(root=tmp_path))


# --------------------------------------------------------------------------- the browser


def chromium_paths() -> tuple[str, str]:
    """(chromium, chromedriver), or skip the test saying what is missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed: pip install -e '.[test]'")
    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        missing = "chromium" if browser is None else "chromedriver"
        pytest.skip(f"{missing} not found: apt-get install chromium chromium-driver (as .ci/run does)")
    return browser, driver


@contextmanager
def _direct_to_localhost() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in ("NO_PROXY", "no_proxy")}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "localhost,127.0.0.1"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def chromium(*, javascript: bool = True, width: int = 1200, height: int = 900) -> Iterator[Any]:
    """A headless Chromium session through Debian's chromedriver (never a downloaded browser)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--disable-extensions",
        "--no-first-run",
    ):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    with _direct_to_localhost():  # the tests' dead HTTP proxy must not stand between us and chromedriver
        driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()
