"""Issue 18: links the Markdown of a field could smuggle past pattern checks, the one sanitiser on
the output, `check` passing means `build` passes, and linear rendering.

Every trick below once passed `check --strict` and gave a clickable `javascript:` link on a stage
page. Safety now comes from the sanitiser on the output (casebook/render/sanitise.py), whatever
the syntax; `check` warns at the trick's own line.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from casebook.cli import main
from casebook.content.load import load_library
from casebook.content.markdowncheck import MAX_MARKS, allowed_link, link_problems
from casebook.index.indexes import build_indexes
from casebook.render.markup import to_html
from casebook.render.pages import render_site
from casebook.render.sanitise import clean

PAYLOAD = "window.__pwned=1"
# (name, Markdown): each gives a link "点这里" whose target is a script.
TRICKS = [
    ("reference in a blockquote", f"> [x]: javascript:{PAYLOAD}\n\n[点这里][x]"),
    ("reference in a list item", f"- [y]: javascript:{PAYLOAD}\n\n[点这里][y]"),
    ("reference in an admonition", f"!!! note\n    [z]: javascript:{PAYLOAD}\n\n[点这里][z]"),
    ("empty label", f"[]: javascript:{PAYLOAD}\n\n[点这里][]"),
    ("scheme split by a newline", f"[点这里](java\nscript:{PAYLOAD})"),
    ("scheme split by a tab", f"[点这里](java\tscript:{PAYLOAD})"),
    ("leading control character", f"[点这里](\x01javascript:{PAYLOAD})"),
    ("reference split by a newline", f"[w]: java\nscript:{PAYLOAD}\n\n[点这里][w]"),
    ("angle brackets", f"[点这里](<javascript:{PAYLOAD}>)"),
    ("upper case", f"[点这里](JaVaScRiPt:{PAYLOAD})"),
    ("character reference", f"[点这里](&#106;avascript:{PAYLOAD})"),
    ("vbscript", "[点这里](vbscript:msgbox(1))"),
    ("data", "[点这里](data:text/html,<script>parent.__pwned=1</script>)"),
    ("image", f"![点这里](javascript:{PAYLOAD})"),
]
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src", "action", "formaction")]


def unsafe_links(page: str, markdown: bool = True) -> list[str]:
    """Every link target in `page` that a browser would run or load as script or data; in generated
    Markdown (`markdown`), also every Markdown link that MkDocs would make one of."""
    parser = _Hrefs()
    parser.feed(page)
    found = [h for h in parser.hrefs if re.match(r"(?i)(?:javascript|vbscript|data):", _INVISIBLE.sub("", h))]
    if not markdown:
        return found
    # Markdown that MkDocs would still read as a link (a page's own Markdown; not its front matter,
    # whose description becomes an attribute)
    page = re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S)
    found += re.findall(r"(?i)\]\(\s*<?\s*(?:java|vb)script:|^\s{0,3}\[[^\]]*\]:\s*\S*script:", page, re.M)
    return found


def test_the_audit_sees_what_a_browser_would_run():
    assert unsafe_links('<a href="java&#10;script:x">a</a>') == ['java\nscript:x']
    assert unsafe_links('<a href=" \x01data:text/html,x">a</a>')
    assert unsafe_links("[a](javascript:x)") and unsafe_links("[x]: javascript:x")
    assert unsafe_links('<a href="https://example.com">a</a> <a href="../cases/a.html">b</a>') == []


@pytest.mark.parametrize("name, text", TRICKS, ids=[name for name, _ in TRICKS])
def test_no_trick_gives_a_live_link(name, text):
    out = str(to_html(text))
    assert unsafe_links(out) == [], out
    assert "点这里" in out  # the link's text stays, as text
    assert "<a" not in out  # a dropped target leaves no link that leads nowhere


def test_the_sanitiser_keeps_what_the_site_needs_and_nothing_else():
    kept = ('<p><a href="https://a.cn/?x=1&amp;y=2" title="t">a</a> <a href="mailto:a@b.cn">m</a> '
            '<a href="../cases/haier.html#story">c</a> <a href="#story">s</a></p>')
    assert clean(kept) == kept
    assert clean('<pre><code class="language-python">a &lt; b</code></pre>') == \
        '<pre><code class="language-python">a &lt; b</code></pre>'
    assert clean('<p onclick="x" class="y" id="z">a</p><script>x</script><style>p{}</style>') == "<p>a</p>"
    assert clean('<iframe src="https://a.cn"></iframe><img src="https://a.cn/x.png"><svg></svg>') == ""
    assert clean('<a href="haier.md">h</a><a href="/etc/passwd">p</a><a href="//evil.example/x">e</a>') == "hpe"
    assert clean('<td style="text-align: right; color: red">x</td>').startswith("") and "color" not in clean(
        '<table><tr><td style="text-align: right; color: red">x</td></tr></table>')
    for good in ("https://a.cn", "http://a.cn", "mailto:a@b.cn", "../cases/haier.html", "haier.html",
                 "../stages/pre-sale.html#cases", "#story"):
        assert allowed_link(good), good
    for bad in ("javascript:x", "data:x", "file:///etc/passwd", "haier.md", "../../etc/passwd", "/index.html",
                "//evil.example", "ftp://a.cn", "../cases/a b.html", "cases/Haier.HTML"):
        assert not allowed_link(bad), bad


def test_code_spans_show_exactly_as_typed():
    assert str(to_html("`a<b && c`")) == "<p><code>a&lt;b &amp;&amp; c</code></p>"
    assert str(to_html("```\nif a<b && c:\n```")) == "<pre><code>if a&lt;b &amp;&amp; c:\n</code></pre>"


# --- a library carrying the tricks in every kind of Markdown field ------------------------------------

# A control character in a field is an error of its own (tests/test_names.py): the library planted
# below carries every other trick, which check lets through with warnings and the sanitiser disarms.
ALL_TRICKS = "\n\n".join(text for name, text in TRICKS if name != "leading control character")


def plant(project, text: str = ALL_TRICKS) -> None:
    """`text` in a case's story and stage text, a taxonomy definition, a framework's description and notes."""
    case_file = project.cases_dir / "alpha.yaml"
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    case["story"] = text
    case["stages"]["pre-sale"] = text
    case_file.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    taxonomy = yaml.safe_load(project.taxonomy_file.read_text(encoding="utf-8"))
    taxonomy["stages"]["pre-sale"]["definition"] = text
    project.taxonomy_file.write_text(yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False), encoding="utf-8")
    frameworks = yaml.safe_load(project.frameworks_file.read_text(encoding="utf-8"))
    frameworks["complaint-steps"]["items"][0]["description"] = text
    frameworks["complaint-steps"]["notes"] = text
    project.frameworks_file.write_text(yaml.safe_dump(frameworks, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")


@pytest.mark.parametrize("name, text", TRICKS, ids=[name for name, _ in TRICKS])
def test_check_finds_every_trick(name, text):
    problems = list(link_problems(text))
    assert len(problems) == 1 and "网站上会被去掉" in problems[0][1], problems


def test_a_control_character_before_a_scheme_is_an_error(project):
    plant(project, dict(TRICKS)["leading control character"])
    _, report = load_library(project)
    refused = {item.path for item in report.errors if "控制字符" in item.message}
    assert refused == {"cases/alpha.yaml", "taxonomy.yaml", "frameworks.yaml"}


def test_check_warns_about_the_tricks_in_every_kind_of_field(project):
    plant(project)
    _, report = load_library(project)
    assert report.errors == []  # the site is safe without the trainer's help: warnings (check --strict fails)
    links = [item for item in report.warnings if "链接" in item.message]
    assert {item.path for item in links} == {"cases/alpha.yaml", "taxonomy.yaml", "frameworks.yaml"}
    # story, stage text; definition; description and notes: the first three of each and a summary
    assert len(links) == 5 * 4


def test_no_page_rendered_from_the_tricks_holds_a_live_link(project):
    plant(project)
    library, report = load_library(project)
    assert report.errors == []
    pages = render_site(library, build_indexes(library), project.templates_dir)
    for name in ("docs/stages/pre-sale.md", "docs/cases/alpha.md", "docs/frameworks/complaint-steps.md"):
        assert pages[name].count("点这里") >= len(TRICKS) - 1, name
    for name, page in pages.items():
        assert unsafe_links(page) == [], name


def test_a_code_span_shows_as_typed_on_every_page_type(project):
    plant(project, "代码：`a<b && c`")
    library, report = load_library(project)
    assert report.errors == []
    pages = render_site(library, build_indexes(library), project.templates_dir)
    code = "<code>a&lt;b &amp;&amp; c</code>"
    assert pages["docs/stages/pre-sale.md"].count(code) == 2  # the definition and alpha's stage text
    assert pages["docs/frameworks/complaint-steps.md"].count(code) == 2  # an item's description, the notes
    assert pages["docs/cases/alpha.md"].count(code) == 2  # the story and the stage text


@pytest.mark.slow
def test_built_site_holds_no_live_link_from_the_tricks(project):
    plant(project)
    assert main(["--root", str(project.root), "build"]) == 0
    pages = list(project.site_dir.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert unsafe_links(page.read_text(encoding="utf-8"), markdown=False) == [], page
    stage = (project.site_dir / "stages" / "pre-sale.html").read_text(encoding="utf-8")
    assert stage.count("点这里") >= 2 * len(TRICKS)  # the definition and alpha's stage text


@pytest.mark.browser
@pytest.mark.slow
def test_clicking_the_tricks_on_the_stage_page_runs_nothing(project, browser):
    from browser import serve_folder

    plant(project)
    assert main(["--root", str(project.root), "build"]) == 0
    dialogs: list[str] = []
    with serve_folder(project.site_dir) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("stages/pre-sale.html", "cases/alpha.html", "frameworks/complaint-steps.html"):
            page.goto(f"{base}/{path}")
            page.wait_for_load_state("load")
            shown = page.locator("article >> text=点这里")
            assert shown.count() >= len(TRICKS), path
            assert page.locator("article a:has-text('点这里')").count() == 0, path  # text, not links
            for index in range(shown.count()):
                shown.nth(index).click(no_wait_after=True)
            assert page.evaluate("() => window.__pwned") is None, path
            assert page.url.endswith(path)  # nothing navigated away
        context.close()
    assert dialogs == []


# --- check passing means build passes -------------------------------------------------------------------


def _with_stage_text(project, text: str) -> Path:
    case_file = project.cases_dir / "alpha.yaml"
    source = case_file.read_text(encoding="utf-8")
    case_file.write_text(source.replace("  pre-sale: 先了解顾客：记录人口和用米量。",
                                        "  pre-sale: |\n    先了解顾客。\n    " + text.replace("\n", "\n    ")),
                         encoding="utf-8")
    return case_file


@pytest.mark.parametrize("text, line, col, words", [
    ("见 [海尔](haier.md)。", 15, 12, ["haier.md", "../cases/haier.html"]),
    ("见 [海尔](../cases/\thaier.html)。", 15, 12, ["Tab"]),
    ("见 [海尔](java\nscript:alert(1))。", 15, 12, ["javascript:", "不安全"]),
    ("\n> [x]: javascript:alert(1)\n\n[海尔][x]", 16, 12, ["javascript:"]),
    ("见 [海尔](../cases/haier.html)。", 15, 12, ["不存在", "haier"]),
])
def test_check_names_the_link_at_its_line_and_column(project, capsys, text, line, col, words):
    _with_stage_text(project, text)
    assert main(["--root", str(project.root), "check"]) == 0  # a warning: the link is dropped, the site safe
    assert main(["--root", str(project.root), "check", "--strict"]) == 1
    out = capsys.readouterr()
    message = next(ln for ln in (out.out + out.err).splitlines() if "链接" in ln)
    assert message.startswith(f"cases/alpha.yaml:{line}:{col}:"), message
    for word in words:
        assert word in message, message
    assert "Traceback" not in out.err and "mkdocs.yml" not in message


@pytest.mark.slow
def test_what_check_accepts_the_strict_build_builds(project):
    """The issue's examples of `check` passing and the strict MkDocs build failing: both pass now."""
    _with_stage_text(project, "见 [海尔](haier.md)，[目录](../cases/\tindex.html)，`a<b && c`。")
    assert main(["--root", str(project.root), "check"]) == 0
    assert main(["--root", str(project.root), "build"]) == 0
    stage = (project.site_dir / "stages" / "pre-sale.html").read_text(encoding="utf-8")
    assert "<code>a&lt;b &amp;&amp; c</code>" in stage  # a code span as typed, on a stage page too
    assert "见 海尔，目录，" in html.unescape(re.sub(r"<[^>]+>", "", stage))


# --- linear time ------------------------------------------------------------------------------------------


def test_a_paragraph_of_unclosed_links_is_refused_at_its_line(project, capsys):
    case_file = project.cases_dir / "alpha.yaml"
    source = case_file.read_text(encoding="utf-8")
    story_end = "  估计米快吃完时就送米上门。\n"
    case_file.write_text(source.replace(story_end, story_end + "\n  " + "[a](" * 12_000 + "\n"), encoding="utf-8")
    assert main(["--root", str(project.root), "check"]) == 1
    out = capsys.readouterr()
    line = case_file.read_text(encoding="utf-8").split("\n").index("  " + "[a](" * 12_000) + 1
    expected = (f"cases/alpha.yaml:{line}:3: 'story'：这一段有 12000 个 Markdown 符号"
                f"（[ ` * _ & < \\，一段最多 {MAX_MARKS} 个）")
    assert expected in out.out + out.err


@pytest.mark.parametrize("text", ["[a](" * 12_000, "``a`" * 4_000, "**粗**" * 12_000, "[a" * 12_000])
def test_the_renderer_shows_a_paragraph_over_the_limit_as_typed(text):
    """What `check` refuses never reaches Python-Markdown's quadratic inline stage (bench.py times it)."""
    out = str(to_html(text))
    assert out == f"<p>{html.escape(text, quote=False)}</p>"


def test_a_paragraph_within_the_limit_is_markdown():
    text = "**粗**" * (MAX_MARKS // 4)
    assert str(to_html(text)).count("<strong>") == MAX_MARKS // 4


def test_front_matter_stays_yaml_whatever_the_text():
    """Found by the fuzz build: a C1 control character made the front matter invalid YAML, which
    MkDocs then read as the page's Markdown (a description's link text and all) and the strict
    build failed where `check` had passed."""
    from casebook.render.pages import front_matter

    text = "e [点这里](<javascript:x>) \x80 \x9f \x7f \ufffe 标题"
    matter = front_matter(text, text)
    values = yaml.safe_load(matter.split("---\n")[1])
    assert values["title"] == values["description"] == html.escape(text, quote=True)
