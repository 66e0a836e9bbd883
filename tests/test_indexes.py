"""Indexes: cases by term, computed related cases with their reasons, path positions."""

from __future__ import annotations

from casebook.content.load import load_library
from casebook.index.indexes import build_indexes


def test_cases_by_term(project):
    library, _ = load_library(project)
    idx = build_indexes(library)
    # In reading order, by the pinyin of the titles: 家电… (jia), 卖梳子… (mai), 米店… (mi).
    assert idx.order == ["gamma", "beta", "alpha"]
    assert idx.by_term["principles"]["attention-to-detail"] == ["gamma", "beta", "alpha"]
    assert idx.by_term["stages"]["after-sale"] == ["gamma", "alpha"]
    assert idx.by_term["industries"]["home-appliances"] == ["gamma"]
    assert idx.by_term["frameworks"]["complaint-steps"] == ["alpha"]
    assert idx.by_term["principles"]["reliability"] == ["gamma"]
    assert list(idx.by_term["stages"]) == ["pre-sale", "in-sale", "after-sale", "follow-up"]


def test_related_cases_share_terms_and_skip_explicit_links(project):
    library, _ = load_library(project)
    idx = build_indexes(library)
    # alpha links to gamma explicitly, so only beta is suggested, with what they share.
    [beta] = idx.related["alpha"]
    assert beta.case == "beta"
    assert beta.shared == {"principles": ("empathy", "attention-to-detail"),
                           "strategies": ("value-added-service",)}
    # gamma shares a principle, a strategy and a stage with alpha, only a principle with beta.
    assert [r.case for r in idx.related["gamma"]] == ["alpha", "beta"]
    assert idx.related["gamma"][0].shared["stages"] == ("after-sale",)


def test_explicit_links_are_indexed_both_ways(project):
    library, _ = load_library(project)
    idx = build_indexes(library)
    assert idx.referenced_by["gamma"] == ["alpha"]
    assert idx.referenced_by["alpha"] == []


def test_path_positions(project):
    library, _ = load_library(project)
    idx = build_indexes(library)
    [pos] = idx.paths_of["beta"]
    assert (pos.path, pos.index, pos.previous, pos.next) == ("basics", 1, "alpha", "gamma")
    assert idx.paths_of["alpha"][0].previous is None
    assert idx.paths_of["gamma"][0].next is None


def test_related_cases_are_reused_only_while_what_they_come_from_is_unchanged(monkeypatch):
    import dataclasses

    from conftest import student_library

    from casebook.index import indexes as module

    library = student_library()
    cache = module.RelatedCache()
    fresh = module.build_indexes(library, cache).related
    computed: list[bool] = []
    real = module._related
    monkeypatch.setattr(module, "_related", lambda *args: (computed.append(True), real(*args))[1])
    first_id = next(iter(library.cases))
    case = library.cases[first_id]

    def with_case(**changes):
        return dataclasses.replace(library, cases={**library.cases, first_id: type(case)(**{**vars(case), **changes})})

    again = module.RelatedCache(previous=cache.current)
    story_edited = with_case(story=case.story + "（补一句）")
    assert module.build_indexes(story_edited, again).related == fresh
    assert computed == []  # a story edit: the related cases are the previous build's
    retagged = with_case(principles={key: "新加的原则" for key in list(library.taxonomy.keys("principles"))[:4]})
    changed = module.build_indexes(retagged, module.RelatedCache(previous=cache.current)).related
    assert computed == [True]
    assert changed == module.build_indexes(retagged).related != fresh


def test_value_digest_does_not_depend_on_shared_objects():
    from casebook.digest import value_digest

    word = "案例" * 3
    copy = "".join(["案例", "案例", "案例"])
    assert word == copy and word is not copy
    assert value_digest([word, word]) == value_digest([word, copy])
    assert value_digest([word, word]) != value_digest([word, word + "。"])


def test_titles_sort_in_pinyin_order_syllable_by_syllable():
    from casebook.index.order import title_key

    titles = ["王永庆卖米", "海尔服务", "卖梳子的故事", "IBM 的服务", "华为", "王府井", "海尔"]
    assert sorted(titles, key=title_key) == ["海尔", "海尔服务", "华为", "IBM 的服务", "卖梳子的故事",
                                             "王府井", "王永庆卖米"]
    assert title_key("海尔") != title_key("海儿")  # equal readings stay apart (and the order is total)


def test_start_year_of_a_period():
    from casebook.index.order import start_year

    assert [start_year(p) for p in ("1994–2003", "2001", "1930年代", "20世纪80年代", "近年", "")] == \
        [1994, 2001, 1930, 1980, None, None]
