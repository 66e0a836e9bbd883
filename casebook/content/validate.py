"""Check a YAML tree against a Record of schema.py, collecting every problem with its position.

The checker returns plain data (dicts, lists, strings); load.py turns that into model objects.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from casebook.content import markdowncheck
from casebook.content.cjk import join_cjk_lines
from casebook.content.schema import (
    GROUPS,
    SLUG_HELP,
    SLUG_RE,
    TERM,
    TERM_GROUPS,
    Choice,
    Field,
    FieldType,
    ListOf,
    Number,
    Record,
    Ref,
    RefMap,
    Slug,
    Text,
)
from casebook.content.yamlsource import FULLWIDTH_COLON, FULLWIDTH_COLON_KEY, YNode
from casebook.diagnostics import INVISIBLE, Report, visible

INVALID = object()  # a value that failed validation (its problem is already reported)

# The `new` scaffold fills fields with "（…）" placeholders; one left in place is a mistake.
PLACEHOLDER = re.compile(r"^（待填写：[^（）\n]*）$")

_PLAIN_TEXT = Text()

# Control characters no text field may hold (tab and line breaks are text): NUL, ESC, DEL, C1.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_KIND_NAMES = {"map": "映射（键: 值）", "seq": "列表（- 项）", "scalar": "单个值"}


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) turning `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _typo_limit(word: str) -> int:
    """How many edits still look like a typo: one in a short word, two or three in longer ones.
    A wider net suggests unrelated words (catering → coatings) and misleads more than it helps."""
    return 1 if len(word) <= 5 else 2 if len(word) <= 10 else 3


def did_you_mean(value: str, choices: Sequence[str], names: Mapping[str, str] | None = None) -> str:
    """A suggestion for a mistyped key: the key whose Chinese name was typed, or a key a typo away."""
    if names:
        for key, name in names.items():
            if value.strip() == name:
                return key
    typed = value.strip().lower()
    limit = _typo_limit(typed)
    best, best_distance = "", limit + 1
    for choice in choices:
        if abs(len(choice) - len(typed)) > limit:
            continue
        distance = edit_distance(typed, choice.lower())
        if distance < best_distance:
            best, best_distance = choice, distance
    return best


def how_to_add(group: str, where: str) -> str:
    """How a trainer adds a key that does not exist yet (a new industry, principle…)."""
    if group in TERM_GROUPS and where:
        fields = "、".join(f"{f.name}（{f.title}）" for f in TERM.fields if f.required or f.name == "source")
        return (f"；需要新的{GROUPS[group].singular}时，在 {where} 的 {group}: 下按同样格式添加一项"
                f"（写上 {fields}）")
    if group == "frameworks" and where:
        return f"；需要新的方法框架时，在 {where} 里按同样格式添加"
    return ""


def suggestion_text(value: str, choices: Sequence[str], names: Mapping[str, str] | None = None,
                    where: str = "", group: str = "") -> str:
    guess = did_you_mean(value, choices, names)
    if guess:
        return f"；是不是要写 '{guess}'？"
    if not choices:
        return (f"；{where}里还没有可用的键" if where else "") + how_to_add(group, where)
    shown = ", ".join(list(choices)[:12]) + (" …" if len(choices) > 12 else "")
    return f"；可用的键：{shown}" + (f"（见 {where}）" if where else "") + how_to_add(group, where)


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
            hint = ""
            if node.kind == "scalar" and FULLWIDTH_COLON_KEY.match(str(node.raw)):
                hint = f"；{FULLWIDTH_COLON}"
            self.error(node, f"{label}应该是{_KIND_NAMES['map']}，这里是{_KIND_NAMES[node.kind]}{hint}")
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
        ok = self._record_rules(node, rec, out)
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
            elif spec.recommended:
                self._recommended(node, spec, out.get(spec.name), label)
        return out if ok else INVALID

    def _record_rules(self, node: YNode, rec: Record, out: dict[str, Any]) -> bool:
        """The record's own rules across its fields (schema: Record.sums, Record.distinct)."""
        ok = True
        for items, number, total in rec.sums:
            listed, stated = out.get(items), out.get(total)
            if not isinstance(listed, list) or not isinstance(stated, int):
                continue  # missing or invalid: reported already
            found = sum(item.get(number, 0) for item in listed)
            if found != stated:
                self.error(node.value[items], f"'{items}' 各项的 {number} 合计 {found}，"
                           f"应该正好等于 '{total}' 写的 {stated}；请调整各步的分钟数或 '{total}'")
                ok = False
        seen: dict[str, str] = {}
        for name in rec.distinct:
            value = out.get(name)
            if not isinstance(value, str) or not value:
                continue
            if value in seen:
                self.error(node.value[name], f"'{name}' 与 '{seen[value]}' 写得一样；每一项要写出不同的内容")
                ok = False
            else:
                seen[value] = name
        return ok

    def _recommended(self, node: YNode, spec: Field, value: Any, label: str) -> None:
        """A warning when a field has less than a good case has (schema.Field.recommended)."""
        if value is INVALID:
            return
        name = f"{spec.title}（{spec.name}）"
        if isinstance(spec.type, (ListOf, RefMap)):
            count = len(value or ())
            if count >= spec.recommended:
                return
            where = node.value.get(spec.name, node)
            if count == 0:
                self.warning(where, f"{label}还没有{name}；建议至少写 {spec.recommended} 项")
            else:
                self.warning(where, f"{name}只有 {count} 项；建议至少写 {spec.recommended} 项")
        elif not value:
            self.warning(node.value.get(spec.name, node), f"{label}还没有{name}；建议写上")

    # -- fields ----------------------------------------------------------------------------

    def field(self, node: YNode, spec: Field, label: str) -> Any:
        optional = not (spec.required or spec.required_when)
        return self.value(node, spec.type, label, required=spec.required,
                          deletable="这个可选字段" if optional else "")

    def value(self, node: YNode, kind: FieldType, label: str, required: bool = True, deletable: str = "") -> Any:
        """A value of any type: the type knows which check it needs (fieldtypes.py)."""
        return kind.check(self, node, label, required, deletable)

    def choice(self, node: YNode, kind: Choice, label: str) -> Any:
        value = self.text(node, _PLAIN_TEXT, label, required=True)
        if value is not INVALID and value not in kind.options:
            options = "、".join(
                f"{o}（{lab}）" for o, lab in zip(kind.options, kind.labels or kind.options, strict=True)
            )
            self.error(node, f"{label} 的值 '{value}' 不可用{suggestion_text(value, kind.options)}"
                       f"（可选：{options}）")
            return INVALID
        return value

    def ref_value(self, node: YNode, kind: Ref, label: str) -> Any:
        value = self.text(node, _PLAIN_TEXT, label, required=True)
        return self.ref(node, kind.group, value) if value is not INVALID else INVALID

    def text(self, node: YNode, kind: Text, label: str, required: bool = False,
             deletable: str = "") -> Any:
        """`deletable` names what a trainer may delete instead of filling it ("这一项"), if anything."""
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
        control = CONTROL.search(value)
        if control:
            self.error(node, f"{label}含有控制字符 {visible(control.group())}（第 {control.start() + 1} 个字符），"
                       "它在网页上看不见、在终端里会改变显示；请删掉它（常见来源：从别的软件复制的文字）")
            return INVALID
        value = value.strip() if kind.multiline or kind.markdown else " ".join(value.split())
        value = join_cjk_lines(value, markdown=kind.markdown)
        if value and not INVISIBLE.sub("", value).strip():
            value = ""  # only zero-width or direction marks: blank to a reader
        if not value and required:
            self.error(node, f"{label}不能为空")
            return INVALID
        if PLACEHOLDER.match(value):
            remedy = f"请换成真实内容，或删掉{deletable}" if deletable else "请换成真实内容（这个字段必填）"
            self.error(node, f"{label}还是模板里的占位文字“{value}”；{remedy}")
            return INVALID
        if kind.pattern and value and not re.fullmatch(kind.pattern, value):
            self.error(node, f"{label} '{value}' 不合格：{kind.pattern_help}")
            return INVALID
        if kind.least and value and len(value) < kind.least:
            self.error(node, f"{label}只有 {len(value)} 个字，至少要写 {kind.least} 个字")
            return INVALID
        if self.text_check:
            problem = self.text_check(value)
            if problem:
                self.error(node, f"{label}{problem}")
        if kind.markdown and ("[" in value or "`" in value):
            self._markdown(node, value, label)
        return value

    # At most this many links a field is warned about: 12,000 broken links need one message, not 12,000.
    LINK_WARNINGS = 3

    def _markdown(self, node: YNode, value: str, label: str) -> None:
        """What the site would make of a Markdown field differently from what the trainer meant:
        links it drops (a warning at the link), paragraphs too costly to render (an error)."""
        for start, _, count in markdowncheck.too_many_marks(value):
            self.error(self.position(node, value, start), f"{label}：{markdowncheck.marks_message(count)}")
        problems = list(itertools.islice(markdowncheck.link_problems(value, self.known), self.LINK_WARNINGS + 1))
        for offset, message in problems[:self.LINK_WARNINGS]:
            self.warning(self.position(node, value, offset), f"{label}：{message}")
        if len(problems) > self.LINK_WARNINGS:
            self.warning(node, f"{label}：还有更多链接有同样的问题（只列出前 {self.LINK_WARNINGS} 个）")

    @staticmethod
    def position(node: YNode, value: str, offset: int) -> tuple[int, int]:
        """The line and column in the file of `value[offset]`, found in the text as written
        (`value` is it stripped and with Chinese line breaks joined); the value's own position if
        the text does not map to the file line by line (a folded value)."""
        raw = node.raw if isinstance(node.raw, str) else ""
        needle = value[offset:offset + 24].split("\n", 1)[0]
        at = raw.find(needle) if needle else -1
        if at < 0 or not node.text_line:
            return node.line, node.col
        line_start = raw.rfind("\n", 0, at) + 1
        return node.text_line + raw.count("\n", 0, at), node.text_col + at - line_start

    def slug(self, node: YNode, kind: Slug, label: str, required: bool) -> Any:
        value = self.text(node, _PLAIN_TEXT, label, required=required)
        if value and value is not INVALID and not SLUG_RE.match(str(value)):
            self.error(node, f"{label}的值 '{value}' 不合格：{SLUG_HELP}")
            return INVALID
        return value

    def number(self, node: YNode, kind: Number, label: str) -> Any:
        raw = node.raw if node.kind == "scalar" else None
        text = str(raw if raw is not None else "").strip()
        number = kind.parse(text) if node.kind == "scalar" else None
        if number is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            self.error(node, f"{label}应该是一个整数（如 {kind.typical}，用半角数字 0–9），"
                       f"这里是“{shown or _KIND_NAMES[node.kind]}”")
            return INVALID
        if not kind.least <= number <= kind.most:
            digits = len(text.lstrip("0"))
            shown = str(int(text)) if digits <= 20 else f"一个 {digits} 位的数"
            self.error(node, f"{label}应该在 {kind.least} 到 {kind.most} 之间，这里是 {shown}")
            return INVALID
        return number

    def ref(self, node: YNode | tuple[int, int], group: str, value: str) -> Any:
        known = self.refs.get(group, ())
        if known is None or value in self.known.get(group, known):  # None: the group is broken, reported there
            return value
        where = self.ref_where.get(group, "")
        hint = suggestion_text(value, known, self.names.get(group), where, group)
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
            value = self.text(child, kind.value, f"{label} 中 '{key}' 的说明", required=True,
                              deletable="这一项")
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
            value = self.value(child, kind.item, f"{label} 第 {index} 项", deletable="这一项")
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
            ok = self._total(node, kind.total, out, label)
        if ok and kind.unique:
            ok = self._unique(node, kind.unique, out, label)
        return out if ok else INVALID

    def _total(self, node: YNode, rule: tuple[str, int, int], out: list[Any], label: str) -> bool:
        """The items' numbers sum within the bounds. An optional number is all or nothing: written
        on every item (then summed) or on none (then not checked)."""
        name, least, most = rule
        missing = [index for index, item in enumerate(out) if item.get(name) is None]
        if missing and len(missing) < len(out):
            where = node.value[missing[0]]
            self.error(where, f"{label} 第 {missing[0] + 1} 项缺少 '{name}'：要么每一项都写，要么都不写")
            return False
        if missing:
            return True
        total = sum(item[name] for item in out)
        if not least <= total <= most:
            should = f"正好是 {least}" if least == most else f"在 {least} 到 {most} 之间"
            self.error(node, f"{label}的 {name} 合计 {total}，应该{should}")
            return False
        return True

    def _unique(self, node: YNode, name: str, out: list[Any], label: str) -> bool:
        first: dict[Any, int] = {}
        ok = True
        for index, item in enumerate(out):
            value = item.get(name)
            if value is None:
                continue
            if value in first:
                child = node.value[index]
                where = child.value.get(name, child) if child.kind == "map" else child
                self.error(where, f"{label} 第 {index + 1} 项的 {name} '{value}' 与第 {first[value] + 1} 项重复；"
                           f"每一项的 {name} 要不同")
                ok = False
            else:
                first[value] = index
        return ok
