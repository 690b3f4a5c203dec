"""OpenDocument spreadsheets (.ods, LibreOffice / WPS) as grids.

Read from the package's content.xml directly rather than through python-calamine or odfpy:
calamine gives values only (no merged ranges for .ods, no "this number is shown as a percent"),
and odfpy/ezodf are unmaintained. The ODF table model is small and standardised (ISO/IEC 26300):
a cell carries its type (``office:value-type="percentage"`` *is* the percent format, ``date``
the date format), its exact value as text (no float round trip: 1241.99 stays 1241.99), its
spans (``table:number-columns-spanned`` / ``number-rows-spanned``) and repeat counts. The package
has already passed `safe_open.check_package_bytes` (size, zip bomb, no DTD or entity) and is parsed
with defusedxml all the same.

Repeat counts are how LibreOffice writes "the rest of the sheet is empty" (a row repeated
1 048 000 times); empty repeats are skipped without expanding, non-empty ones count toward the
cell ceiling.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.errors import PerfevalError
from .grid import GridCell, SheetGrid, raw_value
from .safe_open import DEFAULT_LIMITS, Limits

__all__ = ["grids_from_ods", "OdsUnreadable"]

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _q(prefix: str, local: str) -> str:
    return f"{{{_NS[prefix]}}}{local}"


_TABLE = _q("table", "table")
_ROW = _q("table", "table-row")
_CELL = _q("table", "table-cell")
_COVERED = _q("table", "covered-table-cell")
_ROW_GROUPS = {_q("table", n) for n in ("table-header-rows", "table-row-group", "table-rows")}
_P = _q("text", "p")
_H = _q("text", "h")
_S = _q("text", "s")
_TAB = _q("text", "tab")
_BR = _q("text", "line-break")
_NOT_TEXT = {_q("office", "annotation"), _q("text", "note"), _q("office", "annotation-end")}
_VALUE_TYPE = _q("office", "value-type")
_VALUE = _q("office", "value")
_DATE = _q("office", "date-value")
_TIME = _q("office", "time-value")
_BOOL = _q("office", "boolean-value")
_STRING = _q("office", "string-value")
_FORMULA = _q("table", "formula")
_ROWS_REPEATED = _q("table", "number-rows-repeated")
_COLS_REPEATED = _q("table", "number-columns-repeated")
_COLS_SPANNED = _q("table", "number-columns-spanned")
_ROWS_SPANNED = _q("table", "number-rows-spanned")
_NAME = _q("table", "name")


class OdsUnreadable(PerfevalError):
    """The .ods could not be read (PE919 with the reason, PE911 when absurdly large)."""


def grids_from_ods(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[SheetGrid]:
    path = Path(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            content = zf.read("content.xml")
    except KeyError:
        raise OdsUnreadable("PE906", f"文件「{path.name}」是 OpenDocument 电子表格，但缺少 content.xml 部件。",
                            file=path.name) from None
    except Exception as exc:  # noqa: BLE001 - checked already; a race or a damaged member
        raise OdsUnreadable("PE907", f"文件「{path.name}」压缩包内容损坏（{type(exc).__name__}）。",
                            file=path.name) from None
    from defusedxml import ElementTree as SafeET

    try:
        root = SafeET.fromstring(content)
    except Exception as exc:  # noqa: BLE001 - the safety scan passed; anything left is damage
        raise OdsUnreadable("PE909", f"文件「{path.name}」的 content.xml 无法解析（{type(exc).__name__}）。",
                            file=path.name) from None
    counter = _Counter(path, limits)
    return [_table(t, counter) for t in root.iter(_TABLE)]


class _Counter:
    def __init__(self, path: Path, limits: Limits) -> None:
        self.path, self.limits, self.cells = path, limits, 0

    def add(self, n: int) -> None:
        self.cells += n
        if self.cells > self.limits.max_cells:
            raise OdsUnreadable("PE911", f"文件「{self.path.name}」工作表尺寸异常：单元格总数超过上限 "
                                         f"{self.limits.max_cells}。", file=self.path.name)


def _rows(table):
    for child in table:
        if child.tag == _ROW:
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, int(value)) if value is not None else default
    except ValueError:
        return default


def _table(table, counter: _Counter) -> SheetGrid:
    name = table.get(_NAME) or "Sheet"
    cells: list[GridCell] = []
    merges: list[tuple[int, int, int, int]] = []
    r = 0
    for row in _rows(table):
        repeat = _int(row.get(_ROWS_REPEATED))
        parsed = _row_cells(row)
        if not parsed:
            r += repeat
            continue
        for k in range(repeat):
            counter.add(len(parsed))
            for col, cell, span in parsed:
                cells.append(GridCell(row=r + 1 + k, col=col, raw=cell.raw,
                                      percent_format=cell.percent_format, formula=cell.formula,
                                      date_format=cell.date_format))
                if span is not None:
                    rows, cols = span
                    merges.append((r + 1 + k, col, r + k + rows, col + cols - 1))
        r += repeat
    return SheetGrid(name=name, cells=cells, merges=merges)


def _row_cells(row) -> list[tuple[int, GridCell, tuple[int, int] | None]]:
    out = []
    c = 0
    for cell in row:
        if cell.tag not in (_CELL, _COVERED):
            continue
        repeat = _int(cell.get(_COLS_REPEATED))
        if cell.tag == _COVERED:
            c += repeat
            continue
        parsed = _cell(cell)
        cols, rows = _int(cell.get(_COLS_SPANNED)), _int(cell.get(_ROWS_SPANNED))
        span = (rows, cols) if rows > 1 or cols > 1 else None
        if parsed is None:
            c += repeat
            continue
        # A non-empty cell repeated is rare (the same text in adjacent cells); a ceiling keeps a
        # crafted repeat count from becoming millions of cells.
        for k in range(min(repeat, 16_384)):
            out.append((c + 1 + k, parsed, span))
        c += repeat
    return out


def _cell(cell) -> GridCell | None:
    kind = cell.get(_VALUE_TYPE)
    formula = cell.get(_FORMULA)
    if formula:
        # "of:=SUM([.A1:.A3])": the OpenFormula text, shown with Excel's leading "=".
        formula = "=" + formula.split(":=", 1)[-1].lstrip("=")
    raw: object = None
    percent = date = False
    if kind in ("float", "currency", "percentage"):
        raw = _decimal(cell.get(_VALUE))
        percent = kind == "percentage"
    elif kind == "date":
        raw = _date(cell.get(_DATE))
        date = True
    elif kind == "time":
        raw = cell.get(_TIME)
    elif kind == "boolean":
        raw = (cell.get(_BOOL) or "").lower() == "true"
    elif kind == "string" and cell.get(_STRING) is not None:
        raw = cell.get(_STRING)
    if raw is None:
        raw = _text(cell)
    value = raw_value(raw)
    if not formula and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    return GridCell(row=0, col=0, raw=value, percent_format=percent, formula=formula or None,
                    date_format=date)


def _decimal(text: str | None) -> Decimal | int | None:
    if text is None:
        return None
    try:
        d = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    # "1" stays the 1 the clerk typed, as openpyxl reads it from an .xlsx.
    return int(d) if d == d.to_integral_value() and abs(d) < Decimal("1e15") else d


def _date(text: str | None) -> object:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def _text(cell) -> str | None:
    paragraphs = [_inline(p) for p in cell if p.tag in (_P, _H)]
    if not paragraphs:
        return None
    return "\n".join(paragraphs)


def _inline(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag in _NOT_TEXT:
            pass  # a comment is not the cell's value (openpyxl does not read it either)
        elif child.tag == _S:
            parts.append(" " * _int(child.get(_q("text", "c"))))
        elif child.tag == _TAB:
            parts.append("\t")
        elif child.tag == _BR:
            parts.append("\n")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
