"""Writing findings into a workbook: rows, links, fills, notes — and never an input value."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import pytest

from perfeval.core.findings import Finding, Severity
from perfeval.example_data import zhengning_2023
from perfeval.excel.sheet_access import OpenpyxlAccess
from perfeval.loader import load_model
from perfeval.outputs import OutputError, OutputExistsError, OutputIsInputError
from perfeval.workbook import layout as L
from perfeval.workbook.findings_writer import (
    NOTE_MARK,
    SEVERITY_FILL,
    annotate_file,
    selected_code,
    write_findings,
)
from perfeval.workbook.package_xml import read_cached_values
from perfeval.workbook.reader import read_form
from perfeval.workbook.template import build_workbook

COLS = {title: col for col, title, _ in L.FINDINGS.columns}
LAY = L.layout_for(zhengning_2023().kind)


@pytest.fixture()
def seed(tmp_path) -> Path:
    path = tmp_path / "正宁县人社局-2023.xlsx"
    path.write_bytes(build_workbook(zhengning_2023()))
    return path


@pytest.fixture()
def seed_findings(seed) -> list[Finding]:
    form, problems = read_form(seed)
    findings = list(load_model(form, problems=problems).findings)
    assert len(findings) > 20
    return findings


def cells(wb: openpyxl.Workbook, *, skip: tuple[str, ...] = (L.SHEET_FINDINGS,)) -> dict:
    out = {}
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out[(ws.title, c.coordinate)] = (_comparable(c.value), c.data_type)
    return out


def _comparable(value):
    """An array formula (the add-in's block) as its range and text: openpyxl's object has no ==."""
    from openpyxl.worksheet.formula import ArrayFormula

    return ("array", value.ref, value.text) if isinstance(value, ArrayFormula) else value


def fill_of(ws, ref: str) -> str | None:
    f = ws[ref].fill
    return f.fgColor.rgb[-6:] if f is not None and f.patternType == "solid" else None


def test_annotate_keeps_every_input_and_writes_one_row_per_finding(seed, seed_findings, tmp_path):
    before = hashlib.sha256(seed.read_bytes()).hexdigest()
    out = annotate_file(seed, seed_findings, tmp_path / "已标注.xlsx")
    assert hashlib.sha256(seed.read_bytes()).hexdigest() == before  # the input is untouched

    src = openpyxl.load_workbook(seed)
    got = openpyxl.load_workbook(out)
    assert cells(got) == cells(src)  # every value and formula of every other sheet

    ws = got[L.SHEET_FINDINGS]
    rows = [r for r in ws.iter_rows(min_row=L.FINDINGS.first_row, values_only=True) if any(r)]
    assert len(rows) == len(seed_findings)
    header = [ws[f"{col}{L.FINDINGS.header_row}"].value for col, _, _ in L.FINDINGS.columns]
    assert header == ["级别", "代码", "位置", "问题说明", "应为", "现为"]
    for i, f in enumerate(seed_findings):
        r = L.FINDINGS.first_row + i
        assert ws[f"{COLS['代码']}{r}"].value == f.code
        assert ws[f"{COLS['级别']}{r}"].value == f.severity.label
        assert ws[f"{COLS['问题说明']}{r}"].value == f.message
        assert ws[f"{COLS['应为']}{r}"].value == f.expected
        assert ws[f"{COLS['现为']}{r}"].value == f.actual
        link = ws[f"{COLS['位置']}{r}"].hyperlink
        if f.sheet and f.cell:
            assert ws[f"{COLS['位置']}{r}"].value == f"{f.sheet}!{f.cell}"
            assert link is not None and link.location == f"'{f.sheet}'!{f.cell}"
            assert not link.target  # internal: no external relationship
        assert fill_of(ws, f"{COLS['级别']}{r}") == SEVERITY_FILL[f.severity]


def test_annotate_keeps_the_formula_results_for_viewers_without_the_addin(seed, seed_findings, tmp_path):
    out = annotate_file(seed, seed_findings, tmp_path / "已标注.xlsx")
    before = read_cached_values(seed.read_bytes(), L.SHEET_FORM)
    after = read_cached_values(out.read_bytes(), L.SHEET_FORM)
    assert before and after == before
    # Where the seed agrees with the formula, the formula and its result are there.
    assert after[LAY.grade] is not None and after[f"G{LAY.indicator_first_row}"] is not None


def test_referenced_cells_get_the_worst_severitys_fill_and_a_note(seed, seed_findings, tmp_path):
    out = annotate_file(seed, seed_findings, tmp_path / "已标注.xlsx")
    ws = openpyxl.load_workbook(out)[L.SHEET_FORM]
    by_cell: dict[str, list[Finding]] = {}
    for f in seed_findings:
        if f.sheet == L.SHEET_FORM and f.cell:
            by_cell.setdefault(f.cell, []).append(f)
    assert by_cell
    for ref, group in by_cell.items():
        worst = min(group, key=lambda f: f.severity.rank).severity
        assert fill_of(ws, ref) == SEVERITY_FILL[worst], ref
        note = ws[ref].comment.text
        assert NOTE_MARK in note
        for f in group:
            assert f"{f.code} {f.severity.label}：{f.message}" in note


def test_annotate_refuses_to_overwrite_or_to_write_a_macro_file(seed, seed_findings, tmp_path):
    with pytest.raises(OutputIsInputError):
        annotate_file(seed, seed_findings, seed)
    out = annotate_file(seed, seed_findings, tmp_path / "a.xlsx")
    with pytest.raises(OutputExistsError):
        annotate_file(seed, seed_findings, out)
    assert annotate_file(seed, [], out, force=True) == out
    with pytest.raises(OutputError, match=r"\.xlsx"):
        annotate_file(seed, seed_findings, tmp_path / "a.xlsm")


def test_a_second_run_replaces_the_first_and_a_clean_run_restores_the_template(seed, seed_findings):
    access = OpenpyxlAccess(seed)
    pristine = openpyxl.load_workbook(io.BytesIO(build_workbook(zhengning_2023())))
    write_findings(access, seed_findings)
    once = cells(access.workbook, skip=())
    write_findings(access, seed_findings)
    assert cells(access.workbook, skip=()) == once  # no duplicated rows, same marks

    write_findings(access, [])
    ws = access.workbook[L.SHEET_FORM]
    for f in seed_findings:
        if f.sheet == L.SHEET_FORM and f.cell:
            assert fill_of(ws, f.cell) == fill_of(pristine[L.SHEET_FORM], f.cell), f.cell
            note = ws[f.cell].comment
            assert note is None or NOTE_MARK not in note.text
    findings_ws = access.workbook[L.SHEET_FINDINGS]
    assert all(c.value is None for row in findings_ws.iter_rows(min_row=L.FINDINGS.first_row) for c in row)
    assert cells(access.workbook) == cells(pristine_like(seed))


def pristine_like(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def test_a_note_the_template_put_on_a_cell_is_kept(seed):
    access = OpenpyxlAccess(seed)
    ref = LAY.other_notes
    hint = access.comment(L.SHEET_FORM, ref)
    assert hint  # the template's own hint
    finding = Finding(code="PE506", severity=Severity.WARNING, sheet=L.SHEET_FORM, cell=ref,
                      message="其他需要说明的问题未填写")
    write_findings(access, [finding])
    note = access.comment(L.SHEET_FORM, ref)
    assert note.startswith(hint) and f"{NOTE_MARK}\nPE506 警告：其他需要说明的问题未填写" in note
    write_findings(access, [])
    assert access.comment(L.SHEET_FORM, ref) == hint


def test_merged_cells_and_findings_without_a_cell(seed):
    access = OpenpyxlAccess(seed)
    inside_merge = "C8"  # B8:D8 holds 预期目标
    findings = [
        Finding(code="PE505", severity=Severity.INFO, sheet=L.SHEET_FORM, cell=inside_merge, message="m"),
        Finding(code="PE601", severity=Severity.WARNING, sheet="不存在的表", message="缺少工作表"),
        Finding(code="PE999", severity=Severity.ERROR, message="文件级问题"),
    ]
    summary = write_findings(access, findings)
    assert summary.rows == 3
    assert summary.marked == ((L.SHEET_FORM, inside_merge),)
    ws = access.workbook[L.SHEET_FORM]
    assert fill_of(ws, LAY.goals_expected) == SEVERITY_FILL[Severity.INFO]
    out = access.workbook[L.SHEET_FINDINGS]
    assert out[f"{COLS['位置']}3"].value == "不存在的表" and out[f"{COLS['位置']}3"].hyperlink is None
    assert out[f"{COLS['位置']}4"].value is None


def test_text_that_looks_like_a_formula_is_written_as_text(seed):
    access = OpenpyxlAccess(seed)
    f = Finding(code="PE605", severity=Severity.WARNING, sheet=L.SHEET_FORM, cell="G12",
                message="=HYPERLINK(\"x\")", expected="=SCORE(D12,E12)", actual="=1+1")
    write_findings(access, [f])
    import io
    import zipfile

    import openpyxl

    from perfeval.workbook.package_xml import sheet_part_names

    saved = access.to_bytes()
    zf = zipfile.ZipFile(io.BytesIO(saved))
    assert b"<f>" not in zf.read(sheet_part_names(zf)[L.SHEET_FINDINGS])  # written, saved: no formula
    ws = openpyxl.load_workbook(io.BytesIO(saved))[L.SHEET_FINDINGS]
    assert [ws[f"{COLS[c]}2"].value for c in ("问题说明", "应为", "现为")] == [f.message, f.expected, f.actual]


def test_writing_without_a_findings_sheet_still_marks_cells(seed):
    access = OpenpyxlAccess(seed)
    del access.workbook[L.SHEET_FINDINGS]
    f = Finding(code="PE401", severity=Severity.ERROR, sheet=L.SHEET_FORM, cell="G27", message="得分不对")
    summary = write_findings(access, [f])
    assert (summary.rows, summary.findings_sheet) == (0, False)
    assert fill_of(access.workbook[L.SHEET_FORM], "G27") == SEVERITY_FILL[Severity.ERROR]


def test_selected_code_reads_a_findings_row_or_a_marked_cell(seed, seed_findings):
    access = OpenpyxlAccess(seed)
    write_findings(access, seed_findings)
    access.selected = (L.SHEET_FINDINGS, f"D{L.FINDINGS.first_row}")
    assert selected_code(access) == seed_findings[0].code
    access.selected = (L.SHEET_FINDINGS, "A1")
    assert selected_code(access) is None
    marked = next(f for f in seed_findings if f.sheet == L.SHEET_FORM and f.cell)
    access.selected = (L.SHEET_FORM, marked.cell)
    assert selected_code(access) in {f.code for f in seed_findings if f.cell == marked.cell}
    access.selected = (L.SHEET_FORM, "A1")
    assert selected_code(access) is None
