"""Golden files: the Markdown rendered for the fixture corpus, page by page.

After an intended change to a template, regenerate with `UPDATE_GOLDEN=1 pytest tests/test_render_golden.py`
and review the diff like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casebook.indexes import build_indexes
from casebook.load import load_library
from casebook.render import render_site

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
    for link in ("../industries/retail.md", "../stages/pre-sale.md", "../stages/after-sale.md",
                 "../principles/empathy.md", "../strategies/customer-database.md",
                 "../frameworks/complaint-steps.md", "../paths/basics.md", "../cases/gamma.md"):
        assert f"]({link})" in page, link
    assert '??? note "参考答案"\n    因为他卖的不只是米。' in page
    assert "下一篇 [卖梳子的故事](../cases/beta.md) →" in page
    assert "同样体现 [关怀性](../principles/empathy.md)、[细节](../principles/attention-to-detail.md)" in page


def test_term_page_compares_each_cases_own_note(rendered):
    page = rendered["docs/principles/attention-to-detail.md"]
    row = ('<tr><td><a href="../cases/alpha.html">米店送米</a></td>'
           '<td><a href="../industries/retail.html">零售</a></td><td>旧米放在上层这样的小动作。</td></tr>')
    assert row in page
    assert "<td>上门穿鞋套。</td>" in page
    stage = rendered["docs/stages/after-sale.md"]
    assert "### 米店送米 {#alpha data-search-exclude}" in stage and "- 清洗米缸" in stage


def test_parable_is_labelled(rendered):
    assert '!!! info "教学故事"' in rendered["docs/cases/beta.md"]
    assert '!!! info "教学故事"' not in rendered["docs/cases/alpha.md"]


def test_search_index_is_written_with_the_pages(rendered):
    """The index goes into the generated folder, so a plain `mkdocs build` or Zensical of that
    folder has the same search as `build.py build`, and `serve` gets it on every save."""
    meta = rendered["docs/search/meta.js"]
    for name in ("米店送米", "卖梳子的故事", "家电企业的服务体系", "投诉处理四步"):
        assert f'"{name}"' in meta, name
    assert any(name.startswith("docs/search/p/") for name in rendered)
    assert any(name.startswith("docs/search/t/") for name in rendered)
