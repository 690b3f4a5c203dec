"""Consolidating subordinate units' forms into the department's form (the seed's note 2).

    部门整体支出绩效自评结果，应根据部门本级和所属单位整体支出自评情况汇总形成，对于定量指标，
    绝对值直接累加计算，相对值按照资金额度加权平均计算；定性指标……汇总时以资金额度为权重，
    对分值加权平均计算。

What that means here:

* money (年初 / 全年 / 实际 of every budget row) and absolute indicator values (counts and amounts:
  人, 个, 万元 …) are summed, targets included;
* relative values (percents, rates, time limits, per-head standards) and qualitative completion
  ratios are averaged with each unit's fund amount as the weight: the 资金额度 the department lists
  on its 下属单位 sheet when it does, otherwise the unit's own 实际支出数 of the 全年支出 row;
* 分值 come from the department template (or, without one, from the first unit in the canonical
  order below) — they are never summed; every 得分, the 总分 and the 等级 are recomputed by
  `evaluate`, never copied from a unit's cells;
* indicators are matched by their effective (一级, 二级, 三级) names with whitespace and full-width
  forms folded; the union is kept and every indicator some unit lacks is listed in `unmatched`;
* whatever cannot be combined (different units of measure, text answers that differ, a unit
  without a fund amount) is left for a person and said in `notes`, never guessed.

The department form passed as `dept` is a template: its name, year, goals, narrative, 分值,
indicator order, deductions and 下属单位 list are used, its own figures are not. The 部门本级's own
figures are consolidated by passing its form as one of the units.

Units are processed in a canonical order (their position on the department's 下属单位 sheet, then
their name), so the result does not depend on the order they are given in.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .core.decimal_math import excel_round, fmt_decimal, fmt_percent
from .core.evaluate import Evaluation, evaluate
from .core.findings import Finding, first_fatal
from .core.model import (
    BudgetRow,
    BudgetRowKind,
    Form,
    FormKind,
    Indicator,
    Narrative,
    SubUnit,
    Value,
    effective_names,
)
from .core.profiles import Profile, canonical_first_level, load_profile
from .core.targets import Actual, Comparison, Target, normalize_text
from .workbook import layout as L

__all__ = [
    "CONSOLIDATION_SHEET",
    "BudgetLineSum",
    "ConsolidatedIndicator",
    "ConsolidationError",
    "ConsolidationOutput",
    "ConsolidationResult",
    "Contribution",
    "Method",
    "UnitWeight",
    "Unmatched",
    "UnreadableFile",
    "add_consolidation_sheet",
    "consolidate",
    "consolidate_files",
]

CONSOLIDATION_SHEET = "汇总说明"
ZERO = Decimal(0)
ONE = Decimal(1)

FUND_FROM_LIST = "部门下属单位表"
FUND_FROM_ACTUAL = "本单位实际支出数"
FUND_MISSING = "缺失"


class ConsolidationError(ValueError):
    """Nothing sensible can be consolidated; the message is for the user."""


class Method(str, Enum):
    SUM = "sum"
    WEIGHTED = "weighted"
    QUALITATIVE = "qualitative"
    TEXT = "text"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "sum": "绝对值累加",
            "weighted": "相对值按资金额度加权平均",
            "qualitative": "定性完成比例按资金额度加权平均",
            "text": "文字，各单位一致，照录",
            "none": "无法汇总，需人工填写",
        }[self.value]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class UnitWeight(_Frozen):
    """One unit as it entered the consolidation."""

    name: str
    source: str
    fund: Decimal  # the weight; 0 when missing
    fund_from: str  # FUND_FROM_LIST / FUND_FROM_ACTUAL / FUND_MISSING
    share: Decimal | None  # fund ÷ Σ funds
    initial: Decimal | None  # 全年支出 row, for the reviewer
    full_year: Decimal | None
    actual: Decimal | None
    total: Decimal  # the unit's own 总分, recomputed
    grade: str


class BudgetLineSum(_Frozen):
    kind: BudgetRowKind
    label: str
    initial: Decimal | None
    full_year: Decimal | None
    actual: Decimal | None
    blank_in: tuple[str, ...] = ()  # units that left a figure of this line blank or non-numeric


class Contribution(_Frozen):
    """One unit's part in one consolidated indicator."""

    unit: str
    fund: Decimal
    share: Decimal | None  # its weight in the average (None for sums and text)
    target: str  # 年度指标值 as typed
    actual: str  # 实际完成值 as typed
    value: Decimal | None  # as understood (fraction for percents)
    measure: str  # unit of measure
    weight: Decimal | None  # the unit's own 分值
    score: Decimal | None  # the unit's 得分, recomputed
    included: bool
    note: str = ""


class ConsolidatedIndicator(_Frozen):
    row: int  # row on the consolidated 自评表
    level1: str
    level2: str
    level3: str
    method: Method
    target: str  # 年度指标值 written
    value: Decimal | None  # exact consolidated value (fraction for percents)
    measure: str
    weight: Decimal | None  # 分值 used
    weight_from: str  # "部门模板" or the unit it was taken from
    score: Decimal | None  # recomputed on the consolidated form
    weighted_unit_score: Decimal | None  # Σ(单位得分/单位分值 × 资金额度)/Σ资金额度 × 分值, for reference
    contributions: tuple[Contribution, ...]
    missing_in: tuple[str, ...]
    notes: tuple[str, ...] = ()


class Unmatched(_Frozen):
    level1: str
    level2: str
    level3: str
    present_in: tuple[str, ...]
    missing_in: tuple[str, ...]


class ConsolidationResult(_Frozen):
    form: Form
    evaluation: Evaluation
    units: tuple[UnitWeight, ...]
    budget: tuple[BudgetLineSum, ...]
    indicators: tuple[ConsolidatedIndicator, ...]
    unmatched: tuple[Unmatched, ...]
    notes: tuple[str, ...]
    funds_from_department_list: bool

    def indicator(self, level3: str) -> ConsolidatedIndicator | None:
        """The consolidated indicator of that 三级指标 name (whitespace and width folded)."""
        want = _norm(level3)
        return next((i for i in self.indicators if _norm(i.level3) == want), None)


# ---------------------------------------------------------------------------------------------
# names and kinds


def _norm(text: str) -> str:
    return normalize_text(text or "")


IndicatorKey = tuple[str, str, str, int]


def _keyed(form: Form, evaluation: Evaluation | None = None) -> list[tuple[IndicatorKey, tuple[str, str, str],
                                                                     Indicator, Decimal | None]]:
    """Each filled indicator with its matching key and recomputed score.

    A name repeated within one form gets an occurrence number, so two rows called 「满意度」 in
    one unit meet the two rows of that name in another instead of collapsing into one.
    """
    inds = form.filled_indicators
    # evaluate() scores filled_indicators in order, so position pairs them (rows may repeat
    # in forms built in code).
    scores = [r.result.score for r in evaluation.indicators] if evaluation is not None else [None] * len(inds)
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for ind, names, score in zip(inds, effective_names(inds), scores, strict=True):
        l1, l2, l3 = names
        base = (canonical_first_level(_norm(l1)) if l1 else "", _norm(l2), _norm(l3))
        out.append(((*base, seen[base]), names, ind, score))
        seen[base] += 1
    return out


_TIME_UNITS = frozenset({"天", "日", "周", "月", "年", "小时", "分钟", "岁"})
_RELATIVE_NAME_ENDINGS = ("率", "度", "比", "比例", "占比", "指数", "系数")
_RELATIVE_NAME_WORDS = ("平均", "人均", "均价", "单价", "标准", "时限", "时长", "周期")
_PER_WORDS = ("人均", "平均", "每", "/")


def _relative_name(name: str) -> bool:
    core = re.sub(r"[(（][^()（）]*[)）]$", "", _norm(name))
    return core.endswith(_RELATIVE_NAME_ENDINGS) or any(w in core for w in _RELATIVE_NAME_WORDS)


def _family_of_measure(measure: str, name: str, before: str = "", after: str = "") -> str:
    """'relative' for percents, time limits and per-head figures; 'absolute' for counts and sums."""
    if measure == "%" or measure in _TIME_UNITS:
        return "relative"
    if after.startswith(("/", "每")) or any(w in before for w in _PER_WORDS):
        return "relative"
    if not measure and _relative_name(name):
        return "relative"
    return "absolute"


@dataclass
class _Reading:
    """How one unit's indicator is understood for consolidation."""

    unit: str
    fund: Decimal
    indicator: Indicator
    names: tuple[str, str, str]
    target: Target
    actual: Actual
    family: str  # absolute / relative / qualitative / text / blank
    measure: str
    score: Decimal | None

    @property
    def value(self) -> Decimal | None:
        return self.actual.value if self.actual.is_number else None


def _read(unit: str, fund: Decimal, ind: Indicator, names, score: Decimal | None) -> _Reading:
    target, actual = ind.parsed_target(), ind.parsed_actual()
    name = names[2]
    if actual.is_blank:
        family, measure = "blank", ""
    elif not actual.is_number:
        family, measure = "text", ""
    elif target.is_qualitative:
        # A qualitative answer is a completion ratio (note 2): a fraction like any percent.
        family, measure = "qualitative", "%"
    elif target.is_quantitative and not (target.unit and actual.unit and target.unit != actual.unit):
        measure = target.unit or actual.unit
        family = _family_of_measure(measure, name, target.text_before, target.text_after)
    elif target.is_quantitative:
        # The answer contradicts the target's unit (100% against "≥4个", PE304): it is summed or
        # averaged as what it is, so the consolidated row shows the same contradiction.
        measure = actual.unit
        family = _family_of_measure(measure, name)
    else:
        # The target itself is unusable ("≤" alone): the answer decides.
        measure = actual.unit
        family = _family_of_measure(measure, name)
    return _Reading(unit, fund, ind, names, target, actual, family, measure, score)


# ---------------------------------------------------------------------------------------------
# units and their fund amounts


@dataclass
class _Unit:
    name: str
    form: Form
    evaluation: Evaluation
    fund: Decimal = ZERO
    fund_from: str = FUND_MISSING
    listed_at: int = 10**9  # position on the department's 下属单位 sheet
    keyed: list = field(default_factory=list)
    by_key: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {k: (names, ind, score) for k, names, ind, score in self.keyed}


def _file_stem(text: str) -> str:
    base = _norm(text).replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"\.(xlsx|xlsm|xls)$", "", base, flags=re.IGNORECASE)


def _listed_units(dept: Form | None) -> list[SubUnit]:
    return [u for u in (dept.units if dept is not None else ()) if not (u.name.is_blank and u.file.is_blank)]


def _match_listing(units: list[_Unit], listed: Sequence[SubUnit], notes: list[str]) -> dict[int, int]:
    """unit index → entry index on the department's 下属单位 sheet (by name, else by file name).

    A listed row is given to one unit only: its 资金额度 must not weigh twice.
    """
    out: dict[int, int] = {}
    taken: dict[int, str] = {}
    for ui, unit in enumerate(units):
        for i, entry in enumerate(listed):
            names = {_norm(entry.name.text)} - {""}
            files = {_file_stem(entry.file.text)} - {""}
            if names & {_norm(unit.name), _norm(unit.form.name.text)} or (
                files & {_file_stem(unit.form.source), _file_stem(unit.name)}
            ):
                if i in taken:
                    notes.append(f"「{unit.name}」与「{taken[i]}」都对应下属单位表第 {listed[i].row} 行，"
                                 "该行的资金额度只计入「" + taken[i] + "」。")
                    break
                out[ui] = i
                taken[i] = unit.name
                unit.listed_at = i
                break
    return out


def _assign_funds(units: list[_Unit], listed: Sequence[SubUnit], notes: list[str]) -> bool:
    """Each unit's weight: the department's listed 资金额度 when the list has any, else 实际支出数."""
    use_list = any(u.fund.number is not None for u in listed)
    for unit in units:
        own = unit.form.main_budget_row
        own_fund = own.actual.number if own is not None else None
        listed_fund = listed[unit.listed_at].fund.number if unit.listed_at < len(listed) else None
        if use_list and listed_fund is not None:
            unit.fund, unit.fund_from = listed_fund, FUND_FROM_LIST
        elif own_fund is not None:
            unit.fund, unit.fund_from = own_fund, FUND_FROM_ACTUAL
            if use_list:
                notes.append(f"「{unit.name}」不在部门下属单位表中（或未填资金额度），按其实际支出数 "
                             f"{fmt_decimal(own_fund)} 万元作为资金额度。")
        else:
            unit.fund, unit.fund_from = ZERO, FUND_MISSING
        if unit.fund < 0:
            notes.append(f"「{unit.name}」的资金额度为负数（{fmt_decimal(unit.fund)}），按 0 处理。")
            unit.fund, unit.fund_from = ZERO, FUND_MISSING
        if unit.fund == 0:
            notes.append(f"「{unit.name}」的资金额度为零或缺失：其绝对值照常累加，相对值和定性指标不参与加权平均。")
    if use_list:
        notes.insert(0, "资金额度取自部门汇总表的“下属单位”表（优先于各单位自评表的实际支出数）。")
        used = {u.listed_at for u in units}
        for i, entry in enumerate(listed):
            if i not in used:
                notes.append(f"部门下属单位表列出的「{entry.name.text or entry.file.text}」没有提供自评表"
                             "（或无法读取），未参与汇总。")
    return use_list


# ---------------------------------------------------------------------------------------------
# numbers


def _weights(readings: Sequence[_Reading]) -> tuple[list[Decimal], bool]:
    """Fund weights; equal weights when every contributing unit's fund is zero."""
    ws = [r.fund for r in readings]
    if sum(ws, ZERO) == 0:
        return [ONE] * len(readings), True
    return ws, False


def _wavg(values: Sequence[Decimal], weights: Sequence[Decimal]) -> Decimal:
    den = sum(weights, ZERO)
    return sum((v * w for v, w in zip(values, weights, strict=True)), ZERO) / den


def _show(value: Decimal, measure: str, profile: Profile) -> str:
    if measure == "%":
        return fmt_percent(excel_round(value, profile.rounding.rate))
    return fmt_decimal(excel_round(value, profile.rounding.money)) + measure


def _target_text(comp: Comparison, value: Decimal, upper: Decimal | None, measure: str,
                 profile: Profile) -> str:
    if comp is Comparison.RANGE and upper is not None:
        return f"{_show(value, measure, profile)}～{_show(upper, measure, profile)}"
    # "等于" rather than "=": a target never starts like a formula.
    word = "等于" if comp is Comparison.EQ else comp.value
    return word + _show(value, measure, profile)


def _written_value(value: Decimal, measure: str, profile: Profile) -> Value:
    if measure == "%":
        v = excel_round(value, profile.rounding.rate)
        # A bare number above 2 next to a percent target is read as percent points (targets.py),
        # so a large percentage is written as text to be read back as it is.
        if abs(v) > 2:
            return Value(raw=fmt_percent(v))
        return Value(raw=v, percent_format=True)
    return Value(raw=excel_round(value, profile.rounding.money))


def _bare(v: Value) -> Value:
    """The value without its location in some other file."""
    return Value(raw=v.raw, percent_format=v.percent_format)


# ---------------------------------------------------------------------------------------------
# one indicator


@dataclass
class _Merged:
    method: Method
    target: str
    actual: Value
    value: Decimal | None
    measure: str
    contributions: list[Contribution]
    notes: list[str]


def _merge(readings: list[_Reading], template: Indicator, template_family: str,
           profile: Profile) -> _Merged:
    notes: list[str] = []
    # A department template may leave the target to the units; then the first unit's stands in.
    template_target = template.target.text or readings[0].indicator.target.text
    with_value = [r for r in readings if r.value is not None]
    texts = [r for r in readings if r.family == "text"]
    blanks = [r for r in readings if r.family == "blank"]
    families = {r.family for r in with_value}
    measures = {r.measure for r in with_value}
    same_target_text = len({normalize_text(r.target.raw) for r in readings}) <= 1

    def contrib(r: _Reading, included: bool, share: Decimal | None = None, note: str = "") -> Contribution:
        return Contribution(unit=r.unit, fund=r.fund, share=share, target=r.indicator.target.text,
                            actual=r.indicator.actual.text, value=r.value, measure=r.measure,
                            weight=r.indicator.weight.number, score=r.score, included=included, note=note)

    def listing(rs: Sequence[_Reading], what) -> str:
        return "、".join(f"{r.unit}：{what(r)}" for r in rs)

    if not with_value:
        distinct = {normalize_text(r.actual.raw) for r in texts}
        if texts and len(distinct) == 1:
            contributions = [contrib(r, True) for r in texts] + [contrib(r, False, note="未填写完成值") for r in blanks]
            if blanks:
                notes.append(f"{listing(blanks, lambda r: '未填写')}，照录其他单位一致的文字完成值。")
            return _Merged(Method.TEXT, template_target, Value(raw=texts[0].indicator.actual.raw),
                           None, "", contributions, notes)
        if texts:
            notes.append(f"各单位的完成值为不同的文字（{listing(texts, lambda r: r.actual.raw)}），"
                         "无法汇总，请人工填写。")
        else:
            notes.append("各单位均未填写完成值。")
        return _Merged(Method.NONE, template_target, Value(), None, "",
                       [contrib(r, False) for r in readings], notes)

    # Percent values and qualitative completion ratios are both fractions and average alike.
    fractions_only = measures == {"%"} and families <= {"relative", "qualitative"}
    if len(measures) > 1 or (len(families) > 1 and not fractions_only):
        shown = listing(with_value, lambda r: r.measure or "（无单位）")
        notes.append(f"各单位的计量单位不一致（{shown}），未累加也未平均，请统一口径后人工填写。")
        return _Merged(Method.NONE, template_target, Value(), None, "",
                       [contrib(r, False, note="计量单位不一致") for r in readings], notes)

    measure = next(iter(measures))
    if families == {"absolute"}:
        method = Method.SUM
    elif families == {"qualitative"} or (len(families) > 1 and template_family == "qualitative"):
        method = Method.QUALITATIVE
    else:
        method = Method.WEIGHTED
    if families == {"relative", "qualitative"}:
        notes.append("部分单位按定性、部分单位按定量填写此指标，均按完成比例加权平均。")

    excluded = [r for r in readings if r.value is None]
    if excluded:
        notes.append(f"{listing(excluded, lambda r: '未填写' if r.family == 'blank' else '“' + r.actual.raw + '”不是数值')}"
                     "，未计入汇总。")

    if method is Method.SUM:
        value = sum((r.value for r in with_value), ZERO)  # type: ignore[misc]
        contributions = [contrib(r, True) for r in with_value]
        target = _summed_target(with_value, measure, template_target, profile, notes)
    else:
        weights, equal = _weights(with_value)
        if equal and len(with_value) > 1:
            notes.append("参与的单位资金额度均为零或缺失，按简单平均计算。")
        den = sum(weights, ZERO)
        value = _wavg([r.value for r in with_value], weights)  # type: ignore[misc]
        contributions = [contrib(r, True, share=w / den) for r, w in zip(with_value, weights, strict=True)]
        if same_target_text:
            target = template_target
        else:
            target = _averaged_target(with_value, weights, measure, method, template_target, profile, notes)
    contributions += [contrib(r, False, note="未填写完成值" if r.family == "blank" else "完成值不是数值")
                      for r in excluded]
    return _Merged(method, target, _written_value(value, measure, profile), value, measure,
                   contributions, notes)


def _summed_target(readings: Sequence[_Reading], measure: str, template_target: str, profile: Profile,
                   notes: list[str]) -> str:
    comps = {r.target.comparison for r in readings}
    usable = all(r.target.is_quantitative and (r.target.unit or measure) == measure for r in readings)
    if not usable or len(comps) != 1:
        notes.append(f"各单位的年度指标值无法累加（"
                     f"{'、'.join(f'{r.unit}：{r.target.raw}' for r in readings)}），沿用「{template_target}」。")
        return template_target
    comp = next(iter(comps))
    assert comp is not None
    total = sum((r.target.value for r in readings), ZERO)  # type: ignore[misc]
    upper = (sum(((r.target.upper if r.target.upper is not None else r.target.value) for r in readings), ZERO)
             if comp is Comparison.RANGE else None)
    return _target_text(comp, total, upper, measure, profile)


def _averaged_target(readings: Sequence[_Reading], weights: Sequence[Decimal], measure: str, method: Method,
                     template_target: str, profile: Profile, notes: list[str]) -> str:
    comps = {r.target.comparison for r in readings}
    usable = all(r.target.is_quantitative and (r.target.unit or measure) == measure for r in readings)
    listing = "、".join(f"{r.unit}：{r.target.raw}" for r in readings)
    if method is Method.QUALITATIVE or not usable or len(comps) != 1:
        notes.append(f"各单位的年度指标值不一致（{listing}），沿用「{template_target}」。")
        return template_target
    comp = next(iter(comps))
    assert comp is not None
    value = _wavg([r.target.value for r in readings], weights)  # type: ignore[misc]
    upper = (_wavg([r.target.upper if r.target.upper is not None else r.target.value for r in readings], weights)
             if comp is Comparison.RANGE else None)
    text = _target_text(comp, value, upper, measure, profile)
    notes.append(f"各单位的年度指标值不一致（{listing}），按资金额度加权为「{text}」。")
    return text


# ---------------------------------------------------------------------------------------------
# the whole form


def _order_keys(template_keys: list[IndicatorKey], units: Sequence[_Unit]) -> list[IndicatorKey]:
    """Template order first; an indicator only some unit has goes after its own 二级 (or 一级) group."""
    order = list(template_keys)
    placed = set(order)
    for unit in units:
        for key, _, _, _ in unit.keyed:
            if key in placed:
                continue
            placed.add(key)
            pos = _last_index(order, lambda k, key=key: k[:2] == key[:2])
            if pos is None:
                pos = _last_index(order, lambda k, key=key: k[0] == key[0])
            if pos is None:
                order.append(key)
            else:
                order.insert(pos + 1, key)
    return order


def _last_index(keys: list[IndicatorKey], pred) -> int | None:
    for i in range(len(keys) - 1, -1, -1):
        if pred(keys[i]):
            return i
    return None


def _budget_lines(template: Form, units: Sequence[_Unit], notes: list[str]) -> tuple[list[BudgetRow], list[BudgetLineSum]]:
    def slots(form: Form):
        seen: Counter[BudgetRowKind] = Counter()
        for row in form.budget:
            yield (row.kind, seen[row.kind]), row
            seen[row.kind] += 1

    shape: dict[tuple[BudgetRowKind, int], BudgetRow] = dict(slots(template))
    for unit in units:
        for slot, row in slots(unit.form):
            shape.setdefault(slot, row)
    rows: list[BudgetRow] = []
    sums: list[BudgetLineSum] = []
    for slot, shape_row in shape.items():
        by_unit = {u.name: dict(slots(u.form)).get(slot) for u in units}
        figures: dict[str, Decimal | None] = {}
        blank_in: list[str] = []
        for key in ("initial", "full_year", "actual"):
            numbers = []
            for unit_name, row in by_unit.items():
                v = getattr(row, key) if row is not None else Value()
                if v.number is None:
                    if not v.is_blank or any(getattr(r, key).number is not None
                                             for r in by_unit.values() if r is not None):
                        blank_in.append(unit_name)
                    continue
                numbers.append(v.number)
            figures[key] = sum(numbers, ZERO) if numbers else None
        label = shape_row.label.text or ""
        missing = sorted(set(blank_in), key=blank_in.index)
        if missing:
            notes.append(f"预算“{label}”行：{'、'.join(missing)} 有空白或非数字的金额，按 0 累加。")
        rows.append(BudgetRow(
            kind=shape_row.kind, label=_bare(shape_row.label),
            initial=Value(raw=figures["initial"]), full_year=Value(raw=figures["full_year"]),
            actual=Value(raw=figures["actual"]), weight=_bare(shape_row.weight),
        ))
        sums.append(BudgetLineSum(kind=shape_row.kind, label=label, initial=figures["initial"],
                                  full_year=figures["full_year"], actual=figures["actual"],
                                  blank_in=tuple(missing)))
    return rows, sums


def _dept_has_own_figures(dept: Form) -> bool:
    money = any(not getattr(r, k).is_blank for r in dept.budget for k in ("initial", "full_year", "actual"))
    return money or any(not i.actual.is_blank for i in dept.filled_indicators)


def _unique_names(units: Sequence[tuple[str, Form]], notes: list[str]) -> list[tuple[str, Form]]:
    """(shown name, form) in a fixed order, duplicate names numbered in that order.

    The order depends only on the units themselves, never on the order they were passed in.
    """
    raw = sorted((((name or form.name.text or form.source or "（未命名单位）").strip(), form)
                  for name, form in units),
                 key=lambda e: (_norm(e[0]), e[1].source, e[1].model_dump_json()))
    counts = Counter(_norm(n) for n, _ in raw)
    seen: Counter[str] = Counter()
    out = []
    for shown, form in raw:
        key = _norm(shown)
        if counts[key] > 1:
            seen[key] += 1
            if seen[key] == 1:
                notes.append(f"单位名称「{shown}」出现 {counts[key]} 次，依次记为「{shown}（1）」等，"
                             "请确认是否重复提供。")
            shown = f"{shown}（{seen[key]}）"
        out.append((shown, form))
    return out


def _resolve_profile(profile: Profile | str | None, dept: Form | None, forms: Sequence[Form]) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile:
        return load_profile(profile)
    name = (dept.profile_name if dept is not None else None) or next(
        (f.profile_name for f in forms if f.profile_name), None)
    return load_profile(name)


def _consolidated_name(dept: Form | None, names: Sequence[str]) -> Value:
    if dept is not None and not dept.name.is_blank:
        return _bare(dept.name)
    shown = "、".join(names[:3]) + (f"等{len(names)}个单位" if len(names) > 3 else "")
    return Value(raw=f"{shown}（汇总）")


def consolidate(dept: Form | None, units: Sequence[tuple[str, Form]],
                profile: Profile | str | None = None) -> ConsolidationResult:
    """The department's form consolidated from its units' forms; see the module docstring."""
    if not units:
        raise ConsolidationError("没有可以汇总的单位自评表。")
    notes: list[str] = []
    profile = _resolve_profile(profile, dept, [f for _, f in units])
    entries = _unique_names(units, notes)

    kinds = Counter(f.kind for _, f in entries)
    kind = dept.kind if dept is not None else max(kinds, key=lambda k: (kinds[k], k is FormKind.DEPARTMENT))
    prepared: list[_Unit] = []
    for name, form in entries:
        if form.kind is not kind:
            notes.append(f"「{name}」是{form.kind.title}，与汇总表（{kind.title}）类型不同，未参与汇总。")
            continue
        ev = evaluate(form, profile)
        prepared.append(_Unit(name=name, form=form, evaluation=ev, keyed=_keyed(form, ev)))
    if not prepared:
        raise ConsolidationError(f"没有与汇总表类型（{kind.title}）相同的单位自评表可以汇总。")

    listed = _listed_units(dept)
    _match_listing(prepared, listed, notes)
    prepared.sort(key=lambda u: u.listed_at)  # stable: name order among units not listed
    from_list = _assign_funds(prepared, listed, notes)
    fund_total = sum((u.fund for u in prepared), ZERO)

    template_form = dept if dept is not None else prepared[0].form
    if dept is not None and _dept_has_own_figures(dept):
        notes.append("部门汇总表中已填写的金额和完成值未参与汇总（汇总表只提供名称、分值和指标结构）；"
                     "如为部门本级的数据，请把部门本级的自评表也作为一个单位提供。")
    years = {u.form.year.text for u in prepared if u.form.year.text}
    if dept is not None and not dept.year.is_blank:
        year = _bare(dept.year)
    elif years:
        # the year most units give (the earliest on a tie), from the first unit that gives it
        common = sorted(Counter(u.form.year.text for u in prepared if u.form.year.text).items(),
                        key=lambda kv: (-kv[1], kv[0]))[0][0]
        year = _bare(next(u.form.year for u in prepared if u.form.year.text == common))
    else:
        year = Value()
    if len(years) > 1:
        notes.append(f"各单位的年度不一致（{'、'.join(sorted(years))}），汇总表按 {year.text or '（空）'} 年。")

    budget_rows, budget_sums = _budget_lines(template_form, prepared, notes)

    dept_keyed = _keyed(dept) if dept is not None else []
    order = _order_keys([k for k, _, _, _ in dept_keyed], prepared)
    dept_by_key = {k: (names_, ind) for k, names_, ind, _ in dept_keyed}
    lay = L.layout_for(kind)

    built: list[tuple[IndicatorKey, tuple[str, str, str], Indicator, Value, _Merged, list[_Reading], str]] = []
    unmatched: list[Unmatched] = []
    for key in order:
        readings: list[_Reading] = []
        for u in prepared:
            hit = u.by_key.get(key)
            if hit is not None:
                readings.append(_read(u.name, u.fund, hit[1], hit[0], hit[2]))
        missing = _missing(prepared, readings)
        if key in dept_by_key:
            names3, template, weight_from = dept_by_key[key][0], dept_by_key[key][1], "部门模板"
        else:
            names3, template, weight_from = readings[0].names, readings[0].indicator, readings[0].unit
        if missing:
            unmatched.append(Unmatched(level1=names3[0], level2=names3[1], level3=names3[2],
                                       present_in=tuple(r.unit for r in readings), missing_in=missing))
        if readings:
            t_family = _read("", ZERO, template, names3, None).family
            if template.actual.is_blank:  # a department template with no answer: judge by the target
                t_family = "qualitative" if template.parsed_target().is_qualitative else "relative"
            merged = _merge(readings, template, t_family, profile)
        else:
            merged = _Merged(Method.NONE, template.target.text, Value(), None, "", [],
                             ["部门模板有此指标，但没有任何单位填写，请人工填写完成值。"])
        if key in dept_by_key and not template.target.is_blank:
            # The department's declared target is its own; the units' figures are only compared.
            if merged.method in (Method.SUM, Method.WEIGHTED) and \
                    normalize_text(merged.target) != normalize_text(template.target.text):
                merged.notes.append(f"部门模板的年度指标值为「{template.target.text}」，"
                                    f"各单位汇总为「{merged.target}」，采用部门模板的指标值。")
            merged.target = template.target.text
        weight = template.weight
        if weight.is_blank and readings:  # the department left 分值 open: the first unit's
            weight, weight_from = readings[0].indicator.weight, readings[0].unit
        weights = {r.indicator.weight.number for r in readings}
        if weight.number is not None:
            weights.add(weight.number)
        if len(weights) > 1:
            shown = "、".join(f"{r.unit}：{r.indicator.weight.text or '（空）'}" for r in readings)
            merged.notes.append(f"各单位的分值不一致（{shown}），采用{weight_from}的分值 "
                                f"{weight.text or '（空）'}（分值不累加）。")
        built.append((key, names3, template, weight, merged, readings, weight_from))

    indicators: list[Indicator] = []
    prev = ("", "")
    for i, (key, names3, template, weight, merged, readings, _) in enumerate(built):
        l1, l2, l3 = names3
        show_l1 = l1 if key[0] != prev[0] else ""
        show_l2 = l2 if (key[0], key[1]) != prev else ""
        prev = (key[0], key[1])
        reasons = [f"{r.unit}：{r.indicator.reason.text}" for r in readings if r.indicator.reason.text]
        reason = template.reason.text if key in dept_by_key and template.reason.text else "；".join(reasons)
        indicators.append(Indicator(
            row=lay.indicator_first_row + i,
            level1=Value(raw=show_l1 or None), level2=Value(raw=show_l2 or None), level3=Value(raw=l3 or None),
            target=Value(raw=merged.target or None), actual=merged.actual, weight=_bare(weight),
            reason=Value(raw=reason or None), kind=_bare(template.kind), direction=_bare(template.direction),
        ))

    unit_list = tuple(
        SubUnit(row=L.UNITS.first_row + i, name=Value(raw=u.name), fund=Value(raw=u.fund),
                file=Value(raw=u.form.source or None))
        for i, u in enumerate(prepared)
    )
    if len(prepared) > L.UNITS.count:
        notes.append(f"参与汇总的单位有 {len(prepared)} 个，“下属单位”表只能列出前 {L.UNITS.count} 个；"
                     f"完整清单见“{CONSOLIDATION_SHEET}”表。")
    unit_deductions = [(u, d) for u in prepared for d in u.form.deductions if d.points.number]
    if unit_deductions:
        listed = "、".join(f"{u.name}（{d.source.text or '扣分'} {d.points.text} 分）" for u, d in unit_deductions)
        notes.append(f"下属单位的扣分事项未自动计入汇总表（扣分由部门酌情确定）：{listed}。")

    source = f"{len(prepared)}个单位汇总"
    form = Form(
        kind=kind,
        source=source,
        year=year,
        name=_consolidated_name(dept, [u.name for u in prepared]),
        competent_dept=_bare(dept.competent_dept) if dept is not None else Value(),
        implementer=_bare(dept.implementer) if dept is not None else Value(),
        budget=tuple(budget_rows),
        goals_expected=_bare(dept.goals_expected) if dept is not None else Value(),
        goals_actual=_bare(dept.goals_actual) if dept is not None else Value(),
        indicators=tuple(indicators),
        deductions=tuple(d.model_copy(update={k: _bare(getattr(d, k)) for k in
                                              ("source", "description", "amount", "points")})
                         for d in (dept.deductions if dept is not None else ())),
        total_note=_bare(dept.total_note) if dept is not None else Value(),
        other_notes=_bare(dept.other_notes) if dept is not None else Value(),
        narrative=dept.narrative.model_copy(update={"sections": {k: _bare(v) for k, v in
                                                                 dept.narrative.sections.items()}})
        if dept is not None else Narrative(),
        units=unit_list,
        profile_name=profile.name,
    )
    evaluation = evaluate(form, profile)

    results: list[ConsolidatedIndicator] = []
    for ind, (key, names3, template, weight, merged, readings, weight_from) in zip(indicators, built, strict=True):
        res = evaluation.result_for(ind.row)
        results.append(ConsolidatedIndicator(
            row=ind.row, level1=names3[0], level2=names3[1], level3=names3[2], method=merged.method,
            target=merged.target, value=merged.value, measure=merged.measure, weight=weight.number,
            weight_from=weight_from, score=res.score if res else None,
            weighted_unit_score=_weighted_unit_score(readings, weight.number),
            contributions=tuple(merged.contributions),
            missing_in=_missing(prepared, readings),
            notes=tuple(merged.notes),
        ))
        notes.extend(f"「{names3[2] or names3[1] or names3[0]}」：{n}" for n in merged.notes)

    total_row = [u.form.main_budget_row for u in prepared]
    unit_weights = tuple(
        UnitWeight(
            name=u.name, source=u.form.source, fund=u.fund, fund_from=u.fund_from,
            share=(u.fund / fund_total) if fund_total else None,
            initial=row.initial.number if row else None, full_year=row.full_year.number if row else None,
            actual=row.actual.number if row else None, total=u.evaluation.total, grade=u.evaluation.grade,
        )
        for u, row in zip(prepared, total_row, strict=True)
    )
    return ConsolidationResult(
        form=form, evaluation=evaluation, units=unit_weights, budget=tuple(budget_sums),
        indicators=tuple(results), unmatched=tuple(unmatched), notes=tuple(notes),
        funds_from_department_list=from_list,
    )


def _missing(units: Sequence[_Unit], readings: Sequence[_Reading]) -> tuple[str, ...]:
    present = {r.unit for r in readings}
    return tuple(u.name for u in units if u.name not in present)


def _weighted_unit_score(readings: Sequence[_Reading], weight: Decimal | None) -> Decimal | None:
    """The fund-weighted average of the units' own scores, rescaled to the 分值 used (for reference)."""
    scored = [r for r in readings if r.score is not None and r.indicator.weight.number]
    if weight is None or not scored:
        return None
    ws, _ = _weights(scored)
    ratios = [r.score / r.indicator.weight.number for r in scored]  # type: ignore[operator]
    return excel_round(_wavg(ratios, ws) * weight, 2)


# ---------------------------------------------------------------------------------------------
# file layer


class UnreadableFile(_Frozen):
    file: str
    code: str
    message: str


class ConsolidationOutput(_Frozen):
    path: Path
    result: ConsolidationResult
    unreadable: tuple[UnreadableFile, ...]
    problems: tuple[Finding, ...]  # non-fatal reading problems of the inputs that were used

    def summary_text(self) -> str:
        """A few lines for the terminal; the workbook's 汇总说明 sheet has the details."""
        res = self.result
        ev = res.evaluation
        lines = [
            f"已生成：{self.path}",
            (f"汇总单位 {len(res.units)} 个；总分 {fmt_decimal(ev.total)}，等级 {ev.grade}，"
             f"执行率 {fmt_percent(ev.execution_rate)}。"),
            "资金额度取自部门下属单位表。" if res.funds_from_department_list
            else "资金额度取自各单位的实际支出数。",
        ]
        for u in self.unreadable:
            lines.append(f"无法读取，未汇总：{Path(u.file).name}（{u.code} {u.message}）")
        if res.unmatched:
            lines.append(f"有 {len(res.unmatched)} 个指标并非所有单位都有，详见“{CONSOLIDATION_SHEET}”表。")
        if res.notes:
            lines.append(f"需要注意的情况 {len(res.notes)} 条，详见“{CONSOLIDATION_SHEET}”表。")
        return "\n".join(lines)


def _expand(paths: Sequence[str | os.PathLike[str]], exclude: Sequence[Path]) -> list[Path]:
    """Unit files: named files as given; directories searched, minus the template, the output
    and earlier consolidation results lying in the same folder (they would count units twice).
    A consolidated workbook named explicitly is a unit like any other (a higher-level
    consolidation of departments)."""
    from .batch import expand_paths

    out = []
    for raw in paths:
        found = expand_paths([raw], exclude=exclude)
        if Path(raw).is_dir():
            found = [p for p in found if not is_consolidation_output(p)]
        out.extend(p for p in found if p not in out)
    return out


def is_consolidation_output(path: Path) -> bool:
    """A workbook this module wrote (it carries the 汇总说明 sheet)."""
    from .workbook.package_reader import PackageBook, PackageUnreadable

    try:
        return CONSOLIDATION_SHEET in PackageBook(Path(path).read_bytes()).sheetnames
    except (OSError, PackageUnreadable, ValueError):
        return False

def consolidate_files(dept_path: str | os.PathLike[str] | None,
                      unit_paths: Sequence[str | os.PathLike[str]],
                      out_path: str | os.PathLike[str], *, force: bool = False,
                      profile: Profile | str | None = None) -> ConsolidationOutput:
    """Read the forms, consolidate, and write the department's workbook (with 汇总说明) atomically.

    An unreadable unit is reported with its Chinese message and the rest are consolidated; an
    unreadable department template stops the run (the user asked for that template).
    Directories among `unit_paths` are searched for .xlsx/.xlsm; the department file and the
    output are never taken as units.
    """
    from .outputs import write_atomic
    from .workbook.reader import read_form
    from .workbook.template import TemplateOverflow, build_workbook

    out = Path(out_path)
    dept: Form | None = None
    problems: list[Finding] = []
    if dept_path is not None:
        dept, dept_problems = read_form(dept_path)
        bad = first_fatal(dept_problems)
        if bad is not None:
            raise ConsolidationError(f"部门汇总表「{Path(dept_path).name}」无法使用：{bad.code} {bad.message}")
        problems += dept_problems
    excluded = [out] + ([Path(dept_path)] if dept_path is not None else [])
    files = _expand(unit_paths, excluded)

    units: list[tuple[str, Form]] = []
    unreadable: list[UnreadableFile] = []
    for path in files:
        form, unit_problems = read_form(path)
        bad = first_fatal(unit_problems)
        if bad is not None:
            unreadable.append(UnreadableFile(file=str(path), code=bad.code, message=bad.message))
            continue
        problems += unit_problems
        units.append((form.name.text or path.stem, form))
    if not units:
        detail = "；".join(f"{Path(u.file).name}：{u.code} {u.message}" for u in unreadable)
        raise ConsolidationError("没有可以汇总的单位自评表" + (f"（{detail}）" if detail else "。"))

    prof = _resolve_profile(profile, dept, [f for _, f in units])
    result = consolidate(dept, units, prof)
    if unreadable:
        extra = tuple(f"「{Path(u.file).name}」无法读取（{u.code} {u.message}），未参与汇总。" for u in unreadable)
        result = result.model_copy(update={"notes": extra + result.notes})
    try:
        data = build_workbook(result.form, prof, keep_stated=False)
    except TemplateOverflow as exc:
        raise ConsolidationError(f"汇总后的表格超出模板容量：{exc}") from None
    data = add_consolidation_sheet(data, result, unreadable, profile=prof)
    inputs = ([dept_path] if dept_path is not None else []) + list(unit_paths) + list(files)
    written = write_atomic(out, data, force=force, inputs=inputs)
    return ConsolidationOutput(path=written, result=result, unreadable=tuple(unreadable), problems=tuple(problems))


def add_consolidation_sheet(data: bytes, result: ConsolidationResult,
                            unreadable: Sequence[UnreadableFile] = (), *,
                            profile: Profile | None = None) -> bytes:
    """The built workbook plus a 汇总说明 sheet, with the 自评表's cached results kept.

    openpyxl drops every formula's cached value when it saves, so a viewer without the add-in
    would see empty scores; the values read from the built package are injected back.
    """
    from openpyxl import load_workbook

    from .outputs import set_calc_properties, set_text_cell
    from .workbook.package_xml import pin_modified_time, restore_cached_values

    wb = load_workbook(io.BytesIO(data))
    set_calc_properties(wb)  # openpyxl reads a missing fullCalcOnLoad as "on"
    index = wb.sheetnames.index(L.SHEET_CONFIG) if L.SHEET_CONFIG in wb.sheetnames else len(wb.sheetnames)
    ws = wb.create_sheet(CONSOLIDATION_SHEET, index)
    _write_explanation(ws, result, unreadable, profile or _resolve_profile(None, result.form, ()), set_text_cell)
    buf = io.BytesIO()
    wb.save(buf)
    return pin_modified_time(restore_cached_values(buf.getvalue(), data))


def _write_explanation(ws, result: ConsolidationResult, unreadable: Sequence[UnreadableFile], profile: Profile,
                       set_text) -> None:
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill

    # Named styles: openpyxl hashes every style object on each assignment, which for tens of
    # thousands of cells (50 units × 60 indicators × 19 columns) took seconds; a named style is
    # copied as one small tuple.
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    plain, bold = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
    styles = {
        "text": NamedStyle("perfeval-汇总-文字", font=plain, alignment=wrap),
        "number": NamedStyle("perfeval-汇总-数字", font=plain, alignment=top),
        "#,##0.00": NamedStyle("perfeval-汇总-金额", font=plain, alignment=top, number_format="#,##0.00"),
        "0.00%": NamedStyle("perfeval-汇总-比例", font=plain, alignment=top, number_format="0.00%"),
        "0.00": NamedStyle("perfeval-汇总-分数", font=plain, alignment=top, number_format="0.00"),
        "header": NamedStyle("perfeval-汇总-表头", font=bold, alignment=wrap,
                             fill=PatternFill("solid", fgColor="F2F2F2")),
        "heading": NamedStyle("perfeval-汇总-标题", font=Font(name="黑体", bold=True, size=12), alignment=top),
        "title": NamedStyle("perfeval-汇总-大标题", font=Font(name="黑体", bold=True, size=14), alignment=top),
    }
    wb = ws.parent
    for style in styles.values():
        if style.name not in wb.named_styles:
            wb.add_named_style(style)
    row = 1

    def put(r: int, c: int, value: object, *, fmt: str | None = None, style: str | None = None) -> None:
        cell = ws.cell(row=r, column=c)
        if value is None:
            return
        if isinstance(value, str):
            set_text(cell, value)
        elif isinstance(value, Decimal):
            cell.value = float(value)
        else:
            cell.value = value
        quote = getattr(cell, "quotePrefix", False)
        cell.style = styles[style or fmt or ("text" if isinstance(value, str) else "number")].name
        if quote:  # the style reset Excel's "typed as text" flag set_text_cell put there
            cell.quotePrefix = True

    def heading(text: str) -> None:
        nonlocal row
        row += 1
        put(row, 1, text, style="heading")
        row += 1

    def header(labels: Sequence[str]) -> None:
        nonlocal row
        for i, text in enumerate(labels, 1):
            put(row, i, text, style="header")
        row += 1

    put(row, 1, f"{result.form.display_name} 汇总说明", style="title")
    row += 1
    put(row, 1, "按《部门（单位）整体支出绩效自评表》注2汇总：绝对值直接累加；相对值和定性完成比例以资金额度为权重"
                "加权平均；分值沿用部门模板，不累加；得分、总分和等级按汇总后的数值重新计算。"
                + ("资金额度取自部门汇总表的“下属单位”表。" if result.funds_from_department_list
                   else "资金额度为各单位自评表“全年支出”行的实际支出数。"))
    ev = result.evaluation
    row += 1
    put(row, 1, f"汇总后总分 {fmt_decimal(ev.total)}，等级 {ev.grade}；执行率 {fmt_percent(ev.execution_rate)}。")
    row += 1

    heading("一、参与汇总的单位")
    header(["序号", "单位名称", "文件", "资金额度（万元）", "资金额度来源", "权重", "年初预算数（万元）",
            "全年预算数（万元）", "实际支出数（万元）", "单位总分（重算）", "单位等级"])
    for i, u in enumerate(result.units, 1):
        for col, (v, fmt) in enumerate(((i, None), (u.name, None), (u.source, None), (u.fund, "#,##0.00"),
                                        (u.fund_from, None), (u.share, "0.00%"), (u.initial, "#,##0.00"),
                                        (u.full_year, "#,##0.00"), (u.actual, "#,##0.00"), (u.total, "0.00"),
                                        (u.grade, None)), 1):
            put(row, col, v, fmt=fmt)
        row += 1

    heading("二、无法读取、未参与汇总的文件")
    if unreadable:
        header(["文件", "代码", "原因"])
        for u in unreadable:
            put(row, 1, u.file)
            put(row, 2, u.code)
            put(row, 3, u.message)
            row += 1
    else:
        put(row, 1, "无")
        row += 1

    heading("三、预算汇总（各单位金额直接累加）")
    header(["行", "年初预算数（万元）", "全年预算数（万元）", "实际支出数（万元）", "空白或非数字的单位"])
    for b in result.budget:
        for col, (v, fmt) in enumerate(((b.label, None), (b.initial, "#,##0.00"), (b.full_year, "#,##0.00"),
                                        (b.actual, "#,##0.00"), ("、".join(b.blank_in) or None, None)), 1):
            put(row, col, v, fmt=fmt)
        row += 1

    heading("四、指标汇总明细（每行一个单位的贡献）")
    header(["自评表行", "一级指标", "二级指标", "三级指标", "汇总方法", "汇总后指标值", "汇总后完成值", "分值",
            "得分（重算）", "各单位得分加权（参考）", "单位", "资金额度（万元）", "权重", "单位指标值",
            "单位完成值", "单位分值", "单位得分（重算）", "是否计入", "说明"])
    for ind in result.indicators:
        value = _show(ind.value, ind.measure, profile) if ind.value is not None else None
        lines = ind.contributions or (None,)
        for k, c in enumerate(lines):
            first = (ind.row, ind.level1, ind.level2, ind.level3, ind.method.label, ind.target, value,
                     ind.weight, ind.score, ind.weighted_unit_score)
            for col, v in enumerate(first, 1):
                put(row, col, v, fmt="0.00" if col in (8, 9, 10) else None)
            if c is not None:
                for col, (v, fmt) in enumerate(((c.unit, None), (c.fund, "#,##0.00"), (c.share, "0.00%"),
                                                (c.target, None), (c.actual, None), (c.weight, "0.00"),
                                                (c.score, "0.00"), ("是" if c.included else "否", None),
                                                (c.note or None, None)), 11):
                    put(row, col, v, fmt=fmt)
            if k == 0 and (ind.notes or ind.missing_in):
                extra = list(ind.notes) + ([f"缺少此指标的单位：{'、'.join(ind.missing_in)}"] if ind.missing_in else [])
                note_cell = ws.cell(row=row, column=19)
                put(row, 19, "；".join(([note_cell.value] if note_cell.value else []) + extra))
            row += 1

    heading("五、各单位指标不一致（未匹配）的指标")
    if result.unmatched:
        header(["一级指标", "二级指标", "三级指标", "填写了此指标的单位", "缺少此指标的单位"])
        for u in result.unmatched:
            for col, v in enumerate((u.level1, u.level2, u.level3, "、".join(u.present_in) or "（无）",
                                     "、".join(u.missing_in)), 1):
                put(row, col, v)
            row += 1
    else:
        put(row, 1, "无：各单位的指标一致。")
        row += 1

    heading("六、需要注意的情况")
    for i, n in enumerate(result.notes or ("无",), 1):
        put(row, 1, i if result.notes else None)
        put(row, 2, n)
        row += 1

    for col, width in enumerate((8, 22, 22, 26, 22, 16, 16, 8, 10, 12, 22, 12, 9, 18, 12, 8, 10, 8, 50), 1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    ws.sheet_view.zoomScale = 90
