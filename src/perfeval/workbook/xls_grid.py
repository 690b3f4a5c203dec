"""Excel 97–2003 workbooks (.xls, BIFF8) — and WPS .et files that are BIFF inside — as grids.

Read with xlrd rather than python-calamine: the importer needs what the clerk *sees*, and only
xlrd (with ``formatting_info=True``) gives a BIFF cell's merged range and its number format — the
difference between a 95% and a 0.95, and between a date and a money amount. calamine returns
values only. xlrd is pure Python (no wheel to miss on a Windows clerk PC), stable for over a
decade on a format that no longer changes, and reads only; xlrd 2 dropped .xlsx, which openpyxl
reads here anyway.

Formulas: BIFF stores them as compiled tokens; xlrd gives the cached result, not the text. A
value computed by a formula therefore reads as typed (the checks that look for formulas only
ever see them in .xlsx/.ods).
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import PerfevalError
from .grid import GridCell, SheetGrid, raw_value
from .safe_open import DEFAULT_LIMITS, Limits, encrypted_detail

__all__ = ["grids_from_xls", "XlsUnreadable"]


class XlsUnreadable(PerfevalError):
    """The .xls (or .et) could not be read: PE904/PE917, or PE905 when it is encrypted."""


def _is_wps(path: Path) -> bool:
    return path.suffix.lower() in (".et", ".ett")


def wps_resave_hint() -> str:
    return ("请在 WPS 表格中打开该文件，点“文件→另存为”，文件类型选“Excel 工作簿（*.xlsx）”，"
            "保存后报送或校验新的 .xlsx 文件")


def _refusal(path: Path, exc: BaseException) -> XlsUnreadable:
    name = path.name
    text = str(exc)
    if "encrypt" in text.lower():
        return XlsUnreadable("PE905", f"文件「{name}」{encrypted_detail(path)}。", file=name)
    if _is_wps(path):
        return XlsUnreadable("PE917", f"文件「{name}」是 WPS 表格专用格式（.et），本工具无法读取（{_why(exc)}）。"
                                      f"{wps_resave_hint()}。", file=name)
    return XlsUnreadable("PE904", f"文件「{name}」是 Excel 97-2003 工作簿（.xls），但无法读取（{_why(exc)}），"
                                  "可能已损坏。请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再试。",
                         file=name)


def _why(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def _open(data: bytes):
    import xlrd

    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False,
                                  logfile=_Silent(), ragged_rows=True)
    except NotImplementedError:
        # formatting_info is not implemented for the oldest BIFF versions: values only, then.
        return xlrd.open_workbook(file_contents=data, formatting_info=False, logfile=_Silent(),
                                  ragged_rows=True)


class _Silent:
    """xlrd writes warnings about odd records to stdout; a batch's output is no place for them."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def grids_from_xls(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[SheetGrid]:
    """Every sheet of a BIFF workbook; raises XlsUnreadable (never anything else for a bad file)."""
    path = Path(path)
    try:
        book = _open(data)
        return _grids(book, path, limits)
    except PerfevalError:
        raise
    except Exception as exc:  # noqa: BLE001 - xlrd raises struct, index, assertion errors on junk
        raise _refusal(path, exc) from None


def _percent_or_date(book, xf_index: int) -> tuple[bool, bool]:
    if not book.formatting_info or xf_index is None or xf_index >= len(book.xf_list):
        return False, False
    fmt = book.format_map.get(book.xf_list[xf_index].format_key)
    if fmt is None:
        return False, False
    return "%" in (fmt.format_str or ""), bool(fmt.type == 1)  # xlrd.formatting.FDT = 1


def _grids(book, path: Path, limits: Limits) -> list[SheetGrid]:
    import xlrd

    out = []
    total = 0
    for sheet in book.sheets():
        # Hidden sheets are read too, as for an .xlsx. xlrd's ranges are half-open, 0-based.
        merges = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in getattr(sheet, "merged_cells", [])
                  if (r2 - r1) * (c2 - c1) > 1]
        covered = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
        cells = []
        for r in range(sheet.nrows):
            for c in range(sheet.row_len(r)):
                pos = (r + 1, c + 1)
                if pos in covered:
                    continue
                cell = sheet.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                total += 1
                if total > limits.max_cells:
                    raise XlsUnreadable("PE911", f"文件「{path.name}」工作表尺寸异常：单元格总数超过上限 "
                                                 f"{limits.max_cells}。", file=path.name)
                percent, date_fmt = _percent_or_date(book, cell.xf_index)
                value = cell.value
                is_date = False
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        is_date = True
                    except Exception:  # noqa: BLE001 - a serial out of range stays a number
                        is_date = date_fmt
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(value).is_integer() and abs(value) < 1e15:
                    # BIFF stores every number as a double; 1.0 is the 1 the clerk typed (as
                    # openpyxl reads "1" from an .xlsx), not "1.0".
                    value = int(value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#N/A")
                raw = raw_value(value)
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    continue
                is_number = cell.ctype == xlrd.XL_CELL_NUMBER
                cells.append(GridCell(row=pos[0], col=pos[1], raw=raw,
                                      percent_format=is_number and percent, date_format=is_date))
        out.append(SheetGrid(name=sheet.name, cells=cells, merges=merges))
    return out
