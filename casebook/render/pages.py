"""Render the library and its indexes into Markdown pages, through the Jinja2 templates.

`render_site` is pure: it returns {relative path: file content} for the generated folder and
touches no file; writer.py puts that on disk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from casebook.content.citations import numbers as cited_numbers
from casebook.content.editions import (
    EDITIONS,
    LENGTH_BUCKETS,
    PREP_PAGE,
    PREP_TITLE,
    Edition,
    course_minutes,
    for_edition,
    length_bucket,
    session_minutes,
    session_plan,
    session_plans,
)
from casebook.content.labels import GROUP_TITLES, QUESTION_PHASES, TERM_VERBS
from casebook.content.model import Case, Entity, Library
from casebook.content.schema import CASE, CASE_KINDS, COURSE, TERM_GROUPS
from casebook.digest import Carried, files_digest, package_digest, value_digest
from casebook.index.indexes import Indexes, cooccurrence
from casebook.index.order import in_reading_order
from casebook.parallel import gc_paused, map_chunks
from casebook.render import citations, markdown_text, urls
from casebook.render.catalogue import catalogue_script
from casebook.render.formatdoc import field_rows
from casebook.render.kept import KEPT, Kept
from casebook.render.links import PageLinks
from casebook.render.markup import to_html
from casebook.render.search import IndexState, build_index
from casebook.render.sections import (
    SECTION_ANCHORS,
    CaseRenderer,
    PageData,
    kind_label,
    make_html_environment,
    reading_minutes,
)


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=False,  # the output is Markdown: escaping is done by explicit filters
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are read once per build: no file check on every lookup
        trim_blocks=True,
        lstrip_blocks=True,
        # `{#id}` is Markdown's attribute syntax for heading anchors, so comments use `{## ##}`.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["md"] = markdown_text.inline
    env.filters["html"] = to_html  # a Markdown field, as sanitised HTML blocks
    env.filters["attr"] = markdown_text.attribute
    env.filters["excerpt"] = markdown_text.excerpt
    env.filters["url"] = markdown_text.safe_url
    env.filters["source"] = markdown_text.without_file_names
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    env.filters["cite"] = cite
    return env


_ESCAPES: dict[str, Callable[[str], str]] = {
    "md": markdown_text.inline, "html": to_html, "attr": markdown_text.attribute,
    "text": markdown_text.attribute}


def cite(text: str, case: Case, how: str = "md", base: str = "../") -> str:
    """A case's text on a page other than its own, escaped as `how` says (the `md`, `html`
    or `attr` filter), each citation `[@key]` a link `[N]` to the entry on the case's page
    ("text": plain "[N]", for attributes such as a title)."""
    marked = citations.mark(str(text), case)
    escaped = _ESCAPES[how](marked)
    if how == "text" or marked is text:
        return citations.unmark(escaped)
    if how in ("attr", "html"):  # HTML: the links are made after the sanitiser, from the numbers only
        return str(citations.links(escaped, lambda n: urls.html_href("cases", case.id, base, citations.anchor(n))))
    return citations.MARKED.sub(
        lambda m: f"[\\[{m.group(1)}\\]]({urls.md_href('cases', case.id, base, citations.anchor(int(m.group(1))))})",
        escaped)


# Pages made only of lists of other pages: kept out of the search index (each case is found on its
# own page), which keeps the index, and the browser's work building it, in step with the content.
SEARCH_EXCLUDED = {urls.source("cases"), urls.MATRICES, urls.COVERAGE, urls.NOT_FOUND}


# Characters YAML does not allow in a document, even quoted (C1 controls but NEL, non-characters):
# one in front matter makes MkDocs read the front matter as the page's Markdown, links and all.
_NOT_YAML = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _yaml_string(value: str) -> str:
    """A JSON string (YAML's double-quoted style) with the characters YAML refuses escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def front_matter(title: str, description: str = "", search_exclude: bool = False) -> str:
    """YAML front matter; values are HTML-escaped because the theme prints them unescaped."""
    lines = ["---", f"title: {_yaml_string(markdown_text.attribute(title))}"]
    if description:
        lines.append(f"description: {_yaml_string(markdown_text.attribute(description))}")
    if search_exclude:
        lines.append("search:\n  exclude: true")
    lines.append("---")
    return "\n".join(lines) + "\n"


@jinja2.pass_context
def page_href(context: Any, folder: str | None = None, key: str = urls.SECTION_PAGE, anchor: str = "") -> str:
    """The published URL of a page (no folder: the home page) as a link from the page being
    rendered (`page`, its generated file)."""
    if folder is None:
        link = urls.relative(context["page"], urls.published(urls.HOME))
        return f"{link}#{anchor}" if anchor else link
    return urls.href(context["page"], folder, key, anchor)


@jinja2.pass_context
def md_here(context: Any, folder: str, key: str = urls.SECTION_PAGE) -> str:
    """The Markdown link target of a page from the page being rendered."""
    return urls.md_link_target(context["page"], folder, key)


@jinja2.pass_context
def md_to(context: Any, source_file: str) -> str:
    """The Markdown link target of a generated file (urls.HOME, urls.MATRICES…) from the page being rendered."""
    return urls.relative(context["page"], source_file)


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
        body = self.template(spec.template).render(**self.context, **spec.values, page=spec.target)
        head = front_matter(spec.title, spec.description, search_exclude=spec.target in SEARCH_EXCLUDED)
        return f"docs/{spec.target}", markdown_text.tidy(head + body)


@dataclass(frozen=True)
class _File:
    """One generated file still to make, and its estimated cost (in case pages) for balancing."""

    make: Callable[[], tuple[str, str | bytes] | list[tuple[str, str]]]  # -> (path in the generated folder, content)
    cost: float


def _make_files(todo: list[_File], indices: Sequence[int]) -> list[tuple[str, str | bytes]]:
    made: list[tuple[str, str | bytes]] = []
    for index in indices:
        result = todo[index].make()
        made.extend(result if isinstance(result, list) else [result])
    return made


# Rendering time relative to a case page (measured): per case listed on a term page (a stage
# page shows each case's text for that stage, the others a table row), per case of the library
# for the matrices and the catalogue data.
LISTED_CASE_COST = {"stages": 0.035, "frameworks": 0.025}
LISTED_CASE_COST_DEFAULT = 0.018
MATRIX_COST_PER_CASE = 0.1
CATALOGUE_COST_PER_CASE = 0.07
CATALOGUE_DATA = "assets/catalogue-data.js"  # the case list's filter data, in the generated folder
SEARCH_INDEX_COST_PER_CASE = 1.3  # a case indexed
SEARCH_FILES_COST_PER_CASE = 0.1  # and the index's files written, per case of the library


def kind_counts(cases: Mapping[str, Case]) -> str:
    """"11 个真实案例、2 个综合案例、3 个教学故事": each kind the library has, in the schema's order."""
    counts = {key: 0 for key in CASE_KINDS}
    for case in cases.values():
        counts[case.kind] += 1
    return "、".join(f"{n} 个{CASE_KINDS[key][0]}" for key, n in counts.items() if n)


def page_specs(library: Library, indexes: Indexes, edition: Edition = EDITIONS["student"]) -> list[PageSpec]:
    """Every page of the site, in the order of the generated folder's listing."""
    taxonomy = library.taxonomy
    size = len(library.cases)
    specs = [
        PageSpec(urls.HOME, "home.md.j2", "首页", "服务营销案例库：销售与服务培训用的案例、原则和方法"),
        PageSpec(urls.source("cases"), "cases_index.md.j2", "案例目录"),
    ]
    specs += [PageSpec(urls.source("cases", case.id), "case.md.j2", case.title, citations.as_text(case.summary, case),
                       {"case": case})
              for case in library.cases.values()]
    for group, terms in taxonomy.groups.items():
        specs.append(PageSpec(urls.source(group), "term_index.md.j2", GROUP_TITLES[group], values={"group": group}))
        per_case = LISTED_CASE_COST.get(group, LISTED_CASE_COST_DEFAULT)
        for term in terms.values():
            case_ids = indexes.by_term[group].get(term.key, [])
            specs.append(PageSpec(urls.source(group, term.key), "term.md.j2", term.name, term.definition,
                                  {"group": group, "term": term, "case_ids": case_ids},
                                  cost=1 + per_case * len(case_ids)))
    specs.append(PageSpec(urls.source("frameworks"), "frameworks_index.md.j2", GROUP_TITLES["frameworks"]))
    for framework in library.frameworks.values():
        case_ids = indexes.by_term["frameworks"].get(framework.key, [])
        specs.append(PageSpec(urls.source("frameworks", framework.key), "framework.md.j2", framework.name,
                              framework.summary, {"framework": framework, "case_ids": case_ids},
                              cost=1 + LISTED_CASE_COST["frameworks"] * len(case_ids)))
    # The format and coverage pages are for those who write and prepare (TRAINER_TOOL_PAGES).
    if edition.teaching:
        specs.append(PageSpec(urls.FORMAT, "format.md.j2", "案例格式说明",
                              values={"rows": field_rows(), "course_rows": field_rows(COURSE)}))
    principle_stage = cooccurrence(indexes, "principles", "stages")
    specs.append(PageSpec(urls.MATRICES, "matrices.md.j2", "案例矩阵",
                          values={"principle_stage": principle_stage}, cost=MATRIX_COST_PER_CASE * size))
    if edition.teaching:
        strategy_stage = cooccurrence(indexes, "strategies", "stages")
        empty_pairs = sum(1 for row in strategy_stage.values() for ids in row.values() if not ids)
        specs.append(PageSpec(urls.COVERAGE, "coverage.md.j2", "覆盖情况",
                              values={"strategy_stage": strategy_stage, "empty_pairs": empty_pairs},
                              cost=MATRIX_COST_PER_CASE / 4 * size))
    specs.append(PageSpec(urls.source("paths"), "paths_index.md.j2", GROUP_TITLES["paths"]))
    specs += [PageSpec(urls.source("paths", path.key), "path.md.j2", path.name, path.summary, {"path": path})
              for path in library.paths.values()]
    if edition.teaching:
        specs.append(PageSpec(PREP_PAGE, "prep.md.j2", PREP_TITLE, "每个案例的课堂方案：时长、学习目标、有无角色扮演",
                              cost=CATALOGUE_COST_PER_CASE * size))
        # A course's syllabus (trainers only, as courses are), listed on the 备课 page.
        specs += [PageSpec(urls.source("courses", course.key), "course.md.j2", course.title, course.summary,
                           {"course": course}) for course in library.courses.values()]
    # MkDocs renders a docs/404.md as the site's 404.html in place of the theme's English one.
    specs.append(PageSpec(urls.NOT_FOUND, "404.md.j2", "页面不存在"))
    return specs


def shape(value: Any) -> Any:
    """`value` with every text reduced to whether there is one: what a page that shows only the
    presence and the number of items of a field depends on."""
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, Mapping):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [shape(item) for item in value]
    if isinstance(value, Entity):
        return shape(value.values())
    return value


OWN_PAGE_ONLY = frozenset(f.name for f in CASE.fields if f.own_page_only)


def listing_view(case: Case) -> dict[str, Any]:
    """What pages that list a case may show of it: every field, the case page's own (story,
    questions, …) as their shape only."""
    view = {name: shape(value) if name in OWN_PAGE_ONLY else value for name, value in case.values().items()}
    view["cited"] = list(cited_numbers(case.sources))  # a listing page's [N] links are numbered by the keys
    return view


class PageInputs:
    """A digest of what each page shows, so that an incremental build renders again only the
    pages whose inputs changed. Everything global (templates, taxonomy, frameworks, paths, the
    package, the edition) is in `base`; a case page adds its case and what it says of other
    cases (titles of the cases it links to, its related cases, path positions); a term,
    framework or path page adds the cases it lists; any other page, every case. Pages other than
    a case's own see a case through `listing_view`."""

    def __init__(self, library: Library, indexes: Indexes, templates_dir: Path, edition: Edition) -> None:
        self.library, self.indexes = library, indexes
        self.cases = {cid: value_digest(case.values()) for cid, case in library.cases.items()}
        self.listed = {cid: value_digest(listing_view(case)) for cid, case in library.cases.items()}
        self.base = value_digest(package_digest(), files_digest(templates_dir.rglob("*"), templates_dir),
                                 library.taxonomy.groups, library.frameworks, library.paths, library.courses,
                                 edition)
        self.every_case = value_digest(self.base, self.listed)

    def __call__(self, spec: PageSpec) -> str:
        values: Mapping[str, Any] = spec.values
        if "case" in values:
            case = values["case"]
            positions = self.indexes.paths_of.get(case.id, [])
            related = self.indexes.related.get(case.id, [])
            referenced = self.indexes.referenced_by.get(case.id, [])
            linked = {r.case for r in related} | {link.case for link in case.related} | set(referenced)
            linked |= {cid for p in positions for cid in (p.previous, p.next) if cid}
            return value_digest(self.base, spec.title, self.cases[case.id], related, positions, referenced,
                                sorted((cid, self.library.cases[cid].title) for cid in linked))
        if "course" in values:  # a syllabus shows its cases' own texts (pre-work, materials): all of each
            ids = [session.case for session in values["course"].sessions]
            return value_digest(self.base, spec.target, spec.title, [(cid, self.cases.get(cid)) for cid in ids])
        listed = values.get("case_ids")
        if listed is None and "path" in values:
            listed = [step.case for step in values["path"].steps]
        if listed is not None:
            return value_digest(self.base, spec.target, spec.title, repr(sorted(values)),
                                [(cid, self.listed[cid]) for cid in listed])
        return value_digest(self.every_case, spec.target, spec.title)


SearchCache = Carried[IndexState]


@gc_paused()
def render_site(library: Library, indexes: Indexes, templates_dir: Path,
                extra: Mapping[str, str | bytes] | None = None,
                edition: Edition = EDITIONS["student"],
                previous: Callable[[str, str], bool] | None = None,
                inputs_out: dict[str, str] | None = None,
                search_cache: SearchCache | None = None) -> dict[str, str | bytes | Kept]:
    """Every generated file of an edition, keyed by its path inside the generated folder. What the
    edition leaves out (the teaching notes; in the classroom edition the answers) is dropped first.

    Incremental: with `previous(target, inputs)`, a page whose inputs (`PageInputs`) are those of
    the last build is left as the generated folder holds it (KEPT: the callback says whether the
    folder's file is still that build's);
    `inputs_out` receives every page's inputs for next time, and `search_cache` the search
    index's state (its `previous` one, if any, spares indexing the unchanged cases again)."""
    library = in_reading_order(for_edition(library, edition), indexes.order)
    env = make_environment(templates_dir)
    context = {
        "library": library,
        "cases": library.cases,
        "taxonomy": library.taxonomy,
        "indexes": indexes,
        "group_titles": GROUP_TITLES,
        "verbs": TERM_VERBS,
        "phases": QUESTION_PHASES,
        "term_groups": list(TERM_GROUPS),
        "reading_minutes": reading_minutes,
        "links": PageLinks(library),
        # Where a page lives, for templates that write a link themselves (urls.py owns the scheme).
        "page_md": urls.md_href,
        "page_html": urls.html_href,
        "page_href": page_href,
        "md_here": md_here,
        "md_to": md_to,
        "urls": urls,
        "sections": SECTION_ANCHORS,
        "edition": edition,
        "kind_label": kind_label,
        "kind_counts": kind_counts,
        "session_minutes": session_minutes,
        "session_plans": session_plans,
        "session_plan": session_plan,
        "course_minutes": course_minutes,
        "length_buckets": [(key, label) for key, label, _ in LENGTH_BUCKETS],
        "length_bucket": length_bucket,
        "case_html": CaseRenderer(make_html_environment(templates_dir), PageData(library, indexes), online=True,
                                  fold=not edition.teaching),
    }
    specs = page_specs(library, indexes, edition)
    # Each page's title, declared once by its spec: headings and breadcrumbs take it from here.
    context["titles"] = {spec.target: spec.title for spec in specs}
    pages = _Pages(env, context)
    size = len(library.cases)
    # Pages and data files alike are shared out between the cores in one go, each process
    # compiling the templates its share uses.
    todo = []
    kept: dict[str, Kept] = {}
    digest = PageInputs(library, indexes, templates_dir, edition) if previous or inputs_out is not None \
        else None
    case_inputs: dict[str, str] = {}
    rendered_cases = 0

    def unchanged(target: str, inputs: str) -> bool:
        """Record a file's inputs; whether the generated folder holds it as these inputs make it."""
        if inputs_out is not None:
            inputs_out[target] = inputs
        if previous is not None and previous(target, inputs):
            kept[f"docs/{target}"] = KEPT
            return True
        return False

    for spec in specs:
        if digest is not None:
            inputs = digest(spec)
            if "case" in spec.values:
                case_inputs[spec.values["case"].id] = inputs  # type: ignore[attr-defined]
            if unchanged(spec.target, inputs):
                continue
        todo.append(_File(partial(pages.render, spec), spec.cost))
        rendered_cases += "case" in spec.values
    # The catalogue's data shows what the case list does (listing views, the taxonomy).
    if digest is None or not unchanged(CATALOGUE_DATA, value_digest(digest.every_case, CATALOGUE_DATA)):
        todo.append(_File(lambda: (f"docs/{CATALOGUE_DATA}", catalogue_script(library)),
                          CATALOGUE_COST_PER_CASE * size))

    def search_index() -> list[tuple[str, str]]:
        made, state = build_index(library, indexes, case_inputs, search_cache.previous if search_cache else None)
        if search_cache is not None:
            search_cache.current = state
        return made

    # The search index is one share of the work, made beside the pages (measured: chunking it on
    # every core after the pages was slower, and held every case's index data twice). It comes
    # last: map_chunks' parent makes the last share itself, so the state it leaves for the next
    # build stays in this process (were it made in a worker, the next build would index anew).
    indexed_again = rendered_cases if search_cache is not None and search_cache.previous is not None else size
    todo.append(_File(search_index, SEARCH_INDEX_COST_PER_CASE * indexed_again + SEARCH_FILES_COST_PER_CASE * size))
    made = map_chunks(_make_files, range(len(todo)), todo, weights=[item.cost for item in todo])
    files: dict[str, str | bytes | Kept] = dict(made)
    files.update(kept)
    for name, content in (extra or {}).items():
        files[name] = content
    return files
