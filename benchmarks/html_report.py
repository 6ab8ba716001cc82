"""Size and load time of the HTML report of the 1,000-sentence benchmark draft.

Makes the draft as ``lint_draft.py`` does, runs ``factcheck lint --format html --output`` on it
with the real engine, then opens the page in Debian's headless Chromium (through chromedriver,
``apt-get install chromium chromium-driver``) and reads the page's own Navigation Timing: from
the start of navigation to the end of the load event, parsing, layout and the inline script
included. Prints the size and the median load time of ``--runs`` fresh page loads. Targets:
under 2 MB, under 2 s. Run from the repository root:

    python benchmarks/html_report.py [--sentences 1000] [--runs 5] [--index index --sources sources]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import lint_draft  # noqa: E402

LOAD_MS = "const n = performance.getEntriesByType('navigation')[0]; return [n.loadEventEnd, n.domInteractive];"


def write_report(draft: Path, report: Path, sources: str, index: str) -> None:
    options = ["--format", "html", "--output", str(report), "--exit-zero", "--sources", sources, "--index", index]
    command = [sys.executable, "-m", "factcheck", "lint", *options, str(draft)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"factcheck lint failed ({done.returncode}): {done.stderr.strip()}")


def chromium() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not browser or not driver:
        sys.exit("needs Debian's chromium and chromedriver: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"):
        options.add_argument(arg)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "localhost,127.0.0.1"
    return webdriver.Chrome(options=options, service=Service(driver))


def load_times(page: Path, runs: int) -> list[tuple[float, float]]:
    """(load event end, DOM interactive) in ms for ``runs`` fresh loads, each in a new tab state."""
    driver = chromium()
    try:
        times = []
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(page.as_uri())
            load, interactive = driver.execute_script(LOAD_MS)
            claims = driver.execute_script("return document.querySelectorAll('[data-claim-id]').length")
            times.append((float(load), float(interactive)))
        print(f"claims in the page: {claims}")
        return times
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sources", default=str(ROOT / "sources"))
    parser.add_argument("--index", default=str(ROOT / "index"))
    parser.add_argument("--keep", type=Path, help="Also copy the report here.")
    args = parser.parse_args()
    sentences = lint_draft.source_sentences(Path(args.sources))
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / "draft.md"
        draft.write_text(lint_draft.make_draft(sentences, args.sentences), encoding="utf-8")
        report = Path(folder) / "report.html"
        write_report(draft, report, args.sources, args.index)
        size = report.stat().st_size
        times = load_times(report, args.runs)
        if args.keep:
            shutil.copy(report, args.keep)
    loads = [t[0] / 1000 for t in times]
    print(f"HTML report of a {args.sentences}-sentence draft: {size / 1e6:.2f} MB ({size:,} bytes; target < 2 MB)")
    print(
        f"load in headless Chromium: median {statistics.median(loads):.2f} s over {args.runs} loads "
        f"({', '.join(f'{t:.2f}' for t in loads)}; DOM interactive median "
        f"{statistics.median(t[1] for t in times) / 1000:.2f} s; target < 2 s)"
    )


if __name__ == "__main__":
    main()
