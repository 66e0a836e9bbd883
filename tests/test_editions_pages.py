"""Each edition holds what its readers need: the format and coverage pages (authoring and
preparation) are the trainer edition's; no student page speaks of build.py, schema.py or a YAML
field of the case format; the navigation of each edition lists only pages it has."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT

from casebook.content import schema
from casebook.content.editions import EDITIONS, TRAINER_TOOL_PAGES
from casebook.content.fieldtypes import ListOf, Record, RefMap
from casebook.content.load import load_library
from casebook.index.indexes import build_indexes
from casebook.project import Project
from casebook.render.pages import render_site
from casebook.site.build import edition_settings


def field_names(record: Record) -> set[str]:
    """Every field name of the case format, nested records included (the schema is the source)."""
    names = set()
    for spec in record.fields:
        names.add(spec.name)
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, RefMap):
            continue
        if isinstance(inner, Record):
            names |= field_names(inner)
    return names


@pytest.fixture(scope="module")
def editions() -> dict[str, dict[str, str]]:
    library, report = load_library(Project(ROOT))
    assert report.errors == []
    indexes = build_indexes(library)
    return {key: {name: content for name, content in
                  render_site(library, indexes, ROOT / "templates", edition=edition).items()
                  if isinstance(content, str)}
            for key, edition in EDITIONS.items()}


def body(content: str) -> str:
    """A generated page without its front matter (whose keys are MkDocs', not the case format's)."""
    return content.split("\n---\n", 1)[1] if content.startswith("---\n") else content


def test_the_schema_walk_finds_nested_fields():
    names = field_names(schema.CASE)
    assert {"kind", "teaching", "observer_checklist", "board_plan", "answer"} <= names, names


def test_no_student_page_speaks_of_the_authoring_tools(editions):
    names = field_names(schema.CASE)
    # A field name as a YAML key ("kind:"), or any name that is plainly an identifier (board_plan).
    # (Not "file://" nor "file:" in a script.)
    key = re.compile(r"(?<![\w-])(" + "|".join(sorted(names, key=len, reverse=True)) + r')\s*:(?![/"])')
    identifiers = [*sorted(n for n in names if "_" in n), "teaching"]
    found = []
    for name, content in editions["student"].items():
        if not name.endswith(".md"):
            continue
        text = body(content).replace("\\_", "_")  # Markdown escapes an underscore
        found += [f"{name}: {word}" for word in ("build.py", "schema.py", *identifiers) if word in text]
        found += [f"{name}: {m.group(0)}" for m in key.finditer(text)]
    assert found == []
    # The test can fail: the trainer edition's format page is full of them.
    format_page = body(editions["trainer"]["docs/guide/format.md"])
    assert "build.py" in format_page and "board_plan" in format_page
    assert key.search("寓言类故事用 `kind: parable`") and not key.search('location.protocol === "file:"')


def test_authoring_and_preparation_pages_are_the_trainer_editions(editions):
    for _, page in TRAINER_TOOL_PAGES:
        assert f"docs/{page}" in editions["trainer"]
        assert f"docs/{page}" not in editions["student"]


@pytest.mark.parametrize("key", list(EDITIONS))
def test_each_editions_navigation_lists_only_its_own_pages(editions, key):
    raw = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    project = Project(ROOT, edition=key)
    nav = edition_settings(project, raw["site_name"], raw["nav"]).get("nav", raw["nav"])

    def pages(items):
        for item in items:
            for value in item.values():
                yield from ([value] if isinstance(value, str) else pages(value))

    listed = list(pages(nav))
    assert all(f"docs/{page}" in editions[key] for page in listed), listed
    tools = [page for _, page in TRAINER_TOOL_PAGES]
    assert (set(tools) <= set(listed)) == EDITIONS[key].teaching
