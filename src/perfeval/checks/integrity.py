"""PE605/PE606 — the template's computed cells (the reader's PE6xx codes are in core.codes)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.findings import Severity
from ..core.model import Value
from ..workbook import layout as L
from .context import CheckContext
from .registry import Violation, rule


def _template_cells(ctx: CheckContext) -> dict[str, str] | None:
    if ctx.form.template_version is None:
        return None
    return L.layout_for(ctx.form.kind).formula_cells(ctx.profile.execution.base)


def _computed_values(ctx: CheckContext) -> Iterator[tuple[Value, str]]:
    form = ctx.form
    for row in form.budget:
        if row.actual.is_blank and row.full_year.is_blank and row.initial.is_blank:
            continue  # nothing to compute: the formula's result is blank, and Excel stores none
        yield row.stated_rate, f"{row.label.text or '预算行'}执行率"
    if form.budget:
        yield form.main_budget_row.score, "预算执行率得分"
    for ind in form.filled_indicators:
        yield ind.score, f"{ctx.label(ind)}得分"
    yield form.stated_total_weight, "合计分值"
    yield form.stated_total_score, "合计得分"
    yield form.stated_grade, "自评等级"


@rule("PE605", "公式被手工数字覆盖", Severity.WARNING)
def formula_overwritten(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：模板中应由公式计算的单元格（执行率、执行率得分、各指标得分、合计、等级）是否被直接填了数字。
    原因：覆盖公式后，改动指标值或完成值时得分不再随之更新，表格前后矛盾；与规则不符的数值另由 PE101、PE401 等报告。
    错误示例：执行率单元格被手工填为 141%。
    正确示例：保留公式；确需调整得分的（如按偏离度调减），在偏差原因栏说明并告知财政局。
    依据：模板结构。
    """
    cells = _template_cells(ctx)
    if not cells:
        return
    for v, name in _computed_values(ctx):
        if v.loc is None or v.loc.sheet != L.SHEET_FORM or v.loc.cell not in cells:
            continue
        if v.formula is None and not v.is_blank:
            yield Violation(v, f"{name}的公式被手工填写的“{v.shown}”覆盖，不再随填报内容自动计算",
                              expected=cells[v.loc.cell], actual=v.shown)


@rule("PE606", "公式没有计算结果或结果为错误值", Severity.WARNING)
def cached_value_missing(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：公式单元格保存的计算结果是否存在、是否是 #NAME? 等错误值。
    原因：#NAME? 表示文件在没有加载 perfeval 加载项（或禁用了宏）的 Excel/WPS 中重算过，函数未被识别；
    没有结果表示文件保存前没有重算。不看公式的人（和财政局的查看软件）此时看不到得分。
    错误示例：得分栏显示 #NAME?。
    正确示例：启用宏打开模板（或安装加载项）后按 Ctrl+Alt+F9 重算并保存；也可用 perfeval validate 复核。
    依据：模板结构。
    """
    if _template_cells(ctx) is None:
        return
    for v, name in _computed_values(ctx):
        if v.formula is None:
            continue
        if v.raw is None:
            yield Violation(v, f"{name}的公式没有保存计算结果（保存前未重算）", severity=Severity.INFO)
        elif isinstance(v.raw, str) and v.raw.startswith("#"):
            hint = "：函数未被识别，文件是在未加载 perfeval 加载项或禁用宏的情况下重算的" if v.raw == "#NAME?" else ""
            yield Violation(v, f"{name}显示错误值 {v.raw}{hint}")
