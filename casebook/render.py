"""Render the library and its indexes into Markdown pages, through the Jinja2 templates.

`render_site` is pure: it returns {relative path: file content} for the generated folder and
touches no file; writer.py puts that on disk.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import jinja2

from . import markdown_text
from .catalogue import catalogue_script
from .formatdoc import field_rows
from .indexes import Indexes, cooccurrence
from .model import Case, Library
from .parallel import map_chunks
from .schema import TERM_GROUPS

# Reading speed used for "阅读时间": Chinese adult readers manage roughly 300–500 characters a
# minute for study material; 400 is the usual middle estimate.
CHARS_PER_MINUTE = 400

GROUP_TITLES = {**TERM_GROUPS, "frameworks": "方法与框架", "paths": "学习路径", "cases": "案例"}


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
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


def jieba_user_dictionary(library: Library) -> str:
    """Names trainees type whole (case titles, companies, terms) so jieba keeps them whole."""
    words: set[str] = set()

    def add(text: str) -> None:
        for word in text.replace("“", " ").replace("”", " ").replace("、", " ").split():
            if 1 < len(word) <= 20 and any("\u4e00" <= ch <= "\u9fff" for ch in word):
                words.add(word)

    for case in library.cases.values():
        add(case.title)
        add(case.company)
    for terms in library.taxonomy.groups.values():
        for term in terms.values():
            add(term.name)
    for framework in library.frameworks.values():
        add(framework.name)
    for path in library.paths.values():
        add(path.name)
    return "".join(f"{word}\n" for word in sorted(words))


class Links:
    """Markdown links to pages, built once per target: templates call these in their hottest loops."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._cache: dict[tuple[str, ...], str] = {}

    def _get(self, key: tuple[str, ...], make) -> str:
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = make()
        return value

    def term(self, group: str, key: str, base: str = "../") -> str:
        return self._get(("t", group, key, base), lambda: (
            f"[{markdown_text.inline(self.library.taxonomy.term(group, key).name)}]({base}{group}/{key}.md)"))

    def case(self, case_id: str, base: str = "../") -> str:
        return self._get(("c", case_id, base), lambda: (
            f"[{markdown_text.inline(self.library.cases[case_id].title)}]({base}cases/{case_id}.md)"))

    def framework(self, key: str, base: str = "../") -> str:
        return self._get(("f", key, base), lambda: (
            f"[{markdown_text.inline(self.library.frameworks[key].name)}]({base}frameworks/{key}.md)"))

    def path(self, key: str, base: str = "../") -> str:
        return self._get(("p", key, base), lambda: (
            f"[{markdown_text.inline(self.library.paths[key].name)}]({base}paths/{key}.md)"))

    def terms_of(self, case: Case, group: str, base: str = "../") -> str:
        """The case's terms of a group, in taxonomy order, as links joined by 、."""
        notes = case.notes_for(group)
        return "、".join(self.term(group, k, base) for k in self.library.taxonomy.keys(group) if k in notes)

    # Raw HTML links, for the big generated tables: Python-Markdown passes an HTML block through
    # untouched, which keeps pages that list every case fast to build at thousands of cases.
    def case_html(self, case_id: str, base: str = "../") -> str:
        return self._get(("ch", case_id, base), lambda: (
            f'<a href="{base}cases/{case_id}.html">{markdown_text.attribute(self.library.cases[case_id].title)}</a>'))

    def term_html(self, group: str, key: str, base: str = "../") -> str:
        return self._get(("th", group, key, base), lambda: (
            f'<a href="{base}{group}/{key}.html">'
            f"{markdown_text.attribute(self.library.taxonomy.term(group, key).name)}</a>"))

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


class _Pages:
    def __init__(self, env: jinja2.Environment, context: Mapping[str, object]) -> None:
        self.env = env
        self.context = context
        self.files: dict[str, str] = {}

    def add(self, target: str, template: str, title: str, description: str = "", /,
            **values: object) -> None:
        body = self.env.get_template(template).render(**self.context, **values)
        head = front_matter(title, description, search_exclude=target in SEARCH_EXCLUDED)
        self.files[f"docs/{target}"] = markdown_text.tidy(head + body)


_ACTIVE_PAGES: _Pages | None = None  # what forked workers inherit


def _render_case_chunk(case_ids: Sequence[str]) -> list[tuple[str, str]]:
    """Case pages are nine in ten of all pages: rendered in chunks, on every core."""
    assert _ACTIVE_PAGES is not None
    pages = _Pages(_ACTIVE_PAGES.env, _ACTIVE_PAGES.context)
    cases = _ACTIVE_PAGES.context["cases"]
    for case_id in case_ids:
        case = cases[case_id]
        pages.add(f"cases/{case.id}.md", "case.md.j2", case.title, case.summary, case=case)
    return list(pages.files.items())


def render_site(library: Library, indexes: Indexes, templates_dir: Path,
                extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every generated file, keyed by its path inside the generated folder."""
    env = make_environment(templates_dir)
    taxonomy = library.taxonomy
    context = {
        "library": library,
        "cases": library.cases,
        "taxonomy": taxonomy,
        "indexes": indexes,
        "group_titles": GROUP_TITLES,
        "term_groups": list(TERM_GROUPS),
        "reading_minutes": reading_minutes,
        "links": Links(library),
    }
    pages = _Pages(env, context)
    pages.add("index.md", "home.md.j2", "首页", "服务营销案例库：销售与服务培训用的案例、原则和方法")
    pages.add("cases/index.md", "cases_index.md.j2", "案例目录")
    global _ACTIVE_PAGES
    _ACTIVE_PAGES = pages
    pages.files.update(map_chunks(_render_case_chunk, list(library.cases)))
    for group, terms in taxonomy.groups.items():
        pages.add(f"{group}/index.md", "term_index.md.j2", GROUP_TITLES[group], group=group)
        for term in terms.values():
            pages.add(f"{group}/{term.key}.md", "term.md.j2", term.name, term.definition,
                      group=group, term=term, case_ids=indexes.by_term[group].get(term.key, []))
    pages.add("frameworks/index.md", "frameworks_index.md.j2", GROUP_TITLES["frameworks"])
    for framework in library.frameworks.values():
        pages.add(f"frameworks/{framework.key}.md", "framework.md.j2", framework.name,
                  framework.summary, framework=framework,
                  case_ids=indexes.by_term["frameworks"].get(framework.key, []))
    pages.add("guide/format.md", "format.md.j2", "案例格式说明", rows=field_rows())
    principle_stage = cooccurrence(indexes, "principles", "stages")
    strategy_stage = cooccurrence(indexes, "strategies", "stages")
    pages.add("overview/matrices.md", "matrices.md.j2", "案例矩阵", principle_stage=principle_stage)
    pages.add("overview/coverage.md", "coverage.md.j2", "覆盖情况", strategy_stage=strategy_stage,
              empty_pairs=sum(1 for row in strategy_stage.values() for ids in row.values() if not ids))
    pages.add("paths/index.md", "paths_index.md.j2", GROUP_TITLES["paths"])
    for path in library.paths.values():
        pages.add(f"paths/{path.key}.md", "path.md.j2", path.name, path.summary, path=path)
    files = dict(pages.files)
    files["jieba_userdict.txt"] = jieba_user_dictionary(library)
    files["docs/assets/catalogue-data.js"] = catalogue_script(library)
    for name, content in (extra or {}).items():
        files[name] = content
    return files
