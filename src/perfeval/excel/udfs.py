"""The worksheet functions as xlwings UDFs: one thin shim per function of `core.cellfunctions`.

A shim only hands Excel's values to the pure function and makes sure whatever comes back is
something a cell can show: never None, never an exception (an unexpected error becomes a
"PE999 内部错误：…" text in the cell, which the clerk can quote on the phone).

The parameters carry no type annotations on purpose: on Windows `xw.func` turns an annotation
into a converter (`get_type_hints` → options["convert"]), and `object` or `float` would change
how Excel's values reach the core. Ranges are declared `ndim=2`, so a one-cell range still
arrives as a list of rows, as `cellfunctions` expects.

`perfeval.excel.build.generate_udf_vba` reads these decorators to write the VBA wrappers
(`addin/vba/PerfevalUdfs.bas`); changing a signature or a doc string here means regenerating
that file, which a test enforces. None of these functions is volatile: they recalculate only
when a referenced cell changes.
"""

from __future__ import annotations

from collections.abc import Callable

import xlwings as xw

from perfeval.core import cellfunctions as cf

__all__ = list(cf.FUNCTIONS)

CATEGORY = "绩效自评"
INTERNAL_ERROR = "PE999 内部错误："
# Excel truncates longer cell text from a UDF anyway; keep messages readable in a cell.
_MAX_TEXT = 255

_DOC_PROFILE = "评分规则名称，可省略（默认取「配置」表中的规则，如 gansu-department）"
_DOC_WEIGHT = "分值"
_DOC_FORMAT = "完成值单元格的格式，可省略；填 CELL(\"format\",完成值单元格)，百分比格式时按百分比读取（240% 即 2.4）"


def _call(func: Callable[..., object], *args: object) -> float | str | list[list[float | str]]:
    try:
        result = func(*args)
    except Exception as exc:  # noqa: BLE001 - a cell must show a message, not a COM error
        return f"{INTERNAL_ERROR}{type(exc).__name__}: {exc}"[:_MAX_TEXT]
    if isinstance(result, list):  # an array function: rows of cells, each made showable
        return [[_cell(v) for v in (row if isinstance(row, list | tuple) else [row])] for row in result]
    return _cell(result)


def _cell(result: object) -> float | str:
    if result is None:
        return ""
    if isinstance(result, bool):
        # bool is an int subclass; the core never returns it, but a cell would show TRUE/FALSE.
        return str(result)
    if isinstance(result, int | float | str):
        return result
    return str(result)[:_MAX_TEXT]


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="实际支出数（万元）")
@xw.arg("budget", doc="全年预算数（万元）；规则配置可改为年初预算数")
def EXEC_RATE(actual, budget):
    """执行率 = 实际支出数 ÷ 全年预算数，以小数返回（0.95 显示为 95%）。"""
    return _call(cf.EXEC_RATE, actual, budget)


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="实际支出数（万元）")
@xw.arg("budget", doc="全年预算数（万元）")
@xw.arg("weight", doc="预算执行率的分值，可省略（默认按评分规则，一般为 10）")
@xw.arg("profile", doc=_DOC_PROFILE)
def EXEC_SCORE(actual, budget, weight=None, profile=None):
    """预算执行率得分：按评分规则计算（默认：执行率×分值，最高为分值）。"""
    return _call(cf.EXEC_SCORE, actual, budget, weight, profile)


@xw.func(category=CATEGORY)
@xw.arg("target", doc="年度指标值，如“达90%以上”“≤5%”“100人”")
@xw.arg("actual", doc="实际完成值")
@xw.arg("weight", doc=_DOC_WEIGHT)
@xw.arg("profile", doc=_DOC_PROFILE)
@xw.arg("kind", doc="指标性质：定量 / 定性，可省略（按年度指标值判断）")
@xw.arg("direction", doc="指标方向：正向 / 反向，可省略（按年度指标值判断）")
@xw.arg("actual_format", doc=_DOC_FORMAT)
def SCORE(target, actual, weight, profile=None, kind=None, direction=None, actual_format=None):
    """指标得分：达标得满分；未达标按完成比例得分，反向指标按指标值÷完成值；不超过分值。"""
    return _call(cf.SCORE, target, actual, weight, profile, kind, direction, actual_format)


@xw.func(category=CATEGORY)
@xw.arg("completion", doc="定性指标的完成比例，如 85% 或 0.85")
@xw.arg("profile", doc=_DOC_PROFILE)
@xw.arg("completion_format", doc=_DOC_FORMAT)
@xw.arg("target", doc="年度指标值（可选）：完成值是文字时，据此判断“与指标值相同”“无”等答复")
def BAND(completion, profile=None, completion_format=None, target=None):
    """定性指标档次：全部或基本达成 / 部分达成并具有一定效果 / 未达成且效果较差。"""
    return _call(cf.BAND, completion, profile, completion_format, target)


@xw.func(category=CATEGORY)
@xw.arg("completion_or_band", doc="完成比例（如 85%），或档次名称")
@xw.arg("weight", doc=_DOC_WEIGHT)
@xw.arg("profile", doc=_DOC_PROFILE)
def BAND_SCORE(completion_or_band, weight, profile=None):
    """定性指标得分：完成比例×分值（限于 0～分值）；给出档次名称时返回该档最高分。"""
    return _call(cf.BAND_SCORE, completion_or_band, weight, profile)


@xw.func(category=CATEGORY)
@xw.arg("score", doc="得分")
@xw.arg("weight", doc=_DOC_WEIGHT)
def CAP(score, weight):
    """把得分限制在 0～分值之间。"""
    return _call(cf.CAP, score, weight)


@xw.func(category=CATEGORY)
@xw.arg("values", ndim=2, doc="要平均的数值区域，如各单位的完成率")
@xw.arg("weights", ndim=2, doc="权重区域（资金额度），与数值区域同样大小")
def WAVG(values, weights):
    """按资金额度加权平均：Σ(数值×权重)÷Σ权重，空行跳过。"""
    return _call(cf.WAVG, values, weights)


@xw.func(category=CATEGORY)
@xw.arg("scores", ndim=2, doc="各指标得分区域")
@xw.arg("deductions", ndim=2, doc="扣分区域（巡视、审计、财政监督发现问题），可省略")
@xw.arg("execution_score", doc="预算执行率得分，可省略")
@xw.arg("profile", doc=_DOC_PROFILE)
def TOTAL(scores, deductions=None, execution_score=None, profile=None):
    """总分 = 预算执行率得分 + Σ指标得分 − Σ扣分（不低于 0）；非数字的得分计为 0。"""
    return _call(cf.TOTAL, scores, deductions, execution_score, profile)


@xw.func(category=CATEGORY)
@xw.arg("total", doc="总分")
@xw.arg("profile", doc=_DOC_PROFILE)
def GRADE(total, profile=None):
    """自评等级：优（≥90）、良（80～90）、中（60～80）、差（<60），按评分规则。"""
    return _call(cf.GRADE, total, profile)


@xw.func(category=CATEGORY)
@xw.arg("text", doc="年度指标值的原文")
@xw.arg("kind", doc="指标性质：定量 / 定性，可省略")
@xw.arg("direction", doc="指标方向：正向 / 反向，可省略")
def TARGET(text, kind=None, direction=None):
    """显示年度指标值被理解成什么，如“达90%以上”→“≥90%”，便于核对。"""
    return _call(cf.TARGET, text, kind, direction)


@xw.func(category=CATEGORY)
@xw.arg("targets", ndim=2, doc="年度指标值区域（一列）")
@xw.arg("actuals", ndim=2, doc="实际完成值区域，与指标值区域同样行数")
@xw.arg("weights", ndim=2, doc="分值区域")
@xw.arg("profile", doc=_DOC_PROFILE)
@xw.arg("kinds", ndim=2, doc="指标性质区域（定量 / 定性），可省略")
@xw.arg("directions", ndim=2, doc="指标方向区域（正向 / 反向），可省略")
@xw.arg("actual_formats", ndim=2, doc="完成值是否为百分比格式的区域（TRUE / FALSE），可省略")
def SCORE_TABLE(targets, actuals, weights, profile=None, kinds=None, directions=None, actual_formats=None):
    """整张指标表一次计算：每行返回 得分、系统解读、定性档次 三列（以数组公式输入，行数与指标行相同）。"""
    return _call(cf.SCORE_TABLE, targets, actuals, weights, profile, kinds, directions, actual_formats)
