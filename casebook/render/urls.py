"""Where every page lives: the one place that knows the site's URL scheme.

A page is written as `<folder>/<key>.md` into the generated folder and published as
`<folder>/<key>.html`: MkDocs' `use_directory_urls` is off, so the same relative links work on a
server and from file:// in the offline export (casebook.site refuses a configuration that turns
it on). Markdown links point at the `.md` source (MkDocs checks and rewrites them); HTML that
Casebook renders itself points at the published `.html`.
"""

from __future__ import annotations

import posixpath

from casebook.content.labels import SECTION_PAGE as SECTION_PAGE  # re-exported: templates' default key

HOME = "index.md"


def source(folder: str, key: str = SECTION_PAGE) -> str:
    """The generated Markdown file of a page: source("cases", "haier") == "cases/haier.md"."""
    return f"{folder}/{key}.md"


def published(page_source: str) -> str:
    """The published file of a page: "cases/haier.md" → "cases/haier.html"."""
    return page_source[:-3] + ".html" if page_source.endswith(".md") else page_source


def source_of(published_file: str) -> str:
    """The generated file a published file comes from: "cases/haier.html" → "cases/haier.md";
    any other file is published as it is."""
    return published_file[:-5] + ".md" if published_file.endswith(".html") else published_file


def relative(from_source: str, to_path: str) -> str:
    """A link from one page to a file of the site, relative to the page's folder."""
    start = posixpath.dirname(from_source) or "."
    target, _, anchor = to_path.partition("#")
    link = posixpath.relpath(target, start)
    return f"{link}#{anchor}" if anchor else link


def href(from_source: str, folder: str, key: str = SECTION_PAGE, anchor: str = "") -> str:
    """The published URL of a page, as a link from `from_source` (HTML that Casebook writes)."""
    link = relative(from_source, published(source(folder, key)))
    return f"{link}#{anchor}" if anchor else link


def md_link_target(from_source: str, folder: str, key: str = SECTION_PAGE) -> str:
    """The Markdown link target of a page from `from_source` (MkDocs rewrites it to .html)."""
    return relative(from_source, source(folder, key))


def html_href(folder: str, key: str = SECTION_PAGE, base: str = "../", anchor: str = "") -> str:
    """The published URL of a page from a page `base` away from the site's root (the raw HTML
    the Markdown templates write): html_href("cases", "haier") == "../cases/haier.html"."""
    link = base + published(source(folder, key))
    return f"{link}#{anchor}" if anchor else link


def md_href(folder: str, key: str = SECTION_PAGE, base: str = "../", anchor: str = "") -> str:
    """The Markdown link target of a page from a page `base` away from the site's root."""
    link = base + source(folder, key)
    return f"{link}#{anchor}" if anchor else link


def fragment(anchor: str) -> str:
    """A link to a place on the same page."""
    return f"#{anchor}"


def with_query(link: str, **params: str) -> str:
    """A link with a query string, for raw HTML (`&amp;`): the case list's filters
    (catalogue.py's FACETS) read it: with_query(l, strategy="x", stage="y")."""
    return link + "?" + "&amp;".join(f"{name}={value}" for name, value in params.items())


# --- the places on a page that links land on -----------------------------------------------------
# A case page's sections take their anchors from casebook/render/sections.py's table; the places
# below are numbered or keyed, and declared here for the pages, templates, search and print alike.

NOT_FOUND = "404.md"  # MkDocs renders it as the site's 404.html
# The overview and guide pages (the trainer edition's nav names the last two: editions.py).
MATRICES = source("overview", "matrices")
COVERAGE = source("overview", "coverage")
FORMAT = source("guide", "format")


def stage_anchor(key: str) -> str:
    """A stage's part of a case page (its heading under 各服务阶段的做法)."""
    return f"stage-{key}"


def step_anchor(number: int) -> str:
    """The N-th step of a learning path's page (from 1)."""
    return f"step-{number}"


def session_anchor(number: int) -> str:
    """The N-th session of a course's syllabus (from 1)."""
    return f"session-{number}"


def variant_anchor(minutes: int) -> str:
    """A session variant of a case's teaching note, by its length (lengths are distinct)."""
    return f"variant-{minutes}"


def source_anchor(number: int, prefix: str = "") -> str:
    """The N-th entry of a case's 资料来源 list (`prefix`: the case's id in a printed book)."""
    return f"{prefix}source-{number}"
