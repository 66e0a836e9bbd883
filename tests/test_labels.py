"""Each label is declared once (issue 19): group titles and term verbs in casebook/content/labels.py,
section headings in the schema's field titles; mkdocs.yml and the templates take them from there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from casebook.content.labels import GROUPS, TERM_VERBS
from casebook.content.load import load_library
from casebook.content.schema import CASE, TEACHING
from casebook.index.indexes import build_indexes
from casebook.render import sections
from casebook.render.pages import page_specs

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold MkDocs' own tags (!ENV, !!python/name): read them as plain values."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _nav_pages(items: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for item in items or []:
        if isinstance(item, dict):
            for title, target in item.items():
                if isinstance(target, str):
                    found.append((title, target))
                else:
                    found += _nav_pages(target)
    return found


def test_mkdocs_nav_titles_are_the_groups_titles() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    by_target = {target: title for title, target in _nav_pages(config["nav"])}
    checked = 0
    for key, group in GROUPS.items():
        target = f"{key}/index.md"
        if key == "cases" or target not in by_target:  # the case list's tab is 案例目录, a page title
            continue
        assert by_target[target] == group.title, (target, by_target[target], group.title)
        checked += 1
    # the tabs of the taxonomy's four groups, the frameworks and the paths
    assert checked == 6, by_target


# Labels that only labels.py declares: the distinctive group titles and the verbs of "本案例如何…".
DECLARED = [g.title for g in GROUPS.values() if len(g.title) > 2] + list(TERM_VERBS.values())


def test_no_template_restates_a_group_title_or_a_term_verb() -> None:
    assert "服务原则" in DECLARED and "体现" in DECLARED  # the list is not empty by mistake
    restated = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # Jinja comments may name a label to say why
            text = re.sub(r"\{##.*?##\}", "", line)
            restated += [f"{path.relative_to(ROOT)}:{number}: {label}" for label in DECLARED if label in text]
    assert not restated, "\n".join(restated)


def test_section_headings_are_the_schemas_field_titles() -> None:
    fields = set(CASE.names)
    shown = [s for s in sections.CASE_SECTIONS if s.anchor in fields]
    assert len(shown) >= 12
    for section in shown:
        spec = CASE.get(section.anchor)
        assert spec is not None and section.heading == spec.title, section.anchor
    paths = next(s for s in sections.CASE_SECTIONS if s.anchor == "paths")
    assert paths.heading == GROUPS["paths"].title
    for _, name in sections._TEACHING_PARTS:
        assert TEACHING.get(name) is not None, name  # every part shows a field of the schema


def test_related_reasons_take_the_verbs_from_labels() -> None:
    assert dict(sections.CaseRenderer.REASON_VERBS) == {g: f"同样{v}" for g, v in TERM_VERBS.items()}


def test_mkdocs_nav_titles_are_the_pages_titles(project) -> None:
    """Every page the nav names is titled as its page spec says (案例目录, 案例矩阵, the groups…)."""
    library, report = load_library(project)
    assert report.errors == []
    titles = {spec.target: spec.title for spec in page_specs(library, build_indexes(library))}
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    nav = _nav_pages(config["nav"])
    assert len(nav) >= 9
    for title, target in nav:
        assert titles[target] == title, (target, title, titles[target])
