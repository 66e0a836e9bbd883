"""Printable handouts: one HTML page per case and one for the whole casebook, plus PDFs of them
when a Chromium is installed (headless `--print-to-pdf`). Part of `build.py export`."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import markdown as python_markdown
from markupsafe import Markup

from . import markdown_text
from .model import Library
from .render import make_environment

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer")


def find_chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _markdown_to_html(text: str) -> Markup:
    # The text goes through the same neutralisation as the site (no raw HTML, no unsafe links).
    converter = python_markdown.Markdown(extensions=["tables", "sane_lists"])
    return Markup(converter.convert(markdown_text.block(text)))


def render_print_pages(library: Library, templates_dir: Path) -> dict[str, str]:
    """{relative path: HTML}: cases/<id>.html (student handouts), casebook.html, casebook-answers.html."""
    env = make_environment(templates_dir)
    env.autoescape = True  # these templates produce HTML directly
    css = (templates_dir / "print" / "print.css").read_text(encoding="utf-8")
    page = env.get_template("print/page.html.j2")
    common = {"taxonomy": library.taxonomy, "html": _markdown_to_html, "css": Markup(css)}
    cases = list(library.cases.values())
    pages = {
        f"cases/{case.id}.html": page.render(**common, title=case.title, cases=[case], answers=False,
                                             book=False)
        for case in cases
    }
    pages["casebook.html"] = page.render(**common, title="全部案例（学员版）", cases=cases, answers=False, book=True)
    pages["casebook-answers.html"] = page.render(**common, title="全部案例（讲师版）", cases=cases, answers=True,
                                                 book=True)
    return pages


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    missing_browser: bool = False


def print_to_pdf(html_files: list[Path], out_dir: Path, chromium: str | None = None) -> PdfResult:
    """One PDF per HTML file, through headless Chromium; says so when there is none."""
    result = PdfResult()
    chromium = chromium or find_chromium()
    if chromium is None:
        result.missing_browser = True
        return result
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="casebook-chromium-") as profile:
        for html in html_files:
            target = out_dir / f"{html.stem}.pdf"
            command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                       f"--print-to-pdf={target}", html.resolve().as_uri()]
            try:
                subprocess.run(command, capture_output=True, timeout=180, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                result.failed.append(f"{html.name}: {exc}")
                continue
            if target.is_file() and target.stat().st_size > 0:
                result.written.append(target)
            else:
                result.failed.append(html.name)
    return result
