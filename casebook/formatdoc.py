"""Human descriptions of the case format, derived from schema.py (for the docs and the scaffold)."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import CASE, GROUPS, Choice, Field, ListOf, Number, Record, Ref, RefMap, Text


def type_label(kind: object) -> str:
    if isinstance(kind, Text):
        return "Markdown 文字" if kind.markdown else ("多行文字" if kind.multiline else "文字")
    if isinstance(kind, Number):
        return f"整数（{kind.least}–{kind.most}）"
    if isinstance(kind, Choice):
        return " 或 ".join(kind.options)
    if isinstance(kind, Ref):
        return f"{GROUPS[kind.group].singular}的键（见 {GROUPS[kind.group].file}）"
    if isinstance(kind, RefMap):
        least = f"，至少 {kind.min_items} 项" if kind.min_items else ""
        return f"映射：{GROUPS[kind.group].singular}的键 → {type_label(kind.value)}{least}"
    if isinstance(kind, ListOf):
        least = f"，至少 {kind.min_items} 项" if kind.min_items else ""
        if kind.max_items:
            least += f"，最多 {kind.max_items} 项"
        if kind.total:
            least += f"，{kind.total[0]} 合计 {kind.total[1]}–{kind.total[2]}"
        item = type_label(kind.item)
        return f"列表，每项是{item}{least}"
    if isinstance(kind, Record):
        return "{" + ", ".join(f.name + ("" if f.required else "?") for f in kind.fields) + "}"
    raise TypeError(f"unknown schema type {kind!r}")


def recommended_label(spec: Field) -> str:
    """What a good case has beyond the minimum (schema.Field.recommended), or ""."""
    if not spec.recommended:
        return ""
    if isinstance(spec.type, (ListOf, RefMap)):
        return f"建议至少 {spec.recommended} 项"
    return "建议写上"


def required_label(spec: Field) -> str:
    if spec.required:
        label = "必填"
    elif spec.required_when:
        label = f"{spec.required_when[0]} 为 {spec.required_when[1]} 时必填"
    else:
        label = "可选"
    recommended = recommended_label(spec)
    return f"{label}，{recommended}" if recommended else label


@dataclass(frozen=True)
class FieldRow:
    name: str
    title: str
    type: str
    required: str
    description: str
    subfields: tuple[FieldRow, ...] = ()


def field_rows(record: Record = CASE) -> list[FieldRow]:
    rows = []
    for spec in record.fields:
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        sub = tuple(field_rows(inner)) if isinstance(inner, Record) else ()
        rows.append(FieldRow(spec.name, spec.title, type_label(spec.type), required_label(spec),
                             spec.description, sub))
    return rows
