"""A copy of a workbook that prints one sheet: what `export --pdf` hands to LibreOffice.

LibreOffice prints every visible sheet; the 自评表 alone is what goes to the 财政局, so the
other sheets are hidden in a throw-away copy (never in the user's file), and the formulas keep
their cached results so the converter shows numbers without our add-in.
"""

from __future__ import annotations

import io

import openpyxl

from .package_xml import restore_cached_values

__all__ = ["single_sheet_copy"]


def single_sheet_copy(data: bytes, sheet: str) -> bytes:
    from ..outputs import set_calc_properties

    wb = openpyxl.load_workbook(io.BytesIO(data))
    set_calc_properties(wb)  # openpyxl reads a missing fullCalcOnLoad as "on"
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == sheet
        if ws.title != sheet:
            ws.sheet_state = "hidden"
    wb.active = wb.sheetnames.index(sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return restore_cached_values(buf.getvalue(), data)
