"""绥阳县太白镇人民政府 部门整体支出绩效自评表（2021年度）— 贵州 遵义. Cut off before the indicators."""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, num

SOURCE = ("https://www.suiyang.gov.cn/xzjd_5682378/tbz_5682388/zfxxgk_5682340/fdzdgknr_5682343/"
          "czyjs_5865203/202208/t20220824_76240024.html")
PROVINCE = "贵州省"
UNIT = "绥阳县太白镇人民政府"
KIND = "department"
YEAR = 2021
SPLIT = "tune"  # held out for the first generalisation measurement, looked at afterwards

NOTES = """\
Typed from the page text (an HTML table flattened by the search tool, cells separated by '|').
- CUT OFF: the stored copy ends inside the indicator header ('… | 分值 | 得分计算'); that row is left out.
  The sheet ends with the goal texts (row 10). indicators=[]; the hand total is the execution score alone.
  The form's year is not on the shown part (填报日期 2022年2月3日; the page is filed under 2021 决算).
- Layout (Guizhou, the 2019-style '得分计算方法' template): the budget block has only TWO amount columns,
  '年初预算数(A)' and '全年执行数(B)' — no 全年预算数, no 执行率 column — then '分值(10分)', '得分' and
  '得分计算方法' ('执行率*该指标分值,最高不得超过分值上限。', typed once, merged down the block). Row
  labels sit under a '资 金 来 源' header (spaced as published); the block label '部门(单位)总体 资金(万元)'
  is merged down column A.
- The sub-rows 基本支出 and 项目支出 each repeat '10 | 10' in 分值/得分 (typed as published); '其他' is empty.
  985.19 + 187.36 = 1172.55 and 914.97 + 353.75 = 1268.72 (the parts add up).
- 年初设定目标 and 年度总体目标完成情况 are long numbered texts, typed in one cell each.
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 12, "B": 12, "C": 14, "D": 14, "E": 10, "F": 8, "G": 30}

N = None
F2 = "0.00"
_GOAL = ("(1)制定和组织实施经济、科技和社会发展计划,制定资源开发技术改造和产业结构调整方案,组织指导好各业生产,"
         "搞好商品流通,协调好本乡与外地区的经济交流与合作,抓好招商引资,人才引进项目开发,不断培育市场体系,"
         "组织经济运行,促进经济发展。(2)制定并组织实施村镇建设规划,部署重点工程建设,地方道路建设及公共设施,"
         "水利设施的管理,负责土地、林木、水等自然资源和生态环境的保护,做好护林防火工作。(3)按计划组织本级财政"
         "收入和地方税的征收,完成国家财政计划,不断培植税源,管好财政资金,增强财政实力。(4)完成上级政府交办的"
         "其它事项。")
_DONE = ("(1)积极履职,强化管理,较好地完成本年工作任务。 (2)通过加强预算收支管理,不断建立健全内部管理制度,"
         "部门整体支出管理水平得到提升 (3)制定并组织实施村镇建设规划,负责土地、林木、水等自然资源和生态环境的"
         "保护,做好护林防火工作。 (4)按计划组织本级财政收入和地方税的征收,管好财政资金,增强财政实力。 "
         "(5)完成上级政府交办的其它事项。")
ROWS = [
    ["部门整体支出绩效自评表", N, N, N, N, N, N],  # 1
    ["单位(盖章):绥阳县太白镇人民政府", N, N, N, "填报日期:2022年2月3日", N, N],  # 2
    ["部门(单位)名称", N, "绥阳县太白镇人民政府", N, N, N, N],  # 3
    ["部门(单位)总体\n资金(万元)", "资 金 来 源", "年初预算数(A)", "全年执行数(B)", "分值(10分)", "得分",
     "得分计算方法"],  # 4
    [N, "年度资金总额:", num("1172.55", F2), num("1268.72", F2), 10, 10, "执行率*该指标分值,最高不得超过分值上限。"],  # 5
    [N, "基本支出", num("985.19", F2), num("914.97", F2), 10, 10, N],  # 6
    [N, "项目支出", num("187.36", F2), num("353.75", F2), 10, 10, N],  # 7
    [N, "其他", N, N, N, N, N],  # 8
    ["年度总体目标", "年初设定目标", N, N, "年度总体目标完成情况", N, N],  # 9
    [N, _GOAL, N, N, _DONE, N, N],  # 10
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:G1", "A2:D2", "E2:G2", "A3:B3", "C3:G3",
            "A4:A8", "G5:G8",
            "A9:A10", "B9:D9", "E9:G9", "B10:D10", "E10:G10",
        ],
        widths=W,
    )
]

EXPECT = Expect(
    kind="department",
    name="绥阳县太白镇人民政府",
    year=None,
    money_unit="万元",
    budget=[
        ("年度资金总额:", "1172.55", "", "1268.72"),
        ("基本支出", "985.19", "", "914.97"),
        ("项目支出", "187.36", "", "353.75"),
        ("其他", "", "", ""),
    ],
    execution_rate=D("1.0820"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("10.00"),
    hand_grade="差",
    provisional=0,
    profile="",
    findings=[],
    quiet_rows=[],
    narrative=(
        "The budget block gives only 年初预算数(A) 1172.55 and 全年执行数(B) 1268.72: with no 全年预算数 on the "
        "form the only base is the form's own A, so 执行率 = B/A = 108.20%, capped → 10 points, as stated. "
        "Spending above the initial budget is not an error in itself (the adjusted budget is not shown). "
        "The indicator table is cut off."
    ),
    truncated=True,
)
