"""永州市零陵区疾病预防控制中心 部门整体支出绩效自评表(2021年度) — 湖南 永州. Cut off inside the goals."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, pct

SOURCE = "https://m.yzwku.com/doc/292440.html"
PROVINCE = "湖南省"
UNIT = "永州市零陵区疾病预防控制中心"
KIND = "department"
YEAR = 2021
SPLIT = "holdout"

NOTES = """\
Typed from a document-sharing repost ('部门整体支出绩效自评表(4).docx … 请在优知文库上搜索', not typed) that shows
the .docx as running text with no separators between cells, cut into numbered chunks ('1、', '2、') by the
site.
- CUT OFF: the stored copy ends inside the 预期目标 cell ('…4:进一步减少结核病感染'); the goal row is cut in
  the middle and is left out. The sheet ends with the goal header row (row 11); no indicators are shown.
- Layout is the Hunan 部门整体 template of hunan-linglinglinye (another 零陵区 unit, same year): '区级预算单位名称';
  '年度预算申请(万元)' with 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分; a 年度资金总额 row; then
  按收入性质分 / 按支出性质分 in two half-width columns. Unlike 林业局 this unit writes the amounts right after
  the labels with no unit ('按收入性质分:2456.18', '其中:基本支出:2299.98', '项目支出:156.2'); they are typed
  inside the label cells, as in hunan-linglinglinye (whether they are separate cells is not visible in the
  run-together text).
- The run '年度资金总额2456.182456.182456.1810100%10' is read as 2456.18 | 2456.18 | 2456.18 | 10 | 100% | 10
  (every amount has two decimals); typed as numbers (no 万元 in the cells). 2299.98 + 156.2 = 2456.18.
- The goal text (not typed) writes '≥90%' as '290%' and '≥80%' as '280%' — the repost's rendering of '≥'.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 12, "C": 14, "D": 14, "E": 14, "F": 8, "G": 8, "H": 8}

N = None
ROWS = [
    ["部门整体支出绩效自评表", N, N, N, N, N, N, N],  # 1
    ["(2021年度)", N, N, N, N, N, N, N],  # 2
    ["区级预算单位名称", N, "永州市零陵区疾病预防控制中心", N, N, N, N, N],  # 3
    ["年度预算申请\n(万元)", N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],  # 4
    [N, "年度资金总额", 2456.18, 2456.18, 2456.18, 10, pct("100%"), 10],  # 5
    [N, "按收入性质分:2456.18", N, N, "按支出性质分:2456.18", N, N, N],  # 6
    [N, "其中:一般公共预算:2456.18", N, N, "其中:基本支出:2299.98", N, N, N],  # 7
    [N, "政府性基金拨款:", N, N, "项目支出:156.2", N, N, N],  # 8
    [N, "纳入专户管理的非税收入拨款:", N, N, N, N, N, N],  # 9
    [N, "其他资金:", N, N, N, N, N, N],  # 10
    ["年度总体目标", "预期目标", N, N, "实际完成情况", N, N, N],  # 11
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:H1", "A2:H2", "A3:B3", "C3:H3",
            "A4:A10", "B6:D6", "E6:H6", "B7:D7", "E7:H7", "B8:D8", "E8:H8", "B9:D9", "E9:H9",
            "B10:D10", "E10:H10", "B11:D11", "E11:H11",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="department",
    name="永州市零陵区疾病预防控制中心",
    year=2021,
    money_unit="万元",
    budget=[
        ("年度资金总额", "2456.18", "2456.18", "2456.18"),
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
    profile="",
    findings=[],
    quiet_rows=[5],
    narrative=(
        "2456.18万元 budgeted and spent (100%), execution score 10 as stated; the 基本支出 / 项目支出 split "
        "(2299.98 + 156.2) adds up. The goals are cut off, so the hand total is the execution score alone."
    ),
    truncated=True,
)
