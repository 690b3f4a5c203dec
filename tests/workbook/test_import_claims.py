"""An imported form keeps the published form's stated results as its claim (原表填报), beside
live formulas: checked as the original is, with no "formula overwritten" warning."""

from __future__ import annotations

from collections import Counter

import pytest

from perfeval.core.findings import Severity
from perfeval.loader import load_form
from perfeval.workbook import layout as L
from perfeval.workbook.template import _stated_budget, build_workbook, unplaced_budget_rows
from tests.conftest import DATA

SOURCES = sorted((DATA / "real" / "xlsx").glob("*.xlsx")) + sorted((DATA / "legacy").glob("*.xlsx"))
# What only one side can have: the importer's notes on cells it left behind, and the 报告素材 the
# template adds (an original has no such sheet).
ONE_SIDED = ("PE8", "PE506")


def _codes(findings, skip=()) -> Counter:
    return Counter((f.code, f.severity) for f in findings
                   if not f.code.startswith(ONE_SIDED) and (f.sheet, f.cell) not in skip)


def _row_cells(row) -> set[tuple[str, str]]:
    return {(v.loc.sheet, v.loc.cell) for v in (row.label, row.initial, row.full_year, row.actual, row.stated_rate,
                                                row.weight, row.score) if v.loc is not None}


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_an_imported_form_is_checked_as_its_original_is(tmp_path, source):
    original = load_form(source)
    path = tmp_path / "导入.xlsx"
    path.write_bytes(build_workbook(original.form, original.profile))
    imported = load_form(path)
    assert imported.origin == "template"
    # Two differences by construction: budget rows the template has no line for are left out
    # (the import says so), and a form without a budget block gets the template's empty one.
    unplaced = unplaced_budget_rows(original.form)
    left_out = set().union(*(_row_cells(r) for r in unplaced))
    lay = L.layout_for(original.form.kind)
    empty_lines = {(L.SHEET_FORM, ref) for i, line in enumerate(lay.budget_lines)
                   if _stated_budget(original.form, i, line) is None for ref in lay.budget_cells(line).values()}
    named = tuple(r.label.text for r in unplaced if r.label.text)
    theirs = [f for f in original.findings if not (named and f.cell == "" and f.message.startswith(named))]
    assert _codes(imported.findings, skip=empty_lines) == _codes(theirs, skip=left_out)
    assert not [f for f in imported.findings if f.code == "PE605"]
    if imported.evaluation is not None and original.evaluation is not None:
        assert imported.evaluation.total == original.evaluation.total


def test_the_claims_sit_beside_live_formulas_and_name_the_cells_they_belong_to(tmp_path):
    import openpyxl

    source = next(p for p in SOURCES if p.stem == "anhui-tangxi-2022-proj-1")
    original = load_form(source)
    path = tmp_path / "导入.xlsx"
    path.write_bytes(build_workbook(original.form, original.profile))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == [L.SHEET_FORM, L.SHEET_CLAIMS]
    claims, form = wb[L.SHEET_CLAIMS], wb[L.SHEET_FORM]
    rows = {claims[L.CLAIMS.row_cells(r)["target"]].value: r for r in L.CLAIMS.rows
            if claims[L.CLAIMS.row_cells(r)["target"]].value}
    lay = L.layout_for(original.form.kind)
    main_score = lay.budget_cells(lay.main_budget_line)["score"]
    r = rows[main_score]
    assert claims[L.CLAIMS.row_cells(r)["stated"]].value == 0  # the published form's 0
    assert claims[L.CLAIMS.row_cells(r)["computed"]].value == L.CLAIMS.computed_formula(main_score)
    assert str(form[main_score].value).startswith("=")  # the formula stays live
    loaded = load_form(path)
    pe106 = [f for f in loaded.findings if f.code == "PE106"]
    assert [(f.sheet, f.cell) for f in pe106] == [(L.SHEET_CLAIMS, L.CLAIMS.row_cells(r)["stated"])]
    assert pe106[0].severity is Severity.ERROR


def test_a_form_whose_claims_sheet_is_deleted_is_read_with_the_templates_own_results(tmp_path):
    import openpyxl

    source = next(p for p in SOURCES if p.stem == "anhui-tangxi-2022-proj-1")
    original = load_form(source)
    path = tmp_path / "导入.xlsx"
    path.write_bytes(build_workbook(original.form, original.profile))
    wb = openpyxl.load_workbook(path)
    del wb[L.SHEET_CLAIMS]
    wb.save(path)
    loaded = load_form(path)
    assert not [f for f in loaded.findings if f.code in ("PE106", "PE605")]
