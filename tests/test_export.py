"""`export`: the offline zip, the printable handouts and their PDFs."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from types import SimpleNamespace

import pytest
import yaml
from browser import chromium_path
from conftest import ROOT, copy_project

from casebook.cli import main
from casebook.content.editions import EDITIONS, for_edition
from casebook.content.load import load_library
from casebook.export import printing
from casebook.export.pdfoutline import page_count, pdf_outline
from casebook.index.indexes import build_indexes

pytestmark = pytest.mark.slow


TEACHING_TEXT = "把顾客的需要记在本子上"  # from alpha's teaching note (tests/fixtures/basic)


def _zip_texts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()}


def test_both_editions_are_zipped_with_their_handouts_reproducibly(project, capsys):
    assert main(["--root", str(project.root), "export", "--pdf", "none"]) == 0
    student_zip = project.dist_dir / "casebook-student-offline.zip"
    trainer_zip = project.dist_dir / "casebook-trainer-offline.zip"
    student, trainer = _zip_texts(student_zip), _zip_texts(trainer_zip)
    for name in ("index.html", "search/meta.js", "search/p/0.js", "search/t/0.js", "assets/search.js",
                 "assets/catalogue-data.js", "cases/alpha.html", "print/casebook.html", "print/cases/beta.html"):
        assert f"casebook-student-offline/{name}" in student, name
        assert f"casebook-trainer-offline/{name}" in trainer, name
    for name in ("prep/index.html", "print/casebook-answers.html", "print/teaching/alpha.html"):
        assert f"casebook-trainer-offline/{name}" in trainer, name
        assert f"casebook-student-offline/{name}" not in student, name
    # The teaching note is in the trainer's pages, search and handouts, and nowhere in the student's.
    assert TEACHING_TEXT in trainer["casebook-trainer-offline/cases/alpha.html"]
    assert TEACHING_TEXT in trainer["casebook-trainer-offline/print/teaching/alpha.html"]
    assert [name for name, text in student.items() if TEACHING_TEXT in text or "教学说明</h2>" in text] == []
    first = hashlib.sha256(student_zip.read_bytes()).hexdigest(), hashlib.sha256(trainer_zip.read_bytes()).hexdigest()
    assert main(["--root", str(project.root), "export", "--pdf", "none"]) == 0
    again = hashlib.sha256(student_zip.read_bytes()).hexdigest(), hashlib.sha256(trainer_zip.read_bytes()).hexdigest()
    assert again == first
    # What the deploy workflow uploads is what export wrote (a missing file fails the deploy).
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    uploads = [line.strip() for step in deploy["jobs"]["build"]["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact")
               for line in step["with"]["path"].splitlines() if line.strip()]
    assert uploads, "the deploy workflow uploads no offline zip"
    for path in uploads:
        assert (project.root / path).is_file(), f"deploy.yml uploads {path}, which export does not write"
    err = capsys.readouterr().err
    assert "解压后双击 casebook-student-offline/index.html" in err
    assert "解压后双击 casebook-trainer-offline/index.html" in err


def _print_pages(project, edition: str):
    library, _ = load_library(project)
    library = for_edition(library, EDITIONS[edition])
    return printing.render_print_pages(library, build_indexes(library), project.templates_dir, EDITIONS[edition])


def test_handouts_hide_or_show_answers_by_choice(project):
    pages = _print_pages(project, "student")
    assert sorted(pages) == ["casebook.html", "cases/alpha.html", "cases/beta.html", "cases/gamma.html",
                             "classroom/alpha.html", "classroom/beta.html", "classroom/gamma.html"]
    trainer_pages = _print_pages(project, "trainer")
    assert sorted(trainer_pages) == ["casebook-answers.html", "casebook.html", "cases/alpha.html", "cases/beta.html",
                                     "cases/gamma.html", "kits/alpha.html", "teaching/alpha.html"]
    student, trainer = pages["casebook.html"], trainer_pages["casebook-answers.html"]
    assert '<body class="without-answers">' in student and '<body class="with-answers">' in trainer
    assert ".without-answers .cb-answer { display: none; }" in student
    assert student.count('<article class="case"') == 3
    handout = pages["cases/alpha.html"]
    assert "<li>清洗米缸</li>" in handout  # Markdown fields rendered
    assert "<nav" not in handout and "search" not in handout.lower()
    assert TEACHING_TEXT not in handout and TEACHING_TEXT not in trainer_pages["cases/alpha.html"]
    note = trainer_pages["teaching/alpha.html"]
    assert TEACHING_TEXT in note and "<h2>教学说明</h2>" in note and "<h2>案例故事</h2>" not in note


def test_hostile_markup_in_a_case_stays_text_in_handouts(project):
    path = project.cases_dir / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    hostile = "  <img src=x onerror=alert(1)> [点我](javascript:alert(1)) 米店老板在本子上"
    text = text.replace("title: 米店送米", 'title: "<script>alert(1)</script>米店"')
    path.write_text(text.replace("  米店老板在本子上", hostile), encoding="utf-8")
    page = _print_pages(project, "student")["cases/alpha.html"]
    assert "<script>alert" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;米店" in page


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The fixture library exported once with every PDF (skipped without Chromium)."""
    if chromium_path() is None:
        pytest.skip("no Chromium: PDF output cannot be produced here")
    project = copy_project(tmp_path_factory.mktemp("pdf") / "proj")
    assert main(["--root", str(project.root), "export"]) == 0
    return project


def test_pdfs_are_made_when_chromium_is_there(exported):
    pdfs = sorted(p.relative_to(exported.dist_dir).as_posix() for p in exported.dist_dir.rglob("*.pdf"))
    cases = ["cases/alpha.pdf", "cases/beta.pdf", "cases/gamma.pdf"]
    classroom = [name.replace("cases/", "classroom/") for name in cases]
    assert pdfs == sorted([*(f"pdf/student/{name}" for name in ["casebook.pdf", *cases, *classroom]),
                           *(f"pdf/trainer/{name}" for name in ["casebook-answers.pdf", "casebook.pdf", *cases,
                                                                "kits/alpha.pdf", "teaching/alpha.pdf"])])
    assert all((exported.dist_dir / p).read_bytes().startswith(b"%PDF") for p in pdfs)
    assert not list((exported.dist_dir / "print").rglob(".*.html"))  # the numbered pass leaves nothing


def utf16_hex(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def test_book_pdf_has_a_bookmark_per_case_on_its_first_page(exported):
    data = (exported.dist_dir / "pdf" / "student" / "casebook.pdf").read_bytes()
    assert re.search(rb"/Outlines \d+ 0 R", data)  # the catalog names an outline
    library, _ = load_library(exported)
    for case in library.cases.values():  # read straight from the bytes, not only through our parser
        assert b"/Title " + utf16_hex(case.title) in data, case.title
    outline = pdf_outline(data)
    # The book in reading order (the pinyin of the titles: jia, mai, mi).
    assert [title for title, _ in outline] == ["服务营销案例库", "家电企业的服务体系", "卖梳子的故事", "米店送米"]
    pages = [page for _, page in outline]
    assert pages[0] == 1 and pages == sorted(pages) and len(set(pages)) == 4  # each case on a new page


def pdf_text(path, page: int) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is needed to read the PDF's text")


@needs_pdftotext
def test_book_pdf_has_page_numbers_and_a_contents_with_them(exported):
    path = exported.dist_dir / "pdf" / "student" / "casebook.pdf"
    outline = pdf_outline(path.read_bytes())
    total = page_count(path.read_bytes())
    cover = pdf_text(path, 1)
    assert "第 1 页" not in cover  # the cover has no number
    for page in range(2, total + 1):
        assert re.search(rf"第 {page} 页，共 {total} 页\s*$", pdf_text(path, page)), page
    contents = [line for line in cover.splitlines() if re.match(r"\s*\d+\. ", line)]
    assert len(contents) == 3
    for line, (title, page) in zip(contents, outline[1:], strict=True):
        assert re.fullmatch(rf"\s*\d+\. {re.escape(title)}\s+{page}", line), line
        assert pdf_text(path, page).lstrip().startswith(title)  # the number is the case's first page


@needs_pdftotext
def test_single_case_handout_is_numbered_from_its_first_page(exported):
    path = exported.dist_dir / "pdf" / "student" / "cases" / "alpha.pdf"
    total = page_count(path.read_bytes())
    assert re.search(rf"第 1 页，共 {total} 页\s*$", pdf_text(path, 1))
    assert pdf_outline(path.read_bytes())[0][0] == "米店送米"


def test_contents_numbers_follow_the_bookmarks_in_order():
    cases = [SimpleNamespace(id="a", title="王永庆卖米"), SimpleNamespace(id="b", title="服务营销案例库"),
             SimpleNamespace(id="c", title="卖  梳子")]
    outline = [("服务营销案例库", 1), ("王永庆卖米", 2), ("服务营销案例库", 5), ("卖 梳子", 9)]
    assert printing.toc_page_numbers(cases, outline) == {"a": 2, "b": 5, "c": 9}
    assert printing.toc_page_numbers(cases, outline[:2]) == {"a": 2}


def minimal_pdf(outline_titles: list[bytes]) -> bytes:
    """A small PDF as Chromium writes them: a nested page tree and an outline with a Dest per entry."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Outlines 9 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 >>",
        3: b"<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 2 /Parent 2 0 R >>",
        4: b"<< /Type /Page /Parent 2 0 R >>",
        5: b"<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 8 0 R >> >> >>",
        6: b"<< /Type /Page /Parent 3 0 R >>",
    }
    first = 10
    for index, title in enumerate(outline_titles):
        number = first + index
        following = f"/Next {number + 1} 0 R " if index + 1 < len(outline_titles) else ""
        page = (5, 6, 4)[index % 3]
        objects[number] = (b"<< /Title " + title + f" /Dest [{page} 0 R /XYZ 0 800 0] /Parent 9 0 R "
                           f"{following}>>".encode())
    objects[9] = f"<< /Type /Outlines /First {first} 0 R /Count {len(outline_titles)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += (f"{offsets[number]:010d} 00000 n \n" if number in offsets else "0000000000 65535 f \n").encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_outline_reader_follows_page_tree_and_decodes_titles():
    data = minimal_pdf([utf16_hex("王永庆卖米"), b"(Plain \\(1\\) title)", utf16_hex("海底捞")])
    assert pdf_outline(data) == [("王永庆卖米", 1), ("Plain (1) title", 2), ("海底捞", 3)]
    assert page_count(data) == 3
    assert pdf_outline(b"%PDF-1.4 not really") == [] and page_count(b"") == 0


def test_without_chromium_export_says_how_to_get_pdfs(project, capsys, monkeypatch):
    monkeypatch.setattr(printing, "find_chromium", lambda: None)
    assert main(["--root", str(project.root), "export", "--pdf", "book"]) == 0
    err = capsys.readouterr().err
    assert "没有找到 Chromium，PDF 未生成" in err and "apt-get install chromium" in err
    assert not list(project.dist_dir.rglob("*.pdf"))
