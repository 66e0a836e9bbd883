"""Reading YAML: positions, refusals, and every way a file can be unreadable."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from casebook.content.yamlsource import MAX_FILE_BYTES, SourceError, load_file, parse_text


def load(tmp_path: Path, content: str | bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return load_file(path)


def test_values_remember_line_and_column():
    loaded = parse_text("title: 王永庆卖米\nstages:\n  after-sale: 清洗米缸\n")
    stages = loaded.node.value["stages"]
    assert (stages.value["after-sale"].line, stages.value["after-sale"].col) == (3, 15)
    assert stages.key_pos["after-sale"] == (3, 3)
    assert loaded.node.plain() == {"title": "王永庆卖米", "stages": {"after-sale": "清洗米缸"}}


def test_numbers_keep_their_written_text():
    node = parse_text("period: 2001\nother: 1_000\n").node
    assert node.value["period"].value == 2001
    assert node.value["period"].raw == "2001"


def test_syntax_error_has_position_and_hint(tmp_path):
    with pytest.raises(SourceError) as info:
        load(tmp_path, "title: a\nsummary: b: c\n")
    assert (info.value.line, info.value.col) == (2, 11)
    assert "加上引号" in info.value.message


def test_tab_indentation_is_explained(tmp_path):
    with pytest.raises(SourceError) as info:
        load(tmp_path, "stages:\n\tpre-sale: x\n")
    assert info.value.line == 2
    assert "Tab" in info.value.message


def test_gbk_file_asks_for_utf8(tmp_path):
    with pytest.raises(SourceError) as info:
        load(tmp_path, "title: 王永庆卖米\n".encode("gbk"))
    assert "UTF-8" in info.value.message and "GBK" in info.value.message
    assert info.value.line == 1


def test_utf8_bom_is_accepted(tmp_path):
    assert load(tmp_path, "\ufefftitle: 海尔\n").node.plain() == {"title": "海尔"}


@pytest.mark.parametrize("content", ["", "\n\n", "# 只有注释\n"])
def test_empty_file(tmp_path, content):
    with pytest.raises(SourceError, match="空的"):
        load(tmp_path, content)


def test_several_documents_are_refused(tmp_path):
    with pytest.raises(SourceError, match="多余的“---”") as info:
        load(tmp_path, "title: a\n---\ntitle: b\n")
    assert info.value.line == 2


def test_python_tags_are_reported_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    loaded = load(tmp_path, f"title: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()
    assert any("!!python/object/apply:os.system" in message for _, _, message in loaded.problems)


def test_duplicate_keys_are_reported(tmp_path):
    loaded = load(tmp_path, "title: a\nsummary: b\ntitle: c\n")
    assert loaded.problems == [(3, 1, "键 'title' 重复出现（第一次在第 1 行）；请合并或删掉一个")]


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    started = time.monotonic()
    with pytest.raises(SourceError, match="别名"):
        load(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 5  # generous: expanding it would take hours


def test_deep_nesting_is_refused(tmp_path):
    with pytest.raises(SourceError, match="嵌套"):
        load(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")


def test_oversized_file_is_refused(tmp_path):
    with pytest.raises(SourceError, match="太大"):
        load(tmp_path, "story: " + "长" * (MAX_FILE_BYTES // 3 + 10) + "\n")


# (YAML text, the line and column to point at, parts of the Chinese explanation): the mistakes
# trainers make, each at the line that is wrong, with advice that fits that mistake.
SYNTAX_MISTAKES = [
    pytest.param("title: a\nstrategies:\n  a: x\n b: y\nsummary: c\n", (4, 2),
                 ["缩进和上面同一层的键对不齐", "同样多的空格"], id="key-dedented-by-one"),
    pytest.param("title: a\nstages:\n  pre-sale: |\n    text\n  more text\n  in-sale: x\n", (5, 3),
                 ["缩进比上面的多行文字少", "和上面的文字缩进一样多"], id="block-text-dedented"),
    pytest.param("title: a\nstory: |\n  text\n more\nsummary: b\n", (4, 2),
                 ["缩进比上面的多行文字少"], id="block-text-dedented-last"),
    pytest.param("title: a\nsummary\nstory: x\n", (2, 1),
                 ["不是“键: 值”", "冒号和空格"], id="missing-colon"),
    pytest.param("questions:\n  - question: q\n   answer: a\n", (3, 4),
                 ["和上面的列表项对不齐", "第一个字段对齐"], id="list-field-misaligned"),
    pytest.param("takeaways:\n  - a\n  - b\n - c\n", (4, 2),
                 ["和上面的“- ”对不齐"], id="list-item-dedented"),
    pytest.param("title: a\n  summary: b\n", (2, 10), ["比上一行缩进得多"], id="key-indented-too-far"),
    pytest.param("title: 王永庆: 卖米\n", (1, 11), ["值里含有“: ”", "加上引号"], id="colon-in-value"),
    pytest.param('title: "abc\nsummary: x\n', (1, 1), ["引号没有闭合"], id="unclosed-quote"),
    pytest.param('title: "abc" def\n', (1, 14), ["值的后面多了内容"], id="text-after-quote"),
    pytest.param("title: [重要 海底捞\nsummary: x\n", (1, 1), ["方括号“[”没有配对的“]”"], id="open-bracket"),
    pytest.param("title: *星号\n", (1, 9), ["别名", "加上引号"], id="star-value"),
    pytest.param("title: *x\n", (1, 8), ["别名", "加上引号"], id="star-value-latin"),
    pytest.param('title: "a\\qb"\n', (1, 10), ["反斜杠", "单引号"], id="bad-escape"),
    pytest.param("title: @某人\n", (1, 8), ["值不能以“@”开头"], id="at-sign"),
    pytest.param("title: a\n\tsummary: b\n", (2, 1), ["Tab 缩进", "换成空格"], id="tab"),
    pytest.param("title: a\nsummary：一句话\nstory: c\n", (2, 1), ["中文冒号“：”", "英文冒号加一个空格“: ”"],
                 id="full-width-colon"),
]


@pytest.mark.parametrize(("text", "position", "parts"), SYNTAX_MISTAKES)
def test_syntax_errors_are_explained_in_chinese_at_the_right_line(text, position, parts):
    with pytest.raises(SourceError) as info:
        parse_text(text)
    message = info.value.message
    assert (info.value.line, info.value.col) == position, message
    assert message.startswith("YAML 语法错误：")
    for part in parts:
        assert part in message
    assert not re.search(r"[A-Za-z]{4,}", message.replace("title", "").replace("takeaways", "")
                         .replace("YAML", "").replace("Tab", "")), f"English left in: {message}"
