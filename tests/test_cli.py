"""The command line as a trainer meets it: exit codes, messages, the scaffold, help."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from casebook.cli import main


def run(project, *args: str) -> int:
    return main(["--root", str(project.root), *args])


def test_check_passes_on_clean_corpus(project, capsys):
    assert run(project, "check") == 0
    assert "检查通过：3 个案例，0 个错误" in capsys.readouterr().err


def test_check_fails_with_every_problem_listed(project, write, capsys):
    write("cases/bad.yaml", "title: 坏案例\nkind: case\nindustry: retial\n")
    assert run(project, "check") == 1
    err = capsys.readouterr().err
    assert "cases/bad.yaml:3:11: 未知的行业 'retial'；是不是要写 'retail'？" in err
    assert "cases/bad.yaml:1:1: 案例缺少必填字段 'summary'（摘要）" in err
    assert "检查未通过" in err


def test_check_formats(project, write, capsys):
    write("cases/bad.yaml", "title: 坏案例\nkind: case\nindustry: retial\n")
    assert run(project, "check", "--format", "github") == 1
    err = capsys.readouterr().err
    assert "::error file=cases/bad.yaml,line=3,col=11::未知的行业 'retial'；是不是要写 'retail'？" in err
    assert run(project, "check", "--format", "json") == 1
    items = json.loads(capsys.readouterr().out)
    assert {"path": "cases/bad.yaml", "line": 3, "col": 11, "severity": "error",
            "message": "未知的行业 'retial'；是不是要写 'retail'？"} in items


def test_strict_makes_warnings_fail(project, write, capsys):
    write("cases/alpha.yaml", (project.cases_dir / "alpha.yaml").read_text(encoding="utf-8")
          .replace("questions:\n  - question: 顾客为什么专买他的米？\n    answer: 因为他卖的不只是米。\n", ""))
    assert run(project, "check") == 0
    assert run(project, "check", "--strict") == 1
    assert "警告: 案例还没有讨论题" in capsys.readouterr().err


def test_bad_content_never_shows_a_traceback(project, write):
    write("cases/bad.yaml", b"\xff\xfe garbage \x00")
    write("cases/worse.yaml", "title: !!python/object/apply:os.system ['echo hi']\n")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cases/bad.yaml:1:1: 文件不是 UTF-8 编码" in result.stderr
    assert "cases/worse.yaml:1:8: 不支持 YAML 标签 '!!python/object/apply:os.system'" in result.stderr


def test_new_writes_a_commented_skeleton_that_check_explains(project, capsys):
    assert run(project, "new", "delta") == 0
    text = (project.cases_dir / "delta.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/case.schema.json\n")
    assert "reliability（可靠性）" in text and "retail（零售）" in text
    assert run(project, "check") == 1  # placeholders must be replaced before it passes
    assert "还是模板里的占位文字" in capsys.readouterr().err


def test_new_refuses_bad_ids_and_existing_files(project, capsys):
    assert run(project, "new", "Bad_ID") == 2
    assert "只能用小写英文字母" in capsys.readouterr().err
    before = (project.cases_dir / "alpha.yaml").read_text(encoding="utf-8")
    assert run(project, "new", "alpha") == 2
    assert (project.cases_dir / "alpha.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("command", [[], ["check"], ["build"], ["serve"], ["new"], ["schema"], ["export"]])
def test_every_command_has_help_in_chinese(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"用法：build.py {' '.join(command)}".rstrip() + " [-h]")
    assert "选项:\n  -h, --help\n      显示这段帮助并退出" in out
    for english in ("usage", "options", "positional arguments", "show this help"):
        assert english not in out


@pytest.mark.parametrize(("args", "message"), [
    (["check", "--format", "x"], "build.py check：--format 不能是 'x'；可选：text、github、json；"
                                 "运行 build.py check -h 查看用法"),
    (["bogus"], "build.py：<命令> 不能是 'bogus'；可选：check、build、serve、export、new、schema"),
    (["new"], "build.py new：缺少参数：id"),
    (["serve", "--port", "abc"], "build.py serve：--port 的值 'abc' 不对，这里要写数字"),
    (["check", "--nope"], "build.py：不认识的参数：--nope"),
])
def test_command_line_mistakes_are_explained_in_chinese(args, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：build.py") and message in err
    assert "error" not in err and "invalid" not in err


def test_build_py_runs_from_any_directory(tmp_path: Path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "check" in result.stdout


@pytest.mark.slow
def test_scaffold_filled_in_goes_through_check_and_build(project, capsys):
    """new → (a trainer fills every placeholder) → check → build: the case is on the site."""

    assert run(project, "new", "delta") == 0
    path = project.cases_dir / "delta.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*-?\s*case: ).*$", r"\1alpha", text)  # related: point at a real case
    text = text.replace("（待填写：键）", "delta-cards")  # a material's key is a slug
    for level in ("优秀", "合格", "不足"):  # sample answers: 40 characters at least, each its own
        answer = f"{level}的学员答案：" + "德尔塔先问顾客要什么，再决定做什么。" * 3
        text = text.replace(f"（待填写：{level}样例，可以写多段）", answer)
    text = re.sub(r"（待填写：[^（）\n]*）", "德尔塔的做法", text)
    path.write_text(text, encoding="utf-8")
    assert run(project, "check") == 0, capsys.readouterr().err
    assert run(project, "build") == 0
    page = (project.site_dir / "cases" / "delta.html").read_text(encoding="utf-8")
    assert "德尔塔的做法" in page and 'href="alpha.html"' in page


def test_minimums_warn_and_fail_with_strict_on_the_bundled_library(tmp_path, capsys):
    """The bundled cases meet every minimum; a thin case passes `check` with warnings, not --strict."""
    from conftest import copy_library
    from test_validation import THIN

    root = copy_library(tmp_path / "lib").root
    assert main(["--root", str(root), "check", "--strict"]) == 0
    assert "0 个错误，0 个警告" in capsys.readouterr().err
    (root / "cases" / "thin-case.yaml").write_text(THIN, encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 0
    err = capsys.readouterr().err
    assert "cases/thin-case.yaml:10:3: 警告: 服务策略（strategies）只有 1 项；建议至少写 2 项" in err
    assert ("检查通过：17 个案例，0 个错误，6 个警告；"
            "提交前请把警告也改掉（CI 运行 check --strict，警告也算不通过）") in err
    assert main(["--root", str(root), "check", "--strict"]) == 1
    assert "检查未通过" in capsys.readouterr().err


def test_new_scaffold_holds_as_many_items_as_the_minimums(project):
    from casebook.content.schema import CASE

    assert run(project, "new", "delta") == 0
    text = (project.cases_dir / "delta.yaml").read_text(encoding="utf-8")
    assert "# 服务策略（必填，建议至少 2 项）" in text and "# 讨论题（可选，建议至少 3 项）" in text
    assert text.count("  - question: （待填写") == CASE.get("questions").recommended
    assert text.count("（待填写：一句话，本案例如何体现或运用它）") == 4  # 2 strategies + 2 principles
    takeaways = text.split("\ntakeaways:\n")[1].split("\n\n")[0]
    assert takeaways.count("  - （待填写") == 3


def test_a_python_without_the_dependencies_is_told_how_to_run(tmp_path):
    """No traceback, no "内部错误": how to install, or how to use the venv that is there."""
    result = subprocess.run([sys.executable, "-S", str(ROOT / "build.py"), "build"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)  # -S: no site-packages
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert re.match(r"缺少 Python 包 \S+：Casebook 用到的软件没有装在正在运行的这个 Python 里", result.stderr)
    assert f"cd {ROOT} && python3 -m venv .venv" in result.stderr or ".venv/bin/python" in result.stderr
    assert "pip install -e ." in result.stderr


def test_missing_dependency_message_names_the_venv_when_there_is_one(tmp_path, monkeypatch):
    from casebook.missing import missing_dependency_message

    monkeypatch.chdir(tmp_path)
    without = missing_dependency_message("mkdocs", ["build"], code_root=tmp_path)
    assert "先安装（只需一次）：python3 -m venv .venv && .venv/bin/pip install -e ." in without
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").write_text("", encoding="utf-8")
    with_venv = missing_dependency_message("mkdocs", ["build"], code_root=tmp_path)
    assert "用它运行即可：.venv/bin/python build.py build" in with_venv
    assert "source .venv/bin/activate" in with_venv


def test_missing_dependency_at_a_command_is_not_an_internal_error(project, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "mkdocs.config", None)  # as if MkDocs were not installed
    assert run(project, "serve") == 2
    err = capsys.readouterr().err
    assert err.startswith("缺少 Python 包 mkdocs：") and "内部错误" not in err


def test_a_closed_pipe_ends_quietly(project):
    """`check --format json | head -1`: the reader leaves early; no BrokenPipeError, no 内部错误."""
    bad = "".join(f"title: 坏\nkind: case\nindustry: retial{i}\n" for i in range(1))
    for index in range(400):  # enough output to overflow a pipe's buffer
        (project.cases_dir / f"bad-{index}.yaml").write_text(bad, encoding="utf-8")
    command = f"'{sys.executable}' '{ROOT / 'build.py'}' --root '{project.root}' check --format json | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                            check=False)
    assert result.stdout == "[\n"
    assert result.stderr == ""
    assert result.returncode == 141  # as a program ended by SIGPIPE, so `set -o pipefail` still sees it


def test_the_casebook_command_finds_its_project_from_the_working_directory(project, monkeypatch, capsys):
    """`pip install .` gives a `casebook` command (main() without a home): run anywhere inside a
    project folder, it works on that project, not on the one the package came from."""
    monkeypatch.chdir(project.cases_dir)
    assert main(["check"]) == 0
    assert "检查通过：3 个案例" in capsys.readouterr().err
