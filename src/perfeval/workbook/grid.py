"""A form as a grid of typed cells, whatever file it came in: the importer's one input.

A department's 自评表 arrives as an .xlsx sheet, an .xls or .ods sheet, or a table inside a Word or
PDF 自评报告. Each reader turns what it has into `SheetGrid`s — the non-empty cells with the value
as typed, whether a number is shown as a percent, the formula when there is one, and the merged
ranges — so the importer (`legacy_import`) finds the form by its labels the same way in all of
them. A cell is named the way a person would find it again: "C5" on a sheet, "第5行第3列" in a
document's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

from ..core.decimal_math import to_decimal
from ..core.model import RawValue

__all__ = ["GridCell", "SheetGrid", "column_letter", "raw_value", "grids_from_openpyxl"]


def column_letter(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass(frozen=True)
class GridCell:
    row: int  # 1-based
    col: int  # 1-based
    raw: RawValue
    percent_format: bool = False  # a number shown as a percent (0.95 → 95%)
    formula: str | None = None
    date_format: bool = False  # a number shown as a date (a clerk formatted a money cell as date)


@dataclass
class SheetGrid:
    name: str  # the sheet name, or "表格2" for a document's second table
    cells: list[GridCell]  # non-empty cells; a merged range's value sits in its top-left cell
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2)
    addressing: Literal["a1", "table"] = "a1"

    def cell_name(self, row: int, col: int) -> str:
        if self.addressing == "table":
            return f"第{row}行第{col}列"
        return f"{column_letter(col)}{row}"

    def range_name(self, r1: int, c1: int, r2: int, c2: int) -> str:
        if self.addressing == "table":
            return f"第{r1}–{r2}行第{c1}–{c2}列"
        return f"{self.cell_name(r1, c1)}:{self.cell_name(r2, c2)}"


def raw_value(value: object) -> RawValue:
    """A value as the core keeps it: numbers as Decimal (the digits shown), dates as ISO text."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float | Decimal):
        return to_decimal(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# ------------------------------------------------------------------------------ .xlsx via openpyxl


def _existing_cells(ws):
    # Worksheets formatted down to row 1048576 would make iter_rows() materialise millions of
    # empty cells; the loaded cells are all there is to read.
    cells = getattr(ws, "_cells", None)
    if isinstance(cells, dict):
        return list(cells.values())
    return [c for row in ws.iter_rows() for c in row]


def _formula_texts(ws) -> dict[tuple[int, int], str]:
    if ws is None:
        return {}
    out = {}
    for cell in _existing_cells(ws):
        value = cell.value
        text = getattr(value, "text", value)  # ArrayFormula keeps its formula in .text
        if isinstance(text, str) and text.startswith("=") and cell.data_type == "f":
            out[(cell.row, cell.column)] = text
    return out


def _is_date_format(fmt: str) -> bool:
    from openpyxl.styles.numbers import is_date_format

    return bool(fmt) and is_date_format(fmt)


def grids_from_openpyxl(values_wb, formulas_wb=None, names: list[str] | None = None) -> list[SheetGrid]:
    """Grids of an openpyxl workbook loaded with data_only=True (cached results), and the same
    workbook loaded with formulas, so a value can say it was computed rather than typed."""
    out = []
    for name in names or list(values_wb.sheetnames):
        ws = values_wb[name]
        merges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        covered = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                   if (r, c) != (r1, c1)}
        formulas = _formula_texts(formulas_wb[name] if formulas_wb is not None else None)
        cells = []
        for cell in _existing_cells(ws):
            pos = (cell.row, cell.column)
            if pos in covered:
                continue  # openpyxl keeps a merged range's value in its top-left cell only
            fmt = cell.number_format or ""
            raw = raw_value(cell.value)
            is_number = isinstance(raw, Decimal)
            is_date = not isinstance(raw, str | bool | type(None)) and _is_date_format(fmt) or \
                isinstance(cell.value, datetime | date | time)
            c = GridCell(row=cell.row, col=cell.column, raw=raw,
                         percent_format=is_number and "%" in fmt, formula=formulas.get(pos),
                         date_format=is_date)
            if c.formula or not (raw is None or (isinstance(raw, str) and not raw.strip())):
                cells.append(c)
        out.append(SheetGrid(name=name, cells=cells, merges=merges))
    return out
