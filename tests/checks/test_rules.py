"""Table-driven rule tests: each case types into a correct form and compares (code, cell) lists."""

from __future__ import annotations

import pytest

from perfeval.checks import RULES
from perfeval.core.findings import Severity
from perfeval.core.model import FormKind, Loc, Value
from perfeval.loader import load_model
from perfeval.workbook.layout import COL_L1, NARRATIVE, cell, layout_for
from tests.checks.clean_form import ROWS, read_with_edits


def findings_for(edits, sheet="自评表", select=None):
    form, problems = read_with_edits(edits, sheet)
    found = list(load_model(form, problems=problems).findings)
    return [(f.code, f.cell) for f in found if select is None or f.code.startswith(select)]


def test_the_clean_form_has_no_findings_at_all():
    form, problems = read_with_edits({})
    assert list(load_model(form, problems=problems).findings) == []


# Addresses come from the layout: the cases say which field of which row a clerk typed into.
_DEPT = layout_for(FormKind.DEPARTMENT)
MAIN, BASIC, PROJECT = (_DEPT.budget_cells(line) for line in _DEPT.budget_lines)
DED = _DEPT.deduction_cells(_DEPT.deduction_rows[0])


def ind(n: int, field: str) -> str:
    """The `field` cell of the clean form's n-th indicator row (0: the first)."""
    return _DEPT.indicator_cells(_DEPT.indicator_first_row + n)[field]


_EMPTY_ROW_8 = {ind(8, f): None for f in ("level1", "level2", "level3", "target", "actual", "weight")}

# (code, edits on 自评表, expected (code, cell) pairs for that code)
FAIL_CASES = [
    ("PE101", {MAIN["stated_rate"]: 0.9}, [("PE101", MAIN["stated_rate"])]),
    ("PE102", {MAIN["actual"]: 1100}, [("PE102", MAIN["actual"])]),
    ("PE103", {MAIN["full_year"]: None}, [("PE103", MAIN["full_year"])]),
    ("PE104", {BASIC["actual"]: 430}, [("PE104", MAIN["actual"])]),
    ("PE105", {MAIN["full_year"]: 1500, PROJECT["full_year"]: 1080}, [("PE105", MAIN["full_year"])]),
    ("PE106", {MAIN["score"]: 8}, [("PE106", MAIN["score"])]),
    ("PE107", {MAIN["weight"]: 5}, [("PE107", MAIN["weight"])]),
    ("PE201", {ind(4, "weight"): 10}, [("PE201", ind(4, "level1"))]),
    ("PE202", {ind(1, "weight"): "五分"}, [("PE202", ind(1, "weight"))]),
    ("PE203", {ind(8, "weight"): 5}, [("PE203", _DEPT.total_weight)]),
    ("PE204", {_DEPT.total_weight: 99}, [("PE204", _DEPT.total_weight)]),
    ("PE205", {_DEPT.total_score: 99}, [("PE205", _DEPT.total_score)]),
    ("PE206", {ind(0, "score"): 6}, [("PE206", ind(0, "score"))]),
    ("PE207", {DED["description"]: "审计发现违规发放补贴", DED["amount"]: 3.2}, [("PE207", DED["points"])]),
    ("PE208", _EMPTY_ROW_8, [("PE208", _DEPT.total_weight)]),
    ("PE209", {ind(7, "level1"): "产出指标"}, [("PE209", ind(7, "level1"))]),
    ("PE301", {ind(1, "target"): "≤"}, [("PE301", ind(1, "target"))]),
    ("PE303", {ind(2, "actual"): "达90%以上"}, [("PE303", ind(2, "actual"))]),
    ("PE304", {ind(4, "actual"): "2118个"}, [("PE304", ind(4, "actual"))]),
    ("PE305", {ind(4, "actual"): None}, [("PE305", ind(4, "actual"))]),
    ("PE306", {ind(6, "actual"): "好"}, [("PE306", ind(6, "actual"))]),
    ("PE307", {ind(5, "target"): "完成了2000人培训"}, [("PE307", ind(5, "target"))]),
    ("PE308", {ind(3, "target"): "达90%以上"}, [("PE308", ind(3, "target"))]),
    ("PE309", {ind(2, "level3"): None}, [("PE309", ind(2, "level3"))]),
    ("PE310", {ind(2, "level3"): "“三公经费”控制率", ind(2, "level2"): None}, [("PE310", ind(2, "level3"))]),
    ("PE311", {ind(5, "target"): "6月30日前", ind(5, "actual"): "2023年7月"}, [("PE311", ind(5, "actual"))]),
    ("PE401", {ind(6, "score"): 15}, [("PE401", ind(6, "score"))]),
    ("PE402", {ind(0, "actual"): 0.9, ind(0, "score"): 5, ind(0, "reason"): "资金拨付滞后"}, [("PE402", ind(0, "score"))]),
    ("PE403", {ind(8, "actual"): 0.85}, [("PE403", ind(8, "reason"))]),
    ("PE404", {ind(7, "score"): 8}, [("PE404", ind(7, "score"))]),
    ("PE405", {ind(4, "actual"): "2700人"}, [("PE405", ind(4, "reason"))]),
    ("PE406", {ind(6, "actual"): 0.7, ind(6, "score"): 15, ind(6, "reason"): "部分线索未办结"}, [("PE406", ind(6, "score"))]),
    ("PE407", {_DEPT.total_note: "就业补助资金增加"}, [("PE407", _DEPT.total_note)]),
    ("PE408", {_DEPT.total_score: 100}, [("PE408", _DEPT.total_score)]),
    ("PE504", {_DEPT.other_notes: "请在此处简要说明……如没有填写。"}, [("PE504", _DEPT.other_notes)]),
    ("PE505", {_DEPT.goals_actual: "稳定就业，扩大参保。"}, [("PE505", _DEPT.goals_actual)]),
    ("PE605", {ind(1, "score"): 5}, [("PE605", ind(1, "score"))]),
]

# The parts an almost empty form lacks.
_NO_INDICATORS = {ref: None for r in list(_DEPT.indicator_rows)[:len(ROWS)]
                  for k, ref in _DEPT.indicator_cells(r).items() if k not in ("score", "reading", "band")}
FAIL_CASES += [
    ("PE110", {_DEPT.name: None}, [("PE110", _DEPT.name)]),
    ("PE111", {_DEPT.year: None}, [("PE111", _DEPT.year)]),
    ("PE211", _NO_INDICATORS, [("PE211", cell(COL_L1, _DEPT.indicator_first_row))]),
]


@pytest.mark.parametrize(("code", "edits", "expected"), FAIL_CASES, ids=[c[0] for c in FAIL_CASES])
def test_rule_reports_its_problem_at_the_cell(code, edits, expected):
    assert findings_for(edits, select=code) == expected


def test_a_number_cell_that_is_not_a_finite_number_is_reported_at_that_cell():
    from tests.checks.clean_form import clean_form

    form = clean_form()
    bad = form.indicators[0].model_copy(update={"actual": Value(raw=float("nan"), loc=Loc(sheet="自评表", cell=ind(0, "actual")))})
    form = form.model_copy(update={"indicators": (bad,) + form.indicators[1:]})
    found = [(f.code, f.cell) for f in load_model(form, select=["PE302"]).findings]
    assert found == [("PE302", "E10")]


def _nar(key: str) -> str:
    return NARRATIVE.value_cell(key)


NARRATIVE_CASES = [
    ("PE501", {_nar("satisfaction_analysis"): "满意度指标100%完成。"}, None),
    ("PE502", {_nar("staffing"): "编制人数20人，实有人数25人。"}, ("PE502", "E13")),
    ("PE503", {_nar("budget_execution"): "基本支出420万元（人员支出380万元，日常公用经费支出41万元），项目支出609万元。"},
     ("PE503", _nar("budget_execution"))),
    ("PE506", {_nar("problems"): None}, ("PE506", _nar("problems"))),
]


@pytest.mark.parametrize(("code", "edits", "expected"), NARRATIVE_CASES, ids=[c[0] for c in NARRATIVE_CASES])
def test_narrative_rules_compare_the_report_material_with_the_table(code, edits, expected):
    if code == "PE501":  # needs a missed satisfaction indicator too
        form_edits = {ind(8, "actual"): 0.85, ind(8, "reason"): "窗口排队时间长"}
        form, problems = read_with_edits(form_edits)
        import io

        import openpyxl

        from perfeval.workbook.reader import read_workbook
        from tests.checks.clean_form import workbook_bytes

        wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes()))
        wb["自评表"][ind(8, "actual")] = 0.85
        wb["自评表"][ind(8, "reason")] = "窗口排队时间长"
        wb["报告素材"][_nar("satisfaction_analysis")] = edits[_nar("satisfaction_analysis")]
        buf = io.BytesIO()
        wb.save(buf)
        form, problems = read_workbook(openpyxl.load_workbook(io.BytesIO(buf.getvalue())), buf.getvalue())
        got = [(f.code, f.cell) for f in list(load_model(form, problems=problems).findings) if f.code == "PE501"]
        assert got == [("PE501", _nar("satisfaction_analysis"))]
        return
    got = [p for p in findings_for(edits, sheet="报告素材") if p[0] == code]
    assert got == [expected]


def test_reader_rules_report_damaged_workbooks():
    assert ("PE604", "D4") in findings_for({"D4": "一千万"})
    assert findings_for({"A70": "总计"}, select="PE603") == [("PE603", "A70")]


def test_every_rule_is_documented_with_the_five_sections():
    for code, r in RULES.items():
        assert r.title, code
        for section in ("检查内容", "原因", "错误示例", "正确示例", "依据"):
            assert section in r.doc, (code, section)


def test_every_rule_has_a_failing_case_and_the_clean_form_is_its_passing_case():
    tested = {c for c, _, _ in FAIL_CASES} | {c for c, _, _ in NARRATIVE_CASES} | {"PE604", "PE603", "PE302"}
    # PE8xx/PE9xx have their own table-driven tests (importer, opener); PE601/PE607 are read
    # from damaged workbooks in tests/workbook/test_template.py.
    tested |= {"PE602", "PE606"}  # the two tests below
    produced_elsewhere = {c for c in RULES if c.startswith(("PE8", "PE9"))} | {"PE601", "PE607", "PE920"}
    missing = set(RULES) - tested - produced_elsewhere
    assert missing == set(), f"rules without a table-driven case: {sorted(missing)}"


def test_select_and_ignore_filter_by_code_and_prefix():
    form, problems = read_with_edits({MAIN["stated_rate"]: 0.9, MAIN["score"]: 8})
    assert {f.code for f in list(load_model(form, problems=problems, select=["PE10"]).findings)} == {"PE101", "PE106"}
    assert {f.code for f in list(load_model(form, problems=problems).findings)} == {"PE101", "PE106", "PE205", "PE605"}
    assert {f.code for f in list(load_model(form, problems=problems, ignore=["PE1", "PE6"]).findings)} == {"PE205"}


def test_severities_are_the_rules_defaults():
    form, problems = read_with_edits({MAIN["stated_rate"]: 0.9, ind(1, "score"): 5})
    sev = {f.code: f.severity for f in list(load_model(form, problems=problems).findings)}
    assert sev["PE101"] is Severity.ERROR and sev["PE605"] is Severity.WARNING


def test_a_missing_optional_sheet_is_a_warning_and_the_form_is_still_checked(tmp_path):
    import io

    import openpyxl

    from perfeval.batch import check_file
    from tests.checks.clean_form import workbook_bytes

    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes()))
    del wb["校验结果"]
    wb["自评表"][MAIN["stated_rate"]] = 0.9  # a real problem, which must still be found
    path = tmp_path / "no-findings-sheet.xlsx"
    wb.save(path)
    report = check_file(path)
    assert report.readable and report.total is not None
    codes = {(f.code, f.severity.value) for f in report.findings}
    assert ("PE601", "warning") in codes and ("PE101", "error") in codes


def test_a_qualitative_score_the_template_itself_computed_is_never_reported_by_pe406():
    # 79.99% on 15 points: the formula gives 11.99, the top of the 80–60% band.
    from decimal import Decimal

    from perfeval.core.model import Value
    from tests.checks.clean_form import clean_form, workbook_bytes

    form = clean_form()
    inds = list(form.indicators)
    inds[6] = inds[6].model_copy(update={"actual": Value(raw=Decimal("0.7999"), percent_format=True)})
    data = workbook_bytes(form.model_copy(update={"indicators": tuple(inds)}))
    form, problems = read_with_edits({}, base=data)
    assert form.indicators[6].score.number == Decimal("11.99")
    assert [f.code for f in list(load_model(form, problems=problems).findings) if f.code == "PE406"] == []


def test_a_strict_target_reached_exactly_is_not_reported_as_missed_with_full_marks():
    # "超过2000人" with 2000 is not met, but 2000 ÷ 2000 × 分值 is full marks: nothing to report.
    assert findings_for({ind(5, "target"): "超过2000人"}, select="PE402") == []


def test_instruction_text_in_report_material_is_named_by_its_chinese_label():
    where = NARRATIVE.value_cell("functions")
    form, problems = read_with_edits({where: "（此处填写部门主要职能）"}, sheet="报告素材")
    found = [f for f in list(load_model(form, problems=problems).findings) if f.code == "PE504"]
    assert [(f.cell, "部门主要职能" in f.message, "functions" in f.message) for f in found] == [(where, True, False)]


def test_huge_numbers_give_findings_not_a_crash():
    form, problems = read_with_edits({MAIN["actual"]: 1e30})
    codes = {f.code for f in list(load_model(form, problems=problems).findings)}
    assert "PE102" in codes  # spent more than the budget


def test_pe602_reports_a_changed_template_marker():
    assert findings_for({"B1": "别的表"}, sheet="配置", select="PE602") == [("PE602", "B1")]


def test_pe606_reports_a_formula_whose_cached_result_is_name_error():
    import io
    import re
    import zipfile

    import openpyxl

    from perfeval.workbook.package_xml import normalize_package, sheet_part_names
    from perfeval.workbook.reader import read_workbook
    from tests.checks.clean_form import workbook_bytes

    data = workbook_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    part = sheet_part_names(zf)["自评表"]
    xml = re.sub(rb'(<c r="G10"[^>]*?)(?: t="[a-z]+")?>(<f[^>]*>.*?</f>)<v>[^<]*</v>',
                 rb'\1 t="e">\2<v>#NAME?</v>', zf.read(part), count=1)
    data = normalize_package(data, {part: xml})
    form, problems = read_workbook(openpyxl.load_workbook(io.BytesIO(data)), data)
    found = [(f.code, f.cell) for f in list(load_model(form, problems=problems).findings) if f.code == "PE606"]
    assert found == [("PE606", "G10")]


def test_a_wrong_rate_is_not_blamed_on_the_initial_budget_when_that_equals_the_full_year_one():
    # 1389.3 ÷ 1397.9 = 99.38%, stated 99.3% (cut off): 年初 = 全年, so the base is not the mistake.
    edits = {MAIN["initial"]: 1397.9, MAIN["full_year"]: 1397.9, MAIN["actual"]: 1389.3, MAIN["stated_rate"]: 0.993}
    form, problems = read_with_edits(edits)
    found = [f for f in load_model(form, problems=problems).findings if f.code == "PE101"]
    assert len(found) == 1 and "年初" not in found[0].message and "99.38%" in found[0].message
