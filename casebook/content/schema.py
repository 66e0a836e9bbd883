"""The content format: the one source of truth.

Each field is declared once below, with a type from fieldtypes.py. Validation (validate.py), the
model (model.py), the editor JSON Schema (jsonschema.py), the trainers' format reference and the
`new` scaffold (formatdoc.py, scaffold.py) all follow from these declarations.
"""

from __future__ import annotations

from typing import Any

from casebook.content.checking import Checker
from casebook.content.fieldtypes import (
    SLUG_HELP,
    SLUG_RE,
    Advice,
    Choice,
    Field,
    FieldType,
    ListOf,
    Number,
    Record,
    Ref,
    RefMap,
    Slug,
    Text,
)
from casebook.content.labels import CASE_KINDS, GROUPS, MATERIAL_KINDS, QUESTION_PHASES, SLUG_PATTERN, TERM_GROUPS
from casebook.content.yamlsource import YNode

__all__ = ["CASE_KINDS", "GROUPS", "MATERIAL_KINDS", "QUESTION_PHASES", "SLUG_HELP", "SLUG_RE", "TERM_GROUPS",
           "Choice", "Field", "FieldType", "ListOf", "Number", "Record", "Ref", "RefMap", "Slug", "Text"]
MAX_SLUG = 60



REQUIRED_STAGES = ("pre-sale", "in-sale", "after-sale")


def once(field: str, message: str, at_field: bool = False) -> Advice:
    """Advice for a list of records: an item whose `field` repeats an earlier one's is named
    (`message` with {value}), at the item or (`at_field`) at that field of it."""

    def advise(checker: Checker, node: YNode, items: Any) -> None:
        seen: set[str] = set()
        for item, data in zip(node.value, items, strict=True):
            value = data[field]
            if value in seen:
                checker.advice(item.value[field] if at_field else item, message.format(value=value))
            seen.add(value)

    return advise


# --- the case file -------------------------------------------------------------------------

QUESTION = Record(
    (
        Field("question", Text(), required=True, title="问题", description="讨论题。"),
        Field("answer", Text(markdown=True, multiline=True), required=True, title="参考答案", classroom="drop",
              description="参考答案（Markdown）：讲师可以照着念的推理，而不是一个短语；页面上默认折叠。"),
        Field("phase", Choice(tuple(QUESTION_PHASES), tuple(QUESTION_PHASES.values()), "in"), title="用在何时",
              description="pre 课前预习、in 课中讨论（不写时默认）、post 课后作业。"),
    )
)
FIGURE = Record(
    (
        Field("label", Text(), required=True, title="指标", description="这个数字是什么。"),
        Field("value", Text(), required=True, title="数值", description="数字及单位，例如 37000 门。"),
        Field("source", Text(), title="出处", description="这个数字出自哪份资料的哪一部分。"),
    )
)
def _not_itself(checker: Checker, node: YNode, related: Any) -> None:
    if related["case"] == checker.own_key:
        checker.advice(node, "related 指向了案例自己；请删掉这一项")


RELATED = Record(
    (
        Field("case", Ref("cases"), required=True, title="案例", description="另一个案例的 id（文件名）。"),
        Field("note", Text(), required=True, title="关联理由", description="为什么值得对照阅读。"),
    ),
    advice=(_not_itself,),
)
SOURCE = Record(
    (
        Field("key", Slug(), title="引用键",
              description="短名（小写英文、数字和连字符，在本案例内唯一，如 haier-article）：正文里写 [@haier-article] "
              "引用这条资料，页面上显示为指向资料来源第 N 条的 [N]；被引用的资料必须有它。"),
        Field("title", Text(), required=True, title="资料名称", description="资料的标题。"),
        Field("section", Text(), title="章节", description="引用的章节或段落。"),
        Field("page", Text(), title="页码", description="引用的页码（知道时写，如 12 或 12–14）。"),
        Field("file", Text(), title="资料文件", description="资料库中的文件名（shared/seeds/ 下）。"),
        Field("url", Text(), title="网址", description="公开资料的网址（可选）。"),
    )
)

# --- the teaching note (trainer edition only) ------------------------------------------------

# What a learning objective starts with: what the trainee will be able to do.
OBJECTIVE_VERBS = ("识别", "分析", "设计", "评价", "比较", "解释", "说明", "运用", "判断", "制定",
                   "区分", "归纳", "诊断", "演练", "提出", "评估", "应用", "列出", "复述")


def _starts_with_a_verb(checker: Checker, node: YNode, objective: Any) -> None:
    if not objective.startswith(OBJECTIVE_VERBS):
        checker.advice(node, "学习目标请以学员学完能做的事开头，如：" + "、".join(OBJECTIVE_VERBS[:8]) + "……")

PLAN_STEP = Record(
    (
        Field("minutes", Number(1, 90, 20), required=True, title="分钟", description="这一步用多少分钟。"),
        Field("activity", Text(markdown=True, multiline=True), required=True, title="活动",
              description="做什么、怎么组织（冷启动提问、分组讨论、全班讨论、框架总结、离场问题……）。"),
    )
)
ROLE = Record(
    (
        Field("role", Text(), required=True, title="角色", description="角色名称。"),
        Field("brief", Text(markdown=True, multiline=True), required=True, title="角色说明",
              description="只给扮演者看的说明：他知道什么、想要什么。"),
    )
)
ROLE_PLAY = Record(
    (
        Field("situation", Text(markdown=True, multiline=True), required=True, title="情境",
              description="角色扮演的情境，全班都能看到。"),
        Field("roles", ListOf(ROLE, 2), required=True, title="角色", description="至少两个角色。"),
        Field("observer_checklist", ListOf(Text(), 3), required=True, title="观察清单",
              description="观察员逐条打勾的行为。"),
        Field("minutes", Number(5, 60, 15), title="时长（分钟）", description="扮演和复盘共用多少分钟。"),
    )
)
# A session plan of another length than the main one: the short version for an induction slot,
# a half-day workshop. Its steps sum to exactly its stated length.
VARIANT_MINUTES = Number(20, 240, 40)  # the scaffold: two steps of 20
VARIANT = Record(
    (
        Field("minutes", VARIANT_MINUTES, required=True, title="总时长（分钟）",
              description="这个版本一共多少分钟；各步的分钟数合计必须正好等于它。课程（courses/）用它指明版本。"),
        Field("label", Text(), required=True, title="名称", description="短名称，如 短版、半天工作坊。"),
        Field("use", Text(multiline=True), required=True, title="何时用",
              description="什么时候选这个版本（一两句话），例如：新员工入职培训里的一节，学员课前读完案例。"),
        Field("plan", ListOf(PLAN_STEP, 2), required=True, title="课堂计划",
              description="按顺序列出每一步的分钟数和活动，写法同主课堂计划。"),
    ),
    sums=(("plan", "minutes", "minutes"),),
)
# Short versions: what an induction programme has room for. Every case should carry one.
SHORT_VARIANT = (30, 50)


def _has_a_short_variant(checker: Checker, node: YNode, variants: Any) -> None:
    least, most = SHORT_VARIANT
    if variants and not any(least <= v["minutes"] <= most for v in variants):
        checker.advice(node, f"还没有 {least}–{most} 分钟的短版；建议在 variants 里加一个（入职培训里常只有这么长）")

MATERIAL = Record(
    (
        Field("key", Text(pattern=SLUG_PATTERN, pattern_help=SLUG_HELP), required=True, title="键",
              description="这份材料在本案例里的键（小写英文和连字符），不能重复。"),
        Field("title", Text(), required=True, title="名称",
              description="课堂计划里提到它时用的名字，如 服务履历卡片（8 张）。"),
        Field("kind", Choice(tuple(MATERIAL_KINDS), tuple(MATERIAL_KINDS.values())), required=True, title="类型",
              description="；".join(f"{key} {label}" for key, label in MATERIAL_KINDS.items()) + "。"),
        Field("use", Text(multiline=True), required=True, title="怎么用",
              description="用在课堂计划的哪一步、怎样发放，如：课堂计划第 2 步；每组一套，打乱顺序发下。"),
        Field("items", ListOf(Text(markdown=True), 1), required=True, title="内容",
              description="逐项写出材料的原文：一张卡片、时间轴的一行或练习单的一题一项（可用 Markdown，宜短）。"),
    )
)
RUBRIC_SAMPLES = Record(
    (
        Field("excellent", Text(multiline=True, least=40), required=True, title="优秀样例",
              description="一段优秀的学员答案（至少 40 字）。"),
        Field("adequate", Text(multiline=True, least=40), required=True, title="合格样例",
              description="一段合格的学员答案（至少 40 字）。"),
        Field("weak", Text(multiline=True, least=40), required=True, title="不足样例",
              description="一段不足的学员答案（至少 40 字）。"),
    ),
    distinct=("excellent", "adequate", "weak"),
)
RUBRIC_CRITERION = Record(
    (
        Field("criterion", Text(), required=True, title="评分项", description="看答案的哪一方面。"),
        Field("weight", Number(1, 100, 50), title="权重", recommended=1,
              description="这一项占总分的百分比（1–100）；一个案例各评分项的权重合计正好 100。"),
        Field("deliverable", Text(), title="评分对象", recommended=1,
              description="这一项评的是哪份作业，如：课后作业第 1 题（300 字书面回答）。"),
        Field("excellent", Text(multiline=True), required=True, title="优秀", description="优秀的答案做到了什么。"),
        Field("adequate", Text(multiline=True), required=True, title="合格", description="合格的答案做到了什么。"),
        Field("weak", Text(multiline=True), required=True, title="不足", description="不足的答案是什么样。"),
        Field("samples", RUBRIC_SAMPLES, title="答案样例", recommended=1,
              description="学员在每一档可能写出的答案，用学员的口吻，各至少 40 字、互不相同。"),
    )
)
THEORY = Record(
    (
        Field("frameworks", ListOf(Ref("frameworks")), title=GROUPS["frameworks"].singular,
              description="本节课要落到的方法框架（frameworks.yaml 的键）。"),
        Field("principles", ListOf(Ref("principles")), title=GROUPS["principles"].title,
              description="要落到的原则的键。"),
        Field("strategies", ListOf(Ref("strategies")), title=GROUPS["strategies"].title,
              description="要落到的策略的键。"),
        Field("note", Text(markdown=True, multiline=True), title="说明",
              description="怎样从讨论过渡到这些理论（Markdown）。"),
    )
)
TEACHING = Record(
    (
        Field("objectives", ListOf(Text(advice=(_starts_with_a_verb,)), 2, 4), required=True, title="学习目标",
              description="2–4 条，每条以学员学完能做的事开头：" + "、".join(OBJECTIVE_VERBS[:6]) + "……"),
        Field("audience", Text(multiline=True), required=True, title="适用对象",
              description="适合谁（新入职销售、服务经理……），学之前需要知道什么。"),
        Field("decision", Text(markdown=True, multiline=True), required=True, title="决策情境",
              description="把案例开头改写成全班要做的决策：主角是谁、要决定什么、受什么限制。"),
        Field("plan", ListOf(PLAN_STEP, 3, 0, ("minutes", 60, 120)), required=True, title="课堂计划",
              description="按顺序列出每一步的分钟数和活动，合计 60–120 分钟。"),
        # A kit without another length, weights, deliverables or samples is a warning (check --strict
        # fails): every case of the library has them, and a new one should too.
        Field("variants", ListOf(VARIANT, 0, 0, None, "minutes", (_has_a_short_variant,)), title="其他时长的版本",
              recommended=1,
              description=f"其他时长的课堂计划，至少一个 {SHORT_VARIANT[0]}–{SHORT_VARIANT[1]} 分钟的短版；"
              "每个版本写总时长、名称、何时用和各步计划，各步合计等于总时长；不同版本的总时长不能相同。"),
        Field("materials", ListOf(MATERIAL, 0, 0, None, "key"), title="课堂材料",
              description="课堂计划用到的每一份卡片、时间轴、练习单或展示材料，逐项写出原文，可以直接打印裁开。"),
        Field("board_plan", Text(markdown=True, multiline=True), required=True, title="板书计划",
              description="全班讨论时黑板（白板）怎样分区、写什么。"),
        Field("role_play", ROLE_PLAY, title="角色扮演",
              description="案例适合演练时写：情境、角色、观察清单。"),
        Field("rubric", ListOf(RUBRIC_CRITERION, 2, 0, ("weight", 100, 100)), required=True, title="评分标准",
              description="至少两个评分项，每项写出权重（合计 100）、评的是哪份作业、优秀 / 合格 / 不足的答案"
              "各是什么样，以及每一档的答案样例。"),
        Field("epilogue", Text(markdown=True, multiline=True), required=True, title="后来怎样",
              description="后来发生了什么（注明出处），或者课程结束时讲给全班听的话。"),
        Field("theory", THEORY, required=True, title="理论落点",
              description="本节课要落到的方法框架和术语。"),
    )
)

def _reads_like_a_parable(checker: Checker, node: YNode, case: Any) -> None:
    if case["kind"] == "case" and any(word in case["title"] for word in ("故事", "寓言")):
        checker.advice(node.value["kind"], "标题像是教学故事；如果不是真实、可考证的事件，请把 kind 改为 parable")


CASE = Record(
    (
        Field("title", Text(), required=True, title="标题", description="案例名称。"),
        Field("subtitle", Text(), title="副标题", description="一句话点出这个案例的启示。"),
        Field("kind", Choice(tuple(CASE_KINDS), tuple(label for label, _ in CASE_KINDS.values())),
              required=True, title="类型",
              description="；".join(f"{key} 表示{label}（{meaning}）" for key, (label, meaning) in CASE_KINDS.items())
              + "。网站上会标注类型。"),
        Field("company", Text(), required_when=("kind", "case"), title="企业",
              description="案例中的企业或人物；真实案例必填。"),
        Field("industry", Ref("industries"), required=True, title=GROUPS["industries"].title,
              description="行业的键，见 taxonomy.yaml 的 industries。"),
        Field("region", Text(), title="地区", description="发生在哪里。"),
        Field("period", Text(), title="时间", description="发生在什么时候，如 2001、1994–2003、1930年代。"),
        Field("summary", Text(multiline=True), required=True, title="摘要",
              description="一到三句话的概要。"),
        Field("story", Text(markdown=True, multiline=True), required=True, title="案例故事",
              description="案例经过（Markdown），写给第一次听说这个故事的学员。", own_page_only=True),
        Field("stages", RefMap("stages", Text(markdown=True, multiline=True), 1, True),
              required=True, title="各服务阶段的做法",
              description="键为服务阶段（按售前、售中、售后…的顺序），值为这一阶段具体做了什么（Markdown）。"),
        Field("strategies", RefMap("strategies", Text(), 1), required=True, title=GROUPS["strategies"].title,
              description="键为策略，值为一句话：本案例如何运用这一策略。", recommended=2, classroom="keys"),
        Field("principles", RefMap("principles", Text(), 1), required=True, title=GROUPS["principles"].title,
              description="键为原则，值为一句话：本案例如何体现这一原则。", recommended=2, classroom="keys"),
        Field("frameworks", RefMap("frameworks", Text()), title=GROUPS["frameworks"].title,
              description="键为 frameworks.yaml 中的框架，值为一句话：本案例如何应用这个框架。", classroom="keys"),
        Field("analysis", Text(markdown=True, multiline=True), title="案例分析",
              description="为什么有效（Markdown）。", recommended=1, own_page_only=True, classroom="drop"),
        Field("takeaways", ListOf(Text()), title="要点", description="学员应记住的几条要点。",
              recommended=3, own_page_only=True, classroom="drop"),
        Field("questions", ListOf(QUESTION), title="讨论题",
              description="讨论题及参考答案。", recommended=3, own_page_only=True,
              classroom_items=("phase", ("pre", "in"))),
        Field("figures", ListOf(FIGURE), title="关键数字", description="关键数字及其出处。", own_page_only=True),
        Field("related", ListOf(RELATED), title="相关案例",
              description="值得对照阅读的其他案例，以及理由。", own_page_only=True),
        Field("sources", ListOf(SOURCE, 1), required=True, title="资料来源",
              description="事实出自哪里：至少一条，写明资料名称和章节。给一条资料写上 key，"
              "正文、讨论题、关键数字的出处、教学说明等任何文字里就可以用 [@key] 引用它（可以连写 [@a][@b]）；"
              "`check` 会指出写错的键。",
              own_page_only=True),
        Field("teaching", TEACHING, title="教学说明", trainer_only=True, recommended=1,
              description="讲师用的教学说明（只出现在讲师版）：学习目标、决策情境、课堂计划、板书、角色扮演、评分标准、"
              "后来怎样、理论落点。"),
    ),
    advice=(_reads_like_a_parable,),
)

# --- the other content files ----------------------------------------------------------------

TERM = Record(
    (
        Field("name", Text(), required=True, title="中文名"),
        Field("name_en", Text(), title="英文名"),
        Field("definition", Text(markdown=True, multiline=True), required=True, title="定义"),
        Field("source", Text(), title="出处"),
    )
)

FRAMEWORK_ITEM = Record(
    (
        Field("name", Text(), required=True, title="名称"),
        Field("description", Text(markdown=True, multiline=True), title="说明"),
    )
)
FRAMEWORK = Record(
    (
        Field("name", Text(), required=True, title="名称"),
        Field("summary", Text(multiline=True), required=True, title="简介"),
        Field("items", ListOf(FRAMEWORK_ITEM, 1), required=True, title="组成部分"),
        Field("notes", Text(markdown=True, multiline=True), title="使用说明"),
        Field("source", SOURCE, required=True, title="出处"),
    )
)

PATH_STEP = Record(
    (
        Field("case", Ref("cases"), required=True, title="案例"),
        Field("why", Text(), required=True, title="为什么读这一篇"),
    )
)
LEARNING_PATH = Record(
    (
        Field("name", Text(), required=True, title="名称"),
        Field("summary", Text(multiline=True), required=True, title="简介"),
        Field("steps", ListOf(PATH_STEP, 2, advice=(once("case", "案例 '{value}' 在这条路径里出现了两次"),)),
              required=True, title="步骤"),
        Field("frameworks", ListOf(Ref("frameworks")), title=GROUPS["frameworks"].singular,
              description="这条路径要落到的方法框架（frameworks.yaml 的键），显示在路径页上。"),
    )
)

# --- courses (courses/<id>.yaml): to trainers what learning paths are to trainees ---------------

COURSE_SESSION = Record(
    (
        Field("case", Ref("cases"), required=True, title="案例", description="这一节用的案例的 id（文件名）。"),
        Field("variant", VARIANT_MINUTES, title="版本（分钟）",
              description="用这个案例的哪个其他时长的版本：写它的总时长（teaching.variants 的 minutes）；"
              "不写时用主课堂计划。"),
        Field("note", Text(), required=True, title="说明", description="这一节在课程里做什么。"),
    )
)
COURSE = Record(
    (
        Field("title", Text(), required=True, title="课程名称", description="如 新员工服务意识一日课。"),
        Field("audience", Text(multiline=True), required=True, title="学员",
              description="给谁上：岗位、入职多久、多少人。"),
        Field("summary", Text(multiline=True), title="简介", description="这门课为了什么，两三句话。"),
        Field("sessions",
              ListOf(COURSE_SESSION, 2, advice=(once("case", "案例 '{value}' 在这门课里出现了两次", True),)),
              required=True, title="课程安排",
              description="按上课顺序列出各节，至少两节。"),
    )
)
