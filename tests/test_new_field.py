"""Adding a case field takes the schema and a template, nothing else (issue: each concept declared once)."""

from __future__ import annotations

from dataclasses import replace

from casebook.content import schema
from casebook.content.jsonschema import case_json_schema
from casebook.content.load import load_library
from casebook.index.indexes import build_indexes
from casebook.render.pages import render_site


def test_an_optional_field_added_to_the_schema_is_validated_modelled_and_rendered(project, monkeypatch):
    lesson_plan = schema.Field("lesson_plan", schema.Text(markdown=True, multiline=True), title="课时安排",
                               description="一节课怎么安排。")
    monkeypatch.setattr(schema, "CASE", replace(schema.CASE, fields=(*schema.CASE.fields, lesson_plan)))
    template = project.templates_dir / "case" / "summary.html.j2"
    template.write_text(template.read_text(encoding="utf-8")
                        + '{% if case.lesson_plan %}<div class="lesson">{{ markdown(case.lesson_plan) }}</div>'
                        '{% endif %}\n',
                        encoding="utf-8")
    alpha = project.cases_dir / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8") + "lesson_plan: |\n  先讲故事，**再**讨论。\n", encoding="utf-8")
    beta = project.cases_dir / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8") + "lesson_plan: [不是文字]\n", encoding="utf-8")

    library, report = load_library(project)
    assert [d.message for d in report.errors] == [
        "'lesson_plan'应该是文字，这里是列表（- 项）；多行文字请用“|”开头的块写法"]
    assert library.cases["alpha"].lesson_plan == "先讲故事，**再**讨论。"  # in the model
    assert library.cases["gamma"].lesson_plan == ""  # left out: the type's empty value

    beta.write_text(beta.read_text(encoding="utf-8").replace("lesson_plan: [不是文字]\n", ""), encoding="utf-8")
    library, report = load_library(project)
    assert report.errors == []
    pages = render_site(library, build_indexes(library), project.templates_dir)
    assert '<div class="lesson"><p>先讲故事，<strong>再</strong>讨论。</p></div>' in pages["docs/cases/alpha.md"]
    assert 'class="lesson"' not in pages["docs/cases/gamma.md"]
    assert "lesson_plan" in case_json_schema(library)["properties"]  # and the editor knows it
