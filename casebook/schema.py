"""The case format: the one source of truth.

Validation (validate.py), the editor JSON Schema (jsonschema.py), the trainers' format reference
and the `new` scaffold (formatdoc.py, scaffold.py) are all derived from the declarations below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_HELP = "只能用小写英文字母、数字和连字符，例如 rice-seller"
MAX_SLUG = 60

# The taxonomy groups, in the order the site shows them, with their Chinese labels.
TERM_GROUPS: dict[str, str] = {
    "stages": "服务阶段",
    "principles": "服务原则",
    "strategies": "服务策略",
    "industries": "行业",
}
# Singular names used in messages ("unknown principle 'x'").
TERM_SINGULAR: dict[str, str] = {
    "stages": "服务阶段",
    "principles": "原则",
    "strategies": "策略",
    "industries": "行业",
    "frameworks": "方法框架",
    "cases": "案例",
}
REQUIRED_STAGES = ("pre-sale", "in-sale", "after-sale")


# --- value types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A string. `markdown` marks fields rendered as Markdown; others are plain text."""

    markdown: bool = False
    multiline: bool = False


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ref:
    """A key that must exist in a group: a taxonomy group, 'frameworks' or 'cases'."""

    group: str


@dataclass(frozen=True)
class RefMap:
    """A mapping from keys of a group to a value (a note, or Markdown)."""

    group: str
    value: Text
    min_items: int = 0
    ordered_by_group: bool = False  # e.g. stages must follow the journey order


@dataclass(frozen=True)
class ListOf:
    item: Text | Record
    min_items: int = 0


@dataclass(frozen=True)
class Field:
    name: str
    type: Text | Choice | Ref | RefMap | ListOf | Record
    required: bool = False
    required_when: tuple[str, str] | None = None  # (field, value): required if field == value
    title: str = ""  # short Chinese label (headings, editor tooltips)
    description: str = ""  # one sentence for trainers
    example: str = ""  # YAML snippet for the scaffold and docs
    # What a case good enough to teach with has: at least this many items (a list or map), or
    # 1 for a text worth writing. Fewer is a warning from `check`, an error with --strict.
    recommended: int = 0


@dataclass(frozen=True)
class Record:
    """A mapping with a fixed set of fields."""

    fields: tuple[Field, ...] = field(default_factory=tuple)

    def get(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        """Fields by name (the first of a name wins): looked up for every key of every file."""
        by_name: dict[str, Field] = {}
        for spec in self.fields:
            by_name.setdefault(spec.name, spec)
        return by_name

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


# --- the case file -------------------------------------------------------------------------

QUESTION = Record(
    (
        Field("question", Text(), required=True, title="问题", description="讨论题。"),
        Field("answer", Text(markdown=True, multiline=True), required=True, title="参考答案",
              description="参考答案（Markdown），页面上默认折叠。"),
    )
)
FIGURE = Record(
    (
        Field("label", Text(), required=True, title="指标", description="这个数字是什么。"),
        Field("value", Text(), required=True, title="数值", description="数字及单位，例如 37000 门。"),
        Field("source", Text(), title="出处", description="这个数字出自哪份资料的哪一部分。"),
    )
)
RELATED = Record(
    (
        Field("case", Ref("cases"), required=True, title="案例", description="另一个案例的 id（文件名）。"),
        Field("note", Text(), required=True, title="关联理由", description="为什么值得对照阅读。"),
    )
)
SOURCE = Record(
    (
        Field("title", Text(), required=True, title="资料名称", description="资料的标题。"),
        Field("section", Text(), title="章节", description="引用的章节或段落。"),
        Field("file", Text(), title="资料文件", description="资料库中的文件名（shared/seeds/ 下）。"),
        Field("url", Text(), title="网址", description="公开资料的网址（可选）。"),
    )
)

CASE = Record(
    (
        Field("title", Text(), required=True, title="标题", description="案例名称。",
              example="王永庆卖米"),
        Field("subtitle", Text(), title="副标题", description="一句话点出这个案例的启示。",
              example="把顾客的需要变成自己的服务项目"),
        Field("kind", Choice(("case", "parable"), ("真实案例", "教学故事（寓言）")), required=True,
              title="类型",
              description="case 表示真实企业案例；parable 表示教学故事，网站上会标注“教学故事”。",
              example="case"),
        Field("company", Text(), required_when=("kind", "case"), title="企业",
              description="案例中的企业或人物；真实案例必填。", example="王永庆的米店"),
        Field("industry", Ref("industries"), required=True, title="行业",
              description="行业的键，见 taxonomy.yaml 的 industries。", example="retail"),
        Field("region", Text(), title="地区", description="发生在哪里。", example="台湾"),
        Field("period", Text(), title="时间", description="发生在什么时候，如 2001、1994–2003、1930年代。",
              example="1930年代"),
        Field("summary", Text(multiline=True), required=True, title="摘要",
              description="一到三句话的概要。"),
        Field("story", Text(markdown=True, multiline=True), required=True, title="案例故事",
              description="案例经过（Markdown），写给第一次听说这个故事的学员。"),
        Field("stages", RefMap("stages", Text(markdown=True, multiline=True), 1, True),
              required=True, title="各服务阶段的做法",
              description="键为服务阶段（按售前、售中、售后…的顺序），值为这一阶段具体做了什么（Markdown）。"),
        Field("strategies", RefMap("strategies", Text(), 1), required=True, title="服务策略",
              description="键为策略，值为一句话：本案例如何运用这一策略。", recommended=2),
        Field("principles", RefMap("principles", Text(), 1), required=True, title="服务原则",
              description="键为原则，值为一句话：本案例如何体现这一原则。", recommended=2),
        Field("frameworks", RefMap("frameworks", Text()), title="方法与框架",
              description="键为 frameworks.yaml 中的框架，值为一句话：本案例如何应用这个框架。"),
        Field("analysis", Text(markdown=True, multiline=True), title="案例分析",
              description="为什么有效（Markdown）。", recommended=1),
        Field("takeaways", ListOf(Text()), title="要点", description="学员应记住的几条要点。",
              recommended=3),
        Field("questions", ListOf(QUESTION), title="讨论题",
              description="讨论题及参考答案。", recommended=3),
        Field("figures", ListOf(FIGURE), title="关键数字", description="关键数字及其出处。"),
        Field("related", ListOf(RELATED), title="相关案例",
              description="值得对照阅读的其他案例，以及理由。"),
        Field("sources", ListOf(SOURCE, 1), required=True, title="资料来源",
              description="事实出自哪里：至少一条，写明资料名称和章节。"),
    )
)

# --- the other content files ----------------------------------------------------------------

TERM = Record(
    (
        Field("name", Text(), required=True, title="中文名"),
        Field("name_en", Text(), title="英文名"),
        Field("definition", Text(markdown=True, multiline=True), required=True, title="定义"),
        Field("source", Text(), title="出处"),
    )
)

FRAMEWORK_ITEM = Record(
    (
        Field("name", Text(), required=True, title="名称"),
        Field("description", Text(markdown=True, multiline=True), title="说明"),
    )
)
FRAMEWORK = Record(
    (
        Field("name", Text(), required=True, title="名称"),
        Field("summary", Text(multiline=True), required=True, title="简介"),
        Field("items", ListOf(FRAMEWORK_ITEM, 1), required=True, title="组成部分"),
        Field("notes", Text(markdown=True, multiline=True), title="使用说明"),
        Field("source", SOURCE, required=True, title="出处"),
    )
)

PATH_STEP = Record(
    (
        Field("case", Ref("cases"), required=True, title="案例"),
        Field("why", Text(), required=True, title="为什么读这一篇"),
    )
)
LEARNING_PATH = Record(
    (
        Field("name", Text(), required=True, title="名称"),
        Field("summary", Text(multiline=True), required=True, title="简介"),
        Field("steps", ListOf(PATH_STEP, 2), required=True, title="步骤"),
    )
)
