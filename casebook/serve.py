"""`build.py serve`: regenerate the Markdown when content changes; MkDocs' dev server does the rest.

A watcher thread polls the content files (cases, taxonomy, frameworks, paths, templates). On a
change it regenerates; MkDocs notices the changed Markdown, rebuilds and reloads the browser. A
broken edit prints its problems and leaves the last good pages in place; fixing it recovers.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .diagnostics import Report
from .load import CaseCache
from .pipeline import generate
from .project import Project

POLL_SECONDS = 0.3

Snapshot = dict[str, tuple[int, int]]


def watched_paths(project: Project) -> list[Path]:
    return [project.cases_dir, project.taxonomy_file, project.frameworks_file, project.paths_file,
            project.templates_dir]


def snapshot(project: Project) -> Snapshot:
    """(mtime, size) of every watched file: cheap enough to take several times a second."""
    state: Snapshot = {}
    for root in watched_paths(project):
        if root.is_file():
            st = root.stat()
            state[str(root)] = (st.st_mtime_ns, st.st_size)
        elif root.is_dir():
            for dirpath, _, filenames in os.walk(root):
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    state[path] = (st.st_mtime_ns, st.st_size)
    return state


class Regenerator:
    """Regenerates on change; `poll()` is one step, so tests can drive it without sleeping."""

    def __init__(self, project: Project, announce: Callable[[str], None] | None = None) -> None:
        self.project = project
        self.announce = announce or (lambda text: print(text, file=sys.stderr, flush=True))
        self.state = snapshot(project)
        self.last_report = Report()
        self.cache = CaseCache()

    def regenerate(self) -> Report:
        generated = generate(self.project, self.cache)
        self.last_report = generated.report
        if generated.report.items:
            self.announce(generated.report.format())
        if generated.report.errors:
            self.announce("内容有错误：页面保持上一次成功生成的样子；改好后保存即可自动恢复")
        elif generated.sync is not None:
            changed = len(generated.sync.written) + len(generated.sync.removed)
            self.announce(f"{time.strftime('%H:%M:%S')} 已重新生成：{changed} 个文件有变化")
        return generated.report

    def poll(self) -> bool:
        """Regenerate if anything changed since the last poll; True when it did."""
        current = snapshot(self.project)
        if current == self.state:
            return False
        self.state = current
        self.regenerate()
        return True

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(POLL_SECONDS):
            try:
                self.poll()
            except Exception as exc:  # keep serving whatever happens in one regeneration
                self.announce(f"重新生成失败：{type(exc).__name__}: {exc}")


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000) -> int:
    from unittest import mock

    from mkdocs.commands import serve as mkdocs_serve_module

    from .site_shards import build as sharded_build

    regenerator = Regenerator(project)
    report = regenerator.regenerate()
    if report.errors and not project.docs_dir.is_dir():
        regenerator.announce("第一次生成就失败了：请先修正上面的错误")
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=regenerator.run, args=(stop,), daemon=True)
    watcher.start()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    os.chdir(project.root)  # mkdocs.yml names the jieba dictionary relative to the project
    regenerator.announce(f"预览地址：http://{host}:{port}/ （Ctrl+C 停止）")
    try:
        # Dirty builds: MkDocs rebuilds only the pages whose Markdown changed, and the generator
        # leaves unchanged files (and their times) alone, so a save costs a few pages, not the site.
        # MkDocs warns on every dirty build, so strict mode (right for `build`) is off here.
        # The pages a save changed are rebuilt on every core (see casebook.site_shards).
        with mock.patch.object(mkdocs_serve_module, "build", sharded_build):
            mkdocs_serve_module.serve(config_file=str(project.mkdocs_file), dev_addr=f"{host}:{port}",
                                      livereload=True, build_type="dirty", strict=False)
    finally:
        stop.set()
    return 0
