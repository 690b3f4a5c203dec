"""Scoring rules as pure functions: Decimal in, Decimal out, every number from the profile.

The rules are those of the seed's notes and 财预〔2020〕10号 (see shared/domain-rules.md):
met → full 分值; positive indicator missed → 完成值/指标值 × 分值; reverse indicator missed →
指标值/完成值 × 分值; qualitative → 完成比例 × 分值 within three bands; never above 分值 nor below 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from .decimal_math import clamp, excel_round, fmt_decimal, fmt_percent
from .profiles import Band, Profile
from .targets import MESSAGES, Actual, Comparison, Judgement, ParseError, Target, date_on_or_before, same_unit

__all__ = [
    "ScoreResult",
    "execution_rate",
    "execution_score",
    "indicator_score",
    "band_for",
    "band_index",
    "band_score",
    "cap",
    "weighted_average",
    "total_score",
    "grade",
]

ZERO = Decimal(0)
ONE = Decimal(1)


class ScoreResult(BaseModel):
    """What an indicator earns, and why, in words a clerk can check."""

    model_config = ConfigDict(frozen=True)

    score: Decimal | None = None
    weight: Decimal | None = None
    met: bool | None = None
    completion: Decimal | None = None  # the ratio used: 完成值/指标值, or the qualitative 完成比例
    band: str | None = None
    qualitative: bool = False
    over_achievement: Decimal | None = None  # how far beyond the target (0.35 = 35% beyond)
    error: ParseError | None = None
    explanation: str = ""


def execution_rate(actual: Decimal | None, full_year: Decimal | None, initial: Decimal | None,
                   profile: Profile) -> Decimal | None:
    """执行率 = 实际支出数 ÷ 预算数, on the base the profile names, rounded as the profile says."""
    base = full_year if profile.execution.base == "full_year" else initial
    if actual is None or base is None or base == 0:
        return None
    return excel_round(actual / base, profile.rounding.rate)


def execution_score(rate: Decimal | None, profile: Profile, weight: Decimal | None = None) -> Decimal:
    """The 预算执行率 score: proportional and capped, or stepped (江西)."""
    w = profile.execution.weight if weight is None else weight
    if rate is None or rate <= 0:
        return ZERO
    if profile.execution.method == "steps":
        for step in profile.execution.steps:
            if rate >= step.min_rate:
                # A step table is written for the profile's own weight; scale when 分值 differs.
                scaled = step.score * w / profile.execution.weight
                return excel_round(clamp(scaled, ZERO, w), profile.rounding.score)
        return ZERO
    return excel_round(clamp(rate, ZERO, ONE) * w, profile.rounding.score)


def band_index(completion: Decimal, bands: Sequence[Band]) -> int:
    for i, band in enumerate(bands):
        if completion > band.lower or (band.lower_inclusive and completion == band.lower):
            return i
    return len(bands) - 1


def band_for(completion: Decimal, profile: Profile) -> Band:
    return profile.bands[band_index(completion, profile.bands)]


def band_score(completion: Decimal, weight: Decimal, profile: Profile) -> Decimal:
    """Qualitative score: the completion ratio of the weight, kept inside its band's scores.

    79.99% of 15 points is 11.9985, which rounds to 12.00 — the lowest score of the band above;
    the band's own scores end one rounding step below its upper edge.
    """
    raw = excel_round(clamp(completion, ZERO, ONE) * weight, profile.rounding.score)
    lo, hi = band_range(band_for(completion, profile), weight, profile)
    return clamp(raw, lo, hi)


def band_range(band: Band, weight: Decimal, profile: Profile) -> tuple[Decimal, Decimal]:
    """The scores a band allows, inclusive, at the profile's precision: for 80–60%（含60）of
    5 points, 3 to 3.99 (4 belongs to the band above, which includes its 80%)."""
    digits = profile.rounding.score
    i = profile.bands.index(band)
    top = excel_round(weight, digits)
    lo = excel_round(band.lower * weight, digits)
    if not band.lower_inclusive:
        lo += Decimal(1).scaleb(-digits)
    lo = min(lo, top)  # a tiny weight: one step above the edge would be more than the 分值
    if i == 0:
        return lo, top
    above = profile.bands[i - 1]
    hi = excel_round(above.lower * weight, digits)
    if above.lower_inclusive:
        hi -= Decimal(1).scaleb(-digits)
    return lo, max(hi, lo)  # a tiny weight can leave a band a single score


def cap(score: Decimal, weight: Decimal) -> Decimal:
    """A score can be neither negative nor above its 分值."""
    return clamp(score, ZERO, max(weight, ZERO))


def weighted_average(values: Iterable[Decimal], weights: Iterable[Decimal]) -> Decimal | None:
    """Σ v·w / Σ w — the seed's rule for rates and qualitative scores across units."""
    pairs = list(zip(values, weights, strict=True))
    den = sum((w for _, w in pairs), ZERO)
    if den == 0:
        return None
    return sum((v * w for v, w in pairs), ZERO) / den


def total_score(parts: Iterable[Decimal], deductions: Iterable[Decimal], profile: Profile,
                execution_rate_value: Decimal | None = None) -> Decimal:
    """Σ scores − Σ deductions, never below 0, then the profile's caps by execution rate."""
    total = sum(parts, ZERO) - sum(deductions, ZERO)
    total = max(total, ZERO)
    if execution_rate_value is not None:
        for rule in sorted(profile.total_caps, key=lambda c: c.below_rate):
            if execution_rate_value < rule.below_rate:
                total = min(total, rule.max_total)
                break
    return excel_round(total, profile.rounding.score)


def grade(total: Decimal, profile: Profile) -> str:
    for g in profile.grades:
        if total >= g.min_total:
            return g.name
    return profile.grades[-1].name


def _show(value: Decimal, unit: str) -> str:
    return fmt_percent(value) if unit == "%" else fmt_decimal(value) + unit


def _band_of(judgement: Judgement, profile: Profile) -> Band:
    return profile.bands[judgement.band]


def judged_score(judgement: Judgement, weight: Decimal, profile: Profile,
                 stated: Decimal | None = None) -> ScoreResult:
    """A worded answer that names a band: the clerk's score when it lies in that band's range
    (the rules leave the score inside a band to the evaluator: 合理确定分值), else the band's best."""
    band = _band_of(judgement, profile)
    lo, hi = band_range(band, weight, profile)
    if judgement is Judgement.MET:
        # The target's own words or "已完成": the target is met, so the first band's best (the
        # 分值), whatever the form says; a lower stated 得分 then needs its reason (PE4xx).
        return ScoreResult(score=hi, weight=weight, met=True, band=band.name, qualitative=True,
                           explanation=f"完成情况表明已达成年度指标值，得满分 {fmt_decimal(hi)}")
    if stated is not None and lo <= stated <= hi:
        score, how = stated, f"在该档分值区间 {fmt_decimal(lo)}～{fmt_decimal(hi)} 内，取所填 {fmt_decimal(stated)}"
    else:
        score, how = hi, f"取该档最高分 {fmt_decimal(hi)}"
    return ScoreResult(score=score, weight=weight, met=judgement is Judgement.ACHIEVED, band=band.name,
                       qualitative=True, explanation=f"完成情况“{band.name}”，{how}")


def percent_points(target: Target, actual: Actual) -> bool:
    """A target number without a unit, above 1 and at most 100, answered with a percent: the
    target's number is in percent points."""
    v = target.value
    return (not target.unit and actual.unit == "%" and v is not None and ONE < v <= 100
            and actual.value is not None)


def indicator_score(target: Target, actual: Actual, weight: Decimal | None, profile: Profile,
                    stated: Decimal | None = None) -> ScoreResult:
    """Score one indicator from its 年度指标值, 实际完成值 and 分值 as understood.

    `stated` is the 得分 the form gives; it only matters for a worded answer that names a band,
    where a score inside the band's range is the evaluator's to choose.
    """
    if weight is None:
        return ScoreResult(error=ParseError(code="PE202", message=MESSAGES["weight_not_number"]))
    if weight < 0:
        return ScoreResult(weight=weight, error=ParseError(code="PE202", message=MESSAGES["weight_negative"]))
    if target.error is not None:
        return ScoreResult(weight=weight, error=target.error)
    if actual.error is not None:
        return ScoreResult(weight=weight, error=actual.error)
    if actual.is_blank:
        return ScoreResult(weight=weight, error=ParseError(code="PE305", message=MESSAGES["actual_blank"]))
    digits = profile.rounding.score
    if actual.judgement is not None:
        return judged_score(actual.judgement, weight, profile, stated)

    if target.is_deadline and target.deadline is not None and actual.date is not None:
        if date_on_or_before(actual.date, target.deadline):
            return ScoreResult(score=excel_round(weight, digits), weight=weight, met=True, qualitative=True,
                               explanation=f"按时完成（{actual.raw} 不晚于 {target.raw}），得满分 {fmt_decimal(weight)}")
        return ScoreResult(weight=weight, met=False, qualitative=True, error=ParseError(
            code="PE311", message=f"完成时间“{actual.raw}”晚于时限“{target.raw}”，规则无法按比例计分，请评定得分并说明原因"))

    if target.is_qualitative or target.comparison is None:
        if actual.value is None or actual.unit not in ("", "%"):
            return ScoreResult(
                weight=weight, qualitative=True,
                error=ParseError(
                    code="PE306",
                    message=MESSAGES["qualitative_needs_ratio"].format(raw=actual.raw),
                ),
            )
        completion = actual.value
        band = band_for(completion, profile)
        score = band_score(completion, weight, profile)
        return ScoreResult(
            score=score, weight=weight, met=completion >= ONE, completion=completion,
            band=band.name, qualitative=True,
            explanation=f"定性指标，完成比例 {fmt_percent(completion)}（{band.name}），"
            f"得分 {fmt_percent(min(completion, ONE))} × {fmt_decimal(weight)} = {fmt_decimal(score)}",
        )

    if actual.value is None:
        return ScoreResult(
            weight=weight,
            error=ParseError(code="PE305", message=MESSAGES["quantitative_without_number"].format(raw=actual.raw)),
        )
    if target.unit and actual.unit and not same_unit(target.unit, actual.unit):
        return ScoreResult(
            weight=weight,
            error=ParseError(
                code="PE304",
                message=MESSAGES["unit_mismatch"].format(target_unit=target.unit, actual_unit=actual.unit),
            ),
        )
    unit = target.unit or actual.unit
    a = actual.value
    v = target.value
    assert v is not None
    comp = target.comparison
    upper = target.upper
    if percent_points(target, actual):
        # "≥85" answered 90% (a percent-formatted completion cell): the 85 is 85%, as "90" under
        # "≥90%" is 90%; read as a plain 85 the row would score 0.9 ÷ 85.
        v, upper = v / 100, (upper / 100 if upper is not None else None)

    if comp is Comparison.RANGE:
        hi = upper if upper is not None else v
        met = v <= a <= hi
        ratio = ONE if met else (_ratio(a, v) if a < v else _ratio(hi, a))
        over = None
    elif comp.is_reverse:
        met = a <= v if comp is Comparison.LE else a < v
        ratio = ONE if met else _ratio(v, a)
        over = _ratio(v, a) - ONE if a > 0 and v > a else None
    elif comp is Comparison.EQ:
        met = a == v
        ratio = ONE if met else (_ratio(a, v) if a < v else _ratio(v, a))
        over = None
    else:  # GE / GT: positive indicator
        met = a >= v if comp is Comparison.GE else a > v
        ratio = ONE if met else _ratio(a, v)
        over = _ratio(a, v) - ONE if v > 0 and a > v else None

    score = excel_round(cap(ratio * weight, weight), digits)
    note = ""
    if over is not None and over > profile.indicators.over_achievement_threshold:
        deduction = profile.indicators.over_achievement_deduction
        if deduction > 0:
            score = excel_round(cap(score - deduction, weight), digits)
            note = f"；超额 {fmt_percent(over)}，按偏离度扣 {fmt_decimal(deduction)} 分"
    if met:
        how = f"已完成（{_show(a, unit)} 对 {target.describe()}），得满分 {fmt_decimal(score)}{note}"
    elif comp.is_reverse:
        how = (f"反向指标未达标：{_show(v, unit)} ÷ {_show(a, unit)} × {fmt_decimal(weight)}"
               f" = {fmt_decimal(score)}")
    else:
        how = (f"未达标：{_show(a, unit)} ÷ {_show(v, unit)} × {fmt_decimal(weight)}"
               f" = {fmt_decimal(score)}")
    return ScoreResult(
        score=score, weight=weight, met=met, completion=ratio, over_achievement=over,
        explanation=how,
    )


def _ratio(num: Decimal, den: Decimal) -> Decimal:
    """num/den for scoring: nothing earned when the base is zero or the result is negative."""
    if den <= 0 or num <= 0:
        return ZERO
    return num / den
