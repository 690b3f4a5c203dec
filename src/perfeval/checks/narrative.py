"""PE5xx — the narrative material against the table (the report must not drift from the cells)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..core.decimal_math import fmt_decimal, fmt_percent, to_decimal
from ..core.findings import Severity
from ..core.model import NARRATIVE_SECTIONS, BudgetRowKind
from ..core.profiles import canonical_first_level
from .context import CheckContext
from .registry import Violation, rule

# Which narrative section speaks for which 一级指标.
_SECTION_LEVELS = {
    "satisfaction_analysis": ("满意度",),
    "output_analysis": ("产出", "部门管理", "履职效果"),
    "benefit_analysis": ("效益", "能力建设"),
    "benefit_review": ("效益", "能力建设"),
}
_CLAIMS_ALL_MET = re.compile(r"(100%完成|100%地?完成|全部完成|圆满完成|均已完成|全面完成了?年初设定目标|完成了年初设定目标)")


@rule("PE501", "报告素材声称全部完成，表中却有未完成的指标", Severity.WARNING)
def narrative_claims_contradict_table(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：报告素材的产出、效益、满意度分析中写“100%完成”“全部完成”“圆满完成”，
    而表中相应一级指标下有实际完成值低于年度指标值的指标。
    原因：报告与表格不一致是财政局复核的重点；生成的报告会按表格重写这些数字。
    错误示例：满意度分析写“绩效考核为100%完成了年初设定目标”，表中人民群众满意度目标 100%、实际 95%。
    正确示例：“人民群众满意度目标100%，实际95%，主要原因是……”。
    依据：自评报告应与自评表一致（各地自评通知的共同要求）。
    """
    for key, levels in _SECTION_LEVELS.items():
        section = ctx.form.narrative.sections.get(key)
        if section is None or not section.text:
            continue
        m = _CLAIMS_ALL_MET.search(section.text.replace(" ", ""))
        if not m:
            continue
        missed = []
        for r in ctx.evaluation.indicators:
            l1 = canonical_first_level(ctx.names[r.indicator.row][0])
            if any(l1.startswith(canonical_first_level(x)) for x in levels) and r.result.met is False:
                a = r.indicator.parsed_actual()
                shown = fmt_percent(a.value) if a.unit == "%" and a.value is not None else r.indicator.actual.text
                missed.append(f"{r.indicator.level3.text}（目标{r.indicator.parsed_target().describe()}，实际{shown}）")
        if missed:
            yield Violation(section,
                              f"报告素材写“{m.group(0)}”，但表中未完成：{'；'.join(missed)}")


_STAFF_QUOTA = re.compile(r"编制(?:人数|数)?\s*(\d+)\s*人")
_STAFF_ACTUAL = re.compile(r"(?:实有人数|在职人数|实有)\s*(\d+)\s*人")


@rule("PE502", "报告中的编制与实有人数推不出表中的在职人员控制率", Severity.WARNING)
def staffing_rate_contradicts(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：报告素材写了编制人数和实有（在职）人数时，在职人员控制率（= 在职人数 ÷ 编制数）
    是否与表中“在职人员控制率”的实际完成值一致（相差 1 个百分点以内）。
    原因：控制率是可算出来的数；表中随手填的 95% 与报告中的人数对不上，说明指标未经核算。
    错误示例：报告写“编制人数19人……实有人数46人”，表中在职人员控制率实际完成值 95%（46 ÷ 19 = 242.11%）。
    正确示例：如实填 242.11%（并说明“三支一扶”等编外人员），或在报告中说明口径。
    依据：财预〔2013〕53号 在职人员控制率 = 在职人员数/编制数 × 100%。
    """
    text = ctx.form.narrative.text("staffing") + ctx.form.narrative.text("functions")
    q, a = _STAFF_QUOTA.search(text), _STAFF_ACTUAL.search(text)
    if not q or not a:
        return
    quota, actual = Decimal(q.group(1)), Decimal(a.group(1))
    if quota == 0:
        return
    rate = actual / quota
    for r in ctx.evaluation.indicators:
        ind = r.indicator
        if "在职人员控制率" not in ind.level3.text:
            continue
        val = ind.parsed_actual().value
        if val is None or abs(val - rate) <= Decimal("0.01"):
            continue
        yield Violation(ind.actual,
                          f"报告素材写编制 {q.group(1)} 人、实有 {a.group(1)} 人，在职人员控制率应为 "
                          f"{fmt_percent(rate)}，表中实际完成值为 {fmt_percent(val)}",
                          expected=fmt_percent(rate), actual=fmt_percent(val))


_AMOUNT = r"(\d+(?:\.\d+)?)\s*万元"
_BASIC = re.compile(r"基本支出\s*" + _AMOUNT)
_PROJECT = re.compile(r"项目支出\s*" + _AMOUNT)
_BASIC_PARTS = re.compile(r"人员(?:经费)?支出\s*" + _AMOUNT + r".{0,6}?(?:日常)?公用(?:经费)?支出\s*" + _AMOUNT)


@rule("PE503", "报告中的预算数字与表格或自身分项不符", Severity.WARNING)
def narrative_budget_figures(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：报告素材“预算及执行情况”中写的基本支出、项目支出金额是否等于表中实际支出数；
    “基本支出X万元（人员支出A万元，日常公用经费支出B万元）”的 A + B 是否等于 X。
    原因：报告中的金额应与自评表、部门决算一致；分项相加对不上是常见的抄录错误。
    错误示例：“基本支出553.53万元（人员支出521.42万元，日常公用经费支出32.1万元）”：521.42 + 32.1 = 553.52。
    正确示例：分项相加等于合计，且与表中实际支出数一致。
    依据：部门决算报表勾稽关系。
    """
    section = ctx.form.narrative.sections.get("budget_execution")
    if section is None or not section.text:
        return
    text = section.text.replace(" ", "")
    for pattern, kind, name in ((_BASIC, BudgetRowKind.BASIC, "基本支出"), (_PROJECT, BudgetRowKind.PROJECT, "项目支出")):
        m = pattern.search(text)
        row = ctx.form.budget_row(kind)
        if not m or row is None or row.actual.number is None:
            continue
        said = to_decimal(m.group(1))
        if said is not None and abs(said - row.actual.number) >= Decimal("0.005"):
            yield Violation(section,
                              f"报告素材写{name} {fmt_decimal(said)} 万元，表中实际支出数为 {fmt_decimal(row.actual.number)} 万元",
                              expected=fmt_decimal(row.actual.number), actual=fmt_decimal(said))
    m = _BASIC_PARTS.search(text)
    b = _BASIC.search(text)
    if m and b:
        parts = (to_decimal(m.group(1)) or Decimal(0)) + (to_decimal(m.group(2)) or Decimal(0))
        whole = to_decimal(b.group(1)) or Decimal(0)
        if abs(parts - whole) >= Decimal("0.005"):
            yield Violation(section,
                              f"报告素材中人员支出 {m.group(1)} + 公用经费支出 {m.group(2)} = {fmt_decimal(parts)} 万元，"
                              f"与所写基本支出 {fmt_decimal(whole)} 万元不符",
                              expected=fmt_decimal(whole), actual=fmt_decimal(parts))


_INSTRUCTIONS = re.compile(r"(请在此处|请简要说明|如没有填写|如没有请填写|此处填写|（请填写|请填写|XXX|×××|XX年|"
                           r"[（(]\s*\d+\s*字以内\s*[)）]|[（(]\s*限\s*\d+\s*字\s*[)）]|^对照年度目标，?说明|^结合自评情况|"
                           r"^针对项目自评中发现的问题)")


@rule("PE504", "填写说明文字没有删除", Severity.WARNING)
def instruction_text_left(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：“其他需要说明的问题”、合计说明和报告素材各栏中，是否残留模板的填写说明（“请在此处简要说明……”
    “如没有填写”“XXX”）。
    原因：说明文字留在正式上报的表里，说明该栏实际没有填写；应写明具体问题，或写“无”。
    错误示例：其他需要说明的问题：“请在此处简要说明中央和省委巡视、各级审计和财政监督中发现的问题及其所涉及金额，如没有填写。”
    正确示例：“无。”或“2023年县审计局审计发现……涉及金额3.2万元，已整改。”
    依据：自评表填报要求。
    """
    fields = [(ctx.form.other_notes, "其他需要说明的问题"), (ctx.form.total_note, "合计说明"),
              (ctx.form.goals_expected, "预期目标"), (ctx.form.goals_actual, "目标实际完成情况")]
    fields += [(v, NARRATIVE_SECTIONS.get(k, k)) for k, v in ctx.form.narrative.sections.items()]
    for v, name in fields:
        m = _INSTRUCTIONS.search(v.text) if v.text else None
        if m:
            yield Violation(v, f"{name}中残留填写说明“{m.group(0)}……”，请改为实际内容（没有请写“无”）")


@rule("PE505", "预期目标与实际完成情况一字不差", Severity.WARNING)
def goals_copied(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：“年度总体绩效目标完成情况”中，“目标实际完成情况”是否原样照抄了“预期目标”。
    原因：实际完成情况应写实际做到了什么（数字、成果），照抄目标等于没有自评。
    错误示例：两栏都是“1.保障人社局在职人员的正常办公、生活秩序；2.……”。
    正确示例：“1.保障在职46人正常办公，全年无安全事故；2.城镇新增就业2118人，完成目标的106.96%……”。
    依据：自评表“年度总体绩效目标完成情况”栏目的填报要求。
    """
    a, b = ctx.form.goals_expected.text, ctx.form.goals_actual.text
    if a and b and re.sub(r"\s", "", a) == re.sub(r"\s", "", b):
        yield Violation(ctx.form.goals_actual, "目标实际完成情况与预期目标完全相同，请写明实际完成的内容和数据")


@rule("PE506", "报告素材缺少必要内容", Severity.INFO)
def narrative_sections_empty(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：报告素材中的部门主要职能、存在的问题、改进措施是否填写。
    原因：这些内容无法从表格推出，自评报告需要它们；留空时生成的报告只能省略这一部分。
    错误示例：存在的问题一栏空白。
    正确示例：“一是预算编制有待更严格执行；二是……”。
    依据：自评报告结构（部门概况；绩效实际情况；存在的问题及改进措施）。
    """
    if ctx.form.narrative.is_empty and not ctx.form.narrative.sections:
        return
    for key, name in (("functions", "部门主要职能"), ("problems", "存在的问题"), ("measures", "改进的方向和具体措施")):
        v = ctx.form.narrative.sections.get(key)
        if v is not None and v.is_blank:
            yield Violation(v, f"报告素材“{name}”为空，生成报告时将省略这一部分")
