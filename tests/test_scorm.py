"""SCORM 1.2 packages (`build.py export` → dist/scorm/): the manifest and the files, the suspend data
encoding at 10,000 cases (run under node), and a package run inside a page that plays the LMS with
scorm-again (pinned in package-lock.json) in Chromium: launch, progress reported, relaunch restored."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from browser import ARTIFACTS, RequestLog, serve_folder
from conftest import ROOT

from casebook.cli import main
from casebook.content.load import load_library
from casebook.export import scorm
from casebook.project import Project

pytestmark = pytest.mark.slow

NS = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
TEACHING_TEXT = "把顾客的需要记在本子上"  # from alpha's teaching note (tests/fixtures/basic)
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.js"


def _missing(reason: str) -> None:
    """A skip, or a failure where the tools are required (CI sets REQUIRE_BROWSER=1)."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason + "; REQUIRE_BROWSER=1 makes this a failure")
    pytest.skip(reason)


def _manifest(archive: zipfile.ZipFile) -> ET.Element:
    return ET.fromstring(archive.read(scorm.MANIFEST))


def _listed(root: ET.Element) -> list[str]:
    return [node.attrib["href"] for node in root.iterfind("cp:resources/cp:resource/cp:file", NS)]


def test_each_path_and_the_library_is_one_sco_with_every_file_listed(project):
    assert main(["--root", str(project.root), "export", "--pdf", "none"]) == 0
    folder = project.dist_dir / "scorm"
    assert sorted(path.name for path in folder.iterdir()) == ["basics.zip", "casebook.zip"]
    expected = {"basics": ("入门路径", "paths/basics.html"), "casebook": ("服务营销案例库", "index.html")}
    for name, (title, launch) in expected.items():
        with zipfile.ZipFile(folder / f"{name}.zip") as archive:
            names = archive.namelist()
            raw = archive.read(scorm.MANIFEST)
            root = _manifest(archive)
            assert scorm.MANIFEST in names  # at the zip's root, not in a folder
            assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
            assert title.encode("utf-8") in raw  # Chinese kept as UTF-8, not escaped away
            assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.2"
            organizations = root.findall("cp:organizations/cp:organization", NS)
            assert len(organizations) == 1
            items = organizations[0].findall("cp:item", NS)
            assert len(items) == 1 and items[0].findtext("cp:title", namespaces=NS) == title
            assert organizations[0].findtext("cp:title", namespaces=NS) == title
            resources = root.findall("cp:resources/cp:resource", NS)
            assert len(resources) == 1
            resource = resources[0]
            assert resource.attrib[f"{{{NS['adlcp']}}}scormtype"] == "sco"
            assert items[0].attrib["identifierref"] == resource.attrib["identifier"]
            assert resource.attrib["href"] == launch and launch in names
            # Every file of the package is listed, and only those (the manifest describes itself).
            listed = _listed(root)
            assert sorted(listed) == sorted(set(names) - {scorm.MANIFEST})
            assert len(listed) == len(set(listed))
            config = archive.read(scorm.PACKAGE_ASSET).decode("utf-8")
            assert '"cases":["alpha","beta","gamma"]' in config
            pages = [n for n in names if n.endswith(".html")]
            assert pages and all(b"assets/casebook-scorm.js" in archive.read(n) for n in pages)
            texts = [archive.read(n).decode("utf-8", errors="replace") for n in names]
            assert not any(TEACHING_TEXT in text or "教学说明</h2>" in text for text in texts)  # student edition only
            assert "prep/index.html" not in names
    # The ordinary site and the offline zips carry no LMS code.
    assert not list(project.site_dir.rglob("casebook-scorm*"))
    for edition in ("student", "trainer"):
        with zipfile.ZipFile(project.dist_dir / f"casebook-{edition}-offline.zip") as archive:
            assert not [n for n in archive.namelist() if "scorm" in n]
            assert not any(b"casebook-scorm" in archive.read(n) for n in archive.namelist() if n.endswith(".html"))
    # Deterministic: the same input gives the same bytes.
    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert main(["--root", str(project.root), "export", "--pdf", "none"]) == 0
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} == first


def test_a_path_named_like_the_library_package_is_refused(project, write, capsys):
    paths = (project.root / "paths.yaml").read_text(encoding="utf-8")
    write("paths.yaml", paths.replace("basics:", "casebook:"))
    assert main(["--root", str(project.root), "export", "--pdf", "none"]) == 1
    assert "学习路径的键 'casebook' 与整个案例库的 SCORM 包 casebook.zip 同名" in capsys.readouterr().err


def test_the_runtime_goes_at_the_end_of_each_page_with_links_relative_to_it():
    page = scorm.with_runtime("<html><body><p>x</p></BODY></html>", "cases/alpha.html")
    assert page.endswith('<script src="../assets/casebook-scorm-package.js"></script>'
                         '<script src="../assets/casebook-scorm.js" data-page="cases/alpha.html"></script>\n'
                         "</BODY></html>")
    assert 'src="assets/casebook-scorm.js" data-page="index.html"' in scorm.with_runtime("<body></body>", "index.html")


def _node(script: str) -> object:
    node = shutil.which("node")
    if node is None:
        _missing("node is not installed (the SCORM run-time's encoding is tested with it)")
    done = subprocess.run([str(node), "-e", script], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_suspend_data_holds_ten_thousand_cases_within_scorm_limit():
    runtime = json.dumps(str(scorm.RUNTIME))
    out = _node(f"""
const s = require({runtime});
const order = Array.from({{length: 10000}}, (_, i) => "case-" + String(i).padStart(5, "0"));
const sets = {{all: {{}}, third: {{}}, few: {{"case-00003": 1, "case-09999": 1, "not-a-case": 1}}, none: {{}}}};
order.forEach((id, i) => {{ sets.all[id] = 1; if (i % 3 === 0) sets.third[id] = 1; }});
const huge = order.concat(Array.from({{length: 20000}}, (_, i) => "more-" + i));
const hugeRead = {{}}; huge.forEach(id => {{ hugeRead[id] = 1; }});
const out = {{limit: s.LIMIT, time: s.timespan(3723456), huge: s.encode(hugeRead, huge, "ffffffff")}};
for (const [name, read] of Object.entries(sets)) {{
  const text = s.encode(read, order, "abcd1234");
  out[name] = {{text: text, back: Object.keys(s.decode(text, order, "abcd1234")).sort(),
    // A package made from a later library: one case more at the front, another fingerprint.
    later: s.decode(text, ["case-new"].concat(order), "0000ffff")}};
}}
out.junk = [s.decode("", order, "abcd1234"), s.decode("lesson=3", order, "abcd1234"),
            s.decode("cb1:b:abcd1234:*", order, "abcd1234")];
console.log(JSON.stringify(out));
""")
    assert isinstance(out, dict)
    assert out["limit"] == scorm.SUSPEND_LIMIT == 4096
    ids = [f"case-{i:05d}" for i in range(10000)]
    every = out["all"]
    assert every["text"].startswith("cb1:b:abcd1234:")
    assert len(every["text"]) == scorm.longest_suspend_data(10000) <= 4096  # the bound the export warns with
    assert every["back"] == ids
    assert every["later"] is None  # other cases: not misread as these
    third = out["third"]
    assert len(third["text"]) <= 4096 and third["back"] == ids[::3]
    assert out["few"]["text"] == "cb1:i:case-00003,case-09999"  # ids while they fit
    assert out["few"]["back"] == ["case-00003", "case-09999"]
    assert out["few"]["later"] == {"case-00003": 1, "case-09999": 1}  # ids survive a later library
    assert out["none"]["text"] == "cb1:i:" and out["none"]["back"] == []
    assert out["junk"] == [None, None, None]
    # 30,000 cases do not fit even as bits: nothing is written (the export says so).
    assert out["huge"] is None and scorm.longest_suspend_data(30000) > 4096
    assert out["time"] == "01:02:03.46"  # CMITimespan


# ---- in Chromium, inside a page that provides the LMS side with scorm-again ----

HOST = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>学习平台</title>
<style>body {{ margin: 0; font-family: sans-serif; }} header {{ padding: 8px 16px; background: #264653; color: #fff; }}
iframe {{ display: block; width: 100%; height: calc(100vh - 40px); border: 0; }}</style>
<script src="scorm12.js"></script>
<script>
  window.API = new Scorm12API({{ autocommit: false, logLevel: 5 }});
  window.lms = {{ initialized: 0, commits: 0, finished: 0, set: {{}} }};
  API.on("LMSSetValue.cmi.*", function (element, value) {{ lms.set[element] = value; }});
  API.on("LMSInitialize", function () {{ lms.initialized += 1; }});
  API.on("LMSCommit", function () {{ lms.commits += 1; }});
  API.on("LMSFinish", function () {{ lms.finished += 1; }});
  if (window.storedCmi) API.loadFromJSON(window.storedCmi);
</script></head>
<body><header>学习平台 · 课程播放器</header>
<iframe id="sco" title="课件" src="pkg/{launch}"></iframe></body></html>
"""

CMI = """() => ({
  status: API.cmi.core.lesson_status, score: API.cmi.core.score.raw, location: API.cmi.core.lesson_location,
  suspend: API.cmi.suspend_data, exit: lms.set["cmi.core.exit"], session: lms.set["cmi.core.session_time"],
  initialized: lms.initialized, commits: lms.commits, finished: lms.finished, error: API.lmsGetLastError(),
})"""


@pytest.fixture(scope="module")
def lms_folder(library_site, tmp_path_factory) -> dict[str, object]:
    """The first learning path's package unzipped under pkg/, beside the host page and scorm-again."""
    if not SCORM_AGAIN.is_file():
        _missing("scorm-again is not installed (run `npm ci` at the repository root)")
    library, _ = load_library(Project(ROOT))
    key, path = next(iter(library.paths.items()))
    folder = tmp_path_factory.mktemp("lms")
    with zipfile.ZipFile(library_site["root"] / "dist" / "scorm" / f"{key}.zip") as archive:
        archive.extractall(folder / "pkg")
    shutil.copy(SCORM_AGAIN, folder / "scorm12.js")
    (folder / "host.html").write_text(HOST.format(launch=f"paths/{key}.html"), encoding="utf-8")
    return {"folder": folder, "key": key, "cases": [step.case for step in path.steps], "title": path.name}


def _launch(browser, base: str, log: RequestLog, stored: dict | None = None, local_marks: dict | None = None,
            viewport: dict | None = None):
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 900})
    page = context.new_page()
    log.attach(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if local_marks is not None:  # what an earlier trainee left in this browser
        page.goto(f"{base}/pkg/404.html")
        page.evaluate("marks => localStorage.setItem('casebook:read', JSON.stringify(marks))", local_marks)
    if stored is not None:
        page.add_init_script(f"if (window === window.top) window.storedCmi = {json.dumps(stored)};")
    page.goto(f"{base}/host.html")
    return context, page, page.frame_locator("#sco"), errors


def _progress(sco) -> str:
    """The path's progress line, once assets/casebook.js has written it."""
    from playwright.sync_api import expect

    progress = sco.locator("[data-cb-path] .cb-progress")
    expect(progress).to_contain_text("阅读进度")
    return progress.inner_text()


def _cmi(page) -> dict:
    return page.evaluate(CMI)


def _stored(cmi: dict) -> dict:
    """What an LMS keeps between launches and hands back to the next one."""
    return {"core": {"lesson_status": cmi["status"], "lesson_location": cmi["location"], "entry": "resume",
                     "score": {"raw": cmi["score"]}}, "suspend_data": cmi["suspend"]}


@pytest.mark.browser
def test_a_path_package_reports_progress_to_the_lms_and_restores_it_on_relaunch(browser, lms_folder):
    key, cases, folder = lms_folder["key"], lms_folder["cases"], lms_folder["folder"]
    assert isinstance(cases, list) and isinstance(folder, Path)
    log = RequestLog()
    with serve_folder(folder) as base:
        # Someone else's marks in this browser (a training-room computer) do not count for this trainee.
        context, page, sco, errors = _launch(browser, base, log, local_marks={case: 1 for case in cases})
        assert _progress(sco) == f"阅读进度：已读 0 / {len(cases)}"
        cmi = _cmi(page)
        assert cmi["initialized"] == 1 and cmi["status"] == "incomplete" and cmi["score"] == "0"
        assert cmi["location"] == f"paths/{key}.html" and cmi["suspend"] == "cb1:i:" and cmi["commits"] >= 1
        snapshots = []
        for number, case in enumerate(cases, 1):
            # As a trainee does: the step's link, the case's button, the way back to the path.
            sco.locator(f"[data-cb-path] a[href$='cases/{case}.html']").first.click()
            button = sco.locator(".cb-read--end button")
            button.wait_for()
            commits = _cmi(page)["commits"]
            button.click()
            assert button.inner_text() == "✓ 已读（点击取消）"
            cmi = _cmi(page)
            assert cmi["location"] == f"cases/{case}.html"
            assert cmi["commits"] > commits  # committed at once, not at the end
            assert cmi["score"] == str(100 * number // len(cases))
            assert cmi["status"] == ("completed" if number == len(cases) else "incomplete")
            assert cmi["suspend"] == "cb1:i:" + ",".join(sorted(cases[:number]))
            assert cmi["initialized"] == 1 and cmi["finished"] == 0  # one session across the pages
            snapshots.append(cmi)
            sco.locator(f"a[href$='paths/{key}.html']").first.click()
            _progress(sco)
        assert _progress(sco) == f"阅读进度：已读 {len(cases)} / {len(cases)}，本路径已完成 🎉"
        assert _cmi(page)["location"] == f"paths/{key}.html"
        # The LMS closes the course: the page finishes the session and reports its time.
        page.evaluate("document.getElementById('sco').remove()")
        final = _cmi(page)
        assert final["finished"] == 1 and final["status"] == "completed" and final["score"] == "100"
        assert final["exit"] == "" and final["session"].count(":") == 2 and final["session"] != "00:00:00"
        assert errors == []
        context.close()

        # Relaunch on another device (an empty browser) with what the LMS stored: progress restored.
        context, page, sco, errors = _launch(browser, base, log, stored=_stored(final))
        assert _progress(sco) == f"阅读进度：已读 {len(cases)} / {len(cases)}，本路径已完成 🎉"
        assert sco.locator("[data-cb-path] .cb-step--read").count() == len(cases)
        assert _cmi(page)["status"] == "completed"
        # Taking a mark back lowers the score but does not undo the completion already reported.
        sco.locator(f"[data-cb-path] a[href$='cases/{cases[0]}.html']").first.click()
        button = sco.locator(".cb-read--end button")
        assert button.inner_text() == "✓ 已读（点击取消）"
        button.click()
        cmi = _cmi(page)
        assert cmi["status"] == "completed" and cmi["score"] == str(100 * (len(cases) - 1) // len(cases))
        assert errors == []
        context.close()

        # Relaunch halfway (after the first case): one read, the rest to go.
        context, page, sco, errors = _launch(browser, base, log, stored=_stored(snapshots[0]),
                                             viewport={"width": 390, "height": 844})
        assert _progress(sco) == f"阅读进度：已读 1 / {len(cases)}"
        assert _cmi(page)["status"] == "incomplete"
        # Inside the LMS's frame on a phone, the page still fits its width.
        width = sco.locator("body").evaluate("b => [document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], width
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "scorm-host-390.png"))
        assert errors == []
        context.close()
    outside = [url for url in log.urls
               if not url.startswith((f"{base}/pkg/", f"{base}/host.html", f"{base}/scorm12.js"))]
    assert outside == [], outside


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["http", "file"])
def test_without_an_lms_the_package_reads_like_the_offline_export(browser, lms_folder, mode):
    """Opened directly, or from file:// where a browser keeps the frame from its parent: no API is
    found, the marks stay in the browser and nothing is reported."""
    key, cases, folder = lms_folder["key"], lms_folder["cases"], lms_folder["folder"]
    assert isinstance(cases, list) and isinstance(folder, Path)
    log = RequestLog()
    with serve_folder(folder) as served:
        base = served if mode == "http" else folder.as_uri()
        context = browser.new_context()
        page = context.new_page()
        log.attach(page)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/{'pkg/paths/' + key + '.html' if mode == 'http' else 'host.html'}")
        sco = page if mode == "http" else page.frame_locator("#sco")
        sco.locator(f"[data-cb-path] a[href$='cases/{cases[0]}.html']").first.click()
        sco.locator(".cb-read--end button").click()
        sco.locator(f"a[href$='paths/{key}.html']").first.click()
        assert _progress(sco) == f"阅读进度：已读 1 / {len(cases)}"
        if mode == "file":
            assert page.evaluate("lms.initialized") == 0
        assert errors == []
        context.close()
    assert [url for url in log.urls if not url.startswith((served, folder.as_uri()))] == []


@pytest.mark.browser
def test_the_library_package_counts_every_case(browser, library_site, tmp_path):
    """casebook.zip opens at the home page and scores the share of all the library's cases read."""
    if not SCORM_AGAIN.is_file():
        _missing("scorm-again is not installed (run `npm ci` at the repository root)")
    library, _ = load_library(Project(ROOT))
    with zipfile.ZipFile(library_site["root"] / "dist" / "scorm" / "casebook.zip") as archive:
        archive.extractall(tmp_path / "pkg")
    shutil.copy(SCORM_AGAIN, tmp_path / "scorm12.js")
    (tmp_path / "host.html").write_text(HOST.format(launch="index.html"), encoding="utf-8")
    case = next(iter(library.cases))
    log = RequestLog()
    with serve_folder(tmp_path) as base:
        context = browser.new_context()
        page = context.new_page()
        log.attach(page)
        page.goto(f"{base}/host.html")
        sco = page.frame_locator("#sco")
        page.wait_for_function("() => lms.commits > 0")  # the home page has reported itself
        assert _cmi(page)["location"] == "index.html" and _cmi(page)["status"] == "incomplete"
        sco.locator(f"a[href$='cases/{case}.html']").first.click()
        sco.locator(".cb-read--end button").click()
        cmi = _cmi(page)
        assert cmi["score"] == str(100 // len(library.cases)) and cmi["suspend"] == f"cb1:i:{case}"
        assert cmi["initialized"] == 1 and cmi["status"] == "incomplete"
        context.close()
    assert [url for url in log.urls if not url.startswith(base)] == []


def test_a_title_with_markup_characters_stays_text_in_the_manifest():
    package = scorm.ScormPackage("p", "服务 & <售后> \"体系\"", "paths/p.html", ("a",))
    root = ET.fromstring(scorm.manifest(package, ["index.html", "paths/p.html"]).encode("utf-8"))
    assert root.findtext("cp:organizations/cp:organization/cp:item/cp:title", namespaces=NS) == package.title
    assert _listed(root) == ["index.html", "paths/p.html"]
