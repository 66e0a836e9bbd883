"""What to say when a package Casebook needs is not installed in the Python that runs it.

Only the standard library here: this module speaks when the others cannot even be imported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXIT_MISSING = 2  # the environment, not the content: like a usage error

# Import name → the name pip installs it under, where they differ.
_PIP_NAMES = {"yaml": "PyYAML", "jinja2": "Jinja2", "material": "mkdocs-material", "markdown": "Markdown",
              "markupsafe": "MarkupSafe"}
CODE_ROOT = Path(__file__).resolve().parent.parent  # where build.py, pyproject.toml and .venv are


def is_missing_dependency(exc: BaseException) -> bool:
    """A third-party module that is not installed (a missing casebook module is a bug, not this)."""
    name = getattr(exc, "name", None) or ""
    return isinstance(exc, ModuleNotFoundError) and bool(name) and name.split(".")[0] != "casebook"


def _shown(path: Path) -> str:
    """The path as short as it is clear: relative below the current folder, absolute elsewhere."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def missing_dependency_message(module: str, argv: list[str] | None = None, code_root: Path = CODE_ROOT) -> str:
    package = _PIP_NAMES.get(module.split(".")[0], module.split(".")[0])
    windows = os.name == "nt"
    venv_python = code_root / ".venv" / ("Scripts/python.exe" if windows else "bin/python")
    build_py = _shown(code_root / "build.py")
    command = " ".join([build_py, *(sys.argv[1:] if argv is None else argv)])
    activate = r".venv\Scripts\activate" if windows else "source .venv/bin/activate"
    lines = [f"缺少 Python 包 {package}：Casebook 用到的软件没有装在正在运行的这个 Python 里"
             f"（{sys.executable}）。"]
    if venv_python.exists():
        lines.append(f"项目的虚拟环境已经装好，用它运行即可：{_shown(venv_python)} {command}")
        lines.append(f"或者先激活虚拟环境（{activate}），再运行 python {command}")
    else:
        pip = r".venv\Scripts\pip" if windows else ".venv/bin/pip"
        where = "" if _shown(code_root) == "." else f"cd {_shown(code_root)} && "
        lines.append(f"先安装（只需一次）：{where}python3 -m venv .venv && {pip} install -e .")
        lines.append(f"然后运行：{_shown(venv_python)} {command}")
    lines.append("用自己的 Python 环境时：pip install -e .（见 CONTRIBUTING.md 的“准备”）")
    return "\n".join(lines)
