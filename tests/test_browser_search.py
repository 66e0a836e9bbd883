"""Real browser: the bundled library's site, served on 127.0.0.1 and unzipped from the offline
export onto file://, searched in Chinese with no request leaving the machine."""

from __future__ import annotations

import shutil
import zipfile
from contextlib import contextmanager

import pytest
from browser import ARTIFACTS, CHROMIUM_ARGS, RequestLog, require_chromium, serve_folder
from conftest import ROOT

from casebook.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("library") / "proj"
    root.mkdir()
    for name in ("cases", "templates"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("taxonomy.yaml", "frameworks.yaml", "paths.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, root / name)
    assert main(["--root", str(root), "export"]) == 0
    unzipped = root / "unzipped"
    with zipfile.ZipFile(root / "dist" / "casebook-offline.zip") as archive:
        archive.extractall(unzipped)
    return {"http": root / "site", "file": unzipped / "casebook-offline"}


@contextmanager
def opened(site, mode: str):
    """The base URL of the site: served on 127.0.0.1, or the unzipped export on file://."""
    if mode == "file":
        yield site["file"].as_uri()
    else:
        with serve_folder(site["http"]) as base:
            yield base


@pytest.fixture(scope="module")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def search(page, query: str) -> list[str]:
    page.fill("input[data-md-component=search-query]", query)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize(("query", "expected"), [
    ("售后", "cases/haier.html"),
    ("梳子", "cases/comb-seller.html"),
    ("海尔", "cases/haier.html"),
    ("王永庆", "cases/rice-seller.html"),
])
def test_chinese_search_finds_the_right_case(site, browser, query, expected, mode):
    log = RequestLog()
    with opened(site, mode) as base:
        page = browser.new_page()
        log.attach(page)
        page.goto(f"{base}/index.html")
        hits = search(page, query)
        assert any(expected in href for href in hits), hits
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-{mode}-{expected.split('/')[-1][:-5]}.png"))
        page.close()
    assert log.foreign == []
