"""PDF 自评报告 (exported from Word, WPS or Excel) → tables as grids and body paragraphs.

pdfplumber (MIT, maintained, pure Python over pdfminer.six; its pypdfium2 and Pillow
dependencies ship manylinux and win_amd64 wheels) finds a table by its ruling lines — the cell
borders every Word/WPS/Excel export draws — and gives each cell's box. The grid is rebuilt from
those boxes: the distinct column and row edges are the grid lines, and a box spanning several
of them is a merged cell, so a 一级指标 merged down ten rows is one merge here as in a workbook.
A table that runs on over a page break (it ends at the foot of one page and the next page starts
with a table of the same width) is one table; its rows are numbered on.

Cell text is read from the characters inside each box, lines joined without a space between
Chinese characters (a line break inside a cell is where the column was too narrow, not part of
what was typed). Body text outside the tables is grouped into paragraphs by first-line indent,
short last lines and vertical gaps, named by page: "第3页第2段".

A scanned PDF has pages but no characters: PE916, with what to send instead. Text recognition
(OCR) is out of scope.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import PerfevalError
from .content import DocumentContent, DocumentTable, Paragraph, typed_cell, with_captions

__all__ = ["content_from_pdf", "PdfUnreadable", "MAX_PAGES"]

MAX_PAGES = 300
_EDGE_TOLERANCE = 2.5  # points: borders drawn a hair apart are one grid line
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*\d+[\s\-—–－·]*$|^第\s*\d+\s*页.*$|^\d+\s*/\s*\d+$")
_PARAGRAPH_END = tuple("。！？；：:;!?”」』）)")
_ASCII_WORD = re.compile(r"[0-9A-Za-z%.,)\]]")


class PdfUnreadable(PerfevalError):
    """The PDF could not be read (PE905 encrypted, PE916 scanned, PE919 damaged)."""


def scanned_message(name: str) -> str:
    return (f"文件「{name}」是扫描版 PDF（页面只有图片，没有可读取的文字），本工具不做文字识别，无法读取其中的自评表。"
            "请报送 Word/Excel 原文件，或在 Word、WPS、Excel 中用“另存为/导出为 PDF”直接生成的 PDF（不要打印后扫描）。")


def content_from_pdf(path: Path, data: bytes) -> DocumentContent:
    path = Path(path)
    name = path.name
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise PdfUnreadable("PE919", f"缺少读取 PDF 所需的组件（{exc.name}），请重新安装 perfeval。",
                            file=name) from None
    from ..workbook.safe_open import encrypted_detail

    # pdfminer logs every odd operator of a damaged page as a warning; a clerk's terminal and a
    # batch's output are no place for "Could not set text matrix …".
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except PDFPasswordIncorrect:
        raise PdfUnreadable("PE905", f"文件「{name}」{encrypted_detail(path)}。", file=name) from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise PdfUnreadable("PE905", f"文件「{name}」{encrypted_detail(path)}。", file=name) from None
        raise PdfUnreadable("PE919", f"文件「{name}」是 PDF，但无法解析（{type(exc).__name__}），可能已损坏。"
                                     "请报送 Word/Excel 原文件或重新导出 PDF。", file=name) from None
    try:
        if len(pages) > MAX_PAGES:
            raise PdfUnreadable("PE915", f"文件「{name}」有 {len(pages)} 页，超过上限 {MAX_PAGES} 页，"
                                         "请确认是否选错了文件。", file=name)
        return _read(pages, name)
    except PerfevalError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged page stream
        raise PdfUnreadable("PE919", f"文件「{name}」是 PDF，但无法读取页面内容（{type(exc).__name__}），可能已损坏。"
                                     "请报送 Word/Excel 原文件或重新导出 PDF。", file=name) from None
    finally:
        pdf.close()


# ------------------------------------------------------------------------------------- reading


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    width: float = 0.0  # the page's: portrait and landscape pages have their own margins


@dataclass
class _Part:
    """One page's piece of a table."""

    page: int
    bbox: tuple[float, float, float, float]
    cells: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)


def _read(pages, name: str) -> DocumentContent:
    events: list[tuple[str, object]] = []  # ("line", _Line) | ("table", _Part), reading order
    any_chars = False
    for number, page in enumerate(pages, 1):
        page = page.dedupe_chars()
        chars = [c for c in page.chars if c.get("text", "").strip()]
        any_chars = any_chars or bool(chars)
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]
        parts = [_part(number, t, chars) for t in tables]
        outside = [c for c in chars if not any(_inside(c, b) for b in boxes)]
        lines = _lines(outside, number, page.width)
        items: list[tuple[float, str, object]] = [(ln.top, "line", ln) for ln in lines]
        items += [(p.bbox[1], "table", p) for p in parts]
        events += [(kind, obj) for _top, kind, obj in sorted(items, key=lambda t: (t[0], t[1] != "table"))]
    if not any_chars:
        raise PdfUnreadable("PE916", scanned_message(name), file=name)
    events = _drop_running_lines(events)
    return _assemble(events)


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _part(page: int, table, chars: list[dict]) -> _Part:
    part = _Part(page=page, bbox=tuple(table.bbox))
    cells = [tuple(c) for c in table.cells]
    mine: dict[int, list[dict]] = {i: [] for i in range(len(cells))}
    for ch in chars:
        if not _inside(ch, part.bbox):
            continue
        best = None
        for i, box in enumerate(cells):
            if _inside(ch, box) and (best is None or _area(box) < _area(cells[best])):
                best = i
        if best is not None:
            mine[best].append(ch)
    part.cells = [(box, _cell_text(mine[i], page)) for i, box in enumerate(cells)]
    return part


def _area(box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _lines(chars: list[dict], page: int, width: float = 0.0) -> list[_Line]:
    out: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        size = ch.get("size") or (ch["bottom"] - ch["top"]) or 10
        if out and abs(ch["top"] - out[-1][0]["top"]) < 0.6 * size:
            out[-1].append(ch)
        else:
            out.append([ch])
    lines = []
    for group in out:
        group.sort(key=lambda c: c["x0"])
        size = max(c.get("size") or 10 for c in group)
        lines.append(_Line(
            text=_join_chars(group), x0=group[0]["x0"], x1=group[-1]["x1"],
            top=min(c["top"] for c in group), bottom=max(c["bottom"] for c in group), size=size,
            bold=all(_is_bold(c.get("fontname", "")) for c in group), page=page, width=width,
        ))
    return lines


def _is_bold(font: str) -> bool:
    f = font.lower()
    return any(w in f for w in ("bold", "heavy", "black", "hei", "demi"))


def _join_chars(chars: list[dict]) -> str:
    """Characters of one line; a space only where the gap is wide and a side is not Chinese."""
    out = []
    prev = None
    for ch in chars:
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            size = ch.get("size") or 10
            if gap > 0.25 * size and (_ASCII_WORD.match(prev["text"]) or _ASCII_WORD.match(ch["text"])):
                out.append(" ")
        out.append(ch["text"])
        prev = ch
    return "".join(out)


def _cell_text(chars: list[dict], page: int) -> str:
    lines = [ln.text for ln in _lines(chars, page)]
    text = ""
    for line in lines:
        if text and _ASCII_WORD.match(text[-1]) and re.match(r"[0-9A-Za-z]", line[:1]):
            text += " "
        text += line
    return text.strip()


def _drop_running_lines(events):
    """Page numbers, and a running header or footer repeated at the same height on most pages."""
    lines = [obj for kind, obj in events if kind == "line"]
    pages = {ln.page for ln in lines}
    seen: dict[tuple[str, int], set[int]] = {}
    for ln in lines:
        seen.setdefault((ln.text, round(ln.top / 3)), set()).add(ln.page)
    running = {k for k, v in seen.items() if len(pages) >= 3 and len(v) >= max(3, len(pages) // 2)}
    out = []
    for kind, obj in events:
        if kind == "line" and (_PAGE_NUMBER.match(obj.text.strip()) or (obj.text, round(obj.top / 3)) in running):
            continue
        out.append((kind, obj))
    return out


# ------------------------------------------------------------------------------------- assembly


def _assemble(events) -> DocumentContent:
    paragraphs: list[Paragraph] = []
    tables: list[tuple[list[_Part], int]] = []  # parts, paragraphs before it
    current: list[_Line] = []
    per_page: dict[int, int] = {}
    margins = _margins(events)
    last_kind = None
    since_table: list[_Line] = []  # body lines after the last table part
    para_pages: list[int] = []  # the page each paragraph starts on
    after_table = 0  # paragraphs there were when the last table part ended

    def close() -> None:
        if not current:
            return
        first = current[0]
        per_page[first.page] = per_page.get(first.page, 0) + 1
        text = _paragraph_text(current)
        if text.strip():
            paragraphs.append(Paragraph(text=text, name=f"第{first.page}页第{per_page[first.page]}段",
                                        heading=all(ln.bold for ln in current) and len(current) <= 2))
            para_pages.append(first.page)
        else:
            per_page[first.page] -= 1
        current.clear()

    for kind, obj in events:
        if kind == "table":
            if tables and last_kind is not None and _continues(tables[-1][0][-1], obj) and \
                    _only_strays(since_table, tables[-1][0][-1], obj):
                # The lines in between were text spilling out of the cells at the page break.
                current.clear()
                for page in para_pages[after_table:]:
                    per_page[page] -= 1
                del paragraphs[after_table:], para_pages[after_table:]
                tables[-1][0].append(obj)
            else:
                close()
                tables.append(([obj], len(paragraphs)))
            last_kind = "table"
            since_table = []
            after_table = len(paragraphs)
            continue
        line: _Line = obj
        since_table.append(line)
        if current and _starts_paragraph(current[-1], line, margins):
            close()
        current.append(line)
        last_kind = "line"
    close()
    out = []
    for i, (parts, at) in enumerate(tables, 1):
        table = _grid(parts, f"表格{i}")
        out.append(with_captions(table, paragraphs[max(0, at - 2):at], paragraphs[at:at + 2]))
    return DocumentContent(tables=out, paragraphs=paragraphs, kind="pdf")


def _only_strays(lines: list[_Line], above: _Part, below: _Part) -> bool:
    """Nothing but a line or two hugging the page break between two parts of one table."""
    if len(lines) > 2:
        return False
    return all((ln.page == above.page and ln.top - above.bbox[3] < 20)
               or (ln.page == below.page and below.bbox[1] - ln.bottom < 20) for ln in lines)


def _margins(events) -> dict[float, tuple[float, float]]:
    """(left, right) text margins per page width: the most common line start, the widest end."""
    by_width: dict[float, list[_Line]] = {}
    for kind, obj in events:
        if kind == "line":
            by_width.setdefault(round(obj.width), []).append(obj)
    out = {}
    for width, lines in by_width.items():
        starts: dict[int, int] = {}
        for ln in lines:
            starts[round(ln.x0)] = starts.get(round(ln.x0), 0) + 1
        left = min(k for k, v in starts.items() if v == max(starts.values()))
        out[width] = (float(left), max(ln.x1 for ln in lines))
    return out


def _starts_paragraph(prev: _Line, line: _Line, margins) -> bool:
    left, _right = margins.get(round(line.width), (line.x0, line.x1))
    _p_left, p_right = margins.get(round(prev.width), (prev.x0, prev.x1))
    size = line.size or 10
    if line.x0 > left + 0.8 * size:
        return True  # first-line indent, or a centred / right-aligned line
    short = p_right - prev.x1
    # A line that stops short ended its paragraph — unless it only made room for what may not
    # start a line ("府，", "100%。" wrapped whole): then it ends short but not with a stop.
    unit = prev.size or size
    if short > 1.5 * unit and prev.text.rstrip().endswith(_PARAGRAPH_END):
        return True
    if short > 8 * unit or abs(unit - size) > 1:
        return True  # well short, or another font size (a title, a heading)
    if line.page == prev.page and line.top - prev.bottom > 1.2 * size:
        return True
    return prev.bold != line.bold


def _paragraph_text(lines: list[_Line]) -> str:
    text = ""
    for ln in lines:
        if text and _ASCII_WORD.match(text[-1]) and re.match(r"[0-9A-Za-z]", ln.text[:1]):
            text += " "
        text += ln.text
    return text.strip()


def _continues(previous: _Part, part: _Part) -> bool:
    """The next page's first table goes on with this one: same width and left edge."""
    return (part.page == previous.page + 1 and abs(previous.bbox[0] - part.bbox[0]) < 3
            and abs(previous.bbox[2] - part.bbox[2]) < 3)


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _join_split_row(a: _Part, b: _Part) -> None:
    """Word lets a row break across pages: the next page's table then starts with the rest of the
    last row — text only in columns whose text did not fit, nothing in the others. That piece is
    put back into the row it belongs to, instead of becoming an indicator of its own."""
    if not a.cells or not b.cells:
        return
    tol = _EDGE_TOLERANCE
    b_top = min(box[1] for box, _ in b.cells)
    b_edges = _cluster([box[1] for box, _ in b.cells] + [box[3] for box, _ in b.cells])
    second = next((e for e in b_edges if e > b_top + tol), None)
    if second is None:
        return
    a_bottom = max(box[3] for box, _ in a.cells)
    ending = [(box, t) for box, t in a.cells if abs(box[3] - a_bottom) < tol]
    last_top = max(box[1] for box, _ in ending)
    own = [(box, t) for box, t in ending if abs(box[1] - last_top) < tol]
    row_one = [(box, t) for box, t in b.cells if abs(box[1] - b_top) < tol]
    first = [(box, t) for box, t in row_one if t]
    if not first:
        return
    # A short value (a number, "100%") never overflows onto the next page; a piece that leaves
    # such a column empty is the rest of the row above, a row of its own fills it.
    def same_column(x, y):
        return abs(x[0] - y[0]) < tol and abs(x[2] - y[2]) < tol

    short_left_empty = any(
        t and len(t) <= 8 and re.search(r"\d", t)
        and any(same_column(box, bbox) and not bt and abs(bbox[3] - second) < tol for bbox, bt in row_one)
        for box, t in own)
    if not short_left_empty:
        return

    def match(box):
        return next((i for i, (abox, t) in enumerate(a.cells) if t and abs(abox[3] - a_bottom) < tol
                     and abs(abox[1] - last_top) < tol and abs(abox[0] - box[0]) < tol
                     and abs(abox[2] - box[2]) < tol), None)

    targets = [match(box) for box, _ in first]
    if any(t is None for t in targets):
        return
    for (_box, text), i in zip(first, targets, strict=True):
        abox, atext = a.cells[i]
        a.cells[i] = (abox, _joined(atext, text))
    cells = []
    for box, text in b.cells:
        if abs(box[1] - b_top) < tol:
            if abs(box[3] - second) < tol:
                continue  # the row's remainder, now joined above
            box = (box[0], second, box[2], box[3])
        cells.append((box, text))
    b.cells = cells


def _joined(head: str, tail: str) -> str:
    if head and _ASCII_WORD.match(head[-1]) and re.match(r"[0-9A-Za-z]", tail[:1]):
        return f"{head} {tail}"
    return head + tail


def _grid(parts: list[_Part], name: str) -> DocumentTable:
    for a, b in zip(parts, parts[1:]):
        _join_split_row(a, b)
    boxes = []
    offset = 0.0
    for part in parts:
        for (x0, top, x1, bottom), text in part.cells:
            boxes.append(((x0, top + offset, x1, bottom + offset), text))
        offset += part.bbox[3] + 10_000  # pages stacked: each part's rows below the last's
    xs = _cluster([b[0] for b, _ in boxes] + [b[2] for b, _ in boxes])
    ys = _cluster([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes])
    placed = []
    for (x0, top, x1, bottom), text in sorted(boxes, key=lambda b: (b[0][1], b[0][0])):
        c1, c2 = _index(xs, x0) + 1, _index(xs, x1)
        r1, r2 = _index(ys, top) + 1, _index(ys, bottom)
        placed.append((r1, c1, max(r1, r2), max(c1, c2), text))
    # A row is where some cell starts; the gap between two pages' parts starts none and goes.
    starts = sorted({r1 for r1, *_ in placed})

    def row(edge_row: int) -> int:
        return sum(1 for s in starts if s <= edge_row)

    cells = []
    merges = []
    taken = set()
    for r1, c1, r2, c2, text in placed:
        r1, r2 = row(r1), row(r2)
        if (r1, c1) in taken:
            continue
        taken.add((r1, c1))
        cell = typed_cell(r1, c1, text)
        if cell is not None:
            cells.append(cell)
        if r2 > r1 or c2 > c1:
            merges.append((r1, c1, r2, c2))
    return DocumentTable(name=name, cells=cells, merges=merges, addressing="table")
