"""池州市贵池区棠溪镇人民政府 项目支出绩效自评表(2022年度)（村级补助及运转经费）— 安徽 池州. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet

SOURCE = "http://www.anthempetcare.com/upload_cz/download?id=502367&siteId=2"
PROVINCE = "安徽省"
UNIT = "池州市贵池区棠溪镇人民政府"
KIND = "project"
YEAR = 2022
SPLIT = "tune"

NOTES = """\
Typed from the stored text of a reposted attachment (document properties first, then the cells separated
by single spaces); same template and same unit as anhui-tangxi-2022-proj-1.
- CUT OFF: the stored copy ends at '可持续影响' — the 可持续影响指标 row is cut in the middle and left out;
  the 满意度 block, the 总分 row and the notes are not in the text. The sheet ends with the 社会效益指标 row.
- The 年度资金总额 row is all zeros ('0 0 0 10 0 0') while 其中:本年财政拨款 holds 202.64 / 132.912 / 132.912.
- The 预期目标 text is followed in the stored text by '.. ' and 126 dots before the 实际完成情况 text; they
  are typed at the end of the 预期目标 cell (where they sit is inferred). '村民监督委员会 工资28000元' keeps
  the space the text shows (both goal cells have it).
- The amounts in the goal texts are in 元 although the block says 万元; typed as published.
- '=8个', '=42个', '≤202.6万元' are text; completions 8, 42, 132.9 are bare numbers.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 8, "B": 14, "C": 14, "D": 30, "E": 16, "F": 14, "G": 8, "H": 8, "I": 18}

N = None
_GOAL = ("本项目共申请预算资金2026400元,其中村级组织运转400000元,村民组长,党小组长基本报酬252000元,"
         "村民监督委员会 工资28000元,村级事务补助960000元,村级工作目标奖励100000元。 .. " + "." * 126)
_DONE = ("本项目共完成预算资金1329120.67元,其中村级组织运转439120.67元,村民组长,党小组长基本报酬152000元,"
         "村民监督委员会 工资28000元,村级事务补助660000元,村级工作目标奖励50000元。")
ROWS = [
    ["附件:", N, N, N, N, N, N, N, N],  # 1
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 2
    ["(2022年度)", N, N, N, N, N, N, N, N],  # 3
    ["项目名称", "村级补助及运转经费", N, N, N, N, N, N, N],  # 4
    ["主管部门", "219-池州市贵池区棠溪镇人民政府", N, N, "实施单位", "219001-池州市贵池区棠溪镇人民政府", N, N, N],  # 5
    ["项目资金\n(万元)", N, N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],  # 6
    [N, "年度资金总额:", N, 0, 0, 0, 10, 0, 0],  # 7
    [N, "其中:本年财政拨款", N, 202.64, 132.912, 132.912, N, N, N],  # 8
    [N, "上年结转资金", N, N, N, N, N, N, N],  # 9
    [N, "其他资金", N, N, N, N, N, N, N],  # 10
    ["年度总体目标", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 11
    [N, _GOAL, N, N, N, _DONE, N, N, N],  # 12
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],  # 13
    [N, "产出指标(50分)", "数量指标", "补助村(社区)数量", "=8个", 8, 8, 8, N],  # 14
    [N, N, N, "保障村干部人数", "=42个", 42, 8, 8, N],  # 15
    [N, N, "质量指标", "补助资格合规性", "合规", "达成预期指标", 8, 8, N],  # 16
    [N, N, N, "经费审批流程规范性", "严格执行相关制度规定", "达成预期指标", 8, 8, N],  # 17
    [N, N, "时效指标", "补助经费到位及时性", "及时", "达成预期指标", 8, 8, N],  # 18
    [N, N, "成本指标", "项目总成本", "≤202.6万元", 132.9, 10, 10, N],  # 19
    [N, "效益指标(30分)", "经济效益指标", "对保障村(社区)两委机构正常运行的影响程度", "效果明显", "达成预期指标",
     10, 10, N],  # 20
    [N, N, "社会效益指标", "提高村(社区)干部工作积极性的影响程度", "效果明显", "达成预期指标", 10, 10, N],  # 21
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5",
            "A6:A10", "B6:C6", "B7:C7", "B8:C8", "B9:C9", "B10:C10",
            "A11:A12", "B11:E11", "F11:I11", "B12:E12", "F12:I12",
            "A13:A21", "B14:B19", "C14:C15", "C16:C17", "B20:B21",
        ],
        widths=W,
    )
]

_band = "qualitative, answered with the band name '达成预期指标' (band 1); stated {s} lies in its range → {s}"

EXPECT = Expect(
    kind="project",
    name="村级补助及运转经费",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "0", "0", "0"),
        ("其中:本年财政拨款", "202.64", "132.912", "132.912"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(14, "产出指标(50分)", "数量指标", "补助村(社区)数量", "=8个", "8", "8", "8", D("8"),
            "=8个, completion 8 (→ 个) met → 8"),
        Ind(15, "产出指标(50分)", "数量指标", "保障村干部人数", "=42个", "42", "8", "8", D("8"),
            "=42个, completion 42 met → 8"),
        Ind(16, "产出指标(50分)", "质量指标", "补助资格合规性", "合规", "达成预期指标", "8", "8", D("8"),
            _band.format(s=8)),
        Ind(17, "产出指标(50分)", "质量指标", "经费审批流程规范性", "严格执行相关制度规定", "达成预期指标", "8", "8",
            D("8"), _band.format(s=8)),
        Ind(18, "产出指标(50分)", "时效指标", "补助经费到位及时性", "及时", "达成预期指标", "8", "8", D("8"),
            _band.format(s=8)),
        Ind(19, "产出指标(50分)", "成本指标", "项目总成本", "≤202.6万元", "132.9", "10", "10", D("10"),
            "reverse ≤202.6万元, completion 132.9 (→ 万元) met → 10; 202.6 / 132.9 − 1 = 52.4% beyond the "
            "target with no reason (over the 30% threshold)"),
        Ind(20, "效益指标(30分)", "经济效益指标", "对保障村(社区)两委机构正常运行的影响程度", "效果明显",
            "达成预期指标", "10", "10", D("10"), _band.format(s=10)),
        Ind(21, "效益指标(30分)", "社会效益指标", "提高村(社区)干部工作积极性的影响程度", "效果明显",
            "达成预期指标", "10", "10", D("10"), _band.format(s=10)),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("80.00"),
    hand_grade="良",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE104", "D7"),  # 年初: 其中 202.64 vs 年度资金总额 0
        ("PE104", "E7"),  # 全年: 132.912 vs 0
        ("PE104", "F7"),  # 执行: 132.912 vs 0
        ("PE106", "I7"),  # 执行率得分 0; rule (on the fund row) 10
        ("PE105", "E8"),  # 202.64 → 132.912 (调减 34.41%) with no explanation (read on the fund row)
        ("PE405", "I19"),  # 项目总成本 52.4% under the ≤202.6万元 ceiling, no reason
    ],
    quiet_rows=[14, 15, 16, 17, 18, 21],
    narrative=(
        "Same template and same slip as the 委托业务项目 form: the 年度资金总额 row is 0 / 0 / 0 with 得分 0, the "
        "figures sit on the 本年财政拨款 row (100% executed of the adjusted 132.912, cut 34.41% from 202.64 with "
        "no reason given). Truncated inside the 效益 block: the hand total 80.00 covers the execution score, "
        "产出 (50) and the two 效益 rows shown (20); row 20 carries the incomplete 效益 block's first-level cell."
    ),
    truncated=True,
)
