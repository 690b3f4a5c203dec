"""The 汇总说明 sheet of a consolidated workbook: how every figure of the department's form came about.

One row model (`sheet_lines`: the top lines, then each table of `layout.CONSOLIDATION` as a
heading, a header row and its items) is written straight as worksheet XML into the package
`build_workbook` made. Nothing is re-saved through openpyxl: a 500-unit consolidation has tens of
thousands of rows, which openpyxl wrote cell by cell with styles in a quarter of the run, and a
re-save would also drop the 自评表's cached results that viewers without the add-in show.

Text from the units' forms is data: characters XML cannot hold are dropped, a text that starts
like a formula is marked as typed text (quotePrefix), and a cell shows at most Excel's 32,767
characters (the text is cut there, with its length said; the forms themselves are not touched).
"""

from __future__ import annotations

import io
import itertools
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from ..outputs import FORMULA_TRIGGERS, xml_safe_text
from . import layout as L
from .package_xml import write_package

__all__ = ["Line", "add_consolidation_sheet", "cell_text", "sheet_lines"]

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True, slots=True)
class Line:
    """One row of the sheet: a sentence (title / line / heading / empty), or a table's header or item."""

    row: int
    style: str  # title, line, heading, empty, header, item
    table: L.ConsolidationTable | None = None
    values: Mapping[str, object] = field(default_factory=dict)  # field key → value (a sentence: "text")
    review: bool = False  # an item that needs a person (待核实)


# ---------------------------------------------------------------------------------------------
# the row model


def sheet_lines(result, lay: L.ConsolidationLayout = L.CONSOLIDATION) -> Iterator[Line]:
    """Every row of 汇总说明 for a `consolidate.ConsolidationResult`, top to bottom."""
    from ..consolidate.texts import files_line, method_line, result_line, review_line

    title = f"{result.form.display_name} 汇总说明 —— "
    top = ((lay.files_row, "title", title + files_line(result, lay.files_line_limit)),
           (lay.method_row, "line", method_line(result)),
           (lay.result_row, "line", result_line(result)),
           (lay.warning_row, "warning", review_line(result)))
    for row, style, text in top:
        if text:
            yield Line(row=row, style=style, values={"text": text})
    row = lay.first_table_row
    for table in lay.tables:
        items = _items(table.key, result)  # streamed: the detail table has a row per unit and indicator
        first = next(items, None)
        yield Line(row=row, style="heading", values={"text": table.heading})
        row += 1
        if first is None:
            yield Line(row=row, style="empty", values={"text": table.empty})
            row += 2
            continue
        yield Line(row=row, style="header", table=table, values={c.key: c.header for c in table.columns})
        row += 1
        for values, review in itertools.chain((first,), items):
            yield Line(row=row, style="item", table=table, values=values, review=review)
            row += 1
        row += 1


def _items(key: str, result) -> Iterator[tuple[dict[str, object], bool]]:
    if key == "units":
        for u in result.units:
            yield {"position": u.position, "role": u.role, "name": u.name, "file": u.file or u.source,
                   "fund": u.fund, "fund_from": u.fund_from, "share": u.share, "initial": u.initial,
                   "full_year": u.full_year, "actual": u.actual, "total": u.total, "grade": u.grade,
                   "profile": u.profile_name, "errors": u.errors, "warnings": u.warnings}, False
    elif key == "skipped":
        for s in result.skipped:
            yield {"file": s.file, "code": s.code, "reason": s.message}, False
    elif key == "budget":
        for b in result.budget:
            yield {"label": b.label, "initial": b.initial, "full_year": b.full_year, "actual": b.actual,
                   "blank_in": "、".join(b.blank_in)}, False
    elif key == "detail":
        for ind in result.indicators:
            first = {"row": ind.row, "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
                     "method": ind.method.label, "target": ind.target, "value": ind.value_text,
                     "weight": ind.weight, "score": ind.score, "score_note": ind.score_note,
                     "unit_score_avg": ind.weighted_unit_score}
            extra = list(ind.notes) + ([f"缺少此指标的单位：{'、'.join(ind.missing_in)}"] if ind.missing_in else [])
            for k, c in enumerate(ind.contributions or (None,)):
                values = dict(first)
                notes = [] if c is None or not c.note else [c.note]
                if k == 0:
                    notes += extra
                if c is not None:
                    values.update({"unit": c.unit, "unit_file": c.file, "fund": c.fund, "share": c.share,
                                   "unit_target": c.target, "unit_actual": c.actual, "unit_weight": c.weight,
                                   "unit_score": c.score, "included": "是" if c.included else "否",
                                   "unit_reason": c.reason})
                values["note"] = "；".join(notes)
                if k:  # long per-indicator texts once; the short ones repeat so that a filter keeps them
                    values["score_note"] = None
                yield values, ind.to_review
    elif key == "unmatched":
        for u in result.unmatched:
            yield {"level1": u.level1, "level2": u.level2, "level3": u.level3,
                   "present_in": "、".join(u.present_in) or "（无）", "missing_in": "、".join(u.missing_in)}, False
    elif key == "notes":
        for i, n in enumerate(result.notes, 1):
            yield {"number": i, "text": n}, False


# ---------------------------------------------------------------------------------------------
# cells

_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def cell_text(text: str, limit: int = L.CONSOLIDATION.cell_text_limit) -> str:
    """What a cell shows of `text`: XML-safe, at most `limit` characters as Excel counts them
    (room is left for the escapes `_xml_text` adds, for readers that do not undo them)."""
    s = xml_safe_text(text)
    if 2 * len(s) > limit - 7:
        budget = limit - (7 * len(_OOXML_ESCAPE.findall(s)) if "_x" in s else 0)
        if _utf16_len(s) > budget:
            note = f"…（共 {len(s)} 字，此处只显示开头）"
            keep = budget - _utf16_len(note)
            cut = s[:keep]
            while _utf16_len(cut) > keep:  # astral characters count twice in Excel
                cut = cut[:-1]
            s = cut + note
    return s


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _xml_text(s: str) -> str:
    # A literal "_x0041_" would be read back as "A" (OOXML's escape for characters XML lacks).
    if "_x" in s:
        s = _OOXML_ESCAPE.sub(r"_x005F_\1", s)
    return escape(s)


def _number(v: object) -> str | None:
    t = type(v)
    if t is int:
        return str(v)
    if t is Decimal or t is float:
        f = float(v)  # type: ignore[arg-type]
        if not math.isfinite(f):  # a budget typed as 1e400 is shown as text, not as a broken number
            return None
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    return None


# ---------------------------------------------------------------------------------------------
# styles: appended to the workbook's own styles.xml

_FONTS = {
    "plain": '<font><name val="宋体"/><sz val="10"/></font>',
    "bold": '<font><name val="宋体"/><b val="1"/><sz val="10"/></font>',
    "heading": '<font><name val="黑体"/><b val="1"/><sz val="12"/></font>',
    "title": '<font><name val="黑体"/><b val="1"/><sz val="12"/></font>',
    "warning": '<font><name val="宋体"/><b val="1"/><color rgb="FFC00000"/><sz val="10"/></font>',
}
_FILLS = {
    "header": '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill>',
    "review": '<fill><patternFill patternType="solid"><fgColor rgb="FFFCE4D6"/><bgColor indexed="64"/></patternFill></fill>',
}
# style name → (font, fill or None, built-in number format id, wrap)
_XFS = {
    "text": ("plain", None, 0, True),
    "number": ("plain", None, 0, False),
    "money": ("plain", None, 4, False),  # #,##0.00
    "share": ("plain", None, 10, False),  # 0.00%
    "score": ("plain", None, 2, False),  # 0.00
    "header": ("bold", "header", 0, True),
    "heading": ("heading", None, 0, False),
    "title": ("title", None, 0, False),
    "line": ("plain", None, 0, False),
    "warning": ("warning", None, 0, False),
    "empty": ("plain", None, 0, False),
}


_ITEM = {"fonts": "font", "fills": "fill", "cellXfs": "xf"}


def _append(xml: str, tag: str, items: list[str]) -> tuple[str, int]:
    """Append items to <tag count="n">…</tag>; the index of the first one appended."""
    m = re.search(rf"<{tag}\b[^>]*?(/?)>", xml)
    if m is None:
        raise ValueError(f"styles.xml has no <{tag}>")
    if m.group(1):  # <tag count="0"/>
        start = 0
        new = f'<{tag} count="{len(items)}">' + "".join(items) + f"</{tag}>"
        return xml[: m.start()] + new + xml[m.end():], start
    end = xml.index(f"</{tag}>", m.end())
    start = len(re.findall(rf"<{_ITEM[tag]}\b", xml[m.end():end]))
    head = re.sub(r'\scount="\d+"', "", m.group(0)).replace(f"<{tag}", f'<{tag} count="{start + len(items)}"', 1)
    return xml[: m.start()] + head + xml[m.end():end] + "".join(items) + xml[end:], start


def _add_styles(styles_xml: str) -> tuple[str, dict[tuple[str, bool, bool], int]]:
    """The styles.xml with ours appended, and (style, quoted, review) → cellXfs index."""
    xml, font0 = _append(styles_xml, "fonts", list(_FONTS.values()))
    xml, fill0 = _append(xml, "fills", list(_FILLS.values()))
    font_ids = {k: font0 + i for i, k in enumerate(_FONTS)}
    fill_ids = {k: fill0 + i for i, k in enumerate(_FILLS)}
    xfs, keys = [], []
    for name, (font, fill, numfmt, wrap) in _XFS.items():
        for quoted in (False, True):
            for review in (False, True):
                fill_id = fill_ids["review"] if review else (fill_ids[fill] if fill else 0)
                attrs = (f'numFmtId="{numfmt}" fontId="{font_ids[font]}" fillId="{fill_id}" borderId="0" xfId="0"'
                         f' applyFont="1" applyAlignment="1"' + (' applyNumberFormat="1"' if numfmt else "")
                         + (' applyFill="1"' if fill_id else "") + (' quotePrefix="1"' if quoted else ""))
                align = '<alignment vertical="top"' + (' wrapText="1"' if wrap else "") + "/>"
                xfs.append(f"<xf {attrs}>{align}</xf>")
                keys.append((name, quoted, review))
    xml, xf0 = _append(xml, "cellXfs", xfs)
    return xml, {k: xf0 + i for i, k in enumerate(keys)}


# ---------------------------------------------------------------------------------------------
# the sheet


_SENTENCE_STYLES = frozenset({"header", "heading", "title", "line", "warning", "empty"})


class _Cells:
    """Cell XML with what repeats memoised: a 500-unit sheet has ~500,000 cells, most of them a
    unit name, an indicator name or a figure seen many times over. What follows a cell's
    address depends only on (value, style, review), so that part is built once."""

    def __init__(self, ids: Mapping[tuple[str, bool, bool], int]) -> None:
        self.ids = ids
        self._tails: dict[tuple[object, str, bool], str] = {}

    def cell(self, ref: str, value: object, style: str, review: bool) -> str:
        key = (value, style, review)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tail(value, style, review)
            if not (isinstance(value, str) and len(value) > 200) and len(self._tails) < 100_000:
                self._tails[key] = tail  # names, labels and figures repeat; long reasons do not
        return f'<c r="{ref}"{tail}'

    def _tail(self, value: object, style: str, review: bool) -> str:
        number = _number(value)
        if number is not None:
            return f' s="{self.ids[(style, False, review)]}"><v>{number}</v></c>'
        shown = cell_text(value if isinstance(value, str) else str(value))
        space = ' xml:space="preserve"' if shown != shown.strip() or "\n" in shown else ""
        text_style = style if style in _SENTENCE_STYLES else "text"
        quoted = shown.startswith(FORMULA_TRIGGERS)
        return (f' s="{self.ids[(text_style, quoted, review)]}" t="inlineStr"><is><t{space}>'
                f"{_xml_text(shown)}</t></is></c>")


def _sheet_xml(lines: Iterable[Line], ids: Mapping[tuple[str, bool, bool], int],
               lay: L.ConsolidationLayout) -> memoryview:
    buf = io.BytesIO()
    buf.write((
        f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<sheetViews><sheetView workbookViewId="0" zoomScale="{lay.zoom}" zoomScaleNormal="{lay.zoom}"/>'
        '</sheetViews><sheetFormatPr defaultRowHeight="13.5"/><cols>'
        + "".join(f'<col min="{_col_index(col)}" max="{_col_index(col)}" width="{width}" customWidth="1"/>'
                  for col, width in lay.widths)
        + "</cols><sheetData>").encode("utf-8"))
    cells = _Cells(ids)
    pending: list[str] = []
    for ln in lines:
        if ln.table is None:
            row = cells.cell(lay.line_cell(ln.row), ln.values.get("text"), ln.style, ln.review)
        else:
            parts = []
            header = ln.style == "header"
            values, r, review = ln.values, ln.row, ln.review
            for c in ln.table.columns:
                value = values.get(c.key)
                style = "header" if header else c.style
                if value is None or value == "":
                    if review:  # the whole row is marked, empty cells included
                        parts.append(f'<c r="{L.cell(c.col, r)}" s="{ids[(style, False, True)]}"/>')
                    continue
                parts.append(cells.cell(L.cell(c.col, r), value, style, review))
            row = "".join(parts)
        pending.append(f'<row r="{ln.row}">{row}</row>')
        if len(pending) >= 1000:
            buf.write("".join(pending).encode("utf-8"))
            pending.clear()
    buf.write("".join(pending).encode("utf-8"))
    buf.write(b'</sheetData><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
              b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    return buf.getbuffer()  # not getvalue(): a 500-unit sheet is tens of MB, and zip reads it once


def _col_index(col: str) -> int:
    n = 0
    for ch in col:
        n = n * 26 + ord(ch) - 64
    return n


# ---------------------------------------------------------------------------------------------
# the package


def add_consolidation_sheet(data: bytes, result, lay: L.ConsolidationLayout = L.CONSOLIDATION) -> bytes:
    """The workbook `build_workbook` made, with 汇总说明 added just before 配置.

    The other parts are kept byte for byte, so the 自评表's cached results stay where the
    builder put them.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: src.read(n) for n in src.namelist()}
    styles, ids = _add_styles(parts["xl/styles.xml"].decode("utf-8"))
    parts["xl/styles.xml"] = styles.encode("utf-8")

    numbers = [int(m) for n in parts for m in re.findall(r"^xl/worksheets/sheet(\d+)\.xml$", n)]
    part = f"xl/worksheets/sheet{max(numbers, default=0) + 1}.xml"
    parts[part] = _sheet_xml(sheet_lines(result, lay), ids, lay)

    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    ids_used = [int(x) for x in re.findall(r'Id="rId(\d+)"', rels)]
    rid = f"rId{max(ids_used, default=0) + 1}"
    rels = rels.replace("</Relationships>", f'<Relationship Type="{_WORKSHEET_TYPE}" Target="/{part}" Id="{rid}"/>'
                                            "</Relationships>")
    parts["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")

    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{_WORKSHEET_CT}"/></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")

    parts["xl/workbook.xml"] = _insert_sheet(parts["xl/workbook.xml"].decode("utf-8"), rid).encode("utf-8")
    return write_package(parts, order=list(src.namelist()) + [part])


def _insert_sheet(workbook_xml: str, rid: str) -> str:
    sheets = list(re.finditer(r"<sheet\b[^>]*/>", workbook_xml))
    names = [re.search(r'\sname="([^"]*)"', m.group(0)).group(1) for m in sheets]  # type: ignore[union-attr]
    index = names.index(L.SHEET_CONFIG) if L.SHEET_CONFIG in names else len(sheets)
    sheet_id = max((int(re.search(r'sheetId="(\d+)"', m.group(0)).group(1)) for m in sheets), default=0) + 1  # type: ignore[union-attr]
    new = (f'<sheet xmlns:r="{_NS_REL}" name="{escape(L.SHEET_CONSOLIDATION)}" sheetId="{sheet_id}" '
           f'state="visible" r:id="{rid}"/>')
    at = sheets[index].start() if index < len(sheets) else sheets[-1].end()
    xml = workbook_xml[:at] + new + workbook_xml[at:]

    # Defined names point at sheets by position; those after the new sheet move one along.
    def shift(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f'localSheetId="{n + 1 if n >= index else n}"'

    return re.sub(r'localSheetId="(\d+)"', shift, xml)
