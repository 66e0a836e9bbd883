"""`build.py serve`: a preview server that follows the content files.

One watcher looks at what trainers edit (cases, taxonomy, frameworks, paths, templates and
mkdocs.yml). A save regenerates the Markdown (re-reading only the files that changed), then
MkDocs rebuilds only the pages whose Markdown changed, on every core, and the browser reloads
when they are written. A broken edit prints its problems and leaves the last good pages in
place; fixing it recovers.

There is one step between a save and the rebuild, not two: MkDocs' own `serve` would watch the
generated folder and start only after noticing the generator's writes there.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from casebook.diagnostics import Report
from casebook.content.load import CaseCache
from casebook.pipeline import generate
from casebook.project import Project

# How often the watcher looks at the content files: a case folder is small enough to look often.
POLL_SECONDS = 0.25


def watched_paths(project: Project) -> list[Path]:
    return [project.cases_dir, project.taxonomy_file, project.frameworks_file, project.paths_file,
            project.templates_dir, project.mkdocs_file]


class Regenerator:
    """Regenerates the Markdown folder; keeps parsed cases between saves and says what happened."""

    def __init__(self, project: Project, announce: Callable[[str], None] | None = None) -> None:
        self.project = project
        self.announce = announce or (lambda text: print(text, file=sys.stderr, flush=True))
        self.last_report = Report()
        self.cache = CaseCache()
        self.changed_pages = 0  # pages whose Markdown the last regeneration wrote or removed

    def regenerate(self) -> Report:
        generated = generate(self.project, self.cache)
        self.last_report = generated.report
        if generated.report.items:
            self.announce(generated.report.format())
        if generated.report.errors:
            self.announce("内容有错误：页面保持上一次成功生成的样子；改好后保存即可自动恢复")
        elif generated.sync is not None:
            self.changed_pages = sum(name.endswith(".md") for name in
                                     (*generated.sync.written, *generated.sync.removed))
        return generated.report

    def rebuilt(self, seconds: float) -> None:
        """The one line a trainer reads after each save."""
        self.announce(f"{time.strftime('%H:%M:%S')} 已重新生成：{self.changed_pages} 个页面，用时 {seconds:.1f} 秒")


def quiet_third_party_logs() -> None:
    """Only what a trainer needs at the default level: no MkDocs progress lines ("Cleaning site
    directory", "Documentation built in") or livereload lines with their own second timestamp.
    MkDocs' warnings and errors still show, marked as MkDocs'."""
    from casebook.site.build import NoDirtyBuildWarning

    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s MkDocs 提示：%(message)s", "%H:%M:%S"))
    handler.addFilter(NoDirtyBuildWarning())
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(handler)
    mkdocs_logger.setLevel(logging.WARNING)


def _error_page(site_dir: Path, code: int) -> bytes | None:
    """The site's own 404 page for a missing page (as MkDocs' server does)."""
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000) -> int:
    import mkdocs.config  # noqa: F401  (a missing MkDocs is said before the first generation, not after)
    from mkdocs.commands.build import build
    from mkdocs.livereload import LiveReloadServer

    from casebook.site.build import load_site_config

    regenerator = Regenerator(project)
    report = regenerator.regenerate()
    if report.errors and not project.docs_dir.is_dir():
        regenerator.announce("第一次生成就失败了：请先修正上面的错误")
        return 1
    quiet_third_party_logs()
    site_dir = tempfile.mkdtemp(prefix="casebook-serve-")
    serve_url = f"http://{host}:{port}/"

    def config():
        # Strict mode (right for `build`) is off: a preview should keep going on a warning.
        loaded = load_site_config(project, site_dir, dev_addr=f"{host}:{port}", strict=False)
        loaded.site_url = serve_url
        return loaded

    def rebuild() -> None:
        started = time.monotonic()
        try:
            if regenerator.regenerate().errors:
                return
            # Dirty: only the pages whose Markdown changed (the generator leaves the others, and
            # their times, alone), so a save costs a few pages, not the site.
            build(config(), serve_url=serve_url, dirty=True)
            regenerator.rebuilt(time.monotonic() - started)
        except Exception as exc:  # keep serving whatever happens in one rebuild
            regenerator.announce(f"重新生成失败：{type(exc).__name__}: {exc}")

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(project.root)  # mkdocs.yml names its folders relative to the project
    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=site_dir,
                              polling_interval=POLL_SECONDS)
    server.error_handler = lambda code: _error_page(Path(site_dir), code)
    try:
        started = time.monotonic()
        try:
            build(first, serve_url=serve_url)
        except Exception as exc:
            regenerator.announce(f"第一次生成网站失败：{type(exc).__name__}: {exc}")
            return 1
        pages = sum(1 for _ in project.docs_dir.rglob("*.md"))
        regenerator.announce(f"已生成网站：{pages} 个页面，用时 {time.monotonic() - started:.1f} 秒")
        for path in watched_paths(project):
            if path.exists():
                server.watch(str(path))
        first.plugins.on_serve(server, config=first, builder=rebuild)
        regenerator.announce(f"预览地址：{serve_url} （Ctrl+C 停止）")
        try:
            server.serve()
        except KeyboardInterrupt:
            regenerator.announce("已停止预览")
        finally:
            server.shutdown()
    finally:
        first.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0

