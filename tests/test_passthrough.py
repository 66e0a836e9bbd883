"""The HTML pass-through plugin: the site it builds is the site MkDocs builds without it.

Python-Markdown copies a raw HTML block verbatim, after parsing all of it; the plugin takes the
blocks Casebook rendered out before Python-Markdown runs and puts them back after. Every test here
compares against Python-Markdown or MkDocs themselves, never against a hand-written expectation."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import copy_library, copy_project

from casebook.cli import main
from casebook.project import Project
from casebook.site.build import SiteBuildError, run_mkdocs
from casebook.site.passthrough import (
    SAFE_EXTENSIONS,
    passthrough_applies,
    put_back_blocks,
    take_out_blocks,
    whole_blocks,
)

EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.details", "fenced_code"]


def python_markdown(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def through_the_plugin(text: str) -> tuple[str, int]:
    taken, blocks = take_out_blocks(text, "cbrawtokenx")
    return put_back_blocks(python_markdown(taken), "cbrawtokenx", blocks), len(blocks)


# Documents that each probe one rule of Python-Markdown's raw-HTML handling.
DOCUMENTS = {
    "case page shape": "# 标题\n\n<p class=\"a\">一</p>\n<table>\n<tr><td>x</td></tr>\n</table>\n\n"
                       "## 二 {#two}\n\n<ul>\n<li><a href=\"x.html\">甲</a></li>\n</ul>\n",
    "several blank lines": "<div>a</div>\n\n\n\n<p>b</p>\n   \n<p>c</p>",
    "nested same tag": "<div><div>a</div>\n<div>b</div></div>\n\n<p>c</p>\n",
    "blank line inside a div": "<div>\n<p>a</p>\n\n<p>b</p>\n</div>\n\n<p>after</p>\n",
    "blank line in pre": "<pre><code>a\n\nb</code></pre>\n\n<p>c</p>\n",
    "fenced code holding HTML": "```html\n<div>x</div>\n\n<p>y</p>\n```\n\n<p>z</p>\n",
    "fenced code with a blank line, then HTML": "```text\nline\n\n<div>in the code</div>\n\n```\n\n<p>z</p>\n",
    "indented fence": "  ~~~\na\n\n<p>in</p>\n\n  ~~~\n",
    "inline tag starts a line": "<small>出处</small>\n\n<em>x</em> and <p>y</p>\n\n<p>z</p>\n",
    "text after the end tag": "<div>a</div> tail *em*\n\n<p>b</p>\n",
    "text before a block": "para\n<div>a</div>\n\n<p>b</p>\n",
    "comment": "<!-- note -->\n\n<p>a</p>\n",
    "tab inside": "<p>a\tb</p>\n\n<p>c</p>\n",
    "void top level": "<hr>\n\n<p>a</p>\n",
    "void inside": "<p>a<br>b<img src=\"x.png\" alt=\"\"></p>\n\n<p>c</p>\n",
    "markdown inside raw": "<p>**not bold** _x_ [a](b.md)</p>\n\n**bold**\n",
    "indented block": "    <div>code</div>\n\n<p>a</p>\n",
    "script at the end": "<p>a</p>\n\n<script>\nvar a = 1 < 2;\n\nif (a) {}\n</script>\n",
    "admonition then html": "!!! note \"提示\"\n    内容\n\n<div class=\"x\">a</div>\n",
    "unclosed": "<div>\n<p>a</p>\n",
    "mismatched": "<div><p>a</div></p>\n\n<p>b</p>\n",
    "ends without newline": "# h\n\n<p>last</p>",
    "starts with blank lines": "\n  \n<nav class=\"x\"><a href=\"a.html\">a</a></nav>\n\n# h\n",
    "entities and ampersands": "<p>a &amp; b &lt; c & d</p>\n\n<p>&copy;</p>\n",
    "details": "??? note \"x\"\n    y\n\n<details><summary>s</summary><p>t</p></details>\n",
    "uppercase tags": "<DIV>a</DIV>\n\n<P>b</P>\n",
    "attributes with > and quotes": "<div title=\"a>b\" data-x='c'>d</div>\n\n<p>e</p>\n",
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_plugin_gives_what_python_markdown_gives(name):
    document = DOCUMENTS[name]
    assert through_the_plugin(document)[0] == python_markdown(document)


def test_the_blocks_of_a_case_page_are_taken_out():
    # The comparisons above would also pass if nothing were ever taken out: here blocks are.
    assert through_the_plugin(DOCUMENTS["case page shape"])[1] == 2
    assert through_the_plugin(DOCUMENTS["several blank lines"])[1] == 3
    assert through_the_plugin(DOCUMENTS["starts with blank lines"])[1] == 1
    # ... and where a page holds something the plugin cannot vouch for, it stops there.
    assert through_the_plugin(DOCUMENTS["blank line inside a div"])[1] == 0
    assert through_the_plugin(DOCUMENTS["fenced code holding HTML"])[1] == 0
    assert through_the_plugin(DOCUMENTS["script at the end"])[1] == 1


@pytest.mark.parametrize("chunk, whole", [
    ("<p>a</p>", True),
    ("<p>a</p>\n<ul><li>b</li></ul>", True),
    ("<p>a</p> tail", False),
    ("<span>a</span>", False),
    ("<div><p>a</div></p>", False),
    ("<div>", False),
    ("</div>", False),
    ("<hr>", False),
    ("<p>a<br/>b</p>", True),
])
def test_whole_blocks(chunk, whole):
    assert whole_blocks(chunk) is whole


def test_blocks_with_anchors_stay_for_python_markdown():
    """MkDocs collects anchors from what Python-Markdown parsed: a block holding one is left in the
    page (the plugin never writes MkDocs' page state); blocks around it still pass by."""
    markdown = ('<div id="a&amp;b"><p>x</p></div>\n\n<p>plain</p>\n\n<p><a name="n">y</a></p>\n\n'
                "<table>\n<tr id='single'><td>1</td></tr>\n</table>\n\n<p>after</p>\n")
    text, blocks = take_out_blocks(markdown, "tok")
    assert blocks == ["<p>plain</p>", "<p>after</p>"]
    assert '<div id="a&amp;b">' in text and '<a name="n">' in text and "id='single'" in text


def test_only_known_extensions_turn_it_on():
    config = yaml.safe_load((Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert passthrough_applies(names)  # the site's own set
    assert set(names) <= SAFE_EXTENSIONS
    assert not passthrough_applies([*names, "md_in_html"])  # parses Markdown inside HTML
    assert not passthrough_applies([*names, "pymdownx.striphtml"])  # rewrites the output


# --- whole sites ---------------------------------------------------------------------------------


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def both_ways(project: Project, tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    run_mkdocs(project, tmp_path / "with", passthrough=True)
    run_mkdocs(project, tmp_path / "without", passthrough=False)
    return digests(tmp_path / "with"), digests(tmp_path / "without")


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["student", "trainer"])
def test_the_bundled_library_builds_byte_identical_with_and_without(tmp_path, edition):
    project = copy_library(tmp_path / "proj")
    assert main(["--root", str(project.root), "build", "--edition", edition, "--markdown-only"]) == 0
    project = Project(project.root, edition=edition)
    with_it, without = both_ways(project, tmp_path)
    assert len(with_it) > 90
    assert with_it == without


@pytest.mark.slow
def test_with_materials_tags_plugin_the_site_is_the_same(tmp_path):
    """Another plugin that rewrites pages (Material's tags: it reads front matter and fills in its
    index page) sees the pages as written and gives the same site with the pass-through."""
    project = copy_project(tmp_path / "proj")
    assert main(["--root", str(project.root), "build", "--markdown-only"]) == 0
    config = yaml.safe_load(project.mkdocs_file.read_text(encoding="utf-8"))
    config["plugins"] = ["tags"]
    config["nav"].append({"标签": "tags.md"})
    project.mkdocs_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (project.docs_dir / "tags.md").write_text("# 标签\n\n<!-- material/tags -->\n", encoding="utf-8")
    tagged = sorted(project.docs_dir.glob("cases/*.md"))[:3]
    assert len(tagged) == 3 and "index.md" not in {p.name for p in tagged}
    for page in tagged:
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("---\n", "---\ntags:\n  - 服务补救\n", 1), encoding="utf-8")
    with_it, without = both_ways(project, tmp_path)
    assert with_it == without
    tags_page = (tmp_path / "with" / "tags.html").read_text(encoding="utf-8")
    for page in tagged:
        assert f'href="cases/{page.stem}.html"' in tags_page


def test_a_link_to_an_id_inside_passed_html_is_still_checked(tmp_path):
    """MkDocs checks links to anchors against the ids a page holds, raw HTML included: with the
    pass-through it still knows the ids inside the blocks it never parsed."""
    project = copy_project(tmp_path / "proj")
    shutil.rmtree(project.docs_dir, ignore_errors=True)
    project.docs_dir.mkdir(parents=True)
    (project.docs_dir / "index.md").write_text(
        "# 首页\n\n[到表格](other.md#in-table)\n", encoding="utf-8")
    (project.docs_dir / "other.md").write_text(
        "# 其他\n\n<table>\n<tr id=\"in-table\"><td>1</td></tr>\n</table>\n", encoding="utf-8")
    config = yaml.safe_load(project.mkdocs_file.read_text(encoding="utf-8"))
    config["nav"] = [{"首页": "index.md"}, {"其他": "other.md"}]
    project.mkdocs_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run_mkdocs(project, tmp_path / "ok")  # strict: a missing anchor would fail the build
    (project.docs_dir / "index.md").write_text("# 首页\n\n[到表格](other.md#nowhere)\n", encoding="utf-8")
    with pytest.raises(SiteBuildError) as failed:
        run_mkdocs(project, tmp_path / "broken")
    assert any("nowhere" in message for message in failed.value.messages)
