"""PE1xx — the 年度资金预算情况 block."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core.decimal_math import excel_round, fmt_decimal, fmt_percent
from ..core.findings import Severity
from ..core.model import BudgetRowKind
from ..core.evaluate import parts_of_total
from ..core.scoring import execution_score
from .context import CheckContext
from .registry import Violation, rule

CENT = Decimal("0.01")
RATE_TOLERANCE = Decimal("0.005")  # half a percent point: what a whole-percent display hides
RATE_DIGITS = Decimal("0.00005")  # half of the recomputed rate's last digit (2 decimals of a percent)


def rate_tolerance(stated: Decimal) -> Decimal:
    """How far a stated rate may lie from the recomputed one and still be the same rate shown
    rounded: half a unit of the digits the clerk typed ("86%" hides ±0.5 points, "86.19%" only
    ±0.005), never more than half a point, never less than the recomputation's own rounding."""
    exponent = stated.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        return RATE_TOLERANCE
    return min(RATE_TOLERANCE, max(Decimal(5).scaleb(exponent - 1), RATE_DIGITS))


def _unit(ctx: CheckContext) -> str:
    return ctx.form.money_unit


def _base_name(ctx: CheckContext) -> str:
    return "全年预算数" if ctx.profile.execution.base == "full_year" else "年初预算数"


@rule("PE101", "执行率与按规则重算的结果不符")
def stated_rate_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：预算块每一行的“执行率”是否等于 实际支出数 ÷ 全年预算数（规则配置可改为年初预算数）。
    原因：执行率是预算执行得分的依据。常见错误是用实际支出除以年初预算数，调整预算后执行率就会虚高或虚低；
    一体化系统按调整后预算计算，与手填数字不一致会被退回。
    错误示例：全年预算数 1745.81、实际支出数 1745.81、年初预算数 1241.99，执行率填 141%（= 1745.81 ÷ 1241.99）。
    正确示例：执行率 = 1745.81 ÷ 1745.81 = 100%。
    依据：财预〔2020〕10号附件自评表“执行率（B/A）”，A 为全年预算数；财预〔2013〕53号“预算完成率”以变动后预算数为基数。
    """
    u = _unit(ctx)
    for b in ctx.evaluation.budget:
        stated = b.row.stated_rate
        rate = b.rate
        if stated.is_blank or rate is None or stated.number is None:
            continue
        got = stated.number
        if abs(got - rate) <= rate_tolerance(got):
            continue
        label = b.row.label.text or "预算行"
        # "等于 实际 ÷ 年初" only explains the number when 年初 gives another rate than 全年 does.
        wrong_base = (ctx.profile.execution.base == "full_year" and b.rate_on_initial is not None
                      and b.rate_on_initial != rate and abs(got - b.rate_on_initial) < abs(got - rate)
                      and abs(got - b.rate_on_initial) <= RATE_TOLERANCE)
        if wrong_base:
            msg = (f"{label}执行率填为 {fmt_percent(got)}，等于 实际支出数 ÷ 年初预算数"
                   f"（{fmt_decimal(b.row.actual.money(u))} ÷ {fmt_decimal(b.row.initial.money(u))}）；"
                   f"应以{_base_name(ctx)}为基数：{fmt_decimal(b.row.actual.money(u))} ÷ "
                   f"{fmt_decimal(b.row.full_year.money(u))} = {fmt_percent(rate)}")
        else:
            msg = f"{label}执行率填为 {fmt_percent(got)}，按{_base_name(ctx)}重算应为 {fmt_percent(rate)}"
        yield Violation(stated, msg, expected=fmt_percent(rate), actual=fmt_percent(got))


@rule("PE102", "实际支出数超过全年预算数")
def actual_exceeds_budget(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：实际支出数（全年执行数）是否大于全年预算数。
    原因：超预算支出没有预算依据；一体化系统在执行率超过 100% 时拒绝保存（“预算执行率不能超过100%！”）。
    多数情况是把年初预算数当成了全年预算数，或漏填了年中追加的预算。
    错误示例：全年预算数 500.00，实际支出数 520.00。
    正确示例：全年预算数填调整后的 520.00（并在报告素材“预算调整说明”中说明追加原因），或核实支出数。
    依据：《预算法》第十三条；一体化系统绩效自评模块的执行率校验。
    """
    u = _unit(ctx)
    for row in ctx.form.budget:
        a, f = row.actual.money(u), row.full_year.money(u)
        if a is not None and f is not None and a > f:
            yield Violation(row.actual,
                              f"{row.label.text or '预算行'}实际支出数 {fmt_decimal(a)} 超过全年预算数 {fmt_decimal(f)}",
                              expected=f"≤ {fmt_decimal(f)}", actual=fmt_decimal(a))


@rule("PE103", "预算数或实际支出数缺失或不是数字")
def budget_numbers_missing(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：全年支出（项目表为年度资金总额）一行的年初预算数、全年预算数、实际支出数是否都填了数字。
    原因：缺少任何一个数，执行率和执行率得分都无法计算，总分也就不可信。
    错误示例：全年预算数留空；实际支出数填“见决算”。
    正确示例：三项都填以万元为单位的数字，如 1745.81。
    依据：自评表“年度资金预算情况”栏目。
    """
    u = _unit(ctx)
    row = ctx.form.main_budget_row
    if row is None:
        return
    for key, name in (("initial", "年初预算数"), ("full_year", "全年预算数"), ("actual", "实际支出数")):
        v = getattr(row, key)
        if v.money(u) is None:
            what = "为空" if v.is_blank else f"不是数字（“{v.text}”）"
            yield Violation(v, f"{row.label.text or '全年支出'}的{name}{what}")


@rule("PE104", "基本支出与项目支出之和不等于全年支出")
def parts_do_not_add_up(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：基本支出 + 项目支出（项目表：各资金来源）是否等于全年支出（年度资金总额），
    分别核对年初预算数、全年预算数、实际支出数三列。差额超过 0.01 万元为错误；恰好 0.01 万元提示可能是四舍五入。
    原因：分项与合计对不上，说明漏填、重复或抄错了数字。
    错误示例：基本支出 553.53 + 项目支出 1192.27 = 1745.80，全年支出填 1745.81（差 0.01，舍入误差）。
    正确示例：分项之和与合计一致；因舍入产生的分差在报告中说明或调整末位。
    依据：部门决算“收入支出决算总表”的勾稽关系。
    """
    u = _unit(ctx)
    total = ctx.form.budget_row(BudgetRowKind.TOTAL)
    parts = [r for r in ctx.form.budget if r.kind is not BudgetRowKind.TOTAL]
    if total is None or not parts:
        return
    for key, name in (("initial", "年初预算数"), ("full_year", "全年预算数"), ("actual", "实际支出数")):
        whole = getattr(total, key).money(u)
        nums = [getattr(p, key).money(u) for p in parts]
        if whole is None or all(n is None for n in nums):
            continue
        s = sum((n for n in nums if n is not None), Decimal(0))
        diff = abs(excel_round(s - whole, 2))
        if diff == 0:
            continue
        sev = Severity.INFO if diff <= CENT else Severity.ERROR
        hint = "，可能是四舍五入造成的分差" if sev is Severity.INFO else ""
        yield Violation(getattr(total, key),
            f"{name}：分项之和 {fmt_decimal(s)} 与合计 {fmt_decimal(whole)} 相差 {fmt_decimal(diff)} 万元{hint}",
            severity=sev, expected=fmt_decimal(s), actual=fmt_decimal(whole),
        )


@rule("PE105", "年初到全年预算调整幅度大但没有说明", Severity.WARNING)
def large_adjustment_unexplained(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：全年预算数与年初预算数相差超过规则配置的幅度（默认 10%），而报告素材的“预算调整说明”为空。
    原因：年中追加或调减预算须说明理由（四川等地自评表明确要求“年中发生预算调整的，应单独说明理由”），
    调整幅度大也常被财政局作为预算编制不准确的扣分依据。
    错误示例：年初预算数 1241.99，全年预算数 1745.81（调增 40.57%），没有任何说明。
    正确示例：在“报告素材”的“预算调整说明”中写明追加的项目、文件依据和金额。
    依据：青神县 2023 年自评表填报说明；财预〔2013〕53号“预算调整率”。
    """
    u = _unit(ctx)
    row = ctx.form.main_budget_row
    if row is None:
        return
    where = row.full_year
    i, f = row.initial.money(u), row.full_year.money(u)
    if ctx.ev.execution_from_parts:  # the total row is empty: the fund rows carry the budget
        parts = parts_of_total(ctx.form)
        i = sum((p.initial.money(u) or Decimal(0) for p in parts), Decimal(0))
        f = sum((p.full_year.money(u) or Decimal(0) for p in parts), Decimal(0))
        where = next((p.full_year for p in parts if p.full_year.money(u) is not None), where)
    if i is None or f is None or i == 0:
        return
    change = (f - i) / i
    if abs(change) <= ctx.profile.execution.adjustment_warning:
        return
    if ctx.form.narrative.text("adjustment_reason"):
        return
    direction = "调增" if change > 0 else "调减"
    yield Violation(
        where,
        f"全年预算数 {fmt_decimal(f)} 比年初预算数 {fmt_decimal(i)} {direction} {fmt_percent(abs(change))}，"
        f"超过 {fmt_percent(ctx.profile.execution.adjustment_warning)}，请在“报告素材—预算调整说明”中说明原因",
    )


@rule("PE106", "预算执行率得分与规则不符")
def execution_score_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：全年支出一行的“得分”是否等于规则配置算出的执行率得分（默认：执行率 × 分值，最高为分值）。
    原因：执行率得分由公式决定，不由填报人酌定；手填的得分常与执行率脱节。
    错误示例：执行率 100%、分值 10，得分填 8。
    正确示例：得分 = 100% × 10 = 10。
    依据：seed 自评表注 1；一体化系统执行率得分算法（默认按比例，江西分档，湖北 20 分）。
    """
    row = ctx.form.main_budget_row
    if row is None or row.score.is_blank:
        return
    ev = ctx.evaluation
    if ev.execution_rate is None or row.score.number is None:
        return
    expected = execution_score(ev.execution_rate, ctx.profile, ev.execution_weight)
    if abs(row.score.number - expected) >= Decimal("0.005"):
        yield Violation(row.score,
            f"预算执行率得分填为 {fmt_decimal(row.score.number)}，按执行率 {fmt_percent(ev.execution_rate)}、"
            f"分值 {fmt_decimal(ev.execution_weight)} 应为 {fmt_decimal(expected)}",
            expected=fmt_decimal(expected), actual=fmt_decimal(row.score.number),
        )


@rule("PE107", "预算执行率分值与规则不符")
def execution_weight_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：全年支出一行的“分值”是否等于规则配置的预算执行率分值（默认 10 分，湖北 20 分）。
    原因：一级指标分值原则上统一设置，预算执行率分值改动会使总分失去可比性。
    错误示例：预算执行率分值填 5。
    正确示例：按规则填 10。
    依据：seed 自评表注 1“预算执行率10分”；财预〔2020〕10号。
    """
    row = ctx.form.main_budget_row
    if row is None or row.weight.is_blank:
        return
    w = row.weight.number
    if w is None or w != ctx.profile.execution.weight:
        yield Violation(row.weight,
            f"预算执行率分值为“{row.weight.text}”，规则「{ctx.profile.title}」规定为 "
            f"{fmt_decimal(ctx.profile.execution.weight)} 分",
            expected=fmt_decimal(ctx.profile.execution.weight), actual=row.weight.text,
        )
