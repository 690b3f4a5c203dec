"""What one department's form shares with another's: indicator rows and narrative paragraphs.

Indicator rows are the same when their 三级指标 and 年度指标值 agree after normalisation
(`similarity.indicator_name_key`, `similarity.normalise`) and the row is not a 共性指标. Narrative
paragraphs are the same when their character-trigram sets have a Jaccard similarity of at least
`PARAGRAPH_THRESHOLD` after normalisation (digits folded), so that a paragraph copied with its
figures and the department's name typed over is still found.

What many departments of the batch share is the county's own common text (an indicator or a
paragraph the bureau's notice prescribed), not a copy: a row or paragraph found in more than
`batch_common_limit(n)` departments is reported once as such, not pair by pair. Forms of the
same department (same name) are not compared with each other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.codes import severity_of
from ..core.findings import Finding
from .batch import MIN_PARAGRAPH, Department, row_location, row_text, short
from .common import is_common
from .similarity import Item, indicator_name_key, narrative_key, ngrams, normalise, similar_pairs

__all__ = ["PARAGRAPH_THRESHOLD", "BatchCommon", "batch_common_limit", "copied_rows", "copied_paragraphs"]

PARAGRAPH_THRESHOLD = 0.8
TRIGRAM = 3


def batch_common_limit(departments: int) -> int:
    """More departments than this sharing a text make it the batch's own common text."""
    return max(3, math.ceil(departments / 10))


@dataclass(frozen=True)
class BatchCommon:
    """A row or paragraph that too many departments share to be a copy of one by another."""

    kind: str  # "指标" / "段落"
    text: str
    departments: tuple[str, ...]  # names


def _same_department_pairs(depts: Sequence[Department]) -> set[frozenset]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for d in depts:
        by_key[d.key].append(d.index)
    out: set[frozenset] = set()
    for idx in by_key.values():
        out.update(frozenset((a, b)) for a in idx for b in idx if a < b)
    return out


def copied_rows(depts: Sequence[Department]) -> tuple[list[Finding], list[BatchCommon]]:
    """PE750: a non-common indicator row that another department's form has too."""
    skip = _same_department_pairs(depts)
    by_key: dict[tuple[str, str], list[tuple[Department, object]]] = defaultdict(list)
    for d in depts:
        seen: set[tuple[str, str]] = set()
        for ind in d.indicators:
            name, target = indicator_name_key(ind.level3.text), normalise(ind.target.text, keep_symbols=True)
            if len(name) < 2 or not target or is_common(ind.level3.text):
                continue
            key = (name, target)
            if key in seen:  # the same row twice in one form is that form's own business
                continue
            seen.add(key)
            by_key[key].append((d, ind))
    findings: list[Finding] = []
    common: list[BatchCommon] = []
    limit = batch_common_limit(len(depts))
    for members in by_key.values():
        owners = {d.key for d, _ in members}
        if len(owners) < 2:
            continue
        if len(owners) > limit:
            common.append(BatchCommon("指标", row_text(members[0][1]), tuple(sorted({d.name for d, _ in members}))))
            continue
        for i, (a, ind_a) in enumerate(members):
            for b, ind_b in members[i + 1:]:
                if frozenset((a.index, b.index)) in skip:
                    continue
                findings.append(_row_finding(b, ind_b, a, ind_a))
    return findings, common


def _row_finding(here: Department, ind, other: Department, other_ind) -> Finding:
    sheet, cell = row_location(ind)
    o_sheet, o_cell = row_location(other_ind)
    where = f"{o_sheet}!{o_cell}" if o_cell else o_sheet
    return Finding(
        code="PE750", severity=severity_of("PE750"), file=here.file, sheet=sheet, cell=cell,
        message=(f"指标「{row_text(ind)}」与{other.title} {where} 的指标完全相同（三级指标和年度指标值都一样），"
                 "且不是共性指标：请核实是否照抄了其他部门的指标。"),
        actual=row_text(ind), related=other.related(o_sheet, o_cell),
    )


def copied_paragraphs(depts: Sequence[Department]) -> tuple[list[Finding], list[BatchCommon]]:
    """PE751: a narrative paragraph identical or near-identical to another department's."""
    # Identical texts are grouped first: a paragraph forty departments share is one text to join,
    # not forty, and is recognised as boilerplate without pairing its copies.
    groups: dict[str, list[tuple[Department, object]]] = defaultdict(list)
    for d in depts:
        for p in d.paragraphs:
            key = narrative_key(p.text)
            if len(key) >= MIN_PARAGRAPH:
                groups[key].append((d, p))
    keys = list(groups)
    items = [Item(owner=i, grams=ngrams(k, TRIGRAM), ref=k) for i, k in enumerate(keys)]
    similar = similar_pairs(items, PARAGRAPH_THRESHOLD)
    parent = list(range(len(keys)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in similar:
        parent[find(i)] = find(j)
    owners: dict[int, set[str]] = defaultdict(set)
    for i, k in enumerate(keys):
        owners[find(i)].update(d.key for d, _ in groups[k])
    limit = batch_common_limit(len(depts))
    boiler = {root for root, who in owners.items() if len(who) > limit}
    skip = _same_department_pairs(depts)
    findings: list[Finding] = []

    def pair_up(left, right, sim: float) -> None:
        for a, pa in left:
            for b, pb in right:
                if a.index == b.index or frozenset((a.index, b.index)) in skip:
                    continue
                (x, px), (y, py) = ((a, pa), (b, pb)) if a.index > b.index else ((b, pb), (a, pa))
                findings.append(_paragraph_finding(x, px, y, py, sim))

    for i, k in enumerate(keys):
        if find(i) in boiler:
            continue
        members = groups[k]
        for n, m in enumerate(members):
            pair_up([m], members[n + 1:], 1.0)
    for i, j, sim in similar:
        if find(i) not in boiler:
            pair_up(groups[keys[i]], groups[keys[j]], sim)
    common = []
    for root in sorted(boiler):
        first = next(groups[k][0][1] for i, k in enumerate(keys) if find(i) == root)
        names = sorted({d.name for i, k in enumerate(keys) if find(i) == root for d, _ in groups[k]})
        common.append(BatchCommon("段落", short(first.text), tuple(names)))
    return findings, common


def _paragraph_finding(here: Department, p, other: Department, op, sim: float) -> Finding:
    same = "相同" if sim >= 0.999 else f"几乎相同（相似度 {math.floor(sim * 100)}%）"
    return Finding(
        code="PE751", severity=severity_of("PE751"), file=here.file, sheet=p.sheet, cell=p.cell,
        message=(f"{p.label}与{other.title}{op.label}{same}：「{short(p.text, 80)}」。"
                 "请核实是否照抄了其他部门的报告。"),
        actual=short(p.text, 200), related=other.related(op.sheet, op.cell),
    )
