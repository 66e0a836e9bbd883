"""Put the rendered files on disk: the generated folder is owned wholly by the generator.

Files whose content is unchanged are not rewritten (their mtime stays, so MkDocs' and editors'
watchers stay quiet); files no longer rendered are removed; each write is atomic.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from casebook.diagnostics import visible
from casebook.project import Project
from casebook.render.kept import Kept


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
    """Write `path` through a temporary file beside it, renamed over it: a reader sees the old
    file or the new one, never half of one; a failed write (a full disk, say) removes its
    temporary file and leaves the old one as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# Why a write failed, for the people who can fix it: errno → (what happened, what to do).
WRITE_FAILURES = {
    errno.ENOSPC: ("磁盘已满", "请清理磁盘空间（例如删掉 dist/ 或 .casebook-cache/）后重新运行"),
    errno.EDQUOT: ("超出了磁盘配额", "请清理空间或请管理员调高配额后重新运行"),
    errno.EACCES: ("没有写入权限", "请检查这个文件和它所在文件夹的权限（ls -ld），或在自己有权限的文件夹里运行"),
    errno.EPERM: ("没有写入权限（文件或文件夹可能被设为不可修改，如 chattr +i）",
                  "请检查这个文件和它所在文件夹的权限与属性（ls -ld、lsattr -d）"),
    errno.EROFS: ("只读文件系统", "请把项目复制到可以写入的位置再运行"),
}


def write_failure(exc: OSError, project: Project | None = None) -> str | None:
    """A Chinese message for a write the system refused (disk full, no permission, read-only),
    naming the path; None for any other error."""
    found = WRITE_FAILURES.get(exc.errno or 0)
    if found is None:
        return None
    what, remedy = found
    name = exc.filename if isinstance(exc.filename, str) else ""
    where = project.rel(Path(name)) if project is not None and name else name
    target = f" {visible(where)}" if where else ""
    return (f"无法写入{target}：{what}（系统的原话：{exc.strerror}）；{remedy}。"
            "写了一半的临时文件已删除，原来的网站保持原样；这不是案例内容的问题，也不是 Casebook 的问题。")


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
