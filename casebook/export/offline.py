"""`build.py export`: the built site as a zip that works unzipped from file://, with no network."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from casebook.project import Project

FIXED_DATE = (2026, 1, 1, 0, 0, 0)  # zip entries carry no build time: same input, same bytes


def zip_name(edition: str) -> str:
    """casebook-student-offline.zip, casebook-trainer-offline.zip."""
    return f"casebook-{edition}-offline.zip"


def zip_folder(name: str) -> str:
    """The folder a reader sees after unzipping: the zip's name without .zip."""
    return name.removesuffix(".zip")


def export_zip(project: Project, name: str = zip_name("student"),
               extra: dict[str, Path] | None = None) -> Path:
    """Zip `site/` (already built for file:// too) into dist/, deterministically.

    `extra` adds folders under a prefix inside the zip (the printable handouts under print/)."""
    site = project.site_dir
    if not (site / "index.html").is_file():
        raise FileNotFoundError("site/ 还没有生成；请先运行 python build.py build")
    project.dist_dir.mkdir(parents=True, exist_ok=True)
    target = project.dist_dir / name
    staging = target.with_name(f".{name}.tmp-{os.getpid()}")
    with zipfile.ZipFile(staging, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        sources = [("", site), *sorted((extra or {}).items())]
        for prefix, folder in sources:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                parts = (zip_folder(name), prefix, path.relative_to(folder).as_posix())
                inner = "/".join(part for part in parts if part)
                info = zipfile.ZipInfo(inner, FIXED_DATE)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    os.replace(staging, target)
    return target
