"""The self-evaluation form as data.

Every value is kept as the clerk typed it (`Value.raw`) together with where it came from
(`Value.loc`), so a finding can point at 自评表!G23 and quote what is there. Parsed meaning
(numbers, targets) is derived on demand by the functions in `targets` and `decimal_math`, never
stored in place of the original.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from .decimal_math import fmt_decimal, fmt_percent, to_decimal
from .targets import Actual, Target, parse_actual, parse_target

__all__ = [
    "Loc",
    "Value",
    "FormKind",
    "BudgetRowKind",
    "BudgetRow",
    "Indicator",
    "Deduction",
    "Narrative",
    "SubUnit",
    "Form",
    "NARRATIVE_SECTIONS",
    "effective_names",
    "carry_headings",
]


class Loc(BaseModel):
    model_config = ConfigDict(frozen=True)
    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


RawValue = str | int | float | Decimal | bool | None


_MONEY_TEXT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(亿元|億元|万元|萬元|千元|元|万|萬)")
MONEY_SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}


class Value(BaseModel):
    """One cell's content as typed, and where it was typed."""

    model_config = ConfigDict(frozen=True)

    raw: RawValue = None
    loc: Loc | None = None
    percent_format: bool = False  # the cell shows a number as a percent (0.95 → 95%)
    formula: str | None = None  # the formula text when the cell holds one (cached value in raw)

    @property
    def is_blank(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())

    @property
    def number(self) -> Decimal | None:
        """A plain number, or None (text such as '-' or '无' is not a number).

        A percent typed as text ("95%") is the fraction 0.95, as Excel itself would read it.
        """
        if isinstance(self.raw, str) and self.raw.strip().endswith(("%", "％")):
            d = to_decimal(self.raw.strip()[:-1])
            return None if d is None else d / 100
        return to_decimal(self.raw)

    def money(self, unit: str = "万元") -> Decimal | None:
        """The amount in `unit`: a number as it is; a published form's text amount with its own
        unit ("150万", "4753.66万元", "72890元", "10萬") converted to `unit`."""
        n = self.number
        if n is not None or not isinstance(self.raw, str):
            return n
        m = _MONEY_TEXT.fullmatch(self.raw.strip().replace(",", "").replace("，", ""))
        if m is None:
            return None
        amount = to_decimal(m.group(1))
        if amount is None:
            return None
        given = {"万": "万元", "萬": "万元", "萬元": "万元", "億元": "亿元"}.get(m.group(2), m.group(2))
        return amount * MONEY_SCALE[given] / MONEY_SCALE.get(unit, MONEY_SCALE["万元"])

    @property
    def text(self) -> str:
        if self.raw is None:
            return ""
        if isinstance(self.raw, float | int | Decimal) and not isinstance(self.raw, bool):
            d = to_decimal(self.raw)
            return "" if d is None else fmt_decimal(d)
        return str(self.raw).strip()

    @property
    def shown(self) -> str:
        """The text as the cell displays it: a percent-formatted 1.41 is "141%"."""
        n = self.number
        if self.percent_format and n is not None and not isinstance(self.raw, str):
            return fmt_percent(n)
        return self.text

    @property
    def is_number(self) -> bool:
        return self.number is not None


class FormKind(str, Enum):
    DEPARTMENT = "department"  # 部门（单位）整体支出绩效自评表
    PROJECT = "project"  # 项目支出绩效自评表（财预〔2020〕10号）

    @property
    def title(self) -> str:
        return "部门（单位）整体支出绩效自评表" if self is FormKind.DEPARTMENT else "项目支出绩效自评表"


class BudgetRowKind(str, Enum):
    TOTAL = "total"  # 全年支出 / 年度资金总额
    BASIC = "basic"  # 其中：基本支出
    PROJECT = "project"  # 项目支出
    SOURCE = "source"  # 项目表的资金来源行：财政拨款 / 上年结转 / 其他资金


class BudgetRow(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: BudgetRowKind
    label: Value = Field(default_factory=Value)
    initial: Value = Field(default_factory=Value)  # 年初预算数
    full_year: Value = Field(default_factory=Value)  # 全年预算数
    actual: Value = Field(default_factory=Value)  # 实际支出数 / 全年执行数
    stated_rate: Value = Field(default_factory=Value)  # 执行率 as typed/cached
    weight: Value = Field(default_factory=Value)  # 分值 ('-' on sub-rows)
    score: Value = Field(default_factory=Value)  # 得分


class Indicator(BaseModel):
    model_config = ConfigDict(frozen=True)
    row: int  # the worksheet row, for messages and the consolidation report
    level1: Value = Field(default_factory=Value)
    level2: Value = Field(default_factory=Value)
    level3: Value = Field(default_factory=Value)
    target: Value = Field(default_factory=Value)  # 年度指标值
    actual: Value = Field(default_factory=Value)  # 实际完成值
    weight: Value = Field(default_factory=Value)  # 分值
    score: Value = Field(default_factory=Value)  # 得分 (stated, or a formula's cached value)
    reason: Value = Field(default_factory=Value)  # 偏差原因分析及改进措施
    kind: Value = Field(default_factory=Value)  # 定量 / 定性, when the clerk chose it
    direction: Value = Field(default_factory=Value)  # 正向 / 反向, when the clerk chose it

    @property
    def name(self) -> str:
        return self.level3.text or self.level2.text or self.level1.text

    @property
    def is_blank(self) -> bool:
        return all(
            v.is_blank
            for v in (self.level3, self.target, self.actual, self.weight, self.score, self.reason)
        )

    @property
    def is_heading_only(self) -> bool:
        """A row holding only a 一级/二级 name (a heading line above its indicators)."""
        return self.is_blank and not (self.level1.is_blank and self.level2.is_blank)

    def parsed_target(self) -> Target:
        # The target's number format is not used: a bare number there is a ≥ target either way.
        return understand_target(self.target.raw, self.kind.text, self.direction.text)

    def parsed_actual(self) -> Actual:
        # A number in a percent-formatted cell is a percent (240% is 2.4, not 2.4%), exactly as
        # the worksheet passes the cell's format to SCORE; a percent answering a count target
        # is then a unit contradiction (PE304), not a count.
        return understand_actual(self.actual.raw, self.parsed_target(), self.actual.percent_format)


@lru_cache(maxsize=8192, typed=True)
def understand_target(raw: RawValue, kind: str = "", direction: str = "") -> Target:
    """parse_target plus the clerk's 定性/反向 choices; cached, as the same texts recur."""
    return _apply_choices(parse_target(raw), kind or "", direction or "")


@lru_cache(maxsize=8192, typed=True)
def understand_actual(raw: RawValue, target: Target, percent_format: bool = False) -> Actual:
    """parse_actual for a cell's value and whether the cell shows numbers as percents."""
    return parse_actual(raw, percent_format=percent_format, target=target)


def _apply_choices(target: Target, kind: str, direction: str) -> Target:
    """The clerk's dropdown choices override what the target text alone suggests."""
    from .targets import Comparison

    if kind == "定性" and target.error is None and not target.is_qualitative:
        return target.model_copy(update={"comparison": Comparison.QUALITATIVE})
    if target.is_quantitative and target.comparison in (Comparison.GE, Comparison.LE):
        if direction == "反向" and target.comparison is Comparison.GE:
            return target.model_copy(update={"comparison": Comparison.LE})
        if direction == "正向" and target.comparison is Comparison.LE:
            return target.model_copy(update={"comparison": Comparison.GE})
    return target


class Deduction(BaseModel):
    """A finding of 巡视 / 审计 / 财政监督 and the points it costs (seed note 1: 酌情扣分)."""

    model_config = ConfigDict(frozen=True)
    row: int
    source: Value = Field(default_factory=Value)  # 巡视 / 审计 / 财政监督
    description: Value = Field(default_factory=Value)
    amount: Value = Field(default_factory=Value)  # 涉及金额（万元）
    points: Value = Field(default_factory=Value)  # 扣分


# The narrative material a report needs, in the order the seed's report uses it; the 公文 parts
# (落款, dates, 文号, the notice answered, the 版记) follow. The 报告素材 sheet lists them in this
# order and is read by label, so a template made before a field was added still reads.
NARRATIVE_SECTIONS: dict[str, str] = {
    "functions": "部门主要职能",
    "staffing": "机构设置与人员编制情况",
    "overall_goal": "当年部门履职总体目标",
    "performance_goals": "当年部门年度整体支出绩效目标",
    "management": "部门预算绩效管理开展情况",
    "budget_execution": "当年部门预算及执行情况（说明）",
    "adjustment_reason": "预算调整说明",
    "goal_completion": "总体绩效目标完成情况分析",
    "output_analysis": "产出指标完成情况",
    "benefit_analysis": "效益指标完成情况",
    "benefit_review": "效益指标完成情况分析",
    "satisfaction_analysis": "满意度指标完成情况",
    "problems": "存在的问题",
    "measures": "改进的方向和具体措施",
    "issuer": "落款单位",
    "report_date": "报告日期",
    "doc_number": "文号",
    "recipient": "主送机关",
    "notice_title": "所依据的通知名称",
    "notice_number": "所依据的通知文号",
    "printer": "印发机关",
    "print_date": "印发日期",
    "copies": "印发份数",
}


class Narrative(BaseModel):
    model_config = ConfigDict(frozen=True)
    sections: dict[str, Value] = Field(default_factory=dict)

    def text(self, key: str) -> str:
        v = self.sections.get(key)
        return v.text if v is not None else ""

    @property
    def is_empty(self) -> bool:
        return all(v.is_blank for v in self.sections.values())


class SubUnit(BaseModel):
    """A subordinate unit listed for consolidation (下属单位)."""

    model_config = ConfigDict(frozen=True)
    row: int
    name: Value = Field(default_factory=Value)
    fund: Value = Field(default_factory=Value)  # 资金额度（万元）, the consolidation weight
    file: Value = Field(default_factory=Value)


class Form(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: FormKind = FormKind.DEPARTMENT
    source: str = ""  # file name the form was read from, for messages
    title: Value = Field(default_factory=Value)
    year: Value = Field(default_factory=Value)
    name: Value = Field(default_factory=Value)  # 部门（单位）名称 / 项目名称
    money_unit: str = "万元"  # the budget block's unit as its header says (项目资金（元）…)
    competent_dept: Value = Field(default_factory=Value)  # 主管部门 (project form)
    implementer: Value = Field(default_factory=Value)  # 实施单位 (project form)
    budget: tuple[BudgetRow, ...] = ()
    goals_expected: Value = Field(default_factory=Value)
    goals_actual: Value = Field(default_factory=Value)
    indicators: tuple[Indicator, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    stated_total_weight: Value = Field(default_factory=Value)
    stated_total_score: Value = Field(default_factory=Value)
    total_note: Value = Field(default_factory=Value)  # the 合计 row's 偏差原因 cell
    stated_grade: Value = Field(default_factory=Value)
    other_notes: Value = Field(default_factory=Value)  # 其他需要说明的问题
    narrative: Narrative = Field(default_factory=Narrative)
    units: tuple[SubUnit, ...] = ()
    profile_name: str | None = None
    template_version: str | None = None  # set when read from our template (None: legacy or built)

    def budget_row(self, kind: BudgetRowKind) -> BudgetRow | None:
        return next((r for r in self.budget if r.kind is kind), None)

    @property
    def main_budget_row(self) -> BudgetRow | None:
        """The row the execution score is computed on: 全年支出 / 年度资金总额, else the first."""
        return self.budget_row(BudgetRowKind.TOTAL) or (self.budget[0] if self.budget else None)

    @property
    def filled_indicators(self) -> tuple[Indicator, ...]:
        """Indicator rows with content, heading-only rows folded into the rows below them."""
        return carry_headings(self.indicators)

    @property
    def display_name(self) -> str:
        return self.name.text or self.source or "（未命名）"


def effective_names(indicators) -> list[tuple[str, str, str]]:
    """(一级, 二级, 三级) per indicator, blank continuation cells filled from above.

    On paper 一级/二级 are merged cells; in the model a blank name means "same as above".
    """
    out = []
    l1 = l2 = ""
    for ind in indicators:
        if ind.level1.text:
            l1, l2 = ind.level1.text, ""
        if ind.level2.text:
            l2 = ind.level2.text
        out.append((l1, l2, ind.level3.text))
    return out


def carry_headings(indicators) -> tuple[Indicator, ...]:
    """Drop heading-only rows, carrying their 一级/二级 names into the next indicator.

    Some forms put "产出指标" on a line of its own; without this the name would be lost with the
    blank row and the indicators under it would count toward the previous 一级指标.
    """
    out: list[Indicator] = []
    pending: dict[str, Value] = {}
    for ind in indicators:
        if ind.is_heading_only:
            if not ind.level1.is_blank:
                pending = {"level1": ind.level1}
            if not ind.level2.is_blank:
                pending["level2"] = ind.level2
            continue
        if ind.is_blank:
            continue
        update = {k: v for k, v in pending.items() if getattr(ind, k).is_blank}
        if "level1" in update and not ind.level2.is_blank:
            update.pop("level2", None)
        out.append(ind.model_copy(update=update) if update else ind)
        pending = {}
    return tuple(out)
