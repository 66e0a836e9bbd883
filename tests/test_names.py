"""Issue 18: what a pull request can do to names, links, annotations and the terminal.

Reserved names, symbolic links out of the project, forged GitHub annotations, control characters
echoed into a terminal, numbers that crashed the checker, and writes the system refused."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from casebook.cli import main
from casebook.content.editions import EDITIONS
from casebook.content.labels import RESERVED_KEYS
from casebook.content.load import load_library
from casebook.content.schema import TERM_GROUPS
from casebook.diagnostics import Diagnostic, visible
from casebook.index.indexes import build_indexes
from casebook.project import Project
from casebook.render import urls
from casebook.render.pages import render_site

KEYED_FOLDERS = ("cases", *TERM_GROUPS, "frameworks", "paths")  # the folders whose pages keys name


def run_check(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "check", *args],
                          capture_output=True, text=True, check=False)


def errors_of(project: Project) -> list[str]:
    return [d.text() for d in load_library(project)[1].errors]


# --- reserved names -------------------------------------------------------------------------------


def fixed_files_by_folder(project: Project) -> dict[str, set[str]]:
    """What every edition actually generates in each keyed folder besides the pages keys name:
    the names (file stems, or subfolders) an entry's key must not take."""
    library, report = load_library(project)
    assert not report.errors
    keyed = {urls.source("cases", cid) for cid in library.cases}
    keyed |= {urls.source(group, key) for group, terms in library.taxonomy.groups.items() for key in terms}
    keyed |= {urls.source("frameworks", key) for key in library.frameworks}
    keyed |= {urls.source("paths", key) for key in library.paths}
    found: dict[str, set[str]] = {folder: set() for folder in KEYED_FOLDERS}
    for edition in EDITIONS.values():
        files = render_site(library, build_indexes(library), project.templates_dir, edition=edition)
        for name in files:
            target = name.removeprefix("docs/")
            folder, _, rest = target.partition("/")
            if target not in keyed and folder in found and rest:
                first = rest.split("/")[0]
                found[folder].add(first if "/" in rest else first.rsplit(".", 1)[0])
    return found


def test_every_fixed_file_of_a_keyed_folder_is_reserved(project):
    found = fixed_files_by_folder(project)
    assert found["cases"] == {"index"}  # the catalogue: what issue 18 overwrote
    for folder, names in found.items():
        assert names, folder
        assert names <= RESERVED_KEYS, folder


def _add_key(path: Path, group: str | None, key: str) -> None:
    """A copy of the file's first record under `key` (in `group` of the taxonomy)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    records = data[group] if group else data
    records[key] = dict(next(iter(records.values())))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("folder", KEYED_FOLDERS)
def test_a_reserved_key_is_refused_in_every_group(project, folder):
    for key in RESERVED_KEYS:
        if folder == "cases":
            shutil.copy(project.cases_dir / "alpha.yaml", project.cases_dir / f"{key}.yaml")
        elif folder in TERM_GROUPS:
            _add_key(project.taxonomy_file, folder, key)
        else:
            _add_key(project.root / f"{folder}.yaml", None, key)
    errors = errors_of(project)
    for key in RESERVED_KEYS:
        expected = [e for e in errors if f"'{key}' 是网站保留的名字：{folder}/{key}.html 是“" in e]
        assert expected, (key, errors)
        where = f"cases/{key}.yaml: 案例 id" if folder == "cases" else "yaml:"
        assert where in expected[0] and "请换一个名字" in expected[0]


def test_check_refuses_cases_index_and_the_catalogue_survives(project, tmp_path):
    shutil.copy(project.cases_dir / "alpha.yaml", project.cases_dir / "index.yaml")
    result = run_check(project)
    assert result.returncode == 1
    assert "cases/index.yaml: 案例 id 'index' 是网站保留的名字：cases/index.html 是“案例”的目录页" in result.stderr
    assert main(["--root", str(project.root), "build", "--markdown-only"]) == 1
    assert not (project.docs_dir / "cases" / "index.md").exists()


def test_new_refuses_a_reserved_id(project, capsys):
    assert main(["--root", str(project.root), "new", "index"]) == 2
    assert "案例 id 'index' 是网站保留的名字" in capsys.readouterr().err
    assert not (project.cases_dir / "index.yaml").exists()


# --- symbolic links -------------------------------------------------------------------------------

TOKEN = "ghp_SECRET_TOKEN_1234567890"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding what no message may show: a JSON file with a token
    (YAML reads JSON, so its keys would be reported as unknown fields) and a copy of the inputs."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.json").write_text(json.dumps({TOKEN: TOKEN, "api_key": TOKEN}), encoding="utf-8")
    return folder


INPUTS = ["taxonomy.yaml", "frameworks.yaml", "paths.yaml", "mkdocs.yml", "cases", "templates",
          "templates/case.md.j2", "templates/assets", "cases/alpha.yaml"]


@pytest.mark.parametrize("name", INPUTS)
def test_an_input_linked_out_of_the_project_is_refused_unread(project, outside, name):
    path = project.root / name
    if path.is_dir():
        target = outside / path.name
        shutil.copytree(path, target)
        (target / "secret.yaml").write_text(f"{TOKEN}: 1\n", encoding="utf-8")
        shutil.rmtree(path)
    else:
        target = outside / "secret.json"
        path.unlink()
    path.symlink_to(target)
    result = run_check(project)
    assert result.returncode == 1, result.stderr
    assert f"{name}: 是指向项目文件夹之外的符号链接" in result.stderr
    assert TOKEN not in result.stdout + result.stderr and str(outside) not in result.stderr
    assert "Traceback" not in result.stderr
    assert main(["--root", str(project.root), "build", "--markdown-only"]) == 1
    assert not project.docs_dir.exists()


def test_a_link_inside_the_project_is_allowed(project):
    (project.root / "shared").mkdir()
    project.paths_file.rename(project.root / "shared" / "paths.yaml")
    project.paths_file.symlink_to(Path("shared") / "paths.yaml")
    assert errors_of(project) == []
    assert load_library(project)[0].paths


def test_a_loop_of_links_at_an_input_is_refused(project):
    project.frameworks_file.unlink()
    project.frameworks_file.symlink_to(project.frameworks_file)
    assert any("frameworks.yaml: 符号链接无法解析" in e for e in errors_of(project))


# --- what messages echo ---------------------------------------------------------------------------

FORGED = "x\n::error file=README.md,line=1::INJECTED\n.yaml"
SPOOF = "y,line=99,title=spoof::z.yaml"


def test_file_names_cannot_forge_or_spoof_github_annotations(project):
    for name in (FORGED, SPOOF):
        shutil.copy(project.cases_dir / "alpha.yaml", project.cases_dir / name)
    result = run_check(project, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    for line in lines:  # every line is one annotation with our properties only: nothing forged
        match = re.fullmatch(r"::(error|warning) ([^:]*)::(.*)", line)
        assert match, line
        keys = [prop.split("=", 1)[0] for prop in match.group(2).split(",")]
        assert keys in (["file"], ["file", "line", "col"]), line
    assert not any(line.startswith(("::error file=README.md", "::error file=z.yaml")) for line in lines)
    assert "file=cases/x\\u000a%3A%3Aerror file=README.md%2Cline=1%3A%3AINJECTED\\u000a.yaml" in result.stderr
    assert "file=cases/y%2Cline=99%2Ctitle=spoof%3A%3Az.yaml" in result.stderr


def test_annotation_properties_and_data_are_escaped():
    d = Diagnostic("cases/a%b:c,d\r.yaml", 3, 4, "50% done\r\nnext")
    assert d.github() == "::error file=cases/a%25b%3Ac%2Cd\\u000d.yaml,line=3,col=4::50%25 done\\u000d\\u000anext"


CONTROL_CHARS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u200b", "\u200f", "\ufeff",
                 "\u061c", "\u2060", "\n", "\r"]


@pytest.mark.parametrize("char", CONTROL_CHARS)
def test_visible_shows_every_control_bidi_and_zero_width_character(char):
    shown = visible(f"a{char}b")
    assert shown == f"a\\u{ord(char):04x}b"
    assert visible("tab\tand 中文 stay") == "tab\tand 中文 stay"


def test_keys_and_file_names_are_echoed_visibly(project):
    text = (project.cases_dir / "alpha.yaml").read_text(encoding="utf-8")
    (project.cases_dir / "alpha.yaml").write_text(
        text + '"evil\\e[31m\\u202eKEY": 1\n"zw\\u200bkey": 2\n', encoding="utf-8")
    shutil.copy(project.cases_dir / "beta.yaml", project.cases_dir / "b\u202eeta.yaml")
    for style in ("text", "github", "json"):
        result = run_check(project, "--format", style)
        out = result.stdout + result.stderr
        assert result.returncode == 1
        for raw in ("\x1b", "\u202e", "\u200b"):
            assert raw not in out, (style, out)
        assert "\\u001b" in out and "\\u202e" in out and "\\u200b" in out
        if style == "json":  # JSON keeps the exact name, as an escape a reader decodes
            paths = {d["path"] for d in json.loads(result.stdout)}
            assert "cases/b\u202eeta.yaml" in paths


@pytest.mark.parametrize("value, message", [
    ('"bad\\0nul"', "含有控制字符 \\u0000"),
    ('"\\e[2J\\e[31mred"', "含有控制字符 \\u001b"),
    ('"c1\\x85next"', "含有控制字符 \\u0085"),
    ('"csi\\x9b31m"', "含有控制字符 \\u009b"),
    ('"\\u200b"', "'title'不能为空"),
    ('"\\u200b\\u202e\\ufeff "', "'title'不能为空"),
])
def test_control_characters_and_invisible_titles_are_refused(project, value, message):
    path = project.cases_dir / "alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 米店送米", f"title: {value}", 1),
                    encoding="utf-8")
    errors = errors_of(project)
    assert any(e.startswith("cases/alpha.yaml:1:8: ") and message in e for e in errors), errors


# --- crashes that became messages -----------------------------------------------------------------


def test_odd_numbers_are_messages_and_every_other_problem_is_kept(project):
    path = project.cases_dir / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("- minutes: 20", '- minutes: "²"', 1).replace("- minutes: 40", "- minutes: " + "9" * 5000, 1)
    text = text.replace("- minutes: 30", '- minutes: "٣"', 1)
    path.write_text(text, encoding="utf-8")
    (project.cases_dir / "beta.yaml").write_text("title: [\n", encoding="utf-8")  # another problem, elsewhere
    result = run_check(project)
    assert result.returncode == 1
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    assert "cases/alpha.yaml:49:16: 'minutes'应该是一个整数（如 20，用半角数字 0–9），这里是“²”" in result.stderr
    assert "一个 5000 位的数" in result.stderr and "“٣”" in result.stderr
    assert "cases/beta.yaml:" in result.stderr


def test_a_long_list_without_aliases_is_not_blamed_on_aliases(project):
    (project.cases_dir / "long.yaml").write_text("title: x\nkeypoints:\n" + "  - a\n" * 100_000, encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if line.startswith("cases/long.yaml"))
    assert "一个文件最多 50,000 个值" in line and "拆成几个文件" in line and "别名" not in line


# --- writes the system refused --------------------------------------------------------------------


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".tmp-" in p.name)


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "磁盘已满"), (errno.EACCES, "没有写入权限"), (errno.EPERM, "没有写入权限"),
    (errno.EROFS, "只读文件系统"),
])
def test_a_refused_cache_write_says_what_failed_and_leaves_no_temporary_file(project, monkeypatch, capsys,
                                                                            code, words):
    real_replace = os.replace

    def refuse(src, dst, *args, **kwargs):
        if ".casebook-cache" in str(dst):
            raise OSError(code, os.strerror(code), str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["--root", str(project.root), "build", "--markdown-only"]) == 1
    err = capsys.readouterr().err
    assert "无法写入 .casebook-cache/" in err and words in err
    assert "内部错误" not in err and "Casebook 本身的问题" not in err
    assert leftovers(project.root) == []


def test_a_full_disk_while_mkdocs_writes_keeps_site_and_cleans_up(project, monkeypatch, capsys):
    assert main(["--root", str(project.root), "build"]) == 0
    before = {p: p.read_bytes() for p in project.site_dir.rglob("*") if p.is_file()}
    (project.cases_dir / "alpha.yaml").write_text(
        (project.cases_dir / "alpha.yaml").read_text(encoding="utf-8").replace("米店送米", "米店送米（改）"),
        encoding="utf-8")
    import mkdocs.commands.build as mkdocs_build

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(project.root / "site.tmp-1" / "index.html"))

    monkeypatch.setattr(mkdocs_build, "build", full_disk)
    assert main(["--root", str(project.root), "build"]) == 1
    err = capsys.readouterr().err
    assert "磁盘已满" in err and "Casebook 本身的问题" not in err
    assert leftovers(project.root) == []
    assert {p: p.read_bytes() for p in project.site_dir.rglob("*") if p.is_file()} == before


def test_an_immutable_site_folder_is_kept_and_the_staging_folder_removed(project, monkeypatch, capsys):
    assert main(["--root", str(project.root), "build"]) == 0
    before = sorted(p.name for p in project.site_dir.iterdir())
    real_rename = Path.rename

    def refuse(self, target):
        if self == project.site_dir:
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse)
    (project.cases_dir / "alpha.yaml").write_text(
        (project.cases_dir / "alpha.yaml").read_text(encoding="utf-8").replace("米店送米", "米店送米（改）"),
        encoding="utf-8")
    assert main(["--root", str(project.root), "build"]) == 1
    err = capsys.readouterr().err
    assert "无法写入 site：没有写入权限" in err and "Casebook 本身的问题" not in err
    assert leftovers(project.root) == [] and not list(project.root.glob("site.old-*"))
    assert sorted(p.name for p in project.site_dir.iterdir()) == before
