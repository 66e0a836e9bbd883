"""Issue 21's classroom kit: variants, materials and rubric weights and samples are checked to the
line and column; courses are checked like learning paths."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from browser import chromium_path

from casebook.content.load import load_library
from casebook.export.pdfoutline import page_count, pdf_outline
from casebook.project import Project

KIT = """  variants:
    - minutes: 45
      label: 短版
      use: 新员工入职培训里的一节。
      plan:
        - minutes: 15
          activity: 课前读完案例；开场收课前题。
        - minutes: 30
          activity: 分组讨论并总结。
    - minutes: 180
      label: 半天工作坊
      use: 服务经理的半天工作坊。
      plan:
        - minutes: 90
          activity: 课堂阅读与讨论。
        - minutes: 90
          activity: 角色扮演与复盘。
  materials:
    - key: rice-cards
      title: 顾客卡片（3 张）
      kind: cards
      use: 课堂计划第 2 步；每组一套。
      items:
        - 张家：五口人，每月一袋半米
        - 李家：两口人，每月半袋米
        - 王家：三口人，月初发薪
"""
SAMPLES = """      samples:
        excellent: 米店老板把顾客怕麻烦、怕断米、手头紧这三种需要，分别变成送米上门、按用量提前送和发薪后收钱三项服务。
        adequate: 米店老板送米上门，还会记下每家吃多少米，快吃完的时候就送过去，顾客很方便，所以生意好。
        weak: 米店老板服务态度很好，对顾客很热情，所以大家都愿意去他那里买米，生意越来越好了呢呢呢呢呢呢。
"""


def with_kit(project: Project, kit: str = KIT, weights: tuple[int, int] = (60, 40), samples: str = SAMPLES) -> Path:
    """Give the fixture case alpha a classroom kit (variants, materials, rubric weights and samples)."""
    path = project.cases_dir / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  board_plan:", kit + "  board_plan:")
    first = f"      weight: {weights[0]}\n      deliverable: 课后作业第 1 题\n"
    text = text.replace("    - criterion: 需要与做法\n", "    - criterion: 需要与做法\n" + first)
    text = text.replace("      weak: 只列做法。\n", "      weak: 只列做法。\n" + samples)
    text = text.replace("    - criterion: 卡片设计\n", f"    - criterion: 卡片设计\n      weight: {weights[1]}\n")
    path.write_text(text, encoding="utf-8")
    return path


def problems(project: Project) -> tuple[list[str], list[str]]:
    """The errors, and the warnings about kits and courses (the fixture's thin cases have others)."""
    _, report = load_library(project)
    kit = ("短版", "variant", "courses/", "课程")
    return [d.text() for d in report.errors], [d.text() for d in report.warnings if any(k in d.text() for k in kit)]


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if needle in line]
    return found[occurrence - 1]


def test_a_full_kit_is_clean_and_in_the_model(project):
    with_kit(project)
    library, _ = load_library(project)
    assert problems(project) == ([], [])
    teaching = library.cases["alpha"].teaching
    assert [v.minutes for v in teaching.variants] == [45, 180]
    assert teaching.variants[0].plan[1].minutes == 30
    assert teaching.materials[0].items[2] == "王家：三口人，月初发薪"
    assert [c.weight for c in teaching.rubric] == [60, 40]
    assert teaching.rubric[0].samples.weak.startswith("米店老板服务态度很好")
    assert teaching.rubric[1].samples is None  # optional: a criterion may go without


def test_every_variant_sums_to_its_stated_total(project):
    path = with_kit(project, KIT.replace("          activity: 分组讨论并总结。", "          activity: 分组讨论。")
                    .replace("        - minutes: 30\n", "        - minutes: 25\n"))
    errors, _ = problems(project)
    line = line_of(path, "      plan:")
    assert errors == [f"cases/alpha.yaml:{line + 1}:9: 'plan' 各项的 minutes 合计 40，应该正好等于 'minutes' 写的 45；"
                      "请调整各步的分钟数或 'minutes'"]


def test_rubric_weights_sum_to_100(project):
    path = with_kit(project, weights=(60, 30))
    errors, _ = problems(project)
    assert errors == [f"cases/alpha.yaml:{line_of(path, '  rubric:') + 1}:5: 'rubric'的 weight 合计 90，应该正好是 100"]


def test_rubric_weights_on_every_criterion_or_none(project):
    path = with_kit(project)
    path.write_text(path.read_text(encoding="utf-8").replace("      weight: 40\n", ""), encoding="utf-8")
    errors, _ = problems(project)
    assert errors == [f"cases/alpha.yaml:{line_of(path, '- criterion: 卡片设计')}:7: "
                      "'rubric' 第 2 项缺少 'weight'：要么每一项都写，要么都不写"]


def test_samples_are_long_enough_and_distinct(project):
    excellent = SAMPLES.splitlines()[1].split(": ", 1)[1]
    samples = "\n".join([*SAMPLES.splitlines()[:2], f"        adequate: {excellent}",
                         "        weak: 米店老板服务态度很好，顾客都喜欢他。", ""])
    path = with_kit(project, samples=samples)
    errors, _ = problems(project)
    weak = line_of(path, "        weak: 米店")
    adequate = line_of(path, "        adequate: 米店")
    assert f"cases/alpha.yaml:{weak}:15: 'weak'只有 18 个字，至少要写 40 个字" in errors
    assert f"cases/alpha.yaml:{adequate}:19: 'adequate' 与 'excellent' 写得一样；每一项要写出不同的内容" in errors
    assert len(errors) == 2


def test_material_keys_are_slugs_and_unique(project):
    second = KIT.split("  materials:\n")[1].replace("顾客卡片（3 张）", "另一套")
    path = with_kit(project, KIT + second.replace("rice-cards", "Rice Cards") + second)
    errors, _ = problems(project)
    assert errors[0] == (f"cases/alpha.yaml:{line_of(path, 'key: Rice Cards')}:12: 'key' 'Rice Cards' 不合格："
                         "只能用小写英文字母、数字和连字符，例如 rice-seller")
    path.write_text(path.read_text(encoding="utf-8").replace("Rice Cards", "other-cards"), encoding="utf-8")
    errors, _ = problems(project)
    assert errors == [f"cases/alpha.yaml:{line_of(path, 'key: rice-cards', 2)}:12: "
                      "'materials' 第 3 项的 key 'rice-cards' 与第 1 项重复；每一项的 key 要不同"]


def test_variant_lengths_are_unique(project):
    path = with_kit(project, KIT.replace("    - minutes: 180\n", "    - minutes: 45\n")
                    .replace("        - minutes: 90\n", "        - minutes: 20\n", 1)
                    .replace("        - minutes: 90\n", "        - minutes: 25\n", 1))
    errors, _ = problems(project)
    assert errors == [f"cases/alpha.yaml:{line_of(path, '    - minutes: 45', 2)}:16: "
                      "'variants' 第 2 项的 minutes '45' 与第 1 项重复；每一项的 minutes 要不同"]


def test_no_short_variant_is_a_warning(project):
    path = with_kit(project, KIT.split("    - minutes: 180\n")[0].replace("minutes: 45", "minutes: 60")
                    .replace("- minutes: 30", "- minutes: 45")
                    + KIT.split("  materials:\n")[0].split("    - minutes: 180\n")[0][:0]
                    + "  materials:\n" + KIT.split("  materials:\n")[1])
    errors, warnings = problems(project)
    assert errors == []
    assert warnings == [f"cases/alpha.yaml:{line_of(path, '  variants:') + 1}:5: 警告: 还没有 30–50 分钟的短版；"
                        "建议在 variants 里加一个（入职培训里常只有这么长）"]


COURSE = """title: 新员工服务意识一日课
audience: 入职一个月内的销售和客服新人。
sessions:
  - case: alpha
    variant: 45
    note: 开场。
  - case: beta
    note: 第二节。
"""


def test_a_course_loads_in_order(project, write):
    with_kit(project)
    write("courses/induction.yaml", COURSE)
    library, _ = load_library(project)
    assert problems(project) == ([], ["courses/induction.yaml:7:11: 警告: 案例 'beta' 还没有教学说明（teaching）："
                                      "这一节没有课堂计划和工具包"])
    course = library.courses["induction"]
    assert course.title == "新员工服务意识一日课"
    assert [(s.case, s.variant) for s in course.sessions] == [("alpha", 45), ("beta", 0)]


def test_a_course_naming_an_unknown_case_fails_with_a_did_you_mean(project, write):
    write("courses/induction.yaml", COURSE.replace("case: beta", "case: betta"))
    errors, _ = problems(project)
    assert "courses/induction.yaml:7:11: 未知的案例 'betta'；是不是要写 'beta'？" in errors


def test_a_course_naming_an_unknown_variant_fails_with_the_lengths(project, write):
    with_kit(project)
    write("courses/induction.yaml", COURSE.replace("variant: 45", "variant: 40"))
    errors, _ = problems(project)
    assert errors == ["courses/induction.yaml:5:14: 案例 'alpha' 没有 40 分钟的版本；是不是要写 45？"
                      "（它的版本：45（短版）、180（半天工作坊）；不写 variant 时用主课堂计划（90 分钟））"]


def test_a_course_file_name_is_its_id(project, write):
    write("courses/New Course.yaml", COURSE)
    errors, _ = problems(project)
    assert errors == ["courses/New Course.yaml: 文件名 'New Course.yaml' 不能作为课程 id："
                      "只能用小写英文字母、数字和连字符，例如 rice-seller（长度不超过 60）"]


# --- what the editions and the printed kits hold ----------------------------------------------

ANALYSIS = "米是同质商品，服务让顾客选择他"  # alpha's analysis (tests/fixtures/basic)


def _alpha_texts(project: Project) -> dict[str, str]:
    library, _ = load_library(project)
    alpha = library.cases["alpha"]
    return {"analysis": ANALYSIS, "takeaway": alpha.takeaways[0], "answer": alpha.questions[0].answer[:12],
            "note": next(iter(alpha.principles.values())), "teaching": "把顾客的需要记在本子上"}


def test_the_classroom_edition_holds_no_analysis_takeaways_answers_or_teaching(project):
    """Pages and search files of the classroom edition, built from the schema's declarations."""
    from casebook.content.editions import EDITIONS
    from casebook.index.indexes import build_indexes
    from casebook.render.pages import render_site

    with_kit(project)
    texts = _alpha_texts(project)
    library, _ = load_library(project)
    files = render_site(library, build_indexes(library), project.templates_dir, edition=EDITIONS["classroom"])
    page = str(files["docs/cases/alpha.md"])
    assert "米店老板在本子上记下每户人家" in page  # the story stays
    assert "顾客为什么专买他的米" in page  # a 课中 question stays
    for name, text in files.items():
        if isinstance(text, str):
            for what, needle in texts.items():
                assert needle not in text, (what, name)
    student = render_site(library, build_indexes(library), project.templates_dir, edition=EDITIONS["student"])
    assert ANALYSIS in str(student["docs/cases/alpha.md"])  # the self-study edition keeps it, folded


def test_self_study_folds_analysis_and_takeaways_after_the_questions(project):
    from casebook.index.indexes import build_indexes
    from casebook.render.pages import render_site

    library, _ = load_library(project)
    page = str(render_site(library, build_indexes(library), project.templates_dir)["docs/cases/alpha.md"])
    questions, analysis = page.index("## 讨论题"), page.index("## 案例分析")
    assert questions < analysis < page.index("## 要点")
    fold = '<details class="cb-fold">\n<summary>先自己想，再展开</summary>'
    assert page[analysis:].split("## 要点")[0].count(fold) == 1


def test_the_classroom_handouts_hold_none_of_it_and_the_kits_hold_it_all(project):
    from casebook.content.editions import EDITIONS
    from casebook.export.printing import Handouts
    from casebook.index.indexes import build_indexes

    with_kit(project)
    texts = _alpha_texts(project)
    library, _ = load_library(project)
    student = Handouts(library, build_indexes(library), project.templates_dir, EDITIONS["student"]).pages()
    classroom = student["classroom/alpha.html"]
    assert "顾客为什么专买他的米" in classroom and "cb-notes-space" in classroom
    for name, html in student.items():
        assert texts["teaching"] not in html and "教学说明" not in html, name  # names no section it lacks
        if name.startswith("classroom/"):
            assert not [what for what, needle in texts.items() if needle in html], name
    trainer = Handouts(library, build_indexes(library), project.templates_dir, EDITIONS["trainer"])
    kit = trainer.pages()["kits/alpha.html"]
    for needle in ("不愿多说。", "想记下用米量。", "观察员记录单", "王家：三口人，月初发薪", "板书计划", "答案样例",
                   "短版（45 分钟）"):
        assert needle in kit, needle
    assert kit.count('class="kit-page kit-role"') == 2


def _course_project(project: Project, write) -> None:
    with_kit(project)
    write("courses/induction.yaml", COURSE.replace("  - case: alpha\n    variant: 45\n    note: 开场。\n", "")
          + "  - case: alpha\n    variant: 45\n    note: 收尾。\n")


def test_a_course_page_in_the_trainer_edition_only_listed_on_prep(project, write):
    from casebook.content.editions import EDITIONS
    from casebook.index.indexes import build_indexes
    from casebook.render.pages import render_site

    _course_project(project, write)
    library, _ = load_library(project)
    trainer = render_site(library, build_indexes(library), project.templates_dir, edition=EDITIONS["trainer"])
    page = str(trainer["docs/courses/induction.md"])
    assert page.index("第 1 节：卖梳子的故事") < page.index("第 2 节：米店送米（45 分钟）")
    assert "约 45 分钟" in page and "顾客卡片（3 张）" in page
    assert "(../courses/induction.md)" in str(trainer["docs/prep/index.md"])
    student = render_site(library, build_indexes(library), project.templates_dir)
    assert not [name for name in student if "courses/" in name]


@pytest.mark.slow
def test_kit_pdf_puts_each_role_brief_on_its_own_page_and_packs_follow_session_order(project, write):
    from casebook.cli import main

    if chromium_path() is None:
        pytest.skip("no Chromium to print with")
    _course_project(project, write)
    assert main(["--root", str(project.root), "export", "--pdf", "all"]) == 0
    kit = project.dist_dir / "pdf" / "trainer" / "kits" / "alpha.pdf"
    pages = [_page_text(kit, number) for number in range(1, page_count(kit.read_bytes()) + 1)]
    briefs = ("不愿多说", "想记下用米量")
    for brief in briefs:
        holding = [text for text in pages if brief in text and "你的角色说明" in text]
        assert len(holding) == 1, brief
        assert not [other for other in briefs if other != brief and other in holding[0]]
    assert (project.dist_dir / "pdf" / "student" / "classroom" / "alpha.pdf").is_file()
    for pack in ("student-pack", "trainer-pack"):
        # The bookmarks (the cases' headings) after the syllabus: the cases in session order.
        outline = pdf_outline((project.dist_dir / "courses" / "induction" / f"{pack}.pdf").read_bytes())
        titles = [title for title, _ in outline if title.startswith(("卖梳子的故事", "米店送米"))]
        assert [title[:3] for title in titles] == ["卖梳子", "米店送"], (pack, outline)
    student_pack = subprocess.run(["pdftotext", str(project.dist_dir / "courses/induction/student-pack.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout
    assert ANALYSIS not in student_pack and "角色说明" not in student_pack


def _page_text(pdf: Path, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_a_teaching_note_without_its_kit_is_warned(project):
    """Every case of the library has its kit: a new teaching note without other lengths, weights,
    deliverables or samples is a warning, so `check --strict` (CI) asks for them."""
    def warned(name: str) -> bool:
        _, report = load_library(project)
        return any(f"（{name}）" in d.message for d in report.warnings if d.path == "cases/alpha.yaml")

    assert all(warned(name) for name in ("variants", "weight", "deliverable", "samples"))
    with_kit(project)
    assert not warned("variants") and not warned("weight")
