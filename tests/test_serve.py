"""`serve`: an edit regenerates the page; a broken edit is reported and the last good page stays."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

from casebook.site.serve import Regenerator


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # Make sure the change is visible even on file systems with coarse timestamps.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_regenerates_on_change_and_survives_a_broken_edit(project):
    messages: list[str] = []
    _edits_and_a_broken_one(project, Regenerator(project, messages.append), messages)


def generation_process_checks(folder: str) -> None:
    """What `serve` does: generate in a process forked before any thread runs."""
    from conftest import copy_project

    project = copy_project(Path(folder) / "proj")
    messages: list[str] = []
    regen = Regenerator(project, messages.append, own_process=True)
    assert regen.process is not None
    try:
        _edits_and_a_broken_one(project, regen, messages)
        assert regen.cache.entries == {}  # the server process parsed no case itself
    finally:
        regen.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(regen.process.pid, os.WNOHANG)  # reaped


def test_serve_generates_in_a_process_of_its_own(tmp_path):
    """Run where serve runs it, in a fresh process: by now this one may have threads (the browser
    tests'), and a process with threads never forks."""
    tests = Path(__file__).resolve().parent
    script = (f"import sys; sys.path.insert(0, {str(tests)!r}); "
              f"from test_serve import generation_process_checks; generation_process_checks({str(tmp_path)!r})")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


def _edits_and_a_broken_one(project, regen, messages):
    regen.regenerate()
    page = project.docs_dir / "cases/alpha.md"
    assert "# 米店送米" in page.read_text(encoding="utf-8")
    untouched = page.stat().st_mtime_ns
    regen.regenerate()
    assert page.stat().st_mtime_ns == untouched  # nothing changed: nothing written
    assert regen.changed_pages == 0

    case = project.cases_dir / "alpha.yaml"
    edit(case, "title: 米店送米", "title: 米店送米上门")
    regen.regenerate()
    assert "# 米店送米上门" in page.read_text(encoding="utf-8")
    assert regen.changed_pages >= 1  # the case page, and the indexes that show its title
    regen.rebuilt(0.84)
    assert re.fullmatch(rf"\d\d:\d\d:\d\d 已重新生成：{regen.changed_pages} 个页面，用时 0\.8 秒", messages[-1])

    edit(case, "industry: retail", "industry: retial")
    regen.regenerate()
    assert any("cases/alpha.yaml:5:11: 未知的行业 'retial'" in m for m in messages)
    assert "# 米店送米上门" in page.read_text(encoding="utf-8")  # last good page kept

    edit(case, "industry: retial", "industry: retail")
    regen.regenerate()
    assert regen.last_report.errors == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def start_serve(project, port: int, *extra: str) -> subprocess.Popen[str]:
    """`build.py serve` on a free port, its log (stderr) kept for the test to read."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)


@pytest.mark.slow
def test_served_page_follows_the_case_file(project):
    port = free_port()
    url = f"http://127.0.0.1:{port}/cases/alpha.html"
    server = start_serve(project, port)
    try:
        assert wait_for(lambda: "米店送米" in fetch(url), 90), "the server did not come up"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/cases/no-such-case.html", timeout=5)
        assert missing.value.code == 404 and "服务营销案例库" in missing.value.read().decode("utf-8")
        search_meta = f"http://127.0.0.1:{port}/search/meta.js"
        assert '"米店送米"' in fetch(search_meta)  # the published site's search, not another one
        edit(project.cases_dir / "alpha.yaml", "title: 米店送米", "title: 米店送米上门服务")
        started = time.monotonic()
        assert wait_for(lambda: "米店送米上门服务" in fetch(url), 30)
        print(f"page updated {time.monotonic() - started:.1f} s after the save")
        assert wait_for(lambda: '"米店送米上门服务"' in fetch(search_meta), 10)  # search follows the save
        edit(project.taxonomy_file, "name: 零售", "name: 零售业")  # not a case file: watched too
        assert wait_for(lambda: "零售业" in fetch(url), 30)
        edit(project.cases_dir / "alpha.yaml", "kind: case", "kind: [")
        time.sleep(2)
        assert "米店送米上门服务" in fetch(url)  # still serving the last good page
        assert server.poll() is None
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "cases/alpha.yaml" in err and "YAML 语法错误" in err
    assert "Traceback" not in err
    # One Chinese line per rebuild; no English chatter from MkDocs or livereload.
    assert re.search(r"\n\d\d:\d\d:\d\d 已重新生成：\d+ 个页面，用时 \d+\.\d 秒\n", err), err
    assert re.search(r"^已生成网站：\d+ 个页面，用时 \d+\.\d 秒$", err, re.MULTILINE), err
    for chatter in ("Building prefix dict", "Loading model", "Cleaning site directory", "Documentation built in",
                    "Serving on", "Detected file changes", "Reloading browsers", "'dirty' build"):
        assert chatter not in err


@pytest.mark.slow
def test_trainer_preview_shows_the_teaching_note_and_follows_it(project):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_serve(project, port, "--edition", "trainer")
    try:
        assert wait_for(lambda: "把顾客的需要记在本子上" in fetch(f"{base}/cases/alpha.html"), 90)
        assert "服务营销案例库（讲师版）" in fetch(f"{base}/prep/index.html")
        edit(project.cases_dir / "alpha.yaml", "讲师口诀：把顾客的需要记在本子上。", "讲师口诀：先记下，再送米。")
        assert wait_for(lambda: "先记下，再送米" in fetch(f"{base}/cases/alpha.html"), 30)
        assert not (project.root / "site-trainer").exists()  # the preview builds into a temporary folder
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_cache_rereads_only_what_changed_and_notices_new_keys(project, monkeypatch):
    from casebook.content import load

    cache = load.CaseCache()
    reads: list[str] = []
    original = load.load_case

    def counting(case_id, *args, **kwargs):
        reads.append(case_id)
        return original(case_id, *args, **kwargs)

    monkeypatch.setattr(load, "load_case", counting)
    first, _ = load.load_library(project, cache=cache)
    assert sorted(reads) == ["alpha", "beta", "gamma"]
    reads.clear()
    edit(project.cases_dir / "beta.yaml", "title: 卖梳子的故事", "title: 卖梳子")
    second, _ = load.load_library(project, cache=cache)
    assert reads == ["beta"] and second.cases["beta"].title == "卖梳子"
    assert second.cases["alpha"] == first.cases["alpha"]
    reads.clear()
    (project.cases_dir / "delta.yaml").write_text((project.cases_dir / "beta.yaml").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    load.load_library(project, cache=cache)  # a new case id changes what `related` may name
    assert sorted(reads) == ["alpha", "beta", "delta", "gamma"]
