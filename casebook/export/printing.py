"""Printable handouts: one HTML page per case and one for the whole casebook, plus PDFs of them
when a Chromium is installed. Part of `build.py export`.

The PDFs come from Chromium's own command line (`--print-to-pdf`, no extra package): page numbers
are CSS page-margin boxes (print.css), the bookmarks are Chromium's document outline made from the
headings (`--generate-pdf-document-outline`: one per case, its sections below it), and the book's
table of contents gets its page numbers from a first printing's outline (pdfoutline.py), printed
again with them (two passes, a third if the numbers moved the pages)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from casebook.content.editions import EDITIONS, Edition, course_minutes, for_edition, session_plan, session_plans
from casebook.content.model import Case, Course, Library
from casebook.export.pdfoutline import pdf_outline
from casebook.index.indexes import Indexes
from casebook.index.order import in_reading_order
from casebook.render.sections import CaseRenderer, PageData, make_html_environment

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  # No header and footer of Chromium's (date, file:// URL); print.css has its own footer.
                  "--no-pdf-header-footer",
                  # Bookmarks from the headings (Chromium 121+; an older one ignores it: no bookmarks).
                  "--generate-pdf-document-outline")
MAX_PASSES = 3  # printing the page numbers into the contents may move pages once; not twice


def find_chromium() -> str | None:
    """$CHROMIUM when set (a CI runner's Chrome, say), else the first browser on the PATH."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _book_names(edition: Edition) -> dict[str, tuple[str, str, bool]]:
    """The edition's books: file name → (title, cover line, answers shown)."""
    books = {"casebook.html": (f"全部案例（{edition.label}）", edition.label, False)}
    if edition.teaching:
        books["casebook-answers.html"] = ("全部案例（讲师版，含参考答案）", "讲师版（含参考答案）", True)
    return books


class Handouts:
    """Renders an edition's handouts from the same case sections as the site (casebook/render/sections.py)."""

    def __init__(self, library: Library, indexes: Indexes, templates_dir: Path, edition: Edition) -> None:
        env = make_html_environment(templates_dir)
        env.globals.update(plans=session_plans, session_plan=session_plan)
        self.full = library  # the whole library: a course's syllabus needs its plans' lengths
        # A handout holds nothing its edition lacks, and lists the cases in reading order.
        library = in_reading_order(for_edition(library, edition), indexes.order)
        self.library, self.edition, self.env, self.indexes = library, edition, env, indexes
        self.renderer = CaseRenderer(env, PageData(library, indexes), online=False)
        self.templates_dir = templates_dir
        self.css = Markup((templates_dir / "print" / "print.css").read_text(encoding="utf-8"))
        self.page = env.get_template("print/page.html.j2")
        self.cases = list(library.cases.values())
        self.has_answers = any(q.answer for case in self.cases for q in case.questions)
        self.books = _book_names(edition)

    def render(self, title: str, chosen: list[Case], answers: bool = False, book: bool = False,
               only: tuple[str, ...] = (), subtitle: str = "", toc_pages: Mapping[str, int] | None = None) -> str:
        return self.page.render(title=title, cases=chosen, answers=answers, book=book, renderer=self.renderer,
                                # The trainer's book carries each case's teaching note after it.
                                css=self.css, only=only,
                                skip=("teaching",) if not only and not (book and self.edition.teaching) else (),
                                has_answers=self.has_answers, subtitle=subtitle, toc_pages=toc_pages or {})

    def book(self, name: str, toc_pages: Mapping[str, int] | None = None) -> str:
        """One of the edition's books; `toc_pages` (case id → page) numbers its table of contents."""
        title, subtitle, answers = self.books[name]
        return self.render(title, self.cases, answers=answers, book=True, subtitle=subtitle, toc_pages=toc_pages)

    def pages(self) -> dict[str, str]:
        """{relative path: HTML}. Both editions: cases/<id>.html (one case) and casebook.html (all
        cases; answers hidden until ticked). The trainer edition adds casebook-answers.html
        (answers shown) and teaching/<id>.html (each case's teaching note). The books' contents
        have no page numbers here: a browser's own printing paginates otherwise."""
        pages = {f"cases/{case.id}.html": self.render(case.title, [case]) for case in self.cases}
        pages.update({name: self.book(name) for name in self.books})
        if self.edition.teaching:
            pages.update({f"teaching/{case.id}.html": self.render(f"{case.title}：教学说明", [case],
                                                                 only=("teaching", "sources"))
                          for case in self.cases if case.teaching})
            pages.update({f"kits/{case.id}.html": self.kit(case) for case in self.cases if case.teaching})
        else:
            classroom = self.classroom
            pages.update({f"classroom/{case.id}.html": classroom.render(f"{case.title}（课堂版）", [case],
                                                                          subtitle="课堂版")
                          for case in classroom.cases})
        return pages

    @functools.cached_property  # made once: every course's student pack needs it again
    def classroom(self) -> Handouts:
        """The classroom edition's handouts: story, exhibits and the 课前 / 课中 questions with room to write."""
        return Handouts(self.full, self.indexes, self.templates_dir, EDITIONS["classroom"])

    def kit(self, case: Case) -> str:
        """A case's classroom kit (trainer edition): teaching note, role cards, observer sheet, materials,
        board plan, rubric."""
        return str(self.env.get_template("print/kit.html.j2").render(
            title=f"{case.title}：课堂工具包", cases=[case], css=self.css, renderer=self.renderer, book=False))

    def pack(self, course: Course) -> str:
        """A course's pack: for students (this edition without teaching) the syllabus and the classroom
        handouts of its cases in session order; for trainers the syllabus and each session's kit."""
        trainer = self.edition.teaching
        source = self if trainer else self.classroom
        return str(self.env.get_template("print/pack.html.j2").render(
            title=f"{course.title}：{'讲师包' if trainer else '学员包'}", course=course, trainer=trainer,
            subtitle="讲师包" if trainer else "学员包", cases=source.library.cases, full_cases=self.full.cases,
            total=course_minutes(self.full, course), css=self.css, renderer=source.renderer,
            book=True))  # several cases on one page: each case's source anchors carry its id


def render_print_pages(library: Library, indexes: Indexes, templates_dir: Path,
                       edition: Edition = EDITIONS["student"]) -> dict[str, str]:
    return Handouts(library, indexes, templates_dir, edition).pages()


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
