"""Reading one YAML file of the project, and the keys its references are checked against: what
every loader (load.py, courses.py) shares."""

from __future__ import annotations

from pathlib import Path

from casebook.content.labels import GROUPS, TERM_GROUPS
from casebook.content.schema import MAX_SLUG, SLUG_RE
from casebook.content.textcheck import traditional_problem
from casebook.content.validate import Checker, how_to_add
from casebook.content.yamlsource import SourceError, YNode, load_file
from casebook.diagnostics import Report
from casebook.project import Project

CASE_SUFFIXES = (".yaml", ".yml")


def is_slug(value: str) -> bool:
    return bool(SLUG_RE.match(value)) and len(value) <= MAX_SLUG


LINK_OUTSIDE = ("是指向项目文件夹之外的符号链接（或在这样的文件夹里），已拒绝，内容没有读取；"
                "Casebook 只读项目里的文件：请把文件本身复制进项目")
LINK_LOOP = "符号链接无法解析（可能指向自己，形成循环）；请换成文件本身"


def outside_problem(project: Project, path: Path) -> str:
    """Why `path` (an input file or folder) is not read: it resolves outside the project (a
    symbolic link, or inside a linked folder), or its links loop; "" when it is inside.
    Links that stay inside the project are allowed (a case shared between folders, say)."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return LINK_LOOP
    return "" if target.is_relative_to(project.root.resolve()) else LINK_OUTSIDE


def read_yaml(path: Path, project: Project, report: Report, rel: str | None = None,
              inside: bool = False) -> YNode | None:
    """The file's YAML tree, or None after reporting why it could not be read. A file leading
    out of the project is refused before it is read, so nothing of it reaches a message;
    `inside`: the caller has checked that already (cases: see discover_cases)."""
    rel = rel if rel is not None else project.rel(path)
    problem = "" if inside else outside_problem(project, path)
    if problem:
        report.error(rel, 0, 0, problem)
        return None
    try:
        loaded = load_file(path)
    except SourceError as exc:
        report.error(rel, exc.line, exc.col, exc.message)
        return None
    except OSError as exc:
        report.error(rel, 0, 0, f"无法读取文件：{exc.strerror or exc}")
        return None
    for line, col, message in loaded.problems:
        report.error(rel, line, col, message)
    return loaded.node


class Context:
    """Known keys of every referable group, for checks and did-you-mean suggestions."""

    def __init__(self) -> None:
        self.refs: dict[str, list[str] | None] = {}  # None: group unreadable, do not check against it
        self.known: dict[str, frozenset[str]] = {}  # the same keys as sets: every case checks its links
        self.names: dict[str, dict[str, str]] = {}
        # Where each group's keys are declared: labels.GROUPS says it once.
        self.where = {group: GROUPS[group].file for group in (*TERM_GROUPS, "frameworks", "cases")}
        self.how_to_add = {group: how_to_add(group, where) for group, where in self.where.items()}

    def declare(self, group: str, keys: list[str] | None) -> None:
        """The keys that references to `group` are checked against (None: do not check)."""
        self.refs[group] = keys
        if keys is None:
            self.known.pop(group, None)
        else:
            self.known[group] = frozenset(keys)

    def checker(self, path: str, report: Report, own_key: str = "") -> Checker:
        return Checker(path, report, self.refs, self.names, self.where, traditional_problem, self.known,
                       self.how_to_add, own_key)
