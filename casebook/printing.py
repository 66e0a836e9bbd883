"""Printable handouts: one HTML page per case and one for the whole casebook, plus PDFs of them
when a Chromium is installed (headless `--print-to-pdf`). Part of `build.py export`."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .editions import EDITIONS, Edition
from .indexes import Indexes
from .model import Case, Library
from .sections import CaseRenderer, PageData, make_html_environment

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer")


def find_chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def render_print_pages(library: Library, indexes: Indexes, templates_dir: Path,
                       edition: Edition = EDITIONS["student"]) -> dict[str, str]:
    """{relative path: HTML}: the handouts of an edition, from the same sections as the case pages.

    Both editions: cases/<id>.html (one case) and casebook.html (all cases; answers hidden until
    ticked). The trainer edition adds casebook-answers.html (answers shown) and teaching/<id>.html
    (each case's teaching note)."""
    env = make_html_environment(templates_dir)
    renderer = CaseRenderer(env, PageData(library, indexes), online=False)
    css = Markup((templates_dir / "print" / "print.css").read_text(encoding="utf-8"))
    page = env.get_template("print/page.html.j2")
    cases = list(library.cases.values())
    has_answers = any(q.answer for case in cases for q in case.questions)

    def render(title: str, chosen: list[Case], answers: bool = False, book: bool = False,
               only: tuple[str, ...] = (), subtitle: str = "") -> str:
        return page.render(title=title, cases=chosen, answers=answers, book=book, renderer=renderer, css=css,
                           only=only, skip=("teaching",) if not only else (), has_answers=has_answers,
                           subtitle=subtitle)

    pages = {f"cases/{case.id}.html": render(case.title, [case]) for case in cases}
    pages["casebook.html"] = render(f"全部案例（{edition.label}）", cases, book=True, subtitle=edition.label)
    if edition.teaching:
        pages["casebook-answers.html"] = render("全部案例（讲师版，含参考答案）", cases, answers=True, book=True,
                                                subtitle="讲师版（含参考答案）")
        pages.update({f"teaching/{case.id}.html": render(f"{case.title}：教学说明", [case], only=("teaching",))
                      for case in cases if case.teaching})
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
