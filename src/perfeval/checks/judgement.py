"""PE4xx — scoring judgement: does each 得分 follow from target, completion and reason?"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core.decimal_math import fmt_decimal, fmt_percent
from ..core.findings import Severity
from ..core.scoring import band_for, band_range
from .context import CheckContext
from .registry import Violation, rule

HALF_CENT = Decimal("0.005")


def _scored(ctx: CheckContext):
    for r in ctx.evaluation.indicators:
        yield r.indicator, r.result


@rule("PE401", "得分与按规则重算的结果不符")
def score_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：每个指标的得分是否等于按规则由年度指标值、实际完成值、分值算出的得分
    （达标得满分；正向未达标 = 完成值/指标值 × 分值；反向未达标 = 指标值/完成值 × 分值；定性 = 完成比例 × 分值）。
    “未达标却得满分”另由 PE402 报告。
    原因：得分应由数据推出，而不是估填；差异大多来自手改公式或估分。
    错误示例：定性指标完成比例 95%、分值 4，得分填 4（应为 3.8）。
    正确示例：得分 3.8，或把完成比例改为实际评定的 100% 并说明依据。
    依据：财预〔2020〕10号第十二条；seed 自评表注 2。
    """
    for ind, res in _scored(ctx):
        stated = ind.score.number
        if res.score is None or stated is None:
            continue
        if not res.qualitative and res.met is False and stated >= (res.weight or 0):
            continue  # PE402 says it more precisely
        if abs(stated - res.score) >= HALF_CENT:
            yield Violation(ind.score,
                              f"{ctx.label(ind)}得分填为 {fmt_decimal(stated)}，按规则应为 {fmt_decimal(res.score)}："
                              f"{res.explanation}",
                              expected=fmt_decimal(res.score), actual=fmt_decimal(stated))


@rule("PE402", "未完成年度指标值却得满分")
def missed_but_full_marks(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：实际完成值没有达到年度指标值（正向指标低于目标、反向指标高于目标）的指标，得分却等于分值。
    原因：“未完成指标值的，按照完成值与指标值的比例记分”；未达标得满分是财政局复核最常见的扣分点。
    错误示例：人民群众满意度 年度指标值“达到100%”，实际完成值 95%，分值 5，得分 5。
    正确示例：得分 = 95% ÷ 100% × 5 = 4.75，并在偏差原因栏说明原因和改进措施。
    依据：财预〔2020〕10号第十二条。
    """
    for ind, res in _scored(ctx):
        if res.qualitative or res.met is not False:
            continue
        stated, w = ind.score.number, ind.weight.number
        # Only when the rule gives less than full marks: "超过2000人" reached exactly 2000 is
        # not met, yet scores 2000 ÷ 2000 × 分值 — full marks are then right.
        if (stated is not None and w is not None and w > 0 and stated >= w
                and res.score is not None and res.score < w):
            yield Violation(ind.score,
                              f"{ctx.label(ind)}{res.explanation}，得分却填满分 {fmt_decimal(stated)}",
                              expected=fmt_decimal(res.score), actual=fmt_decimal(stated))


@rule("PE403", "得分低于分值但没有填写偏差原因")
def deduction_without_reason(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：得分低于分值（包括按规则重算后应低于分值）的指标，“偏差原因分析及改进措施”是否填写。
    原因：“请在未完成原因分析中说明偏离目标、不能完成的原因及拟采取的措施”；一体化系统对得分低于分值而无理由的
    自评表拒绝提交。
    错误示例：人民群众满意度 实际 95%，偏差原因栏空白。
    正确示例：“部分群众对办理时限不满意；下一步推行一件事一次办，压缩办理时限。”
    依据：中央部门自评表填报说明；一体化系统“得分低于分值须填写理由及依据”。
    """
    for ind, res in _scored(ctx):
        w = ind.weight.number
        if w is None or w <= 0 or not ind.reason.is_blank:
            continue
        stated = ind.score.number
        below = (stated is not None and stated < w) or (res.score is not None and res.score < w)
        if below:
            s = stated if stated is not None and stated < w else res.score
            yield Violation(ind.reason,
                              f"{ctx.label(ind)}得分 {fmt_decimal(s)} 低于分值 {fmt_decimal(w)}，"
                              "请填写偏差原因分析及改进措施")


@rule("PE404", "已完成年度指标值却被扣分", Severity.WARNING)
def met_but_deducted(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：实际完成值达到年度指标值的定量指标，得分却低于分值。
    原因：“完成指标值的，记该指标所赋全部分值”；若扣分是因为目标设定偏低（按偏离度调减），须写明。
    错误示例：年度指标值“≥90%”，完成 95%，分值 2，得分 1.5，偏差原因空白。
    正确示例：得分 2；或保留 1.5 并在偏差原因栏说明按偏离度调减的理由。
    依据：财预〔2020〕10号第十二条。
    """
    for ind, res in _scored(ctx):
        if res.qualitative or res.met is not True:
            continue
        stated, w = ind.score.number, ind.weight.number
        if stated is not None and w is not None and stated < w and ind.reason.is_blank:
            yield Violation(ind.score,
                              f"{ctx.label(ind)}已达标，得分 {fmt_decimal(stated)} 却低于分值 {fmt_decimal(w)}，且未说明理由",
                              expected=fmt_decimal(w), actual=fmt_decimal(stated))


@rule("PE405", "超额完成幅度过大且没有说明", Severity.WARNING)
def over_achievement_unexplained(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：实际完成值超出年度指标值的幅度是否超过规则配置的阈值（默认 30%），超出时是否说明了原因。
    原因：“对完成值高于指标值较多的，要分析原因，如果是由于年初指标值设定明显偏低造成的，要按照偏离度适度调减分值”。
    一些地区的一体化系统对偏离 30% 以上的指标直接扣 2 分。
    错误示例：培训人数 年度指标值“≥500人”，完成 650 人（超出 30%），偏差原因空白。
    正确示例：说明超额原因（如追加了培训项目），目标设定偏低的按偏离度调减得分。
    依据：财预〔2020〕10号第十二条；某省一体化平台操作手册“指标偏离减2分”。
    """
    threshold = ctx.profile.indicators.over_achievement_threshold
    for ind, res in _scored(ctx):
        if res.over_achievement is not None and res.over_achievement > threshold and ind.reason.is_blank:
            yield Violation(ind.reason,
                              f"{ctx.label(ind)}完成值超出年度指标值 {fmt_percent(res.over_achievement)}（阈值 "
                              f"{fmt_percent(threshold)}），请说明原因；若年初目标设定偏低，应按偏离度调减得分")


@rule("PE406", "定性指标得分不在所属档次的分值区间")
def qualitative_score_outside_band(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：定性指标按完成比例落档后，所填得分是否在该档对应的分值区间内
    （全部或基本达成：分值的 100%–80%（含）；部分达成：80%–60%（含）；未达成：60%–0%）。
    原因：档次决定得分区间，档次与得分矛盾说明评分随意。
    错误示例：完成比例 70%（部分达成），分值 5，得分 5。
    正确示例：得分在 3～4 之间（如 3.5）。
    依据：seed 自评表注 2；财预〔2020〕10号。
    """
    for ind, res in _scored(ctx):
        if not res.qualitative or res.completion is None or res.weight is None:
            continue
        stated = ind.score.number
        if stated is None:
            continue
        band = band_for(res.completion, ctx.profile)
        lo, hi = band_range(band, res.weight, ctx.profile)
        if not lo <= stated <= hi:
            yield Violation(ind.score,
                              f"{ctx.label(ind)}完成比例 {fmt_percent(res.completion)} 属“{band.name}”档，"
                              f"得分应在 {fmt_decimal(lo)}～{fmt_decimal(hi)} 之间，现为 {fmt_decimal(stated)}",
                              expected=f"{fmt_decimal(lo)}～{fmt_decimal(hi)}", actual=fmt_decimal(stated))


@rule("PE407", "合计行写了偏差原因", Severity.WARNING)
def reason_on_total_row(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：合计行的“偏差原因分析及改进措施”栏是否有内容。
    原因：偏差原因应写在对应指标行，合计行的说明无法对应到具体指标，往往是放错了位置。
    错误示例：合计行写“就业补助资金增加”。
    正确示例：把说明移到相关指标（如项目支出预算执行率）的偏差原因栏；预算调整写入“预算调整说明”。
    依据：自评表结构。
    """
    note = ctx.form.total_note
    if not note.is_blank:
        yield Violation(note,
                          f"合计行的偏差原因栏写有“{note.text}”，应写在对应指标行或“预算调整说明”中")


@rule("PE408", "总分或等级与重算结果不符")
def stated_grade_differs(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：按规则重算的总分（执行率得分 + 各指标重算得分 − 扣分）对应的等级，是否与表中显示的等级一致；
    重算总分与表中合计相差 1 分以上时提示。
    原因：等级（优 ≥90、良 80–90、中 60–80、差 <60）是自评结论，应与重算的分数一致。
    错误示例：表中合计 98（优），按规则重算 85.25（良）。
    正确示例：修正各项得分后，合计与等级随之更正。
    依据：财预〔2020〕10号“90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差”。
    """
    ev = ctx.evaluation
    stated = ctx.form.stated_total_score.number
    if stated is None or not ctx.indicators:
        return
    from ..core.scoring import grade

    stated_grade = ctx.form.stated_grade.text or grade(stated, ctx.profile)
    if stated_grade != ev.grade or abs(stated - ev.total) >= 1:
        yield Violation(ctx.form.stated_total_score,
                          f"按规则重算总分 {fmt_decimal(ev.total)}（{ev.grade}），表中为 {fmt_decimal(stated)}"
                          f"（{stated_grade}）",
                          expected=f"{fmt_decimal(ev.total)}（{ev.grade}）",
                          actual=f"{fmt_decimal(stated)}（{stated_grade}）")
