"""The search client's matching and ranking (templates/assets/search.js), run in node on the
bundled library's index: phrases inside words, Traditional queries, Latin and digits, several
words, ranking by field and page type, snippets of real text."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, cases_holding, student_library

from casebook.content.load import load_library
from casebook.render.search import index_files

HARNESS = r"""
const fs = require("fs"), path = require("path"), vm = require("vm");
const api = require(process.argv[2]);
const folder = process.argv[3];
const store = {};
globalThis.casebookSearch = { loaded: (name, value) => { store[name] = value; } };
for (const sub of ["", "p", "t"]) {
  const dir = path.join(folder, sub);
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(".js")) vm.runInThisContext(fs.readFileSync(path.join(dir, name), "utf8"));
  }
}
const meta = store.meta, simplify = api.simplifier(meta.traditional);
const sectionsOf = (page) => (store["t" + meta.pages[page][3]].find((entry) => entry[0] === page) || [0, []])[1];
const shown = (pieces) => pieces.map((p) => p[1] ? "[" + p[0] + "]" : p[0]).join("");
const out = {};
for (const query of JSON.parse(process.argv[4])) {
  const terms = api.words(query, simplify);
  const ranked = api.rank(terms, meta, (c) => store["p" + (c.charCodeAt(0) % meta.shards)] || {});
  // As the page does for the results it shows: pages without the exact phrase go last.
  for (const r of ranked.results) {
    if (!r.scattered && !api.holdsPhrases(terms, meta.pages[r.page][1], sectionsOf(r.page))) r.scattered = true;
  }
  ranked.results.sort((a, b) => (a.scattered - b.scattered) || (b.score - a.score) || (a.page - b.page));
  out[query] = {
    terms,
    scatteredWords: ranked.scatteredWords,
    results: ranked.results.map((r) => {
      const sections = sectionsOf(r.page), best = api.bestSection(terms, sections);
      return { url: meta.pages[r.page][0], type: meta.types[meta.pages[r.page][2]], scattered: r.scattered,
               anchor: sections[best][0],
               heading: sections[best][0] ? shown(api.snippet(terms, sections[best][1], 200)) : "",
               snippet: shown(api.snippet(terms, sections[best][2], 0,
                                          sections[best][0] ? sections[best][1] : meta.pages[r.page][1])) };
    }),
  };
}
process.stdout.write(JSON.stringify(out));
"""

QUERIES = ["海尔", "卖米", "顾客满意", "服务", "售后服务", "海爾", "服務網絡", "CRM", "crm", "9999", "24小时",
           "海尔 回访", "xyz无结果", "承诺", "海尔服务", "米", "王永庆卖米", "梳", "铁通"]


def run_client(files: list[tuple[str, str]], folder: Path, queries: list[str]) -> dict[str, dict]:
    """The client's answers to `queries` on the index `files`, computed by node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    for name, text in files:
        target = folder / "index" / Path(name).relative_to("docs/search")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    harness = folder / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    command = [node, str(harness), str(ROOT / "templates/assets/search.js"), str(folder / "index"),
               json.dumps(queries, ensure_ascii=False)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict[str, dict]:
    return run_client(index_files(student_library()), tmp_path_factory.mktemp("search-index"), QUERIES)


def urls(answer: dict) -> list[str]:
    return [r["url"] for r in answer["results"]]


def test_a_phrase_inside_a_longer_word_finds_the_page(answers):
    assert urls(answers["卖米"])[0] == "cases/rice-seller.html"  # 王永庆卖米: in the title, so first
    assert "cases/haier.html" in urls(answers["售后服务"])
    # 顾客满意 is in several cases: all are found, all before any other kind of page.
    found = urls(answers["顾客满意"])
    cases = {f"cases/{page}" for page in cases_holding("顾客满意")}
    assert len(cases) >= 4
    assert set(found[:len(cases)]) == cases


def test_a_whole_title_puts_its_page_first(answers):
    assert urls(answers["王永庆卖米"])[0] == "cases/rice-seller.html"
    assert urls(answers["海尔服务"])[0] == "cases/haier.html"


def test_a_word_in_case_texts_ranks_those_cases_above_term_pages_mentioning_it(answers):
    results = answers["承诺"]["results"]
    holding = {f"cases/{page}" for page in cases_holding("承诺")}
    assert len(holding) >= 5
    assert holding <= {r["url"] for r in results}  # every case whose text uses the word
    case_like = [r["url"].startswith("cases/") for r in results]
    assert case_like[:5].count(True) >= 4


def test_traditional_queries_find_the_simplified_text(answers):
    assert answers["海爾"]["terms"] == ["海尔"]
    assert urls(answers["海爾"]) == urls(answers["海尔"])
    assert "cases/haier.html" in urls(answers["海爾"])
    assert answers["服務網絡"]["terms"] == ["服务网络"]
    assert "cases/haier.html" in urls(answers["服務網絡"])


def test_latin_words_and_digits(answers):
    assert "cases/haier.html" in urls(answers["CRM"])
    assert urls(answers["CRM"]) == urls(answers["crm"])
    assert any("[CRM]" in r["snippet"] for r in answers["CRM"]["results"])  # shown as written
    assert "cases/yashili.html" in urls(answers["9999"])  # 99.9999%
    assert answers["24小时"]["results"], "24小时 finds nothing"
    assert all("24小时" in r["snippet"].replace("[", "").replace("]", "")
               for r in answers["24小时"]["results"] if not r["scattered"])


def test_several_words_need_all_of_them(answers):
    both = answers["海尔 回访"]
    assert both["terms"] == ["海尔", "回访"] and both["results"]
    assert set(urls(both)) <= set(urls(answers["海尔服务"]) + urls(answers["海爾"]))
    for result in both["results"]:
        assert "[海尔]" in result["snippet"] or "[回访]" in result["snippet"]
    # The snippet is the stretch of text showing both words when there is one.
    haier = next(r for r in both["results"] if r["url"] == "cases/haier.html")
    assert "[海尔]" in haier["snippet"] and "[回访]" in haier["snippet"], haier


def test_no_results(answers):
    assert answers["xyz无结果"]["results"] == []


def test_one_character_works_and_titles_rank_first(answers):
    results = answers["米"]["results"]
    assert len(results) >= 2
    assert results[0]["url"] == "cases/rice-seller.html"  # 王永庆卖米: 米 in the title
    assert "cases/comb-seller.html" in urls(answers["梳"])


def test_snippets_are_real_text_around_the_match(answers):
    for query in ("卖米", "顾客满意", "CRM", "承诺"):
        for result in answers[query]["results"]:
            assert "\u200b" not in result["snippet"]
            assert "[" in result["snippet"] + result["heading"], (query, result)  # marked where it is
            assert len(result["snippet"]) <= 100
    # A case's result points into the section that holds the words.
    rice = answers["卖米"]["results"][0]
    assert rice["anchor"] in ("summary", "story") and "[卖米]" in rice["snippet"]


def test_exact_phrase_before_its_pairs_apart_and_cases_before_term_pages(project, write, tmp_path):
    """alpha holds 顾客满意 as written; beta holds its pairs 顾客, 客满, 满意 apart; the term page
    of empathy holds the phrase too, but a case holding it comes first."""
    alpha = project.cases_dir / "alpha.yaml"
    write("cases/alpha.yaml", alpha.read_text(encoding="utf-8").replace(
        "估计米快吃完时", "为了让顾客满意，估计米快吃完时", 1))
    beta = project.cases_dir / "beta.yaml"
    write("cases/beta.yaml", beta.read_text(encoding="utf-8").replace(
        "story: ", "story: 顾客多，客满了，大家都满意。", 1))
    taxonomy = project.taxonomy_file
    write("taxonomy.yaml", taxonomy.read_text(encoding="utf-8").replace(
        "definition: 准确兑现承诺。", "definition: 准确兑现承诺，让顾客满意。", 1))
    library, report = load_library(project)
    assert report.errors == []
    found = run_client(index_files(library), tmp_path, ["顾客满意", "满意顾客"])
    order = [(r["url"], r["scattered"]) for r in found["顾客满意"]["results"]]
    assert order == [("cases/alpha.html", False), ("principles/reliability.html", False),
                     ("cases/beta.html", True)]
    # No page holds 满意顾客: pages holding its characters are shown, and said to be.
    apart = found["满意顾客"]
    assert apart["scatteredWords"] == ["满意顾客"]
    assert apart["results"] and all(r["scattered"] for r in apart["results"])


def test_a_phrase_in_a_path_steps_heading_is_marked_there_not_scattered_below(answers):
    """卖米 in "第 N 步：王永庆卖米": the heading shows it marked; the step's note below does not
    get a lone 米 marked as if it were the match."""
    steps = [r for r in answers["卖米"]["results"] if r["url"].startswith("paths/")]
    assert steps, answers["卖米"]["results"]
    for result in steps:
        assert "[卖米]" in result["heading"], result
        assert "[米]" not in result["snippet"] and "[卖]" not in result["snippet"], result


def test_every_text_a_case_page_shows_is_found(answers):
    """铁通 is in huawei's story and in the related-reading notes of other cases."""
    found = {r["url"] for r in answers["铁通"]["results"]}
    library = student_library()
    noting = {f"cases/{cid}.html" for cid, case in library.cases.items()
              if any("铁通" in link.note for link in case.related)}
    assert len(noting) >= 2 and noting | {"cases/huawei.html"} <= found
