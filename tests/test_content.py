"""The bundled library itself: it passes check with no warnings, and its schema file is fresh."""

from __future__ import annotations

from conftest import ROOT

from casebook.jsonschema import render_json_schema
from casebook.load import load_library
from casebook.project import Project

ISSUE_CASES = {"rice-seller", "ikea", "huawei", "haier", "haier-channels", "jinri", "faw-jiefang",
               "fishhook", "plum-buyer", "comb-seller", "china-mobile", "yashili", "lubricants",
               "jiren-lezhuang", "xinri", "office-furniture"}
PARABLES = {"fishhook", "plum-buyer", "comb-seller"}


def test_bundled_library_is_clean():
    library, report = load_library(Project(ROOT))
    assert [d.text() for d in report.items] == []
    assert set(library.cases) >= ISSUE_CASES
    assert {cid for cid, c in library.cases.items() if c.is_parable} == PARABLES


def test_schema_file_is_up_to_date():
    library, _ = load_library(Project(ROOT))
    current = (ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8")
    assert current == render_json_schema(library), "run `python build.py schema` and commit the result"
