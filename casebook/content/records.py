"""The fields of every Record of schema.py, as typed attributes (generated: do not edit).

Written by `python -m casebook.content.recordgen` from schema.py; tests/test_records.py checks
that it matches. model.py adds what is computed (a case's `id`, `path`, `is_parable`, …).
"""

from __future__ import annotations

from typing import ClassVar

from casebook.content import schema
from casebook.content.entity import Entity
from casebook.content.fieldtypes import Record


class Case(Entity):
    record: ClassVar[Record] = schema.CASE

    title: str  # 标题
    subtitle: str  # 副标题
    kind: str  # 类型
    company: str  # 企业
    industry: str  # 行业
    region: str  # 地区
    period: str  # 时间
    summary: str  # 摘要
    story: str  # 案例故事
    stages: dict[str, str]  # 各服务阶段的做法
    strategies: dict[str, str]  # 服务策略
    principles: dict[str, str]  # 服务原则
    frameworks: dict[str, str]  # 方法与框架
    analysis: str  # 案例分析
    takeaways: list[str]  # 要点
    questions: list[Question]  # 讨论题
    figures: list[Figure]  # 关键数字
    related: list[Related]  # 相关案例
    sources: list[Source]  # 资料来源
    teaching: Teaching | None  # 教学说明


class Course(Entity):
    record: ClassVar[Record] = schema.COURSE

    title: str  # 课程名称
    audience: str  # 学员
    summary: str  # 简介
    sessions: list[CourseSession]  # 课程安排


class CourseSession(Entity):
    record: ClassVar[Record] = schema.COURSE_SESSION

    case: str  # 案例
    variant: int  # 版本（分钟）
    note: str  # 说明


class Figure(Entity):
    record: ClassVar[Record] = schema.FIGURE

    label: str  # 指标
    value: str  # 数值
    source: str  # 出处


class Framework(Entity):
    record: ClassVar[Record] = schema.FRAMEWORK

    name: str  # 名称
    summary: str  # 简介
    items: list[FrameworkItem]  # 组成部分
    notes: str  # 使用说明
    source: Source | None  # 出处


class FrameworkItem(Entity):
    record: ClassVar[Record] = schema.FRAMEWORK_ITEM

    name: str  # 名称
    description: str  # 说明


class LearningPath(Entity):
    record: ClassVar[Record] = schema.LEARNING_PATH

    name: str  # 名称
    summary: str  # 简介
    steps: list[PathStep]  # 步骤
    frameworks: list[str]  # 方法框架


class Material(Entity):
    record: ClassVar[Record] = schema.MATERIAL

    key: str  # 键
    title: str  # 名称
    kind: str  # 类型
    use: str  # 怎么用
    items: list[str]  # 内容


class PathStep(Entity):
    record: ClassVar[Record] = schema.PATH_STEP

    case: str  # 案例
    why: str  # 为什么读这一篇


class PlanStep(Entity):
    record: ClassVar[Record] = schema.PLAN_STEP

    minutes: int  # 分钟
    activity: str  # 活动


class Question(Entity):
    record: ClassVar[Record] = schema.QUESTION

    question: str  # 问题
    answer: str  # 参考答案
    phase: str  # 用在何时


class Related(Entity):
    record: ClassVar[Record] = schema.RELATED

    case: str  # 案例
    note: str  # 关联理由


class Role(Entity):
    record: ClassVar[Record] = schema.ROLE

    role: str  # 角色
    brief: str  # 角色说明


class RolePlay(Entity):
    record: ClassVar[Record] = schema.ROLE_PLAY

    situation: str  # 情境
    roles: list[Role]  # 角色
    observer_checklist: list[str]  # 观察清单
    minutes: int  # 时长（分钟）


class RubricCriterion(Entity):
    record: ClassVar[Record] = schema.RUBRIC_CRITERION

    criterion: str  # 评分项
    weight: int  # 权重
    deliverable: str  # 评分对象
    excellent: str  # 优秀
    adequate: str  # 合格
    weak: str  # 不足
    samples: RubricSamples | None  # 答案样例


class RubricSamples(Entity):
    record: ClassVar[Record] = schema.RUBRIC_SAMPLES

    excellent: str  # 优秀样例
    adequate: str  # 合格样例
    weak: str  # 不足样例


class Source(Entity):
    record: ClassVar[Record] = schema.SOURCE

    key: str  # 引用键
    title: str  # 资料名称
    section: str  # 章节
    page: str  # 页码
    file: str  # 资料文件
    url: str  # 网址


class Teaching(Entity):
    record: ClassVar[Record] = schema.TEACHING

    objectives: list[str]  # 学习目标
    audience: str  # 适用对象
    decision: str  # 决策情境
    plan: list[PlanStep]  # 课堂计划
    variants: list[Variant]  # 其他时长的版本
    materials: list[Material]  # 课堂材料
    board_plan: str  # 板书计划
    role_play: RolePlay | None  # 角色扮演
    rubric: list[RubricCriterion]  # 评分标准
    epilogue: str  # 后来怎样
    theory: Theory | None  # 理论落点


class Term(Entity):
    record: ClassVar[Record] = schema.TERM

    name: str  # 中文名
    name_en: str  # 英文名
    definition: str  # 定义
    source: str  # 出处


class Theory(Entity):
    record: ClassVar[Record] = schema.THEORY

    frameworks: list[str]  # 方法框架
    principles: list[str]  # 服务原则
    strategies: list[str]  # 服务策略
    note: str  # 说明


class Variant(Entity):
    record: ClassVar[Record] = schema.VARIANT

    minutes: int  # 总时长（分钟）
    label: str  # 名称
    use: str  # 何时用
    plan: list[PlanStep]  # 课堂计划
