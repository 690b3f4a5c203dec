"""What a consolidation produces: the department's form, and how each of its figures came about."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, ConfigDict

from ..core.errors import CodedError
from ..core.evaluate import Evaluation
from ..core.findings import Finding
from ..core.model import BudgetRowKind, Form
from ..core.targets import normalize_text
from ..workbook.layout import SHEET_CONSOLIDATION

__all__ = [
    "CONSOLIDATION_SHEET",
    "FUND_FROM_ACTUAL",
    "FUND_FROM_LIST",
    "FUND_MISSING",
    "ROLE_OWN",
    "ROLE_UNIT",
    "BudgetLineSum",
    "ConsolidatedIndicator",
    "ConsolidationError",
    "ConsolidationResult",
    "Contribution",
    "Method",
    "SkipReason",
    "Skipped",
    "UnitWeight",
    "Unmatched",
]

CONSOLIDATION_SHEET = SHEET_CONSOLIDATION

FUND_FROM_LIST = "部门下属单位表"
FUND_FROM_ACTUAL = "本单位实际支出数"
FUND_MISSING = "缺失"

ROLE_OWN = "本级"
ROLE_UNIT = "下属单位"


class ConsolidationError(CodedError):
    """Nothing sensible can be consolidated (PE701); the message is for the user."""

    CODE = "PE701"


class Method(str, Enum):
    SUM = "sum"
    WEIGHTED = "weighted"
    QUALITATIVE = "qualitative"
    TEXT = "text"
    REVIEW = "review"  # values that cannot be combined: 待核实
    NONE = "none"  # nothing to combine (no unit filled the row)

    @property
    def label(self) -> str:
        return {
            "sum": "绝对值累加",
            "weighted": "相对值按资金额度加权平均",
            "qualitative": "定性完成比例按资金额度加权平均",
            "text": "文字，各单位一致，照录",
            "review": "待核实：各单位的值无法直接汇总",
            "none": "无可汇总的完成值，需人工填写",
        }[self.value]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class UnitWeight(_Frozen):
    """One form that counted in the consolidation."""

    position: int  # 1-based, in the order the files were given
    role: str  # ROLE_OWN / ROLE_UNIT
    name: str  # as shown (same names numbered in the order given)
    file: str  # the file as given ("" for a form built in memory)
    source: str
    fund: Decimal  # the weight; 0 when missing
    fund_from: str  # FUND_FROM_LIST / FUND_FROM_ACTUAL / FUND_MISSING
    share: Decimal | None  # fund ÷ Σ funds
    initial: Decimal | None  # 全年支出 row, summed into the department's
    full_year: Decimal | None
    actual: Decimal | None
    total: Decimal  # the unit's own 总分 as its form was evaluated when loaded
    grade: str
    profile_name: str = ""
    errors: int = 0  # findings of the unit's own form
    warnings: int = 0


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
    file: str
    fund: Decimal
    share: Decimal | None  # its weight in the average (None for sums and text)
    target: str  # 年度指标值 as typed
    actual: str  # 实际完成值 as typed
    value: Decimal | None  # as understood (fraction for percents)
    measure: str  # unit of measure
    weight: Decimal | None  # the unit's own 分值
    score: Decimal | None  # the unit's 得分 as its form was evaluated
    included: bool
    reason: str = ""  # the unit's 偏差原因分析, kept whole here
    note: str = ""


class ConsolidatedIndicator(_Frozen):
    row: int  # row on the consolidated 自评表
    level1: str
    level2: str
    level3: str
    method: Method
    target: str  # 年度指标值 written
    value: Decimal | None  # exact consolidated value (fraction for percents)
    value_text: str  # as written on the form ("92.5%", "670.5万元"); "" when there is none
    measure: str
    weight: Decimal | None  # 分值 used
    weight_from: str  # "部门模板", "本级" or the unit it was taken from
    score: Decimal | None  # recomputed on the consolidated form
    score_note: str  # how the score came about, or why there is none
    weighted_unit_score: Decimal | None  # Σ(单位得分/单位分值 × 资金额度)/Σ资金额度 × 分值, for reference
    contributions: tuple[Contribution, ...]
    missing_in: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def to_review(self) -> bool:
        return self.method is Method.REVIEW


class Unmatched(_Frozen):
    level1: str
    level2: str
    level3: str
    present_in: tuple[str, ...]
    missing_in: tuple[str, ...]


class SkipReason(str, Enum):
    UNREADABLE = "unreadable"
    DUPLICATE = "duplicate"
    OTHER_KIND = "other_kind"
    EARLIER_RESULT = "earlier_result"  # a consolidation output found in a folder


class Skipped(_Frozen):
    """An input that did not count, and why."""

    file: str
    reason: SkipReason
    code: str
    message: str


class ConsolidationResult(_Frozen):
    form: Form
    evaluation: Evaluation
    units: tuple[UnitWeight, ...]  # in the order given
    budget: tuple[BudgetLineSum, ...]
    indicators: tuple[ConsolidatedIndicator, ...]
    unmatched: tuple[Unmatched, ...]
    notes: tuple[str, ...]
    funds_from_department_list: bool
    structure_from: str  # where names, 分值 and order came from: "部门模板「…」", "本级「…」", "单位「…」"
    skipped: tuple[Skipped, ...] = ()
    findings: tuple[Finding, ...] = ()  # PE703/PE704/PE705, each with the unit's file (and row)

    def indicator(self, level3: str) -> ConsolidatedIndicator | None:
        """The consolidated indicator of that 三级指标 name (whitespace and width folded)."""
        want = normalize_text(level3 or "")
        return next((i for i in self.indicators if normalize_text(i.level3) == want), None)

    @property
    def to_review(self) -> tuple[ConsolidatedIndicator, ...]:
        return tuple(i for i in self.indicators if i.to_review)
