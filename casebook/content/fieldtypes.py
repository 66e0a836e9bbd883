"""The value types of the content format, each with its own behaviour (as MkDocs' config_options).

A type owns its whole check of a YAML value (checking.Checker only carries the file's context:
where problems go, the keys references must match), knows its empty value, how the editor's JSON
Schema describes it, how the format page names it and what the `new` scaffold writes for it.
schema.py declares the format with these types; entity.py, jsonschema.py, formatdoc.py and
scaffold.py ask the types rather than telling them apart.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from casebook.content import markdowncheck
from casebook.content.checking import CONTROL, INVALID, KIND_NAMES, PLACEHOLDER, Checker, did_you_mean, suggestion_text
from casebook.content.cjk import join_cjk_lines
from casebook.content.labels import GROUPS, SLUG_PATTERN
from casebook.content.yamlsource import FULLWIDTH_COLON, FULLWIDTH_COLON_KEY, YNode
from casebook.diagnostics import INVISIBLE, visible

SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_HELP = "只能用小写英文字母、数字和连字符，例如 rice-seller"

# A type's own advice about a valid value (a learning objective's verb, a case that links to
# itself): called with the checker, the value's node and the value; it reports through
# `checker.advice`, which the loader gives out only once the whole file is valid.
Advice = Callable[[Checker, YNode, Any], None]


class Keys(Protocol):
    """The keys (and names) each referable group has in a library: for the editor schema and the scaffold."""

    def keys(self, group: str) -> Sequence[str]: ...

    def names(self, group: str) -> Sequence[str]: ...


_ORDINALS = "一二三四五六七八九十"


def placeholder(title: str) -> str:
    """What the scaffold leaves to fill in; `check` reports one left in place (checking.PLACEHOLDER)."""
    return f"（待填写：{title}）"


@dataclass(frozen=True)
class Text:
    """A string. `markdown` marks fields rendered as Markdown; others are plain text."""

    markdown: bool = False
    multiline: bool = False
    least: int = 0  # at least this many characters (a sample answer worth reading)
    pattern: str = ""  # a regular expression the whole value must match (a key: a slug)
    pattern_help: str = ""  # what the pattern asks for, in words, for the message
    advice: tuple[Advice, ...] = ()

    def empty(self) -> object:
        """The model's value when an optional field of this type is left out."""
        return ""

    # At most this many links a field is warned about: 12,000 broken links need one message, not 12,000.
    LINK_WARNINGS = 3

    def check(self, checker: Checker, node: YNode, label: str, required: bool = False,
              deletable: str = "") -> Any:
        """`deletable` names what a trainer may delete instead of filling it ("这一项"), if anything."""
        if node.kind != "scalar":
            checker.error(node, f"{label}应该是文字，这里是{KIND_NAMES[node.kind]}"
                          + ("；多行文字请用“|”开头的块写法" if node.kind == "seq" else ""))
            return INVALID
        if node.value is None:
            if required:
                checker.error(node, f"{label}不能为空")
                return INVALID
            return ""
        value = node.value if isinstance(node.value, str) else node.raw
        control = CONTROL.search(value)
        if control:
            checker.error(node, f"{label}含有控制字符 {visible(control.group())}（第 {control.start() + 1} 个字符），"
                          "它在网页上看不见、在终端里会改变显示；请删掉它（常见来源：从别的软件复制的文字）")
            return INVALID
        value = value.strip() if self.multiline or self.markdown else " ".join(value.split())
        value = join_cjk_lines(value, markdown=self.markdown)
        if value and not INVISIBLE.sub("", value).strip():
            value = ""  # only zero-width or direction marks: blank to a reader
        if not value and required:
            checker.error(node, f"{label}不能为空")
            return INVALID
        if PLACEHOLDER.match(value):
            remedy = f"请换成真实内容，或删掉{deletable}" if deletable else "请换成真实内容（这个字段必填）"
            checker.error(node, f"{label}还是模板里的占位文字“{value}”；{remedy}")
            return INVALID
        if self.pattern and value and not re.fullmatch(self.pattern, value):
            checker.error(node, f"{label} '{value}' 不合格：{self.pattern_help}")
            return INVALID
        if self.least and value and len(value) < self.least:
            checker.error(node, f"{label}只有 {len(value)} 个字，至少要写 {self.least} 个字")
            return INVALID
        if checker.text_check:
            problem = checker.text_check(value)
            if problem:
                checker.error(node, f"{label}{problem}")
        if self.markdown and ("[" in value or "`" in value):
            self._markdown(checker, node, value, label)
        for advise in self.advice:
            advise(checker, node, value)
        return value

    def _markdown(self, checker: Checker, node: YNode, value: str, label: str) -> None:
        """What the site would make of a Markdown field differently from what the trainer meant:
        links it drops (a warning at the link), paragraphs too costly to render (an error)."""
        for start, _, count in markdowncheck.too_many_marks(value):
            checker.error(checker.position(node, value, start), f"{label}：{markdowncheck.marks_message(count)}")
        problems = list(itertools.islice(markdowncheck.link_problems(value, checker.known), self.LINK_WARNINGS + 1))
        for offset, message in problems[:self.LINK_WARNINGS]:
            checker.warning(checker.position(node, value, offset), f"{label}：{message}")
        if len(problems) > self.LINK_WARNINGS:
            checker.warning(node, f"{label}：还有更多链接有同样的问题（只列出前 {self.LINK_WARNINGS} 个）")

    def describe(self) -> str:
        kind = "Markdown 文字" if self.markdown else ("多行文字" if self.multiline else "文字")
        if self.least:
            kind += f"（至少 {self.least} 字）"
        if self.pattern_help:
            kind += f"（{self.pattern_help}）"
        return kind

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        out: dict[str, Any] = {"type": ["string", "number"], "minLength": max(self.least, 1)}
        if self.pattern:
            out["pattern"] = self.pattern
        return out

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        """What the scaffold writes: (the text after the key's colon, the lines below it)."""
        if self.markdown or self.multiline:
            return " |", [" " * indent + placeholder(f"{title}，可以写多段")]
        return " " + placeholder(title), []


@dataclass(frozen=True)
class Slug:
    """A short name of lower-case letters, digits and hyphens that other text refers to (a source's
    `key`, cited as `[@key]`): an identifier, not reading text."""

    example: str = "source-1"  # what the scaffold suggests

    def empty(self) -> object:
        return ""

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        value = _PLAIN_TEXT.check(checker, node, label, required)
        if value and value is not INVALID and not SLUG_RE.match(str(value)):
            checker.error(node, f"{label}的值 '{value}' 不合格：{SLUG_HELP}")
            return INVALID
        return value

    def describe(self) -> str:
        return "短名（小写英文字母、数字和连字符）"

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"}

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        return f" {self.example}", []


@dataclass(frozen=True)
class Number:
    """A whole number between `least` and `most` (minutes of a session step, …)."""

    least: int = 0
    most: int = 10**6
    typical: int = 1  # what the scaffold suggests

    def empty(self) -> object:
        return 0

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        raw = node.raw if node.kind == "scalar" else None
        text = str(raw if raw is not None else "").strip()
        number = self.parse(text) if node.kind == "scalar" else None
        if number is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            checker.error(node, f"{label}应该是一个整数（如 {self.typical}，用半角数字 0–9），"
                          f"这里是“{shown or KIND_NAMES[node.kind]}”")
            return INVALID
        if not self.least <= number <= self.most:
            digits = len(text.lstrip("0"))
            shown = str(int(text)) if digits <= 20 else f"一个 {digits} 位的数"
            checker.error(node, f"{label}应该在 {self.least} 到 {self.most} 之间，这里是 {shown}")
            return INVALID
        return number

    def parse(self, text: str) -> int | None:
        """The whole number `text` writes in ASCII digits, or None. Not `str.isdigit`, which
        also takes "²" and "٣" that `int` refuses; and never more digits than the largest
        allowed value has, capped so `int` cannot refuse (Python's 4,300-digit limit) or take
        long: a longer number is returned as one just above the range."""
        if not text.isascii() or not text.isdigit():
            return None
        significant = text.lstrip("0")
        if len(significant) > len(str(self.most)):
            return self.most + 1
        return int(text)

    def describe(self) -> str:
        return f"整数（{self.least}–{self.most}）"

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.least, "maximum": self.most}

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        return f" {self.typical}", []


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]
    labels: tuple[str, ...] = ()
    default: str = ""  # the model's value when the field is left out (else the first option)

    def empty(self) -> object:
        return self.default or self.options[0]

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        value = _PLAIN_TEXT.check(checker, node, label, True)
        if value is not INVALID and value not in self.options:
            options = "、".join(
                f"{o}（{lab}）" for o, lab in zip(self.options, self.labels or self.options, strict=True)
            )
            checker.error(node, f"{label} 的值 '{value}' 不可用{suggestion_text(value, self.options)}"
                          f"（可选：{options}）")
            return INVALID
        return value

    def describe(self) -> str:
        return " 或 ".join(self.options)

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        return {"enum": list(self.options), "markdownEnumDescriptions": list(self.labels)}

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        return f" {self.empty()}", []


@dataclass(frozen=True)
class Ref:
    """A key that must exist in a group: a taxonomy group, 'frameworks' or 'cases'."""

    group: str

    def empty(self) -> object:
        return ""

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        value = _PLAIN_TEXT.check(checker, node, label, True)
        return checker.ref(node, self.group, value) if value is not INVALID else INVALID

    def describe(self) -> str:
        return f"{GROUPS[self.group].singular}的键（见 {GROUPS[self.group].file}）"

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        if GROUPS[self.group].keys_are_file_names:
            return {"type": "string", "pattern": SLUG_PATTERN}
        return {"enum": list(keys.keys(self.group)), "markdownEnumDescriptions": list(keys.names(self.group))}

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        found = keys.keys(self.group)
        return (f" {found[0]}" if found else " " + placeholder(title)), []


@dataclass(frozen=True)
class RefMap:
    """A mapping from keys of a group to a value (a note, or Markdown)."""

    group: str
    value: Text
    min_items: int = 0
    ordered_by_group: bool = False  # e.g. stages must follow the journey order

    def empty(self) -> object:
        return {}

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        if node.kind != "map":
            if node.kind == "scalar" and node.value is None:
                if self.min_items:
                    checker.error(node, f"{label}不能为空：至少写 {self.min_items} 项")
                    return INVALID
                return {}
            checker.error(node, f"{label}应该是{KIND_NAMES['map']}，这里是{KIND_NAMES[node.kind]}")
            return INVALID
        out: dict[str, str] = {}
        ok = True
        for key, child in node.value.items():
            if checker.ref(node.key_pos[key], self.group, key) is INVALID:
                ok = False
                continue
            value = self.value.check(checker, child, f"{label} 中 '{key}' 的说明", True, "这一项")
            if value is INVALID:
                ok = False
            else:
                out[key] = value
        if ok and len(out) < self.min_items:
            checker.error(node, f"{label}至少要有 {self.min_items} 项")
            ok = False
        if ok and self.ordered_by_group and checker.refs.get(self.group) is not None:
            order = list(checker.refs[self.group] or ())
            keys = list(out)
            if keys != sorted(keys, key=order.index):
                checker.warning(node, f"{label}的顺序应与客户旅程一致：{', '.join(sorted(keys, key=order.index))}"
                                "（网站总是按这个顺序显示）")
        return out if ok else INVALID

    def describe(self) -> str:
        least = f"，至少 {self.min_items} 项" if self.min_items else ""
        return f"映射：{GROUPS[self.group].singular}的键 → {self.value.describe()}{least}"

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        value = self.value.json_schema(keys)
        named = zip(keys.keys(self.group), keys.names(self.group), strict=True)
        return {
            "type": "object",
            "minProperties": self.min_items,
            "properties": {key: {**value, "description": name} for key, name in named},
            "additionalProperties": False,
        }

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        pad = " " * indent
        found = keys.keys(self.group)
        count = max(self.min_items, at_least)
        if not count:
            return " {}", []
        if self.ordered_by_group:  # stages: the journey, one entry a stage
            return "", [f"{pad}{key}: |\n{pad}  {placeholder('这一阶段具体做了什么')}" for key in found[:3]]
        return "", [f"{pad}{key}: {placeholder('一句话，本案例如何体现或运用它')}" for key in found[:count]]


@dataclass(frozen=True)
class ListOf:
    item: FieldType
    min_items: int = 0
    max_items: int = 0  # 0: no limit
    total: tuple[str, int, int] | None = None  # (number field of the items, least, most) for their sum
    unique: str = ""  # a field of the items whose values must differ (a material's key)
    advice: tuple[Advice, ...] = ()

    def empty(self) -> object:
        return []

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        if node.kind == "scalar" and node.value is None:
            if self.min_items:
                checker.error(node, f"{label}不能为空：至少写 {self.min_items} 项")
                return INVALID
            return []
        if node.kind != "seq":
            checker.error(node, f"{label}应该是{KIND_NAMES['seq']}，这里是{KIND_NAMES[node.kind]}"
                          "；每一项以“- ”开头")
            return INVALID
        out = []
        ok = True
        for index, child in enumerate(node.value, 1):
            value = self.item.check(checker, child, f"{label} 第 {index} 项", True, "这一项")
            if value is INVALID:
                ok = False
            else:
                out.append(value)
        if ok and len(out) < self.min_items:
            checker.error(node, f"{label}至少要有 {self.min_items} 项")
            ok = False
        if ok and self.max_items and len(out) > self.max_items:
            checker.error(node, f"{label}最多 {self.max_items} 项，这里有 {len(out)} 项；请合并或删掉一些")
            ok = False
        if ok and self.total is not None:
            ok = self._total(checker, node, self.total, out, label)
        if ok and self.unique:
            ok = self._unique(checker, node, self.unique, out, label)
        if ok:
            for advise in self.advice:
                advise(checker, node, out)
        return out if ok else INVALID

    @staticmethod
    def _total(checker: Checker, node: YNode, rule: tuple[str, int, int], out: list[Any], label: str) -> bool:
        """The items' numbers sum within the bounds. An optional number is all or nothing: written
        on every item (then summed) or on none (then not checked)."""
        name, least, most = rule
        missing = [index for index, item in enumerate(out) if item.get(name) is None]
        if missing and len(missing) < len(out):
            where = node.value[missing[0]]
            checker.error(where, f"{label} 第 {missing[0] + 1} 项缺少 '{name}'：要么每一项都写，要么都不写")
            return False
        if missing:
            return True
        total = sum(item[name] for item in out)
        if not least <= total <= most:
            should = f"正好是 {least}" if least == most else f"在 {least} 到 {most} 之间"
            checker.error(node, f"{label}的 {name} 合计 {total}，应该{should}")
            return False
        return True

    @staticmethod
    def _unique(checker: Checker, node: YNode, name: str, out: list[Any], label: str) -> bool:
        first: dict[Any, int] = {}
        ok = True
        for index, item in enumerate(out):
            value = item.get(name)
            if value is None:
                continue
            if value in first:
                child = node.value[index]
                where = child.value.get(name, child) if child.kind == "map" else child
                checker.error(where, f"{label} 第 {index + 1} 项的 {name} '{value}' 与第 {first[value] + 1} 项重复；"
                              f"每一项的 {name} 要不同")
                ok = False
            else:
                first[value] = index
        return ok

    def describe(self) -> str:
        limits = f"，至少 {self.min_items} 项" if self.min_items else ""
        if self.max_items:
            limits += f"，最多 {self.max_items} 项"
        if self.total:
            name, least, most = self.total
            limits += f"，{name} 合计 {least}" + ("" if least == most else f"–{most}")
        if self.unique:
            limits += f"，{self.unique} 不能重复"
        return f"列表，每项是{self.item.describe()}{limits}"

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        array: dict[str, Any] = {"type": "array", "minItems": self.min_items, "items": self.item.json_schema(keys)}
        if self.max_items:
            array["maxItems"] = self.max_items
        return array

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        pad = " " * indent
        if isinstance(self.item, Ref):  # a short list of keys fits on the line
            head, _ = self.item.skeleton(title, indent, keys)
            return f" [{head.strip()}]", []
        lines: list[str] = []
        for index in range(max(self.min_items, at_least, 1)):
            if isinstance(self.item, Record):
                item_lines = self.item.field_lines(indent + 2, keys)
                lines += [f"{pad}- {item_lines[0].lstrip()}", *item_lines[1:]]
            else:
                lines.append(f"{pad}- {placeholder(f'第{_ORDINALS[index % 10]}条')}")
        return "", lines


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    required_when: tuple[str, str] | None = None  # (field, value): required if field == value
    title: str = ""  # short Chinese label (headings, editor tooltips)
    description: str = ""  # one sentence for trainers
    trainer_only: bool = False  # teaching material: left out of the student edition entirely
    # What the classroom edition (a handout for trainees in class) keeps of it: "show" all of it,
    # "drop" nothing (analysis, takeaways, answers), "keys" a map's keys without their notes (the
    # terms as plain links). editions.for_edition applies it; nothing else decides.
    classroom: str = "show"
    # For a list: the items the classroom edition keeps, as (field of the item, values kept)
    # (the 课前 and 课中 questions, not the 课后 ones).
    classroom_items: tuple[str, tuple[str, ...]] | None = None
    # Its words appear on the case's own page only (and in search and print): pages that list
    # cases show at most whether it is there and how many items it has. An incremental build then
    # renders those pages again only when something they show changed (tests/test_incremental.py
    # checks every such field against every listing page).
    own_page_only: bool = False
    # What a case good enough to teach with has: at least this many items (a list or map), or
    # 1 for a text or record worth writing. Fewer is a warning from `check`, an error with --strict.
    recommended: int = 0

    @property
    def help(self) -> str:
        """The title and description in one line (editor tooltips)."""
        both = self.title and self.description
        return f"{self.title}：{self.description}" if both else self.title or self.description


@dataclass(frozen=True)
class Record:
    """A mapping with a fixed set of fields."""

    fields: tuple[Field, ...] = field(default_factory=tuple)
    # (list field, number field of its items, number field of this record): the items' numbers
    # sum to exactly the record's (a session variant's steps to its stated length).
    sums: tuple[tuple[str, str, str], ...] = ()
    distinct: tuple[str, ...] = ()  # text fields whose values must all differ (sample answers)
    advice: tuple[Advice, ...] = ()

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

    def empty(self) -> object:
        return None

    def check(self, checker: Checker, node: YNode, label: str, required: bool = True, deletable: str = "") -> Any:
        if node.kind != "map":
            hint = ""
            if node.kind == "scalar" and FULLWIDTH_COLON_KEY.match(str(node.raw)):
                hint = f"；{FULLWIDTH_COLON}"
            checker.error(node, f"{label}应该是{KIND_NAMES['map']}，这里是{KIND_NAMES[node.kind]}{hint}")
            return INVALID
        out: dict[str, Any] = {}
        suggested: set[str] = set()  # a misspelt field is reported once, not also as missing
        for key, child in node.value.items():
            spec = self.get(key)
            if spec is None:
                suggested.add(did_you_mean(key, self.names))
                hint = suggestion_text(key, self.names)
                checker.error(node.key_pos[key], f"未知字段 '{key}'{hint}")
                continue
            optional = not (spec.required or spec.required_when)
            out[key] = spec.type.check(checker, child, f"'{key}'", spec.required,
                                       "这个可选字段" if optional else "")
        ok = self._rules(checker, node, out)
        for spec in self.fields:
            if spec.name in out and out[spec.name] is INVALID:
                ok = False
            required = spec.required or (
                spec.required_when is not None
                and out.get(spec.required_when[0]) == spec.required_when[1]
            )
            if required and spec.name in suggested:
                ok = False
            elif required and spec.name not in out:
                why = ""
                if spec.required_when:
                    why = f"（{spec.required_when[0]} 为 {spec.required_when[1]} 时必填）"
                title = f"（{spec.title}）" if spec.title else ""
                checker.error(node, f"{label}缺少必填字段 '{spec.name}'{title}{why}")
                ok = False
            elif spec.recommended:
                self._recommended(checker, node, spec, out.get(spec.name), label)
        if ok:
            for advise in self.advice:
                advise(checker, node, out)
        return out if ok else INVALID

    def _rules(self, checker: Checker, node: YNode, out: dict[str, Any]) -> bool:
        """The record's own rules across its fields (sums, distinct)."""
        ok = True
        for items, number, total in self.sums:
            listed, stated = out.get(items), out.get(total)
            if not isinstance(listed, list) or not isinstance(stated, int):
                continue  # missing or invalid: reported already
            found = sum(item.get(number, 0) for item in listed)
            if found != stated:
                checker.error(node.value[items], f"'{items}' 各项的 {number} 合计 {found}，"
                              f"应该正好等于 '{total}' 写的 {stated}；请调整各步的分钟数或 '{total}'")
                ok = False
        seen: dict[str, str] = {}
        for name in self.distinct:
            value = out.get(name)
            if not isinstance(value, str) or not value:
                continue
            if value in seen:
                checker.error(node.value[name], f"'{name}' 与 '{seen[value]}' 写得一样；每一项要写出不同的内容")
                ok = False
            else:
                seen[value] = name
        return ok

    @staticmethod
    def _recommended(checker: Checker, node: YNode, spec: Field, value: Any, label: str) -> None:
        """A warning when a field has less than a good case has (Field.recommended)."""
        if value is INVALID:
            return
        name = f"{spec.title}（{spec.name}）"
        if isinstance(spec.type, (ListOf, RefMap)):
            count = len(value or ())
            if count >= spec.recommended:
                return
            where = node.value.get(spec.name, node)
            if count == 0:
                checker.warning(where, f"{label}还没有{name}；建议至少写 {spec.recommended} 项")
            else:
                checker.warning(where, f"{name}只有 {count} 项；建议至少写 {spec.recommended} 项")
        elif not value:
            checker.warning(node.value.get(spec.name, node), f"{label}还没有{name}；建议写上")

    def describe(self) -> str:
        return "{" + ", ".join(f.name + ("" if f.required else "?") for f in self.fields) + "}"

    def json_schema(self, keys: Keys) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: {**f.type.json_schema(keys), **({"description": f.help} if f.help else {})}
                           for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }
        conditional = [(*f.required_when, f.name) for f in self.fields if f.required_when]
        if conditional:
            out["allOf"] = [{"if": {"properties": {when: {"const": value}}, "required": [when]},
                             "then": {"required": [name]}} for when, value, name in conditional]
        return out

    def skeleton(self, title: str, indent: int, keys: Keys, at_least: int = 0) -> tuple[str, list[str]]:
        return "", self.field_lines(indent, keys)

    def field_lines(self, indent: int, keys: Keys) -> list[str]:
        """Each field as `name: value  # title（必填/可选）`, nested values below it."""
        lines = []
        for spec in self.fields:
            head, below = spec.type.skeleton(spec.title, indent + 2, keys)
            note = "必填" if spec.required else "可选"
            lines.append(f"{' ' * indent}{spec.name}:{head}  # {spec.title}（{note}）")
            lines += below
        return lines


FieldType = Text | Slug | Number | Choice | Ref | RefMap | ListOf | Record

_PLAIN_TEXT = Text()
