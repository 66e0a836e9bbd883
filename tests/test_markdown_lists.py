"""Trainer Markdown renders as it reads: a list written straight under a line of text is a list
(in the site's Markdown and in the print handouts); source lines name no material files."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from casebook.render.markdown_text import blank_line_before_lists, without_file_names
from casebook.render.markup import to_html


def rendered(text: str) -> str:
    return str(to_html(text))


@pytest.mark.parametrize("text, items", [
    ("资料之间的出入：\n- 第一处\n- 第二处", ["第一处", "第二处"]),
    ("**售后。**\n* 上门\n* 回访", ["上门", "回访"]),
    ("步骤如下：\n1. 倾听\n2. 道歉", ["倾听", "道歉"]),
    ("引子\n  - 缩进两格的一项\n  - 第二项", ["缩进两格的一项", "第二项"]),
])
def test_list_under_a_line_of_text_is_a_list(text, items):
    html = rendered(text)
    assert "<p>" in html and ("<ul>" in html or "<ol>" in html)
    for item in items:
        assert f"<li>{item}</li>" in html
    assert "\n- " not in html and "\n* " not in html


def test_list_items_and_their_continuation_lines_stay_one_tight_list():
    text = "说明：\n- 第一项\n  接着写\n- 第二项\n\n后面的段落\n- 又一个列表"
    assert blank_line_before_lists(text) == "说明：\n\n- 第一项\n  接着写\n- 第二项\n\n后面的段落\n\n- 又一个列表"
    assert rendered(text).count("<ul>") == 2


def test_fenced_code_and_text_without_lists_are_left_alone():
    code = "示例：\n```\n文字\n- 不是列表\n```"
    assert blank_line_before_lists(code) == code
    assert blank_line_before_lists("一段话\n第二行") == "一段话\n第二行"
    assert blank_line_before_lists("**1. 问题？**") == "**1. 问题？**"


def test_source_lines_keep_title_and_section_without_file_names():
    source = ("《海尔服务营销策略》(000_fccc678b4669dbbc.txt)：全程优质服务的交付创新（雅士利的售前服务）；"
              "《服务营销案例汇编》（002_35a25a9595ec81e1.txt）：案例四")
    assert without_file_names(source) == ("《海尔服务营销策略》：全程优质服务的交付创新（雅士利的售前服务）；"
                                          "《服务营销案例汇编》：案例四")


class _Paragraphs(HTMLParser):
    """The text of each <p> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "p":
            self.depth += 1
            if self.depth == 1:
                self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data


LIST_LINE_IN_TEXT = re.compile(r"\n\s*(?:[-*+]|\d+[.)]) \S")


def test_no_page_of_the_site_or_the_handouts_shows_a_list_as_a_paragraph(library_site):
    """Every built page (site and print handouts): no paragraph holds a line that starts a list."""
    folders = [library_site["http"], library_site["file"] / "print"]
    pages = [page for folder in folders for page in sorted(folder.rglob("*.html"))]
    assert len(pages) > 50
    found = []
    for page in pages:
        parser = _Paragraphs()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(page.name, text[:60]) for text in parser.texts if LIST_LINE_IN_TEXT.search(text)]
    assert found == []


def test_an_excerpt_ends_at_a_full_stop_where_one_keeps_half_of_it():
    from casebook.render.markdown_text import excerpt

    summary = ("学会透过客户说出口的要求，找到背后的真实需要，并把它变成合适的产品、服务或方案。"
               "四个案例由浅入深，从水果摊前的一次闲聊讲起。")
    assert excerpt(summary, 60) == "学会透过客户说出口的要求，找到背后的真实需要，并把它变成合适的产品、服务或方案。"
    assert excerpt("短句。" + "很长的一句话没有句号" * 10, 60).endswith("…")  # a stop too early: cut, marked
    assert excerpt("不长。", 60) == "不长。"
