"""衡山县贯塘乡人民政府 2023年度部门整体支出绩效自评表 — 湖南 衡阳. Cut off after the budget block."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, num, pct

SOURCE = "http://www.hengshan.gov.cn/xzxxgk/gtx/fdzdgknr/czxx/20240914/i3455515.html"
PROVINCE = "湖南省"
UNIT = "衡山县贯塘乡人民政府"
KIND = "department"
YEAR = 2023
SPLIT = "tune"

NOTES = """\
Typed from the page text (one cell per line). The page ('2023年贯塘乡人民政府决算编制说明') first shows
附件一, the '2023年度部门整体支出绩效评价基础数据表' (staff, 三公经费, 项目支出 874.20 / 308.17 / 1025.20,
公用经费 …); that is a separate table and is not typed. The form is 附件二.
- CUT OFF: the stored copy ends inside the 预期目标 cell ('搞好政府各职能部门完成的工作任务监督,服务市场主体和
  营造发展'); the goal row is left out, and the indicator table is not in the text. The sheet ends with the
  年度总体目标 header row (row 11). indicators=[]; the hand total is the execution score alone.
- Layout is the Hunan department template (as hunan-linglinglinye-2021-dept): '年度预算申请(万元' (the
  closing bracket is missing in the text) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 自评得分,
  a 年度资金总额 row, then 按收入性质分 / 按支出性质分 with the amounts written inside the label cells.
- 按收入性质分:2030.12 = 1325.68 + 118.82 + 585.62 (adds up); 按支出性质分:1925.67 = 900.47 + 1025.20,
  which is not the 2030.12 of the total row (the 附件一 table gives 项目支出 1025.20 as the 2023 决算数).
- EXPECT.budget lists only the 年度资金总额 row: the 按收入性质分 / 按支出性质分 rows carry their amounts
  inside the label text, not in the amount columns, so they are not fund rows.
- Amounts shown with two decimals ('861.10', '1025.20') are numbers with a 0.00 format.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 14, "C": 14, "D": 12, "E": 14, "F": 8, "G": 8, "H": 10}

N = None
F2 = "0.00"
ROWS = [
    ["附件二", N, N, N, N, N, N, N],  # 1
    ["2023年度部门整体支出绩效自评表", N, N, N, N, N, N, N],  # 2
    ["预算部门、单位名称", N, "衡山县贯塘乡人民政府", N, N, N, N, N],  # 3
    ["年度预算申请\n(万元", N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"],  # 4
    [N, "年度资金总额", num("861.10", F2), num("2030.12", F2), num("2030.12", F2), 10, pct("100%"), 10],  # 5
    [N, "按收入性质分:2030.12", N, N, "按支出性质分:1925.67", N, N, N],  # 6
    [N, "其中: 一般公共预算:1325.68", N, N, "其中:基本支出:900.47", N, N, N],  # 7
    [N, "政府性基金拨款:118.82", N, N, "项目支出:1025.20", N, N, N],  # 8
    [N, "纳入专户管理的非税收入拨款:", N, N, N, N, N, N],  # 9
    [N, "其他资金:585.62", N, N, N, N, N, N],  # 10
    ["年度总体目标", "预期目标", N, N, "实际完成情况", N, N, N],  # 11
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:H1", "A2:H2", "A3:B3", "C3:H3",
            "A4:A10", "B6:D6", "E6:H6", "B7:D7", "E7:H7", "B8:D8", "E8:H8", "B9:D9", "E9:H9",
            "B10:D10", "E10:H10",
            "B11:D11", "E11:H11",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="department",
    name="衡山县贯塘乡人民政府",
    year=2023,
    money_unit="万元",
    budget=[
        ("年度资金总额", "861.1", "2030.12", "2030.12"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("10.00"),
    hand_grade="差",
    provisional=0,
    profile="",
    findings=[
        ("PE105", "D5"),  # 861.10 → 2030.12 (调增 135.76%), no explanation
        # Not raised by rule: 基本支出 900.47 + 项目支出 1025.20 = 1925.67 ≠ 2030.12 is written inside the
        # label text ("按支出性质分:1925.67"), without saying whether it is 全年预算数 or 全年执行数;
        # the importer keeps those cells as notes (PE803 info) for the reviewer to read.
    ],
    quiet_rows=[],
    narrative=(
        "Only the budget block survives: 2030.12 of 2030.12万元 spent (100%, 10 points as stated), after the "
        "budget was raised 135.76% from 861.10 with no explanation; the 按支出性质分 split (900.47 + 1025.20 = "
        "1925.67) does not reach the 2030.12 total."
    ),
    truncated=True,
)
