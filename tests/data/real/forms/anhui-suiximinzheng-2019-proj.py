"""濉溪县民政局 绩效目标自评表(2019年度)（临时救助）— 安徽 淮北. Cut off inside the 满意度 row."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://www.sxx.gov.cn/zwgk/public/811/56426371.html"
PROVINCE = "安徽省"
UNIT = "濉溪县民政局"
KIND = "project"
YEAR = 2019
SPLIT = "holdout"

NOTES = """\
Typed from the page text (an HTML table flattened one cell per line, '|' between cells); the page title
'(临时救助)绩效目标自评表' is not typed.
- CUT OFF: the stored copy ends inside the 满意度 row ('★受助对象满意度(≥**%) | 10 | >=9'); that row is left
  out. The sheet ends with the 效益指标(30分) row (row 19); no 总分 row is shown.
- Layout is the 2019 扶贫/转移支付 '绩效目标自评表' (as sichuan-zhongjiang, but from Anhui): a one-cell title
  '绩效目标自评表 (2019年度)'; 项目名称 and 主管部门 only (no 实施单位); '资金情况(万元)' with 全年预算数(A) |
  全年执行数(B) | 分值 | 执行率(B/A) | 得分 and no 年初预算数; the sub-row 其中:本年财政拨款 repeats 10 | 100% |
  10; 年初设定目标 | 年度总体目标完成情况综述; the indicator header has an EMPTY first cell (no '绩效指标'
  label in the text) and puts 分值 before 年度指标值; the completion column is 全年实际值.
- 三级指标 names keep the template's stars and value hints ('★★★农村低保发放人数(按月平均)(≥**人)',
  '扶贫临时救助标准(<**元/户·年)——一户年最高5300元'). Targets use ASCII comparators ('>=21933人',
  '<=5300元/户'); completions carry their units ('21980人', '583元/人*月'). All typed as published.
- Column positions of the budget block (label in B, amounts from C) are inferred; the block label and
  the goal/indicator labels are merged down column A.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 14, "C": 14, "D": 44, "E": 8, "F": 16, "G": 14, "H": 8, "I": 20}

N = None
ROWS = [
    ["绩效目标自评表\n(2019年度)", N, N, N, N, N, N, N, N],  # 1
    ["项目名称", "临时救助", N, N, N, N, N, N, N],  # 2
    ["主管部门", "[155]濉溪县民政局", N, N, N, N, N, N, N],  # 3
    ["资金情况(万元)", N, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分", N, N],  # 4
    [N, "年度资金总额:", 30, 30, 10, pct("100%"), 10, N, N],  # 5
    [N, "其中:本年财政拨款", 30, 30, 10, pct("100%"), 10, N, N],  # 6
    [N, "其他资金", N, N, N, N, N, N, N],  # 7
    ["年度总体目标", "年初设定目标", N, N, "年度总体目标完成情况综述", N, N, N, N],  # 8
    [N, "为建档立卡扶贫户解决临时性的困难", N, N,
     "全年救助建档立卡扶贫户临时救助87人次,救助资金30万元,完成目标任务。", N, N, N, N],  # 9
    [N, "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
     "未完成原因及拟采取的改进措施"],  # 10
    [N, "产出指标(50分)", "数量指标", "★★★农村低保发放人数(按月平均)(≥**人)", 5, ">=21933人", "21980人", 5, N],  # 11
    [N, N, N, "★★★其中:农村低保对象中建档立卡贫困人口数量(按月平均)(≥**人)", 5, ">=9431人", "9453人", 5, N],  # 12
    [N, N, N, "★★★建档立卡贫困人口中接受临时救助的人次数(≥**人次)", 5, ">=59人次", "87人次", 5, N],  # 13
    [N, N, N, "★★★特困人员救助供养人数(按月平均)(≥**人)", 5, ">=4754人", "4604人", 5, "特困人员实行动态管理"],  # 14
    [N, N, N, "扶贫临时救助人数(按月平均)(≥**人)", 10, ">=7人", "7人", 10, N],  # 15
    [N, N, "质量指标", "★农村低保标准(≥**元/人·月)", 5, ">=530元/人*月", "583元/人*月", 5, N],  # 16
    [N, N, N, "农村特困人员救助供养基本生活标准(≥**元/人·月)", 5, ">=570元/人*月", "758元/人*月", 5, N],  # 17
    [N, N, N, "扶贫临时救助标准(<**元/户·年)——一户年最高5300元", 10, "<=5300元/户", "5830元/户", 10, N],  # 18
    [N, "效益指标(30分)", "社会效益指标", "★★★受益建档立卡贫困人口数≥**人", 30, ">=80人", "87人", 30, N],  # 19
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "B2:I2", "B3:I3",
            "A4:A7", "G4:I4", "G5:I5", "G6:I6", "G7:I7",
            "A8:A9", "B8:D8", "E8:I8", "B9:D9", "E9:I9",
            "A10:A19", "B11:B18", "C11:C15", "C16:C18",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="临时救助",
    year=2019,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "", "30", "30"),
        ("其中:本年财政拨款", "", "30", "30"),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(11, "产出指标(50分)", "数量指标", "★★★农村低保发放人数(按月平均)(≥**人)", ">=21933人", "21980人", "5", "5",
            D("5"), ">=21933人 done 21980人 → met → 5"),
        Ind(12, "产出指标(50分)", "数量指标", "★★★其中:农村低保对象中建档立卡贫困人口数量(按月平均)(≥**人)", ">=9431人",
            "9453人", "5", "5", D("5"), "met → 5"),
        Ind(13, "产出指标(50分)", "数量指标", "★★★建档立卡贫困人口中接受临时救助的人次数(≥**人次)", ">=59人次", "87人次",
            "5", "5", D("5"), "met → 5; 87 is 47.46% beyond 59 with no reason (PE405)"),
        Ind(14, "产出指标(50分)", "数量指标", "★★★特困人员救助供养人数(按月平均)(≥**人)", ">=4754人", "4604人", "5", "5",
            D("4.84"), "positive, missed: 4604 / 4754 × 5 = 4.8422 → 4.84; stated full 5 (PE402), a reason is given"),
        Ind(15, "产出指标(50分)", "数量指标", "扶贫临时救助人数(按月平均)(≥**人)", ">=7人", "7人", "10", "10", D("10"),
            "met → 10"),
        Ind(16, "产出指标(50分)", "质量指标", "★农村低保标准(≥**元/人·月)", ">=530元/人*月", "583元/人*月", "5", "5",
            D("5"), "met → 5"),
        Ind(17, "产出指标(50分)", "质量指标", "农村特困人员救助供养基本生活标准(≥**元/人·月)", ">=570元/人*月",
            "758元/人*月", "5", "5", D("5"), "met → 5; 758 is 32.98% beyond 570 with no reason (PE405)"),
        Ind(18, "产出指标(50分)", "质量指标", "扶贫临时救助标准(<**元/户·年)——一户年最高5300元", "<=5300元/户",
            "5830元/户", "10", "10", D("9.09"),
            "reverse (<=), missed: 5300 / 5830 × 10 = 9.0909 → 9.09; stated full 10 (PE402) and no reason (PE403)"),
        Ind(19, "效益指标(30分)", "社会效益指标", "★★★受益建档立卡贫困人口数≥**人", ">=80人", "87人", "30", "30", D("30"),
            "met → 30"),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("88.93"),
    hand_grade="良",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE405", "I13"),  # 87 vs >=59: 47.46% beyond, no reason
        ("PE402", "H14"),  # 4604 < 4754, full marks (reason given, so no PE403)
        ("PE405", "I17"),  # 758 vs >=570: 32.98% beyond, no reason
        ("PE402", "H18"),  # 5830 over the <=5300 ceiling, full marks
        ("PE403", "I18"),  # … and no reason
    ],
    quiet_rows=[11, 12, 15, 16, 19],
    narrative=(
        "30万元 budgeted and spent. Two targets were missed and still given full marks: the 特困 headcount "
        "(4604 of ≥4754, with a reason) and the per-household relief standard, which exceeded its own ceiling "
        "(5830元 against ≤5300元) with no reason. Two others were beaten by more than 30% unexplained. "
        "Truncated inside the 满意度 row: the hand total 88.93 covers execution (10), 产出 (48.93) and 效益 (30)."
    ),
    truncated=True,
)
