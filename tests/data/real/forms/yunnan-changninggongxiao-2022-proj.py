"""昌宁县供销合作社联合社 2022年度项目支出绩效自评表（生猪养殖场建设项目）— 云南 保山. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet

SOURCE = "https://yncn.gov.cn/info/5102/8340150.htm"
PROVINCE = "云南省"
UNIT = "昌宁县供销合作社联合社"
KIND = "project"
YEAR = 2022
SPLIT = "tune"

NOTES = """\
Typed from the page text (one cell per line, with runs of empty lines between table rows); the page
header (索引号, 发布机构 昌宁县供销社, 发布日期 2023-04-20, '2022年度项目支出绩效自评表(昌龙鸿运)') is not typed.
- CUT OFF: the stored copy ends in the 种母猪 row ('种母猪(≥头) 20 20' without its 得分); that row is left
  out. The sheet ends with 种公猪 (row 28); the rest of 产出, 效益, 满意度 and the total are not shown.
- Layout is the Baoshan/Hubei-style 县直 project template ('附件3'): 项目类别/项目属性 tick-box rows; a budget
  block '预算执行情况(万元)(20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分(20分*执行率)' with one row
  '年度财政资金总额'; then '年度绩效目标(80分)' with 一级 / 二级 / 三级 / 年初目标值(A) / 实际完成值(B) /
  得分 — there is NO 分值 column. Budget cells are typed over merged column pairs so the block fits the
  7 columns of the indicator table (inferred, as hubei-huangshitushuguan-2022-proj).
- The budget row reads '50 10 20 4': 预算数 50, 执行数 10, 执行率 typed as the bare number 20 (no % sign),
  得分 4. Typed as numbers.
- The 三级指标 names keep the template's hint '(≥**平方米)', '(≥台)' … with the comparator and unit inside the
  name; the target and completion cells hold bare numbers (22.8, 180 …). Typed as published.
- '单位名称:… 填报日期:2023年4月15日' is one line in the text; typed as two cells on row 3.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 16, "B": 12, "C": 12, "D": 32, "E": 14, "F": 14, "G": 10}

N = None
ROWS = [
    ["附件3:", N, N, N, N, N, N],  # 1
    ["2022年度项目支出绩效自评表", N, N, N, N, N, N],  # 2
    ["单位名称:昌宁县供销合作社联合社", N, N, N, "填报日期:2023年4月15日", N, N],  # 3
    ["项目名称", "昌宁县昌龙鸿运牧业专业合作社生猪养殖场建设项目", N, N, N, N, N],  # 4
    ["主管部门", "昌宁县供销合作社联合社", N, "项目实施单位", "昌宁县昌龙鸿运牧业专业合作社", N, N],  # 5
    ["项目类别", "1、部门预算项目 □ 2、县直专项 ☑ 3、省市对下转移支付项目 □", N, N, N, N, N],  # 6
    ["项目属性", "1、持续性项目 ☑ 2、新增性项目 □", N, N, N, N, N],  # 7
    ["预算执行情况(万元)\n(20分)", "预算数(A)", N, "执行数(B)", N, "执行率(B/A)", "得分\n(20分*执行率)"],  # 8
    ["年度财政资金总额", 50, N, 10, N, 20, 4],  # 9
    ["年度绩效目标\n(80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],  # 10
    [N, "产出指标(40分)", "数量指标", "公猪舍(≥**平方米)", 22.8, 22.8, 1],  # 11
    [N, N, N, "母猪、保育猪舍(≥**平方米)", 180, 180, 3],  # 12
    [N, N, N, "育肥猪舍(≥**平方米)", 180, 180, 3],  # 13
    [N, N, N, "周转猪舍(≥**平方米)", 180, 180, 3],  # 14
    [N, N, N, "隔离舍(≥**平方米)", 54, 54, 2],  # 15
    [N, N, N, "仓库(≥**平方米)", 104, 104, 2],  # 16
    [N, N, N, "管理用房及消通道(≥**平方米)", 76.44, 76.44, 2],  # 17
    [N, N, N, "化粪池(≥**立方米)", 63, 63, 1],  # 18
    [N, N, N, "堆粪房(≥**平方米)", 29.6, 29.6, 1],  # 19
    [N, N, N, "消毒池(≥**平方米)", 14, 14, 1],  # 20
    [N, N, N, "排污沟(≥米)", 50, 50, 1],  # 21
    [N, N, N, "场地硬化(≥**平方米)", 230, 230, 2],  # 22
    [N, N, N, "粉碎拌合机(11kw)(≥台)", 1, 1, 1],  # 23
    [N, N, N, "产床(全复合双体产床)(≥套)", 2, 2, 1],  # 24
    [N, N, N, "保育栏(≥套)", 4, 4, 1],  # 25
    [N, N, N, "消毒机(≥台)", 1, 1, 1],  # 26
    [N, N, N, "冲洗机(≥台)", 1, 1, 1],  # 27
    [N, N, N, "种公猪(≥头)", 2, 2, 2],  # 28
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:G1", "A2:G2", "A3:D3", "E3:G3", "B4:G4", "B5:C5", "E5:G5", "B6:G6", "B7:G7",
            "B8:C8", "D8:E8", "B9:C9", "D9:E9",
            "A10:A28", "B11:B28", "C11:C28",
        ],
        widths=W,
    )
]

_rows = [
    (11, "公猪舍(≥**平方米)", "22.8", "1"), (12, "母猪、保育猪舍(≥**平方米)", "180", "3"),
    (13, "育肥猪舍(≥**平方米)", "180", "3"), (14, "周转猪舍(≥**平方米)", "180", "3"),
    (15, "隔离舍(≥**平方米)", "54", "2"), (16, "仓库(≥**平方米)", "104", "2"),
    (17, "管理用房及消通道(≥**平方米)", "76.44", "2"), (18, "化粪池(≥**立方米)", "63", "1"),
    (19, "堆粪房(≥**平方米)", "29.6", "1"), (20, "消毒池(≥**平方米)", "14", "1"),
    (21, "排污沟(≥米)", "50", "1"), (22, "场地硬化(≥**平方米)", "230", "2"),
    (23, "粉碎拌合机(11kw)(≥台)", "1", "1"), (24, "产床(全复合双体产床)(≥套)", "2", "1"),
    (25, "保育栏(≥套)", "4", "1"), (26, "消毒机(≥台)", "1", "1"), (27, "冲洗机(≥台)", "1", "1"),
    (28, "种公猪(≥头)", "2", "2"),
]
_nw = ("no 分值 column: target {v} = completion {v} (met), but the row's 分值 is not on the form → cannot be "
       "scored; stated 得分 {s}")

EXPECT = Expect(
    kind="project",
    name="昌宁县昌龙鸿运牧业专业合作社生猪养殖场建设项目",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度财政资金总额", "", "50", "10"),
    ],
    execution_rate=D("0.2000"),
    execution_weight=D("20"),
    execution_score=D("4.00"),
    indicators=[
        Ind(r, "产出指标(40分)", "数量指标", name, v, v, "", s, None, _nw.format(v=v, s=s)) for r, name, v, s in _rows
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("4.00"),
    hand_grade="差",
    provisional=18,
    profile="",
    findings=[
        ("PE101", "F9"),  # 执行率 typed as the number 20 (= 2000%); 10 ÷ 50 = 20.00%
    ],
    quiet_rows=[],
    narrative=(
        "Only 10 of the 50万元 budget was spent: 执行率 20% (typed as the bare number 20), execution score "
        "20% × 20 = 4, as stated. The indicator table has no 分值 column — every row shown is met (target = "
        "completion) and carries a stated 得分 (1–3), but without 分值 no row can be scored by the rules: the "
        "hand total 4.00 is provisional on all 18 rows. Truncated inside the 产出 block."
    ),
    truncated=True,
)
