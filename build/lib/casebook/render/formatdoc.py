"""Human descriptions of the case format, derived from schema.py (for the docs and the scaffold)."""

from __future__ import annotations

from dataclasses import dataclass

from casebook.content import schema
from casebook.content.fieldtypes import Field, FieldType, ListOf, Record, RefMap


def type_label(kind: FieldType) -> str:
    return kind.describe()


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


def field_rows(record: Record | None = None) -> list[FieldRow]:
    rows = []
    record = record or schema.CASE
    for spec in record.fields:
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        sub = tuple(field_rows(inner)) if isinstance(inner, Record) else ()
        rows.append(FieldRow(spec.name, spec.title, type_label(spec.type), required_label(spec),
                             spec.description, sub))
    return rows
