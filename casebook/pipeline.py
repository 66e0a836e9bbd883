"""The steps of a build, joined: load → index → render → write Markdown → MkDocs."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from casebook.buildcache import BuildCache
from casebook.content.editions import EDITIONS
from casebook.content.jsonschema import render_json_schema
from casebook.content.load import load_library
from casebook.content.model import Library
from casebook.diagnostics import Report
from casebook.index.indexes import Indexes, build_indexes
from casebook.parallel import PRIVATE_FDS, gc_paused
from casebook.project import Project
from casebook.render.pages import render_site
from casebook.writer import SyncResult, sync_tree, write_atomic


class BuildLocked(Exception):
    pass


@contextlib.contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """One build at a time per project: a second one stops with a clear message."""
    path = project.root / ".casebook.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held for the duration of the build
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(
                "另一个构建正在进行（.casebook.lock 被占用）；请等它结束后再运行"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        PRIVATE_FDS.add(handle.fileno())
        yield
    finally:
        PRIVATE_FDS.discard(handle.fileno())
        handle.close()


@dataclass
class Generated:
    library: Library
    indexes: Indexes
    report: Report
    sync: SyncResult | None = None


@gc_paused()  # millions of objects (cases, caches, pages) and no reference cycles among them
def generate(project: Project, cache: BuildCache | None = None) -> Generated:
    """Validate everything and, when there are no errors, write the generated Markdown folder of
    the project's edition, in the edition's own folder. Pages whose inputs
    are those of the last generation are taken from the folder as they are, not rendered again.
    `cache` is what the last build left (serve keeps its own, with the cases in memory)."""
    cache = cache if cache is not None else BuildCache(project)
    with cache.cases() as cases:
        library, report = load_library(project, cache=cases)
    if report.errors:
        return Generated(library, Indexes({}, {}, {}), report)
    related = cache.related()
    indexes = build_indexes(library, related)
    cache.keep_related(related)
    known = cache.page_inputs()
    docs = project.docs_dir

    def previous(target: str, inputs: str) -> bool:
        return known.get(target) == inputs and (docs / target).is_file()

    inputs: dict[str, str] = {}
    search = cache.search()
    cache.forget_pages()  # until the folder is written, neither describes it
    files = render_site(library, indexes, project.templates_dir, extra=static_assets(project),
                        edition=EDITIONS[project.edition], previous=previous, inputs_out=inputs,
                        search_cache=search)
    result = sync_tree(project.generated_dir, files)
    cache.keep_pages(inputs, search)
    return Generated(library, indexes, report, result)


def static_assets(project: Project) -> dict[str, bytes]:
    """Files under templates/assets/, copied as they are into docs/assets/."""
    folder = project.templates_dir / "assets"
    out: dict[str, bytes] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                out[f"docs/assets/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return out


def schema_is_stale(project: Project, library: Library) -> bool:
    """True when schema/case.schema.json no longer matches the format and the taxonomy."""
    path = project.schema_file
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    return current != render_json_schema(library)


def write_json_schema(project: Project, library: Library) -> bool:
    """Regenerate schema/case.schema.json; True when it changed."""
    text = render_json_schema(library)
    path = project.schema_file
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text.encode("utf-8"))
    return True


def find_project(start: Path | None = None) -> Project:
    """The project whose mkdocs.yml and cases/ are at or above `start` (default: the working
    directory, so an installed `casebook` command works in any project folder)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "cases").is_dir():
            return Project(folder)
    return Project(here)


def relative_site_index(project: Project) -> Path:
    return Path(os.path.relpath(project.site_dir / "index.html"))
