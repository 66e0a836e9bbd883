"""Search latency in Chromium: Casebook's search from file://, and Material's own (its worker and
lunr index) on the same Markdown, for benchmarks/bench.py. Prints nothing, asserts nothing.

    python benchmarks/search_latency.py SITE_DIR [--material MATERIAL_SITE_DIR]

"first results" is from opening a case page (the start of its navigation) to the first query's
results on screen with their snippets, the query typed as soon as the page has loaded;
"keystroke" is from one more character typed to its results (median and slowest over a few
queries typed one character at a time, the index already loaded).
Material's site is opened over http://127.0.0.1: from file:// its search worker needs the
iframe-worker shim, which this project no longer carries.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

QUERIES = ["顾客满意", "售后服务", "海尔 回访", "CRM"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# In the page: type `query` and resolve with the milliseconds until its results are drawn.
_OURS = """async ([query, limit]) => {
  const box = document.querySelector('[data-cb-search]'), input = box.querySelector('input[type=search]');
  const started = performance.now();
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  while (box.getAttribute('data-searched') !== query) {
    await new Promise(r => setTimeout(r, 1));
    if (performance.now() - started > limit) return [-1, -1];
  }
  return [performance.now() - started, performance.now()];
}"""
_MATERIAL = """async ([query, limit]) => {
  const input = document.querySelector('input[data-md-component=search-query]');
  const list = document.querySelector('.md-search-result__list');
  const meta = document.querySelector('.md-search-result__meta');
  const before = list.innerHTML + meta.textContent;
  const started = performance.now();
  input.focus();
  input.value = query;
  input.dispatchEvent(new KeyboardEvent('keyup', {key: query.slice(-1), bubbles: true}));
  // Done when the results (or the "no results" line) changed: the first time, once the worker
  // has built its index. A prefix whose results are the same as the last one's is not counted.
  while (list.innerHTML + meta.textContent === before) {
    await new Promise(r => setTimeout(r, 1));
    if (performance.now() - started > limit) return [-1, -1];
  }
  return [performance.now() - started, performance.now()];
}"""


def _prefixes(query: str) -> list[str]:
    return [query[:i] for i in range(1, len(query) + 1) if query[:i].strip() == query[:i]]


def measure(url: str, script: str, browser) -> dict[str, float]:
    page = browser.new_page()
    page.goto(url, wait_until="load")
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    # performance.now() counts from the start of the page's navigation.
    _took, since_navigation = page.evaluate(script, [QUERIES[0], 60_000])
    keystrokes = [page.evaluate(script, [prefix, 3_000])[0] for query in QUERIES[1:] for prefix in _prefixes(query)]
    keystrokes = [ms for ms in keystrokes if ms >= 0] or [-1]
    page.close()
    return {"page_load_s": loaded / 1000,
            "first_results_s": since_navigation / 1000 if since_navigation >= 0 else -1,
            "keystroke_median_ms": statistics.median(keystrokes), "keystroke_max_ms": max(keystrokes)}


def measure_sites(ours: Path, material: Path | None = None) -> dict[str, dict[str, float]]:
    from browser import serve_folder
    from playwright.sync_api import sync_playwright

    case = "cases/case-00001.html" if (ours / "cases/case-00001.html").exists() else "index.html"
    out: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            out["ours"] = measure((ours / case).as_uri(), _OURS, browser)
            if material is not None:
                with serve_folder(material) as base:
                    out["material"] = measure(f"{base}/{case}", _MATERIAL, browser)
        finally:
            browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--material", type=Path)
    args = parser.parse_args()
    print(json.dumps(measure_sites(args.site.resolve(), args.material.resolve() if args.material else None)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
