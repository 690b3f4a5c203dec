"""The seed as data: 正宁县人社局's 2023 部门整体支出绩效自评表 and report, exactly as published.

Wrong numbers are kept on purpose (141%, the execution score 8, 合计 100/98, the target "≤"
with no number …): this form is the worked example the checker must find fault with.
Values carry no cell locations; the template writer places them and the reader finds them.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources

from .core.model import (
    BudgetRow,
    BudgetRowKind,
    Form,
    FormKind,
    Indicator,
    Narrative,
    Value,
)

__all__ = ["zhengning_2023", "SEED_INDICATORS"]

_GOALS = (
    "1.保障人社局在职人员的正常办公、生活秩序； 2.围绕目标任务，突出规划引领，扎实推进人社工作；"
    "立足工作职能，深入实施就业优先战略。 3.立足服务民生，提高服务质量。强化扩面参保和社会保险待遇"
    "支付工作，加强社会保险经办服务能力建设。 4.加大劳动保障监察执法力度，构建和谐劳动关系。"
)

# (一级, 二级, 三级, 年度指标值, 实际完成值 (fraction shown as %, or text), 分值, 得分)
SEED_INDICATORS: tuple[tuple[str, str, str, str, object, int, int], ...] = (
    ("部门管理", "资金投入", "基本支出预算执行率", "达到100%", 1, 2, 2),
    ("", "", "项目支出预算执行率", "达到100%", 1, 2, 2),
    ("", "", "“三公经费”控制率", "≤", 1, 2, 2),
    ("", "财务管理", "财务管理制度健全性", "达90%以上", 0.95, 2, 2),
    ("", "", "资金使用规范性", "达90%以上", 0.95, 2, 2),
    ("", "采购管理", "政府采购规范性", "达90%以上", 0.95, 2, 2),
    ("", "资产管理", "资产管理规范性", "达90%以上", 0.95, 2, 2),
    ("", "人员管理", "在职人员控制率", "达90%以上", 0.95, 3, 3),
    ("", "重点工作管理", "重点工作管理制度健全性", "达到100%", 1, 3, 3),
    ("履职效果", "部门履职目标", "提升机构编制法制水平情况", "达90%以上", 0.95, 3, 3),
    ("", "", "落实党管机构编制原则", "始终坚持把党的领导、党的立场、党的原则、党的纪律贯彻到机构编制工作中", 1, 4, 4),
    ("", "", "服务中心优化机构设置", "整合组建了4个机构", 1, 3, 3),
    ("", "", "编制资源统筹", "不断加大编制统筹盘活力度", 1, 4, 4),
    ("", "", "加强事业单位登记管理", "全面推行事业单位登记管理工作“全流程”网上办理", 1, 4, 4),
    ("", "部门效果目标", "新一轮机构改革准备", "49个县直部门及下属事业单位进行了调研", 1, 2, 2),
    ("", "", "推进重点领域体制改革", "全面完成人社工作", 1, 4, 4),
    ("", "", "事业单位改革", "经营类事业单位改革全面清零", 1, 4, 4),
    ("", "", "综合行政执法改革", "开展了执法效能评估", 0.95, 4, 4),
    ("", "", "机构编制实名制管理", "规范机构编制实名制管理", 1, 4, 4),
    ("", "", "落实机构编制监督主体责任", "提高了机构编制管理的科学化、规范化水平", 1, 3, 3),
    ("", "社会影响", "开展机构编制违规问题整改", "落实了“谁审批、谁违规、谁整改”的要求", 0.95, 4, 4),
    ("", "", "单位获奖情况", "无", "无", 4, 4),
    ("能力建设", "人力资源建设", "长效管理机制健全性", "机制健全在达到95%以上", 1, 2, 2),
    ("", "", "人员培训机制完备性", "每月给予干部职工进行培训", 0.95, 2, 2),
    ("", "", "职工培训业务能力提升", "每周利用一小时培训业务", 1, 2, 2),
    ("", "", "职工对岗位的熟悉度（%）", "达到95%以上", 1, 2, 2),
    ("", "档案管理", "档案管理完备性", "达到100%", 1, 2, 2),
    ("服务对象满意度", "服务对象满意度", "人民群众满意度", "达到100%", 0.95, 5, 5),
    ("", "", "事业单位满意度", "达到100%", 1, 5, 5),
)

_OTHER_NOTES = "请在此处简要说明中央和省委巡视、各级审计和财政监督中发现的问题及其所涉及金额，如没有填写。"


def _num(x: object) -> Value:
    return Value(raw=Decimal(str(x)) if isinstance(x, int | float) else x)


def _pct(x: object) -> Value:
    if isinstance(x, int | float):
        return Value(raw=Decimal(str(x)), percent_format=True)
    return Value(raw=x)


def narrative_material() -> dict[str, str]:
    raw = (resources.files("perfeval") / "data" / "zhengning-2023-narrative.toml").read_bytes()
    return {k: v.strip() for k, v in tomllib.loads(raw.decode("utf-8")).items()}


def zhengning_2023() -> Form:
    budget = (
        BudgetRow(kind=BudgetRowKind.TOTAL, label=Value(raw="全年支出"), initial=_num(1241.99),
                  full_year=_num(1745.81), actual=_num(1745.81), stated_rate=_pct(1.41),
                  weight=_num(10), score=_num(8)),
        BudgetRow(kind=BudgetRowKind.BASIC, label=Value(raw="其中：基本支出"), initial=_num(528.04),
                  full_year=_num(553.53), actual=_num(553.53), stated_rate=_pct(1.05),
                  weight=Value(raw="-")),
        BudgetRow(kind=BudgetRowKind.PROJECT, label=Value(raw="项目支出"), initial=_num(713.96),
                  full_year=_num(1192.27), actual=_num(1192.27), stated_rate=_pct(1.67),
                  weight=Value(raw="-")),
    )
    indicators = []
    for i, (l1, l2, l3, target, actual, weight, score) in enumerate(SEED_INDICATORS):
        indicators.append(
            Indicator(
                row=i, level1=Value(raw=l1 or None), level2=Value(raw=l2 or None),
                level3=Value(raw=l3), target=Value(raw=target), actual=_pct(actual),
                weight=_num(weight), score=_num(score),
            )
        )
    return Form(
        kind=FormKind.DEPARTMENT,
        source="正宁县人社局2023年度整体支出绩效自评表",
        title=Value(raw="2023年度部门（单位）整体支出绩效自评表"),
        year=_num(2023),
        name=Value(raw="正宁县人力资源和社会保障局"),
        budget=budget,
        goals_expected=Value(raw=_GOALS),
        goals_actual=Value(raw=_GOALS),
        indicators=tuple(indicators),
        stated_total_weight=_num(100),
        stated_total_score=_num(98),
        total_note=Value(raw="就业补助资金增加"),
        other_notes=Value(raw=_OTHER_NOTES),
        narrative=Narrative(sections={k: Value(raw=v) for k, v in narrative_material().items()}),
        profile_name="gansu-department",
    )
