"""零陵区林业局 部门整体支出绩效自评表(2021年度) — 湖南 永州. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "http://admin.yzcity.gov.cn:8888/llqlinyj/gknb/202204/cd04d310d5364b2f9983a7843fb6a17d.shtml"
PROVINCE = "湖南省"
UNIT = "零陵区林业局"
KIND = "department"
YEAR = 2021
SPLIT = "tune"

NOTES = """\
Typed from the page text (one cell per line, cell line breaks shown as blank lines); the page header
(索引号 431102009/2022-00132, '2021年林业局部门整体支出绩效自评表') is not typed.
- CUT OFF: the stored copy ends at '生态' (the 生态效益指标 row); that row is left out, as are 可持续影响,
  满意度 and the total. The sheet ends with the '……' row under 社会效益指标 (row 26).
- The stored text has lost the first character of several cells: '2021年度)' (no '('), '级预算单位名称'
  (一级…), ' 陵区林业局' (零陵…), '30分)' in the 效益 label, '育补助' (抚育补助?). Typed exactly as stored
  (the leading space of ' 陵区林业局' is dropped).
- Layout is the Hunan department template: '年度预算申请(万元)' block with 年初预算数 | 全年预算数 | 全年执行数 |
  分值 | 执行率 | 得分, a '年度资金总额' row, then 按收入性质分 / 按支出性质分 in two half-width columns with the
  amounts written inside the label cells ('其中: 一般公共预算:1873.66万元'); 年度总体目标 (预期目标 |
  实际完成情况); the indicator header starts directly with 一级指标 (no '绩效指标' cell). The block label's
  own column (A) and an empty label column (B) under the budget header are inferred.
- Money is typed with its unit inside the cell ('4753.66万元'); 执行率 is stated 100% and 得分 10 although
  3824.26 ÷ 4753.66 = 80.45%.
- First-level structure (department form on the project first levels): 产出指标(50) / 效益指标(30分) /
  (满意度, not shown) + 执行率 10 → profile "".
- EXPECT.budget lists only the 年度资金总额 row: the 按收入性质分 / 按支出性质分 rows carry their amounts
  inside the label text, not in the amount columns, so they are not fund rows.
- '……' rows are template placeholders. Targets such as '1.2万亩', '每亩300', '显著' are text.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 12, "C": 18, "D": 14, "E": 14, "F": 8, "G": 8, "H": 16}

N = None
ROWS = [
    ["部门整体支出绩效自评表", N, N, N, N, N, N, N],  # 1
    ["2021年度)", N, N, N, N, N, N, N],  # 2
    ["级预算单位名称", N, "陵区林业局", N, N, N, N, N],  # 3
    ["年度预算申请\n(万元)", N, "年初\n预算数", "全年预算数", "全年\n执行数", "分值", "执行率", "得分"],  # 4
    [N, "年度资金总额", "4753.66万元", "4753.66万元", "3824.26万元", 10, pct("100%"), 10],  # 5
    [N, "按收入性质分:", N, N, "按支出性质分:", N, N, N],  # 6
    [N, "其中: 一般公共预算:1873.66万元", N, N, "其中:基本支出:1768.16万元", N, N, N],  # 7
    [N, "政府性基金拨款:", N, N, "项目支出:2985.5万元", N, N, N],  # 8
    [N, "纳入专户管理的非税收入拨款:", N, N, N, N, N, N],  # 9
    [N, "其他资金:2880万元", N, N, N, N, N, N],  # 10
    ["年度总体目标", "预期目标", N, N, "实际完成情况", N, N, N],  # 11
    [N, "目标1:造林1.2万亩,\n目标2森林经营16.3万亩\n目标3:病虫害防治3.45万亩", N, N,
     "目标1:造林1.2万亩,\n目标2森林经营16.3万亩\n目标3:病虫害防治3.45万亩", N, N, N],  # 12
    ["一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因\n分析及\n改进措施"],  # 13
    ["产出指标\n(50)", "数量\n指标", "造林面积", "1.2万亩", "1.2万亩", 10, 10, N],  # 14
    [N, N, "病虫害防治面积", "3.45万亩", "3.45万亩", 7, 7, N],  # 15
    [N, N, "森林经营面积", "16.3万亩", "16.3万亩", 7, 7, N],  # 16
    [N, "质量\n指标", "造林成活率", pct("85%"), pct("85%"), 7, 7, N],  # 17
    [N, N, "……", N, N, N, N, N],  # 18
    [N, "时效\n指标", "当期完成", pct("90%"), pct("100%"), 7, 7, N],  # 19
    [N, N, "……", N, N, N, N, N],  # 20
    [N, "成本\n指标", "造林补助", "每亩300", "每亩300", 6, 6, N],  # 21
    [N, N, "育补助", "每亩100", "每亩100", 6, 6, N],  # 22
    ["效益指标\n30分)", "经济效\n益指标", "木材销售收入", "1100万元", "1093万元", 6, 5, N],  # 23
    [N, N, "林产品收入", "2.6亿元", "2.45亿元", 6, 5, N],  # 24
    [N, "社会效\n益指标", "提高就业率", "显著", "显著", 6, 6, N],  # 25
    [N, N, "……", N, N, N, N, N],  # 26
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:H1", "A2:H2", "A3:B3", "C3:H3",
            "A4:A10", "B6:D6", "E6:H6", "B7:D7", "E7:H7", "B8:D8", "E8:H8", "B9:D9", "E9:H9",
            "B10:D10", "E10:H10",
            "A11:A12", "B11:D11", "E11:H11", "B12:D12", "E12:H12",
            "A14:A22", "B14:B16", "B17:B18", "B19:B20", "B21:B22", "A23:A26", "B23:B24", "B25:B26",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="department",
    name="陵区林业局",
    year=2021,
    money_unit="万元",
    budget=[
        ("年度资金总额", "4753.66万元", "4753.66万元", "3824.26万元"),
    ],
    execution_rate=D("0.8045"),
    execution_weight=D("10"),
    execution_score=D("8.05"),
    indicators=[
        Ind(14, "产出指标(50)", "数量指标", "造林面积", "1.2万亩", "1.2万亩", "10", "10", D("10"),
            "1.2万亩 (no comparator) done 1.2万亩 → met → 10"),
        Ind(15, "产出指标(50)", "数量指标", "病虫害防治面积", "3.45万亩", "3.45万亩", "7", "7", D("7"), "met → 7"),
        Ind(16, "产出指标(50)", "数量指标", "森林经营面积", "16.3万亩", "16.3万亩", "7", "7", D("7"), "met → 7"),
        Ind(17, "产出指标(50)", "质量指标", "造林成活率", "85%", "85%", "7", "7", D("7"), "85% done 85% → met → 7"),
        Ind(19, "产出指标(50)", "时效指标", "当期完成", "90%", "100%", "7", "7", D("7"),
            "90% (read as ≥) done 100% → met → 7 (11.1% beyond)"),
        Ind(21, "产出指标(50)", "成本指标", "造林补助", "每亩300", "每亩300", "6", "6", D("6"),
            "每亩300 (a number in words; = / ≤ alike) done 每亩300 → met → 6"),
        Ind(22, "产出指标(50)", "成本指标", "育补助", "每亩100", "每亩100", "6", "6", D("6"), "met → 6"),
        Ind(23, "效益指标30分)", "经济效益指标", "木材销售收入", "1100万元", "1093万元", "6", "5", D("5.96"),
            "positive, missed: 1093 / 1100 × 6 = 5.9618 → 5.96; stated 5, no reason"),
        Ind(24, "效益指标30分)", "经济效益指标", "林产品收入", "2.6亿元", "2.45亿元", "6", "5", D("5.65"),
            "positive, missed: 2.45 / 2.6 × 6 = 5.6538 → 5.65; stated 5, no reason"),
        Ind(25, "效益指标30分)", "社会效益指标", "提高就业率", "显著", "显著", "6", "6", D("6"),
            "qualitative, answered with the target's own word '显著' → met → 6"),
    ],
    dropped_placeholders=3,
    stated_total=None,
    hand_total=D("75.66"),
    hand_grade="中",
    provisional=0,
    profile="",
    findings=[
        ("PE101", "G5"),  # stated 100%; 3824.26 / 4753.66 = 80.45%
        ("PE106", "H5"),  # stated 10; 0.8045 × 10 = 8.05
        ("PE505", "E12"),  # 实际完成情况 copies 预期目标
        ("PE401", "G23"), ("PE403", "H23"),  # 木材销售收入: rule 5.96, stated 5, no reason
        ("PE401", "G24"), ("PE403", "H24"),  # 林产品收入: rule 5.65, stated 5, no reason
    ],
    quiet_rows=[14, 15, 16, 17, 19, 21, 22, 25],
    narrative=(
        "The unit spent 3824.26 of 4753.66万元 (80.45%) but stated 执行率 100% and full execution marks. Two "
        "revenue targets were missed by a little and marked down to 5 (the rule gives 5.96 and 5.65); the "
        "goals are copied word for word. Truncated inside the 效益 block: the hand total 75.66 covers "
        "execution (8.05), 产出 (50) and the 效益 rows shown (17.61)."
    ),
    truncated=True,
)
