"""金寨县茶谷和美丽乡村建设服务中心 部门整体支出绩效自评表(2023年度) — 安徽 六安. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "https://www.ahjinzhai.gov.cn/public/6624963/37545031.html"
PROVINCE = "安徽省"
UNIT = "金寨县茶谷和美丽乡村建设服务中心"
KIND = "department"
YEAR = 2023
SPLIT = "tune"

NOTES = """\
Typed from the page text (an HTML table flattened by the search tool, cells separated by '|').
- CUT OFF: the stored copy ends at '成本指标 | 指标1:' — that row is cut in the middle and left out; the
  rest of the 产出 block, the 效益/满意度 blocks and the 总分 row are not in the text (stated_total=None).
  The sheet ends with the second 时效指标 row (row 19).
- Layout: the Anhui department form is the project template with '部门' in place of 项目名称/主管部门:
  预算资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分; 年度总体目标 (预期目标 |
  实际完成情况); 绩效指标 with 一级/二级/三级/年度指标值/实际完成值/分值/得分/偏差 — 产出/效益/满意度
  first-level indicators, not 部门管理/履职效果/能力建设 (profile ""; the first-level weights are not stated
  in the shown part, 执行率 分值 10 on the form). The HTML table has 14 grid columns (colspans); it is typed
  on 9 columns, merges inferred.
- The 年度资金总额 row leaves 得分 empty; 执行率 102.59% is typed on both money rows; '—' sits in 分值 and
  得分 of the sub-rows and of 上年结转资金/其他资金 (their amount cells are empty).
- 三级指标 names keep their template prefixes ('指标1:', '指标2:' …). '≤4' on a count of villages is typed as
  published (a count target written as a ceiling). Time targets '9月前'/'11月前' answered '7月'/'10月'.
- '绩 效 指 标' (spaced) and '年度 指标值' / '实际 完成值' (line breaks in the header cells) as in the text.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 8, "B": 12, "C": 12, "D": 34, "E": 12, "F": 12, "G": 8, "H": 10, "I": 18}

N = None
F2 = "0.00"
ROWS = [
    ["部门整体支出绩效自评表", N, N, N, N, N, N, N, N],  # 1
    ["(2023年度)", N, N, N, N, N, N, N, N],  # 2
    ["部门", "金寨县茶谷和美丽乡村建设服务中心", N, N, N, N, N, N, N],  # 3
    ["预算资金\n(万元)", N, N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],  # 4
    [N, "年度资金总额", N, num("329.77", F2), num("329.77", F2), num("338.31", F2), 10, pct("102.59%"), N],  # 5
    [N, "其中:当年财政拨款", N, num("329.77", F2), num("329.77", F2), num("338.31", F2), "—", pct("102.59%"),
     "—"],  # 6
    [N, "上年结转资金", N, N, N, N, "—", N, "—"],  # 7
    [N, "其他资金", N, N, N, N, "—", N, "—"],  # 8
    ["年度总体目标", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 9
    [N, "1.建设徽风皖韵美丽乡村;2.整治美丽宜居自然村庄;3.推进农村改厕提质增效;4.深入开展村庄清洁行动;"
        "5.促进茶谷果岭融合发展。", N, N, N,
     "1.启动燕子河镇龙马村、花石乡大湾村等4个精品示范村建设;2.整治美丽宜居自然村庄202个;3.完成农村户用卫生厕所"
     "改造3061户;4.全面完成2022年度10个省级中心村各项建设任务,并顺利通过省级验收;加快2023年度10个省级中心村任务,"
     "确保2024年通过各级验收。", N, N, N],  # 10
    ["绩 效 指 标", "一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分",
     "偏差原因分析及改进措施"],  # 11
    [N, "产出指标", "数量指标", "指标1:开展精品示范村建设数量", "≤4", 4, 10, 10, N],  # 12
    [N, N, N, "指标2:建设美丽宜居自然村庄数量", "≥200", 202, 10, 10, N],  # 13
    [N, N, N, "指标3:完成农村户用卫生厕所改造数量", "≥2000", 3061, 10, 10, N],  # 14
    [N, N, N, "指标4:新建省级中心村数量", "≥10", 10, 10, 10, N],  # 15
    [N, N, "质量指标", "指标1:美丽宜居自然村庄验收通过率", "≥95%", pct("100%"), 5, 5, N],  # 16
    [N, N, N, "指标2:户用卫生厕所改造验收通过率", "≥95%", pct("100%"), 5, 5, N],  # 17
    [N, N, "时效指标", "指标1:完成美丽宜居自然村庄验收时间", "9月前", "7月", 5, 5, N],  # 18
    [N, N, N, "指标2:完成户用卫生厕所改造验收时间", "11月前", "10月", 5, 5, N],  # 19
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "B3:I3",
            "A4:A8", "B4:C4", "B5:C5", "B6:C6", "B7:C7", "B8:C8",
            "A9:A10", "B9:E9", "F9:I9", "B10:E10", "F10:I10",
            "A11:A19", "B12:B19", "C12:C15", "C16:C17", "C18:C19",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="department",
    name="金寨县茶谷和美丽乡村建设服务中心",
    year=2023,
    money_unit="万元",
    budget=[
        ("年度资金总额", "329.77", "329.77", "338.31"),
        ("其中:当年财政拨款", "329.77", "329.77", "338.31"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0259"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(12, "产出指标", "数量指标", "指标1:开展精品示范村建设数量", "≤4", "4", "10", "10", D("10"),
            "≤4 (ceiling, as published), completion 4 met → 10"),
        Ind(13, "产出指标", "数量指标", "指标2:建设美丽宜居自然村庄数量", "≥200", "202", "10", "10", D("10"),
            "≥200, completion 202 met → 10"),
        Ind(14, "产出指标", "数量指标", "指标3:完成农村户用卫生厕所改造数量", "≥2000", "3061", "10", "10", D("10"),
            "≥2000, completion 3061 met → 10; 53.05% beyond the target with no reason (over the 30% threshold)"),
        Ind(15, "产出指标", "数量指标", "指标4:新建省级中心村数量", "≥10", "10", "10", "10", D("10"),
            "≥10, completion 10 met → 10"),
        Ind(16, "产出指标", "质量指标", "指标1:美丽宜居自然村庄验收通过率", "≥95%", "100%", "5", "5", D("5"),
            "≥95%, completion 100% met → 5"),
        Ind(17, "产出指标", "质量指标", "指标2:户用卫生厕所改造验收通过率", "≥95%", "100%", "5", "5", D("5"),
            "≥95%, completion 100% met → 5"),
        Ind(18, "产出指标", "时效指标", "指标1:完成美丽宜居自然村庄验收时间", "9月前", "7月", "5", "5", D("5"),
            "time target 9月前, done 7月 (before the limit) → 5"),
        Ind(19, "产出指标", "时效指标", "指标2:完成户用卫生厕所改造验收时间", "11月前", "10月", "5", "5", D("5"),
            "time target 11月前, done 10月 → 5"),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("70.00"),
    hand_grade="中",
    provisional=0,
    profile="",
    findings=[
        ("PE102", "F5"),  # 实际支出 338.31 > 全年预算 329.77
        ("PE102", "F6"),  # the same on the 当年财政拨款 row
        ("PE202", "I5"),  # 执行率得分 left empty (rule: min(102.59%, 1) × 10 = 10)
        ("PE405", "I14"),  # 3061 vs ≥2000: 53.05% beyond, no reason
    ],
    quiet_rows=[13, 15, 16, 17, 18, 19],
    narrative=(
        "A department form on the project template (产出/效益/满意度). Spending 338.31 exceeds the 329.77 "
        "budget (102.59%, typed correctly) and the execution score was left blank. All eight indicator rows "
        "shown are met. Truncated inside the 产出 block (at 成本指标): the hand total 70.00 covers the "
        "execution score (10) and the 60 points of 产出 rows shown; row 12 carries the incomplete block's "
        "first-level cell and is not counted quiet."
    ),
    truncated=True,
)
