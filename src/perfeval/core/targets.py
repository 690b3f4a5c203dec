"""Reading 年度指标值 and 实际完成值 the way clerks type them.

A target cell holds anything from "≥95%" to "达90%以上", "不超过3次", "0.5天以内", a bare 0.95, or
a sentence ("始终坚持……") that makes the indicator qualitative. A completion cell should hold what
was achieved: "95%", 0.95, 2859, "2859人". The parser never raises: every outcome, including
"this is not a target", is a value the checker and the UDFs can report.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, ConfigDict

from .decimal_math import fmt_decimal, to_decimal

__all__ = [
    "Comparison",
    "Target",
    "Actual",
    "ParseError",
    "parse_target",
    "parse_actual",
    "normalize_text",
    "MESSAGES",
]


class Comparison(str, Enum):
    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    RANGE = "区间"
    QUALITATIVE = "定性"

    @property
    def is_reverse(self) -> bool:
        """Reverse (反向) indicators: smaller is better."""
        return self in (Comparison.LE, Comparison.LT)


class ParseError(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    message: str


class Target(BaseModel):
    """How a 年度指标值 was understood."""

    model_config = ConfigDict(frozen=True)

    raw: str
    comparison: Comparison | None = None
    value: Decimal | None = None  # fraction for percents: 90% -> 0.90
    upper: Decimal | None = None  # only for RANGE
    unit: str = ""  # "%", "个", "万元", "天" …
    text_before: str = ""  # words around the number that are not a comparison ("机制健全在")
    text_after: str = ""
    is_deadline: bool = False  # "12月底前": a time limit, judged qualitatively
    error: ParseError | None = None

    @property
    def is_qualitative(self) -> bool:
        return self.error is None and self.comparison is Comparison.QUALITATIVE

    @property
    def is_quantitative(self) -> bool:
        return self.error is None and self.value is not None

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def describe(self) -> str:
        """Canonical short form: '≥90%', '≤3次', '定性', '90%～100%'."""
        if self.error is not None:
            return f"{self.error.code} {self.error.message}"
        if self.comparison is Comparison.QUALITATIVE or self.comparison is None:
            return "定性（时限）" if self.is_deadline else "定性"
        if self.comparison is Comparison.RANGE:
            return f"{_show(self.value, self.unit)}～{_show(self.upper, self.unit)}"
        return f"{self.comparison.value}{_show(self.value, self.unit)}"


class Actual(BaseModel):
    """How a 实际完成值 was understood."""

    model_config = ConfigDict(frozen=True)

    raw: str
    value: Decimal | None = None  # fraction for percents
    unit: str = ""
    text: str = ""  # qualitative answer ("无", "已完成") when there is no number
    error: ParseError | None = None

    @property
    def is_number(self) -> bool:
        return self.error is None and self.value is not None

    @property
    def is_blank(self) -> bool:
        return self.error is None and self.value is None and not self.text

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def _show(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "?"
    if unit == "%":
        return fmt_decimal(value * 100) + "%"
    return fmt_decimal(value) + unit


def normalize_text(text: str) -> str:
    """NFKC folds full-width digits and symbols (９５％, ＞＝) to their ASCII forms."""
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("≧", "≥").replace("≦", "≤").replace("＝", "=")
    s = s.replace(">=", "≥").replace("=>", "≥").replace("<=", "≤").replace("=<", "≤")
    return re.sub(r"\s+", "", s)


# Words before a number that state the comparison. Longest first: "不低于" must win over "低于".
_PREFIX_WORDS: list[tuple[str, Comparison]] = sorted(
    [
        ("大于等于", Comparison.GE),
        ("大于或等于", Comparison.GE),
        ("不低于", Comparison.GE),
        ("不少于", Comparison.GE),
        ("不小于", Comparison.GE),
        ("至少", Comparison.GE),
        ("达到", Comparison.GE),
        ("达", Comparison.GE),
        ("超过", Comparison.GT),
        ("高于", Comparison.GT),
        ("大于", Comparison.GT),
        ("多于", Comparison.GT),
        ("小于等于", Comparison.LE),
        ("小于或等于", Comparison.LE),
        ("不高于", Comparison.LE),
        ("不超过", Comparison.LE),
        ("不超出", Comparison.LE),
        ("不多于", Comparison.LE),
        ("不大于", Comparison.LE),
        ("最多", Comparison.LE),
        ("控制在", Comparison.LE),
        ("低于", Comparison.LT),
        ("小于", Comparison.LT),
        ("少于", Comparison.LT),
        ("等于", Comparison.EQ),
        ("≥", Comparison.GE),
        ("≤", Comparison.LE),
        (">", Comparison.GT),
        ("<", Comparison.LT),
        ("=", Comparison.EQ),
    ],
    key=lambda p: -len(p[0]),
)

# Words after the number ("90%以上", "3天以内"). They override a bare prefix like "达".
_SUFFIX_WORDS: list[tuple[str, Comparison]] = [
    ("及以上", Comparison.GE),
    ("以上", Comparison.GE),
    ("之上", Comparison.GE),
    ("及以下", Comparison.LE),
    ("以下", Comparison.LE),
    ("以内", Comparison.LE),
    ("之内", Comparison.LE),
    ("内", Comparison.LE),
]

_NUM = r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)"
_NUMBER_RE = re.compile(_NUM)
_RANGE_RE = re.compile(rf"({_NUM})(%?)\s*(?:-|~|～|—|至|到)\s*({_NUM})(%?)")
# Units seen on 自评表; longest first so "万人次" wins over "万人" and "人".
_UNITS = sorted(
    """% ‰ 万元 亿元 千元 元 万人次 人次 万人 人 个 次 篇 天 日 周 月 年 小时 分钟 课时 学时 户 件 项 所
    场 期 家 台 套 本 份 公里 千米 米 平方米 亩 公顷 座 条 处 名 批 部 册 张 吨 辆 间 栋 岁 家次 批次
    km m2 kg t""".split(),
    key=len,
    reverse=True,
)
_DEADLINE_RE = re.compile(r"\d+\s*(?:年|月|日|号)(?:底|末|初|中旬|上旬|下旬)?(?:之?前|以前|完成)")
# Completion values that mean "nothing to report" (blank), as typed.
BLANK_ANSWERS = frozenset({"-", "—", "/", "－"})
# Words that make a completion value read like a target ("达90%以上" typed as what was achieved).
TARGET_SHAPED_WORDS = ("以上", "以下", "以内", "之内", "不低于", "不高于", "不超过", "不少于", "达到", "控制在",
                       "≥", "≤", "<", ">")
_TARGET_SHAPED = re.compile("|".join(re.escape(w) for w in TARGET_SHAPED_WORDS))


# The messages a cell shows when an indicator cannot be scored. The sheet's native fallback
# formulas (workbook/native_formulas.py) spell the same texts from here.
MESSAGES = {
    "target_empty": "年度指标值为空，应填写如“≥90%”“≤3次”或定性目标",
    "target_comparison_only": "年度指标值“{text}”只有比较符号，缺少数值（应如“≤100%”）",
    "actual_as_target": "实际完成值“{text}”写成了目标的形式，应填写实际达到的数值（如 95% 或 2859）",
    "weight_not_number": "分值不是数字",
    "weight_negative": "分值为负数",
    "actual_blank": "实际完成值为空",
    "qualitative_needs_ratio": "定性指标的实际完成值应填写完成比例（如 85%），而不是“{raw}”",
    "quantitative_without_number": "定量指标的实际完成值“{raw}”没有数值",
    "unit_mismatch": "单位不一致：年度指标值为“{target_unit}”，实际完成值为“{actual_unit}”",
}


def _err(code: str, message: str) -> ParseError:
    return ParseError(code=code, message=message)


def _raw_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float | int | Decimal) and not isinstance(raw, bool):
        d = to_decimal(raw)
        return "" if d is None else fmt_decimal(d)
    return str(raw)


def _scale(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit == "%":
        return value / 100, "%"
    if unit == "‰":
        return value / 1000, "%"
    return value, unit


def _read_unit(rest: str) -> tuple[str, str]:
    for unit in _UNITS:
        if rest.startswith(unit):
            return unit, rest[len(unit) :]
    return "", rest


def parse_target(raw: object, *, percent_format: bool = False) -> Target:
    """Understand a 年度指标值 cell as typed. Never raises.

    ``percent_format`` says the cell is a number shown with a percent format (0.95 -> 95%).
    """
    text = _raw_text(raw)
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        value = to_decimal(raw)
        if value is None:
            return Target(raw=text, error=_err("PE302", "指标值不是有效数字"))
        # A bare number is a positive target; a percent-formatted one is a fraction already.
        return Target(raw=text, comparison=Comparison.GE, value=value, unit="%" if percent_format else "")

    s = normalize_text(text)
    if not s:
        return Target(raw=text, error=_err("PE301", MESSAGES["target_empty"]))

    if _DEADLINE_RE.search(s):
        return Target(raw=text, comparison=Comparison.QUALITATIVE, is_deadline=True)

    m = _RANGE_RE.search(s)
    if m and not _NUMBER_RE.search(s[: m.start()]):
        lo_unit = "%" if (m.group(2) or m.group(4)) else ""
        after_unit, tail = _read_unit(s[m.end() :]) if not lo_unit else ("%", s[m.end() :])
        unit = lo_unit or after_unit
        lo, unit_s = _scale(Decimal(m.group(1).replace(",", "")), unit)
        hi, _ = _scale(Decimal(m.group(3).replace(",", "")), unit)
        if lo > hi:
            lo, hi = hi, lo
        return Target(
            raw=text, comparison=Comparison.RANGE, value=lo, upper=hi, unit=unit_s,
            text_before=s[: m.start()], text_after=tail,
        )

    num = _NUMBER_RE.search(s)
    if num is None:
        # No number: either a bare comparison ("≤", "达到") — an incomplete target — or a
        # qualitative goal in words.
        stripped = s
        for word, _ in _PREFIX_WORDS:
            stripped = stripped.replace(word, "")
        for word, _ in _SUFFIX_WORDS:
            stripped = stripped.replace(word, "")
        if not stripped.strip("%.。"):
            return Target(
                raw=text,
                error=_err("PE301", MESSAGES["target_comparison_only"].format(text=text.strip())),
            )
        return Target(raw=text, comparison=Comparison.QUALITATIVE)

    before, rest = s[: num.start()], s[num.end() :]
    value = Decimal(num.group(0).replace(",", ""))
    unit, tail = _read_unit(rest)
    value, unit = _scale(value, unit)

    comparison: Comparison | None = None
    for word, comp in _SUFFIX_WORDS:
        if tail.startswith(word):
            comparison = comp
            tail = tail[len(word) :]
            break
    prefix_comp: Comparison | None = None
    prefix_text = before
    for word, comp in _PREFIX_WORDS:
        if before.endswith(word):
            prefix_comp = comp
            prefix_text = before[: -len(word)]
            break
    if comparison is None:
        comparison = prefix_comp
    elif prefix_comp in (Comparison.LE, Comparison.LT) and comparison is Comparison.GE:
        # "不超过…以上" contradicts itself; the explicit prefix is the clerk's intent.
        comparison = prefix_comp
    if comparison is None:
        comparison = Comparison.GE  # a bare "100%" or "4个" is something to reach
    return Target(
        raw=text, comparison=comparison, value=value, unit=unit,
        text_before=prefix_text, text_after=tail,
    )


def parse_actual(raw: object, *, percent_format: bool = False, target: Target | None = None) -> Actual:
    """Understand a 实际完成值 cell as typed. Never raises.

    A bare number next to a percent target is read as a percent: 0.95 or 95 both mean 95%
    (values up to 2 are taken as fractions, since completions above 200% are not plausible
    as fractions but are common as percent points).
    """
    text = _raw_text(raw)
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        value = to_decimal(raw)
        if value is None:
            return Actual(raw=text, error=_err("PE302", "实际完成值不是有效数字"))
        if percent_format:
            return Actual(raw=text, value=value, unit="%")
        return _bare_number(text, value, target)

    s = normalize_text(text)
    if not s or s in BLANK_ANSWERS:
        return Actual(raw=text)
    plain = to_decimal(s)
    if plain is not None:
        return _bare_number(text, plain, target)
    if _TARGET_SHAPED.search(s) and _NUMBER_RE.search(s):
        return Actual(
            raw=text,
            error=_err("PE303", MESSAGES["actual_as_target"].format(text=text.strip())),
        )
    num = _NUMBER_RE.search(s)
    if num is not None and not _NUMBER_RE.search(s[num.end() :]):
        unit, tail = _read_unit(s[num.end() :])
        value, unit = _scale(Decimal(num.group(0).replace(",", "")), unit)
        return Actual(raw=text, value=value, unit=unit, text=(s[: num.start()] + tail))
    if num is not None:
        return Actual(raw=text, text=s)
    return Actual(raw=text, text=s)


def _bare_number(text: str, value: Decimal, target: Target | None) -> Actual:
    if target is not None and target.is_percent:
        if abs(value) <= 2:
            return Actual(raw=text, value=value, unit="%")
        return Actual(raw=text, value=value / 100, unit="%")
    if target is not None and target.is_qualitative:
        # Qualitative indicators are answered with a completion ratio (seed note 2).
        if abs(value) <= 2:
            return Actual(raw=text, value=value, unit="%")
        return Actual(raw=text, value=value / 100, unit="%")
    return Actual(raw=text, value=value, unit=target.unit if target is not None else "")
