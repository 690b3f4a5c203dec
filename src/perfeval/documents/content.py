"""What a document reader hands on: tables as grids, paragraphs with their place in the text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..workbook.grid import GridCell, SheetGrid

__all__ = ["Paragraph", "DocumentContent", "DocumentTable", "typed_cell", "with_captions"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    name: str  # how a person finds it again: "第12段", "第3页第2段"
    heading: bool = False  # shaped like a heading: a heading style, bold throughout, an outline level


@dataclass
class DocumentTable(SheetGrid):
    """A document's table as a grid; rows outside the table proper (its title paragraph above,
    a 其他需要说明的问题 paragraph below) are named as the paragraphs they are."""

    outside: dict[int, str] = field(default_factory=dict)

    def cell_name(self, row: int, col: int) -> str:
        if row in self.outside:
            return self.outside[row]
        return super().cell_name(row, col)


@dataclass
class DocumentContent:
    tables: list[DocumentTable]
    paragraphs: list[Paragraph]  # the body text outside the tables, in order
    kind: str = "docx"


# A number as Excel takes it when typed into a cell: "1,241.99", "141%", "-3".
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def typed_cell(row: int, col: int, text: str) -> GridCell | None:
    """A document table cell read the way Excel reads what is typed into a cell.

    A Word or PDF table has no number types: "1241.99" and "95%" are text. Typed into Excel they
    become the number 1241.99 and the number 0.95 shown as a percent, and that is what the clerk
    who wrote the table means; reading them so makes a table in a report score and check exactly
    as the same table in a workbook. Everything else ("达到100%", "≤", "-", "无") stays text.
    """
    if not text or not text.strip():
        return None
    bare = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    percent = bare.endswith("%")
    digits = bare[:-1] if percent else bare
    if _NUMBER.fullmatch(digits):
        try:
            value = Decimal(digits.replace(",", ""))
        except InvalidOperation:
            value = None
        if value is not None:
            if percent:
                return GridCell(row=row, col=col, raw=value / 100, percent_format=True)
            if value == value.to_integral_value() and "." not in digits:
                return GridCell(row=row, col=col, raw=Decimal(int(value)))
            return GridCell(row=row, col=col, raw=value)
    return GridCell(row=row, col=col, raw=text.strip())


_CAPTION_WORDS = ("自评表", "评价表", "绩效", "年度")
_NOTES_START = ("其他需要说明的问题", "其他需要说明的情况")


def with_captions(table: DocumentTable, before: list[Paragraph], after: list[Paragraph]) -> DocumentTable:
    """The table with the title paragraph(s) right above it (rows 0, -1) and a 其他需要说明的问题
    paragraph right below it, as a sheet would have them in its own rows: the title carries the
    year and the form's name, and the notes are part of the form."""
    rows = [c.row for c in table.cells] or [0]
    cells = list(table.cells)
    outside = dict(table.outside)
    row = min(rows) - 1
    for p in reversed(before[-2:]):
        text = p.text.strip()
        if len(text) > 80 or not any(w in text for w in _CAPTION_WORDS):
            break
        cells.append(GridCell(row=row, col=1, raw=text))
        outside[row] = f"{p.name}（表格上方）"
        row -= 1
    row = max(rows) + 1
    for p in after[:2]:
        text = p.text.strip()
        if unicodedata.normalize("NFKC", text).replace(" ", "").startswith(_NOTES_START):
            cells.append(GridCell(row=row, col=1, raw=text))
            outside[row] = f"{p.name}（表格下方）"
            row += 1
    return DocumentTable(name=table.name, cells=cells, merges=list(table.merges), addressing="table",
                         outside=outside)
