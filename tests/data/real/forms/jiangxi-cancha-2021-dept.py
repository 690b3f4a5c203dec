"""南昌县黄马乡蚕茶卫生院 整体支出绩效自评表(2021年度) — 江西 南昌. Cut off before the 满意度 block."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://yzwku.com/doc/291311.html"
PROVINCE = "江西省"
UNIT = "南昌县黄马乡蚕茶卫生院"
KIND = "department"
YEAR = 2021
SPLIT = "holdout"

NOTES = """\
Typed from a document-sharing repost ('蚕茶卫生院整体支出绩效自评表.docx … 请在优知文库上搜索', not typed) that
shows the .docx as running text: all cells of the table run together with no separators, and the site
cuts the text into numbered chunks ('1、', '2、', '3、') that fall in the middle of cells ('按规定公 / 2、开已公开',
'签约率提高1%X体检 / 3、率提高2%'). The chunk markers are the site's, not the form's, and are not typed.
- CUT OFF: the stored copy ends on the first-level label '满意度指标' (nothing after it); that row is left
  out. The sheet ends with the 生态效益指标 row (row 26); no 总分 row is shown.
- Layout (the Jiangxi 2021 单位整体支出 template, new to the corpus): header block 评价部门名称 /
  下属单位个数; a budget block '整体支出规模 | 全年预算数 | 全年执行数 | 执行率' with rows '资金来源:(1)财政拨款'
  and '资金结构:(1)基本支出' / '(2)项目支出'; then 年度总体目标 (年初设定目标 | 全年完成情况) and an indicator
  table whose first two columns are '分解目标' (the first-level name) and '自评权重' (the block weight, 30 /
  25 / 35), followed by 二级指标 | 三级指标 | 年度指标值 | 全年完成值 | 分值 | 得分 | 偏差及原因分析.
- The budget amounts are not in the text at all: only the rate '103.21%' follows 财政拨款 and 基本支出. The
  amount cells are typed empty; whether '资金来源:' and '(1)财政拨款' are one cell or two is inferred (one).
- There is no 预算执行率 score row: execution is one 4-point row ('预算执行管理') inside 管理指标.
- Cell boundaries inside the run-together text are inferred from the weights (each block adds up to its
  自评权重: 4+4+4+4+4+5+5 = 30, 5+5+5+3+4+3 = 25, 13+12+10 = 35). Doubtful splits:
  '任务1:门诊住院人次增加增372人次55' is read as 三级 '任务1:门诊住院人次', target '增加', completion
  '增372人次' (by analogy with '任务2:特殊人群健康管理率 | 超上年2% | 达成目标值'); the two 时效 rows
  ('按规定时限43个别人未及时完成', '按规定时限32录入有延迟') have NO completion: target, 分值, 得分, reason.
- The first-level label of the 产出 block reads '出标产指' in the text (a vertical cell '产/出/指/标' read in
  the wrong order); typed as stored. '年度总 / 体目标' is one cell with a line break. '签约率提高1%X体检率提高2%'
  keeps its stray 'X'; '水电支出减少01万元' is typed as stored (a decimal point may be lost).
- Percents '100%', '97%' typed as Excel percents; '95%以上', '小于5%', '超上年2%' stay text.
- The search tool folds full-width punctuation to half-width (':', '(1)'); typed as given.
"""

W = {"A": 10, "B": 8, "C": 18, "D": 26, "E": 22, "F": 22, "G": 6, "H": 6, "I": 20}

N = None
ROWS = [
    ["蚕茶卫生院整体支出绩效自评表", N, N, N, N, N, N, N, N],  # 1
    ["(2021年度)", N, N, N, N, N, N, N, N],  # 2
    ["评价部门名称", "南昌县黄马乡蚕茶卫生院", N, N, N, "下属单位个数", N, 0, N],  # 3
    ["整体支出规模", N, N, N, "全年预算数", "全年执行数", "执行率", N, N],  # 4
    ["资金来源:(1)财政拨款", N, N, N, N, N, pct("103.21%"), N, N],  # 5
    ["资金结构:(1)基本支出", N, N, N, N, N, pct("103.21%"), N, N],  # 6
    ["(2)项目支出", N, N, N, N, N, N, N, N],  # 7
    ["年度总\n体目标", "年初设定目标", N, N, N, "全年完成情况", N, N, N],  # 8
    [N, "业务收入达到55万元,三公经费控制率达标", N, N, N, "业务收入77.57万元,三公经费控制达标", N, N, N],  # 9
    ["分解目标", "自评权重", "二级指标", "三级指标", "年度指标值", "全年完成值", "分值", "得分", "偏差及原因分析"],  # 10
    ["管理指标", 30, "预算编审管理", "完整、准确率", pct("100%"), pct("100%"), 4, 4, N],  # 11
    [N, N, "预算执行管理", "完成率、控制率", pct("100%"), "按规定执行", 4, 4, N],  # 12
    [N, N, "部门结转结余资金管理", "结余率", "小于5%", "达成目标值", 4, 4, N],  # 13
    [N, N, "预决算信息公开管理", "信息公开完善", "按规定公开", "已公开", 4, 4, N],  # 14
    [N, N, "部门预算管理", "人员控制、支出规范", "不超编、无违规支出", "全部达成", 4, 4, N],  # 15
    [N, N, "政府采购管理", "执行率", pct("100%"), pct("100%"), 5, 5, N],  # 16
    [N, N, "资产管理", "安全性、利用率", "无资产损失、利用率高于80%", "达成目标", 5, 5, N],  # 17
    ["出标产指", 25, "数量指标", "任务1:门诊住院人次", "增加", "增372人次", 5, 5, N],  # 18
    [N, N, N, "任务2:特殊人群健康管理率", "超上年2%", "达成目标值", 5, 5, N],  # 19
    [N, N, "质量指标", "任务1:诊断准确率", "95%以上", pct("97%"), 5, 5, N],  # 20
    [N, N, N, "任务2:健康档案管理率", pct("100%"), "完成", 3, 3, N],  # 21
    [N, N, "时效指标", "任务1:医疗文书及时率", "按规定时限", N, 4, 3, "个别人未及时完成"],  # 22
    [N, N, N, "任务2:健康档案更新率", "按规定时限", N, 3, 2, "录入有延迟"],  # 23
    ["效果指标", 35, "经济效益指标", "业务收入", "超上年度", "增收27万元", 13, 13, N],  # 24
    [N, N, "社会效益指标", "公卫均等化签约完成率、特殊人群体检率", "签约率提高1%X体检率提高2%",
     "签约率提高1%体检率下降1%", 12, 6, "部分群众不愿配合体检或长期在外"],  # 25
    [N, N, "生态效益指标", "绿化、节能", "绿化良好、水电费开支有下降", "水电支出减少01万元", 10, 10, N],  # 26
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "B3:E3", "F3:G3", "H3:I3",
            "A4:D4", "G4:I4", "A5:D5", "G5:I5", "A6:D6", "G6:I6", "A7:D7", "G7:I7",
            "A8:A9", "B8:E8", "F8:I8", "B9:E9", "F9:I9",
            "A11:A17", "B11:B17", "A18:A23", "B18:B23", "C18:C19", "C20:C21", "C22:C23",
            "A24:A26", "B24:B26",
        ],
        widths=W,
    )
]

_none_q = "quantitative target ({t}) answered with words ('{a}'), no number → cannot be scored (PE305)"
_none_w = "qualitative target '{t}' answered '{a}', which names no band and no success → cannot be scored (PE306)"

EXPECT = Expect(
    kind="department",
    name="南昌县黄马乡蚕茶卫生院",
    year=2021,
    money_unit="万元",
    budget=[
        ("资金来源:(1)财政拨款", "", "", ""),
        ("资金结构:(1)基本支出", "", "", ""),
        ("(2)项目支出", "", "", ""),
    ],
    execution_rate=None,
    execution_weight=D("10"),
    execution_score=D("0.00"),
    indicators=[
        Ind(11, "管理指标", "预算编审管理", "完整、准确率", "100%", "100%", "4", "4", D("4"),
            "100% done 100% → met → 4"),
        Ind(12, "管理指标", "预算执行管理", "完成率、控制率", "100%", "按规定执行", "4", "4", None,
            _none_q.format(t="100%", a="按规定执行")),
        Ind(13, "管理指标", "部门结转结余资金管理", "结余率", "小于5%", "达成目标值", "4", "4", None,
            _none_q.format(t="小于5%", a="达成目标值")),
        Ind(14, "管理指标", "预决算信息公开管理", "信息公开完善", "按规定公开", "已公开", "4", "4", D("4"),
            "qualitative, answered '已公开' — an unqualified statement of success (as '已完成') → met → 4"),
        Ind(15, "管理指标", "部门预算管理", "人员控制、支出规范", "不超编、无违规支出", "全部达成", "4", "4", D("4"),
            "qualitative, answered '全部达成' — an unqualified statement of success → met → 4"),
        Ind(16, "管理指标", "政府采购管理", "执行率", "100%", "100%", "5", "5", D("5"), "met → 5"),
        Ind(17, "管理指标", "资产管理", "安全性、利用率", "无资产损失、利用率高于80%", "达成目标", "5", "5", None,
            "the target carries a number ('利用率高于80%') → quantitative; answered '达成目标' with no number → "
            "cannot be scored (PE305)"),
        Ind(18, "出标产指", "数量指标", "任务1:门诊住院人次", "增加", "增372人次", "5", "5", None,
            _none_w.format(t="增加", a="增372人次") + "; the increase is stated as a count, not as a ratio"),
        Ind(19, "出标产指", "数量指标", "任务2:特殊人群健康管理率", "超上年2%", "达成目标值", "5", "5", None,
            _none_q.format(t="超上年2%", a="达成目标值")),
        Ind(20, "出标产指", "质量指标", "任务1:诊断准确率", "95%以上", "97%", "5", "5", D("5"),
            "95%以上 (≥95%) done 97% → met → 5"),
        Ind(21, "出标产指", "质量指标", "任务2:健康档案管理率", "100%", "完成", "3", "3", None,
            _none_q.format(t="100%", a="完成")),
        Ind(22, "出标产指", "时效指标", "任务1:医疗文书及时率", "按规定时限", "", "4", "3", None,
            "qualitative target '按规定时限' (no date) with no completion at all → cannot be scored (PE306); stated 3 "
            "with a reason"),
        Ind(23, "出标产指", "时效指标", "任务2:健康档案更新率", "按规定时限", "", "3", "2", None,
            "no completion → cannot be scored (PE306); stated 2 with a reason"),
        Ind(24, "效果指标", "经济效益指标", "业务收入", "超上年度", "增收27万元", "13", "13", None,
            _none_w.format(t="超上年度", a="增收27万元")),
        Ind(25, "效果指标", "社会效益指标", "公卫均等化签约完成率、特殊人群体检率", "签约率提高1%X体检率提高2%",
            "签约率提高1%体检率下降1%", "12", "6", None,
            "two measures in one row (签约率 / 体检率) with one 分值: no single target to compare → cannot be scored; "
            "stated 6 of 12 with a reason (体检率 fell)"),
        Ind(26, "效果指标", "生态效益指标", "绿化、节能", "绿化良好、水电费开支有下降", "水电支出减少01万元", "10", "10",
            None, _none_w.format(t="绿化良好、水电费开支有下降", a="水电支出减少01万元")),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("22.00"),
    hand_grade="差",
    provisional=11,
    profile="",
    findings=[
        ("PE103", "E5"),  # 全年预算数 / 全年执行数 empty; only the rate 103.21% is given
        ("PE305", "F12"), ("PE305", "F13"), ("PE305", "F17"), ("PE305", "F19"), ("PE305", "F21"),
        ("PE306", "F18"), ("PE306", "F22"), ("PE306", "F23"), ("PE306", "F24"), ("PE306", "F26"),
    ],
    quiet_rows=[11, 14, 15, 16, 20],
    narrative=(
        "A township health centre's whole-unit form on the Jiangxi template: 管理指标 30 / 产出 25 / 效果 35 "
        "(+ 满意度, cut off), no separate execution score. The budget amounts are missing — only a 执行率 of "
        "103.21% is given — so no execution rate can be recomputed. Most completions are words ('按规定执行', "
        "'达成目标值', '完成') under numeric targets, or counts under word targets, so 11 of the 16 rows shown "
        "cannot be scored by the rules; the 5 scorable rows are met (22 points). Every stated score equals its "
        "分值 except the two 时效 rows and the 社会效益 row, which carry reasons."
    ),
    truncated=True,
)
