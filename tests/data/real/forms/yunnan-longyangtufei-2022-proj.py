"""隆阳区土壤肥料工作站 2022年度项目支出绩效自评表（隆阳区2021年中央化肥减量增效示范县项目补助资金）— 云南 保山.

Cut off inside the 效益 block.
"""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "https://longyang.gov.cn/info/5311/13352539.htm"
PROVINCE = "云南省"
UNIT = "隆阳区土壤肥料工作站"
KIND = "project"
YEAR = 2022
SPLIT = "holdout"

NOTES = """\
Typed from the page text (an HTML table flattened, '|' between cells); the page header (索引号
01525707-9/20230529-00013, 发文机构 隆阳区农业农村局, 日期 2023-05-29, '隆阳区2021年中央化肥减量增效示范县项目补助
资金绩效自评') is not typed.
- CUT OFF: the stored copy ends at '生态' (the 生态效益 row); that row is left out. The sheet ends with the
  受益农户数 row (row 23); no 总分 row is shown.
- Layout is the Baoshan 县直 template of yunnan-changninggongxiao ('单位名称 … 填报日期' line, 项目类别 / 项目属性
  tick rows, '预算执行情况(万元) (20分)' with 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 (20分*执行率), then
  '年度绩效目标 (80分)' with 一级 / 二级 / 三级 / 年初目标值(A) / 实际完成值(B) / 得分 — NO 分值 column), typed on
  the same 7-column grid. What is new here: the 数量指标 rows are NESTED — a parent '一、示范区建立 ≧20000亩
  20000亩 15.0' followed by its parts '1、水稻侧深施肥+缓控释肥 ≧500亩 500亩 5.0', '2、…', '3、…' whose scores
  add up to the parent's (5 + 5 + 5 = 15; 5 + 5 + 3 + 2 = 15 under 二、), so parent and parts are both scored.
- The tick boxes print as Wingdings letters: '£' for an empty box, 'R' for a ticked one ('3、上级转移支付项目 R');
  typed as stored. The comparator is '≧' (U+2267); scores are shown with one decimal ('15.0') and typed
  as numbers with a 0.0 format.
- Budget: 预算数 278.4449, 执行数 30.00, 执行率 10.77%, 得分 2.16 — typed as published.
- '社会效益效益指标' (doubled word) typed as stored.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 16, "B": 10, "C": 12, "D": 30, "E": 14, "F": 14, "G": 10}

N = None
F1 = "0.0"


def s(v: str):
    return num(v, F1)


ROWS = [
    ["2022年度项目支出绩效自评表", N, N, N, N, N, N],  # 1
    ["单位名称:隆阳区土壤肥料工作站", N, N, N, "填报日期:2023年3月20日", N, N],  # 2
    ["项目名称", "隆阳区2021年中央化肥减量增效示范县项目补助资金", N, N, N, N, N],  # 3
    ["主管部门", "隆阳区农业农村局", N, "项目实施单位", "隆阳区土壤肥料工作站", N, N],  # 4
    ["项目类别", "1、部门预算项目 £ 2、区直专项 £ 3、上级转移支付项目 R", N, N, N, N, N],  # 5
    ["项目属性", "1、持续性项目 £ 2、新增性项目 R", N, N, N, N, N],  # 6
    ["预算执行情况(万元)\n(20分)", "预算数(A)", N, "执行数(B)", N, "执行率(B/A)", "得分\n(20分*执行率)"],  # 7
    ["年度财政资金总额", 278.4449, N, num("30.00", "0.00"), N, pct("10.77%"), 2.16],  # 8
    ["年度绩效目标\n(80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],  # 9
    [N, "产出指标", "数量指标", "一、示范区建立", "≧20000亩", "20000亩", s("15.0")],  # 10
    [N, N, N, "1、水稻侧深施肥+缓控释肥", "≧500亩", "500亩", s("5.0")],  # 11
    [N, N, N, "2、玉米种肥同播+缓控释肥", "≧1000亩", "1000亩", s("5.0")],  # 12
    [N, N, N, "3、施用配方肥", "≧18500亩", "18500亩", s("5.0")],  # 13
    [N, N, N, "二、化肥减量增效田间试验", "≧15组", "15组", s("15.0")],  # 14
    [N, N, N, "1、肥料利用率", "≧5组", "5组", s("5.0")],  # 15
    [N, N, N, "2、化肥减量增效", "≧5组", "5组", s("5.0")],  # 16
    [N, N, N, "3、其他试验(水稻)", "≧3组", "3组", s("3.0")],  # 17
    [N, N, N, "4、其他试验(玉米)", "≧2组", "2组", s("2.0")],  # 18
    [N, N, N, "三、土样植株化验", "≧60个", "105个", s("5.0")],  # 19
    [N, N, N, "四、农户施肥情况调查(户)", "≧300户", "300户", s("5.0")],  # 20
    [N, N, "质量指标", "示范区配方肥到位率", "≧80%", pct("85.6%"), s("10.0")],  # 21
    [N, N, "时效指标", "项目按时完成率", pct("100%"), pct("100%"), s("10.0")],  # 22
    [N, "效益指标", "社会效益效益指标", "受益农户数", "5000户", "5000户", s("5.0")],  # 23
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:G1", "A2:D2", "E2:G2", "B3:G3", "B4:C4", "E4:G4", "B5:G5", "B6:G6",
            "B7:C7", "D7:E7", "B8:C8", "D8:E8",
            "A9:A23", "B10:B22", "C10:C20",
        ],
        widths=W,
    )
]

_nw = "no 分值 column: the row ({t} → {a}, stated {s}) cannot be scored by the rules → provisional"
_rows = [
    (10, "数量指标", "一、示范区建立", "≧20000亩", "20000亩", "15"),
    (11, "数量指标", "1、水稻侧深施肥+缓控释肥", "≧500亩", "500亩", "5"),
    (12, "数量指标", "2、玉米种肥同播+缓控释肥", "≧1000亩", "1000亩", "5"),
    (13, "数量指标", "3、施用配方肥", "≧18500亩", "18500亩", "5"),
    (14, "数量指标", "二、化肥减量增效田间试验", "≧15组", "15组", "15"),
    (15, "数量指标", "1、肥料利用率", "≧5组", "5组", "5"),
    (16, "数量指标", "2、化肥减量增效", "≧5组", "5组", "5"),
    (17, "数量指标", "3、其他试验(水稻)", "≧3组", "3组", "3"),
    (18, "数量指标", "4、其他试验(玉米)", "≧2组", "2组", "2"),
    (19, "数量指标", "三、土样植株化验", "≧60个", "105个", "5"),
    (20, "数量指标", "四、农户施肥情况调查(户)", "≧300户", "300户", "5"),
    (21, "质量指标", "示范区配方肥到位率", "≧80%", "85.6%", "10"),
    (22, "时效指标", "项目按时完成率", "100%", "100%", "10"),
]

EXPECT = Expect(
    kind="project",
    name="隆阳区2021年中央化肥减量增效示范县项目补助资金",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度财政资金总额", "", "278.4449", "30"),
    ],
    execution_rate=D("0.1077"),
    execution_weight=D("20"),
    execution_score=D("2.15"),
    indicators=[
        Ind(r, "产出指标", l2, l3, t, a, "", sc, None, _nw.format(t=t, a=a, s=sc)) for r, l2, l3, t, a, sc in _rows
    ] + [
        Ind(23, "效益指标", "社会效益效益指标", "受益农户数", "5000户", "5000户", "", "5", None,
            _nw.format(t="5000户", a="5000户", s="5")),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("2.15"),
    hand_grade="差",
    provisional=14,
    profile="",
    findings=[
        ("PE106", "G8"),  # stated 2.16; 30.00 / 278.4449 = 10.77% → 0.1077 × 20 = 2.154 → 2.15
    ],
    quiet_rows=[],
    narrative=(
        "Only 30 of 278.4449万元 were spent: 执行率 10.77% (as stated), execution score 0.1077 × 20 = 2.15 "
        "against a stated 2.16. The indicator table has no 分值 column, so no row can be scored by the rules "
        "(hand total 2.15, provisional on all 14 rows). The 数量 block nests parts under parents and scores both, "
        "so the stated scores count 一、 and 二、 twice (15 + 15 on top of their parts). Truncated at the 生态 row."
    ),
    truncated=True,
)
