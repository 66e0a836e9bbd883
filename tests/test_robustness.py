"""Nothing is lost, nothing escapes: atomic builds under SIGKILL, one build at a time,
deterministic output, writes only inside the generator's own folders, no broken links."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from linkcheck import check_site

from casebook.content.editions import EDITIONS
from casebook.project import Project
from casebook.site.build import recover_interrupted_swap

pytestmark = pytest.mark.slow
# What a build may write: each edition's generated folder and site, dist/ and the lock.
OWNED = (*(folder.name for key in EDITIONS
           for folder in (Project(ROOT, key).generated_dir, Project(ROOT, key).site_dir)),
         "dist", ".casebook.lock", Project(ROOT).cache_dir.name)


def build_process(project, env_extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "build"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def build(project, env_extra=None) -> subprocess.CompletedProcess[str]:
    proc = build_process(project, env_extra)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel.split("/")[0] not in skip:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_build_killed_at_any_moment_leaves_a_usable_site(tmp_path):
    """Alternate the content between two versions; kill each build after a different delay. The
    site is always one complete version, the generated folder builds, the next build succeeds."""
    versions = {}
    for name, title in (("v1", "米店送米"), ("v2", "米店送米二版")):
        reference = copy_project(tmp_path / name)
        case = reference.cases_dir / "alpha.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace("title: 米店送米", f"title: {title}"),
                        encoding="utf-8")
        assert build(reference).returncode == 0
        versions[name] = (case.read_text(encoding="utf-8"), digest(reference.site_dir))
    project = copy_project(tmp_path / "proj")
    (project.cases_dir / "alpha.yaml").write_text(versions["v1"][0], encoding="utf-8")
    assert build(project).returncode == 0
    current, outcomes = "v1", []
    for delay in (0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0):
        target = "v2" if current == "v1" else "v1"
        (project.cases_dir / "alpha.yaml").write_text(versions[target][0], encoding="utf-8")
        proc = build_process(project)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        recover_interrupted_swap(project)  # what the next build does first
        now = digest(project.site_dir)
        assert now in (versions[current][1], versions[target][1]), f"site/ half-written at {delay}s"
        outcomes.append("old" if now == versions[current][1] else "new")
        plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "plain")],
                               cwd=project.root, capture_output=True, text=True, check=False,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert plain.returncode == 0, f"generated/ not buildable after SIGKILL at {delay}s: {plain.stderr}"
        assert build(project).returncode == 0
        assert digest(project.site_dir) == versions[target][1]
        current = target
    assert not list(project.root.glob("site.tmp-*")), "staging folders left behind"
    print(f"site after each SIGKILL: {outcomes}")


def test_interrupted_swap_is_recovered(tmp_path):
    project = copy_project(tmp_path / "proj")
    (project.root / "site.old-4242").mkdir()
    (project.root / "site.old-4242" / "index.html").write_text("previous")
    recover_interrupted_swap(project)
    assert (project.site_dir / "index.html").read_text() == "previous"


def test_second_build_waits_for_none_and_says_why(tmp_path):
    project = copy_project(tmp_path / "proj")
    with open(project.root / ".casebook.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = build(project)
    assert result.returncode == 1
    assert "另一个构建正在进行" in result.stderr
    assert not project.site_dir.exists()


def test_output_is_identical_across_hash_seeds_and_file_order(tmp_path):
    first = copy_project(tmp_path / "one")
    second = tmp_path / "two"
    second.mkdir()
    # Same content, files created in the opposite order (directory order differs on disk).
    for path in sorted((first.root).rglob("*"), reverse=True):
        target = second / path.relative_to(first.root)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)

    assert build(first, {"PYTHONHASHSEED": "1"}).returncode == 0
    assert build(Project(second), {"PYTHONHASHSEED": "2"}).returncode == 0
    assert digest(first.site_dir) == digest(second / "site")
    assert digest(first.generated_dir) == digest(second / "generated")


def test_build_touches_nothing_outside_its_own_folders(tmp_path):
    project = copy_project(tmp_path / "proj")
    (project.root / "notes.txt").write_text("trainer's own file")
    before = digest(project.root, skip=OWNED)
    assert build(project).returncode == 0
    assert main_export(project) == 0
    assert digest(project.root, skip=OWNED) == before
    assert sorted(p.name for p in project.root.iterdir() if p.name not in before and
                  p.name not in {q.split("/")[0] for q in before}) == sorted(
                      n for n in OWNED if (project.root / n).exists())


def main_export(project) -> int:
    from casebook.cli import main

    return main(["--root", str(project.root), "export", "--pdf", "none"])


def test_no_broken_links_and_every_case_reachable_from_home(library_site):
    site = library_site["http"]
    cases = [f"cases/{p.stem}.html" for p in (ROOT / "cases").glob("*.yaml")]
    report = check_site(site, must_reach=cases)
    assert report.pages > len(cases) and report.links > 1000
    assert report.broken == []
    assert report.unreachable == []


def test_link_checker_finds_what_is_broken(tmp_path):
    site = tmp_path / "site"
    (site / "cases").mkdir(parents=True)
    (site / "index.html").write_text('<a href="cases/a.html#story">a</a> <a href="cases/gone.html">x</a>')
    (site / "cases" / "a.html").write_text('<h2 id="summary">s</h2><a href="#nowhere">n</a>')
    (site / "cases" / "b.html").write_text("<p>orphan</p>")
    report = check_site(site, must_reach=["cases/a.html", "cases/b.html"])
    assert sorted(report.broken) == ["cases/a.html: #nowhere（页内锚点不存在）",
                                     "index.html: cases/a.html#story（锚点不存在）",
                                     "index.html: cases/gone.html（文件不存在）"]
    assert report.unreachable == ["cases/b.html"]
