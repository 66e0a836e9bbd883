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


def test_a_story_edit_renders_only_the_pages_that_show_it(tmp_path, monkeypatch):
    """Pages that list cases (the home page, term pages, the matrices) do not show a case's story:
    editing it renders the case page again (and the pages linking to it by title do not change),
    and the generated folder is still the clean build's."""
    from casebook.render import pages as render

    project = copy_project(tmp_path / "proj")
    assert build(project.root) == 0
    rendered: list[str] = []
    real_render = render._Pages.render
    monkeypatch.setattr(render._Pages, "render", lambda self, spec: (rendered.append(spec.target),
                                                                     real_render(self, spec))[1])
    real_catalogue = render.catalogue_script
    monkeypatch.setattr(render, "catalogue_script", lambda library: (rendered.append("catalogue"),
                                                                     real_catalogue(library))[1])
    case = project.cases_dir / "gamma.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("story: ", "story: 故事开头补一句。", 1), encoding="utf-8")
    assert build(project.root) == 0
    assert rendered == ["cases/gamma.md"]
    case.write_text(case.read_text(encoding="utf-8").replace("summary: ", "summary: 摘要补一句。", 1), encoding="utf-8")
    assert build(project.root) == 0
    assert "catalogue" in rendered and "index.md" in rendered  # both show the summary
    clean = copy_project(tmp_path / "clean")
    shutil.copy(case, clean.cases_dir / "gamma.yaml")
    assert build(clean.root) == 0
    assert digests(project.generated_dir) == digests(clean.generated_dir)
    assert digests(project.site_dir) == digests(clean.site_dir)


def _with_texts_changed(field_type, value):
    """`value` of a schema type with every text (not keys or references) changed, empty ones kept."""
    from casebook.content.fieldtypes import ListOf, Record, RefMap, Text

    if isinstance(field_type, Text):
        return value + "（改）" if value else value
    if isinstance(field_type, ListOf):
        return [_with_texts_changed(field_type.item, item) for item in value]
    if isinstance(field_type, RefMap):
        return {key: _with_texts_changed(field_type.value, item) for key, item in value.items()}
    if isinstance(field_type, Record) and value is not None:
        return type(value)(**{**vars(value), **{f.name: _with_texts_changed(f.type, getattr(value, f.name))
                                                 for f in field_type.fields}})
    return value


@pytest.mark.parametrize("edition", ["student", "trainer"])
def test_fields_marked_own_page_only_show_on_no_listing_page(edition):
    """What lets an incremental build skip the listing pages after such an edit: for each field the
    schema marks `own_page_only`, every text of it changed in every case of the bundled library
    changes case pages, and no other page nor the catalogue's data (the search index is updated on
    every build)."""
    import dataclasses

    from conftest import ROOT

    from casebook.content.editions import EDITIONS
    from casebook.content.load import load_library
    from casebook.content.schema import CASE
    from casebook.index.indexes import build_indexes
    from casebook.project import Project
    from casebook.render.pages import render_site

    library, _ = load_library(Project(ROOT))
    before = render_site(library, build_indexes(library), ROOT / "templates", edition=EDITIONS[edition])
    marked = [f for f in CASE.fields if f.own_page_only]
    assert {f.name for f in marked} >= {"story", "questions", "sources"}
    for spec in marked:
        cases = {cid: type(case)(**{**vars(case), spec.name: _with_texts_changed(spec.type, getattr(case, spec.name))})
                 for cid, case in library.cases.items()}
        changed = dataclasses.replace(library, cases=cases)
        after = render_site(changed, build_indexes(changed), ROOT / "templates", edition=EDITIONS[edition])
        differing = sorted(path for path in before if before[path] != after[path]
                           and not path.startswith("docs/search/"))
        assert differing, spec.name  # the field is shown somewhere: on the case pages
        # A course's syllabus shows its sessions' pre-work, so its inputs hold those cases whole.
        assert [path for path in differing if not path.startswith(("docs/cases/", "docs/courses/"))
                or path.endswith("index.md")] == [], spec.name


def test_the_search_index_updated_in_place_is_the_clean_one():
    """The index after an edit, made from the previous build's state, is byte for byte the index
    made from scratch; and so after a change of page set (a case removed)."""
    import dataclasses

    from conftest import student_library

    from casebook.render.search import build_index

    library = student_library()
    ids = list(library.cases)
    inputs = {cid: f"v1-{cid}" for cid in ids}
    _, state = build_index(library, None, inputs)
    first = ids[0]
    edited = library.cases[first]
    cases = {**library.cases, first: type(edited)(**{**vars(edited), "summary": "改写后的摘要：服务补救与客户满意。",
                                                     "title": edited.title + "（修订）"})}
    changed = dataclasses.replace(library, cases=cases)
    files, state = build_index(changed, None, {**inputs, first: "v2"}, state)
    assert files == build_index(changed)[0]
    assert files != build_index(library)[0]
    on_paths = {step.case for path in library.paths.values() for step in path.steps}
    gone = next(cid for cid in ids[1:] if cid not in on_paths)
    fewer = dataclasses.replace(library, cases={cid: c for cid, c in cases.items() if cid != gone})
    files, _ = build_index(fewer, None, {cid: v for cid, v in {**inputs, first: "v2"}.items() if cid != gone}, state)
    assert files == build_index(fewer)[0]


def test_the_case_cache_rereads_only_changed_files(tmp_path):
    """The build cache keeps what reading each case file gave, keyed by its content: a second build
    reads again only the file that changed, and a warning of an unchanged file is still reported."""
    from casebook.content import load
    from casebook.pipeline import generate

    project = copy_project(tmp_path / "proj")
    generate(project)
    read: list[str] = []
    real = load.load_case

    def recording(case_id, *args, **kwargs):
        read.append(case_id)
        return real(case_id, *args, **kwargs)

    load.load_case = recording
    try:
        again = generate(project)
        assert read == []
        case = project.cases_dir / "gamma.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace("summary: ", "summary: 改一句。", 1), encoding="utf-8")
        third = generate(project)
    finally:
        load.load_case = real
    assert read == ["gamma"]
    assert [d.message for d in again.report.items] == [d.message for d in third.report.items]
    assert third.library.cases["gamma"].summary.startswith("改一句。")


def test_the_search_state_is_used_only_with_the_code_that_made_it(tmp_path, monkeypatch):
    import pickle

    from casebook import buildcache
    from casebook.pipeline import generate
    from casebook.render import pages as render

    project = copy_project(tmp_path / "proj")
    generate(project)
    given: list[bool] = []
    real = render.build_index

    def recording(library, indexes, case_inputs, previous):
        given.append(previous is not None)
        return real(library, indexes, case_inputs, previous)

    monkeypatch.setattr(render, "build_index", recording)
    generate(project)
    name = f"{project.generated_dir.name}.search.pickle"
    _code, state = buildcache.loads(buildcache.read_file(project, name) or b"")
    buildcache.write_file(project, name, pickle.dumps(("another version", state)))
    generate(project)
    assert given == [True, False]


def test_a_failed_dirty_build_leaves_the_site_as_it_was(tmp_path, monkeypatch):
    """The dirty build starts from site/ with unchanged files hard-linked, not copied; MkDocs never
    writes those, so when it fails (here: a broken link in strict mode) site/ is exactly as before."""
    from casebook.site.build import SiteBuildError, build_site

    project = copy_project(tmp_path / "proj")
    assert build(project.root) == 0
    before = digests(project.site_dir)
    inodes = {p: p.stat().st_ino for p in project.site_dir.rglob("*") if p.is_file()}
    linked: list[str] = []
    real_link = os.link
    monkeypatch.setattr(os, "link", lambda src, dst: (linked.append(dst), real_link(src, dst))[1])
    page = project.docs_dir / "cases" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[断开的链接](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(SiteBuildError):
        build_site(project)
    assert digests(project.site_dir) == before
    assert {p: p.stat().st_ino for p in project.site_dir.rglob("*") if p.is_file()} == inodes
    assert not list(project.root.glob("site.tmp-*"))
    linked_pages = {name.split("/", 1)[1] for name in (p.relative_to(project.root).as_posix()
                                                        for p in map(Path, linked))}
    # Every page but the edited one (the one MkDocs writes) was linked, not copied.
    assert {name for name in before if name.endswith(".html")} - linked_pages == {"cases/alpha.html"}
