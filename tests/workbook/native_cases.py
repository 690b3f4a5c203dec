"""Generated indicator rows for the agreement between SCORE and the native fallback formulas.

A seeded generator (the same cases every run) of (年度指标值, 实际完成值, 分值, 指标性质, 指标方向,
percent-formatted?) rows the way clerks type them — the grammar the native formulas cover, in
its spellings (full-width digits and ％, spaces, ">=", words before and after, units, ‰), and
around it what they must leave to the add-in (ranges, dates, signs, thousands separators, two
numbers) — plus rule profiles that move every number the formulas read from the 评分规则 sheet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from perfeval.core import targets as tg
from perfeval.core.profiles import Profile, load_profile

SEED = 20240515


@dataclass(frozen=True)
class Case:
    target: object
    actual: object
    weight: object
    kind: object = None
    direction: object = None
    percent: bool = False  # the completion cell is percent-formatted
    in_grammar: bool = True  # what the native formulas must score themselves (no marker)


FULL_WIDTH = str.maketrans("0123456789%.", "０１２３４５６７８９％．")
WORDS_BEFORE = ["", "", "", "机制健全在", "全年", "（", "完成率", "覆盖率"]
WORDS_AFTER = ["", "", "", "。", "）", "左右", "的目标"]
QUALITATIVE = ["始终坚持把党的领导贯彻到机构编制工作中", "效果明显", "及时", "无", "全面推行事业单位登记管理工作",
               "规范机构编制实名制管理", "每周利用一小时培训业务", "好", "有效", "持续改善"]
COMPARISON_ONLY = ["≤", "≥", "达到", "不超过", "≥%", "控制在以内", "不低于。", " ≤ "]
OUTSIDE = ["90%-100%", "90%～100%", "3-5天", "12月底前", "2023年12月31日前", "1,000人", "-5%", "≥1e3", "3个/4个",
           "≥95%，≤100%", "1.2.3", "第1季度≥90%", "+5%", "≥1234567890123456", "≥5枚", "3A级", "不少于2期次"]
ACTUAL_TEXTS = ["95%", "85", "0.9", "100%", "2300篇", "3个", "约95%", "无", "已完成", "-", "—", "/", "达90%以上",
                "１００％", "100 %", "5.", ".5", "79.99%", "60%", "0", "150%", "4个", "49个", "120人", "3次",
                "0.5天", "96万元", "3‰", "1,000", "90%-100%", "-3", "良好", "  ", "≤5%", "5枚", "未完成80%",
                "100%完成", "部分完成60%", "95%左右", "约3个", "已公开", "已建档", "达成预期指标", "已完成。",
                "未达成预期指标且效果较差", "部分达成预期指标并具有一定效果", "完成。。", "200余人", "5组", "95百分比", "0起"]
ACTUAL_NUMBERS = [0.95, 1, 2.4, 85, 0, -1, 3, 150, 0.5, 0.7999, 0.8, 0.6, 0.59, 1.2, 2, 96, 4, 49, 2200, 0.12,
                  0.005, 100, 79.99]
WEIGHTS = [2, 3, 4, 5, 10, 1.5, 2.5, 0, 15, 0.3, 20, 7]


def _number_text(rnd: random.Random) -> str:
    choice = rnd.random()
    if choice < 0.45:
        return str(rnd.choice([90, 95, 100, 80, 85, 98, 60, 3, 5, 4, 49, 2200, 12, 1, 0, 150]))
    if choice < 0.75:
        return f"{rnd.choice([0.5, 2.5, 99.5, 95.5, 0.05, 3.5, 12.25])}"
    if choice < 0.85:
        return "." + str(rnd.randint(1, 9))
    return f"{rnd.randint(1, 999)}.{rnd.randint(0, 99):02d}"


def target_text(rnd: random.Random) -> str:
    """A quantitative target in one of the spellings clerks use."""
    number = _number_text(rnd)
    unit = rnd.choice(["%", "%", "%", "", "", "个", "人", "万元", "次", "篇", "‰", "天", "户", "人次", "万人次", "km",
                       "百分比", "分", "组", "起"])
    prefix = rnd.choice([""] * 4 + [w for w, _ in tg._PREFIX_WORDS])
    suffix = rnd.choice([""] * 4 + [w for w, _ in tg._SUFFIX_WORDS])
    text = rnd.choice(WORDS_BEFORE) + prefix + number + unit + suffix + rnd.choice(WORDS_AFTER)
    roll = rnd.random()
    if roll < 0.1:
        text = text.translate(FULL_WIDTH)
    elif roll < 0.15:
        text = text.replace("≥", ">=").replace("≤", "<=")
    elif roll < 0.2:
        text = " " + text.replace(number, f" {number} ", 1) + " "
    elif roll < 0.23:
        text = text.replace("≥", "≧").replace("≤", "≦")
    return text


# What the add-in reads and the formulas leave alone: signs, separators, ranges, target-shaped
# answers (scored on their number), units nobody listed, "已…" words outside the lists.
ACTUAL_OUTSIDE = {"1,000", "90%-100%", "-3", "达90%以上", "≤5%", "5枚", "已建档", "完成。。"}


def make_case(rnd: random.Random) -> Case:
    roll = rnd.random()
    inside = True
    if roll < 0.55:
        target: object = target_text(rnd)
    elif roll < 0.65:
        target = rnd.choice([0.9, 0.95, 1, 100, 50, 3, 0.8, 2200])
    elif roll < 0.8:
        target = rnd.choice(QUALITATIVE)
    elif roll < 0.86:
        target = rnd.choice(COMPARISON_ONLY)
    elif roll < 0.96:
        target, inside = rnd.choice(OUTSIDE), False
    else:
        target = rnd.choice([None, "", "  "])
    percent = rnd.random() < 0.35
    if isinstance(target, str) and rnd.random() < 0.08:
        actual: object = target  # the clerk copies the target into 实际完成值
        percent = False
    elif rnd.random() < 0.5:
        actual = rnd.choice(ACTUAL_NUMBERS)
    elif rnd.random() < 0.9:
        actual = rnd.choice(ACTUAL_TEXTS)
        percent = False
        inside = inside and actual not in ACTUAL_OUTSIDE
    else:
        actual = None
    r = rnd.random()
    weight: object = rnd.choice(WEIGHTS) if r < 0.93 else rnd.choice([None, "abc", "5", -1, "  "])
    inside = inside and weight != "5"  # a number typed as text: Python reads it, the formulas do not
    kind = rnd.choice([None] * 8 + ["定性", "定量"])
    direction = rnd.choice([None] * 7 + ["正向", "反向", "反向"])
    inside = inside and not _in_percent_points(target, actual, kind, direction, percent)
    return Case(target, actual, weight, kind, direction, percent, inside)


def _in_percent_points(target, actual, kind, direction, percent) -> bool:
    """"≥85" answered 90%: Python reads the 85 as 85%, the formulas leave the row to the add-in."""
    from perfeval.core import cellfunctions as cf
    from perfeval.core.model import understand_actual, understand_target
    from perfeval.core.scoring import percent_points

    t = understand_target(target, cf._choice(kind), cf._choice(direction))
    return percent_points(t, understand_actual(actual, t, cf.is_percent_format(percent)))


def cases(n: int, seed: int = SEED) -> list[Case]:
    rnd = random.Random(seed)
    return [make_case(rnd) for _ in range(n)]


# ---- profiles ---------------------------------------------------------------------------------

_SYNTHETIC = {
    # Over-achievement costs a point; non-inclusive band edges; a fourth band; steps; 1 decimal.
    "test-deduction": """
name = "test-deduction"
title = "测试：超额扣分、档次不含下限"
form_kind = "department"
[execution]
method = "steps"
weight = 10
steps = [{ min_rate = 1.0, score = 10 }, { min_rate = 0.9, score = 8 }, { min_rate = 0.5, score = 4 }]
[first_level]
"预算执行率" = 10
"其他" = 90
[[bands]]
name = "好"
lower = 0.9
lower_inclusive = false
[[bands]]
name = "较好"
lower = 0.7
lower_inclusive = false
[[bands]]
name = "一般"
lower = 0.5
lower_inclusive = true
[[bands]]
name = "差"
lower = 0
[[grades]]
name = "A"
min_total = 85
[[grades]]
name = "B"
min_total = 0
[indicators]
over_achievement_threshold = 0.2
over_achievement_deduction = 1
[rounding]
score = 1
rate = 3
""",
    "test-two-bands": """
name = "test-two-bands"
title = "测试：两个档次"
form_kind = "department"
[execution]
weight = 20
[first_level]
"预算执行率" = 20
"其他" = 80
[[bands]]
name = "达成"
lower = 0.75
[[bands]]
name = "未达成"
lower = 0
[[grades]]
name = "合格"
min_total = 60
[[grades]]
name = "不合格"
min_total = 0
""",
}


def profiles(tmp: Path) -> list[tuple[str, Profile]]:
    """(name or TOML path SCORE takes, the profile) for the built-in and the synthetic profiles."""
    out = [(name, load_profile(name)) for name in ("gansu-department", "hubei-department", "jiangxi-department",
                                                   "national-project")]
    for name, text in _SYNTHETIC.items():
        path = tmp / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        out.append((str(path), load_profile(str(path))))
    return out


def excel_value(v: object) -> object:
    """A case value as it sits in a cell (Decimal → number)."""
    if isinstance(v, Decimal):
        return float(v)
    return v
