"""In-text citations: `[@key]` in any text of a case names one of the case's `sources` by its `key`.

This module knows the syntax and checks it (`check` reports an unknown key where it is written,
with a did-you-mean); casebook/render/citations.py turns citations into numbered links `[N]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casebook.content.checking import Checker, did_you_mean
from casebook.content.yamlsource import YNode

# Anything between "[@" and "]" on one line: a key that is not one of the case's is reported.
CITATION = re.compile(r"\[@([^\]\n]*)\]")


def numbers(sources: list[Any]) -> dict[str, int]:
    """Each source key → its 1-based position in the case's `sources` (the number a reader sees)."""
    return {source.key: index for index, source in enumerate(sources, 1) if source.key}


def _texts(node: YNode, skip: str = "sources") -> Iterator[YNode]:
    """Every scalar of a case's tree, the `sources` list itself left out."""
    if node.kind == "map":
        for key, child in node.value.items():
            if key != skip:
                yield from _texts(child, "")
    elif node.kind == "seq":
        for child in node.value:
            yield from _texts(child, "")
    elif isinstance(node.value, str) and "[@" in node.value:
        yield node


def _position(lines: list[str], node: YNode, token: str, seen: dict[tuple[int, int, str], int]) -> tuple[int, int]:
    """Where `token` is written in the file: its n-th occurrence from the scalar's start."""
    count = seen[(node.line, node.col, token)] = seen.get((node.line, node.col, token), -1) + 1
    for number in range(node.line, len(lines) + 1):
        line = lines[number - 1]
        start = node.col - 1 if number == node.line else 0
        while True:
            found = line.find(token, start)
            if found < 0:
                break
            if count == 0:
                return number, found + 1
            count -= 1
            start = found + 1
    return node.line, node.col  # written with escapes in a quoted string: the value's start


def check_citations(node: YNode, sources: list[Any], checker: Checker, path: Path) -> None:
    """Source keys well formed and unique; every `[@key]` of the case (`node`, read from `path`)
    naming one of them."""
    keys: list[str] = []
    listed = node.value.get("sources")
    for index, source in enumerate(sources):
        if not source.key:
            continue
        where = listed.value[index].value.get("key", listed) if listed is not None else node
        if source.key in keys:
            checker.error(where, f"资料来源的 key '{source.key}' 重复；同一案例里每条资料的 key 要不同，"
                          f"例如加上章节号：{source.key}-2")
        keys.append(source.key)
    known = set(keys)
    lines: list[str] = []  # the file's lines, read only to place a problem
    seen: dict[tuple[int, int, str], int] = {}
    for scalar in _texts(node):
        for match in CITATION.finditer(scalar.value):
            key = match.group(1)
            if key in known:
                continue
            guess = did_you_mean(key, keys)
            if guess:
                hint = f"；是不是要写 [@{guess}]？"
            elif keys:
                hint = "；本案例资料来源的 key 有：" + "、".join(keys)
            else:
                hint = "；请先在 sources 里给要引用的资料写上 key（如 key: haier-article）"
            if not lines:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            checker.error(_position(lines, scalar, match.group(0), seen),
                          f"引用 [@{key}] 找不到对应的资料来源{hint}")
