"""Recompute a whole form from its inputs: the figures the clerk should have typed.

The checker compares these with what the form states; the report prints these, never the
stated ones; the template's UDFs compute the same numbers cell by cell.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from .decimal_math import excel_round
from .model import BudgetRow, Form, Indicator, effective_names
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

    def result_for(self, row: int) -> ScoreResult | None:
        return next((r.result for r in self.indicators if r.indicator.row == row), None)


def _rate(actual: Decimal | None, base: Decimal | None, digits: int) -> Decimal | None:
    if actual is None or base is None or base == 0:
        return None
    return excel_round(actual / base, digits)


def budget_results(form: Form, profile: Profile) -> tuple[BudgetResult, ...]:
    digits = profile.rounding.rate
    out = []
    for row in form.budget:
        a, f, i = row.actual.number, row.full_year.number, row.initial.number
        out.append(
            BudgetResult(
                row=row,
                rate=execution_rate(a, f, i, profile),
                rate_on_initial=_rate(a, i, digits),
            )
        )
    return tuple(out)


def evaluate(form: Form, profile: Profile) -> Evaluation:
    budget = budget_results(form, profile)
    main = next((b for b in budget if b.row is form.main_budget_row), None)
    rate = main.rate if main else None
    exec_weight = (main.row.weight.number if main and main.row.weight.number is not None
                   else profile.execution.weight)
    exec_score = execution_score(rate, profile, exec_weight)

    results = []
    levels: dict[str, dict] = {}
    filled = form.filled_indicators
    for ind, (current_l1, _, _) in zip(filled, effective_names(filled), strict=True):
        res = indicator_score(ind.parsed_target(), ind.parsed_actual(), ind.weight.number, profile)
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
    total = total_score([exec_score, ind_score], [deductions], profile, rate)
    return Evaluation(
        profile_name=profile.name,
        execution_base=profile.execution.base,
        expected_total=profile.total,
        budget=budget,
        main=main,
        execution_rate=rate,
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
    )
