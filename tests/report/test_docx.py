"""The .docx: GB/T 9704 layout, fonts Word/WPS/LibreOffice can resolve, hostile text, same bytes."""

from __future__ import annotations

import time
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

from docx.oxml.ns import qn

from perfeval.core.evaluate import evaluate
from perfeval.core.findings import Finding, Severity
from perfeval.core.model import Indicator, Narrative, Value
from perfeval.core.profiles import load_profile
from perfeval.loader import load_model
from perfeval.report import build_report, compose_report, render_docx
from perfeval.report.docx_writer import COMMENT_AUTHOR

from .conftest import document_texts, open_docx

CM = 360000  # EMU per centimetre


def _cm(length) -> float:
    return length / CM


def _east_asia(style) -> str | None:
    rpr = style.element.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


# ---------------------------------------------------------------------------------------------
# Structure.


def test_headings_are_styled_by_level_in_the_seeds_order(seed_docx):
    from .test_compose import SEED_OUTLINE

    document = open_docx(seed_docx)
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    levels = {"一": 1, "（": 2}
    seen = [t for _, t in styled]
    assert [seen.index(h) for h in SEED_OUTLINE] == sorted(seen.index(h) for h in SEED_OUTLINE)
    for style, text in styled:
        assert style == f"Heading {levels.get(text[0], 3 if text[0].isdigit() else 1)}", (style, text)


def test_appended_table_has_a_row_per_filled_indicator_and_a_repeating_header(seed_docx, seed_form):
    document = open_docx(seed_docx)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "一级指标")
    header = table.rows[0]._tr
    assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    body = [r for r in table.rows[1:] if r.cells[0].text not in ("合计", "自评等级")]
    assert [r.cells[2].text for r in body] == [i.level3.text for i in seed_form.filled_indicators]
    # Only the header repeats.
    repeated = [r for r in table.rows if r._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None]
    assert len(repeated) == 1
    # Every edge has a border.
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {c.tag.split("}")[1] for c in borders} == {"top", "left", "bottom", "right", "insideH",
                                                       "insideV"}


def test_table_is_in_a_landscape_section_and_text_is_10_5_pt(seed_docx):
    document = open_docx(seed_docx)
    assert len(document.sections) == 2
    land = document.sections[1]
    assert land.page_width > land.page_height
    assert document.styles["Table Text"].font.size.pt == 10.5
    assert _east_asia(document.styles["Table Text"]) == "仿宋_GB2312"


# ---------------------------------------------------------------------------------------------
# GB/T 9704 page and fonts.


def test_page_is_a4_with_gb_t_9704_margins(seed_docx):
    section = open_docx(seed_docx).sections[0]
    assert abs(_cm(section.page_width) - 21.0) < 0.01
    assert abs(_cm(section.page_height) - 29.7) < 0.01
    assert abs(_cm(section.top_margin) - 3.7) < 0.01
    assert abs(_cm(section.bottom_margin) - 3.5) < 0.01
    assert abs(_cm(section.left_margin) - 2.8) < 0.01
    assert abs(_cm(section.right_margin) - 2.6) < 0.01


def test_east_asian_fonts_are_set_explicitly_on_body_and_headings(seed_docx):
    styles = open_docx(seed_docx).styles
    assert _east_asia(styles["Normal"]) == "仿宋_GB2312"
    assert _east_asia(styles["Heading 1"]) == "黑体"
    assert _east_asia(styles["Heading 2"]) == "楷体_GB2312"
    assert _east_asia(styles["Heading 3"]) == "仿宋_GB2312"
    assert styles["Heading 3"].font.bold is True
    assert _east_asia(styles["Report Title"]) == "方正小标宋简体"
    assert styles["Report Title"].font.size.pt == 22
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        style = styles[name]
        assert style.font.size.pt == 16
        assert style.paragraph_format.line_spacing.pt == 28.95
        rfonts = style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
        # A theme attribute would override the explicit name in Word.
        assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None
        ind = style.element.find(qn("w:pPr")).find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200"


def test_body_paragraphs_use_the_styled_fonts_not_run_overrides(seed_docx):
    document = open_docx(seed_docx)
    for p in document.paragraphs:
        for run in p.runs:
            assert run.font.name is None  # fonts come from the style, so a clerk can restyle


def test_font_table_names_substitutes_and_theme_has_chinese_faces(seed_docx):
    with zipfile.ZipFile(BytesIO(seed_docx)) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
        theme = z.read("word/theme/theme1.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>' in fonts
    assert '<w:charset w:val="86"/>' in fonts
    assert '<a:ea typeface="仿宋"/>' in theme and '<a:ea typeface="黑体"/>' in theme


def test_footer_has_a_page_field_between_dashes_in_songti_14pt(seed_docx):
    document = open_docx(seed_docx)
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        text = footer.paragraphs[0].text
        assert text.startswith("— ") and text.endswith(" —")
    style = document.styles["Page Number"]
    assert style.font.size.pt == 14 and _east_asia(style) == "宋体"
    assert document.settings.odd_and_even_pages_header_footer


def test_core_properties_are_fixed(seed_docx):
    props = open_docx(seed_docx).core_properties
    assert props.author == "perfeval"
    day = datetime(2024, 3, 6, tzinfo=UTC)
    assert props.created == day and props.modified == day


# ---------------------------------------------------------------------------------------------
# Determinism.


def test_same_input_gives_the_same_bytes(seed_form):
    profile = load_profile()
    first = build_report(load_model(seed_form, profile=profile), draft=True)
    time.sleep(1.1)  # zip entries and comments carry clocks; make sure neither is used
    assert build_report(load_model(seed_form, profile=profile), draft=True) == first
    with zipfile.ZipFile(BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# ---------------------------------------------------------------------------------------------
# Hostile text.

LONG = ("绩效自评长段落" * 1500)[:10_000]
CONTROL = "".join(chr(c) for c in range(0x20))
ILLEGAL = "".join(c for c in CONTROL if c not in "\t\n\r")  # what XML 1.0 cannot hold
FORMULA = '=cmd|\' /C calc\'!A0'
EMOJI = "满意度😀👍🏽"
RTL = "\u200f\u202eمرحبا\u202c"


def _hostile_form(seed_form):
    narrative = dict(seed_form.narrative.sections)
    narrative["functions"] = Value(raw=f"职能{ILLEGAL}说明")
    narrative["staffing"] = Value(raw=LONG)
    narrative["management"] = Value(raw=FORMULA)
    narrative["problems"] = Value(raw=f"{EMOJI}\n{RTL}")
    indicators = list(seed_form.indicators)
    indicators[0] = indicators[0].model_copy(update={"level3": Value(raw=f"{FORMULA}{CONTROL}")})
    indicators[27] = indicators[27].model_copy(
        update={"level3": Value(raw=EMOJI + RTL), "reason": Value(raw=LONG)})
    indicators.append(Indicator(row=99, level1=Value(raw="新增一级\x07"), level3=Value(raw="x\x00y"),
                                target=Value(raw="≥90%"), actual=Value(raw=Decimal("0.5")),
                                weight=Value(raw=Decimal(1))))
    return seed_form.model_copy(update={"narrative": Narrative(sections=narrative),
                                        "indicators": tuple(indicators),
                                        "name": Value(raw="单位\x0b名称")})


def test_hostile_text_gives_a_valid_document_with_long_paragraph_intact(seed_form):
    form = _hostile_form(seed_form)
    findings = [Finding(code="PE999", severity=Severity.ERROR, sheet="自评表", cell="A1",
                        message=f"恶意{CONTROL}{FORMULA}")]
    data = render_docx(compose_report(form, evaluate(form, load_profile()), findings, draft=True))
    document = open_docx(data)  # python-docx can reopen it
    with zipfile.ZipFile(BytesIO(data)) as z:
        assert z.testzip() is None
    texts = document_texts(document)
    assert LONG in texts  # the 10,000-character paragraph is one paragraph, unchanged
    assert any(t == FORMULA for t in texts)  # '=' stays plain text
    assert any(t.startswith(FORMULA) for t in texts)  # indicator name in the table
    assert EMOJI in texts and RTL in texts
    assert "职能说明" in texts  # control characters removed, nothing else
    joined = "\n".join(texts)
    assert not any(c in joined for c in ILLEGAL)
    assert "新增一级" in joined and "单位名称" in joined
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "一级指标")
    row = next(r for r in table.rows if r.cells[2].text == EMOJI + RTL)
    assert row.cells[7].text == LONG  # a 10,000-character reason survives in its cell
    assert any(p.text.endswith(f"偏差原因及改进措施：{LONG}。") for p in document.paragraphs)
    comments = [c.text for c in document.comments]
    assert any(c.startswith("PE999") and FORMULA in c for c in comments)  # on the title: no cell
    assert not any(ch in "".join(comments) for ch in ILLEGAL)


# ---------------------------------------------------------------------------------------------
# Drafts and comments.


def _comment_ranges(data: bytes) -> tuple[int, int, int]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return (xml.count("<w:commentRangeStart"), xml.count("<w:commentRangeEnd"),
            xml.count("<w:commentReference"))


def test_a_draft_is_marked_in_every_header_and_carries_each_note_as_an_anchored_comment(seed_docx, seed_draft):
    document = open_docx(seed_docx)
    for section in document.sections:
        for header in (section.header, section.even_page_header):
            assert "草稿" in header.paragraphs[0].text
    comments = list(document.comments)
    assert [c.text for c in comments] == [n.text for n in seed_draft.notes]
    assert {c.author for c in comments} == {COMMENT_AUTHOR}
    assert _comment_ranges(seed_docx) == (len(comments),) * 3
    assert {c.timestamp for c in comments} == {datetime(2024, 3, 6, tzinfo=UTC)}  # the report date
    assert document.core_properties.keywords == "草稿"


def test_a_comment_on_a_table_cell_is_anchored_inside_that_cell(seed_docx, seed_draft):
    from perfeval.report.compose import Table

    table_spec = next(b for b in seed_draft.attachments[0].blocks if isinstance(b, Table) and b.name == "indicators")
    noted = [(r, k, c) for r, row in enumerate(table_spec.rows) for k, c in enumerate(row) if c.notes]
    assert noted
    document = open_docx(seed_docx)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "一级指标")
    for r, k, c in noted:
        tc = table.rows[r + 1]._tr.findall(qn("w:tc"))[k]
        assert len(tc.findall(".//" + qn("w:commentRangeStart"))) == len(c.notes)
        assert "".join(t.text for t in tc.iter(qn("w:t"))) == c.text


def test_a_final_report_has_neither_draft_mark_nor_comments(clean_docx):
    document = open_docx(clean_docx)
    for section in document.sections:
        assert "草稿" not in section.header.paragraphs[0].text
    assert list(document.comments) == []
    assert _comment_ranges(clean_docx) == (0, 0, 0)
    with zipfile.ZipFile(BytesIO(clean_docx)) as z:
        assert "word/comments.xml" not in z.namelist()


def test_vertical_merges_restart_at_each_first_level_and_spans_cover_the_grid(seed_docx, seed_form):
    inds = seed_form.filled_indicators
    spanning = [ind.level1.text for ind, below in zip(inds, inds[1:]) if ind.level1.text and below.level1.is_blank]
    document = open_docx(seed_docx)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "一级指标")
    first_cells = [tr.tc_lst[0] for tr in table._tbl.tr_lst]
    restarts = [tc for tc in first_cells if tc.tcPr.vMerge is not None and tc.tcPr.vMerge.val == "restart"]
    assert ["".join(t.text for t in tc.iter(qn("w:t"))) for tc in restarts] == spanning
    continued = [tc for tc in first_cells if tc.tcPr.vMerge is not None and tc.tcPr.vMerge.val != "restart"]
    assert len(continued) == sum(1 for ind in inds[1:] if ind.level1.is_blank)
    grid = len(table._tbl.tblGrid.gridCol_lst)
    for tr in table._tbl.tr_lst:
        assert sum(tc.grid_span for tc in tr.tc_lst) == grid


def test_the_imprint_puts_printer_and_date_on_one_ruled_line_and_the_copies_below(seed_docx, seed_form):
    nar = seed_form.narrative
    document = open_docx(seed_docx)
    lines = [p for p in document.paragraphs if p.style.name == "Imprint"]
    assert [p.text for p in lines] == [f"{nar.text('printer')}\t{nar.text('print_date')}印发",
                                       f"（共印{nar.text('copies')}份）"]
    first, last = (p._p.pPr.find(qn("w:pBdr")) for p in lines)
    assert first.find(qn("w:top")) is not None and last.find(qn("w:bottom")) is not None
