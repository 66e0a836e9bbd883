"""Broken and hostile input: a clear message at its place, exit code 1, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from casebook.cli import main

BROKEN = FIXTURES / "broken"


def check(project) -> subprocess.CompletedProcess[str]:
    """`build.py check` as a trainer runs it: a separate process, its real output."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "check"],
                          capture_output=True, text=True, check=False)


def assert_refused(project, *expected: str, capsys=None) -> str:
    result = check(project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    return result.stderr


# (fixture file, what the message must say: file:line:col and the advice)
CASE_FILES = [
    ("syntax-error.yaml", ["cases/syntax-error.yaml:3:12: YAML 语法错误", "加上引号"]),
    ("tab-indent.yaml", ["cases/tab-indent.yaml:3:1: YAML 语法错误", "Tab 缩进"]),
    ("missing-required.yaml", ["cases/missing-required.yaml:1:1: 案例缺少必填字段 'summary'（摘要）",
                               "cases/missing-required.yaml:1:1: 案例缺少必填字段 'sources'（资料来源）"]),
    ("unknown-keys.yaml", ["cases/unknown-keys.yaml:5:1: 未知字段 'summery'；是不是要写 'summary'？",
                           "cases/unknown-keys.yaml:15:5: 未知字段 'anwser'；是不是要写 'answer'？",
                           "cases/unknown-keys.yaml:18:5: 未知字段 'author'；"
                           "可用的键：key, title, section, page, file, url"]),
    ("unknown-terms.yaml", ["cases/unknown-terms.yaml:4:11: 未知的行业 'retial'；是不是要写 'retail'？",
                            "cases/unknown-terms.yaml:8:3: 未知的服务阶段 'after-sales'；是不是要写 'after-sale'？",
                            "cases/unknown-terms.yaml:12:3: 未知的原则 'relability'；是不是要写 'reliability'？",
                            "cases/unknown-terms.yaml:14:3: 未知的方法框架 'complaint-step'"]),
    ("dangling-related.yaml", ["cases/dangling-related.yaml:13:11: 未知的案例 'gama'；是不是要写 'gamma'？",
                               "cases/dangling-related.yaml:15:11: 未知的案例 '../../etc/passwd'"]),
    ("empty.yaml", ["cases/empty.yaml: 文件是空的", "build.py new"]),
    ("comments-only.yaml", ["cases/comments-only.yaml: 文件是空的（只有空行或注释）"]),
    ("top-level-list.yaml", ["cases/top-level-list.yaml:1:1: 案例应该是映射（键: 值），这里是列表（- 项）"]),
    ("top-level-scalar.yaml", ["cases/top-level-scalar.yaml:1:1: 案例应该是映射（键: 值），这里是单个值"]),
    ("several-documents.yaml", ["cases/several-documents.yaml:2:1: 一个文件只能有一个 YAML 文档"]),
    ("python-tag.yaml", ["cases/python-tag.yaml:1:8: 不支持 YAML 标签 '!!python/object/apply:os.system'",
                         "cases/python-tag.yaml:3:10: 不支持 YAML 标签 '!!python/name:os.system'",
                         "cases/python-tag.yaml:4:9: 不支持 YAML 标签 '!custom'"]),
    ("alias-bomb.yaml", ["cases/alias-bomb.yaml:", "别名"]),
    ("deep-flow-nesting.yaml", ["cases/deep-flow-nesting.yaml: 括号嵌套超过 40 层"]),
    ("deep-block-nesting.yaml", ["cases/deep-block-nesting.yaml:", "嵌套超过 40 层"]),
]


@pytest.mark.parametrize(("name", "expected"), CASE_FILES, ids=[c[0] for c in CASE_FILES])
def test_broken_case_file(project, name, expected):
    shutil.copy(BROKEN / name, project.cases_dir / name)
    assert_refused(project, *expected)
    assert not Path("/tmp/casebook-pwned").exists()


def test_wrong_type_at_every_field_is_reported_field_by_field(project):
    shutil.copy(BROKEN / "wrong-types.yaml", project.cases_dir / "wrong-types.yaml")
    err = assert_refused(project, "cases/wrong-types.yaml:1:8: 'title'应该是文字，这里是列表",
                         "cases/wrong-types.yaml:10:9: 'stages'应该是映射（键: 值），这里是列表",
                         "cases/wrong-types.yaml:19:10: 'sources'应该是列表（- 项），这里是单个值")
    errors = [line for line in err.splitlines() if line.startswith("cases/wrong-types.yaml:") and "警告" not in line]
    assert len(errors) == 19  # one per field, every field


@pytest.mark.parametrize(("name", "expected"), [
    ("taxonomy-missing-groups.yaml", ["taxonomy.yaml:1:1: taxonomy.yaml 缺少术语组 'principles'（服务原则）",
                                      "taxonomy.yaml:2:3: stages 必须包含 pre-sale, in-sale, after-sale"]),
    ("taxonomy-bad-terms.yaml", ["taxonomy.yaml:4:15: 'after-sale' 缺少必填字段 'definition'（定义）",
                                 "taxonomy.yaml:5:3: 键 'Follow Up' 不合格",
                                 "taxonomy.yaml:7:45: 未知字段 'colour'",
                                 "taxonomy.yaml:8:3: 键 'reliability' 重复出现（第一次在第 7 行）",
                                 "taxonomy.yaml:9:1: 未知的术语组 'strategie'；是不是要写 'strategies'？",
                                 "taxonomy.yaml:10:13: industries 应该是映射"]),
])
def test_broken_taxonomy(project, name, expected):
    shutil.copy(BROKEN / name, project.taxonomy_file)
    err = assert_refused(project, *expected)
    if name == "taxonomy-bad-terms.yaml":
        # A term declared with a problem is reported once, not again in every case that uses it.
        assert "cases/alpha.yaml:14:3" not in err


def test_gbk_and_utf16_files_ask_for_utf8(project):
    good = (project.cases_dir / "alpha.yaml").read_text(encoding="utf-8")
    (project.cases_dir / "gbk.yaml").write_bytes(good.encode("gbk"))
    (project.cases_dir / "utf16.yaml").write_bytes(good.encode("utf-16"))
    assert_refused(project, "cases/gbk.yaml:1:8: 文件不是 UTF-8 编码（看起来是 GBK/GB2312 编码", "另存为",
                   "cases/utf16.yaml:1:1: 文件不是 UTF-8 编码")


def test_utf8_with_bom_is_accepted(project):
    path = project.cases_dir / "alpha.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert check(project).returncode == 0


def test_huge_file_is_refused_without_being_read(project):
    with open(project.cases_dir / "huge.yaml", "wb") as handle:
        handle.write(b"story: |\n")
        handle.write((b"  " + "长".encode() * 60 + b"\n") * 280_000)  # about 50 MB
    assert (project.cases_dir / "huge.yaml").stat().st_size > 50_000_000
    assert_refused(project, "cases/huge.yaml: 文件太大")


def test_bad_file_names_and_duplicate_ids(project):
    good = (project.cases_dir / "beta.yaml").read_text(encoding="utf-8")
    for name in ("Bad Name.yaml", "王永庆.yaml", "a..b.yaml", "UPPER.yaml", "beta.yml", "x.YAML"):
        (project.cases_dir / name).write_text(good, encoding="utf-8")
    assert_refused(project, "cases/Bad Name.yaml: 文件名 'Bad Name.yaml' 不能作为案例 id", "例如 bad-name.yaml",
                   "cases/王永庆.yaml: 文件名 '王永庆.yaml' 不能作为案例 id",
                   "cases/a..b.yaml: 文件名 'a..b.yaml' 不能作为案例 id",
                   "cases/UPPER.yaml: 文件名 'UPPER.yaml' 不能作为案例 id",
                   "cases/beta.yaml: 案例 id 'beta' 重复：beta.yaml、beta.yml",
                   "cases/x.YAML: 扩展名请用小写")


def test_symlink_out_of_the_repository_is_refused(project, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text((project.cases_dir / "beta.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (project.cases_dir / "linked.yaml").symlink_to(outside)
    (project.cases_dir / "folder.yaml").mkdir()
    (project.cases_dir / "loop.yaml").symlink_to(project.cases_dir / "loop.yaml")
    assert_refused(project, "cases/linked.yaml: 是指向项目文件夹之外的符号链接",
                   "cases/folder.yaml: 不是普通文件", "cases/loop.yaml: 符号链接无法解析")


def test_broken_content_never_reaches_build(project, capsys):
    shutil.copy(BROKEN / "wrong-types.yaml", project.cases_dir / "wrong-types.yaml")
    assert main(["--root", str(project.root), "build"]) == 1
    err = capsys.readouterr().err
    assert "构建已停止" in err and "内部错误" not in err
    assert not project.site_dir.exists()
