"""上海市普陀区体育事业管理中心 财政项目支出绩效自评表(2022年度)（普陀体育中心与委托运营方结算费用）— 上海 普陀."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "https://pdf.chddh.cn/archives/48n5zg2zkkjxn27q6rjv.html"
PROVINCE = "上海市"
UNIT = "上海市普陀区体育事业管理中心"
KIND = "project"
YEAR = 2022
SPLIT = "holdout"

NOTES = """\
Typed from the stored text of a reposted PDF ('上海市普陀区体育事业管理中心2022年度项目自评价.pdf'), which
holds several 自评表 one per page; this module types the first one (page '-1-', 普陀体育中心与委托运营方
结算费用). The second form on the page (援滇对口支援及结对帮扶经费) is cut off after its budget block and is
not typed.
- The PDF text runs column-wise and out of order ('… 实施单位 其中:当年财政拨款 预期目标 年度 总体 目标
  86.19% 实际完成情况 …'); the grid is rebuilt on the national 财预〔2020〕10号 project template (9 columns:
  label | sub-label (merged over two columns) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分;
  indicator block 一级/二级/三级/年度指标值/实际完成值/分值/得分/偏差原因分析及改进措施), as the words and the
  numbers fit it. Column positions and merges are inferred.
- 年度资金总额 row: 250000.00 | 250000.00 | 215,457.6 | 10 | 86.19% | 8.62. The 全年执行数 shows with a thousands
  separator on this row only ('215,457.6'; the 其中 row shows '215457.6'): typed as the number 215457.6 with
  the format '#,##0.0'. 250000.00 is a number shown with two decimals. EXPECT.budget gives the amounts as
  numbers (the corpus convention: num("30.00", "0.00") is listed as "30"), not with the display format.
- 其中:当年财政拨款 shows the three amounts and one '—'; 上年结转资金 and 其他资金 each show '0 0 —': typed as
  年初 0 | 全年 0 | (blank) with '—' under 分值. Which cells hold the '—' and the blank is inferred.
- The stated 执行率 86.19% is a typed value (215457.6 ÷ 250000 = 86.18%), typed as the percent shown.
- 预期目标 shows no text in the PDF (only 实际完成情况 '已完成普陀体育中心与委托运营方费用结算。'): left blank.
- Comparators as published in ASCII: '=100%', '>=90%'. Completions '100%' are percents.
- Spaces the PDF extraction put between CJK and digits ('(2022 年度)') are not typed; the search tool folds
  full-width brackets to half-width ('(2022年度)', '项目资金(元)'); typed as given.
"""

W = {"A": 8, "B": 12, "C": 14, "D": 24, "E": 14, "F": 14, "G": 8, "H": 10, "I": 18}

N = None
ROWS = [
    ["财政项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 1
    ["(2022年度)", N, N, N, N, N, N, N, N],  # 2
    ["项目名称", "普陀体育中心与委托运营方结算费用", N, N, N, N, N, N, N],  # 3
    ["主管部门", "上海市普陀区体育局", N, N, "实施单位", "上海市普陀区体育事业管理中心", N, N, N],  # 4
    ["项目资金\n(元)", N, N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],  # 5
    [N, "年度资金总额", N, num("250000.00", "0.00"), num("250000.00", "0.00"), num("215457.6", "#,##0.0"),
     10, pct("86.19%"), num("8.62", "0.00")],  # 6
    [N, "其中:当年财政拨款", N, num("250000.00", "0.00"), num("250000.00", "0.00"), num("215457.6", "0.0"),
     "—", N, N],  # 7
    [N, "上年结转资金", N, 0, 0, N, "—", N, N],  # 8
    [N, "其他资金", N, 0, 0, N, "—", N, N],  # 9
    ["年度\n总体\n目标", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 10
    [N, N, N, N, N, "已完成普陀体育中心与委托运营方费用结算。", N, N, N],  # 11
    ["绩\n效\n指\n标", "一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分",
     "偏差原因分析及\n改进措施"],  # 12
    [N, "产出指标", "数量指标", "与委托运营方结算完成率", "=100%", pct("100%"), 10, 10, N],  # 13
    [N, N, "质量指标", "合同结算条款完成率", "=100%", pct("100%"), 20, 20, N],  # 14
    [N, N, "时效指标", "费用结算及时性", "及时", "及时", 20, 20, N],  # 15
    [N, "效益指标", "社会效益指标", "与委托运营方合同完成率", "=100%", pct("100%"), 30, 30, N],  # 16
    [N, "满意度指标", "服务对象满意度指标", "场馆开放满意度", ">=90%", pct("100%"), 10, 10, N],  # 17
    ["总分", N, N, N, N, N, 100, num("98.62", "0.00"), N],  # 18
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "B3:I3", "B4:D4", "F4:I4",
            "A5:A9", "B5:C5", "B6:C6", "B7:C7", "B8:C8", "B9:C9",
            "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11",
            "A12:A17", "B13:B15", "A18:F18",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="普陀体育中心与委托运营方结算费用",
    year=2022,
    money_unit="元",
    budget=[
        ("年度资金总额", "250000", "250000", "215457.6"),
        ("其中:当年财政拨款", "250000", "250000", "215457.6"),
        ("上年结转资金", "0", "0", ""),
        ("其他资金", "0", "0", ""),
    ],
    execution_rate=D("0.8618"),
    execution_weight=D("10"),
    execution_score=D("8.62"),
    indicators=[
        Ind(13, "产出指标", "数量指标", "与委托运营方结算完成率", "=100%", "100%", "10", "10", D("10"),
            "=100%, completion 100% met → 10"),
        Ind(14, "产出指标", "质量指标", "合同结算条款完成率", "=100%", "100%", "20", "20", D("20"),
            "=100%, completion 100% met → 20"),
        Ind(15, "产出指标", "时效指标", "费用结算及时性", "及时", "及时", "20", "20", D("20"),
            "qualitative '及时' answered with the target's own word '及时' → met → 20"),
        Ind(16, "效益指标", "社会效益指标", "与委托运营方合同完成率", "=100%", "100%", "30", "30", D("30"),
            "=100%, completion 100% met → 30"),
        Ind(17, "满意度指标", "服务对象满意度指标", "场馆开放满意度", ">=90%", "100%", "10", "10", D("10"),
            ">=90%, completion 100% met → 10 (11.1% beyond, below the over-achievement threshold)"),
    ],
    dropped_placeholders=0,
    stated_total=D("98.62"),
    hand_total=D("98.62"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE101", "H6"),  # stated 86.19%; 215457.6 / 250000 = 86.18% (not display rounding)
    ],
    quiet_rows=[13, 14, 15, 16, 17, 18],
    narrative=(
        "A clean form: 215457.6 of 250000元 spent (86.18%), execution score 8.62 as stated; the five indicators "
        "(产出 50, 效益 30, 满意度 10) are all met and take full marks, total 98.62 as stated. The only slip is the "
        "stated 执行率 86.19%, one hundredth of a percent above the quotient (the score 8.62 is right either way)."
    ),
)
