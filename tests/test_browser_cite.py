"""Real browser: citation links land on their 资料来源 entry; the catalogue lists cases by the
pinyin of their titles; `serve` shows content errors over the page and takes them away."""

from __future__ import annotations

import pytest
from browser import ARTIFACTS, opened
from conftest import ROOT
from pypinyin import lazy_pinyin
from test_serve import edit, fetch, free_port, start_serve, wait_for

from casebook.content.load import load_library
from casebook.project import Project

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_citation_links_land_on_their_source(library_site, browser):
    library, _ = load_library(Project(ROOT))
    case = library.cases["haier"]
    with opened(library_site, "http") as base:
        page = browser.new_page()
        page.goto(f"{base}/cases/haier.html")
        cites = page.locator("a.cb-cite")
        assert cites.count() >= 5
        # Each link reads [N] and its target is the N-th entry of the 资料来源 list.
        for index in range(cites.count()):
            link = cites.nth(index)
            number = int((link.text_content() or "").strip("[]"))  # folded ones too
            assert link.get_attribute("href") == f"#source-{number}"
        first = cites.first
        number = int(first.inner_text().strip("[]"))
        first.click()
        page.wait_for_function("location.hash.length > 1")
        assert page.evaluate("location.hash") == f"#source-{number}"
        target = page.locator(f"#source-{number}")
        assert target.evaluate("e => e.matches(':target') && e.closest('ol.cb-sources') !== null")
        assert case.sources[number - 1].title in target.inner_text()
        # Scrolled to: the entry is on screen, below the fixed header.
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
        assert "[@" not in page.inner_text("article")
        page.close()


def test_catalogue_lists_cases_by_pinyin(library_site, browser):
    library, _ = load_library(Project(ROOT))
    wanted = sorted((case.title for case in library.cases.values()),
                    key=lambda title: (" ".join(lazy_pinyin(title)).lower(), title))
    with opened(library_site, "http") as base:
        page = browser.new_page()
        page.goto(f"{base}/cases/index.html")
        page.wait_for_selector("article.cb-card")
        shown = page.eval_on_selector_all("article.cb-card h2, article.cb-card h3",
                                          "els => els.map(e => e.textContent.trim())")
        assert shown == wanted
        assert wanted.index("海尔服务") < wanted.index("中国移动：基础服务与特色服务")  # hai before zhong
        page.close()


def test_preview_shows_errors_over_the_page_until_fixed(project, browser):
    port = free_port()
    url = f"http://127.0.0.1:{port}/cases/alpha.html"
    server = start_serve(project, port)
    try:
        assert wait_for(lambda: "米店送米" in fetch(url), 90), "the server did not come up"
        page = browser.new_page(viewport={"width": 1366, "height": 800})
        page.goto(url)
        assert page.locator("#cb-serve-problems").count() == 0
        edit(project.cases_dir / "alpha.yaml", "kind: case", "kind: caze")
        banner = page.locator("#cb-serve-problems")
        banner.wait_for(state="visible", timeout=30_000)  # the live reload brought it
        text = banner.inner_text()
        assert "cases/alpha.yaml:" in text and "caze" in text
        link = banner.locator("a").first
        assert link.get_attribute("href") == "/cases/alpha.html"
        box = banner.bounding_box()
        assert box is not None and box["y"] < 5 and box["height"] > 20  # at the very top, shown
        assert page.locator("h1").first.inner_text().startswith("米店送米")  # over the last good page
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "serve-problem-banner.png"))
        page.set_viewport_size({"width": 390, "height": 800})
        page.mouse.wheel(0, 600)
        page.wait_for_function("scrollY > 0")
        box = banner.bounding_box()
        assert box is not None and abs(box["y"]) < 2, box  # still on screen, scrolled or not
        page.screenshot(path=str(ARTIFACTS / "serve-problem-banner-390.png"))
        # Every page served says it, not only the broken case's.
        assert "cb-serve-problems" in fetch(f"http://127.0.0.1:{port}/index.html")
        edit(project.cases_dir / "alpha.yaml", "kind: caze", "kind: case")
        banner.wait_for(state="detached", timeout=30_000)
        assert "cb-serve-problems" not in fetch(f"http://127.0.0.1:{port}/index.html")
        page.close()
    finally:
        server.terminate()
        server.communicate(timeout=20)
