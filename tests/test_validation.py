"""`check`: every kind of content problem is reported at its file, line and column, all at once."""

from __future__ import annotations

from casebook.content.load import load_library

GOOD = """title: 新案例
kind: case
company: 某公司
industry: retail
summary: 摘要。
story: 故事。
stages:
  after-sale: 售后做法。
strategies:
  value-added-service: 说明。
principles:
  reliability: 说明。
questions:
  - question: 问题？
    answer: 答案。
sources:
  - title: 资料
"""


def problems(project):
    _, report = load_library(project)
    return [d.text() for d in report.errors], [d.text() for d in report.warnings]


def only_error(project) -> str:
    errors, _ = problems(project)
    assert len(errors) == 1, errors
    return errors[0]


def test_fixture_corpus_is_clean(project):
    library, report = load_library(project)
    assert report.errors == []
    assert list(library.cases) == ["alpha", "beta", "gamma"]
    assert library.cases["alpha"].story == "米店老板在本子上记下每户人家的人口和用米量，估计米快吃完时就送米上门。"


def test_unknown_principle_suggests_the_right_key(project, write):
    write("cases/new.yaml", GOOD.replace("  reliability: 说明。", "  relability: 说明。"))
    assert only_error(project) == "cases/new.yaml:12:3: 未知的原则 'relability'；是不是要写 'reliability'？"


def test_chinese_name_typed_instead_of_key_is_recognised(project, write):
    write("cases/new.yaml", GOOD.replace("  reliability: 说明。", "  可靠性: 说明。"))
    assert only_error(project).endswith("未知的原则 '可靠性'；是不是要写 'reliability'？")


def test_unknown_industry_lists_choices_when_nothing_is_close(project, write):
    write("cases/new.yaml", GOOD.replace("industry: retail", "industry: aerospace"))
    message = only_error(project)
    assert message.startswith("cases/new.yaml:4:11: 未知的行业 'aerospace'")
    assert "retail" in message and "home-appliances" in message


def test_unknown_field_suggests_the_right_name(project, write):
    write("cases/new.yaml", GOOD.replace("summary:", "sumary:"))
    assert only_error(project) == "cases/new.yaml:5:1: 未知字段 'sumary'；是不是要写 'summary'？"


def test_missing_required_field(project, write):
    write("cases/new.yaml", GOOD.replace("story: 故事。\n", ""))
    assert only_error(project) == "cases/new.yaml:1:1: 案例缺少必填字段 'story'（案例故事）"


def test_company_is_required_for_a_real_case_only(project, write):
    write("cases/new.yaml", GOOD.replace("company: 某公司\n", ""))
    assert "缺少必填字段 'company'（企业）（kind 为 case 时必填）" in only_error(project)
    write("cases/new.yaml", GOOD.replace("company: 某公司\n", "").replace("kind: case", "kind: parable"))
    assert problems(project)[0] == []


def test_wrong_types_are_named(project, write):
    write("cases/new.yaml", GOOD.replace("title: 新案例", "title: [a, b]")
          .replace("  - title: 资料", "  title: 资料"))
    errors, _ = problems(project)
    assert "cases/new.yaml:1:8: 'title'应该是文字，这里是列表（- 项）；多行文字请用“|”开头的块写法" in errors
    assert any(e.startswith("cases/new.yaml:17:3: 'sources'应该是列表") for e in errors)


def test_bad_kind_value(project, write):
    write("cases/new.yaml", GOOD.replace("kind: case", "kind: story"))
    assert "'kind' 的值 'story' 不可用" in only_error(project)


def test_empty_required_text(project, write):
    write("cases/new.yaml", GOOD.replace("summary: 摘要。", "summary:"))
    assert only_error(project).startswith("cases/new.yaml:5:9: 'summary'不能为空")


def test_dangling_related_case(project, write):
    write("cases/new.yaml", GOOD + "related:\n  - case: gama\n    note: 对照。\n")
    assert only_error(project) == "cases/new.yaml:19:11: 未知的案例 'gama'；是不是要写 'gamma'？"


def test_bad_file_name(project, write):
    write("cases/Haier Case.yaml", GOOD)
    message = only_error(project)
    assert message.startswith("cases/Haier Case.yaml: 文件名 'Haier Case.yaml' 不能作为案例 id")
    assert "haier-case.yaml" in message


def test_duplicate_ids(project, write):
    write("cases/alpha.yml", GOOD)
    errors, _ = problems(project)
    assert "cases/alpha.yaml: 案例 id 'alpha' 重复：alpha.yaml、alpha.yml；请删除或改名其中一个" in errors
    assert "cases/alpha.yml: 案例 id 'alpha' 重复：alpha.yaml、alpha.yml；请删除或改名其中一个" in errors


def test_gbk_file(project, write):
    write("cases/new.yaml", GOOD.encode("gbk"))
    assert only_error(project).startswith("cases/new.yaml:1:8: 文件不是 UTF-8 编码（看起来是 GBK/GB2312")


def test_empty_file(project, write):
    write("cases/new.yaml", "")
    assert only_error(project).startswith("cases/new.yaml: 文件是空的")


def test_syntax_error(project, write):
    write("cases/new.yaml", GOOD.replace("summary: 摘要。", "summary: 注意: 冒号"))
    assert only_error(project).startswith("cases/new.yaml:5:12: YAML 语法错误")


def test_top_level_list(project, write):
    write("cases/new.yaml", "- title: a\n")
    assert only_error(project) == "cases/new.yaml:1:1: 案例应该是映射（键: 值），这里是列表（- 项）"


def test_all_problems_are_reported_at_once(project, write):
    write("cases/one.yaml", GOOD.replace("industry: retail", "industry: retial"))
    write("cases/two.yaml", GOOD.replace("title: 新案例\n", "").replace("reliability", "relability"))
    write("cases/three.yaml", "x: [")
    errors, _ = problems(project)
    assert [e.split(":")[0] for e in errors] == [
        "cases/one.yaml", "cases/three.yaml", "cases/two.yaml", "cases/two.yaml"]


def test_traditional_characters_are_errors(project, write):
    write("cases/new.yaml", GOOD.replace("story: 故事。", "story: 這個服務們很好。"))
    message = only_error(project)
    assert message.startswith("cases/new.yaml:6:8: 'story'含有繁体字（這→这、個→个、務→务、們→们）；请改为简体中文")


def test_template_placeholder_left_in(project, write):
    write("cases/new.yaml", GOOD.replace("summary: 摘要。", "summary: （待填写：一到三句话的概要）"))
    assert "还是模板里的占位文字" in only_error(project)
    write("cases/new.yaml", GOOD.replace("summary: 摘要。", "summary: （资料只提到活动名称）"))
    assert problems(project)[0] == []  # a real remark in parentheses is not a placeholder


def test_stages_out_of_order_is_a_warning(project, write):
    write("cases/new.yaml", GOOD.replace("  after-sale: 售后做法。", "  after-sale: 后。\n  pre-sale: 前。"))
    errors, warnings = problems(project)
    assert errors == []
    assert any("顺序应与客户旅程一致：pre-sale, after-sale" in w for w in warnings)


def test_unused_term_is_a_warning(project, write):
    taxonomy = (project.taxonomy_file).read_text(encoding="utf-8")
    write("taxonomy.yaml", taxonomy + "  lubricants:\n    name: 润滑油\n    definition: 润滑油。\n")
    errors, warnings = problems(project)
    assert errors == []
    assert "taxonomy.yaml: 警告: 行业 'lubricants'（润滑油）还没有任何案例使用" in warnings


def test_taxonomy_problems(project, write):
    write("taxonomy.yaml", "stages:\n  after-sale:\n    name: 售后\nprinciple: {}\n")
    errors, _ = problems(project)
    assert "taxonomy.yaml:3:5: 'after-sale' 缺少必填字段 'definition'（定义）" in errors
    assert "taxonomy.yaml:4:1: 未知的术语组 'principle'；是不是要写 'principles'？" in errors
    assert any("stages 必须包含 pre-sale, in-sale, after-sale" in e for e in errors)


def test_path_and_framework_references(project, write):
    write("paths.yaml", "p:\n  name: 路径\n  summary: 简介\n  steps:\n    - case: alpha\n      why: 因为\n"
          "    - case: zzz\n      why: 因为\n")
    errors, _ = problems(project)
    assert errors == ["paths.yaml:7:13: 未知的案例 'zzz'；可用的键：alpha, beta, gamma（见 cases/）"]


def test_a_case_without_sources_is_an_error(project, write):
    write("cases/new.yaml", GOOD.replace("sources:\n  - title: 资料\n", ""))
    assert only_error(project) == "cases/new.yaml:1:1: 案例缺少必填字段 'sources'（资料来源）"
    write("cases/new.yaml", GOOD.replace("sources:\n  - title: 资料\n", "sources: []\n"))
    assert only_error(project) == "cases/new.yaml:16:10: 'sources'至少要有 1 项"


def test_a_story_filed_as_a_real_case_is_flagged(project, write):
    write("cases/new.yaml", GOOD.replace("title: 新案例", "title: 鱼钩的故事"))
    errors, warnings = problems(project)
    assert errors == []
    assert "cases/new.yaml:2:7: 警告: 标题像是教学故事；如果不是真实、可考证的事件，请把 kind 改为 parable" in warnings


def test_unknown_framework_in_a_case(project, write):
    write("cases/new.yaml", GOOD + "frameworks:\n  complaint-step: 说明。\n")
    assert only_error(project) == "cases/new.yaml:19:3: 未知的方法框架 'complaint-step'；是不是要写 'complaint-steps'？"


def test_unused_framework_is_a_warning(project, write):
    text = (project.frameworks_file).read_text(encoding="utf-8")
    write("frameworks.yaml", text + "spare:\n  name: 备用框架\n  summary: 简介\n  items:\n    - name: 一\n"
          "  source:\n    title: 资料\n")
    errors, warnings = problems(project)
    assert errors == []
    assert "frameworks.yaml: 警告: 方法框架 'spare'（备用框架）还没有任何案例引用" in warnings


def test_unrelated_industry_gets_no_far_fetched_guess_but_how_to_add_one(project, write):
    write("cases/new.yaml", GOOD.replace("industry: retail", "industry: catering"))
    error = only_error(project)
    assert error.startswith("cases/new.yaml:4:11: 未知的行业 'catering'；可用的键：")
    assert "是不是" not in error
    assert "需要新的行业时，在 taxonomy.yaml 的 industries: 下按同样格式添加一项" in error
    assert "name（中文名）、definition（定义）、source（出处）" in error


def test_a_typo_still_gets_its_guess(project, write):
    write("cases/new.yaml", GOOD.replace("industry: retail", "industry: retial")
          .replace("reliability:", "relability:"))
    errors, _ = problems(project)
    assert "cases/new.yaml:4:11: 未知的行业 'retial'；是不是要写 'retail'？" in errors
    assert "cases/new.yaml:12:3: 未知的原则 'relability'；是不是要写 'reliability'？" in errors


def test_placeholder_advice_fits_required_and_optional_fields(project, write):
    write("cases/new.yaml", GOOD.replace("title: 新案例", "title: （待填写：案例标题）")
          .replace("kind: case", "subtitle: （待填写：一句话点出启示）\nkind: case")
          .replace("  - question: 问题？",
                   "  - question: 问题？\n    answer: 答案。\n  - question: （待填写：问题）", 1))
    errors, _ = problems(project)
    assert ("cases/new.yaml:1:8: 'title'还是模板里的占位文字“（待填写：案例标题）”；"
            "请换成真实内容（这个字段必填）") in errors
    assert ("cases/new.yaml:2:11: 'subtitle'还是模板里的占位文字“（待填写：一句话点出启示）”；"
            "请换成真实内容，或删掉这个可选字段") in errors
    assert not any("删掉" in e for e in errors if "'title'" in e)


# GOOD without its questions: one strategy, one principle, nothing else a good case has.
THIN = GOOD.replace("title: 新案例", "title: 单薄的案例").replace(
    "questions:\n  - question: 问题？\n    answer: 答案。\n", "")


def test_a_thin_case_gets_a_warning_for_each_minimum(project, write):
    write("cases/thin.yaml", THIN)
    errors, warnings = problems(project)
    assert errors == []
    thin = sorted(w for w in warnings if w.startswith("cases/thin.yaml"))
    assert thin == sorted([
        "cases/thin.yaml:1:1: 警告: 案例还没有案例分析（analysis）；建议写上",
        "cases/thin.yaml:1:1: 警告: 案例还没有教学说明（teaching）；建议写上",
        "cases/thin.yaml:1:1: 警告: 案例还没有要点（takeaways）；建议至少写 3 项",
        "cases/thin.yaml:1:1: 警告: 案例还没有讨论题（questions）；建议至少写 3 项",
        "cases/thin.yaml:10:3: 警告: 服务策略（strategies）只有 1 项；建议至少写 2 项",
        "cases/thin.yaml:12:3: 警告: 服务原则（principles）只有 1 项；建议至少写 2 项",
    ])


def test_minimums_are_declared_once_and_stated_alike_everywhere():
    """CONTRIBUTING, the scaffold and the format page say what schema.py declares."""
    from conftest import ROOT

    from casebook.content.schema import CASE
    from casebook.render.formatdoc import required_label

    wanted = {spec.name: spec.recommended for spec in CASE.fields if spec.recommended}
    assert wanted == {"strategies": 2, "principles": 2, "analysis": 1, "takeaways": 3, "questions": 3,
                      "teaching": 1}
    assert required_label(CASE.get("strategies")) == "必填，建议至少 2 项"
    assert required_label(CASE.get("questions")) == "可选，建议至少 3 项"
    assert required_label(CASE.get("analysis")) == "可选，建议写上"
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "**2 条策略、2 条原则、一段案例分析、3 条要点、3 道讨论题和一份教学说明**" in contributing
    assert "check --strict" in contributing
    workflow = (ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8")
    assert "build.py check --strict" in workflow


def test_a_file_written_with_a_chinese_colon_is_explained(project, write):
    write("cases/new.yaml", "title：王永庆卖米\n")
    assert only_error(project) == ("cases/new.yaml:1:1: 案例应该是映射（键: 值），这里是单个值；"
                                   "字段名后面用了中文冒号“：”；请改成英文冒号加一个空格“: ”（切换到英文输入法再输入）")
