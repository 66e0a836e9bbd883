"""Real browser: the bundled library's site, served on 127.0.0.1 and unzipped from the offline
export onto file://, searched in Chinese with no request leaving the machine."""

from __future__ import annotations

import pytest
from browser import ARTIFACTS, RequestLog, opened, type_search

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def search(page, query: str) -> list[str]:
    type_search(page, query)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize(("query", "expected"), [
    ("售后", "cases/haier.html"),
    ("梳子", "cases/comb-seller.html"),
    ("海尔", "cases/haier.html"),
    ("王永庆", "cases/rice-seller.html"),
])
def test_chinese_search_finds_the_right_case(library_site, browser, query, expected, mode):
    log = RequestLog()
    with opened(library_site, mode) as base:
        page = browser.new_page()
        log.attach(page)
        page.goto(f"{base}/index.html")
        hits = search(page, query)
        assert any(expected in href for href in hits), hits
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-{mode}-{expected.split('/')[-1][:-5]}.png"))
        page.close()
    assert log.foreign == []
