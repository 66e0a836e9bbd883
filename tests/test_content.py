"""The bundled library itself: it passes check with no warnings, and its schema file is fresh."""

from __future__ import annotations

from conftest import ROOT

from casebook.content.jsonschema import render_json_schema
from casebook.content.load import load_library
from casebook.project import Project

ISSUE_CASES = {"rice-seller", "ikea", "huawei", "haier", "haier-channels", "jinri", "faw-jiefang",
               "fishhook", "plum-buyer", "comb-seller", "china-mobile", "yashili", "lubricants",
               "jiren-lezhuang", "xinri", "office-furniture"}
PARABLES = {"fishhook", "plum-buyer", "comb-seller"}


def test_bundled_library_is_clean():
    library, report = load_library(Project(ROOT))
    assert [d.text() for d in report.items] == []
    assert set(library.cases) >= ISSUE_CASES
    assert {cid for cid, c in library.cases.items() if c.is_parable} == PARABLES


def test_schema_file_is_up_to_date():
    library, _ = load_library(Project(ROOT))
    current = (ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8")
    assert current == render_json_schema(library), "run `python build.py schema` and commit the result"


def test_every_learning_path_can_be_followed_start_to_end():
    """Follow the “下一篇” link on each case page from a path's first case to its last."""
    import re

    from casebook.index.indexes import build_indexes
    from casebook.render.pages import render_site

    library, _ = load_library(Project(ROOT))
    pages = render_site(library, build_indexes(library), ROOT / "templates")
    assert len(library.paths) >= 3
    for key, path in library.paths.items():
        expected = [step.case for step in path.steps]
        current, visited = expected[0], [expected[0]]
        while True:
            page = pages[f"docs/cases/{current}.md"]
            line = next(ln for ln in page.splitlines() if f'href="../paths/{key}.html"' in ln)
            following = re.search(r'下一篇 <a href="(?:\.\./cases/)?([a-z0-9-]+)\.html">', line)
            if not following:
                assert "本路径最后一篇" in line
                break
            current = following.group(1)
            visited.append(current)
        assert visited == expected, key


def test_editor_schema_accepts_every_bundled_case_and_flags_mistakes():
    """What VS Code's YAML extension does with the `$schema` line, done by a JSON Schema validator."""
    import json

    import jsonschema
    import yaml

    schema = json.loads((ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for path in sorted((ROOT / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path.name
    case = yaml.safe_load((ROOT / "cases" / "rice-seller.yaml").read_text(encoding="utf-8"))
    case["principles"]["relability"] = "拼错的键"
    case["titel"] = "拼错的字段"
    del case["company"]
    problems = {e.message for e in validator.iter_errors(case)}
    assert any("relability" in p for p in problems)
    assert any("titel" in p for p in problems)
    assert "'company' is a required property" in problems
    assert schema["properties"]["industry"]["enum"][:2] == ["home-appliances", "telecom-equipment"]
    assert "服务阶段" in schema["properties"]["stages"]["description"]  # descriptions are for trainers


def test_case_prose_is_written_in_our_own_words():
    """No 40 characters of any text of a case (teaching note included), a framework or a term
    stand in the source material as they are.

    Compared on Chinese characters, letters and digits only (the sources differ in punctuation
    and carry pinyin after some characters), leaving out text in quotation marks (a slogan quoted
    as such). Enumerations of named facts are shorter than that; a pasted sentence is not.
    Skipped where the source material is not beside the repository."""
    import re

    import pytest
    import yaml
    import zhconv

    seeds_dir = ROOT.parent / "shared" / "seeds"
    if not seeds_dir.is_dir():
        pytest.skip("the source material (../shared/seeds/) is not beside this checkout")
    pinyin = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
    letters = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
    quoted = re.compile(r"“[^”]*”|「[^」]*」")
    run = 40
    source = "".join(zhconv.convert(p.read_text(encoding="utf-8", errors="ignore"), "zh-cn")
                     for p in sorted(seeds_dir.glob("*.txt")))
    source = letters.sub("", pinyin.sub("", source))
    runs = {source[i:i + run] for i in range(len(source) - run)}
    def strings(value: object) -> list[str]:
        """Every text of a file: the case's prose, its questions and answers, its teaching note."""
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [text for item in value.values() for text in strings(item)]
        if isinstance(value, list):
            return [text for item in value for text in strings(item)]
        return []

    files = [*sorted((ROOT / "cases").glob("*.yaml")), ROOT / "frameworks.yaml", ROOT / "taxonomy.yaml"]
    checked_teaching = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        checked_teaching += isinstance(data, dict) and "teaching" in data
        for prose in strings(data):
            text = letters.sub("", quoted.sub("", prose))
            copied = [text[i:i + run] for i in range(len(text) - run) if text[i:i + run] in runs]
            assert copied == [], f"{path.name} repeats the source word for word: {copied[:2]}"
    assert checked_teaching == len(files) - 2  # every case's teaching note was read
