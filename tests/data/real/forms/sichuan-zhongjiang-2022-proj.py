"""中江县水利局 2022年财政衔接资金实施项目绩效自评表（小型水库水标尺制作安装）— 四川 德阳."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://chacewang.com/newsdetail/news242266.html"
PROVINCE = "四川省"
UNIT = "中江县水利局"
KIND = "project"
YEAR = 2022
SPLIT = "tune"

NOTES = """\
Typed from a reposted notice ('现已完成中江县2022年衔接资金实施项目绩效目标自评 … 附件:2022年财政衔接资金实施
项目绩效自评表'); the page text has no cell separators, so the grid is rebuilt from the order of the words.
- Variant layout: the budget block has no 年初预算数 column (全年预算数(A) | 全年执行数(B) | 分值 |
  执行率(B/A) | 得分) and no 上年结转资金 row; the indicator block puts 分值 before 年度指标值 and calls the
  completion column 全年实际值; first-level labels carry their weights ('产出指标(70分)').
- Block labels (资金情况(万元), 年度总体目标, 绩效指标) are put in column A merged down, as in the national
  template; their exact extents are inferred.
- The 年初设定目标 / 完成情况综述 split is inferred: the page runs the two cells together as
  '对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,' +
  '对项目区农业用水计量,为项目区农业生产夯实基础,'.
- '经济效益指标' has an empty row (no 三级指标); '……' is a template placeholder row before 总分.
- '总分 100 100' is typed under 分值 and 得分. The note under the form is typed as far as the page text goes
  (it breaks off at '3.定量指标若为正向'; its '2.' is missing in the published text).
- 100% targets/completions are typed as Excel percents; '≥266米', '≥90%' etc. are text, as published
  (the completions are written in target form).
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 6, "B": 14, "C": 14, "D": 28, "E": 8, "F": 12, "G": 12, "H": 8, "I": 20}

N = None
ROWS = [
    # 1
    ["绩效目标自评表", N, N, N, N, N, N, N, N],
    # 2
    ["(2022年度)", N, N, N, N, N, N, N, N],
    # 3
    ["项目名称", "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装", N, N,
     "项目负责人及电话", N, "谢凯13990260322(办公)", N, N],
    # 4
    ["主管部门", "中江县水利局", N, N, "实施单位", N, "中江县水利局", N, N],
    # 5
    ["资金情况(万元)", N, N, N, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
    # 6
    [N, "年度资金总额:", N, N, 20, 20, 10, pct("100.00%"), 10],
    # 7
    [N, "其中:本年财政拨款", N, N, 20, 20, N, N, N],
    # 8
    [N, "其他资金", N, N, N, N, N, N, N],
    # 9
    ["年度总体目标", "年初设定目标", N, N, N, "年度总体目标完成情况综述", N, N, N],
    # 10
    [N, "对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,", N, N, N,
     "对项目区农业用水计量,为项目区农业生产夯实基础,", N, N, N],
    # 11
    ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
     "未完成原因及拟采取的改进措施"],
    # 12
    [N, "产出指标(70分)", "数量指标", "安装坡面水标尺", 10, "≥266米", "≥266米", 10, N],
    # 13
    [N, N, N, "水标尺宽度", 10, "≥50厘米", "≥50厘米", 10, N],
    # 14
    [N, N, "质量指标", "项目(工程)验收合格率", 20, pct("100%"), pct("100%"), 20, N],
    # 15
    [N, N, "时效指标", "及时(按期)开工率", 10, "≥90%", "≥90%", 10, N],
    # 16
    [N, N, N, "及时(按期)完工率", 10, "≥90%", "≥90%", 10, N],
    # 17
    [N, N, "成本指标", "项目计划总投资", 10, "20万元", "20万元", 10, N],
    # 18
    [N, "效益指标(20分)", "经济效益指标", N, N, N, N, N, N],
    # 19
    [N, N, "社会效益指标", "受益脱贫(含监测对象)户人口数", 10, "≥1000人", "≥1000人", 10, N],
    # 20
    [N, N, N, "群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10, N],
    # 21
    [N, "满意度指标(10分)", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", 10, "≥95%", "≥95%", 10, N],
    # 22
    [N, N, N, "……", N, N, N, N, N],
    # 23
    ["总分", N, N, N, 100, N, N, 100, N],
    # 24
    ["注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分,"
     "各部门根据各项指标重要程度确定三级指标的分值,得分最高不能超过该指标分值上限,分别按照该指标对应分值区间"
     "100-80%(含80%)、80-60%(含60%)、60-0%合理确定得分,3.定量指标若为正向", N, N, N, N, N, N, N, N],
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "B3:D3", "E3:F3", "G3:I3", "B4:D4", "E4:F4", "G4:I4",
            "A5:A8", "B5:D5", "B6:D6", "B7:D7", "B8:D8",
            "A9:A10", "B9:E9", "F9:I9", "B10:E10", "F10:I10",
            "A11:A22", "B12:B17", "C12:C13", "C15:C16", "B18:B20", "C19:C20", "B21:B22", "C21:C22",
            "A23:D23", "A24:I24",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "", "20", "20"),
        ("其中:本年财政拨款", "", "20", "20"),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(12, "产出指标(70分)", "数量指标", "安装坡面水标尺", "≥266米", "≥266米", "10", "10", D("10"),
            "completion written as a target ('≥266米'); its number 266米 meets ≥266米 → 10"),
        Ind(13, "产出指标(70分)", "数量指标", "水标尺宽度", "≥50厘米", "≥50厘米", "10", "10", D("10"),
            "completion '≥50厘米' read as 50厘米, meets ≥50厘米 → 10"),
        Ind(14, "产出指标(70分)", "质量指标", "项目(工程)验收合格率", "100%", "100%", "20", "20", D("20"),
            "100% target, 100% done → met → 20"),
        Ind(15, "产出指标(70分)", "时效指标", "及时(按期)开工率", "≥90%", "≥90%", "10", "10", D("10"),
            "completion '≥90%' read as 90%, meets ≥90% → 10"),
        Ind(16, "产出指标(70分)", "时效指标", "及时(按期)完工率", "≥90%", "≥90%", "10", "10", D("10"),
            "completion '≥90%' read as 90%, meets ≥90% → 10"),
        Ind(17, "产出指标(70分)", "成本指标", "项目计划总投资", "20万元", "20万元", "10", "10", D("10"),
            "20万元 (no comparator, read as =) done 20万元 → met → 10"),
        Ind(19, "效益指标(20分)", "社会效益指标", "受益脱贫(含监测对象)户人口数", "≥1000人", "≥1000人", "10",
            "10", D("10"), "completion '≥1000人' read as 1000人, meets ≥1000人 → 10"),
        Ind(20, "效益指标(20分)", "社会效益指标", "群众生产生活条件改善状况", "显著提升", "显著提升", "10", "10",
            D("10"), "qualitative, answered with the target's own words '显著提升' → met → 10"),
        Ind(21, "满意度指标(10分)", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", "≥95%", "≥95%", "10",
            "10", D("10"), "completion '≥95%' read as 95%, meets ≥95% → 10"),
    ],
    dropped_placeholders=1,
    stated_total=D("100"),
    hand_total=D("110.00"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE201", "B12"),  # 产出指标 10+10+20+10+10+10 = 70, rule 50 (the label even says 70分)
        ("PE201", "B18"),  # 效益指标 10+10 = 20, rule 30
        ("PE303", "G12"),  # completions written as targets ('≥…')
        ("PE303", "G13"),
        ("PE303", "G15"),
        ("PE303", "G16"),
        ("PE303", "G19"),
        ("PE303", "G21"),
        ("PE203", "E23"),  # 10 (执行率) + 100 (indicators) = 110, not 100
        ("PE204", "E23"),  # 总分 row 分值 100 ≠ Σ 110
        ("PE205", "H23"),  # 总分 得分 100 ≠ 10 + 100 = 110 (the 执行率 score was left out)
        ("PE408", "H23"),  # hand 110.00 vs stated 100
    ],
    quiet_rows=[14, 17, 20],
    narrative=(
        "The clerk gave the indicators 70/20/10 = 100 and added the 10-point 预算执行率 on top, so the weights "
        "total 110 while the 总分 row says 100 and its 得分 100 leaves out the execution score. All completions "
        "are copied from the targets ('≥266米'). By the rules every row is met, so the hand total is 110.00."
    ),
)
