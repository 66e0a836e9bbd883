"""Check a built site: every internal link and anchor resolves, every case is reachable from home."""

from __future__ import annotations

import posixpath
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        for attr in ("href", "src"):
            value = values.get(attr)
            if value and (tag != "link" or attr == "href"):
                self.links.append(value)


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)  # "page: link (why)"
    unreachable: list[str] = field(default_factory=list)  # pages not reachable from index.html


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def check_site(site: Path, must_reach: list[str] | None = None) -> LinkReport:
    """Walk every HTML page under `site`; `must_reach` lists pages that home must lead to."""
    report = LinkReport()
    pages = {p.relative_to(site).as_posix(): _parse(p) for p in sorted(site.rglob("*.html"))}
    report.pages = len(pages)
    edges: dict[str, set[str]] = {name: set() for name in pages}
    for name, parsed in pages.items():
        base = posixpath.dirname(name)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "#", "data:")):
                if link.startswith("#") and link[1:] and unquote(link[1:]) not in parsed.ids:
                    report.broken.append(f"{name}: {link}（页内锚点不存在）")
                continue
            report.links += 1
            path = unquote(parts.path)
            if path.startswith("/"):  # root-relative (MkDocs' 404 page): the site's own root
                path, here = path.lstrip("/"), ""
            else:
                here = base
            target = posixpath.normpath(posixpath.join(here, path)) if path else name
            if target.startswith("../"):
                report.broken.append(f"{name}: {link}（指向网站之外）")
                continue
            if not (site / target).exists():
                report.broken.append(f"{name}: {link}（文件不存在）")
                continue
            if (site / target).is_dir():
                target = posixpath.join(target, "index.html")
            if target in pages:
                edges[name].add(target)
                anchor = unquote(parts.fragment)
                if anchor and anchor not in pages[target].ids:
                    report.broken.append(f"{name}: {link}（锚点不存在）")
    seen = {"index.html"} if "index.html" in pages else set()
    queue = deque(seen)
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    report.unreachable = sorted(set(must_reach or []) - seen)
    return report
