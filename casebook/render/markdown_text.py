"""Make trainer-written plain text safe to place in generated Markdown, and tidy that Markdown.

Plain-text fields (titles, names, notes) become inert inline Markdown. Markdown fields never reach
the generated Markdown as Markdown: markup.py renders every one of them to HTML (through the one
sanitiser), which the pages place as HTML blocks.
"""

from __future__ import annotations

import html
import re

# Characters with a meaning in inline Markdown (Python-Markdown with tables and attr_list).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!])")


# Any character that inline() or attribute() changes: most text has none, and one search
# costs less than the escaping calls that would change nothing (they run ~40 times a page).
_INLINE_CHANGED = re.compile(r"[\\`*_\[\]{}|#!&<>]")
_ATTRIBUTE_CHANGED = re.compile(r"[&<>\"']")


def inline(text: str) -> str:
    """Plain text as inline Markdown that renders exactly as written, on one line."""
    text = " ".join(str(text).split())
    if not _INLINE_CHANGED.search(text):
        return text
    text = html.escape(text, quote=False)
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def attribute(text: str) -> str:
    """Plain text for an HTML attribute or YAML front matter value (already HTML-escaped)."""
    text = " ".join(str(text).split())
    return html.escape(text, quote=True) if _ATTRIBUTE_CHANGED.search(text) else text


# A line that starts a list item: "- ", "* ", "+ ", "1. " or "1) " (after up to three spaces).
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")


def blank_line_before_lists(text: str) -> str:
    """A blank line between a paragraph line and a list written right under it.

    Trainers write a list straight under its lead-in line, as they would in a chat or a word
    processor; Python-Markdown then reads the items as more of the paragraph (" - " in the text).
    Lines already inside a list, and fenced code, are left as they are.
    """
    if "\n" not in text:
        return text
    out: list[str] = []
    in_list = in_fence = False
    previous_blank = True
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            if not line.strip():
                in_list = False
            elif _LIST_ITEM.match(line):
                if not in_list and not previous_blank:
                    out.append("")
                in_list = True
        out.append(line)
        previous_blank = not line.strip()
    return "\n".join(out)


# "(000_fccc678b4669dbbc.txt)" after a title in a source line: the name of a material file.
_FILE_NAME_NOTE = re.compile(r"\s*[(（]\s*[\w.-]+\.(?:txt|md|pdf|docx?|html?)\s*[)）]", re.IGNORECASE)


def without_file_names(text: str) -> str:
    """A source line as trainees read it: titles and sections, without the material's file names
    (those stay in the YAML, for whoever checks a quote against the file)."""
    return _FILE_NAME_NOTE.sub("", str(text))


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"[*_`#>|]+")


def excerpt(text: str, limit: int = 80) -> str:
    """The first words of a Markdown field as plain text (for tables and lists)."""
    plain = _MD_MARKS.sub("", _MD_LINK.sub(r"\1", str(text)))
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    # A whole sentence reads better than one cut mid-word: end at the last full stop that keeps
    # at least half of what fits.
    end = max(plain.rfind(mark, 0, limit) for mark in "。！？")
    if end >= limit // 2:
        return plain[: end + 1]
    return plain[: limit - 1].rstrip() + "…"


_SAFE_URL = re.compile(r"(?i)^(?:https?://|mailto:)[^\s<>\"'()]+$")


def safe_url(url: str) -> str:
    """A source's web address, if it is a plain http(s) or mailto link; otherwise "#"."""
    url = str(url).strip()
    return url if _SAFE_URL.match(url) else "#"


# A pattern that starts with a literal "\n" is found at C speed; one that starts with "[^\n]"
# is tried at every character of the page.
_HEADING_LINE = re.compile(r"\n(?=#{1,6} )")
_BLANK_RUNS = re.compile(r"\n\n\n+")  # not `\n{3,}`: a literal start is what makes it fast


def _blank_line_before_headings(markdown: str) -> str:
    """A blank line between a heading and the text right above it.

    Same result as substituting `([^\\n])\\n(#{1,6} )` with `\\1\\n\\n\\2`: a heading line
    whose line above is only the marker of a heading given a blank line already (`# `) is left
    alone, as that pattern's matches cannot overlap.
    """
    pieces: list[str] = []
    start = 0
    marker_end = -1  # where the heading marker of the last heading given a blank line ends
    for match in _HEADING_LINE.finditer(markdown):
        at = match.start()
        if at == 0 or markdown[at - 1] == "\n" or at == marker_end:
            continue
        pieces += (markdown[start:at], "\n")
        start = at
        marker_end = markdown.index(" ", at) + 1
    pieces.append(markdown[start:])
    return "".join(pieces)


def tidy(markdown: str) -> str:
    """Normalise generated Markdown: a blank line before each heading, never two in a row."""
    markdown = _blank_line_before_headings(markdown)
    return _BLANK_RUNS.sub("\n\n", markdown).rstrip("\n") + "\n"

