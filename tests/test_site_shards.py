"""The page loop on every core gives the very site MkDocs' own serial build gives, and loses none
of what MkDocs reports (warnings, broken anchors, page errors) or indexes (search entries)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import copy_library

from casebook import site_shards
from casebook.pipeline import generate
from casebook.project import Project
from casebook.site import SiteBuildError, _build_environment, run_mkdocs

pytestmark = pytest.mark.slow


# The site has no search plugin (its search is Casebook's own), but a site configured with one
# must still build the same sharded: these builds add Material's, whose entries the workers send
# back to the parent.
WITH_MATERIAL_SEARCH = ["search"]


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def library_project(tmp_path_factory) -> Project:
    """The bundled library's generated Markdown (about a hundred pages)."""
    project = copy_library(tmp_path_factory.mktemp("shards") / "proj")
    assert not generate(project).report.errors
    return project


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setenv("CASEBOOK_WORKERS", "2")


def _mkdocs_build(project: Project, site_dir: Path, sharded: bool, dirty: bool) -> None:
    from mkdocs.commands.build import build as serial_build
    from mkdocs.config import load_config

    with _build_environment(project):
        config = load_config(str(project.mkdocs_file), site_dir=str(site_dir), strict=not dirty,
                             plugins=WITH_MATERIAL_SEARCH)
        (site_shards.build if sharded else serial_build)(config, dirty=dirty)


def mkdocs_build(project: Project, site_dir: Path, *, sharded: bool, dirty: bool = False) -> None:
    """One MkDocs build in a forked process, from the same state each time, as separate `build.py`
    runs are (Material's search plugin segments with jieba when it is installed, and jieba's
    word totals grow with each load of a dictionary)."""
    import multiprocessing

    child = multiprocessing.get_context("fork").Process(
        target=_mkdocs_build, args=(project, site_dir, sharded, dirty))
    child.start()
    child.join()
    assert child.exitcode == 0


def test_sharded_build_is_byte_identical_to_mkdocs_own(library_project, tmp_path, two_workers):
    pages = len(list(library_project.docs_dir.rglob("*.md")))
    assert pages > site_shards.PAGE_THRESHOLD  # so the pages really are shared out
    mkdocs_build(library_project, tmp_path / "serial", sharded=False)
    mkdocs_build(library_project, tmp_path / "sharded", sharded=True)
    serial, sharded = tree_digest(tmp_path / "serial"), tree_digest(tmp_path / "sharded")
    assert sorted(serial) == sorted(sharded)
    assert [name for name in serial if serial[name] != sharded[name]] == []
    # Material's own search index, made from entries the workers sent back, is among them.
    index = (tmp_path / "sharded" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "cases/haier.html" in index and "cases/comb-seller.html" in index


def test_dirty_rebuild_of_changed_pages_matches_serial(library_project, tmp_path, two_workers, monkeypatch):
    monkeypatch.setattr(site_shards, "PAGE_THRESHOLD", 2)
    for name in ("serial", "sharded"):
        mkdocs_build(library_project, tmp_path / name, sharded=False)
    changed = ["cases/haier.md", "cases/huawei.md", "principles/reliability.md"]
    originals = {}
    try:
        for name in changed:
            page = library_project.docs_dir / name
            originals[name] = page.read_text(encoding="utf-8")
            page.write_text(originals[name] + "\n\n改动后的段落。\n", encoding="utf-8")
            stamp = (tmp_path / "serial" / name).with_suffix(".html").stat().st_mtime + 5
            os.utime(page, (stamp, stamp))
        mkdocs_build(library_project, tmp_path / "serial", sharded=False, dirty=True)
        mkdocs_build(library_project, tmp_path / "sharded", sharded=True, dirty=True)
    finally:
        for name, text in originals.items():
            (library_project.docs_dir / name).write_text(text, encoding="utf-8")
    for name in changed:
        assert "改动后的段落" in (tmp_path / "sharded" / name).with_suffix(".html").read_text(encoding="utf-8")
    serial, sharded = tree_digest(tmp_path / "serial"), tree_digest(tmp_path / "sharded")
    assert [name for name in serial if serial.get(name) != sharded.get(name)] == []


@pytest.fixture
def broken_links_project(library_project, tmp_path) -> Project:
    """A copy whose pages link to a missing page and to a missing anchor of a page that another
    worker builds: only the parent, with every page's anchors back, can see the second."""
    root = tmp_path / "proj"
    shutil.copytree(library_project.root, root)
    project = Project(root)
    docs = project.docs_dir
    (docs / "cases" / "haier.md").write_text(
        (docs / "cases" / "haier.md").read_text(encoding="utf-8")
        + "\n\n[断链](no-such-case.md) [锚点](huawei.md#no-such-anchor)\n", encoding="utf-8")
    return project


def test_workers_warnings_fail_a_strict_build(broken_links_project, tmp_path, two_workers):
    with pytest.raises(SiteBuildError) as caught:
        run_mkdocs(broken_links_project, tmp_path / "site")
    text = "\n".join(caught.value.messages)
    assert "'no-such-case.md'" in text
    assert "does not contain an anchor '#no-such-anchor'" in text
    assert "strict mode" in text


def test_a_page_error_in_a_worker_is_reported(library_project, tmp_path, two_workers, monkeypatch):
    from mkdocs.structure.pages import Page

    original = Page.render

    def render(self, config, files):
        if self.file.src_uri == "cases/huawei.md":
            raise ValueError("坏页面")
        return original(self, config, files)

    monkeypatch.setattr(Page, "render", render)  # inherited by the forked workers
    with pytest.raises(SiteBuildError) as caught:
        run_mkdocs(library_project, tmp_path / "site")
    text = "\n".join(caught.value.messages)
    assert "Error reading page 'cases/huawei.md': 坏页面" in text
    assert "ValueError: 坏页面" in text


def test_one_worker_is_mkdocs_own_build(library_project, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_WORKERS", "1")
    called = []
    from mkdocs.commands import build as mkbuild

    monkeypatch.setattr(mkbuild, "build", lambda config, **kw: called.append(kw))
    _mkdocs_build(library_project, tmp_path / "one", sharded=True, dirty=False)
    assert called == [{"serve_url": None, "dirty": False}]


def test_shares_balance_markdown_bytes_and_keep_page_order():
    sizes = {0: 10, 1: 1000, 2: 300, 3: 200, 4: 100, 5: 50}
    shares = site_shards._deal(sizes, 2)
    assert shares == [[1], [0, 2, 3, 4, 5]]  # the one long page alone; the rest together
    assert site_shards._deal({0: 5, 1: 5, 2: 5}, 4) == [[0], [1], [2]]  # no empty shares


def _serve_like_rebuild(project: Project, site_dir: Path, pages: list[str]) -> None:
    """In a fork: a first build and a dirty rebuild of `pages` with Material's search state kept
    between them, as `serve` does."""
    from mkdocs.config import load_config

    def config():
        return load_config(str(project.mkdocs_file), site_dir=str(site_dir), strict=False,
                           plugins=WITH_MATERIAL_SEARCH)

    with _build_environment(project):
        first = config()
        first.plugins.on_startup(command="serve", dirty=True)
        site_shards.build(first)
        for name in pages:
            page = project.docs_dir / name
            page.write_text(page.read_text(encoding="utf-8").replace("旧版段落", "新版段落"), encoding="utf-8")
            later = (site_dir / name).with_suffix(".html").stat().st_mtime + 5
            os.utime(page, (later, later))
        site_shards.build(config(), dirty=True)


def test_dirty_rebuild_leaves_no_stale_search_entries(library_project, tmp_path, two_workers, monkeypatch):
    import json
    import multiprocessing

    monkeypatch.setattr(site_shards, "PAGE_THRESHOLD", 2)
    root = tmp_path / "proj"
    shutil.copytree(library_project.root, root)
    project = Project(root)
    pages = ["cases/haier.md", "cases/huawei.md", "cases/ikea.md"]
    for name in pages:
        page = project.docs_dir / name
        page.write_text(page.read_text(encoding="utf-8") + "\n\n旧版段落。\n", encoding="utf-8")
    child = multiprocessing.get_context("fork").Process(
        target=_serve_like_rebuild, args=(project, tmp_path / "site", pages))
    child.start()
    child.join()
    assert child.exitcode == 0
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [(entry["location"], entry["text"].replace("\u200b", "")) for entry in index["docs"]]
    for name in pages:
        url = name.replace(".md", ".html")
        own = [text for location, text in entries if location.split("#")[0] == url]
        assert any("新版段落" in text for text in own), url
        assert not any("旧版段落" in text for text in own), url  # the old text is gone
    assert len({location for location, _ in entries}) == len(entries)  # no place indexed twice
