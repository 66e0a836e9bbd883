"""The sections of a case page, declared once.

The table below feeds the case page (casebook/render/pages.py puts each section's heading in the
Markdown and its HTML below it), the print handouts (casebook/export/printing.py, the same HTML) and the
search index (the anchor, heading and text of each section). A section's body is the template
`templates/case/<anchor>.html.j2`; a section with parts (the stages, the teaching note) has one
heading and template per part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from casebook.content.editions import session_minutes
from casebook.content.labels import GROUP_TITLES, QUESTION_PHASE_MEANINGS, TERM_VERBS
from casebook.content.model import Case, Entity, Library
from casebook.content.schema import CASE, CASE_KINDS, MATERIAL_KINDS, QUESTION_PHASES, TEACHING, THEORY
from casebook.index.indexes import Indexes
from casebook.render import citations, markdown_text, urls
from casebook.render.links import case_terms, html_links, plain_links
from casebook.render.markup import to_html

# What a folded section says before it is opened (self-study: think first, then look).
FOLD_SUMMARY = "先自己想，再展开"

# Reading speed used for "阅读时间": Chinese adult readers manage roughly 300–500 characters a
# minute for study material; 400 is the usual middle estimate.
CHARS_PER_MINUTE = 400


@dataclass(frozen=True)
class PageData:
    """What sections read besides the case."""

    library: Library
    indexes: Indexes


@dataclass(frozen=True)
class Part:
    anchor: str
    heading: str
    template: str  # under templates/case/
    values: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""  # what search finds in it


@dataclass(frozen=True)
class Section:
    anchor: str  # the heading's id on the case page, and the name of its template
    heading: str
    shown: Callable[[Case, PageData], bool]
    text: Callable[[Case, PageData], str] | None = None  # searchable text; None: not in the index
    parts: Callable[[Case, PageData], list[Part]] | None = None
    in_print: bool = True  # the handouts leave out what only makes sense online
    body: bool = True  # whether templates/case/<anchor>.html.j2 exists (a section with parts may have none)
    after_reading: bool = False  # the way on from the case (the "mark as read" control goes before the first)
    # Self-study: folded under "先自己想，再展开" in the student edition, so a reader meets the
    # questions first (these sections come after them); the trainer edition shows it open.
    folded: bool = False


def _plain(markdown: str) -> str:
    return markdown_text.excerpt(markdown, limit=10**9)


def _notes(group: str) -> Callable[[Case, PageData], str]:
    def text(case: Case, data: PageData) -> str:
        taxonomy = data.library.taxonomy
        notes = case.notes_for(group)
        return " ".join(f"{taxonomy.term(group, k).name}：{notes[k]}" if notes[k] else taxonomy.term(group, k).name
                        for k in case_terms(case, group, taxonomy))
    return text


def _stage_parts(case: Case, data: PageData) -> list[Part]:
    taxonomy = data.library.taxonomy
    return [Part(urls.stage_anchor(key), taxonomy.term("stages", key).name, "stage.html.j2", {"key": key},
                 _plain(case.stages[key]))
            for key in case_terms(case, "stages", taxonomy)]


# The teaching note's parts, in page order: (anchor, field of `teaching`); the heading is the
# field's title in the schema. An empty one is left out.
_TEACHING_PARTS = (
    ("teaching-objectives", "objectives"),
    ("teaching-audience", "audience"),
    ("teaching-decision", "decision"),
    ("teaching-plan", "plan"),
    ("teaching-variants", "variants"),
    ("teaching-materials", "materials"),
    ("teaching-board", "board_plan"),
    ("teaching-role-play", "role_play"),
    ("teaching-rubric", "rubric"),
    ("teaching-epilogue", "epilogue"),
    ("teaching-theory", "theory"),
)


def field_title(record: Any, name: str) -> str:
    """A field's title in the schema: the heading of the section or part that shows it."""
    spec = record.get(name)
    assert spec is not None, name  # the tables here name fields of the schema (tests/test_labels.py)
    return str(spec.title)


def _teaching_text(value: Any) -> str:
    """Every string inside a part of the teaching note, for search (trainer edition only)."""
    if isinstance(value, str):
        return _plain(value)
    if isinstance(value, list):
        return " ".join(_teaching_text(item) for item in value)
    if isinstance(value, Entity):
        return " ".join(_teaching_text(item) for item in value.values().values())
    return ""


def _teaching_parts(case: Case, data: PageData) -> list[Part]:
    teaching = case.teaching
    parts = []
    for anchor, name in _TEACHING_PARTS:
        value = getattr(teaching, name)
        if not value:
            continue
        heading = field_title(TEACHING, name)
        if name == "plan":
            heading = f"{heading}（{session_minutes(case)} 分钟）"
        parts.append(Part(anchor, heading, f"teaching-{name.replace('_', '-')}.html.j2", {"value": value},
                          _teaching_text(value)))
    return parts


def _related_parts(case: Case, data: PageData) -> list[Part]:
    """Chosen by the author, found by shared terms, and the cases that point here (not already chosen)."""
    chosen = [link.case for link in case.related]
    similar = data.indexes.related.get(case.id, [])
    pointing = [cid for cid in data.indexes.referenced_by.get(case.id, []) if cid not in chosen]
    parts = []
    if chosen:
        # The notes only: the other cases' titles are found on their own pages (and a title's edit
        # then leaves this case's entry in the search index as it was).
        notes = " ".join(link.note for link in case.related)
        parts.append(Part("related-chosen", "推荐对照阅读", "related-chosen.html.j2", text=notes))
    if similar:
        parts.append(Part("related-similar", "同类案例", "related-similar.html.j2", {"similar": similar}))
    if pointing:
        parts.append(Part("referenced-by", "引用了本案例的案例", "referenced-by.html.j2", {"pointing": pointing}))
    return parts


def _case_title(name: str) -> str:
    return field_title(CASE, name)


def _always(case: Case, data: PageData) -> bool:
    return True


CASE_SECTIONS: tuple[Section, ...] = (
    Section("summary", _case_title("summary"), _always, lambda c, d: c.summary),
    Section("story", _case_title("story"), _always, lambda c, d: _plain(c.story)),
    Section("stages", _case_title("stages"), _always, parts=_stage_parts, body=False),
    Section("principles", _case_title("principles"), _always, _notes("principles")),
    Section("strategies", _case_title("strategies"), _always, _notes("strategies")),
    Section("frameworks", _case_title("frameworks"), lambda c, d: bool(c.frameworks),
            lambda c, d: " ".join(f"{d.library.frameworks[k].name}：{v}".rstrip("：")
                                  for k, v in c.frameworks.items())),
    Section("figures", _case_title("figures"), lambda c, d: bool(c.figures),
            lambda c, d: " ".join(f"{f.label} {f.value} {markdown_text.without_file_names(f.source)}".strip()
                                  for f in c.figures)),
    Section("questions", _case_title("questions"), lambda c, d: bool(c.questions),
            lambda c, d: " ".join(f"{q.question} {_plain(q.answer)}" for q in c.questions)),
    Section("analysis", _case_title("analysis"), lambda c, d: bool(c.analysis), lambda c, d: _plain(c.analysis),
            folded=True),
    Section("takeaways", _case_title("takeaways"), lambda c, d: bool(c.takeaways),
            lambda c, d: " ".join(c.takeaways), folded=True),
    Section("paths", GROUP_TITLES["paths"], lambda c, d: bool(d.indexes.paths_of.get(c.id)), in_print=False,
            after_reading=True),
    Section("related", _case_title("related"),
            lambda c, d: bool(c.related or d.indexes.related.get(c.id) or d.indexes.referenced_by.get(c.id)),
            parts=_related_parts, in_print=False, body=False, after_reading=True),
    Section("teaching", _case_title("teaching"), lambda c, d: c.teaching is not None, parts=_teaching_parts,
            after_reading=True),
    Section("sources", _case_title("sources"), _always,
            lambda c, d: " ".join(f"{s.title} {s.section}" for s in c.sources), after_reading=True),
)


# The sections' anchors, for templates that link to one (`sections.teaching`: a name not in the
# table is an error when the template renders).
SECTION_ANCHORS = {section.anchor: section.anchor for section in CASE_SECTIONS}


@dataclass(frozen=True)
class Located:
    """A searchable place on a case page: its anchor, heading and text."""

    anchor: str
    heading: str
    text: str


def search_places(case: Case, data: PageData) -> Iterator[Located]:
    """Every section and part of the case's page that search should find, in page order."""
    for section in CASE_SECTIONS:
        if not section.shown(case, data):
            continue
        if section.parts is not None:
            for part in section.parts(case, data):
                yield Located(part.anchor, part.heading, part.text)
        elif section.text is not None:
            yield Located(section.anchor, section.heading, section.text(case, data))


# --- links inside the HTML ---------------------------------------------------------------------


def reading_minutes(case: Case) -> int:
    parts = [case.summary, case.story, case.analysis, *case.stages.values(), *case.takeaways]
    parts += [q.question + q.answer for q in case.questions]
    chars = sum(len(p) for p in parts)
    return max(1, round(chars / CHARS_PER_MINUTE))


def make_html_environment(templates_dir: Path) -> jinja2.Environment:
    """Jinja for the HTML that Casebook writes itself: autoescaped, Markdown fields through markup.to_html."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are read once per build
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.finalize = _cited_text
    env.globals.update(markdown=_markdown, source_anchor=_source_anchor, kind_label=kind_label,
                       kind_meaning=kind_meaning,
                       session_minutes=session_minutes, reading_minutes=reading_minutes,
                       group_titles=GROUP_TITLES, verbs=TERM_VERBS, headings=_FIELD_TITLES,
                       urls=urls, sections=SECTION_ANCHORS, theory_titles=_THEORY_TITLES,
                       phases=QUESTION_PHASES, phase_meanings=QUESTION_PHASE_MEANINGS, material_kinds=MATERIAL_KINDS)
    env.filters["source"] = markdown_text.without_file_names
    env.filters["safe_url"] = markdown_text.safe_url
    return env


# The schema's field titles, for the templates' own headings and labels (a figure's 出处, …).
_FIELD_TITLES = {name: field_title(CASE, name) for name in CASE.names}
_THEORY_TITLES = {name: field_title(THEORY, name) for name in THEORY.names}  # the 理论落点 part's labels


def _cite_href(context: Any) -> Callable[[int], str]:
    prefix = context.get("cite_prefix", "")
    return lambda number: urls.fragment(citations.anchor(number, prefix))


@jinja2.pass_context
def _source_anchor(context: Any, number: int) -> str:
    """The id of the N-th entry of the case's 资料来源 list, which its citations link to."""
    return citations.anchor(number, context.get("cite_prefix", ""))


@jinja2.pass_context
def _markdown(context: Any, text: str) -> Markup:
    """A Markdown field of the case being rendered as HTML, its citations as links."""
    case = context.get("case")
    if case is None or not citations.has_citation(str(text)):
        return to_html(text)
    return citations.links(to_html(citations.mark(str(text), case)), _cite_href(context))


@jinja2.pass_context
def _cited_text(context: Any, value: Any) -> Any:
    """Every plain-text field a case template prints (`{{ q.question }}`, a figure's source, a
    note…): its citations as links. Markup (Markdown already converted, links) is left alone."""
    if type(value) is str and "[@" in value:
        case = context.get("case")
        if case is not None:
            return citations.plain_html(value, case, _cite_href(context))
    return value


def kind_label(case: Case) -> str:
    return CASE_KINDS[case.kind][0]


def kind_meaning(case: Case) -> str:
    return CASE_KINDS[case.kind][1]


# --- rendering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedPart:
    anchor: str
    heading: str
    html: Markup


@dataclass(frozen=True)
class RenderedSection:
    anchor: str
    heading: str
    html: Markup
    parts: tuple[RenderedPart, ...] = ()
    after_reading: bool = False


class CaseRenderer:
    """Renders the sections of case pages to HTML through templates/case/ (one per process)."""

    def __init__(self, env: Any, data: PageData, online: bool, fold: bool = False) -> None:
        self.env = env  # a jinja2.Environment with autoescape on
        self.data = data
        self.online = online
        self.fold = fold and online  # paper cannot fold: the handouts print those sections after the questions
        self.links = html_links(data.library) if online else plain_links(data.library)
        self.templates: dict[str, Any] = {}
        self._reasons: dict[tuple[tuple[str, tuple[str, ...]], ...], Markup] = {}
        self.values = {
            "library": data.library, "taxonomy": data.library.taxonomy, "indexes": data.indexes,
            "links": self.links, "online": online, "reason": self.reason,
        }

    def _render(self, name: str, **values: Any) -> Markup:
        template = self.templates.get(name)
        if template is None:
            template = self.templates[name] = self.env.get_template(f"case/{name}")
        return Markup(template.render(**self.values, **values).strip("\n"))

    def header(self, case: Case) -> Markup:
        return self._render("header.html.j2", case=case)

    def sections(self, case: Case, book: bool = False) -> list[RenderedSection]:
        """The case's sections; in a `book` of many cases, the 资料来源 entries' ids (which its
        citations link to) start with the case's id, so that they stay unique."""
        out = []
        prefix = f"{case.id}-" if book else ""
        for section in CASE_SECTIONS:
            if not section.shown(case, self.data) or not (self.online or section.in_print):
                continue
            html = self._render(f"{section.anchor}.html.j2", case=case, cite_prefix=prefix) if section.body \
                else Markup("")
            if section.folded and self.fold:
                html = Markup('<details class="cb-fold">\n<summary>{}</summary>\n{}\n</details>').format(
                    FOLD_SUMMARY, html)
            parts = tuple(RenderedPart(p.anchor, p.heading,
                                       self._render(p.template, case=case, cite_prefix=prefix, **p.values))
                          for p in (section.parts(case, self.data) if section.parts else ()))
            out.append(RenderedSection(section.anchor, section.heading, html, parts, section.after_reading))
        return out

    REASON_VERBS = tuple((group, f"同样{TERM_VERBS[group]}") for group in ("principles", "strategies", "frameworks",
                                                                         "stages"))

    def reason(self, shared: Mapping[str, tuple[str, ...]]) -> Markup:
        """Why a computed related case is suggested: the terms both share, as links (each
        combination built once: related cases repeat the same few a great many times)."""
        key = tuple((group, shared[group]) for group, _ in self.REASON_VERBS if group in shared)
        found = self._reasons.get(key)
        if found is None:
            def link(group: str, term: str) -> str:
                return self.links.framework(term) if group == "frameworks" else self.links.term(group, term)

            verbs = dict(self.REASON_VERBS)
            found = self._reasons[key] = Markup("；".join(
                f"{verbs[group]} " + "、".join(link(group, term) for term in terms) for group, terms in key))
        return found
