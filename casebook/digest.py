"""Content digests for the incremental build (of files, of validated content objects), and the
state one build carries to the next."""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """One digest of the names (relative to `root`) and contents of the files among `paths`."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache  # the code a process runs does not change while it runs; every cache file asks
def package_digest() -> str:
    """The code of this package: a changed module changes every page it might render."""
    package = Path(__file__).resolve().parent
    return files_digest(package.rglob("*.py"), package)


def value_digest(*values: Any) -> str:
    """A digest of plain data and model objects (pickled: they are dataclasses, entities, lists).

    Pickled without the memo ("fast" mode): the memo writes a second reference to one object
    differently from an equal copy, so the same values would digest differently when they come
    from a cache (unpickled: copies) and when computed afresh (shared)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # values here hold no reference cycles
    pickler.dump(values)
    return hashlib.sha256(out.getbuffer()).hexdigest()


@dataclass
class Carried(Generic[T]):
    """State one build leaves for the next (the search index's, the related cases'): the last
    build's goes in as `previous`, this build's comes out as `current`."""

    previous: T | None = None
    current: T | None = None
