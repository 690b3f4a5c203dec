"""Copies between departments, and the year-over-year checks, on small in-memory batches."""

from __future__ import annotations

from pathlib import Path

from perfeval.core.model import Value
from perfeval.loader import load_model
from perfeval.review import review_batch
from perfeval.review.copies import batch_common_limit

from . import forms as F


def loaded(form, name: str):
    """A form as if read from `name` (load_model has no path; the review names files by it)."""
    from dataclasses import replace

    return replace(load_model(form), path=Path(name))


def dept(name: str, rows, narrative=None, year: int = 2023):
    # Functions that cover every row used here: these tests are not about the field measure.
    nar = narrative if narrative is not None else {"functions": f"{name}负责全县城乡居民养老保险和农村公路养护工作。"}
    return F.department(name, year, rows, nar)


ROW_A = ("履职效果", "部门履职目标", "城乡居民养老保险参保人数", "≥12000人", "12500人", 10)
ROW_B = ("", "", "农村公路养护里程", "≥300公里", "310公里", 10)


def test_a_common_indicator_is_never_reported_as_copied():
    a = loaded(dept("甲局", F.COMMON + [ROW_A]), "a.xlsx")
    b = loaded(dept("乙局", F.COMMON + [ROW_B]), "b.xlsx")
    assert [f for f in review_batch([a, b]).findings if f.code == "PE750"] == []


def test_a_shared_row_is_reported_once_per_pair_with_the_later_form_first():
    forms = [loaded(dept(f"{n}局", [ROW_A, ROW_B] if n == "甲" else [ROW_A]), f"{n}.xlsx") for n in "甲乙丙"]
    copies = [f for f in review_batch(forms).findings if f.code == "PE750"]
    pairs = {(f.file, f.related.file) for f in copies}
    assert pairs == {("乙.xlsx", "甲.xlsx"), ("丙.xlsx", "甲.xlsx"), ("丙.xlsx", "乙.xlsx")}


def test_a_row_shared_by_many_departments_is_the_batchs_own_common_indicator():
    n = 12
    forms = [loaded(dept(f"第{i}局", [ROW_A]), f"{i}.xlsx") for i in range(n)]
    assert n > batch_common_limit(n)
    result = review_batch(forms)
    assert [f for f in result.findings if f.code == "PE750"] == []
    shared = {c.kind: c for c in result.batch_common}
    assert len(shared["指标"].departments) == n
    assert len(shared["段落"].departments) == n  # their functions texts differ only in the name: boilerplate


def test_two_forms_of_the_same_department_are_not_compared_with_each_other():
    a = loaded(dept("甲局", [ROW_A]), "本级.xlsx")
    b = loaded(dept("甲局", [ROW_A]), "汇总.xlsx")
    result = review_batch([a, b])
    assert result.findings == [] and [[d.file for d in g] for g in result.same_name] == [["本级.xlsx", "汇总.xlsx"]]


def test_a_paragraph_copied_with_other_figures_is_near_identical():
    text = "全县城镇新增就业2118人，失业人员再就业879人，就业困难人员再就业302人，发放创业担保贷款2078.94万元。"
    other = text.replace("2118", "1650").replace("879", "640").replace("全县", "全区")
    a = loaded(dept("甲局", [ROW_A], {"goal_completion": text}), "a.xlsx")
    b = loaded(dept("乙局", [ROW_B], {"output_analysis": other}), "b.xlsx")
    found = [f for f in review_batch([a, b]).findings if f.code == "PE751"]
    assert len(found) == 1 and "几乎相同" in found[0].message and found[0].file == "b.xlsx"


# ------------------------------------------------------------------------------------- years

MET = ("履职效果", "部门履职目标", "调研报告完成数", "≥10篇", "12篇", 4)
MISSED = ("", "", "重点项目开工数", "≥20个", "12个", 4)
COST = ("", "", "单次会议平均成本", "≤5000元", "4200元", 4)


def pair(last_rows, this_rows, last_narrative=None, this_narrative=None):
    base = {"functions": "甲局负责全县重点项目推进和调研工作。"}
    last = loaded(dept("甲局", last_rows, last_narrative or base, year=2022), "2022.xlsx")
    this = loaded(dept("甲局", this_rows, this_narrative or base, year=2023), "2023.xlsx")
    return review_batch([this], [last])


def codes(result):
    return sorted(f.code for f in result.findings)


def test_a_target_lowered_below_last_years_actual():
    lowered = MET[:3] + ("≥9篇",) + MET[4:]
    result = pair([MET], [lowered])
    assert codes(result) == ["PE760"]
    f = result.findings[0]
    assert f.file == "2023.xlsx" and f.related.file == "2022.xlsx" and "12篇" in f.message


def test_a_reverse_target_loosened_past_last_years_actual():
    assert codes(pair([COST], [COST[:3] + ("≤6000元",) + COST[4:]])) == ["PE760"]


def test_a_lowered_target_still_above_last_years_actual_is_no_finding():
    assert codes(pair([MISSED], [MISSED[:3] + ("≥15个",) + MISSED[4:]])) == []


def test_a_raised_target_or_another_unit_is_no_finding():
    assert codes(pair([MET], [MET[:3] + ("≥13篇",) + MET[4:]])) == []
    assert codes(pair([MET], [MET[:3] + ("≥90%",) + MET[4:]])) == []


def test_an_indicator_missed_last_year_and_gone_this_year():
    result = pair([MET, MISSED], [MET])
    assert codes(result) == ["PE761"]
    assert result.findings[0].related.file == "2022.xlsx" and "重点项目开工数" in result.findings[0].message


def test_a_missed_indicator_that_was_only_renamed_is_not_gone():
    assert codes(pair([MET, MISSED], [MET, ("",) * 2 + ("重点项目开工个数",) + MISSED[3:]])) == []


def test_weight_moved_from_a_missed_indicator_to_a_met_one():
    this = [MET[:5] + (6,), MISSED[:5] + (2,)]
    result = pair([MET, MISSED], this)
    assert codes(result) == ["PE762"]
    assert "重点项目开工数" in result.findings[0].message and "调研报告完成数" in result.findings[0].message


def test_narrative_copied_from_last_year_but_not_the_functions_text():
    problems = "一是预算编制有待更严格执行。二是绩效管理专业人员匮乏，规范管理有盲点。"
    nar = {"functions": "甲局负责全县社会保险、就业和劳动关系工作。", "problems": problems}
    result = pair([MET], [MET], nar, nar)
    assert codes(result) == ["PE763"]
    assert result.findings[0].related.file == "2022.xlsx"


def test_last_years_form_is_found_by_department_name_whatever_its_file_name():
    result = pair([MET], [MET])
    assert [(d.file, p.file) for d, p in result.year.pairs] == [("2023.xlsx", "2022.xlsx")]


def test_a_last_year_form_that_is_not_older_is_not_compared():
    last = loaded(dept("甲局", [MET], year=2023), "x.xlsx")
    this = loaded(dept("甲局", [MET[:3] + ("≥9篇",) + MET[4:]], year=2023), "y.xlsx")
    result = review_batch([this], [last])
    assert result.findings == [] and result.year.pairs == [] and len(result.year.notes) == 1


def test_a_department_without_last_year_is_listed_not_reported():
    result = review_batch([loaded(dept("甲局", [MET]), "a.xlsx")], [loaded(dept("乙局", [MET], year=2022), "b.xlsx")])
    assert result.findings == [] and [d.file for d in result.year.unmatched] == ["a.xlsx"]


def test_a_form_without_functions_text_is_not_judged_for_its_field():
    form = dept("甲局", [F.seed_row("机构编制实名制管理")], {"problems": "无。"})
    result = review_batch([loaded(form.model_copy(update={"name": Value(raw="甲局")}), "a.xlsx")])
    assert result.findings == [] and [d.file for d in result.not_judged] == ["a.xlsx"]
