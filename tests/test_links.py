"""Each link once (issue 19): every address and anchor a template writes comes from
casebook/render/urls.py (and the section table's anchors) through the templates' globals."""

from __future__ import annotations

import re
from pathlib import Path

from casebook.content.load import load_library
from casebook.render import links, urls
from casebook.render.pages import PageLinks
from casebook.render.sections import SECTION_ANCHORS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# An address written out: a quoted or bracketed path ending in .html ("404.html?…", "../cases/x.html").
LITERAL_HTML = re.compile(r"""(?:["'(/][^"'()\s{}]*|\}\})\.html\b(?!\.j2)""")
# A link whose target starts as text rather than a value from urls.py: href="#teaching",
# href="index.html", [目录](index.md).
LITERAL_HREF = re.compile(r"""href=["'](?!\{\{)|\]\((?!\{\{)""")


def _template_lines() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        text = re.sub(r"\{##.*?##\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments may say why
        found += [(path.relative_to(TEMPLATES).as_posix(), n, line) for n, line in enumerate(text.splitlines(), 1)]
    return found


def test_the_patterns_find_what_they_forbid() -> None:
    assert LITERAL_HTML.search('root + "404.html?missing="')
    assert LITERAL_HTML.search('<a href="../cases/{{ case.id }}.html#x">')
    assert LITERAL_HTML.search('<a href="../cases/x.html">')
    assert not LITERAL_HTML.search("{{ section.html }}") and not LITERAL_HTML.search('{% include "case/x.html.j2" %}')
    assert LITERAL_HREF.search('<a href="#teaching">') and LITERAL_HREF.search("[目录](index.md)")
    assert not LITERAL_HREF.search('<a href="{{ page_href("cases") }}">')


def test_no_template_writes_an_address_or_anchor_itself() -> None:
    lines = _template_lines()
    assert len(lines) > 300  # the templates were read
    found = [f"templates/{name}:{n}: {line.strip()[:100]}" for name, n, line in lines
             if LITERAL_HTML.search(line) or LITERAL_HREF.search(line)]
    assert not found, "\n".join(found)


def test_a_case_page_links_to_the_anchors_urls_declares(project) -> None:
    library, report = load_library(project)
    assert report.errors == []
    case = next(c for c in library.cases.values() if c.stages)
    page = links.html_links(library)
    assert str(page.case(case.id)) == f'<a href="{case.id}.html">{library.cases[case.id].title}</a>'
    stage = links.case_terms(case, "stages", library.taxonomy)[0]
    assert urls.html_href("cases", case.id, anchor=urls.stage_anchor(stage)) == f"../cases/{case.id}.html#stage-{stage}"
    assert SECTION_ANCHORS["teaching"] == "teaching" and SECTION_ANCHORS["strategies"] == "strategies"
    # The Markdown templates' links: one builder, its forms differing only in how they write the link.
    md = PageLinks(library)
    term = library.taxonomy.term("stages", stage)
    assert md.term("stages", stage) == f"[{term.name}](../stages/{stage}.md)"
    assert md.term_html("stages", stage, "") == f'<a href="stages/{stage}.html">{term.name}</a>'
    assert str(links.plain_links(library).term("stages", stage)) == term.name
