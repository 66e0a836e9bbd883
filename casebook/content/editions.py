"""The editions of the library: what trainees read on their own, what a class is handed, and
what trainers get on top.

Which content is the trainer's is declared once, on the schema's fields (`trainer_only`); the
student edition is the same library with those fields emptied before anything is rendered, so
no page, search entry or handout of it can hold them. The classroom edition also leaves out the
reference answers. Each edition builds into folders and caches of its own (`Project`), so no
build of one can leave anything in another.
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
    answers: bool = True  # whether the questions' reference answers are kept
    exported: bool = True  # whether `build.py export` makes its offline zip and handouts


EDITIONS: dict[str, Edition] = {e.key: e for e in (
    Edition("student", "学员版", teaching=False),
    Edition("classroom", "课堂版", teaching=False, answers=False, exported=False),
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


def _for_class(case: Case) -> Case:
    """The classroom edition's case: the trainer's fields are gone already; the rest as declared."""
    stripped: Case = for_classroom(case, schema.CASE)
    return stripped


def for_edition(library: Library, edition: Edition) -> Library:
    """The library as this edition shows it: trainer-only fields dropped from the student and
    classroom editions; from the classroom edition also what `for_classroom` drops (the analysis,
    takeaways, answers, the terms' notes, the 课后 questions)."""
    if edition.teaching and edition.answers:
        return library
    cases = {}
    for case_id, case in library.cases.items():
        if not edition.teaching:
            case = _without_trainer_fields(case, schema.CASE)
        if not edition.answers:  # the classroom edition
            case = _for_class(case)
        cases[case_id] = case
    return replace(library, cases=cases)


def session_minutes(case: Case) -> int:
    """How long the case's teaching plan runs (0 without a teaching note)."""
    return sum(step.minutes for step in case.teaching.plan) if case.teaching else 0
