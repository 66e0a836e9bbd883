"""Render the library and its indexes into Markdown pages, through the Jinja2 templates.

`render_site` is pure: it returns {relative path: file content} for the generated folder and
touches no file; writer.py puts that on disk.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any

import jinja2

from . import markdown_text
from .catalogue import catalogue_script
from .formatdoc import field_rows
from .indexes import Indexes, cooccurrence
from .model import Case, Library
from .parallel import gc_paused, map_chunks
from .schema import TERM_GROUPS
from .search import index_files as search_index_files

# Reading speed used for "阅读时间": Chinese adult readers manage roughly 300–500 characters a
# minute for study material; 400 is the usual middle estimate.
CHARS_PER_MINUTE = 400

GROUP_TITLES = {**TERM_GROUPS, "frameworks": "方法与框架", "paths": "学习路径", "cases": "案例"}


class _TemplateContext(jinja2.runtime.Context):
    """Jinja's template context, calling plain functions and methods without re-inspecting them.

    Jinja checks every call a template makes for `pass_context`-style markers, through failing
    attribute look-ups (about 1.7 µs a call, a fifth of the rendering time: a case page calls the
    Links helpers some fifty times). A Python function or method without a marker is called
    here just as Jinja would call it; anything else goes through Jinja's own checks.
    """

    @jinja2.utils.internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # Jinja's argument names
        func = __obj.__func__ if type(__obj) is MethodType else __obj
        if type(func) is not FunctionType or hasattr(func, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return __self.environment.undefined("value was undefined because a callable raised a "
                                                "StopIteration exception")


class _Environment(jinja2.Environment):
    context_class = _TemplateContext


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=False,  # the output is Markdown: escaping is done by explicit filters
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # `{#id}` is Markdown's attribute syntax for heading anchors, so comments use `{## ##}`.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["md"] = markdown_text.inline
    env.filters["mdblock"] = markdown_text.block
    env.filters["attr"] = markdown_text.attribute
    env.filters["excerpt"] = markdown_text.excerpt
    env.filters["url"] = markdown_text.safe_url
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


def reading_minutes(case: Case) -> int:
    parts = [case.summary, case.story, case.analysis, *case.stages.values(), *case.takeaways]
    parts += [q.question + q.answer for q in case.questions]
    chars = sum(len(p) for p in parts)
    return max(1, round(chars / CHARS_PER_MINUTE))


# Pages made only of lists of other pages: kept out of the search index (each case is found on its
# own page), which keeps the index, and the browser's work building it, in step with the content.
SEARCH_EXCLUDED = {"cases/index.md", "overview/matrices.md", "overview/coverage.md"}


def front_matter(title: str, description: str = "", search_exclude: bool = False) -> str:
    """YAML front matter; values are HTML-escaped because the theme prints them unescaped."""
    lines = ["---", f"title: {json.dumps(markdown_text.attribute(title), ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(markdown_text.attribute(description), ensure_ascii=False)}")
    if search_exclude:
        lines.append("search:\n  exclude: true")
    lines.append("---")
    return "\n".join(lines) + "\n"


class Links:
    """Markdown links to pages, built once per target: templates call these in their hottest loops."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._cache: dict[tuple[str, ...], str] = {}

    # Each helper looks its link up first and builds it only once; written out rather than
    # through a shared helper taking a lambda, which would cost a closure on every call.
    def term(self, group: str, key: str, base: str = "../") -> str:
        link = self._cache.get(("t", group, key, base))
        if link is None:
            name = markdown_text.inline(self.library.taxonomy.term(group, key).name)
            link = self._cache["t", group, key, base] = f"[{name}]({base}{group}/{key}.md)"
        return link

    def case(self, case_id: str, base: str = "../") -> str:
        link = self._cache.get(("c", case_id, base))
        if link is None:
            title = markdown_text.inline(self.library.cases[case_id].title)
            link = self._cache["c", case_id, base] = f"[{title}]({base}cases/{case_id}.md)"
        return link

    def framework(self, key: str, base: str = "../") -> str:
        link = self._cache.get(("f", key, base))
        if link is None:
            name = markdown_text.inline(self.library.frameworks[key].name)
            link = self._cache["f", key, base] = f"[{name}]({base}frameworks/{key}.md)"
        return link

    def path(self, key: str, base: str = "../") -> str:
        link = self._cache.get(("p", key, base))
        if link is None:
            name = markdown_text.inline(self.library.paths[key].name)
            link = self._cache["p", key, base] = f"[{name}]({base}paths/{key}.md)"
        return link

    def terms_of(self, case: Case, group: str, base: str = "../") -> str:
        """The case's terms of a group, in taxonomy order, as links joined by 、."""
        notes = case.notes_for(group)
        return "、".join(self.term(group, k, base) for k in self.library.taxonomy.keys(group) if k in notes)

    # Raw HTML links, for the big generated tables: Python-Markdown passes an HTML block through
    # untouched, which keeps pages that list every case fast to build at thousands of cases.
    def case_html(self, case_id: str, base: str = "../") -> str:
        link = self._cache.get(("ch", case_id, base))
        if link is None:
            title = markdown_text.attribute(self.library.cases[case_id].title)
            link = self._cache["ch", case_id, base] = f'<a href="{base}cases/{case_id}.html">{title}</a>'
        return link

    def term_html(self, group: str, key: str, base: str = "../") -> str:
        link = self._cache.get(("th", group, key, base))
        if link is None:
            name = markdown_text.attribute(self.library.taxonomy.term(group, key).name)
            link = self._cache["th", group, key, base] = f'<a href="{base}{group}/{key}.html">{name}</a>'
        return link

    def terms_of_html(self, case: Case, group: str, base: str = "../") -> str:
        notes = case.notes_for(group)
        return "、".join(self.term_html(group, k, base) for k in self.library.taxonomy.keys(group) if k in notes)

    REASON_VERBS = (("principles", "同样体现"), ("strategies", "同样运用"), ("frameworks", "同样应用"),
                    ("stages", "同样涉及"))

    def reason(self, shared: Mapping[str, Sequence[str]], base: str = "../") -> str:
        """Why a computed related case is suggested: the terms both share, as links."""
        def link(group: str, key: str) -> str:
            return self.framework(key, base) if group == "frameworks" else self.term(group, key, base)

        return "；".join(f"{verb} " + "、".join(link(group, k) for k in shared[group])
                        for group, verb in self.REASON_VERBS if group in shared)

    @staticmethod
    def kind(case: Case) -> str:
        return "教学故事" if case.is_parable else "真实案例"


@dataclass(frozen=True)
class PageSpec:
    """One generated page: where it goes, its template, its front matter and template values."""

    target: str
    template: str
    title: str
    description: str = ""
    values: Mapping[str, object] = field(default_factory=dict)
    cost: float = 1.0  # estimated rendering time, in case pages: balances the workers' shares


class _Pages:
    def __init__(self, env: jinja2.Environment, context: Mapping[str, object]) -> None:
        self.env = env
        self.context = context
        self.templates: dict[str, jinja2.Template] = {}

    def template(self, name: str) -> jinja2.Template:
        # Looked up once: the environment's own lookup checks the file's age on every call.
        found = self.templates.get(name)
        if found is None:
            found = self.templates[name] = self.env.get_template(name)
        return found

    def render(self, spec: PageSpec) -> tuple[str, str]:
        body = self.template(spec.template).render(**self.context, **spec.values)
        head = front_matter(spec.title, spec.description, search_exclude=spec.target in SEARCH_EXCLUDED)
        return f"docs/{spec.target}", markdown_text.tidy(head + body)


@dataclass(frozen=True)
class _File:
    """One generated file still to make, and its estimated cost (in case pages) for balancing."""

    make: Callable[[], tuple[str, str] | list[tuple[str, str]]]  # -> (path in the generated folder, content)
    cost: float


_ACTIVE_FILES: list[_File] | None = None  # what forked workers inherit


def _make_files(indices: Sequence[int]) -> list[tuple[str, str]]:
    assert _ACTIVE_FILES is not None
    made: list[tuple[str, str]] = []
    for index in indices:
        result = _ACTIVE_FILES[index].make()
        made.extend(result if isinstance(result, list) else [result])
    return made


# Rendering time relative to a case page (measured): per case listed on a term page (a stage
# page shows each case's text for that stage, the others a table row), per case of the library
# for the matrices and the catalogue data.
LISTED_CASE_COST = {"stages": 0.035, "frameworks": 0.025}
LISTED_CASE_COST_DEFAULT = 0.018
MATRIX_COST_PER_CASE = 0.1
CATALOGUE_COST_PER_CASE = 0.07
SEARCH_INDEX_COST_PER_CASE = 1.3


def page_specs(library: Library, indexes: Indexes) -> list[PageSpec]:
    """Every page of the site, in the order of the generated folder's listing."""
    taxonomy = library.taxonomy
    size = len(library.cases)
    specs = [
        PageSpec("index.md", "home.md.j2", "首页", "服务营销案例库：销售与服务培训用的案例、原则和方法"),
        PageSpec("cases/index.md", "cases_index.md.j2", "案例目录"),
    ]
    specs += [PageSpec(f"cases/{case.id}.md", "case.md.j2", case.title, case.summary, {"case": case})
              for case in library.cases.values()]
    for group, terms in taxonomy.groups.items():
        specs.append(PageSpec(f"{group}/index.md", "term_index.md.j2", GROUP_TITLES[group], values={"group": group}))
        per_case = LISTED_CASE_COST.get(group, LISTED_CASE_COST_DEFAULT)
        for term in terms.values():
            case_ids = indexes.by_term[group].get(term.key, [])
            specs.append(PageSpec(f"{group}/{term.key}.md", "term.md.j2", term.name, term.definition,
                                  {"group": group, "term": term, "case_ids": case_ids},
                                  cost=1 + per_case * len(case_ids)))
    specs.append(PageSpec("frameworks/index.md", "frameworks_index.md.j2", GROUP_TITLES["frameworks"]))
    for framework in library.frameworks.values():
        case_ids = indexes.by_term["frameworks"].get(framework.key, [])
        specs.append(PageSpec(f"frameworks/{framework.key}.md", "framework.md.j2", framework.name,
                              framework.summary, {"framework": framework, "case_ids": case_ids},
                              cost=1 + LISTED_CASE_COST["frameworks"] * len(case_ids)))
    specs.append(PageSpec("guide/format.md", "format.md.j2", "案例格式说明", values={"rows": field_rows()}))
    principle_stage = cooccurrence(indexes, "principles", "stages")
    strategy_stage = cooccurrence(indexes, "strategies", "stages")
    specs.append(PageSpec("overview/matrices.md", "matrices.md.j2", "案例矩阵",
                          values={"principle_stage": principle_stage}, cost=MATRIX_COST_PER_CASE * size))
    empty_pairs = sum(1 for row in strategy_stage.values() for ids in row.values() if not ids)
    specs.append(PageSpec("overview/coverage.md", "coverage.md.j2", "覆盖情况",
                          values={"strategy_stage": strategy_stage, "empty_pairs": empty_pairs},
                          cost=MATRIX_COST_PER_CASE / 4 * size))
    specs.append(PageSpec("paths/index.md", "paths_index.md.j2", GROUP_TITLES["paths"]))
    specs += [PageSpec(f"paths/{path.key}.md", "path.md.j2", path.name, path.summary, {"path": path})
              for path in library.paths.values()]
    return specs


@gc_paused()
def render_site(library: Library, indexes: Indexes, templates_dir: Path,
                extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every generated file, keyed by its path inside the generated folder."""
    env = make_environment(templates_dir)
    context = {
        "library": library,
        "cases": library.cases,
        "taxonomy": library.taxonomy,
        "indexes": indexes,
        "group_titles": GROUP_TITLES,
        "term_groups": list(TERM_GROUPS),
        "reading_minutes": reading_minutes,
        "links": Links(library),
    }
    pages = _Pages(env, context)
    size = len(library.cases)
    # Pages and data files alike are shared out between the cores in one go, each process
    # compiling the templates its share uses.
    todo = [_File(partial(pages.render, spec), spec.cost) for spec in page_specs(library, indexes)]
    todo.append(_File(lambda: search_index_files(library), SEARCH_INDEX_COST_PER_CASE * size))
    todo.append(_File(lambda: ("docs/assets/catalogue-data.js", catalogue_script(library)),
                      CATALOGUE_COST_PER_CASE * size))
    global _ACTIVE_FILES
    _ACTIVE_FILES = todo
    try:
        files = dict(map_chunks(_make_files, range(len(todo)), weights=[item.cost for item in todo]))
    finally:
        _ACTIVE_FILES = None
    for name, content in (extra or {}).items():
        files[name] = content
    return files
