"""Compose the narrative 自评报告 from a form: pure data in, `ReportDoc` out.

The report is the department's own document, in the structure of the seed (正人社发〔2024〕57号):
the notice it answers, 一、部门概况 (一)…(五), 二、绩效实际情况 ((一) the overall result, (二) the
indicators under 1.产出 2.效益 3.效益分析 4.满意度), 三、存在的问题及改进措施, the 落款, the 版记
and the 自评表 as an attachment.

Where each paragraph comes from:

* The clerk's 报告素材, verbatim, under the heading it belongs to (split into paragraphs on line
  breaks; the first-line indent comes from the style).
* Composed from the form's cells, in the department's voice: the budget sentence of 一（五）, the
  result of 二（一）, one sentence per 一级指标 (and per outline part of a 一级指标 that spans two,
  such as 履职效果's 部门履职目标 → 产出 and 部门效果目标 → 效益), one sentence per indicator that
  did not meet its target with the clerk's 偏差原因, and 三（一） when the clerk wrote none.

Every figure is the form's: what a score, rate, 合计 or 等级 cell states, and only where a cell
holds no number (a formula never calculated) the figure the cell's formula computes. The form's
PDF and the report therefore never disagree. A form with errors gets a report only as a draft
(`draft=True`): the figures are still the form's, and each finding is a Word comment (批注)
anchored on the sentence or table cell built from the cell it concerns. Without `draft`, such a
form raises `ReportRefused` (PE950). An unscorable row is never given a score here; its comment
says what to fix.

Nothing in the body is a placeholder, a rule code or a checker's phrase: an optional section
the clerk left empty is left out (the numbering closes up); a missing 主送机关 or 报告日期 leaves
its line out and, in a draft, says so in a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from perfeval.core.errors import EXIT_ERRORS, CodedError

from ..core.decimal_math import fmt_decimal, fmt_percent
from ..core.evaluate import Evaluation, IndicatorResult
from ..core.findings import Finding, Severity
from ..core.model import BudgetRowKind, Form, FormKind, Indicator, Value, effective_names
from ..core.profiles import Profile
from ..core.scoring import grade as grade_of

__all__ = [
    "Attachment",
    "Block",
    "Cell",
    "Heading",
    "Imprint",
    "Note",
    "Paragraph",
    "ReportDoc",
    "ReportRefused",
    "Table",
    "compose_opinions",
    "compose_report",
]


class ReportRefused(CodedError):
    """The form still has errors and no draft was asked for (PE950, exit 1)."""

    CODE = "PE950"
    exit_code = EXIT_ERRORS


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Note(_Frozen):
    """A 批注 of a draft: what is wrong with the text it is anchored on, and what to do."""

    text: str
    code: str = ""
    severity: Severity = Severity.INFO


class Heading(_Frozen):
    kind: Literal["heading"] = "heading"
    level: Literal[1, 2, 3]
    text: str


Origin = Literal["clerk", "composed"]


class Paragraph(_Frozen):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    origin: Origin = "composed"
    sources: tuple[str, ...] = ()  # the form cells ("自评表!G37") this paragraph states
    notes: tuple[Note, ...] = ()


class Cell(_Frozen):
    text: str = ""
    span: int = 1  # columns this cell covers
    merge_up: bool = False  # continues the cell above (an 一级/二级 name spanning several rows)
    align: Literal["center", "left"] = "center"
    sources: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()


class Table(_Frozen):
    kind: Literal["table"] = "table"
    name: str  # what the table holds: budget / goals / indicators / findings
    widths_cm: tuple[float, ...]
    header: tuple[tuple[Cell, ...], ...] = ()  # repeated on every page
    rows: tuple[tuple[Cell, ...], ...] = ()


Block = Annotated[Heading | Paragraph | Table, Field(discriminator="kind")]


class Attachment(_Frozen):
    """A page group after the 落款: the 自评表."""

    label: str = ""  # “附件” above the title, per GB/T 9704
    title: str
    blocks: tuple[Block, ...] = ()
    landscape: bool = True


class Imprint(_Frozen):
    """The 版记 (GB/T 9704 7.4): 印发机关, 印发日期 and, as the seed has it, the number of copies."""

    printer: str
    date_text: str = ""
    copies: str = ""


class ReportDoc(_Frozen):
    letterhead: str | None = None  # “XX局文件”, only when the report carries a 文号
    doc_number: str | None = None
    title_lines: tuple[str, ...]
    recipient: str = ""  # empty: no 主送 line
    blocks: tuple[Block, ...]
    attachment_note: str | None = None  # “附件：2023年度……自评表” under the body
    issuer: str = ""
    date_text: str = ""  # empty: no date line
    date_value: date | None = None  # for the document's fixed metadata timestamps
    imprint: Imprint | None = None
    attachments: tuple[Attachment, ...] = ()
    draft: bool = False  # “草稿” in the header; comments carry the findings
    title_notes: tuple[Note, ...] = ()  # comments on the title: findings that concern no text
    subject: str = "绩效自评报告"

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def notes(self) -> list[Note]:
        """Every comment of the document, in document order."""
        out = list(self.title_notes)
        for block in self._all_blocks():
            if isinstance(block, Paragraph):
                out += block.notes
            elif isinstance(block, Table):
                out += [n for row in (*block.header, *block.rows) for c in row for n in c.notes]
        return out

    def _all_blocks(self):
        yield from self.blocks
        for att in self.attachments:
            yield from att.blocks


# ---------------------------------------------------------------------------------------------
# Small helpers: every number goes through fmt_decimal / fmt_percent.

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_EDGE_BLANKS = " \t\u3000"
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SENTENCE_END = ("。", "！", "？", "；", ".", "!", "?", ";", "…", "”", "）", ")")
_ORDINALS = "一二三四五六七八九十"


def _lines(text: str) -> list[str]:
    """Clerk text as paragraphs: one per non-blank line, words untouched."""
    return [s.strip(_EDGE_BLANKS) for s in _LINE_BREAK.split(text) if s.strip(_EDGE_BLANKS)]


def _src(*values: Value | None) -> tuple[str, ...]:
    return tuple(str(v.loc) for v in values if v is not None and v.loc is not None)


def _clerk(value: Value | None) -> list[Paragraph]:
    if value is None:
        return []
    return [Paragraph(text=line, origin="clerk", sources=_src(value)) for line in _lines(value.text)]


def _sentence(text: str) -> str:
    return text if text.endswith(_SENTENCE_END) else text + "。"


def _points(d: Decimal | None) -> str:
    return fmt_decimal(d) if d is not None else ""


def _year_prefix(form: Form) -> str:
    y = form.year.text
    return f"{y}年度" if y else "本年度"


def _level_label(name: str) -> str:
    return name if name.endswith("指标") else f"{name}指标"


def _join(names: Iterable[str]) -> str:
    return "、".join(n for n in names if n)


def _parse_date(text: str) -> date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if n <= len(_ORDINALS) else str(n)


def _indicator_cells(ind: Indicator) -> tuple[str, ...]:
    return _src(ind.level1, ind.level2, ind.level3, ind.target, ind.actual, ind.weight, ind.score,
                ind.reason, ind.kind, ind.direction)


# ---------------------------------------------------------------------------------------------
# The form's figures: what a cell states, or what its formula computes where it holds no number.


class _Figures:
    def __init__(self, form: Form, ev: Evaluation, profile: Profile | None) -> None:
        main = form.main_budget_row
        self.rates: dict[int, Decimal | None] = {}
        for i, b in enumerate(ev.budget):
            self.rates[i] = b.row.stated_rate.number if b.row.stated_rate.number is not None else b.rate
        self.exec_score = (main.score.number if main is not None and main.score.number is not None
                           else ev.execution_score)
        self.exec_weight = ev.execution_weight
        self.item: dict[int, Decimal | None] = {}
        for item in ev.indicators:
            stated = item.indicator.score.number
            self.item[item.indicator.row] = (stated if stated is not None
                                             else item.result.score if item.result.error is None else None)
        self.level: dict[str, Decimal] = {}
        for item in ev.indicators:
            self.level[item.level_key] = (self.level.get(item.level_key, Decimal(0))
                                          + (self.item[item.indicator.row] or Decimal(0)))
        stated_total = form.stated_total_score.number
        self.total = stated_total if stated_total is not None else ev.total
        stated_weight = form.stated_total_weight.number
        self.total_weight = stated_weight if stated_weight is not None else ev.total_weight
        if form.stated_grade.text:
            self.grade = form.stated_grade.text
        elif self.total == ev.total or profile is None:
            self.grade = ev.grade
        else:
            self.grade = grade_of(self.total, profile)  # what the form's GRADE formula shows


# ---------------------------------------------------------------------------------------------
# Where an indicator goes in the seed's outline: 1.产出 2.效益 4.满意度; other 一级指标 (部门管理,
# 能力建设 …) are stated at the head of 二（二）.

_OUTPUT, _BENEFIT, _SATISFACTION = "output", "benefit", "satisfaction"
_OUTLINE = ((_OUTPUT, "产出指标完成情况", "output_analysis"),
            (_BENEFIT, "效益指标完成情况", "benefit_analysis"),
            (None, "效益指标完成情况分析", "benefit_review"),
            (_SATISFACTION, "满意度指标完成情况", "satisfaction_analysis"))


def _outline_part(level1: str, level2: str) -> str | None:
    l1, l2 = "".join(level1.split()), "".join(level2.split())
    if "满意" in l1:
        return _SATISFACTION
    if "产出" in l1 or "成本" in l1:
        return _OUTPUT
    if "效益" in l1:
        return _BENEFIT
    if "履职" in l1 or "效果" in l1:
        # The department form's 履职效果 holds both: 部门履职目标 (outputs) and 部门效果目标 /
        # 社会影响 (benefits).
        return _BENEFIT if any(k in l2 for k in ("效果", "效益", "影响")) else _OUTPUT
    return None


class _Group:
    """Indicators of one 一级指标 that fall in one outline part."""

    def __init__(self, level_key: str, level_name: str, part: str | None) -> None:
        self.level_key, self.level_name, self.part = level_key, level_name, part
        self.items: list[IndicatorResult] = []
        self.level2: list[str] = []


def _groups(ev: Evaluation) -> list[_Group]:
    names = effective_names([i.indicator for i in ev.indicators])
    level_names = {lv.key: lv.name for lv in ev.levels}
    groups: dict[tuple[str, str | None], _Group] = {}
    for item, (l1, l2, _) in zip(ev.indicators, names, strict=True):
        part = _outline_part(l1 or level_names.get(item.level_key, ""), l2)
        g = groups.setdefault((item.level_key, part),
                              _Group(item.level_key, level_names.get(item.level_key, item.level_key), part))
        g.items.append(item)
        if l2 and l2 not in g.level2:
            g.level2.append(l2)
    return list(groups.values())


def _met(item: IndicatorResult) -> bool:
    return item.result.error is None and bool(item.result.met)


def _missed(item: IndicatorResult) -> bool:
    return item.result.error is None and item.result.met is False


# ---------------------------------------------------------------------------------------------
# Sentences.


def _intro(form: Form, is_dept: bool) -> Paragraph:
    nar = form.narrative
    title = nar.text("notice_title").strip("《》〈〉 ")
    number = nar.text("notice_number").strip("（）() ")
    what = f"现将我单位{_year_prefix(form)}{'部门整体支出' if is_dept else '项目支出'}绩效自评情况报告如下："
    if title and number:
        head = f"按照《{title}》（{number}）精神，"
    elif title:
        head = f"按照《{title}》要求，"
    elif number:
        head = f"按照{nar.text('recipient') or '财政部门'}关于开展绩效自评工作的通知（{number}）要求，"
    else:
        head = f"按照财政部门关于开展{_year_prefix(form)}绩效自评工作的要求，"
    sections = nar.sections
    return Paragraph(text=head + what, sources=_src(sections.get("notice_title"), sections.get("notice_number")))


def _spent_label(form: Form) -> str:
    """What the form calls money spent: the 10号 project table says 全年执行数."""
    return "全年执行数" if form.kind is FormKind.PROJECT else "实际支出数"


_SUB_LABELS = {BudgetRowKind.BASIC: "基本支出", BudgetRowKind.PROJECT: "项目支出",
               BudgetRowKind.SOURCE: "资金来源"}


def _money_clauses(row, spent: str) -> list[str]:
    out = []
    for label, v in (("年初预算数", row.initial), ("全年预算数", row.full_year), (spent, row.actual)):
        if v.number is not None:
            out.append(f"{label}{fmt_decimal(v.number)}万元")
    return out


def _budget_paragraphs(form: Form, ev: Evaluation, fig: _Figures) -> list[Paragraph]:
    if ev.main is None:
        return []
    spent = _spent_label(form)
    main_index = next(i for i, b in enumerate(ev.budget) if b is ev.main)
    row = ev.main.row
    clauses = _money_clauses(row, spent)
    rate = fig.rates[main_index]
    if rate is not None:
        clauses.append(f"预算执行率{fmt_percent(rate)}")
    clauses.append(f"预算执行率得分{_points(fig.exec_score)}分（分值{_points(fig.exec_weight)}分）")
    main_label = "部门整体支出" if form.kind is FormKind.DEPARTMENT else "项目资金"
    year = form.year.text
    text = f"{year}年{main_label}" if year else main_label
    text += "，".join(clauses) + "。"
    sources = list(_src(*(getattr(row, k) for k in ("label", "initial", "full_year", "actual",
                                                     "stated_rate", "weight", "score"))))
    subs = []
    for i, b in enumerate(ev.budget):
        if b is ev.main:
            continue
        parts = _money_clauses(b.row, spent)
        if fig.rates[i] is not None:
            parts.append(f"执行率{fmt_percent(fig.rates[i])}")
        if not parts:
            continue
        label = b.row.label.text.removeprefix("其中").strip("：: ") or _SUB_LABELS.get(b.row.kind, "")
        subs.append(label + "，".join(parts))
        sources += _src(b.row.initial, b.row.full_year, b.row.actual, b.row.stated_rate)
    if subs:
        text += "其中：" + "；".join(subs) + "。"
    return [Paragraph(text=text, sources=tuple(sources))]


def _overall_paragraphs(form: Form, ev: Evaluation, fig: _Figures, is_dept: bool) -> list[Paragraph]:
    who = "我单位" if is_dept else "本项目"
    kind = "部门整体支出" if is_dept else "项目支出"
    first = f"经自评，{who}{_year_prefix(form)}{kind}绩效自评得分{_points(fig.total)}分，自评等级为“{fig.grade}”。"
    main = form.main_budget_row
    parts = [f"预算执行率得分{_points(fig.exec_score)}分（分值{_points(fig.exec_weight)}分）"] if main else []
    for lv in ev.levels:
        parts.append(f"{_level_label(lv.name)}得分{_points(fig.level.get(lv.key))}分"
                     f"（分值{_points(lv.weight)}分）")
    if parts:
        first += "其中，" + "；".join(parts) + "。"
    deduction = sum((d.points.number or Decimal(0) for d in form.deductions), Decimal(0))
    if deduction:
        first += f"巡视、审计、财政监督发现问题扣{fmt_decimal(deduction)}分。"
    sources = _src(form.stated_total_score, form.stated_total_weight, form.stated_grade)
    if main is not None:
        sources += _src(main.score, main.weight)
    sources += tuple(s for d in form.deductions for s in _src(d.points))
    out = [Paragraph(text=first, sources=sources)]
    n_all = len(ev.indicators)
    if n_all:
        n_met = sum(1 for i in ev.indicators if _met(i))
        n_missed = sum(1 for i in ev.indicators if _missed(i))
        text = f"{_year_prefix(form)}共设置三级指标{n_all}项，其中{n_met}项达到年度目标"
        if n_missed:
            text += f"，{n_missed}项未完全达到年度目标"
        out.append(Paragraph(text=text + "。"))
    return out


def _missed_sentence(item: IndicatorResult) -> Paragraph:
    ind, res = item.indicator, item.result
    name = ind.name
    text = f"{name}年度指标值为“{ind.target.text}”，实际完成{ind.actual.shown}"
    if res.qualitative and res.band:
        text += f"，评价为“{res.band}”"
    text += "，未完全达到年度目标。"
    if ind.reason.text:
        text += _sentence(f"偏差原因及改进措施：{ind.reason.text}")
    return Paragraph(text=text, sources=_indicator_cells(ind))


def _group_paragraphs(g: _Group, ev: Evaluation, fig: _Figures, whole: bool) -> list[Paragraph]:
    lv = next(lv for lv in ev.levels if lv.key == g.level_key)
    met = [i for i in g.items if _met(i)]
    if whole:
        head = (f"{_level_label(lv.name)}共{lv.count}项，分值{_points(lv.weight)}分，"
                f"自评得分{_points(fig.level.get(lv.key))}分")
    else:
        head = f"{_level_label(lv.name)}中，{_join(g.level2) or '其他指标'}共{len(g.items)}项"
    if met and len(met) == len(g.items):
        head += "，各项指标均达到年度目标。"
    elif met:
        head += f"，其中{len(met)}项达到年度目标。"
    else:
        head += "。"
    first = g.items[0].indicator
    out = [Paragraph(text=head, sources=_src(first.level1) if whole else ())]
    out += [_missed_sentence(i) for i in g.items if _missed(i)]
    return out


def _indicator_section(form: Form, ev: Evaluation, fig: _Figures) -> tuple[list[Paragraph], list[Heading | Paragraph]]:
    """(paragraphs under （二） before its parts, the numbered parts with their paragraphs)."""
    groups = _groups(ev)
    parts_per_level: dict[str, set[str | None]] = {}
    for g in groups:
        parts_per_level.setdefault(g.level_key, set()).add(g.part)
    lead: list[Paragraph] = []
    for g in groups:
        if g.part is None:
            lead += _group_paragraphs(g, ev, fig, whole=True)
    nar = form.narrative
    numbered: list[Heading | Paragraph] = []
    n = 0
    for part, title, key in _OUTLINE:
        content: list[Paragraph] = []
        if part is not None:
            for g in groups:
                if g.part == part:
                    content += _group_paragraphs(g, ev, fig, whole=len(parts_per_level[g.level_key]) == 1)
        content += _clerk(nar.sections.get(key))
        if content:
            n += 1
            numbered.append(Heading(level=3, text=f"{n}.{title}"))
            numbered += content
    return lead, numbered


def _problems_from_table(ev: Evaluation) -> list[Paragraph]:
    missed = [i for i in ev.indicators if _missed(i)]
    if not missed:
        return []
    return [Paragraph(text=f"部分指标未达到年度目标：{_join(i.indicator.name for i in missed)}。",
                      sources=tuple(s for i in missed for s in _src(i.indicator.actual)))]


def _performance_goals_from_table(form: Form, ev: Evaluation) -> list[Paragraph]:
    out = _clerk(form.goals_expected)
    if ev.levels:
        per_level = "；".join(f"{_level_label(lv.name)}{lv.count}项（分值{_points(lv.weight)}分）" for lv in ev.levels)
        n = sum(lv.count for lv in ev.levels)
        lead = "围绕上述目标，" if out else ""
        what = "年度整体支出绩效目标" if form.kind is FormKind.DEPARTMENT else "项目年度绩效目标"
        out.append(Paragraph(text=f"{lead}{what}设置一级指标{len(ev.levels)}个、三级指标{n}项：{per_level}。"))
    return out


class _Body:
    """Headings numbered as they are emitted, so a section left out closes the numbering up."""

    def __init__(self) -> None:
        self.blocks: list[Heading | Paragraph | Table] = []
        self._top = 0

    def top(self, title: str, subsections: Sequence[tuple[str, Sequence[Heading | Paragraph]]]) -> None:
        present = [(t, body) for t, body in subsections if body]
        if not present:
            return
        self._top += 1
        self.blocks.append(Heading(level=1, text=f"{_ordinal(self._top)}、{title}"))
        for n, (t, body) in enumerate(present, 1):
            self.blocks.append(Heading(level=2, text=f"（{_ordinal(n)}）{t}"))
            self.blocks.extend(body)


# ---------------------------------------------------------------------------------------------
# The attached 自评表: as the form shows it.

_INDICATOR_WIDTHS = (2.2, 2.4, 4.0, 4.6, 1.9, 1.3, 1.5, 6.6)
_BUDGET_WIDTHS = (5.3, 3.4, 3.4, 3.4, 3.0, 3.0, 3.0)


def _cell(v: Value, text: str | None = None, *, align: Literal["center", "left"] = "center") -> Cell:
    return Cell(text=v.shown if text is None else text, align=align, sources=_src(v))


def _self_evaluation_table(form: Form, ev: Evaluation, fig: _Figures) -> list[Heading | Paragraph | Table]:
    blocks: list[Heading | Paragraph | Table] = []
    name_label = "部门（单位）名称" if form.kind is FormKind.DEPARTMENT else "项目名称"
    blocks.append(Paragraph(text=f"{name_label}：{form.name.text}", sources=_src(form.name)))

    spent = _spent_label(form)
    header = (tuple(Cell(text=t) for t in ("年度资金预算情况", "年初预算数（万元）", "全年预算数（万元）",
                                            f"{spent}（万元）", "执行率", "分值", "得分")),)
    rows = []
    for i, b in enumerate(ev.budget):
        is_main = b is ev.main
        rate = fig.rates[i]
        r = b.row
        rows.append((
            _cell(r.label, align="left"),
            _cell(r.initial),
            _cell(r.full_year),
            _cell(r.actual),
            _cell(r.stated_rate, fmt_percent(rate) if rate is not None else ""),
            _cell(r.weight, _points(fig.exec_weight) if is_main else r.weight.shown),
            _cell(r.score, _points(fig.exec_score) if is_main else r.score.shown),
        ))
    blocks.append(Table(name="budget", widths_cm=_BUDGET_WIDTHS, header=header, rows=tuple(rows)))

    if not (form.goals_expected.is_blank and form.goals_actual.is_blank):
        blocks.append(Table(
            name="goals", widths_cm=(12.25, 12.25),
            header=((Cell(text="年度总体绩效目标（预期目标）"), Cell(text="目标实际完成情况")),),
            rows=((_cell(form.goals_expected, align="left"), _cell(form.goals_actual, align="left")),),
        ))

    header = (tuple(Cell(text=t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                            "分值", "得分", "偏差原因分析及改进措施")),)
    rows = []
    for n, item in enumerate(ev.indicators):
        ind = item.indicator
        l1_cont = n > 0 and ind.level1.is_blank
        l2_cont = l1_cont and ind.level2.is_blank
        score = fig.item[ind.row]
        rows.append((
            Cell(merge_up=True) if l1_cont else _cell(ind.level1),
            Cell(merge_up=True) if l2_cont else _cell(ind.level2),
            _cell(ind.level3, align="left"),
            _cell(ind.target, ind.target.text, align="left"),
            _cell(ind.actual),
            _cell(ind.weight, ind.weight.text),
            _cell(ind.score, _points(score)),
            _cell(ind.reason, ind.reason.text, align="left"),
        ))
    deduction = sum((d.points.number or Decimal(0) for d in form.deductions), Decimal(0))
    if deduction:
        rows.append((Cell(text="巡视、审计、财政监督发现问题扣分", span=5), Cell(text=""),
                     Cell(text=f"-{fmt_decimal(deduction)}",
                          sources=tuple(s for d in form.deductions for s in _src(d.points))),
                     Cell(text="")))
    rows.append((Cell(text="合计", span=5), _cell(form.stated_total_weight, _points(fig.total_weight)),
                 _cell(form.stated_total_score, _points(fig.total)),
                 _cell(form.total_note, form.total_note.text, align="left")))
    rows.append((Cell(text="自评等级", span=5),
                 Cell(text=fig.grade, span=3, sources=_src(form.stated_grade))))
    blocks.append(Table(name="indicators", widths_cm=_INDICATOR_WIDTHS, header=header, rows=tuple(rows)))
    if not form.other_notes.is_blank:
        blocks.append(Paragraph(text=f"其他需要说明的问题：{form.other_notes.text}", origin="clerk",
                                sources=_src(form.other_notes)))
    return blocks


# ---------------------------------------------------------------------------------------------
# Comments of the draft.


def _note(f: Finding) -> Note:
    where = f"（{f.location}）" if f.location and f.location not in f.message else ""
    return Note(text=f"{f.code} {f.severity.label}：{f.message}{where}", code=f.code, severity=f.severity)


_CELL_ROW = re.compile(r"^([^!]*)![A-Z]+(\d+)$")


def _row_key(source: str) -> str | None:
    m = _CELL_ROW.match(source)
    return f"{m.group(1)}#{m.group(2)}" if m else None


def _annotate(doc: ReportDoc, findings: Sequence[Finding], extra: Sequence[Note]) -> ReportDoc:
    """The same document with each finding as a comment on the first text built from its cell,
    else on the first text of the same row, else on the title."""
    targets: list[tuple] = []  # (path, sources) in document order
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph) and block.sources:
            targets.append((("b", i), block.sources))
        elif isinstance(block, Table):
            targets += _cell_targets(("b", i), block)
    for a, att in enumerate(doc.attachments):
        for j, block in enumerate(att.blocks):
            if isinstance(block, Paragraph) and block.sources:
                targets.append((("a", a, j), block.sources))
            elif isinstance(block, Table):
                targets += _cell_targets(("a", a, j), block)
    exact: dict[str, tuple] = {}
    by_row: dict[str, tuple] = {}
    for path, sources in targets:
        for s in sources:
            exact.setdefault(s, path)
            key = _row_key(s)
            if key:
                by_row.setdefault(key, path)
    by_name = _indicator_name_cells(doc)
    placed: dict[tuple, list[Note]] = {}
    title: list[Note] = list(extra)
    for f in sorted(findings, key=lambda f: f.severity.rank):
        where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else ""
        path = exact.get(where) or by_row.get(_row_key(where) or "")
        if path is None:
            # A blank cell of an imported form has no address; the rules name the indicator
            # as 「三级指标」, which finds its row in the attached table.
            m = _NAMED.search(f.message)
            path = by_name.get(m.group(1)) if m else None
        if path is None:
            title.append(_note(f))
        else:
            placed.setdefault(path, []).append(_note(f))

    def with_notes(block, path):
        if isinstance(block, Paragraph):
            got = placed.get(path)
            return block.model_copy(update={"notes": tuple(got)}) if got else block
        if isinstance(block, Table):
            header = tuple(tuple(_cell_with(c, placed.get((*path, "h", r, k))) for k, c in enumerate(row))
                           for r, row in enumerate(block.header))
            rows = tuple(tuple(_cell_with(c, placed.get((*path, "r", r, k))) for k, c in enumerate(row))
                         for r, row in enumerate(block.rows))
            return block.model_copy(update={"header": header, "rows": rows})
        return block

    blocks = tuple(with_notes(b, ("b", i)) for i, b in enumerate(doc.blocks))
    attachments = tuple(att.model_copy(update={"blocks": tuple(with_notes(b, ("a", a, j))
                                                               for j, b in enumerate(att.blocks))})
                        for a, att in enumerate(doc.attachments))
    return doc.model_copy(update={"blocks": blocks, "attachments": attachments, "title_notes": tuple(title)})


_NAMED = re.compile(r"「([^」]+)」")


def _indicator_name_cells(doc: ReportDoc) -> dict[str, tuple]:
    """三级指标 name → the path of its cell in the attached indicator table (first of a name)."""
    out: dict[str, tuple] = {}
    for a, att in enumerate(doc.attachments):
        for j, block in enumerate(att.blocks):
            if isinstance(block, Table) and block.name == "indicators":
                for r, row in enumerate(block.rows):
                    if len(row) > 2 and row[2].text:
                        out.setdefault(row[2].text, ("a", a, j, "r", r, 2))
    return out


def _cell_targets(path: tuple, table: Table) -> list[tuple]:
    out = []
    for r, row in enumerate(table.rows):
        for k, c in enumerate(row):
            if c.sources and not c.merge_up:
                out.append(((*path, "r", r, k), c.sources))
    return out


def _cell_with(c: Cell, notes: list[Note] | None) -> Cell:
    return c.model_copy(update={"notes": tuple(notes)}) if notes else c


# ---------------------------------------------------------------------------------------------


def refusal(findings: Sequence[Finding], what: str = "正式报告") -> ReportRefused:
    """Why a final report is not made: how many errors block it, the first few, and --draft."""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    first = f"（第一个：{errors[0]}）" if errors else ""
    return ReportRefused(f"自评表还有{len(errors)}个错误，不能生成{what}{first}。请按 perfeval validate 的清单改正后"
                         "重新生成；需要先看草稿时加 --draft（页眉标“草稿”，问题以批注标出）。")


def compose_report(form: Form, evaluation: Evaluation, findings: Sequence[Finding] = (), *,
                   profile: Profile | None = None, draft: bool = False) -> ReportDoc:
    """The 自评报告 of `form`; see the module docstring.

    A form with error findings gets a report only with ``draft=True``, otherwise
    `ReportRefused`. `profile` grades a stated 合计 that has no stated 等级 beside it.
    """
    if not draft and any(f.severity is Severity.ERROR for f in findings):
        raise refusal(findings)

    nar = form.narrative
    sec = nar.sections
    ev = evaluation
    fig = _Figures(form, ev, profile)
    is_dept = form.kind is FormKind.DEPARTMENT
    kind_words = "部门整体支出" if is_dept else "项目支出"
    issuer = nar.text("issuer") or form.name.text or form.display_name
    doc_number = nar.text("doc_number") or None
    recipient = nar.text("recipient")
    date_text = nar.text("report_date")

    body = _Body()
    body.blocks.append(_intro(form, is_dept))

    goals = _clerk(sec.get("performance_goals")) or _performance_goals_from_table(form, ev)
    budget = _budget_paragraphs(form, ev, fig) + _clerk(sec.get("budget_execution")) + _clerk(sec.get("adjustment_reason"))
    body.top("部门概况", [
        ("部门主要职能", _clerk(sec.get("functions")) + _clerk(sec.get("staffing"))),
        ("当年部门履职总体目标、工作人员", _clerk(sec.get("overall_goal"))),
        ("当年部门年度整体支出绩效目标" if is_dept else "项目年度绩效目标", goals),
        ("部门预算绩效管理开展情况", _clerk(sec.get("management"))),
        ("当年部门预算及执行情况" if is_dept else "项目预算及执行情况", budget),
    ])
    overall = _overall_paragraphs(form, ev, fig, is_dept)
    overall += _clerk(sec.get("goal_completion")) or _clerk(form.goals_actual)
    lead, parts = _indicator_section(form, ev, fig)
    body.top(f"{kind_words}绩效实际情况", [
        ("总体绩效目标完成情况分析", overall),
        ("各项指标完成情况", [*lead, *parts]),
    ])
    body.top(f"{kind_words}绩效中存在的问题及改进措施", [
        ("存在问题", _clerk(sec.get("problems")) or _problems_from_table(ev)),
        ("改进的方向和具体措施", _clerk(sec.get("measures"))),
    ])

    table_title = form.title.text or f"{_year_prefix(form)}{form.kind.title}"
    attachment = Attachment(label="附件", title=table_title, blocks=tuple(_self_evaluation_table(form, ev, fig)))
    printer = nar.text("printer")
    imprint = None
    if printer or nar.text("print_date") or nar.text("copies"):
        copies = "".join(ch for ch in nar.text("copies") if ch.isdigit())
        imprint = Imprint(printer=printer or issuer, date_text=nar.text("print_date"), copies=copies)

    doc = ReportDoc(
        letterhead=f"{issuer}文件" if doc_number else None,
        doc_number=doc_number,
        title_lines=(form.display_name, f"{_year_prefix(form)}{kind_words}绩效自评报告"),
        recipient=recipient,
        blocks=tuple(body.blocks),
        attachment_note=f"附件：{table_title}",
        issuer=issuer,
        date_text=date_text,
        date_value=_parse_date(date_text),
        imprint=imprint,
        attachments=(attachment,),
        draft=draft,
    )
    if not draft:
        return doc
    extra = []
    if not recipient:
        extra.append(Note(text=f"报告素材未填写“主送机关”（{_loc_text(sec.get('recipient'))}），报告中没有主送机关一行。"))
    if not date_text:
        extra.append(Note(text=f"报告素材未填写“报告日期”（{_loc_text(sec.get('report_date'))}），落款中没有成文日期。"))
    return _annotate(doc, findings, extra)


def _loc_text(v: Value | None) -> str:
    return str(v.loc) if v is not None and v.loc is not None else "报告素材"


def compose_opinions(form: Form, findings: Sequence[Finding]) -> ReportDoc:
    """校验意见: the findings of a form as a separate document, for whoever reviews the report."""
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    shown = sorted(findings, key=lambda f: f.severity.rank)
    intro = (f"经对{form.display_name}{_year_prefix(form)}{form.kind.title}逐项校验，发现错误{counts[Severity.ERROR]}个、"
             f"警告{counts[Severity.WARNING]}个、提示{counts[Severity.INFO]}个。"
             + ("错误改正后方可生成正式自评报告。" if counts[Severity.ERROR] else "")
             + ("具体如下：" if shown else "未发现问题。"))
    blocks: list[Heading | Paragraph | Table] = [Paragraph(text=intro)]
    if shown:
        rows = tuple(
            (Cell(text=str(n)), Cell(text=f.severity.label), Cell(text=f.code),
             Cell(text=f.location), Cell(text=f.message, align="left"))
            for n, f in enumerate(shown, 1))
        blocks.append(Table(name="findings", widths_cm=(1.2, 1.4, 1.7, 3.2, 8.1),
                            header=(tuple(Cell(text=t) for t in ("序号", "级别", "代码", "位置", "问题说明")),),
                            rows=rows))
    return ReportDoc(title_lines=(f"{form.display_name}{_year_prefix(form)}绩效自评", "校验意见"),
                     blocks=tuple(blocks), subject="绩效自评校验意见")
