"""Printable handouts: one HTML page per case and one for the whole casebook, plus PDFs of them
when a Chromium is installed. Part of `build.py export`.

The PDFs come from Chromium's own command line (`--print-to-pdf`, no extra package): page numbers
are CSS page-margin boxes (print.css), the bookmarks are Chromium's document outline made from the
headings (`--generate-pdf-document-outline`: one per case, its sections below it), and the book's
table of contents gets its page numbers from a first printing's outline (pdfoutline.py), printed
again with them (two passes, a third if the numbers moved the pages)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import markdown as python_markdown
from markupsafe import Markup

from . import markdown_text
from .model import Case, Library
from .pdfoutline import pdf_outline
from .render import make_environment

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  # No header and footer of Chromium's (date, file:// URL); print.css has its own footer.
                  "--no-pdf-header-footer",
                  # Bookmarks from the headings (Chromium 121+; an older one ignores it: no bookmarks).
                  "--generate-pdf-document-outline")
MAX_PASSES = 3  # printing the page numbers into the contents may move pages once; not twice


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


BOOKS = {"casebook.html": ("全部案例（学员版）", False), "casebook-answers.html": ("全部案例（讲师版）", True)}


def _page_template(templates_dir: Path):  # type: ignore[no-untyped-def]
    env = make_environment(templates_dir)
    env.autoescape = True  # these templates produce HTML directly
    return env.get_template("print/page.html.j2")


def _common(library: Library, templates_dir: Path) -> dict[str, object]:
    css = (templates_dir / "print" / "print.css").read_text(encoding="utf-8")
    return {"taxonomy": library.taxonomy, "html": _markdown_to_html, "css": Markup(css)}


def render_book(library: Library, templates_dir: Path, name: str,
                toc_pages: Mapping[str, int] | None = None) -> str:
    """One of BOOKS; `toc_pages` (case id → page) puts page numbers into its table of contents."""
    title, answers = BOOKS[name]
    return _page_template(templates_dir).render(**_common(library, templates_dir), title=title,
                                                cases=list(library.cases.values()), answers=answers,
                                                book=True, toc_pages=toc_pages or {})


def render_print_pages(library: Library, templates_dir: Path) -> dict[str, str]:
    """{relative path: HTML}: cases/<id>.html (student handouts), casebook.html, casebook-answers.html.

    The books' contents have no page numbers here: a browser's own printing paginates otherwise."""
    page, common = _page_template(templates_dir), _common(library, templates_dir)
    pages = {
        f"cases/{case.id}.html": page.render(**common, title=case.title, cases=[case], answers=False,
                                             book=False, toc_pages={})
        for case in library.cases.values()
    }
    for name in BOOKS:
        pages[name] = render_book(library, templates_dir, name)
    return pages


def toc_page_numbers(cases: Sequence[Case], outline: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Case id → the page its bookmark points at. Bookmarks follow the document; each case's is
    the next one bearing its title (the cover's bookmark comes first and matches no case)."""
    pages: dict[str, int] = {}
    entries = iter(outline)
    for case in cases:
        wanted = " ".join(case.title.split())
        for title, page in entries:
            if " ".join(title.split()) == wanted:
                pages[case.id] = page
                break
        else:
            return pages  # the outline ended: the rest stay without numbers
    return pages


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    missing_browser: bool = False


def _print_one(chromium: str, profile: str, html: Path, target: Path) -> str:
    """Print `html` to `target`; "" when done, else what went wrong."""
    target.unlink(missing_ok=True)
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
               f"--print-to-pdf={target}", html.resolve().as_uri()]
    try:
        subprocess.run(command, capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{html.name}: {exc}"
    return "" if target.is_file() and target.stat().st_size > 0 else html.name


def print_to_pdf(html_files: list[Path], out_dir: Path, chromium: str | None = None,
                 books: Mapping[str, Callable[[list[tuple[str, int]]], str]] | None = None) -> PdfResult:
    """One PDF per HTML file, through headless Chromium; says so when there is none.

    `books` maps a file name to a function giving its HTML again with the page numbers of a
    printed outline: that file is printed until its contents' numbers agree with its pages."""
    result = PdfResult()
    chromium = chromium or find_chromium()
    if chromium is None:
        result.missing_browser = True
        return result
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="casebook-chromium-") as profile:
        for html in html_files:
            target = out_dir / f"{html.stem}.pdf"
            problem = _print_one(chromium, profile, html, target)
            renumber = (books or {}).get(html.name)
            if not problem and renumber is not None:
                problem = _print_numbered(chromium, profile, html, target, renumber)
            if problem:
                result.failed.append(problem)
            else:
                result.written.append(target)
    return result


def _print_numbered(chromium: str, profile: str, html: Path, target: Path,
                    renumber: Callable[[list[tuple[str, int]]], str]) -> str:
    """Print again with the contents' page numbers read from the last printing's bookmarks."""
    numbered = html.with_name(f".{html.stem}.numbered.html")  # beside it: same relative links
    outline = pdf_outline(target.read_bytes())
    try:
        for _ in range(MAX_PASSES - 1):
            if not outline:
                return ""  # a Chromium without document outlines: contents without numbers
            numbered.write_text(renumber(outline), encoding="utf-8")
            problem = _print_one(chromium, profile, numbered, target)
            if problem:
                return problem.replace(numbered.name, html.name)
            printed = pdf_outline(target.read_bytes())
            if printed == outline:
                return ""
            outline = printed
        return ""
    finally:
        numbered.unlink(missing_ok=True)
