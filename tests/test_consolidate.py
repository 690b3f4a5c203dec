"""Consolidation (seed note 2): the 本级 counts, sums, fund-weighted averages, 待核实 rows, which
files count, and the 汇总说明 sheet."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from perfeval.cli import app
from perfeval.consolidate import (
    CONSOLIDATION_SHEET,
    FUND_FROM_LIST,
    ROLE_OWN,
    ConsolidationError,
    Member,
    Method,
    SkipReason,
    consolidate_files,
    is_consolidation_output,
)
from perfeval.consolidate.merge import merge
from perfeval.core.model import BudgetRow, BudgetRowKind, Form, FormKind, Indicator, SubUnit, Value
from perfeval.core.profiles import load_profile
from perfeval.example_data import zhengning_2023
from perfeval.loader import load_form, load_model
from perfeval.outputs import OutputExistsError, OutputIsInputError
from perfeval.workbook import layout as L
from perfeval.workbook.consolidation_sheet import cell_text
from perfeval.workbook.package_xml import read_cached_values
from perfeval.workbook.reader import read_form
from perfeval.workbook.template import build_workbook

PROFILE = load_profile("gansu-department")
D = Decimal
SHEET = L.CONSOLIDATION
DETAIL = SHEET.table("detail")
UNITS = SHEET.table("units")
SKIPPED = SHEET.table("skipped")
runner = CliRunner()


# ---------------------------------------------------------------------------------------------
# forms built in code


def budget(actual, full_year=None, initial=None, basic=None) -> tuple[BudgetRow, ...]:
    full_year = actual if full_year is None else full_year
    initial = full_year if initial is None else initial
    basic = D(actual) / 2 if basic is None else basic
    return (
        BudgetRow(kind=BudgetRowKind.TOTAL, label=Value(raw="全年支出"), initial=Value(raw=D(initial)),
                  full_year=Value(raw=D(full_year)), actual=Value(raw=D(actual)), weight=Value(raw=D(10))),
        BudgetRow(kind=BudgetRowKind.BASIC, label=Value(raw="其中：基本支出"), initial=Value(raw=D(basic)),
                  full_year=Value(raw=D(basic)), actual=Value(raw=D(basic)), weight=Value(raw="-")),
        BudgetRow(kind=BudgetRowKind.PROJECT, label=Value(raw="项目支出"),
                  initial=Value(raw=D(initial) - D(basic)), full_year=Value(raw=D(full_year) - D(basic)),
                  actual=Value(raw=D(actual) - D(basic)), weight=Value(raw="-")),
    )


def ind(row, l1, l2, l3, target, actual, weight, *, score=None, pct=False, reason=None) -> Indicator:
    return Indicator(row=row, level1=Value(raw=l1 or None), level2=Value(raw=l2 or None), level3=Value(raw=l3),
                     target=Value(raw=target), actual=Value(raw=actual, percent_format=pct),
                     weight=Value(raw=D(weight)), score=Value(raw=score), reason=Value(raw=reason))


def unit(name, fund, indicators, **budget_kw) -> Form:
    return Form(kind=FormKind.DEPARTMENT, source=f"{name}.xlsx", year=Value(raw=D(2023)), name=Value(raw=name),
                budget=budget(fund, **budget_kw), indicators=tuple(indicators), profile_name=PROFILE.name)


JOBS = ("产出指标", "数量指标", "新增就业人数")
MONEY = ("产出指标", "数量指标", "发放创业担保贷款")
SATISFACTION = ("满意度指标", "服务对象满意度", "群众满意度")
QUALITATIVE = ("效益指标", "社会效益", "政策知晓情况")
SAT_DEFAULT = ("90%", D("0.95"))
QUAL_DEFAULT = D("0.9")


def standard_unit(name, fund, jobs=(100, 120), money=("500", "520.5"), sat=SAT_DEFAULT,
                  qual=QUAL_DEFAULT, *, skip=(), **budget_kw) -> Form:
    rows = []
    if "jobs" not in skip:
        rows.append((JOBS, f"≥{jobs[0]}人", jobs[1], 20, False))
    if "money" not in skip:
        rows.append((MONEY, f"≥{money[0]}万元", D(money[1]), 20, False))
    if "sat" not in skip:
        rows.append((SATISFACTION, f"≥{sat[0]}", sat[1], 10, True))
    if "qual" not in skip:
        rows.append((QUALITATIVE, "政策广泛知晓", qual, 20, True))
    inds = []
    prev = ("", "")
    for i, ((l1, l2, l3), target, actual, weight, pct) in enumerate(rows):
        inds.append(ind(10 + i, l1 if l1 != prev[0] else "", l2 if (l1, l2) != prev else "", l3, target, actual,
                        weight, pct=pct))
        prev = (l1, l2)
    return unit(name, fund, inds, **budget_kw)


def member(form: Form, *, own: bool = False, file: str | None = None) -> Member:
    """A form as the loader would hand it over: evaluated once, by load_model."""
    return Member.of(load_model(form, profile=PROFILE), file=file or form.source, own=own)


def consolidate(units: list[Form], *, own: Form | None = None, structure: Form | None = None):
    members = ([member(own, own=True)] if own is not None else []) + [member(f) for f in units]
    return merge(members, PROFILE, structure=structure)


# ---------------------------------------------------------------------------------------------
# the merge: examples


def test_two_units_sum_absolutes_and_weight_relatives_by_fund():
    a = standard_unit("甲单位", 300, jobs=(100, 120), money=("500", "520.5"), sat=("90%", D("0.95")), qual=D("0.9"))
    b = standard_unit("乙单位", 100, jobs=(50, 80), money=("200", "150"), sat=("90%", D("0.85")), qual=D("0.7"))
    res = consolidate([a, b])

    total = res.budget[0]
    assert (total.initial, total.full_year, total.actual) == (D(400), D(400), D(400))
    jobs = res.indicator("新增就业人数")
    assert jobs.method is Method.SUM and jobs.value == 200 and jobs.target == "≥150人"
    money = res.indicator("发放创业担保贷款")
    assert money.method is Method.SUM and money.value == D("670.5") and money.target == "≥700万元"
    sat = res.indicator("群众满意度")
    assert sat.method is Method.WEIGHTED and sat.value == D("0.925") and sat.target == "≥90%"
    assert {c.unit: c.share for c in sat.contributions} == {"甲单位": D("0.75"), "乙单位": D("0.25")}
    qual = res.indicator("政策知晓情况")
    assert qual.method is Method.QUALITATIVE and qual.value == D("0.85")
    # Scores are recomputed on the consolidated figures: 670.5/700 × 20, 85% × 20.
    assert money.score == D("19.16") and qual.score == D("17.00") and sat.score == D("10.00")
    assert res.evaluation == load_model(res.form, profile=PROFILE).evaluation
    assert res.unmatched == () and res.indicators[0].weight == 20
    assert not res.funds_from_department_list


def test_the_benji_counts_with_its_own_figures_and_its_targets_are_summed_not_declared():
    own = standard_unit("某某局本级", 200, jobs=(100, 110))
    a = standard_unit("甲单位", 300, jobs=(50, 60))
    res = consolidate([a], own=own)
    assert res.budget[0].actual == D(500)
    jobs = res.indicator("新增就业人数")
    assert jobs.value == 170 and jobs.target == "≥150人"
    assert [(u.role, u.name) for u in res.units] == [(ROLE_OWN, "某某局本级"), ("下属单位", "甲单位")]
    assert res.form.name.text == "某某局本级" and "本级" in res.structure_from


def test_scores_are_recomputed_not_copied_and_the_units_own_evaluation_is_not_redone(monkeypatch):
    a = unit("甲", 100, [ind(10, "产出指标", "数量指标", "新增就业人数", "≥100人", 50, 20, score=D(20))])
    m = member(a)
    import perfeval.consolidate.merge as merge_module
    from perfeval.core import evaluate as evaluate_module

    seen = []
    real = evaluate_module.evaluate
    monkeypatch.setattr(merge_module, "evaluate", lambda form, profile: seen.append(form) or real(form, profile))
    res = merge([m], PROFILE)
    assert seen == [res.form]  # only the consolidated form is evaluated here
    assert res.indicators[0].score == D(10)
    assert res.form.indicators[0].score.is_blank


def test_department_list_funds_take_precedence_and_template_weights_are_kept():
    a = standard_unit("甲单位", 300, sat=("90%", D("0.95")))
    b = standard_unit("乙单位", 100, sat=("90%", D("0.85")))
    dept = Form(
        name=Value(raw="某某局"), year=Value(raw=D(2023)), budget=budget(0),
        indicators=(ind(10, "满意度指标", "服务对象满意度", "群众满意度", "≥90%", None, 15),),
        units=(SubUnit(row=2, name=Value(raw="甲单位"), fund=Value(raw=D(100))),
               SubUnit(row=3, name=Value(raw="乙单位"), fund=Value(raw=D(300))),
               SubUnit(row=4, name=Value(raw="丙单位"), fund=Value(raw=D(50)))),
        profile_name=PROFILE.name,
    )
    res = consolidate([b, a], structure=dept)
    assert res.funds_from_department_list
    assert [u.name for u in res.units] == ["乙单位", "甲单位"]  # the order given
    assert {u.name: u.fund for u in res.units} == {"甲单位": D(100), "乙单位": D(300)}
    sat = res.indicator("群众满意度")
    assert sat.value == D("0.875")  # (0.95×100 + 0.85×300) / 400
    assert sat.weight == 15 and sat.weight_from == "部门模板"
    assert res.indicators[0].level3 == "群众满意度"  # template order first
    assert any("下属单位" in n and "优先" in n for n in res.notes)
    assert any("丙单位" in n and "没有提供" in n for n in res.notes)
    assert any("分值不一致" in n for n in sat.notes)
    assert res.form.name.text == "某某局"
    # The template's own (zero) budget is structure only: it adds nothing.
    assert res.budget[0].actual == D(400)


def test_a_percent_under_a_count_target_is_to_be_checked_not_summed():
    # The seed's own row: 「服务中心优化机构设置」, target "整合组建了4个机构", answered 100%.
    row = ("履职效果", "部门履职目标", "服务中心优化机构设置", "整合组建了4个机构")
    own = unit("本级", 500, [ind(10, *row, D(1), 3, pct=True)])
    a = unit("甲", 300, [ind(10, *row, D(1), 3, pct=True)])
    res = consolidate([a], own=own)
    item = res.indicator("服务中心优化机构设置")
    assert item.method is Method.REVIEW and item.value is None and item.score is None
    assert res.form.indicators[0].actual.is_blank  # neither "2个" nor "1个"
    assert "待核实" in res.form.indicators[0].reason.text
    assert "待核实" in item.score_note
    flagged = [f for f in res.findings if f.code == "PE704"]
    assert {f.file for f in flagged} == {"本级.xlsx", "甲.xlsx"}
    assert all(f.cell == L.layout_for(FormKind.DEPARTMENT).indicator_cells(10)["actual"] for f in flagged)
    assert any("100%" in n and "甲" in n for n in item.notes)
    assert res.to_review == (item,)


def test_text_under_a_number_and_text_beside_numbers_are_to_be_checked():
    a = unit("甲", 100, [ind(10, "产出指标", "数量指标", "培训人数", "≥100人", "已完成", 20)])
    b = unit("乙", 100, [ind(10, "产出指标", "数量指标", "培训人数", "≥100人", 80, 20)])
    item = consolidate([a, b]).indicators[0]
    assert item.method is Method.REVIEW and item.value is None
    assert any("已完成" in n and "80" in n for n in item.notes)
    q1 = unit("甲", 100, [ind(10, "效益指标", "社会效益", "政策知晓", "广泛知晓", "基本完成", 5)])
    q2 = unit("乙", 100, [ind(10, "效益指标", "社会效益", "政策知晓", "广泛知晓", D("0.9"), 5, pct=True)])
    assert consolidate([q1, q2]).indicators[0].method is Method.REVIEW


def test_different_units_of_measure_are_not_summed():
    a = unit("甲", 100, [ind(10, "产出指标", "数量指标", "培训人数", "≥100人", 120, 20)])
    b = unit("乙", 100, [ind(10, "产出指标", "数量指标", "培训人数", "≥1万人", D("1.2"), 20)])
    res = consolidate([a, b])
    item = res.indicators[0]
    assert item.method is Method.REVIEW and item.value is None
    assert res.form.indicators[0].actual.is_blank
    assert any("计量单位不一致" in n and "人" in n and "万人" in n for n in res.notes)
    assert all(not c.included for c in item.contributions)
    assert {f.file for f in res.findings if f.code == "PE704"} == {"甲.xlsx", "乙.xlsx"}


def test_union_of_indicators_and_unmatched_report():
    a = standard_unit("甲", 300)
    b = standard_unit("乙", 100, skip=("sat",))
    extra = ind(14, "", "", "培训合格率", "≥95%", D("0.97"), 5, pct=True)
    # 甲 sorts last (丙 < 乙 < 甲 by code point), so its extra row must be inserted, not appended.
    a = a.model_copy(update={"indicators": a.indicators + (extra,)})
    c = standard_unit("丙", 100)
    res = consolidate([a, b, c])
    missing = {u.level3: u.missing_in for u in res.unmatched}
    assert missing == {"群众满意度": ("乙",), "培训合格率": ("丙", "乙")}  # canonical order: 丙 < 乙 < 甲
    sat = res.indicator("群众满意度")
    assert [x.unit for x in sat.contributions] == ["甲", "丙"]  # the order given
    assert sat.missing_in == ("乙",)
    assert len(res.form.indicators) == 5
    names = [i.level3 for i in res.indicators]
    assert names.index("培训合格率") == names.index(QUALITATIVE[2]) + 1


def test_zero_fund_unit_is_summed_but_not_weighted():
    a = standard_unit("甲", 200, jobs=(100, 100), sat=("90%", D("0.9")))
    z = standard_unit("零", 0, jobs=(10, 30), sat=("90%", D("0.5")), full_year=100)
    res = consolidate([a, z])
    assert res.indicator("新增就业人数").value == 130
    assert res.indicator("群众满意度").value == D("0.9")
    assert any("「零」的资金额度为零或缺失" in n for n in res.notes)


def test_all_zero_funds_fall_back_to_simple_average():
    a = standard_unit("甲", 0, sat=("90%", D("0.9")), full_year=10)
    b = standard_unit("乙", 0, sat=("90%", D("0.8")), full_year=10)
    res = consolidate([a, b])
    assert res.indicator("群众满意度").value == D("0.85")
    assert any("简单平均" in n for n in res.notes)


def test_text_answers_copied_when_identical_and_to_be_checked_when_not():
    same = [unit(n, 100, [ind(10, "效益指标", "社会效益", "单位获奖情况", "无", "无", 4)]) for n in ("甲", "乙")]
    res = consolidate(same)
    assert res.indicators[0].method is Method.TEXT and res.form.indicators[0].actual.text == "无"
    differ = [unit(n, 100, [ind(10, "效益指标", "社会效益", "单位获奖情况", "无", t, 4)])
              for n, t in (("甲", "无"), ("乙", "省级表彰"))]
    res = consolidate(differ)
    assert res.indicators[0].method is Method.REVIEW
    assert any("不同的文字" in n for n in res.notes)


def test_differing_relative_targets_are_weighted_and_said():
    a = standard_unit("甲", 300, sat=("90%", D("0.95")))
    b = standard_unit("乙", 100, sat=("80%", D("0.85")))
    sat = consolidate([a, b]).indicator("群众满意度")
    assert sat.target == "≥87.5%"
    assert any("年度指标值不一致" in n for n in sat.notes)


def test_names_match_across_whitespace_and_full_width():
    a = unit("甲", 100, [ind(10, "产出指标", "数量指标", "培训人数(人次)", "≥100人次", 120, 20)])
    b = unit("乙", 100, [ind(10, "产出 指标", "数量指标 ", "培训人数（人次）", "≥100人次", 80, 20)])
    res = consolidate([a, b])
    assert len(res.indicators) == 1 and res.indicators[0].value == 200 and res.unmatched == ()


def test_an_explicit_template_declares_the_target_and_open_weight_falls_back_to_first_unit():
    a = standard_unit("甲", 300, jobs=(100, 120))
    b = standard_unit("乙", 100, jobs=(50, 80))
    dept = Form(name=Value(raw="某某局"),
                indicators=(ind(10, "产出指标", "数量指标", "新增就业人数", "≥160人", None, 0)
                            .model_copy(update={"weight": Value()}),),
                profile_name=PROFILE.name)
    jobs = consolidate([a, b], structure=dept).indicator("新增就业人数")
    assert jobs.target == "≥160人" and jobs.value == 200
    assert any("各单位汇总为「≥150人」" in n for n in jobs.notes)
    assert jobs.weight == 20 and jobs.weight_from == "乙"  # 乙 < 甲 in canonical order


def test_units_of_another_form_kind_are_left_out_with_pe705():
    a = standard_unit("甲", 300)
    p = standard_unit("项目", 100).model_copy(update={"kind": FormKind.PROJECT, "profile_name": None})
    res = merge([member(a), Member.of(load_model(p), file="项目.xlsx")], PROFILE)
    assert [u.name for u in res.units] == ["甲"]
    assert [(s.reason, s.code, s.file) for s in res.skipped] == [(SkipReason.OTHER_KIND, "PE705", "项目.xlsx")]
    assert [f.code for f in res.findings] == ["PE705"] and "项目支出绩效自评表" in res.findings[0].message


def test_units_with_the_same_name_are_numbered_in_the_order_given_and_keep_their_files():
    a, b = standard_unit("甲", 300), standard_unit("甲", 100)
    forward = merge([member(a, file="一.xlsx"), member(b, file="二.xlsx")], PROFILE)
    backward = merge([member(b, file="二.xlsx"), member(a, file="一.xlsx")], PROFILE)
    assert [(u.name, u.file, u.actual) for u in forward.units] == [("甲（1）", "一.xlsx", D(300)),
                                                                    ("甲（2）", "二.xlsx", D(100))]
    assert [(u.name, u.file, u.actual) for u in backward.units] == [("甲（1）", "二.xlsx", D(100)),
                                                                     ("甲（2）", "一.xlsx", D(300))]
    sat = forward.indicator("群众满意度")
    assert [(c.unit, c.file) for c in sat.contributions] == [("甲（1）", "一.xlsx"), ("甲（2）", "二.xlsx")]
    assert forward.evaluation.total == backward.evaluation.total
    assert forward.budget == backward.budget
    assert any("出现 2 次" in n for n in forward.notes)


def test_one_listed_row_gives_its_fund_to_one_unit_only():
    dept = standard_unit("部门", 0).model_copy(update={
        "units": (SubUnit(row=2, name=Value(raw="甲"), fund=Value(raw=D(100))),)})
    a, b = standard_unit("甲", 300), standard_unit("甲", 200)
    res = consolidate([a, b], structure=dept)
    assert sum(u.fund for u in res.units if u.fund_from == FUND_FROM_LIST) == D(100)
    assert any("只计入" in n for n in res.notes)


def test_nothing_to_consolidate_is_an_error():
    with pytest.raises(ConsolidationError):
        merge([], PROFILE)


def _scaled_seed(k: str, name: str | None = None) -> Form:
    seed = zhengning_2023()
    f = Decimal(k)
    rows = tuple(r.model_copy(update={key: Value(raw=getattr(r, key).number * f)
                                      for key in ("initial", "full_year", "actual")}) for r in seed.budget)
    return seed.model_copy(update={"budget": rows, "name": Value(raw=name or seed.name.text)})


def test_five_copies_of_the_seed_with_scaled_budgets():
    scales = ["1", "2", "0.5", "3", "1.5"]
    seed = zhengning_2023()
    units = [_scaled_seed(k, f"第{i}单位") for i, k in enumerate(scales, 1)]
    res = consolidate(units)
    factor = sum(D(k) for k in scales)
    for line, row in zip(res.budget, seed.budget, strict=True):
        assert line.initial == row.initial.number * factor
        assert line.full_year == row.full_year.number * factor
        assert line.actual == row.actual.number * factor
    own = load_model(seed, profile=PROFILE).evaluation
    assert res.evaluation.execution_rate == own.execution_rate
    assert len(res.indicators) == len(seed.filled_indicators) and res.unmatched == ()
    for item, mine in zip(res.indicators, own.indicators, strict=True):
        if item.method is Method.REVIEW:
            continue
        assert item.score == mine.result.score
        assert len(item.contributions) == 5
    shares = {c.unit: c.share for c in res.indicator("人民群众满意度").contributions}
    assert shares["第4单位"] == D(3) / factor
    assert res.indicator("单位获奖情况").method is Method.TEXT
    # "整合组建了4个机构" answered 100%: a completion ratio under a count, not "5个".
    assert res.indicator("服务中心优化机构设置").method is Method.REVIEW
    assert res.form.units[0].fund.raw == res.units[0].fund


# ---------------------------------------------------------------------------------------------
# the merge: properties

money = st.integers(min_value=0, max_value=10**8).map(lambda n: Decimal(n) / 100)
fraction = st.integers(min_value=0, max_value=12000).map(lambda n: Decimal(n) / 10000)
count = st.integers(min_value=0, max_value=100000)
subsets = st.sets(st.sampled_from(["jobs", "money", "sat", "qual"]), max_size=3)


@st.composite
def unit_forms(draw, name: str) -> Form:
    fund = draw(money)
    basic = Decimal(draw(st.integers(min_value=0, max_value=int(fund * 100)))) / 100
    return standard_unit(
        name, fund,
        jobs=(draw(st.integers(1, 5000)), draw(count)),
        money=(str(draw(st.integers(1, 10**6))), draw(money)),
        sat=(f"{draw(st.integers(50, 100))}%", draw(fraction)),
        qual=draw(fraction),
        skip=draw(subsets),
        full_year=fund + draw(money), initial=draw(money), basic=basic,
    )


@st.composite
def unit_lists(draw, min_size=1, max_size=5):
    n = draw(st.integers(min_size, max_size))
    return [draw(unit_forms(f"单位{i}")) for i in range(n)]


def _values(form: Form, level3: str) -> Decimal | None:
    hit = next((i for i in form.filled_indicators if i.level3.text == level3), None)
    return None if hit is None else hit.parsed_actual().value


PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(unit_forms("本级"), unit_lists(min_size=0, max_size=4))
def test_money_totals_equal_the_sum_over_the_benji_and_every_unit(own, units):
    res = consolidate(units, own=own)
    every = [own, *units]
    for i, line in enumerate(res.budget):
        for key in ("initial", "full_year", "actual"):
            assert getattr(line, key) == sum(getattr(f.budget[i], key).number for f in every)
    for level3 in (JOBS[2], MONEY[2]):
        have = [v for f in every if (v := _values(f, level3)) is not None]
        item = res.indicator(level3)
        if have:
            assert item.value == sum(have)
            assert _values(res.form, level3) == sum(have)
        else:
            assert item is None


@PROPS
@given(unit_lists())
def test_weighted_values_lie_between_units_min_and_max(units):
    res = consolidate(units)
    for level3 in (SATISFACTION[2], QUALITATIVE[2]):
        have = [v for f in units if (v := _values(f, level3)) is not None]
        if not have:
            continue
        item = res.indicator(level3)
        assert min(have) <= item.value <= max(have)
        assert min(have) <= _values(res.form, level3) <= max(have)


@PROPS
@given(unit_forms("单位"))
def test_a_unit_consolidated_with_an_empty_structure_template_returns_itself(form):
    res = consolidate([form], structure=Form())
    for mine, theirs in zip(res.form.budget, form.budget, strict=True):
        for key in ("initial", "full_year", "actual"):
            assert getattr(mine, key).number == getattr(theirs, key).number
    assert [i.level3.text for i in res.form.filled_indicators] == [i.level3.text for i in form.filled_indicators]
    for mine, theirs in zip(res.form.filled_indicators, form.filled_indicators, strict=True):
        assert mine.parsed_actual().value == theirs.parsed_actual().value
        assert mine.weight.number == theirs.weight.number
        assert mine.parsed_target() == theirs.parsed_target() or mine.target.text == theirs.target.text
    assert res.unmatched == ()
    assert (res.form.name.text, res.form.year.text) == (form.name.text, form.year.text)
    assert res.evaluation.total == load_model(form, profile=PROFILE).evaluation.total


def _outcome(res) -> dict:
    """Everything a consolidation decides, without what only shows the order given."""
    return {
        "form": res.form.model_dump(exclude={"units"}),
        "evaluation": res.evaluation.model_dump(),
        "budget": res.budget,
        "indicators": [i.model_dump(exclude={"contributions"}) for i in res.indicators],
        "contributions": {(i.row, c.unit): c for i in res.indicators for c in i.contributions},
        "units": {u.name: u.model_dump(exclude={"position"}) for u in res.units},
        "unmatched": res.unmatched,
        "notes": res.notes,
    }


@PROPS
@given(unit_forms("本级"), unit_lists(min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_the_order_of_the_units_after_the_benji_does_not_change_the_result(own, units, rnd):
    shuffled = list(units)
    rnd.shuffle(shuffled)
    assert _outcome(consolidate(shuffled, own=own)) == _outcome(consolidate(units, own=own))


@PROPS
@given(unit_lists(min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_without_a_benji_the_order_of_the_units_does_not_change_the_result(units, rnd):
    shuffled = list(units)
    rnd.shuffle(shuffled)
    assert _outcome(consolidate(shuffled)) == _outcome(consolidate(units))


# ---------------------------------------------------------------------------------------------
# files


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sheet_rows(path: Path, table: L.ConsolidationTable) -> list[dict[str, object]]:
    """The items of one 汇总说明 table, by field, found by its header row."""
    ws = openpyxl.load_workbook(path)[CONSOLIDATION_SHEET]
    first_col = table.columns[0]
    rows, inside = [], False
    for r in range(1, ws.max_row + 1):
        head = ws[f"{first_col.col}{r}"].value
        if not inside:
            inside = head == first_col.header and ws[table.row_cells(r)[table.columns[-1].key]].value == \
                table.columns[-1].header
            continue
        cells = {k: ws[ref].value for k, ref in table.row_cells(r).items()}
        if all(v is None for v in cells.values()):
            break
        rows.append(cells)
    return rows


@pytest.fixture
def seed_files(tmp_path: Path) -> dict[str, Path]:
    """The bundled example as the 本级, and a 300 万元 unit made from it."""
    seed = zhengning_2023()
    own = tmp_path / "本级.xlsx"
    own.write_bytes(build_workbook(seed))
    unit_form = _scaled_seed(str(D(300) / D("1745.81")), "单位1")
    u1 = tmp_path / "unit1.xlsx"
    u1.write_bytes(build_workbook(unit_form))
    twin = tmp_path / "本级的另一份.xlsx"  # the example again, under a unit's name: a real second unit
    twin.write_bytes(build_workbook(seed.model_copy(update={"name": Value(raw="下属单位甲")})))
    return {"own": own, "unit": u1, "twin": twin}


def test_the_first_file_is_the_benji_and_counts_with_its_money(seed_files, tmp_path):
    out = tmp_path / "汇总.xlsx"
    r = runner.invoke(app, ["consolidate", str(seed_files["own"]), str(seed_files["unit"]), "-o", str(out)])
    assert r.exit_code == 0, r.output
    form, _ = read_form(out)
    seed = zhengning_2023()
    assert form.budget[0].actual.number == seed.budget[0].actual.number + 300
    # The summary and the first line of 汇总说明 say which files counted, with which amounts.
    assert "参与汇总的自评表 2 份" in r.output
    assert "本级「正宁县人力资源和社会保障局」（本级.xlsx）：实际支出数 1745.81 万元" in r.output
    assert "「单位1」（unit1.xlsx）：实际支出数 300 万元" in r.output
    first = openpyxl.load_workbook(out)[CONSOLIDATION_SHEET][SHEET.files_line].value
    assert "本级.xlsx" in first and "1745.81 万元" in first and "unit1.xlsx" in first and "300 万元" in first
    assert [(u["role"], u["file"], u["actual"]) for u in _sheet_rows(out, UNITS)] == [
        (ROLE_OWN, str(seed_files["own"]), 1745.81), ("下属单位", str(seed_files["unit"]), 300)]


def test_the_benji_example_and_a_copy_as_a_unit_give_doubled_money(seed_files, tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = consolidate_files(seed_files["own"], [seed_files["twin"]], out, jobs=1)
    seed = zhengning_2023()
    for line, row in zip(result.result.budget, seed.budget, strict=True):
        assert (line.initial, line.full_year, line.actual) == (
            row.initial.number * 2, row.full_year.number * 2, row.actual.number * 2)
    assert read_form(out)[0].budget[0].actual.number == seed.budget[0].actual.number * 2
    # Relative values are the seed's; the two rows answered 100% under a count are 待核实.
    assert result.result.evaluation.execution_rate == load_model(seed).evaluation.execution_rate
    assert {i.level3 for i in result.result.to_review} == {"服务中心优化机构设置", "新一轮机构改革准备"}


def test_the_same_file_under_another_spelling_a_link_or_a_byte_copy_counts_once(seed_files, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    once = consolidate_files("本级.xlsx", ["unit1.xlsx"], tmp_path / "一次.xlsx", jobs=1).result
    link = tmp_path / "链接.xlsx"
    link.symlink_to(seed_files["unit"])
    copy = tmp_path / "副本.xlsx"
    shutil.copyfile(seed_files["unit"], copy)
    out = tmp_path / "汇总.xlsx"
    r = runner.invoke(app, ["consolidate", "本级.xlsx", "unit1.xlsx", str(tmp_path / "unit1.xlsx"), str(link),
                            str(copy), "-o", str(out)])
    assert r.exit_code == 0, r.output
    twice = consolidate_files("本级.xlsx", ["unit1.xlsx", "./unit1.xlsx", str(link), str(copy)],
                              tmp_path / "二次.xlsx", jobs=1)
    assert twice.result.budget == once.budget and twice.result.evaluation.total == once.evaluation.total
    skipped = [(s.file, s.code) for s in twice.result.skipped]
    assert skipped == [("unit1.xlsx", "PE703"), (str(link), "PE703"), (str(copy), "PE703")]
    assert [f.file for f in twice.findings if f.code == "PE703"] == [file for file, _ in skipped]
    assert "未计入汇总的文件 3 份" in r.output and "PE703" in r.output
    assert [row["code"] for row in _sheet_rows(out, SKIPPED)] == ["PE703"] * 3


def test_an_output_that_is_also_an_input_is_refused_before_anything_is_written(seed_files, tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    u1 = units / "u1.xlsx"
    shutil.copyfile(seed_files["unit"], u1)
    shutil.copyfile(seed_files["twin"], units / "u2.xlsx")
    before = _sha(u1)
    r = runner.invoke(app, ["consolidate", str(seed_files["own"]), str(units), "-o", str(u1), "--force"])
    assert r.exit_code == 2 and "PE931" in r.output
    assert _sha(u1) == before
    with pytest.raises(OutputIsInputError):
        consolidate_files(seed_files["own"], [seed_files["unit"]], seed_files["own"], force=True, jobs=1)


def test_an_earlier_result_in_a_folder_is_left_out_but_one_named_explicitly_counts(seed_files, tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    shutil.copyfile(seed_files["unit"], units / "u1.xlsx")
    out = units / "汇总.xlsx"
    first = consolidate_files(seed_files["own"], [units], out, jobs=1).result
    assert is_consolidation_output(out) and not is_consolidation_output(units / "u1.xlsx")
    again = consolidate_files(seed_files["own"], [units], out, force=True, jobs=1).result
    assert again.budget == first.budget
    assert [(s.reason, Path(s.file).name) for s in again.skipped] == [(SkipReason.EARLIER_RESULT, "汇总.xlsx")]
    # A higher-level consolidation names department results explicitly: they count.
    higher = consolidate_files(None, [out, seed_files["twin"]], tmp_path / "上一级.xlsx", jobs=1).result
    assert higher.budget[0].actual == first.budget[0].actual + zhengning_2023().budget[0].actual.number


def test_an_empty_folder_among_the_units_is_said_not_silently_passed_over(seed_files, tmp_path):
    empty = tmp_path / "二季度"
    empty.mkdir()
    out = consolidate_files(seed_files["own"], [seed_files["unit"], empty], tmp_path / "汇总.xlsx", jobs=1)
    said = [f for f in out.findings if f.code == "PE706"]
    assert len(said) == 1 and said[0].file == str(empty) and "没有找到自评表" in said[0].message
    assert len(out.result.units) == 2


def test_structure_only_gives_names_and_weights_and_counts_no_money(seed_files, tmp_path):
    template = tmp_path / "模板.xlsx"
    template.write_bytes(build_workbook(zhengning_2023().model_copy(update={"name": Value(raw="正宁县人社局（汇总）")})))
    out = tmp_path / "汇总.xlsx"
    r = runner.invoke(app, ["consolidate", "--units-only", "--structure-only", str(template),
                            str(seed_files["unit"]), "-o", str(out)])
    assert r.exit_code == 0, r.output
    form, _ = read_form(out)
    assert form.budget[0].actual.number == 300 and form.name.text == "正宁县人社局（汇总）"
    assert "部门模板" in r.output and "参与汇总的自评表 1 份" in r.output


def test_an_unreadable_unit_is_reported_and_the_command_exits_2(seed_files, tmp_path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "汇总.xlsx"
    r = runner.invoke(app, ["consolidate", str(seed_files["own"]), str(seed_files["unit"]), str(broken),
                            "-o", str(out)])
    assert r.exit_code == 2 and out.exists()
    assert "坏.xlsx：PE9" in r.output
    res = consolidate_files(seed_files["own"], [seed_files["unit"], broken], tmp_path / "b.xlsx", jobs=1)
    assert [s.reason for s in res.result.skipped] == [SkipReason.UNREADABLE]


def test_an_unreadable_benji_or_template_stops(seed_files, tmp_path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(ConsolidationError, match="PE9"):
        consolidate_files(broken, [seed_files["unit"]], tmp_path / "out.xlsx", jobs=1)
    with pytest.raises(ConsolidationError, match="部门模板"):
        consolidate_files(None, [seed_files["unit"]], tmp_path / "out.xlsx", structure=broken, jobs=1)
    assert not (tmp_path / "out.xlsx").exists()


def test_the_consolidated_workbook_keeps_cached_results_and_text_stays_text(tmp_path):
    a = standard_unit('=HYPERLINK("x")', 300)
    b = standard_unit("乙单位", 100, sat=("90%", D("0.85")))
    paths = []
    for name, form in (("a.xlsx", a), ("b.xlsx", b)):
        (tmp_path / name).write_bytes(build_workbook(form))
        paths.append(tmp_path / name)
    before = {p: _sha(p) for p in paths}
    out = tmp_path / "汇总.xlsx"
    result = consolidate_files(None, paths, out, jobs=2).result
    assert {p: _sha(p) for p in paths} == before
    form, problems = read_form(out)
    assert not [p for p in problems if p.severity.value == "error"]
    assert len(form.filled_indicators) == 4 and form.budget[0].actual.number == 400

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [*L.SHEET_ORDER[:-1], CONSOLIDATION_SHEET, L.SHEET_CONFIG]
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert texts and all(c.data_type == "s" for c in texts)
    assert {c.parent.title for c in texts} >= {L.SHEET_UNITS, CONSOLIDATION_SHEET, L.SHEET_FORM}
    assert all(c.quotePrefix for c in texts if c.parent.title == CONSOLIDATION_SHEET)
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>HYPERLINK" not in zf.read(name)
    lay = L.layout_for(FormKind.DEPARTMENT)
    cached = read_cached_values(out.read_bytes(), L.SHEET_FORM)
    assert cached[lay.total_score] == float(result.evaluation.total)
    assert cached[lay.grade] == result.evaluation.grade
    assert cached[lay.indicator_cells(lay.indicator_first_row)["score"]] is not None
    # Print titles stay on the 自评表 although a sheet was inserted before 配置.
    assert wb[L.SHEET_FORM].print_title_rows is not None

    detail = [r for r in _sheet_rows(out, DETAIL) if r["level3"] == "群众满意度"]
    assert {(r["unit"], r["share"]) for r in detail} == {('=HYPERLINK("x")', 0.75), ("乙单位", 0.25)}
    assert all(r["score_note"] for r in detail[:1]) and detail[0]["method"] == Method.WEIGHTED.label


def test_a_row_that_cannot_be_scored_says_why_in_its_own_cell(seed_files, tmp_path):
    out = tmp_path / "汇总.xlsx"
    consolidate_files(seed_files["own"], [seed_files["unit"]], out, jobs=1)
    rows = [r for r in _sheet_rows(out, DETAIL) if r["level3"] == "服务中心优化机构设置"]
    assert rows[0]["score"] is None and rows[0]["score_note"].startswith("未计分：待核实")
    assert {r["unit_actual"] for r in rows} == {"100%"} and {r["included"] for r in rows} == {"否"}
    assert all("计量单位" in r["note"] for r in rows)
    assert "待核实的指标 2 个" in openpyxl.load_workbook(out)[CONSOLIDATION_SHEET][SHEET.warning_line].value


HOSTILE = "=1+1\x00\x01\x07\ud800\udfff\ufffe\uffff_x0041_" + "长" * 40000 + "😀"


def test_hostile_text_from_the_units_never_breaks_the_sheet(tmp_path):
    a = standard_unit(HOSTILE, 300)
    a = a.model_copy(update={"indicators": tuple(i.model_copy(update={"reason": Value(raw=HOSTILE)})
                                                 for i in a.indicators)})
    b = standard_unit("乙单位", 100)
    res = merge([member(a, file=HOSTILE[:200]), member(b)], PROFILE)
    from perfeval.workbook.consolidation_sheet import add_consolidation_sheet

    out = tmp_path / "汇总.xlsx"
    out.write_bytes(add_consolidation_sheet(build_workbook(res.form, PROFILE, keep_stated=False), res))
    ws = openpyxl.load_workbook(out)[CONSOLIDATION_SHEET]
    shown = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "长长长" in c.value]
    assert shown and all(len(v.encode("utf-16-le")) // 2 <= SHEET.cell_text_limit for v in shown)
    # Kept as text; a literal "_x0041_" is escaped so that Excel does not read it as "A".
    assert any(v.startswith("=1+1_x005F_x0041_") for v in shown)
    assert res.units[0].name == HOSTILE.strip()  # what is stored is not cut
    assert cell_text(HOSTILE).endswith("此处只显示开头）")
    # The terminal shows it as text: control characters as pictures, no lone surrogate.
    from perfeval.consolidate.texts import unit_line
    from perfeval.outputs import display_text

    line = display_text(unit_line(res.units[0]), limit=None)
    assert "\x00" not in line and "\ud800" not in line and "␀" in line
    line.encode("utf-8")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装")
def test_libreoffice_opens_the_consolidated_workbook(seed_files, tmp_path):
    out = tmp_path / "汇总.xlsx"
    consolidate_files(seed_files["own"], [seed_files["unit"]], out, jobs=1)
    conv = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(conv), str(out)],
                   check=True, capture_output=True, timeout=180)
    again = openpyxl.load_workbook(conv / out.name)
    ours = openpyxl.load_workbook(out)
    assert CONSOLIDATION_SHEET in again.sheetnames
    for ref in (SHEET.files_line, SHEET.method_line, SHEET.result_line):
        assert again[CONSOLIDATION_SHEET][ref].value == ours[CONSOLIDATION_SHEET][ref].value


def test_consolidating_the_same_files_twice_gives_the_same_bytes(seed_files, tmp_path):
    import time

    a, b = tmp_path / "一.xlsx", tmp_path / "二.xlsx"
    consolidate_files(seed_files["own"], [seed_files["unit"]], a, jobs=1)
    time.sleep(1.1)  # nothing may stamp the time of the run into the file
    consolidate_files(seed_files["own"], [seed_files["unit"]], b, jobs=1)
    assert a.read_bytes() == b.read_bytes()


def test_existing_output_needs_force(seed_files, tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError):
        consolidate_files(seed_files["own"], [seed_files["unit"]], out, jobs=1)
    assert out.read_bytes() == b"keep me"
    consolidate_files(seed_files["own"], [seed_files["unit"]], out, force=True, jobs=1)
    assert load_form(out).readable


def test_the_cli_needs_a_unit_besides_the_benji_and_a_file_for_structure_only(seed_files, tmp_path):
    out = str(tmp_path / "o.xlsx")
    r = runner.invoke(app, ["consolidate", str(seed_files["own"]), "-o", out])
    assert r.exit_code == 2 and "--units-only" in r.output
    r = runner.invoke(app, ["consolidate", str(seed_files["own"]), str(seed_files["unit"]), "-o", out,
                            "--structure-only", str(tmp_path)])
    assert r.exit_code == 2 and "文件夹" in r.output
    assert not os.path.exists(out)


def test_more_distinct_indicators_than_the_template_holds_is_refused_with_pe943(tmp_path):
    rows = L.layout_for(FormKind.DEPARTMENT).indicator_count
    paths = []
    for name in ("甲", "乙"):
        inds = [ind(10 + i, "产出指标" if i == 0 else "", "数量指标" if i == 0 else "", f"{name}的指标{i}",
                    "≥1个", 1, 1) for i in range(rows // 2 + 1)]
        p = tmp_path / f"{name}.xlsx"
        p.write_bytes(build_workbook(unit(name, 100, inds)))
        paths.append(str(p))
    out = tmp_path / "汇总.xlsx"
    r = runner.invoke(app, ["consolidate", *paths, "-o", str(out)])
    assert r.exit_code == 2 and "PE943" in r.output and "统一" in r.output
    assert not out.exists()
