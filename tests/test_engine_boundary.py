"""The engine boundary is thin and public: only casebook/site/ imports MkDocs or Material, nothing
uses their (or Jinja's) private names, nothing patches them, and the folders name the stages."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "casebook"
ENGINES = ("mkdocs", "material")
THIRD_PARTY = (*ENGINES, "jinja2", "markdown", "zensical")
# The classes these packages document for extending them: subclassing one is how a plugin or a
# Markdown extension is written. Any other base class of theirs is an internal.
EXTENSION_POINTS = {"mkdocs.plugins.BasePlugin", "markdown.extensions.Extension",
                    "markdown.treeprocessors.Treeprocessor"}


def modules() -> dict[str, ast.Module]:
    return {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def full_name(name: str, tree: ast.Module) -> str:
    """`name` as used in the module, with the module it was imported from in front."""
    first, _, rest = name.partition(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if (alias.asname or alias.name) == first:
                    return ".".join(filter(None, [node.module, alias.name, rest]))
    return name


def test_only_the_site_stage_imports_an_engine():
    outside = [(path, module) for path, tree in modules().items() if not path.startswith("casebook/site/")
               for module, _ in imports(tree) if module.split(".")[0] in ENGINES]
    assert outside == []


def test_no_private_names_of_other_packages_and_no_patching():
    private = []
    for path, tree in modules().items():
        for module, names in imports(tree):
            top = module.split(".")[0]
            if top == "unittest":
                private.append((path, module))  # no mock in the product
            if top in THIRD_PARTY and (any(part.startswith("_") for part in module.split(".")) or
                                       any(name.startswith("_") for name in names)):
                private.append((path, module, names))
        for node in ast.walk(tree):  # attribute access like material.x._y or jinja2.runtime.Context subclassing
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                base = node.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(base, ast.Name) and base.id in THIRD_PARTY:
                    private.append((path, node.attr))
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    name = full_name(ast.unparse(base).split("[")[0], tree)
                    if name.split(".")[0] in THIRD_PARTY and name not in EXTENSION_POINTS:
                        private.append((path, "subclasses", name))
    assert private == []


def test_the_folders_name_the_stages_in_order():
    stages = ["content", "index", "render", "site"]
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in stages)
    order = {stage: number for number, stage in enumerate(stages)}
    backwards = []
    for path, tree in modules().items():
        parts = Path(path).parts
        if len(parts) < 3 or parts[1] not in order:
            continue
        for module, _ in imports(tree):
            target = module.split(".")
            if target[0] == "casebook" and len(target) > 1 and target[1] in order \
                    and order[target[1]] > order[parts[1]]:
                backwards.append((path, module))  # an earlier stage importing a later one
    assert backwards == []
