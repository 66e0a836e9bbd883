"""Issue 21's classroom kit: variants, materials and rubric weights and samples are checked to the
line and column; courses are checked like learning paths."""

from __future__ import annotations

from pathlib import Path

from casebook.content.load import load_library
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
    assert problems(project) == ([], [])
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
