"""Write records.py: one class per Record of schema.py, its fields as typed attributes.

The model is made from the schema at run time (entity.Entity); this file gives mypy the same
fields, so `case.teaching.objectives` is checked and `case.titel` is an error. Run
`python -m casebook.content.recordgen` after changing schema.py; tests/test_records.py fails
while records.py and the schema disagree.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from casebook.content import schema
from casebook.content.fieldtypes import Choice, FieldType, ListOf, Number, Record, Ref, RefMap, Slug, Text

TARGET = Path(__file__).with_name("records.py")

HEADER = '''"""The fields of every Record of schema.py, as typed attributes (generated: do not edit).

Written by `python -m casebook.content.recordgen` from schema.py; tests/test_records.py checks
that it matches. model.py adds what is computed (a case's `id`, `path`, `is_parable`, …).
"""

from __future__ import annotations

from typing import ClassVar

from casebook.content import schema
from casebook.content.entity import Entity
from casebook.content.fieldtypes import Record
'''


def declared() -> list[tuple[str, Record]]:
    """The Records schema.py declares by name (in name order: the file does not change when one moves)."""
    return inspect.getmembers(schema, lambda value: isinstance(value, Record))


def record_names() -> dict[int, str]:
    """Each Record declared in schema.py by its object's id → its class name (CASE → Case)."""
    return {id(value): "".join(part.capitalize() for part in name.split("_")) for name, value in declared()}


def python_type(kind: FieldType, names: dict[int, str]) -> str:
    if isinstance(kind, (Text, Slug, Choice, Ref)):
        return "str"
    if isinstance(kind, Number):
        return "int"
    if isinstance(kind, RefMap):
        return "dict[str, str]"
    if isinstance(kind, ListOf):
        return f"list[{python_type(kind.item, names)}]"
    if id(kind) not in names:
        raise ValueError("a nested Record must be declared by name in schema.py")
    return names[id(kind)]


def generate() -> str:
    names = record_names()
    parts = [HEADER]
    for name, value in declared():
        lines = [f"\n\nclass {names[id(value)]}(Entity):",
                 f"    record: ClassVar[Record] = schema.{name}", ""]
        for spec in value.fields:
            kind = python_type(spec.type, names)
            if isinstance(spec.type, Record):
                kind += " | None"  # an optional record left out
            note = f"  # {spec.title}" if spec.title else ""
            lines.append(f"    {spec.name}: {kind}{note}")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


def main() -> int:
    TARGET.write_text(generate(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
