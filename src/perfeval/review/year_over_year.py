"""This year's forms against last year's: what a department changed to look better.

A department is recognised in last year's batch by its name (`Department.key`); its indicators
by their 三级指标 (normalised). Four things are looked for, each finding naming this year's row
(file, sheet, cell) and last year's (`Finding.related`):

- PE760 a quantitative target made easier (lowered, or for a reverse indicator raised) to a value
  that last year's actual already beat;
- PE761 an indicator missed last year that is gone this year (no row of the same or a closely
  similar name);
- PE762 weight taken from an indicator missed last year while indicators met last year gained;
- PE763 a narrative paragraph that repeats last year's (the sections that legitimately repeat,
  部门主要职能 and 机构设置与人员编制情况, are not compared).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.codes import severity_of
from ..core.decimal_math import fmt_decimal
from ..core.evaluate import IndicatorResult
from ..core.findings import Finding
from ..core.targets import Comparison, Target
from ..outputs import same_file
from .batch import MIN_PARAGRAPH, Department, row_location, row_text, short
from .copies import PARAGRAPH_THRESHOLD, TRIGRAM
from .similarity import Item, indicator_name_key, jaccard, narrative_key, ngrams, similar_pairs

__all__ = ["YearMatch", "match_last_year", "year_over_year", "RENAMED_THRESHOLD"]

RENAMED_THRESHOLD = 0.6  # bigram Jaccard of two names above which a row was renamed, not dropped
SAME_EVERY_YEAR = frozenset({"functions", "staffing"})
_POSITIVE = (Comparison.GE, Comparison.GT, Comparison.EQ)
_REVERSE = (Comparison.LE, Comparison.LT)


@dataclass
class YearMatch:
    """Which of last year's forms belongs to which department of this year's batch."""

    pairs: list[tuple[Department, Department]] = field(default_factory=list)  # (this year, last year)
    unmatched: list[Department] = field(default_factory=list)  # this year's forms with no last year
    notes: list[str] = field(default_factory=list)


def _year(d: Department) -> int | None:
    n = d.loaded.form.year.number
    return int(n) if n is not None and n == int(n) and 1990 < n < 2200 else None


def match_last_year(this: Sequence[Department], last: Sequence[Department]) -> YearMatch:
    by_key: dict[str, Department] = {}
    for d in last:
        if d.key in by_key:
            continue  # several files for one department: the first (input order) is used
        by_key[d.key] = d
    out = YearMatch()
    for d in this:
        prev = by_key.get(d.key) if d.key else None
        if prev is None:
            out.unmatched.append(d)
            continue
        if d.loaded.path is not None and prev.loaded.path is not None and same_file(d.loaded.path, prev.loaded.path):
            out.notes.append(f"{d.title}同时出现在本年和上年的文件中，未做上年对比。")
            continue
        y, py = _year(d), _year(prev)
        if y is not None and py is not None and py >= y:
            out.notes.append(f"{d.title}（{y} 年）对应的上年表{prev.title}是 {py} 年的，未做上年对比。")
            continue
        out.pairs.append((d, prev))
    return out


def year_over_year(match: YearMatch) -> list[Finding]:
    findings: list[Finding] = []
    for this, last in match.pairs:
        findings += _indicators(this, last)
        findings += _narrative(this, last)
    return findings


def _results(d: Department) -> dict[int, IndicatorResult]:
    ev = d.loaded.evaluation
    return {r.indicator.row: r for r in ev.indicators} if ev is not None else {}


def _by_name(d: Department) -> dict[str, IndicatorResult]:
    out: dict[str, IndicatorResult] = {}
    for r in _results(d).values():
        key = indicator_name_key(r.indicator.level3.text)
        if len(key) >= 2:
            out.setdefault(key, r)
    return out


def _finding(code: str, this: Department, this_row, last: Department, last_row, message: str,
             *, actual: str | None = None, expected: str | None = None) -> Finding:
    sheet, cell = row_location(this_row) if this_row is not None else (_block_sheet(this), "")
    l_sheet, l_cell = row_location(last_row)
    return Finding(code=code, severity=severity_of(code), file=this.file, sheet=sheet, cell=cell,
                   message=message, actual=actual, expected=expected,
                   related=last.related(l_sheet, l_cell))


def _block_sheet(d: Department) -> str:
    return next((row_location(i)[0] for i in d.indicators if row_location(i)[0]), "")


def _indicators(this: Department, last: Department) -> list[Finding]:
    now, before = _by_name(this), _by_name(last)
    out: list[Finding] = []
    gains, losses = [], []
    for key, prev in before.items():
        cur = now.get(key)
        if cur is None:
            if prev.result.met is False and not _renamed(key, now):
                out.append(_dropped(this, last, prev))
            continue
        lowered = _lowered(cur.indicator.parsed_target(), prev)
        if lowered is not None:
            out.append(_finding("PE760", this, cur.indicator, last, prev.indicator, lowered,
                                actual=cur.indicator.target.text, expected=prev.indicator.target.text))
        w, pw = cur.indicator.weight.number, prev.indicator.weight.number
        if w is not None and pw is not None and w != pw and prev.result.met is not None:
            if prev.result.met and w > pw:
                gains.append((cur, prev))
            elif not prev.result.met and w < pw:
                losses.append((cur, prev))
    if gains and losses:
        up = "、".join(f"「{short(c.indicator.level3.text, 30)}」{fmt_decimal(p.indicator.weight.number)}→"
                      f"{fmt_decimal(c.indicator.weight.number)}" for c, p in gains[:4])
        more = f"等 {len(gains)} 项" if len(gains) > 4 else ""
        for cur, prev in losses:
            out.append(_finding(
                "PE762", this, cur.indicator, last, prev.indicator,
                f"上年未完成的指标「{short(cur.indicator.level3.text, 40)}」分值由 "
                f"{fmt_decimal(prev.indicator.weight.number)} 降为 {fmt_decimal(cur.indicator.weight.number)}，"
                f"而上年已完成的指标分值增加了（{up}{more}）：分值向容易得分的指标转移，请核实理由。",
                actual=fmt_decimal(cur.indicator.weight.number), expected=fmt_decimal(prev.indicator.weight.number)))
    return out


def _renamed(key: str, now: dict[str, IndicatorResult]) -> bool:
    grams = ngrams(key, 2)
    return any(jaccard(grams, ngrams(other, 2)) >= RENAMED_THRESHOLD for other in now)


def _dropped(this: Department, last: Department, prev: IndicatorResult) -> Finding:
    res = prev.result
    got = f"得分 {fmt_decimal(res.score)}/{fmt_decimal(res.weight)}" if res.score is not None else "未完成"
    return _finding(
        "PE761", this, None, last, prev.indicator,
        f"上年的指标「{row_text(prev.indicator)}」未完成（{got}），本年自评表中没有这项指标，"
        "也没有名称相近的指标：请核实是否因上年未完成而删去。",
        expected=row_text(prev.indicator))


def _lowered(target: Target, prev: IndicatorResult) -> str | None:
    """Why this year's target is an easier one that last year's actual already beat, or None."""
    before = prev.indicator.parsed_target()
    actual = prev.indicator.parsed_actual()
    if not (target.is_quantitative and before.is_quantitative and actual.is_number):
        return None
    if target.unit != before.unit or (actual.unit and actual.unit != before.unit):
        return None
    t, b, a = target.value, before.value, actual.value
    assert t is not None and b is not None and a is not None
    if target.comparison in _POSITIVE and before.comparison in _POSITIVE:
        if not (t < b and a > t):
            return None
        how, beat = "下调", "高于"
    elif target.comparison in _REVERSE and before.comparison in _REVERSE:
        if not (t > b and a < t):
            return None
        how, beat = "放宽", "优于"
    else:
        return None
    return (f"年度指标值由上年的「{before.describe()}」{how}为「{target.describe()}」，而上年实际完成值"
            f"「{_shown(a, actual.unit or before.unit)}」已{beat}今年的指标值：绩效目标应当不低于上年实际水平，"
            "请核实下调的理由。")


def _shown(value: Decimal, unit: str) -> str:
    return fmt_decimal(value * 100) + "%" if unit == "%" else fmt_decimal(value) + unit


def _narrative(this: Department, last: Department) -> list[Finding]:
    items: list[Item] = []
    for owner, d in ((0, this), (1, last)):
        for p in d.paragraphs:
            if p.section in SAME_EVERY_YEAR:
                continue
            key = narrative_key(p.text)
            if len(key) >= MIN_PARAGRAPH:
                items.append(Item(owner=owner, grams=ngrams(key, TRIGRAM), ref=p))
    best: dict[int, tuple[float, int]] = {}
    for i, j, sim in similar_pairs(items, PARAGRAPH_THRESHOLD):
        here, there = (i, j) if items[i].owner == 0 else (j, i)
        if here not in best or sim > best[here][0]:
            best[here] = (sim, there)
    out = []
    for here in sorted(best):
        sim, there = best[here]
        p, q = items[here].ref, items[there].ref
        same = "相同" if sim >= 0.999 else f"几乎相同（相似度 {int(sim * 100)}%）"
        out.append(Finding(
            code="PE763", severity=severity_of("PE763"), file=this.file, sheet=p.sheet, cell=p.cell,
            message=(f"{p.label}与上年自评表{last.title}{q.label}{same}：「{short(p.text, 80)}」。"
                     "报告应写本年度的情况，请核实是否照抄了上年的内容。"),
            actual=short(p.text, 200), related=last.related(q.sheet, q.cell)))
    return out
