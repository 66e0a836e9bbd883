"""Content checks on free text: no Traditional Chinese characters left in the library."""

from __future__ import annotations

import re
from functools import lru_cache

import zhconv


@lru_cache(maxsize=1)
def _traditional_pattern() -> re.Pattern[str]:
    # Characters that zhconv changes on their own: a fast pre-filter, so that the phrase-aware
    # conversion (slow, pure Python) only runs on the rare text that may need it.
    chars = (chr(c) for c in range(0x3400, 0x9FFF + 1))
    trad = "".join(c for c in chars if zhconv.convert(c, "zh-cn") != c)
    return re.compile(f"[{re.escape(trad)}]")


def traditional_problem(text: str) -> str:
    """A message naming Traditional characters in `text` and their Simplified forms, or ""."""
    if not _traditional_pattern().search(text):
        return ""
    simplified = zhconv.convert(text, "zh-cn")
    if simplified == text:
        return ""  # e.g. 乾隆: a character that is only Traditional in other words
    pairs: dict[str, str] = {}
    if len(simplified) == len(text):
        for a, b in zip(text, simplified, strict=True):
            if a != b:
                pairs.setdefault(a, b)
    shown = "、".join(f"{a}→{b}" for a, b in list(pairs.items())[:8])
    return f"含有繁体字（{shown or '请用简体'}）；请改为简体中文"
