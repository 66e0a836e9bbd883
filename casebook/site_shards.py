"""MkDocs' build with its page loop shared between the machine's cores.

MkDocs 1.6 converts and renders pages one after another, and that loop (Python-Markdown and the
theme's templates) is nine tenths of a build. No page needs another page's HTML: the navigation
lists only index pages, whose titles come from mkdocs.yml. So once the parent has gathered the
files and the navigation, forked workers each read, convert, render and write a share of the
pages, and send back what MkDocs keeps for later: each page's warnings, its anchors for link
validation and its search-index entries. The parent replays those in page order and finishes
the build as MkDocs does, so the site is byte-for-byte the serial one (tests/test_site_shards.py
compares them, for full and dirty builds).

`build()` mirrors `mkdocs.commands.build.build` of MkDocs 1.6 (pinned `<2`) and calls its page
helpers. Only this module, `casebook.site` (the build) and `casebook.serve` (the preview server)
know MkDocs.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .parallel import fork_available, fork_pool, workers

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.commands.build")

# Below this many pages to build, one process is as quick as two (a fork and its results cost
# about as much as a few pages).
PAGE_THRESHOLD = 4

Record = tuple[str, int, str]  # logger name, level, message


@dataclass
class PageResult:
    """What one page leaves for the parent after a worker has written it."""

    index: int
    populate_records: list[Record] = field(default_factory=list)
    build_records: list[Record] = field(default_factory=list)
    present_anchor_ids: set[str] | None = None
    links_to_anchors: dict[str, dict[str, str]] | None = None  # target src_uri → {anchor: link}
    search_entries: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ShareResult:
    pages: list[PageResult]
    error: BaseException | None = None  # what stopped the worker, with what it logged just before
    error_records: list[Record] = field(default_factory=list)


class _Capture(logging.Handler):
    """Holds a worker's log records (the parent re-emits them, so strict mode counts them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[Record] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))

    def take(self) -> list[Record]:
        taken, self.records = self.records, []
        return taken


def _search_index(config: MkDocsConfig, which: str = "search_index") -> Any | None:
    """Material's search index of this build (whose entries the workers add to), or with
    `which="search_index_prev"` the one kept from the last build under `serve`."""
    for plugin in config.plugins.values():
        index = getattr(plugin, which, None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return index
    return None


def _forget_rebuilt_pages(config: MkDocsConfig, urls: set[str]) -> None:
    """Drop the rebuilt pages from the search entries kept from the last build (`serve`).

    On a dirty rebuild Material's search keeps the previous entries and replaces those of the
    first rebuilt page only; a changed case title rebuilds every page that names it, whose old
    entries would otherwise stay beside the new ones until the server restarts."""
    previous = _search_index(config, "search_index_prev")
    if previous is not None:
        previous.entries = [e for e in previous.entries if e["location"].split("#")[0] not in urls]


# What the forked workers inherit from the parent: set just before the pool starts.
_shared: dict[str, Any] = {}


def _build_share(indices: list[int]) -> ShareResult:
    """In a worker: convert, render and write the pages at `indices` of the page list."""
    from mkdocs.commands import build as mkbuild

    config, files, nav, env, doc_files = (_shared[k] for k in ("config", "files", "nav", "env", "doc_files"))
    logger = logging.getLogger("mkdocs")
    capture = _Capture()
    logger.handlers = [capture]  # the parent prints (and counts) what the workers log
    logger.propagate = False
    index = _search_index(config)
    results = {i: PageResult(i) for i in indices}
    try:
        for i in indices:
            mkbuild._populate_page(doc_files[i].page, config, files)
            results[i].populate_records = capture.take()
        for i in indices:
            file = doc_files[i]
            before = len(index.entries) if index is not None else 0
            mkbuild._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            page = file.page
            result = results[i]
            result.build_records = capture.take()
            result.present_anchor_ids = page.present_anchor_ids
            if page.links_to_anchors is not None:
                result.links_to_anchors = {to.src_uri: dict(links) for to, links in page.links_to_anchors.items()}
            if index is not None:
                result.search_entries = index.entries[before:]
    except Exception as exc:  # raised again in the parent, after what was logged
        return ShareResult(list(results.values()), exc, capture.take())
    return ShareResult(list(results.values()))


def _deal(sizes: dict[int, int], count: int) -> list[list[int]]:
    """Shares of about equal work, counted in Markdown bytes: the largest pages are dealt first,
    each to the least loaded worker, so one very long page (the matrices) is not queued behind
    others. Each share keeps page order."""
    loads = [0] * count
    shares: list[list[int]] = [[] for _ in range(count)]
    for index in sorted(sizes, key=lambda i: (-sizes[i], i)):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += sizes[index]
    return [sorted(share) for share in shares if share]


def _build_pages_sharded(config: MkDocsConfig, files: Any, nav: Any, env: Any, doc_files: list[Any],
                         todo: list[int], count: int) -> None:
    _shared.update(config=config, files=files, nav=nav, env=env, doc_files=doc_files)
    try:
        with fork_pool(count) as pool:
            sizes = {i: os.path.getsize(doc_files[i].abs_src_path) for i in todo}
            shares = list(pool.map(_build_share, _deal(sizes, count)))
    finally:
        _shared.clear()
    pages = sorted((p for share in shares for p in share.pages), key=lambda p: p.index)
    for phase in ("populate_records", "build_records"):
        for result in pages:
            for name, level, message in getattr(result, phase):
                logging.getLogger(name).log(level, message)
    for share in shares:
        for name, level, message in share.error_records:
            logging.getLogger(name).log(level, message)
    for share in shares:
        if share.error is not None:
            raise share.error
    index = _search_index(config)
    for result in pages:
        page = doc_files[result.index].page
        page.present_anchor_ids = result.present_anchor_ids
        if result.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): links
                                     for uri, links in result.links_to_anchors.items()}
        if index is not None:
            index.entries.extend(result.search_entries)


def build(config: MkDocsConfig, *, serve_url: str | None = None, dirty: bool = False) -> None:
    """`mkdocs.commands.build.build`, with the pages built on every core when there are enough."""
    from mkdocs import utils
    from mkdocs.commands import build as mkbuild
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    count = workers()
    if count < 2 or not fork_available():
        mkbuild.build(config, serve_url=serve_url, dirty=dirty)
        return

    logger = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(warning_counter)
    inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included
    try:
        start = time.monotonic()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if not dirty:
            log.info("Cleaning site directory")
            utils.clean_directory(config.site_dir)
        else:
            log.warning("A 'dirty' build is being performed, this will likely lead to inaccurate navigation and"
                        " other links within your site. This option is designed for site development purposes only.")
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        doc_files = list(files.documentation_pages(inclusion=inclusion))
        for file in doc_files:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
        todo = [i for i, file in enumerate(doc_files) if not dirty or file.is_modified()]
        if len(todo) < PAGE_THRESHOLD:
            for i in todo:
                mkbuild._populate_page(doc_files[i].page, config, files)
        else:
            # The navigation on every page shows these pages' titles: every worker needs them.
            for page in nav.pages:
                page.read_source(config)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=dirty, inclusion=inclusion)
        for template in config.theme.static_templates:
            mkbuild._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkbuild._build_extra_template(template, files, config, nav)

        if len(todo) < PAGE_THRESHOLD:
            for i in todo:
                file = doc_files[i]
                mkbuild._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
        else:
            _build_pages_sharded(config, files, nav, env, doc_files, todo, count)

        log_level = config.validation.links.anchors
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=log_level)
        if dirty:
            _forget_rebuilt_pages(config, {doc_files[i].page.url for i in todo})
        config.plugins.on_post_build(config=config)
        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logger.removeHandler(warning_counter)
