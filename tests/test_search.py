"""The search index written from the model: pages and sections, bigram postings with the best
field, Traditional-to-Simplified table, texts without markup, same input same bytes."""

from __future__ import annotations

import json
import re

import pytest

from casebook.content.load import load_library
from casebook.render import search
from casebook.render.search import BODY, LEAD, TITLE, bigrams, decode_postings, encode_postings, fold


def loaded(files: list[tuple[str, str]]) -> dict[str, object]:
    """The data of each index file, by the name it hands to casebookSearch.loaded."""
    out = {}
    for _, text in files:
        match = re.fullmatch(r'casebookSearch\.loaded\("(\w+)",(.*)\);\n', text, re.S)
        assert match, text[:80]
        out[match.group(1)] = json.loads(match.group(2))
    return out


def pages_holding(data: dict[str, object], phrase: str) -> dict[str, int]:
    """{page url: field} of the pages holding every bigram of `phrase` (as the client finds them)."""
    meta = data["meta"]
    found: dict[int, int] | None = None
    for i in range(len(phrase) - 1):
        key = fold(phrase[i:i + 2])
        postings = dict(decode_postings(data[f"p{search.shard_of(key, meta['shards'])}"].get(key, "")))
        found = postings if found is None else {p: max(f, postings[p]) for p, f in found.items() if p in postings}
    return {meta["pages"][p][0]: f for p, f in (found or {}).items()}


@pytest.fixture
def index(project):
    library, report = load_library(project)
    assert report.errors == []
    return loaded(search.index_files(library))


def test_postings_round_trip_through_the_compact_encoding():
    postings = [0 * 4 + TITLE, 1 * 4 + BODY, 2 * 4 + LEAD, 50 * 4 + BODY, 3000 * 4 + TITLE, 3001 * 4 + BODY]
    text = encode_postings(postings)
    assert decode_postings(text) == [(p // 4, p % 4) for p in postings]
    assert '"' not in text and "\\" not in text
    assert len(text) < 3 * len(postings)  # small gaps take one character


def test_bigrams_pair_neighbours_and_close_each_run_with_a_space():
    assert bigrams("卖米") == {"卖米", "米 "}
    assert bigrams("CRM，２４小时") == {"cr", "rm", "m ", "24", "4小", "小时", "时 "}


def test_any_phrase_inside_a_word_finds_its_page(index):
    assert "cases/beta.html" in pages_holding(index, "梳子")
    assert "cases/beta.html" in pages_holding(index, "卖梳")  # the middle of 卖梳子的故事
    assert "cases/gamma.html" in pages_holding(index, "伽马电器")  # a company name, typed whole
    assert pages_holding(index, "梳子寺") == {}


def test_each_page_keeps_its_best_field(index):
    assert pages_holding(index, "卖梳子")["cases/beta.html"] == TITLE
    assert pages_holding(index, "阿尔法米店")["cases/alpha.html"] == LEAD  # the company
    assert pages_holding(index, "积善梳")["cases/beta.html"] == BODY


def test_every_page_type_is_indexed_with_its_sections(project):
    library, _ = load_library(project)
    pages = {page.url: page for page in search.search_pages(library)}
    for url in ("cases/alpha.html", "principles/empathy.html", "stages/after-sale.html",
                "frameworks/complaint-steps.html", "paths/basics.html"):
        assert url in pages, url
    anchors = [s[0] for s in pages["cases/alpha.html"].sections]
    assert anchors[:3] == ["", "summary", "story"] and "stage-pre-sale" in anchors and "questions" in anchors
    assert pages["cases/beta.html"].kind == "parable"
    # A term page's text is its definition: no English name in front of the snippet.
    assert pages["stages/after-sale.html"].sections[0][2] == "购买之后的服务。"


def test_meta_lists_pages_with_real_titles_and_types(index):
    meta = index["meta"]
    by_url = {url: (title, meta["types"][kind]) for url, title, kind, _chunk in meta["pages"]}
    assert by_url["cases/beta.html"] == ("卖梳子的故事", "教学故事")
    assert by_url["cases/alpha.html"] == ("米店送米", "案例")
    assert by_url["stages/after-sale.html"][1] == "阶段"
    assert "\u200b" not in json.dumps(index, ensure_ascii=False)


def test_traditional_table_covers_the_characters_the_library_uses(index):
    pairs = index["meta"]["traditional"]
    table = dict(zip(pairs[::2], pairs[1::2], strict=True))
    assert table["賣"] == "卖" and table["務"] == "务"
    assert "海" not in table  # the same in both


def test_texts_are_plain_words_without_markup_or_link_targets(project, write):
    path = project.cases_dir / "beta.yaml"
    write("cases/beta.yaml", path.read_text(encoding="utf-8").replace(
        "story: 一个教学故事", "story: 见 [[链接]](javascript:alert(1)) **加粗** <b>x</b> 一个教学故事"))
    library, report = load_library(project)
    assert report.errors == []
    beta = next(p for p in search.search_pages(library) if p.url == "cases/beta.html")
    story = {anchor: text for anchor, _heading, text in beta.sections}["story"]
    assert "javascript" not in story and "](" not in story and "**" not in story
    assert "链接" in story and "加粗" in story


def test_same_library_same_bytes(project):
    library, _ = load_library(project)
    assert search.index_files(library) == search.index_files(library)
