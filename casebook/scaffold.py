"""`build.py new <id>`: a case skeleton with every field present and explained, from schema.py."""

from __future__ import annotations

from .formatdoc import required_label, type_label
from .model import Library
from .schema import CASE, Choice, Field, FieldType, ListOf, Number, Record, Ref, RefMap, Text

# Every placeholder starts with 待填写 so that `check` can tell one left in place from a real
# remark in parentheses (validate.PLACEHOLDER).
_PLACEHOLDERS = {
    "title": "（待填写：案例标题）",
    "subtitle": "（待填写：一句话点出启示）",
    "company": "（待填写：企业或人物）",
    "region": "（待填写：地区）",
    "period": "（待填写：时间，如 2001 或 1994–2003）",
    "summary": "（待填写：一到三句话的概要）",
}


def _choices(field: Field, library: Library) -> str:
    kind = field.type
    group = getattr(kind, "group", None)
    if group is None or group == "cases":
        return ""
    if group == "frameworks":
        items = [(k, f.name) for k, f in library.frameworks.items()]
    else:
        items = [(k, t.name) for k, t in library.taxonomy.groups[group].items()]
    lines = []
    line = "#   可选："
    for key, name in items:
        piece = f"{key}（{name}） "
        if len(line) + len(piece) > 90:
            lines.append(line.rstrip())
            line = "#         "
        line += piece
    lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


_ORDINALS = "一二三四五六七八九十"


def _placeholder(title: str) -> str:
    return f"（待填写：{title}）"


def _value_lines(kind: FieldType, title: str, indent: int, library: Library,
                 at_least: int = 0) -> tuple[str, list[str]]:
    """A skeleton value of a type: (text after the key's colon, the lines below it), with
    `at_least` items in a list or map (as many as a good case has: schema.Field.recommended)."""
    pad = " " * indent
    if isinstance(kind, Text):
        if kind.markdown or kind.multiline:
            return " |", [f"{pad}{_placeholder(title + '，可以写多段')}"]
        return " " + _placeholder(title), []
    if isinstance(kind, Number):
        return f" {kind.typical}", []
    if isinstance(kind, Choice):
        return f" {kind.empty()}", []
    if isinstance(kind, Ref):
        keys = _group_keys(kind.group, library)
        return (f" {keys[0]}" if keys else " " + _placeholder(title)), []
    if isinstance(kind, RefMap):
        keys = _group_keys(kind.group, library)
        if not max(kind.min_items, at_least):
            return " {}", []
        if kind.group == "stages":
            return "", [f"{pad}{k}: |\n{pad}  {_placeholder('这一阶段具体做了什么')}" for k in keys[:3]]
        count = max(kind.min_items, at_least)
        return "", [f"{pad}{k}: {_placeholder('一句话，本案例如何体现或运用它')}" for k in keys[:count]]
    if isinstance(kind, ListOf):
        count = max(kind.min_items, at_least, 1)
        lines: list[str] = []
        for index in range(count):
            if isinstance(kind.item, Record):
                sub = _record_lines(kind.item, indent + 2, library)
                sub[0] = f"{pad}- " + sub[0].lstrip()
                lines += sub
            elif isinstance(kind.item, Ref):
                head, _ = _value_lines(kind.item, title, indent, library)
                return f" [{head.strip()}]", []
            else:
                lines.append(f"{pad}- {_placeholder(f'第{_ORDINALS[index % 10]}条')}")
        return "", lines
    if isinstance(kind, Record):
        return "", _record_lines(kind, indent, library)
    raise TypeError(f"unknown schema type {kind!r}")


def _record_lines(record: Record, indent: int, library: Library) -> list[str]:
    pad = " " * indent
    lines = []
    for spec in record.fields:
        head, below = _value_lines(spec.type, spec.title, indent + 2, library)
        note = "必填" if spec.required else "可选"
        lines.append(f"{pad}{spec.name}:{head}  # {spec.title}（{note}）")
        lines += below
    return lines


def _group_keys(group: str, library: Library) -> list[str]:
    if group == "frameworks":
        return list(library.frameworks)
    if group == "cases":
        return list(library.cases)
    return list(library.taxonomy.keys(group))


def _example(field: Field, library: Library) -> str:
    if field.name == "title":
        return f"title: {_PLACEHOLDERS['title']}\n"
    head, below = _value_lines(field.type, field.title, 2, library, field.recommended)
    if isinstance(field.type, Text) and not (field.type.markdown or field.type.multiline):
        head = " " + _PLACEHOLDERS.get(field.name, _placeholder(field.title))
    return f"{field.name}:{head}\n" + "".join(f"{line}\n" for line in below)


def scaffold(case_id: str, library: Library) -> str:
    out = [
        "# yaml-language-server: $schema=../schema/case.schema.json\n",
        f"# 案例 {case_id}：把每个“（待填写：…）”换成你的内容；可选字段不用时可以整段删掉。\n",
        "# 写完后运行：python build.py check\n",
        "# 格式说明：网站上的“案例格式说明”页，或 CONTRIBUTING.md\n",
    ]
    for field in CASE.fields:
        out.append("\n")
        out.append(f"# {field.title}（{required_label(field)}）：{field.description}\n")
        out.append(f"#   类型：{type_label(field.type)}\n")
        out.append(_choices(field, library))
        out.append(_example(field, library))
    return "".join(out)
