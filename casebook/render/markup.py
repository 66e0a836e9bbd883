"""Trainer-written Markdown → safe HTML, in Casebook's own (parallel) render stage.

Case pages reach MkDocs as Markdown headings around HTML blocks that this module made, so the
engine mostly passes them through, and the print handouts use the very same HTML. Safety is
by construction rather than by escaping the Markdown source: Python-Markdown's raw-HTML
handling is switched off through its public registries, so `<b>` in a story is shown as typed
(and a code span `a<b && c` shows exactly that), images become plain links (the site loads
nothing from elsewhere) and links keep only http(s), mailto and relative targets.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from casebook.render import markdown_text

_SAFE_LINK = re.compile(r"(?i)^(?:https?://|mailto:|#|\.{0,2}/|[\w\-./]+(?:#[\w\-]*)?$)")


class _SafeLinks(Treeprocessor):
    """Images become links to their target; unsafe link targets become "#"."""

    def run(self, root: etree.Element) -> None:
        for image in list(root.iter("img")):
            image.tag = "a"
            image.text = image.get("alt") or image.get("src") or ""
            image.set("href", image.get("src") or "#")
            for name in ("src", "alt", "title"):
                image.attrib.pop(name, None)
        for link in root.iter("a"):
            target = (link.get("href") or "").strip()
            if not _SAFE_LINK.match(target):
                link.set("href", "#")


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "casebook_safe_links", 1)


_CONVERTER: markdown.Markdown | None = None  # one per process: building it costs more than a field


def _converter() -> markdown.Markdown:
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = markdown.Markdown(extensions=["tables", "fenced_code", _SafeExtension()])
    return _CONVERTER


# Text with none of these and no line that could start a block element is plain paragraphs:
# most answers and notes are. Same output as Python-Markdown (tests/test_fast_paths.py), without it.
_MARKUP_CHARS = re.compile(r"[*_`\[\]!<>#|~\\&{}=:]|^(?: {4}|\t| {0,3}(?:[-+]|\d+[.)])(?:\s|$))| {2}$", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def plain_paragraphs(text: str) -> str | None:
    """The HTML of text that is nothing but paragraphs, or None when it needs Markdown."""
    text = text.strip("\n")
    if not text or _MARKUP_CHARS.search(text):
        return None
    paragraphs = [part.strip() for part in _PARAGRAPH_BREAK.split(text)]
    if any(line != line.strip() for part in paragraphs for line in part.split("\n")):
        return None  # indentation or trailing spaces: leave them to Markdown
    return "\n".join(f"<p>{part}</p>" for part in paragraphs if part)


def to_html(text: str) -> Markup:
    """A Markdown field as HTML blocks."""
    text = str(text).replace("\r\n", "\n")
    plain = plain_paragraphs(text)
    if plain is not None:
        return Markup(plain)
    converter = _converter()
    converter.reset()
    # A list written right under a line of text is a list, as it reads (markdown_text's rule).
    return Markup(converter.convert(markdown_text.blank_line_before_lists(text)))


def to_inline_html(text: str) -> Markup:
    """A short Markdown field (one paragraph) as inline HTML, without the <p>."""
    html = to_html(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Markup(html[3:-4])
    return html
