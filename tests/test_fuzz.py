"""Property-based fuzzing: no YAML document and no Unicode text makes check or build raise."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_link_tricks import plant, unsafe_links

from casebook.content.labels import RESERVED_KEYS
from casebook.content.load import load_library
from casebook.content.schema import CASE, TERM_GROUPS
from casebook.diagnostics import INVISIBLE, Report
from casebook.index.indexes import build_indexes
from casebook.render.pages import render_site

# Examples per property; the totals are quoted in docs/robustness.md.
EXAMPLES = {"bytes": 300, "shapes": 400, "unicode_render": 200, "unicode_build": 4, "tricks_render": 60,
            "tricks_build": 3}


def fuzz(name: str) -> settings:
    return settings(max_examples=EXAMPLES[name], deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

FIELD_NAMES = [*CASE.names, "bogus", "<<", "Title", ""]
TERM_KEYS = ["pre-sale", "after-sale", "reliability", "empathy", "value-added-service", "retail", "alpha",
             "complaint-steps", "../x", "不存在"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40))
keys = st.one_of(st.sampled_from(FIELD_NAMES + TERM_KEYS), st.text(max_size=12))
shapes = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)
documents = st.one_of(st.dictionaries(st.sampled_from(FIELD_NAMES), shapes, max_size=len(FIELD_NAMES)), shapes)
# Any Unicode a trainer could paste, except surrogates (not encodable as UTF-8 text at all).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@pytest.fixture(scope="module")
def fuzz_project():
    folder = Path(tempfile.mkdtemp(prefix="casebook-fuzz-"))
    project = copy_project(folder / "proj")
    yield project
    shutil.rmtree(folder, ignore_errors=True)


def load_with(project, content: bytes):
    (project.cases_dir / "fuzz.yaml").write_bytes(content)
    return load_library(project)


@fuzz("bytes")
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_never_crash_check(fuzz_project, content):
    _, report = load_with(fuzz_project, content)
    for item in report.items:
        assert item.path and item.message


@fuzz("shapes")
@given(documents)
def test_arbitrary_yaml_shapes_never_crash_check(fuzz_project, document):
    text = yaml.safe_dump(document, allow_unicode=True)
    _, report = load_with(fuzz_project, text.encode("utf-8"))
    assert all(d.line >= 0 and d.col >= 0 for d in report.items)


def case_with(text: dict[str, str]) -> str:
    data = {
        "title": text["a"], "subtitle": text["b"], "kind": "case", "company": text["c"],
        "industry": "retail", "region": text["d"], "period": text["e"], "summary": text["f"],
        "story": text["g"], "stages": {"pre-sale": text["h"], "after-sale": text["a"]},
        "strategies": {"value-added-service": text["b"]}, "principles": {"empathy": text["c"]},
        "frameworks": {"complaint-steps": text["d"]}, "analysis": text["e"], "takeaways": [text["f"]],
        "questions": [{"question": text["g"], "answer": text["h"]}],
        "figures": [{"label": text["a"], "value": text["b"], "source": text["c"]}],
        "related": [{"case": "alpha", "note": text["d"]}], "sources": [{"title": text["e"], "url": text["f"]}],
    }
    return yaml.safe_dump(data, allow_unicode=True)


texts = st.fixed_dictionaries({k: any_text for k in "abcdefgh"})


@fuzz("unicode_render")
@given(texts)
def test_any_unicode_in_every_field_renders_safely(fuzz_project, text):
    library, report = load_with(fuzz_project, case_with(text).encode("utf-8"))
    if report.errors:  # e.g. Traditional characters or a blank value: reported, not raised
        return
    pages = render_site(library, build_indexes(library), fuzz_project.templates_dir)
    page = pages["docs/cases/fuzz.md"]
    assert "<script" not in page.lower() and not re.search(r"\]\(\s*javascript:", page, re.I)
    assert "<img" not in page.lower()


@pytest.mark.slow
@fuzz("unicode_build")
@given(texts)
def test_any_unicode_in_every_field_builds_through_mkdocs(fuzz_project, text):
    from casebook.cli import main

    (fuzz_project.cases_dir / "fuzz.yaml").write_text(case_with(text), encoding="utf-8")
    _, report = load_library(fuzz_project)
    status = main(["--root", str(fuzz_project.root), "build"])
    # What check accepts, the strict MkDocs build builds; what it refuses, build refuses with its message.
    assert status == (1 if report.errors else 0)


# --- issue 18: the classes, generated ---------------------------------------------------------------
# Control, bidi and zero-width characters anywhere (values, keys, file names), reserved names in
# every keyed folder, and symbolic links from every input to every kind of target.

EXAMPLES.update({"controls": 200, "file_names": 100, "reserved": 60, "links": 40})

ACTING = [*(chr(c) for c in range(0x20) if c != 0x09), "\x7f", *(chr(c) for c in range(0x80, 0xA0)),
          "\u061c", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", *(chr(c) for c in range(0x202A, 0x202F)),
          "\u2060", *(chr(c) for c in range(0x2066, 0x206A)), "\ufeff"]
hostile_text = st.text(st.one_of(st.sampled_from(ACTING), st.sampled_from("ab中文:,%=")), min_size=1, max_size=20)
ANNOTATION = re.compile(r"::(error|warning) file=[^:,]*(,line=\d+,col=\d+)?::[^\r\n]*")


def assert_shown_safely(report: Report) -> None:
    """Nothing a file holds acts on a terminal or forges an annotation, in any format."""
    for style in ("text", "github", "json"):
        out = report.format(style)
        assert not INVISIBLE.search(out.replace("\n", "")), (style, out)
        lines = out.split("\n")
        if style == "text":
            assert len(lines) == len(report.sorted())  # one line per diagnostic: none forged
        if style == "github":
            assert all(ANNOTATION.fullmatch(line) for line in lines), out


@fuzz("controls")
@given(hostile_text, hostile_text, st.sampled_from(["title", "summary", "company", "story"]))
def test_control_characters_in_values_and_keys_are_refused_or_shown_visibly(fuzz_project, value, key, field):
    base = yaml.safe_load((fuzz_project.cases_dir / "alpha.yaml").read_text(encoding="utf-8"))
    base[field] = value
    base[key] = "x"  # an unknown key holding the characters: echoed in its message
    _, report = load_with(fuzz_project, yaml.safe_dump(base, allow_unicode=True).encode("utf-8"))
    assert_shown_safely(report)
    if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", value):
        assert any(d.path == "cases/fuzz.yaml" and "控制字符" in d.message for d in report.errors)


@fuzz("file_names")
@given(st.text(st.one_of(st.sampled_from(ACTING[1:]), st.sampled_from("ab:,%=:\n-")), min_size=1, max_size=30))
def test_any_file_name_is_shown_safely(fuzz_project, stem):
    name = f"{stem}.yaml".replace("/", "-")
    path = fuzz_project.cases_dir / name
    path.write_text((fuzz_project.cases_dir / "alpha.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        _, report = load_library(fuzz_project)
    finally:
        path.unlink()
    assert_shown_safely(report)


KEYED_FOLDERS = ("cases", *TERM_GROUPS, "frameworks", "paths")
slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)


@fuzz("reserved")
@given(st.sampled_from(KEYED_FOLDERS), st.one_of(slugs, st.sampled_from(["index", "search", "assets"])))
def test_a_key_is_refused_exactly_when_it_names_a_fixed_page(fuzz_project, folder, key):
    root = fuzz_project.root
    file = root / ("taxonomy.yaml" if folder in TERM_GROUPS else f"{folder}.yaml")
    saved = None if folder == "cases" else file.read_text(encoding="utf-8")
    if folder == "cases":
        target = fuzz_project.cases_dir / f"{key}.yaml"
        if target.exists():
            return
        shutil.copy(fuzz_project.cases_dir / "alpha.yaml", target)
    else:
        data = yaml.safe_load(saved or "")
        records = data[folder] if folder in TERM_GROUPS else data
        if key in records:
            return
        records[key] = dict(next(iter(records.values())))
        file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        _, report = load_library(fuzz_project)
    finally:
        if folder == "cases":
            target.unlink()
        else:
            file.write_text(saved or "", encoding="utf-8")
    refused = any(f"'{key}' 是网站保留的名字" in d.message for d in report.errors)
    assert refused == (key in RESERVED_KEYS)


SECRET = "tok_fuzz_0123456789"
LINKED_INPUTS = ["taxonomy.yaml", "frameworks.yaml", "paths.yaml", "mkdocs.yml", "cases", "templates",
                 "templates/home.md.j2", "cases/beta.yaml"]


@fuzz("links")
@given(st.sampled_from(LINKED_INPUTS), st.sampled_from(["outside", "inside", "loop", "dangling-outside"]))
def test_an_input_link_is_refused_exactly_when_it_leaves_the_project(fuzz_project, name, kind):
    root = fuzz_project.root
    path = root / name
    moved = root.parent / f"moved-{path.name}"  # outside the project
    outside = root.parent / "outside-secret.json"
    outside.write_text(f'{{"{SECRET}": "{SECRET}"}}', encoding="utf-8")
    path.rename(moved)
    kept = root / "kept" / path.name
    try:
        if kind == "outside":  # a file: to the secret; a folder: to the real one, moved out
            path.symlink_to(outside if moved.is_file() else moved)
        elif kind == "inside":
            kept.parent.mkdir(exist_ok=True)
            moved.rename(kept)
            path.symlink_to(kept)
        elif kind == "loop":
            path.symlink_to(path)
        else:
            path.symlink_to(root.parent / "missing-target")
        _, report = load_library(fuzz_project)
    finally:
        path.unlink()
        (kept if kept.exists() else moved).rename(path)
        if kept.parent.exists():
            kept.parent.rmdir()
    text = report.format("text")
    assert SECRET not in text and str(root.parent) not in text
    refused = [d for d in report.errors if d.path == name and ("符号链接" in d.message)]
    assert bool(refused) == (kind != "inside"), (name, kind, text)


# --- Markdown written to smuggle a link past the checks (issue 18) --------------------------------------
# A script scheme, cased, split or hidden by a character a browser drops, as an inline link, an image,
# angle brackets or a reference definition (any label, the empty one too), inside a container.
schemes = st.sampled_from(["javascript", "JaVaScRiPt", "vbscript", "data", "jav&#97;script", "java&#x09;script"])
hiders = st.sampled_from(["", "\n", "\t", " ", "\x01", "\x0b", "\x1f", "\x7f", "\u00a0", "\n> ", "\n    "])
containers = st.sampled_from(["", "> ", "- ", "1. ", "!!! note\n    ", "    ", "> - ", "* > ", "| a |\n|---|\n| "])
labels = st.sampled_from(["", "x", "点这里", "X Y", "1"])


@st.composite
def smuggled_links(draw) -> str:
    scheme = draw(schemes)
    at = draw(st.integers(0, len(scheme)))
    target = draw(hiders) + scheme[:at] + draw(hiders) + scheme[at:] + ":window.__pwned=1"
    label, container = draw(labels), draw(containers)
    return draw(st.sampled_from([
        f"{container}[点这里]({target})",
        f"{container}![点这里]({target})",
        f"{container}[点这里](<{target}>)",
        f"{container}[{label}]: {target}\n\n[点这里][{label}]",
        f"{container}[{label}]:\n{container}{target}\n\n{container}[点这里][{label}]",
        f"[点这里][{label}]\n\n{container}[{label}]: {target} \"t\"",
    ]))


tricks = st.lists(st.one_of(smuggled_links(), any_text), min_size=1, max_size=4).map("\n\n".join)


@fuzz("tricks_render")
@given(tricks)
def test_smuggled_links_reach_no_page(fuzz_project, text):
    """In a story, a stage text, a taxonomy definition and a framework's description and notes."""
    (fuzz_project.cases_dir / "fuzz.yaml").unlink(missing_ok=True)
    plant(fuzz_project, text)
    library, report = load_library(fuzz_project)
    if report.errors:  # e.g. a control character YAML cannot hold: refused with a message
        return
    pages = render_site(library, build_indexes(library), fuzz_project.templates_dir)
    for name in ("docs/cases/alpha.md", "docs/stages/pre-sale.md", "docs/frameworks/complaint-steps.md"):
        assert unsafe_links(pages[name]) == [], name


@pytest.mark.slow
@fuzz("tricks_build")
@given(tricks)
def test_smuggled_links_build_and_reach_no_built_page(fuzz_project, text):
    from casebook.cli import main

    (fuzz_project.cases_dir / "fuzz.yaml").unlink(missing_ok=True)
    plant(fuzz_project, text)
    _, report = load_library(fuzz_project)
    assert main(["--root", str(fuzz_project.root), "build"]) == (1 if report.errors else 0)
    if not report.errors:
        for path in ("cases/alpha.html", "stages/pre-sale.html", "frameworks/complaint-steps.html"):
            page = (fuzz_project.site_dir / path).read_text(encoding="utf-8")
            assert unsafe_links(page, markdown=False) == [], path
