"""Checking a YAML tree against a Record of schema.py: the entry points the loaders use.

Each field type checks itself (fieldtypes.py) with a checking.Checker for the file's context;
this module adds what needs the schema: how a trainer declares a key that does not exist yet.
"""

from __future__ import annotations

from casebook.content.checking import (
    INVALID,
    PLACEHOLDER,
    Checker,
    did_you_mean,
    edit_distance,
    suggestion_text,
)
from casebook.content.schema import GROUPS, TERM, TERM_GROUPS

__all__ = ["INVALID", "PLACEHOLDER", "Checker", "did_you_mean", "edit_distance", "how_to_add", "suggestion_text"]


def how_to_add(group: str, where: str) -> str:
    """How a trainer adds a key that does not exist yet (a new industry, principle…)."""
    if group in TERM_GROUPS and where:
        fields = "、".join(f"{f.name}（{f.title}）" for f in TERM.fields if f.required or f.name == "source")
        return (f"；需要新的{GROUPS[group].singular}时，在 {where} 的 {group}: 下按同样格式添加一项"
                f"（写上 {fields}）")
    if group == "frameworks" and where:
        return f"；需要新的方法框架时，在 {where} 里按同样格式添加"
    return ""
