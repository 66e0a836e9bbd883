"""The search index written from the model: every case section, finer Chinese words, escaped."""

from __future__ import annotations

from casebook.load import load_library
from casebook.search import Segmenter, search_documents


def test_search_mode_keeps_the_short_words_inside_long_ones():
    tokens = Segmenter()("公司提供售后服务").split("\u200b")
    assert {"售后", "服务", "售后服务"} <= set(tokens)


def test_every_case_section_is_a_document_with_its_anchor(project):
    library, _ = load_library(project)
    docs = search_documents((library, None))
    locations = [d["location"] for d in docs]
    for expected in ("cases/alpha.html", "cases/alpha.html#summary", "cases/alpha.html#story",
                     "cases/alpha.html#stage-pre-sale", "cases/alpha.html#stage-after-sale",
                     "cases/alpha.html#questions", "principles/empathy.html", "frameworks/complaint-steps.html",
                     "paths/basics.html"):
        assert expected in locations, expected
    assert len(locations) == len(set(locations))
    story = next(d for d in docs if d["location"] == "cases/beta.html#story")
    assert "梳子" in story["text"].split("\u200b")


def indexed_after_edit(project, write, old: str, new: str, location: str) -> str:
    """The indexed text of one section of beta after replacing `old` with `new` in its file."""
    path = project.cases_dir / "beta.yaml"
    write("cases/beta.yaml", path.read_text(encoding="utf-8").replace(old, new))
    library, report = load_library(project)
    assert report.errors == []
    return next(d for d in search_documents((library, None)) if d["location"] == location)["text"]


def test_text_is_escaped_because_the_client_inserts_it_as_html(project, write):
    text = indexed_after_edit(project, write, "summary: 推销员", "summary: <img src=x onerror=alert(1)> 推销员",
                              "cases/beta.html#summary")
    assert "<img" not in text and "&lt;img" in text


def test_markdown_link_syntax_never_reaches_the_index(project, write):
    """Text holding `](` stops Material's search worker from ever building its index."""
    text = indexed_after_edit(project, write, "story: 一个教学故事",
                              "story: 见 [[链接]](javascript:alert(1)) 与 x](y 一个教学故事", "cases/beta.html#story")
    assert "](" not in text and "[" not in text
    assert "链接" in text.split("\u200b")
