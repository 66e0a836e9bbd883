"""`export`: the offline zip, the printable handouts and their PDFs."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from browser import chromium_path

from casebook import printing
from casebook.cli import main
from casebook.editions import EDITIONS, for_edition
from casebook.indexes import build_indexes
from casebook.load import load_library

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
    for name in ("index.html", "search/search_index.js", "assets/vendor/iframe-worker/shim.js",
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
    err = capsys.readouterr().err
    assert "解压后双击 casebook-student-offline/index.html" in err
    assert "解压后双击 casebook-trainer-offline/index.html" in err


def _print_pages(project, edition: str):
    library, _ = load_library(project)
    library = for_edition(library, EDITIONS[edition])
    return printing.render_print_pages(library, build_indexes(library), project.templates_dir, EDITIONS[edition])


def test_handouts_hide_or_show_answers_by_choice(project):
    pages = _print_pages(project, "student")
    assert sorted(pages) == ["casebook.html", "cases/alpha.html", "cases/beta.html", "cases/gamma.html"]
    trainer_pages = _print_pages(project, "trainer")
    assert sorted(trainer_pages) == ["casebook-answers.html", "casebook.html", "cases/alpha.html", "cases/beta.html",
                                     "cases/gamma.html", "teaching/alpha.html"]
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


def test_pdfs_are_made_when_chromium_is_there(project, capsys):
    if chromium_path() is None:
        pytest.skip("no Chromium: PDF output cannot be produced here")
    assert main(["--root", str(project.root), "export"]) == 0
    pdfs = sorted(p.relative_to(project.dist_dir).as_posix() for p in project.dist_dir.rglob("*.pdf"))
    cases = ["cases/alpha.pdf", "cases/beta.pdf", "cases/gamma.pdf"]
    assert pdfs == sorted([*(f"pdf/student/{name}" for name in ["casebook.pdf", *cases]),
                           *(f"pdf/trainer/{name}" for name in ["casebook-answers.pdf", "casebook.pdf", *cases,
                                                                "teaching/alpha.pdf"])])
    assert all((project.dist_dir / p).read_bytes().startswith(b"%PDF") for p in pdfs)


def test_without_chromium_export_says_how_to_get_pdfs(project, capsys, monkeypatch):
    monkeypatch.setattr(printing, "find_chromium", lambda: None)
    assert main(["--root", str(project.root), "export", "--pdf", "book"]) == 0
    err = capsys.readouterr().err
    assert "没有找到 Chromium，PDF 未生成" in err and "apt-get install chromium" in err
    assert not list(project.dist_dir.rglob("*.pdf"))
