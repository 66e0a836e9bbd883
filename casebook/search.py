"""The search index, written from the model rather than by re-parsing every built page.

Material's search plugin reads the HTML of each page back and segments each section with
jieba's ordinary mode; at a thousand cases that is half of the MkDocs build. Here the index is
made from the validated cases directly (in a second process, while MkDocs builds the pages),
in the same format Material's search client reads. Chinese is segmented with jieba's search
mode, which also emits the shorter words inside long ones, so 服务 finds 售后服务 and 梳子
finds 卖梳子 — Material's client only matches the start of a word.

A plain `mkdocs build` (or Zensical) of the generated folder still gets Material's own index.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import markdown_text
from .model import Case, Library

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ZWSP = "\u200b"  # the separator Material's client splits on, with whitespace and punctuation


def _load_jieba(user_dictionary: Path | None):
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    if user_dictionary and user_dictionary.is_file():
        jieba.load_userdict(str(user_dictionary))
    return jieba


class Segmenter:
    def __init__(self, user_dictionary: Path | None = None) -> None:
        self.jieba = _load_jieba(user_dictionary)

    def __call__(self, text: str) -> str:
        def words(match: re.Match[str]) -> str:
            return ZWSP + ZWSP.join(self.jieba.cut_for_search(match.group(0))) + ZWSP

        return _HAN.sub(words, text).strip(ZWSP)


_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_BRACKETS = re.compile(r"[\[\]]")


def _plain(markdown: str) -> str:
    """Markdown as the words a reader sees, HTML-escaped (Material's client inserts it as HTML).

    Link targets and square brackets go too: Material's search worker never finishes building
    its index when a document's text holds `](` (seen with Chromium 156 and Material 9.8)."""
    text = markdown_text.excerpt(markdown, limit=10**9)
    text = _BRACKETS.sub(" ", _LINK_TARGET.sub("]", text))
    return html.escape(text, quote=False)


def _sections(case: Case, library: Library) -> Iterator[tuple[str, str, str]]:
    """(anchor, heading, text) for each section of a case page, in page order."""
    tax = library.taxonomy
    names = {g: "、".join(tax.term(g, k).name for k in tax.keys(g) if k in case.notes_for(g))
             for g in ("stages", "principles", "strategies")}
    yield "", case.title, " ".join(filter(None, [case.subtitle, case.company, case.region, case.period,
                                                 tax.term("industries", case.industry).name,
                                                 "教学故事" if case.is_parable else "真实案例",
                                                 names["stages"], names["principles"], names["strategies"]]))
    yield "summary", "摘要", case.summary
    yield "story", "案例故事", case.story
    for key in tax.keys("stages"):
        if key in case.stages:
            yield f"stage-{key}", tax.term("stages", key).name, case.stages[key]
    yield "principles", "服务原则", " ".join(f"{tax.term('principles', k).name}：{v}"
                                            for k, v in case.principles.items())
    yield "strategies", "服务策略", " ".join(f"{tax.term('strategies', k).name}：{v}"
                                            for k, v in case.strategies.items())
    if case.frameworks:
        yield "frameworks", "方法与框架", " ".join(f"{library.frameworks[k].name}：{v}"
                                                 for k, v in case.frameworks.items())
    if case.analysis:
        yield "analysis", "案例分析", case.analysis
    if case.takeaways:
        yield "takeaways", "要点", " ".join(case.takeaways)
    if case.questions:
        yield "questions", "讨论题", " ".join(q.question for q in case.questions)
    if case.figures:
        yield "figures", "关键数字", " ".join(f"{f.label} {f.value}" for f in case.figures)


def _pages(library: Library) -> Iterator[tuple[str, str, list[tuple[str, str, str]]]]:
    """(page url, page title, sections) for every page worth finding."""
    for case in library.cases.values():
        yield f"cases/{case.id}.html", case.title, list(_sections(case, library))
    for group, terms in library.taxonomy.groups.items():
        for term in terms.values():
            yield f"{group}/{term.key}.html", term.name, [("", term.name, f"{term.name_en} {term.definition}")]
    for framework in library.frameworks.values():
        items = " ".join(f"{item.name} {item.description}" for item in framework.items)
        yield f"frameworks/{framework.key}.html", framework.name, [
            ("", framework.name, framework.summary), ("items", "组成部分", items)]
    for path in library.paths.values():
        steps = " ".join(f"{library.cases[s.case].title}：{s.why}" for s in path.steps)
        yield f"paths/{path.key}.html", path.name, [("", f"学习路径：{path.name}", f"{path.summary} {steps}")]


def search_documents(state: tuple[Library, Path | None]) -> list[dict[str, str]]:
    library, user_dictionary = state
    segment = Segmenter(user_dictionary)
    docs = []
    for url, _title, sections in _pages(library):
        for anchor, heading, text in sections:
            docs.append({
                "location": f"{url}#{anchor}" if anchor else url,
                "title": segment(html.escape(heading, quote=False)),
                "text": segment(_plain(text)),
            })
    return docs


def merge_into_index(material_index: dict[str, Any], docs: list[dict[str, str]]) -> dict[str, Any]:
    """Material's index (its client configuration) with our documents."""
    return {"config": material_index.get("config", {}), "docs": docs}
