"""银川市第六中学 银川市本级部门项目支出绩效自评表(2021年)（初中公用经费）— 宁夏 银川. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://m.yzwku.com/doc/476505.html"
PROVINCE = "宁夏回族自治区"
UNIT = "银川市第六中学"
KIND = "project"
YEAR = 2021
SPLIT = "holdout"

NOTES = """\
Typed from the stored text of a document-sharing repost ('银川市本级部门项目支出绩效自评表.docx', 5 pages):
a machine-read (OCR) copy of the Word table, cells run together without separators, page breaks shown as
'1、', '2、', '3、'. The site's header ('由会员分享，可在线阅读…') and the page markers are not typed.
- CUT OFF: the stored copy ends inside the 服务对象满意度指标(10分) row ('…(10分)学生和老'); that row is left
  out, so the sheet ends with the '指标2:' row under 可持续影响指标 (row 32). No 总分 row is shown; the stated
  total is the '自评得分 98' cell of the header.
- OCR misreadings of the repost are corrected where the reading is certain and the published word is a
  template word: 实施第位→实施单位, 项Fl资金(万兀)→项目资金(万元), 年初预匏数→年初预算数, 调整预算将,A、→
  调整预算数(A), 年度总体r二→年度总体目标, 年度总体目标完成情况公,4→年度总体目标完成情况综述, 考值参分→参考分值,
  指标值(八)→指标值(A), 项Fl实施→项目实施, 顼目产出→项目产出, 有资金测第标准→有资金测算标准, 'IO'→10 (the
  保障人数 score), 'M.8万元'→14.8万元 (the completion beside it is 14.8万元, and 15 + 35 + 14.8 = 64.8),
  '指标L'→'指标1:', '行个'→'有个'; the dash target of the 决策/管理 rows read '一' is typed '—'. Kept as
  read where the published word is not certain: '财政审1度评分' (a header label with no value).
- Layout is the Yinchuan 2021 project template (old four-part structure): 项目决策(10分) / 项目管理(25分) /
  项目产出(30分) / 项目效益(35分) = 100; columns 一级指标 | 二级指标 | 三级指标 | 参考分值 | 指标值(A) |
  全年实际值(B) | 得分 | 未完成原因分析及改进措施 (the 分值 column comes before the target). The budget block
  has no 分值/得分 columns: the 预算执行率 is scored as the row '投入管理 | 预算执行率 | 10 | — | 100% | 9' inside
  项目管理. Column positions and merges are inferred from the word order (8 columns).
- Header rows: '项目名称 初中公用经费 主管部门 银川市教育局' and '实施单位 … 自评得分 98 财政审1度评分', with
  the 实施单位 value '银川市第六中学' read at the end of that run; its cell is placed after the label.
- 年度总体目标: '年初设定目标 保障学校正常工作运行', '年度总体目标完成情况综述' with no text after it (blank).
- The 决策/管理 rows have '—' (or nothing, or '-') as 指标值 and a statement as 全年实际值 (they are 共性指标
  scored against a standard not printed on the form). Empty template rows '指标1:' / '指标2:' are kept.
- The search tool folds full-width punctuation to half-width ('(10分)', '指标2:'); typed as given.
"""

W = {"A": 12, "B": 14, "C": 26, "D": 8, "E": 18, "F": 18, "G": 8, "H": 18}

N = None
ROWS = [
    ["银川市本级部门项目支出绩效自评表(2021年)", N, N, N, N, N, N, N],  # 1
    ["项目名称", "初中公用经费", N, N, "主管部门", "银川市教育局", N, N],  # 2
    ["实施单位", "银川市第六中学", N, N, "自评得分", 98, "财政审1度评分", N],  # 3
    ["项目资金(万元)", N, "年初预算数", "调整预算数(A)", "全年执行数(B)", "执行率(B/A)", N, N],  # 4
    [N, "年度资金总额", 64.8, 64.8, 64.8, pct("100%"), N, N],  # 5
    ["年度总体目标", "年初设定目标", "保障学校正常工作运行", N, N, N, N, N],  # 6
    [N, "年度总体目标完成情况综述", N, N, N, N, N, N],  # 7
    ["一级指标", "二级指标", "三级指标", "参考分值", "指标值(A)", "全年实际值(B)", "得分", "未完成原因分析及改进措施"],  # 8
    ["项目决策(10分)", "项目目标", "完整性", 4, "—", "目标明确、内容细化、目标量化", 4, N],  # 9
    [N, "项目立项", "相关性", 2, "—", "按照学校管理标准对学校进行管理", 2, N],  # 10
    [N, N, "可行性", 2, N, "实际工作需求", 2, N],  # 11
    [N, N, "适当性", 2, N, "有资金测算标准", 2, N],  # 12
    ["项目管理(25分)", "投入管理", "预算执行率", 10, "—", pct("100%"), 9, N],  # 13
    [N, "财务管理", "财务管理制度有效性", 7, "—", "财务制度健全,严格执行制度,会计核算规范", 7, N],  # 14
    [N, "项目实施", "绩效监控有效性", 2, "—", "持续有效", 2, N],  # 15
    [N, N, "管理制度有效性", 6, "-", "严格执行相关管理制度", 6, N],  # 16
    ["项目产出(30分)", "数量指标(10分)", "保障人数", 10, "2370人", "2370人", 10, N],  # 17
    [N, N, "指标2:", N, N, N, N, N],  # 18
    [N, "质量指标(5分)", "公用经费标准", 5, "符合相关文件要求", "符合相关文件要求", 5, N],  # 19
    [N, N, "指标2:", N, N, N, N, N],  # 20
    [N, "时效指标(5分)", "公用经费完成时间", 5, "2021年12月完成", "2021年12月完成", 4, N],  # 21
    [N, N, "指标2:", N, N, N, N, N],  # 22
    [N, "成本指标(10分)", "办公所需成本", 4, "15万元", "15万元", 4, N],  # 23
    [N, N, "维修(维护)所需成本", 3, "35万元", "35万元", 3, N],  # 24
    [N, N, "绿化、水电费等成本", 3, "14.8万元", "14.8万元", 3, N],  # 25
    ["项目效益(35分)", "经济效益指标", "指标1:", N, N, N, N, N],  # 26
    [N, N, "指标2:", N, N, N, N, N],  # 27
    [N, "社会效益指标", "效果显著", 15, "改善学校的办学条件", "改善学校的办学条件", 13, N],  # 28
    [N, "生态效益指标", "指标1:", N, N, N, N, N],  # 29
    [N, N, "指标2:", N, N, N, N, N],  # 30
    [N, "可持续影响指标", "使学生和老师有个更好的学习和工作环境,做到", 10, "社会认可的办学环境.",
     "社会认可的办学环境.", 8, N],  # 31
    [N, N, "指标2:", N, N, N, N, N],  # 32
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:H1", "B2:D2", "F2:H2", "B3:D3",
            "A4:A5",
            "A6:A7", "C6:H6", "C7:H7",
            "A9:A12", "B10:B12", "A13:A16", "B15:B16",
            "A17:A25", "B17:B18", "B19:B20", "B21:B22", "B23:B25",
            "A26:A32", "B26:B27", "B29:B30", "B31:B32",
        ],
        widths=W,
    )
]

_none = ("指标值 '{t}' (no target): a 共性指标 scored on a standard the form does not print; the completion "
         "'{a}' names no band and no success word → cannot be recomputed by the rules")

EXPECT = Expect(
    kind="project",
    name="初中公用经费",
    year=2021,
    money_unit="万元",
    budget=[
        ("年度资金总额", "64.8", "64.8", "64.8"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(9, "项目决策(10分)", "项目目标", "完整性", "—", "目标明确、内容细化、目标量化", "4", "4", None,
            _none.format(t="—", a="目标明确、内容细化、目标量化")),
        Ind(10, "项目决策(10分)", "项目立项", "相关性", "—", "按照学校管理标准对学校进行管理", "2", "2", None,
            _none.format(t="—", a="按照学校管理标准对学校进行管理")),
        Ind(11, "项目决策(10分)", "项目立项", "可行性", "", "实际工作需求", "2", "2", None,
            _none.format(t="", a="实际工作需求")),
        Ind(12, "项目决策(10分)", "项目立项", "适当性", "", "有资金测算标准", "2", "2", None,
            _none.format(t="", a="有资金测算标准")),
        Ind(14, "项目管理(25分)", "财务管理", "财务管理制度有效性", "—", "财务制度健全,严格执行制度,会计核算规范",
            "7", "7", None, _none.format(t="—", a="财务制度健全,严格执行制度,会计核算规范")),
        Ind(15, "项目管理(25分)", "项目实施", "绩效监控有效性", "—", "持续有效", "2", "2", None,
            _none.format(t="—", a="持续有效")),
        Ind(16, "项目管理(25分)", "项目实施", "管理制度有效性", "-", "严格执行相关管理制度", "6", "6", None,
            _none.format(t="-", a="严格执行相关管理制度")),
        Ind(17, "项目产出(30分)", "数量指标(10分)", "保障人数", "2370人", "2370人", "10", "10", D("10"),
            "2370人 (no comparator) done 2370人 → met → 10"),
        Ind(19, "项目产出(30分)", "质量指标(5分)", "公用经费标准", "符合相关文件要求", "符合相关文件要求", "5", "5",
            D("5"), "qualitative, answered with the target's own words → met → 5"),
        Ind(21, "项目产出(30分)", "时效指标(5分)", "公用经费完成时间", "2021年12月完成", "2021年12月完成", "5", "4",
            D("5"), "time target 2021年12月, completed 2021年12月 (on the limit) → full 5; stated 4, no reason"),
        Ind(23, "项目产出(30分)", "成本指标(10分)", "办公所需成本", "15万元", "15万元", "4", "4", D("4"),
            "15万元 done 15万元 → met → 4"),
        Ind(24, "项目产出(30分)", "成本指标(10分)", "维修(维护)所需成本", "35万元", "35万元", "3", "3", D("3"),
            "35万元 done 35万元 → met → 3"),
        Ind(25, "项目产出(30分)", "成本指标(10分)", "绿化、水电费等成本", "14.8万元", "14.8万元", "3", "3", D("3"),
            "14.8万元 done 14.8万元 → met → 3"),
        Ind(28, "项目效益(35分)", "社会效益指标", "效果显著", "改善学校的办学条件", "改善学校的办学条件", "15", "13",
            D("15"), "qualitative, answered with the target's own words → met → 15; stated 13, no reason"),
        Ind(31, "项目效益(35分)", "可持续影响指标", "使学生和老师有个更好的学习和工作环境,做到", "社会认可的办学环境.",
            "社会认可的办学环境.", "10", "8", D("10"),
            "qualitative, answered with the target's own words → met → 10; stated 8, no reason"),
    ],
    dropped_placeholders=8,
    stated_total=D("98"),
    hand_total=D("65.00"),
    hand_grade="中",
    provisional=7,
    profile="",
    findings=[
        ("PE106", "G13"),  # 预算执行率 row: 64.8 / 64.8 = 100% → 10, stated 9
        ("PE401", "G21"), ("PE403", "H21"),  # time limit met, stated 4 of 5, no reason (PE404 is for 定量 rows)
        ("PE401", "G28"), ("PE403", "H28"),  # met (target's own words), stated 13 of 15, no reason
        ("PE401", "G31"), ("PE403", "H31"),  # met (target's own words), stated 8 of 10, no reason
        ("PE205", "F3"),  # 自评得分 98, but the stated scores add to 84 + at most 10 (满意度, cut) = 94
    ],
    quiet_rows=[5, 17, 19, 23, 24, 25],
    narrative=(
        "64.8 of 64.8万元 spent, yet the 预算执行率 row (10 points, inside 项目管理) is marked 9. Three met rows are "
        "marked down without a reason (完成时间 4/5, 社会效益 13/15, 可持续 8/10). The seven 决策/管理 共性指标 carry "
        "no target and cannot be recomputed (provisional). The header's 自评得分 98 cannot be the sum of the "
        "stated scores: they add to 84 before the cut-off 满意度 row, which is worth at most 10. Truncated: the "
        "hand total 65.00 covers execution (10), 产出 (30) and the 效益 rows shown (25), with 7 rows provisional."
    ),
    truncated=True,
)
