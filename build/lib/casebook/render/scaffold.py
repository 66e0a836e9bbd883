"""`build.py new <id>`: a case skeleton with every field present and explained, from schema.py."""

from __future__ import annotations

from casebook.content import schema
from casebook.content.fieldtypes import Field
from casebook.content.model import Library
from casebook.render.formatdoc import required_label, type_label

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
    """The keys a reference field can take, listed in a comment."""
    group = getattr(field.type, "group", None)
    if group is None or group == "cases":
        return ""
    lines = []
    line = "#   可选："
    for key, name in zip(library.keys(group), library.names(group), strict=True):
        piece = f"{key}（{name}） "
        if len(line) + len(piece) > 90:
            lines.append(line.rstrip())
            line = "#         "
        line += piece
    lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def _example(field: Field, library: Library) -> str:
    head, below = field.type.skeleton(field.title, 2, library, field.recommended)
    if field.name in _PLACEHOLDERS:
        head = " " + _PLACEHOLDERS[field.name]
    return f"{field.name}:{head}\n" + "".join(f"{line}\n" for line in below)


def scaffold(case_id: str, library: Library) -> str:
    out = [
        "# yaml-language-server: $schema=../schema/case.schema.json\n",
        f"# 案例 {case_id}：把每个“（待填写：…）”换成你的内容；可选字段不用时可以整段删掉。\n",
        "# 写完后运行：python build.py check\n",
        "# 格式说明：网站上的“案例格式说明”页，或 CONTRIBUTING.md\n",
    ]
    for field in schema.CASE.fields:
        out.append("\n")
        out.append(f"# {field.title}（{required_label(field)}）：{field.description}\n")
        out.append(f"#   类型：{type_label(field.type)}\n")
        out.append(_choices(field, library))
        out.append(_example(field, library))
    return "".join(out)
