from decimal import Decimal

import pytest

from perfeval.core.targets import Comparison, parse_actual, parse_target
from tests.conftest import seed_indicator_rows

D = Decimal


@pytest.mark.parametrize(
    ("text", "comparison", "value", "unit"),
    [
        ("≥95%", Comparison.GE, D("0.95"), "%"),
        ("≤5%", Comparison.LE, D("0.05"), "%"),
        (">=90%", Comparison.GE, D("0.9"), "%"),
        ("＞＝90％", Comparison.GE, D("0.9"), "%"),
        ("达到100%", Comparison.GE, D("1"), "%"),
        ("达90%以上", Comparison.GE, D("0.9"), "%"),
        ("不低于90%", Comparison.GE, D("0.9"), "%"),
        ("不高于10%", Comparison.LE, D("0.1"), "%"),
        ("不超过3次", Comparison.LE, D("3"), "次"),
        ("控制在100%以内", Comparison.LE, D("1"), "%"),
        ("=100%", Comparison.EQ, D("1"), "%"),
        ("100%", Comparison.GE, D("1"), "%"),
        ("4个", Comparison.GE, D("4"), "个"),
        ("≥2200篇", Comparison.GE, D("2200"), "篇"),
        ("≤90万元", Comparison.LE, D("90"), "万元"),
        ("0.5天以内", Comparison.LE, D("0.5"), "天"),
        ("100", Comparison.GE, D("100"), ""),
        ("5%以下", Comparison.LE, D("0.05"), "%"),
        ("不少于1,200人", Comparison.GE, D("1200"), "人"),
        ("机制健全在达到95%以上", Comparison.GE, D("0.95"), "%"),
    ],
)
def test_target_text_is_understood_with_comparison_number_and_unit(text, comparison, value, unit):
    t = parse_target(text)
    assert t.error is None
    assert (t.comparison, t.value, t.unit) == (comparison, value, unit)


def test_a_bare_number_target_is_positive_and_percent_format_makes_it_a_fraction():
    assert parse_target(0.95).describe() == "≥0.95"
    assert parse_target(0.95, percent_format=True).describe() == "≥95%"


@pytest.mark.parametrize("text", ["≤5%", "不超过3次", "控制在100%以内", "10%以下", "0.5天以内", "低于2%"])
def test_reverse_indicators_are_recognised(text):
    assert parse_target(text).comparison.is_reverse


@pytest.mark.parametrize("text", ["始终坚持把党的领导贯彻到工作中", "高", "好", "无", "每周利用一小时培训业务"])
def test_words_without_a_number_are_a_qualitative_target_not_an_error(text):
    t = parse_target(text)
    assert t.error is None and t.is_qualitative


@pytest.mark.parametrize("text", ["≤", "≥", ">=", "不高于", "达到", "控制在以内"])
def test_a_comparison_without_its_number_is_error_pe301_saying_what_is_missing(text):
    t = parse_target(text)
    assert t.error is not None and t.error.code == "PE301"
    assert "缺少数值" in t.error.message


def test_an_empty_target_is_error_pe301():
    assert parse_target(None).error.code == "PE301"
    assert parse_target("  ").error.code == "PE301"


def test_a_range_target_keeps_both_ends():
    t = parse_target("90%-100%")
    assert (t.comparison, t.value, t.upper) == (Comparison.RANGE, D("0.9"), D("1"))


def test_a_deadline_is_judged_qualitatively():
    t = parse_target("12月底前完成")
    assert t.is_qualitative and t.is_deadline


def test_a_completion_written_as_a_target_keeps_its_number_as_the_clerks_claim():
    a = parse_actual("达90%以上", target=parse_target("≥90%"))
    assert a.target_shaped and a.error is None and (a.value, a.unit) == (D("0.9"), "%")
    b = parse_actual("≥266米", target=parse_target("≥266米"))
    assert b.target_shaped and (b.value, b.unit) == (D("266"), "米")


@pytest.mark.parametrize(("target", "answer", "judgement"), [
    ("效果明显", "达成预期指标", "achieved"),
    ("严格执行相关制度规定", "全部或基本达成预期指标", "achieved"),
    ("效果明显", "部分达成预期指标并具有一定效果", "partial"),
    ("效果明显", "未达成预期指标且效果较差", "missed"),
    ("效果明显", "未完成预期指标且效果较差", "missed"),
    ("有效", "有效", "met"),
    ("高", "高", "met"),
    ("及时", "及时", "met"),
    ("规范", "符合", "met"),
    ("提高服务水平", "有待提高", None),
    ("无", "无", None),
    ("效果明显", "较好", None),
    ("改善办学条件", "全部完成", "met"),
    ("改善办学条件", "基本达成", "achieved"),
    ("无重大安全事故", "无", "met"),  # the absence asked for
    ("零投诉", "零", "met"),
    ("杜绝违规行为", "没有", "met"),
    ("无重大安全事故", "有", "missed"),  # "有" keeps a presence target, breaks an absence one
    ("无", "无", None),  # a bare "无" target asks for nothing (the seed's 单位获奖情况, PE306)
])
def test_worded_answers_name_a_band_or_state_success(target, answer, judgement):
    a = parse_actual(answer, target=parse_target(target))
    assert (a.judgement.value if a.judgement else None) == judgement


@pytest.mark.parametrize(("target", "answer", "met"), [
    ("9月前", "7月", True), ("9月底前", "9月", True), ("11月底前", "12月", False),
    ("2023年12月31日前", "2023年10月20日", True), ("2023年6月30日前", "2023年7月", False),
    ("年底前完成", "11月", True), ("6月30日前", "2023.6.15", True),
])
def test_time_limits_are_compared_as_dates(target, answer, met):
    from perfeval.core.targets import date_on_or_before

    t = parse_target(target)
    a = parse_actual(answer, target=t)
    assert t.is_deadline and t.deadline is not None and a.date is not None
    assert date_on_or_before(a.date, t.deadline) is met


@pytest.mark.parametrize(("text", "comparison", "value", "unit"), [
    ("≧95%", Comparison.GE, D("0.95"), "%"), ("≦3次", Comparison.LE, D("3"), "次"),
    ("═8个", Comparison.EQ, D("8"), "个"), ("＝100%", Comparison.EQ, D("1"), "%"),
    ("≥100百分比", Comparison.GE, D("1"), "%"), ("≥50厘米", Comparison.GE, D("50"), "厘米"),
    ("≥26次", Comparison.GE, D("26"), "次"), ("≥12幅", Comparison.GE, D("12"), "幅"),
    ("≥3周以上", Comparison.GE, D("3"), "周"),
])
def test_comparators_and_units_are_read_as_typed(text, comparison, value, unit):
    t = parse_target(text)
    assert (t.comparison, t.value, t.unit) == (comparison, value, unit)


@pytest.mark.parametrize(
    ("raw", "percent_format", "value", "unit"),
    [
        ("95%", False, D("0.95"), "%"),
        (0.95, True, D("0.95"), "%"),
        (0.95, False, D("0.95"), "%"),  # next to a percent target a fraction means percent
        (95, False, D("0.95"), "%"),  # and so do percent points
        ("100", False, D("1"), "%"),
    ],
)
def test_completion_values_typed_any_legitimate_way_mean_the_same(raw, percent_format, value, unit):
    a = parse_actual(raw, percent_format=percent_format, target=parse_target("达90%以上"))
    assert (a.value, a.unit, a.error) == (value, unit, None)


def test_a_count_completion_keeps_its_unit():
    a = parse_actual("2859人", target=parse_target("≥2800人"))
    assert (a.value, a.unit) == (D("2859"), "人")
    assert parse_actual(2859, target=parse_target("≥2800人")).unit == "人"


def test_blank_and_dash_completions_are_blank_not_errors():
    for raw in (None, "", "-", "—"):
        assert parse_actual(raw).is_blank


def test_every_target_and_value_of_the_seed_form_parses_or_is_qualitative(seed_text):
    rows = seed_indicator_rows(seed_text)
    assert len(rows) == 29  # the seed's indicator table has 29 三级指标
    outcomes = {}
    for fields in rows:
        name, target, actual = fields[-5], fields[-4], fields[-3]
        t = parse_target(target)
        a = parse_actual(actual, target=t)
        outcomes[name] = (t.describe(), a.error)
        if target == "≤":  # the seed's “三公经费”控制率 lost its number: that must be an error
            assert t.error is not None and t.error.code == "PE301"
            continue
        assert t.error is None, (name, target, t.error)
        assert t.is_qualitative or t.is_quantitative
        assert a.error is None, (name, actual, a.error)
        assert a.value is not None or a.text == "无"
    assert outcomes["在职人员控制率"][0] == "≥90%"
    assert outcomes["落实党管机构编制原则"][0] == "定性"
    assert outcomes["人民群众满意度"][0] == "≥100%"


def test_a_heading_only_row_gives_its_first_level_name_to_the_indicators_below():
    from perfeval.core.model import Form, Indicator, Value

    rows = (
        Indicator(row=1, level1=Value(raw="产出指标")),
        Indicator(row=2, level2=Value(raw="数量指标"), level3=Value(raw="培训人数"), target=Value(raw="≥100人")),
        Indicator(row=3, level3=Value(raw="覆盖乡镇"), target=Value(raw="≥10个")),
        Indicator(row=4, level1=Value(raw="效益指标"), level2=Value(raw="社会效益指标")),
        Indicator(row=5, level3=Value(raw="就业率"), target=Value(raw="≥90%")),
    )
    filled = Form(indicators=rows).filled_indicators
    assert [i.row for i in filled] == [2, 3, 5]
    assert [(i.level1.text, i.level2.text) for i in filled] == [("产出指标", "数量指标"), ("", ""),
                                                               ("效益指标", "社会效益指标")]


@pytest.mark.parametrize("text, unit, after", [
    ("全年达 0.05 的目标", "", "的目标"),  # words after the number are not a unit
    (">１２．２５左右", "", "左右"),
    ("≥5枚", "枚", ""),  # a unit nobody listed is still a unit
    ("3周以上", "周", ""),
    ("≥200余人", "", "余人"),
    ("安全事故0起", "起", ""),
    ("≥95百分比", "%", ""),
])
def test_the_letters_after_a_number_are_a_unit_only_up_to_a_word(text, unit, after):
    t = parse_target(text)
    assert (t.unit, t.text_after) == (unit, after)


def test_every_comparison_word_after_a_number_starts_with_a_character_that_ends_a_unit():
    from perfeval.core import targets as tg

    assert all(word[0] in tg.NOT_UNIT_START for word, _ in tg._SUFFIX_WORDS)


def test_worded_answers_name_a_band_when_the_clerk_marked_a_numeric_target_qualitative():
    from perfeval.core.model import understand_target
    from perfeval.core.targets import Judgement, judge_answer

    assert judge_answer("已完成", understand_target("≥1个", "定性")) is Judgement.MET
    assert judge_answer("已完成", understand_target("≥1个")) is None  # a number was asked for
    assert judge_answer("未完成80%", understand_target("≥1个")) is Judgement.MISSED


@pytest.mark.parametrize(("target", "answer", "value", "unit"), [
    ("≥2次", "两次", 2, "次"),
    ("≥3个", "十二个", 12, "个"),
    ("≥30人", "三十人", 30, "人"),
    ("≥20人", "二十一人", 21, "人"),
    ("≥2次", "一般", None, ""),  # no count: "一般" is a word, not 一 般
    ("≥2次", "两次以上", None, ""),  # shaped like a target: still PE305, as before
    ("效果明显", "两次", None, ""),  # a qualitative target: not a count to compare
])
def test_a_count_written_in_chinese_numerals_answers_a_number_target(target, answer, value, unit):
    a = parse_actual(answer, target=parse_target(target))
    assert (a.value, a.unit if value is not None else "") == ((D(value) if value is not None else None), unit)
