"""滁州市人力资源和社会保障局 项目支出绩效自评表(2022年度)（“三支一扶”省级财政补助资金）— 安徽 滁州.

The form follows an index table on the same sheet. Cut off inside the goals.
"""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, pct

SOURCE = "https://rsj.chuzhou.gov.cn/public/2681507/1112202840.html"
PROVINCE = "安徽省"
UNIT = "滁州市人力资源和社会保障局"
KIND = "project"
YEAR = 2022
SPLIT = "holdout"

NOTES = """\
Typed from the page text (one cell per line, no table markup). The page heading '2022年度项目支出绩效自评表'
and '发布时间:2024-06-13 17:10 【字体:打印' are the page's and are not typed.
- The published attachment opens with an INDEX TABLE — '滁州市人力资源和社会保障局本级单位项目绩效自评表清单' with
  columns 序号 | 项目名称 | 备注 and 8 rows ('1 “三支一扶”省级财政补助资金自评表' … '8 提前下达“三支一扶”中央补助资金自评表')
  — and only then the first of the eight forms. Both are typed on one sheet, the index in rows 1–10, the
  form from row 12 (an empty row between them is inferred). This is new to the corpus: the importer must not
  take the index table for the indicator table.
- CUT OFF: the stored copy ends inside the goal row (the 实际完成情况 cell breaks off at '…保障了“三支一扶”人');
  that row is left out. The sheet ends with the goal header row (row 21); no indicators are shown.
- Layout is the Anhui 2022 project template (as anhui-tianchangshuili): '项目资金 (万元)' | 年初预算数 |
  全年预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分; sub-rows show '-' under 分值 and 得分 (上年结转资金 /
  其他资金 are otherwise empty); '年度总体目标完成情况 | 预期目标 | 实际完成情况'.
- The form's year line reads '2022年度)' (the opening bracket is missing in the text); typed as stored.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 12, "B": 14, "C": 10, "D": 12, "E": 14, "F": 14, "G": 8, "H": 12, "I": 8}

N = None
ROWS = [
    ["滁州市人力资源和社会保障局本级单位项目绩效自评表清单", N, N, N, N, N, N, N, N],  # 1
    ["序号", "项目名称", N, N, N, N, N, "备注", N],  # 2
    [1, "“三支一扶”省级财政补助资金自评表", N, N, N, N, N, N, N],  # 3
    [2, "“三支一扶”市级补助资金自评表", N, N, N, N, N, N, N],  # 4
    [3, "城乡劳动力发展工作经费自评表", N, N, N, N, N, N, N],  # 5
    [4, "人事考试专项经费自评表", N, N, N, N, N, N, N],  # 6
    [5, "社会保障工作经费自评表", N, N, N, N, N, N, N],  # 7
    [6, "市级就业补助资金自评表", N, N, N, N, N, N, N],  # 8
    [7, "水电费、物业费自评表", N, N, N, N, N, N, N],  # 9
    [8, "提前下达“三支一扶”中央补助资金自评表", N, N, N, N, N, N, N],  # 10
    [N, N, N, N, N, N, N, N, N],  # 11
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],  # 12
    ["2022年度)", N, N, N, N, N, N, N, N],  # 13
    ["项目名称", "“三支一扶”省级财政补助资金", N, N, N, N, N, N, N],  # 14
    ["主管部门", "滁州市人力资源和社会保障局", N, N, "实施单位", "滁州市人力资源和社会保障局", N, N, N],  # 15
    ["项目资金\n(万元)", N, N, "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],  # 16
    [N, "年度资金总额:", N, 99, 99, 99, 10, pct("100%"), 10],  # 17
    [N, "其中:本年财政拨款", N, 99, 99, 99, "-", pct("100%"), "-"],  # 18
    [N, "上年结转资金", N, N, N, N, "-", N, "-"],  # 19
    [N, "其他资金", N, N, N, N, "-", N, "-"],  # 20
    ["年度总体目标完成情况", "预期目标", N, N, N, "实际完成情况", N, N, N],  # 21
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:I1", "B2:G2", "H2:I2",
            "B3:G3", "H3:I3", "B4:G4", "H4:I4", "B5:G5", "H5:I5", "B6:G6", "H6:I6",
            "B7:G7", "H7:I7", "B8:G8", "H8:I8", "B9:G9", "H9:I9", "B10:G10", "H10:I10",
            "A12:I12", "A13:I13", "B14:I14", "B15:D15", "F15:I15",
            "A16:A20", "B16:C16", "B17:C17", "B18:C18", "B19:C19", "B20:C20",
            "B21:E21", "F21:I21",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="“三支一扶”省级财政补助资金",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "99", "99", "99"),
        ("其中:本年财政拨款", "99", "99", "99"),
        ("上年结转资金", "", "", ""),
        ("其他资金", "", "", ""),
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
    profile="national-project",
    findings=[],
    quiet_rows=[17, 18, 19, 20],
    narrative=(
        "The first of eight forms in one attachment, preceded by the attachment's index table. 99万元 budgeted "
        "and spent (100%), execution score 10 as stated. The goals are cut off, so the hand total is the "
        "execution score alone."
    ),
    truncated=True,
)
