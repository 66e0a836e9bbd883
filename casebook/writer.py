"""Put the rendered files on disk: the generated folder is owned wholly by the generator.

Files whose content is unchanged are not rewritten (their mtime stays, so MkDocs' and editors'
watchers stay quiet); files no longer rendered are removed; each write is atomic.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SyncResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def _safe_relative(name: str) -> str:
    parts = name.split("/")
    if not name or {"", ".", ".."} & set(parts) or "\\" in name:
        raise ValueError(f"refusing to write outside the generated folder: {name!r}")
    return name


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


class Kept:
    """In place of a file's content: the file already holds it (an incremental build's unchanged
    page), so it is neither read nor written."""

    def __repr__(self) -> str:
        return "KEPT"


KEPT = Kept()


def sync_tree(target: Path, files: Mapping[str, str | bytes | Kept]) -> SyncResult:
    """Make `target` hold exactly `files` (relative path → content, or KEPT for a file already
    holding its content)."""
    result = SyncResult()
    # Paths as strings: at ten thousand pages, making Path objects is a good part of the work.
    root = os.fspath(target)
    wanted: dict[str, bytes | Kept] = {}
    for name, content in files.items():
        wanted[f"{root}/{_safe_relative(name)}"] = content.encode("utf-8") if isinstance(content, str) else content
    target.mkdir(parents=True, exist_ok=True)
    changed: list[tuple[Path, bytes]] = []
    for name, data in sorted(wanted.items()):
        if isinstance(data, Kept):
            if not os.path.isfile(name):
                raise FileNotFoundError(f"kept file is missing: {name}")
        elif not _holds(Path(name), data):
            changed.append((Path(name), data))
    result.unchanged = len(wanted) - len(changed)
    # All comparisons first, then the writes in one burst: a watcher (`serve`) sees one change.
    for path, data in changed:
        if path.is_symlink() or path.is_dir():
            _remove(path)
        write_atomic(path, data)
        result.written.append(path.relative_to(target).as_posix())
    # Remove what is no longer rendered, deepest first, never following links out of `target`.
    for dirpath, dirnames, filenames in os.walk(target, topdown=False):
        folder = Path(dirpath)
        for name in filenames:
            if f"{dirpath}/{name}" not in wanted:
                path = folder / name
                path.unlink()
                result.removed.append(path.relative_to(target).as_posix())
        for name in dirnames:
            path = folder / name
            if path.is_symlink():
                path.unlink()
                result.removed.append(path.relative_to(target).as_posix())
            elif not any(path.iterdir()):
                path.rmdir()
    result.removed.sort()
    return result


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    else:
        for child in path.iterdir():
            _remove(child)
        path.rmdir()
