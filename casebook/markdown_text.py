"""Make trainer-written text safe to place in generated Markdown.

Plain-text fields (titles, names, notes) become inert inline Markdown; Markdown fields keep their
formatting but lose everything that could run or load something: raw HTML, attribute lists and
links with dangerous schemes. Done on the text itself so any Markdown engine renders it safely.
"""

from __future__ import annotations

import html
import re

# Characters with a meaning in inline Markdown (Python-Markdown with tables and attr_list).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!])")
_UNSAFE_SCHEME = re.compile(r"(?i)\b(?:javascript|vbscript|data|file)\s*:")
_LINK_TARGET = re.compile(r"(\]\(\s*)([^)\s]*)")
_REF_DEFINITION = re.compile(r"(?m)^(\s{0,3}\[[^\]]+\]:\s*)(\S+)")


def inline(text: str) -> str:
    """Plain text as inline Markdown that renders exactly as written, on one line."""
    text = " ".join(str(text).split())
    text = html.escape(text, quote=False)
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def attribute(text: str) -> str:
    """Plain text for an HTML attribute or YAML front matter value (already HTML-escaped)."""
    return html.escape(" ".join(str(text).split()), quote=True)


def _safe_target(match: re.Match[str]) -> str:
    target = match.group(2)
    if _UNSAFE_SCHEME.match(target.strip()):
        return match.group(1) + "#"
    return match.group(0)


def block(text: str) -> str:
    """A Markdown field with raw HTML, attribute lists, images and unsafe link schemes neutralised."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace("{", "&#123;").replace("}", "&#125;")
    # Images would load from wherever they point (the site must make no outside request, and
    # content has no asset pipeline): `![alt](url)` becomes the plain link `[alt](url)`.
    text = text.replace("![", "[")
    text = _LINK_TARGET.sub(_safe_target, text)
    text = _REF_DEFINITION.sub(_safe_target, text)
    return text.strip("\n")


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"[*_`#>|]+")


def excerpt(text: str, limit: int = 80) -> str:
    """The first words of a Markdown field as plain text (for tables and lists)."""
    plain = _MD_MARKS.sub("", _MD_LINK.sub(r"\1", str(text)))
    plain = " ".join(plain.split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_SOFT_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n[ \\t]*(?=[{_CJK}])")
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def join_cjk_lines(text: str, markdown: bool) -> str:
    """Undo line wrapping inside Chinese text: a browser would show each break as a space.

    In Markdown only soft breaks between two Chinese characters go (a line that starts with
    a Chinese character cannot start a list or heading); in plain text, folded spaces do too.
    """
    if "\n" not in text and " " not in text:  # most one-line notes: nothing to join
        return text
    text = _CJK_SOFT_BREAK.sub("", text)
    return text if markdown else _CJK_SPACE.sub("", text)


_SAFE_URL = re.compile(r"(?i)^(?:https?://|mailto:)[^\s<>\"'()]+$")


def safe_url(url: str) -> str:
    """A source's web address, if it is a plain http(s) or mailto link; otherwise "#"."""
    url = str(url).strip()
    return url if _SAFE_URL.match(url) else "#"


_HEADING_AFTER_TEXT = re.compile(r"([^\n])\n(#{1,6} )")
_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy(markdown: str) -> str:
    """Normalise generated Markdown: a blank line before each heading, never two in a row."""
    markdown = _HEADING_AFTER_TEXT.sub(r"\1\n\n\2", markdown)
    return _BLANK_RUNS.sub("\n\n", markdown).rstrip("\n") + "\n"
