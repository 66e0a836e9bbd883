"""The editor JSON Schema for case files, derived from schema.CASE and the taxonomy.

VS Code's YAML extension reads it through the `# yaml-language-server: $schema=…` line at the
top of each case, completing field names and taxonomy keys and flagging mistakes as you type.
"""

from __future__ import annotations

import json
from typing import Any

from . import schema
from .model import Library
from .schema import Choice, Field, ListOf, Number, Record, Ref, RefMap, Text

SCHEMA_ID = "https://casebook.invalid/schema/case.schema.json"


def _described(out: dict[str, Any], spec: Field | None) -> dict[str, Any]:
    if spec is not None:
        both = spec.title and spec.description
        text = f"{spec.title}：{spec.description}" if both else spec.title or spec.description
        if text:
            out["description"] = text
    return out


def _ref_keys(group: str, library: Library) -> list[str]:
    if group == "cases":
        return list(library.cases)
    if group == "frameworks":
        return list(library.frameworks)
    return list(library.taxonomy.keys(group))


def _ref_descriptions(group: str, library: Library) -> list[str]:
    if group == "cases":
        return [c.title for c in library.cases.values()]
    if group == "frameworks":
        return [f.name for f in library.frameworks.values()]
    return [t.name for t in library.taxonomy.groups[group].values()]


def _type_schema(kind: object, library: Library) -> dict[str, Any]:
    if isinstance(kind, Text):
        return {"type": ["string", "number"], "minLength": 1}
    if isinstance(kind, Number):
        return {"type": "integer", "minimum": kind.least, "maximum": kind.most}
    if isinstance(kind, Choice):
        return {"enum": list(kind.options), "markdownEnumDescriptions": list(kind.labels)}
    if isinstance(kind, Ref):
        return {"enum": _ref_keys(kind.group, library),
                "markdownEnumDescriptions": _ref_descriptions(kind.group, library)}
    if isinstance(kind, RefMap):
        keys = _ref_keys(kind.group, library)
        names = _ref_descriptions(kind.group, library)
        value = _type_schema(kind.value, library)
        return {
            "type": "object",
            "minProperties": kind.min_items,
            "properties": {k: {**value, "description": n} for k, n in zip(keys, names, strict=True)},
            "additionalProperties": False,
        }
    if isinstance(kind, ListOf):
        array = {"type": "array", "minItems": kind.min_items, "items": _type_schema(kind.item, library)}
        if kind.max_items:
            array["maxItems"] = kind.max_items
        return array
    if isinstance(kind, Record):
        return _record_schema(kind, library)
    raise TypeError(f"unknown schema type {kind!r}")


def _record_schema(record: Record, library: Library) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: _described(_type_schema(f.type, library), f) for f in record.fields},
        "required": [f.name for f in record.fields if f.required],
        "additionalProperties": False,
    }
    conditional = [f for f in record.fields if f.required_when]
    if conditional:
        out["allOf"] = [
            {
                "if": {"properties": {f.required_when[0]: {"const": f.required_when[1]}},
                       "required": [f.required_when[0]]},
                "then": {"required": [f.name]},
            }
            for f in conditional
            if f.required_when
        ]
    return out


def case_json_schema(library: Library) -> dict[str, Any]:
    document = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "服务营销案例库：案例文件",
        "description": "cases/<id>.yaml 的格式。由 casebook/schema.py 生成，请勿手改；"
        "运行 `python build.py schema` 重新生成。",
        **_record_schema(schema.CASE, library),
    }
    return document


def render_json_schema(library: Library) -> str:
    return json.dumps(case_json_schema(library), ensure_ascii=False, indent=2) + "\n"
