"""The labels a person reads, declared once: the groups of pages, the kinds of case, the phases
of a question. Everything that shows or checks one of them takes it from here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """A kind of page that cases refer to: its labels and the file that declares its keys."""

    key: str
    title: str  # the section's name: tab, index page, headings
    singular: str  # one of them, in messages: "未知的原则 'x'"
    short: str  # the page type, on badges and search results: "原则"
    file: str  # where its keys are declared

    @property
    def keys_are_file_names(self) -> bool:
        """Keys that a pull request adds with a file (cases/<id>.yaml): the editor schema cannot
        list them, or every new case would make it stale."""
        return self.file.endswith("/")


# What a key named by its file may look like (a case's id is its file name and part of its URL).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# The groups, declared once: the taxonomy's four in the order the site shows them, then the rest.
GROUPS: dict[str, Group] = {g.key: g for g in (
    Group("stages", "服务阶段", "服务阶段", "阶段", "taxonomy.yaml"),
    Group("principles", "服务原则", "原则", "原则", "taxonomy.yaml"),
    Group("strategies", "服务策略", "策略", "策略", "taxonomy.yaml"),
    Group("industries", "行业", "行业", "行业", "taxonomy.yaml"),
    Group("frameworks", "方法与框架", "方法框架", "框架", "frameworks.yaml"),
    Group("paths", "学习路径", "学习路径", "路径", "paths.yaml"),
    Group("cases", "案例", "案例", "案例", "cases/"),
)}
# Each group's pages live in the folder named by its key, one page per entry (casebook/render/urls.py:
# `<folder>/<entry key>`), beside the group's own listing page, which takes this key: no entry may
# have it, or its page would overwrite the listing (tests/test_trust.py checks that the listing is
# the only page of its own in each folder, against every page that every edition makes).
SECTION_PAGE = "index"
RESERVED_KEYS = frozenset({SECTION_PAGE})

TERM_GROUPS: dict[str, str] = {key: GROUPS[key].title for key in ("stages", "principles", "strategies", "industries")}

# The kinds of case, declared once: key, label shown on the site, and what it means.
CASE_KINDS: dict[str, tuple[str, str]] = {
    "case": ("真实案例", "有据可查的一家企业或一个人的真实经历"),
    "compilation": ("综合案例", "根据行业资料或通用资料整理的综合材料，不是某一家企业的真实经历"),
    "parable": ("教学故事", "培训中流传的寓言，用来说明道理，不是有据可查的真实事件"),
}

# When a discussion question is used in a session.
QUESTION_PHASES = {"pre": "课前", "in": "课中", "post": "课后"}

# The kinds of classroom material a teaching note writes out (cards to cut, a timeline, …).
MATERIAL_KINDS = {"cards": "卡片", "timeline": "时间轴", "worksheet": "练习单", "exhibit": "展示材料",
                  "handout": "讲义"}
# What a phase label on a question means, for the trainee who meets it (a legend and a tooltip).
QUESTION_PHASE_MEANINGS = {"pre": "上课前预习时先想一想", "in": "在课上讨论", "post": "课后作业，书面回答"}

# How a case relates to a term of each group, the verb of "本案例如何体现" and of the related
# cases' reasons ("同样运用 …"): declared once, for the case page, the term pages and the matrices.
TERM_VERBS = {"principles": "体现", "strategies": "运用", "frameworks": "应用", "stages": "涉及"}
GROUP_TITLES = {key: group.title for key, group in GROUPS.items()}
