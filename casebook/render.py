"""Render the library and its indexes into Markdown pages, through the Jinja2 templates.

`render_site` is pure: it returns {relative path: file content} for the generated folder and
touches no file; writer.py puts that on disk.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import jinja2

from . import markdown_text
from .catalogue import catalogue_script
from .formatdoc import field_rows
from .indexes import Indexes, cooccurrence
from .model import Case, Library
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


def front_matter(title: str, description: str = "") -> str:
    """YAML front matter; values are HTML-escaped because the theme prints them unescaped."""
    lines = ["---", f"title: {json.dumps(markdown_text.attribute(title), ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(markdown_text.attribute(description), ensure_ascii=False)}")
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


class _Pages:
    def __init__(self, env: jinja2.Environment, context: Mapping[str, object]) -> None:
        self.env = env
        self.context = context
        self.files: dict[str, str] = {}

    def add(self, target: str, template: str, title: str, description: str = "", /,
            **values: object) -> None:
        body = self.env.get_template(template).render(**self.context, **values)
        self.files[f"docs/{target}"] = markdown_text.tidy(front_matter(title, description) + body)


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
    }
    pages = _Pages(env, context)
    pages.add("index.md", "home.md.j2", "首页", "服务营销案例库：销售与服务培训用的案例、原则和方法")
    pages.add("cases/index.md", "cases_index.md.j2", "案例目录")
    for case in library.cases.values():
        pages.add(f"cases/{case.id}.md", "case.md.j2", case.title, case.summary, case=case)
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
