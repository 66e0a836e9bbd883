"""What `check` says about the Markdown of a field: links the site will drop, and text that
Python-Markdown would take quadratic time over. Linear scans only (no backtracking patterns).

Safety does not depend on these checks: every Markdown field leaves the render stage through one
sanitiser (casebook/render/sanitise.py), which enforces `allowed_link` below whatever the syntax.
The checks are there so that a trainer learns, at the right line, that a link will not survive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet

URL_SCHEMES = ("http", "https", "mailto")

# A page of this site, relative to a page one folder deep (every page a field is shown on):
# ../cases/haier.html, haier.html, ../stages/pre-sale.html#cases, or an anchor #story.
PAGE_LINK = re.compile(r"(?:(?:\.\./)?[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*\.html(?:#[\w-]+)?"
                       r"|#[\w-]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def allowed_link(href: str) -> bool:
    """Whether a link target stays on the site: http(s), mailto, or a page of the site (`PAGE_LINK`)."""
    scheme = _SCHEME.match(href)
    if scheme:
        return scheme.group(0)[:-1].lower() in URL_SCHEMES
    return PAGE_LINK.fullmatch(href) is not None


# --- links -----------------------------------------------------------------------------------

# The target after `](` (an inline link or image) or after `]:` (a reference definition, wherever
# it stands: in a blockquote, a list item, with an empty label; on the next line after container
# marks), line breaks included. Captured inside a look-ahead of bounded length, so that matches never swallow the next
# link and a scan costs at most a few hundred steps a bracket.
_TARGET = re.compile(r"\](?:\(|:)(?=((?s:.){0,300}))")
# What a browser removes from a URL before reading its scheme: spaces, tabs, line breaks and
# every other control character (`java⏎script:` runs as javascript:).
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ADVICE = "网站上的链接只能是 http://、https://、mailto: 开头的网址，或本站页面（如 ../cases/haier.html）"


# The target of an inline link as Python-Markdown reads it, roughly: up to the parenthesis that
# closes the link (one level of nesting) or a quoted title; line breaks kept (they are the trick).
_INLINE_TARGET = re.compile(r"<([^<>\n]*)>|(?:[^()\s\"']|\([^()]*\)|\s+(?![\"'\s)]))*")


def _target(after: str, inline: bool) -> str:
    """The link target in the text after `](` or `]:`."""
    text = after.lstrip(" \t\n>")
    if not inline:
        return re.split(r"[ \t\n]", text, maxsplit=1)[0]
    match = _INLINE_TARGET.match(text)
    assert match is not None  # the pattern matches the empty string
    return match.group(1) if match.group(1) is not None else match.group(0)


_PAGE = re.compile(r"\.\./([a-z-]+)/([a-z0-9-]+)\.html(?:#.*)?")


def link_problems(text: str, known: Mapping[str, AbstractSet[str]] | None = None) -> Iterator[tuple[int, str]]:
    """(offset of the link's target in `text`, message) for each link target the site will drop, and each
    link to a page of a group in `known` (group → keys: cases, stages…) that does not exist."""
    if "](" not in text and "]:" not in text:
        return
    for match in _TARGET.finditer(text):
        after = match.group(1)
        at = match.end() + len(after) - len(after.lstrip(" \t\n>"))  # where the target starts
        raw = _target(after, inline=text[match.start() + 1] == "(")
        target = _INVISIBLE.sub("", raw)
        if not target:
            continue
        if allowed_link(target) and raw == target:
            page = _PAGE.fullmatch(target)
            if (page and known and page.group(1) in known and page.group(2) != "index"
                    and page.group(2) not in known[page.group(1)]):
                yield at, (f"链接指向的页面“{target}”不存在（{page.group(1)} 里没有 '{page.group(2)}'），"
                                      "这个链接在网站上打不开；请检查拼写")
            continue
        shown = target[:40] + ("…" if len(target) > 40 else "")
        scheme = _SCHEME.match(target)
        if scheme and scheme.group(0)[:-1].lower() not in URL_SCHEMES:
            message = f"链接地址以“{scheme.group(0)}”开头，这种链接不安全，网站上会被去掉（只留文字）；{ADVICE}"
        elif _CONTROL.search(raw) or ((raw != raw.strip() or " " in raw.strip()) and not scheme):
            message = (f"链接地址“{shown}”里有 Tab、换行、空格或控制字符，网站上会被去掉（只留文字）；"
                       "请把地址写在一行里，不留空白")
        elif scheme:
            message = f"链接地址“{shown}”里有 Tab、换行或控制字符，网站上会被去掉（只留文字）；请把地址写在一行里"
        elif target.split("#")[0].endswith(".md"):
            name = target.split("#")[0].rsplit("/", 1)[-1][:-3]
            message = (f"链接指向“{shown}”（Markdown 源文件）：网站上的页面是 .html 文件，这个链接会被去掉；"
                       f"链接到案例请写 ../cases/{name}.html")
        else:
            message = f"链接地址“{shown}”既不是网址，也不是本站页面，网站上会被去掉（只留文字）；{ADVICE}"
        yield at, message


# --- time ----------------------------------------------------------------------------------------

# Python-Markdown's inline stage is not linear: each "[" or run of backticks without its closing
# one is followed to the end of the paragraph, and each inline element found rebuilds the
# paragraph's text. A paragraph with many of them takes time growing with its length times their
# number (12,000 "[a](" in one paragraph: minutes; 12,000 bold words: seconds). Capping the marks
# that start inline elements in one paragraph keeps every field linear.
MAX_MARKS = 200
MARKS = "[`*_&<\\"
_FENCE = re.compile(r" {0,3}(?:```|~~~)")
# A line that starts an inline span of its own: a list item, a table row, a heading, a quote.
_OWN_SPAN = re.compile(r"[ \t>]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||#)")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the runs of text Python-Markdown processes inline as one piece
    (or larger: a conservative split), outside fenced code."""
    start = offset = 0
    in_fence = False
    for line in text.split("\n"):
        end = offset + len(line)
        if _FENCE.match(line):
            if not in_fence and offset > start:
                yield start, offset
            in_fence = not in_fence
            start = end + 1
        elif in_fence:
            start = end + 1
        elif not line.strip() or _OWN_SPAN.match(line):
            if offset > start:
                yield start, offset
            start = offset if line.strip() else end + 1
        offset = end + 1
    if len(text) > start and not in_fence:
        yield start, len(text)


def _marks(text: str, start: int = 0, end: int | None = None) -> int:
    end = len(text) if end is None else end
    return sum(text.count(mark, start, end) for mark in MARKS)


def too_many_marks(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, count) of each paragraph with more than MAX_MARKS marks of inline Markdown."""
    if _marks(text) <= MAX_MARKS:
        return
    for start, end in paragraphs(text):
        count = _marks(text, start, end)
        if count > MAX_MARKS:
            yield start, end, count


def marks_message(count: int) -> str:
    return (f"这一段有 {count} 个 Markdown 符号（[ ` * _ & < \\，一段最多 {MAX_MARKS} 个）：Markdown 处理它们的时间"
            "随段落长度成倍增长，生成网站会非常慢；请把这一段分成几段（段与段之间空一行），或删掉多余的符号")
