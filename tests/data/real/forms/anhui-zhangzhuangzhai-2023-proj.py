"""萧县张庄寨镇人民政府 绩效目标自评表(2023年度)（河西村特色种养补贴到户项目）— 安徽 宿州. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://www.ahxx.gov.cn/grassroots/279/158998981.html"
PROVINCE = "安徽省"
UNIT = "萧县张庄寨镇人民政府"
KIND = "project"
YEAR = 2023
SPLIT = "holdout"

NOTES = """\
Typed from the page text (an HTML table flattened, '|' between cells, one table row per line).
- CUT OFF: the stored copy ends at '满意' (the first characters of the 满意度指标 block); that row is left
  out. The sheet ends with the '……' row under 可持续影响指标 (row 31); no 总分 row is shown.
- Layout is the 衔接资金 '绩效目标自评表' (分值 before 年度指标值, 全年实际值, 未完成原因及拟采取的改进措施; no
  年初预算数), with a feature new to the corpus: BREAKDOWN SUB-ROWS. Under '★补助各类瓜果蔬菜种植面积' (20分,
  29.5亩) come four rows '其中桃树种植面积 1.5亩 1.5亩', '其中苹果树种植面积 5亩 5亩', '其中露天蔬菜 20亩 20亩',
  '其中大棚蔬菜 3亩 3亩' (1.5 + 5 + 20 + 3 = 29.5) with NO 分值 and NO 得分; likewise under 鱼塘 (1 row) and
  家畜家禽 (2 rows, 180只 + 12头 = 192只). The sub-row cells are put in 三级指标 / 年度指标值 / 全年实际值
  (inferred from the cell order).
- Empty rows as the HTML has them: the 质量指标 block opens with a row holding only the label '质量指标'; the
  经济效益 block opens with an empty row; 生态效益指标 and 可持续影响指标 have only their labels; '……' closes
  the 质量 block and the 效益 block (template placeholders).
- First-level labels are written vertically with spaces ('产 出 指 标 (50分)', '效 益 指 标 (30分)'),
  typed with line breaks; '资金情况 (万元)', '一级 指标', '经济效益 指标', '社会效益 指标', '生态效益 指标' also.
- '其他资金 | - | -' is typed with '-' under 全年预算数 and 全年执行数. 年初设定目标 and 完成情况综述 are the same
  words.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 8, "B": 10, "C": 10, "D": 34, "E": 6, "F": 14, "G": 14, "H": 6, "I": 20}

N = None
ROWS = [
    ["绩效目标自评表", N, N, N, N, N, N, N, N],  # 1
    ["(2023年度)", N, N, N, N, N, N, N, N],  # 2
    ["项目名称", "河西村特色种养补贴到户项目", N, N, "项目负责人及电话", N, "李宁0557-5788003", N, N],  # 3
    ["主管部门", "县农业农村局", N, N, "实施单位", N, "张庄寨镇人民政府", N, N],  # 4
    ["资金情况\n(万元)", N, N, N, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],  # 5
    [N, "年度资金总额:", N, N, 9.48, 9.48, 10, pct("100%"), 10],  # 6
    [N, "其中:本年财政拨款", N, N, 9.48, 9.48, 10, pct("100%"), 10],  # 7
    [N, "其他资金", N, N, "-", "-", N, N, N],  # 8
    ["年度总体目标", "年初设定目标", N, N, "年度总体目标完成情况综述", N, N, N, N],  # 9
    [N, "落实39户特色种养业奖补政策,增加脱贫户家庭收入", N, N, "落实39户特色种养业奖补政策,增加脱贫户家庭收入",
     N, N, N, N],  # 10
    ["绩效指标", "一级\n指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
     "未完成原因及拟采取的改进措施"],  # 11
    [N, "产 出\n指 标\n(50分)", "数量指标", "★补助各类瓜果蔬菜种植面积", 20, "29.5亩", "29.5亩", 20, N],  # 12
    [N, N, N, "其中桃树种植面积", N, "1.5亩", "1.5亩", N, N],  # 13
    [N, N, N, "其中苹果树种植面积", N, "5亩", "5亩", N, N],  # 14
    [N, N, N, "其中露天蔬菜", N, "20亩", "20亩", N, N],  # 15
    [N, N, N, "其中大棚蔬菜", N, "3亩", "3亩", N, N],  # 16
    [N, N, N, "★补助鱼塘面积", 10, "3亩", "3亩", 10, N],  # 17
    [N, N, N, "其中鱼塘养殖面积", N, "3亩", "3亩", N, N],  # 18
    [N, N, N, "★补助家畜家禽养殖数量", 10, "192只", "192只", 10, N],  # 19
    [N, N, N, "其中羊养殖数量", N, "180只", "180只", N, N],  # 20
    [N, N, N, "其中猪养殖数量", N, "12头", "12头", N, N],  # 21
    [N, N, "质量指标", N, N, N, N, N, N],  # 22
    [N, N, N, "种植作物成活率", 5, pct("95%"), pct("95%"), 5, N],  # 23
    [N, N, N, "养殖家畜家禽成活率", 5, pct("95%"), pct("100%"), 5, N],  # 24
    [N, N, N, "……", N, N, N, N, N],  # 25
    [N, "效 益\n指 标\n(30分)", "经济效益\n指标", N, N, N, N, N, N],  # 26
    [N, N, N, "特色产业带动增加受益农户收入(总收入)", 20, "≥11.376万元", "12万元", 20, N],  # 27
    [N, N, "社会效益\n指标", "受益人口数量", 10, "90人", "90人", 10, N],  # 28
    [N, N, "生态效益\n指标", N, N, N, N, N, N],  # 29
    [N, N, "可持续影响指标", N, N, N, N, N, N],  # 30
    [N, N, N, "……", N, N, N, N, N],  # 31
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "B3:D3", "E3:F3", "G3:I3", "B4:D4", "E4:F4", "G4:I4",
            "A5:D5", "A6:A8", "B6:D6", "B7:D7", "B8:D8",
            "A9:A10", "B9:D9", "E9:I9", "B10:D10", "E10:I10",
            "A11:A31", "B12:B25", "C12:C21", "C22:C25", "B26:B31", "C26:C27", "C30:C31",
        ],
        widths=W,
    )
]

_sub = "breakdown sub-row ('其中…') with no 分值 and no 得分: cannot be scored by the rules → provisional"

EXPECT = Expect(
    kind="project",
    name="河西村特色种养补贴到户项目",
    year=2023,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "", "9.48", "9.48"),
        ("其中:本年财政拨款", "", "9.48", "9.48"),
        ("其他资金", "", "-", "-"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(12, "产 出 指 标 (50分)", "数量指标", "★补助各类瓜果蔬菜种植面积", "29.5亩", "29.5亩", "20", "20", D("20"),
            "29.5亩 (no comparator, read as ≥/=) done 29.5亩 → met → 20"),
        Ind(13, "产 出 指 标 (50分)", "数量指标", "其中桃树种植面积", "1.5亩", "1.5亩", "", "", None, _sub),
        Ind(14, "产 出 指 标 (50分)", "数量指标", "其中苹果树种植面积", "5亩", "5亩", "", "", None, _sub),
        Ind(15, "产 出 指 标 (50分)", "数量指标", "其中露天蔬菜", "20亩", "20亩", "", "", None, _sub),
        Ind(16, "产 出 指 标 (50分)", "数量指标", "其中大棚蔬菜", "3亩", "3亩", "", "", None, _sub),
        Ind(17, "产 出 指 标 (50分)", "数量指标", "★补助鱼塘面积", "3亩", "3亩", "10", "10", D("10"), "met → 10"),
        Ind(18, "产 出 指 标 (50分)", "数量指标", "其中鱼塘养殖面积", "3亩", "3亩", "", "", None, _sub),
        Ind(19, "产 出 指 标 (50分)", "数量指标", "★补助家畜家禽养殖数量", "192只", "192只", "10", "10", D("10"),
            "met → 10"),
        Ind(20, "产 出 指 标 (50分)", "数量指标", "其中羊养殖数量", "180只", "180只", "", "", None, _sub),
        Ind(21, "产 出 指 标 (50分)", "数量指标", "其中猪养殖数量", "12头", "12头", "", "", None, _sub),
        Ind(23, "产 出 指 标 (50分)", "质量指标", "种植作物成活率", "95%", "95%", "5", "5", D("5"), "95% done 95% → 5"),
        Ind(24, "产 出 指 标 (50分)", "质量指标", "养殖家畜家禽成活率", "95%", "100%", "5", "5", D("5"),
            "95% done 100% → met → 5"),
        Ind(27, "效 益 指 标 (30分)", "经济效益指标", "特色产业带动增加受益农户收入(总收入)", "≥11.376万元", "12万元",
            "20", "20", D("20"), "≥11.376万元 done 12万元 → met → 20"),
        Ind(28, "效 益 指 标 (30分)", "社会效益指标", "受益人口数量", "90人", "90人", "10", "10", D("10"), "met → 10"),
    ],
    dropped_placeholders=2,
    stated_total=None,
    hand_total=D("90.00"),
    hand_grade="优",
    provisional=7,
    profile="national-project",
    findings=[
        ("PE505", "E10"),  # 完成情况综述 copies 年初设定目标
    ],
    quiet_rows=[12, 17, 19, 23, 24, 27, 28],
    narrative=(
        "A village subsidy project, 9.48万元 budgeted and spent. Every weighted row is met (产出 50, 效益 30). The "
        "form breaks three 数量 rows down into 7 '其中…' sub-rows that carry targets and completions but no 分值 "
        "and no 得分: by the rules they cannot be scored, so the hand total 90.00 (execution 10 + 80) is "
        "provisional on 7 rows although the weights of the scored rows already add up. The goal text is copied. "
        "Truncated at the 满意度 block."
    ),
    truncated=True,
)
