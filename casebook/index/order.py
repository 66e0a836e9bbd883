"""Orders a Chinese reader knows: titles by their pinyin (as a Chinese dictionary or index lists
them), so that 海尔 comes before 王永庆 whatever the case ids say."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_YEAR = re.compile(r"(\d{4})")
_CENTURY = re.compile(r"(\d{1,2})\s*世纪\s*(\d)0\s*年代")  # 20世纪80年代


def title_key(title: str) -> str:
    """A sort key for a title: its syllables in pinyin with tone numbers ("hai3 er3 …"), syllable by
    syllable (a shorter syllable first: "wang2" before "wangf…"), then the title itself to keep equal
    readings apart. Letters and digits in a title count as themselves, case ignored."""
    syllables = lazy_pinyin(title, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(s.lower() for s in syllables) + "\x00" + title


def start_year(period: str) -> int | None:
    """The year a period starts in ("1994–2003" → 1994, "1930年代" → 1930, "20世纪80年代" → 1980);
    None without a year."""
    century = _CENTURY.search(period or "")
    found = _YEAR.search(period or "")
    if century and (not found or century.start() < found.start()):
        return (int(century.group(1)) - 1) * 100 + int(century.group(2)) * 10
    return int(found.group(1)) if found else None
