"""What a trainee sees, in a real browser: lists that are lists, no page wider than a phone, the
section's tab lit and a way back, readable matrices, no internal file names, a Chinese 404 page
that works anywhere, and no serious or critical accessibility violation (axe-core) on any page
type at desktop and phone widths."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from browser import serve_folder
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = 1366, 390

# One page of each type, and the tab (navigation section) it belongs to; the 404 page has none.
PAGES = {
    "index.html": "首页",
    "cases/index.html": "案例目录",
    "cases/haier.html": "案例目录",
    "cases/plum-buyer.html": "案例目录",  # a parable (教学故事)
    "stages/after-sale.html": "服务阶段",
    "principles/reliability.html": "服务原则",
    "frameworks/six-steps-after-sales.html": "方法与框架",
    "overview/matrices.html": "备课工具",
    "overview/coverage.html": "备课工具",  # trainer edition only, like the format page
    "guide/format.html": "备课工具",  # wide tables of text, no links in them
    "paths/needs-insight.html": "学习路径",
    "404.html": None,
}
# Material's search dialog has no accessible name: the search box is another piece of work
# (issue 11's search half). Its nodes are counted and reported apart, never dropped silently.
FILE_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


@pytest.fixture(scope="module")
def site(library_site) -> Path:
    return library_site["http"]


@pytest.fixture(scope="module")
def base(site):
    with serve_folder(site, not_found_page=site / "404.html") as url:
        yield url


# Pages for preparing and writing cases: opened in the trainer edition, the only one that has them.
TRAINER_ONLY = {"overview/coverage.html", "guide/format.html"}


@pytest.fixture(scope="module")
def trainer_base(library_site):
    site = library_site["root"] / "site-trainer"
    with serve_folder(site, not_found_page=site / "404.html") as url:
        yield url


@pytest.fixture
def open_page(browser, base, trainer_base):
    contexts = []

    def _open(path: str, width: int = DESKTOP, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{trainer_base if path in TRAINER_ONLY else base}/{path}")
        page.wait_for_load_state("load")
        return page

    yield _open
    for context in contexts:
        context.close()


def axe_source() -> str:
    if not AXE.is_file():
        reason = "node_modules/axe-core is missing (run `npm ci --no-audit --no-fund` at the repository root)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; REQUIRE_BROWSER=1 makes this a failure")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("path", list(PAGES))
def test_no_serious_or_critical_accessibility_violation(open_page, path, width):
    source = axe_source()
    page = open_page(path, width)
    page.add_script_tag(content=source)
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 120)}))}));
    }""")
    # The search box and dialog (Casebook's own search) included: nothing is left out.
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("path", list(PAGES))
def test_phone_page_never_scrolls_sideways(open_page, path):
    page = open_page(path, PHONE)
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 390px phone"


@pytest.mark.parametrize("path", [p for p, tab in PAGES.items() if tab])
def test_the_sections_tab_is_active(open_page, path):
    page = open_page(path)
    active = page.eval_on_selector_all(".md-tabs__item--active .md-tabs__link",
                                       "els => els.map(e => e.textContent.trim())")
    assert active == [PAGES[path]]


@pytest.mark.parametrize("path, section", [("cases/haier.html", "案例目录"), ("stages/after-sale.html", "服务阶段"),
                                           ("frameworks/six-steps-after-sales.html", "方法与框架"),
                                           ("paths/needs-insight.html", "学习路径")])
def test_breadcrumb_shows_the_way_back(open_page, path, section):
    page = open_page(path)
    crumbs = page.locator("nav.cb-breadcrumb")
    assert crumbs.locator("a").all_inner_texts() == ["首页", section]
    assert crumbs.locator("[aria-current=page]").inner_text() in page.locator("h1").inner_text()
    crumbs.locator("a", has_text=section).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().startswith(section) or section in page.title()


def paragraphs_with_list_marks(page) -> list[str]:
    """Paragraphs with a later line that starts like a list item: a list Markdown did not see (a
    numbered question in bold, "**1. …**", is a paragraph of its own and rightly one)."""
    return page.eval_on_selector_all(
        ".md-content p", r"els => els.map(e => e.textContent).filter(t => /\n\s*([-*+]|\d+[.)]) \S/.test(t))")


@pytest.mark.parametrize("path, item", [
    ("cases/haier.html", "2000 年的经营规模"),
    ("cases/china-mobile.html", None),
    ("stages/after-sale.html", None),
])
def test_lists_written_under_a_line_are_lists(open_page, path, item):
    page = open_page(path)
    assert paragraphs_with_list_marks(page) == []
    assert page.locator(".md-content li").count() > 0
    if item:
        assert page.locator(".md-content li", has_text=item).count() == 1


def test_print_handouts_show_lists_as_lists(library_site, browser):
    handout = library_site["file"] / "print" / "cases" / "haier.html"
    assert handout.is_file()
    page = browser.new_page()
    try:
        page.goto(handout.as_uri())
        texts = page.eval_on_selector_all(
            "p", r"els => els.map(e => e.textContent).filter(t => /\n\s*[-*+] \S/.test(t))")
        assert texts == []
        assert page.locator("li", has_text="2000 年的经营规模").count() == 1
    finally:
        page.close()


def test_case_page_headings_and_read_control_at_both_ends(open_page):
    page = open_page("cases/haier.html")
    for heading in ("推荐对照阅读", "同类案例", "引用了本案例的案例"):
        assert page.locator("h3", has_text=heading).count() == 1, heading
    assert page.locator(".md-content li", has_text="引用了本案例的案例").count() == 0
    buttons = page.locator(".cb-read button")
    assert buttons.count() == 2
    top_y = buttons.first.bounding_box()["y"]
    end_y = buttons.last.bounding_box()["y"]
    assert end_y > page.locator("#questions").bounding_box()["y"] > top_y
    buttons.last.click()
    assert buttons.first.inner_text() == buttons.last.inner_text() == "✓ 已读（点击取消）"
    assert page.locator("a.headerlink").first.get_attribute("title") == "本节的链接（可复制分享）"


@pytest.mark.parametrize("path", ["cases/haier.html", "stages/after-sale.html", "principles/reliability.html",
                                  "frameworks/six-steps-after-sales.html"])
def test_no_internal_file_names(open_page, path):
    text = open_page(path).locator(".md-content").inner_text()
    assert not FILE_NAME.search(text), FILE_NAME.search(text)
    assert "资料文件" not in text


def test_matrices_are_readable_on_desktop_and_phone(open_page):
    page = open_page("overview/matrices.html")
    # Full case names on one line beside grid lines.
    lines = page.eval_on_selector_all(
        "#case-strategy ~ .cb-scroll table tbody th a", "els => els.map(e => e.getClientRects().length)")
    assert lines and set(lines) == {1}
    borders = page.eval_on_selector(".cb-matrix td", "e => getComputedStyle(e).borderRightStyle")
    assert borders == "solid"
    # Strategy names in the header stay whole: one (vertical) line each.
    header_lines = page.eval_on_selector_all(
        ".cb-matrix--tall thead th a", "els => els.map(e => e.getClientRects().length)")
    assert header_lines and set(header_lines) == {1}
    # Empty cells are calm: no text, no red.
    empties = page.eval_on_selector_all(".cb-matrix td.cb-none", "els => els.map(e => e.textContent)")
    assert empties and set(empties) == {""}
    # Counts are a heat scale.
    assert page.locator(".cb-matrix td[class^=cb-heat-4]").count() > 0

    phone = open_page("overview/matrices.html", PHONE)
    first_column = phone.eval_on_selector(".cb-matrix--tall tbody th", "e => getComputedStyle(e).position")
    assert first_column == "sticky"
    phone_lines = phone.eval_on_selector_all(".cb-matrix tbody th a", "els => els.map(e => e.getClientRects().length)")
    assert max(phone_lines) <= 3  # wrapped at word width, never a column of single characters
    widths = phone.eval_on_selector_all(".cb-matrix tbody th", "els => els.map(e => e.getBoundingClientRect().width)")
    assert min(widths) > 60


@pytest.mark.parametrize("path", ["overview/matrices.html", "overview/coverage.html", "guide/format.html"])
def test_wide_tables_scroll_in_their_own_box_and_show_it(open_page, path):
    page = open_page(path, PHONE)
    # Our matrices' boxes and the boxes Material puts around Markdown tables.
    boxes = page.eval_on_selector_all(".cb-scroll, .md-typeset__scrollwrap", """els => els.map(e => ({
        wide: e.scrollWidth > e.clientWidth + 1, fits: e.getBoundingClientRect().right <= innerWidth + 1,
        overflow: getComputedStyle(e).overflowX, hint: getComputedStyle(e).backgroundImage,
        keyboard: e.tabIndex === 0 && !!e.getAttribute("aria-label")}))""")
    wide = [b for b in boxes if b["wide"]]
    assert wide, f"no table on {path} is wider than a phone: nothing tested"
    for b in wide:
        assert b["fits"] and b["overflow"] == "auto" and "gradient" in b["hint"] and b["keyboard"], b


def test_catalogue_without_javascript_lists_every_case(open_page, library_site):
    from casebook.content.load import load_library
    from casebook.project import Project

    library, _ = load_library(Project(library_site["root"]))
    page = open_page("cases/index.html", java_script_enabled=False)
    hrefs = page.eval_on_selector_all(".cb-static a", "els => els.map(e => e.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"../cases/{cid}.html" for cid in library.cases)
    assert "](" not in page.locator(".md-content").inner_text()


def test_home_lists_cases_by_industry(open_page, library_site):
    from casebook.content.load import load_library
    from casebook.project import Project

    library, _ = load_library(Project(library_site["root"]))
    page = open_page("index.html")
    # The list after the heading "案例（按行业）": one item per industry, its cases nested in it.
    groups = page.eval_on_selector_all("#cases + ul > li", """els => els.map(li => [
        li.querySelector('a[href^="industries/"]').getAttribute("href").slice(11, -5),
        li.querySelectorAll('ul a[href^="cases/"]').length])""")
    order = list(library.taxonomy.keys("industries"))
    assert [key for key, _ in groups] == [k for k in order if any(c.industry == k for c in library.cases.values())]
    assert sum(n for _, n in groups) == len(library.cases)


def heading(page) -> str:
    """The page's title as read (without the permalink mark beside it)."""
    return page.locator("h1").inner_text().replace("¶", "").strip()


def test_404_page_is_chinese_and_works_at_any_depth(open_page, base):
    page = open_page("a/deeper/missing-page.html")
    page.wait_for_url("**/404.html?missing=*")
    page.wait_for_load_state("load")
    assert heading(page) == "页面不存在"
    assert "/a/deeper/missing-page.html" in page.locator(".cb-missing").inner_text()
    assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).position") == "sticky"
    page.locator("a", has_text="回到首页").click()
    page.wait_for_load_state("load")
    assert page.url == f"{base}/index.html"


def test_404_page_works_from_file(library_site, browser):
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        page.goto((library_site["file"] / "404.html").as_uri())
        assert heading(page) == "页面不存在"
        assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).position") == "sticky"
        assert "Not found" not in page.content()
        page.locator("a", has_text="回到首页").click()
        assert page.url.endswith("casebook-student-offline/index.html")
    finally:
        context.close()


def test_framework_items_are_a_numbered_list_with_the_description_under_each_name(open_page, library_site):
    from casebook.content.load import load_library
    from casebook.project import Project

    library, _ = load_library(Project(library_site["root"]))
    framework = library.frameworks["six-steps-after-sales"]
    page = open_page("frameworks/six-steps-after-sales.html")
    items = page.eval_on_selector_all("#items + ol > li", """els => els.map(li => [
        li.querySelector("strong").textContent, li.querySelectorAll(":scope > p").length])""")
    assert [name for name, _ in items] == [item.name for item in framework.items]
    assert all(paragraphs == 2 for _, paragraphs in items)  # the name, then its description
