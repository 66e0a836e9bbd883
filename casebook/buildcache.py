"""The build cache (`.casebook-cache/`): what one build leaves for the next, and why a pull
request cannot use it to run code or to smuggle pages into the site.

The cache sits in the project folder, so a pull request can commit files there. Every file is
therefore written with an HMAC made with a secret that never leaves this machine's user account
(`~/.cache/casebook/cache-key`, or `$XDG_CACHE_HOME`); a file whose HMAC does not verify is not
read at all: the build ignores it, says so once, and does the work anew. Only bytes that this
user's own builds wrote reach the unpickler, and even those may name nothing but Casebook's own
classes (`_CasebookOnly`). The cache is never needed for a correct build: without it every page is
made from the content.

`BuildCache` is the one place that knows what is kept: the case cache (in shards), the related
cases, each edition's page inputs and search state, each site's key, one accessor per kind. The
pipeline, the site build and serve ask it; none of them names a cache file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
import pickle
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from casebook.content.load import CaseCache
from casebook.digest import package_digest
from casebook.index.indexes import RelatedCache
from casebook.project import Project
from casebook.render.pages import SearchCache
from casebook.render.search import IndexState
from casebook.writer import write_atomic

T = TypeVar("T")

_MAGIC = b"casebook-cache-1\n"
_MAC_SIZE = hashlib.sha256().digest_size
_secret_key: bytes | None = None
_warned: set[Path] = set()


def secret_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "casebook" / "cache-key"


def _secret() -> bytes | None:
    """This user's cache key, made on first use; None when it can be neither read nor made (the
    builds then keep no cache: slower, never wrong)."""
    global _secret_key
    if _secret_key is None:
        path = secret_file()
        try:
            key = path.read_bytes()
            if len(key) < 32:
                raise OSError("short key")
        except OSError:
            key = os.urandom(32)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(key)
            except OSError:
                return None
        _secret_key = key
    return _secret_key


def _mac(key: bytes, project: Project, name: str, data: bytes) -> bytes:
    # The file's name and project are part of what is signed: a file cannot be moved to stand
    # for another.
    message = b"\0".join((os.fsencode(project.root.resolve()), name.encode(), data))
    return hmac.new(key, message, hashlib.sha256).digest()


def write_file(project: Project, name: str, data: bytes) -> None:
    key = _secret()
    if key is None:
        return
    project.cache_dir.mkdir(exist_ok=True)
    ignore = project.cache_dir / ".gitignore"
    if not ignore.is_file():
        write_atomic(ignore, b"*\n")  # never committed
    write_atomic(project.cache_dir / name, _MAGIC + _mac(key, project, name, data) + data)


def read_file(project: Project, name: str) -> bytes | None:
    """A cache file's content, when this user's builds wrote it; None otherwise."""
    path = project.cache_dir / name
    try:
        if path.is_symlink():
            raise OSError("a link")
        raw = path.read_bytes()
    except OSError:
        return None
    key = _secret()
    if key is None:
        return None
    head = len(_MAGIC) + _MAC_SIZE
    if raw.startswith(_MAGIC) and len(raw) >= head:
        mac, data = raw[len(_MAGIC):head], raw[head:]
        if hmac.compare_digest(mac, _mac(key, project, name, data)):
            return data
    _notice(project, path)
    return None


def remove_file(project: Project, name: str) -> None:
    (project.cache_dir / name).unlink(missing_ok=True)


def _notice(project: Project, path: Path) -> None:
    if project.cache_dir not in _warned:
        _warned.add(project.cache_dir)
        print(f"提示：{project.rel(path)} 不是本机这个用户的构建写下的（可能随提交进入了仓库，或来自另一台机器），"
              f"已忽略，本次完整生成；{project.rel(project.cache_dir)}/ 不要提交（可以随时删除）", file=sys.stderr)


class _CasebookOnly(pickle.Unpickler):
    """Unpickles only Casebook's own classes: no function or class of another module is ever
    looked up, so even a cache that passed the HMAC cannot call anything."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "casebook" or module.startswith("casebook."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"the build cache may not name {module}.{name}")


def loads(data: bytes) -> Any:
    return _CasebookOnly(io.BytesIO(data)).load()


def store(project: Project, name: str, value: object) -> None:
    """Keep `value` with the digest of the code that made it (see `stored`)."""
    write_file(project, name, pickle.dumps((package_digest(), value), protocol=5))


def stored(project: Project, name: str, kind: type[T]) -> T | None:
    """What a cache file keeps, if the code that saved it is this code: a cache made by another
    version (another way of cutting text into search keys, say) is not used, but made anew."""
    data = read_file(project, name)
    if data is None:
        return None
    try:
        value = loads(data)
    except Exception:  # a cache of another version of Casebook: do the work anew
        return None
    if isinstance(value, tuple) and len(value) == 2 and value[0] == package_digest() and isinstance(value[1], kind):
        return value[1]
    return None


CASE_SHARDS = 64  # files the case cache is kept in (cases-<n>.pickle): an edit rewrites one, not all
RELATED_FILE = "related.pickle"


def _case_shard(path: str) -> int:
    return zlib.crc32(path.encode()) % CASE_SHARDS


class BuildCache:
    """What one build of `project` hands the next, one accessor per kind.

    `cases` given (serve keeps one in memory between saves), the parsed cases live there and are
    never written; otherwise they are kept in `.casebook-cache/` like everything else."""

    def __init__(self, project: Project, cases: CaseCache | None = None) -> None:
        self.project = project
        self._cases = cases

    # The parsed case files, by path and content digest (content/load.py's CaseCache).
    @contextlib.contextmanager
    def cases(self) -> Iterator[CaseCache]:
        """The case cache for one read; after it, the shards whose entries the read changed are
        saved again. Each is kept with the digest of the code that made it: another version
        reads everything anew."""
        if self._cases is not None:
            yield self._cases
            return
        cache, complete = CaseCache(), True
        for shard in range(CASE_SHARDS):
            kept = stored(self.project, f"cases-{shard}.pickle", dict)
            if kept is None:  # a first build, or one by other code: every shard is made anew
                cache, complete = CaseCache(), False
                break
            cache.entries.update(kept)
        yield cache
        if cache.changed or not complete:
            shards: dict[int, dict[str, Any]] = {n: {} for n in range(CASE_SHARDS)}
            for path, entry in cache.entries.items():
                shards[_case_shard(path)][path] = entry
            for shard in sorted({_case_shard(path) for path in cache.changed} if complete else shards):
                store(self.project, f"cases-{shard}.pickle", shards[shard])

    # The related cases of every case (index/indexes.py), shared by the editions.
    def related(self) -> RelatedCache:
        return RelatedCache(previous=stored(self.project, RELATED_FILE, tuple))

    def keep_related(self, related: RelatedCache) -> None:
        if related.current is not None and related.current is not related.previous:
            store(self.project, RELATED_FILE, related.current)

    # Each edition's generated folder has its own page inputs and search state: no build of one
    # can reuse another's pages.
    def _pages_files(self) -> tuple[str, str]:
        variant = self.project.generated_dir.name
        return f"{variant}.pages.pickle", f"{variant}.search.pickle"

    def page_inputs(self) -> dict[str, str]:
        """Each page's inputs when the generated folder was last written (render/pages.py)."""
        return stored(self.project, self._pages_files()[0], dict) or {}

    def search(self) -> SearchCache:
        """The search index's state of the last generation (render/search.py)."""
        return SearchCache(previous=stored(self.project, self._pages_files()[1], IndexState))

    def forget_pages(self) -> None:
        """Until the generated folder is written again, neither file describes it."""
        for name in self._pages_files():
            remove_file(self.project, name)

    def keep_pages(self, inputs: dict[str, str], search: SearchCache) -> None:
        inputs_file, search_file = self._pages_files()
        store(self.project, inputs_file, inputs)
        if search.current is not None:
            store(self.project, search_file, search.current)

    # The key of the site folder's last build (site/build.py): same key, only changed pages rebuilt.
    def _site_key_file(self) -> str:
        return f"{self.project.site_dir.name}.key"

    def site_key(self) -> str:
        data = read_file(self.project, self._site_key_file()) if self.project.site_dir.is_dir() else None
        return data.decode("utf-8", "replace").strip() if data else ""

    def keep_site_key(self, key: str) -> None:
        write_file(self.project, self._site_key_file(), (key + "\n").encode())

    def forget_site_key(self) -> None:
        remove_file(self.project, self._site_key_file())
