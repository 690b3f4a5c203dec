"""Word documents (.docx, also as written by WPS 文字) → tables as grids and body paragraphs.

python-docx opens the package (it is already a dependency, for the report we write, and parses
without resolving entities; the package has passed `safe_open.check_package_bytes` first). The
body is walked in document order over the raw XML rather than through `Document.tables`, because
the importer needs what python-docx's table API smooths over: a merged cell is one `w:tc` with
`w:gridSpan` (across) or a `w:vMerge` chain (down), rows may start late (`w:gridBefore`), and
rows or cells may sit inside content controls (`w:sdt`). Each merge becomes a grid merge, so a
一级指标 merged down ten rows applies to those ten indicators, exactly as in a workbook.

Tables that follow each other with nothing but empty paragraphs between them are one table (a
form split by a page break, or pasted in two pieces); their rows are numbered on.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..core.errors import PerfevalError
from .content import DocumentContent, DocumentTable, Paragraph, typed_cell, with_captions

__all__ = ["content_from_docx", "DocxUnreadable"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(local: str) -> str:
    return f"{{{_W}}}{local}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_w(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_CUSTOM = _w("customXml")
_T, _TAB, _BR, _CR = _w("t"), _w("tab"), _w("br"), _w("cr")
_FALLBACK = f"{{{_MC}}}Fallback"
_SKIP_TEXT = {_FALLBACK, _w("del"), _w("moveFrom"), _w("instrText"), _w("delText")}
_WRAPPERS = {_SDT, _SDT_CONTENT, _CUSTOM}
_MAX_CELLS = 200_000


class DocxUnreadable(PerfevalError):
    """The Word document could not be read."""


def content_from_docx(path: Path, data: bytes) -> DocumentContent:
    path = Path(path)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, ValueError … on damage
        raise DocxUnreadable("PE919", f"文件「{path.name}」是 Word 文档，但无法解析（{type(exc).__name__}）。"
                                      "请在 Word 或 WPS 中打开后另存为 .docx 再试。", file=path.name) from None
    styles = _style_names(document)
    return _walk(document.element.body, styles)


def _style_names(document) -> dict[str, str]:
    out = {}
    try:
        for style in document.styles:
            if style.style_id:
                out[style.style_id] = (style.name or "").lower()
    except Exception:  # noqa: BLE001 - a damaged styles part only costs the heading hint
        pass
    return out


def _blocks(parent):
    """Body-level paragraphs and tables in document order, through content controls."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _walk(body, styles: dict[str, str]) -> DocumentContent:
    paragraphs: list[Paragraph] = []
    raw_tables: list[tuple[list, list[Paragraph], int]] = []  # (tbl elements, paragraphs before, index)
    pending: list = []  # adjacent tables not yet closed
    before: list[Paragraph] = []
    number = 0
    for block in _blocks(body):
        if block.tag == _TBL:
            if not pending:
                before = paragraphs[-2:]
            pending.extend(_unwrap(block))
            continue
        text = _paragraph_text(block)
        if not text.strip():
            continue  # empty paragraphs neither count nor separate tables
        if pending:
            raw_tables.append((pending, before, len(paragraphs)))
            pending = []
        number += 1
        paragraphs.append(Paragraph(text=text, name=f"第{number}段", heading=_heading_shape(block, styles)))
    if pending:
        raw_tables.append((pending, before, len(paragraphs)))
    tables = []
    for i, (elements, above, at) in enumerate(raw_tables, 1):
        table = _table(elements, f"表格{i}")
        tables.append(with_captions(table, list(above), paragraphs[at:at + 2]))
    return DocumentContent(tables=tables, paragraphs=paragraphs, kind="docx")


def _unwrap(tbl) -> list:
    """A one-cell table used as a frame around the real one (a layout some templates use) is
    the tables inside it."""
    rows = list(_rows(tbl))
    cells = [tc for tr in rows for tc in _cells(tr)]
    if len(cells) == 1:
        inner = [child for child in cells[0] if child.tag == _TBL]
        if inner:
            return [t for child in inner for t in _unwrap(child)]
    return [tbl]


def _heading_shape(p, styles: dict[str, str]) -> bool:
    ppr = p.find(_w("pPr"))
    if ppr is not None:
        style = ppr.find(_w("pStyle"))
        name = styles.get(style.get(_w("val")), "") if style is not None else ""
        if name.startswith(("heading", "title", "标题")) or name.startswith("toc"):
            return True
        if ppr.find(_w("outlineLvl")) is not None:
            return True
        if ppr.find(_w("numPr")) is not None:
            return True  # auto-numbered ("一、" comes from numbering.xml, not the text)
    runs = [r for r in p.iter(_w("r")) if "".join(t.text or "" for t in r.iter(_T)).strip()]
    return bool(runs) and all(_bold(r) for r in runs)


def _bold(run) -> bool:
    rpr = run.find(_w("rPr"))
    if rpr is None:
        return False
    b = rpr.find(_w("b"))
    return b is not None and b.get(_w("val"), "true") not in ("0", "false", "off")


def _paragraph_text(p) -> str:
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts)


def _collect(element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIP_TEXT:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        else:
            _collect(child, parts)


def _rows(tbl):
    for child in tbl:
        if child.tag == _TR:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _rows(child)


def _cells(tr):
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _cells(child)


def _int_val(parent, local: str, default: int = 0) -> int:
    if parent is None:
        return default
    el = parent.find(_w(local))
    if el is None:
        return default
    try:
        return max(0, int(el.get(_w("val"), default)))
    except (TypeError, ValueError):
        return default


def _cell_text(tc) -> str:
    """The cell's paragraphs one per line; a table nested in the cell adds its text too."""
    lines = []
    for child in tc:
        if child.tag == _P:
            lines.append(_paragraph_text(child))
        elif child.tag == _TBL:
            for tr in _rows(child):
                lines.append("\t".join(_cell_text(c) for c in _cells(tr)))
        elif child.tag in _WRAPPERS:
            lines.append(_cell_text(child))
    return "\n".join(lines).strip()


def _table(elements: list, name: str) -> DocumentTable:
    cells = []
    merges = []
    open_down: dict[int, list[int]] = {}  # first grid column -> [row1, col1, row2, col2]
    boxes: list[list[int]] = []
    r = 0
    for tbl in elements:
        for tr in _rows(tbl):
            r += 1
            c = 1 + _int_val(tr.find(_w("trPr")), "gridBefore")
            seen_down = set()
            for tc in _cells(tr):
                tcpr = tc.find(_w("tcPr"))
                span = max(1, _int_val(tcpr, "gridSpan", 1))
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                state = None if vmerge is None else (vmerge.get(_w("val")) or "continue")
                if state == "continue" and c in open_down:
                    open_down[c][2] = r
                    seen_down.add(c)
                    c += span
                    continue
                text = _cell_text(tc)
                cell = typed_cell(r, c, text)
                if cell is not None:
                    cells.append(cell)
                    if len(cells) > _MAX_CELLS:
                        raise DocxUnreadable("PE911", f"表格「{name}」过大（超过 {_MAX_CELLS} 个单元格）。")
                box = [r, c, r, c + span - 1]
                boxes.append(box)
                if state == "restart":
                    open_down[c] = box
                    seen_down.add(c)
                c += span
            # A vertical merge ends at the first row that does not continue it.
            for col in [k for k in open_down if k not in seen_down]:
                del open_down[col]
    for r1, c1, r2, c2 in boxes:
        if r2 > r1 or c2 > c1:
            merges.append((r1, c1, r2, c2))
    return DocumentTable(name=name, cells=cells, merges=merges, addressing="table")
