"""The typed model: records.py is what recordgen makes of schema.py, and mypy checks field access."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.content import records, schema
from casebook.content.model import Case, Entity
from casebook.content.recordgen import TARGET, generate

ROOT = Path(__file__).resolve().parent.parent


def test_records_py_matches_the_schema() -> None:
    assert TARGET.read_text(encoding="utf-8") == generate(), (
        "casebook/content/records.py is out of date: run `python -m casebook.content.recordgen`")


def test_a_field_added_to_the_schema_changes_the_generated_file(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = schema.Field("mood", schema.ListOf(schema.Ref("principles")), title="心情")
    monkeypatch.setattr(schema, "MOOD_BOARD", schema.Record((extra, *schema.FIGURE.fields)), raising=False)
    assert "class MoodBoard(Entity):\n    record: ClassVar[Record] = schema.MOOD_BOARD\n\n" \
           "    mood: list[str]  # 心情\n    label: str  # 指标\n" in generate()
    assert generate() != TARGET.read_text(encoding="utf-8")


def test_nested_records_become_entities_of_their_own_class(project) -> None:  # type: ignore[no-untyped-def]
    from casebook.content.load import load_library

    library, _ = load_library(project)
    alpha = library.cases["alpha"]
    assert isinstance(alpha, Case) and isinstance(alpha, records.Case)
    assert alpha.teaching is not None and type(alpha.teaching) is records.Teaching
    assert type(alpha.teaching.plan[0]) is records.PlanStep and type(alpha.sources[0]) is records.Source
    assert alpha.values()["title"] == alpha.title
    changed = alpha.replace(title="新标题")
    assert type(changed) is Case and changed.title == "新标题" and alpha.title != "新标题"
    assert changed.replace(title=alpha.title) == alpha


def test_an_entity_is_not_reached_into() -> None:
    # The model's values are read through `values()` / changed through `replace()`, never its __dict__.
    for path in sorted((ROOT / "casebook").rglob("*.py")):
        if path.name == "entity.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "__dict__" not in text and "vars(" not in text, path


def test_mypy_checks_field_access(tmp_path: Path) -> None:
    from mypy import api

    probe = tmp_path / "probe.py"
    probe.write_text("from casebook.content.model import Case\n\n\n"
                     "def f(case: Case) -> int:\n"
                     "    assert case.teaching is not None\n"
                     "    return len(case.titel) + case.teaching.plan[0].minutes + len(case.teaching.plan[0].activty)"
                     "\n",
                     encoding="utf-8")
    out, _, status = api.run(["--no-incremental", "--follow-imports=silent", str(probe)])
    assert status == 1
    assert '"Case" has no attribute "titel"' in out
    assert '"PlanStep" has no attribute "activty"' in out
    assert out.count("error:") == 2, out
    assert issubclass(records.PlanStep, Entity)


def test_ci_runs_mypy_strict() -> None:
    # .ci/run calls plain `mypy`: the project's configuration makes that --strict.
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = config.split("[tool.mypy]", 1)[1].split("\n[", 1)[0]
    assert "\nstrict = true\n" in section
    assert ".venv/bin/mypy" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
