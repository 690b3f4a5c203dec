"""Label text as the importer compares it: one spelling for the many ways forms write a label.

Published forms write the same header as "年初预算数（万元）", "年初\n预算数", "年初預算數" (a
traditional-character repost), even "預(yù)算" (a mirror site that glosses each character with its
pinyin). `label_key` folds all of these to "年初预算数"; values are never folded, only labels.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

__all__ = ["label_key", "weight_in_label", "money_unit_in_label", "fold_traditional"]

# Traditional → simplified for the characters of form vocabulary (labels, units, block names).
_TRAD = (
    "項项預预執执數数額额績绩標标級级際际實实進进單单稱称門门體体總总計计資资財财撥拨結结轉转質质"
    "時时經经濟济會会態态續续響响滿满務务對对類类屬属報报調调產产達达較较況况內内說说問问題题負负責责"
    "電电話话審审縣县區区鎮镇鄉乡應应規规範范導导補补設设備备購购買买發发見见觀观劃划環环護护衛卫"
    "視视書书館馆檔档辦办處处織织組组營营運运動动業业農农醫医療疗學学員员編编職职開开廳厅黨党機机"
    "構构眾众蓋盖驗验後后減减長长萬万億亿個个戶户條条畝亩噸吨輛辆臺台場场張张冊册棟栋間间歲岁週周"
    "鐘钟課课評评權权係系價价狀状況况準准據据舉举優优處处積积極极專专項项證证強强將将為为與与過过"
    "選选統统樣样種种類类覆复複复覈核訂订關关聯联網网絡络銷销務务幣币儲储錢钱餘余賬账戶户據据"
)
_TRAD_TABLE = str.maketrans({_TRAD[i]: _TRAD[i + 1] for i in range(0, len(_TRAD) - 1, 2)})

# "預(yù)算" — a character followed by its pinyin in brackets, as some mirror sites print.
_PINYIN = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
# Hints clerks add to headers: （万元）, (A), (B/A), （%）, （10分）, (20分*执行率), a lone "(万元".
_HINT_BODY = r"[0-9A-Za-z/×*+\-.%:、万元亿千百分执行率含个次人]*"
_HINT = re.compile(rf"\({_HINT_BODY}\)|\({_HINT_BODY}$|^{_HINT_BODY}\)")


def fold_traditional(text: str) -> str:
    return text.translate(_TRAD_TABLE)


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = _PINYIN.sub("", s)
    return fold_traditional(s)


def label_key(text: object) -> str:
    """'年初预算数（万元）' → '年初预算数'; '一 级\\n指标' → '一级指标'; '年初預(yù)算數' → '年初预算数'.

    '其中：基本支出' keeps its 其中 (as '其中:基本支出'); budget row matching strips it.
    """
    if not isinstance(text, str):
        return ""
    s = re.sub(r"\s+", "", _fold(text)).replace("*", "").replace("＊", "")
    s = s.replace("（", "(").replace("）", ")")
    previous = None
    while previous != s:  # "(万元)(20分)": hints may follow one another
        previous, s = s, _HINT.sub("", s)
    return s.rstrip(":")


_WEIGHT = re.compile(r"\((\d+(?:\.\d+)?)\s*分?\)|(\d+(?:\.\d+)?)\s*分\)?$")


def weight_in_label(text: object) -> Decimal | None:
    """The 分值 a label carries: '产出指标（50分）' → 50, '预算执行情况(万元)(20分)' → 20, '(50)' → 50."""
    if not isinstance(text, str):
        return None
    s = re.sub(r"\s+", "", _fold(text)).replace("（", "(").replace("）", ")")
    for m in _WEIGHT.finditer(s):
        return Decimal(m.group(1) or m.group(2))
    return None


def money_unit_in_label(text: object) -> str | None:
    """'项目资金（元）' → '元'; '年度预算申请（万元）' → '万元'; None when the label names no unit."""
    if not isinstance(text, str):
        return None
    s = _fold(text)
    m = re.search(r"[(（]\s*(亿元|万元|千元|元)\s*[)）]?", s)
    return m.group(1) if m else None
