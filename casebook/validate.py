"""Check a YAML tree against a Record of schema.py, collecting every problem with its position.

The checker returns plain data (dicts, lists, strings); load.py turns that into model objects.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from .diagnostics import Report
from .markdown_text import join_cjk_lines
from .schema import GROUPS, Choice, Field, FieldType, ListOf, Number, Record, Ref, RefMap, Text
from .yamlsource import YNode

INVALID = object()  # a value that failed validation (its problem is already reported)

# The `new` scaffold fills fields with "（…）" placeholders; one left in place is a mistake.
PLACEHOLDER = re.compile(r"^（待填写：[^（）\n]*）$")

_PLAIN_TEXT = Text()

_KIND_NAMES = {"map": "映射（键: 值）", "seq": "列表（- 项）", "scalar": "单个值"}


def did_you_mean(value: str, choices: Sequence[str], names: Mapping[str, str] | None = None) -> str:
    """A suggestion for a mistyped key: closest spelling, or the key whose Chinese name was typed."""
    if names:
        for key, name in names.items():
            if value.strip() == name:
                return key
    match = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.6)
    return match[0] if match else ""


def suggestion_text(value: str, choices: Sequence[str], names: Mapping[str, str] | None = None,
                    where: str = "") -> str:
    guess = did_you_mean(value, choices, names)
    if guess:
        return f"；是不是要写 '{guess}'？"
    if not choices:
        return f"；{where}里还没有可用的键" if where else ""
    shown = ", ".join(list(choices)[:12]) + (" …" if len(choices) > 12 else "")
    return f"；可用的键：{shown}" + (f"（见 {where}）" if where else "")


class Checker:
    """Validates the nodes of one file. `refs` holds the known keys of every referable group."""

    def __init__(
        self,
        path: str,
        report: Report,
        refs: Mapping[str, Sequence[str] | None],
        names: Mapping[str, Mapping[str, str]] | None = None,
        ref_where: Mapping[str, str] | None = None,
        text_check: Callable[[str], str] | None = None,
        known: Mapping[str, AbstractSet[str]] | None = None,
    ) -> None:
        self.path = path
        self.report = report
        self.refs = refs
        self.names = names or {}
        self.ref_where = ref_where or {}
        self.text_check = text_check  # returns a problem description for a text, or ""
        self.known = known or {}  # refs as sets, where the caller has them: quicker to test

    def error(self, node: YNode | tuple[int, int], message: str) -> None:
        line, col = (node.line, node.col) if isinstance(node, YNode) else node
        self.report.error(self.path, line, col, message)

    def warning(self, node: YNode | tuple[int, int], message: str) -> None:
        line, col = (node.line, node.col) if isinstance(node, YNode) else node
        self.report.warning(self.path, line, col, message)

    # -- records ---------------------------------------------------------------------------

    def record(self, node: YNode, rec: Record, label: str) -> dict[str, Any] | Any:
        if node.kind != "map":
            self.error(node, f"{label}应该是{_KIND_NAMES['map']}，这里是{_KIND_NAMES[node.kind]}")
            return INVALID
        out: dict[str, Any] = {}
        suggested: set[str] = set()  # a misspelt field is reported once, not also as missing
        for key, child in node.value.items():
            spec = rec.get(key)
            if spec is None:
                suggested.add(did_you_mean(key, rec.names))
                hint = suggestion_text(key, rec.names)
                self.error(node.key_pos[key], f"未知字段 '{key}'{hint}")
                continue
            out[key] = self.field(child, spec, f"'{key}'")
        ok = True
        for spec in rec.fields:
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
                self.error(node, f"{label}缺少必填字段 '{spec.name}'{title}{why}")
                ok = False
        return out if ok else INVALID

    # -- fields ----------------------------------------------------------------------------

    def field(self, node: YNode, spec: Field, label: str) -> Any:
        return self.value(node, spec.type, label, required=spec.required)

    def value(self, node: YNode, kind: FieldType, label: str, required: bool = True) -> Any:
        if isinstance(kind, Text):  # most fields: tested first
            return self.text(node, kind, label, required=required)
        if isinstance(kind, Number):
            return self.number(node, kind, label)
        if isinstance(kind, Record):
            return self.record(node, kind, label)
        if isinstance(kind, Choice):
            value = self.text(node, _PLAIN_TEXT, label, required=True)
            if value is not INVALID and value not in kind.options:
                options = "、".join(
                    f"{o}（{lab}）" for o, lab in zip(kind.options, kind.labels or kind.options, strict=True)
                )
                self.error(node, f"{label} 的值 '{value}' 不可用{suggestion_text(value, kind.options)}"
                           f"（可选：{options}）")
                return INVALID
            return value
        if isinstance(kind, Ref):
            value = self.text(node, _PLAIN_TEXT, label, required=True)
            return self.ref(node, kind.group, value) if value is not INVALID else INVALID
        if isinstance(kind, RefMap):
            return self.ref_map(node, kind, label)
        if isinstance(kind, ListOf):
            return self.list_of(node, kind, label)
        raise TypeError(f"unknown schema type {kind!r}")  # a programming error, not content

    def text(self, node: YNode, kind: Text, label: str, required: bool = False) -> Any:
        if node.kind != "scalar":
            self.error(node, f"{label}应该是文字，这里是{_KIND_NAMES[node.kind]}"
                       + ("；多行文字请用“|”开头的块写法" if node.kind == "seq" else ""))
            return INVALID
        if node.value is None:
            if required:
                self.error(node, f"{label}不能为空")
                return INVALID
            return ""
        value = node.value if isinstance(node.value, str) else node.raw
        value = value.strip() if kind.multiline or kind.markdown else " ".join(value.split())
        value = join_cjk_lines(value, markdown=kind.markdown)
        if not value and required:
            self.error(node, f"{label}不能为空")
            return INVALID
        if PLACEHOLDER.match(value):
            self.error(node, f"{label}还是模板里的占位文字“{value}”；请换成真实内容，或删掉这个可选字段")
            return INVALID
        if self.text_check:
            problem = self.text_check(value)
            if problem:
                self.error(node, f"{label}{problem}")
        return value

    def number(self, node: YNode, kind: Number, label: str) -> Any:
        raw = node.raw if node.kind == "scalar" else None
        text = str(raw if raw is not None else "").strip()
        if node.kind != "scalar" or not text.isdigit():
            self.error(node, f"{label}应该是一个整数（如 15），这里是“{text or _KIND_NAMES[node.kind]}”")
            return INVALID
        number = int(text)
        if not kind.least <= number <= kind.most:
            self.error(node, f"{label}应该在 {kind.least} 到 {kind.most} 之间，这里是 {number}")
            return INVALID
        return number

    def ref(self, node: YNode | tuple[int, int], group: str, value: str) -> Any:
        known = self.refs.get(group, ())
        if known is None or value in self.known.get(group, known):  # None: the group is broken, reported there
            return value
        where = self.ref_where.get(group, "")
        hint = suggestion_text(value, known, self.names.get(group), where)
        self.error(node, f"未知的{GROUPS[group].singular if group in GROUPS else group} '{value}'{hint}")
        return INVALID

    def ref_map(self, node: YNode, kind: RefMap, label: str) -> Any:
        if node.kind != "map":
            if node.kind == "scalar" and node.value is None:
                if kind.min_items:
                    self.error(node, f"{label}不能为空：至少写 {kind.min_items} 项")
                    return INVALID
                return {}
            self.error(node, f"{label}应该是{_KIND_NAMES['map']}，这里是{_KIND_NAMES[node.kind]}")
            return INVALID
        out: dict[str, str] = {}
        ok = True
        for key, child in node.value.items():
            if self.ref(node.key_pos[key], kind.group, key) is INVALID:
                ok = False
                continue
            value = self.text(child, kind.value, f"{label} 中 '{key}' 的说明", required=True)
            if value is INVALID:
                ok = False
            else:
                out[key] = value
        if ok and len(out) < kind.min_items:
            self.error(node, f"{label}至少要有 {kind.min_items} 项")
            ok = False
        if ok and kind.ordered_by_group and self.refs.get(kind.group) is not None:
            order = list(self.refs[kind.group] or ())
            keys = list(out)
            if keys != sorted(keys, key=order.index):
                self.warning(node, f"{label}的顺序应与客户旅程一致：{', '.join(sorted(keys, key=order.index))}"
                             "（网站总是按这个顺序显示）")
        return out if ok else INVALID

    def list_of(self, node: YNode, kind: ListOf, label: str) -> Any:
        if node.kind == "scalar" and node.value is None:
            if kind.min_items:
                self.error(node, f"{label}不能为空：至少写 {kind.min_items} 项")
                return INVALID
            return []
        if node.kind != "seq":
            self.error(node, f"{label}应该是{_KIND_NAMES['seq']}，这里是{_KIND_NAMES[node.kind]}"
                       "；每一项以“- ”开头")
            return INVALID
        out = []
        ok = True
        for index, child in enumerate(node.value, 1):
            value = self.value(child, kind.item, f"{label} 第 {index} 项")
            if value is INVALID:
                ok = False
            else:
                out.append(value)
        if ok and len(out) < kind.min_items:
            self.error(node, f"{label}至少要有 {kind.min_items} 项")
            ok = False
        if ok and kind.max_items and len(out) > kind.max_items:
            self.error(node, f"{label}最多 {kind.max_items} 项，这里有 {len(out)} 项；请合并或删掉一些")
            ok = False
        if ok and kind.total is not None:
            name, least, most = kind.total
            total = sum(item[name] for item in out)
            if not least <= total <= most:
                self.error(node, f"{label}的 {name} 合计 {total}，应该在 {least} 到 {most} 之间")
                ok = False
        return out if ok else INVALID
