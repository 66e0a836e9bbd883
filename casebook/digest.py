"""Content digests for the incremental build: of files, and of validated content objects."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """One digest of the names (relative to `root`) and contents of the files among `paths`."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


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
