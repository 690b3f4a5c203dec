"""财政金融部 2024年度部门整体支出绩效自评表 — 湖南 岳阳. Cut off after the budget block."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, num, pct

SOURCE = "https://www.yueyang.gov.cn/web/xxgkml/2577/5850/22893/content_2314070.html"
PROVINCE = "湖南省"
UNIT = "财政金融部"
KIND = "department"
YEAR = 2024
SPLIT = "holdout"

NOTES = """\
Typed from the page text (one cell per line, '|' separators) on the 岳阳市 government portal. The stored copy
starts inside the page's 部门整体支出绩效 basic-data table (财政供养人员情况 15 / 15 / 100%; 经费控制情况 with
三公经费 1 / 1 / 1, 项目支出 1505.3 / 1377.9 / 1369.3, 公用经费 20 / 20 / 20 …; 楼堂馆所控制情况 header): that
is a separate table and is not typed. The form is the '2024年度部门整体支出绩效自评表' after it.
- The unit is published only as '财政金融部' (预算部门名称); the body it is a part of (a 区/新区 administration
  on the 岳阳 portal) is not named in the stored text.
- CUT OFF: the stored copy ends inside the 预期目标 cell ('目标1、深化预算管理、预决算公开、债务管理改革,积极防范
  和化解政府债务; 目标2、按期完成财政评审; 目标3、有效强化金融风险管控,金'); the goal row is left out, and the
  indicator table is not in the text. The sheet ends with the 年度总体目标 header row (row 10). indicators=[];
  the hand total is the execution score alone.
- Layout is the Hunan department template (as in the 衡山 and 零陵 forms): '年度预 算申请 (万元)' | 年初预算数 |
  全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, a 年度资金总额 row, then 按收入性质分 / 按支出性质分 with the
  amounts written inside the label cells ('其中: 一般公共预算:1397.90', '其中:基本支出:20', '项目支出:1369.3').
  '按收入性质分:' and '按支出性质分:' carry no amount.
- 年度资金总额: 1397.90 | 1397.90 | 1389.3 | 10 | 99.3% | 10. Amounts shown with two decimals are numbers with a
  0.00 format; '1389.3' is a number shown as typed. 99.3% is an Excel percent with one decimal.
- 基本支出 20 + 项目支出 1369.3 = 1389.3, the 全年执行数 (not the 1397.90 budget): the split is of spending.
- Line breaks of the label cells ('年度预 算申请 (万元)', '年度总体 目标') are typed as line breaks. The search tool
  folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 14, "C": 14, "D": 12, "E": 14, "F": 8, "G": 8, "H": 10}

N = None
F2 = "0.00"
ROWS = [
    ["2024年度部门整体支出绩效自评表", N, N, N, N, N, N, N],  # 1
    ["预算部门名称", N, "财政金融部", N, N, N, N, N],  # 2
    ["年度预\n算申请\n(万元)", N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],  # 3
    [N, "年度资金总额", num("1397.90", F2), num("1397.90", F2), num("1389.3"), 10, pct("99.3%"), 10],  # 4
    [N, "按收入性质分:", N, N, "按支出性质分:", N, N, N],  # 5
    [N, "其中: 一般公共预算:1397.90", N, N, "其中:基本支出:20", N, N, N],  # 6
    [N, "政府性基金拨款:", N, N, "项目支出:1369.3", N, N, N],  # 7
    [N, "纳入专户管理的非税收入拨款:", N, N, N, N, N, N],  # 8
    [N, "其他资金:", N, N, N, N, N, N],  # 9
    ["年度总体\n目标", "预期目标", N, N, "实际完成情况", N, N, N],  # 10
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:H1", "A2:B2", "C2:H2",
            "A3:A9", "B5:D5", "E5:H5", "B6:D6", "E6:H6", "B7:D7", "E7:H7", "B8:D8", "E8:H8",
            "B9:D9", "E9:H9",
            "B10:D10", "E10:H10",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="department",
    name="财政金融部",
    year=2024,
    money_unit="万元",
    budget=[
        ("年度资金总额", "1397.9", "1397.9", "1389.3"),
    ],
    execution_rate=D("0.9938"),
    execution_weight=D("10"),
    execution_score=D("9.94"),
    indicators=[],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("9.94"),
    hand_grade="差",
    provisional=0,
    profile="",
    findings=[
        ("PE101", "G4"),  # stated 99.3%; 1389.3 / 1397.90 = 99.38% (typed to one decimal: 99.4%, not 99.3%)
        ("PE106", "H4"),  # stated 10; 0.9938 × 10 = 9.94
    ],
    quiet_rows=[5, 6, 7, 8, 9],  # the worded breakdown rows (info only), after the first measurement
    narrative=(
        "Only the budget block survives: 1389.3 of 1397.90万元 spent (99.38%), stated as 99.3% (truncated, not "
        "rounded) and scored a full 10 where the rule gives 9.94. The 按支出性质分 split (基本支出 20 + 项目支出 "
        "1369.3 = 1389.3) adds up to the spending, not to the budget."
    ),
    truncated=True,
)
