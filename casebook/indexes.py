"""Indexes over the library: cases by term, computed related cases, learning-path positions.

Built in one pass over the cases; related cases are found through the term index (rarest terms
first, a bounded number of candidates), never by comparing every pair of cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .model import Library

GROUPS = ("stages", "principles", "strategies", "industries", "frameworks")
# Terms that make two cases worth reading together, with how much each kind of term counts.
RELATED_WEIGHTS = {"principles": 1.0, "strategies": 1.0, "frameworks": 1.0, "stages": 0.25}
RELATED_LIMIT = 5
CANDIDATE_CAP = 200


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
    by_term: dict[str, dict[str, list[str]]]  # group -> term key -> case ids, in id order
    related: dict[str, list[Relation]]
    paths_of: dict[str, list[PathPosition]]
    referenced_by: dict[str, list[str]] = field(default_factory=dict)  # explicit incoming links


def _term_index(library: Library) -> dict[str, dict[str, list[str]]]:
    by_term: dict[str, dict[str, list[str]]] = {
        group: {key: [] for key in library.taxonomy.keys(group)} for group in GROUPS[:4]
    }
    by_term["frameworks"] = {key: [] for key in library.frameworks}
    for case_id, case in library.cases.items():  # cases are sorted by id: posting lists are too
        for group in GROUPS:
            for key in case.notes_for(group):
                by_term[group].setdefault(key, []).append(case_id)
    return by_term


def _related(library: Library, by_term: dict[str, dict[str, list[str]]]) -> dict[str, list[Relation]]:
    total = max(len(library.cases), 1)
    idf = {
        (group, key): math.log(1 + total / len(ids))
        for group, terms in by_term.items()
        for key, ids in terms.items()
        if ids
    }
    related: dict[str, list[Relation]] = {}
    for case_id, case in library.cases.items():
        own = {group: set(case.notes_for(group)) for group in RELATED_WEIGHTS}
        explicit = {link.case for link in case.related} | {case_id}
        # Candidates from the rarest shared terms first; stages are too common to seed them.
        seeds = sorted(
            ((group, key) for group in ("principles", "strategies", "frameworks") for key in own[group]),
            key=lambda gk: (len(by_term[gk[0]][gk[1]]), gk),
        )
        candidates: dict[str, None] = {}
        for group, key in seeds:
            for other in by_term[group][key]:
                if other not in explicit:
                    candidates.setdefault(other, None)
            if len(candidates) >= CANDIDATE_CAP:
                break
        scored: list[Relation] = []
        for other_id in candidates:
            other = library.cases[other_id]
            shared: dict[str, tuple[str, ...]] = {}
            score = 0.0
            for group, weight in RELATED_WEIGHTS.items():
                common = own[group].intersection(other.notes_for(group))
                if common:
                    ordered = tuple(k for k in by_term[group] if k in common)  # taxonomy order
                    shared[group] = ordered
                    score += weight * sum(idf[(group, k)] for k in ordered)
            if any(g in shared for g in ("principles", "strategies", "frameworks")):
                scored.append(Relation(other_id, round(score, 6), shared))
        scored.sort(key=lambda r: (-r.score, r.case))
        related[case_id] = scored[:RELATED_LIMIT]
    return related


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


def build_indexes(library: Library) -> Indexes:
    by_term = _term_index(library)
    referenced_by: dict[str, list[str]] = {case_id: [] for case_id in library.cases}
    for case_id, case in library.cases.items():
        for link in case.related:
            if link.case in referenced_by and case_id not in referenced_by[link.case]:
                referenced_by[link.case].append(case_id)
    return Indexes(
        by_term=by_term,
        related=_related(library, by_term),
        paths_of=_paths_of(library),
        referenced_by=referenced_by,
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
