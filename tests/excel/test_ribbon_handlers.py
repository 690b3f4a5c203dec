"""Every ribbon button, end to end on the seed example, through the file-backed SheetAccess."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from perfeval.core.model import Value
from perfeval.example_data import zhengning_2023
from perfeval.excel import ribbon
from perfeval.excel.build import TEMPLATE_XLSM
from perfeval.excel.ribbon import on_ribbon
from perfeval.excel.sheet_access import OpenpyxlAccess, SheetAccess
from perfeval.loader import load_form, load_model
from perfeval.workbook import layout as L
from perfeval.workbook.findings_writer import NOTE_MARK, SEVERITY_FILL
from perfeval.workbook.reader import read_form
from perfeval.workbook.template import build_workbook

REPO = Path(__file__).resolve().parents[2]
LEGACY = REPO / "tests" / "data" / "legacy" / "zhengning-rsj-2023.xlsx"
COLS = {title: col for col, title, _ in L.FINDINGS.columns}


@pytest.fixture()
def seed(tmp_path) -> Path:
    folder = tmp_path / "正宁县人社局"
    folder.mkdir()
    path = folder / "正宁县人社局-2023-自评表.xlsx"
    path.write_bytes(build_workbook(zhengning_2023()))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_values(wb: openpyxl.Workbook) -> dict:
    return {(ws.title, c.coordinate): c.value
            for ws in wb.worksheets if ws.title != L.SHEET_FINDINGS
            for row in ws.iter_rows() for c in row if c.value is not None}


def test_openpyxl_access_is_a_sheet_access(seed):
    assert isinstance(OpenpyxlAccess(seed), SheetAccess)


def test_validate_writes_findings_and_marks_without_changing_any_input(seed):
    before = digest(seed)
    access = OpenpyxlAccess(seed)
    original = input_values(access.workbook)
    findings = on_ribbon("validate", access)

    expected_form, problems = read_form(seed)
    assert [(f.code, f.cell) for f in findings] == [
        (f.code, f.cell) for f in list(load_model(expected_form, problems=problems).findings)]
    assert input_values(access.workbook) == original
    ws = access.workbook[L.SHEET_FINDINGS]
    codes = [ws[f"{COLS['代码']}{r}"].value for r in range(L.FINDINGS.first_row, ws.max_row + 1)]
    assert [c for c in codes if c] == [f.code for f in findings]
    error = next(f for f in findings if f.severity.value == "error" and f.cell)
    cell = access.workbook[error.sheet][error.cell]
    assert cell.fill.fgColor.rgb[-6:] == SEVERITY_FILL[error.severity]
    assert NOTE_MARK in cell.comment.text and error.code in cell.comment.text
    assert access.activated == [L.SHEET_FINDINGS]
    assert access.messages[-1].startswith("校验完成：错误 ")
    assert access.statuses[0] == "正在校验……" and access.statuses[-1] is None
    assert digest(seed) == before  # the file itself is not written

    # What the clerk then saves still reads back as the same form, plus the findings sheet.
    saved = seed.with_name("saved.xlsx")
    access.save_copy(saved)
    again, again_problems = read_form(saved)
    assert again_problems == problems
    assert again.model_dump(exclude={"source"}) == expected_form.model_dump(exclude={"source"})


def test_validate_twice_gives_the_same_sheet(seed):
    access = OpenpyxlAccess(seed)
    on_ribbon("validate", access)
    ws = access.workbook[L.SHEET_FINDINGS]
    first = [[c.value for c in row] for row in ws.iter_rows()]
    on_ribbon("validate", access)
    assert [[c.value for c in row] for row in ws.iter_rows()] == first


def test_validate_with_nothing_found_clears_the_old_marks_and_says_so(seed, monkeypatch):
    access = OpenpyxlAccess(seed)
    on_ribbon("validate", access)
    real = ribbon.load_form
    monkeypatch.setattr(ribbon, "load_form", lambda path, **kw: dataclasses.replace(real(path, **kw), findings=()))
    assert on_ribbon("validate", access) == []
    assert access.messages[-1] == "校验完成，未发现问题。"
    ws = access.workbook[L.SHEET_FINDINGS]
    assert all(c.value is None for row in ws.iter_rows(min_row=L.FINDINGS.first_row) for c in row)


def test_explain_shows_the_rule_of_the_selected_row(seed):
    access = OpenpyxlAccess(seed)
    findings = on_ribbon("validate", access)
    access.selected = (L.SHEET_FINDINGS, f"{COLS['问题说明']}{L.FINDINGS.first_row}")
    code = on_ribbon("explain", access)
    assert code == findings[0].code
    assert access.messages[-1].startswith(code) and "检查内容" in access.messages[-1]
    access.selected = (L.SHEET_FORM, "A1")
    assert on_ribbon("explain", access) is None
    assert "请先在「校验结果」" in access.messages[-1]


def test_report_on_a_form_with_errors_asks_before_a_draft_and_writes_nothing_when_declined(seed):
    access = OpenpyxlAccess(seed)  # no preset answer: the clerk says 否
    assert on_ribbon("report", access) is None
    errors = sum(1 for f in load_form(seed).findings if f.severity.value == "error")
    assert len(access.questions) == 1 and f"还有 {errors} 个错误" in access.questions[0]
    assert "草稿" in access.questions[0]
    assert sorted(p.name for p in seed.parent.iterdir()) == [seed.name]


def test_a_draft_report_goes_next_to_the_workbook_and_never_over_a_file(seed):
    access = OpenpyxlAccess(seed, yes_no_answers=[True, True])
    first = on_ribbon("report", access)
    assert first == seed.with_name(f"{seed.stem}-自评报告（草稿）.docx")
    assert zipfile.ZipFile(first).testzip() is None
    document = docx.Document(first)
    assert "草稿" in document.sections[0].header.paragraphs[0].text and list(document.comments)
    assert "批注" in access.messages[-1]
    first_bytes = first.read_bytes()
    second = on_ribbon("report", access)
    assert second == seed.with_name(f"{seed.stem}-自评报告（草稿）(2).docx")
    assert first.read_bytes() == first_bytes


def test_a_clean_form_gets_its_final_report_without_a_question(tmp_path):
    from tests.checks.clean_form import workbook_bytes

    path = tmp_path / "测试县人社局.xlsx"
    path.write_bytes(workbook_bytes())
    access = OpenpyxlAccess(path)
    out = on_ribbon("report", access)
    assert out == path.with_name(f"{path.stem}-自评报告.docx") and access.questions == []
    document = docx.Document(out)
    assert list(document.comments) == [] and "草稿" not in document.sections[0].header.paragraphs[0].text


def test_new_form_writes_a_macro_template_and_opens_it(seed):
    access = OpenpyxlAccess(seed)
    first = on_ribbon("new_form", access)
    second = on_ribbon("addin_new", access)
    assert first == seed.parent / TEMPLATE_XLSM.name
    assert second == seed.parent / f"{Path(TEMPLATE_XLSM.name).stem}(2).xlsm"
    assert access.opened == [first, second]
    assert "xl/vbaProject.bin" in zipfile.ZipFile(first).namelist()
    assert read_form(first)[1] == []


def test_export_without_a_pdf_converter_says_what_is_missing(seed, monkeypatch):
    from perfeval import report

    def unavailable(*args, **kwargs):
        raise report.PdfUnavailable("未找到 LibreOffice（soffice），无法导出 PDF")

    monkeypatch.setattr(report, "convert_to_pdf", unavailable)
    access = OpenpyxlAccess(seed, yes_no_answers=[True])
    assert on_ribbon("export", access) == []
    assert "未能导出" in access.messages[-1] and "自评表：" in access.messages[-1]
    assert sorted(p.name for p in seed.parent.iterdir()) == [seed.name]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_export_makes_both_pdfs_with_libreoffice(seed):
    access = OpenpyxlAccess(seed)
    assert on_ribbon("export", access) == [] and access.questions  # declined: no draft, no PDF
    access = OpenpyxlAccess(seed, yes_no_answers=[True])
    made = on_ribbon("export", access)
    assert [p.name for p in made] == [f"{seed.stem}-自评表.pdf", f"{seed.stem}-自评报告（草稿）.pdf"]
    for p in made:
        assert p.read_bytes().startswith(b"%PDF")


def test_consolidate_asks_for_the_units_folder_and_counts_this_workbook_as_the_benji(seed, tmp_path):
    units = tmp_path / "下属单位"
    units.mkdir()
    for name in ("甲单位", "乙单位"):
        form = zhengning_2023()
        form = form.model_copy(update={"name": form.name.model_copy(update={"raw": name})})
        (units / f"{name}.xlsx").write_bytes(build_workbook(form))
    access = OpenpyxlAccess(seed, folder_answers=[units])
    out = on_ribbon("consolidate", access)
    assert out == seed.with_name(f"{seed.stem}-汇总.xlsx")
    assert access.opened == [out]
    assert "参与汇总的自评表 3 份" in access.messages[-1]
    assert f"本级「正宁县人力资源和社会保障局」（{seed.name}）" in access.messages[-1]
    assert "汇总说明" in openpyxl.load_workbook(out).sheetnames
    money = zhengning_2023().budget[0].actual.number
    assert read_form(out)[0].budget[0].actual.number == 3 * money


def test_consolidate_on_a_blank_department_template_only_takes_its_structure(tmp_path):
    folder = tmp_path / "某局"
    folder.mkdir()
    blank = folder / "某局-汇总模板.xlsx"
    blank.write_bytes(build_workbook())
    units = tmp_path / "单位"
    units.mkdir()
    for name in ("甲", "乙"):
        form = zhengning_2023().model_copy(update={"name": Value(raw=name)})
        (units / f"{name}.xlsx").write_bytes(build_workbook(form))
    access = OpenpyxlAccess(blank, folder_answers=[units])
    out = on_ribbon("consolidate", access)
    assert "参与汇总的自评表 2 份" in access.messages[-1] and "部门模板" in access.messages[-1]
    assert read_form(out)[0].budget[0].actual.number == 2 * zhengning_2023().budget[0].actual.number


def test_consolidate_cancelled_does_nothing(seed):
    access = OpenpyxlAccess(seed, folder_answers=[None])
    assert on_ribbon("consolidate", access) is None
    assert sorted(p.name for p in seed.parent.iterdir()) == [seed.name]


def test_import_converts_a_legacy_form_beside_it_and_leaves_it_alone(tmp_path, seed):
    legacy = tmp_path / LEGACY.name
    shutil.copyfile(LEGACY, legacy)
    before = digest(legacy)
    access = OpenpyxlAccess(seed, open_answers=[legacy])
    out = on_ribbon("addin_import", access)
    assert out == legacy.with_name(f"{legacy.stem}-新模板.xlsm")
    assert digest(legacy) == before
    assert access.opened == [out]
    form, problems = read_form(out)
    assert not [p for p in problems if p.code.startswith(("PE6", "PE9"))]
    assert form.filled_indicators
    assert access.messages[-1].startswith("已导入到：")


def test_batch_checks_a_folder_and_writes_the_summary_beside_it(tmp_path, seed):
    folder = tmp_path / "各部门"
    folder.mkdir()
    shutil.copyfile(seed, folder / "a.xlsx")
    (folder / "b.xlsx").write_bytes(build_workbook())
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    access = OpenpyxlAccess(seed, folder_answers=[folder])
    out = on_ribbon("addin_batch", access)
    assert out == tmp_path / "各部门-批量校验汇总.xlsx"
    assert access.opened == [out]
    assert "已校验 3 个文件" in access.messages[-1] and "无法读取的 1 个" in access.messages[-1]
    assert any(s and s.startswith("正在校验第") for s in access.statuses)


def test_doctor_button_lists_the_checks(seed):
    access = OpenpyxlAccess(seed)
    rows = on_ribbon("addin_doctor", access)
    assert rows and all(len(r) == 3 for r in rows)
    assert "Python 版本" in access.messages[-1]
    assert ("工作表函数调用 Python", True, "未发现调用失败") in rows


def test_doctor_says_once_why_the_worksheet_functions_could_not_reach_python(seed):
    # The wrappers answered #N/A in every cell and kept the reason; the doctor shows it once.
    reason = "Could not activate Python COM server, hr = -2147221164"
    access = OpenpyxlAccess(seed, udf_failure_reason=reason)
    rows = on_ribbon("addin_doctor", access)
    failed = [r for r in rows if r[0] == "工作表函数调用 Python"]
    assert len(failed) == 1 and failed[0][1] is False and reason in failed[0][2]
    assert access.messages[-1].count(reason) == 1 and "需加载项计算" in access.messages[-1]


def test_unknown_button_and_unexpected_errors_end_in_a_message(seed, monkeypatch):
    access = OpenpyxlAccess(seed)
    assert on_ribbon("no_such_button", access) is None
    assert "未知的按钮" in access.messages[-1]

    def broken(access):
        raise KeyError("boom")

    monkeypatch.setitem(ribbon.HANDLERS, "validate", broken)
    assert on_ribbon("validate", access) is None
    assert access.messages[-1].startswith("PE999 内部错误：KeyError")
    assert access.statuses[-1] is None


def test_consolidate_leaves_out_an_earlier_result_lying_in_the_units_folder(seed, tmp_path):
    from perfeval.excel.sheet_access import OpenpyxlAccess

    units = tmp_path / "单位"
    units.mkdir()
    for name in ("甲", "乙"):
        form = zhengning_2023().model_copy(update={"name": Value(raw=name)})
        (units / f"{name}.xlsx").write_bytes(build_workbook(form))
    first = on_ribbon("consolidate", OpenpyxlAccess(seed, folder_answers=[units]))
    (units / first.name).write_bytes(first.read_bytes())  # the clerk saved it among the units
    access = OpenpyxlAccess(seed, folder_answers=[units])
    on_ribbon("consolidate", access)
    assert "参与汇总的自评表 3 份" in access.messages[-1]
    assert "此前生成的汇总结果" in access.messages[-1]
