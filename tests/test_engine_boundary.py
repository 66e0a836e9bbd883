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


# The stages in the order data flows through them; a module may import its own stage, an earlier
# one or a shared utility, never a later stage. The folders are stages; so are a few top modules:
# the pipeline drives content → writer and ranks with the writer, as does the build cache (it
# holds what content, index and render hand the next build, and writes as the writer does).
STAGES = ["content", "index", "render", "writer", "site", "export", "cli"]
TOP_MODULES = {"writer": "writer", "pipeline": "writer", "buildcache": "writer", "cli": "cli"}
UTILITIES = {"digest", "parallel", "project", "diagnostics", "missing"}  # import no stage at all


def stage_of(dotted: str) -> str | None:
    """The stage of a module of the package (None for the package itself)."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return None
    if parts[1] in UTILITIES:
        return "utility"
    if parts[1] in STAGES and parts[1] not in TOP_MODULES:
        return parts[1]
    return TOP_MODULES[parts[1]]  # a KeyError here: a new top module, to be given a stage above


def casebook_imports(path: str, tree: ast.Module) -> list[str]:
    """Every module of the package `path` imports: at the top, under TYPE_CHECKING, inside
    functions, relative or absolute; `from casebook.x import y` counts casebook.x.y when y is a
    module."""
    here = Path(path).with_suffix("").parts
    package = here if here[-1] == "__init__" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[:len(package) - node.level + 1] if node.level > 1 else package
                base = ".".join([*(p for p in anchor if p != "__init__"), *filter(None, [base])])
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                is_module = (ROOT / Path(*candidate.split("."))).with_suffix(".py").is_file() or \
                    (ROOT / Path(*candidate.split(".")) / "__init__.py").is_file()
                found.append(candidate if is_module else base)
    return [name for name in found if name == "casebook" or name.startswith("casebook.")]


def test_every_module_has_a_stage():
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in STAGES if stage not in TOP_MODULES)
    unplaced = [path for path in modules() if path.count("/") == 1 and Path(path).stem != "__init__"
                and Path(path).stem not in {*UTILITIES, *TOP_MODULES}]
    assert unplaced == []


def test_no_module_imports_a_later_stage():
    rank = {stage: number for number, stage in enumerate(STAGES)}
    rank["utility"] = -1
    backwards = []
    for path, tree in modules().items():
        own = stage_of(Path(path).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__"))
        if own is None:
            continue
        for target in casebook_imports(path, tree):
            theirs = stage_of(target)
            if theirs is not None and rank[theirs] > rank[own]:
                backwards.append((path, target))  # an earlier stage (or a utility) reaching forward
    assert backwards == []


def test_the_stage_test_sees_backward_imports():
    # The test above can fail: a render module reaching the writer, a utility reaching a stage,
    # a relative import and one inside a function are all found.
    tree = ast.parse("from casebook.writer import KEPT\nfrom casebook import buildcache\n"
                     "def f():\n    from ..export import printing\n    from . import urls\n")
    found = casebook_imports("casebook/render/pages.py", tree)
    assert found == ["casebook.writer", "casebook.buildcache", "casebook.export.printing", "casebook.render.urls"]
    assert [stage_of(name) for name in found] == ["writer", "writer", "export", "render"]
    assert stage_of("casebook.digest") == "utility" and stage_of("casebook.site.build") == "site"


def test_only_the_build_cache_touches_the_cache_folder():
    # What a build hands the next is kept in one place (casebook/buildcache.py's BuildCache):
    # no other module names the cache folder, a cache file, or the module's file functions.
    reaching = []
    for path, tree in modules().items():
        if path in ("casebook/buildcache.py", "casebook/project.py"):  # project.py says where the folder is
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and (node.attr == "cache_dir"
                                                    or ast.unparse(node.value) == "buildcache"):
                reaching.append((path, ast.unparse(node)))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    (node.value.endswith((".pickle", ".key")) or node.value == ".casebook-cache"):
                reaching.append((path, node.value))
            if isinstance(node, ast.ImportFrom) and node.module == "casebook.buildcache":
                reaching += [(path, alias.name) for alias in node.names if alias.name != "BuildCache"]
    assert reaching == []
