"""Table-driven rule tests: each case types into a correct form and compares (code, cell) lists."""

from __future__ import annotations

import pytest

from perfeval.checks import RULES
from perfeval.core.findings import Severity
from perfeval.core.model import Loc, Value
from perfeval.loader import load_model
from perfeval.core.model import FormKind
from perfeval.workbook.layout import COL_L1, NARRATIVE, cell, layout_for
from tests.checks.clean_form import ROWS, read_with_edits


def findings_for(edits, sheet="自评表", select=None):
    form, problems = read_with_edits(edits, sheet)
    found = list(load_model(form, problems=problems).findings)
    return [(f.code, f.cell) for f in found if select is None or f.code.startswith(select)]


def test_the_clean_form_has_no_findings_at_all():
    form, problems = read_with_edits({})
    assert list(load_model(form, problems=problems).findings) == []


# (code, edits on 自评表, expected (code, cell) pairs for that code)
FAIL_CASES = [
    ("PE101", {"F4": 0.9}, [("PE101", "F4")]),
    ("PE102", {"E4": 1100}, [("PE102", "E4")]),
    ("PE103", {"D4": None}, [("PE103", "D4")]),
    ("PE104", {"E5": 430}, [("PE104", "E4")]),
    ("PE105", {"D4": 1500, "D6": 1080}, [("PE105", "D4")]),
    ("PE106", {"H4": 8}, [("PE106", "H4")]),
    ("PE107", {"G4": 5}, [("PE107", "G4")]),
    ("PE201", {"F14": 10}, [("PE201", "A14")]),
    ("PE202", {"F11": "五分"}, [("PE202", "F11")]),
    ("PE203", {"F18": 5}, [("PE203", "F70")]),
    ("PE204", {"F70": 99}, [("PE204", "F70")]),
    ("PE205", {"G70": 99}, [("PE205", "G70")]),
    ("PE206", {"G10": 6}, [("PE206", "G10")]),
    ("PE207", {"B73": "审计发现违规发放补贴", "F73": 3.2}, [("PE207", "G73")]),
    ("PE208", {"A18": None, "B18": None, "C18": None, "D18": None, "E18": None, "F18": None}, [("PE208", "F70")]),
    ("PE209", {"A17": "产出指标"}, [("PE209", "A17")]),
    ("PE301", {"D11": "≤"}, [("PE301", "D11")]),
    ("PE303", {"E12": "达90%以上"}, [("PE303", "E12")]),
    ("PE304", {"E14": "2118个"}, [("PE304", "E14")]),
    ("PE305", {"E14": None}, [("PE305", "E14")]),
    ("PE306", {"E16": "好"}, [("PE306", "E16")]),
    ("PE307", {"D15": "完成了2000人培训"}, [("PE307", "D15")]),
    ("PE308", {"D13": "达90%以上"}, [("PE308", "D13")]),
    ("PE309", {"C12": None}, [("PE309", "C12")]),
    ("PE310", {"C12": "“三公经费”控制率", "B12": None}, [("PE310", "C12")]),
    ("PE311", {"D15": "6月30日前", "E15": "2023年7月"}, [("PE311", "E15")]),
    ("PE401", {"G16": 15}, [("PE401", "G16")]),
    ("PE402", {"E10": 0.9, "G10": 5, "H10": "资金拨付滞后"}, [("PE402", "G10")]),
    ("PE403", {"E18": 0.85}, [("PE403", "H18")]),
    ("PE404", {"G17": 8}, [("PE404", "G17")]),
    ("PE405", {"E14": "2700人"}, [("PE405", "H14")]),
    ("PE406", {"E16": 0.7, "G16": 15, "H16": "部分线索未办结"}, [("PE406", "G16")]),
    ("PE407", {"H70": "就业补助资金增加"}, [("PE407", "H70")]),
    ("PE408", {"G70": 100}, [("PE408", "G70")]),
    ("PE504", {"B76": "请在此处简要说明……如没有填写。"}, [("PE504", "B76")]),
    ("PE505", {"E8": "稳定就业，扩大参保。"}, [("PE505", "E8")]),
    ("PE605", {"G11": 5}, [("PE605", "G11")]),
]

# The parts an almost empty form lacks: addresses from the layout.
_DEPT = layout_for(FormKind.DEPARTMENT)
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
    bad = form.indicators[0].model_copy(update={"actual": Value(raw=float("nan"), loc=Loc(sheet="自评表", cell="E10"))})
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
        form_edits = {"E18": 0.85, "H18": "窗口排队时间长"}
        form, problems = read_with_edits(form_edits)
        import io

        import openpyxl

        from perfeval.workbook.reader import read_workbook
        from tests.checks.clean_form import workbook_bytes

        wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes()))
        wb["自评表"]["E18"] = 0.85
        wb["自评表"]["H18"] = "窗口排队时间长"
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
    form, problems = read_with_edits({"F4": 0.9, "H4": 8})
    assert {f.code for f in list(load_model(form, problems=problems, select=["PE10"]).findings)} == {"PE101", "PE106"}
    assert {f.code for f in list(load_model(form, problems=problems).findings)} == {"PE101", "PE106", "PE205", "PE605"}
    assert {f.code for f in list(load_model(form, problems=problems, ignore=["PE1", "PE6"]).findings)} == {"PE205"}


def test_severities_are_the_rules_defaults():
    form, problems = read_with_edits({"F4": 0.9, "G11": 5})
    sev = {f.code: f.severity for f in list(load_model(form, problems=problems).findings)}
    assert sev["PE101"] is Severity.ERROR and sev["PE605"] is Severity.WARNING


def test_a_missing_optional_sheet_is_a_warning_and_the_form_is_still_checked(tmp_path):
    import io

    import openpyxl

    from perfeval.batch import check_file
    from tests.checks.clean_form import workbook_bytes

    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes()))
    del wb["校验结果"]
    wb["自评表"]["F4"] = 0.9  # a real problem, which must still be found
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
    assert findings_for({"D15": "超过2000人"}, select="PE402") == []


def test_instruction_text_in_report_material_is_named_by_its_chinese_label():
    form, problems = read_with_edits({"B2": "（此处填写部门主要职能）"}, sheet="报告素材")
    found = [f for f in list(load_model(form, problems=problems).findings) if f.code == "PE504"]
    assert [(f.cell, "部门主要职能" in f.message, "functions" in f.message) for f in found] == [("B2", True, False)]


def test_huge_numbers_give_findings_not_a_crash():
    form, problems = read_with_edits({"E4": 1e30})
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
