"""A small direct reader of .xlsx packages: cell values, types, number formats, cached results.

openpyxl builds an object per cell, per style and per merged range; for a 60-row template that
is 40–60 ms a file, which alone would make a bureau's batch of 1,000 forms miss its target.
The reader needs only what a cell holds, whether it is a formula, and whether its number
format is a percent — so this module reads exactly that from the XML with regular
expressions. It runs only on packages that `safe_open.check_workbook_bytes` accepted (no DTDs
or entity declarations, sizes bounded), and anything it cannot make sense of raises
`PackageUnreadable`, after which the reader falls back to openpyxl. A test compares both
paths on generated forms.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

from .package_parts import sheet_part_names

__all__ = ["PackageBook", "PackageUnreadable", "CellView", "read_cached_values"]


class PackageUnreadable(ValueError):
    """Something this reader does not handle; the caller uses openpyxl instead."""


@dataclass(slots=True)
class CellView:
    value: object = None
    data_type: str = "n"
    number_format: str = "General"


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTR_R = re.compile(rb'\sr="([A-Z]+[0-9]+)"')
_PREFIXED = re.compile(rb"<[A-Za-z0-9_]+:(?:c|sheetData)\b")
_ATTR_S = re.compile(rb'\ss="([0-9]+)"')
_ATTR_T = re.compile(rb'\st="([a-zA-Z]+)"')
_F = re.compile(rb"<f(?:\s[^>]*)?>(.*?)</f>|<f(?:\s[^>]*)?/>", re.DOTALL)
_V = re.compile(rb"<v>(.*?)</v>", re.DOTALL)
_T = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", re.DOTALL)
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.DOTALL)
_RPH = re.compile(rb"<rPh\b.*?</rPh>", re.DOTALL)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SHEET = re.compile(rb"<sheet\b[^>]*>")
_NAME = re.compile(rb'\sname="([^"]*)"')
_CELL_XFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.DOTALL)
_XF = re.compile(rb"<xf\b([^>]*?)(?:/>|>.*?</xf>)", re.DOTALL)
_NUMFMT = re.compile(rb'<numFmt\b[^>]*numFmtId="([0-9]+)"[^>]*formatCode="([^"]*)"')
_NUMFMT_ID = re.compile(rb'\snumFmtId="([0-9]+)"')
_WB_PROTECTION = re.compile(rb"<workbookProtection\b[^>]*>")
_SHEET_PROTECTION = re.compile(rb"<sheetProtection\b[^>]*>")


def _text(raw: bytes) -> str:
    s = html.unescape(raw.decode("utf-8"))
    # OOXML escapes characters XML cannot hold as _xHHHH_ (openpyxl undoes it the same way).
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), s) if "_x" in s else s


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _true(tag: bytes, attr: bytes) -> bool:
    m = re.search(rb"\s" + attr + rb'="(1|true)"', tag)
    return m is not None


class PackageBook:
    """The parts of a workbook package the template reader needs."""

    def __init__(self, data: bytes | zipfile.ZipFile):
        try:
            self._zf = data if isinstance(data, zipfile.ZipFile) else zipfile.ZipFile(io.BytesIO(data))
            self._parts = sheet_part_names(self._zf)
            workbook = self._zf.read("xl/workbook.xml")
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise PackageUnreadable(str(exc)) from exc
        self.sheetnames = [_text(m.group(1)) for tag in _SHEET.findall(workbook)
                           if (m := _NAME.search(tag))]
        protection = _WB_PROTECTION.search(workbook)
        self.structure_locked = bool(protection and _true(protection.group(0), b"lockStructure"))
        names = set(self._zf.namelist())
        self._strings = self._shared_strings() if "xl/sharedStrings.xml" in names else []
        self._formats = self._number_formats() if "xl/styles.xml" in names else []
        self._sheet_xml: dict[str, bytes] = {}

    def _shared_strings(self) -> list[str]:
        xml = self._zf.read("xl/sharedStrings.xml")
        out = []
        for m in _SI.finditer(xml):
            body = _RPH.sub(b"", m.group(1) or b"")
            out.append("".join(_text(t.group(1) or b"") for t in _T.finditer(body)))
        return out

    def _number_formats(self) -> list[str]:
        xml = self._zf.read("xl/styles.xml")
        custom = {int(i): _text(code) for i, code in _NUMFMT.findall(xml)}
        xfs = _CELL_XFS.search(xml)
        out = []
        for attrs in _XF.findall(xfs.group(1) if xfs else b""):
            m = _NUMFMT_ID.search(attrs)
            fid = int(m.group(1)) if m else 0
            out.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))
        return out

    def _xml(self, title: str) -> bytes:
        if title not in self._sheet_xml:
            part = self._parts.get(title)
            if part is None:
                raise PackageUnreadable(f"no part for sheet {title}")
            try:
                self._sheet_xml[title] = self._zf.read(part)
            except KeyError as exc:
                raise PackageUnreadable(f"missing part {part}") from exc
        return self._sheet_xml[title]

    def sheet_protected(self, title: str) -> bool:
        m = _SHEET_PROTECTION.search(self._xml(title))
        return bool(m and _true(m.group(0), b"sheet"))

    def cells(self, title: str) -> tuple[dict[str, CellView], dict[str, object]]:
        """(non-empty cells by address, cached results of formula cells)."""
        cells: dict[str, CellView] = {}
        cached: dict[str, object] = {}
        xml = self._xml(title)
        if _PREFIXED.search(xml):
            # Namespace-prefixed cells are valid but rare; openpyxl reads them, we do not.
            raise PackageUnreadable(f"{title}: prefixed cell elements")
        try:
            for m in _CELL.finditer(xml):
                self._cell(m, cells, cached)
        except (ValueError, IndexError) as exc:
            raise PackageUnreadable(f"{title}: {exc}") from exc
        return cells, cached

    def _cell(self, m: re.Match[bytes], cells: dict[str, CellView], cached: dict[str, object]) -> None:
        attrs, inner = m.group(1), m.group(2) or b""
        r = _ATTR_R.search(attrs)
        if r is None:  # a cell without its address: positions would have to be counted
            raise PackageUnreadable("cell without r attribute")
        ref = r.group(1).decode()
        s = _ATTR_S.search(attrs)
        fmt = self._formats[int(s.group(1))] if s and self._formats else "General"
        t = _ATTR_T.search(attrs)
        kind = t.group(1) if t else b"n"
        f = _F.search(inner) if b"<f" in inner else None
        v = _V.search(inner)
        raw = v.group(1) if v else None
        value: object = None
        if kind == b"inlineStr":
            value = "".join(_text(x.group(1) or b"") for x in _T.finditer(_RPH.sub(b"", inner)))
        elif raw is not None:
            text = raw.decode("utf-8")
            if kind == b"s":
                value = self._strings[int(text)]
            elif kind in (b"str", b"e"):
                value = _text(raw)
            elif kind == b"b":
                value = text.strip() in ("1", "true")
            elif text:
                value = _number(text)
                if is_date_format(fmt):
                    value = from_excel(value)
        if f is not None:
            formula = _text(f.group(1) or b"")
            cached[ref] = value if value != "" else None
            cells[ref] = CellView("=" + formula, "f", fmt)
        elif value is not None:
            dt = "s" if isinstance(value, str) else "b" if isinstance(value, bool) else "n"
            if kind == b"e":
                dt = "e"
            cells[ref] = CellView(value, dt, fmt)


def read_cached_values(data: bytes | zipfile.ZipFile, sheet_title: str) -> dict[str, object]:
    """Cached results of the formula cells of one sheet, without an openpyxl load (the same parse
    the template reader uses, so both agree on every value)."""
    try:
        return PackageBook(data).cells(sheet_title)[1]
    except (KeyError, PackageUnreadable):
        return {}
