"""A small language for typing published 自评表 into workbooks in their own layout.

Each form of the real-form corpus is a module in `forms/` that defines:

    SOURCE    the address the form was published at (the search tool's url)
    PROVINCE  province (省/自治区/直辖市) of the publishing unit
    UNIT      the publishing unit, as published
    KIND      "department" (部门整体支出) or "project" (项目支出)
    YEAR      the year evaluated
    SPLIT     "tune" or "holdout" (holdout forms are not looked at while the importer is tuned)
    NOTES     what had to be inferred from the published text (column order, merges …)
    SHEETS    a list of Sheet, in workbook order
    EXPECT    an Expect: the hand-worked result a careful reviewer reaches

Cells are typed as Excel would store what the clerk typed: a percent typed as "95%" in Excel
is the number 0.95 with a percent format (`pct("95%")`); text that merely looks like a number
("≥95%", "50个") stays text; a bare number is a number (`50`, `89.974`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["C", "pct", "num", "Sheet", "Row", "Expect", "Ind"]


@dataclass(frozen=True)
class C:
    """One cell with an explicit number format (and optionally a formula with its cached value)."""

    value: object
    fmt: str | None = None
    formula: str | None = None  # "=E5/D5": written as a formula, `value` is its cached result


def pct(text: str | float | int, fmt: str | None = None) -> C:
    """A percent as Excel stores it: pct("95%") -> 0.95 shown with "0%"; pct("89.97%") -> "0.00%"."""
    s = str(text).strip().rstrip("%")
    d = Decimal(s) / 100
    if fmt is None:
        decimals = len(s.split(".")[1]) if "." in s else 0
        fmt = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
    return C(d, fmt)


def num(value: str | int | float, fmt: str | None = None) -> C:
    """A number with a display format, e.g. num("1745.81", "0.00")."""
    return C(Decimal(str(value)), fmt)


Row = list  # one worksheet row, column A first; None is an empty cell


@dataclass
class Sheet:
    name: str
    rows: list[Row]
    merges: list[str] = field(default_factory=list)  # "A1:H1" …
    widths: dict[str, float] = field(default_factory=dict)  # column letter -> width
    first_row: int = 1  # the row number of rows[0] (a form that starts lower on the sheet)
    first_col: int = 1  # the column number of each row's first item


@dataclass(frozen=True)
class Ind:
    """One indicator row as a careful reviewer reads it, and the score the rules give it.

    Texts are as the cell displays them (a 0.95 shown as percent is "95%"); a blank is "".
    `hand` is the hand-recomputed score (None when the row cannot be scored: then it counts
    toward Expect.provisional); `why` shows the arithmetic or the reading.
    """

    row: int  # the worksheet row of the indicator (the row of its 三级指标 cell)
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    weight: str
    score: str  # the stated 得分 as displayed
    hand: Decimal | None
    why: str = ""


@dataclass(frozen=True)
class Expect:
    kind: str
    name: str  # 部门（单位）名称 / 项目名称 as published
    year: int | None
    money_unit: str  # "万元" or "元", from the header
    # The budget rows as typed: (label as published, 年初, 全年, 实际/全年执行数), numbers as text
    # shown ("" for blank), in sheet order.
    budget: list[tuple[str, str, str, str]]
    execution_rate: Decimal | None  # hand-computed 执行率 (fraction) the execution score uses
    execution_weight: Decimal
    execution_score: Decimal
    indicators: list[Ind]
    dropped_placeholders: int  # template rows ("指标1", "……") with nothing else
    stated_total: Decimal | None  # 合计得分 as published
    hand_total: Decimal  # Σ hand scores + execution score − deductions, 2 decimals
    hand_grade: str
    provisional: int  # indicator rows that cannot be scored (hand is None)
    profile: str  # the perfeval profile whose rules the form's own notes state
    findings: list[tuple[str, str]]  # (code, cell) a careful reviewer raises
    quiet_rows: list[int]  # rows where no error or warning may be raised (beyond `findings`)
    narrative: str = ""  # optional: what the reviewer notes about the form
    # The stored copy of the page ends inside the form: only the rows shown in full are typed, the
    # sheet ends there (no 合计 row unless it was shown), and the hand results cover those rows.
    truncated: bool = False
