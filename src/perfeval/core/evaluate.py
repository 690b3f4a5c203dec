"""Recompute a whole form from its inputs: the figures the clerk should have typed.

The checker compares these with what the form states; the report prints these, never the
stated ones; the template's UDFs compute the same numbers cell by cell.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from .decimal_math import excel_round
from .model import BudgetRow, BudgetRowKind, Form, Indicator, effective_names
from .profiles import Profile, canonical_first_level
from .scoring import (
    ScoreResult,
    execution_rate,
    execution_score,
    grade,
    indicator_score,
    total_score,
)

__all__ = ["BudgetResult", "IndicatorResult", "LevelSummary", "Evaluation", "evaluate"]

ZERO = Decimal(0)


class BudgetResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    row: BudgetRow
    rate: Decimal | None  # on the profile's base
    rate_on_initial: Decimal | None  # 实际 ÷ 年初, to recognise the common mistake


class IndicatorResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    indicator: Indicator
    result: ScoreResult
    level_key: str  # canonical 一级指标 this row counts toward (names carried down)


class LevelSummary(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str  # canonical name, the same as IndicatorResult.level_key
    name: str
    expected_weight: Decimal | None  # from the profile
    weight: Decimal  # Σ 分值 typed
    score: Decimal  # Σ recomputed 得分
    stated_score: Decimal  # Σ 得分 typed
    count: int


class Evaluation(BaseModel):
    model_config = ConfigDict(frozen=True)
    profile_name: str
    execution_base: str  # "full_year" (全年预算数) or "initial" (年初预算数)
    expected_total: Decimal  # the profile's full marks, normally 100
    budget: tuple[BudgetResult, ...]
    main: BudgetResult | None  # the budget row the execution score is computed on
    execution_rate: Decimal | None
    execution_from_parts: bool = False  # the total row was empty or 0: the rate is on its sub-rows
    execution_weight: Decimal
    execution_score: Decimal
    indicators: tuple[IndicatorResult, ...]
    levels: tuple[LevelSummary, ...]
    indicator_weight: Decimal
    indicator_score: Decimal
    deductions: Decimal
    total_weight: Decimal
    total: Decimal
    grade: str
    unscored: int = 0  # indicators the rules cannot score: the total is provisional while > 0
    unscored_weight: Decimal = Decimal(0)  # the 分值 those rows carry

    @property
    def provisional(self) -> bool:
        return self.unscored > 0

    def result_for(self, row: int) -> ScoreResult | None:
        return next((r.result for r in self.indicators if r.indicator.row == row), None)


def _rate(actual: Decimal | None, base: Decimal | None, digits: int) -> Decimal | None:
    if actual is None or base is None or base == 0:
        return None
    return excel_round(actual / base, digits)


def budget_results(form: Form, profile: Profile) -> tuple[BudgetResult, ...]:
    digits = profile.rounding.rate
    out = []
    unit = form.money_unit
    # A form without any 全年预算数 (some templates have only 年初预算数(A) | 全年执行数(B)) is
    # measured on the budget it gives.
    only_initial = all(r.full_year.money(unit) is None for r in form.budget)
    for row in form.budget:
        a, f, i = row.actual.money(unit), row.full_year.money(unit), row.initial.money(unit)
        if only_initial:
            f = i
        out.append(
            BudgetResult(
                row=row,
                rate=execution_rate(a, f, i, profile),
                rate_on_initial=_rate(a, i, digits),
            )
        )
    return tuple(out)


def _is_empty_total(row: BudgetRow, unit: str) -> bool:
    return all(v.money(unit) in (None, ZERO) for v in (row.initial, row.full_year, row.actual))


def parts_of_total(form: Form) -> tuple[BudgetRow, ...]:
    """The rows beneath the total that add up to it: the fund sources (项目表) or 基本/项目支出."""
    total = form.main_budget_row
    rows = [r for r in form.budget if r is not total]
    sources = [r for r in rows if r.kind is BudgetRowKind.SOURCE]
    return tuple(sources or [r for r in rows if r.kind in (BudgetRowKind.BASIC, BudgetRowKind.PROJECT)])


def _sum(values) -> Decimal | None:
    nums = [v for v in values if v is not None]
    return sum(nums, ZERO) if nums else None


def _execution_from_parts(form: Form, profile: Profile) -> Decimal | None:
    """执行率 on the sub-rows when the total row is empty or 0 but they hold the figures
    (a published form: 年度资金总额 0/0/0 over 本年财政拨款 90/89.974/89.974)."""
    parts = parts_of_total(form)
    if not parts:
        return None
    u = form.money_unit
    return execution_rate(_sum(p.actual.money(u) for p in parts), _sum(p.full_year.money(u) for p in parts),
                          _sum(p.initial.money(u) for p in parts), profile)


def evaluate(form: Form, profile: Profile) -> Evaluation:
    budget = budget_results(form, profile)
    main = next((b for b in budget if b.row is form.main_budget_row), None)
    rate = main.rate if main else None
    from_parts = False
    if main is not None and _is_empty_total(main.row, form.money_unit):
        rate = _execution_from_parts(form, profile)
        from_parts = rate is not None
    exec_weight = (main.row.weight.number if main and main.row.weight.number is not None
                   else profile.execution.weight)
    exec_score = execution_score(rate, profile, exec_weight)

    results = []
    levels: dict[str, dict] = {}
    filled = form.filled_indicators
    for ind, (current_l1, _, _) in zip(filled, effective_names(filled), strict=True):
        res = indicator_score(ind.parsed_target(), ind.parsed_actual(), ind.weight.number, profile,
                              stated=ind.score.number)
        key = canonical_first_level(current_l1) if current_l1 else "（未填一级指标）"
        results.append(IndicatorResult(indicator=ind, result=res, level_key=key))
        lv = levels.setdefault(key, {"name": current_l1 or key, "weight": ZERO, "score": ZERO,
                                      "stated": ZERO, "count": 0})
        lv["weight"] += ind.weight.number or ZERO
        lv["score"] += res.score or ZERO
        lv["stated"] += ind.score.number or ZERO
        lv["count"] += 1
    level_summaries = tuple(
        LevelSummary(key=k, name=v["name"], expected_weight=profile.first_level_weight(v["name"]),
                     weight=v["weight"], score=v["score"], stated_score=v["stated"], count=v["count"])
        for k, v in levels.items()
    )
    ind_weight = sum((lv.weight for lv in level_summaries), ZERO)
    ind_score = sum((lv.score for lv in level_summaries), ZERO)
    deductions = sum((d.points.number or ZERO for d in form.deductions), ZERO)
    unscored = [r for r in results if r.result.score is None]
    total = total_score([exec_score, ind_score], [deductions], profile, rate)
    return Evaluation(
        profile_name=profile.name,
        execution_base=profile.execution.base,
        expected_total=profile.total,
        budget=budget,
        main=main,
        execution_rate=rate,
        execution_from_parts=from_parts,
        execution_weight=exec_weight,
        execution_score=exec_score,
        indicators=tuple(results),
        levels=level_summaries,
        indicator_weight=ind_weight,
        indicator_score=excel_round(ind_score, profile.rounding.score),
        deductions=deductions,
        total_weight=exec_weight + ind_weight,
        total=total,
        grade=grade(total, profile),
        unscored=len(unscored),
        unscored_weight=sum((r.indicator.weight.number or ZERO for r in unscored), ZERO),
    )
