"""The native fallback formulas: what WPS, LibreOffice and Excel without the add-in compute.

Every template formula that calls a perfeval worksheet function carries one of these as its
fallback, so a form opened where our functions do not exist (or where Python cannot be
reached: the VBA wrappers then answer #N/A) still shows the scores Python would have given.
The text is generated here, from the rule profile's numbers as the 评分规则 sheet holds them
and from the parser's own vocabularies (targets.py: units, comparison words, messages), never
typed twice. Only functions Excel 2010, WPS and LibreOffice all have are used (no LET, no
TEXTJOIN, no dynamic arrays, no regular expressions); `formula_limits` checks Excel's limits.

The grammar the formulas cover, per row (everything else shows MARKER, never a wrong number):

* 年度指标值 a number (a ≥ target), or text with at most one number in it — digits with at most
  one decimal point, no sign, no thousands separator, at most 15 digits — optionally followed
  by a unit of the parser's list (%, ‰, 个, 人, 万元 …) and preceded or followed by the parser's
  comparison words (≥ ≤ > < =, 以上, 以内, 不超过, 不低于, 达到, 控制在 …, full-width forms too);
  text without any digit is qualitative (定性), or, when it holds only comparison words, the
  PE301 "只有比较符号" error. A number followed by 年/月/日/号 (a deadline such as "12月底前",
  or a time in those units) or by letters that are not a listed unit ("5枚") is left to the
  add-in.
* 实际完成值 a number — a percent when its cell is percent-formatted (CELL("format") "P…"),
  else read as the parser reads a bare number — or text holding one such number with an
  optional listed unit, or blank / "-" / "—" / "/". Answers in words ("已完成", "良好",
  "未完成80%": the parser names a band for them), answers shaped like a target ("达90%以上":
  scored on their number) and unlisted units are left to the add-in.
* 分值 a number; 指标性质 定性 and 指标方向 正向/反向 as the dropdowns give them.
* Scores: met → 分值; positive missed → 完成值/指标值 × 分值; reverse missed → 指标值/完成值 ×
  分值; = missed → smaller/larger; qualitative → completion × 分值 kept inside its band; capped
  to 0…分值, the profile's over-achievement deduction, ROUND half away from zero — the
  arithmetic of core/scoring.py. The error texts of the parser and scorer (PE202, PE301, PE304,
  PE305, PE306) are spelled the same; a quoted cell is quoted as TRIM shows it.

Per indicator row the work is spread over hidden helper columns (their addresses come from
layout.py as a `RowRefs`): the target text normalized as the parser normalizes it, the
position and text of its number, its unit, value and comparison; the same for the completion
value; the qualitative band. `HELPERS` lists them in dependency order, each with its formula
builder and its Python mirror (`row_values`), which gives the values the template caches and
which `native_results` carries on to the three shown cells — what a recalculating viewer shows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..core import cellfunctions as cf
from ..core import targets as tg
from ..core.profiles import Profile
from ..core.targets import MESSAGES, Comparison

__all__ = [
    "MARKER",
    "MAX_BANDS",
    "MAX_STEPS",
    "MAX_GRADES",
    "ProfileRefs",
    "RowRefs",
    "HELPERS",
    "helper_formulas",
    "percent_format",
    "score",
    "reading",
    "band",
    "rate",
    "execution_score",
    "total",
    "grade",
    "profile_values",
    "row_values",
    "native_results",
    "native_normalize",
    "formula_limits",
]

MARKER = "需加载项计算"
MAX_BANDS, MAX_STEPS, MAX_GRADES = 5, 8, 6
MAX_DIGITS = 15  # a double holds 15 significant digits; longer numbers are left to Python

# ---------------------------------------------------------------------------------------------
# vocabulary, from the parser

# What NFKC does to the characters that matter for a target (full-width digits and symbols,
# ① …, ², ㎡ …) and the parser's own replacements, in the parser's order; then whitespace goes.
_COMPAT = ([(chr(0xFF10 + i), str(i)) for i in range(10)]
           + [(c, unicodedata.normalize("NFKC", c)) for c in "％．＞＜＝＋－﹦﹤﹥…㎡㎞㎏²³\u3000\xa0"]
           + [(chr(0x2460 + i), str(i + 1)) for i in range(10)])
_PARSER_STEPS = ([(old, new) for old, new in ((chr(k), v) for k, v in tg._LOOKALIKES.items())]
                 + [(">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"), ("≥=", "≥"), ("≤=", "≤")])
_WHITESPACE = [" ", "\t", "\n", "\r"]
NORMALIZE_STEPS: tuple[tuple[str, str], ...] = tuple(_COMPAT + _PARSER_STEPS + [(w, "") for w in _WHITESPACE])

UNITS = tuple(sorted(tg._UNITS, key=len))  # shortest first: LOOKUP's last match is the longest
PREFIX = tuple(sorted(tg._PREFIX_WORDS, key=lambda p: len(p[0])))  # (word, comparison), shortest first
SUFFIX_GE = tuple(w for w, c in tg._SUFFIX_WORDS if c is Comparison.GE)
SUFFIX_LE = tuple(w for w, c in tg._SUFFIX_WORDS if c is Comparison.LE)
SHAPED = tg.TARGET_SHAPED_WORDS
DATE_CHARS = ("年", "月", "日", "号")
# What may follow a number without being a unit the parser does not list ("5枚" has one): the
# characters that start a word, punctuation, comparison signs, the end of the text. Anything
# else after a number with no listed unit is left to the add-in (never a guess at the unit).
NOT_A_UNIT = ("", *tg.NOT_UNIT_START, *"%‰。.,，、;；:：)）(（]】[【!！?？\"“”'‘’-—~～/／+*×≥≤<>=《》…")
_CMP = (Comparison.GE, Comparison.GT, Comparison.LE, Comparison.LT, Comparison.EQ)
# INDEX(_COMBINE, suffix, prefix): suffix 1 none / 2 以上… / 3 以内…; prefix 1 none, then _CMP.
# A suffix wins, except that 不超过…以上 keeps the prefix (the clerk's intent), as the parser does.
_COMBINE = (("≥", "≥", ">", "≤", "<", "="),
            ("≥", "≥", "≥", "≤", "<", "≥"),
            ("≤", "≤", "≤", "≤", "≤", "≤"))
QUALITATIVE = "定性"
T_EMPTY, T_COMPARISON_ONLY, UNCOVERED = "E1", "E2", "?"
# 实际完成值 kinds: a number, blank, words naming no band (PE305 / PE306), words naming a band.
A_NUMBER, A_BLANK, A_TEXT = "N", "B", "T"
A_JUDGED = ("J1", "J2", "J3")  # achieved, partial, missed: the profile's first, second, last band
COMPARISONS = ("≥", ">", "≤", "<", "=")


def native_normalize(text: str) -> str:
    """The target or completion text as the sheet normalizes it (the parser's normalize_text
    for every character the grammar involves)."""
    for old, new in NORMALIZE_STEPS:
        text = text.replace(old, new)
    return text


def _blank_answers() -> tuple[str, ...]:
    return tuple(sorted({native_normalize(a) for a in tg.BLANK_ANSWERS}))


BLANK_ANSWERS = _blank_answers()

# ---------------------------------------------------------------------------------------------
# formula text


def q(text: str) -> str:
    """An Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """A string literal for SUBSTITUTE: control characters as CHAR(n)."""
    return f"CHAR({ord(text)})" if text in "\t\n\r" else q(text)


def arr(values, *, vertical: bool = False) -> str:
    sep = ";" if vertical else ","
    return "{" + sep.join(q(v) if isinstance(v, str) else _num(v) for v in values) + "}"


def _num(v) -> str:
    d = Decimal(str(v))
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


DIGITS = arr(range(10))


def _normalized(ref: str) -> str:
    out = ref
    for old, new in NORMALIZE_STEPS:
        out = f"SUBSTITUTE({out},{_literal(old)},{_literal(new) if new else q('')})"
    return out


def _any(array_condition: str) -> str:
    """TRUE when any element holds. SUMPRODUCT, not OR: LibreOffice evaluates an array inside
    ISNUMBER(…) of an ordinary formula at its first element only, SUMPRODUCT everywhere as an
    array (Excel and WPS likewise)."""
    return f"(SUMPRODUCT(--({array_condition}))>0)"


def _digit_count(x: str) -> str:
    return f'SUMPRODUCT(LEN({x})-LEN(SUBSTITUTE({x},{DIGITS},"")))'


def _first_digit(x: str) -> str:
    return f'MIN(FIND({DIGITS},{x}&"0123456789"))'


def _listed_unit(rest: str) -> str:
    """The longest listed unit `rest` starts with, as typed ("" for none)."""
    units = arr(UNITS)
    return f'IFERROR(LOOKUP(2,1/EXACT(LEFT({rest},LEN({units})),{units}),{units}),"")'


def _unit_of(rest: str) -> str:
    """The unit as the parser names it: ‰ and 百分比 / 百分点 are %."""
    out = f'SUBSTITUTE({_listed_unit(rest)},"‰","%")'
    for alias, unit in tg._UNIT_ALIASES.items():
        out = f"SUBSTITUTE({out},{q(alias)},{q(unit)})"
    return out


def _number(x: str) -> str:
    return f"AND(ISNUMBER({x}),NOT(ISLOGICAL({x})))"


def _numeric_text(x: str) -> str:
    """Text Python would read as a number but the formulas leave alone ("5", "95%")."""
    return f"AND(ISTEXT({x}),ISNUMBER(VALUE({x})))"


def _blank_text(ref: str, norm: str) -> str:
    return f"OR(ISBLANK({ref}),AND(ISTEXT({ref}),{norm}=\"\"))"


@dataclass(frozen=True)
class ProfileRefs:
    """Absolute references to the rule parameters on the 评分规则 sheet (layout.py's cells)."""

    score_digits: str
    rate_digits: str
    exec_method: str  # 1 = steps, 0 = proportional
    exec_weight: str
    over_threshold: str
    over_deduction: str
    band_count: str
    band_lowers: str  # MAX_BANDS cells in a column
    band_inclusive: str  # 1 / 0
    band_names: str
    step_count: str
    step_mins: str  # MAX_STEPS cells in a column
    step_scores: str
    grade_count: str
    grade_mins: str  # MAX_GRADES cells in a column
    grade_names: str


@dataclass(frozen=True)
class RowRefs:
    """One indicator row: its input cells, the add-in's results and the helper cells."""

    target: str
    actual: str
    weight: str
    kind: str
    direction: str
    percent: str  # TRUE when the completion cell is percent-formatted
    py_score: str
    py_reading: str
    py_band: str
    t_norm: str
    t_pos: str
    t_tok: str
    t_unit: str
    t_val: str
    t_cmp: str
    a_norm: str
    a_pos: str
    a_tok: str
    a_unit: str
    a_val: str
    a_kind: str
    band_idx: str


def percent_format(actual: str) -> str:
    """TRUE when the cell shows numbers as percents: CELL gives "P0", "P2" … for those."""
    return f'LEFT(CELL("format",{actual}),1)="P"'


def _t_norm(r: RowRefs, p: ProfileRefs) -> str:
    return f'IF(ISTEXT({r.target}),{_normalized(r.target)},"")'


def _pos(norm: str) -> str:
    f = _first_digit(norm)
    return f'IF({_digit_count(norm)}=0,0,{f}-IF({f}>1,IF(MID({norm},{f}-1,1)=".",1,0),0))'


def _tok(norm: str, pos: str) -> str:
    k = _digit_count(norm)
    c1, c2 = f"MID({norm},{pos},{k})", f"MID({norm},{pos},{k}+1)"
    sign = f'IF({pos}>1,OR(MID({norm},{pos}-1,1)="+",MID({norm},{pos}-1,1)="-"),FALSE)'
    ok2 = (f'AND({_digit_count(c2)}={k},LEN({c2})={k}+1,LEN(SUBSTITUTE({c2},".",""))={k},'
           f'RIGHT({c2},1)<>".")')
    return (f'IF({pos}=0,"",IF(OR({k}>{MAX_DIGITS},{sign}),"{UNCOVERED}",'
            f'IF({_digit_count(c1)}={k},{c1},IF({ok2},{c2},"{UNCOVERED}"))))')


def _t_pos(r: RowRefs, p: ProfileRefs) -> str:
    return _pos(r.t_norm)


def _t_tok(r: RowRefs, p: ProfileRefs) -> str:
    return _tok(r.t_norm, r.t_pos)


def _no_token(tok: str) -> str:
    return f'OR({tok}="",{tok}="{UNCOVERED}")'


def _t_unit(r: RowRefs, p: ProfileRefs) -> str:
    rest = f"MID({r.t_norm},{r.t_pos}+LEN({r.t_tok}),LEN({r.t_norm}))"
    return f'IF({_no_token(r.t_tok)},"",{_unit_of(rest)})'


def _scaled(tok: str, unit: str, norm: str, pos: str) -> str:
    per_mille = f'MID({norm},{pos}+LEN({tok}),1)="‰"'
    return f'VALUE({tok})/IF({unit}="%",IF({per_mille},1000,100),1)'


def _t_val(r: RowRefs, p: ProfileRefs) -> str:
    return (f'IF(ISLOGICAL({r.target}),"",IF(ISNUMBER({r.target}),{r.target},'
            f'IF({_no_token(r.t_tok)},"",{_scaled(r.t_tok, r.t_unit, r.t_norm, r.t_pos)})))')


def _choices(r: RowRefs, cmp: str) -> str:
    """The clerk's 指标性质 / 指标方向 dropdowns over a comparison (model._apply_choices)."""
    return (f'IF(TRIM({r.kind})="定性","{QUALITATIVE}",SUBSTITUTE(SUBSTITUTE({cmp},"≥",'
            f'IF(TRIM({r.direction})="反向","≤","≥")),"≤",IF(TRIM({r.direction})="正向","≥","≤")))')


def _only_comparison_words(norm: str) -> str:
    """The parser's test for "≤" / "达到" alone: nothing left once its words are removed."""
    out = norm
    for word, _ in sorted(tg._PREFIX_WORDS, key=lambda p: -len(p[0])):  # the parser's order
        out = f'SUBSTITUTE({out},{q(word)},"")'
    for word, _ in tg._SUFFIX_WORDS:
        out = f'SUBSTITUTE({out},{q(word)},"")'
    for ch in "%.。":
        out = f'SUBSTITUTE({out},{q(ch)},"")'
    return f"LEN({out})=0"


def _t_cmp(r: RowRefs, p: ProfileRefs) -> str:
    before = f"LEFT({r.t_norm},{r.t_pos}-1)"
    rest = f"MID({r.t_norm},{r.t_pos}+LEN({r.t_tok}),LEN({r.t_norm}))"
    tail = f"MID({r.t_norm},{r.t_pos}+LEN({r.t_tok})+LEN({_listed_unit(rest)}),LEN({r.t_norm}))"
    ge = arr(SUFFIX_GE)
    le = arr(SUFFIX_LE)
    suffix = (f"1+{_any(f'EXACT(LEFT({tail},{arr([len(w) for w in SUFFIX_GE])}),{ge})')}"
              f"+2*{_any(f'EXACT(LEFT({tail},{arr([len(w) for w in SUFFIX_LE])}),{le})')}")
    words = arr([w for w, _ in PREFIX])
    codes = arr([_CMP.index(c) + 2 for _, c in PREFIX])
    prefix = f"IFERROR(LOOKUP(2,1/EXACT(RIGHT({before},LEN({words})),{words}),{codes}),1)"
    table = "{" + ";".join(",".join(q(c) for c in row) for row in _COMBINE) + "}"
    cmp = f"INDEX({table},{suffix},{prefix})"
    dated = _any(f"MID({r.t_norm},{r.t_pos}+LEN({r.t_tok}),1)={arr(DATE_CHARS)}")
    dated = f"OR({dated},{_unlisted_unit(r.t_norm, r.t_pos, r.t_tok, r.t_unit)})"
    return (f'IF(ISERROR({r.target}),"{UNCOVERED}",IF(ISLOGICAL({r.target}),"{UNCOVERED}",'
            f'IF(ISNUMBER({r.target}),{_choices(r, q("≥"))},'
            f'IF({r.t_norm}="","{T_EMPTY}",IF({r.t_tok}="{UNCOVERED}","{UNCOVERED}",'
            f'IF({r.t_tok}="",IF({_only_comparison_words(r.t_norm)},"{T_COMPARISON_ONLY}","{QUALITATIVE}"),'
            f'IF({dated},"{UNCOVERED}",{_choices(r, cmp)})))))))')


def _unlisted_unit(norm: str, pos: str, tok: str, unit: str) -> str:
    """A number followed by letters that are not a listed unit: the parser takes them as one."""
    after = f"MID({norm},{pos}+LEN({tok}),1)"
    return f'AND({unit}="",NOT({_any(f"EXACT({after},{arr(NOT_A_UNIT)})")}))'


def _a_norm(r: RowRefs, p: ProfileRefs) -> str:
    return f'IF(ISTEXT({r.actual}),{_normalized(r.actual)},"")'


def _a_pos(r: RowRefs, p: ProfileRefs) -> str:
    return _pos(r.a_norm)


def _a_tok(r: RowRefs, p: ProfileRefs) -> str:
    return _tok(r.a_norm, r.a_pos)


def _bare_percent(r: RowRefs) -> str:
    """A bare number next to a percent or qualitative target is a percent (targets._bare_number)."""
    return f'OR({r.t_unit}="%",{r.t_cmp}="{QUALITATIVE}")'


def _bare(r: RowRefs, v: str) -> str:
    return f"IF({_bare_percent(r)},IF(ABS({v})<=2,{v},{v}/100),{v})"


def _plain(r: RowRefs) -> str:
    """The completion text is just a number ("95", "0.95", "5.")."""
    return f'OR({r.a_norm}={r.a_tok},AND(ISERROR(FIND(".",{r.a_tok})),{r.a_norm}={r.a_tok}&"."))'


def _quantitative_target(r: RowRefs) -> str:
    return "OR(" + ",".join(f"{r.t_cmp}={q(c)}" for c in COMPARISONS) + ")"


def _as_target(r: RowRefs) -> str:
    """The completion is the target's own text ("≥266米" for "≥266米"): it reads as the target's
    number (the parser reads the same text the same way)."""
    return f'AND(ISTEXT({r.actual}),{r.a_norm}<>"",EXACT({r.a_norm},{r.t_norm}),{_quantitative_target(r)})'


def _a_unit(r: RowRefs, p: ProfileRefs) -> str:
    rest = f"MID({r.a_norm},{r.a_pos}+LEN({r.a_tok}),LEN({r.a_norm}))"
    bare_unit = f'IF({_bare_percent(r)},"%",{r.t_unit})'
    return (f'IF(ISLOGICAL({r.actual}),"",IF(ISNUMBER({r.actual}),IF({r.percent},"%",{bare_unit}),'
            f'IF({_as_target(r)},{r.t_unit},'
            f'IF({_no_token(r.a_tok)},"",IF({_plain(r)},{bare_unit},{_unit_of(rest)})))))')


def _a_val(r: RowRefs, p: ProfileRefs) -> str:
    return (f'IF(ISLOGICAL({r.actual}),"",IF(ISNUMBER({r.actual}),IF({r.percent},{r.actual},'
            f'{_bare(r, r.actual)}),IF({_as_target(r)},{r.t_val},'
            f'IF({_no_token(r.a_tok)},"",IF({_plain(r)},{_bare(r, f"VALUE({r.a_tok})")},'
            f'{_scaled(r.a_tok, r.a_unit, r.a_norm, r.a_pos)})))))')


def _starts(x: str, words) -> str:
    return _any(f"EXACT(LEFT({x},{arr([len(w) for w in words])}),{arr(words)})")


def _contains(x: str, words) -> str:
    return _any(f"ISNUMBER(FIND({arr(words)},{x}))")


def _whole(x: str, words) -> str:
    """x is one of the words, with or without one closing 。 or ."""
    w = arr(words)
    return _any(f'EXACT({x},{w})+EXACT({x},{w}&"。")+EXACT({x},{w}&".")')


def _a_kind(r: RowRefs, p: ProfileRefs) -> str:
    """The completion as judge_answer and parse_actual read it: N, B, T, J1–J3, or UNCOVERED."""
    a = r.a_norm
    blank = "OR(" + ",".join(f"{a}={q(b)}" for b in ("", *BLANK_ANSWERS)) + ")"
    number = f'AND({r.a_tok}<>"",{r.a_tok}<>"{UNCOVERED}")'
    missed = f"OR({_starts(a, tg.MISSED_STARTS)},{_contains(a, tg.MISSED_ANYWHERE)})"
    partial = f"OR({_starts(a, tg.PARTIAL_STARTS)},{_contains(a, tg.PARTIAL_ANYWHERE)})"
    achieved = f"OR(EXACT({a},{r.t_norm}),{_whole(a, tg.ACHIEVED_WHOLE)},{_starts(a, tg.ACHIEVED_STARTS)})"
    unlisted = _unlisted_unit(a, r.a_pos, r.a_tok, r.a_unit)
    # a "已…" answer outside the lists, or one ending in several 。: the parser's pattern decides
    ambiguous = (f'OR(LEFT({a},1)="已",AND(LEN({a})>1,OR(RIGHT({a},1)="。",RIGHT({a},1)="."),'
                 f'OR(MID({a},LEN({a})-1,1)="。",MID({a},LEN({a})-1,1)=".")))')
    shaped = _contains(a, SHAPED)
    # "两次": a count in words, which the add-in reads (targets._cn_count)
    in_words = f'ISNUMBER(FIND(LEFT({a},1),"{tg.CN_NUMERALS}"))'
    quantitative = (f'IF({r.a_tok}="",IF({in_words},"{UNCOVERED}","{A_TEXT}"),IF({r.a_tok}="{UNCOVERED}","{UNCOVERED}",'
                    f'IF({_as_target(r)},"{A_NUMBER}",IF(OR({shaped},{unlisted}),"{UNCOVERED}","{A_NUMBER}"))))')
    qualitative = (f'IF({r.a_tok}="",IF({ambiguous},"{UNCOVERED}","{A_TEXT}"),IF({r.a_tok}="{UNCOVERED}",'
                   f'"{UNCOVERED}",IF(OR({shaped},{unlisted}),"{UNCOVERED}","{A_NUMBER}")))')
    words = (f'IF({missed},"{A_JUDGED[2]}",IF({partial},"{A_JUDGED[1]}",IF({_quantitative_target(r)},{quantitative},'
             f'IF({achieved},"{A_JUDGED[0]}",{qualitative}))))')
    return (f'IF(ISERROR({r.actual}),"{UNCOVERED}",IF(ISLOGICAL({r.actual}),"{UNCOVERED}",'
            f'IF(ISNUMBER({r.actual}),"{A_NUMBER}",IF({blank},"{A_BLANK}",'
            f'IF(AND({number},{_plain(r)}),"{A_NUMBER}",'
            f'IF({_absence(r, tg.ABSENCE_ANSWERS)},"{A_JUDGED[0]}",'
            f'IF({_absence(r, tg.ABSENCE_BROKEN)},"{A_JUDGED[2]}",'
            f'IF({_whole_exact(a, tg.NOT_AN_ANSWER)},"{A_TEXT}",{words}))))))))')


def _absence(r: RowRefs, answers) -> str:
    """"无" (or "有") against "无重大安全事故" (targets.ABSENCE_*): the absence kept (or not)."""
    return (f'AND({_whole_exact(r.a_norm, answers)},{r.t_cmp}="{QUALITATIVE}",LEN({r.t_norm})>1,'
            f'{_starts(r.t_norm, tg.ABSENCE_TARGET_STARTS)})')


def _whole_exact(x: str, words) -> str:
    return _any(f"EXACT({x},{arr(words)})")


def _slots(n: int) -> str:
    return arr(range(1, n + 1), vertical=True)


def _band_index(c: str, p: ProfileRefs) -> str:
    passed = (f"SUMPRODUCT((({c}>{p.band_lowers})+({p.band_inclusive}=1)*({c}={p.band_lowers}))"
              f"*({_slots(MAX_BANDS)}<={p.band_count}))")
    return f"IF({passed}=0,{p.band_count},{p.band_count}-{passed}+1)"


def _band_idx(r: RowRefs, p: ProfileRefs) -> str:
    j1, j2, j3 = A_JUDGED
    return (f'IF({r.a_kind}="{j1}",1,IF({r.a_kind}="{j2}",MIN(2,{p.band_count}),IF({r.a_kind}="{j3}",{p.band_count},'
            f'IF(AND({r.t_cmp}="{QUALITATIVE}",{r.a_kind}="{A_NUMBER}",OR({r.a_unit}="",{r.a_unit}="%")),'
            f'{_band_index(r.a_val, p)},""))))')


HELPERS: tuple[tuple[str, Callable[[RowRefs, ProfileRefs], str]], ...] = (
    ("t_norm", _t_norm), ("t_pos", _t_pos), ("t_tok", _t_tok), ("t_unit", _t_unit), ("t_val", _t_val),
    ("t_cmp", _t_cmp), ("a_norm", _a_norm), ("a_pos", _a_pos), ("a_tok", _a_tok), ("a_unit", _a_unit),
    ("a_val", _a_val), ("a_kind", _a_kind), ("band_idx", _band_idx),
)


def helper_formulas(r: RowRefs, p: ProfileRefs) -> dict[str, str]:
    """Helper cell → formula (without "="), in dependency order."""
    return {getattr(r, name): build(r, p) for name, build in HELPERS}


# ---- the three shown cells -----------------------------------------------------------------


def _ratio(x: str, y: str) -> str:
    return f"IF(OR({y}<=0,{x}<=0),0,{x}/{y})"


def _percent_points(r: RowRefs) -> str:
    """"≥85" answered 90%: the 85 is in percent points (scoring.percent_points); left to the add-in."""
    return f'AND({r.t_unit}="",{r.a_unit}="%",{r.t_val}>1,{r.t_val}<=100)'


def _quantitative(r: RowRefs, p: ProfileRefs) -> str:
    a, v, w, c, d = r.a_val, r.t_val, r.weight, r.t_cmp, p.score_digits
    met = f'IF({c}="≥",{a}>={v},IF({c}=">",{a}>{v},IF({c}="≤",{a}<={v},IF({c}="<",{a}<{v},{a}={v}))))'
    pos, rev = f'OR({c}="≥",{c}=">")', f'OR({c}="≤",{c}="<")'
    ratio = (f"IF({met},1,IF({pos},{_ratio(a, v)},IF({rev},{_ratio(v, a)},"
             f"IF({a}<{v},{_ratio(a, v)},{_ratio(v, a)}))))")
    base = f"ROUND(MIN(MAX({ratio}*{w},0),{w}),{d})"
    over = (f"AND({p.over_deduction}>0,IFERROR(IF({pos},AND({v}>0,{a}>{v},{a}/{v}-1>{p.over_threshold}),"
            f"IF({rev},AND({a}>0,{v}>{a},{v}/{a}-1>{p.over_threshold}),FALSE)),FALSE))")
    return f"ROUND(MIN(MAX({base}-IF({over},{p.over_deduction},0),0),{w}),{d})"


def _band_range(r: RowRefs, p: ProfileRefs) -> tuple[str, str]:
    """(lowest, highest) score of the row's band, as scoring.band_range gives them."""
    w, i, d = r.weight, r.band_idx, p.score_digits
    step = f"POWER(10,-{d})"
    lo = f"MIN(ROUND(INDEX({p.band_lowers},{i})*{w},{d})+IF(INDEX({p.band_inclusive},{i})=1,0,{step}),ROUND({w},{d}))"
    hi = (f"IF({i}=1,ROUND({w},{d}),ROUND(INDEX({p.band_lowers},{i}-1)*{w},{d})"
          f"-IF(INDEX({p.band_inclusive},{i}-1)=1,{step},0))")
    return lo, hi


def _band_score(r: RowRefs, p: ProfileRefs) -> str:
    lo, hi = _band_range(r, p)
    raw = f"ROUND(MIN(MAX({r.a_val},0),1)*{r.weight},{p.score_digits})"
    return f"ROUND(MIN(MAX({raw},{lo}),MAX({hi},{lo})),{p.score_digits})"


def _judged_score(r: RowRefs, p: ProfileRefs) -> str:
    """A worded answer naming a band: that band's best score (scoring.judged_score)."""
    lo, hi = _band_range(r, p)
    return f"ROUND(MAX({hi},{lo}),{p.score_digits})"


def _text(code: str, key: str, **quoted: str) -> str:
    """'CODE message' as formula text, quoted cells inserted, cut to 255 characters as SCORE cuts."""
    text = f"{code} {MESSAGES[key]}"
    parts, rest = [], text
    for name, expr in quoted.items():
        head, _, rest = rest.partition("{" + name + "}")
        parts += [q(head), expr]
    parts.append(q(rest))
    joined = "&".join(x for x in parts if x != '""')
    return f"LEFT({joined},255)" if quoted else joined


def score(r: RowRefs, p: ProfileRefs) -> str:
    """得分 where the add-in gave nothing: SCORE's answer, or MARKER."""
    blank = "AND(" + ",".join([_blank_text(r.target, r.t_norm), _blank_text(r.actual, r.a_norm),
                               f'OR(ISBLANK({r.weight}),AND(ISTEXT({r.weight}),TRIM({r.weight})=""))']) + ")"
    weight_text = (f"IF(ISLOGICAL({r.weight}),{q(cf.MSG_WEIGHT_NOT_NUMBER)},"
                   f"IF(ISERROR(VALUE({r.weight})),{q(cf.MSG_WEIGHT_NOT_NUMBER)},{q(MARKER)}))")
    qualitative = (f'IF({r.band_idx}="",{_text("PE306", "qualitative_needs_ratio", raw=r.actual)},'
                   f"{_band_score(r, p)})")
    same = ",".join(f'AND({r.t_unit}="{w}",{r.a_unit}="{full}"),AND({r.t_unit}="{full}",{r.a_unit}="{w}")'
                    for w, full in tg.UNIT_SPELLINGS.items())  # targets.same_unit
    mismatch = f'AND({r.t_unit}<>"",{r.a_unit}<>"",{r.t_unit}<>{r.a_unit},NOT(OR({same})))'
    quantitative = (f'IF({r.a_kind}="{A_TEXT}",{_text("PE305", "quantitative_without_number", raw=r.actual)},'
                    f'IF({mismatch},{_text("PE304", "unit_mismatch", target_unit=r.t_unit, actual_unit=r.a_unit)},'
                    f'IF({_percent_points(r)},{q(MARKER)},'
                    f"{_quantitative(r, p)})))")
    judged = "OR(" + ",".join(f"{r.a_kind}={q(j)}" for j in A_JUDGED) + ")"
    chain = [
        (blank, '""'),
        (f"ISERROR({r.weight})", q(MARKER)),
        (f'OR(ISBLANK({r.weight}),AND(ISTEXT({r.weight}),TRIM({r.weight})=""))', q(cf.MSG_WEIGHT_BLANK)),
        (f"NOT({_number(r.weight)})", weight_text),
        (f"{r.weight}<0", _text("PE202", "weight_negative")),
        (f'{r.t_cmp}="{UNCOVERED}"', q(MARKER)),
        (f'{r.t_cmp}="{T_EMPTY}"', _text("PE301", "target_empty")),
        (f'{r.t_cmp}="{T_COMPARISON_ONLY}"', _text("PE301", "target_comparison_only", text=f"TRIM({r.target})")),
        (f'{r.a_kind}="{UNCOVERED}"', q(MARKER)),
        (f'{r.a_kind}="{A_BLANK}"', _text("PE305", "actual_blank")),
        (judged, _judged_score(r, p)),
        (f'{r.t_cmp}="{QUALITATIVE}"', qualitative),
    ]
    out = quantitative
    for cond, value in reversed(chain):
        out = f"IF({cond},{value},{out})"
    return out


def reading(r: RowRefs, p: ProfileRefs) -> str:
    """系统解读 where the add-in gave nothing: TARGET's answer, or MARKER."""
    per_mille = f'MID({r.t_norm},{r.t_pos}+LEN({r.t_tok}),1)="‰"'
    shown = (f'IF({r.t_unit}="%",IF({per_mille},VALUE({r.t_tok})/10,VALUE({r.t_tok}))&"%",'
             f'IF(ISNUMBER({r.target}),{r.target}&"",VALUE({r.t_tok})&"")&{r.t_unit})')
    return (f'IF({_blank_text(r.target, r.t_norm)},"",IF({r.t_cmp}="{UNCOVERED}","{MARKER}",'
            f'IF({r.t_cmp}="{T_COMPARISON_ONLY}",{_text("PE301", "target_comparison_only", text=f"TRIM({r.target})")},'
            f'IF({r.t_cmp}="{QUALITATIVE}","{QUALITATIVE}",LEFT({r.t_cmp}&{shown},255)))))')


def band(r: RowRefs, p: ProfileRefs) -> str:
    """定性档次 where the add-in gave nothing: BAND's answer on a qualitative row, or MARKER."""
    return (f'IF({r.t_cmp}="{UNCOVERED}","{MARKER}",IF({r.t_cmp}<>"{QUALITATIVE}","",'
            f'IF({_blank_text(r.actual, r.a_norm)},"",IF({r.a_kind}="{UNCOVERED}","{MARKER}",'
            f'IF({r.band_idx}="",{q(cf.MSG_RATIO_NOT_NUMBER)},INDEX({p.band_names},{r.band_idx}))))))')


# ---- budget block, total, grade ------------------------------------------------------------


def rate(actual: str, base: str) -> str:
    """执行率 = 实际支出数 ÷ 预算数, ROUND to 4 (EXEC_RATE); no worksheet function needed."""
    return (f'IF(AND({actual}="",{base}=""),"",IF(AND({_number(actual)},{_number(base)}),'
            f'IF({base}=0,{q(cf.MSG_BUDGET_ZERO)},ROUND({actual}/{base},4)),'
            f'IF(OR({_numeric_text(actual)},{_numeric_text(base)}),"{MARKER}",{q(cf.MSG_BUDGET_NOT_NUMBER)})))')


def execution_score(actual: str, base: str, weight: str, p: ProfileRefs) -> str:
    """EXEC_SCORE's answer: proportional and capped, or stepped, on the profile's numbers."""
    d, rd = p.score_digits, p.rate_digits
    blank_w = f'OR(ISBLANK({weight}),AND(ISTEXT({weight}),TRIM({weight})=""))'
    w = f"IF({blank_w},{p.exec_weight},{weight})"
    r = f"ROUND({actual}/{base},{rd})"
    passed = f"SUMPRODUCT(({r}>={p.step_mins})*({_slots(MAX_STEPS)}<={p.step_count}))"
    stepped = (f"IF({passed}=0,0,ROUND(MIN(MAX(INDEX({p.step_scores},{p.step_count}-{passed}+1)*{w}"
               f"/{p.exec_weight},0),{w}),{d}))")
    proportional = f"ROUND(MIN(MAX({r},0),1)*{w},{d})"
    value = f"IF({base}=0,0,IF({r}<=0,0,IF({p.exec_method}=1,{stepped},{proportional})))"
    return (f'IF(NOT(AND({_number(actual)},{_number(base)})),'
            f'IF(OR({_numeric_text(actual)},{_numeric_text(base)}),"{MARKER}",{q(cf.MSG_BUDGET_NOT_NUMBER)}),'
            f'IF(AND(NOT({blank_w}),NOT({_number(weight)})),IF({_numeric_text(weight)},"{MARKER}",'
            f'{q(cf.MSG_WEIGHT_NOT_NUMBER)}),{value}))')


def total(scores: str, deductions: str, execution: str, p: ProfileRefs) -> str:
    """TOTAL's answer: Σ scores + execution score − deductions, not below 0."""
    numeric_text = "+".join(f"SUMPRODUCT(ISTEXT({x})*ISNUMBER(VALUE({x})))" for x in (scores, deductions, execution))
    return (f'IF({numeric_text}>0,"{MARKER}",'
            f"ROUND(MAX(SUM({scores})+SUM({execution})-SUM({deductions}),0),{p.score_digits}))")


def total_has_marker(scores: str, execution: str) -> str:
    """A row the formulas could not score makes any total a guess: the total says so too."""
    return f'OR(COUNTIF({scores},"{MARKER}")>0,{execution}="{MARKER}")'


def grade(total_ref: str, p: ProfileRefs) -> str:
    """GRADE's answer from the profile's grade table."""
    passed = f"SUMPRODUCT(({total_ref}>={p.grade_mins})*({_slots(MAX_GRADES)}<={p.grade_count}))"
    found = f"INDEX({p.grade_names},IF({passed}=0,{p.grade_count},{p.grade_count}-{passed}+1))"
    return (f'IF({_number(total_ref)},{found},IF({total_ref}="{MARKER}","{MARKER}",'
            f'IF({_numeric_text(total_ref)},"{MARKER}",{q(cf.MSG_TOTAL_NOT_NUMBER)})))')


# ---------------------------------------------------------------------------------------------
# the profile's numbers as the 评分规则 sheet holds them


def profile_values(profile: Profile) -> dict[str, object]:
    """Parameter → value, for the cells ProfileRefs points at (layout.py places them).

    Keys are ProfileRefs field names; a column of slots is a list (unused slots None).
    """
    from ..core.profiles import ProfileError

    if len(profile.bands) > MAX_BANDS or len(profile.execution.steps) > MAX_STEPS or len(profile.grades) > MAX_GRADES:
        raise ProfileError(f"规则「{profile.title}」的定性档次、执行率分档或等级过多：表内公式最多支持 "
                           f"{MAX_BANDS} 个档次、{MAX_STEPS} 个分档、{MAX_GRADES} 个等级。")

    def slots(values, n):
        values = list(values)
        return values + [None] * (n - len(values))

    def number(d: Decimal) -> int | float:
        return int(d) if d == d.to_integral_value() else float(d)

    steps = profile.execution.steps
    return {
        "score_digits": profile.rounding.score,
        "rate_digits": profile.rounding.rate,
        "exec_method": 1 if profile.execution.method == "steps" else 0,
        "exec_weight": number(profile.execution.weight),
        "over_threshold": number(profile.indicators.over_achievement_threshold),
        "over_deduction": number(profile.indicators.over_achievement_deduction),
        "band_count": len(profile.bands),
        "band_lowers": slots((number(b.lower) for b in profile.bands), MAX_BANDS),
        "band_inclusive": slots((1 if b.lower_inclusive else 0 for b in profile.bands), MAX_BANDS),
        "band_names": slots((b.name for b in profile.bands), MAX_BANDS),
        "step_count": len(steps),
        "step_mins": slots((number(s.min_rate) for s in steps), MAX_STEPS),
        "step_scores": slots((number(s.score) for s in steps), MAX_STEPS),
        "grade_count": len(profile.grades),
        "grade_mins": slots((number(g.min_total) for g in profile.grades), MAX_GRADES),
        "grade_names": slots((g.name for g in profile.grades), MAX_GRADES),
    }


# ---------------------------------------------------------------------------------------------
# the Python mirror: what the formulas above give, for the template's cached values


def _u16(text: str) -> str:
    """Excel counts UTF-16 code units: positions are computed on a string of them."""
    data = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(data[i : i + 2], "little")) for i in range(0, len(data), 2))


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _excel_trim(text: str) -> str:
    return " ".join(part for part in text.split(" ") if part)


def _m_pos(norm: str) -> int:
    u = _u16(norm)
    idx = [i for i, ch in enumerate(u) if ch in "0123456789"]
    if not idx:
        return 0
    f = idx[0] + 1
    return f - 1 if f > 1 and u[f - 2] == "." else f


def _m_tok(norm: str, pos: int) -> str:
    if pos == 0:
        return ""
    u = _u16(norm)
    k = sum(ch in "0123456789" for ch in u)
    sign = pos > 1 and u[pos - 2] in "+-"
    if k > MAX_DIGITS or sign:
        return UNCOVERED
    c1, c2 = u[pos - 1 : pos - 1 + k], u[pos - 1 : pos + k]

    def digits(x: str) -> int:
        return sum(ch in "0123456789" for ch in x)

    if digits(c1) == k:
        return c1
    if digits(c2) == k and len(c2) == k + 1 and len(c2.replace(".", "")) == k and not c2.endswith("."):
        return c2
    return UNCOVERED


def _m_listed_unit(rest: str) -> str:
    found = ""
    for unit in UNITS:  # shortest first; the last that matches is the longest
        if rest.startswith(unit):
            found = unit
    return found


def _m_unit(rest: str) -> str:
    found = _m_listed_unit(rest).replace("‰", "%")
    for alias, unit in tg._UNIT_ALIASES.items():
        found = found.replace(alias, unit)
    return found


def _m_rest(norm: str, pos: int, tok: str) -> str:
    return _u16(norm)[pos - 1 + len(tok) :]


def _m_scaled(tok: str, unit: str, norm: str, pos: int) -> float:
    v = float(tok)
    if unit == "%":
        return v / (1000 if _m_rest(norm, pos, tok)[:1] == "‰" else 100)
    return v


def _m_choices(cmp: str, kind: object, direction: object) -> str:
    k = _excel_trim(_text_of(kind))
    d = _excel_trim(_text_of(direction))
    if k == "定性":
        return QUALITATIVE
    cmp = cmp.replace("≥", "≤" if d == "反向" else "≥")
    return cmp.replace("≤", "≥" if d == "正向" else "≤")


def _text_of(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _m_only_comparison_words(norm: str) -> bool:
    out = norm
    for word, _ in sorted(tg._PREFIX_WORDS, key=lambda p: -len(p[0])):
        out = out.replace(word, "")
    for word, _ in tg._SUFFIX_WORDS:
        out = out.replace(word, "")
    for ch in "%.。":
        out = out.replace(ch, "")
    return out == ""


def _m_cmp(norm: str, pos: int, tok: str) -> str:
    u = _u16(norm)
    unit = _m_listed_unit(u[pos - 1 + len(tok) :])
    before, tail = u[: pos - 1], u[pos - 1 + len(tok) + len(unit) :]
    suffix = 1 + any(tail.startswith(w) for w in SUFFIX_GE) + 2 * any(tail.startswith(w) for w in SUFFIX_LE)
    prefix = 1
    for word, comp in PREFIX:  # shortest first; the last that matches is the longest
        if before.endswith(word):
            prefix = _CMP.index(comp) + 2
    return _COMBINE[suffix - 1][prefix - 1]


def row_values(target: object, actual: object, kind: object, direction: object, percent: bool,
               profile: Profile) -> dict[str, object]:
    """Helper name → the value its formula gives (HELPERS' order), from the row's cell values."""
    out: dict[str, object] = {}
    t_norm = native_normalize(target) if isinstance(target, str) else ""
    t_pos = _m_pos(t_norm)
    t_tok = _m_tok(t_norm, t_pos)
    no_t = t_tok in ("", UNCOVERED)
    t_unit = "" if no_t else _m_unit(_m_rest(t_norm, t_pos, t_tok))
    if isinstance(target, bool):
        t_val: object = ""
    elif _is_number(target):
        t_val = float(target)
    else:
        t_val = "" if no_t else _m_scaled(t_tok, t_unit, t_norm, t_pos)
    if isinstance(target, bool):
        t_cmp = UNCOVERED
    elif _is_number(target):
        t_cmp = _m_choices("≥", kind, direction)
    elif t_norm == "":
        t_cmp = T_EMPTY
    elif t_tok == UNCOVERED:
        t_cmp = UNCOVERED
    elif t_tok == "":
        t_cmp = T_COMPARISON_ONLY if _m_only_comparison_words(t_norm) else QUALITATIVE
    elif _m_rest(t_norm, t_pos, t_tok)[:1] in DATE_CHARS or _m_unlisted(t_norm, t_pos, t_tok, t_unit):
        t_cmp = UNCOVERED
    else:
        t_cmp = _m_choices(_m_cmp(t_norm, t_pos, t_tok), kind, direction)
    out.update(t_norm=t_norm, t_pos=t_pos, t_tok=t_tok, t_unit=t_unit, t_val=t_val, t_cmp=t_cmp)

    a_norm = native_normalize(actual) if isinstance(actual, str) else ""
    a_pos = _m_pos(a_norm)
    a_tok = _m_tok(a_norm, a_pos)
    no_a = a_tok in ("", UNCOVERED)
    bare_pct = t_unit == "%" or t_cmp == QUALITATIVE

    def bare(v: float) -> float:
        return (v if abs(v) <= 2 else v / 100) if bare_pct else v

    plain = not no_a and (a_norm == a_tok or ("." not in a_tok and a_norm == a_tok + "."))
    as_target = isinstance(actual, str) and a_norm != "" and a_norm == t_norm and t_cmp in COMPARISONS
    if isinstance(actual, bool):
        a_unit, a_val = "", ""
    elif _is_number(actual):
        a_unit = "%" if percent or bare_pct else t_unit
        a_val = float(actual) if percent else bare(float(actual))
    elif as_target:
        a_unit, a_val = t_unit, t_val
    elif no_a:
        a_unit, a_val = "", ""
    elif plain:
        a_unit, a_val = ("%" if bare_pct else t_unit), bare(float(a_tok))
    else:
        a_unit = _m_unit(_m_rest(a_norm, a_pos, a_tok))
        a_val = _m_scaled(a_tok, a_unit, a_norm, a_pos)
    if isinstance(actual, bool):
        a_kind = UNCOVERED
    elif _is_number(actual):
        a_kind = A_NUMBER
    elif a_norm in ("", *BLANK_ANSWERS):
        a_kind = A_BLANK
    elif plain:
        a_kind = A_NUMBER
    elif (a_norm in tg.ABSENCE_ANSWERS + tg.ABSENCE_BROKEN and t_cmp == QUALITATIVE and len(_u16(t_norm)) > 1
          and _u16(t_norm).startswith(tg.ABSENCE_TARGET_STARTS)):
        a_kind = A_JUDGED[0] if a_norm in tg.ABSENCE_ANSWERS else A_JUDGED[2]
    elif a_norm in tg.NOT_AN_ANSWER:
        a_kind = A_TEXT
    else:
        a_kind = _m_words(a_norm, a_pos, a_tok, str(a_unit), t_norm, t_cmp, as_target)
    n = len(profile.bands)
    band_idx: object = ""
    if a_kind in A_JUDGED:
        band_idx = {A_JUDGED[0]: 1, A_JUDGED[1]: min(2, n), A_JUDGED[2]: n}[a_kind]
    elif t_cmp == QUALITATIVE and a_kind == A_NUMBER and a_unit in ("", "%"):
        band_idx = _m_band_index(float(a_val), profile)  # type: ignore[arg-type]
    out.update(a_norm=a_norm, a_pos=a_pos, a_tok=a_tok, a_unit=a_unit, a_val=a_val, a_kind=a_kind,
               band_idx=band_idx)
    return out


def _m_words(a: str, pos: int, tok: str, unit: str, t_norm: str, t_cmp: str, as_target: bool) -> str:
    u = _u16(a)
    if u.startswith(tg.MISSED_STARTS) or any(w in u for w in tg.MISSED_ANYWHERE):
        return A_JUDGED[2]
    if u.startswith(tg.PARTIAL_STARTS) or any(w in u for w in tg.PARTIAL_ANYWHERE):
        return A_JUDGED[1]
    shaped_or_unlisted = tok not in ("", UNCOVERED) and (any(w in u for w in SHAPED)
                                                         or _m_unlisted(a, pos, tok, unit))
    if t_cmp in COMPARISONS:
        if tok == "":
            return UNCOVERED if u[:1] and u[:1] in tg.CN_NUMERALS else A_TEXT
        if tok == UNCOVERED:
            return UNCOVERED
        if as_target:
            return A_NUMBER
        return UNCOVERED if shaped_or_unlisted else A_NUMBER
    whole = any(u in (w, w + "。", w + ".") for w in tg.ACHIEVED_WHOLE)
    if u == _u16(t_norm) or whole or u.startswith(tg.ACHIEVED_STARTS):
        return A_JUDGED[0]
    if tok == "":
        ambiguous = u.startswith("已") or (len(u) > 1 and u[-1] in "。." and u[-2] in "。.")
        return UNCOVERED if ambiguous else A_TEXT
    if tok == UNCOVERED:
        return UNCOVERED
    return UNCOVERED if shaped_or_unlisted else A_NUMBER


def _m_unlisted(norm: str, pos: int, tok: str, unit: str) -> bool:
    return unit == "" and _m_rest(norm, pos, tok)[:1] not in NOT_A_UNIT


def _m_band_index(c: float, profile: Profile) -> int:
    n = len(profile.bands)
    passed = sum(1 for b in profile.bands if c > float(b.lower) or (b.lower_inclusive and c == float(b.lower)))
    return n if passed == 0 else n - passed + 1


def excel_round(x: float, digits: int) -> float:
    """Excel's ROUND on a double: half away from zero on its 15 significant digits (so 0.95 × 3,
    2.8499999999999996 as a double, rounds to 2.9 as it does in Excel and LibreOffice)."""
    d = Decimal(f"{x:.15g}").quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return float(d)


def _blank_value(v: object, norm: str) -> bool:
    return v is None or (isinstance(v, str) and norm == "")


def native_results(target: object, actual: object, weight: object, kind: object, direction: object,
                   percent: bool, profile: Profile, values: Mapping[str, object] | None = None
                   ) -> tuple[object, object, object]:
    """(得分, 系统解读, 定性档次) as the fallback formulas show them: SCORE/TARGET/BAND's answer
    inside the grammar, MARKER outside it."""
    h = dict(values) if values is not None else row_values(target, actual, kind, direction, percent, profile)
    return (_m_score(h, target, actual, weight, profile), _m_reading(h, target),
            _m_band(h, actual, profile))


def _m_weight_blank(w: object) -> bool:
    return w is None or (isinstance(w, str) and _excel_trim(w) == "")


def _excel_value(text: str) -> float | None:
    """VALUE(text) for the texts that matter here: Python's own number reading, else None."""
    from ..core.decimal_math import parse_number_text

    s = text.strip()
    pct = s.endswith("%")
    d = parse_number_text(s[:-1] if pct else s)
    if d is None:
        return None
    return float(d) / 100 if pct else float(d)


def _m_score(h, target, actual, weight, profile: Profile) -> object:
    if _blank_value(target, h["t_norm"]) and _blank_value(actual, h["a_norm"]) and _m_weight_blank(weight):
        return ""
    if _m_weight_blank(weight):
        return cf.MSG_WEIGHT_BLANK
    if isinstance(weight, bool):
        return cf.MSG_WEIGHT_NOT_NUMBER
    if not _is_number(weight):
        return cf.MSG_WEIGHT_NOT_NUMBER if _excel_value(str(weight)) is None else MARKER
    w = float(weight)
    if w < 0:
        return f"PE202 {MESSAGES['weight_negative']}"
    t_cmp, a_kind = h["t_cmp"], h["a_kind"]
    if t_cmp == UNCOVERED:
        return MARKER
    if t_cmp == T_EMPTY:
        return f"PE301 {MESSAGES['target_empty']}"
    if t_cmp == T_COMPARISON_ONLY:
        return f"PE301 {MESSAGES['target_comparison_only'].format(text=_excel_trim(str(target)))}"[:255]
    if a_kind == UNCOVERED:
        return MARKER
    if a_kind == A_BLANK:
        return f"PE305 {MESSAGES['actual_blank']}"
    d = profile.rounding.score
    if a_kind in A_JUDGED:
        lo, hi = _m_band_range(w, int(h["band_idx"]), profile)
        return excel_round(max(hi, lo), d)
    if t_cmp == QUALITATIVE:
        if h["band_idx"] == "":
            return f"PE306 {MESSAGES['qualitative_needs_ratio'].format(raw=_text_of(actual))}"[:255]
        return _m_band_score(float(h["a_val"]), w, int(h["band_idx"]), profile)
    if a_kind == A_TEXT:
        return f"PE305 {MESSAGES['quantitative_without_number'].format(raw=_text_of(actual))}"[:255]
    tu, au = h["t_unit"], h["a_unit"]
    if tu and au and not tg.same_unit(tu, au):
        return f"PE304 {MESSAGES['unit_mismatch'].format(target_unit=tu, actual_unit=au)}"[:255]
    a, v = float(h["a_val"]), float(h["t_val"])
    if tu == "" and au == "%" and 1 < v <= 100:
        return MARKER

    def ratio(x: float, y: float) -> float:
        return 0.0 if y <= 0 or x <= 0 else x / y

    met = {"≥": a >= v, ">": a > v, "≤": a <= v, "<": a < v, "=": a == v}[t_cmp]
    pos, rev = t_cmp in ("≥", ">"), t_cmp in ("≤", "<")
    r = 1.0 if met else ratio(a, v) if pos else ratio(v, a) if rev else ratio(a, v) if a < v else ratio(v, a)
    base = excel_round(min(max(r * w, 0.0), w), d)
    ded, thr = float(profile.indicators.over_achievement_deduction), float(profile.indicators.over_achievement_threshold)
    over = ded > 0 and ((pos and v > 0 and a > v and a / v - 1 > thr) or (rev and a > 0 and v > a and v / a - 1 > thr))
    return excel_round(min(max(base - (ded if over else 0.0), 0.0), w), d)


def _m_band_range(w: float, i: int, profile: Profile) -> tuple[float, float]:
    d = profile.rounding.score
    step = 10.0 ** -d
    bands = profile.bands
    lo = excel_round(float(bands[i - 1].lower) * w, d) + (0.0 if bands[i - 1].lower_inclusive else step)
    lo = min(lo, excel_round(w, d))
    if i == 1:
        hi = excel_round(w, d)
    else:
        hi = excel_round(float(bands[i - 2].lower) * w, d) - (step if bands[i - 2].lower_inclusive else 0.0)
    return lo, hi


def _m_band_score(c: float, w: float, i: int, profile: Profile) -> float:
    lo, hi = _m_band_range(w, i, profile)
    raw = excel_round(min(max(c, 0.0), 1.0) * w, profile.rounding.score)
    return excel_round(min(max(raw, lo), max(hi, lo)), profile.rounding.score)


def _m_reading(h, target) -> object:
    if _blank_value(target, h["t_norm"]):
        return ""
    t_cmp = h["t_cmp"]
    if t_cmp == UNCOVERED:
        return MARKER
    if t_cmp == T_COMPARISON_ONLY:
        return f"PE301 {MESSAGES['target_comparison_only'].format(text=_excel_trim(str(target)))}"[:255]
    if t_cmp == QUALITATIVE:
        return QUALITATIVE
    if h["t_unit"] == "%":
        v = float(h["t_tok"])
        if _m_rest(h["t_norm"], h["t_pos"], h["t_tok"])[:1] == "‰":
            v = v / 10
        shown = _general(v) + "%"
    elif _is_number(target):
        shown = _general(float(target)) + h["t_unit"]
    else:
        shown = _general(float(h["t_tok"])) + h["t_unit"]
    return (t_cmp + shown)[:255]


def _general(v: float) -> str:
    """A number as Excel's General format writes it into text (15 significant digits)."""
    if v != 0 and (abs(v) >= 1e15 or abs(v) < 1e-9):
        mantissa, _, exponent = f"{v:.14E}".partition("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    text = format(Decimal(f"{v:.15g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _m_band(h, actual, profile: Profile) -> object:
    if h["t_cmp"] == UNCOVERED:
        return MARKER
    if h["t_cmp"] != QUALITATIVE:
        return ""
    if _blank_value(actual, h["a_norm"]):
        return ""
    if h["a_kind"] == UNCOVERED:
        return MARKER
    if h["band_idx"] == "":
        return cf.MSG_RATIO_NOT_NUMBER
    return profile.bands[int(h["band_idx"]) - 1].name


# ---------------------------------------------------------------------------------------------
# Excel 2010's limits


def formula_limits(formula: str) -> tuple[int, int]:
    """(length, deepest nesting of function calls) of a formula, for Excel's 8,192 / 64."""
    stack: list[bool] = []  # True: a function call's parenthesis; False: grouping
    deepest = 0
    quoted = False
    for i, ch in enumerate(formula):
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "(":
            stack.append(i > 0 and (formula[i - 1].isalnum() or formula[i - 1] in "._"))
            deepest = max(deepest, sum(stack))
        elif ch == ")":
            stack.pop()
    return len(formula), deepest

