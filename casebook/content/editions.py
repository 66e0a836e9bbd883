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
from casebook.content.model import Case, Entity, Library
from casebook.content.schema import Record


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
# Pages for preparing lessons and writing cases, trainer edition only (their nav title, their page),
# listed after the matrices under 备课工具: the student edition has no page that speaks of build.py,
# schema.py or a YAML field. Those who write cases have CONTRIBUTING.md as well.
TRAINER_TOOL_PAGES = (("覆盖情况", "overview/coverage.md"), ("案例格式", "guide/format.md"))


def _without_trainer_fields(entity: Any, record: Record) -> Any:
    values = dict(entity.__dict__)
    for spec in record.fields:
        if spec.trainer_only:
            values[spec.name] = spec.type.empty()
    return type(entity)(**values)


def _without_answers(case: Case) -> Case:
    questions = [Entity(**{**q.__dict__, "answer": ""}) for q in case.questions]
    return type(case)(**{**case.__dict__, "questions": questions})


def for_edition(library: Library, edition: Edition) -> Library:
    """The library as this edition shows it: trainer-only fields dropped from the student and
    classroom editions, reference answers from the classroom edition."""
    if edition.teaching and edition.answers:
        return library
    cases = {}
    for case_id, case in library.cases.items():
        if not edition.teaching:
            case = _without_trainer_fields(case, schema.CASE)
        if not edition.answers:
            case = _without_answers(case)
        cases[case_id] = case
    return replace(library, cases=cases)


def session_minutes(case: Case) -> int:
    """How long the case's teaching plan runs (0 without a teaching note)."""
    return sum(step.minutes for step in case.teaching.plan) if case.teaching else 0
