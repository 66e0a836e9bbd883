"""Incremental builds: after a case edit only its pages are rebuilt, and the site is the clean build's."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import copy_project

from casebook.cli import main
from casebook.site import build as site_module

pytestmark = pytest.mark.slow


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(root: Path) -> int:
    return main(["--root", str(root), "build"])


def test_one_edit_rebuilds_its_pages_and_gives_the_clean_site(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "proj")
    assert build(project.root) == 0
    first = digests(project.site_dir)
    case = project.cases_dir / "alpha.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("一家小米店", "一家街角的小米店"), encoding="utf-8")

    runs: list[bool] = []
    real_run = site_module.run_mkdocs

    def recording_run(*args, dirty=False, **kwargs):
        runs.append(dirty)
        return real_run(*args, dirty=dirty, **kwargs)

    monkeypatch.setattr(site_module, "run_mkdocs", recording_run)
    before = {p: p.stat().st_mtime_ns for p in project.site_dir.rglob("*.html")}
    assert build(project.root) == 0
    assert runs == [True]  # nothing but a case changed: a dirty build
    rebuilt = sorted(p.relative_to(project.site_dir).as_posix() for p, t in before.items()
                     if (project.site_dir / p.relative_to(project.site_dir)).stat().st_mtime_ns != t)
    assert "cases/alpha.html" in rebuilt and "cases/beta.html" not in rebuilt
    assert len(rebuilt) < len(before) / 2

    clean = copy_project(tmp_path / "clean")
    shutil.copy(case, clean.cases_dir / "alpha.yaml")
    assert build(clean.root) == 0
    incremental = digests(project.site_dir)
    assert incremental == digests(clean.site_dir)
    assert incremental != first


def test_a_template_or_taxonomy_change_rebuilds_everything(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "proj")
    assert build(project.root) == 0
    runs: list[bool] = []
    real_run = site_module.run_mkdocs
    monkeypatch.setattr(site_module, "run_mkdocs",
                        lambda *a, dirty=False, **k: (runs.append(dirty), real_run(*a, dirty=dirty, **k))[1])
    css = project.templates_dir / "assets" / "casebook.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert build(project.root) == 0
    taxonomy = project.taxonomy_file
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(project.root) == 0
    assert build(project.root) == 0  # nothing changed since: dirty again
    assert runs == [False, False, True]


def test_a_site_changed_by_hand_or_a_failed_build_is_rebuilt_in_full(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "proj")
    assert build(project.root) == 0
    shutil.rmtree(project.site_dir)
    os.makedirs(project.site_dir)
    runs: list[bool] = []
    real_run = site_module.run_mkdocs
    monkeypatch.setattr(site_module, "run_mkdocs",
                        lambda *a, dirty=False, **k: (runs.append(dirty), real_run(*a, dirty=dirty, **k))[1])
    (project.cache_dir / "site.key").unlink()  # as a killed build leaves it
    assert build(project.root) == 0
    assert runs == [False]
    assert (project.site_dir / "cases" / "alpha.html").is_file()


def test_pages_whose_inputs_did_not_change_are_not_rendered_again(tmp_path, monkeypatch):
    from casebook.render import pages as render

    project = copy_project(tmp_path / "proj")
    assert build(project.root) == 0
    rendered: list[str] = []
    real_render = render._Pages.render

    def recording_render(self, spec):
        rendered.append(spec.target)
        return real_render(self, spec)

    monkeypatch.setattr(render._Pages, "render", recording_render)
    assert build(project.root) == 0
    assert rendered == []  # nothing changed: every page taken as it was
    case = project.cases_dir / "gamma.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("summary: ", "summary: 补充一句。", 1), encoding="utf-8")
    assert build(project.root) == 0
    assert "cases/gamma.md" in rendered and "cases/alpha.md" not in rendered
    assert "index.md" in rendered  # the home page lists every case
    generated = {p.relative_to(project.generated_dir).as_posix(): p.read_bytes()
                 for p in sorted(project.generated_dir.rglob("*")) if p.is_file()}
    clean = copy_project(tmp_path / "clean")
    shutil.copy(case, clean.cases_dir / "gamma.yaml")
    assert build(clean.root) == 0
    assert generated == {p.relative_to(clean.generated_dir).as_posix(): p.read_bytes()
                         for p in sorted(clean.generated_dir.rglob("*")) if p.is_file()}
