"""Problems found in the content, collected rather than raised (as MkDocs' config validation does)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: printed as ``path:line:col: message``."""

    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when unknown
    message: str
    severity: Severity = "error"

    def text(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        label = "" if self.severity == "error" else "警告: "
        return f"{where}: {label}{self.message}"

    def github(self) -> str:
        command = "error" if self.severity == "error" else "warning"
        props = f"file={self.path}"
        if self.line:
            props += f",line={self.line},col={self.col or 1}"
        # GitHub workflow commands need %, CR and LF escaped in the message.
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{command} {props}::{msg}"


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
            return json.dumps([asdict(d) for d in items], ensure_ascii=False, indent=2)
        if style == "github":
            return "\n".join(d.github() for d in items)
        return "\n".join(d.text() for d in items)
