"""The order cases are listed in: by the pinyin of their titles, as a Chinese reader looks for them.

One function, used wherever cases are listed (catalogue, term pages, matrices, 备课, the printed
book and its contents, the pages that point at a case). pypinyin (pure Python, maintained, its
data from the Unicode Unihan and phrase lists) reads each title as words, so a character with
several readings gets the one its word has (重庆 chóng, 银行 háng); the tones are left out, the
title itself breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from pypinyin import lazy_pinyin

from casebook.content.model import Case, Library

_YEAR = re.compile(r"(\d{4})")
_CENTURY = re.compile(r"(\d{1,2})\s*世纪\s*(\d)0\s*年代")  # 20世纪80年代


@lru_cache(maxsize=1 << 16)  # serve orders the library again on every save
def title_key(title: str) -> tuple[str, str]:
    """The sort key of a title: its toneless pinyin, syllables apart (letters and digits as they
    are, lower-cased), then the title itself."""
    return " ".join(lazy_pinyin(title)).lower(), title


def reading_order(cases: Mapping[str, Case]) -> list[str]:
    """Case ids in the order a list of cases shows them."""
    return sorted(cases, key=lambda cid: (*title_key(cases[cid].title), cid))


def in_reading_order(library: Library, order: list[str] | None = None) -> Library:
    """The library with its cases in reading order (`order`: the indexes' one, if at hand), so
    that every page, the search index and the printed book list them alike."""
    order = order if order is not None and len(order) == len(library.cases) else reading_order(library.cases)
    if list(library.cases) == order:
        return library
    return replace(library, cases={cid: library.cases[cid] for cid in order if cid in library.cases})


def start_year(period: str) -> int | None:
    """The year a period starts in ("1994–2003" → 1994, "1930年代" → 1930, "20世纪80年代" → 1980);
    None without a year."""
    century = _CENTURY.search(period or "")
    found = _YEAR.search(period or "")
    if century and (not found or century.start() < found.start()):
        return (int(century.group(1)) - 1) * 100 + int(century.group(2)) * 10
    return int(found.group(1)) if found else None
