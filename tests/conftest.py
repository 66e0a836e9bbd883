"""Shared fixtures: throw-away projects made from the fixture corpora and the real templates."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from casebook.project import Project  # noqa: E402


def copy_project(dest: Path, fixture: str = "basic") -> Project:
    """A project at `dest`: the fixture's content with the real mkdocs.yml and templates."""
    shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", dest / "templates", dirs_exist_ok=True)
    return Project(dest)


def copy_library(dest: Path) -> Project:
    """A project at `dest` with the bundled library: its cases, taxonomy, templates and config."""
    dest.mkdir(parents=True)
    for name in ("cases", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    for name in ("taxonomy.yaml", "frameworks.yaml", "paths.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, dest / name)
    return Project(dest)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "proj")


@pytest.fixture
def write(project: Project) -> Callable[[str, str | bytes], Path]:
    """Write a file into the project (text as UTF-8, or raw bytes)."""

    def _write(name: str, content: str | bytes) -> Path:
        path = project.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def library_site(tmp_path_factory) -> dict[str, Path]:
    """The bundled library, built and exported once: {"http": site/, "file": the unzipped export}."""
    import zipfile

    from casebook.cli import main

    root = copy_library(tmp_path_factory.mktemp("library") / "proj").root
    assert main(["--root", str(root), "export", "--pdf", "none"]) == 0
    unzipped = root / "unzipped"
    with zipfile.ZipFile(root / "dist" / "casebook-student-offline.zip") as archive:
        archive.extractall(unzipped)
    return {"http": root / "site", "file": unzipped / "casebook-student-offline", "root": root}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; skipped (or failed with REQUIRE_BROWSER=1) without it."""
    from browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def student_library():
    """The bundled library as the student edition (the site trainees search) shows it."""
    from casebook.content.editions import EDITIONS, for_edition
    from casebook.content.load import load_library

    library, report = load_library(Project(ROOT))
    assert report.errors == []
    return for_edition(library, EDITIONS["student"])


def cases_holding(phrase: str) -> set[str]:
    """The student edition's case pages whose searchable text (the sections search indexes) holds
    `phrase`: what a search for it must find, whatever the cases come to say."""
    from casebook.index.indexes import Indexes
    from casebook.render.sections import PageData, search_places

    library = student_library()
    data = PageData(library, Indexes({}, {}, {}))
    return {f"{case.id}.html" for case in library.cases.values()
            if phrase in " ".join([case.title, case.subtitle, case.summary,
                                   *(place.text for place in search_places(case, data))])}
