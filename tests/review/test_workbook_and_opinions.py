"""The 复核 workbook carries each department's numbers; the opinions carry the workbook's."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from perfeval.core.errors import PerfevalError
from perfeval.core.findings import Finding, Severity
from perfeval.outputs import OutputExistsError
from perfeval.report import pdf as pdf_module
from perfeval.review.opinions import opinion_file_name, write_opinions
from perfeval.review.workbook import file_labels, read_review_workbook, write_review_workbook
from perfeval.workbook.layout import REVIEW


@pytest.fixture(scope="module")
def workbook(reviewed, tmp_path_factory) -> Path:
    return write_review_workbook(reviewed, tmp_path_factory.mktemp("wb") / "复核.xlsx")


def rows_by_name(path: Path) -> dict[str, dict]:
    ws = openpyxl.load_workbook(path)[REVIEW.sheet]
    out = {}
    for r in range(REVIEW.first_row, ws.max_row + 1):
        values = {k: ws[ref].value for k, ref in REVIEW.row_cells(r).items()}
        out[values["name"]] = values | {"row": r}
    return out


def test_one_row_per_department_with_stated_recomputed_and_counts(reviewed, workbook):
    rows = rows_by_name(workbook)
    assert len(rows) == len(reviewed.departments)
    labels = file_labels(reviewed)
    for d in reviewed.departments:
        row = rows[d.name]
        ev = d.loaded.evaluation
        assert Decimal(str(row["total"])) == ev.total and row["grade"] == ev.grade
        assert row["file"] == labels[d.file]
        assert row["findings"] == len(reviewed.findings_of(d))
        assert row["errors"] == d.loaded.errors
        stated = d.loaded.form.stated_total_score.number
        assert (row["stated_total"] is None) == (stated is None)
        if stated is not None:
            assert Decimal(str(row["stated_total"])) == stated
        assert row["review_score"] is None and row["review_reason"] is None  # the reviewer's columns


def test_the_findings_sheet_has_both_locations_of_every_batch_finding(reviewed, workbook):
    ws = openpyxl.load_workbook(workbook)[REVIEW.findings_sheet]
    for ref, text in REVIEW.finding_header_cells().items():
        assert ws[ref].value == text
    got = []
    for r in range(REVIEW.findings_first_row, ws.max_row + 1):
        c = REVIEW.finding_cells(r)
        got.append((ws[c["code"]].value, ws[c["location"]].value, ws[c["related_location"]].value))
    assert got == [(f.code, f"{f.sheet}!{f.cell}", f"{f.related.sheet}!{f.related.cell}") for f in reviewed.findings]


def fill(src: Path, dst: Path, scores: dict[str, object], *, issuer="正宁县财政局", date="2024年5月10日") -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb[REVIEW.sheet]
    rows = rows_by_name(src)
    for name, (score, reason) in scores.items():
        cells = REVIEW.row_cells(rows[name]["row"])
        ws[cells["review_score"]] = score
        ws[cells["review_reason"]] = reason
    ws[REVIEW.issuer], ws[REVIEW.date] = issuer, date
    wb.save(dst)
    return dst


SEED = "正宁县人力资源和社会保障局"
EDU = "正宁县教育局"


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_opinions_carry_the_workbooks_numbers_reasons_and_findings(reviewed, workbook, tmp_path):
    filled = fill(workbook, tmp_path / "filled.xlsx", {
        SEED: (80.5, "履职效果指标照抄编办的指标，扣5分\n预算执行率得分填错"),
        EDU: ("93", "植入的三项编办指标不得分"),
    })
    sheet = read_review_workbook(filled)
    result = write_opinions(sheet, tmp_path / "复核意见")
    assert len(result.written) == 2
    assert {f.code for f in result.skipped} == {"PE772"}  # the others were left blank
    entry = next(e for e in sheet.entries if e.name == SEED)
    text = docx_text(tmp_path / "复核意见" / opinion_file_name(entry))
    d = next(d for d in reviewed.departments if d.name == SEED)
    assert "自评得分98分" in text and f"重算为{d.loaded.evaluation.total}分" in text
    assert "复核得分为80.5分" in text and "比自评得分低17.5分" in text
    assert "1.履职效果指标照抄编办的指标，扣5分" in text and "2.预算执行率得分填错" in text
    assert "正宁县财政局" in text and "2024年5月10日" in text
    # its findings: the 编办 rows (its own side) and the rows the 教育局 copied (the other side)
    assert "提升机构编制法制水平情况" in text and "与正宁县教育局" in text
    edu = next(e for e in sheet.entries if e.name == EDU)
    edu_text = docx_text(tmp_path / "复核意见" / opinion_file_name(edu))
    assert "复核得分为93分" in edu_text and "年度指标值由上年的「≥99%」下调为「≥98%」" in edu_text


def test_a_score_that_is_no_number_or_out_of_range_skips_that_department(workbook, tmp_path):
    filled = fill(workbook, tmp_path / "f.xlsx", {SEED: ("八十五", ""), EDU: (120, "")})
    result = write_opinions(read_review_workbook(filled), tmp_path / "out")
    assert result.written == []
    bad = sorted((f.code, f.cell) for f in result.skipped if f.code == "PE771")
    rows = rows_by_name(filled)
    assert bad == sorted((("PE771", REVIEW.row_cells(rows[n]["row"])["review_score"]) for n in (SEED, EDU)))
    assert all(isinstance(f, Finding) and f.severity is Severity.ERROR for f in result.skipped if f.code == "PE771")


def test_existing_opinions_are_refused_without_force_and_nothing_is_written(workbook, tmp_path):
    filled = fill(workbook, tmp_path / "f.xlsx", {SEED: (85, "x"), EDU: (90, "y")})
    sheet = read_review_workbook(filled)
    out = tmp_path / "out"
    out.mkdir()
    seed_entry = next(e for e in sheet.entries if e.name == SEED)
    (out / opinion_file_name(seed_entry)).write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        write_opinions(sheet, out)
    assert sorted(p.name for p in out.iterdir()) == [opinion_file_name(seed_entry)]
    assert (out / opinion_file_name(seed_entry)).read_bytes() == b"old"
    assert len(write_opinions(sheet, out, force=True).written) == 2


def test_a_workbook_that_is_not_a_review_workbook_or_whose_columns_moved_is_refused(workbook, tmp_path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(PerfevalError) as exc:
        read_review_workbook(other)
    assert exc.value.code == "PE770"
    wb = openpyxl.load_workbook(workbook)
    wb[REVIEW.sheet].insert_cols(3)
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    with pytest.raises(PerfevalError) as exc:
        read_review_workbook(moved)
    assert exc.value.code == "PE770" and "列" in exc.value.message


def test_department_names_that_look_like_formulas_stay_text(tmp_path):
    from perfeval.batch import expand_paths
    from perfeval.core.model import Value
    from perfeval.loader import load_forms
    from perfeval.review import review_batch

    from . import forms as F

    form = F.health().model_copy(update={"name": Value(raw='=HYPERLINK("http://x","y")')})
    F.write(form, tmp_path / "in" / "a.xlsx")
    result = review_batch(load_forms(expand_paths([tmp_path / "in"]), jobs=1))
    out = write_review_workbook(result, tmp_path / "r.xlsx")
    cell = openpyxl.load_workbook(out)[REVIEW.sheet][REVIEW.row_cells(REVIEW.first_row)["name"]]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    entry = read_review_workbook(out).entries[0]
    assert opinion_file_name(entry) == '001-=HYPERLINK(_http_x_,_y_)-复核意见书.docx'


def test_an_opinion_renders_through_libreoffice_with_the_workbooks_numbers(workbook, tmp_path):
    if pdf_module.find_soffice() is None:
        pytest.skip("LibreOffice 未安装：无法验证复核意见书的渲染（安装 libreoffice-writer-nogui 后重跑）")
    filled = fill(workbook, tmp_path / "f.xlsx", {SEED: (80.5, "履职效果指标照抄编办的指标")})
    result = write_opinions(read_review_workbook(filled), tmp_path / "out")
    pdf = pdf_module.convert_to_pdf(result.written[0], tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils 未安装：PDF 已生成，但无法检查其中的文字")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    flat = "".join(text.split())
    assert "复核意见" in flat and "80.5" in flat and "98" in flat and "17.5" in flat
    assert "正宁县财政局" in flat
