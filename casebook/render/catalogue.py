"""Data for the catalogue page's facet filters, generated at build time as a JavaScript file.

A .js file rather than JSON because `fetch` is refused on file://, while a script tag is not.
"""

from __future__ import annotations

import json
from typing import Any

from casebook.content.labels import GROUP_TITLES
from casebook.content.model import Library
from casebook.content.schema import CASE_KINDS
from casebook.index.order import reading_order, start_year
from casebook.render import citations, urls
from casebook.render.links import case_terms

CATALOGUE_PAGE = urls.source("cases")  # the page the cards are shown on: their links start from there
KIND_NAMES = {key: label for key, (label, _) in CASE_KINDS.items()}
# (facet key in the URL, taxonomy group or None, label, open by default)
FACETS = (
    ("industry", "industries", GROUP_TITLES["industries"], True),
    ("kind", None, "类型", True),
    ("stage", "stages", GROUP_TITLES["stages"], True),
    ("strategy", "strategies", GROUP_TITLES["strategies"], False),
    ("principle", "principles", GROUP_TITLES["principles"], False),
)
# (sort key in the URL, label): the first is the default order and stays out of the URL.
# 拼音: by title as a Chinese index lists it; 时期: by the year the period starts, cases without
# one last; 行业: industries in the taxonomy's order, by title within each.
SORTS = (("title", "拼音"), ("period", "时期"), ("industry", "行业"))


def catalogue_data(library: Library) -> dict[str, Any]:
    tax = library.taxonomy
    facets = []
    for key, group, label, is_open in FACETS:
        if group is None:
            values = [{"key": k, "name": n} for k, n in KIND_NAMES.items()]
        else:
            values = [{"key": t.key, "name": t.name} for t in tax.groups[group].values()]
        facets.append({"key": key, "label": label, "open": is_open, "values": values})
    cases = []
    industry_rank = {key: rank for rank, key in enumerate(tax.keys("industries"))}
    title_rank = {case_id: rank for rank, case_id in enumerate(reading_order(library.cases))}
    # Each group's term names, looked up once rather than per case and term.
    term_names = {group: {key: term.name for key, term in tax.groups.get(group, {}).items()}
                  for group in ("stages", "strategies", "principles")}
    for case in library.cases.values():
        names = {group: [names_by_key[key] for key in case_terms(case, group, tax)]
                 for group, names_by_key in term_names.items()}
        industry = tax.term("industries", case.industry).name
        text = " ".join([case.title, case.subtitle, case.company, case.region, case.period,
                         citations.as_text(case.summary, case),
                         industry, KIND_NAMES[case.kind], *names["stages"], *names["strategies"],
                         *names["principles"]])
        cases.append({
            "id": case.id,
            "url": urls.relative(CATALOGUE_PAGE, urls.published(urls.source("cases", case.id))),
            "title": case.title,
            "company": case.company,
            "summary": citations.as_text(case.summary, case),
            "kind": case.kind,
            "kindName": KIND_NAMES[case.kind],
            "industry": case.industry,
            "industryName": industry,
            "stage": [k for k in tax.keys("stages") if k in case.stages],
            "stageNames": names["stages"],
            "strategy": [k for k in tax.keys("strategies") if k in case.strategies],
            "principle": [k for k in tax.keys("principles") if k in case.principles],
            "text": text.lower(),
            # For the sort control: the pinyin order's place (casebook/index/order.py), compared as numbers.
            "titleRank": title_rank[case.id],
            "year": start_year(case.period),
            "industryRank": industry_rank[case.industry],
        })
    return {"facets": facets, "cases": cases, "sorts": [{"key": k, "label": label} for k, label in SORTS]}


def catalogue_script(library: Library) -> str:
    payload = json.dumps(catalogue_data(library), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # "</" never appears unescaped, so the data stays inert even if inlined into a page one day.
    payload = payload.replace("</", "<\\/")
    return f"window.CASEBOOK_CATALOGUE = {payload};\n"
