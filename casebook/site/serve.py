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

import contextlib
import html
import logging
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from casebook.buildcache import BuildCache
from casebook.content.load import CaseCache
from casebook.diagnostics import Diagnostic, Report
from casebook.parallel import fork_available, worker_init
from casebook.pipeline import generate
from casebook.project import Project
from casebook.render import urls

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# How often the watcher looks at the content files: a case folder is small enough to look often.
POLL_SECONDS = 0.25


def watched_paths(project: Project) -> list[Path]:
    return [project.cases_dir, project.taxonomy_file, project.frameworks_file, project.paths_file,
            project.courses_dir, project.templates_dir, project.mkdocs_file]


class GenerationProcess:
    """`generate` in a process of its own, forked when serve starts, before the preview server
    starts its threads: a process with threads never forks (casebook.parallel), so generating in
    the server's process would use one core; this one stays single-threaded and shares the work
    out as `build` does. It keeps the parsed cases between saves, and dies with the server."""

    def __init__(self, project: Project) -> None:
        request_read, self.requests = os.pipe()
        self.replies, reply_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: answer requests until the server closes its end
            os.close(self.requests)
            os.close(self.replies)
            self._serve_requests(project, request_read, reply_write)
        os.close(request_read)
        os.close(reply_write)

    @staticmethod
    def _serve_requests(project: Project, request_read: int, reply_write: int) -> None:
        status = 0
        try:
            worker_init()
            cache = BuildCache(project, cases=CaseCache())  # parsed cases kept in this process
            with os.fdopen(request_read, "rb", buffering=0) as requests, os.fdopen(reply_write, "wb") as replies:
                while requests.read(1):
                    try:
                        generated = generate(project, cache)
                        sync = generated.sync
                        reply: tuple[object, ...] = (True, generated.report, sync.written if sync else None,
                                                     sync.removed if sync else None)
                    except Exception as exc:  # told to the server, which keeps serving
                        reply = (False, f"{type(exc).__name__}: {exc}", None, None)
                    data = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
                    replies.write(len(data).to_bytes(8, "big") + data)
                    replies.flush()
        except BaseException:  # Ctrl+C reaches this process too; the server says goodbye
            status = 1
        finally:
            os._exit(status)  # never return into the server's code

    def generate(self) -> tuple[Report, list[str] | None, list[str] | None]:
        os.write(self.requests, b"g")
        with os.fdopen(os.dup(self.replies), "rb") as replies:
            size = int.from_bytes(_read_exactly(replies, 8), "big")
            ok, report, written, removed = pickle.loads(_read_exactly(replies, size))
        if not ok:
            raise RuntimeError(report)
        return report, written, removed

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.requests)
        with contextlib.suppress(OSError):
            os.close(self.replies)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise RuntimeError("生成进程意外退出；请重新运行 serve")
    return data


class Regenerator:
    """Regenerates the Markdown folder; keeps parsed cases between saves and says what happened.
    With `own_process`, the generation runs in a `GenerationProcess` (where forking is safe)."""

    def __init__(self, project: Project, announce: Callable[[str], None] | None = None,
                 own_process: bool = False) -> None:
        self.project = project
        self.announce = announce or (lambda text: print(text, file=sys.stderr, flush=True))
        self.last_report = Report()
        self.cache = CaseCache()  # parsed cases kept between saves
        self.build_cache = BuildCache(project, cases=self.cache)
        self.changed_pages = 0  # pages whose Markdown the last regeneration wrote or removed
        self.process = GenerationProcess(project) if own_process and fork_available() else None

    def regenerate(self) -> Report:
        if self.process is not None:
            report, written, removed = self.process.generate()
        else:
            generated = generate(self.project, self.build_cache)
            report = generated.report
            written, removed = (generated.sync.written, generated.sync.removed) if generated.sync else (None, None)
        self.last_report = report
        if report.items:
            self.announce(report.format())
        if report.errors:
            self.announce("内容有错误：页面保持上一次成功生成的样子；改好后保存即可自动恢复")
        elif written is not None and removed is not None:
            self.changed_pages = sum(name.endswith(".md") for name in (*written, *removed))
        return report

    def rebuilt(self, seconds: float) -> None:
        """The one line a trainer reads after each save."""
        self.announce(f"{time.strftime('%H:%M:%S')} 已重新生成：{self.changed_pages} 个页面，用时 {seconds:.1f} 秒")

    def close(self) -> None:
        if self.process is not None:
            self.process.close()


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


BANNER_ID = "cb-serve-problems"


def problem_banner(problems: list[Diagnostic], page_of: Callable[[str], str | None]) -> bytes:
    """The banner at the top of every previewed page while the content has errors: each problem
    as `file:line:col` and its message, the case's page linked where it has one."""
    items = []
    for problem in problems:
        where = html.escape(f"{problem.path}:{problem.line}:{problem.col or 1}" if problem.line else problem.path)
        page = page_of(problem.path)
        if page:
            where = f'<a href="{html.escape(page)}" style="color:inherit">{where}</a>'
        items.append(f'<li style="margin:.2em 0"><code style="color:inherit;background:none;padding:0">{where}</code>'
                     f"：{html.escape(problem.message)}</li>")
    # Sticky: on screen wherever the reload leaves the page scrolled (the browser restores it).
    return (f'<div id="{BANNER_ID}" role="alert" style="position:sticky;top:0;z-index:10;max-height:40vh;'
            'overflow:auto;margin:0;padding:.8em 1.2em;'
            'background:#fdecea;color:#5f2120;border-bottom:3px solid #c62828;font-size:.8rem;line-height:1.6">'
            f'<p style="margin:0;font-weight:bold">内容有 {len(problems)} 处错误，下面仍是上一次成功生成的页面；'
            '改好后保存，页面会自动更新，本提示随之消失。</p>'
            f'<ul style="margin:.3em 0 0;padding-left:1.2em">{"".join(items)}</ul></div>').encode()


class ProblemBanner:
    """WSGI middleware around MkDocs' preview server (set through the standard library's public
    `WSGIServer.get_app`/`set_app`): while the last generation failed, every HTML page it serves
    starts with `problem_banner`. Nothing of it is written to the site: the built site and the
    exports never carry it. The live reload after each save shows it, and takes it away."""

    def __init__(self, app: Callable[..., Iterable[bytes]], problems: Callable[[], list[Diagnostic]],
                 page_of: Callable[[str], str | None]) -> None:
        self.app, self.problems, self.page_of = app, problems, page_of

    def __call__(self, environ: dict[str, object], start_response: Callable[..., object]) -> Iterable[bytes]:
        problems = self.problems()
        if not problems:
            return self.app(environ, start_response)
        answer: list[tuple[str, list[tuple[str, str]]]] = []

        def held(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], None]:
            answer.append((status, headers))
            return lambda data: None  # MkDocs' server returns its body, never writes it

        body = self.app(environ, held)
        status, headers = answer[-1]
        kind = next((value for name, value in headers if name.lower() == "content-type"), "")
        if not kind.startswith("text/html"):
            start_response(status, headers)
            return body
        content = b"".join(body)
        opening = re.search(rb"<body[^>]*>", content)
        at = opening.end() if opening else 0
        content = content[:at] + problem_banner(problems, self.page_of) + content[at:]
        headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(content)))])
        return [content]


def _error_page(site_dir: Path, code: int) -> bytes | None:
    """The site's own 404 page for a missing page (as MkDocs' server does)."""
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000) -> int:
    import mkdocs.config  # noqa: F401  (a missing MkDocs is said before the first generation, not after)

    regenerator = Regenerator(project, own_process=True)  # forked now: no thread runs yet
    try:
        return _serve(project, regenerator, host, port)
    finally:
        regenerator.close()


def _serve(project: Project, regenerator: Regenerator, host: str, port: int) -> int:
    from mkdocs.commands.build import build
    from mkdocs.livereload import LiveReloadServer

    from casebook.site.build import load_site_config

    report = regenerator.regenerate()
    if report.errors and not project.docs_dir.is_dir():
        regenerator.announce("第一次生成就失败了：请先修正上面的错误")
        return 1
    quiet_third_party_logs()
    site_dir = tempfile.mkdtemp(prefix="casebook-serve-")
    serve_url = f"http://{host}:{port}/"

    def config() -> MkDocsConfig:
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

    def case_page(path: str) -> str | None:
        """The previewed page of a case file, if the site has one."""
        folder, _, name = path.partition("/")
        stem, dot, _ = name.rpartition(".")
        if folder != project.cases_dir.name or not dot:
            return None
        page = urls.published(urls.source("cases", stem))
        return "/" + page if (Path(site_dir) / page).is_file() else None

    app = server.get_app()
    if app is not None:  # MkDocs' server sets its app when made
        server.set_app(ProblemBanner(app, lambda: regenerator.last_report.errors, case_page))
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
        # A plugin may hand back another server to run (MkDocs' documented on_serve contract).
        server = first.plugins.on_serve(server, config=first, builder=rebuild) or server
        regenerator.announce(f"预览地址：{serve_url} （Ctrl+C 停止）")
        try:
            server.serve()  # type: ignore[no-untyped-call]  # MkDocs' LiveReloadServer is untyped
        except KeyboardInterrupt:
            regenerator.announce("已停止预览")
        finally:
            server.shutdown()
    finally:
        first.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0

