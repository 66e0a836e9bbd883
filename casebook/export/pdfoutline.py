"""Read the bookmarks (outline) of a PDF that Chromium printed: [(title, page number), …].

`build.py export` prints the casebook twice: the first PDF says on which page each case starts
(Chromium's outline points at the page of each heading), the second carries those numbers in
its table of contents. Chromium (Skia) writes a classic cross-reference table and plain object
dictionaries, which is all this reads; anything else gives an empty outline, never an error.
"""

from __future__ import annotations

import re

_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REF = re.compile(rb"(\d+) (\d+) R")


class _Pdf:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offsets = self._xref()

    def _xref(self) -> dict[int, int]:
        """Object number → byte offset, from the last cross-reference table (Skia writes one)."""
        start = self.data.rfind(b"startxref")
        match = re.match(rb"startxref\s+(\d+)", self.data[start:]) if start >= 0 else None
        if not match:
            return {}
        position = int(match.group(1))
        header = re.match(rb"xref\s+(\d+) (\d+)\s+", self.data[position:])
        if not header:
            return {}  # a cross-reference stream: not what Chromium writes
        first, count = int(header.group(1)), int(header.group(2))
        offsets: dict[int, int] = {}
        cursor = position + header.end()
        for number in range(first, first + count):
            entry = _XREF_ENTRY.match(self.data, cursor)
            if not entry:
                break
            if entry.group(3) == b"n":
                offsets[number] = int(entry.group(1))
            cursor = entry.end()
            while cursor < len(self.data) and self.data[cursor] in b" \r\n":
                cursor += 1
        return offsets

    def dictionary(self, number: int) -> bytes:
        """The text of object `number`'s top-level dictionary (b"" if it has none)."""
        offset = self.offsets.get(number)
        if offset is None:
            return b""
        start = self.data.find(b"<<", offset, offset + 64)
        if start < 0:
            return b""
        depth, cursor = 0, start
        while cursor < len(self.data) - 1:
            pair = self.data[cursor:cursor + 2]
            char = self.data[cursor:cursor + 1]
            if char == b"(":  # a literal string: skip it whole, whatever it holds
                cursor = self._skip_literal(cursor)
                continue
            if pair == b"<<":
                depth += 1
                cursor += 2
            elif pair == b">>":
                depth -= 1
                cursor += 2
                if depth == 0:
                    return self.data[start:cursor]
            else:
                cursor += 1
        return b""

    def _skip_literal(self, cursor: int) -> int:
        depth = 0
        while cursor < len(self.data):
            char = self.data[cursor:cursor + 1]
            if char == b"\\":
                cursor += 2
                continue
            if char == b"(":
                depth += 1
            elif char == b")":
                depth -= 1
                if depth == 0:
                    return cursor + 1
            cursor += 1
        return cursor

    @staticmethod
    def ref(dictionary: bytes, key: bytes) -> int | None:
        match = re.search(rb"/" + key + rb"\s+(\d+) \d+ R", dictionary)
        return int(match.group(1)) if match else None

    def pages(self, root: int) -> list[int]:
        """Page objects in reading order (walking /Kids of the page tree)."""
        order: list[int] = []
        stack = [root]
        seen: set[int] = set()
        while stack:
            number = stack.pop()
            if number in seen:
                continue
            seen.add(number)
            node = self.dictionary(number)
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", node)
            if kids:
                stack.extend(reversed([int(m.group(1)) for m in _REF.finditer(kids.group(1))]))
            else:
                order.append(number)
        return order


def _title(dictionary: bytes) -> str:
    hex_title = re.search(rb"/Title\s*<([0-9A-Fa-f\s]*)>", dictionary)
    if hex_title:
        raw = bytes.fromhex(hex_title.group(1).decode("ascii"))
        return raw[2:].decode("utf-16-be", "replace") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    literal = re.search(rb"/Title\s*\(((?:\\.|[^\\)])*)\)", dictionary, re.S)
    if literal:
        return re.sub(rb"\\(.)", rb"\1", literal.group(1)).decode("latin-1")
    return ""


def _catalog(pdf: _Pdf) -> bytes:
    """The document catalog, named by the trailer's /Root."""
    trailer = pdf.data[pdf.data.rfind(b"trailer"):]
    root = _Pdf.ref(trailer, b"Root")
    return pdf.dictionary(root) if root is not None else b""


def pdf_outline(data: bytes) -> list[tuple[str, int]]:
    """The top-level bookmarks of a PDF as (title, 1-based page number), in order."""
    pdf = _Pdf(data)
    catalog = _catalog(pdf)
    pages_root, outlines = pdf.ref(catalog, b"Pages"), pdf.ref(catalog, b"Outlines")
    if pages_root is None or outlines is None:
        return []
    page_numbers = {number: index for index, number in enumerate(pdf.pages(pages_root), 1)}
    entries: list[tuple[str, int]] = []
    item = pdf.ref(pdf.dictionary(outlines), b"First")
    seen: set[int] = set()
    while item is not None and item not in seen:
        seen.add(item)
        node = pdf.dictionary(item)
        destination = re.search(rb"/Dest\s*\[\s*(\d+) \d+ R", node)
        if destination and int(destination.group(1)) in page_numbers:
            entries.append((_title(node), page_numbers[int(destination.group(1))]))
        item = pdf.ref(node, b"Next")
    return entries


def page_count(data: bytes) -> int:
    pdf = _Pdf(data)
    root = pdf.ref(_catalog(pdf), b"Pages")
    return len(pdf.pages(root)) if root is not None else 0
