"""The schema's own advice (issue 19, item 3): warnings a field type or record gives about a valid
value, declared in schema.py beside the field, given only once the whole file is valid."""

from __future__ import annotations

from pathlib import Path

from casebook.content import schema
from casebook.content.load import load_library


def _messages(project) -> list[str]:  # type: ignore[no-untyped-def]
    _, report = load_library(project)
    return [d.text() for d in report.sorted()]


def _alpha(project) -> str:  # type: ignore[no-untyped-def]
    return Path(project.root / "cases" / "alpha.yaml").read_text(encoding="utf-8")


def test_advice_on_a_valid_case(project, write) -> None:  # type: ignore[no-untyped-def]
    text = (_alpha(project).replace("title: 米店送米", "title: 米店送米的故事")
            .replace("  - case: gamma\n", "  - case: alpha\n")
            .replace("    - 识别米店把顾客", "    - 了解米店把顾客"))
    write("cases/alpha.yaml", text)
    found = "\n".join(_messages(project))
    assert "cases/alpha.yaml:3:7: 警告: 标题像是教学故事；如果不是真实、可考证的事件，请把 kind 改为 parable" in found
    assert "cases/alpha.yaml:36:5: 警告: related 指向了案例自己；请删掉这一项" in found
    assert "cases/alpha.yaml:44:7: 警告: 学习目标请以学员学完能做的事开头，如：识别、分析、设计" in found


def test_no_advice_beside_an_error(project, write) -> None:  # type: ignore[no-untyped-def]
    text = (_alpha(project).replace("title: 米店送米", "title: 米店送米的故事")
            .replace("  - case: gamma\n", "  - case: alpha\n")
            .replace("industry: retail", "industry: retial"))
    write("cases/alpha.yaml", text)
    found = [m for m in _messages(project) if m.startswith("cases/alpha.yaml")]
    assert any("未知的行业 'retial'" in m for m in found)
    assert not any("教学故事" in m or "指向了案例自己" in m for m in found), found


def test_the_advice_is_declared_in_the_schema() -> None:
    assert schema.CASE.advice and schema.RELATED.advice
    objectives = schema.TEACHING.get("objectives")
    assert objectives is not None and isinstance(objectives.type, schema.ListOf)
    assert isinstance(objectives.type.item, schema.Text) and objectives.type.item.advice
