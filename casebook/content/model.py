"""The validated content, as objects whose attributes are the schema's fields.

Nothing here repeats a field of schema.py: an `Entity` gets one attribute per field of its
Record (an optional field left out gets its type's empty value), so a field added to the schema
is in the model and in the templates at once. The classes below add only what is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casebook.content import records
from casebook.content.entity import Entity

__all__ = ["Case", "Course", "Entity", "Framework", "LearningPath", "Library", "Taxonomy", "Term"]


class Term(records.Term):
    """A taxonomy term; besides its fields: `key` and `group`."""

    key: str
    group: str


class Framework(records.Framework):
    """A framework of frameworks.yaml; besides its fields: `key`."""

    key: str


class LearningPath(records.LearningPath):
    """A learning path of paths.yaml; besides its fields: `key`."""

    key: str


class Course(records.Course):
    """A course of courses/ (sessions of cases, for trainers); besides its fields: `key` and `path`."""

    key: str
    path: str


class Case(records.Case):
    """A case file; besides its fields: `id` (the file name) and `path` (for messages)."""

    id: str
    path: str

    @property
    def is_parable(self) -> bool:
        return self.kind == "parable"

    def notes_for(self, group: str) -> dict[str, str]:
        """The case's own note for each term of a group (industry has none: its summary stands in)."""
        if group == "industries":
            return {self.industry: self.summary}
        notes: dict[str, str] = self.values()[group]
        return notes


@dataclass
class Taxonomy:
    groups: dict[str, dict[str, Term]]  # group -> key -> term, in file order
    _keys: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def term(self, group: str, key: str) -> Term:
        return self.groups[group][key]

    def keys(self, group: str) -> tuple[str, ...]:
        """The keys of a group in file order (cached: templates ask for them on every page)."""
        if group not in self._keys:
            self._keys[group] = tuple(self.groups.get(group, {}))
        return self._keys[group]


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
