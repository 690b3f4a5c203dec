"""上饶市司法局 项目支出绩效自评表(2021年度)（司法业务经费）— 江西 上饶. Cut off inside the goals."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, pct

SOURCE = "https://keke.chddh.cn/archives/x687rvl9wx4pjo4jd93q.html"
PROVINCE = "江西省"
UNIT = "上饶市司法局"
KIND = "project"
YEAR = 2021
SPLIT = "holdout"

NOTES = """\
Typed from a repost of the unit's .xls ('2021年司法业务经费绩效自评表 -.xls'), shown as the text of the sheet
with cells separated by spaces and wrapped cell lines interleaved (the two goal cells are printed line by
line side by side, and the header cell '得分' is printed after the 其中 row because it is merged down).
- CUT OFF: the stored copy ends inside the 年度总体目标 row (both goal cells are cut in the middle, at
  '…为维护社会稳定,构建和谐社 / 势群体为突破口,…构建'); that row is left out. The sheet ends with the
  header row '年度总体目标 | 预期目标 | 实际完成情况' (row 11). No indicators are shown.
- Layout: the national project template ('附件1 项目支出绩效自评表 ( 2021 年度)'), with the 执行率 header
  written out as '执行率(全年 执行数/全年 预算数)' (line breaks, typed as such) and money typed with its unit
  inside the cells ('620.82万元').
- The 分值 cell of the 年度资金总额 row reads 100 (the template's 10), 执行率 100%, 得分 10. The 其中:当年财政拨款
  sub-row repeats '100 | 100% | 10'. Typed as published.
- '得分' is placed in the header row above the 得分 column (its printed position after the sub-row is the
  reader's, from the merged cell). 上年结转资金 and 其他资金 are empty. '其中:当年财政 拨款' has a line break.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 8, "B": 14, "C": 10, "D": 14, "E": 14, "F": 14, "G": 8, "H": 14, "I": 8}

N = None
ROWS = [
    ["附件1", N, N, N, N, N, N, N, N],  # 1
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 2
    ["( 2021 年度)", N, N, N, N, N, N, N, N],  # 3
    ["项目名称", "司法业务经费", N, N, N, N, N, N, N],  # 4
    ["主管部门", "上饶市司法局", N, N, "实施单位", "上饶市司法局", N, N, N],  # 5
    ["项目资金(万元)", N, N, "年初预算数", "全年预算数", "全年执行数", "分值",
     "执行率(全年\n执行数/全年\n预算数)", "得分"],  # 6
    [N, "年度资金总额:", N, "620.82万元", "620.82万元", "620.82万元", 100, pct("100%"), 10],  # 7
    [N, "其中:当年财政\n拨款", N, "620.82万元", "620.82万元", "620.82万元", 100, pct("100%"), 10],  # 8
    [N, "上年结转资金", N, N, N, N, N, N, N],  # 9
    [N, "其他资金", N, N, N, N, N, N, N],  # 10
    ["年度总体\n目标", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 11
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5",
            "A6:A10", "B6:C6", "B7:C7", "B8:C8", "B9:C9", "B10:C10",
            "B11:E11", "F11:I11",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="司法业务经费",
    year=2021,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "620.82万元", "620.82万元", "620.82万元"),
        ("其中:当年财政拨款", "620.82万元", "620.82万元", "620.82万元"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("100"),
    execution_score=D("100.00"),
    indicators=[],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("100.00"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE107", "G7"),  # 执行率 分值 typed 100, rule 10
        ("PE106", "I7"),  # stated 10; 100% × 100 (the typed 分值) = 100
    ],
    quiet_rows=[],
    narrative=(
        "620.82万元 budgeted and spent (100%). The execution row's 分值 was typed 100 instead of 10 while its 得分 "
        "is 10: by the rules the score is the rate times the typed 分值 (100% × 100 = 100), so the stated 10 fits "
        "the template but not the form as filled. The goals are cut off, so the hand total is the execution score "
        "alone and only meaningful as a check of the rules."
    ),
    truncated=True,
)
