"""What a field type's check needs besides the YAML node: the context of one file.

Each type of fieldtypes.py owns its whole check (as MkDocs' config_options validate themselves);
`Checker` is the small object it is handed: where problems go (errors, warnings, with positions),
the keys references are checked against, did-you-mean suggestions. It knows no type and no
schema, so the types, the schema and the loaders all sit above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Protocol

from casebook.content.labels import GROUPS
from casebook.content.yamlsource import YNode
from casebook.diagnostics import Report

INVALID = object()  # a value that failed validation (its problem is already reported)

# The `new` scaffold fills fields with "（…）" placeholders; one left in place is a mistake.
PLACEHOLDER = re.compile(r"^（待填写：[^（）\n]*）$")

# Control characters no text field may hold (tab and line breaks are text): NUL, ESC, DEL, C1.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

KIND_NAMES = {"map": "映射（键: 值）", "seq": "列表（- 项）", "scalar": "单个值"}


class Checkable(Protocol):
    """A field type: checks a node and returns its value, or INVALID after reporting why."""

    def check(self, checker: Checker, node: YNode, label: str, required: bool, deletable: str) -> Any: ...


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) turning `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _typo_limit(word: str) -> int:
    """How many edits still look like a typo: one in a short word, two or three in longer ones.
    A wider net suggests unrelated words (catering → coatings) and misleads more than it helps."""
    return 1 if len(word) <= 5 else 2 if len(word) <= 10 else 3


def did_you_mean(value: str, choices: Sequence[str], names: Mapping[str, str] | None = None) -> str:
    """A suggestion for a mistyped key: the key whose Chinese name was typed, or a key a typo away."""
    if names:
        for key, name in names.items():
            if value.strip() == name:
                return key
    typed = value.strip().lower()
    limit = _typo_limit(typed)
    best, best_distance = "", limit + 1
    for choice in choices:
        if abs(len(choice) - len(typed)) > limit:
            continue
        distance = edit_distance(typed, choice.lower())
        if distance < best_distance:
            best, best_distance = choice, distance
    return best


def suggestion_text(value: str, choices: Sequence[str], names: Mapping[str, str] | None = None,
                    where: str = "", how_to_add: str = "") -> str:
    """`how_to_add`: how a trainer adds a key that does not exist yet (validate.how_to_add)."""
    guess = did_you_mean(value, choices, names)
    if guess:
        return f"；是不是要写 '{guess}'？"
    if not choices:
        return (f"；{where}里还没有可用的键" if where else "") + how_to_add
    shown = ", ".join(list(choices)[:12]) + (" …" if len(choices) > 12 else "")
    return f"；可用的键：{shown}" + (f"（见 {where}）" if where else "") + how_to_add


class Checker:
    """The context of checking one file: its path, where problems go, the known keys of every
    referable group (`refs`; None for a group that could not be read: not checked against)."""

    def __init__(
        self,
        path: str,
        report: Report,
        refs: Mapping[str, Sequence[str] | None],
        names: Mapping[str, Mapping[str, str]] | None = None,
        ref_where: Mapping[str, str] | None = None,
        text_check: Callable[[str], str] | None = None,
        known: Mapping[str, AbstractSet[str]] | None = None,
        how_to_add: Mapping[str, str] | None = None,
        own_key: str = "",
    ) -> None:
        self.path = path
        self.report = report
        self.refs = refs
        self.names = names or {}
        self.ref_where = ref_where or {}
        self.text_check = text_check  # returns a problem description for a text, or ""
        self.known = known or {}  # refs as sets, where the caller has them: quicker to test
        self.how_to_add = how_to_add or {}  # by group: how to declare a new key of it
        self.own_key = own_key  # the key of the file's own entity (a case's id): links to itself
        self.pending: list[tuple[int, int, str]] = []  # warnings kept until the whole file is valid

    def error(self, node: YNode | tuple[int, int], message: str) -> None:
        line, col = (node.line, node.col) if isinstance(node, YNode) else node
        self.report.error(self.path, line, col, message)

    def warning(self, node: YNode | tuple[int, int], message: str) -> None:
        line, col = (node.line, node.col) if isinstance(node, YNode) else node
        self.report.warning(self.path, line, col, message)

    def advice(self, node: YNode | tuple[int, int], message: str) -> None:
        """A warning about a written-well question (a learning objective's verb, a title that reads
        like a parable): given only once the whole file is valid (`flush`), never beside its errors."""
        line, col = (node.line, node.col) if isinstance(node, YNode) else node
        self.pending.append((line, col, message))

    def flush(self) -> None:
        for line, col, message in self.pending:
            self.report.warning(self.path, line, col, message)
        self.pending.clear()

    def checked(self, node: YNode, kind: Checkable, label: str) -> Any:
        """A whole file's (or top-level entry's) value, its types' advice given if it is valid."""
        value = kind.check(self, node, label, True, "")
        if value is INVALID:
            self.pending.clear()
        else:
            self.flush()
        return value

    def ref(self, node: YNode | tuple[int, int], group: str, value: str) -> Any:
        """`value` if it is a key of `group`; else INVALID after saying which keys there are."""
        known = self.refs.get(group, ())
        if known is None or value in self.known.get(group, known):  # None: the group is broken, reported there
            return value
        where = self.ref_where.get(group, "")
        hint = suggestion_text(value, known, self.names.get(group), where, self.how_to_add.get(group, ""))
        self.error(node, f"未知的{GROUPS[group].singular if group in GROUPS else group} '{value}'{hint}")
        return INVALID

    @staticmethod
    def position(node: YNode, value: str, offset: int) -> tuple[int, int]:
        """The line and column in the file of `value[offset]`, found in the text as written
        (`value` is it stripped and with Chinese line breaks joined); the value's own position if
        the text does not map to the file line by line (a folded value)."""
        raw = node.raw if isinstance(node.raw, str) else ""
        needle = value[offset:offset + 24].split("\n", 1)[0]
        at = raw.find(needle) if needle else -1
        if at < 0 or not node.text_line:
            return node.line, node.col
        line_start = raw.rfind("\n", 0, at) + 1
        return node.text_line + raw.count("\n", 0, at), node.text_col + at - line_start
