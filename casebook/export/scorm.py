"""SCORM 1.2 packages of the student edition, for a company's learning management system.

`build.py export` writes one package per learning path (dist/scorm/<path>.zip, launched at the
path's page) and one of the whole library (dist/scorm/casebook.zip, launched at the home page).
Each is a single SCO, which is what corporate platforms import most reliably: a copy of the built
student site (never the trainer's) with the run-time script `casebook-scorm.js` (beside this
file) added to every page of the copy only, a small file naming the cases the package counts,
and `imsmanifest.xml` at the root. The zips are deterministic: fixed dates, the site's files
sorted, then the package's own two.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from casebook.content.model import Library
from casebook.render import urls

RUNTIME = Path(__file__).with_name("casebook-scorm.js")
RUNTIME_ASSET = "assets/casebook-scorm.js"
PACKAGE_ASSET = "assets/casebook-scorm-package.js"
MANIFEST = "imsmanifest.xml"
LIBRARY_PACKAGE = "casebook"  # dist/scorm/casebook.zip: the whole library
LIBRARY_LAUNCH = urls.published(urls.HOME)
SUSPEND_LIMIT = 4096  # characters of cmi.suspend_data in SCORM 1.2
FIXED_DATE = (2026, 1, 1, 0, 0, 0)  # zip entries carry no build time: same input, same bytes
_SCHEMAS = " ".join((
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd",
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd",
))
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


class ScormError(Exception):
    """A package that cannot be made, said for the person running the export."""


@dataclass(frozen=True)
class ScormPackage:
    name: str  # the zip's name without .zip
    title: str  # the course's title in the LMS
    launch: str  # the launch page, relative to the package's root
    counted: tuple[str, ...]  # the cases whose reading completes it (the path's, or all)


def plan(library: Library, library_title: str) -> list[ScormPackage]:
    """The packages of a library: each learning path, then the whole library."""
    packages = []
    for key, path in library.paths.items():
        if key == LIBRARY_PACKAGE:
            raise ScormError(f"paths.yaml: 学习路径的键 '{key}' 与整个案例库的 SCORM 包 {key}.zip 同名；"
                             "请给这条路径换一个键")
        launch = urls.published(urls.source("paths", key))
        packages.append(ScormPackage(key, path.name, launch, tuple(step.case for step in path.steps)))
    packages.append(ScormPackage(LIBRARY_PACKAGE, library_title, LIBRARY_LAUNCH, tuple(library.cases)))
    return packages


def fingerprint(order: list[str]) -> str:
    """Names the package's case order in its suspend data, so another order is never misread."""
    return hashlib.sha256("\n".join(order).encode()).hexdigest()[:8]


def longest_suspend_data(case_count: int) -> int:
    """The longest suspend data the run-time writes for this many cases (all of them read, in
    its bit form): `cb1:b:<fingerprint>:` and six cases to a character."""
    return len("cb1:b:12345678:") + math.ceil(case_count / 6)


def with_runtime(html: str, page: str) -> str:
    """A page of the package: the site's page with the package's file and the run-time added at
    the end of its body (after assets/casebook.js, whose hook the run-time uses)."""
    up = "../" * page.count("/")
    scripts = (f'<script src="{up}{PACKAGE_ASSET}"></script>'
               f'<script src="{up}{RUNTIME_ASSET}" data-page={quoteattr(page)}></script>')
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + scripts
    at = ends[-1].start()
    return html[:at] + scripts + "\n" + html[at:]


def package_script(package: ScormPackage, order: list[str]) -> str:
    """assets/casebook-scorm-package.js: the cases the run-time encodes and counts."""
    data = {
        "name": package.name,
        "cases": order,
        # The whole library counts every case: not listed twice.
        "counted": None if list(package.counted) == order else list(package.counted),
        "fingerprint": fingerprint(order),
    }
    return ("/* This SCORM package's cases (written by build.py export; read by casebook-scorm.js). */\n"
            f"window.casebookScormPackage = {json.dumps(data, ensure_ascii=False, separators=(',', ':'))};\n")


def manifest(package: ScormPackage, files: list[str]) -> str:
    """imsmanifest.xml: SCORM 1.2, one organization, one item, one SCO listing every file."""
    title = escape(package.title)
    launch = quoteattr(quote(package.launch, safe="/"))
    file_lines = "".join(f"      <file href={quoteattr(quote(name, safe='/'))}/>\n" for name in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(f"casebook-{package.name}")} version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="{_SCHEMAS}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="casebook">
    <organization identifier="casebook">
      <title>{title}</title>
      <item identifier="item" identifierref="sco" isvisible="true">
        <title>{title}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href={launch}>
{file_lines}    </resource>
  </resources>
</manifest>
"""


def shared_files(site: Path) -> Iterator[tuple[str, bytes]]:
    """What every package carries, read one file at a time (a large site need not fit in memory):
    the built site, each page with the run-time added, and the run-time itself; sorted."""
    paths = {path.relative_to(site).as_posix(): path for path in site.rglob("*") if path.is_file()}
    paths[RUNTIME_ASSET] = RUNTIME
    for name in sorted(paths):
        data = paths[name].read_bytes()
        if name.endswith(".html"):
            data = with_runtime(data.decode("utf-8"), name).encode("utf-8")
        yield name, data


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, FIXED_DATE)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=9)


def export_scorm(site: Path, library: Library, target: Path, library_title: str) -> list[Path]:
    """Write every package of the built student `site` into `target` (dist/scorm/); returns them.
    Zips of paths no longer in the library are removed.

    The site is compressed once, into a zip every package starts as a copy of; each package then
    gets its own two entries appended (the file naming its cases, and the manifest)."""
    if not (site / LIBRARY_LAUNCH).is_file():
        raise ScormError("site/ 还没有生成；请先运行 python build.py build")
    packages = plan(library, library_title)
    for package in packages:
        if not (site / package.launch).is_file():
            raise ScormError(f"{package.launch} 不在生成的网站里，无法作为 SCORM 包 {package.name}.zip 的启动页")
    order = list(library.cases)
    target.mkdir(parents=True, exist_ok=True)
    shared = target / f".shared.zip.tmp-{os.getpid()}"
    names = [PACKAGE_ASSET]
    try:
        with zipfile.ZipFile(shared, "w") as archive:
            for name, data in shared_files(site):
                _add(archive, name, data)
                names.append(name)
        written = []
        for package in packages:
            path = target / f"{package.name}.zip"
            staging = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            shutil.copyfile(shared, staging)
            with zipfile.ZipFile(staging, "a") as archive:
                _add(archive, PACKAGE_ASSET, package_script(package, order).encode("utf-8"))
                _add(archive, MANIFEST, manifest(package, sorted(names)).encode("utf-8"))
            os.replace(staging, path)
            written.append(path)
    finally:
        shared.unlink(missing_ok=True)
    for stale in sorted(set(target.glob("*.zip")) - set(written)):
        stale.unlink()
    return written
