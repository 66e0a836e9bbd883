"""The second engine: the generated folder built with Zensical gives a whole, working site.

Skipped where Zensical is not installed (`pip install -e '.[zensical]'`); CI installs it and sets
REQUIRE_ZENSICAL=1, which turns the skip into a failure."""

from __future__ import annotations

import os
import shutil

import pytest
from browser import RequestLog
from conftest import ROOT, copy_library
from linkcheck import check_site

from casebook.cli import main

pytestmark = pytest.mark.slow


def require_zensical() -> None:
    from casebook.site.build import zensical_command

    if zensical_command() is None:
        reason = "Zensical is not installed (pip install -e '.[zensical]')"
        if os.environ.get("REQUIRE_ZENSICAL") == "1":
            pytest.fail(reason + "; REQUIRE_ZENSICAL=1 makes this a failure")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def zensical_sites(tmp_path_factory):
    """The bundled library built with Zensical, both editions."""
    require_zensical()
    project = copy_library(tmp_path_factory.mktemp("zensical") / "proj")
    for edition in ("student", "trainer"):
        assert main(["--root", str(project.root), "build", "--engine", "zensical", "--edition", edition]) == 0
    return project


def test_every_page_is_built_and_every_internal_link_resolves(zensical_sites):
    site = zensical_sites.site_dir
    cases = [f"cases/{p.stem}.html" for p in (ROOT / "cases").glob("*.yaml")]
    for page in cases:
        assert (site / page).is_file(), page
    markdown_pages = sorted(p.relative_to(zensical_sites.docs_dir).with_suffix(".html").as_posix()
                            for p in zensical_sites.docs_dir.rglob("*.md"))
    missing = [page for page in markdown_pages if not (site / page).is_file()]
    assert missing == []
    report = check_site(site, must_reach=cases)
    assert report.pages >= len(markdown_pages) and report.links > 1000
    assert report.broken == []
    assert report.unreachable == []


def test_the_trainer_edition_has_its_prep_page_and_notes(zensical_sites):
    from dataclasses import replace

    trainer = replace(zensical_sites, edition="trainer").site_dir
    prep = (trainer / "prep" / "index.html").read_text(encoding="utf-8")
    assert "服务营销案例库（讲师版）" in prep and 'data-role="yes"' in prep
    assert 'id="teaching"' in (trainer / "cases" / "huawei.html").read_text(encoding="utf-8")
    assert 'id="teaching"' not in (zensical_sites.site_dir / "cases" / "huawei.html").read_text(encoding="utf-8")
    assert not (zensical_sites.site_dir / "prep").exists()


@pytest.mark.browser
@pytest.mark.parametrize("offline", [False, True], ids=["http", "file"])
def test_navigation_and_catalogue_work_in_the_browser(zensical_sites, browser, tmp_path, offline):
    from browser import serve_folder

    site = zensical_sites.site_dir
    if offline:  # as the unzipped export is read: a copy on file://, the network switched off
        copy = tmp_path / "offline"
        shutil.copytree(site, copy)
    log = RequestLog()
    context = browser.new_context(offline=offline)
    page = context.new_page()
    log.attach(page)
    try:
        with serve_folder(site) as server:
            base = copy.as_uri() if offline else server
            page.goto(f"{base}/index.html")
            page.get_by_role("link", name="案例目录").first.click()
            page.wait_for_selector("article.cb-card")
            cards = page.locator("article.cb-card")
            assert cards.count() == len(list((ROOT / "cases").glob("*.yaml")))
            page.locator(".cb-option", has_text="家电").first.click()
            page.wait_for_function("document.querySelectorAll('article.cb-card').length < 16")
            titles = page.locator("article.cb-card h2").all_inner_texts()
            assert titles and all(title for title in titles)
            assert any("海尔" in title for title in titles)
            page.locator("article.cb-card h2 a").first.click()
            page.wait_for_selector("h1")
            assert "/cases/" in page.url and page.locator("h2#summary").count() == 1
    finally:
        context.close()
    assert log.foreign == []
