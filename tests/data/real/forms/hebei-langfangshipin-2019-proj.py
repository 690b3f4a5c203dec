"""廊坊市食品工程学校 项目支出绩效自评表(2019年度)（办公宿舍楼、食堂及餐厅暖通改造经费）— 河北 廊坊."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "http://www.lfsp.cn/newsinfo/1158053.html"
PROVINCE = "河北省"
UNIT = "廊坊市食品工程学校"
KIND = "project"
YEAR = 2019
SPLIT = "tune"  # held out for the first generalisation measurement, looked at afterwards

NOTES = """\
Typed from the page text (one cell per line). The search tool's excerpt of this page ENDS after the
'指标2' row under 学生满意度: the form's last '……' row, its 总分 row and any notes are not in the text,
so they are not typed and the stated total is unknown (stated_total=None). Every indicator row with
content is in the text.
- Layout is the 2019 national project template with its placeholders kept: names are typed into the
  '指标1'/'指标2' cells ('指标1工程资金金额'), unused '指标2' and '……' rows are left empty.
- The 效益指标 first-level label appears twice (once over 经济/社会/生态, again over 可持续影响指标), as the
  published text shows; typed as two merged cells.
- No '绩效指标' label is in the text before the indicator header (an empty merged cell is assumed in
  column A). The subtitle reads '2019年度)' (no opening bracket) in the text; typed so.
- 年度总体目标: 预期目标 '43.2', 实际完成情况 '37.24' — the clerk typed the amounts; typed as numbers.
- The 偏差原因 column holds '0' on three full-mark rows (安全率, 学校发展能力, 学生满意度); typed as 0.
- 执行率 '86%' typed as an Excel percent. Targets/completions '100' are bare numbers (no unit).
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 6, "B": 10, "C": 12, "D": 24, "E": 10, "F": 10, "G": 8, "H": 8, "I": 30}

N = None
ROWS = [
    ["附件1", N, N, N, N, N, N, N, N],  # 1
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 2
    ["2019年度)", N, N, N, N, N, N, N, N],  # 3
    ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费", N, N, N, N, N, N, N],  # 4
    ["主管部门", "廊坊市发改委", N, N, "实施单位", "廊坊市食品工程学校", N, N, N],  # 5
    ["项目资金\n(万元)", N, N, "年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率", "得分"],  # 6
    [N, "年度资金总额", N, num("43.2"), num("43.2"), num("37.24"), 10, pct("86%"), 9],  # 7
    [N, "其中:当年财政拨款", N, num("43.2"), num("43.2"), num("37.24"), N, N, N],  # 8
    [N, "上年结转资金", N, N, N, N, N, N, N],  # 9
    [N, "其他资金", N, N, N, N, N, N, N],  # 10
    ["年度总体目标", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 11
    [N, num("43.2"), N, N, N, num("37.24"), N, N, N],  # 12
    [N, "一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析及改进措施"],  # 13
    [N, "产出指标", "数量指标", "指标1工程资金金额", num("43.2"), num("37.24"), 10, 9,
     "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。"],  # 14
    [N, N, N, "指标2", N, N, N, N, N],  # 15
    [N, N, N, "……", N, N, N, N, N],  # 16
    [N, N, "质量指标", "指标1工程完工率", 100, 100, 10, 10, N],  # 17
    [N, N, N, "指标2工程验收合格率", 100, 100, 10, 10, N],  # 18
    [N, N, N, "……", N, N, N, N, N],  # 19
    [N, N, "时效指标", "指标1项目完成及时率", 100, 100, 10, 10, N],  # 20
    [N, N, N, "指标2", N, N, N, N, N],  # 21
    [N, N, N, "……", N, N, N, N, N],  # 22
    [N, N, "成本指标", "指标1成本控制率", 100, 100, 10, 10, N],  # 23
    [N, N, N, "指标2", N, N, N, N, N],  # 24
    [N, N, N, "……", N, N, N, N, N],  # 25
    [N, "效益指标", "经济效益\n指标", "指标1安全率", 100, 100, 10, 10, 0],  # 26
    [N, N, N, "指标2", N, N, N, N, N],  # 27
    [N, N, N, "……", N, N, N, N, N],  # 28
    [N, N, "社会效益\n指标", "指标1学校发展能力", 100, 100, 10, 10, 0],  # 29
    [N, N, N, "指标2", N, N, N, N, N],  # 30
    [N, N, N, "……", N, N, N, N, N],  # 31
    [N, N, "生态效益\n指标", "指标1", N, N, N, N, N],  # 32
    [N, N, N, "指标2", N, N, N, N, N],  # 33
    [N, N, N, "……", N, N, N, N, N],  # 34
    [N, "效益指标", "可持续影响\n指标", "指标1长期使用性", 100, 100, 10, 10, N],  # 35
    [N, N, N, "指标2", N, N, N, N, N],  # 36
    [N, N, N, "……", N, N, N, N, N],  # 37
    [N, "满意度\n指标", "服务对象满意度指标", "指标1学生满意度", 100, 100, 10, 10, 0],  # 38
    [N, N, N, "指标2", N, N, N, N, N],  # 39
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5",
            "A6:A10", "B6:C6", "B7:C7", "B8:C8", "B9:C9", "B10:C10",
            "A11:A12", "B11:E11", "F11:I11", "B12:E12", "F12:I12",
            "A13:A39", "B14:B25", "C14:C16", "C17:C19", "C20:C22", "C23:C25",
            "B26:B34", "C26:C28", "C29:C31", "C32:C34", "B35:B37", "C35:C37", "B38:B39", "C38:C39",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="办公宿舍楼、食堂及餐厅暖通改造经费",
    year=2019,
    money_unit="万元",
    budget=[
        ("年度资金总额", "43.2", "43.2", "37.24"),
        ("其中:当年财政拨款", "43.2", "43.2", "37.24"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("0.8620"),
    execution_weight=D("10"),
    execution_score=D("8.62"),
    indicators=[
        Ind(14, "产出指标", "数量指标", "指标1工程资金金额", "43.2", "37.24", "10", "9", D("8.62"),
            "target 43.2 (no comparator/unit; '=' or positive both give done ÷ target) missed: "
            "37.24 / 43.2 × 10 = 8.620… → 8.62; stated 9 (reason given)"),
        Ind(17, "产出指标", "质量指标", "指标1工程完工率", "100", "100", "10", "10", D("10"), "100 done 100 → met → 10"),
        Ind(18, "产出指标", "质量指标", "指标2工程验收合格率", "100", "100", "10", "10", D("10"),
            "100 done 100 → met → 10"),
        Ind(20, "产出指标", "时效指标", "指标1项目完成及时率", "100", "100", "10", "10", D("10"),
            "100 done 100 → met → 10"),
        Ind(23, "产出指标", "成本指标", "指标1成本控制率", "100", "100", "10", "10", D("10"),
            "控制率 (reverse) 100, done 100 → met → 10"),
        Ind(26, "效益指标", "经济效益指标", "指标1安全率", "100", "100", "10", "10", D("10"), "100 done 100 → met → 10"),
        Ind(29, "效益指标", "社会效益指标", "指标1学校发展能力", "100", "100", "10", "10", D("10"),
            "100 done 100 → met → 10"),
        Ind(35, "效益指标", "可持续影响指标", "指标1长期使用性", "100", "100", "10", "10", D("10"),
            "100 done 100 → met → 10"),
        Ind(38, "满意度指标", "服务对象满意度指标", "指标1学生满意度", "100", "100", "10", "10", D("10"),
            "100 done 100 → met → 10"),
    ],
    dropped_placeholders=17,
    stated_total=None,
    hand_total=D("97.24"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        # Not raised: 37.24 / 43.2 = 86.20% stated as 86% is display rounding (README rule 11).
        ("PE106", "I7"),   # rule 0.8620 × 10 = 8.62, stated 9
        ("PE401", "H14"),  # rule 8.62, stated 9
    ],
    quiet_rows=[17, 18, 20, 23, 26, 29, 35, 38],
    narrative=(
        "Weights are 10 + 50 + 30 + 10. The clerk rounded the execution rate to 86% and both money rows to 9 "
        "points where the rules give 8.62 each. The form's 总分 row is beyond the end of the published text."
    ),
)
