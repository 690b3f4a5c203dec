"""大英县总工会 2020年度部门整体支出绩效自评（评价指标打分表）— 四川 遂宁. A fragment: one page of an article."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet

SOURCE = "https://dyrmt.com/article-118510-6.html"
PROVINCE = "四川省"
UNIT = "大英县总工会"
KIND = "department"
YEAR = 2020
SPLIT = "tune"  # held out for the first generalisation measurement, looked at afterwards

NOTES = """\
Typed from page 6 of a paginated repost of '大英县总工会2020年度部门决算' (dyrmt.com, article-118510-6; the
article's other pages, among them -5 and -7, are not stored, so nothing could be joined). The page chrome
(site slogan, 发布者, 摘要 JSON naming the attachment '四川省遂宁市大英县总工会附表.XLS') is not typed.
- What the page holds is the START of the unit's 部门整体支出绩效 self-scoring table in the Sichuan
  评价指标 layout: 绩效指标 (一级/二级/三级) | 指标分值 | 指标解释 | 计分标准 | 自评得分 | 备注 — no title, no
  unit name, no year, no budget block, and no 年度指标值 / 实际完成值 columns (each row is scored against its
  计分标准, not against a target). First level shown: '部门预算管理(80分)' → 二级 '预算编制(30分)' with three
  三级 of 10 points each. profile "".
- CUT OFF: the stored copy ends after the 编制准确 row (its 自评得分 9.8 and an empty 备注 are shown); the
  rest of 预算编制 and everything after it are not in the text. The sheet ends at row 5.
- The first-level cell reads '部门预 / 算管理 / 80分)' (line breaks; the '(' is missing in the text) — typed
  so. The 计分标准 cell of 目标制定 has runs of spaces between its three sentences, typed as line breaks.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 10, "B": 12, "C": 10, "D": 8, "E": 28, "F": 48, "G": 8, "H": 8}

N = None
ROWS = [
    ["绩效指标", N, N, "指标分值", "指标解释", "计分标准", "自评\n得分", "备注"],  # 1
    ["一级\n指标", "二级\n指标", "三级\n指标", N, N, N, N, N],  # 2
    ["部门预\n算管理\n80分)", "预算编制(30分)", "目标制定", 10, "评价部门绩效目标是否要素完整、细化量化。",
     "1.绩效目标编制要素完整的,得5分,否则酌情扣分。\n2.绩效指标细化量化的,得5分,否则酌情扣分。\n"
     "有项目绩效目标的部门(单位),根据项目绩效目标编制质量打分,无项目绩效目标的部门,根据部门整体支出绩效目标打分。",
     9, N],  # 3
    [N, N, "目标实现", 10, "评价部门绩效目标实际实现程度与预期目标的偏离度。",
     "以项目完成数量为核心,评价项目实际完成情况与预期绩效目标偏离度,单个数量指标实际完成未达到预期指标或超过预期指标"
     "30%以上的,均不计分。该项指标得分=达到预期值的数量指标个数/全部数量指标个数(即评价选取的项目绩效目标包含的所有"
     "数量指标)", 8, N],  # 4
    [N, N, "编制准确", 10, "评价部门年初预算编制是否科学准确。",
     "指标得分=1-10×部门全年预算调剂金额/年初部门预算数))*指标分值。其中:若部门全年预算调剂金额/年初部门预算数>0.1,"
     "此项得0分。", 9.8, N],  # 5
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=["A1:C1", "D1:D2", "E1:E2", "F1:F2", "G1:G2", "H1:H2", "A3:A5", "B3:B5"],
        widths=W,
    )
]

_why = ("an evaluation-index row (指标分值 / 计分标准 / 自评得分): the form has no 年度指标值 and no 实际完成值, "
        "so the rules cannot score it (stated {s})")

EXPECT = Expect(
    kind="department",
    name="",
    year=None,
    money_unit="万元",  # the form states none: the default
    budget=[],
    execution_rate=None,
    execution_weight=D("10"),
    execution_score=D("0.00"),
    indicators=[
        Ind(3, "部门预算管理80分)", "预算编制(30分)", "目标制定", "", "", "10", "9", None, _why.format(s=9)),
        Ind(4, "部门预算管理80分)", "预算编制(30分)", "目标实现", "", "", "10", "8", None, _why.format(s=8)),
        Ind(5, "部门预算管理80分)", "预算编制(30分)", "编制准确", "", "", "10", "9.8", None, _why.format(s="9.8")),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("0.00"),
    hand_grade="差",
    provisional=3,
    profile="",
    findings=[],
    quiet_rows=[],
    narrative=(
        "A different kind of department self-evaluation: an indicator-system score sheet (部门预算管理 80分 …) "
        "where each row carries 指标分值, an explanation, a scoring standard and the unit's own 自评得分 (9, 8, "
        "9.8). With no budget block (no 执行率 score can be worked) and no targets or completions, nothing on "
        "the page can be scored by the reviewer's rules: hand total 0.00, provisional on all 3 rows."
    ),
    truncated=True,
)
