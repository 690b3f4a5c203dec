"""Consolidation (seed note 2): sums, fund-weighted averages, unmatched indicators, the file layer."""

from __future__ import annotations

import hashlib
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval.consolidate import (
    CONSOLIDATION_SHEET,
    ConsolidationError,
    Method,
    consolidate,
    consolidate_files,
)
from perfeval.core.evaluate import evaluate
from perfeval.core.model import BudgetRow, BudgetRowKind, Form, FormKind, Indicator, SubUnit, Value
from perfeval.core.profiles import load_profile
from perfeval.example_data import zhengning_2023
from perfeval.outputs import OutputExistsError, OutputIsInputError
from perfeval.workbook import layout as L
from perfeval.workbook.package_xml import read_cached_values
from perfeval.workbook.reader import read_form
from perfeval.workbook.template import build_workbook

PROFILE = load_profile("gansu-department")
D = Decimal


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


# The catalogue the hand-made units draw from: (names, target template, kind, 分值).
JOBS = ("产出指标", "数量指标", "新增就业人数")
MONEY = ("产出指标", "数量指标", "发放创业担保贷款")
SATISFACTION = ("满意度指标", "服务对象满意度", "群众满意度")
QUALITATIVE = ("效益指标", "社会效益", "政策知晓情况")


SAT_DEFAULT = ("90%", Decimal("0.95"))
QUAL_DEFAULT = Decimal("0.9")


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


# ---------------------------------------------------------------------------------------------
# examples


def test_two_units_sum_absolutes_and_weight_relatives_by_fund():
    a = standard_unit("甲单位", 300, jobs=(100, 120), money=("500", "520.5"), sat=("90%", D("0.95")), qual=D("0.9"))
    b = standard_unit("乙单位", 100, jobs=(50, 80), money=("200", "150"), sat=("90%", D("0.85")), qual=D("0.7"))
    res = consolidate(None, [("甲单位", a), ("乙单位", b)], PROFILE)

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
    assert res.evaluation == evaluate(res.form, PROFILE)
    assert res.unmatched == () and res.indicators[0].weight == 20
    assert not res.funds_from_department_list


def test_scores_are_recomputed_not_copied():
    a = unit("甲", 100, [ind(10, "产出指标", "数量指标", "新增就业人数", "≥100人", 50, 20, score=D(20))])
    res = consolidate(None, [("甲", a)], PROFILE)
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
    res = consolidate(dept, [("乙单位", b), ("甲单位", a)], PROFILE)
    assert res.funds_from_department_list
    assert [u.name for u in res.units] == ["甲单位", "乙单位"]  # the department list's order
    assert [u.fund for u in res.units] == [D(100), D(300)]
    sat = res.indicator("群众满意度")
    assert sat.value == D("0.875")  # (0.95×100 + 0.85×300) / 400
    assert sat.weight == 15 and sat.weight_from == "部门模板"
    assert res.indicators[0].level3 == "群众满意度"  # template order first
    assert any("下属单位" in n and "优先" in n for n in res.notes)
    assert any("丙单位" in n and "没有提供" in n for n in res.notes)
    assert any("分值不一致" in n for n in sat.notes)
    assert res.form.name.text == "某某局"


def test_different_units_of_measure_are_not_summed():
    a = unit("甲", 100, [ind(10, "产出指标", "数量指标", "培训人数", "≥100人", 120, 20)])
    b = unit("乙", 100, [ind(10, "产出指标", "数量指标", "培训人数", "≥1万人", D("1.2"), 20)])
    res = consolidate(None, [("甲", a), ("乙", b)], PROFILE)
    item = res.indicators[0]
    assert item.method is Method.NONE and item.value is None
    assert res.form.indicators[0].actual.is_blank
    assert any("计量单位不一致" in n and "人" in n and "万人" in n for n in res.notes)
    assert all(not c.included for c in item.contributions)


def test_union_of_indicators_and_unmatched_report():
    a = standard_unit("甲", 300)
    b = standard_unit("乙", 100, skip=("sat",))
    extra = ind(14, "", "", "培训合格率", "≥95%", D("0.97"), 5, pct=True)
    # 甲 sorts last (丙 < 乙 < 甲 by code point), so its extra row must be inserted, not appended.
    a = a.model_copy(update={"indicators": a.indicators + (extra,)})
    c = standard_unit("丙", 100)
    res = consolidate(None, [("甲", a), ("乙", b), ("丙", c)], PROFILE)
    missing = {u.level3: u.missing_in for u in res.unmatched}
    assert missing == {"群众满意度": ("乙",), "培训合格率": ("丙", "乙")}
    sat = res.indicator("群众满意度")
    assert [x.unit for x in sat.contributions] == ["丙", "甲"]
    assert sat.missing_in == ("乙",)
    assert len(res.form.indicators) == 5
    # The extra row has blank 一级/二级: it belongs to the group of the row above it in 甲
    # (the qualitative one) and is placed right after that row, not at the end of the form.
    names = [i.level3 for i in res.indicators]
    assert names.index("培训合格率") == names.index(QUALITATIVE[2]) + 1


def test_zero_fund_unit_is_summed_but_not_weighted():
    a = standard_unit("甲", 200, jobs=(100, 100), sat=("90%", D("0.9")))
    z = standard_unit("零", 0, jobs=(10, 30), sat=("90%", D("0.5")), full_year=100)
    res = consolidate(None, [("甲", a), ("零", z)], PROFILE)
    assert res.indicator("新增就业人数").value == 130
    assert res.indicator("群众满意度").value == D("0.9")
    assert any("「零」的资金额度为零或缺失" in n for n in res.notes)


def test_all_zero_funds_fall_back_to_simple_average():
    a = standard_unit("甲", 0, sat=("90%", D("0.9")), full_year=10)
    b = standard_unit("乙", 0, sat=("90%", D("0.8")), full_year=10)
    res = consolidate(None, [("甲", a), ("乙", b)], PROFILE)
    assert res.indicator("群众满意度").value == D("0.85")
    assert any("简单平均" in n for n in res.notes)


def test_text_answers_copied_when_identical_and_reported_when_not():
    same = [unit(n, 100, [ind(10, "效益指标", "社会效益", "单位获奖情况", "无", "无", 4)]) for n in ("甲", "乙")]
    res = consolidate(None, [("甲", same[0]), ("乙", same[1])], PROFILE)
    assert res.indicators[0].method is Method.TEXT and res.form.indicators[0].actual.text == "无"
    differ = [unit(n, 100, [ind(10, "效益指标", "社会效益", "单位获奖情况", "无", t, 4)])
              for n, t in (("甲", "无"), ("乙", "省级表彰"))]
    res = consolidate(None, [("甲", differ[0]), ("乙", differ[1])], PROFILE)
    assert res.indicators[0].method is Method.NONE
    assert any("不同的文字" in n for n in res.notes)


def test_differing_relative_targets_are_weighted_and_said():
    a = standard_unit("甲", 300, sat=("90%", D("0.95")))
    b = standard_unit("乙", 100, sat=("80%", D("0.85")))
    res = consolidate(None, [("甲", a), ("乙", b)], PROFILE)
    sat = res.indicator("群众满意度")
    assert sat.target == "≥87.5%"
    assert any("年度指标值不一致" in n for n in sat.notes)


def test_names_match_across_whitespace_and_full_width():
    a = unit("甲", 100, [ind(10, "产出指标", "数量指标", "培训人数(人次)", "≥100人次", 120, 20)])
    b = unit("乙", 100, [ind(10, "产出 指标", "数量指标 ", "培训人数（人次）", "≥100人次", 80, 20)])
    res = consolidate(None, [("甲", a), ("乙", b)], PROFILE)
    assert len(res.indicators) == 1 and res.indicators[0].value == 200 and res.unmatched == ()


def test_department_template_target_wins_and_open_weight_falls_back_to_first_unit():
    a = standard_unit("甲", 300, jobs=(100, 120))
    b = standard_unit("乙", 100, jobs=(50, 80))
    dept = Form(name=Value(raw="某某局"),
                indicators=(ind(10, "产出指标", "数量指标", "新增就业人数", "≥160人", None, 0),),
                profile_name=PROFILE.name)
    dept = dept.model_copy(update={"indicators": (dept.indicators[0].model_copy(update={"weight": Value()}),)})
    res = consolidate(dept, [("甲", a), ("乙", b)], PROFILE)
    jobs = res.indicator("新增就业人数")
    assert jobs.target == "≥160人" and jobs.value == 200
    assert any("各单位汇总为「≥150人」" in n for n in jobs.notes)
    assert jobs.weight == 20 and jobs.weight_from == "乙"  # 乙 < 甲 in canonical order


def test_units_of_another_form_kind_are_left_out_and_said():
    a = standard_unit("甲", 300)
    p = standard_unit("项目", 100).model_copy(update={"kind": FormKind.PROJECT})
    res = consolidate(None, [("甲", a), ("项目", p)], PROFILE)
    assert [u.name for u in res.units] == ["甲"]
    assert any("「项目」是项目支出绩效自评表" in n for n in res.notes)


def test_duplicate_unit_names_are_numbered_and_said():
    a = standard_unit("甲", 300)
    res = consolidate(None, [("甲", a), ("甲", a)], PROFILE)
    assert sorted(u.name for u in res.units) == ["甲（1）", "甲（2）"]
    assert any("出现 2 次" in n for n in res.notes)


def test_units_with_the_same_name_are_numbered_the_same_whatever_the_input_order():
    a, b = standard_unit("甲", 300), standard_unit("甲", 100)
    forward = consolidate(None, [("甲", a), ("甲", b)], PROFILE)
    backward = consolidate(None, [("甲", b), ("甲", a)], PROFILE)
    assert forward.model_dump() == backward.model_dump()


def test_one_listed_row_gives_its_fund_to_one_unit_only():
    from perfeval.core.model import SubUnit

    dept = standard_unit("部门", 0).model_copy(update={
        "units": (SubUnit(row=2, name=Value(raw="甲"), fund=Value(raw=D(100))),)})
    a, b = standard_unit("甲", 300), standard_unit("甲", 200)
    res = consolidate(dept, [("甲", a), ("甲", b)], PROFILE)
    from perfeval.consolidate import FUND_FROM_LIST

    assert sum(u.fund for u in res.units if u.fund_from == FUND_FROM_LIST) == D(100)
    assert any("只计入" in n for n in res.notes)


def test_nothing_to_consolidate_is_an_error():
    with pytest.raises(ConsolidationError):
        consolidate(None, [], PROFILE)


def _scaled_seed(k: str) -> Form:
    seed = zhengning_2023()
    f = Decimal(k)
    rows = tuple(r.model_copy(update={key: Value(raw=getattr(r, key).number * f)
                                      for key in ("initial", "full_year", "actual")}) for r in seed.budget)
    return seed.model_copy(update={"budget": rows})


def test_five_copies_of_the_seed_with_scaled_budgets():
    scales = ["1", "2", "0.5", "3", "1.5"]
    seed = zhengning_2023()
    units = [(f"第{i}单位", _scaled_seed(k)) for i, k in enumerate(scales, 1)]
    res = consolidate(None, units, PROFILE)
    factor = sum(D(k) for k in scales)
    for line, row in zip(res.budget, seed.budget, strict=True):
        assert line.initial == row.initial.number * factor
        assert line.full_year == row.full_year.number * factor
        assert line.actual == row.actual.number * factor
    # Relative values and completion ratios are the seed's; sums scale targets and values alike,
    # so every score, the total and the grade are the seed's recomputed ones.
    own = evaluate(seed, PROFILE)
    assert res.evaluation.total == own.total and res.evaluation.grade == own.grade
    assert res.evaluation.execution_rate == own.execution_rate
    assert len(res.indicators) == len(seed.filled_indicators) and res.unmatched == ()
    for item, mine in zip(res.indicators, own.indicators, strict=True):
        assert item.score == mine.result.score
        assert len(item.contributions) == 5
    shares = {c.unit: c.share for c in res.indicator("人民群众满意度").contributions}
    assert shares["第4单位"] == D(3) / factor
    assert res.indicator("单位获奖情况").method is Method.TEXT
    # "整合组建了4个机构" answered 100% (percent-formatted): percents are averaged, not summed as
    # 个, and the consolidated row keeps the unit contradiction every unit has (PE304).
    merged = res.indicator("服务中心优化机构设置")
    assert merged.method is Method.WEIGHTED and merged.measure == "%"
    assert res.form.units[0].fund.raw == res.units[0].fund


# ---------------------------------------------------------------------------------------------
# properties

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
    return [(f"单位{i}", draw(unit_forms(f"单位{i}"))) for i in range(n)]


def _values(form: Form, level3: str) -> Decimal | None:
    hit = next((i for i in form.filled_indicators if i.level3.text == level3), None)
    return None if hit is None else hit.parsed_actual().value


PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(unit_lists())
def test_money_totals_equal_sums_of_units(units):
    res = consolidate(None, units, PROFILE)
    for i, line in enumerate(res.budget):
        for key in ("initial", "full_year", "actual"):
            assert getattr(line, key) == sum(getattr(f.budget[i], key).number for _, f in units)
    for level3 in (JOBS[2], MONEY[2]):
        have = [v for _, f in units if (v := _values(f, level3)) is not None]
        item = res.indicator(level3)
        if have:
            assert item.value == sum(have)
            assert _values(res.form, level3) == sum(have)
        else:
            assert item is None


@PROPS
@given(unit_lists())
def test_weighted_values_lie_between_units_min_and_max(units):
    res = consolidate(None, units, PROFILE)
    for level3 in (SATISFACTION[2], QUALITATIVE[2]):
        have = [v for _, f in units if (v := _values(f, level3)) is not None]
        if not have:
            continue
        item = res.indicator(level3)
        assert min(have) <= item.value <= max(have)
        assert min(have) <= _values(res.form, level3) <= max(have)


@PROPS
@given(unit_lists(min_size=1, max_size=1))
def test_single_unit_returns_its_own_values(units):
    ((_, form),) = units
    res = consolidate(None, units, PROFILE)
    for mine, theirs in zip(res.form.budget, form.budget, strict=True):
        for key in ("initial", "full_year", "actual"):
            assert getattr(mine, key).number == getattr(theirs, key).number
    assert [i.level3.text for i in res.form.filled_indicators] == [i.level3.text for i in form.filled_indicators]
    for mine, theirs in zip(res.form.filled_indicators, form.filled_indicators, strict=True):
        assert mine.parsed_actual().value == theirs.parsed_actual().value
        assert mine.parsed_target() == theirs.parsed_target() or mine.target.text == theirs.target.text
    assert res.unmatched == ()
    assert res.evaluation.total == evaluate(form, PROFILE).total


@PROPS
@given(unit_lists(min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_order_of_units_does_not_matter(units, rnd):
    shuffled = list(units)
    rnd.shuffle(shuffled)
    assert consolidate(None, shuffled, PROFILE).model_dump() == consolidate(None, units, PROFILE).model_dump()


# ---------------------------------------------------------------------------------------------
# file layer


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def unit_files(tmp_path: Path) -> list[Path]:
    a = standard_unit('=HYPERLINK("x")', 300)
    b = standard_unit("乙单位", 100, sat=("90%", D("0.85")))
    paths = []
    for name, form in (("a.xlsx", a), ("b.xlsx", b)):
        p = tmp_path / "units" / name
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(build_workbook(form))
        paths.append(p)
    broken = tmp_path / "units" / "c.xlsx"
    broken.write_bytes(bytes(range(256)) * 8)
    paths.append(broken)
    return paths


def test_consolidate_files_writes_a_checked_workbook(tmp_path, unit_files):
    before = {p: _sha(p) for p in unit_files}
    out = tmp_path / "汇总.xlsx"
    result = consolidate_files(None, unit_files, out)
    assert out.exists() and result.path == out
    assert [u.file for u in result.unreadable] == [str(unit_files[2])]
    assert result.unreadable[0].code.startswith("PE9") and result.unreadable[0].message
    assert any("c.xlsx" in n and "无法读取" in n for n in result.result.notes)
    assert {p: _sha(p) for p in unit_files} == before

    form, problems = read_form(out)
    assert not [p for p in problems if p.severity.value == "error"]
    assert len(form.filled_indicators) == 4
    assert form.budget[0].actual.number == 400

    # Text from the forms stays text everywhere: the 下属单位 sheet, 汇总说明, the form's name.
    wb = openpyxl.load_workbook(out)
    assert CONSOLIDATION_SHEET in wb.sheetnames
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert texts and all(c.data_type == "s" for c in texts)
    assert {c.parent.title for c in texts} >= {L.SHEET_UNITS, CONSOLIDATION_SHEET, L.SHEET_FORM}
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>HYPERLINK" not in zf.read(name)

    # openpyxl dropped the cached results when the sheet was added; they are back.
    lay = L.layout_for(FormKind.DEPARTMENT)
    cached = read_cached_values(out.read_bytes(), L.SHEET_FORM)
    assert cached[lay.total_score] == float(result.result.evaluation.total)
    assert cached[lay.grade] == result.result.evaluation.grade
    assert cached[lay.indicator_cells(lay.indicator_first_row)["score"]] is not None

    # 汇总说明 lists, per indicator, every contributing unit with its weight.
    sheet = wb[CONSOLIDATION_SHEET]
    detail = [r for r in sheet.iter_rows(values_only=True) if len(r) > 12 and r[3] == "群众满意度"]
    assert {(r[10], r[12]) for r in detail} == {('=HYPERLINK("x")', 0.75), ("乙单位", 0.25)}


def test_consolidate_files_never_writes_over_an_input(tmp_path, unit_files):
    before = _sha(unit_files[0])
    with pytest.raises(OutputIsInputError):
        consolidate_files(None, unit_files[:2], unit_files[0], force=True)
    assert _sha(unit_files[0]) == before
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError):
        consolidate_files(None, unit_files[:2], out)
    assert out.read_bytes() == b"keep me"
    consolidate_files(None, unit_files[:2], out, force=True)
    assert read_form(out)[0].budget[0].actual.number == 400


def test_consolidate_files_with_department_template_and_directory(tmp_path, unit_files):
    dept = Form(name=Value(raw="某某局"), year=Value(raw=D(2023)),
                units=(SubUnit(row=2, name=Value(raw="乙单位"), fund=Value(raw=D(300))),),
                profile_name=PROFILE.name)
    dept_path = tmp_path / "units" / "部门.xlsx"
    dept_path.write_bytes(build_workbook(dept))
    out = tmp_path / "units" / "汇总.xlsx"
    result = consolidate_files(dept_path, [tmp_path / "units"], out)
    res = result.result
    # The template and the output are not units, even though they sit in the folder.
    assert sorted(u.name for u in res.units) == sorted(['=HYPERLINK("x")', "乙单位"])
    assert res.funds_from_department_list
    assert {u.name: u.fund_from for u in res.units}["乙单位"] == "部门下属单位表"
    assert res.form.name.text == "某某局"
    # Running again over the same folder with --force does not consolidate the previous output.
    again = consolidate_files(dept_path, [tmp_path / "units"], out, force=True)
    assert len(again.result.units) == 2


def test_unreadable_department_template_stops(tmp_path, unit_files):
    with pytest.raises(ConsolidationError, match="PE9"):
        consolidate_files(unit_files[2], unit_files[:2], tmp_path / "out.xlsx")


def test_no_readable_unit_is_an_error(tmp_path, unit_files):
    with pytest.raises(ConsolidationError, match="c.xlsx"):
        consolidate_files(None, unit_files[2:], tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_consolidating_the_same_files_twice_gives_the_same_bytes(unit_files, tmp_path):
    import time

    a, b = tmp_path / "一.xlsx", tmp_path / "二.xlsx"
    consolidate_files(None, unit_files, a)
    time.sleep(1.1)  # openpyxl stamps the save time to the second; it must not reach the file
    consolidate_files(None, unit_files, b)
    assert a.read_bytes() == b.read_bytes()
