"""Byte-level work on the .xlsx package that openpyxl cannot do.

openpyxl writes formulas without their cached results and stamps the current time everywhere.
A viewer without our add-in (WPS, LibreOffice, Excel with macros off) shows a formula's cached
result, so the builder injects the results the core computed; and a build must be byte-for-byte
reproducible, so timestamps are pinned. (Reading is `package_reader`'s; the parts both need are
in `package_parts`. `read_cached_values` and `sheet_part_names` are re-exported for writers.)
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from ..outputs import xml_safe_text
from .package_parts import sheet_part_names
from .package_reader import ErrorText, PackageBook, PackageUnreadable, read_cached_values

__all__ = [
    "BUILD_TIME",
    "inject_cached_values",
    "normalize_package",
    "pin_modified_time",
    "share_formulas",
    "read_cached_values",
    "restore_cached_values",
    "restore_typed_numbers",
    "sheet_part_names",
    "write_package",
]

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# openpyxl writes a formula cell as <c r="G10" s="5"><f>…</f><v></v></c> (or <v/>); an array
# formula's top-left cell as <c r="N10"><f t="array" ref="N10:P69">…</f><v></v></c>; a cell of a
# shared formula (share_formulas) as <c r="Q11"><f t="shared" si="3"/><v></v></c>.
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f((?:\s[^>]*?)?)(?:/>|>(.*?)</f>)<v(?:\s*/>|></v>)')


def _cached_xml(value: object) -> tuple[bytes, bytes]:
    """(type attribute, <v> content) for a cached value.

    A string is written as a string whatever it looks like ("#HACK!" typed by someone is no error
    cell); only a value read from an error cell (`ErrorText`) is written as an error. A number too
    large for a double (a sum of two 1.7e308) is Excel's #NUM!, never "inf", which reads back
    as no number at all.
    """
    if isinstance(value, bool):
        return b' t="b"', b"1" if value else b"0"
    if isinstance(value, int | float | Decimal):
        try:
            f = float(value)
        except (OverflowError, ValueError):
            f = float("nan")
        if f - f != 0:
            return b' t="e"', b"#NUM!"
        return b"", (str(int(f)) if f.is_integer() else repr(f)).encode()
    text = xml_safe_text("" if value is None else str(value))
    if isinstance(value, ErrorText):
        return b' t="e"', escape(text).encode("utf-8")
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


# A number cell as openpyxl writes it: <c r="D4" s="9" t="n"><v>1745.81</v></c>.
_NUMBER_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?:\s+(?!t=)[a-zA-Z:]+="[^"]*")*)(\s+t="n")?'
                          rb'((?:\s+(?!t=)[a-zA-Z:]+="[^"]*")*)><v>([^<]*)</v></c>')


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


def restore_typed_numbers(sheet_xml: bytes, numbers: Mapping[str, int | float]) -> bytes:
    """Give typed number cells back the exact value they had in the source.

    openpyxl writes a float with 16 significant digits ("%.16g"): 0.30000000000000004 comes back
    as 0.3, and the largest double 1.7976931348623157e308 as 1.797693134862316e+308, which reads
    as infinity. A copy that only adds marks must not change a value, so each number is written
    again in its shortest exact form (repr).
    """

    def repl(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in numbers:
            return m.group(0)
        want = numbers[ref]
        text = m.group(5)
        try:
            if float(text) == want:
                return m.group(0)
        except ValueError:
            pass
        exact = str(want) if isinstance(want, int) else repr(float(want))
        return m.group(0)[: m.start(5) - m.start(0)] + exact.encode() + b"</v></c>"

    return _NUMBER_CELL.sub(repl, sheet_xml)


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
    out = zipfile.ZipFile(io.BytesIO(saved))
    try:
        book = PackageBook(source)  # one scan of the source for all its sheets
    except PackageUnreadable:
        return normalize_package(saved)
    replace: dict[str, bytes] = {}
    for title, part in sheet_part_names(out).items():
        if title not in book.sheetnames:
            continue
        try:
            cached = book.cells(title)[1]
        except PackageUnreadable:
            continue
        numbers = {ref: c.value for ref, c in book.cells(title)[0].items()
                   if c.data_type == "n" and isinstance(c.value, int | float) and not isinstance(c.value, bool)}
        values = {ref: v for ref, v in cached.items() if v is not None}
        if numbers:
            xml = replace.get(part) or out.read(part)
            replace[part] = restore_typed_numbers(xml, numbers)
        if values:
            replace[part] = inject_cached_values(replace.get(part) or out.read(part), values)
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
