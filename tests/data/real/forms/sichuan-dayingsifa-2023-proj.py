"""大英县司法局 部门预算项目支出绩效自评表(2023年度)（2023年全县安可替代补助资金项目）— 四川 遂宁. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, num, pct

SOURCE = "https://dyxrmt.cn/article-157795-21.html"
PROVINCE = "四川省"
UNIT = "大英县司法局"
KIND = "project"
YEAR = 2023
SPLIT = "tune"

NOTES = """\
Typed from page 21 of a paginated repost of the unit's 决算 (dyxrmt.cn, article-157795-21; the article's
other pages are not stored). The stored page starts with the tail of the previous form (…成本控制数 ≤ 30 万元
完成 90 90, 合计 100, 评价结论 …, 项目负责人:查小兵 | 财务负责人:唐勇) — that form's head is on page 20,
which is not stored, so it is not typed. The form typed here starts on the page.
- CUT OFF: the stored copy ends inside the first indicator row ('产出指标 | 质量指标 | 完成安可产品购买并按要求
  支付资金 | = | 100 |'); that row is left out. The sheet ends with the indicator header (row 13).
  indicators=[]; the hand total is the execution score alone.
- Layout is the Sichuan 一体化 '部门预算项目支出绩效自评表' (as sichuan-qingshenfagai-2023-proj, without its
  报表编号 line and with '实施单位' instead of '实施单位 (盖章)'): 项目基本情况, 预算执行情况(10分) with five
  fund rows and their own 预算执行率, '/' in 权重/得分 of the sub-rows, the standard 原因 note typed once and
  merged down the fund rows.
- 年初预算 is 0.00 and 调整后预算数 3.36 (the whole project was added during the year).
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 12, "C": 14, "D": 22, "E": 10, "F": 10, "G": 10, "H": 10, "I": 8, "J": 8, "K": 30}

N = None
F2 = "0.00"
ROWS = [
    ["部门预算项目支出绩效自评表(2023年度)", N, N, N, N, N, N, N, N, N, N],  # 1
    ["项目名称", "51092324T000010263357-2023年全县安可替代补助资金项目", N, N, N, N, N, N, N, N, N],  # 2
    ["主管部门", "大英县司法局部门", N, N, N, "实施单位", N, "大英县司法局", N, N, N],  # 3
    ["项目基本情况", "1.项目年度目标完成情况", "项目年度目标", N, N, N, "年度目标完成情况", N, N, N, N],  # 4
    [N, N, "根据要求购买安可设备,并完成项目资金支付。", N, N, N, "完成", N, N, N, N],  # 5
    [N, "2.项目实施内容及过程概述", "2023年购买13台安可电脑,并于12月前完成资金支付。", N, N, N, N, N, N, N, N],  # 6
    ["预算执行情况(10分)", "年度预算数(万元)", N, "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分",
     "原因", N],  # 7
    [N, "总额", N, num("0.00", F2), num("3.36", F2), num("3.36", F2), pct("100.00%"), 10, 10,
     "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),"
     "应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.", N],  # 8
    [N, "其中:财政资金", N, num("0.00", F2), num("3.36", F2), num("3.36", F2), pct("100.00%"), "/", "/", N, N],  # 9
    [N, "财政专户管理资金", N, num("0.00", F2), num("0.00", F2), num("0.00", F2), pct("0.00%"), "/", "/", N, N],  # 10
    [N, "单位资金", N, num("0.00", F2), num("0.00", F2), num("0.00", F2), pct("0.00%"), "/", "/", N, N],  # 11
    [N, "其他资金", N, N, N, N, N, "/", "/", N, N],  # 12
    ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
     "未完成原因分析"],  # 13
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:K1", "B2:K2", "B3:E3", "F3:G3", "H3:K3",
            "A4:A6", "B4:B5", "C4:F4", "G4:K4", "C5:F5", "G5:K5", "C6:K6",
            "A7:A12", "B7:C7", "J7:K7", "B8:C8", "B9:C9", "B10:C10", "B11:C11", "B12:C12", "J8:K12",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="51092324T000010263357-2023年全县安可替代补助资金项目",
    year=2023,
    money_unit="万元",
    budget=[
        ("总额", "0", "3.36", "3.36"),
        ("其中:财政资金", "0", "3.36", "3.36"),
        ("财政专户管理资金", "0", "0", "0"),
        ("单位资金", "0", "0", "0"),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("10.00"),
    hand_grade="差",
    provisional=0,
    profile="national-project",
    findings=[],
    quiet_rows=[],
    narrative=(
        "Header, goals and the budget block only: 3.36 of 3.36万元 spent (100%, 10 points as stated). The "
        "project had no 年初 budget (0.00): all of it was added during the year, and the form's 原因 cell holds "
        "only the template's note."
    ),
    truncated=True,
)
