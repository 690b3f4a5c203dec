"""Department forms for the review tests: the seed, two generated departments, and how to plant.

The generated departments are plausible county forms of their own field (教育局, 卫生健康局):
common indicators (部门管理, 满意度) like every form has, indicators of their own work, and a
narrative of their own, so that an untouched one has nothing a review should report.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from perfeval.core.model import BudgetRow, BudgetRowKind, Form, FormKind, Indicator, Narrative, Value
from perfeval.example_data import zhengning_2023
from perfeval.workbook.template import build_workbook

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值); fractions are percent-formatted completions.
COMMON = [
    ("部门管理", "资金投入", "基本支出预算执行率", "≥95%", 0.98, 4),
    ("", "", "项目支出预算执行率", "≥90%", 0.93, 4),
    ("", "", "“三公经费”控制率", "≤100%", 0.9, 3),
    ("", "财务管理", "资金使用规范性", "≥95%", 1, 3),
    ("", "采购管理", "政府采购规范性", "≥95%", 1, 3),
    ("", "资产管理", "资产管理规范性", "≥95%", 1, 3),
]
SATISFACTION = ("服务对象满意度", "服务对象满意度", "服务对象满意度", "≥90%", 0.93, 10)

EDUCATION = [
    ("履职效果", "部门履职目标", "义务教育巩固率", "≥98%", 0.992, 8),
    ("", "", "学前三年毛入园率", "≥90%", 0.93, 8),
    ("", "", "教师培训人次", "≥1200人次", "1260人次", 6),
    ("", "", "学生资助资金发放及时率", "100%", 1, 6),
    ("", "部门效果目标", "校舍安全隐患排查整改率", "100%", 1, 6),
    ("", "", "农村义务教育学生营养改善计划覆盖率", "100%", 1, 6),
    ("", "", "高中阶段毛入学率", "≥92%", 0.935, 5),
    ("", "社会影响", "控辍保学动态清零", "适龄儿童少年失学辍学动态清零", 1, 5),
    ("能力建设", "人力资源建设", "教师继续教育学时达标率", "≥95%", 0.97, 10),
]
EDUCATION_NARRATIVE = {
    "functions": "正宁县教育局是县政府主管全县教育工作的工作部门，主要职能是贯彻执行国家教育方针政策，统筹规划全县学前教育、"
                 "义务教育、高中阶段教育和职业教育发展，负责学校布局调整、教师队伍建设、学生资助、教育经费管理和教育督导等工作。",
    "staffing": "本局内设股室7个，下属学校42所；编制人数31人，实有人数29人。",
    "overall_goal": "巩固义务教育均衡发展成果，提高学前教育普及普惠水平，推进高中阶段教育多样化发展，办好人民满意的教育。",
    "performance_goals": "义务教育巩固率不低于98%，学前三年毛入园率不低于90%，完成教师培训1200人次，资助资金按时足额发放。",
    "management": "成立以分管副局长为组长的绩效自评工作组，逐校核对学生资助、营养改善计划和校舍维修项目的完成情况。",
    "budget_execution": "2023年全年预算数3120.5万元，实际支出3050.2万元，主要用于学校公用经费、学生资助和校舍维修改造。",
    "goal_completion": "全县义务教育巩固率达到99.2%，学前三年毛入园率93%，高中阶段毛入学率93.5%，均完成年度目标。",
    "output_analysis": "完成教师全员培训1260人次，排查整改校舍安全隐患37处，营养改善计划惠及农村学生8412人。",
    "benefit_analysis": "城乡学校办学条件差距进一步缩小，留守儿童关爱和控辍保学机制运转有效，家长对学校的认可度提高。",
    "satisfaction_analysis": "面向学生家长发放问卷1200份，满意率93%，高于年初设定的90%。",
    "problems": "一是部分农村小规模学校师资结构性短缺，音体美教师不足。二是校舍维修项目开工偏晚，资金支付集中在四季度。",
    "measures": "一是通过县管校聘和走教方式补充农村学校音体美教师。二是提前完成维修项目设计和招标，按进度支付资金。",
    "issuer": "正宁县教育局",
    "report_date": "2024年3月8日",
}

HEALTH = [
    ("履职效果", "部门履职目标", "家庭医生签约服务覆盖率", "≥75%", 0.78, 8),
    ("", "", "适龄儿童免疫规划疫苗接种率", "≥95%", 0.97, 8),
    ("", "", "孕产妇系统管理率", "≥90%", 0.92, 6),
    ("", "", "居民电子健康档案建档率", "≥90%", 0.91, 6),
    ("", "部门效果目标", "法定传染病报告及时率", "100%", 1, 6),
    ("", "", "乡镇卫生院基本医疗服务能力达标", "完成5所乡镇卫生院达标建设", 1, 6),
    ("", "", "县域内住院率", "≥85%", 0.87, 5),
    ("", "社会影响", "孕产妇死亡率", "≤15/10万", "0", 5),
    ("能力建设", "人力资源建设", "基层医务人员培训完成率", "≥95%", 0.96, 10),
]
HEALTH_NARRATIVE = {
    "functions": "正宁县卫生健康局负责全县医疗卫生和健康工作，主要职能是拟订卫生健康发展规划，管理公共卫生、医疗服务、妇幼健康、"
                 "疾病预防控制和卫生应急，指导乡镇卫生院和村卫生室建设，推进医药卫生体制改革和家庭医生签约服务。",
    "staffing": "本局内设股室6个，下属医疗卫生单位18个；编制人数25人，实有人数24人。",
    "overall_goal": "提升县域医疗卫生服务能力，做实家庭医生签约服务，守牢疾病预防控制底线，保障人民群众生命健康。",
    "performance_goals": "家庭医生签约服务覆盖率不低于75%，适龄儿童免疫规划疫苗接种率不低于95%，孕产妇系统管理率不低于90%。",
    "management": "由规划财务股牵头，对基本公共卫生服务、医疗服务能力提升等项目逐项开展绩效自评，并组织乡镇卫生院交叉核查。",
    "budget_execution": "2023年全年预算数2488.3万元，实际支出2410.9万元，主要用于基本公共卫生服务补助和基层医疗机构建设。",
    "goal_completion": "家庭医生签约覆盖率78%，免疫规划疫苗接种率97%，县域内住院率87%，各项主要指标均达到年度目标。",
    "output_analysis": "完成5所乡镇卫生院服务能力达标建设，为65岁以上老年人开展健康体检1.2万人次，培训基层医务人员430人。",
    "benefit_analysis": "群众在家门口看病更方便，县外转诊减少，重大传染病疫情得到有效防控，孕产妇和婴儿死亡率保持低位。",
    "satisfaction_analysis": "第三方机构电话回访患者和签约居民共800人，满意度93%。",
    "problems": "一是村医队伍老化，年轻医生留不住。二是部分公共卫生项目资金拨付滞后，影响服务开展。",
    "measures": "一是落实村医待遇和乡村一体化管理，定向培养年轻村医。二是按季度预拨公共卫生补助资金，年底清算。",
    "issuer": "正宁县卫生健康局",
    "report_date": "2024年3月7日",
}


def _value(x: object, *, percent: bool = True) -> Value:
    if isinstance(x, int | float):
        return Value(raw=D(str(x)), percent_format=percent)
    return Value(raw=x)


def indicators(rows) -> tuple[Indicator, ...]:
    out = []
    for i, (l1, l2, l3, target, actual, weight) in enumerate(rows):
        out.append(Indicator(row=i, level1=Value(raw=l1 or None), level2=Value(raw=l2 or None),
                             level3=Value(raw=l3), target=Value(raw=target), actual=_value(actual),
                             weight=Value(raw=D(weight)), score=Value(raw=D(weight))))
    return tuple(out)


def department(name: str, year: int, rows, narrative: dict[str, str], *, budget=("3000", "3120.5", "3050.2")) -> Form:
    initial, full, actual = (D(x) for x in budget)
    budget_rows = (
        BudgetRow(kind=BudgetRowKind.TOTAL, label=Value(raw="全年支出"), initial=Value(raw=initial),
                  full_year=Value(raw=full), actual=Value(raw=actual), weight=Value(raw=D(10))),
        BudgetRow(kind=BudgetRowKind.BASIC, label=Value(raw="其中：基本支出"), initial=Value(raw=initial / 2),
                  full_year=Value(raw=full / 2), actual=Value(raw=actual / 2), weight=Value(raw="-")),
        BudgetRow(kind=BudgetRowKind.PROJECT, label=Value(raw="项目支出"), initial=Value(raw=initial / 2),
                  full_year=Value(raw=full / 2), actual=Value(raw=actual / 2), weight=Value(raw="-")),
    )
    return Form(kind=FormKind.DEPARTMENT, source=name, title=Value(raw=f"{year}年度部门（单位）整体支出绩效自评表"),
                year=Value(raw=D(year)), name=Value(raw=name), budget=budget_rows, indicators=indicators(rows),
                narrative=Narrative(sections={k: Value(raw=v) for k, v in narrative.items()}),
                profile_name="gansu-department")


def education(year: int = 2023, rows=None, narrative=None) -> Form:
    return department("正宁县教育局", year, rows if rows is not None else COMMON + EDUCATION + [SATISFACTION],
                      narrative if narrative is not None else EDUCATION_NARRATIVE)


def health(year: int = 2023) -> Form:
    return department("正宁县卫生健康局", year, COMMON + HEALTH + [SATISFACTION], HEALTH_NARRATIVE,
                      budget=("2400", "2488.3", "2410.9"))


def seed() -> Form:
    return zhengning_2023()


def seed_row(name: str) -> tuple:
    """One of the seed's indicator rows as (一级, 二级, 三级, 年度指标值, 实际完成值, 分值)."""
    from perfeval.example_data import SEED_INDICATORS

    row = next(r for r in SEED_INDICATORS if r[2] == name)
    return ("", "", row[2], row[3], row[4], row[5])


def write(form: Form, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_workbook(form))
    return path
