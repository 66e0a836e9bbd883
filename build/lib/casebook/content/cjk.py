"""Chinese text as trainers type it: line breaks (and folded spaces) between two Chinese
characters removed when a field is read, since a browser would show each as a space."""

from __future__ import annotations

import re

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Starts with a literal space so that the regex engine jumps from space to space; same matches
# as `(?<=[CJK]) +(?=[CJK])`.
_CJK_SPACE = re.compile(f" (?<=[{_CJK}] ) *(?=[{_CJK}])")


def _join_soft_breaks(text: str) -> str:
    """Drop each line break (and the spaces and tabs around it) between two Chinese characters.

    Line by line rather than with a regex that starts with a look-behind, which the regex engine
    would try at every character of every story: same result, a tenth of the time.
    """
    lines = text.split("\n")
    joined = [lines[0]]
    for line in lines[1:]:
        before, after = joined[-1].rstrip(" \t"), line.lstrip(" \t")
        if before and after and _CJK_CHAR.match(before[-1]) and _CJK_CHAR.match(after[0]):
            joined[-1] = before + after
        else:
            joined.append(line)
    return "\n".join(joined)


def join_cjk_lines(text: str, markdown: bool) -> str:
    """Undo line wrapping inside Chinese text: a browser would show each break as a space.

    In Markdown only soft breaks between two Chinese characters go (a line that starts with
    a Chinese character cannot start a list or heading); in plain text, folded spaces do too.
    """
    if "\n" in text:
        text = _join_soft_breaks(text)
    if markdown or " " not in text:  # most one-line notes: nothing to join
        return text
    return _CJK_SPACE.sub("", text)
