"""Byte-level work on the .xlsx package that openpyxl cannot do.

openpyxl writes formulas without their cached results and stamps the current time everywhere.
A viewer without our add-in (WPS, LibreOffice, Excel with macros off) shows a formula's cached
result, so the builder injects the results the core computed; and a build must be byte-for-byte
reproducible, so timestamps are pinned. Reading the cached results back without loading the
workbook twice is also here.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeET

__all__ = [
    "inject_cached_values",
    "share_formulas",
    "read_cached_values",
    "restore_cached_values",
    "normalize_package",
    "write_package",
    "pin_modified_time",
    "BUILD_TIME",
    "sheet_part_names",
]

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

# openpyxl writes a formula cell as <c r="G10" s="5"><f>…</f><v></v></c> (or <v/>); an array
# formula's top-left cell as <c r="N10"><f t="array" ref="N10:P69">…</f><v></v></c>; a cell of a
# shared formula (share_formulas) as <c r="Q11"><f t="shared" si="3"/><v></v></c>.
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f((?:\s[^>]*?)?)(?:/>|>(.*?)</f>)<v(?:\s*/>|></v>)')


def _cached_xml(value: object) -> tuple[bytes, bytes]:
    """(type attribute, <v> content) for a cached value."""
    if isinstance(value, bool):
        return b' t="b"', b"1" if value else b"0"
    if isinstance(value, int | float):
        f = float(value)
        return b"", (str(int(f)) if f.is_integer() else repr(f)).encode()
    text = "" if value is None else str(value)
    if text.startswith("#") and text.endswith(("!", "?", "A")):
        return b' t="e"', escape(text).encode()
    return b' t="str"', escape(text).encode("utf-8")


# openpyxl writes every non-ASCII character of a formula as a character reference (&#20998;):
# the fallback formulas' Chinese texts would triple the sheet's size and its reading time.
_CHAR_REF = re.compile(rb"&#([0-9]+);")


def _utf8_refs(formula: bytes) -> bytes:
    def repl(m: re.Match[bytes]) -> bytes:
        code = int(m.group(1))
        return chr(code).encode("utf-8") if code >= 0x80 else m.group(0)

    return _CHAR_REF.sub(repl, formula) if b"&#" in formula else formula


def inject_cached_values(sheet_xml: bytes, values: Mapping[str, object]) -> bytes:
    """Give each formula cell of one sheet its cached result (and its formula in plain UTF-8)."""

    def repl(m: re.Match[bytes]) -> bytes:
        ref, attrs, f_attrs = m.group(1).decode(), m.group(2), m.group(3)
        f = b"<f" + f_attrs + (b"/>" if m.group(4) is None else b">" + _utf8_refs(m.group(4)) + b"</f>")
        if ref not in values:
            return b'<c r="' + m.group(1) + b'"' + attrs + b">" + f + b"<v></v>"
        attrs = re.sub(rb'\s+t="[^"]*"', b"", attrs)
        t, v = _cached_xml(values[ref])
        return b'<c r="' + ref.encode() + b'"' + attrs + t + b">" + f + b"<v>" + v + b"</v>"

    return _FORMULA_CELL.sub(repl, sheet_xml)


_PLAIN_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f>')


def share_formulas(sheet_xml: bytes, runs: Iterable[tuple[str, int, int]]) -> bytes:
    """Store each run of one formula filled down a column (column, first row, last row) as
    Excel stores a filled-down formula: the text once, in the run's first cell
    (<f t="shared" ref="Q10:Q69" si="0">…</f>), the other cells pointing at it (<f t="shared"
    si="0"/>), their references shifted by row. Excel, LibreOffice, WPS and openpyxl read it;
    the template's sheet is a tenth of the size, and reads that much faster.

    The caller vouches that every cell of a run holds the first cell's formula, shifted.
    """
    cells: dict[str, tuple[int, str | None]] = {}
    for si, (col, first, last) in enumerate(runs):
        if last <= first:
            continue
        cells[f"{col}{first}"] = (si, f"{col}{first}:{col}{last}")
        for row in range(first + 1, last + 1):
            cells[f"{col}{row}"] = (si, None)

    def repl(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in cells:
            return m.group(0)
        si, span = cells[ref]
        head = b'<c r="' + m.group(1) + b'"' + m.group(2) + b">"
        if span is None:
            return head + b'<f t="shared" si="' + str(si).encode() + b'"/>'
        return (head + b'<f t="shared" ref="' + span.encode() + b'" si="' + str(si).encode() + b'">'
                + m.group(3) + b"</f>")

    return _PLAIN_FORMULA_CELL.sub(repl, sheet_xml)


def sheet_part_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → part name inside the package (xl/worksheets/sheetN.xml)."""
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{NS_PKG_REL}}}Relationship")}
    out = {}
    for sheet in wb.iter(f"{{{NS_MAIN}}}sheet"):
        rid = sheet.get(f"{{{NS_REL}}}id")
        target = targets.get(rid, "")
        # Targets are relative to the workbook part's folder (xl/), or absolute from the root.
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        out[sheet.get("name")] = part
    return out


def read_cached_values(data: bytes | zipfile.ZipFile, sheet_title: str) -> dict[str, object]:
    """Cached results of the formula cells of one sheet, without an openpyxl load.

    The same parse the template reader uses (package_reader), so both agree on every value.
    """
    from .package_reader import PackageBook, PackageUnreadable

    try:
        return PackageBook(data).cells(sheet_title)[1]
    except (KeyError, PackageUnreadable):
        return {}


def write_package(members: Mapping[str, bytes], order: Iterable[str] | None = None) -> bytes:
    """THE zip writer for every package we produce: pinned time and attributes, a fixed order
    (by default [Content_Types].xml first, then as given), so equal content gives equal bytes
    on every platform."""
    names = list(order) if order is not None else sorted(
        members, key=lambda n: n != "[Content_Types].xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # zipfile writes 0 on Windows, 3 elsewhere: pin it
            info.external_attr = 0o644 << 16
            dst.writestr(info, members[name])
    return out.getvalue()


def normalize_package(data: bytes, replace: Mapping[str, bytes] | None = None) -> bytes:
    """Re-zip `data` (parts replaced as given) through write_package."""
    src = zipfile.ZipFile(io.BytesIO(data))
    replace = replace or {}
    return write_package({n: replace[n] if n in replace else src.read(n) for n in src.namelist()})


def restore_cached_values(saved: bytes, source: bytes) -> bytes:
    """Give the formula cells of `saved` the cached results they had in `source`.

    Every load-modify-save through openpyxl (annotated copies, the consolidated workbook, the
    PDF export copy) writes formulas with empty results; a viewer without our add-in (WPS,
    LibreOffice, Excel with macros off) would then show blanks where the scores are.
    """
    src = zipfile.ZipFile(io.BytesIO(source))
    out = zipfile.ZipFile(io.BytesIO(saved))
    src_parts = sheet_part_names(src)
    replace: dict[str, bytes] = {}
    for title, part in sheet_part_names(out).items():
        if title not in src_parts:
            continue
        values = {ref: v for ref, v in read_cached_values(src, title).items() if v is not None}
        if values:
            replace[part] = inject_cached_values(out.read(part), values)
    return normalize_package(saved, replace)


# The time every generated workbook claims to have been made: builds must be reproducible.
BUILD_TIME = datetime(2024, 1, 1, 0, 0, 0)


def pin_modified_time(data: bytes, stamp: str | None = None) -> bytes:
    """openpyxl stamps <dcterms:modified> with the save time whatever the properties say;
    a reproducible output pins it (to BUILD_TIME unless a stamp like 2024-01-01T00:00:00Z)."""
    stamp = stamp or BUILD_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    zf = zipfile.ZipFile(io.BytesIO(data))
    core = re.sub(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)",
                  rb"\g<1>" + stamp.encode() + rb"\g<2>", zf.read("docProps/core.xml"))
    return normalize_package(data, {"docProps/core.xml": core})
