"""宣城市地震局 防震减灾项目支出绩效自评表(2021年度)（防震减灾综合保障）— 安徽 宣城. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://www.xuancheng.gov.cn/OpennessContent/show/2594005.html"
PROVINCE = "安徽省"
UNIT = "宣城市地震局"
KIND = "project"
YEAR = 2021
SPLIT = "holdout"

NOTES = """\
Typed from the page text (cells separated by spaces and line breaks, no table markup); the page header
(索引号 123417004862874262/202205-00043, 组配分类 部门项目, 发布时间 2022-05-10, '宣城市地震局2021年度防震减灾项目
支出绩效自评表') is not typed.
- CUT OFF: the stored copy ends at '成本指标 指' (the first 成本 row, cut in the middle); that row is left out.
  The sheet ends with '指标2:科普宣传时限' (row 19); 效益, 满意度 and 总分 are not shown.
- Layout is the Anhui 2021 version of the 财预〔2020〕10号 project template ('附件1', a title with the project
  kind in front: '防震减灾项目支出绩效自评表'; block labels '年度总体目标完成情况' / '年度绩效指标完成情况' in
  column A; the 产出 first-level cell reads only '(50分)', the word 产出指标 is not in the text and is not
  typed), WITHOUT the '指标2: / ……' placeholder rows that anhui-tianchangshuili keeps.
- Sub-rows: '其中:本年财政拨款 55 55 55 - 100% -'; 上年结转资金 and 其他资金 show '0 0 0 - -' (the two
  dashes put under 分值 and 得分, 执行率 left empty — positions inferred).
- Targets and completions as published: '200' against '200余人' (a bare number against a number with 余),
  '500' against '600余人', '≥95%' against 99.12%, '11月底前' against '10月'. 100% and 99.12% typed as Excel
  percents.
- The two goal lines of each goal cell are typed with a line break between them.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 8, "C": 10, "D": 28, "E": 12, "F": 12, "G": 6, "H": 6, "I": 18}

N = None
ROWS = [
    ["附件1", N, N, N, N, N, N, N, N],  # 1
    ["防震减灾项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 2
    ["(2021年度)", N, N, N, N, N, N, N, N],  # 3
    ["项目名称", "防震减灾综合保障", N, N, N, N, N, N, N],  # 4
    ["主管部门", "宣城市地震局", N, N, "实施单位", "宣城市地震局", N, N, N],  # 5
    ["项目资金\n(万元)", N, N, "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],  # 6
    [N, "年度资金总额:", N, 55, 55, 55, 10, pct("100%"), 10],  # 7
    [N, "其中:本年财政拨款", N, 55, 55, 55, "-", pct("100%"), "-"],  # 8
    [N, "上年结转资金", N, 0, 0, 0, "-", N, "-"],  # 9
    [N, "其他资金", N, 0, 0, 0, "-", N, "-"],  # 10
    ["年度总体目标完成情况", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 11
    [N, "目标1:省政府对市政府防震减灾目标管理绩效考核第一名。\n目标2:全省市级防震减灾综合考核先进单位。", N, N, N,
     "1.省政府对市政府防震减灾目标管理绩效考核第一名。\n2.全省市级防震减灾综合考核先进单位。", N, N, N],  # 12
    ["年度绩效指标完成情况", "一级\n指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
     "偏差原因分析及改进措施"],  # 13
    [N, "(50分)", "数量指标", "指标1:接受业务培训人数", 200, "200余人", 10, 10, N],  # 14
    [N, N, N, "指标2:科普馆参观人数", 500, "600余人", 10, 10, N],  # 15
    [N, N, "质量指标", "指标1:台站正常运行", pct("100%"), pct("100%"), 10, 10, N],  # 16
    [N, N, N, "指标2:台网运行率", "≥95%", pct("99.12%"), 10, 10, N],  # 17
    [N, N, "时效指标", "指标1:业务培训时限", "11月底前", "10月", 5, 5, N],  # 18
    [N, N, N, "指标2:科普宣传时限", "11月底前", "10月", 5, 5, N],  # 19
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5",
            "A6:A10", "B6:C6", "B7:C7", "B8:C8", "B9:C9", "B10:C10",
            "A11:A12", "B11:E11", "F11:I11", "B12:E12", "F12:I12",
            "A13:A19", "B14:B19", "C14:C15", "C16:C17", "C18:C19",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="防震减灾综合保障",
    year=2021,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "55", "55", "55"),
        ("其中:本年财政拨款", "55", "55", "55"),
        ("上年结转资金", "0", "0", "0"),
        ("其他资金", "0", "0", "0"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(14, "(50分)", "数量指标", "指标1:接受业务培训人数", "200", "200余人", "10", "10", D("10"),
            "200 (bare number, read as ≥) done '200余人' — the number claimed is 200 → met → 10"),
        Ind(15, "(50分)", "数量指标", "指标2:科普馆参观人数", "500", "600余人", "10", "10", D("10"),
            "500 done '600余人' (600) → met → 10; 20% beyond, no reason needed"),
        Ind(16, "(50分)", "质量指标", "指标1:台站正常运行", "100%", "100%", "10", "10", D("10"), "met → 10"),
        Ind(17, "(50分)", "质量指标", "指标2:台网运行率", "≥95%", "99.12%", "10", "10", D("10"),
            "≥95% done 99.12% → met → 10"),
        Ind(18, "(50分)", "时效指标", "指标1:业务培训时限", "11月底前", "10月", "5", "5", D("5"),
            "time target: 10月 is before the end of November → met → 5"),
        Ind(19, "(50分)", "时效指标", "指标2:科普宣传时限", "11月底前", "10月", "5", "5", D("5"), "met → 5"),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("60.00"),
    hand_grade="中",
    provisional=0,
    profile="national-project",
    findings=[],
    quiet_rows=[14, 15, 16, 17, 18, 19],
    narrative=(
        "55万元 budgeted and spent; every indicator shown is met (counts with '余', a rate of 99.12%, two "
        "deadlines kept). Truncated at the first 成本 row: the hand total 60.00 is execution (10) plus the 50 "
        "产出 points shown."
    ),
    truncated=True,
)
