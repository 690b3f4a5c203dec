"""青神县发展和改革局 部门预算项目支出绩效自评表(2023年度)（工资性支出）— 四川 眉山."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "https://www.scqs.gov.cn/info/13206/211004.htm"
PROVINCE = "四川省"
UNIT = "青神县发展和改革局"
KIND = "project"
YEAR = 2023
SPLIT = "tune"  # held out for the first generalisation measurement, looked at afterwards

NOTES = """\
Typed from the page text (an HTML table flattened one cell per line by the search tool).
- Layout is the Sichuan 一体化 '部门预算项目支出绩效自评表' (报表编号 510000_0013zp): a 项目基本情况 block,
  '预算执行情况(10分)' with five fund rows (总额 / 其中:财政资金 / 财政专户管理资金 / 单位资金 / 其他资金),
  each with its own 预算执行率 and '/' in 权重/得分 of the sub-rows, then '绩效指标(90分)' with 指标性质 |
  指标值 | 度量单位 in separate columns, 完成值, 权重, 得分, 未完成原因分析.
- The form was published unfilled where the unit should have assessed itself: every 完成值 and 得分 is
  empty (also the 总额 row's 得分 and the 合计 得分), and the template's hints are left in the
  年度目标完成情况, 评价结论, 存在问题 and 改进措施 cells. Typed as published.
- The long 原因 note of the budget block is put in one cell merged down the five fund rows (the page
  shows it once, on the 总额 row). Amounts shown '0.00' are typed as numbers with a 0.00 format.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 12, "C": 14, "D": 22, "E": 10, "F": 10, "G": 10, "H": 10, "I": 8, "J": 8, "K": 30}

N = None
F2 = "0.00"
ROWS = [
    ["报表编号:510000_0013zp", N, N, N, N, N, N, N, N, N, N],  # 1
    ["部门预算项目支出绩效自评表(2023年度)", N, N, N, N, N, N, N, N, N, N],  # 2
    ["项目名称", "51000021R000000019951-工资性支出", N, N, N, N, N, N, N, N, N],  # 3
    ["主管部门", "青神县发展和改革局本级", N, N, N, "实施单位 (盖章)", N, "青神县发展和改革局", N, N, N],  # 4
    ["项目基本情况", "1.项目年度目标完成情况", "项目年度目标", N, N, N, "年度目标完成情况", N, N, N, N],  # 5
    [N, N, "严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。", N, N, N,
     "对照年度目标,说明相关任务目标的完成情况(100字以内)", N, N, N, N],  # 6
    [N, "2.项目实施内容及过程概述", N, N, N, N, N, N, N, N, N],  # 7
    ["预算执行情况(10分)", "年度预算数(万元)", N, "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分",
     "原因", N],  # 8
    [N, "总额", N, num("238.93", F2), num("251.89", F2), num("251.89", F2), pct("100.00%"), 10, N,
     "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),"
     "应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.", N],  # 9
    [N, "其中:财政资金", N, num("238.93", F2), num("251.89", F2), num("251.89", F2), pct("100.00%"), "/", "/", N, N],  # 10
    [N, "财政专户管理资金", N, num("0.00", F2), num("0.00", F2), num("0.00", F2), pct("0.00%"), "/", "/", N, N],  # 11
    [N, "单位资金", N, num("0.00", F2), num("0.00", F2), num("0.00", F2), pct("0.00%"), "/", "/", N, N],  # 12
    [N, "其他资金", N, N, N, N, N, "/", "/", N, N],  # 13
    ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
     "未完成原因分析"],  # 14
    [N, "产出指标", "数量指标", "发放(缴纳)覆盖率", "=", 100, "%", N, 60, N, N],  # 15
    [N, "效益指标", "社会效益指标", "足额保障率(参保率)", "=", 100, "%", N, 30, N, N],  # 16
    ["合计", N, N, N, N, N, N, N, 100, N, N],  # 17
    ["评价结论", "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)", N, N, N, N, N, N, N, N, N],  # 18
    ["存在问题", "结合自评情况,分析存在的问题及原因。(200字以内)", N, N, N, N, N, N, N, N, N],  # 19
    ["改进措施", "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内)", N, N, N, N, N, N, N, N, N],  # 20
    ["项目负责人:", N, N, N, N, "财务负责人:", N, N, N, N, N],  # 21
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:K1", "A2:K2", "B3:K3", "B4:E4", "F4:G4", "H4:K4",
            "A5:A7", "B5:B6", "C5:F5", "G5:K5", "C6:F6", "G6:K6", "C7:K7",
            "A8:A13", "B8:C8", "J8:K8", "B9:C9", "B10:C10", "B11:C11", "B12:C12", "B13:C13", "J9:K13",
            "A14:A16", "A17:H17",
            "B18:K18", "B19:K19", "B20:K20", "A21:E21", "F21:K21",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="51000021R000000019951-工资性支出",
    year=2023,
    money_unit="万元",
    budget=[
        ("总额", "238.93", "251.89", "251.89"),
        ("其中:财政资金", "238.93", "251.89", "251.89"),
        ("财政专户管理资金", "0", "0", "0"),
        ("单位资金", "0", "0", "0"),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(15, "产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%", "", "60", "", None,
            "=100%, 完成值 empty and 得分 empty: cannot be scored → provisional"),
        Ind(16, "效益指标", "社会效益指标", "足额保障率(参保率)", "=100%", "", "30", "", None,
            "=100%, 完成值 empty and 得分 empty: cannot be scored → provisional"),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("10.00"),
    hand_grade="差",
    provisional=2,
    profile="national-project",
    findings=[
        ("PE504", "G6"),   # 年度目标完成情况 still holds the template hint
        ("PE202", "I9"),   # 执行率 得分 empty (rule gives 10)
        ("PE208", "I17"),  # no 满意度指标 at all (pointed at the 合计 分值)
        ("PE201", "B15"),  # 产出指标 60, rule 50
        ("PE305", "H15"), ("PE202", "J15"),
        ("PE305", "H16"), ("PE202", "J16"),
        ("PE202", "J17"),  # 合计 得分 empty
        ("PE504", "B18"), ("PE504", "B19"), ("PE504", "B20"),
    ],
    quiet_rows=[],
    narrative=(
        "A published but unfilled self-evaluation: budget figures are there (251.89 of 251.89 spent, "
        "adjusted up 5.42% from 238.93), weights 10 + 60 + 30 = 100, but no completion value, no score and "
        "the template's hints in every text cell."
    ),
)
