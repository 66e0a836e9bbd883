"""Large libraries are loaded and rendered on every core; the result is the serial result."""

from __future__ import annotations

import pytest

from casebook import parallel
from casebook.content.load import load_library
from casebook.index.indexes import build_indexes
from casebook.render.pages import render_site


def _run(project):
    library, report = load_library(project)
    return library, report, render_site(library, build_indexes(library), project.templates_dir)


SERIAL_AND_FORKED = """
import os, sys
from pathlib import Path
from casebook import parallel
from casebook.index.indexes import build_indexes
from casebook.content.load import load_library
from casebook.project import Project
from casebook.render.pages import render_site

project = Project(Path(sys.argv[1]))

def run():
    library, report = load_library(project)
    return library, report, render_site(library, build_indexes(library), project.templates_dir)

os.environ["CASEBOOK_WORKERS"] = "1"
serial = run()
os.environ["CASEBOOK_WORKERS"] = "2"
parallel.THRESHOLD = 1
assert parallel.fork_available()
forked = run()
assert forked[0] == serial[0]
assert forked[1].sorted() == serial[1].sorted() and serial[1].errors
assert forked[2] == serial[2]
print("ok")
"""


def test_forked_workers_give_the_serial_result(project, write):
    """In a fresh process: this one may run other tests' threads, and then Casebook never forks."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform: Casebook runs serially there")
    write("cases/broken.yaml", "title: [\n")
    done = subprocess.run([sys.executable, "-c", SERIAL_AND_FORKED, str(project.root)], cwd=ROOT,
                          capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_weighted_chunks_balance_the_work_and_keep_the_order():
    items = list(range(6))
    assert parallel.weighted_chunks(items, [1, 1, 1, 1, 1, 1], 2) == [[0, 1, 2], [3, 4, 5]]
    assert parallel.weighted_chunks(items, [5, 1, 1, 1, 1, 1], 2) == [[0], [1, 2, 3, 4, 5]]
    # The last chunk (the parent's) can be asked to be larger than the others.
    assert parallel.weighted_chunks(list(range(10)), [1] * 10, 2, last_extra=0.5) == [
        list(range(4)), list(range(4, 10))]
    assert parallel.weighted_chunks([7], [1], 3) == [[7]]


def test_gc_paused_restores_the_collector(monkeypatch):
    import gc

    assert gc.isenabled()
    with parallel.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with parallel.gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()


FORK_CHECK = """
import os, sys
from casebook import parallel

def pids(state, items):
    return [(item, os.getpid(), state) for item in items]

def fails(state, items):
    if os.getpid() != state:
        raise ValueError("无法处理")
    return list(items)

os.environ["CASEBOOK_WORKERS"] = "2"
parallel.THRESHOLD = 1
assert parallel.fork_available(), "a fresh process has one thread"
results = parallel.map_chunks(pids, list(range(10)), state="handed over")
assert [item for item, _, _ in results] == list(range(10))
assert {pid for _, pid, _ in results} - {os.getpid()}, "some items were done in a worker"
assert {state for _, _, state in results} == {"handed over"}
try:
    parallel.map_chunks(fails, list(range(10)), state=os.getpid())
except ValueError as exc:
    assert str(exc) == "无法处理"
else:
    raise AssertionError("a worker's failure must come back")
print("ok")
"""


def test_workers_get_their_state_and_a_failure_comes_back():
    """In a fresh process (this one may run threads of other tests, and then never forks)."""
    import subprocess
    import sys

    from conftest import ROOT

    if not hasattr(__import__("os"), "fork"):
        pytest.skip("no fork on this platform")
    done = subprocess.run([sys.executable, "-c", FORK_CHECK], cwd=ROOT, capture_output=True, text=True,
                          check=False, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def _pids(state, items):
    import os

    return [(item, os.getpid()) for item in items]


def test_no_fork_while_other_threads_run(monkeypatch):
    """A fork from a process with live threads can deadlock the child: such work is done serially."""
    import os
    import threading

    monkeypatch.setenv("CASEBOOK_WORKERS", "2")
    monkeypatch.setattr(parallel, "THRESHOLD", 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.fork_available()
        results = parallel.map_chunks(_pids, list(range(10)), state=None)
        assert {pid for _, pid in results} == {os.getpid()}
    finally:
        stop.set()
        thread.join()
