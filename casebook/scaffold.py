"""`build.py new <id>`: a case skeleton with every field present and explained, from schema.py."""

from __future__ import annotations

from .formatdoc import required_label, type_label
from .model import Library
from .schema import CASE, Field, ListOf, Record, RefMap

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


def _block(text: str, indent: int = 2) -> str:
    pad = " " * indent
    return "".join(f"{pad}{line}\n" for line in text.splitlines())


def _example(field: Field, library: Library) -> str:
    name, kind = field.name, field.type
    if isinstance(kind, RefMap):
        keys = library.taxonomy.keys(kind.group) if kind.group != "frameworks" else list(library.frameworks)
        if kind.group == "stages":
            return f"{name}:\n" + "".join(f"  {k}: |\n    （待填写：这一阶段具体做了什么）\n" for k in keys[:3])
        if kind.group == "frameworks":
            return f"{name}: {{}}\n"
        samples = keys[:max(1, field.recommended)] or ["key"]
        return f"{name}:\n" + "".join(f"  {key}: （待填写：一句话，本案例如何体现或运用它）\n" for key in samples)
    if isinstance(kind, ListOf) and isinstance(kind.item, Record):
        lines = []
        for _ in range(max(1, field.recommended)):  # as many items as a good case has
            for i, f in enumerate(kind.item.fields):
                prefix = "  - " if i == 0 else "    "
                hint = "必填" if f.required else "可选"
                lines.append(f"{prefix}{f.name}: （待填写：{f.title}，{hint}）")
        return f"{name}:\n" + "\n".join(lines) + "\n"
    if isinstance(kind, ListOf):
        count = max(1, field.recommended, kind.min_items)
        return f"{name}:\n" + "".join(f"  - （待填写：第 {n} 条）\n" for n in range(1, count + 1))
    if field.name == "kind":
        return "kind: case\n"
    if field.name == "industry":
        keys = library.taxonomy.keys("industries")
        return f"industry: {keys[0] if keys else ''}\n"
    if getattr(kind, "markdown", False) or getattr(kind, "multiline", False):
        return f"{name}: |\n" + _block(f"（待填写：{field.title}，可以写多段）")
    return f"{name}: {_PLACEHOLDERS.get(name, '（待填写：' + field.title + '）')}\n"


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
