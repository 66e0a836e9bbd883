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
from casebook.content.entity import E
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
# Pages for preparing lessons and writing cases, trainer edition only (their nav title, their page),
# listed after the matrices under 备课工具: the student edition has no page that speaks of build.py,
# schema.py or a YAML field. Those who write cases have CONTRIBUTING.md as well.
TRAINER_TOOL_PAGES = (("覆盖情况", "overview/coverage.md"), ("案例格式", "guide/format.md"))


def _without_trainer_fields(entity: E, record: Record) -> E:
    return entity.replace(**{spec.name: spec.type.empty() for spec in record.fields if spec.trainer_only})


def for_classroom(entity: E, record: Record) -> E:
    """What a trainee gets in class, as the schema's fields declare it (`classroom`,
    `classroom_items`): no analysis, takeaways or answers, the terms without their notes, only the
    questions asked before and during class. Nested records are stripped the same way."""
    values = entity.values()
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
    return entity.replace(**values)


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


@dataclass(frozen=True)
class SessionPlan:
    """One way to teach a case: the main plan, or one of its variants."""

    label: str
    minutes: int
    steps: list[Any]
    use: str = ""


def session_plans(case: Case) -> list[SessionPlan]:
    """The case's main plan, then its variants (none without a teaching note)."""
    if case.teaching is None:
        return []
    main = SessionPlan("主课堂计划", session_minutes(case), case.teaching.plan)
    return [main, *(SessionPlan(v.label, v.minutes, v.plan, v.use) for v in case.teaching.variants)]


def session_plan(case: Case, variant: int = 0) -> SessionPlan | None:
    """The plan a course's session uses: the variant of that length, or the main plan (`check`
    has made sure the variant exists)."""
    plans = session_plans(case)
    if not plans:
        return None
    return next((plan for plan in plans[1:] if plan.minutes == variant), plans[0]) if variant else plans[0]


def course_minutes(library: Library, course: Any) -> int:
    """How long a course runs: its sessions' plans added up."""
    total = 0
    for session in course.sessions:
        plan = session_plan(library.cases[session.case], session.variant) if session.case in library.cases else None
        total += plan.minutes if plan else 0
    return total


# The 备课 page's length filter: which session plans (main or variant) fall in each band.
LENGTH_BUCKETS = (("short", "50 分钟以内", 50), ("middle", "51–90 分钟", 90), ("long", "91–150 分钟", 150),
                  ("workshop", "150 分钟以上", 10**6))


def length_bucket(minutes: int) -> str:
    return next(key for key, _, most in LENGTH_BUCKETS if minutes <= most)
