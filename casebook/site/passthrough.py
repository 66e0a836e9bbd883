"""An MkDocs plugin that lets the HTML Casebook rendered itself pass by Python-Markdown.

Case, term and overview pages reach MkDocs as Markdown headings around blocks of HTML that
Casebook's render stage made on every core. Python-Markdown would copy those blocks to its output
unchanged, but only after parsing every tag of them twice (its raw-HTML extractor, and MkDocs'
collector of anchor ids): most of a build's time. This plugin, on public plugin events only, takes
each such block out of the page's Markdown before Python-Markdown sees it (leaving a one-word
paragraph in its place) and puts it back into the HTML Python-Markdown returns. A block that
carries an anchor (`id=`, `name=`) stays for Python-Markdown, so MkDocs collects its anchors
itself and the plugin writes nothing of MkDocs' page state. The site is byte for byte the site
MkDocs builds without it (tests/test_passthrough.py builds both).

It is cautious by construction: a block is taken out only where Python-Markdown is known to copy
it verbatim (a run of whole block-level elements, each starting a line, between blank lines, with
no tabs, comments, scripts or preformatted text), and on a page where anything else looks like
HTML the plugin stops there and leaves the rest to Python-Markdown. It runs last on
`on_page_markdown` and first on `on_page_content`, so other plugins see the page as they would
without it; and `run_mkdocs` adds it only when every Markdown extension configured is one it
knows copies raw HTML untouched.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from markdown.util import BLOCK_LEVEL_ELEMENTS
from mkdocs.config.base import LegacyConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Extensions that leave a raw HTML block as Python-Markdown stashed it: the site's own set. Any
# other (md_in_html parses Markdown inside HTML; some post-process the output) turns the plugin off.
SAFE_EXTENSIONS = frozenset({
    "admonition", "attr_list", "def_list", "fenced_code", "tables", "toc",
    "markdown.extensions.admonition", "markdown.extensions.attr_list", "markdown.extensions.def_list",
    "markdown.extensions.fenced_code", "markdown.extensions.tables", "markdown.extensions.toc", "pymdownx.details",
})

# Tags a passed-through block may start with: block-level, and not raw-text or preformatted
# elements (whose content Python-Markdown treats differently).
_OPENING_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS) - {"pre", "script", "style", "textarea", "math", "canvas"}
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>")
_LINE_OPENS_BLOCK = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[\s>/]")
_UNSAFE = re.compile(r"<!|<\?|\t|\r|\x02|\x03|<(?:pre|script|style|textarea)\b|^[ ]{0,3}(?:```|~~~)", re.M | re.I)
_ANY_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(BLOCK_LEVEL_ELEMENTS, key=len, reverse=True)) + r")\b",
                            re.I)
_ID_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*\s[^<>]*\b(?:id|name)\s*=[^<>]*>", re.I)


def passthrough_applies(extensions: list[Any]) -> bool:
    """Whether every configured Markdown extension is one that copies raw HTML blocks as they are."""
    return all(isinstance(name, str) and name in SAFE_EXTENSIONS for name in extensions)


def whole_blocks(chunk: str) -> bool:
    """Whether `chunk` (lines without a blank one) is a run of whole block-level elements, each
    starting a line and ending one: what Python-Markdown copies to its output as it is."""
    depth_zero_at = 0  # where the text last returned to the top level
    stack: list[str] = []
    for tag in _TAG.finditer(chunk):
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        # Opening a top-level element: must start a line, right after the previous one ended.
        if not stack and (closing or name not in _OPENING_TAGS or chunk[depth_zero_at:tag.start()].strip("\n")):
            return False
        if closing:
            if not stack or stack.pop() != name:
                return False
            if not stack:
                depth_zero_at = tag.end()
                if chunk[depth_zero_at:depth_zero_at + 1] not in ("", "\n"):
                    return False
        elif name not in _VOID and not self_closing:
            stack.append(name)
        elif not stack:
            return False
    return not stack and depth_zero_at == len(chunk)


def take_out_blocks(markdown: str, token_prefix: str) -> tuple[str, list[str]]:
    """The Markdown with each passable HTML block replaced by a paragraph `token_prefix` + its
    number, and the blocks. Stops at the first part of the page that looks like HTML it cannot
    vouch for: from there on Python-Markdown reads the page as written."""
    lead = re.match(r"(?:[ ]*\n)*", markdown)
    head = lead.group() if lead else ""
    body = markdown[len(head):].rstrip("\n ")
    parts = re.split(r"(\n(?:[ ]*\n)+)", body)  # chunks, and the blank lines between them
    blocks: list[str] = []
    for index in range(0, len(parts), 2):
        chunk = parts[index]
        if not chunk.startswith("<"):
            if _ANY_BLOCK_TAG.search(chunk) or _UNSAFE.search(chunk):
                break
            continue
        if _ID_TAG.search(chunk):
            # An element with an anchor (id=, name=) stays for Python-Markdown, whose tree
            # processors give MkDocs its anchors: the plugin never writes the page's own state.
            if _UNSAFE.search(chunk) or not whole_blocks(chunk):
                break
            continue
        opening = _LINE_OPENS_BLOCK.match(chunk)
        if (opening is None or opening.group(1).lower() not in _OPENING_TAGS or _UNSAFE.search(chunk)
                or not whole_blocks(chunk)):
            if _ANY_BLOCK_TAG.search(chunk) or _UNSAFE.search(chunk):
                break
            continue
        parts[index] = f"{token_prefix}{len(blocks)}"
        blocks.append(chunk)
    return head + "".join(parts) + markdown[len(head) + len(body):], blocks


def put_back_blocks(html_text: str, token_prefix: str, blocks: list[str]) -> str:
    """Python-Markdown's HTML with each `<p>token</p>` replaced by its block, as Python-Markdown
    would have placed the block itself."""
    placed = 0

    def put_back(match: re.Match[str]) -> str:
        nonlocal placed
        placed += 1
        # Python-Markdown keeps the blank line that ends a raw block (and every block here ends
        # with one: a page's text always does, once Python-Markdown has read it).
        return blocks[int(match.group(1))] + "\n"

    restored = re.sub(rf"<p>{token_prefix}(\d+)</p>", put_back, html_text)
    if placed != len(blocks):
        raise ValueError(f"{len(blocks) - placed} 段 HTML 没能放回页面"
                         "（Casebook 的 HTML 直通插件出错，请报告这个问题）")
    # Python-Markdown strips its output's ends: a block that ends the page keeps no blank line.
    return restored if html_text.endswith("\n") else restored.rstrip("\n")


# LegacyConfig: no options (MkDocs' default for a plugin); MkDocs' __init_subclass__ is untyped.
class RawHtmlPassthrough(BasePlugin[LegacyConfig]):  # type: ignore[no-untyped-call]
    """See the module's docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.taken: dict[str, tuple[str, list[str]]] = {}

    @event_priority(-100)  # after every other plugin: they see the page's Markdown as written
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A token no text of the page contains: a digest of the page itself.
        token = "cbraw" + hashlib.sha1(markdown.encode("utf-8")).hexdigest()[:16] + "x"
        text, blocks = take_out_blocks(markdown, token)
        if blocks:
            self.taken[page.file.src_uri] = (token, blocks)
        return text

    @event_priority(100)  # before every other plugin: they see the HTML MkDocs alone would give
    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        taken = self.taken.pop(page.file.src_uri, None)
        if taken is None:
            return html_text
        token, blocks = taken
        try:
            restored = put_back_blocks(html_text, token, blocks)
        except ValueError as exc:
            raise PluginError(f"{page.file.src_uri}: {exc}") from None
        return restored

