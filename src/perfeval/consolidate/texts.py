"""The sentences that say what a consolidation did, shared by the terminal summary, the ribbon's
message and the top lines of 汇总说明 — so the three never disagree."""

from __future__ import annotations

from pathlib import PurePath

from ..core.decimal_math import fmt_decimal, fmt_percent
from .model import FUND_FROM_LIST, ROLE_OWN, ConsolidationResult, Skipped, UnitWeight

__all__ = ["file_name", "files_line", "method_line", "result_line", "review_line", "skipped_line", "unit_line"]


def file_name(path: str) -> str:
    return PurePath(path.replace("\\", "/")).name if path else ""


def _money(d) -> str:
    return "（空）" if d is None else f"{fmt_decimal(d)} 万元"


def unit_line(u: UnitWeight) -> str:
    """「单位1」（单位1.xlsx）：实际支出数 300 万元，资金额度 … 万元（部门下属单位表）"""
    who = f"{ROLE_OWN}「{u.name}」" if u.role == ROLE_OWN else f"「{u.name}」"
    where = f"（{file_name(u.file) or u.source}）" if (u.file or u.source) else ""
    text = f"{who}{where}：实际支出数 {_money(u.actual)}"
    if u.fund_from == FUND_FROM_LIST:
        text += f"，资金额度 {_money(u.fund)}（{FUND_FROM_LIST}）"
    return text


def files_line(result: ConsolidationResult, limit: int | None = None) -> str:
    """Which files counted, with their amounts, in one sentence (the first n when limit is given)."""
    units = result.units
    shown = units if limit is None else units[:limit]
    parts = "；".join(f"{u.position}. {unit_line(u)}" for u in shown)
    more = f"；……另有 {len(units) - len(shown)} 份，见“一、参与汇总的自评表”" if len(shown) < len(units) else ""
    total = result.budget[0].actual if result.budget else None
    return (f"参与汇总的自评表 {len(units)} 份（按给出的顺序）：{parts}{more}。"
            f"实际支出数合计 {_money(total)}。")


def method_line(result: ConsolidationResult) -> str:
    funds = ("资金额度取自部门汇总表的“下属单位”表。" if result.funds_from_department_list
             else "资金额度为各表“全年支出”行的实际支出数。")
    return ("按《部门（单位）整体支出绩效自评表》注2汇总部门本级和所属单位：绝对值直接累加；相对值和定性完成比例"
            "以资金额度为权重加权平均；分值不累加；得分、总分和等级按汇总后的数值重新计算。"
            f"指标名称、分值和顺序取自{result.structure_from}。{funds}")


def result_line(result: ConsolidationResult) -> str:
    ev = result.evaluation
    main = result.budget[0] if result.budget else None
    money = (f"全年预算数 {_money(main.full_year)}，实际支出数 {_money(main.actual)}；" if main is not None else "")
    return (f"汇总后：{money}执行率 {fmt_percent(ev.execution_rate)}；总分 {fmt_decimal(ev.total)}，"
            f"等级 {ev.grade}。")


def skipped_line(s: Skipped) -> str:
    return f"{file_name(s.file) or s.file}：{s.code} {s.message}"


def review_line(result: ConsolidationResult, limit: int = 10) -> str:
    """What needs a person: rows 待核实 and files that did not count ("" when nothing does)."""
    parts = []
    review = result.to_review
    if review:
        names = "、".join(f"「{i.level3 or i.level2 or i.level1}」" for i in review[:limit])
        more = f"等 {len(review)} 个" if len(review) > limit else f" {len(review)} 个"
        parts.append(f"待核实的指标{more}：{names}（各单位的值无法直接汇总，未相加也未平均，汇总表中未计分）")
    if result.skipped:
        parts.append(f"未计入汇总的文件 {len(result.skipped)} 份（见“二、未计入汇总的文件”）")
    return "；".join(parts) + "。" if parts else ""
