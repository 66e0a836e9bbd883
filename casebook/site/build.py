"""The last step, and the only one that knows MkDocs: generated Markdown → HTML site.

MkDocs builds it through its public `build()`; case pages reach it as headings around HTML that
Casebook rendered on every core, which a small plugin on MkDocs' public events lets skip
Python-Markdown (`passthrough.py`: the same site, in about half the time). The site is built into a
sibling folder and swapped in only when MkDocs succeeds, so a failed
or interrupted build leaves the previous `site/` as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook.buildcache import BuildCache
from casebook.content.editions import EDITIONS, PREP_PAGE, PREP_TITLE, TRAINER_TOOL_PAGES
from casebook.digest import files_digest, package_digest, value_digest
from casebook.project import Project
from casebook.render import urls
from casebook.writer import write_failure

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# Used when the project is not a git checkout: any fixed instant keeps builds reproducible.
FALLBACK_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


class SiteBuildError(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def source_date_epoch(project: Project) -> str:
    """The instant written into the sitemap: the last commit's, so builds are reproducible."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=project.root, capture_output=True,
            text=True, timeout=10, check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out if out.isdigit() else FALLBACK_EPOCH


@contextlib.contextmanager
def _build_environment(project: Project) -> Iterator[_Collect]:
    """cwd at the project root (mkdocs.yml names its folders relative to it), a fixed
    build date, MkDocs' warnings collected, and Material's end-of-life banner silenced."""
    saved_cwd = os.getcwd()
    saved_env = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(project)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(project.root)
    try:
        yield handler
    finally:
        os.chdir(saved_cwd)
        logger.removeHandler(handler)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def with_prep_page(nav: list[Any] | None) -> list[Any]:
    """The trainer edition's navigation: the 备课 page first under the tab that holds the matrices
    (备课工具), the other trainer-only tools (TRAINER_TOOL_PAGES) after the matrices; all of them
    at the end where there is no such tab."""
    nav = [dict(item) if isinstance(item, dict) else item for item in (nav or [])]
    tools = [{title: page} for title, page in TRAINER_TOOL_PAGES]
    entry = {PREP_TITLE: PREP_PAGE}
    for item in nav:
        if isinstance(item, dict):
            for title, section in item.items():
                if isinstance(section, list) and any(
                        isinstance(sub, dict) and "overview/matrices.md" in sub.values() for sub in section):
                    item[title] = [entry, *section, *tools]
                    return nav
    return [*nav, entry, *tools]


def edition_settings(project: Project, site_name: str, nav: list[Any] | None) -> dict[str, Any]:
    """What the project's edition changes in mkdocs.yml, for either engine: the generated folder,
    and for the trainer edition 讲师版 after the site's name and the 备课 page in the navigation."""
    edition = EDITIONS[project.edition]
    settings: dict[str, Any] = {"docs_dir": project.rel(project.docs_dir)}
    if edition.key != "student":  # the other editions say which they are, in every page's header
        settings.update(site_name=f"{site_name}（{edition.label}）")
    if edition.teaching:
        settings.update(nav=with_prep_page(nav))
    return settings


_DIRECTORY_URLS = ("mkdocs.yml 的 use_directory_urls 必须是 false：网站也要能从本地文件（离线版）打开，"
                   "Casebook 生成的链接都指向 .html 文件")


def load_site_config(project: Project, site_dir: Path | str, passthrough: bool = True,
                     **overrides: Any) -> MkDocsConfig:
    """mkdocs.yml as this project's edition builds it (public MkDocs config only), with the
    `passthrough` plugin where the Markdown extensions allow it (the same site, sooner)."""
    from mkdocs.config import load_config

    from casebook.site.passthrough import RawHtmlPassthrough, passthrough_applies

    # The edition's generated folder goes in with the loading: MkDocs checks that it exists.
    config = load_config(str(project.mkdocs_file), site_dir=str(site_dir), docs_dir=str(project.docs_dir),
                         **overrides)
    if config.use_directory_urls:
        raise SiteBuildError([_DIRECTORY_URLS])
    for key, value in edition_settings(project, config.site_name, config.nav).items():
        if key != "docs_dir":
            config[key] = value
    # A page of ours that replaces one of the theme's (docs/404.md for 404.html): the theme's is
    # not written at all, so a dirty build (which always writes the theme's, but our page only
    # when its Markdown changed) gives what a clean build gives.
    for name in list(config.theme.static_templates):
        if (Path(config.docs_dir) / Path(name).with_suffix(".md")).is_file():
            config.theme.static_templates.discard(name)
    if passthrough and passthrough_applies(config.markdown_extensions):
        config.plugins["casebook-passthrough"] = RawHtmlPassthrough()
    return config


def zensical_command() -> str | None:
    """Zensical's command, from this Python's environment first."""
    return shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")


def run_zensical(project: Project, site_dir: Path) -> None:
    """Build the generated folder with Zensical (`pip install -e '.[zensical]'`) into `site_dir`.

    Zensical reads mkdocs.yml; the edition's settings go into a copy of it beside the original
    (Zensical resolves its folders relative to the configuration file), removed afterwards."""
    import yaml

    command = zensical_command()
    if command is None:
        raise SiteBuildError(["没有安装 Zensical：先运行 .venv/bin/pip install -e '.[zensical]'，"
                              "再用 --engine zensical"])
    raw = yaml.safe_load(project.mkdocs_file.read_text(encoding="utf-8"))
    if raw.get("use_directory_urls", True):
        raise SiteBuildError([_DIRECTORY_URLS])
    raw.update(edition_settings(project, raw.get("site_name", ""), raw.get("nav")))
    raw["site_dir"] = project.rel(site_dir)
    config_file = project.root / f".casebook-zensical-{os.getpid()}.yml"
    config_file.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(project)}
    try:
        done = subprocess.run([command, "build", "--strict", "--clean", "-f", str(config_file)], cwd=project.root,
                              capture_output=True, text=True, env=env, check=False, timeout=3600)
    finally:
        config_file.unlink(missing_ok=True)
        shutil.rmtree(project.root / ".cache", ignore_errors=True)  # Zensical's own cache
    if done.returncode != 0 or not (site_dir / "index.html").is_file():
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        raise SiteBuildError([f"Zensical: {line}" for line in lines[-20:]] or ["Zensical 构建失败"])


class NoDirtyBuildWarning(logging.Filter):
    """MkDocs warns on every dirty build that navigation and links may go stale. Not here: the
    navigation lists index pages with fixed titles, and the generator rewrites every page whose
    content (links included) changed; and a build is dirty only when nothing else changed (see
    `build_key`), so the warning would only alarm trainers (and fail a strict build)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def run_mkdocs(project: Project, site_dir: Path, dirty: bool = False, passthrough: bool = True,
               **overrides: Any) -> None:
    """Build the generated folder with MkDocs into `site_dir`: from scratch, or `dirty` (only
    the pages whose Markdown is newer than their HTML: see `build_site`). With `passthrough`,
    the HTML blocks Casebook rendered skip Python-Markdown (`casebook.site.passthrough`: the same
    site, built in a fraction of the time)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    quiet = NoDirtyBuildWarning()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(quiet)
    with _build_environment(project) as collected:
        try:
            build(load_site_config(project, site_dir, passthrough, **overrides), dirty=dirty)
        except MkDocsException as exc:
            raise SiteBuildError([*collected.messages, str(exc)]) from None
        except OSError as exc:
            if write_failure(exc) is None:
                raise SiteBuildError([*collected.messages, f"{type(exc).__name__}: {exc}"]) from None
            raise  # a full disk or a folder without permission: said as such (cli), not as MkDocs' failure
        except Exception as exc:  # a plugin or theme failing: report, keep the old site
            raise SiteBuildError([*collected.messages, f"{type(exc).__name__}: {exc}"]) from None
        finally:
            build_log.removeFilter(quiet)


# --- incremental builds ------------------------------------------------------------------------


def build_key(project: Project, engine: str) -> str:
    """What a site depends on besides its pages' Markdown: the package (its code), the templates,
    the taxonomy, frameworks, paths, mkdocs.yml, the engine, and which pages there are. While it
    stays the same, only the pages whose Markdown changed need building again."""
    docs = os.fspath(project.docs_dir)
    pages = sorted(os.path.relpath(os.path.join(folder, name), docs)
                   for folder, _, names in os.walk(docs) for name in names)
    return value_digest(engine, project.edition, package_digest(),
                        files_digest(project.templates_dir.rglob("*"), project.root),
                        files_digest([project.taxonomy_file, project.frameworks_file, project.paths_file,
                                      project.mkdocs_file, *project.courses_dir.glob("*")], project.root), pages)


def recover_interrupted_swap(project: Project) -> None:
    """If a build was killed between its two renames, put the previous site back."""
    site = project.site_dir
    if site.exists():
        for old in project.root.glob(f"{site.name}.old-*"):
            shutil.rmtree(old, ignore_errors=True)
        return
    olds = sorted(project.root.glob(f"{site.name}.old-*"))
    if olds:
        olds[-1].rename(site)


ENGINES = ("mkdocs", "zensical")

# Plugins known to write nothing into the site beyond what MkDocs' dirty build writes itself.
KNOWN_PLUGINS = frozenset({"casebook-passthrough"})


def stage_for_dirty_build(project: Project, staging: Path) -> None:
    """`site/` as the starting point of a dirty build into `staging`, without touching `site/`.

    A file that MkDocs' dirty build will not write (the page or static file of a source no newer
    than it: MkDocs' own `File.is_modified` test) is hard-linked, which takes no time and no space
    at ten thousand pages; every other file is copied, times kept. With a plugin that might write
    into the site on its own, everything is copied."""
    site, docs = project.site_dir, project.docs_dir
    with _build_environment(project):
        plugins = set(load_site_config(project, staging).plugins)
    linkable = plugins <= KNOWN_PLUGINS
    for folder, _, names in os.walk(site):
        relative = os.path.relpath(folder, site)
        (staging / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            built = os.path.join(folder, name)
            target = os.path.normpath(os.path.join(staging, relative, name))
            source = docs / urls.source_of(os.path.normpath(os.path.join(relative, name)))
            if linkable and not os.path.islink(built) and _written_only_if_changed(built, source):
                os.link(built, target)
            else:
                shutil.copy2(built, target, follow_symlinks=False)


def _written_only_if_changed(built: str, source: Path) -> bool:
    """Whether `built` is the output of a source in the generated folder that is not newer than it."""
    try:
        return source.stat().st_mtime <= os.stat(built).st_mtime
    except OSError:
        return False


def build_site(project: Project, engine: str = "mkdocs", incremental: bool = True, **overrides: Any) -> Path:
    """Build into a temporary sibling of `site/` with the chosen engine and swap it in on success.

    Incremental (MkDocs): when nothing but some pages' Markdown changed since the last build of
    this site (`build_key`), the staging folder starts as `site/` (`stage_for_dirty_build`) and
    MkDocs' dirty build redoes only the pages whose Markdown is newer; the result is the clean
    build's, byte for byte (tests/test_incremental.py).
    (The search index is in the generated folder already: casebook.render.search writes it with the pages.)"""
    recover_interrupted_swap(project)
    site = project.site_dir
    staging = site.with_name(f"{site.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    key = build_key(project, engine)
    dirty = incremental and engine == "mkdocs" and not overrides and key == BuildCache(project).site_key()
    try:
        if dirty:
            stage_for_dirty_build(project, staging)
        if engine == "zensical":
            run_zensical(project, staging)
        else:
            run_mkdocs(project, staging, dirty=dirty, **overrides)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    BuildCache(project).forget_site_key()  # from here until the swap, site/ is not the key's
    old = site.with_name(f"{site.name}.old-{os.getpid()}")
    try:
        if site.exists():
            site.rename(old)
        staging.rename(site)
    except OSError:  # site/ cannot be moved (no permission, immutable): keep it, drop the new one
        if not site.exists() and old.exists():
            old.rename(site)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    for stale in site.parent.glob(f"{site.name}.tmp-*"):  # left by builds that were killed
        with contextlib.suppress(OSError):
            if stale != staging:
                shutil.rmtree(stale)
    BuildCache(project).keep_site_key(key)
    return site
