"""Consolidating the 部门本级's and the subordinate units' forms into the department's (seed note 2).

    perfeval consolidate 本级.xlsx 单位1.xlsx 单位2.xlsx -o 汇总.xlsx

`merge` (the module: `Merger`, `merge.merge`) is the pure part (forms and their evaluations in, the consolidated form out); `files`
decides which inputs count, reads them through the loader and writes the workbook, whose
汇总说明 sheet (`workbook.consolidation_sheet`) says how every figure came about.
"""

from __future__ import annotations

from .files import ConsolidationOutput, consolidate_files, is_consolidation_output
from .merge import Member, Merger
from .model import (
    CONSOLIDATION_SHEET,
    FUND_FROM_ACTUAL,
    FUND_FROM_LIST,
    FUND_MISSING,
    ROLE_OWN,
    ROLE_UNIT,
    BudgetLineSum,
    ConsolidatedIndicator,
    ConsolidationError,
    ConsolidationResult,
    Contribution,
    Method,
    Skipped,
    SkipReason,
    UnitWeight,
    Unmatched,
)

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
    "ConsolidationOutput",
    "ConsolidationResult",
    "Contribution",
    "Member",
    "Merger",
    "Method",
    "SkipReason",
    "Skipped",
    "UnitWeight",
    "Unmatched",
    "consolidate_files",
    "is_consolidation_output",
]
