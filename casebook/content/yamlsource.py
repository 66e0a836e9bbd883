"""Read one YAML file into a tree of values that remember their line and column.

Only *composes* the YAML (no object construction), so Python tags can never run; aliases are
followed with a budget so that "billion laughs" documents are refused instead of expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # LibYAML is ten times faster; fall back to the pure-Python composer where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000  # values in one document, counting every alias expansion
MAX_DEPTH = 40  # nesting depth; a case needs 4

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = f"{_STD}seq", f"{_STD}map", f"{_STD}merge"
# First characters of the plain scalars that YAML may read as something other than a string.
_IMPLICIT_FIRST = frozenset(key for key in _Loader.yaml_implicit_resolvers if key)


class _FastLoader(_Loader):
    """The safe loader, resolving most scalars without trying a pattern: LibYAML calls `resolve`
    (Python) for every value and key, and text whose first character starts no YAML type
    (every Chinese sentence) can only be a string."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in _IMPLICIT_FIRST:
            return _STR
        resolved: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]  # PyYAML is untyped
        return resolved


@dataclass(eq=False, slots=True)
class YNode:
    """A YAML value with its position (1-based line and column)."""

    kind: str  # "map", "seq" or "scalar"
    value: Any  # dict[str, YNode] | list[YNode] | str | int | float | bool | None
    line: int
    col: int
    raw: str = ""  # scalar: the text as written (so `period: 2001` can be read as a string)
    # Scalar: where `raw`'s first character stands, when each of its lines maps to a line of the
    # file at that column (a `|` block, or a value on one line): positions inside a text. 0: unknown.
    text_line: int = 0
    text_col: int = 0
    key_pos: dict[str, tuple[int, int]] = field(default_factory=dict)  # map: where each key is

    def plain(self) -> Any:
        """The value as plain Python data (for tests and tools)."""
        if self.kind == "map":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.plain() for v in self.value]
        return self.value


class SourceError(Exception):
    """A problem that stops this file from being read at all."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass
class Loaded:
    node: YNode | None
    problems: list[tuple[int, int, str]]  # (line, col, message) found while converting


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is accepted); anything else is refused with advice."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = ""
        try:
            data.decode("gbk")
            guess = "（看起来是 GBK/GB2312 编码，Windows 记事本常见）"
        except UnicodeDecodeError:
            pass
        raise SourceError(
            f"文件不是 UTF-8 编码{guess}；请在编辑器里选择“另存为 → 编码 UTF-8”后再提交",
            line,
            col,
        ) from None
    if "\x00" in text:
        raise SourceError("文件里有 NUL 字符，不是文本文件；请检查是否误存为二进制或 UTF-16")
    return text


# Advice shared by several of PyYAML's problems.
_ALIGN_KEYS = "同一层的键要用同样多的空格开头"
_BLOCK_TEXT = "如果这一行属于上面“|”开头的多行文字，它要和上面的文字缩进一样多（比键多缩进）"
_QUOTE_VALUE = "给整个值加上引号（例如 title: \"…\"），或改用“|”开头的多行写法"


# `summary：…` typed with a Chinese input method: a field name followed by the full-width colon.
FULLWIDTH_COLON_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_-]*\s*：")
FULLWIDTH_COLON = "字段名后面用了中文冒号“：”；请改成英文冒号加一个空格“: ”（切换到英文输入法再输入）"


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _inside_block_text(lines: list[str], number: int) -> bool:
    """Whether line `number` comes right after the text of a `key: |` (or `>`) block above it:
    a text line indented less than its block then reads to YAML as a new key."""
    here = _indent(_line(lines, number))
    for above in range(number - 1, 0, -1):
        text = _line(lines, above)
        if not text.strip():
            continue
        content = text.split(" #")[0].rstrip()
        if content.endswith(("|", "|-", "|+", ">", ">-", ">+")) and ":" in content:
            return _indent(text) <= here
        if _indent(text) <= here:  # a line of the same level: no block text in between
            return False
    return False


def _explain(problem: str, context: str, lines: list[str], line: int, col: int,
             context_line: int) -> tuple[int, str]:
    """(the line to point at, "what is wrong；how to fix it") for one of PyYAML's problems."""
    text = _line(lines, line)
    char = text[col - 1] if 0 < col <= len(text) else ""
    if "tab character" in problem or char == "\t" or "'\\t'" in problem:
        return line, ("用了 Tab 缩进；YAML 只能用空格缩进：把这一行开头的 Tab 换成空格"
                      "（编辑器里可以设置“用空格代替 Tab”）")
    if "cannot start any token" in problem:
        return line, f"值不能以“{char}”开头；{_QUOTE_VALUE}"
    if "could not find expected ':'" in problem:
        # Reported on the line after the culprit: point at the line where the key-like text starts.
        where = context_line or line
        if FULLWIDTH_COLON_KEY.match(_line(lines, where)):
            return where, FULLWIDTH_COLON
        if _inside_block_text(lines, where):
            return where, f"这一行的缩进比上面的多行文字少，YAML 把它当成了一个键；{_BLOCK_TEXT}"
        return where, ("这一行不是“键: 值”：字段名后面要有冒号和空格；"
                       "如果它是上一行文字的延续，把上一个值改成“|”开头的多行写法，每一行都比键多缩进")
    if "mapping values are not allowed" in problem:
        before = text[: col - 1]
        if ": " in before or before.rstrip().endswith(":"):
            return line, f"值里含有“: ”（冒号加空格），YAML 把它当成了又一个键；{_QUOTE_VALUE}"
        return line, (f"这一行比上一行缩进得多，YAML 把它读成了上一个值的一部分；{_ALIGN_KEYS}；"
                      "如果它属于上一个字段，那个字段的冒号后面要留空")
    if "expected key" in problem or "expected <block end>" in problem:
        stripped = text.strip()
        if col - 1 > _indent(text):  # something after a complete value on the same line
            return line, f"值的后面多了内容；{_QUOTE_VALUE}（引号里的值后面不能再写文字）"
        if stripped.startswith("- "):
            above = next((t for t in reversed(lines[: line - 1]) if t.strip()), "")
            if above.strip().startswith("- "):
                return line, "这一项的“- ”和上面的“- ”对不齐；同一个列表的每一项要用同样多的空格开头"
            return line, "这里出现了列表项“- ”，但它和上面的键对不齐；列表写在字段名的下一行，并比字段名多缩进"
        if _inside_block_text(lines, line):
            return line, f"这一行的缩进比上面的多行文字少；{_BLOCK_TEXT}；如果它是新的键，{_ALIGN_KEYS}"
        return line, f"这一行的缩进和上面同一层的键对不齐；{_ALIGN_KEYS}（数一数行首的空格）"
    if "expected '-' indicator" in problem or "block collection" in context:
        return line, ("这一行和上面的列表项对不齐；列表每一项里的字段要和“- ”后面的第一个字段对齐，"
                      "新的一项以“- ”开头并和上面的“- ”对齐")
    if "end of stream" in problem and "quoted scalar" in context:
        return context_line or line, ("引号没有闭合：值以引号开头，却找不到结尾的引号；"
                                      "在值的末尾补上同样的引号，或去掉开头的引号")
    if "escape character" in problem:
        return line, "双引号里的反斜杠“\\”后面跟了 YAML 不认识的字符；改用单引号，或把“\\”写成“\\\\”"
    if "alphabetic or numeric character" in problem:  # `*text` or `&text` that is no alias name
        return line, f"以“*”或“&”开头的值会被 YAML 当作别名或锚点；{_QUOTE_VALUE}"
    if "undefined alias" in problem:
        return line, f"以“*”开头的值会被 YAML 当作别名；{_QUOTE_VALUE}"
    if "',' or ']'" in problem:
        return context_line or line, "方括号“[”没有配对的“]”；补上“]”，或者值本来就以“[”开头时给整个值加上引号"
    if "',' or '}'" in problem:
        return context_line or line, "花括号“{”没有配对的“}”；补上“}”，或者值本来就以“{”开头时给整个值加上引号"
    if "comment or line break" in problem:
        return line, f"值的后面多了内容；{_QUOTE_VALUE}（引号里的值后面不能再写文字）"
    if "block sequence entries are not allowed" in problem:
        return line, ("这里不能开始一个列表；列表写在字段名的下一行，并比字段名多缩进"
                      "（如“takeaways:”的下一行写“  - 第一条”）")
    if "node content" in problem:
        return line, "这里缺少内容；检查“- ”或“: ”后面是否漏写了值，或给整个值加上引号"
    if "anchor" in problem:
        return line, "以“&”开头的值会被 YAML 当作锚点；给整个值加上引号"
    return line, (f"这里无法读取（解析器的原话：{problem}）；请检查这一行和上一行的缩进、“: ”和引号是否成对")


def _syntax_error(exc: yaml.YAMLError, text: str) -> SourceError:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in str(exc):
        return SourceError("一个文件只能有一个 YAML 文档：请删掉多余的“---”，每个案例单独一个文件", line, col)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    context_line = context_mark.line + 1 if context_mark else 0
    where, message = _explain(problem, context, text.splitlines(), line, col, context_line)
    if where != line:  # pointing at another line than PyYAML: at the start of its text
        col = _indent(_line(text.splitlines(), where)) + 1
    return SourceError(f"YAML 语法错误：{message}", where, col)


class _Converter:
    """Turns composed nodes into YNodes, counting work so aliases cannot explode."""

    def __init__(self, text: str = "") -> None:
        self.budget = MAX_NODES
        self.problems: list[tuple[int, int, str]] = []
        self.collections: set[int] = set()  # lists and maps met: one met again came through an alias
        self.aliased = False
        self.text = text  # the file, to find where the lines of a `|` block start

    def convert(self, node: yaml.Node, depth: int = 0) -> YNode:
        mark = node.start_mark
        line, col = mark.line + 1, mark.column + 1
        self.budget -= 1
        if self.budget < 0:
            if self.aliased:
                raise SourceError(
                    f"文件经别名 *alias 展开后超过 {MAX_NODES:,} 个值（锚点和别名层层嵌套）；"
                    "请不要用锚点和别名重复内容，把内容直接写出来", line, col)
            raise SourceError(
                f"一个文件最多 {MAX_NODES:,} 个值（每个列表项、每个键的值各算一个），这个文件到这里已经超过；"
                "一个案例通常只有几百个值：请检查是否误粘了大量数据，或把内容拆成几个文件（每个案例一个文件）",
                line, col)
        if depth > MAX_DEPTH:
            raise SourceError(f"嵌套超过 {MAX_DEPTH} 层；案例文件只需要几层缩进", line, col)
        if isinstance(node, yaml.ScalarNode):  # most nodes: tested first
            return self._scalar(node, line, col)
        if id(node) in self.collections:
            self.aliased = True
        else:
            self.collections.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth, line, col)
        self._check_tag(node, _SEQ)
        items = [self.convert(child, depth + 1) for child in node.value]
        return YNode("seq", items, line, col)

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected and not (
            isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR_TAGS
        ):
            self.problems.append(
                (
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    f"不支持 YAML 标签 '{node.tag.replace(_STD, '!!')}'；请删掉它，只写普通的值",
                )
            )

    def _mapping(self, node: yaml.MappingNode, depth: int, line: int, col: int) -> YNode:
        self._check_tag(node, _MAP)
        out: dict[str, YNode] = {}
        key_pos: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((kline, kcol, "键必须是简单的文字，不能是列表或映射"))
                continue
            if key_node.tag == _MERGE:
                self.problems.append((kline, kcol, "不支持“<<”合并键；请把内容直接写出来"))
                continue
            key = key_node.value
            if key in out:
                first = key_pos[key]
                self.problems.append(
                    (kline, kcol, f"键 '{key}' 重复出现（第一次在第 {first[0]} 行）；请合并或删掉一个")
                )
                continue
            out[key] = self.convert(value_node, depth + 1)
            key_pos[key] = (kline, kcol)
        return YNode("map", out, line, col, key_pos=key_pos)

    def _text_start(self, node: yaml.ScalarNode, line: int, col: int) -> tuple[int, int]:
        """(line, column) of the first character of the value, where the value's lines are the file's."""
        if node.style == "|" and self.text:
            start = self.text.find("\n", node.start_mark.index) + 1
            if start == 0:
                return 0, 0
            indent, at = 0, start
            while True:  # the block's indentation: that of its first line that is not blank
                end = self.text.find("\n", at)
                current = self.text[at:end if end >= 0 else len(self.text)]
                if current.strip() or end < 0:
                    indent = len(current) - len(current.lstrip(" "))
                    break
                at = end + 1
            return line + 1, indent + 1
        if node.start_mark.line == node.end_mark.line:
            return line, col + (1 if node.style in ("'", '"') else 0)
        return 0, 0

    def _scalar(self, node: yaml.ScalarNode, line: int, col: int) -> YNode:
        tag, raw = node.tag, node.value
        if tag == _STR:  # nearly every value: no tag to check, nothing to convert
            if "[" in raw or "`" in raw:  # only a Markdown link or code needs positions inside the text
                text_line, text_col = self._text_start(node, line, col)
                return YNode("scalar", raw, line, col, raw, text_line=text_line, text_col=text_col)
            return YNode("scalar", raw, line, col, raw)
        self._check_tag(node, _STR)  # any of the plain scalar types passes
        value: Any = raw
        if tag == _NULL:
            value = None
        elif tag == _BOOL:
            value = raw.lower() in ("true", "yes", "on", "y")
        elif tag == _INT:
            try:
                value = int(raw.replace("_", ""), 0)
            except ValueError:
                value = raw
        elif tag == _FLOAT:
            try:
                value = float(raw.replace("_", ""))
            except ValueError:
                value = raw
        return YNode("scalar", value, line, col, raw=raw)


def parse_text(text: str) -> Loaded:
    """Compose one YAML document from text; raises SourceError when it cannot be read."""
    try:
        node = yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text) from None
    except RecursionError:
        raise SourceError(f"嵌套太深；案例文件只需要几层缩进（上限 {MAX_DEPTH} 层）") from None
    if node is None:
        raise SourceError("文件是空的；请参考 `python build.py new <id>` 生成的模板填写")
    converter = _Converter(text)
    return Loaded(converter.convert(node), converter.problems)


def _nesting_depth_exceeds(text: str, limit: int) -> bool:
    """Cheap pre-check so a pathological `[[[[…` never reaches the recursive composer."""
    if text.count("[") + text.count("{") <= limit:  # the common case, at C speed
        return False
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return deepest > limit


def _only_blank_lines_and_comments(text: str) -> bool:
    content = text.lstrip()
    if not content:
        return True
    if not content.startswith("#"):  # the first line with text is not a comment: no need to split
        return False
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def load_file(path: Path) -> Loaded:
    """Read, decode and compose a YAML file, with every limit that protects the build."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(
            f"文件太大（{size // 1024} KB，上限 {MAX_FILE_BYTES // 1000} KB）；"
            "一个案例通常只有几 KB，请检查是否误存了其他内容"
        )
    text = decode(path.read_bytes())
    if _only_blank_lines_and_comments(text):
        raise SourceError("文件是空的（只有空行或注释）；请参考 `python build.py new <id>` 生成的模板填写")
    if _nesting_depth_exceeds(text, MAX_DEPTH):
        raise SourceError(f"括号嵌套超过 {MAX_DEPTH} 层；案例文件只需要几层缩进")
    return parse_text(text)
