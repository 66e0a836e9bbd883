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
