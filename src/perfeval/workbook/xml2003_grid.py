"""Excel 2003 XML spreadsheets ("XML 表格", SpreadsheetML) — another "xls" budget systems export.

One XML file: ``Worksheet/Table/Row/Cell`` with ``ss:Index`` for skipped positions,
``ss:MergeAcross``/``ss:MergeDown`` for merged cells, ``Data ss:Type`` Number/String/DateTime/
Boolean with the value as text (exact, no float round trip) and a style whose ``NumberFormat``
says percent or date. Parsed with defusedxml (no DTD, no entities); the size is capped far above
any real form.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.errors import PerfevalError
from .grid import GridCell, SheetGrid, raw_value

__all__ = ["grids_from_xml2003", "looks_like_xml2003"]

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_MAX_BYTES = 30 * 1024 * 1024
_MAX_CELLS = 2_000_000
_MAX_SPAN = 16_384


def _q(local: str) -> str:
    return f"{{{_SS}}}{local}"


def looks_like_xml2003(data: bytes) -> bool:
    head = data[:4096]
    for encoding in ("utf-8", "utf-16"):
        try:
            text = head.decode(encoding, "ignore")
        except LookupError:  # pragma: no cover
            continue
        if "<?xml" in text[:200] and _SS in text:
            return True
    return False


def _number(text: str) -> Decimal | int | None:
    try:
        d = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return int(d) if d == d.to_integral_value() and abs(d) < Decimal("1e15") else d


def _styles(root) -> dict[str, tuple[bool, bool]]:
    out = {}
    for style in root.iter(_q("Style")):
        fmt = style.find(_q("NumberFormat"))
        text = (fmt.get(_q("Format")) or "") if fmt is not None else ""
        lowered = text.lower()
        percent = "%" in text or lowered == "percent"
        date = any(w in lowered for w in ("date", "yy", "mm/dd", "d/m")) or "年" in text
        out[style.get(_q("ID")) or ""] = (percent, date)
    return out


def _int(value: str | None, default: int = 0, limit: int = _MAX_SPAN) -> int:
    try:
        return min(max(0, int(value)), limit) if value is not None else default
    except ValueError:
        return default


def grids_from_xml2003(path: Path, data: bytes) -> list[SheetGrid]:
    path = Path(path)
    if len(data) > _MAX_BYTES:
        raise PerfevalError("PE915", f"文件「{path.name}」（Excel 2003 XML 表格）过大，请确认是否选错了文件。",
                            file=path.name)
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeET

    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise PerfevalError("PE910", f"文件「{path.name}」存在安全风险，已拒绝打开：XML 含有 DTD/实体声明。",
                            file=path.name) from None
    except Exception as exc:  # noqa: BLE001 - ParseError and friends
        raise PerfevalError("PE909", f"文件「{path.name}」是 Excel 2003 XML 表格，但 XML 格式错误（{exc}）。"
                                     "请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再试。",
                            file=path.name) from None
    styles = _styles(root)
    out = []
    total = 0
    for ws in root.iter(_q("Worksheet")):
        name = ws.get(_q("Name")) or f"Sheet{len(out) + 1}"
        cells, merges = [], []
        covered: set[tuple[int, int]] = set()
        table = ws.find(_q("Table"))
        r = 0
        for row in (table.iter(_q("Row")) if table is not None else ()):
            r = _int(row.get(_q("Index")), r + 1, 1_048_576) or r + 1
            c = 0
            for cell in row.iter(_q("Cell")):
                c = _int(cell.get(_q("Index")), 0) or c + 1
                while (r, c) in covered:
                    c += 1
                across, down = _int(cell.get(_q("MergeAcross"))), _int(cell.get(_q("MergeDown")))
                if across or down:
                    merges.append((r, c, r + down, c + across))
                    covered |= {(rr, cc) for rr in range(r, r + down + 1) for cc in range(c, c + across + 1)}
                percent, date = styles.get(cell.get(_q("StyleID")) or "", (False, False))
                data_el = cell.find(_q("Data"))
                formula = cell.get(_q("Formula"))
                raw: object = None
                is_number = False
                if data_el is not None:
                    kind = data_el.get(_q("Type")) or "String"
                    text = "".join(data_el.itertext())
                    if kind == "Number":
                        raw, is_number = _number(text), True
                    elif kind == "Boolean":
                        raw = text.strip() in ("1", "true", "TRUE")
                    elif kind == "DateTime":
                        raw, date = text.strip().removesuffix(".000"), True
                    else:
                        raw = text
                value = raw_value(raw)
                if (value is None or (isinstance(value, str) and not value.strip())) and not formula:
                    c += across
                    continue
                total += 1
                if total > _MAX_CELLS:
                    raise PerfevalError("PE911", f"文件「{path.name}」工作表尺寸异常：单元格总数超过上限。", file=path.name)
                cells.append(GridCell(row=r, col=c, raw=value, percent_format=percent and is_number,
                                      formula=formula or None, date_format=date))
                c += across
        out.append(SheetGrid(name=name, cells=cells, merges=merges))
    return out
