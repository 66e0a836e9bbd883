"""Read courses/: a trainer's sequence of sessions, each a case (and one of its plans).

A course is to trainers what a learning path is to trainees, and is read the same way: the same
YAML reader (lines and columns), the same checker and did-you-mean for the cases it names; like a
case, one file a course, its file name its id.
"""

from __future__ import annotations

import os
from pathlib import Path

from casebook.content.model import Case, Course
from casebook.content.reading import CASE_SUFFIXES, Context, is_slug, read_yaml
from casebook.content.schema import COURSE, MAX_SLUG, SLUG_HELP
from casebook.content.validate import INVALID
from casebook.content.yamlsource import YNode
from casebook.diagnostics import Report
from casebook.project import Project


def discover_courses(project: Project, report: Report) -> dict[str, Path]:
    """Course files by id. The folder is optional: a library need not have courses."""
    folder = project.courses_dir
    if not folder.is_dir():
        return {}
    root = project.root.resolve()
    found: dict[str, Path] = {}
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        path = folder / entry.name
        rel = project.rel(path)
        if entry.name.startswith(".") or path.suffix.lower() not in CASE_SUFFIXES:
            if not entry.name.startswith(".") and path.suffix.lower() not in (".md", ".txt"):
                report.warning(rel, 0, 0, "courses/ 里只读 .yaml 文件，这一项已忽略；课程文件名应为 <id>.yaml")
            continue
        try:
            inside = path.resolve().is_relative_to(root)
        except (OSError, RuntimeError):  # a loop of links
            inside = False
        if not inside or not path.is_file():
            report.error(rel, 0, 0, "不是仓库里的普通文件；请把课程文件本身放进 courses/")
            continue
        if path.suffix != path.suffix.lower():
            report.error(rel, 0, 0, f"扩展名请用小写：{path.stem}{path.suffix.lower()}")
            continue
        if not is_slug(path.stem):
            report.error(rel, 0, 0, f"文件名 '{path.name}' 不能作为课程 id：{SLUG_HELP}（长度不超过 {MAX_SLUG}）")
            continue
        if path.stem in found:
            names = f"{found[path.stem].name}、{path.name}"
            report.error(rel, 0, 0, f"课程 id '{path.stem}' 重复：{names}；请删除或改名其中一个")
            continue
        found[path.stem] = path
    return found


def _variant_problem(case: Case, minutes: int) -> str:
    """Why a session cannot name this variant of its case, or "" when it can."""
    main = f"不写 variant 时用主课堂计划（{sum(s.minutes for s in case.teaching.plan)} 分钟）" if case.teaching else ""
    if case.teaching is None:
        return f"案例 '{case.id}' 还没有教学说明（teaching），没有可选的版本"
    lengths = [variant.minutes for variant in case.teaching.variants]
    if minutes in lengths:
        return ""
    if not lengths:
        return f"案例 '{case.id}' 没有其他时长的版本（teaching.variants）；请删掉 variant，{main}"
    nearest = min(lengths, key=lambda length: (abs(length - minutes), length))
    listed = "、".join(f"{v.minutes}（{v.label}）" for v in case.teaching.variants)
    return (f"案例 '{case.id}' 没有 {minutes} 分钟的版本；是不是要写 {nearest}？"
            f"（它的版本：{listed}；{main}）")


def load_course(course_id: str, path: Path, project: Project, report: Report, ctx: Context,
                cases: dict[str, Case]) -> Course | None:
    rel = project.rel(path)
    node = read_yaml(path, project, report, rel)
    if node is None:
        return None
    checker = ctx.checker(rel, report)
    data = checker.checked(node, COURSE, "课程")
    if data is INVALID:
        return None
    course: Course = Course.of(COURSE, data, key=course_id, path=rel)
    sessions: list[YNode] = node.value["sessions"].value
    ok = True
    for session, item in zip(course.sessions, sessions, strict=True):
        case = cases.get(session.case)
        if case is not None and session.variant:
            problem = _variant_problem(case, session.variant)
            if problem:
                checker.error(item.value["variant"], problem)
                ok = False
        if case is not None and case.teaching is None:
            checker.warning(item.value["case"],
                            f"案例 '{session.case}' 还没有教学说明（teaching）：这一节没有课堂计划和工具包")
    return course if ok else None


def load_courses(project: Project, report: Report, ctx: Context, cases: dict[str, Case]) -> dict[str, Course]:
    """Every course, checked against the cases read (`ctx` knows every case file, readable or not)."""
    courses = {}
    for course_id, path in discover_courses(project, report).items():
        course = load_course(course_id, path, project, report, ctx, cases)
        if course is not None:
            courses[course_id] = course
    return courses
