"""Problems found in the content, collected rather than raised (as MkDocs' config validation does)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# The exit codes of every command (the export stage returns them as the CLI does).
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# Characters a terminal or a review page would act on or hide rather than show: C0 controls
# (tab excepted), DEL, C1 controls, bidi controls (Trojan Source: U+202A–202E, U+2066–2069,
# U+200E/F, U+061C) and zero-width characters.
INVISIBLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """`text` with every character that would act instead of showing written as `\\u202e`: what
    messages echo of user input (keys, file names, values) can neither forge a line, recolour a
    terminal nor reorder what a reviewer reads."""
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _github_property(value: str) -> str:
    """A workflow command's property value, escaped as GitHub's toolkit does (escapeProperty)."""
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _github_data(value: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (escapeData)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: printed as ``path:line:col: message``."""

    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when unknown
    message: str
    severity: Severity = "error"

    def text(self) -> str:
        where = visible(self.path)
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        label = "" if self.severity == "error" else "警告: "
        return f"{where}: {label}{visible(self.message)}"

    def github(self) -> str:
        """A GitHub Actions annotation. The file name is a property (`,` and `:` would start
        another property or end the list), the message is data; both are shown visibly first, so
        neither can put a forged `::command::` at the start of a line."""
        command = "error" if self.severity == "error" else "warning"
        props = f"file={_github_property(visible(self.path))}"
        if self.line:
            props += f",line={self.line},col={self.col or 1}"
        return f"::{command} {props}::{_github_data(visible(self.message))}"


@dataclass
class Report:
    """All diagnostics of one run, errors and warnings apart."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, col, message, "error"))

    def warning(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, col, message, "warning"))

    def extend(self, other: Report) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def format(self, style: str = "text") -> str:
        items = self.sorted()
        if style == "json":
            # JSON escapes C0 controls itself; the rest become \\uXXXX escapes too, which a JSON
            # reader decodes back to the exact file name and message.
            text = json.dumps([asdict(d) for d in items], ensure_ascii=False, indent=2)
            return "\n".join(visible(line) for line in text.split("\n"))  # its own line breaks stay
        if style == "github":
            return "\n".join(d.github() for d in items)
        return "\n".join(d.text() for d in items)
