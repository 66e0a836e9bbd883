"""The one sanitiser every piece of HTML rendered from library text passes through on its way out.

Markdown fields become HTML in markup.py; whatever that HTML holds (whatever a trick of Markdown
syntax got through: a reference definition in a blockquote, a scheme split by a newline, a control
character), it leaves through `clean`: an allowlist of tags and attributes, enforced by nh3 (the
binding of Rust's ammonia, an HTML5 parser). Links keep only http, https and mailto, and relative
links to the site's own pages (`../cases/haier.html`, `#story`: `markdowncheck.allowed_link`, which
`check` also uses, to warn at the line); any other target is dropped, the link text kept.
Everything else on a page is escaped text (plain fields) or Casebook's own markup.
docs/robustness.md lists what is allowed, and why.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

from casebook.content.markdowncheck import URL_SCHEMES, allowed_link

# What Python-Markdown makes of a field (with tables and fenced_code): nothing else is needed.
TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
    "em", "strong", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
})
ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "code": {"class"},  # the language of a fenced block: language-python
    "th": {"style"},  # a table column's alignment: text-align only (below)
    "td": {"style"},
}
_LANGUAGE = re.compile(r"language-[\w+-]+")
# A link whose target was dropped: its text stays, as text (not a link that leads nowhere).
_DEAD_LINK = re.compile(r'<a(?: title="[^"<>]*")?>(.*?)</a>', re.DOTALL)


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3 has checked the scheme of absolute links; a relative one must be a page of the site."""
    if name == "href":
        return value if allowed_link(value) else None
    if name == "class":
        return value if _LANGUAGE.fullmatch(value) else None
    return value


def clean(html: str) -> Markup:
    """HTML from library text, with every tag, attribute and link target outside the allowlist removed."""
    html = nh3.clean(
        html, tags=set(TAGS), clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
        attribute_filter=_attribute, url_schemes=set(URL_SCHEMES), link_rel=None,
        filter_style_properties={"text-align"}, strip_comments=True,
    )
    return Markup(_DEAD_LINK.sub(r"\1", html) if "<a" in html else html)
