"""Command line: check, build, serve, new, schema. `python build.py --help` lists them."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from casebook.content.editions import EDITIONS
from casebook.content.load import discover_cases, load_library, reserved_problem
from casebook.content.model import Library
from casebook.content.reading import is_slug
from casebook.content.schema import SLUG_HELP
from casebook.diagnostics import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Report, visible
from casebook.missing import EXIT_MISSING, is_missing_dependency, missing_dependency_message
from casebook.pipeline import (
    BuildLocked,
    build_lock,
    find_project,
    generate,
    relative_site_index,
    schema_is_stale,
    write_json_schema,
)
from casebook.project import Project
from casebook.site.build import ENGINES, SiteBuildError, build_site
from casebook.writer import write_failure

EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a program ended by SIGPIPE


def _print_report(report: Report, style: str = "text") -> None:
    if not report.items:
        return
    text = report.format(style)
    if style == "json":
        print(text)
    else:
        print(text, file=sys.stderr)


def _summary(report: Report) -> str:
    return f"{len(report.errors)} 个错误，{len(report.warnings)} 个警告"


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    library, report = load_library(project)
    if not report.errors and project.schema_file.is_file() and schema_is_stale(project, library):
        report.warning(project.rel(project.schema_file), 0, 0,
                       "编辑器用的 JSON Schema 已过期（案例格式、术语表或方法框架有变化）；"
                       "运行 python build.py schema 更新，并把 schema/case.schema.json 一起提交")
    if args.format == "json":
        _print_report(report, "json")
    else:
        _print_report(report, args.format)
        if args.format == "text":
            state = "通过" if not report.errors and not (args.strict and report.warnings) else "未通过"
            advice = ""
            if report.warnings and not report.errors and not args.strict:
                advice = "；提交前请把警告也改掉（CI 运行 check --strict，警告也算不通过）"
            # Every case file, the broken ones too (the library holds only those that could be read).
            files = len(discover_cases(project, Report()))
            print(f"检查{state}：{files} 个案例，{_summary(report)}{advice}", file=sys.stderr)
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    return EXIT_PROBLEMS if failed else EXIT_OK


def _build(project: Project, markdown_only: bool = False, engine: str = "mkdocs") -> tuple[int, Library | None]:
    """Check, write the Markdown and build the site of the project's edition; the caller holds the build lock."""
    started = time.monotonic()  # the whole build, as the trainer waits for it
    generated = generate(project)
    _print_report(generated.report)
    if generated.report.errors:
        print(f"构建已停止：{_summary(generated.report)}；site/ 保持不变", file=sys.stderr)
        return EXIT_PROBLEMS, None
    if markdown_only:
        print(f"已生成 Markdown：{project.rel(project.docs_dir)}", file=sys.stderr)
        return EXIT_OK, generated.library
    try:
        build_site(project, engine=engine)
    except SiteBuildError as exc:
        for message in exc.messages:
            print(f"mkdocs.yml: {'Zensical' if engine == 'zensical' else 'MkDocs'}: {message}", file=sys.stderr)
        print("构建失败；site/ 保持不变", file=sys.stderr)
        return EXIT_PROBLEMS, None
    seconds = time.monotonic() - started
    label = EDITIONS[project.edition].label
    print(
        f"构建完成（{label}）：{len(generated.library.cases)} 个案例，用时 {seconds:.1f} 秒；"
        f"用浏览器打开 {relative_site_index(project)}",
        file=sys.stderr,
    )
    return EXIT_OK, generated.library


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    if args.classroom and args.edition not in ("student", "classroom"):
        print(f"--classroom 不能和 --edition {args.edition} 一起用：课堂版是学员版去掉参考答案", file=sys.stderr)
        return EXIT_USAGE
    project = replace(project, edition="classroom" if args.classroom else args.edition)
    with build_lock(project):
        return _build(project, args.markdown_only, engine=args.engine)[0]


def cmd_new(project: Project, args: argparse.Namespace) -> int:
    from casebook.render.scaffold import scaffold

    case_id = args.id
    if not is_slug(case_id):
        print(f"案例 id '{visible(case_id)}' 不合格：{SLUG_HELP}", file=sys.stderr)
        return EXIT_USAGE
    if reserved_problem("cases", case_id):
        print(f"案例 id {reserved_problem('cases', case_id)}", file=sys.stderr)
        return EXIT_USAGE
    existing = [p for p in (project.cases_dir / f"{case_id}{s}" for s in (".yaml", ".yml")) if p.exists()]
    if existing:
        print(f"{project.rel(existing[0])} 已经存在；换一个 id，或直接编辑这个文件", file=sys.stderr)
        return EXIT_USAGE
    library, _ = load_library(project, case_ids=[])
    path = project.cases_dir / f"{case_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(scaffold(case_id, library))
    print(f"已创建 {project.rel(path)}：填好每个“（待填写：…）”后运行 python build.py check", file=sys.stderr)
    return EXIT_OK


def cmd_schema(project: Project, args: argparse.Namespace) -> int:
    library, report = load_library(project)
    if report.errors:
        _print_report(report)
        return EXIT_PROBLEMS
    if args.check:
        if schema_is_stale(project, library):
            print(f"{project.rel(project.schema_file)} 已过期；运行 python build.py schema 重新生成", file=sys.stderr)
            return EXIT_PROBLEMS
        return EXIT_OK
    changed = write_json_schema(project, library)
    print(f"{project.rel(project.schema_file)} {'已更新' if changed else '无变化'}", file=sys.stderr)
    return EXIT_OK


def cmd_export(project: Project, args: argparse.Namespace) -> int:
    from casebook.export.command import export_editions

    return export_editions(project, args.pdf, build=_build)


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from casebook.site.serve import serve

    return serve(replace(project, edition=args.edition), host=args.host, port=args.port)


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help with a Chinese "usage:" (the section titles are our own argument groups)."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[Any], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own error messages (Python 3.10–3.13 wording) and what a trainer reads instead.
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese) for pattern, chinese in (
        (r"^argument (?P<arg>\S+): invalid choice: '?(?P<value>[^'(]*?)'? \(choose from (?P<choices>.*)\)$",
         "{arg} 不能是 '{value}'；可选：{choices}"),
        (r"^argument (?P<arg>\S+): invalid (?P<type>\w+) value: '?(?P<value>[^']*)'?$",
         "{arg} 的值 '{value}' 不对，这里要写数字"),
        (r"^argument (?P<arg>\S+): expected one argument$", "{arg} 后面要写一个值"),
        (r"^the following arguments are required: (?P<args>.*)$", "缺少参数：{args}"),
        (r"^unrecognized arguments: (?P<args>.*)$", "不认识的参数：{args}"),
        (r"^ambiguous option: (?P<arg>\S+) could match (?P<matches>.*)$", "{arg} 不明确，可能是：{matches}"),
    )
)


def translate_argparse_error(message: str) -> str:
    for pattern, chinese in _ARGPARSE_ERRORS:
        match = pattern.match(message)
        if match:
            values = {k: v.replace("'", "").replace(", ", "、") if k in ("choices", "matches") else v
                      for k, v in match.groupdict().items()}
            return chinese.format(**values)
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: its own -h, titled groups, translated errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        # Each help text on its own line: argparse aligns columns by len(), which counts a Chinese
        # character as one column although a terminal shows two.
        kwargs.setdefault("formatter_class", lambda prog: ChineseHelpFormatter(prog, max_help_position=6))
        super().__init__(*args, **kwargs)
        self.arguments = self.add_argument_group("参数")
        self.options = self.add_argument_group("选项")
        self.options.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                                  help="显示这段帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：{translate_argparse_error(message)}；"
                              f"运行 {self.prog} -h 查看用法\n")


def make_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="build.py",
        description="服务营销案例库：检查案例、生成网站、导出离线版和打印版。",
    )
    parser.options.add_argument("--root", type=Path, default=None, metavar="文件夹",
                                help="项目文件夹（默认：build.py 所在的文件夹；casebook 命令则从当前文件夹向上查找）")
    sub = parser.add_subparsers(dest="command", metavar="<命令>", title="命令",
                                description="运行 build.py <命令> -h 查看每个命令的说明")

    check = sub.add_parser("check", help="检查全部案例和术语表，列出所有问题",
                           description="检查全部案例、术语表、方法框架和学习路径；有错误时退出码为 1。")
    check.options.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="输出格式：text（path:line:col: 信息）、github（GitHub Actions 注释）、json")
    check.options.add_argument("--strict", action="store_true", help="把警告也当作失败")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="检查并生成网站到 site/",
                           description="检查内容，生成 Markdown 到 generated/docs/，再用 MkDocs 生成 site/。"
                           "失败时保留原来的 site/。")
    build.options.add_argument("--markdown-only", action="store_true", help="只生成 Markdown，不运行 MkDocs")
    build.options.add_argument("--edition", choices=tuple(EDITIONS), default="student",
                               help="student（学员版，默认：没有任何教学说明，生成到 site/）、"
                               "classroom（课堂版：学员版去掉参考答案，生成到 site-classroom/）"
                               "或 trainer（讲师版：含教学说明和备课页，生成到 site-trainer/）")
    build.options.add_argument("--classroom", "--no-answers", dest="classroom", action="store_true",
                               help="生成课堂版（同 --edition classroom）：不含参考答案，发给课堂上的学员")
    build.options.add_argument("--engine", choices=ENGINES, default="mkdocs",
                               help="生成网站用的引擎：mkdocs（默认，MkDocs + Material）"
                               "或 zensical（需先安装：pip install -e '.[zensical]'）")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="本地预览：修改案例后自动重新生成并刷新页面",
                           description="启动本地预览服务器；案例、术语表或模板改动后自动重新生成。")
    serve.options.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1）")
    serve.options.add_argument("--port", type=int, default=8000, metavar="端口", help="端口（默认 8000）")
    serve.options.add_argument("--edition", choices=tuple(EDITIONS), default="student",
                               help="预览学员版（默认）或讲师版（trainer：含教学说明和备课页）")
    serve.set_defaults(func=cmd_serve)

    export = sub.add_parser("export", help="生成离线版 zip、打印版和 PDF（在 dist/ 下）",
                            description="构建网站并打包为 zip（解压后从本地文件打开，断网也能浏览和搜索），"
                            "再生成打印版讲义；装有 Chromium 时同时生成 PDF。")
    export.options.add_argument("--pdf", choices=("all", "book", "none"), default="all",
                        help="PDF：all（全书两版 + 每个案例，默认）、book（只生成全书两版）、none（不生成）")
    export.set_defaults(func=cmd_export)

    new = sub.add_parser("new", help="新建一个带注释的案例模板",
                         description="在 cases/ 下新建 <id>.yaml，列出所有字段和可选的键。")
    new.arguments.add_argument("id", metavar="id", help=f"案例 id，也是文件名：{SLUG_HELP}")
    new.set_defaults(func=cmd_new)

    schema = sub.add_parser("schema", help="重新生成编辑器用的 JSON Schema",
                            description="由格式定义和术语表生成 schema/case.schema.json。")
    schema.options.add_argument("--check", action="store_true", help="只检查文件是否过期，不写入")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None, home: Path | None = None) -> int:
    """The command line. `home` is where to look for the project when --root is not given
    (build.py passes its own folder; the installed `casebook` command, the working directory)."""
    try:
        status = _main(argv, home)
        sys.stdout.flush()  # inside the try: a reader gone away shows up here
        return status
    except BrokenPipeError:
        # `check --format json | head`: the reader has all it wanted; end quietly, as `cat` does.
        # Point stdout at /dev/null so that Python's own flush at exit finds no pipe to complain about.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _main(argv: list[str] | None, home: Path | None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    project = Project(args.root.resolve()) if args.root else find_project(home)
    try:
        status: int = args.func(project, args)
        return status
    except BuildLocked as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except ModuleNotFoundError as exc:
        if not is_missing_dependency(exc):
            raise
        print(missing_dependency_message(exc.name or "", argv), file=sys.stderr)
        return EXIT_MISSING
    except OSError as exc:
        problem = write_failure(exc, project)
        if problem is None:
            return _internal_error(exc)
        print(problem, file=sys.stderr)  # the machine's, not Casebook's: a full disk, a read-only folder
        return EXIT_PROBLEMS
    except Exception as exc:
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    """A bug in Casebook, not in the content: say so, briefly."""
    if os.environ.get("CASEBOOK_DEBUG"):
        traceback.print_exc()
    print(f"内部错误：{type(exc).__name__}: {exc}\n这是 Casebook 本身的问题，不是案例内容的问题；"
          "设置 CASEBOOK_DEBUG=1 可查看详细信息，请报告给维护者。", file=sys.stderr)
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
