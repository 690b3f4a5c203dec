"""黄石市图书馆 2022年度共享工程项目自评表 — 湖北 黄石. Cut off."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, pct

SOURCE = "https://www.hsslib.org.cn/info/72903.jspx"
PROVINCE = "湖北省"
UNIT = "黄石市图书馆"
KIND = "project"
YEAR = 2022
SPLIT = "tune"

NOTES = """\
Typed from the page text (an HTML table flattened by the search tool, cells separated by '|'); the page
header ('作者:暂无 上传时间:2023-08-14 浏览次数:次 返回上级') is not typed.
- CUT OFF: the stored copy ends inside the 满意度指标(10分) row ('读者 | 在网络上设置读者满意度调查'); that row
  is cut and left out. The sheet ends with the 可持续影响指标 row (row 24); no 总分 row is shown.
- Layout is the Hubei 市直 project template ('附表2'): 项目类别/项目属性/项目类型 tick-box rows; a budget block
  '预算执行情况(万元)(20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分(20分*执行率)' with one row
  '年度财政资金总额'; then '年度绩效目标1(80分)' with 一级(weight in the label: 产出指标(40分),
  效益指标(30分), 满意度指标(10分)) / 二级 / 三级 / 年初目标值(A) / 实际完成值(B) / 得分. There is NO 分值
  column: one 得分 is given per 二级指标 (merged over its 三级 rows, inferred from the text where the second
  row of a 二级 has no score). 社会效益 carries no 得分 at all (the 效益 scores 10 + 10 + 10 already make 30).
- The budget block's row label is typed in column A under the block header (the text gives
  '预算执行情况(万元) (20分) | 预算数(A) | …' then '年度财政资金总额 | 5 | 5 | 100% | 20'); 预算数(A) and
  执行数(B) are each typed over two merged columns so that the block fits the 7 columns of the indicator table.
- '项目单位(盖章):黄石市图书馆 主要领导签字:' is typed as two cells on row 3, '填报日期:2023.6.28' on row 4.
- Check marks (☑ □) typed as the text gives them ('2、市直专项' has no box in the text).
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 16, "B": 14, "C": 12, "D": 28, "E": 22, "F": 22, "G": 12}

N = None
ROWS = [
    ["附表2", N, N, N, N, N, N],  # 1
    ["2022年度共享工程项目自评表", N, N, N, N, N, N],  # 2
    ["项目单位(盖章):黄石市图书馆", N, N, N, "主要领导签字:", N, N],  # 3
    ["填报日期:2023.6.28", N, N, N, N, N, N],  # 4
    ["项目名称", "共享工程", N, N, N, N, N],  # 5
    ["主管部门", "黄石市文化和旅游局", N, "项目实施单位", "黄石市图书馆", N, N],  # 6
    ["项目类别", "1、部门预算项目 ☑ 2、市直专项", N, N, N, N, N],  # 7
    ["项目属性", "1、持续性项目 ☑ 2、新增性项目 □", N, N, N, N, N],  # 8
    ["项目类型", "1、常年性项目 ☑ 2、延续性项目 □ 3、一次性项目 □", N, N, N, N, N],  # 9
    ["预算执行情况(万元)\n(20分)", "预算数(A)", N, "执行数(B)", N, "执行率(B/A)", "得分\n(20分*执行率)"],  # 10
    ["年度财政资金总额", 5, N, 5, N, pct("100%"), 20],  # 11
    ["年度绩效目标1\n(80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],  # 12
    [N, "产出指标(40分)", "数量指标", "一个存储备份器", "25TB", "25TB", 10],  # 13
    [N, N, N, "WIFI布点全覆盖", "100%覆盖", "100%覆盖", N],  # 14
    [N, N, "质量指标", "以最新资源面市", "资源采购期以当年为主", "资源采购期以当年为主", 10],  # 15
    [N, N, "时效指标", "可保证读者使用时长", "全天候可用", "全天候", 10],  # 16
    [N, N, N, "2022年全年", "≥360天", "≥360天", N],  # 17
    [N, N, "成本指标", "以低价位高质量为采购原则", "5万", "5万", 10],  # 18
    [N, "效益指标(30分)", "经济效益", "社会公益服务无经济效益", "公益性事业", "公益性事业", 10],  # 19
    [N, N, "社会效益", "使读者更方便快捷查找检阅", "独有数据资源查询,查询范围可扩展到省图",
     "独有数据资源查询,查询范围可扩展到省图", N],  # 20
    [N, N, N, "促进黄石文化经济发展,丰富市民文化活动", N, N, N],  # 21
    [N, N, "环境效益", "数字图书馆环境优良无污染", "良好", "良好", 10],  # 22
    [N, N, N, "WIFI全覆盖,绿色环保", "良好", "良好", N],  # 23
    [N, N, "可持续影响指标", "≥360天服务读者", "≥360天", "≥360天", 10],  # 24
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:G1", "A2:G2", "A3:D3", "E3:G3", "A4:G4", "B5:G5", "B6:C6", "E6:G6",
            "B7:G7", "B8:G8", "B9:G9", "B10:C10", "D10:E10", "B11:C11", "D11:E11",
            "A12:A24", "B13:B18", "C13:C14", "G13:G14", "C16:C17", "G16:G17",
            "B19:B24", "C20:C21", "C22:C23", "G22:G23",
        ],
        widths=W,
    )
]

_nw = "no 分值 column (one 得分 per 二级指标 only): the row's 分值 is not on the form → cannot be scored"

EXPECT = Expect(
    kind="project",
    name="共享工程",
    year=2022,
    money_unit="万元",
    budget=[
        ("年度财政资金总额", "", "5", "5"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("20"),
    execution_score=D("20.00"),
    indicators=[
        Ind(13, "产出指标(40分)", "数量指标", "一个存储备份器", "25TB", "25TB", "", "10", None, _nw),
        Ind(14, "产出指标(40分)", "数量指标", "WIFI布点全覆盖", "100%覆盖", "100%覆盖", "", "", None, _nw),
        Ind(15, "产出指标(40分)", "质量指标", "以最新资源面市", "资源采购期以当年为主", "资源采购期以当年为主", "",
            "10", None, _nw),
        Ind(16, "产出指标(40分)", "时效指标", "可保证读者使用时长", "全天候可用", "全天候", "", "10", None, _nw),
        Ind(17, "产出指标(40分)", "时效指标", "2022年全年", "≥360天", "≥360天", "", "", None,
            _nw + "; the completion is written as a target ('≥360天')"),
        Ind(18, "产出指标(40分)", "成本指标", "以低价位高质量为采购原则", "5万", "5万", "", "10", None, _nw),
        Ind(19, "效益指标(30分)", "经济效益", "社会公益服务无经济效益", "公益性事业", "公益性事业", "", "10", None,
            _nw),
        Ind(20, "效益指标(30分)", "社会效益", "使读者更方便快捷查找检阅", "独有数据资源查询,查询范围可扩展到省图",
            "独有数据资源查询,查询范围可扩展到省图", "", "", None, _nw + "; no 得分 either"),
        Ind(21, "效益指标(30分)", "社会效益", "促进黄石文化经济发展,丰富市民文化活动", "", "", "", "", None,
            "a 三级 name only: no target, no completion, no 分值"),
        Ind(22, "效益指标(30分)", "环境效益", "数字图书馆环境优良无污染", "良好", "良好", "", "10", None, _nw),
        Ind(23, "效益指标(30分)", "环境效益", "WIFI全覆盖,绿色环保", "良好", "良好", "", "", None, _nw),
        Ind(24, "效益指标(30分)", "可持续影响指标", "≥360天服务读者", "≥360天", "≥360天", "", "10", None,
            _nw + "; the completion is written as a target ('≥360天')"),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("20.00"),
    hand_grade="差",
    provisional=12,
    profile="",
    findings=[
        ("PE303", "F17"),  # completion '≥360天'
        ("PE303", "F24"),  # completion '≥360天'
    ],
    quiet_rows=[],
    narrative=(
        "Hubei 市直 project template: 预算执行 20分 (5 of 5 spent → 20), 年度绩效目标 80分 split 40/30/10 in the "
        "first-level labels, but no 分值 column — the clerk gave one 得分 (10) per 二级指标, so no row can be "
        "scored by the rules and the hand total 20.00 is provisional on all 12 rows shown. Two completions "
        "are copied targets ('≥360天'). Truncated inside the 满意度 block."
    ),
    truncated=True,
)
