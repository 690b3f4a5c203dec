"""鄂州市行政审批局 项目支出绩效自评表(2021年度)（市民中心运行维护费）— 湖北 鄂州. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://zwfwzx.ezhou.gov.cn/zwgk/fdzdgknr/sgjfxx/202211/t20221108_506320.html"
PROVINCE = "湖北省"
UNIT = "鄂州市行政审批局"
KIND = "project"
YEAR = 2021
SPLIT = "tune"

NOTES = """\
Typed from the page text (an HTML table flattened one cell per line by the search tool, '|' between
cells); the page's 索引号/发文单位 header is not typed.
- CUT OFF: the stored copy ends inside the 社会效益指标 row ('社会效益 指标 | 岗'); that row is left out. The
  sheet ends with the two empty rows under 经济效益指标 (row 27). No 总分 row is shown.
- Layout is the national 2020 project template (项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 |
  执行率 | 得分; 年度总体目标; 绩效指标 …) with the template's three rows per 二级指标 kept: unused rows are
  entirely empty (no '指标2'/'……' text), typed as empty rows; 时效指标 has only its label.
- Money is typed with its unit inside the cell ('150万', '125.25万'); 上年结转资金 and 其他资金 show 0.
- The 分值 of the 年度资金总额 row is typed 100 (the template's 10), 执行率 83.5% and 得分 98.
- 主管部门 and 实施单位 are empty on the form.
- '绩 效 指 标' (spaced), '年度 指标值', '经济效益 指标' (line breaks) as in the text.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 6, "B": 12, "C": 12, "D": 24, "E": 12, "F": 12, "G": 8, "H": 8, "I": 20}

N = None
E = [N] * 9
ROWS = [
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 1
    ["( 2021 年度)", N, N, N, N, N, N, N, N],  # 2
    ["项目名称", "市民中心运行维护费", N, N, N, N, N, N, N],  # 3
    ["主管部门", N, N, N, "实施单位", N, N, N, N],  # 4
    ["项目资金\n(万元)", N, N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],  # 5
    [N, "年度资金总额", N, "150万", "150万", "125.25万", 100, pct("83.5%"), 98],  # 6
    [N, "其中:当年财政拨款", N, "150万", "150万", "125.25万", "—", N, "—"],  # 7
    [N, "上年结转资金", N, 0, 0, 0, "—", N, "—"],  # 8
    [N, "其他资金", N, 0, 0, 0, "—", N, "—"],  # 9
    ["年度总体目标", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 10
    [N, "为更好的建设行政服务大厅窗口建设和全市行政服务工作的组织协调、业务指导及督办检查;"
        "市政务服务大厅及周边设施日常维修升级改造费用。", N, N, N,
     "本年度财政拨款为150万元:执行数为125.25万元,完成预算的83.50%。", N, N, N],  # 11
    ["绩 效 指 标", "一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分",
     "偏差原因分析及改进措施"],  # 12
    [N, "产出指标", "数量指标", "预算执行率", pct("100%"), pct("83.5%"), 20, 18, N],  # 13
    [N, N, N, "预算资金拨款率", pct("100%"), pct("100%"), 10, 10, N],  # 14
    list(E),  # 15
    [N, N, "质量指标", "政务服务工作办结率", pct("100%"), pct("100%"), 10, 10, N],  # 16
    [N, N, N, "大厅业务日常考核结果", pct("100%"), pct("100%"), 10, 10, N],  # 17
    list(E),  # 18
    [N, N, "时效指标", N, N, N, N, N, N],  # 19
    list(E),  # 20
    list(E),  # 21
    [N, N, "成本指标", "市民中心运行维护费", "150万", "150万", 10, 10, N],  # 22
    list(E),  # 23
    list(E),  # 24
    [N, "效益指标", "经济效益\n指标", "大厅运行正常率", pct("100%"), pct("100%"), 10, 10, N],  # 25
    list(E),  # 26
    list(E),  # 27
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "B3:I3", "B4:D4", "F4:I4",
            "A5:A9", "B5:C5", "B6:C6", "B7:C7", "B8:C8", "B9:C9",
            "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11",
            "A12:A27", "B13:B24", "C13:C15", "C16:C18", "C19:C21", "C22:C24", "B25:B27", "C25:C27",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="市民中心运行维护费",
    year=2021,
    money_unit="万元",
    budget=[
        ("年度资金总额", "150万", "150万", "125.25万"),
        ("其中:当年财政拨款", "150万", "150万", "125.25万"),
        ("上年结转资金", "0", "0", "0"),
        ("其他资金", "0", "0", "0"),
    ],
    execution_rate=D("0.8350"),
    execution_weight=D("100"),
    execution_score=D("83.50"),
    indicators=[
        Ind(13, "产出指标", "数量指标", "预算执行率", "100%", "83.5%", "20", "18", D("16.70"),
            "100% (no comparator, read as ≥/=) missed: 83.5 / 100 × 20 = 16.70; stated 18, no reason"),
        Ind(14, "产出指标", "数量指标", "预算资金拨款率", "100%", "100%", "10", "10", D("10"), "100% done 100% → 10"),
        Ind(16, "产出指标", "质量指标", "政务服务工作办结率", "100%", "100%", "10", "10", D("10"), "met → 10"),
        Ind(17, "产出指标", "质量指标", "大厅业务日常考核结果", "100%", "100%", "10", "10", D("10"), "met → 10"),
        Ind(22, "产出指标", "成本指标", "市民中心运行维护费", "150万", "150万", "10", "10", D("10"),
            "150万 (read as =) done 150万 → met → 10 (the form's own 执行数 is 125.25万; the completion is "
            "scored as claimed)"),
        Ind(25, "效益指标", "经济效益指标", "大厅运行正常率", "100%", "100%", "10", "10", D("10"), "met → 10"),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("150.20"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE107", "G6"),  # 执行率 分值 typed 100, rule 10
        ("PE106", "I6"),  # stated 98; 83.50% × 100 (the typed 分值) = 83.50
        ("PE401", "H13"),  # 预算执行率 83.5% of 100%: rule 16.70, stated 18
        ("PE403", "I13"),  # below 分值, no reason
    ],
    quiet_rows=[14, 16, 17, 22],
    narrative=(
        "The execution row's 分值 was typed 100 instead of 10; by the rules the execution score is the rate "
        "times the typed 分值 (83.50% × 100 = 83.50) — the stated 98 fits neither reading. The 产出 block repeats "
        "the execution rate as an indicator (20 points, 83.5% → 16.70, stated 18 with no reason) and claims "
        "the full 150万 under 成本指标 although 125.25万 was spent. Truncated inside the 效益 block, so the hand "
        "total 150.20 (execution 83.50 + 66.70 of indicators) is only meaningful as a check of the rules."
    ),
    truncated=True,
)
