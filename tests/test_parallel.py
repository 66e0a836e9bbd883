"""Large libraries are loaded and rendered on every core; the result is the serial result."""

from __future__ import annotations

import pytest

from casebook import parallel
from casebook.indexes import build_indexes
from casebook.load import load_library
from casebook.render import render_site


def test_chunks_cover_everything_in_order():
    assert parallel.chunks(list(range(7)), 3) == [[0, 1, 2], [3, 4], [5, 6]]
    assert parallel.chunks([1], 4) == [[1]]


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
