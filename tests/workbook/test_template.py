import hashlib
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval.core.evaluate import evaluate
from perfeval.core.model import BudgetRow, BudgetRowKind, Form, FormKind, Indicator, Value
from perfeval.core.profiles import load_profile
from perfeval.example_data import zhengning_2023
from perfeval.workbook import layout as L
from perfeval.workbook.package_xml import read_cached_values
from perfeval.workbook.reader import read_workbook
from perfeval.workbook.template import build_workbook
from tests.workbook import formula_engine

D = Decimal


def _load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _same(a, b) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-9
    return a == b


def _engine_mismatches(tmp_path, data: bytes, name="form.xlsx"):
    """Cached value vs what Excel with the add-in computes (the engine, fallbacks dropped)."""
    path = formula_engine.addin_view(data, tmp_path / name)
    computed = formula_engine.compute(path, L.SHEET_FORM)
    cached = read_cached_values(data, L.SHEET_FORM)
    assert cached, "the template has formula cells with cached values"
    helpers = {f"{col}{r}" for col in L.HELPER_COLS.values() for r in L.layout_for(FormKind.DEPARTMENT).indicator_rows}
    return {ref: (cached[ref], computed.get(ref)) for ref in cached
            if ref not in helpers and not _same(cached[ref], computed.get(ref))}


def test_the_formula_engine_with_our_functions_reproduces_every_cached_value_of_the_example(tmp_path):
    with formula_engine.registered():
        assert _engine_mismatches(tmp_path, build_workbook(zhengning_2023())) == {}


def test_an_unregistered_worksheet_function_shows_up_as_a_mismatch_not_a_pass(tmp_path):
    with formula_engine.registered(names={"EXEC_SCORE", "TOTAL", "GRADE"}):
        mismatches = _engine_mismatches(tmp_path, build_workbook(zhengning_2023()))
    rows = L.layout_for(FormKind.DEPARTMENT).indicator_rows
    assert f"{L.COL_PY_SCORE}{rows.start}" in mismatches  # SCORE_TABLE's block is missing …
    shown = {f"{col}{r}" for col in (L.COL_SCORE, L.COL_READING, L.COL_BAND) for r in rows}
    assert {ref for ref in mismatches if ref in shown}  # … and so are the cells showing it


def test_cached_scores_equal_the_cores_recomputation_for_the_example():
    form = zhengning_2023()
    data = build_workbook(form, keep_stated=False)
    cached = read_cached_values(data, L.SHEET_FORM)
    ev = evaluate(form, load_profile())
    lay = L.layout_for(FormKind.DEPARTMENT)
    assert D(str(cached["H4"])) == ev.execution_score
    assert D(str(cached["F4"])) == ev.execution_rate
    for r, res in zip(lay.indicator_rows, ev.indicators):
        got = cached[f"G{r}"]
        if res.result.error is not None:
            assert str(got).startswith(res.result.error.code)
        else:
            assert D(str(got)) == res.result.score
    assert D(str(cached[lay.total_score])) == ev.total
    assert cached[lay.grade] == ev.grade


_targets = st.sampled_from(["达90%以上", "≥95%", "≤5%", "不超过3次", "达到100%", "始终坚持", "≥2200篇", "≤90万元", "4个"])
_actuals = st.sampled_from([0.95, 1, 0.5, "85%", 2, "2300篇", "100万元", "3个", 0.7, None])


@st.composite
def generated_forms(draw):
    n = draw(st.integers(min_value=0, max_value=12))
    inds = []
    for i in range(n):
        inds.append(Indicator(
            row=i,
            level1=Value(raw=draw(st.sampled_from(["部门管理", "履职效果", "能力建设", "服务对象满意度"]))),
            level3=Value(raw=f"指标{i}"),
            target=Value(raw=draw(_targets)),
            actual=Value(raw=draw(_actuals), percent_format=draw(st.booleans())),
            weight=Value(raw=D(draw(st.integers(min_value=0, max_value=8)))),
        ))
    budget = draw(st.decimals(min_value=1, max_value=10**5, places=2))
    spent = draw(st.decimals(min_value=0, max_value=10**5, places=2))
    return Form(
        kind=FormKind.DEPARTMENT, name=Value(raw="测试单位"), year=Value(raw=D(2024)),
        budget=(BudgetRow(kind=BudgetRowKind.TOTAL, initial=Value(raw=budget), full_year=Value(raw=budget),
                          actual=Value(raw=spent)),),
        indicators=tuple(inds),
    )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=generated_forms())
def test_the_formula_engine_agrees_with_the_cached_values_on_generated_forms(tmp_path, form):
    with formula_engine.registered():
        assert _engine_mismatches(tmp_path, build_workbook(form)) == {}


@pytest.mark.parametrize("kind", [FormKind.DEPARTMENT, FormKind.PROJECT])
def test_every_formula_cell_is_locked_every_input_cell_unlocked_and_structure_protected(kind):
    wb = _load(build_workbook(kind=kind))
    ws = wb[L.SHEET_FORM]
    lay = L.layout_for(kind)
    formula_cells = [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert len(formula_cells) >= 3 * lay.indicator_count
    assert all(c.protection.locked for c in formula_cells)
    assert all(not ws[ref].protection.locked for ref in lay.input_cells)
    assert set(lay.input_cells).isdisjoint(lay.formula_cells())
    assert ws.protection.sheet and wb.security.lockStructure
    assert wb[L.SHEET_CONFIG].sheet_state == "hidden"


def test_the_form_prints_on_a4_landscape_with_the_indicator_header_repeated():
    ws = _load(build_workbook())[L.SHEET_FORM]
    lay = L.layout_for(FormKind.DEPARTMENT)
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == f"${lay.indicator_header_row}:${lay.indicator_header_row}"
    assert lay.print_area.split(":")[1].startswith("H")
    assert lay.indicator_count >= 60


def test_input_cells_have_data_validation_for_money_kind_and_direction():
    ws = _load(build_workbook())[L.SHEET_FORM]
    by_type = {}
    for dv in ws.data_validations.dataValidation:
        by_type.setdefault(dv.type, []).append(dv)
    assert any('"定量,定性"' == dv.formula1 for dv in by_type["list"])
    assert any('"正向,反向"' == dv.formula1 for dv in by_type["list"])
    assert any("C4" in str(dv.sqref) for dv in by_type["decimal"])


def test_the_build_is_byte_for_byte_reproducible():
    a, b = build_workbook(zhengning_2023()), build_workbook(zhengning_2023())
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(io.BytesIO(a)).infolist())


def test_the_example_keeps_the_published_wrong_numbers_beside_live_formulas():
    wb = _load(build_workbook(zhengning_2023()))
    ws, claims = wb[L.SHEET_FORM], wb[L.SHEET_CLAIMS]
    lay = L.layout_for(FormKind.DEPARTMENT)
    main = lay.budget_cells(lay.budget_lines[0])
    # Every computed cell stays a formula, the published 141% / 8 / 100 / 98 included …
    for ref in (main["stated_rate"], main["score"], lay.total_weight, lay.total_score):
        assert ws[ref].data_type == "f", ref
    # … and what the form stated is its claim on 原表填报, in the row naming that cell.
    stated = {}
    for r in L.CLAIMS.rows:
        cells = L.CLAIMS.row_cells(r)
        if claims[cells["target"]].value:
            stated[claims[cells["target"]].value] = claims[cells["stated"]].value
            assert claims[cells["computed"]].value == f"='自评表'!{claims[cells['target']].value}"  # live
    assert stated[main["stated_rate"]] == pytest.approx(1.41)
    assert (stated[main["score"]], stated[lay.total_weight], stated[lay.total_score]) == (8, 100, 98)
    assert wb.sheetnames.index(L.SHEET_CLAIMS) == 1


def test_reading_back_a_built_form_gives_the_same_values_with_their_cells():
    form = zhengning_2023()
    data = build_workbook(form)
    back, problems = read_workbook(_load(data), data, source="x.xlsx")
    assert problems == []
    assert back.name.text == form.name.text and back.name.loc.cell == "C2"
    assert [i.level3.text for i in back.indicators] == [i.level3.text for i in form.indicators]
    assert [i.target.text for i in back.indicators] == [i.target.text for i in form.indicators]
    assert [i.actual.number for i in back.indicators] == [i.actual.number for i in form.indicators]
    assert back.budget[0].full_year.number == D("1745.81")
    assert back.narrative.text("functions") == form.narrative.text("functions")
    assert evaluate(back, load_profile()).total == evaluate(form, load_profile()).total


def _older_narrative_sheet(data: bytes) -> bytes:
    """The workbook as a template made before the 报告素材 fields of `added_keys` existed would
    hold it: only the older fields, one after the other, from the first row."""
    from perfeval.core.model import NARRATIVE_SECTIONS

    wb = _load(data)
    ws = wb[L.SHEET_NARRATIVE]
    n = L.NARRATIVE
    old = [(k, label) for k, label in NARRATIVE_SECTIONS.items() if k not in n.added_keys]
    values = {k: ws[n.value_cell(k)].value for k, _ in old}
    for r in range(n.first_row, n.first_row + len(NARRATIVE_SECTIONS)):
        ws[f"{n.label_col}{r}"] = None
        ws[n.value_cell_at(r)] = None
    for i, (k, label) in enumerate(old):
        ws[f"{n.label_col}{n.first_row + i}"] = label
        ws[n.value_cell_at(n.first_row + i)] = values[k]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_template_made_before_the_newer_report_fields_reads_every_field_it_has():
    form = zhengning_2023()
    data = _older_narrative_sheet(build_workbook(form))
    back, problems = read_workbook(_load(data), data, source="旧模板.xlsx")
    assert [p for p in problems if p.sheet == L.SHEET_NARRATIVE] == []
    for key, v in form.narrative.sections.items():
        if key not in L.NARRATIVE.added_keys:
            assert back.narrative.text(key) == v.text, key
        else:
            assert back.narrative.text(key) == ""
    assert back.narrative.sections["satisfaction_analysis"].loc.cell != L.NARRATIVE.value_cell("satisfaction_analysis")


def test_a_deleted_report_field_is_a_warning_at_the_row_it_belonged_to():
    wb = _load(build_workbook(zhengning_2023()))
    wb[L.SHEET_NARRATIVE][L.NARRATIVE.label_cell("problems")] = "别的内容"
    buf = io.BytesIO()
    wb.save(buf)
    back, problems = read_workbook(_load(buf.getvalue()), buf.getvalue())
    assert [(p.code, p.cell, p.severity.value) for p in problems if p.sheet == L.SHEET_NARRATIVE] == [
        ("PE603", L.NARRATIVE.label_cell("problems"), "warning")]
    assert "problems" not in back.narrative.sections


def test_text_in_a_money_cell_is_a_problem_at_that_cell():
    wb = _load(build_workbook(zhengning_2023()))
    wb[L.SHEET_FORM]["D4"] = "一千七百万"
    buf = io.BytesIO()
    wb.save(buf)
    _, problems = read_workbook(_load(buf.getvalue()), buf.getvalue())
    assert [(p.code, p.cell) for p in problems] == [("PE604", "D4")]


def test_a_deleted_row_is_reported_with_the_cell_where_the_label_should_be():
    wb = _load(build_workbook(zhengning_2023()))
    wb[L.SHEET_FORM].delete_rows(5)
    buf = io.BytesIO()
    wb.save(buf)
    form, problems = read_workbook(_load(buf.getvalue()), buf.getvalue())
    assert ("PE603", "B5") in [(p.code, p.cell) for p in problems]
    assert form.indicators == ()  # nothing is read from shifted addresses


def test_a_missing_sheet_is_a_problem_not_an_exception():
    wb = _load(build_workbook())
    del wb[L.SHEET_FORM]
    _, problems = read_workbook(wb, None)
    assert [p.code for p in problems] == ["PE601"]


def test_a_formula_cell_typed_over_is_read_as_a_constant_without_formula():
    wb = _load(build_workbook(zhengning_2023()))
    assert wb[L.SHEET_FORM]["G10"].data_type == "f"
    wb[L.SHEET_FORM]["G10"] = 2
    buf = io.BytesIO()
    wb.save(buf)
    form, _ = read_workbook(_load(buf.getvalue()), buf.getvalue())
    assert form.indicators[0].score.formula is None and form.indicators[0].score.raw == 2


def test_the_project_variant_has_the_10hao_budget_rows_and_reads_back():
    data = build_workbook(kind=FormKind.PROJECT)
    ws = _load(data)[L.SHEET_FORM]
    assert ws["B5"].value == "年度资金总额" and ws["A2"].value == "项目名称"
    form, problems = read_workbook(_load(data), data)
    assert problems == [] and form.kind is FormKind.PROJECT


def test_the_committed_example_and_blank_templates_are_exactly_what_the_builder_makes():
    import importlib.util

    from tests.conftest import REPO

    spec = importlib.util.spec_from_file_location("build_examples", REPO / "scripts" / "build_examples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for path, data in mod.outputs().items():
        assert path.read_bytes() == data, f"{path.name} is stale: run python scripts/build_examples.py"


def test_removed_protection_is_reported_when_read_from_a_file(tmp_path):
    from perfeval.workbook.reader import read_form

    wb = _load(build_workbook(zhengning_2023()))
    wb[L.SHEET_FORM].protection.sheet = False
    wb.security.lockStructure = False
    path = tmp_path / "unprotected.xlsx"
    wb.save(path)
    _, problems = read_form(path)
    assert [(p.code, p.cell) for p in problems] == [("PE607", ""), ("PE607", "")]
    intact = tmp_path / "intact.xlsx"
    intact.write_bytes(build_workbook(zhengning_2023()))
    assert read_form(intact)[1] == []
