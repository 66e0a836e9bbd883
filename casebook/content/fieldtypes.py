"""The value types of the content format, each with its own behaviour (as MkDocs' config_options).

A type knows how to check a YAML value (through the Checker's primitive checks), what it becomes
in the model, how the editor's JSON Schema describes it, how the format page names it and what
the `new` scaffold writes for it. schema.py declares the format with these types; validate.py,
jsonschema.py, formatdoc.py and scaffold.py ask the types rather than telling them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from casebook.content.labels import GROUPS, SLUG_PATTERN

if TYPE_CHECKING:
    from casebook.content.validate import Checker
    from casebook.content.yamlsource import YNode


class Keys(Protocol):
    """The keys (and names) each referable group has in a library: for the editor schema and the scaffold."""

    def keys(self, group: str) -> Sequence[str]: ...

    def names(self, group: str) -> Sequence[str]: ...


_ORDINALS = "一二三四五六七八九十"


def placeholder(title: str) -> str:
    """What the scaffold leaves to fill in; `check` reports one left in place (validate.PLACEHOLDER)."""
    return f"（待填写：{title}）"


@dataclass(frozen=True)
class Text:
    """A string. `markdown` marks fields rendered as Markdown; others are plain text."""

    markdown: bool = False
    multiline: bool = False
    least: int = 0  # at least this many characters (a sample answer worth reading)
    pattern: str = ""  # a regular expression the whole value must match (a key: a slug)
    pattern_help: str = ""  # what the pattern asks for, in words, for the message

    def empty(self) -> object:
        """The model's value when an optional field of this type is left out."""
        return ""

    def to_model(self, value: Any) -> Any:
        return value

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.text(node, self, label, required=required, deletable=deletable)

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

    def to_model(self, value: Any) -> Any:
        return value

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.slug(node, self, label, required)

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

    def to_model(self, value: Any) -> Any:
        return value

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.number(node, self, label)

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

    def to_model(self, value: Any) -> Any:
        return value

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.choice(node, self, label)

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

    def to_model(self, value: Any) -> Any:
        return value

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.ref_value(node, self, label)

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

    def to_model(self, value: Any) -> Any:
        return value

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.ref_map(node, self, label)

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

    def empty(self) -> object:
        return []

    def to_model(self, value: Any) -> Any:
        return [self.item.to_model(item) for item in value]

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.list_of(node, self, label)

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

    def to_model(self, value: Any) -> Any:
        """Validated data → an object with one attribute per field (see model.Entity)."""
        from casebook.content.model import Entity

        return Entity.of(self, value)

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any:
        return checker.record(node, self, label)

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
