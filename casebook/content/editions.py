"""The two editions of the library: what trainees get, and what trainers get on top.

Which content is the trainer's is declared once, on the schema's fields (`trainer_only`); the
student edition is the same library with those fields emptied before anything is rendered, so
no page, search entry or handout of it can hold them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from casebook.content import schema
from casebook.content.model import Case, Library
from casebook.content.schema import ListOf, Record


@dataclass(frozen=True)
class Edition:
    key: str
    label: str  # shown after the site's name and on handouts
    teaching: bool  # whether trainer-only fields are kept


EDITIONS: dict[str, Edition] = {e.key: e for e in (
    Edition("student", "学员版", teaching=False),
    Edition("trainer", "讲师版", teaching=True),
)}
# The trainer edition's extra page, under the 备课工具 tab.
PREP_PAGE = "prep/index.md"
PREP_TITLE = "备课"


def _without_trainer_fields(entity: Any, record: Record) -> Any:
    values = dict(entity.__dict__)
    for spec in record.fields:
        if spec.trainer_only:
            values[spec.name] = spec.type.empty()
    return type(entity)(**values)


def for_classroom(entity: Any, record: Record) -> Any:
    """What a trainee gets in class, as the schema's fields declare it (`classroom`,
    `classroom_items`): no analysis, takeaways or answers, the terms without their notes, only the
    questions asked before and during class. Nested records are stripped the same way."""
    values = dict(entity.__dict__)
    for spec in record.fields:
        value = values[spec.name]
        if spec.classroom == "drop":
            value = spec.type.empty()
        elif spec.classroom == "keys":
            value = dict.fromkeys(value, "")
        if spec.classroom_items is not None:
            name, kept = spec.classroom_items
            value = [item for item in value if getattr(item, name) in kept]
        if isinstance(spec.type, ListOf) and isinstance(spec.type.item, Record):
            value = [for_classroom(item, spec.type.item) for item in value]
        elif isinstance(spec.type, Record) and value is not None:
            value = for_classroom(value, spec.type)
        values[spec.name] = value
    return type(entity)(**values)


def _without_answers(case: Case) -> Case:
    """The classroom handout: the trainer's fields are gone already; the rest as declared."""
    stripped: Case = for_classroom(case, schema.CASE)
    return stripped


def for_edition(library: Library, edition: Edition, answers: bool = True) -> Library:
    """The library as this edition shows it: trainer-only fields dropped from the student
    edition; with `answers=False`, reference answers dropped too (a classroom handout)."""
    if edition.teaching and answers:
        return library
    cases = {}
    for case_id, case in library.cases.items():
        if not edition.teaching:
            case = _without_trainer_fields(case, schema.CASE)
        if not answers:
            case = _without_answers(case)
        cases[case_id] = case
    return replace(library, cases=cases)


def session_minutes(case: Case) -> int:
    """How long the case's teaching plan runs (0 without a teaching note)."""
    return sum(step.minutes for step in case.teaching.plan) if case.teaching else 0
