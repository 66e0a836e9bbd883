"""Read the whole corpus (taxonomy, frameworks, cases, learning paths) into a validated Library.

Like Pelican, everything is read before anything is rendered, and every problem is reported at
once: a bad file is skipped, the others are still checked.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.content import schema
from casebook.content.citations import check_citations
from casebook.content.courses import load_courses
from casebook.content.labels import GROUPS, RESERVED_KEYS
from casebook.content.model import Case, Framework, LearningPath, Library, Taxonomy, Term
from casebook.content.reading import (
    CASE_SUFFIXES,
    Context,
    is_slug,
    outside_problem,
    read_yaml,
)
from casebook.content.schema import (
    FRAMEWORK,
    LEARNING_PATH,
    MAX_SLUG,
    REQUIRED_STAGES,
    SLUG_HELP,
    TERM,
    TERM_GROUPS,
    Record,
)
from casebook.content.validate import INVALID, Checker, suggestion_text
from casebook.content.yamlsource import YNode
from casebook.diagnostics import Diagnostic, Report
from casebook.digest import value_digest
from casebook.parallel import gc_paused, map_chunks
from casebook.project import Project


def reserved_problem(folder: str, key: str) -> str:
    """Why `key` cannot name a page in `folder` (the group's own listing page has it), or ""."""
    if key not in RESERVED_KEYS:
        return ""
    return (f"'{key}' 是网站保留的名字：{folder}/{key}.html 是“{GROUPS[folder].title}”的目录页，同名会覆盖它；"
            f"请换一个名字（例如 {key}-1 或更具体的英文词）")


def check_input_links(project: Project, report: Report) -> None:
    """The inputs read by others than this module (the templates and assets by Jinja and the
    pipeline, mkdocs.yml by the engine): refused when they lead out of the project. Walks the
    templates without following links, so a linked folder is refused as a whole."""
    for path in (project.mkdocs_file, project.templates_dir):
        if os.path.lexists(path):
            problem = outside_problem(project, path)
            if problem:
                report.error(project.rel(path), 0, 0, problem)
                continue
        if path == project.templates_dir and path.is_dir():
            for folder, dirnames, filenames in os.walk(path):
                for name in sorted(dirnames + filenames):
                    entry = Path(folder) / name
                    if entry.is_symlink():
                        problem = outside_problem(project, entry)
                        if problem:
                            report.error(project.rel(entry), 0, 0, problem)


def _keyed_records(
    node: YNode, record: Record, checker: Checker, label: str, folder: str
) -> dict[str, dict[str, Any]]:
    """A top-level map of slug keys to records (frameworks.yaml, paths.yaml, a taxonomy group),
    each of which becomes the page urls.source(folder, key)."""
    out: dict[str, dict[str, Any]] = {}
    if node.kind != "map":
        checker.error(node, f"{label}应该是映射（键: 内容）")
        return out
    for key, child in node.value.items():
        if not is_slug(key):
            checker.error(node.key_pos[key], f"键 '{key}' 不合格：{SLUG_HELP}")
            continue
        taken = reserved_problem(folder, key)
        if taken:
            checker.error(node.key_pos[key], f"键 {taken}")
            continue
        value = checker.checked(child, record, f"'{key}' ")
        if value is not INVALID:
            out[key] = value
    return out


def load_taxonomy(project: Project, report: Report, ctx: Context) -> Taxonomy:
    path = project.taxonomy_file
    rel = project.rel(path)
    groups: dict[str, dict[str, Term]] = {group: {} for group in TERM_GROUPS}
    for group in TERM_GROUPS:  # until the file is read: nothing to check references against
        ctx.declare(group, None)
    if not os.path.lexists(path):
        report.error(rel, 0, 0, "找不到术语表 taxonomy.yaml")
        return Taxonomy(groups)
    node = read_yaml(path, project, report)
    checker = ctx.checker(rel, report)
    if node is None:
        return Taxonomy(groups)
    if node.kind != "map":
        checker.error(node, "taxonomy.yaml 的顶层应该是映射：stages、principles、strategies、industries")
        return Taxonomy(groups)
    for group, child in node.value.items():
        if group not in TERM_GROUPS:
            checker.error(node.key_pos[group], f"未知的术语组 '{group}'{suggestion_text(group, list(TERM_GROUPS))}")
            continue
        for key, data in _keyed_records(child, TERM, checker, f"{group} ", group).items():
            groups[group][key] = Term.of(TERM, data, key=key, group=group)
    for group in TERM_GROUPS:
        if group not in node.value:
            checker.error(node, f"taxonomy.yaml 缺少术语组 '{group}'（{TERM_GROUPS[group]}）")
    for group, terms in groups.items():
        # Cases are checked against every key the taxonomy declares, valid or not: a term with a
        # problem is reported once, in taxonomy.yaml, not again in every case that uses it.
        child = node.value.get(group)
        declared = [k for k in child.value if is_slug(k)] if child is not None and child.kind == "map" else None
        ctx.declare(group, declared)
        ctx.names[group] = {key: term.name for key, term in terms.items()}
    if "stages" in node.value:
        stages = ctx.refs["stages"] or []
        missing = [s for s in REQUIRED_STAGES if s not in stages]
        where = node.value["stages"]
        if missing:
            checker.error(where, f"stages 必须包含 {', '.join(REQUIRED_STAGES)}；缺少 {', '.join(missing)}")
        elif [s for s in stages if s in REQUIRED_STAGES] != list(REQUIRED_STAGES):
            checker.error(where, "stages 的顺序必须是售前 pre-sale、售中 in-sale、售后 after-sale")
    return Taxonomy(groups)


def load_frameworks(project: Project, report: Report, ctx: Context) -> dict[str, Framework]:
    path = project.frameworks_file
    frameworks: dict[str, Framework] = {}
    if os.path.lexists(path):
        node = read_yaml(path, project, report)
        if node is not None:
            checker = ctx.checker(project.rel(path), report)
            for key, data in _keyed_records(node, FRAMEWORK, checker, "frameworks.yaml ", "frameworks").items():
                frameworks[key] = Framework.of(FRAMEWORK, data, key=key)
    ctx.declare("frameworks", list(frameworks))
    ctx.names["frameworks"] = {key: fw.name for key, fw in frameworks.items()}
    return frameworks


def discover_cases(project: Project, report: Report) -> dict[str, Path]:
    """Case files by id (the file name), refusing bad names, duplicates and escaping links."""
    folder = project.cases_dir
    found: dict[str, list[Path]] = {}
    problem = outside_problem(project, folder) if os.path.lexists(folder) else ""
    if problem:
        report.error(project.rel(folder), 0, 0, problem)
        return {}
    if not folder.is_dir():
        report.error(project.rel(folder), 0, 0, "找不到案例文件夹 cases/")
        return {}
    # scandir: the listing says which entries are plain files, so most cost no stat call.
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        suffix = path.suffix
        if suffix.lower() not in CASE_SUFFIXES:
            if entry.is_dir():
                report.warning(project.rel(path), 0, 0, "cases/ 下的子文件夹会被忽略；案例文件请直接放在 cases/ 里")
            elif suffix.lower() not in (".md", ".txt"):
                report.warning(project.rel(path), 0, 0, "不是 .yaml 文件，已忽略；案例文件名应为 <id>.yaml")
            continue
        symlink = entry.is_symlink()
        if symlink:
            problem = outside_problem(project, path)
            if problem:
                report.error(project.rel(path), 0, 0, problem)
                continue
        if not (path.is_file() if symlink else entry.is_file(follow_symlinks=False)):
            report.error(project.rel(path), 0, 0, "不是普通文件；案例必须是 cases/ 下的 .yaml 文件")
            continue
        if suffix != suffix.lower():
            report.error(project.rel(path), 0, 0, f"扩展名请用小写：{path.stem}{suffix.lower()}")
            continue
        case_id = path.stem
        if not is_slug(case_id):
            suggestion = "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in case_id.lower()).split())
            hint = f"，例如 {suggestion}{suffix}" if suggestion and is_slug(suggestion) else ""
            report.error(project.rel(path), 0, 0,
                         f"文件名 '{path.name}' 不能作为案例 id：{SLUG_HELP}（长度不超过 {MAX_SLUG}）{hint}")
            continue
        taken = reserved_problem("cases", case_id)
        if taken:
            report.error(project.rel(path), 0, 0, f"案例 id {taken}")
            continue
        found.setdefault(case_id, []).append(path)
    ids: dict[str, Path] = {}
    for case_id, paths in found.items():
        if len(paths) > 1:
            names = "、".join(p.name for p in paths)
            for path in paths:
                report.error(project.rel(path), 0, 0, f"案例 id '{case_id}' 重复：{names}；请删除或改名其中一个")
            continue
        ids[case_id] = paths[0]
    return ids


def load_case(case_id: str, path: Path, project: Project, report: Report, ctx: Context) -> Case | None:
    rel = project.rel(path)
    node = read_yaml(path, project, report, rel, inside=True)  # discover_cases checked its links
    if node is None:
        return None
    checker = ctx.checker(rel, report, own_key=case_id)
    data = checker.checked(node, schema.CASE, "案例")
    if data is INVALID:
        return None
    case: Case = Case.of(schema.CASE, data, id=case_id, path=rel)
    check_citations(node, case.sources, checker, path)
    return case


def _load_case_chunk(state: tuple[Project, Context],
                     items: Sequence[tuple[str, Path]]) -> list[tuple[str, Case | None, list[Diagnostic]]]:
    project, ctx = state
    out = []
    for case_id, path in items:
        report = Report()
        out.append((case_id, load_case(case_id, path, project, report, ctx), report.items))
    return out


def load_paths(project: Project, report: Report, ctx: Context) -> dict[str, LearningPath]:
    path = project.paths_file
    paths: dict[str, LearningPath] = {}
    if not os.path.lexists(path):
        return paths
    node = read_yaml(path, project, report)
    if node is None:
        return paths
    checker = ctx.checker(project.rel(path), report)
    for key, data in _keyed_records(node, LEARNING_PATH, checker, "paths.yaml ", "paths").items():
        paths[key] = LearningPath.of(LEARNING_PATH, data, key=key)
    return paths


def _unused_warnings(library: Library, project: Project, report: Report) -> None:
    used: dict[str, set[str]] = {group: set() for group in (*TERM_GROUPS, "frameworks")}
    for case in library.cases.values():
        for group in used:
            used[group].update(case.notes_for(group))
    for group, terms in library.taxonomy.groups.items():
        for key, term in terms.items():
            if key not in used[group]:
                report.warning(project.rel(project.taxonomy_file), 0, 0,
                               f"{TERM_GROUPS[group]} '{key}'（{term.name}）还没有任何案例使用")
    for key, framework in library.frameworks.items():
        if key not in used["frameworks"]:
            report.warning(project.rel(project.frameworks_file), 0, 0,
                           f"方法框架 '{key}'（{framework.name}）还没有任何案例引用")


@dataclass
class CaseCache:
    """What reading each case file gave, kept while neither the file's content nor the keys it is
    checked against change: `serve` keeps one in memory, `build` one in the build cache, so both
    read and check again only the files that changed."""

    entries: dict[str, tuple[tuple[object, ...], Case | None, list[Diagnostic]]] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)  # the entries the last read added or dropped


def _read_cases(project: Project, wanted: list[tuple[str, Path]], ctx: Context,
                cache: CaseCache | None) -> dict[str, tuple[Case | None, list[Diagnostic]]]:
    cache = cache if cache is not None else CaseCache()  # one-off reads: every file is a miss
    # One digest of the keys every case is checked against (comparing the keys themselves for
    # each case would take time growing with the square of the library).
    refs = value_digest(sorted((group, None if keys is None else tuple(keys)) for group, keys in ctx.refs.items()))
    results: dict[str, tuple[Case | None, list[Diagnostic]]] = {}
    misses: list[tuple[str, Path]] = []
    signatures: dict[str, tuple[object, ...]] = {}
    for case_id, path in wanted:
        try:
            content = hashlib.sha1(path.read_bytes()).digest()
        except OSError:
            misses.append((case_id, path))
            continue
        signatures[case_id] = (content, refs)
        hit = cache.entries.get(str(path))
        if hit is not None and hit[0] == signatures[case_id]:
            results[case_id] = (hit[1], hit[2])
        else:
            misses.append((case_id, path))
    paths = dict(wanted)
    for case_id, case, problems in map_chunks(_load_case_chunk, misses, (project, ctx)):
        results[case_id] = (case, problems)
        if case_id in signatures:
            cache.entries[str(paths[case_id])] = (signatures[case_id], case, problems)
    keep = {str(path) for _, path in wanted}
    stale = [key for key in cache.entries if key not in keep]
    for key in stale:
        del cache.entries[key]
    cache.changed = {str(paths[case_id]) for case_id, _ in misses} | set(stale)
    return results


@gc_paused()
def load_library(project: Project, case_ids: Sequence[str] | None = None,
                 cache: CaseCache | None = None) -> tuple[Library, Report]:
    """Read and validate everything. `case_ids` limits the cases read (all by default); a `cache`
    reuses what earlier reads of unchanged files gave."""
    report = Report()
    ctx = Context()
    check_input_links(project, report)
    taxonomy = load_taxonomy(project, report, ctx)
    frameworks = load_frameworks(project, report, ctx)
    files = discover_cases(project, report)
    ctx.declare("cases", list(files))
    ctx.names["cases"] = {}
    wanted = [(cid, path) for cid, path in files.items() if case_ids is None or cid in case_ids]
    results = _read_cases(project, wanted, ctx, cache)
    cases: dict[str, Case] = {}
    for case_id, _ in wanted:
        case, problems = results[case_id]
        report.items.extend(problems)
        if case is not None:
            cases[case_id] = case
    ctx.names["cases"] = {cid: c.title for cid, c in cases.items()}
    paths = load_paths(project, report, ctx)
    courses = load_courses(project, report, ctx, cases)
    library = Library(taxonomy=taxonomy, cases=dict(sorted(cases.items())), frameworks=frameworks, paths=paths,
                      courses=courses)
    if case_ids is None and not report.errors:
        _unused_warnings(library, project, report)
    return library, report
