"""Real browser, online (127.0.0.1) and offline (the unzipped export on file://): catalogue
facets and URL state, hidden answers, read marks that survive a reload, a phone-sized screen,
and not one request leaving the machine."""

from __future__ import annotations

import pytest
from browser import ARTIFACTS, RequestLog, opened
from conftest import ROOT

from casebook.content.load import load_library
from casebook.project import Project

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MODES = ["http", "file"]


@pytest.fixture(scope="module")
def library():
    library, _ = load_library(Project(ROOT))
    return library


@pytest.fixture
def visit(library_site, browser, request):
    """Open pages of the built library in a fresh browser context; fails on any foreign request."""
    mode = request.param
    log = RequestLog()
    contexts = []

    def _visit(path: str, **context_options):
        # The offline export is read with the network switched off, as on a trainee's laptop.
        context = browser.new_context(offline=(mode == "file"), **context_options)
        contexts.append(context)
        page = context.new_page()
        log.attach(page)
        page.goto(f"{state['base']}/{path}")
        return page

    with opened(library_site, mode) as base:
        state = {"base": base}
        _visit.mode = mode
        _visit.base = base
        yield _visit
        for context in contexts:
            context.close()
    assert log.foreign == [], log.foreign


def shown_cases(page) -> set[str]:
    return set(page.eval_on_selector_all("article.cb-card", "els => els.map(e => e.dataset.case)"))


def expected(library, industry=None, stage=None) -> set[str]:
    return {cid for cid, case in library.cases.items()
            if (industry is None or case.industry == industry) and (stage is None or stage in case.stages)}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


@pytest.mark.parametrize("visit", MODES, indirect=True)
def test_two_facets_narrow_the_catalogue_and_the_url_reproduces_it(visit, library):
    page = visit("cases/index.html")
    assert shown_cases(page) == set(library.cases)
    page.check("input[data-facet=industry][value=home-appliances]")
    assert shown_cases(page) == expected(library, "home-appliances")
    page.check("input[data-facet=stage][value=follow-up]")
    both = expected(library, "home-appliances", "follow-up")
    assert both and both < expected(library, "home-appliances")
    assert shown_cases(page) == both
    assert "industry=home-appliances" in page.url and "stage=follow-up" in page.url
    shot(page, f"catalogue-filtered-{visit.mode}.png")

    again = visit("cases/index.html" + page.url[page.url.index("?"):])
    assert shown_cases(again) == both
    assert again.is_checked("input[data-facet=stage][value=follow-up]")

    page.go_back()
    page.wait_for_function("() => !location.search.includes('stage=')")
    assert shown_cases(page) == expected(library, "home-appliances")


@pytest.mark.parametrize("visit", MODES, indirect=True)
def test_text_filter_finds_chinese_words_inside_longer_ones(visit, library):
    page = visit("cases/index.html")
    page.fill("input.cb-search", "海尔")
    want = {cid for cid, c in library.cases.items() if "海尔" in c.title + c.company + c.summary}
    assert want and shown_cases(page) == want
    assert "q=" in page.url


@pytest.mark.parametrize("visit", MODES, indirect=True)
def test_answer_is_hidden_until_opened(visit, library):
    page = visit("cases/huawei.html")
    first_answer = library.cases["huawei"].questions[0].answer.split("\n")[0][:12]
    answer = page.locator("details.cb-answer").first
    text = answer.locator("p").first
    assert first_answer in (text.text_content() or "")
    assert not text.is_visible()
    answer.locator("summary").click()
    assert text.is_visible()


@pytest.mark.parametrize("visit", MODES, indirect=True)
def test_read_mark_survives_a_reload_and_shows_on_the_path(visit):
    page = visit("cases/plum-buyer.html")
    buttons = page.locator(".cb-read button")
    assert buttons.count() == 2  # at the top and at the end of the case
    button = buttons.last
    assert button.inner_text() == "标记为已读"
    button.click()
    for either in (buttons.first, buttons.last):  # both show the new state at once
        assert "已读" in either.inner_text() and "标记" not in either.inner_text()
    page.reload()
    assert "已读" in page.locator(".cb-read button").first.inner_text()
    assert "标记" not in page.locator(".cb-read button").first.inner_text()
    page.goto(page.url.split("cases/")[0] + "paths/needs-insight.html")
    assert page.locator(".cb-progress").inner_text().startswith("阅读进度：已读 1 / 4")
    assert page.locator("li.cb-step--read").count() == 1


@pytest.mark.parametrize("visit", MODES, indirect=True)
@pytest.mark.parametrize("path", ["cases/haier.html", "cases/index.html", "overview/matrices.html", "index.html"])
def test_phone_screen_has_no_horizontal_scrolling(visit, path):
    page = visit(path, viewport={"width": 375, "height": 800}, is_mobile=True)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    if path == "cases/haier.html":
        shot(page, f"case-mobile-{visit.mode}.png")


@pytest.mark.parametrize("visit", MODES, indirect=True)
def test_screenshots_of_home_and_a_case(visit):
    page = visit("index.html", viewport={"width": 1280, "height": 900})
    assert "服务营销案例库" in page.title()
    shot(page, f"home-{visit.mode}.png")
    page = visit("cases/rice-seller.html", viewport={"width": 1280, "height": 900})
    assert page.title().startswith("王永庆卖米")
    shot(page, f"case-{visit.mode}.png")
