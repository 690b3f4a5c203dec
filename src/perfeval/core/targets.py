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
    "Judgement",
    "judge_answer",
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


class Judgement(str, Enum):
    """A worded qualitative answer, as the 一体化 dropdowns and clerks write it."""

    MET = "met"  # the target's own words, 已完成, 全部完成: the target is met, full 分值
    ACHIEVED = "achieved"  # 全部或基本达成预期指标: names the first band, the score inside it is the evaluator's
    PARTIAL = "partial"  # 部分达成预期指标并具有一定效果
    MISSED = "missed"  # 未达成预期指标且效果较差

    @property
    def band(self) -> int:
        """Index of the profile band it names: the first, a middle one, the last."""
        return {"met": 0, "achieved": 0, "partial": 1, "missed": -1}[self.value]


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
    comparison_given: bool = False  # the text states its comparison (≥, 以上, 不低于…); "100" does not
    is_deadline: bool = False  # "12月底前": a time limit, compared as a date
    deadline: tuple[int | None, int, int] | None = None  # (year or None, month, day) of the limit
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
    target_shaped: bool = False  # written as a target ("达90%以上"): its number is the clerk's claim
    judgement: Judgement | None = None  # a worded answer that names a band or states success
    date: tuple[int | None, int, int] | None = None  # a date answer ("7月", "2023年10月20日")

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
    s = s.translate(_LOOKALIKES)
    s = s.replace(">=", "≥").replace("=>", "≥").replace("<=", "≤").replace("=<", "≤")
    s = s.replace("≥=", "≥").replace("≤=", "≤")
    return re.sub(r"\s+", "", s)


# Signs clerks type for ≥ ≤ = that NFKC leaves alone: ≧ ≦, the box-drawing ═ and ＝-like bars,
# ≯ (not greater: ≤) and ≮ (not less: ≥), ⩾ ⩽.
_LOOKALIKES = str.maketrans({"≧": "≥", "⩾": "≥", "≮": "≥", "≦": "≤", "⩽": "≤", "≯": "≤",
                             "═": "=", "〓": "=", "＝": "="})


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
    """% ‰ 百分比 百分点 万元 亿元 千元 元 元/人 万人次 人次 万人 人 个 个月 次 篇 天 日 工作日 周 月 年 季度
    小时 分钟 课时 学时 户 万户 件 项 所 场 期 家 台 套 本 份 公里 千米 米 厘米 毫米 平方米 平方公里 万平方米
    立方米 万立方米 亩 万亩 公顷 座 条 处 名 批 部 册 张 吨 万吨 辆 间 栋 岁 家次 批次 人天 个次 场次 次数 篇次
    所次 株 棵 头 只 口 眼 盏 块 组 万 起 村 站 班 轮 页 分 km m m2 m3 kg t TB GB""".split(),
    key=len,
    reverse=True,
)
_UNIT_ALIASES = {"百分比": "%", "百分点": "%"}
# A unit nobody listed: the letters right after the number ("5枚" → "枚"), at most 3, up to the
# first character that starts a word rather than a unit ("95左右", "90的目标", "3人次之上").
_WORD_UNIT = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,3}")
NOT_UNIT_START = "的之及或以左右目等和与并且内上下前后为即每余多"
_DEADLINE_RE = re.compile(r"\d+\s*(?:年|月|日|号)(?:底|末|初|中旬|上旬|下旬)?(?:之?前|以前|完成)")
# "2023年12月31日", "12月底", "9月", "2023.10.20", "2023-10": a date in a target or an answer.
_DATE_RE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*(?:年|[.\-/]))?\s*(?P<m>1[0-2]|0?[1-9])\s*(?:月|[.\-/](?=\d))"
    r"(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*(?:日|号)?|(?P<part>底|末|初|上旬|中旬|下旬))?")
_YEAR_END_RE = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*年)?(?:年底|年末|年内|年度内|当年内|本年度内|年终)")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date_in(s: str, *, limit: bool) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the first date in `s`; a month alone is its last day when
    it is a limit ("9月前" — by the end of September) and its first when it is an answer."""
    m = _YEAR_END_RE.search(s)
    if m is not None and not _DATE_RE.search(s):
        return (int(m.group("y")) if m.group("y") else None, 12, 31)
    m = _DATE_RE.search(s)
    if m is None:
        return None
    year = int(m.group("y")) if m.group("y") else None
    month = int(m.group("m"))
    if m.group("d"):
        day = int(m.group("d"))
    elif m.group("part") in ("初", "上旬"):
        day = 10
    elif m.group("part") == "中旬":
        day = 20
    else:
        day = _DAYS[month - 1] if limit or m.group("part") else 1
    return (year, month, min(day, _DAYS[month - 1]))


def date_on_or_before(actual: tuple[int | None, int, int], limit: tuple[int | None, int, int]) -> bool:
    """Is the answer's date within the limit? A year given on one side only is ignored."""
    ya, ma, da = actual
    yl, ml, dl = limit
    if ya is not None and yl is not None and ya != yl:
        return ya < yl
    return (ma, da) <= (ml, dl)


# Completion values that mean "nothing to report" (blank), as typed.
BLANK_ANSWERS = frozenset({"-", "—", "/", "－", "--", "——"})
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
            return _UNIT_ALIASES.get(unit, unit), rest[len(unit) :]
    m = _WORD_UNIT.match(rest)
    if m is not None:
        word = m.group(0)
        # "3周以上": the comparison word is not part of the unit (every suffix word starts with
        # one of NOT_UNIT_START, so this cut is the only one needed)
        cut = next((i for i, ch in enumerate(word) if ch in NOT_UNIT_START), len(word))
        if cut:
            return word[:cut], rest[cut:]
    return "", rest


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERALS = "一二两三四五六七八九十"
_CN_COUNT = re.compile(f"([{CN_NUMERALS}]{{1,3}})(.+)")


def _cn_number(text: str) -> int | None:
    """一…九十九 as clerks write a count ("两次", "十二人", "三十个"); None for anything else."""
    if len(text) == 1:
        return 10 if text == "十" else _CN_DIGITS.get(text)
    tens, ten, ones = text.partition("十")
    if not ten or (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS) or len(tens) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _cn_count(text: str, s: str, target: Target | None) -> Actual | None:
    """"两次" answering "≥2次": a count in words with a unit, where the target asks for a number."""
    if target is None or not target.is_quantitative:
        return None
    m = _CN_COUNT.fullmatch(s)
    if m is None:
        return None
    n = _cn_number(m.group(1))
    unit, tail = _read_unit(m.group(2))
    if n is None or tail or not m.group(2).startswith(tuple(_UNITS)):  # a listed unit: "一般" is no count
        return None
    return Actual(raw=text, value=Decimal(n), unit=unit, text=s)


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

    if _DEADLINE_RE.search(s) or _YEAR_END_RE.search(s) and re.search(r"(前|完成|内)", s):
        return Target(raw=text, comparison=Comparison.QUALITATIVE, is_deadline=True,
                      deadline=_date_in(s, limit=True))

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
    given = comparison is not None
    if comparison is None:
        comparison = Comparison.GE  # a bare "100%" or "4个" is something to reach
    return Target(
        raw=text, comparison=comparison, value=value, unit=unit,
        text_before=prefix_text, text_after=tail, comparison_given=given,
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
    if target is not None and target.is_deadline:
        when = _date_in(s, limit=False)
        if when is not None:
            return Actual(raw=text, text=s, date=when)
    judgement = judge_answer(s, target)
    if judgement is not None:
        return Actual(raw=text, text=s, judgement=judgement)
    counted = _cn_count(text, s, target)
    if counted is not None:
        return counted
    if _TARGET_SHAPED.search(s) and _NUMBER_RE.search(s):
        # "达90%以上" as a completion: the clerk claims at least that number; it is scored on it
        # and PE303 asks for the figure actually reached.
        claimed = parse_target(text)
        if claimed.value is not None and claimed.comparison is not Comparison.RANGE:
            value, unit = claimed.value, claimed.unit
            if target is not None and target.is_percent and not unit and abs(value) > 2:
                value, unit = value / 100, "%"
            return Actual(raw=text, value=value, unit=unit or (target.unit if target else ""),
                          text=s, target_shaped=True)
        return Actual(raw=text, text=s, target_shaped=True)
    num = _NUMBER_RE.search(s)
    if num is not None and not _NUMBER_RE.search(s[num.end() :]):
        unit, tail = _read_unit(s[num.end() :])
        value, unit = _scale(Decimal(num.group(0).replace(",", "")), unit)
        return Actual(raw=text, value=value, unit=unit, text=(s[: num.start()] + tail))
    if num is not None:
        return Actual(raw=text, text=s)
    return Actual(raw=text, text=s)


# Worded answers. The 一体化 dropdowns: 达成预期指标 / 部分达成预期指标并具有一定效果 /
# 未达成（未完成）预期指标且效果较差; clerks also answer with plain statements of success.
# Plain word lists (no regular expressions) so the sheet's native formulas read them as well.
MISSED_STARTS = ("未达成", "未完成", "未达到", "没有达到", "未实现")
MISSED_ANYWHERE = ("效果较差", "未达成预期")
PARTIAL_STARTS = ("部分达成", "部分完成", "部分实现", "部分达到")
PARTIAL_ANYWHERE = ("部分达成预期", "基本完成但", "一定效果")
ACHIEVED_STARTS = ("全部或基本达成", "全部达成", "基本达成", "达成预期", "已达成预期", "达到预期", "已达到预期",
                   "全部完成", "已全部完成", "圆满完成", "按时完成", "按期完成", "如期完成", "已按时", "已按期",
                   "全面完成", "已全面")
# Short answers that state success only as the whole answer ("是"; not "是否…", "有待提高"),
# with or without a closing 。 — the common "已…" ones listed too, which _DONE also accepts.
# The ACHIEVED_STARTS that name the first band ("全部或基本达成预期指标"), as the 一体化 dropdown
# does; the others ("全部完成", "按时完成") say the target is met.
BAND_STARTS = ("全部或基本达成", "基本达成", "达成预期", "已达成预期", "达到预期", "已达到预期")
ACHIEVED_WHOLE = ("是", "有", "已完成", "完成", "已达成", "达成", "已达到", "达到", "已达标", "达标", "已实现",
                  "实现", "合格", "符合", "符合要求", "符合规定", "满足", "满足要求", "已落实", "落实", "落实到位",
                  "及时", "按时", "按期", "准时", "100%完成", "全部", "全覆盖", "已覆盖", "已公开", "已建立", "已发放",
                  "已实施", "已执行", "已验收", "已开展", "已完善", "已印发", "已到位", "已支付", "已拨付", "已兑现",
                  "已上线", "已建成", "已办结", "已整改", "已出台", "已制定", "已健全", "已按时完成")
NOT_AN_ANSWER = ("无", "否", "没有", "暂无", "不适用", "待定")
# A target that asks for an absence ("无重大安全事故", "零投诉", "杜绝违规") is met by "无": the word
# that names no answer elsewhere is the answer here. A bare "无" target still asks for nothing.
ABSENCE_TARGET_STARTS = ("无", "零", "未发生", "不发生", "杜绝", "没有")
ABSENCE_ANSWERS = ("无", "没有", "未发生", "零")
ABSENCE_BROKEN = ("有", "发生", "有发生", "存在")  # … and "有" there says the absence was not kept
# "已公开", "已落实", "已建立": done, in a word.
_DONE = re.compile(r"已(?!经?(未|暂|停|取消|延))[\u4e00-\u9fff]{1,4}")


# "1200万" under "≥1000万元": the same amount with its 元 left off.
UNIT_SPELLINGS = {"万": "万元", "亿": "亿元"}


def same_unit(a: str, b: str) -> bool:
    """Two units that measure alike: equal, or one the other with its 元 left off."""
    return UNIT_SPELLINGS.get(a, a) == UNIT_SPELLINGS.get(b, b)


def judge_answer(s: str, target: Target | None) -> Judgement | None:
    """The band a worded completion names (ACHIEVED, PARTIAL, MISSED), or MET for the target's own
    words / a plain statement of success. None for anything else (a number, a date, "无")."""
    if s in ABSENCE_ANSWERS + ABSENCE_BROKEN and target is not None and target.is_qualitative and target.value is None:
        wanted = normalize_text(target.raw)
        if len(wanted) > 1 and wanted.startswith(ABSENCE_TARGET_STARTS):
            return Judgement.MET if s in ABSENCE_ANSWERS else Judgement.MISSED
    if not s or s in NOT_AN_ANSWER or _NUMBER_RE.fullmatch(s):
        return None
    if s.startswith(MISSED_STARTS) or any(w in s for w in MISSED_ANYWHERE):
        return Judgement.MISSED
    if s.startswith(PARTIAL_STARTS) or any(w in s for w in PARTIAL_ANYWHERE):
        return Judgement.PARTIAL
    if target is not None and target.is_quantitative and not target.is_qualitative and not target.is_deadline:
        return None  # a number was asked for: words do not say how much (PE305)
    if target is not None and target.error is None and s == normalize_text(target.raw):
        return Judgement.MET
    core = s.rstrip("。.")
    if s.startswith(BAND_STARTS):
        return Judgement.ACHIEVED
    if core in ACHIEVED_WHOLE or s.startswith(ACHIEVED_STARTS) or _DONE.fullmatch(core):
        return Judgement.MET
    return None


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
