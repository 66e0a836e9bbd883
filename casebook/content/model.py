"""The validated content, as objects whose attributes are the schema's fields.

Nothing here repeats a field of schema.py: an `Entity` gets one attribute per field of its
Record (an optional field left out gets its type's empty value), so a field added to the schema
is in the model and in the templates at once. The classes below add only what is computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from casebook.content.schema import Record


class Entity:
    """A validated record: `entity.<field>` for every field of its schema Record."""

    record: ClassVar[Record | None] = None  # the Record a subclass is made from

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    @classmethod
    def of(cls, record: Record, data: Mapping[str, Any], **extra: Any) -> Any:
        """The entity for validated `data` of `record`, nested records made entities too."""
        values = dict(extra)
        for spec in record.fields:
            value = data.get(spec.name)
            values[spec.name] = spec.type.empty() if value is None else spec.type.to_model(value)
        return cls(**values)

    def __getattr__(self, name: str) -> Any:
        # Only reached for a name that is not a field: the schema, not this class, says which exist.
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclasses it replaces

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in list(self.__dict__.items())[:3])
        return f"{type(self).__name__}({shown}, …)"


class Term(Entity):
    """A taxonomy term; besides its fields: `key` and `group`."""


class Framework(Entity):
    """A framework of frameworks.yaml; besides its fields: `key`."""


class LearningPath(Entity):
    """A learning path of paths.yaml; besides its fields: `key`."""


class Course(Entity):
    """A course of courses/ (sessions of cases, for trainers); besides its fields: `key` and `path`."""


class Case(Entity):
    """A case file; besides its fields: `id` (the file name) and `path` (for messages)."""

    @property
    def is_parable(self) -> bool:
        return bool(self.kind == "parable")

    def notes_for(self, group: str) -> dict[str, str]:
        """The case's own note for each term of a group (industry has none: its summary stands in)."""
        if group == "industries":
            return {self.industry: self.summary}
        notes: dict[str, str] = getattr(self, group)
        return notes


@dataclass
class Taxonomy:
    groups: dict[str, dict[str, Term]]  # group -> key -> term, in file order

    def term(self, group: str, key: str) -> Term:
        return self.groups[group][key]

    def keys(self, group: str) -> tuple[str, ...]:
        """The keys of a group in file order (cached: templates ask for them on every page)."""
        cache = self.__dict__.setdefault("_keys", {})
        if group not in cache:
            cache[group] = tuple(self.groups.get(group, {}))
        return cache[group]


@dataclass
class Library:
    """Everything that was read and validated: the input to indexing and rendering."""

    taxonomy: Taxonomy
    cases: dict[str, Case]  # by id, sorted by id
    frameworks: dict[str, Framework] = field(default_factory=dict)
    paths: dict[str, LearningPath] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)  # by id (the file name), sorted

    def _named(self, group: str) -> list[tuple[str, str]]:
        if group == "cases":
            return [(key, case.title) for key, case in self.cases.items()]
        if group == "frameworks":
            return [(key, framework.name) for key, framework in self.frameworks.items()]
        if group == "paths":
            return [(key, path.name) for key, path in self.paths.items()]
        return [(key, term.name) for key, term in self.taxonomy.groups.get(group, {}).items()]

    def keys(self, group: str) -> list[str]:
        """The keys of a referable group (a taxonomy group, frameworks, paths or cases), in order."""
        return [key for key, _ in self._named(group)]

    def names(self, group: str) -> list[str]:
        """Their Chinese names, in the same order."""
        return [name for _, name in self._named(group)]
