"""永德县明朗中学 2022年度项目支出绩效自评表（义务教育营养改善计划专项资金）— 云南 临沧 公开14表."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "https://www.yongde.gov.cn/info/3003/116104.htm"
PROVINCE = "云南省"
UNIT = "临沧市永德县明朗中学"
KIND = "project"
YEAR = 2022
SPLIT = "tune"  # held out for the first generalisation measurement, looked at afterwards

NOTES = """\
Typed from the page text (an HTML table flattened by the search tool, one cell per '|').
- Layout is the Yunnan 决算公开 '公开14表': money in 元; the 年度指标值 header is merged over three
  sub-columns 指标性质 | 指标值 | 度量单位 on a second header row; 实际完成值/分值/得分/偏差 are merged down
  both header rows; the form ends with one row '其他需要说明事项 | 无 | 总分 | 100 | 96 | 优'.
- 年度资金总额 row shows only two amounts before 分值 (387664.62, 387664.62): read as 全年预算数 and
  全年执行数 with 年初预算数 blank (the stated 执行率 100% needs both). The sub-rows show '—' in
  分值/得分 and nothing in 执行率; 其他资金 shows '—' in every amount cell. Which blank belongs to
  which column on the sub-rows is inferred.
- '公开14表' and '部门:…' sit on the row under the title (their exact columns are inferred).
- 经济效益指标 row: 指标性质 and 度量单位 are empty, 指标值 '有效', completion '有效'.
- 生态效益指标 row is empty apart from its 二级指标 label (kept, as published).
- The search tool's text folds full-width ASCII-range characters (（）：，％) to half-width; the
  punctuation is typed as the tool gave it ('其中:当年财政拨款', '项目资金(元)'). Cell line breaks that
  the extract showed as spaces ('其中:当年财政 拨款', '经济效益 指标') are typed without the space.
- Comparators are typed as published: '≧' (U+2267) and '═' (U+2550, a box-drawing char used as '=').
"""

W = {"A": 10, "B": 12, "C": 26, "D": 8, "E": 10, "F": 8, "G": 12, "H": 8, "I": 8, "J": 20}

ROWS = [
    # 1
    ["2022年度项目支出绩效自评表", None, None, None, None, None, None, None, None, None],
    # 2
    ["部门:临沧市永德县明朗中学", None, None, None, None, None, None, None, None, "公开14表"],
    # 3
    ["项目名称", None, "义务教育营养改善计划专项资金", None, None, None, None, None, None, None],
    # 4
    ["主管部门", None, "永德县教育体育局", None, None, "实施单位", None, "永德县明朗中学", None, None],
    # 5
    ["项目资金\n(元)", None, None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    # 6
    [None, None, "年度资金总额", None, None, num("387664.62"), num("387664.62"), 10, pct("100%"), 10],
    # 7
    [None, None, "其中:当年财政拨款", None, None, num("387664.62"), num("387664.62"), "—", None, "—"],
    # 8
    [None, None, "上年结转资金", None, None, None, None, "—", None, "—"],
    # 9
    [None, None, "其他资金", None, "—", "—", "—", "—", None, "—"],
    # 10
    ["年度\n总体\n目标", None, "预期目标", None, None, None, "实际完成情况", None, None, None],
    # 11
    [None, None, "确保每一个学生都能享受到国家政策福利,改善学生体质", None, None, None,
     "确保每一个学生都能享受到国家政策福利,改善学生体质", None, None, None],
    # 12
    ["绩效指标", None, None, "年度指标值", None, None, "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    # 13
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", None, None, None, None],
    # 14
    ["产出指标", "数量指标", "学生受资助人数", "≧", 735, "人次", 735, 10, 10, None],
    # 15
    [None, "质量指标", "营养改善计划覆盖率", "≧", 100, "%", pct("100%"), 10, 10, None],
    # 16
    [None, "时效指标", "资金到位及时率", "≧", 100, "%", pct("100%"), 10, 7, None],
    # 17
    [None, "成本指标", "生均补助标准达标率", "═", 100, "%", pct("100%"), 10, 10, None],
    # 18
    ["效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", None, "有效", None, "有效", 10, 10, None],
    # 19
    [None, "社会效益指标", "政策知晓率", "═", 100, "%", pct("98%"), 10, 9, None],
    # 20
    [None, "生态效益指标", None, None, None, None, None, None, None, None],
    # 21
    [None, "可持续影响指标", "促进学校教育事业健康发展", "≧", 100, "%", pct("100%"), 10, 10, None],
    # 22
    ["满意度指标", "服务对象满意度指标等", "学生满意度", "≧", 95, "%", pct("100%"), 10, 10, None],
    # 23
    [None, None, "家长满意度", "≧", 95, "%", pct("100%"), 10, 10, None],
    # 24
    ["其他需要说明事项", None, "无", None, None, None, "总分", 100, 96, "优"],
]

SHEETS = [
    Sheet(
        name="公开14表",
        rows=ROWS,
        merges=[
            "A1:J1", "A2:F2", "A3:B3", "C3:J3", "A4:B4", "C4:E4", "F4:G4", "H4:J4",
            "A5:B9", "C5:D5", "C6:D6", "C7:D7", "C8:D8", "C9:D9",
            "A10:B11", "C10:F10", "G10:J10", "C11:F11", "G11:J11",
            "A12:C12", "D12:F12", "G12:G13", "H12:H13", "I12:I13", "J12:J13",
            "A14:A17", "A18:A21", "A22:A23", "B22:B23", "A24:B24", "C24:F24",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="义务教育营养改善计划专项资金",
    year=2022,
    money_unit="元",
    budget=[
        ("年度资金总额", "", "387664.62", "387664.62"),
        ("其中:当年财政拨款", "", "387664.62", "387664.62"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "—", "—", "—"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(14, "产出指标", "数量指标", "学生受资助人数", "≧735人次", "735", "10", "10", D("10"),
            "≧735人次, completion 735 (typed without unit → 人次) met → 10"),
        Ind(15, "产出指标", "质量指标", "营养改善计划覆盖率", "≧100%", "100%", "10", "10", D("10"),
            "≧100%, completion 100% met → 10"),
        Ind(16, "产出指标", "时效指标", "资金到位及时率", "≧100%", "100%", "10", "7", D("10"),
            "≧100%, completion 100% met → full 10; stated 7 is a deduction on a met target with no reason"),
        Ind(17, "产出指标", "成本指标", "生均补助标准达标率", "═100%", "100%", "10", "10", D("10"),
            "'═'100% (read as =), completion 100% met → 10"),
        Ind(18, "效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", "有效", "有效", "10", "10", D("10"),
            "qualitative '有效' answered with the target's own word '有效' → met → 10"),
        Ind(19, "效益指标", "社会效益指标", "政策知晓率", "═100%", "98%", "10", "9", D("9.80"),
            "'═'100% missed: = rule smaller/larger = 98/100 × 10 = 9.80; stated 9"),
        Ind(21, "效益指标", "可持续影响指标", "促进学校教育事业健康发展", "≧100%", "100%", "10", "10", D("10"),
            "≧100%, completion 100% met → 10"),
        Ind(22, "满意度指标", "服务对象满意度指标等", "学生满意度", "≧95%", "100%", "10", "10", D("10"),
            "≧95%, completion 100% met → 10 (over-achievement 5.3%, below the 30% threshold)"),
        Ind(23, "满意度指标", "服务对象满意度指标等", "家长满意度", "≧95%", "100%", "10", "10", D("10"),
            "≧95%, completion 100% met → 10"),
    ],
    dropped_placeholders=0,
    stated_total=D("96"),
    hand_total=D("99.80"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE505", "G11"),  # 实际完成情况 copies 预期目标 word for word
        ("PE201", "A14"),  # 产出指标 weights 10+10+10+10 = 40, rule 50
        ("PE201", "A22"),  # 满意度指标 weights 10+10 = 20, rule 10
        ("PE401", "I16"),  # met, rule gives 10, stated 7
        ("PE404", "I16"),  # met but deducted
        ("PE403", "J16"),  # stated below 分值, no reason
        ("PE401", "I19"),  # rule 9.80, stated 9
        ("PE403", "J19"),  # below 分值, no reason
        ("PE408", "I24"),  # stated 96 vs hand 99.80 (same grade 优, differs by more than 1)
    ],
    quiet_rows=[14, 15, 17, 18, 21, 22, 23],
    narrative=(
        "Weights add to 100 (10 + 9×10) but are spread 40/30/20 instead of 50/30/10. Two met or nearly met "
        "rows were marked down by hand (7 for a met 100% 及时率, 9 for 98% 知晓率 where the rule gives 9.80); "
        "the stated total 96 is the sum of the stated scores."
    ),
)
