"""Large libraries are loaded and rendered on every core; the result is the serial result."""

from __future__ import annotations

import pytest

from casebook import parallel
from casebook.indexes import build_indexes
from casebook.load import load_library
from casebook.render import render_site


def _run(project):
    library, report = load_library(project)
    return library, report, render_site(library, build_indexes(library), project.templates_dir)


def test_forked_workers_give_the_serial_result(project, write, monkeypatch):
    write("cases/broken.yaml", "title: [\n")
    monkeypatch.setenv("CASEBOOK_WORKERS", "1")
    serial = _run(project)
    monkeypatch.setenv("CASEBOOK_WORKERS", "2")
    monkeypatch.setattr(parallel, "THRESHOLD", 1)
    if not parallel.fork_available():
        pytest.skip("no fork on this platform: Casebook runs serially here")
    forked = _run(project)
    assert forked[0] == serial[0]
    assert forked[1].sorted() == serial[1].sorted() and serial[1].errors
    assert forked[2] == serial[2]


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
