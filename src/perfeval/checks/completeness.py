"""The parts every form must have: a name, a year and at least one indicator.

A blank template, or a workbook from which the clerk deleted everything but the budget, is not a
form a bureau can accept; without these rules it would pass with exit code 0. Each missing part
is an error of its own family (the header belongs to the top block, PE1xx; indicators to the
分值与得分 table, PE2xx), pointing at the cell to fill.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Loc
from ..workbook.layout import COL_L1, SHEET_FORM, cell, layout_for
from .context import CheckContext
from .registry import Violation, rule


@rule("PE110", "部门（单位）名称为空")
def name_missing(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：自评表的“部门（单位）名称”（项目表为“项目名称”）是否填写。
    原因：没有名称的表无法知道是谁的自评结果，报告的标题、落款和财政局的汇总表都用这个名称。
    错误示例：C2 空白；导入的旧表标题只有“自评表”三个字，表中也没有单位名称。
    正确示例：正宁县人力资源和社会保障局。
    依据：自评表表头“部门（单位）名称”栏。
    """
    if ctx.form.name.is_blank:
        what = "项目名称" if ctx.form.kind.value == "project" else "部门（单位）名称"
        yield Violation(ctx.form.name, f"自评表没有填写{what}")


@rule("PE111", "年度为空")
def year_missing(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：自评表的“年度”是否填写。
    原因：自评针对某一预算年度；没有年度，表的标题、报告标题和汇总都无法确定是哪一年的结果。
    错误示例：H2 空白。
    正确示例：2023。
    依据：自评表表头“年度”栏；各地自评通知按年度布置。
    """
    if ctx.form.year.is_blank:
        yield Violation(ctx.form.year, "自评表没有填写年度")


@rule("PE211", "没有填写任何指标")
def no_indicators(ctx: CheckContext) -> Iterator[Violation]:
    """检查内容：自评表中是否至少有一个填写了内容的三级指标。
    原因：绩效自评以指标打分；没有指标就没有得分、等级，也无法生成报告中的指标完成情况。
    错误示例：只填了预算数，指标表整片空白。
    正确示例：按一级指标（部门管理、履职效果、能力建设、服务对象满意度）填写三级指标、年度指标值、
    实际完成值和分值。
    依据：seed 自评表；财预〔2020〕10号附件自评表的指标栏。
    """
    if ctx.indicators:
        return
    where = None
    if ctx.form.template_version is not None:
        where = Loc(sheet=SHEET_FORM, cell=cell(COL_L1, layout_for(ctx.form.kind).indicator_first_row))
    yield Violation(where, "自评表没有填写任何指标（三级指标、年度指标值、实际完成值、分值）")
