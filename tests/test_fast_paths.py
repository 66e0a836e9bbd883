"""The hand-written fast paths give exactly what the simple definitions they replace give."""

from __future__ import annotations

import html
import random
import re

import jinja2

from casebook.content import cjk
from casebook.render import markdown_text
from casebook.render.pages import make_environment

_CJK = cjk._CJK
# The definitions the fast paths replace, as they were written first.
SOFT_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n[ \\t]*(?=[{_CJK}])")
CJK_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
HEADING_AFTER_TEXT = re.compile(r"([^\n])\n(#{1,6} )")
BLANK_RUNS = re.compile(r"\n{3,}")


def _join_cjk_lines(text: str, markdown: bool) -> str:
    text = SOFT_BREAK.sub("", text)
    return text if markdown else CJK_SPACE.sub("", text)


def _tidy(text: str) -> str:
    text = HEADING_AFTER_TEXT.sub(r"\1\n\n\2", text)
    return BLANK_RUNS.sub("\n\n", text).rstrip("\n") + "\n"


def _random_texts(alphabet: str, count: int = 20000) -> list[str]:
    rng = random.Random(11)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(count)]


def test_joining_chinese_lines_matches_the_regex_definition():
    for text in _random_texts("中文、a \t\n\n#"):
        for markdown in (True, False):
            assert cjk.join_cjk_lines(text, markdown) == _join_cjk_lines(text, markdown), repr(text)


def test_tidy_matches_the_regex_definition():
    for text in _random_texts("\n\n\n## a中"):
        assert markdown_text.tidy(text) == _tidy(text), repr(text)


def test_escaping_fast_paths_change_nothing():
    for text in [*_random_texts("a中 *_[]{}|#!&<>\"'`\\\n", 5000), "plain 文字", ""]:
        assert markdown_text.inline(text) == re.sub(
            r"([\\`*_\[\]{}|#!])", r"\\\1", html.escape(" ".join(text.split()), quote=False))
        assert markdown_text.attribute(text) == html.escape(" ".join(text.split()), quote=True)


def test_template_calls_keep_jinjas_rules(tmp_path):
    template = "{{ plain(1) }} {{ with_context() }} {{ obj.method(2) }} {{ stops() is undefined }}"
    (tmp_path / "t.md.j2").write_text(template)

    @jinja2.pass_context
    def with_context(context):
        return context["name"]

    def stops():
        raise StopIteration

    class Helper:
        def method(self, value):
            return value * 2

    env = make_environment(tmp_path)
    out = env.get_template("t.md.j2").render(plain=lambda v: v + 1, with_context=with_context, obj=Helper(),
                                             stops=stops, name="ctx")
    assert out == "2 ctx 4 True"


def test_plain_paragraphs_are_what_python_markdown_makes_of_them():
    """Every Markdown text of the bundled library (and some made-up ones) that the fast path takes
    comes out exactly as Python-Markdown renders it."""
    import yaml
    from conftest import ROOT

    from casebook.render import markup

    texts: list[str] = ["一段。", "一段。\n\n二段。", "第一行\n第二行", "  缩进", "行尾两空格  \n下一行", "a\n\n\n\nb",
                        "1. 列表", "- 列表", "数字 1. 不是列表", "# 标题", "冒号：中文", "A: B", "x = 1"]

    def collect(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for path in sorted((ROOT / "cases").glob("*.yaml")):
        collect(yaml.safe_load(path.read_text(encoding="utf-8")))
    fast = 0
    for text in texts:
        plain = markup.plain_paragraphs(text)
        if plain is None:
            continue
        fast += 1
        converter = markup._converter()
        converter.reset()
        assert plain == converter.convert(text), repr(text)
    assert fast > 300  # most texts take the fast path
