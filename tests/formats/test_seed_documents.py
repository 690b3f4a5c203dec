"""The seed 自评报告 as Word, PDF and Word 97-2003: the table checks like the seed workbook, and the
report's own text is checked against that table at the paragraph that says it."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from perfeval.loader import load_form

from .conftest import DOCUMENTS, NO_SOFFICE, SOFFICE, code_and_indicator

DOCS = {
    "docx": DOCUMENTS / "zhengning-rsj-2023.docx",
    "pdf": DOCUMENTS / "zhengning-rsj-2023.pdf",
    "doc": DOCUMENTS / "zhengning-rsj-2023.doc",
}


def _load(kind: str):
    if kind == "doc" and SOFFICE is None:
        pytest.skip(NO_SOFFICE + " (.doc is read through LibreOffice)")
    return _loaded(kind)


@cache
def _loaded(kind: str):
    return load_form(DOCS[kind])  # immutable; each document is read once for all these tests


@cache
def _content(kind: str):
    data = DOCS[kind].read_bytes()
    if kind == "pdf":
        from perfeval.documents.pdf_grid import content_from_pdf

        return content_from_pdf(DOCS[kind], data)
    from perfeval.documents.docx_grid import content_from_docx

    return content_from_docx(DOCS[kind], data)


@pytest.mark.parametrize("kind", list(DOCS))
def test_the_report_has_every_finding_of_the_seed_workbook_and_only_narrative_ones_besides(kind, seed_workbook):
    loaded = _load(kind)
    assert loaded.format == kind and loaded.origin == "import" and loaded.fatal is None
    ours, theirs = Counter(code_and_indicator(loaded.findings)), Counter(code_and_indicator(seed_workbook.findings))
    assert theirs - ours == Counter(), "findings of the workbook missing from the document"
    extra = ours - theirs
    assert extra and all(code.startswith("PE5") for code, _ in extra), extra


@pytest.mark.parametrize("kind", list(DOCS))
def test_the_report_scores_as_the_seed_workbook(kind, seed_workbook):
    loaded = _load(kind)
    assert loaded.evaluation.total == seed_workbook.evaluation.total
    assert loaded.evaluation.grade == seed_workbook.evaluation.grade
    assert [i.name for i in loaded.form.filled_indicators] == [i.name for i in seed_workbook.form.filled_indicators]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_satisfaction_claim_is_a_finding_at_its_paragraph(kind):
    loaded = _load(kind)
    claims = [f for f in loaded.findings if f.code == "PE501" and "人民群众满意度" in f.message]
    assert len(claims) == 1
    finding = claims[0]
    assert finding.sheet == "正文" and "!" not in finding.location
    paragraph = next(p for p in _content(kind).paragraphs if p.name == finding.cell)
    assert "100%完成了年初设定目标" in paragraph.text.replace(" ", "")


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_table_findings_point_at_table_row_and_column(kind, seed_workbook):
    loaded = _load(kind)
    theirs = {(f.code, f.message) for f in seed_workbook.findings if f.cell}
    located = [f for f in loaded.findings if (f.code, f.message) in theirs]
    assert located and all(f.sheet == "表格1" and f.cell.startswith("第") and "行第" in f.cell for f in located)
    # The workbook's rows are the table's rows plus its title row above.
    by_message = {f.message: f for f in seed_workbook.findings if f.cell}
    for f in located:
        row = int(by_message[f.message].cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        assert f.cell.startswith(f"第{row - 1}行")


def test_the_narrative_goes_to_its_sections_with_the_front_and_back_matter():
    n = _load("docx").form.narrative
    assert n.text("functions").startswith("正宁县人力资源和社会保障局是2010年12月成立")
    assert "编制人数19人" in n.text("functions")
    assert n.text("budget_execution").endswith("项目支出1192.27万元。")
    assert n.text("problems").startswith("一是预算编制有待更严格执行")
    assert n.text("measures").startswith("一是按照预算规定的项目和用途严格财务审核")
    assert "高校毕业生" in n.text("benefit_analysis")  # "3. 效益指标完成情况分析" adds to 效益
    assert n.text("doc_number") == "正人社发〔2024〕57号" and n.text("recipient") == "县财政局"
    assert n.text("issuer") == "正宁县人力资源和社会保障局" and n.text("report_date") == "2024年3月6日"
    assert not any("注：" in v.text for v in n.sections.values())  # the table's notes are not the report


def test_import_writes_a_template_whose_report_sheet_holds_the_narrative(tmp_path):
    from perfeval.cli import app
    from typer.testing import CliRunner

    out = tmp_path / "导入.xlsx"
    result = CliRunner().invoke(app, ["import", str(DOCS["docx"]), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert "表格1 第" in result.output and "表格1!" not in result.output
    again = load_form(out)
    assert again.origin == "template"
    assert again.form.narrative.text("satisfaction_analysis") == _load("docx").form.narrative.text("satisfaction_analysis")
    assert any(f.code == "PE501" for f in again.findings)


def test_committed_docx_is_what_the_builder_makes_from_the_seed(tmp_path):
    from .conftest import build_module

    build = build_module()
    made = build.build_docx(tmp_path / "seed.docx")
    from perfeval.documents.docx_grid import content_from_docx

    ours = content_from_docx(made, made.read_bytes())
    committed = _content("docx")
    assert [p.text for p in ours.paragraphs] == [p.text for p in committed.paragraphs]
    assert ours.tables[0].cells == committed.tables[0].cells
    assert sorted(ours.tables[0].merges) == sorted(committed.tables[0].merges)


def test_a_docx_named_doc_and_a_pdf_named_xlsx_are_read_by_what_they_are(tmp_path):
    renamed = tmp_path / "自评报告.doc"
    renamed.write_bytes(DOCS["docx"].read_bytes())
    other = tmp_path / "自评表.xlsx"
    other.write_bytes(DOCS["pdf"].read_bytes())
    as_doc, as_xlsx = load_form(renamed), load_form(other)
    assert as_doc.format == "docx" and as_doc.fatal is None
    assert as_xlsx.format == "pdf" and as_xlsx.fatal is None


def test_a_form_split_into_two_tables_is_read_as_one(tmp_path):
    """A page break or a paste can leave the form as two Word tables one after the other."""
    import docx

    source = docx.Document(str(DOCS["docx"]))
    table = source.tables[0]
    rows = table._tbl.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")
    # Split after row 20 (inside the 履职效果 block), with an empty paragraph between.
    import copy

    second = copy.deepcopy(table._tbl)
    for tr in second.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")[:20]:
        second.remove(tr)
    for tr in rows[20:]:
        table._tbl.remove(tr)
    gap = copy.deepcopy(source.paragraphs[-1]._p)
    for r in list(gap):
        if r.tag.endswith("}r"):
            gap.remove(r)
    table._tbl.addnext(gap)
    gap.addnext(second)
    path = tmp_path / "两张表.docx"
    source.save(str(path))
    split = load_form(path)
    whole = load_form(DOCS["docx"])
    assert code_and_indicator(split.findings) == code_and_indicator(whole.findings)
    assert split.evaluation.total == whole.evaluation.total


def test_seed_pdf_table_is_one_table_over_three_pages():
    content = _content("pdf")
    assert [t.name for t in content.tables] == ["表格1"]
    rows = {c.row for c in content.tables[0].cells if c.row > 0}
    docx_rows = {c.row for c in _content("docx").tables[0].cells if c.row > 0}
    assert rows == docx_rows  # the row that breaks over pages 8–9 is one row again
    assert Path(DOCS["pdf"]).stat().st_size > 0


def test_a_report_with_the_form_as_an_embedded_excel_object_reads_that_workbook(tmp_path, seed_workbook):
    """Pasted into Word as an Excel object, the form is a picture on the page and a workbook in
    word/embeddings/: that workbook is what is read."""
    import zipfile

    from .conftest import SEED_XLSX

    source = DOCS["docx"]
    path = tmp_path / "嵌入.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                start, end = text.index("<w:tbl>"), text.index("</w:tbl>") + len("</w:tbl>")
                data = (text[:start] + text[end:]).encode("utf-8")
            zout.writestr(info, data)
        zout.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", SEED_XLSX.read_bytes())
    loaded = load_form(path)
    assert loaded.fatal is None and loaded.imported.sheet == "嵌入的工作簿1·自评表"
    assert loaded.evaluation.total == seed_workbook.evaluation.total
    theirs = Counter(code_and_indicator(seed_workbook.findings))
    assert theirs - Counter(code_and_indicator(loaded.findings)) == Counter()
    assert any(f.code == "PE501" and f.sheet == "正文" for f in loaded.findings)


def test_a_web_page_saved_as_xls_reads_its_table(tmp_path, seed_workbook):
    """A budget system's "Excel" export is an HTML table (GBK, rowspan/colspan)."""
    from .conftest import build_module

    rows, merges = build_module().table_cells()
    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in merges}
    covered = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
               if (r, c) != (r1, c1)}
    html = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>',
            "<p>2023年度部门（单位）整体支出绩效自评表</p><table border=1>"]
    for r, row in enumerate(rows, 1):
        html.append("<tr>")
        for c, value in enumerate(row, 1):
            if (r, c) in covered:
                continue
            down, across = spans.get((r, c), (1, 1))
            html.append(f'<td rowspan="{down}" colspan="{across}">{value.replace(chr(10), "<br>")}</td>')
        html.append("</tr>")
    html.append("</table></body></html>")
    path = tmp_path / "系统导出.xls"
    path.write_bytes("".join(html).encode("gb18030"))
    loaded = load_form(path)
    assert loaded.format == "html" and loaded.fatal is None
    assert Counter(code_and_indicator(loaded.findings)) == Counter(code_and_indicator(seed_workbook.findings))
    assert loaded.evaluation.total == seed_workbook.evaluation.total


def test_a_form_inside_a_one_cell_frame_table_is_read(tmp_path, seed_workbook):
    import copy

    import docx

    source = docx.Document(str(DOCS["docx"]))
    table = source.tables[0]._tbl
    frame = source.add_table(rows=1, cols=1)._tbl
    cell = frame.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc")[0]
    cell.insert(len(cell) - 1, copy.deepcopy(table))  # a cell must end with a paragraph
    table.addprevious(frame)
    table.getparent().remove(table)
    path = tmp_path / "外框.docx"
    source.save(str(path))
    loaded = load_form(path)
    assert loaded.fatal is None and loaded.evaluation.total == seed_workbook.evaluation.total
    assert Counter(code_and_indicator(seed_workbook.findings)) - Counter(code_and_indicator(loaded.findings)) == Counter()
