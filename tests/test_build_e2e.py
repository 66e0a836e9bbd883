"""End to end: build a site from the fixture corpus through MkDocs and read the HTML."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project

from casebook.cli import main

pytestmark = pytest.mark.slow


def build(project, *extra: str) -> int:
    return main(["--root", str(project.root), "build", *extra])


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("e2e") / "proj")
    assert build(project) == 0
    return project


def html(project, page: str) -> str:
    return (project.site_dir / page).read_text(encoding="utf-8")


def hrefs(text: str) -> set[str]:
    return set(re.findall(r'href="([^"#]+)(?:#[^"]*)?"', text))


def test_case_page_links_to_its_terms_and_terms_link_back(built):
    page = html(built, "cases/alpha.html")
    links = hrefs(page)
    for target in ("../industries/retail.html", "../stages/pre-sale.html", "../stages/after-sale.html",
                   "../principles/empathy.html", "../strategies/customer-database.html",
                   "../frameworks/complaint-steps.html", "../paths/basics.html", "gamma.html", "beta.html"):
        assert target in links, target
    for term_page in ("industries/retail.html", "stages/after-sale.html", "principles/empathy.html",
                      "strategies/customer-database.html", "frameworks/complaint-steps.html",
                      "paths/basics.html"):
        assert "../cases/alpha.html" in hrefs(html(built, term_page)), term_page


def test_case_page_shows_what_a_trainee_reads(built):
    page = html(built, "cases/alpha.html")
    assert "<title>米店送米 - 服务营销案例库</title>" in page
    assert '<details class="cb-fold cb-answer">' in page and "<summary>参考答案</summary>" in page
    assert "同样体现" in page
    assert page.index('id="stage-pre-sale"') < page.index('id="stage-after-sale"')
    assert "教学故事" in html(built, "cases/beta.html")


def test_term_page_compares_cases_side_by_side(built):
    page = html(built, "principles/attention-to-detail.html")
    for note in ("旧米放在上层这样的小动作。", "刻上“积善梳”三个字。", "上门穿鞋套。"):
        assert note in page


def test_site_has_its_own_search_and_no_material_index(built):
    """The index casebook.search writes is published beside the pages, and every page has the
    search box and client, with no Material search worker or index."""
    meta = (built.site_dir / "search/meta.js").read_text(encoding="utf-8")
    assert meta.startswith('casebookSearch.loaded("meta",') and '"卖梳子的故事"' in meta
    assert list((built.site_dir / "search/p").glob("*.js")) and list((built.site_dir / "search/t").glob("*.js"))
    assert not (built.site_dir / "search/search_index.json").exists()
    page = html(built, "cases/gamma.html")
    assert '<input type="search" class="md-search__input"' in page and "assets/search.js" in page
    assert "data-md-component=\"search\"" not in page


def test_no_page_loads_anything_from_another_host(built):
    for page in built.site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loads = re.findall(r'<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(?:https?:)?//[^"]*'
                           r'|<link\b[^>]*\bhref="(?:https?:)?//[^"]*', text)
        assert loads == [], page


def test_navigation_does_not_list_every_case(built):
    page = html(built, "cases/gamma.html")
    start = page.index('<nav class="md-nav md-nav--primary')
    nav = page[start:page.index('<nav class="md-nav md-nav--secondary', start)]
    assert "../stages/index.html" in nav
    assert "alpha.html" not in nav and "beta.html" not in nav


def test_two_builds_are_byte_identical(built, tmp_path):
    again = copy_project(tmp_path / "again")
    assert build(again) == 0
    assert tree_digest(again.site_dir) == tree_digest(built.site_dir)


def test_failed_build_leaves_previous_site_untouched(built, tmp_path, capsys):
    project = copy_project(tmp_path / "proj")
    shutil.copytree(built.site_dir, project.site_dir)
    before = tree_digest(project.site_dir)
    (project.cases_dir / "alpha.yaml").write_text("title: [\n", encoding="utf-8")
    assert build(project) == 1
    assert tree_digest(project.site_dir) == before
    assert "cases/alpha.yaml:2:1: YAML 语法错误" in capsys.readouterr().err


def test_mkdocs_failure_leaves_previous_site_untouched(built, tmp_path, capsys):
    project = copy_project(tmp_path / "proj")
    shutil.copytree(built.site_dir, project.site_dir)
    before = tree_digest(project.site_dir)
    config = project.mkdocs_file.read_text(encoding="utf-8")
    project.mkdocs_file.write_text(config.replace("theme:\n  name: material", "theme:\n  name: nosuchtheme"),
                                   encoding="utf-8")
    assert build(project) == 1
    assert tree_digest(project.site_dir) == before
    err = capsys.readouterr().err
    assert "MkDocs" in err and "site/ 保持不变" in err and "Traceback" not in err
    assert not list(project.root.glob("site.tmp-*"))


def test_generated_folder_builds_as_it_is_with_plain_mkdocs(built, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "plain-site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
                            cwd=built.root, capture_output=True, text=True, check=False,
                            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "米店送米" in (out / "cases/alpha.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", ["student", "trainer"])
def test_every_search_location_is_an_anchor_on_its_built_page(tmp_path_factory, edition):
    """The search index's sections come from the same section table as the pages: each result's
    address (page#anchor) lands on a heading of the built page, in both editions."""
    import json

    from conftest import copy_library

    project = copy_library(tmp_path_factory.mktemp(f"anchors-{edition}") / "proj")
    assert main(["--root", str(project.root), "build", "--edition", edition]) == 0
    from dataclasses import replace

    site = replace(project, edition=edition).site_dir
    search = site / "search"
    loaded = {}
    for path in [search / "meta.js", *sorted((search / "t").glob("*.js"))]:
        match = re.fullmatch(r'casebookSearch\.loaded\("(\w+)",(.*)\);\n', path.read_text(encoding="utf-8"), re.S)
        assert match, path
        loaded[match.group(1)] = json.loads(match.group(2))
    pages = loaded["meta"]["pages"]
    checked = teaching = 0
    for name, chunk in loaded.items():
        if not name.startswith("t"):
            continue
        for number, sections in chunk:
            url = pages[number][0]
            page = (site / url).read_text(encoding="utf-8")
            for anchor, heading, _text in sections:
                if anchor:
                    assert f'id="{anchor}"' in page, f"{url}#{anchor} ({heading})"
                    checked += 1
                    teaching += anchor.startswith("teaching-")
    assert checked > 16 * 8
    assert (teaching > 16 * 5) if edition == "trainer" else teaching == 0
