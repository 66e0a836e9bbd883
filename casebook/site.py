"""The last step, and the only one that knows MkDocs: generated Markdown → HTML site.

MkDocs' build itself runs through `casebook.site_shards`, which shares the pages between the
machine's cores. The site is built into a sibling folder and swapped in only when MkDocs succeeds, so a failed
or interrupted build leaves the previous `site/` as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from .model import Library
from .project import Project
from .site_shards import build

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


def run_mkdocs(project: Project, site_dir: Path, **overrides: object) -> None:
    """Build the generated folder with MkDocs into `site_dir` (which it replaces)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _build_environment(project) as collected:
        try:
            config = load_config(str(project.mkdocs_file), site_dir=str(site_dir), **overrides)
            build(config)
        except MkDocsException as exc:
            raise SiteBuildError([*collected.messages, str(exc)]) from None
        except Exception as exc:  # a plugin or theme failing: report, keep the old site
            raise SiteBuildError([*collected.messages, f"{type(exc).__name__}: {exc}"]) from None


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


def build_site(project: Project, library: Library | None = None, **overrides: object) -> Path:
    """Build into a temporary sibling of `site/` and swap it in on success. (The search index is
    in the generated folder already: casebook.search writes it with the pages.)"""
    recover_interrupted_swap(project)
    site = project.site_dir
    staging = site.with_name(f"{site.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        run_mkdocs(project, staging, **overrides)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = site.with_name(f"{site.name}.old-{os.getpid()}")
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    for stale in site.parent.glob(f"{site.name}.tmp-*"):  # left by builds that were killed
        with contextlib.suppress(OSError):
            if stale != staging:
                shutil.rmtree(stale)
    return site
