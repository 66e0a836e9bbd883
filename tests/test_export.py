"""`export`: the offline zip, the printable handouts and their PDFs."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from browser import chromium_path

from casebook import printing
from casebook.cli import main
from casebook.load import load_library

pytestmark = pytest.mark.slow


def test_zip_holds_site_and_handouts_and_is_reproducible(project, capsys):
    assert main(["--root", str(project.root), "export", "--pdf", "none"]) == 0
    zip_path = project.dist_dir / "casebook-offline.zip"
    names = zipfile.ZipFile(zip_path).namelist()
    for name in ("casebook-offline/index.html", "casebook-offline/search/meta.js",
                 "casebook-offline/search/p/0.js", "casebook-offline/search/t/0.js",
                 "casebook-offline/assets/search.js",
                 "casebook-offline/assets/catalogue-data.js", "casebook-offline/cases/alpha.html",
                 "casebook-offline/print/casebook.html", "casebook-offline/print/cases/beta.html"):
        assert name in names, name
    first = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert main(["--root", str(project.root), "export", "--pdf", "none"]) == 0
    assert hashlib.sha256(zip_path.read_bytes()).hexdigest() == first
    assert "解压后双击 casebook-offline/index.html" in capsys.readouterr().err


def test_handouts_hide_or_show_answers_by_choice(project):
    library, _ = load_library(project)
    pages = printing.render_print_pages(library, project.templates_dir)
    assert sorted(pages) == ["casebook-answers.html", "casebook.html", "cases/alpha.html", "cases/beta.html",
                             "cases/gamma.html"]
    student, trainer = pages["casebook.html"], pages["casebook-answers.html"]
    assert '<body class="without-answers">' in student and '<body class="with-answers">' in trainer
    assert ".without-answers .answer { display: none; }" in student
    assert student.count('<article class="case"') == 3
    handout = pages["cases/alpha.html"]
    assert "<li>清洗米缸</li>" in handout  # Markdown fields rendered
    assert "<nav" not in handout and "search" not in handout.lower()


def test_hostile_markup_in_a_case_stays_text_in_handouts(project):
    path = project.cases_dir / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    hostile = "  <img src=x onerror=alert(1)> [点我](javascript:alert(1)) 米店老板在本子上"
    text = text.replace("title: 米店送米", 'title: "<script>alert(1)</script>米店"')
    path.write_text(text.replace("  米店老板在本子上", hostile), encoding="utf-8")
    library, report = load_library(project)
    assert report.errors == []
    page = printing.render_print_pages(library, project.templates_dir)["cases/alpha.html"]
    assert "<script>alert" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;米店" in page


def test_pdfs_are_made_when_chromium_is_there(project, capsys):
    if chromium_path() is None:
        pytest.skip("no Chromium: PDF output cannot be produced here")
    assert main(["--root", str(project.root), "export"]) == 0
    pdfs = sorted(p.relative_to(project.dist_dir).as_posix() for p in project.dist_dir.rglob("*.pdf"))
    assert pdfs == ["pdf/casebook-answers.pdf", "pdf/casebook.pdf", "pdf/cases/alpha.pdf", "pdf/cases/beta.pdf",
                    "pdf/cases/gamma.pdf"]
    assert all((project.dist_dir / p).read_bytes().startswith(b"%PDF") for p in pdfs)


def test_without_chromium_export_says_how_to_get_pdfs(project, capsys, monkeypatch):
    monkeypatch.setattr(printing, "find_chromium", lambda: None)
    assert main(["--root", str(project.root), "export", "--pdf", "book"]) == 0
    err = capsys.readouterr().err
    assert "没有找到 Chromium，PDF 未生成" in err and "apt-get install chromium" in err
    assert not list(project.dist_dir.rglob("*.pdf"))
