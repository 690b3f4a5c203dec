"""Compose the narrative 自评报告 from a form and its evaluation: pure data in, `ReportDoc` out.

The report follows the seed (正人社发〔2024〕57号): 一、部门概况 (five subsections), 二、部门整体
支出绩效实际情况 (overall analysis, then one subsection per 一级指标 present in the form, in form
order), 三、存在的问题及改进措施, the 落款, and the 自评表 as an attachment.

Where each paragraph comes from:

* Always composed from the table and the evaluation (the clerk's own text, when written, follows
  verbatim): 一（五）预算及执行情况 — budget figures in 万元 and the recomputed execution rate and
  score; 二（一）总体绩效目标完成情况 — recomputed total, grade, per-一级 scores and indicator counts;
  二（二）each 一级指标 — its count, 分值 and recomputed 得分, the indicators that met their target,
  and one sentence per indicator that did not (completion ratio, band for qualitative ones, the
  clerk's 偏差原因 or a sentence saying none was given) or could not be scored.
* Composed from the table only when the clerk wrote nothing: 一（三）绩效目标 (the form's 预期目标
  cell and the indicator counts); 三（一）存在问题 (the indicators below target or not scorable —
  a placeholder when there are none).
* Taken from another cell of the form when the clerk wrote nothing: 二（一）'s free text falls back
  to the 目标实际完成情况 cell; the 落款 to the 部门名称.
* A bracketed placeholder such as “（此处填写部门主要职能）” when the clerk wrote nothing, because
  no cell of the form says it: 部门主要职能, 机构设置与人员编制, 履职总体目标, 预算绩效管理开展情况,
  改进措施, 主送机关, and 预算调整说明 (only when 全年预算数 differs from 年初预算数). The writer
  highlights placeholders. Without a 文号 there is no 红头 (letterhead) either; without a 报告日期
  the date line is left blank as “　　年　　月　　日”.

Every number printed is taken from a form cell or from the evaluation — never a figure the clerk
stated in a score or rate cell, so a report built from a form with errors still tells the truth.
Clerk text is carried over as written (split into paragraphs on line breaks, surrounding blanks
trimmed because the first-line indent comes from the style); the writer, not this module, removes
characters XML cannot hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.decimal_math import fmt_decimal, fmt_percent
from ..core.evaluate import BudgetResult, Evaluation, IndicatorResult, LevelSummary
from ..core.findings import Finding, Severity
from ..core.model import BudgetRowKind, Form, FormKind, Value
from ..core.scoring import ScoreResult

__all__ = [
    "Attachment",
    "Block",
    "Cell",
    "Heading",
    "Paragraph",
    "ReportDoc",
    "ReportRefused",
    "Table",
    "compose_report",
]


class ReportRefused(ValueError):
    """strict=True and the form still has errors: no report, a Chinese message saying why."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Heading(_Frozen):
    kind: Literal["heading"] = "heading"
    level: Literal[1, 2, 3]
    text: str


Origin = Literal["clerk", "composed", "placeholder"]


class Paragraph(_Frozen):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    origin: Origin = "composed"  # placeholders are highlighted so the clerk sees what is missing


class Cell(_Frozen):
    text: str = ""
    span: int = 1  # columns this cell covers
    merge_up: bool = False  # continues the cell above (an 一级/二级 name spanning several rows)
    align: Literal["center", "left"] = "center"


class Table(_Frozen):
    kind: Literal["table"] = "table"
    name: str  # what the table holds: budget / goals / indicators / findings
    widths_cm: tuple[float, ...]
    header: tuple[tuple[Cell, ...], ...] = ()  # repeated on every page
    rows: tuple[tuple[Cell, ...], ...] = ()


Block = Annotated[Heading | Paragraph | Table, Field(discriminator="kind")]


class Attachment(_Frozen):
    """A page group after the 落款: the 自评表, or the list of unresolved findings."""

    label: str = ""  # “附件” above the title, per GB/T 9704; empty for the findings page
    title: str
    blocks: tuple[Block, ...] = ()
    landscape: bool = True
    removable: bool = False  # the clerk deletes it before sending


class ReportDoc(_Frozen):
    letterhead: str | None = None  # “XX局文件”, only when the report carries a 文号
    doc_number: str | None = None
    title_lines: tuple[str, ...]
    recipient: str
    recipient_is_placeholder: bool = False
    blocks: tuple[Block, ...]
    attachment_note: str | None = None  # “附件：2023年度……自评表” under the body
    issuer: str
    date_text: str
    date_value: date | None = None  # for the document's fixed metadata timestamps
    attachments: tuple[Attachment, ...] = ()
    findings_appendix: Attachment | None = None

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


# ---------------------------------------------------------------------------------------------
# Small formatting helpers: every number goes through fmt_decimal / fmt_percent.

_SENTENCE_END = ("。", "！", "？", "；", ".", "!", "?", ";", "…", "”", "）", ")")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_EDGE_BLANKS = " \t\u3000"
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _lines(text: str) -> list[str]:
    """Clerk text as paragraphs: one per non-blank line, words untouched."""
    return [s.strip(_EDGE_BLANKS) for s in _LINE_BREAK.split(text) if s.strip(_EDGE_BLANKS)]


def _clerk(text: str) -> list[Paragraph]:
    return [Paragraph(text=line, origin="clerk") for line in _lines(text)]


def _placeholder(what: str) -> Paragraph:
    return Paragraph(text=f"（此处填写{what}）", origin="placeholder")


def _money(v: Value) -> str | None:
    n = v.number
    return None if n is None else fmt_decimal(n)


def _points(d: Decimal | None) -> str:
    return fmt_decimal(d) if d is not None else "0"


def _show_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    return fmt_percent(value) if unit == "%" else fmt_decimal(value) + unit


def _year(form: Form) -> str:
    return form.year.text


def _year_prefix(form: Form) -> str:
    y = _year(form)
    return f"{y}年度" if y else "本年度"


def _level_label(name: str) -> str:
    return name if name.endswith("指标") else f"{name}指标"


def _join(names: Sequence[str]) -> str:
    return "、".join(n for n in names if n)


def _parse_date(text: str) -> date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Grouping indicators under their 一级指标 the way evaluate() does (blank 一级 = same as above).


class _Level(_Frozen):
    summary: LevelSummary
    items: tuple[IndicatorResult, ...]


def _levels(evaluation: Evaluation) -> list[_Level]:
    grouped: dict[str, list[IndicatorResult]] = {}
    for item in evaluation.indicators:
        grouped.setdefault(item.level_key, []).append(item)
    return [_Level(summary=summary, items=tuple(grouped.get(summary.key, ())))
            for summary in evaluation.levels]


def _is_met(res: ScoreResult) -> bool:
    return res.error is None and bool(res.met)


# Which free-text analysis belongs under which 一级指标. The department form's 履职效果 covers
# what the project form splits into 产出 and 效益, so both texts go there.
_ANALYSIS_FOR_LEVEL: dict[str, tuple[str, ...]] = {
    "产出": ("output_analysis",),
    "效益": ("benefit_analysis",),
    "满意度": ("satisfaction_analysis",),
    "履职效果": ("output_analysis", "benefit_analysis"),
}
_ANALYSIS_TITLES = {
    "output_analysis": "产出指标完成情况",
    "benefit_analysis": "效益指标完成情况",
    "satisfaction_analysis": "满意度指标完成情况",
}


# ---------------------------------------------------------------------------------------------
# Sentences.


def _budget_paragraphs(form: Form, ev: Evaluation) -> list[Paragraph]:
    year = _year(form)
    main_label = "部门整体支出" if form.kind is FormKind.DEPARTMENT else "项目资金"
    sentences: list[str] = []
    main: BudgetResult | None = ev.main
    if main is None:
        return [Paragraph(text="自评表未填写年度资金预算情况，无法计算预算执行率，预算执行率得分按"
                          f"{_points(ev.execution_score)}分计。")]
    figures = _budget_figures(main, _spent_label(form))
    head = f"{year}年{main_label}" if year else main_label
    rate_text = (f"预算执行率{fmt_percent(ev.execution_rate)}（{_spent_label(form)}÷{_rate_base(ev)}）"
                 if ev.execution_rate is not None
                 else "预算执行率无法计算（预算数未填写或为零）")
    sentences.append(
        f"{head}{figures}，{rate_text}，预算执行率得分{_points(ev.execution_score)}分"
        f"（分值{_points(ev.execution_weight)}分）。"
    )
    subs = []
    for b in ev.budget:
        if b is main:
            continue
        label = b.row.label.text.removeprefix("其中").strip("：: ") or _SUB_LABELS.get(b.row.kind, "")
        rate = f"，执行率{fmt_percent(b.rate)}" if b.rate is not None else ""
        subs.append(f"{label}{_budget_figures(b, _spent_label(form))}{rate}")
    if subs:
        sentences.append("其中：" + "；".join(subs) + "。")
    return [Paragraph(text="".join(sentences))]


_SUB_LABELS = {BudgetRowKind.BASIC: "基本支出", BudgetRowKind.PROJECT: "项目支出",
               BudgetRowKind.SOURCE: "资金来源"}


def _spent_label(form: Form) -> str:
    """What the form calls money spent: the 10号 project table says 全年执行数."""
    return "全年执行数" if form.kind is FormKind.PROJECT else "实际支出数"


def _budget_figures(b: BudgetResult, spent: str) -> str:
    parts = []
    for label, v in (("年初预算数", b.row.initial), ("全年预算数", b.row.full_year),
                     (spent, b.row.actual)):
        m = _money(v)
        parts.append(f"{label}{m}万元" if m is not None else f"{label}未填写")
    return "，".join(parts)


def _rate_base(ev: Evaluation) -> str:
    return "全年预算数" if ev.execution_base == "full_year" else "年初预算数"


def _budget_adjusted(form: Form) -> bool:
    row = form.main_budget_row
    if row is None:
        return False
    i, f = row.initial.number, row.full_year.number
    return i is not None and f is not None and i != f


def _overall_paragraphs(form: Form, ev: Evaluation, levels: list[_Level]) -> list[Paragraph]:
    kind = "部门整体支出" if form.kind is FormKind.DEPARTMENT else "项目支出"
    first = (f"经自评，{form.display_name}{_year_prefix(form)}{kind}绩效自评得分"
             f"{_points(ev.total)}分（各项指标分值合计{_points(ev.total_weight)}分"
             + (f"，应为{_points(ev.expected_total)}分" if ev.total_weight != ev.expected_total else "")
             + "），"
             f"自评等级为“{ev.grade}”。")
    parts = []
    if ev.execution_rate is not None:
        parts.append(f"预算执行率{fmt_percent(ev.execution_rate)}，得分{_points(ev.execution_score)}分"
                     f"（分值{_points(ev.execution_weight)}分）")
    else:
        parts.append(f"预算执行率无法计算，得分{_points(ev.execution_score)}分"
                     f"（分值{_points(ev.execution_weight)}分）")
    for lv in levels:
        s = lv.summary
        parts.append(f"{_level_label(s.name)}得分{_points(s.score)}分（分值{_points(s.weight)}分）")
    second = "其中，" + "；".join(parts) + "。"
    if ev.deductions:
        second += f"巡视、审计、财政监督发现问题扣{_points(ev.deductions)}分。"

    results = [i.result for i in ev.indicators]
    n_all = len(results)
    n_met = sum(1 for r in results if _is_met(r))
    n_error = sum(1 for r in results if r.error is not None)
    n_missed = n_all - n_met - n_error
    third = f"自评表共填报三级指标{n_all}项，其中{n_met}项达到年度目标"
    if n_missed:
        third += f"，{n_missed}项未完全达到年度目标"
    if n_error:
        third += f"，{n_error}项因填报问题未能计分（按0分计）"
    third += "。"
    return [Paragraph(text=first), Paragraph(text=second), Paragraph(text=third)]


def _indicator_sentence(item: IndicatorResult) -> str:
    ind, res = item.indicator, item.result
    name = ind.name or "（未命名指标）"
    weight = f"（分值{_points(res.weight)}分）" if res.weight is not None else "（分值未填写）"
    if res.error is not None:
        text = (f"{name}未能计分：{res.error.message}，该项按0分计{weight}。")
    elif res.qualitative:
        text = (f"{name}为定性指标，年度目标为“{ind.target.text}”，完成比例"
                f"{fmt_percent(res.completion)}，评价档次为“{res.band}”，"
                f"得分{_points(res.score)}分{weight}。")
    else:
        target = ind.parsed_target()
        actual = ind.parsed_actual()
        shown = "实际完成" + _show_value(actual.value, actual.unit)
        text = (f"{name}年度目标为{target.describe()}，{shown}，完成率"
                f"{fmt_percent(res.completion)}，得分{_points(res.score)}分{weight}。")
    reason = ind.reason.text
    if reason:
        text += f"偏差原因：{reason}" + ("" if reason.endswith(_SENTENCE_END) else "。")
    elif res.error is None:
        text += "自评表未填写偏差原因分析及改进措施。"
    return text


def _level_paragraphs(lv: _Level) -> list[Paragraph]:
    s = lv.summary
    expected = ""
    if s.expected_weight is not None and s.expected_weight != s.weight:
        expected = f"（规则配置的一级指标分值为{_points(s.expected_weight)}分）"
    errors = [i for i in lv.items if i.result.error is not None]
    head = (f"{_level_label(s.name)}共{s.count}项，分值{_points(s.weight)}分{expected}，"
            f"得分{_points(s.score)}分")
    if errors:
        head += f"（其中{len(errors)}项未能计分，按0分计）"
    head += "。"
    met = [i for i in lv.items if _is_met(i.result)]
    if met and len(met) == len(lv.items):
        head += f"{len(met)}项指标全部达到年度目标：{_join([i.indicator.name for i in met])}。"
    elif met:
        head += f"{len(met)}项指标达到年度目标：{_join([i.indicator.name for i in met])}。"
    elif lv.items:
        head += "没有指标完全达到年度目标。"
    out = [Paragraph(text=head)]
    for item in lv.items:
        if not _is_met(item.result):
            out.append(Paragraph(text=_indicator_sentence(item)))
    return out


def _problems_from_table(ev: Evaluation) -> list[Paragraph]:
    missed = [i for i in ev.indicators if i.result.error is None and not i.result.met]
    errors = [i for i in ev.indicators if i.result.error is not None]
    ordinals = iter("一二三四")
    parts = []
    if missed:
        listed = _join([f"{i.indicator.name}（{'完成比例' if i.result.qualitative else '完成率'}"
                        f"{fmt_percent(i.result.completion)}）" for i in missed])
        parts.append(f"{next(ordinals)}是部分指标未达到年度目标：{listed}。")
    if errors:
        parts.append(f"{next(ordinals)}是部分指标的年度指标值或实际完成值填报不规范，未能计分："
                     f"{_join([i.indicator.name for i in errors])}。")
    return [Paragraph(text="".join(parts))] if parts else []


def _performance_goals_from_table(form: Form, levels: list[_Level]) -> list[Paragraph]:
    out = _clerk(form.goals_expected.text)
    if levels:
        per_level = "；".join(
            f"{_level_label(lv.summary.name)}{lv.summary.count}项（分值{_points(lv.summary.weight)}分）"
            for lv in levels
        )
        n = sum(lv.summary.count for lv in levels)
        lead = "围绕上述目标，" if out else ""
        what = "年度整体支出绩效目标" if form.kind is FormKind.DEPARTMENT else "项目年度绩效目标"
        out.append(Paragraph(text=f"{lead}{what}设置一级指标{len(levels)}个、三级指标{n}项：{per_level}。"))
    return out


# ---------------------------------------------------------------------------------------------
# The attached 自评表.

_INDICATOR_WIDTHS = (2.2, 2.4, 4.0, 4.6, 1.9, 1.3, 1.5, 6.6)
_BUDGET_WIDTHS = (5.3, 3.4, 3.4, 3.4, 3.0, 3.0, 3.0)


def _self_evaluation_table(form: Form, ev: Evaluation) -> list[Heading | Paragraph | Table]:
    blocks: list[Heading | Paragraph | Table] = []
    name_label = "部门（单位）名称" if form.kind is FormKind.DEPARTMENT else "项目名称"
    blocks.append(Paragraph(text=f"{name_label}：{form.name.text}", origin="composed"))

    spent = _spent_label(form)
    header = (tuple(Cell(text=t) for t in ("年度资金预算情况", "年初预算数（万元）", "全年预算数（万元）",
                                            f"{spent}（万元）", "执行率", "分值", "得分")),)
    rows = []
    for b in ev.budget:
        is_main = b is ev.main
        rows.append((
            Cell(text=b.row.label.text, align="left"),
            Cell(text=b.row.initial.shown),
            Cell(text=b.row.full_year.shown),
            Cell(text=b.row.actual.shown),
            Cell(text=fmt_percent(b.rate) if b.rate is not None else "—"),
            Cell(text=_points(ev.execution_weight) if is_main else b.row.weight.shown),
            Cell(text=_points(ev.execution_score) if is_main else ""),
        ))
    blocks.append(Table(name="budget", widths_cm=_BUDGET_WIDTHS, header=header, rows=tuple(rows)))

    if not (form.goals_expected.is_blank and form.goals_actual.is_blank):
        blocks.append(Table(
            name="goals", widths_cm=(12.25, 12.25),
            header=((Cell(text="年度总体绩效目标（预期目标）"), Cell(text="目标实际完成情况")),),
            rows=((Cell(text=form.goals_expected.text, align="left"),
                   Cell(text=form.goals_actual.text, align="left")),),
        ))

    header = (tuple(Cell(text=t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                            "分值", "得分", "偏差原因分析及改进措施")),)
    rows = []
    for n, item in enumerate(ev.indicators):
        ind, res = item.indicator, item.result
        l1_cont = n > 0 and ind.level1.is_blank
        l2_cont = l1_cont and ind.level2.is_blank
        rows.append((
            Cell(text=ind.level1.text, merge_up=l1_cont),
            Cell(text=ind.level2.text, merge_up=l2_cont),
            Cell(text=ind.level3.text, align="left"),
            Cell(text=ind.target.text, align="left"),
            Cell(text=ind.actual.shown),
            Cell(text=ind.weight.text),
            Cell(text=_points(res.score) if res.error is None else "未计分"),
            Cell(text=ind.reason.text, align="left"),
        ))
    if ev.deductions:
        rows.append((Cell(text="巡视、审计、财政监督发现问题扣分", span=5), Cell(text=""),
                     Cell(text=f"-{_points(ev.deductions)}"), Cell(text="")))
    rows.append((Cell(text="合计", span=5), Cell(text=_points(ev.total_weight)),
                 Cell(text=_points(ev.total)), Cell(text=form.total_note.text, align="left")))
    rows.append((Cell(text="自评等级", span=5), Cell(text=ev.grade, span=3)))
    blocks.append(Table(name="indicators", widths_cm=_INDICATOR_WIDTHS, header=header,
                        rows=tuple(rows)))
    if not form.other_notes.is_blank:
        blocks.append(Paragraph(text=f"其他需要说明的问题：{form.other_notes.text}", origin="clerk"))
    blocks.append(Paragraph(text="注：执行率、得分、合计及自评等级按评分规则重新计算。"))
    return blocks


def _findings_appendix(findings: Sequence[Finding]) -> Attachment | None:
    shown = sorted((f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)),
                   key=lambda f: f.severity.rank)
    if not shown:
        return None
    n_err = sum(1 for f in shown if f.severity is Severity.ERROR)
    n_warn = len(shown) - n_err
    intro = (f"检查发现{len(shown)}个尚未更正的问题（错误{n_err}个、警告{n_warn}个）。"
             "报告正文中的执行率、得分、合计和等级均已按评分规则重新计算，没有采用自评表中填写的数字。"
             "请更正自评表后重新生成报告；本页只供核对，报送财政局前可整页删除。")
    rows = tuple(
        (Cell(text=str(n)), Cell(text=f.severity.label), Cell(text=f.code),
         Cell(text=f.location), Cell(text=f.message, align="left"))
        for n, f in enumerate(shown, 1)
    )
    table = Table(
        name="findings", widths_cm=(1.3, 1.6, 2.0, 4.0, 15.6),
        header=(tuple(Cell(text=t) for t in ("序号", "级别", "代码", "单元格", "问题说明")),),
        rows=rows,
    )
    return Attachment(title="未更正的检查问题（报送前可删除本页）", removable=True,
                      blocks=(Paragraph(text=intro), table))


# ---------------------------------------------------------------------------------------------


def compose_report(form: Form, evaluation: Evaluation, findings: Sequence[Finding] = (), *,
                   strict: bool = False) -> ReportDoc:
    """The 自评报告 of `form`, with the figures of `evaluation`; see the module docstring.

    With ``strict=True`` a form that still has error findings gets no report: `ReportRefused`.
    """
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if strict and errors:
        listed = "；".join(str(f) for f in errors[:5]) + ("……" if len(errors) > 5 else "")
        raise ReportRefused(f"自评表还有{len(errors)}个错误未更正，严格模式下不生成自评报告：{listed}")

    nar = form.narrative
    ev = evaluation
    levels = _levels(ev)
    year_prefix = _year_prefix(form)
    issuer = nar.text("issuer") or form.name.text or form.display_name
    doc_number = nar.text("doc_number") or None
    recipient = nar.text("recipient")
    is_dept = form.kind is FormKind.DEPARTMENT
    kind_words = "整体支出" if is_dept else "项目支出"

    blocks: list[Heading | Paragraph | Table] = []
    add = blocks.append

    def clerk_or_placeholder(key: str, what: str) -> None:
        paras = _clerk(nar.text(key))
        blocks.extend(paras or [_placeholder(what)])

    add(Paragraph(text=f"按照财政部门关于开展{year_prefix}绩效自评工作的要求，现将我单位"
                       f"{year_prefix}{'部门整体支出' if is_dept else '项目支出'}绩效自评情况报告如下："))

    add(Heading(level=1, text="一、部门概况"))
    add(Heading(level=2, text="（一）部门主要职能"))
    clerk_or_placeholder("functions", "部门主要职能")
    add(Heading(level=2, text="（二）当年部门履职总体目标、工作人员"))
    clerk_or_placeholder("overall_goal", "当年部门履职总体目标")
    clerk_or_placeholder("staffing", "机构设置与人员编制情况")
    add(Heading(level=2, text="（三）当年部门年度整体支出绩效目标" if is_dept
                else "（三）项目年度绩效目标"))
    goals = _clerk(nar.text("performance_goals")) or _performance_goals_from_table(form, levels)
    blocks.extend(goals or [_placeholder("年度绩效目标")])
    add(Heading(level=2, text="（四）部门预算绩效管理开展情况"))
    clerk_or_placeholder("management", "部门预算绩效管理开展情况")
    add(Heading(level=2, text="（五）当年部门预算及执行情况" if is_dept else "（五）项目预算及执行情况"))
    blocks.extend(_budget_paragraphs(form, ev))
    blocks.extend(_clerk(nar.text("budget_execution")))
    adjustment = _clerk(nar.text("adjustment_reason"))
    if adjustment:
        blocks.extend(adjustment)
    elif _budget_adjusted(form):
        add(_placeholder("年初预算数调整为全年预算数的原因"))

    add(Heading(level=1, text=f"二、{'部门整体支出' if is_dept else '项目支出'}绩效实际情况"))
    add(Heading(level=2, text="（一）总体绩效目标完成情况分析"))
    blocks.extend(_overall_paragraphs(form, ev, levels))
    completion = _clerk(nar.text("goal_completion")) or _clerk(form.goals_actual.text)
    blocks.extend(completion)
    add(Heading(level=2, text="（二）各项指标完成情况"))
    used: set[str] = set()
    number = 0
    for lv in levels:
        number += 1
        add(Heading(level=3, text=f"{number}.{_level_label(lv.summary.name)}完成情况"))
        blocks.extend(_level_paragraphs(lv))
        for key in _ANALYSIS_FOR_LEVEL.get(lv.summary.key, ()):
            if key not in used:
                used.add(key)
                blocks.extend(_clerk(nar.text(key)))
    # Analysis the clerk wrote for a 一级指标 this form does not have is kept, not dropped.
    for key, title in _ANALYSIS_TITLES.items():
        if key not in used and nar.text(key):
            number += 1
            add(Heading(level=3, text=f"{number}.{title}"))
            blocks.extend(_clerk(nar.text(key)))

    add(Heading(level=1, text=f"三、{'部门整体支出' if is_dept else '项目支出'}绩效中存在的问题及改进措施"))
    add(Heading(level=2, text="（一）存在问题"))
    problems = _clerk(nar.text("problems")) or _problems_from_table(ev)
    blocks.extend(problems or [_placeholder("存在的问题")])
    add(Heading(level=2, text="（二）改进的方向和具体措施"))
    clerk_or_placeholder("measures", "改进的方向和具体措施")

    table_title = form.title.text or f"{year_prefix}{form.kind.title}"
    attachment = Attachment(label="附件", title=table_title, blocks=tuple(_self_evaluation_table(form, ev)))
    date_text = nar.text("report_date")

    return ReportDoc(
        letterhead=f"{issuer}文件" if doc_number else None,
        doc_number=doc_number,
        title_lines=(form.display_name, f"{year_prefix}{kind_words}绩效自评报告"),
        recipient=recipient or "（此处填写主送机关）",
        recipient_is_placeholder=not recipient,
        blocks=tuple(blocks),
        attachment_note=f"附件：{table_title}",
        issuer=issuer,
        date_text=date_text or "　　年　　月　　日",
        date_value=_parse_date(date_text),
        attachments=(attachment,),
        findings_appendix=_findings_appendix(findings),
    )
