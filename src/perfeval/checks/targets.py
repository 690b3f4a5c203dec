"""PE3xx — 年度指标值 and 实际完成值."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.findings import Severity
from ..core.targets import Comparison
from .context import CheckContext
from .registry import Violation, rule


def _parse_code(ctx: CheckContext, code: str) -> Iterator[tuple]:
    """Indicators whose score could not be computed for the reason `code` (parser or scorer)."""
    for r in ctx.evaluation.indicators:
        if r.result.error is not None and r.result.error.code == code:
            yield r.indicator, r.result.error


@rule("PE301", "年度指标值为空或缺少数值")
def target_missing_number(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：年度指标值是否填写；写了比较符号（≥、≤、不超过、达到）就必须跟着数值。
    原因：没有数值的目标无法判断是否完成，得分也就没有依据。
    错误示例：“三公经费”控制率 的年度指标值只填“≤”。
    正确示例：“≤100%”。
    依据：财预〔2020〕10号：定量指标“与年初指标值相比”记分。
    """
    for ind, err in _parse_code(ctx, "PE301"):
        yield Violation(ind.target, f"{ctx.label(ind)}：{err.message}")


@rule("PE302", "指标值或完成值不是有效数字")
def value_not_a_number(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：年度指标值或实际完成值是数字单元格，但不是可以计算的有限数值（如超出范围的数、NaN）。
    原因：这样的数无法与目标比较，得分无从计算；多半是从其他系统复制粘贴时带来的异常值。
    错误示例：实际完成值单元格中是 1E+308 或“#NUM!”一类的值。
    正确示例：填实际达到的数，如 95% 或 2859。
    依据：自评表结构。
    """
    for ind, err in _parse_code(ctx, "PE302"):
        where = ind.target if err.message.startswith("指标值") else ind.actual
        yield Violation(where, f"{ctx.label(ind)}：{err.message}")


@rule("PE303", "实际完成值写成了目标的形式")
def actual_written_as_target(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：实际完成值中是否出现“以上、以内、达到、≥”等目标用语。
    原因：完成值应是实际达到的数，写成“达90%以上”就看不出究竟完成了多少。
    错误示例：实际完成值“达90%以上”。
    正确示例：实际完成值“95%”或 0.95（设为百分比格式）。
    依据：财预〔2020〕10号附件自评表“实际完成值”栏。
    """
    for ind in ctx.indicators:
        if ind.parsed_actual().target_shaped:
            yield Violation(ind.actual, f"{ctx.label(ind)}：实际完成值“{ind.actual.text}”写成了目标的形式，"
                                        "应填写实际达到的数值（如 95% 或 2859）；暂按其中的数值计分")


@rule("PE304", "年度指标值与实际完成值单位不一致")
def unit_mismatch(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：年度指标值与实际完成值的计量单位是否一致（%、个、人、万元……），
    包括“目标是个数、完成值却设成了百分比格式”的情况。
    原因：单位不同的两个数无法相比，得分必然算错。常见于把定性目标写成“整合组建了4个机构”，完成值却填 100%。
    错误示例：年度指标值“≥4个”，实际完成值 100%。
    正确示例：实际完成值“4个”；或把目标改写为定性描述并按完成比例填写。
    依据：财预〔2020〕10号：“按照完成值与指标值的比例记分”。
    """
    for ind, err in _parse_code(ctx, "PE304"):
        t = ind.parsed_target()
        if ind.actual.percent_format and not isinstance(ind.actual.raw, str) and ind.actual.number is not None:
            # A number shown as a percent is a percent (the scorer reads it so): say what the
            # clerk sees rather than "%" against "个".
            message = (f"年度指标值以“{t.unit}”计，实际完成值却设成了百分比格式"
                       f"（显示为 {ind.actual.number * 100:g}%）")
        else:
            message = err.message
        yield Violation(ind.actual, f"{ctx.label(ind)}：{message}")


@rule("PE305", "实际完成值为空或没有数值")
def actual_missing(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：定量指标的实际完成值是否填写了数值。
    原因：没有完成值就无法计分，自评表也不完整。
    错误示例：实际完成值留空，或只写“已完成”。
    正确示例：填实际达到的数，如 2859人、98%。
    依据：财预〔2020〕10号附件自评表。
    """
    for ind, err in _parse_code(ctx, "PE305"):
        yield Violation(ind.actual, f"{ctx.label(ind)}：{err.message}")
    # A row whose target already could not be read is not scored, yet its blank completion is a
    # problem of its own.
    for r in ctx.ev.indicators:
        err = r.result.error
        if err is not None and err.code in ("PE301", "PE302") and r.indicator.actual.is_blank:
            yield Violation(r.indicator.actual, f"{ctx.label(r.indicator)}：实际完成值为空")


@rule("PE306", "定性指标没有填写完成比例")
def qualitative_without_ratio(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：定性指标（年度指标值是文字描述）的实际完成值是否是完成比例（如 85%）。
    原因：定性指标按“全部或基本达成 100%–80%（含）、部分达成 80%–60%（含）、未达成 60%–0%”三档
    “合理填写完成比例”后计分；写“无”“好”无法落档计分。
    错误示例：单位获奖情况 年度指标值“无”、实际完成值“无”、得满分 4。
    正确示例：改为可衡量的目标（如“获市级以上表彰≥1项”）并填完成值；或填完成比例 100%。
    依据：seed 自评表注 2；财预〔2020〕10号第十二条。
    """
    for ind, err in _parse_code(ctx, "PE306"):
        yield Violation(ind.actual, f"{ctx.label(ind)}：{err.message}")


_PAST_TENSE = re.compile(r"(了|已经|已完成|已全部|进行过|完成了|实现了)")


@rule("PE311", "完成时间晚于时限，需评定得分", Severity.WARNING)
def deadline_missed(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：时限类指标（“9月前”“2023年12月31日前完成”）的实际完成时间是否晚于时限。
    原因：时限指标不能按“完成值 ÷ 指标值”的比例计分；逾期完成的，应由评价人按影响程度评定得分并说明原因。
    重算总分不计该指标的得分（标为暂定），直到表中写明评定理由。
    错误示例：年度指标值“6月30日前”，实际完成值“2023年7月”，得分填满分。
    正确示例：得分按逾期影响评定（如 60%），偏差原因栏写明逾期原因和改进措施。
    依据：财预〔2020〕10号第十二条（定性评定）。
    """
    for ind, err in _parse_code(ctx, "PE311"):
        yield Violation(ind.actual, f"{ctx.label(ind)}：{err.message}")


@rule("PE307", "年度指标值写成了工作完成情况", Severity.WARNING)
def target_is_a_result(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：年度指标值是否是已经发生的事（“整合组建了4个机构”“开展了执法效能评估”“落实了……要求”）。
    原因：年度指标值应是年初设定、可以衡量的目标；写成年底的完成情况，指标就失去了考核意义，
    也说明绩效目标是事后补填的。
    错误示例：“49个县直部门及下属事业单位进行了调研”。
    正确示例：年度指标值“调研县直部门≥49个”，实际完成值“49个”。
    依据：财预〔2020〕10号、《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》：指标值应可衡量、可比较。
    """
    for ind in ctx.indicators:
        text = ind.target.text
        if text and _PAST_TENSE.search(text):
            yield Violation(ind.target,
                              f"{ctx.label(ind)}的年度指标值“{text}”是完成情况的写法，应写成年初设定的可衡量目标")


@rule("PE308", "控制类指标的方向可能写反", Severity.WARNING)
def reverse_indicator_direction(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：名称表明是控制类（反向）指标的——在职人员控制率、“三公经费”控制率、预算调整率、
    结转结余率、投诉率等——年度指标值却写成“达90%以上”这类越大越好的形式。
    原因：控制率越低越好（如在职人员数不超过编制数），写成“达到90%以上”等于鼓励超编超支，计分方向也反了。
    错误示例：在职人员控制率 年度指标值“达90%以上”。
    正确示例：“≤100%”，或在“指标方向”列选“反向”。
    依据：财预〔2013〕53号 部门整体支出共性指标：在职人员控制率 = 在职人员数/编制数，“三公经费”控制率 = 实际/预算安排。
    """
    keywords = ctx.profile.indicators.reverse_keywords
    for ind in ctx.indicators:
        name = ind.level3.text
        if not name or not any(k in name for k in keywords):
            continue
        t = ind.parsed_target()
        if (t.is_quantitative and t.comparison_given and t.comparison in (Comparison.GE, Comparison.GT)
                and ind.direction.text != "正向"):
            yield Violation(ind.target,
                              f"{ctx.label(ind)}是控制类指标，年度指标值“{ind.target.text}”却是越大越好的写法；"
                              "应写成“≤…”或在“指标方向”列选“反向”")


@rule("PE309", "三级指标名称为空", Severity.ERROR)
def indicator_without_name(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：填了指标值、完成值、分值或得分的行，是否写了三级指标名称。
    原因：没有名称的指标无法汇总、无法在报告中引用。
    错误示例：C15 空白，D15–G15 有数。
    正确示例：写明三级指标名称，如“政府采购规范性”。
    依据：自评表结构。
    """
    for ind in ctx.indicators:
        if ind.level3.is_blank:
            yield Violation(ind.level3, f"第 {ind.row} 行有数据但没有三级指标名称")


@rule("PE310", "三级指标名称重复", Severity.WARNING)
def duplicate_indicator(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：同一二级指标下是否出现两个同名的三级指标。
    原因：重复指标会被重复计分，汇总时也无法区分。
    错误示例：两行都叫“资金使用规范性”。
    正确示例：合并为一行，或改名区分。
    依据：自评表结构。
    """
    seen: dict[tuple[str, str, str], int] = {}
    for ind in ctx.indicators:
        key = ctx.names[ind.row]
        if not key[2]:
            continue
        if key in seen:
            yield Violation(ind.level3, f"{ctx.label(ind)}与第 {seen[key]} 行重复")
        else:
            seen[key] = ind.row
