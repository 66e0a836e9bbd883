"""Helpers for real-browser tests: Debian's Chromium driven by Playwright, and a local server."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def chromium_path() -> str | None:
    """$CHROMIUM when set (GitHub's runners: their Chrome, as Ubuntu's chromium is a snap stub),
    else Debian's Chromium."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_chromium() -> str:
    """The browser, or a skip (a failure when REQUIRE_BROWSER=1, as in CI)."""
    path = chromium_path()
    reason = "no Chromium at /usr/bin/chromium (install Debian's chromium package to run browser tests)"
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; REQUIRE_BROWSER=1 makes this a failure")
        pytest.skip(reason)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("the playwright package is not installed; REQUIRE_BROWSER=1")
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    not_found_page: Path | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing address gets the site's own 404 page, as a web server set up for it answers."""
        page = self.not_found_page
        if code != 404 or page is None or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_folder(folder: Path, not_found_page: Path | None = None) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) for the duration of the block; with
    `not_found_page`, every missing address is answered with that page (status 404)."""
    handler_class = type("_Handler", (_QuietHandler,), {"not_found_page": not_found_page})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def opened(site: dict[str, Path], mode: str) -> Iterator[str]:
    """The base URL of a built site: served on 127.0.0.1 ("http"), or unzipped on file:// ("file")."""
    if mode == "file":
        yield site["file"].as_uri()
    else:
        with serve_folder(site["http"]) as base:
            yield base


def is_local(url: str) -> bool:
    return url.startswith(("file:", "data:", "blob:", "about:", "http://127.0.0.1", "http://localhost"))


class RequestLog:
    """Every request a page makes; `foreign` are those that would leave this machine."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def attach(self, page) -> None:
        page.on("request", lambda request: self.urls.append(request.url))

    @property
    def foreign(self) -> list[str]:
        return [url for url in self.urls if not is_local(url)]


SEARCH_BOX = "header input[type=search].md-search__input"


def type_search(page, query: str) -> None:
    """Type a query into the site's search box (assets/search.js reads it on every `input`
    event, which `fill` sends as an input method's commit does)."""
    page.fill(SEARCH_BOX, query)
