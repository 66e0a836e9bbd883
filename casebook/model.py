"""The validated content: plain, immutable-by-convention dataclasses the rest of the pipeline reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Term:
    key: str
    group: str  # "stages", "principles", "strategies" or "industries"
    name: str
    definition: str
    name_en: str = ""
    source: str = ""


@dataclass
class Question:
    question: str
    answer: str


@dataclass
class Figure:
    label: str
    value: str
    source: str = ""


@dataclass
class RelatedLink:
    case: str
    note: str


@dataclass
class Source:
    title: str
    section: str = ""
    file: str = ""
    url: str = ""


@dataclass
class Case:
    id: str
    path: str  # relative to the project root, for messages
    title: str
    kind: str  # "case" or "parable"
    industry: str
    summary: str
    story: str
    stages: dict[str, str]
    strategies: dict[str, str]
    principles: dict[str, str]
    sources: list[Source]
    subtitle: str = ""
    company: str = ""
    region: str = ""
    period: str = ""
    frameworks: dict[str, str] = field(default_factory=dict)
    analysis: str = ""
    takeaways: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)

    @property
    def is_parable(self) -> bool:
        return self.kind == "parable"

    def notes_for(self, group: str) -> dict[str, str]:
        """The case's own note for each term of a group (industry has none: its summary stands in)."""
        if group == "industries":
            return {self.industry: self.summary}
        return {"stages": self.stages, "strategies": self.strategies,
                "principles": self.principles, "frameworks": self.frameworks}[group]


@dataclass
class FrameworkItem:
    name: str
    description: str = ""


@dataclass
class Framework:
    key: str
    name: str
    summary: str
    items: list[FrameworkItem]
    source: Source
    notes: str = ""


@dataclass
class PathStep:
    case: str
    why: str


@dataclass
class LearningPath:
    key: str
    name: str
    summary: str
    steps: list[PathStep]


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
