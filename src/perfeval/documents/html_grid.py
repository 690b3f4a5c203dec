"""Web pages named .xls — what many budget systems export as "Excel" — as tables and text.

Excel opens such a file as a sheet, so clerks send it on as a workbook; it is an HTML table with
``rowspan``/``colspan`` for merged cells and the values as displayed ("95%", "1,241.99"). Parsed
with lxml's HTML parser (a dependency already; it fetches nothing and expands no entities), the
text decoded by the page's own charset, else UTF-8, else GB18030 — the encodings these exports
use. Spans are clamped as browsers clamp them, so a crafted colspan cannot make a million cells.
Cells are read like a Word table's (`content.typed_cell`), tables named 表格1, 表格2 ….
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import PerfevalError
from .content import DocumentContent, DocumentTable, Paragraph, typed_cell, with_captions

__all__ = ["content_from_html", "looks_like_html"]

_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 65534  # the HTML standard's limits
_MAX_CELLS = 200_000
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "caption", "center", "li"}


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        head = data[:4096].decode("utf-16", "ignore").lower().encode("utf-8", "ignore")
    return head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in head[:1024]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
            name = "gb18030"  # a superset: characters outside GB2312 still decode
        try:
            return data.decode(name, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def content_from_html(path: Path, data: bytes) -> DocumentContent:
    path = Path(path)
    try:
        import lxml.html

        root = lxml.html.document_fromstring(_decode(data))
    except Exception as exc:  # noqa: BLE001 - lxml raises ParserError on junk
        raise PerfevalError("PE919", f"文件「{path.name}」是网页（HTML）文件，但无法解析（{type(exc).__name__}）。"
                                     "请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再试。",
                            file=path.name) from None
    for bad in root.xpath("//script|//style|//head"):
        bad.getparent().remove(bad)
    paragraphs: list[Paragraph] = []
    raw_tables = []  # (element, paragraphs before)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "table" and not any(a.tag == "table" for a in el.iterancestors()):
            raw_tables.append((el, len(paragraphs)))
        elif el.tag in _BLOCKS and not any(a.tag == "table" for a in el.iterancestors()) \
                and not any(d.tag == "table" or d.tag in _BLOCKS for d in el.iterdescendants()):
            text = _text(el)
            if text:
                paragraphs.append(Paragraph(text=text, name=f"第{len(paragraphs) + 1}段"))
    tables = []
    for i, (el, at) in enumerate(raw_tables, 1):
        table = _table(el, f"表格{i}", path)
        tables.append(with_captions(table, paragraphs[max(0, at - 2):at], paragraphs[at:at + 2]))
    return DocumentContent(tables=tables, paragraphs=paragraphs, kind="html")


def _text(el) -> str:
    parts = []
    for node in el.iter():
        if node.tag == "br":
            parts.append("\n")
        if node.text and node.tag not in ("script", "style"):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    text = "".join(parts).replace("\xa0", " ")
    return "\n".join(re.sub(r"[ \t\r\f]+", " ", line).strip() for line in text.split("\n")).strip()


def _span(value: str | None, limit: int) -> int:
    try:
        return min(max(1, int(str(value).strip() or 1)), limit)
    except ValueError:
        return 1


def _table(table, name: str, path: Path) -> DocumentTable:
    rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
    taken: set[tuple[int, int]] = set()
    cells = []
    merges = []
    for r, tr in enumerate(rows, 1):
        c = 1
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            cols = _span(td.get("colspan"), _MAX_COLSPAN)
            down = _span(td.get("rowspan"), _MAX_ROWSPAN)
            down = min(down, len(rows) - r + 1)  # a rowspan past the table's end stops there
            if len(taken) + cols * down > _MAX_CELLS:
                raise PerfevalError("PE911", f"文件「{path.name}」的表格过大（合并区域超过 {_MAX_CELLS} 个单元格）。",
                                    file=path.name)
            for rr in range(r, r + down):
                for cc in range(c, c + cols):
                    taken.add((rr, cc))
            cell = typed_cell(r, c, _text(td))
            if cell is not None:
                cells.append(cell)
            if cols > 1 or down > 1:
                merges.append((r, c, r + down - 1, c + cols - 1))
            c += cols
    return DocumentTable(name=name, cells=cells, merges=merges, addressing="table")


def _owner(tr):
    return next((a for a in tr.iterancestors() if a.tag == "table"), None)
