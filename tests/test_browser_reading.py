"""Reading, in a real browser at desktop and phone widths: type made for Chinese (computed sizes,
line heights and font families), English names that hyphenate and stay whole, Casebook's own
folds, the phone menu marking where the reader is, and the catalogue on a phone (cases on the
first screen, filters behind one button) with its sort control (pinyin, period, industry)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from browser import serve_folder, type_search

from casebook.content.load import load_library
from casebook.index.order import start_year, title_key
from casebook.project import Project

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESKTOP, PHONE = 1366, 390
CHINESE_FONTS = ["PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                 "WenQuanYi Micro Hei"]


@pytest.fixture(scope="module")
def base(library_site):
    site = library_site["http"]
    with serve_folder(site, not_found_page=site / "404.html") as url:
        yield url


@pytest.fixture(scope="module")
def library(library_site):
    library, _ = load_library(Project(library_site["root"]))
    return library


@pytest.fixture
def open_page(browser, base):
    contexts = []

    def _open(path: str, width: int = DESKTOP):
        # A phone's first screen: 390 × 844 (an iPhone 12–14).
        context = browser.new_context(viewport={"width": width, "height": 844 if width == PHONE else 900},
                                      is_mobile=width == PHONE, has_touch=width == PHONE)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base}/{path}")
        page.wait_for_load_state("load")
        return page

    yield _open
    for context in contexts:
        context.close()


STYLE = """e => { const s = getComputedStyle(e); return {size: parseFloat(s.fontSize),
    line: parseFloat(s.lineHeight) / parseFloat(s.fontSize), family: s.fontFamily, hyphens: s.hyphens}; }"""


def families(value: str) -> list[str]:
    return [name.strip().strip('"') for name in value.split(",")]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_chinese_text_is_at_least_15px_with_room_between_lines(open_page, width):
    page = open_page("cases/haier.html", width)
    page.locator("details.cb-answer summary").first.click()
    checks = {
        "body": ".md-content .md-typeset > p",
        "story": "#story ~ p",
        "table cell": "#principles ~ .md-typeset__scrollwrap td, #principles ~ table td, #principles ~ * td",
        "answer": "details.cb-answer[open] > p",
    }
    for what, selector in checks.items():
        style = page.locator(selector).first.evaluate(STYLE)
        assert style["size"] >= 15, (what, style)
        assert 1.65 <= style["line"] <= 1.85, (what, style)
        assert style["hyphens"] == "manual", (what, style)
    names = families(page.locator("body").evaluate(STYLE)["family"])
    assert names[-1] == "sans-serif"
    for font in CHINESE_FONTS:  # every common Chinese system font, before the generic family
        assert font in names, (font, names)
    assert not any("fonts.googleapis" in (s or "") for s in
                   page.eval_on_selector_all("link[rel=stylesheet]", "els => els.map(e => e.href)"))


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_search_snippets_are_at_least_15px(open_page, width):
    page = open_page("index.html", width)
    if width == PHONE:  # the box is behind the header's search button
        page.locator('label.md-header__button[for="__search"]').click()
    type_search(page, "回访")
    page.wait_for_function("() => document.querySelector('[data-cb-search]').getAttribute('data-searched') === '回访'",
                           timeout=15_000)
    snippet = page.locator(".cb-search-result__snippet").first
    snippet.wait_for(state="visible")
    assert snippet.evaluate(STYLE)["size"] >= 15


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_english_names_hyphenate_and_stay_whole_beside_chinese(open_page, width):
    page = open_page("principles/customer-centric.html", width)
    english = page.locator("h1 [lang=en]")
    assert english.inner_text() == "Customer-centricity"
    assert english.evaluate(STYLE)["hyphens"] == "auto"
    # One line box: never "Customer-" at a line's end and "centricity" on the next.
    assert english.evaluate("e => e.getClientRects().length") == 1
    box = english.bounding_box()
    assert box and box["height"] < 2 * english.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")


def test_answers_and_filter_groups_are_folds_of_our_own(open_page):
    page = open_page("cases/haier.html")
    answer = page.locator("details.cb-answer").first
    assert "note" not in (answer.get_attribute("class") or "").split()
    look = answer.evaluate("""e => ({border: getComputedStyle(e).borderTopStyle,
        icon: getComputedStyle(e.querySelector('summary'), '::before').content,
        label: e.querySelector('summary').textContent.trim()})""")
    assert look == {"border": "none", "icon": "none", "label": "参考答案"}
    catalogue = open_page("cases/index.html")
    groups = catalogue.locator("details.cb-facet")
    assert groups.count() == 5
    assert groups.first.evaluate("e => [e.classList.contains('cb-fold'), getComputedStyle(e).borderTopStyle,"
                                 " getComputedStyle(e.querySelector('summary'), '::before').content]") \
        == [True, "none", "none"]


@pytest.mark.parametrize("path, section", [
    ("cases/haier.html", "案例目录"), ("principles/customer-centric.html", "服务原则"),
    ("frameworks/six-steps-after-sales.html", "方法与框架"), ("paths/needs-insight.html", "学习路径"),
    ("stages/index.html", "服务阶段"), ("index.html", "首页"),
])
def test_phone_menu_marks_the_section(open_page, path, section):
    page = open_page(path, PHONE)
    page.locator('label.md-header__button[for="__drawer"]').click()
    page.wait_for_timeout(300)
    items = ".md-nav--primary > .md-nav__list > .md-nav__item"
    current = page.locator(f"{items} > a[aria-current]")
    assert current.count() == 1
    # The section's index page is "page"; a page under the section, "true".
    assert current.get_attribute("aria-current") == ("page" if path.endswith("index.html") else "true")
    # What the reader sees of it: the link, or on a page with contents Material's label in its place.
    item = page.locator(f"{items}.md-nav__item--active")
    assert item.count() == 1
    shown = [link for link in item.locator(":scope > .md-nav__link").all() if link.is_visible()]
    assert len(shown) == 1 and shown[0].inner_text().strip() == section
    style = shown[0].evaluate("e => [getComputedStyle(e).fontWeight, getComputedStyle(e).boxShadow]")
    assert int(style[0]) >= 700 and "inset" in style[1], style
    others = page.locator(f"{items}:not(.md-nav__item--active) > .md-nav__link")
    assert all(int(w) < 700 for w in others.evaluate_all("els => els.map(e => getComputedStyle(e).fontWeight)"))


def card_ids(page) -> list[str]:
    return page.eval_on_selector_all("article.cb-card", "els => els.map(e => e.dataset.case)")


def test_catalogue_on_a_phone_shows_cases_on_the_first_screen(open_page):
    page = open_page("cases/index.html", PHONE)
    first = page.locator("article.cb-card h2").first
    box = first.bounding_box()
    assert box and box["y"] + box["height"] <= 844, box  # the first case's title, unscrolled
    toggle = page.locator("button.cb-filter-toggle")
    assert toggle.inner_text() == "筛选（已选 0）" and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(".cb-facets").is_visible()
    toggle.click()
    assert page.locator(".cb-facets").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.locator(".cb-facet input[data-facet=industry]").first.check()
    assert toggle.inner_text() == "筛选（已选 1）"
    page.locator(".cb-facet input[data-facet=kind]").first.check()
    assert toggle.inner_text() == "筛选（已选 2）"
    # On a desktop there is no button: the filters are always there.
    desktop = open_page("cases/index.html")
    assert not desktop.locator("button.cb-filter-toggle").is_visible()
    assert desktop.locator(".cb-facets").is_visible()


def test_catalogue_sorts_by_pinyin_period_and_industry_kept_in_the_url(open_page, library):
    cases = library.cases.values()
    by_title = [c.id for c in sorted(cases, key=lambda c: title_key(c.title))]
    page = open_page("cases/index.html")
    assert card_ids(page) == by_title  # the default, and a real pinyin order: 海尔 before 王永庆
    titles = [library.cases[cid].title for cid in by_title]
    assert titles.index("海尔服务") < titles.index("王永庆卖米")

    page.select_option(".cb-sort select", "period")
    assert parse_qs(urlparse(page.url).query).get("sort") == ["period"]
    shown = card_ids(page)
    years = [start_year(library.cases[cid].period) for cid in shown]
    dated = [y for y in years if y is not None]
    assert dated == sorted(dated) and years[:len(dated)] == dated  # cases without a period last
    assert shown != by_title

    page.select_option(".cb-sort select", "industry")
    ranks = {key: i for i, key in enumerate(library.taxonomy.keys("industries"))}
    shown = card_ids(page)
    assert shown == sorted(shown, key=lambda cid: (ranks[library.cases[cid].industry],
                                                   title_key(library.cases[cid].title)))
    page.go_back()
    assert parse_qs(urlparse(page.url).query).get("sort") == ["period"]
    assert page.locator(".cb-sort select").input_value() == "period"
    assert card_ids(page) == sorted(card_ids(page), key=lambda cid: (
        start_year(library.cases[cid].period) is None, start_year(library.cases[cid].period) or 0,
        title_key(library.cases[cid].title)))
    page.go_back()
    assert "sort=" not in page.url and card_ids(page) == by_title
    # The URL alone reproduces the order, with a filter beside it.
    industry = next(iter(cases)).industry
    shared = open_page(f"cases/index.html?industry={industry}&sort=industry")
    assert shared.locator(".cb-sort select").input_value() == "industry"
    assert set(card_ids(shared)) == {c.id for c in cases if c.industry == industry}


def test_home_opens_with_where_to_start(open_page, library):
    for width in (DESKTOP, PHONE):
        page = open_page("index.html", width)
        start = page.locator("#start")
        assert start.bounding_box()["y"] < 844
        first_path = next(iter(library.paths.values()))
        link = page.locator(f'.md-content a[href="paths/{first_path.key}.html"]').first
        assert link.is_visible()
        assert page.locator("table").count() == 0  # the counts are no longer a table
        starters = page.locator("#start ~ ul").first.locator("li")
        assert 3 <= starters.count() <= 4
        assert re.search(r"：\S", starters.first.inner_text())
    # On a desktop the path, the starter cases and the search hint are all on the first screen.
    page = open_page("index.html")
    for node in (page.locator("#start ~ ul").first.locator("li").last, page.locator("#start ~ p kbd").first):
        box = node.bounding_box()
        assert box and box["y"] + box["height"] <= 900, box
