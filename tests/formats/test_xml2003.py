"""Excel 2003 XML spreadsheets — exported by budget systems as "xls" — read like the workbook."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl

from perfeval.loader import load_form

from .conftest import SEED_XLSX


def spreadsheetml(path):
    """The seed workbook written as SpreadsheetML 2003, as Excel writes it: ss:Index where cells
    are skipped, MergeAcross/MergeDown, numbers as text, a percent style."""
    ws = openpyxl.load_workbook(SEED_XLSX).worksheets[0]
    merges = {(m.min_row, m.min_col): (m.max_row - m.min_row, m.max_col - m.min_col) for m in ws.merged_cells.ranges}
    covered = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
               for c in range(m.min_col, m.max_col + 1) if (r, c) != (m.min_row, m.min_col)}
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
           '<Styles><Style ss:ID="pct"><NumberFormat ss:Format="0%"/></Style></Styles>'
           f'<Worksheet ss:Name="{escape(ws.title)}"><Table>']
    for r in range(1, ws.max_row + 1):
        out.append(f'<Row ss:Index="{r}">')
        skipped = False
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(r, c)
            if (r, c) in covered or cell.value is None:
                skipped = True
                continue
            attrs = f' ss:Index="{c}"' if skipped else ""
            skipped = False
            down, across = merges.get((r, c), (0, 0))
            attrs += f' ss:MergeAcross="{across}"' * bool(across) + f' ss:MergeDown="{down}"' * bool(down)
            if isinstance(cell.value, (int, float)):
                style = ' ss:StyleID="pct"' if "%" in cell.number_format else ""
                data = f'<Data ss:Type="Number">{Decimal(str(cell.value))}</Data>'
            else:
                style, data = "", f'<Data ss:Type="String">{escape(str(cell.value))}</Data>'
            out.append(f"<Cell{attrs}{style}>{data}</Cell>")
            if across:
                skipped = True
        out.append("</Row>")
    out.append("</Table></Worksheet></Workbook>")
    path.write_text("".join(out), encoding="utf-8")
    return path


def test_an_excel_2003_xml_named_xls_gives_the_workbooks_findings(tmp_path, seed_workbook):
    loaded = load_form(spreadsheetml(tmp_path / "系统导出.xls"))
    assert loaded.format == "xml2003" and loaded.fatal is None
    key = lambda l: sorted((f.code, f.sheet, f.cell, f.message) for f in l.findings)  # noqa: E731
    assert key(loaded) == key(seed_workbook)
    assert loaded.evaluation.total == seed_workbook.evaluation.total


def test_an_excel_2003_xml_with_entities_is_refused(tmp_path):
    path = tmp_path / "炸弹.xls"
    path.write_text('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
                    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">&a;</Workbook>',
                    encoding="utf-8")
    assert load_form(path).fatal.code == "PE910"
