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

from .package_xml import sheet_part_names

__all__ = ["PackageBook", "PackageUnreadable", "CellView"]


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
_F = re.compile(rb"<f(\s[^>]*)?>(.*?)</f>|<f(\s[^>]*)?/>", re.DOTALL)
_SHARED = re.compile(rb'\st="shared"')
_ATTR_SI = re.compile(rb'\ssi="([0-9]+)"')
_REF_PARTS = re.compile(r"([A-Z]+)([0-9]+)")
# A formula's pieces for shifting: string literals, quoted sheet names, cell references.
_FORMULA_TOKEN = re.compile(
    r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'|(?<![A-Za-z0-9_.$])(\$?)([A-Z]{1,3})(\$?)([0-9]+)(?![0-9A-Za-z_(])')


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


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _formula_pieces(formula: str) -> list[str | tuple[str, int, str, int]]:
    """A formula split into text and cell references (col_abs, column number, row_abs, row),
    once per shared formula: shifting each of its cells is then a join."""
    pieces: list[str | tuple[str, int, str, int]] = []
    at = 0
    for m in _FORMULA_TOKEN.finditer(formula):
        if m.group(2) is None:  # a string literal or a quoted sheet name stays text
            continue
        pieces.append(formula[at:m.start()])
        col_abs, col, row_abs, row = m.groups()
        pieces.append((col_abs, _column_number(col), row_abs, int(row)))
        at = m.end()
    pieces.append(formula[at:])
    return pieces


def _shifted(pieces: list[str | tuple[str, int, str, int]], rows: int, columns: int) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        else:
            col_abs, col, row_abs, row = piece
            out.append(f"{col_abs}{_column_letters(col if col_abs else col + columns)}"
                       f"{row_abs}{row if row_abs else row + rows}")
    return "".join(out)


def shift_formula(formula: str, rows: int, columns: int = 0) -> str:
    """A shared formula's text as it reads in a cell `rows` below and `columns` right of the
    first cell: relative references move, $-fixed ones and text in quotes do not."""
    return _shifted(_formula_pieces(formula), rows, columns)


_XML_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"))
_CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")


def _unescape(s: str) -> str:
    """XML's five entities and character references (html.unescape is general and, on the
    template's long fallback formulas full of &quot;, most of the reading time)."""
    if "&" not in s:
        return s
    if "&#" in s:
        s = _CHAR_REF.sub(lambda m: chr(int(m.group(1)[1:], 16) if m.group(1)[0] == "x" else int(m.group(1))), s)
    for entity, ch in _XML_ENTITIES:
        s = s.replace(entity, ch)
    return s.replace("&amp;", "&")


def _text(raw: bytes) -> str:
    s = _unescape(raw.decode("utf-8"))
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

    def _shared(self, ref: str, f_attrs: bytes, formula: str) -> str:
        """A shared formula's text in this cell: the first cell's (which carries it), shifted."""
        si = _ATTR_SI.search(f_attrs)
        if si is None:
            raise PackageUnreadable(f"{ref}: shared formula without si")
        key = si.group(1)
        if formula:
            self._masters[key] = (ref, _formula_pieces(formula))
            return formula
        if key not in self._masters:
            raise PackageUnreadable(f"{ref}: shared formula {key.decode()} before its first cell")
        origin, pieces = self._masters[key]
        (oc, orow), (c, row) = _REF_PARTS.match(origin).groups(), _REF_PARTS.match(ref).groups()
        return _shifted(pieces, int(row) - int(orow), _column_number(c) - _column_number(oc))

    def cells(self, title: str, last_column: str | None = None) -> tuple[dict[str, CellView], dict[str, object]]:
        """(non-empty cells by address, cached results of formula cells), of columns up to
        `last_column` when given (the form's hidden working columns are not read then)."""
        cells: dict[str, CellView] = {}
        cached: dict[str, object] = {}
        self._masters: dict[bytes, tuple[str, list]] = {}  # shared formulas of this sheet, by si
        xml = self._xml(title)
        if _PREFIXED.search(xml):
            # Namespace-prefixed cells are valid but rare; openpyxl reads them, we do not.
            raise PackageUnreadable(f"{title}: prefixed cell elements")
        last = last_column.encode() if last_column else None
        if last is not None and len(last) == 1 and b"<row" in xml:
            # Cells come in column order within a row (ECMA-376): drop each row's tail of
            # columns beyond `last` in one pass, rather than visiting those cells one by one.
            beyond = rb"(?:[" + bytes([last[0] + 1]) + rb"-Z]|[A-Z]{2,3})" if last < b"Z" else rb"[A-Z]{2,3}"
            xml = re.sub(rb'<c r="' + beyond + rb'[0-9]+".*?(?=</row>)', b"", xml, flags=re.DOTALL)
        try:
            for m in _CELL.finditer(xml):
                self._cell(m, cells, cached, last)
        except (ValueError, IndexError) as exc:
            raise PackageUnreadable(f"{title}: {exc}") from exc
        return cells, cached

    def _cell(self, m: re.Match[bytes], cells: dict[str, CellView], cached: dict[str, object],
              last: bytes | None = None) -> None:
        attrs, inner = m.group(1), m.group(2) or b""
        r = _ATTR_R.search(attrs)
        if r is None:  # a cell without its address: positions would have to be counted
            raise PackageUnreadable("cell without r attribute")
        if last is not None:
            col = r.group(1).rstrip(b"0123456789")
            if len(col) > len(last) or (len(col) == len(last) and col > last):
                return
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
            formula = _text(f.group(2) or b"")
            f_attrs = f.group(1) or f.group(3) or b""
            if _SHARED.search(f_attrs):
                formula = self._shared(ref, f_attrs, formula)
            cached[ref] = value if value != "" else None
            cells[ref] = CellView("=" + formula, "f", fmt)
        elif value is not None:
            dt = "s" if isinstance(value, str) else "b" if isinstance(value, bool) else "n"
            if kind == b"e":
                dt = "e"
            cells[ref] = CellView(value, dt, fmt)
