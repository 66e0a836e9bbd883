"""Casebook's own search index, written from the model into the generated folder.

The browser side is templates/assets/search.js. Everything here is plain script files, so the
same index works from a web server, from file:// in the offline export (no fetch, no worker) and
in a Zensical build of the generated folder; `serve` rewrites the files that change on save.

    docs/search/meta.js     the pages (address, title, type, text chunk) and the table turning
                            Traditional characters of a query into the Simplified text's
    docs/search/p/<n>.js    postings: for each pair of neighbouring characters ("bigram"), the
                            pages holding it and the best field it occurs in; sharded by the
                            first character, so a query loads only the shards of its characters
    docs/search/t/<n>.js    page texts by section, loaded only for the results shown (snippets,
                            exact-phrase check)

Any Chinese string of two or more characters is found through its bigrams (服务 finds 售后服务,
卖米 finds 王永庆卖米) without a word segmenter; one character is the union of the bigrams it
starts (every character starts one: the last of a run is paired with a space). Latin letters and
digits are indexed the same way, lower-cased.
"""

from __future__ import annotations

import json
import re
from bisect import insort
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from operator import sub

from casebook.content.labels import CASE_KINDS, GROUPS
from casebook.content.model import Case, Library
from casebook.index.indexes import Indexes
from casebook.render import citations, markdown_text, urls
from casebook.render.links import case_terms
from casebook.render.sections import PageData, kind_label, search_places

# What a search result says a page is (short: shown beside every result), from the labels table,
# and how much a page of that type weighs in the ranking (cases first, terms last).
PAGE_TYPES: dict[str, tuple[str, int]] = {
    "case": (GROUPS["cases"].short, 3),
    **{kind: (label, 3) for kind, (label, _) in CASE_KINDS.items() if kind != "case"},
    **{group: (GROUPS[group].short, 1) for group in ("principles", "strategies", "stages", "industries")},
    "frameworks": (GROUPS["frameworks"].short, 2),
    "paths": (GROUPS["paths"].short, 2),
}

# Where a query matches, best first: the page title; a case's subtitle, company or summary; the
# rest (the text of other pages too: a case holding a word comes before a page explaining it).
TITLE, LEAD, BODY = 0, 1, 2

FOLDER = "docs/search"
SHARD_TARGET_BYTES = 96_000  # postings per shard file: a query loads one shard per character
CHUNK_TARGET_CHARS = 5_000
# Up to this many changed pages (or 2% of them) the previous build's postings are updated key by
# key; beyond, making them anew is quicker (a template or taxonomy change touches every page).
UPDATE_MAX_PAGES = 50  # page text per chunk file (a few cases): loaded for shown results only

# The characters matched, as the client (search.js `fold`) folds them: ASCII and full-width
# letters and digits to lower-case ASCII, one character for one (snippets keep their offsets).
_FOLD = {**{chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)},
         **{chr(c): chr(c - 0xFEE0).lower() for c in range(0xFF10, 0xFF1A)},
         **{chr(c): chr(c - 0xFEE0).lower() for c in range(0xFF21, 0xFF3B)},
         **{chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}}
_FOLDABLE = re.compile("[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")  # rare in Chinese text: a scan is quick
WORD_CHARS = "0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{WORD_CHARS}]+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_BRACKETS = re.compile(r"[\[\]]")

# Posting lists are strings of variable-length numbers: each digit (base 45) is one printable
# ASCII character, the last digit of a number from one half of the alphabet, the others from the
# other half. Neither `"` nor `\`, so JSON writes the strings as they are.
_ALPHABET = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '"\\')[:90]
_LAST, _MORE = _ALPHABET[:45], _ALPHABET[45:]


def fold(text: str) -> str:
    return _FOLDABLE.sub(lambda match: _FOLD[match.group(0)], text)


def encode_number(value: int) -> str:
    digits = [_LAST[value % 45]]
    value //= 45
    while value:
        digits.append(_MORE[value % 45])
        value //= 45
    return "".join(reversed(digits))


_SHORT_CODES = [encode_number(value) for value in range(45 * 45)]


def encode_postings(postings: list[int]) -> str:
    """Postings `page × 4 + field` in page order → one string: (gap to the previous page) × 4 +
    field, each number as encode_number writes it."""
    floors = [-4, *(posting & ~3 for posting in postings[:-1])]  # the previous page × 4
    codes, long_code = _SHORT_CODES, encode_number
    return "".join([codes[value] if value < 2025 else long_code(value) for value in map(sub, postings, floors)])


def decode_postings(text: str) -> list[tuple[int, int]]:
    """The inverse of encode_postings (the client does the same in JavaScript)."""
    out, previous, value = [], -1, 0
    for char in text:
        if char in _MORE:
            value = value * 45 + _MORE.index(char)
            continue
        value = value * 45 + _LAST.index(char)
        previous += value // 4
        out.append((previous, value % 4))
        value = 0
    return out


def bigrams(text: str) -> set[str]:
    """The keys of folded `text`: each pair of neighbouring word characters, and the last
    character of each run with a space."""
    keys: set[str] = set()
    for run in _RUN.findall(fold(text)):
        keys.update(map(str.__add__, run, run[1:]))
        keys.add(run[-1] + " ")
    return keys


def shard_of(key: str, shards: int) -> int:
    """The shard holding a key: by its first character (search.js computes the same)."""
    return ord(key[0]) % shards


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees (link targets and brackets dropped)."""
    text = markdown_text.excerpt(markdown, limit=10**9)
    return _BRACKETS.sub(" ", _LINK_TARGET.sub("]", text)).strip()


@dataclass
class SearchPage:
    url: str
    title: str
    kind: str  # a key of PAGE_TYPES
    fields: list[tuple[int, str]]  # (TITLE/LEAD/BODY, text): what is indexed
    sections: list[tuple[str, str, str]] = field(default_factory=list)  # (anchor, heading, text) shown


def page_url(folder: str, key: str) -> str:
    return urls.published(urls.source(folder, key))


def _case_sections(case: Case, data: PageData) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) of the case's page: its facts at a glance, then each searchable
    section and part of the page, as the section table (casebook/render/sections.py) declares them."""
    tax = data.library.taxonomy
    names = {g: "、".join(tax.term(g, k).name for k in case_terms(case, g, tax))
             for g in ("stages", "principles", "strategies")}
    facts = " · ".join(filter(None, [
        case.subtitle, case.company, case.region, case.period, tax.term("industries", case.industry).name,
        kind_label(case), names["stages"], names["principles"], names["strategies"]]))
    # Citations as "[N]", as the page shows them (plain() would take the brackets away).
    return [("", case.title, facts), *((p.anchor, p.heading, citations.unmark(plain(citations.mark(p.text, case))))
                                       for p in search_places(case, data))]


def case_search_page(case: Case, data: PageData) -> SearchPage:
    sections = _case_sections(case, data)
    lead = [(LEAD, case.subtitle), (LEAD, case.company), (LEAD, sections[1][2])]
    return SearchPage(page_url("cases", case.id), case.title, case.kind,
                      [(TITLE, case.title), *lead, *((BODY, s[2]) for s in sections[2:]), (BODY, sections[0][2])],
                      sections)


def search_pages(library: Library, indexes: Indexes | None = None) -> list[SearchPage]:
    """Every page worth finding, cases first, with its indexed fields and shown sections."""
    data = PageData(library, indexes or Indexes({}, {}, {}))
    return [*(case_search_page(case, data) for case in library.cases.values()), *other_search_pages(library)]


def other_search_pages(library: Library) -> list[SearchPage]:
    """The pages of terms, frameworks and learning paths."""
    pages = []
    for group, terms in library.taxonomy.groups.items():
        for term in terms.values():
            definition = plain(term.definition)  # the English name is found, not shown first
            pages.append(SearchPage(page_url(group, term.key), term.name, group,
                                    [(TITLE, term.name), (BODY, definition), (BODY, term.name_en)],
                                    [("", term.name, definition)]))
    for framework in library.frameworks.values():
        summary = plain(framework.summary)
        items = plain(" ".join(f"{item.name}：{item.description}" for item in framework.items))
        pages.append(SearchPage(page_url("frameworks", framework.key), framework.name, "frameworks",
                                [(TITLE, framework.name), (BODY, summary), (BODY, items)],
                                [("", framework.name, summary), ("items", "组成部分", items)]))
    for path in library.paths.values():
        summary = plain(path.summary)
        # Each step is a heading of the path page (templates/path.md.j2: "第 N 步").
        steps = [(urls.step_anchor(n), f"第 {n} 步：{library.cases[s.case].title}", plain(s.why))
                 for n, s in enumerate(path.steps, 1)]
        pages.append(SearchPage(page_url("paths", path.key), path.name, "paths",
                                [(TITLE, path.name), (BODY, summary), *((BODY, f"{h} {t}") for _, h, t in steps)],
                                [("", path.name, summary), *steps]))
    return pages


def traditional_table(chars: set[str]) -> str:
    """Pairs "繁简繁简…": each Traditional character whose Simplified form is among `chars`
    (the library's), from zhconv's data, so a query in Traditional finds the Simplified text."""
    data = json.loads(resources.files("zhconv").joinpath("zhcdict.json").read_text(encoding="utf-8"))
    pairs = sorted((trad, simp) for trad, simp in data["zh2Hans"].items()
                   if len(trad) == 1 and len(simp) == 1 and trad != simp and simp in chars)
    return "".join(trad + simp for trad, simp in pairs)


def _script(name: str, data: object) -> str:
    """A data file the client loads with a <script> tag (works from file://, unlike fetch)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'casebookSearch.loaded("{name}",{text});\n'


def _keys_of(page: SearchPage) -> dict[str, int]:
    """Each bigram of a page and the best field (rank) it occurs in."""
    where: dict[str, int] = {}
    for rank in (BODY, LEAD, TITLE):  # a better field overwrites a worse one
        where.update(dict.fromkeys(bigrams("\n".join(t for r, t in page.fields if r == rank)), rank))
    return where


@dataclass
class IndexState:
    """What one build of the index leaves for the next (the build cache keeps it): every page as
    indexed, with the digest of its case page's inputs (None for other pages), and each key's
    encoded postings. A later build then indexes again only the pages whose inputs changed and
    updates only the keys whose postings did."""

    inputs: list[str | None]
    pages: list[SearchPage]
    encoded: dict[str, str]


def index_files(library: Library, indexes: Indexes | None = None) -> list[tuple[str, str]]:
    """The search index's files, (path in the generated folder, content), same input same bytes."""
    return build_index(library, indexes)[0]


def build_index(library: Library, indexes: Indexes | None = None, case_inputs: Mapping[str, str] | None = None,
                previous: IndexState | None = None) -> tuple[list[tuple[str, str]], IndexState]:
    """The index's files and the state for the next build. With `case_inputs` (case id → digest of
    what its page shows) and the `previous` build's state, a case whose digest is unchanged is
    not indexed again, and the postings change only where a page's keys did: the files are those
    a build from scratch gives (tests/test_search.py)."""
    case_inputs = case_inputs or {}
    data = PageData(library, indexes or Indexes({}, {}, {}))
    before = {page.url: (digest, page) for digest, page in zip(previous.inputs, previous.pages, strict=True)} \
        if previous else {}
    inputs: list[str | None] = []
    pages: list[SearchPage] = []
    for case in library.cases.values():
        digest = case_inputs.get(case.id)
        kept = before.get(page_url("cases", case.id))
        pages.append(kept[1] if digest is not None and kept is not None and kept[0] == digest
                     else case_search_page(case, data))
        inputs.append(digest)
    others = other_search_pages(library)
    pages += others
    inputs += [None] * len(others)
    same_pages = previous is not None and [p.url for p in previous.pages] == [p.url for p in pages]
    changed = [n for n, (old, new) in enumerate(zip(previous.pages, pages, strict=True))
               if old is not new and old.fields != new.fields] if previous is not None and same_pages else []
    if previous is not None and same_pages and len(changed) <= max(UPDATE_MAX_PAGES, len(pages) // 50):
        encoded = _updated_postings(previous, pages, changed)
    else:  # the first build; pages added, removed or reordered (each gets a new number); many changed
        encoded = _postings(pages)
    return _files(pages, encoded), IndexState(inputs, pages, encoded)


def _postings(pages: list[SearchPage]) -> dict[str, str]:
    """Each key's postings (page × 4 + best field, in page order), encoded."""
    best: defaultdict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(pages):
        base = number * 4
        for key, rank in _keys_of(page).items():
            best[key].append(base + rank)
    return {key: encode_postings(postings) for key, postings in best.items()}


def _updated_postings(previous: IndexState, pages: list[SearchPage], changed: list[int]) -> dict[str, str]:
    """The previous build's postings with the changes of the pages numbered `changed` (the pages
    are the previous build's, in the same order: only their fields changed)."""
    encoded = previous.encoded  # updated in place: the state is this build's from here on
    for number in changed:
        old_keys, new_keys = _keys_of(previous.pages[number]), _keys_of(pages[number])
        for key in old_keys.keys() | new_keys.keys():
            rank = new_keys.get(key)
            if old_keys.get(key) == rank:
                continue
            postings = [page * 4 + field for page, field in decode_postings(encoded.get(key, "")) if page != number]
            if rank is not None:
                insort(postings, number * 4 + rank)
            if postings:
                encoded[key] = encode_postings(postings)
            else:
                del encoded[key]
    return encoded


def _files(pages: list[SearchPage], encoded: dict[str, str]) -> list[tuple[str, str]]:
    chars = {key[0] for key in encoded}
    total = sum(len(k) + len(v) + 6 for k, v in encoded.items())
    shards = 1
    while total / shards > SHARD_TARGET_BYTES:
        shards *= 2
    by_shard: list[dict[str, str]] = [{} for _ in range(shards)]
    for key in sorted(encoded):
        by_shard[shard_of(key, shards)][key] = encoded[key]

    chunks: list[list[object]] = [[]]
    size = 0
    chunk_of = []
    for number, page in enumerate(pages):
        if size > CHUNK_TARGET_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append([number, [list(section) for section in page.sections]])
        size += sum(len(s[2]) for s in page.sections)
        chunk_of.append(len(chunks) - 1)
    kinds = list(PAGE_TYPES)
    meta = {
        "shards": shards,
        "types": [PAGE_TYPES[k][0] for k in kinds],
        "weights": [PAGE_TYPES[k][1] for k in kinds],
        "pages": [[p.url, p.title, kinds.index(p.kind), chunk_of[i]] for i, p in enumerate(pages)],
        "traditional": traditional_table(chars),
    }
    files = [(f"{FOLDER}/meta.js", _script("meta", meta))]
    files += [(f"{FOLDER}/p/{n}.js", _script(f"p{n}", shard)) for n, shard in enumerate(by_shard)]
    files += [(f"{FOLDER}/t/{n}.js", _script(f"t{n}", chunk)) for n, chunk in enumerate(chunks)]
    return files
