"""PE6xx — workbook integrity; PE9xx — unreadable input (raised by the opener, documented here)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.findings import Finding, Severity
from ..core.model import Value
from ..workbook import layout as L
from ..workbook.legacy_import import IMPORT_CODES
from ..workbook.safe_open import ERROR_CODES
from .context import CheckContext
from .registry import documented, rule

documented("PE601", "缺少模板工作表", Severity.ERROR, """
    检查内容：工作簿中是否有模板的工作表（自评表、报告素材、下属单位、评分规则、校验结果、隐藏的配置表）。
    原因：缺少“自评表”就不是本模板，无法按单元格读取；缺少其他表会丢失报告素材或汇总信息。
    错误示例：把自评表复制到新工作簿后上报。
    正确示例：直接在模板中填写；旧表先用“导入旧表”转换。
    依据：模板结构（由读取程序检查）。
""")
documented("PE602", "模板标识或版本不符", Severity.ERROR, """
    检查内容：隐藏配置表中的模板标识、版本和表格类型是否与本程序一致。
    原因：版本不同的模板单元格位置可能不同，按错位的地址读取会把数字读进错误的栏目。
    错误示例：用旧版模板填写后用新版程序校验。
    正确示例：用“新建”生成当前版本的模板，把内容复制过去。
    依据：模板结构（由读取程序检查）。
""")
documented("PE603", "模板的行或列被插入、删除或移动", Severity.ERROR, """
    检查内容：自评表和报告素材中的固定标签（“年度资金预算情况”“一级指标”“合计”……）是否仍在原位置。
    原因：插入或删除行会让后面的单元格全部错位；为避免读错，发现错位时停止读取并指出位置。
    错误示例：在预算块中删除了“其中：基本支出”一行。
    正确示例：不要插入或删除行；指标行不够时使用空白指标行（模板预留 60 行）。
    依据：模板结构（由读取程序检查）。
""")
documented("PE604", "数字栏中填了文字", Severity.ERROR, """
    检查内容：金额等数字栏（年初预算数、全年预算数、实际支出数、下属单位资金额度）中是否是数字。
    原因：文字无法参与计算，执行率和汇总都会出错。
    错误示例：全年预算数填“一千七百万”或“1745.81万元”。
    正确示例：1745.81（单位万元已在表头注明）。
    依据：模板结构（由读取程序检查）。
""")
documented("PE607", "工作表保护被取消", Severity.WARNING, """
    检查内容：自评表的工作表保护和工作簿结构保护是否仍然开启。
    原因：保护用来防止误改公式和表格结构（不是保密措施，没有密码）；取消保护后公式容易被覆盖。
    错误示例：撤销工作表保护后修改了得分公式。
    正确示例：保持保护；确需修改结构时使用“新建”生成新模板。
    依据：模板结构（由读取程序检查）。
""")
documented("PE920", "评分规则配置不可用", Severity.ERROR, """
    检查内容：单元格函数（SCORE、EXEC_SCORE 等）或命令所用的评分规则名称或 .toml 文件能否载入。
    原因：规则决定执行率基数、分值、档次和等级；名称写错或改坏的规则文件无法计分，单元格显示此代码和原因。
    错误示例：配置表的评分规则写成“甘肃”；自己改的 .toml 中 first_level 合计不是 100。
    正确示例：用 perfeval profiles 列出的名称（如 gansu-department），或修正 .toml 中报错的键。
    依据：规则配置（src/perfeval/profiles/*.toml）。
""")
for _code, _ic in IMPORT_CODES.items():
    documented(_code, _ic.title, _ic.severity, f"""
        检查内容：导入旧表（perfeval import / 功能区“导入旧表”）时，{_ic.description}
        原因：旧表是各单位手工制作的，版式各不相同；导入程序按标题文字找到各栏，找不到或放不下的内容
        一律报告出来，不会悄悄丢弃。
        错误示例：表头写成“指标完成情况”而没有“实际完成值”一类的标题；表格下方另写了一段注释。
        正确示例：核对导入时打印的“源单元格 → 模板栏目”对照表，把未能放置的内容补填到模板相应位置。
        依据：导入程序的对照规则（见 perfeval import 输出的对照表）。
    """)
for _code, _title in ERROR_CODES.items():
    documented(_code, _title, Severity.ERROR, f"""
        检查内容：文件能否作为 Excel 工作簿安全打开（{_title}）。
        原因：上报文件经邮件、U 盘传递，可能损坏、被加密、是旧格式或被改了扩展名，个别可能是恶意构造的文件；
        程序在交给 openpyxl 解析之前逐项检查，任何一项不通过都给出此代码和原因，批量校验继续处理下一个文件。
        错误示例：把 .xls 改名为 .xlsx；设置了打开密码；文件只下载了一半。
        正确示例：在 Excel/WPS 中打开后“另存为 Excel 工作簿（*.xlsx）”，去掉打开密码后重新上报。
        依据：OWASP 文件上传安全建议；Office Open XML（ECMA-376）包结构。
    """)


def _template_cells(ctx: CheckContext) -> dict[str, str] | None:
    if ctx.form.template_version is None:
        return None
    return L.layout_for(ctx.form.kind).formula_cells(ctx.profile.execution.base)


def _computed_values(ctx: CheckContext) -> Iterator[tuple[Value, str]]:
    form = ctx.form
    for row in form.budget:
        yield row.stated_rate, f"{row.label.text or '预算行'}执行率"
    if form.budget:
        yield form.main_budget_row.score, "预算执行率得分"
    for ind in form.filled_indicators:
        yield ind.score, f"{ctx.label(ind)}得分"
    yield form.stated_total_weight, "合计分值"
    yield form.stated_total_score, "合计得分"
    yield form.stated_grade, "自评等级"


@rule("PE605", "公式被手工数字覆盖", Severity.WARNING)
def formula_overwritten(ctx: CheckContext) -> Iterator[Finding]:
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
            yield ctx.finding("PE605", v, f"{name}的公式被手工填写的“{v.shown}”覆盖，不再随填报内容自动计算",
                              expected=cells[v.loc.cell], actual=v.shown)


@rule("PE606", "公式没有计算结果或结果为错误值", Severity.WARNING)
def cached_value_missing(ctx: CheckContext) -> Iterator[Finding]:
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
            yield ctx.finding("PE606", v, f"{name}的公式没有保存计算结果（保存前未重算）", severity=Severity.INFO)
        elif isinstance(v.raw, str) and v.raw.startswith("#"):
            hint = "：函数未被识别，文件是在未加载 perfeval 加载项或禁用宏的情况下重算的" if v.raw == "#NAME?" else ""
            yield ctx.finding("PE606", v, f"{name}显示错误值 {v.raw}{hint}")
