"""A copy of a workbook that prints one sheet: what `export --pdf` hands to LibreOffice.

LibreOffice prints every visible sheet; the 自评表 alone is what goes to the 财政局, so the
other sheets are hidden in a throw-away copy (never in the user's file). Only the workbook part
is edited — each sheet's state and the active tab — and every other part is copied as it is, so
the formulas keep their cached results and nothing openpyxl cannot round-trip (strict OOXML, an
<ext> without uri, values it refuses) can stop the export. The sheet to print is made visible
even when the clerk hid it.
"""

from __future__ import annotations

import html
import re

from ..core.errors import PerfevalError
from .package_reader import PackageBook, PackageUnreadable, clean_text
from .package_xml import normalize_package

__all__ = ["single_sheet_copy"]

_SHEET = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*>")
_VIEW = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?workbookView\b[^>]*?(/?)>")
_NAME = re.compile(r"""\sname\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _set_attr(tag: str, name: str, value: str | None) -> str:
    """The start tag with attribute `name` set to value (removed when None)."""
    tag = re.sub(rf"""\s{name}\s*=\s*(["']).*?\1""", "", tag)
    if value is None:
        return tag
    end = -2 if tag.endswith("/>") else -1
    return f'{tag[:end]} {name}="{value}"{tag[end:]}'


def _decode(xml: bytes) -> str:
    if xml.startswith((b"\xff\xfe", b"\xfe\xff")):
        return xml.decode("utf-16")
    m = _DECLARED.match(xml)
    return xml.decode(m.group(1).decode("ascii") if m else "utf-8")


def single_sheet_copy(data: bytes, sheet: str, *, file: str = "") -> bytes:
    try:
        book = PackageBook(data, sheets=())
    except PackageUnreadable as exc:
        raise PerfevalError("PE919", f"无法生成打印用的副本：{exc}", file=file) from exc
    if sheet not in book.sheetnames:
        raise PerfevalError("PE601", f"工作簿中没有工作表「{sheet}」，无法打印。", file=file)
    import zipfile
    from io import BytesIO

    part = book.workbook_part
    text = _decode(zipfile.ZipFile(BytesIO(data)).read(part))
    target = book.sheetnames.index(sheet)
    tags = list(_SHEET.finditer(text))
    if len(tags) != len(book.sheetnames):
        raise PerfevalError("PE919", "无法生成打印用的副本：工作簿的工作表列表无法识别。", file=file)
    out, last = [], 0
    for i, m in enumerate(tags):
        name = _NAME.search(m.group(0))
        if name is None or clean_text(html.unescape(name.group(2))) != book.sheetnames[i]:
            raise PerfevalError("PE919", "无法生成打印用的副本：工作簿的工作表列表无法识别。", file=file)
        state = None if i == target else "hidden"
        out += [text[last:m.start()], _set_attr(m.group(0), "state", state)]
        last = m.end()
    text = "".join(out) + text[last:]
    # The active tab must be a visible sheet (Excel and LibreOffice refuse or pick another).
    text = _VIEW.sub(lambda m: _set_attr(_set_attr(m.group(0), "activeTab", str(target)),
                                         "firstSheet", None), text, count=1)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', text, count=1)
    return normalize_package(data, {part: text.encode("utf-8")})
