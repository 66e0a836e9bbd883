"""`build.py export`: each exported edition's site built, then zipped for offline reading, its
handouts printed (HTML and, with Chromium, PDF), its course packs and, for learners, its SCORM
packages. The CLI parses the arguments and calls `export_editions`."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace

from casebook.content.editions import EDITIONS
from casebook.content.model import Library
from casebook.diagnostics import EXIT_OK, EXIT_PROBLEMS
from casebook.export.offline import export_zip, zip_folder, zip_name
from casebook.export.printing import Handouts, print_to_pdf, toc_page_numbers
from casebook.export.scorm import SUSPEND_LIMIT, ScormError, export_scorm, longest_suspend_data
from casebook.index.indexes import build_indexes
from casebook.pipeline import build_lock
from casebook.project import Project
from casebook.site.build import load_site_config
from casebook.writer import sync_tree


def export_editions(project: Project, pdf: str, build: Callable[[Project], tuple[int, Library | None]]) -> int:
    """The exported editions: each site built (by `build`, the CLI's build) and zipped, with the
    handouts of that edition beside it."""
    with build_lock(project):
        failed = False
        for key in (key for key, edition in EDITIONS.items() if edition.exported):
            edition_project = replace(project, edition=key)
            status, library = build(edition_project)
            if library is None:
                return status
            failed |= export_edition(edition_project, library, pdf) != EXIT_OK
        return EXIT_PROBLEMS if failed else EXIT_OK


def export_edition(project: Project, library: Library, pdf: str) -> int:
    """One edition's exports from its built site: the offline zip, the handouts, the course packs,
    the SCORM packages (learners' editions) and the PDFs."""
    edition = EDITIONS[project.edition]
    print_dir = project.dist_dir / "print" / edition.key
    handouts = Handouts(library, build_indexes(library), project.templates_dir, edition)
    pages = handouts.pages()
    sync_tree(print_dir, pages)
    target = export_zip(project, zip_name(edition.key), extra={"print": print_dir})
    size = target.stat().st_size / 1_000_000
    print(f"离线版（{edition.label}）：{project.rel(target)}（{size:.1f} MB）；"
          f"解压后双击 {zip_folder(target.name)}/index.html 即可阅读", file=sys.stderr)
    if not edition.teaching:  # learners' courses for an LMS: never the trainer edition
        status = _export_scorm(project, library)
        if status != EXIT_OK:
            return status
    print(f"打印版（{edition.label}）：{project.rel(print_dir)}/ 下的 {_listing(pages)}", file=sys.stderr)
    # A course's pack beside its other pack: dist/courses/<id>/student-pack.html, trainer-pack.html.
    pack_name = "trainer-pack" if edition.teaching else "student-pack"
    packs = []
    for key, course in library.courses.items():
        folder = project.dist_dir / "courses" / key
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{pack_name}.html").write_text(handouts.pack(course), encoding="utf-8")
        packs.append(folder / f"{pack_name}.html")
    if packs:
        print(f"课程（{edition.label}）：{len(packs)} 门课的 {pack_name}.html，在 "
              f"{project.rel(project.dist_dir / 'courses')}/<id>/", file=sys.stderr)
    if pdf == "none":
        return EXIT_OK
    html_files = [print_dir / name for name in handouts.books]
    pdf_dir = project.dist_dir / "pdf" / edition.key
    shutil.rmtree(pdf_dir, ignore_errors=True)
    cases = handouts.cases  # in the book's order

    def numbered(name: str) -> Callable[[list[tuple[str, int]]], str]:
        return lambda outline: handouts.book(name, toc_page_numbers(cases, outline))

    result = print_to_pdf(html_files, pdf_dir, books={name: numbered(name) for name in handouts.books})
    if not result.missing_browser:
        for pack in packs:
            more = print_to_pdf([pack], pack.parent)
            result.written += more.written
            result.failed += more.failed
    if pdf == "all" and not result.missing_browser:
        for name in sorted({name.split("/")[0] for name in pages if "/" in name}):
            more = print_to_pdf(sorted((print_dir / name).glob("*.html")), pdf_dir / name)
            result.written += more.written
            result.failed += more.failed
    if result.missing_browser:
        print("没有找到 Chromium，PDF 未生成。安装后重新运行即可（Debian/Ubuntu：sudo apt-get install chromium）；"
              f"也可以用浏览器打开 {project.rel(print_dir)}/casebook.html，选择“打印 → 另存为 PDF”。", file=sys.stderr)
    elif result.written:
        # Only what was written, folder by folder.
        written = {project.rel(path.parent): 0 for path in result.written}
        for path in result.written:
            written[project.rel(path.parent)] += 1
        listed = "；".join(f"{folder}/ 下 {count} 个" for folder, count in written.items())
        print(f"PDF（{edition.label}）：{len(result.written)} 个：{listed}", file=sys.stderr)
    for failed in result.failed:
        print(f"PDF 生成失败：{failed}", file=sys.stderr)
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def _export_scorm(project: Project, library: Library) -> int:
    try:
        written = export_scorm(project.site_dir, library, project.dist_dir / "scorm",
                               load_site_config(project, project.site_dir).site_name)
    except ScormError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_PROBLEMS
    if longest_suspend_data(len(library.cases)) > SUSPEND_LIMIT:
        print(f"注意：{len(library.cases)} 个案例的阅读记录超出 SCORM 1.2 的 cmi.suspend_data 上限"
              f"（{SUSPEND_LIMIT} 个字符），学习平台仍会记录完成状态和得分，但已读标记只保存在学员本机的浏览器里",
              file=sys.stderr)
    print(f"SCORM 1.2 课件（学员版，可导入 Moodle 等学习平台）：{project.rel(written[0].parent)}/ 下的 "
          f"{'、'.join(path.name for path in written)}", file=sys.stderr)
    return EXIT_OK


# What each folder of the handouts holds, for the export's report.
_PRINT_FOLDERS = {"cases": "单个案例讲义", "teaching": "教学说明", "kits": "课堂工具包", "classroom": "课堂版讲义"}


def _listing(pages: Mapping[str, str]) -> str:
    """The handouts written: the books by name, then each folder with what it holds."""
    books = sorted(name for name in pages if "/" not in name)
    folders = sorted({name.split("/")[0] for name in pages if "/" in name})
    return "、".join([*books, *(f"{folder}/<id>.html（{_PRINT_FOLDERS.get(folder, folder)}）" for folder in folders)])
