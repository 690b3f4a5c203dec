"""济南市历城区文化馆 区级部门预算项目支出绩效自评表(2019年度)（商品和服务支出）— 山东 济南. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "http://jnslcqwhg.cn/newsinf_id_308.html"
PROVINCE = "山东省"
UNIT = "济南市历城区文化馆"
KIND = "project"
YEAR = 2019
SPLIT = "tune"  # held out for the first generalisation measurement, looked at afterwards

NOTES = """\
Typed from the page text (cells separated by spaces and line breaks, empty cells as blank lines); the page
header ('当前位置:首页 >> 内容详情 … 发布时间:2020-04-27') is not typed.
- CUT OFF: the stored copy ends inside the 社会效益指标 row ('促进基本公共文化服务标准化均等化,保障群众基本文化
  权益。满足广大人民群众接受素质教育、'); that row is left out, with the rest of 效益, 满意度 and the total.
  The sheet ends with the '-' row under 经济效益指标 (row 23).
- Layout is the Jinan 历城区 2019 template ('区级部门预算项目支出绩效自评表', '主管部门(盖章): … 单位:万元'):
  项目负责人/联系电话 in the header; 年度总体目标 (年初设定目标 | 年度总体目标完成情况综述) BEFORE the budget
  block; the budget block '项目预算执行情况(10分)' has only 年初预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) |
  得分 | 得分计算方法; the indicator table has 预期指标值(A) | 实际完成指标值(B) | 分值 | 得分 | 未完成原因 |
  得分计算方法, where the calculation notes ('定量指标计算:…', '定性指标计算:…') are typed once in the first
  indicator row's 得分计算方法 cell, merged down (inferred from the text order).
- The first-level cells hold only '(50分)' and '(30分)' (the names are not in the text; the blank lines
  before them are typed as empty cells of the merged range). Each 二级指标 has a second row holding only
  '-' (under 成本指标 a further row '- -': '-' as 二级 and 三级) — template placeholders, not indicators.
- The form's own note states the qualitative bands 100-80%(含80%)、80-50%(含50%)、50-0% (Hubei-like 80/50,
  not the national 80/60) with the national first-level weights 50/30 (+ 执行率 10) → profile "".
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 8, "B": 12, "C": 30, "D": 12, "E": 14, "F": 8, "G": 8, "H": 12, "I": 36}

N = None
_CALC = ("定量指标计算:完成值达到指标值,记满分;未达到指标值,按B/A或A/B*该指标分值记分。\n"
         "定性指标计算:根据“三档”原则分别按照指标分值的100-80%(含80%)、80-50%(含50%)、50-0%来记分。")
ROWS = [
    ["区级部门预算项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 1
    ["( 2019 年度)", N, N, N, N, N, N, N, N],  # 2
    ["主管部门(盖章):", N, N, N, N, N, "单位:万元", N, N],  # 3
    ["项目名称", "商品和服务支出", N, N, "主管部门", "济南市历城区文化和旅游局", N, N, N],  # 4
    ["项目实施单位", "济南市历城区文化馆", N, "项目负责人", "田延青", "联系电话", N, 88894492, N],  # 5
    ["年度总体目标", "年初设定目标", N, N, "年度总体目标完成情况综述", N, N, N, N],  # 6
    [N, "历城区文化馆免费开放", N, N,
     "用于历城区文化馆全年免费开放,主要支付招聘合同人员工资,确保我馆全年正常免费开放和群众文化工作开展。",
     N, N, N, N],  # 7
    ["项目预算\n执行情况\n(10分)", N, "年初预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分", "得分计算方法",
     N],  # 8
    [N, "年度资金总额", 45, 45, 10, pct("100%"), 10, "执行率*该指标分值,最高不得超过分值上限。", N],  # 9
    [N, "其中:财政拨款", 45, 45, "-", "-", "-", N, N],  # 10
    [N, "其他资金", N, N, "-", "-", "-", N, N],  # 11
    ["一级\n指标", "二级\n指标", "三级指标", "预期指标值(A)", "实际完成指标值(B)", "分值", "得分", "未完成原因",
     "得分计算方法"],  # 12
    ["(50分)", "数量指标", "全年免费开放", pct("100%"), pct("100%"), num("12.5"), num("12.5"), N, _CALC],  # 13
    [N, N, "-", N, N, N, N, N, N],  # 14
    [N, "质量指标", "免费开放管理制度健全、执行有效性", pct("100%"), pct("100%"), num("12.5"), num("12.5"), N, N],  # 15
    [N, N, "-", N, N, N, N, N, N],  # 16
    [N, "时效指标", "免费开放率", pct("100%"), pct("100%"), num("12.5"), num("12.5"), N, N],  # 17
    [N, N, "-", N, N, N, N, N, N],  # 18
    [N, "成本指标", "实际成本与工作内容的匹配程度", "45万", "45万", num("12.5"), num("12.5"), N, N],  # 19
    [N, N, "-", N, N, N, N, N, N],  # 20
    [N, "-", "-", N, N, N, N, N, N],  # 21
    ["(30分)", "经济效益\n指标", "承担重要公益服务项目、助推民生事业发展", pct("100%"), pct("100%"), 10, 10, N, N],  # 22
    [N, N, "-", N, N, N, N, N, N],  # 23
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "A3:F3", "G3:I3", "B4:D4", "F4:I4", "B5:C5", "F5:G5", "H5:I5",
            "A6:A7", "B6:D6", "E6:I6", "B7:D7", "E7:I7",
            "A8:A11", "H8:I8", "H9:I11",
            "A13:A21", "B13:B14", "B15:B16", "B17:B18", "B19:B20", "I13:I23",
            "A22:A23", "B22:B23",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="商品和服务支出",
    year=2019,
    money_unit="万元",
    budget=[
        ("年度资金总额", "45", "", "45"),
        ("其中:财政拨款", "45", "", "45"),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(13, "(50分)", "数量指标", "全年免费开放", "100%", "100%", "12.5", "12.5", D("12.5"),
            "100% done 100% → met → 12.5"),
        Ind(15, "(50分)", "质量指标", "免费开放管理制度健全、执行有效性", "100%", "100%", "12.5", "12.5", D("12.5"),
            "100% done 100% → met → 12.5"),
        Ind(17, "(50分)", "时效指标", "免费开放率", "100%", "100%", "12.5", "12.5", D("12.5"), "met → 12.5"),
        Ind(19, "(50分)", "成本指标", "实际成本与工作内容的匹配程度", "45万", "45万", "12.5", "12.5", D("12.5"),
            "45万 (read as =) done 45万 → met → 12.5"),
        Ind(22, "(30分)", "经济效益指标", "承担重要公益服务项目、助推民生事业发展", "100%", "100%", "10", "10",
            D("10"), "met → 10"),
    ],
    dropped_placeholders=6,
    stated_total=None,
    hand_total=D("70.00"),
    hand_grade="中",
    provisional=0,
    profile="",
    findings=[
        ("PE209", "A13"),  # first-level cell holds only '(50分)'
        ("PE209", "A22"),  # first-level cell holds only '(30分)'
    ],
    quiet_rows=[15, 17, 19],
    narrative=(
        "A 2019 district template with 年初预算数(A) and 全年执行数(B) only (45 of 45 → 10), four 产出 rows of "
        "12.5 (all met) and the 效益 block cut after its first row; the first-level names are missing (only "
        "'(50分)', '(30分)'). The hand total 70.00 covers execution, 产出 (50) and one 效益 row (10)."
    ),
    truncated=True,
)
