"""In-text citations `[@key]` (casebook/content/citations.py) as readers see them: `[N]`, N being
the source's place in the case's 资料来源 list, a link to that entry (`#source-N`) wherever a page
can link, plain "[N]" wherever the text is plain (search, catalogue data, meta descriptions).

A step of its own, run on a field's text before markup.to_html (Markdown) or escaping (plain
text), so neither the sanitiser nor the templates need to know the syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from casebook.content.citations import CITATION, numbers
from casebook.content.model import Case
from casebook.render import urls

# Stand-ins for a citation while Markdown is converted: private-use characters, which no Markdown
# rule touches and no trainer types; after conversion each becomes its link.
_OPEN, _CLOSE = "\ue000", "\ue001"
MARKED = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


# The id of the N-th entry of a 资料来源 list (`prefix`: the case's id in the printed book).
anchor = urls.source_anchor


def has_citation(text: str) -> bool:
    return "[@" in text


def _replace(text: str, case: Case, make: Callable[[int], str]) -> str:
    found = numbers(case.sources)

    def one(match: re.Match[str]) -> str:
        number = found.get(match.group(1))
        return make(number) if number else match.group(0)  # unknown: `check` has refused it already

    return CITATION.sub(one, text)


def as_text(text: str, case: Case) -> str:
    """Plain text: each citation as "[N]"."""
    return _replace(text, case, lambda n: f"[{n}]") if has_citation(text) else text


def mark(text: str, case: Case) -> str:
    """Markdown with each citation as a stand-in that Markdown leaves alone (see `links`)."""
    return _replace(text, case, lambda n: f"{_OPEN}{n}{_CLOSE}") if has_citation(text) else text


def unmark(text: str) -> str:
    """Stand-ins as "[N]" (plain text made from marked Markdown)."""
    return MARKED.sub(r"[\1]", text) if _OPEN in text else text


def link_html(number: int, href: str) -> Markup:
    return Markup('<a class="cb-cite" href="{}">[{}]</a>').format(href, number)


def links(html: str, href: Callable[[int], str]) -> Markup:
    """HTML made from marked text, each stand-in as its link."""
    if _OPEN not in html:
        return Markup(html)
    return Markup(MARKED.sub(lambda m: link_html(int(m.group(1)), href(int(m.group(1)))), html))


def plain_html(text: str, case: Case, href: Callable[[int], str]) -> Markup:
    """A plain-text field as escaped HTML, its citations as links."""
    return links(str(escape(mark(text, case))), href)
