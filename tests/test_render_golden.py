"""Golden files: the Markdown rendered for the fixture corpus, page by page.

After an intended change to a template, regenerate with `UPDATE_GOLDEN=1 pytest tests/test_render_golden.py`
and review the diff like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casebook.content.load import load_library
from casebook.index.indexes import build_indexes
from casebook.render.pages import render_site

GOLDEN = Path(__file__).resolve().parent / "golden" / "basic"


@pytest.fixture
def rendered(project) -> dict[str, str]:
    library, report = load_library(project)
    assert report.errors == []
    return render_site(library, build_indexes(library), project.templates_dir)


def test_rendered_pages_match_golden_files(rendered):
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, content in rendered.items():
            path = GOLDEN / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(rendered) == sorted(expected)
    for name, content in rendered.items():
        assert content == expected[name], f"{name} differs from its golden file"


def test_case_page_links_every_term_and_shows_parts(rendered):
    page = rendered["docs/cases/alpha.md"]
    for link in ("../industries/retail.html", "../stages/pre-sale.html", "../stages/after-sale.html",
                 "../principles/empathy.html", "../strategies/customer-database.html",
                 "../frameworks/complaint-steps.html", "../paths/basics.html", "gamma.html"):
        assert f'<a href="{link}">' in page, link
    assert '<details class="cb-fold cb-answer">\n<summary>参考答案</summary>\n<p>因为他卖的不只是米。</p>' in page
    assert '下一篇 <a href="beta.html">卖梳子的故事</a> →' in page
    assert ('同样体现 <a href="../principles/empathy.html">关怀性</a>、'
            '<a href="../principles/attention-to-detail.html">细节</a>') in page
    # Every section a heading of its own, with the anchor search points at.
    for anchor in ("summary", "story", "stages", "principles", "strategies", "questions", "sources"):
        assert f" {{#{anchor}}}\n" in page, anchor
    assert "### 售前 {#stage-pre-sale}" in page
    assert "教学说明" not in page  # the student edition, rendered by default


def test_term_page_compares_each_cases_own_note(rendered):
    page = rendered["docs/principles/attention-to-detail.md"]
    row = ('<tr><td><a href="../cases/alpha.html">米店送米</a></td>'
           '<td><a href="../industries/retail.html">零售</a></td><td>旧米放在上层这样的小动作。</td></tr>')
    assert row in page
    assert "<td>上门穿鞋套。</td>" in page
    stage = rendered["docs/stages/after-sale.md"]
    assert "### 米店送米 {#alpha data-search-exclude}" in stage and "<li>清洗米缸</li>" in stage


def test_parable_is_labelled(rendered):
    assert '<p class="admonition-title">教学故事</p>' in rendered["docs/cases/beta.md"]
    assert 'class="admonition-title">教学故事' not in rendered["docs/cases/alpha.md"]


def test_search_index_is_written_with_the_pages(rendered):
    """The index goes into the generated folder, so a plain `mkdocs build` or Zensical of that
    folder has the same search as `build.py build`, and `serve` gets it on every save."""
    meta = rendered["docs/search/meta.js"]
    for name in ("米店送米", "卖梳子的故事", "家电企业的服务体系", "投诉处理四步"):
        assert f'"{name}"' in meta, name
    assert any(name.startswith("docs/search/p/") for name in rendered)
    assert any(name.startswith("docs/search/t/") for name in rendered)


def test_trainer_edition_adds_the_teaching_note_and_prep_page(project):
    from casebook.content.editions import EDITIONS

    library, _ = load_library(project)
    pages = render_site(library, build_indexes(library), project.templates_dir, edition=EDITIONS["trainer"])
    case = pages["docs/cases/alpha.md"]
    for heading in ("## 教学说明 {#teaching}", "### 学习目标 {#teaching-objectives}",
                    "### 课堂计划（90 分钟） {#teaching-plan}", "### 角色扮演 {#teaching-role-play}",
                    "### 评分标准 {#teaching-rubric}"):
        assert heading in case, heading
    assert "<td>0–20 分</td><td>20</td>" in case.replace(' class="cb-nowrap"', "")
    prep = pages["docs/prep/index.md"]
    assert '<article class="cb-card" data-role="yes" data-length="middle" data-industry="retail">' in prep
    assert '<a href="../cases/alpha.html#teaching">米店送米</a>' in prep
    assert "还没有教学说明的案例" in prep  # beta and gamma have none
    assert "docs/prep/index.md" not in render_site(library, build_indexes(library), project.templates_dir)
    # The trainer's search finds the teaching note; the student's index holds none of it.
    assert "把顾客的需要记在本子上" in "".join(v for k, v in pages.items() if k.startswith("docs/search/"))
    student = render_site(library, build_indexes(library), project.templates_dir)
    assert "把顾客的需要记在本子上" not in "".join(v for k, v in student.items() if k.startswith("docs/search/"))
