"""天长市水利局 2022年度项目支出绩效自评表（水旱灾害防御经费）— 安徽 滁州."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = (
    "(no url: the search tool's pages corpus returned this page without an address) "
    "page titled '天长市水利局水旱灾害防御股项目支出绩效自评', 发布时间:2023-12-05 15:04"
)
PROVINCE = "安徽省"
UNIT = "天长市水利局"
KIND = "project"
YEAR = 2022
SPLIT = "tune"

NOTES = """\
Typed from the page text (cells separated by spaces/line breaks, no table markup). The search tool gave
no url for this page; SOURCE records its title and date instead.
- Layout is the 财预〔2020〕10号 project template with its placeholder rows left in: under every 二级指标
  there is '指标1:<name>', then an empty '指标2:' and '……'. Those empty rows are typed as published.
- Targets and completions are blank on six rows (质量/时效/成本/经济/社会/可持续): the page gives only
  '指标1:<name> 10 10'. The 时效 row writes its target into the name ('年度资金支付完成率100%').
- The two first-level cells read only '(50分)' and '(30分)' in the page text (preceded by empty lines);
  the names 产出指标/效益指标 are not in the published text and are not typed.
- 生态效益指标 row reads '指标1:/ / /': typed as 三级指标 '指标1:/' with '/' in 分值 and 得分
  (the cell boundaries are inferred from the spacing).
- 主管部门 is empty. The 年度资金总额 row has no 执行率 (blank); sub-rows show '-' in 分值 and 得分
  (column positions of the dashes inferred). 90%/100% on the satisfaction row typed as Excel percents.
- The note under the form is typed as far as the page text goes (it breaks off after '如有').
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 8, "B": 10, "C": 12, "D": 34, "E": 10, "F": 10, "G": 8, "H": 8, "I": 18}

N = None
ROWS = [
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 1
    ["(2022年度)", N, N, N, N, N, N, N, N],  # 2
    ["项目名称", "水旱灾害防御经费", N, N, N, N, N, N, N],  # 3
    ["主管部门", N, N, N, "实施单位", "天长市水利局", N, N, N],  # 4
    ["项目资金\n(万元)", N, N, "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],  # 5
    [N, "年度资金总额:", N, 880, 880, 880, 10, N, 10],  # 6
    [N, "其中:本年财政拨款", N, 880, 880, 880, "-", N, "-"],  # 7
    [N, "上年结转资金", N, N, N, N, "-", N, "-"],  # 8
    [N, "其他资金", N, N, N, N, "-", N, "-"],  # 9
    ["年度总体目标完成情况", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 10
    [N, "完成年度防汛工作,完成中型灌区节水改造项目和农业综合水价改革项目。", N, N, N, "完成年度目标。", N, N, N],  # 11
    ["年度绩效指标完成情况", "一级\n指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
     "偏差原因分析及改进措施"],  # 12
    [N, "(50分)", "数量指标", "指标1:完成中型灌区节水改造项目数量", 1, 1, 10, 10, N],  # 13
    [N, N, N, "指标2:完成农业综合水价改革项目", 1, 1, 10, 10, N],  # 14
    [N, N, N, "……", N, N, N, N, N],  # 15
    [N, N, "质量指标", "指标1:工程质量合格", N, N, 10, 10, N],  # 16
    [N, N, N, "指标2:", N, N, N, N, N],  # 17
    [N, N, N, "……", N, N, N, N, N],  # 18
    [N, N, "时效指标", "指标1:年度资金支付完成率100%", N, N, 10, 10, N],  # 19
    [N, N, N, "指标2:", N, N, N, N, N],  # 20
    [N, N, N, "……", N, N, N, N, N],  # 21
    [N, N, "成本指标", "指标1:资金执行在预算范围内", N, N, 10, 10, N],  # 22
    [N, N, N, "指标2:", N, N, N, N, N],  # 23
    [N, N, N, "……", N, N, N, N, N],  # 24
    [N, "(30分)", "经济效益\n指标", "指标1:全市安全度汛", N, N, 10, 10, N],  # 25
    [N, N, N, "指标2:", N, N, N, N, N],  # 26
    [N, N, N, "……", N, N, N, N, N],  # 27
    [N, N, "社会效益\n指标", "指标1:保护全市人口财产不受损失", N, N, 10, 10, N],  # 28
    [N, N, N, "指标2:", N, N, N, N, N],  # 29
    [N, N, N, "……", N, N, N, N, N],  # 30
    [N, N, "生态效益\n指标", "指标1:/", N, N, "/", "/", N],  # 31
    [N, N, N, "指标2:", N, N, N, N, N],  # 32
    [N, N, N, "……", N, N, N, N, N],  # 33
    [N, N, "可持续影\n响指标", "指标1:已建工程良性运行", N, N, 10, 10, N],  # 34
    [N, N, N, "指标2:", N, N, N, N, N],  # 35
    [N, N, N, "……", N, N, N, N, N],  # 36
    [N, "满意度指标\n(10分)", "服务对象\n满意度指标", "指标1:服务对象满意度", pct("90%"), pct("100%"), 10, 10, N],  # 37
    [N, N, N, "指标2:", N, N, N, N, N],  # 38
    [N, N, N, "……", N, N, N, N, N],  # 39
    ["总分", N, N, N, N, N, 100, 100, N],  # 40
    ["注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、服务对象满意度指标10分、预算资金执行率10分。如有",
     N, N, N, N, N, N, N, N],  # 41
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "B3:I3", "B4:D4", "F4:I4",
            "A5:A9", "B5:C5", "B6:C6", "B7:C7", "B8:C8", "B9:C9",
            "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11",
            "A12:A39", "B13:B24", "C13:C15", "C16:C18", "C19:C21", "C22:C24",
            "B25:B36", "C25:C27", "C28:C30", "C31:C33", "C34:C36",
            "B37:B39", "C37:C39", "A40:F40", "A41:I41",
        ],
        widths=W,
    )
]

_blank = "no 年度指标值 and no 实际完成值 (only the name, 分值 10, 得分 10): cannot be scored → provisional"

EXPECT = Expect(
    kind="project",
    name="水旱灾害防御经费",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "880", "880", "880"),
        ("其中:本年财政拨款", "880", "880", "880"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(13, "(50分)", "数量指标", "指标1:完成中型灌区节水改造项目数量", "1", "1", "10", "10", D("10"),
            "target 1 (no comparator), done 1 → met → 10"),
        Ind(14, "(50分)", "数量指标", "指标2:完成农业综合水价改革项目", "1", "1", "10", "10", D("10"),
            "target 1, done 1 → met → 10"),
        Ind(16, "(50分)", "质量指标", "指标1:工程质量合格", "", "", "10", "10", None, _blank),
        Ind(19, "(50分)", "时效指标", "指标1:年度资金支付完成率100%", "", "", "10", "10", None,
            _blank + " (the '100%' is part of the name, not a target cell)"),
        Ind(22, "(50分)", "成本指标", "指标1:资金执行在预算范围内", "", "", "10", "10", None, _blank),
        Ind(25, "(30分)", "经济效益指标", "指标1:全市安全度汛", "", "", "10", "10", None, _blank),
        Ind(28, "(30分)", "社会效益指标", "指标1:保护全市人口财产不受损失", "", "", "10", "10", None, _blank),
        Ind(34, "(30分)", "可持续影响指标", "指标1:已建工程良性运行", "", "", "10", "10", None, _blank),
        Ind(37, "满意度指标(10分)", "服务对象满意度指标", "指标1:服务对象满意度", "90%", "100%", "10", "10",
            D("10"), "90% (read as ≥), done 100% → met → 10"),
    ],
    dropped_placeholders=18,
    stated_total=D("100"),
    hand_total=D("40.00"),
    hand_grade="差",
    provisional=6,
    profile="national-project",
    findings=[
        ("PE209", "B13"),  # first-level cell holds only '(50分)', no name
        ("PE209", "B25"),  # first-level cell holds only '(30分)', no name
        ("PE301", "E16"), ("PE305", "F16"),
        ("PE301", "E19"), ("PE305", "F19"),
        ("PE301", "E22"), ("PE305", "F22"),
        ("PE301", "E25"), ("PE305", "F25"),
        ("PE301", "E28"), ("PE305", "F28"),
        ("PE301", "E34"), ("PE305", "F34"),
        ("PE408", "H40"),  # stated 100 (优) vs hand 40.00 provisional (差)
    ],
    quiet_rows=[14, 37],
    narrative=(
        "Weights are right (10 + 50 + 30 + 10) and every row is given full marks, but six of the nine "
        "indicators have neither a target nor a completion, so only 30 of the 90 indicator points can be "
        "checked. 18 template rows ('指标2:', '……', and the '/' row under 生态效益指标) are not indicators."
    ),
)
