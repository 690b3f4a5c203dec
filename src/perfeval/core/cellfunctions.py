"""The worksheet functions (EXEC_RATE, SCORE, …) as plain Python over Excel values.

Arguments arrive as Excel hands them over (float, str, None, bool, 2-D lists for ranges) and
results go back as Excel values (float or str). The xlwings shims in `perfeval.excel.udfs`, the
template builder's cached values and the formula-engine tests all call these same functions, so
what a clerk sees in Excel, what a viewer without the add-in sees and what CI checks agree.

A function never raises and never returns None: blank inputs give "" (a blank row stays blank)
and bad inputs give a short coded Chinese message such as "PE301 指标值缺少数值".
"""

from __future__ import annotations

import functools
from decimal import Decimal

from .decimal_math import excel_round, to_decimal
from .model import understand_actual, understand_target
from .profiles import Profile, ProfileError, load_profile
from .scoring import (
    band_for,
    band_range,
    band_score,
    cap,
    execution_rate,
    execution_score,
    grade,
    indicator_score,
    total_score,
    weighted_average,
)

__all__ = [
    "EXEC_RATE",
    "EXEC_SCORE",
    "SCORE",
    "BAND",
    "BAND_SCORE",
    "CAP",
    "WAVG",
    "TOTAL",
    "GRADE",
    "TARGET",
    "SCORE_TABLE",
    "FUNCTIONS",
    "is_percent_format",
]

ExcelValue = float | str

_MSG_NOT_NUMBER = "不是数字"
# Texts the native fallback formulas (workbook/native_formulas.py) spell too.
MSG_BUDGET_NOT_NUMBER = "PE103 预算数或实际支出数" + _MSG_NOT_NUMBER
MSG_BUDGET_ZERO = "PE103 预算数为0，无法计算执行率"
MSG_WEIGHT_BLANK = "PE202 分值为空"
MSG_WEIGHT_NOT_NUMBER = "PE202 分值" + _MSG_NOT_NUMBER
MSG_RATIO_NOT_NUMBER = "PE306 完成比例" + _MSG_NOT_NUMBER
MSG_TOTAL_NOT_NUMBER = "PE203 总分" + _MSG_NOT_NUMBER


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


class _CellMessage(Exception):
    """A coded message to show in the cell instead of a value (never raised out of here)."""


def _cell_function(func):
    """The cell shows a coded message for bad arguments; a worksheet function never raises."""

    @functools.wraps(func)
    def call(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except _CellMessage as msg:
            return str(msg)[:255]
        except ArithmeticError as exc:  # e.g. numbers beyond what Excel itself can hold
            return f"PE302 数值超出可计算范围（{type(exc).__name__}）"

    return call


def _profile(name: object) -> Profile:
    try:
        return load_profile(str(name).strip() if not _blank(name) else None)
    except ProfileError as exc:
        raise _CellMessage(f"PE920 {exc}") from None


def _num(v: object) -> Decimal | None:
    if isinstance(v, str) and v.strip().endswith(("%", "％")):
        d = to_decimal(v.strip()[:-1])
        return None if d is None else d / 100
    return to_decimal(v)


def _out(d: Decimal) -> float:
    # Excel cells are doubles; the Decimal was already rounded half-up to the shown digits.
    return float(d)


def _flatten(values: object) -> list[object]:
    if isinstance(values, list | tuple):
        out: list[object] = []
        for v in values:
            out.extend(_flatten(v))
        return out
    return [values]


@_cell_function
def EXEC_RATE(actual: object, budget: object, digits: object = None) -> ExcelValue:
    """执行率 = 实际支出数 ÷ 预算数（全年预算数），以小数返回（0.95 显示为 95%）。"""
    if _blank(actual) and _blank(budget):
        return ""
    a, b = _num(actual), _num(budget)
    if a is None or b is None:
        return MSG_BUDGET_NOT_NUMBER
    if b == 0:
        return MSG_BUDGET_ZERO
    d = _num(digits)
    places = 4 if d is None else max(0, min(10, int(d)))  # ROUND's digits, kept to a sane range
    return _out(excel_round(a / b, places))


@_cell_function
def EXEC_SCORE(actual: object, budget: object, weight: object = None, profile: object = None) -> ExcelValue:
    """预算执行率得分：按规则配置（默认：执行率×分值，最高为分值）。"""
    if _blank(actual) and _blank(budget):
        return ""
    p = _profile(profile)
    a, b = _num(actual), _num(budget)
    if a is None or b is None:
        return MSG_BUDGET_NOT_NUMBER
    w = p.execution.weight if _blank(weight) else _num(weight)
    if w is None:
        return MSG_WEIGHT_NOT_NUMBER
    rate = execution_rate(a, b, b, p)  # the cell passes the base the profile wants
    return _out(execution_score(rate, p, w))


def is_percent_format(fmt: object) -> bool:
    """Does a cell's format, as a formula can pass it, show numbers as percents?

    TRUE (what `LEFT(CELL("format",E10),1)="P"` gives), or the text of CELL("format", …) itself
    ("P0", "P2"), or a number format such as "0.00%".
    """
    if isinstance(fmt, bool):
        return fmt
    if isinstance(fmt, str):
        f = fmt.strip()
        return f[:1].upper() == "P" or "%" in f
    return False


@_cell_function
def SCORE(target: object, actual: object, weight: object, profile: object = None,
          kind: object = None, direction: object = None, actual_format: object = None) -> ExcelValue:
    """指标得分：年度指标值、实际完成值、分值 → 得分（达标满分；未达标按比例；反向指标取倒数比例）。"""
    if _blank(target) and _blank(actual) and _blank(weight):
        return ""
    p = _profile(profile)
    w = _num(weight)
    if w is None:
        return MSG_WEIGHT_BLANK if _blank(weight) else MSG_WEIGHT_NOT_NUMBER
    t = understand_target(target, _choice(kind), _choice(direction))
    res = indicator_score(t, understand_actual(actual, t, is_percent_format(actual_format)), w, p)
    if res.error is not None:
        return f"{res.error.code} {res.error.message}"[:255]
    assert res.score is not None
    return _out(res.score)


@_cell_function
def BAND(completion: object, profile: object = None, completion_format: object = None,
         target: object = None) -> ExcelValue:
    """定性指标档次：完成比例 → 全部或基本达成 / 部分达成 / 未达成；文字答复（“已完成”“部分达成预期
    指标”，或与年度指标值相同的文字）取其所指的档次。"""
    if _blank(completion):
        return ""
    p = _profile(profile)
    t = _QUALITATIVE if _blank(target) else understand_target(target, "定性")
    a = understand_actual(completion, t, is_percent_format(completion_format))
    if a.judgement is not None:
        return p.bands[a.judgement.band].name
    if a.error is not None or a.value is None or a.unit not in ("", "%"):
        return MSG_RATIO_NOT_NUMBER
    return band_for(a.value, p).name


def _ratio(v: object, percent_format: bool = False) -> Decimal | None:
    """A completion ratio read exactly as SCORE reads a qualitative indicator's 实际完成值."""
    a = understand_actual(v, _QUALITATIVE, percent_format)
    return a.value if a.error is None and a.unit in ("", "%") else None


_QUALITATIVE = understand_target("定性")


@_cell_function
def BAND_SCORE(completion_or_band: object, weight: object, profile: object = None) -> ExcelValue:
    """定性指标得分：完成比例 × 分值（限于 0～分值）；给出档次名称时返回该档最高分。"""
    if _blank(completion_or_band):
        return ""
    p = _profile(profile)
    w = _num(weight)
    if w is None:
        return "PE202 分值" + _MSG_NOT_NUMBER
    c = _ratio(completion_or_band)
    if c is None:
        name = str(completion_or_band).strip()
        names = [b.name for b in p.bands]
        if name not in names:
            return "PE306 请填写完成比例或档次名称"
        band = p.bands[names.index(name)]
        return _out(band_range(band, w, p)[1])  # the band's best score
    return _out(band_score(c, w, p))


@_cell_function
def CAP(score: object, weight: object) -> ExcelValue:
    """得分限于 0～分值。"""
    if _blank(score):
        return ""
    s, w = _num(score), _num(weight)
    if s is None or w is None:
        return "PE202 得分或分值" + _MSG_NOT_NUMBER
    return _out(cap(s, w))


@_cell_function
def WAVG(values: object, weights: object) -> ExcelValue:
    """按资金额度加权平均：Σ(值×权重)/Σ权重，空行跳过。"""
    vs, ws = _flatten(values), _flatten(weights)
    if len(vs) != len(ws):
        return "PE702 数值与权重个数不一致"
    pairs = [(_num(v), _num(w)) for v, w in zip(vs, ws) if not (_blank(v) and _blank(w))]
    if not pairs:
        return ""
    if any(v is None or w is None for v, w in pairs):
        return "PE702 数值或权重" + _MSG_NOT_NUMBER
    avg = weighted_average([v for v, _ in pairs], [w for _, w in pairs])  # type: ignore[misc]
    if avg is None:
        return "PE702 权重之和为0"
    return _out(excel_round(avg, 4))


@_cell_function
def TOTAL(scores: object, deductions: object = None, execution_score: object = None,
          profile: object = None) -> ExcelValue:
    """总分 = 预算执行率得分 + Σ指标得分 − Σ扣分（不低于0）。非数字的得分计为0。"""
    p = _profile(profile)
    parts = [d for d in (_num(v) for v in _flatten(scores)) if d is not None]
    extra = _num(execution_score)
    if extra is not None:
        parts.append(extra)
    deds = [d for d in (_num(v) for v in _flatten(deductions)) if d is not None]
    return _out(total_score(parts, deds, p))


@_cell_function
def GRADE(total: object, profile: object = None) -> ExcelValue:
    """等级：优（≥90）、良（80～90）、中（60～80）、差（<60），按规则配置。"""
    if _blank(total):
        return ""
    p = _profile(profile)
    t = _num(total)
    if t is None:
        return MSG_TOTAL_NOT_NUMBER
    return grade(t, p)


@_cell_function
def TARGET(text: object, kind: object = None, direction: object = None) -> ExcelValue:
    """显示年度指标值被理解成什么，如 “达90%以上” → “≥90%”。"""
    if _blank(text):
        return ""
    return understand_target(text, _choice(kind), _choice(direction)).describe()[:255]


@_cell_function
def SCORE_TABLE(targets: object, actuals: object, weights: object, profile: object = None,
                kinds: object = None, directions: object = None,
                actual_formats: object = None) -> list[list[ExcelValue]] | str:
    """The indicator block in one call: per row [得分, 系统解读, 定性档次].

    Each row is exactly SCORE, TARGET and (for a qualitative reading) BAND of that row, so a
    sheet computing its 60 rows with one array formula shows what 180 separate calls show.
    Optional columns may be omitted; given ones must have as many rows as the targets.
    """
    columns = [_column(targets), _column(actuals), _column(weights)]
    n = len(columns[0])
    if any(len(c) != n for c in columns):
        return "PE202 指标值、完成值与分值的行数不一致"
    extra = []
    for values in (kinds, directions, actual_formats):
        col = _column(values) if values is not None else [None] * n
        if len(col) != n:
            return "PE202 指标性质、指标方向或完成值格式的行数与指标行数不一致"
        extra.append(col)
    _profile(profile)  # a bad profile name is one message for the block, not one per row
    out: list[list[ExcelValue]] = []
    for t, a, w, k, d, f in zip(*columns, *extra, strict=True):
        reading = TARGET(t, k, d)
        band = BAND(a, profile, f, t) if str(reading)[:2] == "定性" else ""
        out.append([SCORE(t, a, w, profile, k, d, f), reading, band])
    return out


def _column(values: object) -> list[object]:
    """One value per row of a range handed over as rows (a 2-D list), a flat list or a scalar."""
    if isinstance(values, list | tuple):
        return [row[0] if isinstance(row, list | tuple) and row else
                (None if isinstance(row, list | tuple) else row) for row in values]
    return [values]


def _choice(v: object) -> str:
    """A 定量/定性 or 正向/反向 dropdown cell: its text, or "" for blank or anything else."""
    return v.strip() if isinstance(v, str) else ""


FUNCTIONS = {
    "EXEC_RATE": EXEC_RATE,
    "EXEC_SCORE": EXEC_SCORE,
    "SCORE": SCORE,
    "BAND": BAND,
    "BAND_SCORE": BAND_SCORE,
    "CAP": CAP,
    "WAVG": WAVG,
    "TOTAL": TOTAL,
    "GRADE": GRADE,
    "TARGET": TARGET,
    "SCORE_TABLE": SCORE_TABLE,
}

