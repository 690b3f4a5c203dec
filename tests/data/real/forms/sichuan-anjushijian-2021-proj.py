"""安居区市场监管局（遂宁） 食品监管补助资金区域绩效目标自评表 (2021) — 四川 遂宁. Cut off inside the 效益 block.

The central 转移支付 '区域绩效目标自评表' layout: four scored sections and one 自评得分 column, no 分值 column.
"""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://www.scanju.gov.cn/gongkai/show/1e8c35c4e0ae4aaf81ef392897c56b63.html"
PROVINCE = "四川省"
UNIT = "安居区市场监管局"
KIND = "project"
YEAR = 2021
SPLIT = "holdout"

NOTES = """\
Typed from the page text (an HTML table flattened one cell per line); the page header ('来源:安居区市场监管局
发布时间:2022-08-15 18:21') and the repeated page title are not typed.
- CUT OFF: the stored copy ends at '可持续影响指标 / 指标1:技' (a row cut in the middle); that row is left out.
  The sheet ends with '指标2:辖区内公众食品安全科普知识素养' (row 22); no 满意度 section is shown.
- YEAR: the form states no year (the title has none); 2021 is inferred from the 时效 target '2021年12月31日'
  and the publication date. EXPECT.year is None.
- Layout (new to the corpus): the central '转移支付区域绩效目标自评表' as used in Sichuan for 2021 — header cells
  专项名称 / 中央主管部门 / 省级财政部门 / 省级主管部门, and a right-hand column headed '自评得分' (its first value
  100 is the stated total). The form has four scored SECTIONS, each with its score in that column:
  '预算执行情况' 20, '年度目标完成情况' 20, '年度绩效指标完成情况' 50 (the 50 sits on the indicator header row)
  and, not shown, 满意度. The budget section is written as label/value pairs on one row
  ('预算数: | 2.38 | 执行数: | 2.38'), with sub-rows '其中:中央补助 | 2.38 万元 | 其中:中央补助 | 2.38万元' and
  '地方资金/其他 | 万元 | 地方资金/其他 | 万元'. The indicator table has NO 分值 column: each row's number (5, 4,
  5, 3 …) stands in the 自评得分 column. Grid positions (7 columns, section labels merged down column A) are
  inferred from the cell order.
- The budget amounts keep their spacing inside the cell ('2.38  万元'); the '20' of the goal section and the
  four pairs of goal texts (预期目标 = 目标实际完成情况, word for word) are typed as published.
- '指标4:开展食品安全宣传周等科普宣传活' is cut short in the published text itself; typed as stored.
  Targets '已完成', '0次', '逐步提高', '2021年12月31日' are text; 100% typed as Excel percents.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 12, "B": 14, "C": 12, "D": 36, "E": 16, "F": 16, "G": 8}

N = None
ROWS = [
    ["食品监管补助资金区域绩效目标自评表", N, N, N, N, N, N],  # 1
    ["专项名称", "食品监管补助资金", N, N, N, N, N],  # 2
    ["中央主管部门", "市场监管总局", N, N, N, N, "自评得分"],  # 3
    ["省级财政部门", "四川省财政厅", N, "省级主管部门", "四川省市场监管局", N, 100],  # 4
    ["预算执行情况", "预算数:", 2.38, "执行数:", 2.38, N, 20],  # 5
    [N, "其中:中央补助", "2.38  万元", "其中:中央补助", "2.38万元", N, N],  # 6
    [N, "地方资金/其他", "万元", "地方资金/其他", "万元", N, N],  # 7
    ["年度目标完成情况", "预期目标", N, N, "目标实际完成情况", N, 20],  # 8
    [N, "目标1:深入开展食品风险隐患排查整治。", N, N, "目标1:深入开展食品风险隐患排查整治。", N, N],  # 9
    [N, "目标2:加大违法行为打击力度。", N, N, "目标2:加大违法行为打击力度。", N, N],  # 10
    [N, "目标3:加强基层监管人员监管业务培训。", N, N, "目标3:加强基层监管人员监管业务培训。", N, N],  # 11
    [N, "目标4:加大食品安全宣传力度。", N, N, "目标4:加大食品安全宣传力度。", N, N],  # 12
    ["年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成指标值", 50],  # 13
    [N, "产出指标", "质量指标", "指标1:食品安全监管人员培训", "已完成", "已完成", 5],  # 14
    [N, N, N, "指标2:违法案件查办率", pct("100%"), pct("100%"), 4],  # 15
    [N, N, N, "指标3:食品经营环节风险分级", pct("100%"), pct("100%"), 5],  # 16
    [N, N, N, "指标4:开展食品安全宣传周等科普宣传活", "已完成", "已完成", 3],  # 17
    [N, N, N, "指标5:进口冷链食品新冠肺炎疫情应急处置示范演练", "已完成", "已完成", 3],  # 18
    [N, N, N, "指标6:食品安全投诉举报处置率", pct("100%"), pct("100%"), 3],  # 19
    [N, N, "时效指标", "指标1:食品监管专项工作整体完成时间", "2021年12月31日", "2021年12月31日", 5],  # 20
    [N, "效益指标", "社会效益指标", "指标1:辖区内与补助资金相关的重大食品安全监管责任事故发生数", "0次", "0次", 3],  # 21
    [N, N, N, "指标2:辖区内公众食品安全科普知识素养", "逐步提高", "逐步提高", 3],  # 22
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:G1", "B2:G2", "B3:F3", "B4:C4", "E4:F4",
            "A5:A7", "E5:F5", "E6:F6", "E7:F7",
            "A8:A12", "B8:D8", "E8:F8", "G8:G12",
            "B9:D9", "E9:F9", "B10:D10", "E10:F10", "B11:D11", "E11:F11", "B12:D12", "E12:F12",
            "A13:A22", "B14:B20", "C14:C19", "B21:B22", "C21:C22",
        ],
        widths=W,
    )
]

_ns = "no 分值 column (the number {s} stands in the 自评得分 column): cannot be scored by the rules → provisional"
_rows = [
    (14, "产出指标", "质量指标", "指标1:食品安全监管人员培训", "已完成", "已完成", "5"),
    (15, "产出指标", "质量指标", "指标2:违法案件查办率", "100%", "100%", "4"),
    (16, "产出指标", "质量指标", "指标3:食品经营环节风险分级", "100%", "100%", "5"),
    (17, "产出指标", "质量指标", "指标4:开展食品安全宣传周等科普宣传活", "已完成", "已完成", "3"),
    (18, "产出指标", "质量指标", "指标5:进口冷链食品新冠肺炎疫情应急处置示范演练", "已完成", "已完成", "3"),
    (19, "产出指标", "质量指标", "指标6:食品安全投诉举报处置率", "100%", "100%", "3"),
    (20, "产出指标", "时效指标", "指标1:食品监管专项工作整体完成时间", "2021年12月31日", "2021年12月31日", "5"),
    (21, "效益指标", "社会效益指标", "指标1:辖区内与补助资金相关的重大食品安全监管责任事故发生数", "0次", "0次", "3"),
    (22, "效益指标", "社会效益指标", "指标2:辖区内公众食品安全科普知识素养", "逐步提高", "逐步提高", "3"),
]

EXPECT = Expect(
    kind="project",
    name="食品监管补助资金",
    year=None,
    money_unit="万元",
    budget=[
        ("预算数:", "", "2.38", "2.38"),
        ("其中:中央补助", "", "2.38 万元", "2.38万元"),
        ("地方资金/其他", "", "万元", "万元"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[Ind(r, l1, l2, l3, t, a, "", s, None, _ns.format(s=s)) for r, l1, l2, l3, t, a, s in _rows],
    dropped_placeholders=0,
    stated_total=D("100"),
    hand_total=D("10.00"),
    hand_grade="差",
    provisional=9,
    profile="",
    findings=[
        ("PE106", "G5"),  # 20 stated for execution; no 分值 typed → rule 10 × 100% = 10
        ("PE307", "E14"), ("PE307", "E17"), ("PE307", "E18"),  # targets written as '已完成'
        ("PE505", "E9"),  # 目标实际完成情况 copies 预期目标 (all four pairs; raised on the first)
    ],
    quiet_rows=[],
    narrative=(
        "A 2.38万元 central food-safety grant, spent in full. The form scores four sections (budget 20, goals 20, "
        "indicators 50, satisfaction 10) in one 自评得分 column and claims 100. The README rules know only the "
        "execution score (no 分值 typed → 10) and per-row indicator scores from 分值 — which this layout does "
        "not have — so every indicator row is provisional and the hand total is 10.00. Three targets are written "
        "as '已完成'; the goal texts are copied word for word. Truncated inside the 效益 block."
    ),
    truncated=True,
)
