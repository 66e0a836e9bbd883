"""The base of the model's objects: one attribute per field of a schema Record.

The attributes each kind of entity has are declared in records.py, generated from schema.py
(`python -m casebook.content.recordgen`), so mypy checks every field access; this module only
holds the values and gives the typed ways to read and change them (`values`, `replace`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from casebook.content.fieldtypes import FieldType, ListOf, Record

E = TypeVar("E", bound="Entity")

# The class of each Record's entities (records.py declares them), by the Record's identity: a
# nested record (a case's questions) becomes an object of its own class, so its fields are typed.
_CLASSES: dict[int, type[Entity]] = {}


class Entity:
    """A validated record: `entity.<field>` for every field of its schema Record."""

    record: ClassVar[Record | None] = None  # the Record a subclass is made from

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        if cls.__dict__.get("record") is not None:
            _CLASSES.setdefault(id(cls.__dict__["record"]), cls)  # records.py's, not model.py's subclass

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    @classmethod
    def of(cls: type[E], record: Record, data: Mapping[str, Any], **extra: Any) -> E:
        """The entity for validated `data` of `record`, nested records made entities too."""
        values = dict(extra)
        for spec in record.fields:
            value = data.get(spec.name)
            values[spec.name] = spec.type.empty() if value is None else _to_model(spec.type, value)
        return cls(**values)

    def values(self) -> dict[str, Any]:
        """Every field (and extra such as a case's `id`) by name, in schema order: a new dict."""
        return dict(self.__dict__)

    def replace(self: E, **changes: Any) -> E:
        """A copy of this entity with some fields changed (entities are not changed in place)."""
        return type(self)(**{**self.__dict__, **changes})

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclasses it replaces

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in list(self.__dict__.items())[:3])
        return f"{type(self).__name__}({shown}, …)"


def _to_model(kind: FieldType, value: Any) -> Any:
    """Validated data of a field → what the model holds (a record an entity, lists item by item)."""
    if isinstance(kind, Record):
        return _CLASSES.get(id(kind), Entity).of(kind, value)
    if isinstance(kind, ListOf):
        return [_to_model(kind.item, item) for item in value]
    return value
