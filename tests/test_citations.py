"""Citations `[@key]`: checked at their file:line:col with a did-you-mean, shown as numbered
links `[N]` to their 资料来源 entry; no bare seed-file code left anywhere a reader reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_validation import GOOD, only_error, problems

from casebook.content.load import load_library
from casebook.export.printing import render_print_pages
from casebook.index.indexes import build_indexes
from casebook.project import Project
from casebook.render.pages import render_site

STORY = "story: |\n  第一段。\n\n  海尔认为服务也是产品[@compilation]，规模另说[@qa-9][@compilation]。"
CITED = GOOD.replace("story: 故事。", STORY) \
    .replace("sources:\n  - title: 资料\n",
             "sources:\n  - key: compilation\n    title: 汇编\n    section: 案例四\n"
             "  - key: qa-9\n    title: 问答\n    page: 12–14\n")


def test_a_mistyped_key_is_reported_where_it_is_written_with_a_suggestion(project, write):
    write("cases/new.yaml", CITED.replace("规模另说[@qa-9]", "规模另说[@qa-8]"))
    assert only_error(project) == ("cases/new.yaml:9:32: 引用 [@qa-8] 找不到对应的资料来源；"
                                   "是不是要写 [@qa-9]？")


def test_an_unknown_key_in_a_figure_source_lists_the_keys(project, write):
    text = CITED.replace("sources:", "figures:\n  - label: 数字\n    value: 1\n    source: 资料[@haier]\nsources:")
    write("cases/new.yaml", text)
    assert only_error(project) == ("cases/new.yaml:22:15: 引用 [@haier] 找不到对应的资料来源；"
                                   "本案例资料来源的 key 有：compilation、qa-9")


def test_keys_must_be_slugs_and_unique(project, write):
    write("cases/new.yaml", CITED.replace("key: qa-9", "key: compilation").replace("[@qa-9]", ""))
    assert "资料来源的 key 'compilation' 重复" in only_error(project)
    write("cases/new.yaml", CITED.replace("key: qa-9", "key: QA 9").replace("[@qa-9]", ""))
    errors, _ = problems(project)
    assert any("'QA 9' 不合格" in e for e in errors), errors


def test_citations_render_as_numbered_links_to_their_entry(project, write, tmp_path):
    write("cases/new.yaml", CITED)
    library, report = load_library(project)
    assert report.errors == []
    files = render_site(library, build_indexes(library), project.templates_dir)
    page = files["docs/cases/new.md"]
    assert isinstance(page, str)
    assert ('服务也是产品<a class="cb-cite" href="#source-1">[1]</a>，规模另说'
            '<a class="cb-cite" href="#source-2">[2]</a><a class="cb-cite" href="#source-1">[1]</a>') in page
    assert '<li id="source-1">汇编，案例四</li>' in page and '<li id="source-2">问答，第 12–14 页</li>' in page
    assert "[@" not in page
    search = "".join(str(content) for name, content in files.items() if name.startswith("docs/search/"))
    assert "服务也是产品[1]，规模另说[2][1]" in search and "[@" not in search
    book = render_print_pages(library, build_indexes(library), project.templates_dir)["casebook.html"]
    assert 'href="#new-source-2">[2]</a>' in book and 'id="new-source-2"' in book


# A seed file's code where a reader reads: "（002）", "(000)", "000_…", "与 003 的", "000 只写出".
BARE_CODE = re.compile(r"[（(]\s*00[0-4]\s*[）)]|00[0-4]_[0-9a-f]|(?<![\d.,])00[0-4](?=\s*(?:的|只|写|说|称))")
TAG = re.compile(r"<[^>]+>")


def _reading_files(root: Path) -> list[Path]:
    found = []
    for folder in ("site", "site-trainer", "dist/print", "generated/docs/search", "generated-trainer/docs/search"):
        base = root / folder
        found += [p for p in base.rglob("*") if p.suffix in (".html", ".js") and "assets" not in p.parts]
    return found


def _teaching_still_has_codes() -> bool:
    """The teaching notes are rewritten with citations on another branch; until it is merged,
    the trainer edition still shows their codes."""
    return any(BARE_CODE.search(path.read_text(encoding="utf-8").split("\nteaching:", 1)[-1])
               for path in (ROOT / "cases").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["student", "trainer"])
def test_no_bare_seed_codes_and_every_citation_lands(library_site, edition):
    root = library_site["root"]
    files = [p for p in _reading_files(root)
             if ("trainer" in p.as_posix()) == (edition == "trainer")]
    assert len(files) > 50
    leaks = []
    for path in files:
        text = TAG.sub(" ", path.read_text(encoding="utf-8"))
        leaks += [f"{path.relative_to(root)}: {m.group(0)}" for m in BARE_CODE.finditer(text)]
        # The format page shows the syntax itself; nowhere else is a citation left unrendered.
        assert "[@" not in text or path.name == "format.html", path
    if edition == "trainer" and leaks and _teaching_still_has_codes():
        pytest.xfail(f"the teaching notes' codes ({len(leaks)}) are being rewritten on another branch")
    assert leaks == []
    # Every [N] link of a page points at an entry that page has (or, from a term page, the case's).
    for path in files:
        if path.suffix != ".html":
            continue
        html = path.read_text(encoding="utf-8")
        for href in re.findall(r'class="cb-cite" href="([^"]+)"', html):
            target, _, anchor = href.partition("#")
            holder = (path.parent / target).resolve() if target else path
            assert f'id="{anchor}"' in holder.read_text(encoding="utf-8"), (path, href)


def test_bundled_cases_cite_only_their_own_sources():
    library, report = load_library(Project(ROOT))
    assert report.errors == []
    assert all(source.key for case in library.cases.values() for source in case.sources)
    assert sum("[@" in case.figures[0].source for case in library.cases.values() if case.figures) >= 3
