"""Render a `ReportDoc` as a Word file laid out after GB/T 9704-2012 党政机关公文格式.

What Word allows of the standard: A4, margins 37/35/28/26 mm, 22 lines of 三号 仿宋 at a fixed
28.95 pt pitch, title in 二号 方正小标宋简体, headings 黑体 / 楷体 / bold 仿宋, page numbers
“— 1 —” in 四号 宋体 (odd pages right, even pages left, one character in from the edge), and the
自评表 on a landscape section with a header row repeated on every page.

Fonts. A Chinese government machine has 仿宋_GB2312, 楷体_GB2312 and 方正小标宋简体 installed; a
stock Windows has only 仿宋, 楷体, 宋体, 黑体; LibreOffice on Linux usually has Noto CJK. Three
layers make each of them pick something sensible:

1. Every style names the GB font in ``w:rFonts`` for all four slots (ascii, hAnsi, eastAsia, cs)
   with the theme attributes removed. python-docx's ``font.name`` writes ascii/hAnsi only, which
   leaves Chinese text in the theme's East Asian font; a ``*Theme`` attribute would also override
   the explicit name, so they must go.
2. The font table (word/fontTable.xml) is rewritten to list those fonts with ``w:altName`` set to
   the stock Windows font (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体), the
   GB2312 charset and a PANOSE class. Word and WPS substitute through altName and charset when the
   named font is missing. LibreOffice ignores altName (writerfilter's FontTable.cxx drops it), so
   for its PDF export `pdf.py` adds fontconfig aliases to Noto Serif/Sans CJK SC instead.
3. The theme's East Asian fonts and docDefaults are set to 仿宋 / 黑体 so that anything a clerk
   adds later in a theme-based style still comes out in a 公文 face rather than 宋体 or Calibri.

Output is deterministic: core properties are fixed (author “perfeval”, timestamps from the report
date or a constant) and the package is re-zipped with fixed entry timestamps, so the same input
gives the same bytes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from ..outputs import xml_safe_text
from ..workbook.package_xml import normalize_package
from .compose import Attachment, Heading, Imprint, Note, Paragraph, ReportDoc, Table

__all__ = ["render_docx"]

# GB/T 9704 sizes: 二号 22 pt, 三号 16 pt, 四号 14 pt; 五号 10.5 pt for the table.
FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
SIZE_TITLE = 22
SIZE_BODY = 16
SIZE_PAGE_NUMBER = 14
SIZE_TABLE = 10.5
SIZE_ATTACHMENT_TEXT = 12
LINE_PITCH = 28.95  # 225 mm of 版心 / 22 lines
RED = RGBColor(0xFF, 0x00, 0x00)

# (name, altName, PANOSE, family, pitch) for the font table; charset 86 = GB2312.
_FONT_TABLE = (
    ("仿宋_GB2312", "仿宋", "02010609030101010101", "modern", "fixed"),
    ("楷体_GB2312", "楷体", "02010609030101010101", "modern", "fixed"),
    ("方正小标宋简体", "宋体", "02000000000000000000", "roman", "variable"),
    ("黑体", "SimHei", "02010609060101010101", "modern", "fixed"),
    ("宋体", "SimSun", "02010600030101010101", "auto", "variable"),
    ("仿宋", "FangSong", "02010609060101010101", "modern", "fixed"),
    ("楷体", "KaiTi", "02010609060101010101", "modern", "fixed"),
)

_FIXED_STAMP = datetime(2000, 1, 1)
_SPLITTABLE_ROW_CHARS = 400
SIZE_IMPRINT = 14  # 四号
COMMENT_AUTHOR = "perfeval 校验"
COMMENT_INITIALS = "PE"

# ---------------------------------------------------------------------------------------------
# Low-level XML helpers.


def _set_fonts(rpr, name: str) -> None:
    """Name `name` for all scripts, dropping theme references that would win over it."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), name)
    # Quotes and dashes are "ambiguous" characters; the hint keeps them in the Chinese font.
    rfonts.set(qn("w:hint"), "eastAsia")


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_indent(ppr, *, first_chars: int = 0, left_chars: int = 0, right_chars: int = 0,
                size_pt: float = SIZE_BODY) -> None:
    """Indent in characters (w:*Chars, hundredths) with the twips equivalent for readers that
    ignore the character form."""
    ind = ppr.get_or_add_ind()
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    twips_per_char = round(size_pt * 20)
    ind.set(qn("w:firstLine"), str(first_chars * twips_per_char))
    ind.set(qn("w:firstLineChars"), str(first_chars * 100))
    ind.set(qn("w:left"), str(left_chars * twips_per_char))
    ind.set(qn("w:leftChars"), str(left_chars * 100))
    ind.set(qn("w:right"), str(right_chars * twips_per_char))
    ind.set(qn("w:rightChars"), str(right_chars * 100))


def _reset_style(style) -> None:
    """Drop a built-in style's formatting (theme fonts, blue colour, spacing) before ours."""
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        found = el.find(qn(tag))
        if found is not None:
            el.remove(found)


def _paragraph_style(doc: DocxDocument, name: str, *, font: str, size: float, bold: bool = False,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY, line: float | None = LINE_PITCH,
                     first_chars: int = 0, builtin: bool = False, outline: int | None = None,
                     keep_next: bool = False):
    styles = doc.styles
    if builtin:
        style = styles[name]
        _reset_style(style)
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, font)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing = 1.0
    else:
        pf.line_spacing = Pt(line)
    pf.keep_with_next = keep_next
    pf.widow_control = True
    ppr = style.element.get_or_add_pPr()
    _set_indent(ppr, first_chars=first_chars, size_pt=size)
    if outline is not None:
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        ppr.append(lvl)
    return style


def _setup_styles(doc: DocxDocument) -> None:
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, "仿宋")
    _set_lang(rpr_default)
    for tag, val in (("w:sz", "32"), ("w:szCs", "32")):
        el = rpr_default.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), val)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")

    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_BODY)
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr, FONT_BODY)
    _set_lang(rpr)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = Pt(LINE_PITCH)
    pf.widow_control = True
    _set_indent(normal.element.get_or_add_pPr(), first_chars=2)

    _paragraph_style(doc, "Heading 1", font=FONT_H1, size=SIZE_BODY, first_chars=2, builtin=True,
                     outline=0, keep_next=True)
    _paragraph_style(doc, "Heading 2", font=FONT_H2, size=SIZE_BODY, first_chars=2, builtin=True,
                     outline=1, keep_next=True)
    _paragraph_style(doc, "Heading 3", font=FONT_BODY, size=SIZE_BODY, bold=True, first_chars=2,
                     builtin=True, outline=2, keep_next=True)
    _paragraph_style(doc, "Report Title", font=FONT_TITLE, size=SIZE_TITLE,
                     align=WD_ALIGN_PARAGRAPH.CENTER, line=36)
    _paragraph_style(doc, "Letterhead", font=FONT_TITLE, size=SIZE_TITLE,
                     align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _paragraph_style(doc, "Plain Line", font=FONT_BODY, size=SIZE_BODY,
                     align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(doc, "Attachment Label", font=FONT_H1, size=SIZE_BODY,
                     align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(doc, "Attachment Text", font=FONT_BODY, size=SIZE_ATTACHMENT_TEXT,
                     align=WD_ALIGN_PARAGRAPH.LEFT, line=None)
    _paragraph_style(doc, "Appendix Title", font=FONT_H1, size=SIZE_BODY,
                     align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _paragraph_style(doc, "Table Text", font=FONT_BODY, size=SIZE_TABLE,
                     align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _paragraph_style(doc, "Page Number", font=FONT_PAGE_NUMBER, size=SIZE_PAGE_NUMBER,
                     align=WD_ALIGN_PARAGRAPH.RIGHT, line=None)
    _paragraph_style(doc, "Imprint", font=FONT_BODY, size=SIZE_IMPRINT, align=WD_ALIGN_PARAGRAPH.LEFT,
                     line=None)
    _paragraph_style(doc, "Draft Mark", font=FONT_H1, size=SIZE_PAGE_NUMBER, align=WD_ALIGN_PARAGRAPH.CENTER,
                     line=None)


# ---------------------------------------------------------------------------------------------
# Page layout and page numbers.


# (width, height, top, bottom, left, right, footer distance) in cm. Portrait is GB/T 9704's
# body page (the page number about 7 mm under the text block, 7.5); the attached table is
# landscape with narrower margins.
_PAGES = {
    "portrait": (21, 29.7, 3.7, 3.5, 2.8, 2.6, 2.5),
    "landscape": (29.7, 21, 2.8, 2.8, 2.6, 2.6, 1.5),
}


def _set_page(section, kind: str) -> None:
    w, h, top, bottom, left, right, footer = _PAGES[kind]
    section.orientation = WD_ORIENT.LANDSCAPE if kind == "landscape" else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(w), Cm(h)
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(footer)


def _add_run(paragraph: DocxParagraph, text: str):
    # One w:t with the text: python-docx's run.text walks the string a character at a time
    # (for tabs and breaks, which report text has none of), a tenth of a report's time.
    run = paragraph.add_run()
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = xml_safe_text(text)
    run._r.append(t)
    return run


def _field_run(paragraph: DocxParagraph, kind: str, text: str | None = None):
    run = paragraph.add_run()
    if kind == "instr":
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = text
        run._r.append(instr)
    else:
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)
    return run


def _page_number(paragraph: DocxParagraph, *, odd: bool) -> None:
    paragraph.style = "Page Number"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    # 单页码居右空一字，双页码居左空一字 (GB/T 9704 7.5).
    ppr = paragraph._p.get_or_add_pPr()
    if odd:
        _set_indent(ppr, right_chars=1, size_pt=SIZE_PAGE_NUMBER)
    else:
        _set_indent(ppr, left_chars=1, size_pt=SIZE_PAGE_NUMBER)
    paragraph.add_run("— ")
    _field_run(paragraph, "begin")
    _field_run(paragraph, "instr", " PAGE ")
    _field_run(paragraph, "separate")
    paragraph.add_run("1")
    _field_run(paragraph, "end")
    paragraph.add_run(" —")


def _setup_page_numbers(doc: DocxDocument) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


# ---------------------------------------------------------------------------------------------
# Blocks.


def _display_width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


class _Writer:
    """One document being written: style ids looked up once, comments stamped alike."""

    def __init__(self, doc: DocxDocument, stamp: datetime) -> None:
        self.doc = doc
        self.stamp = stamp
        self._style_ids: dict[str, str] = {}

    def style_id(self, style: str) -> str:
        # python-docx resolves a style *name* by scanning every style on each call.
        if style not in self._style_ids:
            self._style_ids[style] = self.doc.styles[style].style_id
        return self._style_ids[style]

    def paragraph(self, style: str) -> DocxParagraph:
        p = self.doc.add_paragraph()
        p._p.get_or_add_pPr().get_or_add_pStyle().val = self.style_id(style)
        return p

    def text(self, text: str, *, style: str = "Normal", notes: tuple[Note, ...] = ()) -> DocxParagraph:
        p = self.paragraph(style)
        run = _add_run(p, text)
        self.comment(run, notes)
        return p

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.paragraph("Plain Line")

    def comment(self, runs, notes: tuple[Note, ...] | list[Note]) -> None:
        for note in notes:
            c = self.doc.add_comment(runs, text="", author=COMMENT_AUTHOR, initials=COMMENT_INITIALS)
            _add_run(c.paragraphs[0], note.text)
            c._comment_elm.date = self.stamp  # the same input gives the same bytes

    # -- tables: WordprocessingML written in one piece -------------------------------------
    # python-docx builds a table cell by cell and merges through cell.merge, which re-walks the
    # grid on every call; a 30-row table took most of a report's time. The XML below is what
    # those calls produce, written at once: widths, borders, repeated header rows, horizontal
    # spans (gridSpan) and vertical merges (vMerge restart/continue).

    def table(self, spec: Table) -> None:
        ncols = len(spec.widths_cm)
        rows = [*spec.header, *spec.rows]
        widths = [round(w / 2.54 * 1440) for w in spec.widths_cm]
        # Which cells start a vertical merge: those whose cell below continues them.
        restart: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            col = 0
            for c in row:
                if c.merge_up and r > len(spec.header):
                    restart.add((r - 1, col))
                col += c.span
        style = self.style_id("Table Text")
        out = [f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/>"
               '<w:jc w:val="center"/><w:tblBorders>']
        out += [f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                for e in ("top", "left", "bottom", "right", "insideH", "insideV")]
        out.append('</w:tblBorders><w:tblLayout w:type="fixed"/>'
                   '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
                   '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>')
        out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
        out.append("</w:tblGrid>")
        noted: list[tuple[int, int, tuple[Note, ...]]] = []
        for r, row in enumerate(rows):
            is_header = r < len(spec.header)
            out.append("<w:tr><w:trPr>")
            if sum(len(c.text) for c in row) <= _SPLITTABLE_ROW_CHARS:
                # Keep an ordinary row on one page; a row holding pages of text must still be
                # allowed to break, or Word clips it at the page bottom.
                out.append("<w:cantSplit/>")
            if is_header:
                out.append("<w:tblHeader/>")  # repeated at the top of every page
            out.append("</w:trPr>")
            col = 0
            for k, c in enumerate(row):
                width = sum(widths[col:col + c.span])
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
                if c.span > 1:
                    out.append(f'<w:gridSpan w:val="{c.span}"/>')
                if c.merge_up and r > len(spec.header):
                    out.append("<w:vMerge/>")
                elif (r, col) in restart:
                    out.append('<w:vMerge w:val="restart"/>')
                out.append('<w:vAlign w:val="center"/></w:tcPr>')
                out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>'
                           f'<w:jc w:val="{"left" if c.align == "left" else "center"}"/></w:pPr>')
                text = "" if c.merge_up else xml_safe_text(c.text)
                if text or c.notes:
                    bold = "<w:rPr><w:b/></w:rPr>" if is_header else ""
                    out.append(f'<w:r>{bold}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')
                out.append("</w:p></w:tc>")
                if c.notes and not c.merge_up:
                    noted.append((r, k, c.notes))
                col += c.span
            if col != ncols:
                raise ValueError(f"表格“{spec.name}”第{r + 1}行有{col}列，应为{ncols}列")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        tbl = parse_xml("".join(out))
        body = self.doc.element.body
        body.insert(len(body) - 1, tbl)  # before the body's final sectPr
        for r, k, notes in noted:
            p = tbl.findall(qn("w:tr"))[r].findall(qn("w:tc"))[k].find(qn("w:p"))
            self.comment(DocxParagraph(p, self.doc._body).runs, notes)

    def block(self, block: Heading | Paragraph | Table, *, in_attachment: bool) -> None:
        if isinstance(block, Heading):
            self.text(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Paragraph):
            self.text(block.text, style="Attachment Text" if in_attachment else "Normal", notes=block.notes)
        else:
            self.table(block)


def _set_cell_borders(table) -> None:
    """Borders and fixed layout on a table built through python-docx (review.opinions builds its
    small table that way; the report's tables carry the same settings in `_Writer.table`)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(k), v)
        borders.append(el)
    tbl_pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _add_attachment(w: _Writer, att: Attachment) -> None:
    """The attachment on fresh pages, in a section of its own (landscape for the 自评表)."""
    section = w.doc.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section, "landscape" if att.landscape else "portrait")
    if att.label:
        w.text(att.label, style="Attachment Label")
    title = w.text(att.title, style="Report Title")
    title.paragraph_format.space_after = Pt(12)
    for block in att.blocks:
        w.block(block, in_attachment=True)
        if isinstance(block, Table):
            w.paragraph("Attachment Text")


def _letterhead(w: _Writer, report: ReportDoc) -> None:
    assert report.letterhead is not None
    p = w.text(report.letterhead, style="Letterhead")
    # The 发文机关标志 is as large as fits on one line: at most 初号 (42 pt) on a 156 mm line.
    size = min(42.0, 0.95 * 442 / max(_display_width(report.letterhead), 1))
    for run in p.runs:
        run.font.size = Pt(int(size * 2) / 2)
        run.font.color.rgb = RED
    w.blank(2)
    num = w.text(report.doc_number or "", style="Plain Line")
    num.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The red rule under the 发文字号 (GB/T 9704 7.2.5), drawn as the paragraph's bottom border.
    _border(num, bottom=("12", "FF0000", "12"))


_PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                     "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                     "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                     "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                     "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                     "w:rPr", "w:sectPr", "w:pPrChange")


def _border(p: DocxParagraph, *, top: tuple[str, str, str] | None = None,
            bottom: tuple[str, str, str] | None = None) -> None:
    """Rules above/below a paragraph: (size in eighths of a point, colour, space in points)."""
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for edge, spec in (("top", top), ("bottom", bottom)):
        if spec is None:
            continue
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", spec[0]), ("w:space", spec[2]), ("w:color", spec[1])):
            el.set(qn(k), v)
        bdr.append(el)
    ppr.insert_element_before(bdr, *_PPR_AFTER_BORDER)


def _signature(w: _Writer, report: ReportDoc) -> None:
    if not report.issuer and not report.date_text:
        return
    w.blank(2)
    # 成文日期右空四字; the 署名 is centred over the date (GB/T 9704 7.3.5.1).
    date_w = _display_width(report.date_text)
    issuer_w = _display_width(report.issuer)
    issuer_right = max(0, round(4 + (date_w - issuer_w) / 2)) if report.date_text else 4
    if report.issuer:
        issuer = w.text(report.issuer, style="Plain Line")
        issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_indent(issuer._p.get_or_add_pPr(), right_chars=issuer_right)
    if report.date_text:
        date = w.text(report.date_text, style="Plain Line")
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_indent(date._p.get_or_add_pPr(), right_chars=4)


_TEXT_WIDTH_TWIPS = round((21 - 2.8 - 2.6) / 2.54 * 1440)
_THICK, _THIN = "8", "6"  # 0.35 mm and 0.25 mm rules, in eighths of a point


def _imprint(w: _Writer, imp: Imprint) -> None:
    """The 版记 (GB/T 9704 7.4): 印发机关 left and 印发日期 right, one character in, between rules."""
    w.blank(2)
    char = round(SIZE_IMPRINT * 20)
    date = imp.date_text
    if date and not date.endswith(("印", "印发")):
        date += "印发"
    line = w.paragraph("Imprint")
    _add_run(line, imp.printer)
    if date:
        line.add_run("\t")
        _add_run(line, date)
    _set_indent(line._p.get_or_add_pPr(), left_chars=1, size_pt=SIZE_IMPRINT)
    line.paragraph_format.tab_stops.add_tab_stop(
        Twips(_TEXT_WIDTH_TWIPS - char), alignment=WD_TAB_ALIGNMENT.RIGHT)
    last = line
    if imp.copies:
        last = w.text(f"（共印{imp.copies}份）", style="Imprint")
        last.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_indent(last._p.get_or_add_pPr(), right_chars=1, size_pt=SIZE_IMPRINT)
    if last is line:
        _border(line, top=(_THICK, "000000", "1"), bottom=(_THICK, "000000", "1"))
    else:
        _border(line, top=(_THICK, "000000", "1"))
        _border(last, bottom=(_THICK, "000000", "1"))


def _draft_header(doc: DocxDocument) -> None:
    """“草稿” at the top of every page: the report is not for sending while the form has errors."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p.style = "Draft Mark"
        run = p.add_run("草稿（自评表还有错误，问题见批注，改正后重新生成）")
        run.font.color.rgb = RED


@functools.cache
def _base_document() -> bytes:
    """python-docx's default document with our styles, page and page numbers, made once: adding
    a style scans every style by name, a third of a report's time when done per report."""
    doc = Document()
    _setup_styles(doc)
    _set_page(doc.sections[0], "portrait")
    _setup_page_numbers(doc)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _build(report: ReportDoc) -> DocxDocument:
    doc = Document(BytesIO(_base_document()))
    if report.draft:
        _draft_header(doc)
    stamp = (datetime(report.date_value.year, report.date_value.month, report.date_value.day)
             if report.date_value else _FIXED_STAMP)
    w = _Writer(doc, stamp.replace(tzinfo=UTC))

    if report.letterhead:
        _letterhead(w, report)
        w.blank(2)
    title_runs = []
    for line in report.title_lines:
        title_runs += w.text(line, style="Report Title").runs
    if report.title_notes and title_runs:
        w.comment(title_runs, report.title_notes)
    w.blank()
    if report.recipient:
        w.text(f"{report.recipient}：", style="Plain Line")
    for block in report.blocks:
        w.block(block, in_attachment=False)
    if report.attachment_note:
        w.blank()
        w.text(report.attachment_note)
    _signature(w, report)
    if report.imprint is not None:
        _imprint(w, report.imprint)
    for att in report.attachments:
        _add_attachment(w, att)

    props = doc.core_properties
    props.author = "perfeval"
    props.last_modified_by = "perfeval"
    props.title = xml_safe_text(report.title)
    props.subject = report.subject
    props.comments = "由 perfeval 根据自评表生成" + ("（草稿）" if report.draft else "")
    props.keywords = "草稿" if report.draft else ""
    props.category = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    return doc


# ---------------------------------------------------------------------------------------------
# Package parts python-docx does not model: the font table and the theme.


def _font_table_xml() -> bytes:
    fonts = []
    for name, alt, panose, family, pitch in _FONT_TABLE:
        fonts.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + "".join(fonts) + "</w:fonts>"
    ).encode("utf-8")


def _patch_theme(xml: bytes) -> bytes:
    text = xml.decode("utf-8")

    def patch(block: str, face: str) -> str:
        block = re.sub(r'<a:ea typeface="[^"]*"/>', f'<a:ea typeface="{face}"/>', block)
        return re.sub(r'<a:font script="Hans" typeface="[^"]*"/>',
                      f'<a:font script="Hans" typeface="{face}"/>', block)

    for tag, face in (("a:majorFont", "黑体"), ("a:minorFont", "仿宋")):
        start, end = text.find(f"<{tag}>"), text.find(f"</{tag}>")
        if start >= 0 and end > start:
            text = text[:start] + patch(text[start:end], face) + text[end:]
    return text.encode("utf-8")


def _normalised_package(data: bytes) -> bytes:
    """Fixed timestamps and attributes, with our font table and theme (for the CJK fallbacks)."""
    src = zipfile.ZipFile(BytesIO(data))
    replace = {"word/fontTable.xml": _font_table_xml()}
    if "word/theme/theme1.xml" in src.namelist():
        replace["word/theme/theme1.xml"] = _patch_theme(src.read("word/theme/theme1.xml"))
    return normalize_package(data, replace)

def render_docx(report: ReportDoc) -> bytes:
    """The report as .docx bytes; the same `report` always gives the same bytes."""
    buf = BytesIO()
    _build(report).save(buf)
    return _normalised_package(buf.getvalue())
