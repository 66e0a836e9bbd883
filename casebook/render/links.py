"""Links to the library's pages, one builder for every form a page needs.

Where a page lives is casebook/render/urls.py's; this module names the target (a case's title, a
term's name) and writes the link in one form: a Markdown link, a raw HTML link for the big
generated tables of the Markdown pages, autoescaped HTML (Markup) for the case pages' sections,
or the bare name for paper. Each link is built once per target: templates call these in their
hottest loops.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from markupsafe import Markup, escape

from casebook.content.model import Case, Library, Taxonomy
from casebook.render import markdown_text, urls

T = TypeVar("T", str, Markup)

# (folder, key, name) -> the link
Form = Callable[[str, str, str], T]


def case_terms(case: Case, group: str, taxonomy: Taxonomy) -> list[str]:
    """The keys of a case's terms of a group, in the taxonomy's order (the order every page
    lists them in)."""
    notes = case.notes_for(group)
    return [key for key in taxonomy.keys(group) if key in notes]


def markdown(base: str) -> Form[str]:
    """`[name](../cases/x.md)`: MkDocs checks the target and rewrites it to .html."""
    return lambda folder, key, name: f"[{markdown_text.inline(name)}]({urls.md_href(folder, key, base)})"


def raw_html(base: str) -> Form[str]:
    """`<a href="../cases/x.html">`: Python-Markdown passes an HTML block through untouched, which
    keeps pages that list every case fast at thousands of cases."""
    def link(folder: str, key: str, name: str) -> str:
        return f'<a href="{urls.html_href(folder, key, base)}">{markdown_text.attribute(name)}</a>'
    return link


def html(from_source: str) -> Form[Markup]:
    """Autoescaped HTML from the page `from_source` (the case pages' sections)."""
    return lambda folder, key, name: Markup('<a href="{}">{}</a>').format(urls.href(from_source, folder, key), name)


def plain(folder: str, key: str, name: str) -> Markup:
    """The name alone: the handouts are read on paper."""
    return escape(name)


class Links(Generic[T]):
    """Links to a library's pages in one form, each built once."""

    def __init__(self, library: Library, form: Form[T], join: Callable[[Iterable[T]], T]) -> None:
        self.library = library
        self.form: Form[T] = form
        self.join: Callable[[Iterable[T]], T] = join  # terms joined by 、, in the form's own type
        self._cache: dict[tuple[str, str], T] = {}

    def _link(self, folder: str, key: str, name: str) -> T:
        link = self._cache.get((folder, key))
        if link is None:
            link = self._cache[folder, key] = self.form(folder, key, name)
        return link

    def case(self, case_id: str) -> T:
        return self._link("cases", case_id, self.library.cases[case_id].title)

    def term(self, group: str, key: str) -> T:
        return self._link(group, key, self.library.taxonomy.term(group, key).name)

    def framework(self, key: str) -> T:
        return self._link("frameworks", key, self.library.frameworks[key].name)

    def path(self, key: str) -> T:
        return self._link("paths", key, self.library.paths[key].name)

    def terms_of(self, case: Case, group: str) -> T:
        """The case's terms of a group, in taxonomy order, as links joined by 、."""
        return self.join(self.term(group, key) for key in case_terms(case, group, self.library.taxonomy))


def joined(items: Iterable[str]) -> str:
    return "、".join(items)


def html_links(library: Library, from_source: str = "cases/x.md") -> Links[Markup]:
    """Links from the case pages, as autoescaped HTML."""
    return Links(library, html(from_source), Markup("、").join)


def plain_links(library: Library) -> Links[Markup]:
    """The same names without links, for paper."""
    return Links(library, plain, Markup("、").join)


class PageLinks:
    """Links for the Markdown templates, which name the way to the site's root (`base`: "../"
    from a section's page, "" from the home page) and the form (Markdown, or `_html` for raw
    HTML tables) on each call."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._md: dict[str, Links[str]] = {}
        self._html: dict[str, Links[str]] = {}

    def md(self, base: str) -> Links[str]:
        found = self._md.get(base)
        if found is None:
            found = self._md[base] = Links(self.library, markdown(base), joined)
        return found

    def raw(self, base: str) -> Links[str]:
        found = self._html.get(base)
        if found is None:
            found = self._html[base] = Links(self.library, raw_html(base), joined)
        return found

    def term(self, group: str, key: str, base: str = "../") -> str:
        return self.md(base).term(group, key)

    def case(self, case_id: str, base: str = "../") -> str:
        return self.md(base).case(case_id)

    def framework(self, key: str, base: str = "../") -> str:
        return self.md(base).framework(key)

    def path(self, key: str, base: str = "../") -> str:
        return self.md(base).path(key)

    def terms_of(self, case: Case, group: str, base: str = "../") -> str:
        return self.md(base).terms_of(case, group)

    def case_html(self, case_id: str, base: str = "../") -> str:
        return self.raw(base).case(case_id)

    def term_html(self, group: str, key: str, base: str = "../") -> str:
        return self.raw(base).term(group, key)

    def terms_of_html(self, case: Case, group: str, base: str = "../") -> str:
        return self.raw(base).terms_of(case, group)
