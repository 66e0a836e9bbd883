"""A pull request is hostile until proven otherwise: what it commits next to the content (a build
cache, a generated folder) is never run or trusted, the editions never leak into each other, and
an ordinary new case keeps CI green."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_library

from casebook import buildcache
from casebook.cli import main

pytestmark = pytest.mark.slow


class _RunsCommand:
    """What an attacker pickles: unpickling it calls os.system."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (self.command,)


def _build(root: Path, *args: str, cache_home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = str(cache_home)
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", *args],
                          capture_output=True, text=True, env=env, timeout=300, check=False)


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_committed_cache_never_runs_code(project, tmp_path):
    """Every file the cache uses, replaced by a pickle that runs a command: the build succeeds,
    says it ignored them, and the command never ran."""
    assert _build(project.root).returncode == 0
    names = sorted(p.name for p in project.cache_dir.iterdir() if p.name != ".gitignore")
    assert "related.pickle" in names and "site.key" in names and "cases-0.pickle" in names
    marker = tmp_path / "ran"
    payload = pickle.dumps(_RunsCommand(f"touch {marker}"), protocol=5)
    for name in names:
        (project.cache_dir / name).write_bytes(payload)
    result = _build(project.root)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a pickle from the repository was loaded"
    assert "不是本机这个用户的构建写下的" in result.stderr and "不要提交" in result.stderr
    # A control: the same payload, unpickled as pickle does by default, does run the command.
    pickle.loads(payload)
    assert marker.exists()


def test_even_a_signed_cache_may_only_name_casebook_classes():
    with pytest.raises(pickle.UnpicklingError, match=r"(posix|os)\.system"):
        buildcache.loads(pickle.dumps(_RunsCommand("true"), protocol=5))
    with pytest.raises(pickle.UnpicklingError):
        buildcache.loads(pickle.dumps(print))  # a function, though a builtin
    assert buildcache.loads(pickle.dumps({"a": [1, (2, 3)], "b": {4}}, protocol=5)) == {"a": [1, (2, 3)], "b": {4}}


def test_a_cache_from_another_machine_cannot_keep_a_tampered_page(project, tmp_path):
    """A pull request that commits generated/ and the cache that says its pages are current: on
    CI (another key) the pages are made anew. On the machine that wrote the cache, an unchanged
    page is kept as it is (the control: this is what the attacker hoped for)."""
    assert _build(project.root, cache_home=tmp_path / "trainer").returncode == 0
    page = project.docs_dir / "cases" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n篡改的内容\n", encoding="utf-8")
    clone = tmp_path / "clone"
    shutil.copytree(project.root, clone, symlinks=True)
    assert _build(project.root, cache_home=tmp_path / "trainer").returncode == 0
    assert "篡改的内容" in (project.site_dir / "cases" / "alpha.html").read_text(encoding="utf-8")
    result = _build(clone, cache_home=tmp_path / "ci")
    assert result.returncode == 0, result.stderr
    assert "篡改的内容" not in (clone / "site" / "cases" / "alpha.html").read_text(encoding="utf-8")
    assert "篡改的内容" not in (clone / "generated" / "docs" / "cases" / "alpha.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("order", [("classroom", "student", "classroom"), ("student", "classroom", "student")])
def test_editions_built_in_any_order_equal_their_clean_builds(tmp_path, order):
    clean = {}
    for edition in ("student", "classroom"):
        root = tmp_path / f"clean-{edition}"
        shutil.copytree(ROOT / "tests" / "fixtures" / "basic", root)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(ROOT / "templates", root / "templates")
        flag = ["--classroom"] if edition == "classroom" else []
        assert main(["--root", str(root), "build", *flag]) == 0
        clean[edition] = _digest(root / ("site-classroom" if edition == "classroom" else "site"))
    root = tmp_path / "mixed"
    shutil.copytree(tmp_path / "clean-student", root, ignore=shutil.ignore_patterns("site*", "generated*"))
    for edition in order:
        # --no-answers is the old name of --classroom, and stays
        flag = ["--no-answers"] if edition == "classroom" else []
        assert main(["--root", str(root), "build", *flag]) == 0
    assert _digest(root / "site") == clean["student"]
    assert _digest(root / "site-classroom") == clean["classroom"]
    answer = "参考答案"
    assert answer in (root / "site" / "cases" / "alpha.html").read_text(encoding="utf-8")
    assert answer not in (root / "site-classroom" / "cases" / "alpha.html").read_text(encoding="utf-8")
    # Each site says which edition it is in every page's header (the student edition is the default).
    assert "（课堂版）" in (root / "site-classroom" / "index.html").read_text(encoding="utf-8")
    assert "（课堂版）" not in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_a_new_case_or_a_renamed_one_keeps_check_strict_green(tmp_path):
    """A trainer's ordinary pull request: a new case, and a case renamed, with the editor schema
    as committed. Neither may make `check --strict` fail."""
    project = copy_library(tmp_path / "lib")
    shutil.copytree(ROOT / "schema", project.root / "schema")
    assert main(["--root", str(project.root), "check", "--strict"]) == 0
    text = (project.cases_dir / "rice-seller.yaml").read_text(encoding="utf-8")
    (project.cases_dir / "rice-seller-2.yaml").write_text(text.replace("title: 王永庆卖米", "title: 王永庆卖米（二）"),
                                                       encoding="utf-8")
    assert main(["--root", str(project.root), "check", "--strict"]) == 0
    (project.cases_dir / "rice-seller-2.yaml").rename(project.cases_dir / "wang-rice-shop.yaml")
    assert main(["--root", str(project.root), "check", "--strict"]) == 0
    # The control: a change to the taxonomy does make the committed schema stale, with the reason.
    taxonomy = project.taxonomy_file.read_text(encoding="utf-8")
    project.taxonomy_file.write_text(taxonomy.replace("name: 售前", "name: 售前阶段", 1), encoding="utf-8")
    assert main(["--root", str(project.root), "check", "--strict"]) == 1
