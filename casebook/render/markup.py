"""Trainer-written Markdown → safe HTML, in Casebook's own (parallel) render stage: the one
renderer of every Markdown field of the library (cases, terms, frameworks).

Pages reach MkDocs as Markdown headings around HTML blocks that this module made, so the engine
passes them through (and never reads a trainer's link), and the print handouts use the very same
HTML. Python-Markdown's raw-HTML handling is switched off through its public registries, so `<b>`
in a story is shown as typed (and a code span `a<b && c` shows exactly that), and images become
plain links (the site loads nothing from elsewhere). Whatever the Markdown made, the HTML then
leaves through the one sanitiser (sanitise.py): allowed tags and attributes, links to http(s),
mailto and the site's own pages only. A field with a paragraph of more inline marks than
Python-Markdown handles in linear time is shown as typed instead (`check` refuses it).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from casebook.content.markdowncheck import too_many_marks
from casebook.render import markdown_text
from casebook.render.sanitise import clean


class _ImagesAsLinks(Treeprocessor):
    """Images become links to their target (which the sanitiser then checks like any link)."""

    def run(self, root: etree.Element) -> None:
        for image in list(root.iter("img")):
            image.tag = "a"
            image.text = image.get("alt") or image.get("src") or ""
            image.set("href", image.get("src") or "#")
            for name in ("src", "alt", "title"):
                image.attrib.pop(name, None)


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ImagesAsLinks(md), "casebook_images_as_links", 1)


_CONVERTER: markdown.Markdown | None = None  # one per process: building it costs more than a field


def _converter() -> markdown.Markdown:
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = markdown.Markdown(extensions=["tables", "fenced_code", _SafeExtension()])
    return _CONVERTER


# Text with none of these and no line that could start a block element is plain paragraphs:
# most answers and notes are. Same output as Python-Markdown (tests/test_fast_paths.py), without it,
# and nothing to sanitise (no "<", "&" or "[": the text of the paragraphs is the text typed).
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


def as_text(text: str) -> Markup:
    """Text shown as typed, one paragraph per block: for a field Python-Markdown would take
    quadratic time over (`check` refuses it; this keeps a build that skips the check linear)."""
    paragraphs = (part.strip("\n") for part in _PARAGRAPH_BREAK.split(text))
    return Markup("\n".join(f"<p>{html.escape(part, quote=False)}</p>" for part in paragraphs if part))


def to_html(text: str) -> Markup:
    """A Markdown field as HTML blocks."""
    text = str(text).replace("\r\n", "\n")
    plain = plain_paragraphs(text)
    if plain is not None:
        return Markup(plain)
    if any(too_many_marks(text)):
        return as_text(text)
    converter = _converter()
    converter.reset()
    # A list written right under a line of text is a list, as it reads (markdown_text's rule).
    return clean(converter.convert(markdown_text.blank_line_before_lists(text)))
