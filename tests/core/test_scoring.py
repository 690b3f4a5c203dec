from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from perfeval.core.profiles import load_profile
from perfeval.core.scoring import (
    band_for,
    band_score,
    cap,
    execution_rate,
    execution_score,
    grade,
    indicator_score,
    total_score,
    weighted_average,
)
from perfeval.core.targets import parse_actual, parse_target

D = Decimal
GANSU = load_profile("gansu-department")
JIANGXI = load_profile("jiangxi-department")
HUBEI = load_profile("hubei-department")

weights = st.decimals(min_value=0, max_value=20, places=2)
amounts = st.decimals(min_value=0, max_value=10**6, places=2)
ratios = st.decimals(min_value=0, max_value=3, places=4)


def score(target, actual, weight, profile=GANSU):
    t = parse_target(target)
    return indicator_score(t, parse_actual(actual, target=t), D(weight), profile)


def test_execution_rate_uses_the_full_year_budget_not_the_initial_one():
    # The seed: 实际 1745.81, 全年 1745.81, 年初 1241.99 → 100%, not the printed 141%.
    assert execution_rate(D("1745.81"), D("1745.81"), D("1241.99"), GANSU) == D("1")
    assert execution_score(D("1"), GANSU) == D("10")


def test_execution_score_is_proportional_and_capped():
    assert execution_score(D("0.9567"), GANSU) == D("9.57")
    assert execution_score(D("1.41"), GANSU) == D("10")
    assert execution_score(None, GANSU) == D("0")


def test_jiangxi_scores_execution_in_steps():
    assert [execution_score(D(r), JIANGXI) for r in ("1", "0.9999", "0.8", "0.7999", "0.6", "0.59")] == [
        D(10), D(7), D(7), D(5), D(5), D(0)
    ]


def test_hubei_scores_execution_out_of_20():
    assert execution_score(D("0.9"), HUBEI) == D("18")


def test_met_target_earns_full_weight():
    r = score("达90%以上", "95%", 2)
    assert (r.score, r.met) == (D(2), True)


def test_positive_miss_earns_completion_over_target():
    r = score("达到100%", "95%", 5)  # the seed's 人民群众满意度: 4.75, not the stated 5
    assert (r.score, r.met) == (D("4.75"), False)


def test_reverse_miss_earns_target_over_completion():
    r = score("≤90万元", "100万元", 4)
    assert r.score == D("3.6")
    assert score("不超过3次", "2", 3).score == D(3)


def test_reverse_target_of_zero_missed_earns_nothing():
    assert score("≤0起", "1", 3).score == D(0)


def test_qualitative_scores_the_completion_ratio_in_its_band():
    r = score("始终坚持", "95%", 4)
    assert (r.score, r.band, r.qualitative) == (D("3.8"), "全部或基本达成预期指标", True)


def test_qualitative_answer_without_a_ratio_is_error_pe306():
    assert score("无", "无", 4).error.code == "PE306"


def test_unit_mismatch_is_error_pe304():
    assert score("≥4个", "100%", 3).error.code == "PE304"


def test_over_achievement_is_measured():
    r = score("≥100人", "140人", 3)
    assert r.score == D(3) and r.over_achievement == D("0.4")


def test_band_edges_are_exactly_the_profiles():
    assert band_for(D("0.80"), GANSU).name == "全部或基本达成预期指标"
    assert band_for(D("0.7999"), GANSU).name == "部分达成预期指标并具有一定效果"
    assert band_for(D("0.60"), GANSU).name == "部分达成预期指标并具有一定效果"
    assert band_for(D("0.5999"), GANSU).name == "未达成预期指标且效果较差"
    assert band_for(D("0.50"), HUBEI).name == "部分达成预期指标并具有一定效果"
    assert band_for(D("0.4999"), HUBEI).name == "未达成预期指标且效果较差"


@pytest.mark.parametrize(("total", "expected"), [(D(90), "优"), (D("89.99"), "良"), (D(80), "良"),
                                                  (D(60), "中"), (D("59.99"), "差"), (D(0), "差")])
def test_grades_are_90_80_60(total, expected):
    assert grade(total, GANSU) == expected


def test_total_subtracts_deductions_and_never_goes_below_zero():
    assert total_score([D(10), D(85)], [D(3)], GANSU) == D(92)
    assert total_score([D(1)], [D(5)], GANSU) == D(0)


@given(weight=weights, target=amounts, actual=amounts, reverse=st.booleans())
def test_score_stays_between_zero_and_weight(weight, target, actual, reverse):
    t = parse_target(f"{'≤' if reverse else '≥'}{target}人")
    r = indicator_score(t, parse_actual(f"{actual}人", target=t), weight, GANSU)
    assert r.error is None
    assert D(0) <= r.score <= weight


@given(weight=weights, target=st.decimals(min_value="0.01", max_value=10**5, places=2),
       a1=amounts, a2=amounts)
def test_score_never_falls_as_completion_rises_for_positive_targets(weight, target, a1, a2):
    lo, hi = sorted((a1, a2))
    t = parse_target(f"≥{target}个")
    s_lo = indicator_score(t, parse_actual(f"{lo}个", target=t), weight, GANSU).score
    s_hi = indicator_score(t, parse_actual(f"{hi}个", target=t), weight, GANSU).score
    assert s_lo <= s_hi


@given(weight=weights, target=amounts, a1=amounts, a2=amounts)
def test_score_never_rises_as_completion_rises_for_reverse_targets(weight, target, a1, a2):
    lo, hi = sorted((a1, a2))
    t = parse_target(f"≤{target}万元")
    s_lo = indicator_score(t, parse_actual(f"{lo}万元", target=t), weight, GANSU).score
    s_hi = indicator_score(t, parse_actual(f"{hi}万元", target=t), weight, GANSU).score
    assert s_lo >= s_hi


@given(completion=ratios, weight=weights)
def test_band_score_lies_in_the_bands_share_of_the_weight(completion, weight):
    s = band_score(completion, weight, GANSU)
    band = band_for(completion, GANSU)
    i = GANSU.bands.index(band)
    upper = D(1) if i == 0 else GANSU.bands[i - 1].lower
    assert band.lower * weight - D("0.005") <= s <= upper * weight + D("0.005")


@given(st.lists(st.tuples(ratios, st.decimals(min_value="0.01", max_value=10**6, places=2)),
                min_size=1, max_size=30))
def test_weighted_average_is_sum_vw_over_sum_w_and_lies_between_min_and_max(pairs):
    values, ws = zip(*pairs)
    avg = weighted_average(values, ws)
    assert avg == sum(v * w for v, w in pairs) / sum(ws)
    assert min(values) <= avg <= max(values) or abs(avg - min(values)) < D("1e-20")


def test_weighted_average_of_nothing_is_none():
    assert weighted_average([], []) is None


@given(s=st.decimals(min_value=-100, max_value=100, places=3), w=weights)
def test_cap_keeps_a_score_within_its_weight(s, w):
    assume(w >= 0)
    assert D(0) <= cap(s, w) <= w


def test_a_qualitative_score_just_under_a_band_edge_stays_in_its_band():
    # 79.99% of 15 is 11.9985 → 12.00, which belongs to the band above (80% inclusive).
    r = score("始终坚持", "79.99%", 15)
    assert r.band == "部分达成预期指标并具有一定效果" and r.score == D("11.99")


def test_band_and_score_read_a_completion_above_200_percent_alike():
    from perfeval.core.cellfunctions import BAND, SCORE

    assert BAND("250%") == "全部或基本达成预期指标" and SCORE("始终坚持", "250%", 4) == 4.0
    assert BAND(95) == BAND("95%") == BAND(0.95)


def test_worksheet_functions_answer_numbers_beyond_28_digits_without_raising():
    from perfeval.core.cellfunctions import EXEC_RATE, SCORE, TOTAL

    assert isinstance(EXEC_RATE(1e30, 3), float)
    assert SCORE("≥90%", 1e40, 1e27) == 1e27
    assert TOTAL([[1e300]]) == 1e300


def test_a_percent_typed_in_a_percent_formatted_cell_means_percent():
    from perfeval.core.cellfunctions import BAND, SCORE

    # A clerk's 240% is stored as 2.4: with the cell's format it is 240% (100 ÷ 240 × 5 = 2.08);
    # without it a bare 2.4 next to a percent target is 2.4% and earns full marks.
    assert SCORE("控制在100%以内", 2.4, 5, None, None, None, "P0") == 2.08
    assert SCORE("控制在100%以内", 2.4, 5, None, None, None, True) == 2.08
    assert SCORE("控制在100%以内", 2.4, 5) == 5.0
    assert SCORE("控制在100%以内", 2.4, 5, None, None, None, "G") == 5.0
    # A percent against a count target is a unit contradiction, not a count.
    assert str(SCORE("整合组建了4个机构", 1, 3, None, None, None, "P0")).startswith("PE304")
    assert SCORE("整合组建了4个机构", 1, 3) == 0.75
    assert BAND(85, None, "P0") == "全部或基本达成预期指标" and BAND(0.5, None, True) == BAND(0.5)


def test_the_model_reads_an_actual_with_its_cells_percent_format_as_score_does():
    from perfeval.core.model import Indicator, Value

    ind = Indicator(row=10, target=Value(raw="控制在100%以内"), actual=Value(raw=2.4, percent_format=True),
                    weight=Value(raw=D(5)))
    a = ind.parsed_actual()
    assert (a.value, a.unit) == (D("2.4"), "%")
    plain = ind.model_copy(update={"actual": Value(raw=2.4)}).parsed_actual()
    assert (plain.value, plain.unit) == (D("0.024"), "%")


def test_score_table_gives_per_row_what_score_target_and_band_give():
    from perfeval.core.cellfunctions import BAND, SCORE, SCORE_TABLE, TARGET

    rows = [("达90%以上", 0.95, 2, None, None, False), ("始终坚持", 0.7, 4, None, None, False),
            ("控制在100%以内", 2.4, 5, None, None, True), (None, None, None, None, None, False),
            ("≥4个", 1, 3, "定性", None, True), ("≤", 1, 2, None, None, False)]
    cols = [[[r[i]] for r in rows] for i in range(6)]
    got = SCORE_TABLE(cols[0], cols[1], cols[2], None, cols[3], cols[4], cols[5])
    want = []
    for t, a, w, k, d, f in rows:
        reading = TARGET(t, k, d)
        want.append([SCORE(t, a, w, None, k, d, f), reading,
                     BAND(a, None, f) if str(reading).startswith("定性") else ""])
    assert got == want
    assert got[1][2] == "部分达成预期指标并具有一定效果" and got[3] == ["", "", ""]
    assert SCORE_TABLE([["≥1"]], [[1], [2]], [[1]]).startswith("PE202")
    assert SCORE_TABLE([["≥1"]], [[1]], [[1]], "no-such-profile").startswith("PE920")


@given(weight=st.decimals(min_value=0, max_value=3, places=2), digits=st.integers(min_value=0, max_value=2))
def test_no_band_allows_a_score_above_the_weight_even_with_edges_that_exclude_their_lower_bound(weight, digits):
    from perfeval.core.decimal_math import excel_round
    from perfeval.core.scoring import band_range

    p = load_profile("gansu-department")
    p = p.model_copy(update={
        "bands": [b.model_copy(update={"lower_inclusive": False}) for b in p.bands],
        "rounding": p.rounding.model_copy(update={"score": digits}),
    })
    for band in p.bands:
        lo, hi = band_range(band, weight, p)
        assert Decimal(0) <= lo <= hi <= excel_round(weight, digits)


def test_a_worded_answer_shows_the_band_it_names_beside_its_score():
    from perfeval.core import cellfunctions as cf

    assert cf.BAND("部分达成预期指标并具有一定效果") == cf.BAND(0.7)
    assert cf.BAND("显著", None, None, "显著") == cf.BAND(1)  # the target's own word
    assert cf.BAND("良好") == cf.MSG_RATIO_NOT_NUMBER  # words that name no band


def test_a_target_number_without_a_unit_answered_with_a_percent_is_in_percent_points():
    from perfeval.core.cellfunctions import SCORE

    # "≥85" in the target cell, 90% in a percent-formatted completion cell: met, not 0.9 ÷ 85.
    assert SCORE("≥85", 0.9, 5, None, None, None, "0%") == 5
    assert SCORE("≥85", "80%", 5) == 4.71  # 80% ÷ 85% × 5
    assert SCORE("≥0.85", "90%", 5) == 5  # a fraction already: nothing to convert
    assert SCORE("≥85", "90", 5) == 5  # a bare completion is in the target's unit, as before
