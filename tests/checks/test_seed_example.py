"""The seed form (正宁县人社局 2023) as published: every inconsistency a careful reviewer finds."""

from __future__ import annotations

import io

import openpyxl

from perfeval.example_data import zhengning_2023
from perfeval.loader import load_model
from perfeval.workbook.layout import CLAIMS, NARRATIVE, SHEET_CLAIMS
from perfeval.workbook.legacy_import import import_legacy
from perfeval.workbook.reader import read_workbook
from perfeval.workbook.template import build_workbook
from tests.conftest import DATA


def claim(cell: str) -> str:
    """The row of 原表填报 that holds what the published form stated for this 自评表 cell."""
    return f"{SHEET_CLAIMS}:{cell}"


def _check(form):
    data = build_workbook(form)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    # A stated score or rate is the form's claim, kept on 原表填报 beside the live formula; a
    # finding about it points at that row, whose column B names the 自评表 cell it is about.
    ws = wb[SHEET_CLAIMS]
    claimed = {CLAIMS.row_cells(r)["stated"]: ws[CLAIMS.row_cells(r)["target"]].value for r in CLAIMS.rows}
    back, problems = read_workbook(wb, data, source="x.xlsx")
    return [(f.code, claim(claimed[f.cell]) if f.sheet == SHEET_CLAIMS else f.cell)
            for f in list(load_model(back, problems=problems).findings)]


# Worked out by hand from the seed (see docs/seed-review.md for the reasoning behind each line).
EXPECTED_ERRORS_AND_WARNINGS = {
    ("PE101", claim("F4")),  # 141% = 1745.81 ÷ 1241.99 (年初), should be 100% on 全年预算数
    ("PE101", claim("F5")),  # 105% likewise
    ("PE101", claim("F6")),  # 167% likewise
    ("PE106", claim("H4")),  # execution score 8, should be 10
    ("PE105", "D4"),  # 年初→全年 +40.57% with no explanation
    ("PE505", "E8"),  # 实际完成情况 copied from 预期目标
    ("PE301", "D12"),  # “三公经费”控制率 target “≤” with no number
    ("PE308", "D17"),  # 在职人员控制率 written as ≥ (达90%以上)
    ("PE502", "E17"),  # report: 编制19人、实有46人 → 242.11%, table says 95%
    ("PE201", "A19"),  # 履职效果 weights add to 47, not 50
    ("PE307", "D21"), ("PE307", "D24"), ("PE307", "D27"), ("PE307", "D29"), ("PE307", "D30"),  # results as targets
    ("PE304", "E21"), ("PE304", "E24"),  # “4个机构”/“49个” answered 100%: a percent is a percent
    ("PE401", claim("G27")), ("PE401", claim("G30")), ("PE401", claim("G33")),  # qualitative 95% scored as 100%
    ("PE306", "E31"),  # 单位获奖情况 “无”/“无” with full marks
    ("PE402", claim("G37")),  # 人民群众满意度 95% against 100%, full marks
    ("PE403", "H37"),  # … and no 偏差原因
    ("PE203", claim("F70")), ("PE204", claim("F70")),  # 分值 add to 97, 合计 says 100
    ("PE205", claim("G70")),  # 得分 add to 95, 合计 says 98
    ("PE408", claim("G70")),  # recomputed 85.25 (良), stated 98 (优)
    ("PE407", "H70"),  # “就业补助资金增加” written on the 合计 row
    ("PE504", "B76"),  # instruction text left in 其他需要说明的问题
    ("PE503", NARRATIVE.value_cell("budget_execution")),  # 人员支出 521.42 + 公用 32.1 = 553.52 ≠ 553.53
    ("PE501", NARRATIVE.value_cell("satisfaction_analysis")),  # “100%完成” while 人民群众满意度 is 95%
}


def test_the_seed_example_reports_every_inconsistency_at_its_cell():
    found = set(_check(zhengning_2023()))
    missing = EXPECTED_ERRORS_AND_WARNINGS - found
    assert missing == set()
    assert len({c for c, _ in found}) >= 20


def test_a_percent_formatted_answer_to_a_count_target_is_a_unit_contradiction_not_a_count():
    # 整合组建了4个机构 / 100% and 49个…调研 / 100%: the cells show 100%, so they are read as 100%
    # (as SCORE reads them with the cell's format) and cannot be scored against 个. They are no
    # longer scored 1个 ÷ 4个 × 3 = 0.75 and 1个 ÷ 49个 × 2 = 0.04, so no "full marks although
    # missed" (PE402) or "missing reason" (PE403) is raised on them, and the total is 85.25.
    found = set(_check(zhengning_2023()))
    assert {("PE304", "E21"), ("PE304", "E24")} <= found
    assert found.isdisjoint({("PE402", "G21"), ("PE403", "H21"), ("PE402", "G24"), ("PE403", "H24")})
    from perfeval.core.evaluate import evaluate
    from perfeval.core.profiles import load_profile

    ev = evaluate(zhengning_2023(), load_profile())
    assert [r.result.error.code for r in ev.indicators if r.indicator.level3.text in
            ("服务中心优化机构设置", "新一轮机构改革准备")] == ["PE304", "PE304"]
    assert str(ev.total) == "85.25"


def test_the_seed_has_more_than_ten_distinct_problems_and_they_include_the_wrong_base():
    found = _check(zhengning_2023())
    assert len(set(found)) > 10
    assert found.count(("PE101", claim("F4"))) == 1


def test_the_legacy_file_imports_into_a_template_with_the_same_findings_as_the_hand_entered_example():
    result = import_legacy(DATA / "legacy" / "zhengning-rsj-2023.xlsx")
    assert [p for p in result.problems if p.severity.value == "error"] == []
    imported = _check(result.form.model_copy(update={"narrative": zhengning_2023().narrative}))
    assert sorted(imported) == sorted(_check(zhengning_2023()))
