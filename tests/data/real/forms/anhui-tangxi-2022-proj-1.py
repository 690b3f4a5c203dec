"""池州市贵池区棠溪镇人民政府 项目支出绩效自评表(2022年度)（委托业务项目）— 安徽 池州. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet

SOURCE = "http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2"
PROVINCE = "安徽省"
UNIT = "池州市贵池区棠溪镇人民政府"
KIND = "project"
YEAR = 2022
SPLIT = "tune"

NOTES = """\
Typed from the stored text of a reposted attachment (an .xls/.doc shown as plain text: document
properties first — 'zlnb210061 … 2052-11.1.0.11691 … False False False' — then the cells separated by
single spaces, no cell markup). The properties are not part of the form and are not typed.
- CUT OFF: the stored copy ends inside the 满意度指标 row ('满意度指标(10分) 满意度指标 公众满'); that row is
  cut in the middle and is left out, so the sheet ends with the empty 经济效益指标 row (row 23). The 总分
  row and any notes are not in the text (stated_total=None).
- Layout is the Anhui 2022 project template (as 天长市水利局): 项目资金(万元) | 年初预算数 | 全年预算数 |
  全年执行数 | 分值 | 执行率 | 得分, then 年度总体目标 (预期目标 | 实际完成情况), then 绩效指标 with
  一级/二级/三级/年度指标值/实际完成值/分值/得分/偏差. Column positions and merges are inferred from the word
  order (9 columns, block labels merged down column A).
- The 年度资金总额 row is all zeros ('0 0 0 10 0 0': 年初/全年/执行 0, 分值 10, 执行率 0, 得分 0) while the
  其中:本年财政拨款 row holds 90 / 89.974 / 89.974; 上年结转资金 and 其他资金 are empty. The 执行率 0 is typed
  as the bare number shown.
- The first-level cells carry their weights ('产出指标(50分)', '效益指标(30分)'). The 效益 block lists
  社会/生态/可持续 first and then an empty '经济效益指标' row (no 三级指标), as the text has it.
- '≥100百分比' is typed as published (the unit word 百分比, not %). Completions '50', '100', '90' are bare
  numbers; the qualitative rows are answered with the 一体化 band name '达成预期指标'.
- The search tool folds full-width punctuation to half-width ('附件:', '年度资金总额:', '其中:本年财政拨款',
  '(50分)'); typed as given.
"""

W = {"A": 8, "B": 14, "C": 14, "D": 30, "E": 16, "F": 14, "G": 8, "H": 8, "I": 18}

N = None
ROWS = [
    ["附件:", N, N, N, N, N, N, N, N],  # 1
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 2
    ["(2022年度)", N, N, N, N, N, N, N, N],  # 3
    ["项目名称", "委托业务项目", N, N, N, N, N, N, N],  # 4
    ["主管部门", "219-池州市贵池区棠溪镇人民政府", N, N, "实施单位", "219001-池州市贵池区棠溪镇人民政府", N, N, N],  # 5
    ["项目资金\n(万元)", N, N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],  # 6
    [N, "年度资金总额:", N, 0, 0, 0, 10, 0, 0],  # 7
    [N, "其中:本年财政拨款", N, 90, 89.974, 89.974, N, N, N],  # 8
    [N, "上年结转资金", N, N, N, N, N, N, N],  # 9
    [N, "其他资金", N, N, N, N, N, N, N],  # 10
    ["年度总体目标", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 11
    [N, "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
        "30万元用于基建工程项目设计、规划、测绘。", N, N, N,
     "本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
     "29.99万元用于基建工程项目设计、规划、测绘。", N, N, N],  # 12
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],  # 13
    [N, "产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", 50, 8, 8, N],  # 14
    [N, N, "质量指标", "委托业务报告合格率", "≥100百分比", 100, 8, 8, N],  # 15
    [N, N, N, "经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8, 8, N],  # 16
    [N, N, "时效指标", "提交报告及时性", "在项目计划完成时间内完成", "达成预期指标", 8, 8, N],  # 17
    [N, N, "成本指标", "项目总成本", "≤90万元", 90, 8, 8, N],  # 18
    [N, N, N, "单项业务成本", "符合相关规定", "达成预期指标", 10, 10, N],  # 19
    [N, "效益指标(30分)", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显", "达成预期指标", 10, 10, N],  # 20
    [N, N, "生态效益指标", "对控制基建项目成本影响程度", "效果明显", "达成预期指标", 10, 10, N],  # 21
    [N, N, "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显", "达成预期指标", 10, 10, N],  # 22
    [N, N, "经济效益指标", N, N, N, N, N, N],  # 23
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5",
            "A6:A10", "B6:C6", "B7:C7", "B8:C8", "B9:C9", "B10:C10",
            "A11:A12", "B11:E11", "F11:I11", "B12:E12", "F12:I12",
            "A13:A23", "B14:B19", "C15:C16", "C18:C19", "B20:B23",
        ],
        widths=W,
    )
]

_band = "qualitative, answered with the band name '达成预期指标' (band 1); stated {s} lies in its range → {s}"

EXPECT = Expect(
    kind="project",
    name="委托业务项目",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "0", "0", "0"),
        ("其中:本年财政拨款", "90", "89.974", "89.974"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(14, "产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", "50", "8", "8", D("8"),
            "≥50个, completion 50 (no unit → 个) met → 8"),
        Ind(15, "产出指标(50分)", "质量指标", "委托业务报告合格率", "≥100百分比", "100", "8", "8", D("8"),
            "≥100百分比 (百分比 = %), completion 100 met → 8"),
        Ind(16, "产出指标(50分)", "质量指标", "经费支出合规性", "严格执行相关制度规定", "达成预期指标", "8", "8",
            D("8"), _band.format(s=8)),
        Ind(17, "产出指标(50分)", "时效指标", "提交报告及时性", "在项目计划完成时间内完成", "达成预期指标", "8", "8",
            D("8"), "target in words (no date) → qualitative; " + _band.format(s=8)),
        Ind(18, "产出指标(50分)", "成本指标", "项目总成本", "≤90万元", "90", "8", "8", D("8"),
            "reverse ≤90万元, completion 90 (→ 万元) met → 8"),
        Ind(19, "产出指标(50分)", "成本指标", "单项业务成本", "符合相关规定", "达成预期指标", "10", "10", D("10"),
            _band.format(s=10)),
        Ind(20, "效益指标(30分)", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显", "达成预期指标", "10",
            "10", D("10"), _band.format(s=10)),
        Ind(21, "效益指标(30分)", "生态效益指标", "对控制基建项目成本影响程度", "效果明显", "达成预期指标", "10",
            "10", D("10"), _band.format(s=10)),
        Ind(22, "效益指标(30分)", "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显",
            "达成预期指标", "10", "10", D("10"), _band.format(s=10)),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("90.00"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE104", "D7"),  # 年初: 其中 90 vs 年度资金总额 0
        ("PE104", "E7"),  # 全年: 89.974 vs 0
        ("PE104", "F7"),  # 执行: 89.974 vs 0
        ("PE106", "I7"),  # 执行率得分 0; on the fund row 89.974 / 89.974 = 100% → 10
    ],
    quiet_rows=[14, 15, 16, 17, 18, 19, 20, 21, 22],
    narrative=(
        "The 年度资金总额 row was left at 0 / 0 / 0 with 执行率 0 and 得分 0, while the 本年财政拨款 row holds "
        "90 / 89.974 / 89.974: the rate is taken on the fund row (100%) and the execution score is 10, not 0. "
        "Every indicator shown is met or answered '达成预期指标'. Truncated inside the 满意度 block: the hand total "
        "90.00 covers the execution score, 产出 (50) and 效益 (30) only."
    ),
    truncated=True,
)
