"""PE2xx — 分值 and 得分 arithmetic."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core.decimal_math import fmt_decimal
from ..core.findings import Severity
from ..core.profiles import canonical_first_level
from .context import CheckContext
from .registry import Violation, rule

HALF_CENT = Decimal("0.005")
ZERO = Decimal(0)


@rule("PE201", "一级指标分值与规则不符")
def first_level_weight_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：每个一级指标下各三级指标分值之和，是否等于规则配置给该一级指标的分值
    （部门整体默认：部门管理 20、履职效果 50、能力建设 10、服务对象满意度 10）。
    原因：一级指标分值原则上统一设置，才能在部门之间比较；分值少了，满分就到不了 100。
    错误示例：履职效果下 13 个指标分值合计 47。
    正确示例：调整三级指标分值，使履职效果合计 50。
    依据：seed 自评表注 1；财预〔2020〕10号（产出 50、效益 30、满意度 10、预算执行率 10）。
    """
    first_row = {}
    for ind in ctx.indicators:
        l1 = ctx.names[ind.row][0]
        first_row.setdefault(canonical_first_level(l1) if l1 else "", ind)
    for lv in ctx.evaluation.levels:
        if lv.expected_weight is None or lv.weight == lv.expected_weight:
            continue
        ind = first_row.get(canonical_first_level(lv.name))
        yield Violation(ind.level1 if ind and not ind.level1.is_blank else (ind.weight if ind else None),
            f"一级指标「{lv.name}」下 {lv.count} 个指标分值合计 {fmt_decimal(lv.weight)}，"
            f"规则规定为 {fmt_decimal(lv.expected_weight)}",
            expected=fmt_decimal(lv.expected_weight), actual=fmt_decimal(lv.weight),
        )


@rule("PE202", "分值或得分不是数字、为空或为负数")
def weight_or_score_not_number(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：每个填了内容的指标行，分值和得分是否都是不小于 0 的数字。
    原因：文字、空白或负数无法参与合计，也无法判断是否超过分值。
    错误示例：分值填“2分”；得分留空；得分填 -1。
    正确示例：分值 2，得分 1.9。
    依据：一体化系统校验“分值、得分须为数值，最多 3 位小数”。
    """
    for ind in ctx.indicators:
        for v, name in ((ind.weight, "分值"), (ind.score, "得分")):
            n = v.number
            if v.is_blank:
                if v.formula is None:
                    yield Violation(v, f"{ctx.label(ind)}的{name}为空")
            elif n is None:
                if v.formula is None:  # a UDF's coded message is reported by the rule behind it
                    yield Violation(v, f"{ctx.label(ind)}的{name}“{v.text}”不是数字")
            elif n < 0:
                yield Violation(v, f"{ctx.label(ind)}的{name}为负数 {fmt_decimal(n)}")
    main = ctx.form.main_budget_row
    ev = ctx.ev
    if main is not None and ev.execution_rate is not None:
        v = main.score
        if v.is_blank and v.formula is None and v.loc is not None:
            yield Violation(v, "预算执行率得分为空")
    total = ctx.form.stated_total_score
    if ctx.indicators and total.is_blank and total.formula is None and total.loc is not None:
        yield Violation(total, "合计得分为空")


@rule("PE203", "分值合计不是 100")
def weights_do_not_total_100(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：预算执行率分值 + 全部三级指标分值之和是否等于规则的满分（默认 100）。
    原因：自评采取百分制打分，满分不是 100 时总分和等级都失真。
    错误示例：执行率 10 + 指标 87 = 97。
    正确示例：各一级指标分值按规则设置，合计 100。
    依据：seed 自评表注 1“满分为100分”。
    """
    ev = ctx.evaluation
    if not ctx.indicators:
        return
    if ev.total_weight != ctx.profile.total:
        where = ctx.form.stated_total_weight if ctx.form.stated_total_weight.loc else None
        yield Violation(where,
            f"预算执行率分值 {fmt_decimal(ev.execution_weight)} 加各指标分值 {fmt_decimal(ev.indicator_weight)}，"
            f"合计 {fmt_decimal(ev.total_weight)}，应为 {fmt_decimal(ctx.profile.total)}",
            expected=fmt_decimal(ctx.profile.total), actual=fmt_decimal(ev.total_weight),
        )


@rule("PE204", "合计行的分值与各分值之和不符")
def stated_total_weight_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：合计行“分值”填的数是否等于预算执行率分值与各指标分值之和。
    原因：合计行照抄 100 而不核对，掩盖了分值设置的错误。
    错误示例：各分值实际合计 97，合计行填 100。
    正确示例：合计行分值 = Σ分值（模板中为公式，不要手改）。
    依据：一体化系统“合计行汇总末级指标分值”的校验。
    """
    stated = ctx.form.stated_total_weight
    if stated.is_blank or stated.number is None:
        return
    ev = ctx.evaluation
    if abs(stated.number - ev.total_weight) >= HALF_CENT:
        yield Violation(stated,
            f"合计分值填为 {fmt_decimal(stated.number)}，各分值实际合计 {fmt_decimal(ev.total_weight)}",
            expected=fmt_decimal(ev.total_weight), actual=fmt_decimal(stated.number),
        )


@rule("PE205", "合计得分与各项得分之和不符")
def stated_total_score_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：合计行“得分”是否等于 预算执行率得分 + 各指标得分（按表中所填） − 扣分。
    原因：合计得分是自评结果本身；与分项对不上，财政局无法采信。
    错误示例：执行率得分 8 + 指标得分 87 = 95，合计填 98。
    正确示例：合计 = 各项所填得分之和 − 扣分（模板中为公式）。
    依据：seed 自评表注 1“各项指标得分加总得出该项目绩效自评的总分”。
    """
    stated = ctx.form.stated_total_score
    if stated.is_blank or stated.number is None or not ctx.indicators:
        return
    main = ctx.form.main_budget_row
    exec_stated = main.score.number if main is not None else None
    parts = [i.score.number or ZERO for i in ctx.indicators]
    ded = ctx.evaluation.deductions
    s = sum(parts, ZERO) + (exec_stated or ZERO) - ded
    if abs(stated.number - s) >= HALF_CENT:
        yield Violation(stated,
            f"合计得分填为 {fmt_decimal(stated.number)}，表中各项得分之和为 {fmt_decimal(s)}"
            f"（执行率得分 {fmt_decimal(exec_stated)} + 指标得分 {fmt_decimal(sum(parts, ZERO))}"
            + (f" − 扣分 {fmt_decimal(ded)}" if ded else "") + "）",
            expected=fmt_decimal(s), actual=fmt_decimal(stated.number),
        )


@rule("PE206", "得分超过分值")
def score_above_weight(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：每个指标（及预算执行率）的得分是否超过其分值。
    原因：“各项指标得分最高不能超过该指标分值上限”；一体化系统对此硬性拦截。
    错误示例：分值 3，得分 4。
    正确示例：得分 ≤ 3。
    依据：seed 自评表注 1；一体化系统“自评得分不能超过分值”。
    """
    for ind in ctx.indicators:
        s, w = ind.score.number, ind.weight.number
        if s is not None and w is not None and s > w:
            yield Violation(ind.score,
                              f"{ctx.label(ind)}得分 {fmt_decimal(s)} 超过分值 {fmt_decimal(w)}",
                              expected=f"≤ {fmt_decimal(w)}", actual=fmt_decimal(s))
    for row in filter(None, [ctx.form.main_budget_row]):
        # a blank 分值 is the rule's (the recomputation scores against it too)
        s, w = row.score.number, row.weight.number if row.weight.number is not None else ctx.ev.execution_weight
        if s is not None and w is not None and s > w:
            yield Violation(row.score, f"预算执行率得分 {fmt_decimal(s)} 超过分值 {fmt_decimal(w)}",
                              expected=f"≤ {fmt_decimal(w)}", actual=fmt_decimal(s))


@rule("PE207", "扣分事项未反映在总分中", Severity.WARNING)
def deductions_not_reflected(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：扣分栏列了巡视、审计、财政监督发现的问题却没有扣分；或“其他需要说明的问题”写了审计、
    巡视等发现的问题和金额，而扣分栏为空。
    原因：发现问题“酌情扣分”是自评的组成部分，只写不扣，总分偏高。
    错误示例：其他需要说明的问题写“审计发现违规支出 3.2 万元”，扣分栏空白。
    正确示例：在扣分栏登记来源“审计”、问题、金额 3.2、扣分 1，合计自动扣减。
    依据：seed 自评表注 1“中央和省委巡视、各级审计和财政监督中发现问题的酌情扣分”。
    """
    for d in ctx.form.deductions:
        if (not d.description.is_blank or not d.amount.is_blank) and d.points.number is None:
            yield Violation(d.points, f"扣分事项“{d.description.text or d.source.text}”没有填扣分")
    notes = ctx.form.other_notes.text
    if notes and not ctx.form.deductions and _mentions_finding(notes):
        yield Violation(ctx.form.other_notes,
                          "其他需要说明的问题中写有巡视/审计/监督发现的问题，但扣分栏为空，请登记并酌情扣分")


def _other_framework(ctx: CheckContext) -> bool:
    names = {ctx.names[i.row][0] for i in ctx.indicators if ctx.names[i.row][0]}
    return bool(names) and all(ctx.profile.first_level_weight(n) is None for n in names)


def _mentions_finding(text: str) -> bool:
    import re

    if any(w in text for w in ("请在此处", "如没有")):
        return False  # the instruction text itself (PE504 reports it)
    return bool(re.search(r"(巡视|审计|监督|检查).{0,30}(发现|问题|违规|整改)", text)) and not re.fullmatch(
        r"\s*无[。.]?\s*", text)


@rule("PE208", "缺少规则要求的一级指标", Severity.WARNING)
def first_level_missing(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：规则配置列出的一级指标（预算执行率除外）是否都在表中出现。
    原因：缺少整个一级指标（如没有能力建设指标），满分结构就不完整。
    错误示例：部门整体表只有部门管理、履职效果两个一级指标。
    正确示例：部门管理、履职效果、能力建设、服务对象满意度都有三级指标。
    依据：seed 自评表注 1；财预〔2020〕10号。
    """
    if not ctx.indicators:
        return
    present = {canonical_first_level(lv.name) for lv in ctx.evaluation.levels}
    other = _other_framework(ctx)
    for name in list(ctx.profile.first_level)[1:]:
        if canonical_first_level(name) not in present:
            where = ctx.form.stated_total_weight if ctx.form.stated_total_weight.loc else None
            yield Violation(where, f"表中没有一级指标「{name}」（规则分值 {fmt_decimal(ctx.profile.first_level[name])}）",
                            severity=Severity.INFO if other else None)


@rule("PE209", "一级指标名称不在规则中", Severity.WARNING)
def first_level_unknown(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：表中的一级指标名称是否是规则配置中的名称之一。
    原因：名称写错或用了另一套表的一级指标（例如部门整体表用了产出/效益），无法按一级指标核对分值。
    错误示例：部门整体表一级指标写“产出指标”。
    正确示例：部门管理、履职效果、能力建设、服务对象满意度；或改用“项目支出”规则。
    依据：seed 自评表；财预〔2020〕10号。
    """
    seen = set()
    # A form built on another framework altogether (none of its names is the rule's) is not a
    # misnamed level: said once per name as a note, not as a warning on every level.
    other = _other_framework(ctx)
    for ind in ctx.indicators:
        if ind.level1.is_blank:
            continue
        name = ind.level1.text
        if name in seen:
            continue
        seen.add(name)
        if ctx.profile.first_level_weight(name) is None:
            yield Violation(ind.level1, f"一级指标「{name}」不在规则「{ctx.profile.title}」中："
                                        f"{'、'.join(list(ctx.profile.first_level)[1:])}",
                            severity=Severity.INFO if other else None)
