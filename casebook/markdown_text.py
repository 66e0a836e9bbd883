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
    """A Markdown field with raw HTML, attribute lists and unsafe link schemes neutralised."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace("{", "&#123;").replace("}", "&#125;")
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
