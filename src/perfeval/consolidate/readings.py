"""How one unit's indicator is understood for consolidation: which family its value belongs to
(summed, averaged, copied), in which unit of measure, and whether it can be combined at all.

A value that is not a number in the target's own unit — "100%" under "整合组建了4个机构",
"已完成" under "≥100人", "3个" under a qualitative goal — is never summed or averaged: it is a
`problem`, and the row becomes 待核实 with every unit's value listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core.model import Indicator, RawValue
from ..core.targets import Actual, Target, normalize_text, same_unit

if TYPE_CHECKING:
    from .merge import _Unit

__all__ = ["Reading", "classify", "family_of_measure"]

_TIME_UNITS = frozenset({"天", "日", "周", "月", "年", "小时", "分钟", "岁"})
_RELATIVE_NAME_ENDINGS = ("率", "度", "比", "比例", "占比", "指数", "系数")
_RELATIVE_NAME_WORDS = ("平均", "人均", "均价", "单价", "标准", "时限", "时长", "周期")
_PER_WORDS = ("人均", "平均", "每", "/")

ABSOLUTE, RELATIVE, QUALITATIVE, TEXT, BLANK = "absolute", "relative", "qualitative", "text", "blank"


def _relative_name(name: str) -> bool:
    core = re.sub(r"[(（][^()（）]*[)）]$", "", normalize_text(name or ""))
    return core.endswith(_RELATIVE_NAME_ENDINGS) or any(w in core for w in _RELATIVE_NAME_WORDS)


def family_of_measure(measure: str, name: str, before: str = "", after: str = "") -> str:
    """'relative' for percents, time limits and per-head figures; 'absolute' for counts and sums."""
    if measure == "%" or measure in _TIME_UNITS:
        return RELATIVE
    if after.startswith(("/", "每")) or any(w in before for w in _PER_WORDS):
        return RELATIVE
    if not measure and _relative_name(name):
        return RELATIVE
    return ABSOLUTE


def _percent(value) -> str:
    from ..core.decimal_math import fmt_percent

    return fmt_percent(value)


def _quote(text: str, limit: int = 60) -> str:
    text = text.strip()
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def classify(target: Target, actual: Actual, name: str, *, shown_as_percent: bool = False) -> tuple[str, str, str]:
    """(family, measure, problem) of one unit's answer; problem is "" when it can be combined.

    shown_as_percent: the cell shows the number as a percent. The scoring reads the value alone
    (a 100%-formatted 1 under "4个" scores as 1个); a sum must not: it is a completion ratio.
    """
    if actual.is_blank:
        return BLANK, "", ""
    if actual.error is not None:
        return TEXT, "", f"实际完成值{_quote(actual.raw)}不是可以汇总的数值（{actual.error.message}）"
    if target.is_qualitative:
        if actual.is_number:
            if actual.unit in ("", "%"):
                # A qualitative answer is a completion ratio (note 2): a fraction like any percent.
                return QUALITATIVE, "%", ""
            return TEXT, "", (f"定性指标应填写完成比例，实际完成值却是{_quote(actual.raw)}"
                              f"（计量单位“{actual.unit}”）")
        return TEXT, "", ""
    if target.is_quantitative:
        if not actual.is_number:
            return TEXT, "", f"年度指标值是数值（{_quote(target.raw)}），实际完成值{_quote(actual.raw)}不是数值"
        if shown_as_percent and target.unit not in ("", "%"):
            return TEXT, "", (f"年度指标值{_quote(target.raw)}的计量单位是“{target.unit}”，"
                              f"实际完成值却是百分数（{_quote(_percent(actual.value))}）")
        if target.unit and actual.unit and not same_unit(target.unit, actual.unit):
            return TEXT, "", (f"年度指标值{_quote(target.raw)}的计量单位是“{target.unit}”，"
                              f"实际完成值{_quote(actual.raw)}的计量单位是“{actual.unit}”")
        measure = target.unit or actual.unit
        return family_of_measure(measure, name, target.text_before, target.text_after), measure, ""
    # The target itself is unusable ("≤" alone) or blank: the answer decides.
    if actual.is_number:
        return family_of_measure(actual.unit, name), actual.unit, ""
    return TEXT, "", ""


@dataclass(slots=True, eq=False)
class Reading:
    """One unit's indicator as consolidation needs it — small, so that 500 units × 60 rows fit.

    The unit's Indicator model is not kept: its text, where it sits and what it scored are.
    """

    unit: _Unit
    names: tuple[str, str, str]
    sheet: str  # where the unit's 实际完成值 is, for findings
    cell: str
    target: Target
    actual: Actual
    target_text: str
    actual_text: str
    actual_raw: RawValue
    actual_percent: bool
    weight_raw: RawValue
    weight: Decimal | None
    weight_text: str
    reason: str
    kind_raw: RawValue
    direction_raw: RawValue
    score: Decimal | None
    score_note: str  # why the unit's own row has no score, when it has none
    family: str
    measure: str
    problem: str

    @property
    def value(self) -> Decimal | None:
        return self.actual.value if self.family in (ABSOLUTE, RELATIVE, QUALITATIVE) else None


def reading_of(unit: _Unit, ind: Indicator, names: tuple[str, str, str], score: Decimal | None,
               score_note: str, sheet: str, cell: str) -> Reading:
    target, actual = ind.parsed_target(), ind.parsed_actual()
    family, measure, problem = classify(target, actual, names[2], shown_as_percent=ind.actual.percent_format)
    return Reading(
        unit=unit, names=names, sheet=sheet, cell=cell, target=target, actual=actual,
        target_text=ind.target.text, actual_text=ind.actual.shown, actual_raw=ind.actual.raw,
        actual_percent=ind.actual.percent_format, weight_raw=ind.weight.raw, weight=ind.weight.number,
        weight_text=ind.weight.text, reason=ind.reason.text, kind_raw=ind.kind.raw,
        direction_raw=ind.direction.raw, score=score, score_note=score_note, family=family,
        measure=measure, problem=problem,
    )
