"""Indexes over the library: cases by term, computed related cases, learning-path positions.

Built in one pass over the cases; related cases are found through the term index (rarest terms
first, a bounded number of candidates), never by comparing every pair of cases.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from casebook.content.labels import TERM_GROUPS
from casebook.content.model import Library
from casebook.digest import Carried, value_digest
from casebook.index.order import reading_order
from casebook.parallel import gc_paused, map_chunks

# The groups a case refers to by key: the taxonomy's, in its order, then the frameworks.
INDEXED_GROUPS = (*TERM_GROUPS, "frameworks")
# Terms that make two cases worth reading together, with how much each kind of term counts.
RELATED_WEIGHTS = {"principles": 1.0, "strategies": 1.0, "frameworks": 1.0, "stages": 0.25}
RELATED_LIMIT = 5
CANDIDATE_CAP = 100


@dataclass(frozen=True)
class Relation:
    """A computed related case and the terms both cases share (the reason shown to trainees)."""

    case: str
    score: float
    shared: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class PathPosition:
    path: str
    index: int  # 0-based position of the case in the path
    previous: str | None
    next: str | None


@dataclass
class Indexes:
    by_term: dict[str, dict[str, list[str]]]  # group -> term key -> case ids, in reading order (order.py)
    related: dict[str, list[Relation]]
    paths_of: dict[str, list[PathPosition]]
    referenced_by: dict[str, list[str]] = field(default_factory=dict)  # explicit incoming links
    order: list[str] = field(default_factory=list)  # every case id, in reading order (order.py)


def _term_index(library: Library, order: list[str]) -> dict[str, dict[str, list[str]]]:
    by_term: dict[str, dict[str, list[str]]] = {
        group: {key: [] for key in library.taxonomy.keys(group)} for group in TERM_GROUPS
    }
    by_term["frameworks"] = {key: [] for key in library.frameworks}
    for case_id in order:  # posting lists in reading order, as pages list them
        case = library.cases[case_id]
        for group in INDEXED_GROUPS:
            for key in case.notes_for(group):
                by_term[group].setdefault(key, []).append(case_id)
    return by_term


def _related(library: Library, by_term: dict[str, dict[str, list[str]]]) -> dict[str, list[Relation]]:
    total = max(len(library.cases), 1)
    # Every (group, key) gets a small integer and a weight: rarer terms say more (idf). The
    # integers follow the taxonomy order, so sorted ids list shared terms in the order shown.
    term_keys: list[tuple[str, str]] = []
    weights: list[float] = []
    for group, weight in RELATED_WEIGHTS.items():
        for key, ids in by_term[group].items():
            if ids:
                term_keys.append((group, key))
                weights.append(weight * math.log(1 + total / len(ids)))
    term_ids = {group_key: index for index, group_key in enumerate(term_keys)}
    terms_of = {
        case_id: frozenset(term_ids[(g, k)] for g in RELATED_WEIGHTS for k in case.notes_for(g))
        for case_id, case in library.cases.items()
    }
    state = _RelatedState(library, by_term, terms_of, weights, term_keys)
    return dict(map_chunks(_related_chunk, list(library.cases), state))


@dataclass(frozen=True)
class _RelatedState:
    """What the related-case workers need: the term index, each case's term ids and their weights."""

    library: Library
    by_term: dict[str, dict[str, list[str]]]
    terms_of: dict[str, frozenset[int]]
    weights: list[float]
    term_keys: list[tuple[str, str]]  # (group, key) of each term id


def _related_chunk(state: _RelatedState, case_ids: Sequence[str]) -> list[tuple[str, list[Relation]]]:
    by_term, terms_of = state.by_term, state.terms_of
    weight_of = state.weights.__getitem__
    specific = [g for g in RELATED_WEIGHTS if g != "stages"]  # stages are too common to seed candidates
    out = []
    for case_id in case_ids:
        case = state.library.cases[case_id]
        own = terms_of[case_id]
        explicit = {link.case for link in case.related} | {case_id}
        seeds = sorted(((g, k) for g in specific for k in case.notes_for(g)),
                       key=lambda gk: (len(by_term[gk[0]][gk[1]]), gk))
        candidates: dict[str, None] = {}
        for group, key in seeds:  # rarest shared terms first, a bounded number of candidates
            for other in by_term[group][key]:
                if other not in explicit:
                    candidates[other] = None
                    if len(candidates) >= CANDIDATE_CAP:
                        break
            if len(candidates) >= CANDIDATE_CAP:
                break
        # map() rather than a generator: this sum runs a hundred times per case (same order of
        # addition, so the same scores to the last bit).
        best = heapq.nsmallest(
            RELATED_LIMIT, [(-sum(map(weight_of, own & terms_of[o])), o) for o in candidates]
        )
        out.append((case_id, [_relation(o, -score, own & terms_of[o], state.term_keys)
                              for score, o in best if score < 0]))
    return out


def _relation(other: str, score: float, shared_ids: frozenset[int],
              term_keys: list[tuple[str, str]]) -> Relation:
    """What the two cases share, in taxonomy order: the reason shown to trainees."""
    shared: dict[str, list[str]] = {}
    for term_id in sorted(shared_ids):
        group, key = term_keys[term_id]
        shared.setdefault(group, []).append(key)
    return Relation(other, round(score, 6), {group: tuple(keys) for group, keys in shared.items()})


def _paths_of(library: Library) -> dict[str, list[PathPosition]]:
    positions: dict[str, list[PathPosition]] = {case_id: [] for case_id in library.cases}
    for key, path in library.paths.items():
        ids = [step.case for step in path.steps]
        for index, case_id in enumerate(ids):
            positions.setdefault(case_id, []).append(
                PathPosition(
                    path=key,
                    index=index,
                    previous=ids[index - 1] if index > 0 else None,
                    next=ids[index + 1] if index + 1 < len(ids) else None,
                )
            )
    return positions


# The related cases with the key of what they were computed from (`related_inputs`).
RelatedCache = Carried[tuple[str, dict[str, list[Relation]]]]


def related_inputs(library: Library) -> str:
    """A digest of all that the related cases are computed from: which cases there are, in order,
    the terms each one has, and the cases each one already links to. Editing a story, a question
    or a note leaves it, and so the related cases of every case, as they were."""
    return value_digest([(case_id, [(group, sorted(case.notes_for(group))) for group in RELATED_WEIGHTS],
                          [link.case for link in case.related])
                         for case_id, case in library.cases.items()],
                        RELATED_WEIGHTS, RELATED_LIMIT, CANDIDATE_CAP)


@gc_paused()
def build_indexes(library: Library, cache: RelatedCache | None = None) -> Indexes:
    """The indexes; with a `cache`, the related cases are taken from the previous build when what
    they are computed from did not change."""
    order = reading_order(library.cases)
    by_term = _term_index(library, order)
    referenced_by: dict[str, list[str]] = {case_id: [] for case_id in library.cases}
    for case_id in order:
        for link in library.cases[case_id].related:
            if link.case in referenced_by and case_id not in referenced_by[link.case]:
                referenced_by[link.case].append(case_id)
    if cache is not None:
        key = related_inputs(library)
        if cache.previous is None or cache.previous[0] != key:
            cache.current = (key, _related(library, by_term))
        else:
            cache.current = cache.previous
        related = cache.current[1]
    else:
        related = _related(library, by_term)
    return Indexes(
        by_term=by_term,
        related=related,
        paths_of=_paths_of(library),
        referenced_by=referenced_by,
        order=order,
    )


def cooccurrence(indexes: Indexes, rows: str, columns: str) -> dict[str, dict[str, list[str]]]:
    """For every pair of terms (row group × column group), the cases that have both."""
    out: dict[str, dict[str, list[str]]] = {}
    for row_key, row_ids in indexes.by_term[rows].items():
        row_set = set(row_ids)
        out[row_key] = {
            col_key: [cid for cid in col_ids if cid in row_set]
            for col_key, col_ids in indexes.by_term[columns].items()
        }
    return out
