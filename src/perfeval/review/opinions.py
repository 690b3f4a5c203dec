"""复核意见书: one Word document per department, from the 复核 workbook the reviewer filled in.

Every number comes from the workbook's cells (自评得分, 重算得分, 复核得分) and every supporting
finding from its 复核发现 / 校验问题 sheets, so the document says exactly what the reviewer
decided. The page and the styles are the report's 公文 ones (GB/T 9704: A4, 仿宋_GB2312 三号,
28.95 pt line pitch, page numbers "— 1 —"), taken from `report.docx_writer`; the document itself is
built here.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from ..core.codes import code_info
from ..core.decimal_math import fmt_decimal
from ..core.errors import PerfevalError
from ..core.findings import Finding, Severity
from ..core.model import FormKind
from .workbook import FindingRow, ReviewEntry, ReviewSheet

__all__ = ["Opinion", "OpinionResult", "compose_opinion", "render_opinion", "write_opinions", "opinion_file_name"]

ISSUER_PLACEHOLDER = "（复核单位）"
DATE_PLACEHOLDER = "    年  月  日"
MAX_LISTED = 40  # findings of one kind listed in a document; the rest are counted
MAX_CHECKS_LISTED = 10  # the form's own errors: the first ones, the rest are in the workbook


@dataclass(frozen=True)
class Line:
    text: str
    style: str = "Normal"  # Normal, Heading 1, Heading 2, Plain Line
    placeholder: bool = False


@dataclass
class Opinion:
    """What one 复核意见书 says, before it is laid out."""

    title_lines: tuple[str, ...]
    recipient: str
    lines: list[Line]
    table: list[tuple[str, str, str, str]]  # 项目 | 自评 | 按规则重算 | 复核
    table_after: int  # index in lines after which the table stands
    issuer: str
    date: str

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


@dataclass
class OpinionResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)  # PE771 / PE772, one per department


def _points(d: Decimal | None) -> str:
    return "—" if d is None else fmt_decimal(d)


def _profile(name: str):
    """The entry's profile when it names a shipped one (a workbook never points at a file)."""
    from ..core.profiles import PROFILE_ALIASES, list_profiles
    from ..loader import resolve_profile

    return resolve_profile(name if name in list_profiles() or name in PROFILE_ALIASES else None)


def _kind_title(profile) -> str:
    return "部门整体支出绩效自评" if profile.form_kind == FormKind.DEPARTMENT.value else "项目支出绩效自评"


def compose_opinion(entry: ReviewEntry, sheet: ReviewSheet) -> Opinion:
    """The opinion of one department whose 复核得分 is a valid number."""
    from ..core.scoring import grade

    assert entry.review_score is not None
    profile = _profile(entry.profile)
    review_grade = grade(entry.review_score, profile)
    kind = _kind_title(profile)
    year = f"{entry.year}年度" if entry.year else ""
    name = entry.name or entry.file
    lines: list[Line] = []

    def add(text: str, style: str = "Normal", *, placeholder: bool = False) -> None:
        lines.append(Line(text, style, placeholder))

    issuer = sheet.issuer or ISSUER_PLACEHOLDER
    add(f"根据预算绩效管理工作安排，{'我单位' if not sheet.issuer else sheet.issuer}对你单位报送的{year}{kind}"
        f"结果（自评表文件“{entry.file}”）进行了复核。现将复核意见反馈如下：")
    add("一、复核得分", "Heading 1")
    stated = (f"自评得分{_points(entry.stated_total)}分" + (f"，自评等级“{entry.stated_grade}”" if entry.stated_grade else "")
              if entry.stated_total is not None else "自评表未填写合计得分")
    recomputed = (f"按评分规则重算为{_points(entry.total)}分（等级“{entry.grade}”）"
                  if entry.total is not None else "无法按评分规则重算")
    diff = entry.review_score - entry.stated_total if entry.stated_total is not None else None
    if diff is None:
        compare = ""
    elif diff == 0:
        compare = "，与自评得分一致"
    else:
        compare = f"，比自评得分{'低' if diff < 0 else '高'}{_points(abs(diff))}分"
    add(f"你单位{stated}；{recomputed}。经复核，复核得分为{_points(entry.review_score)}分，"
        f"等级“{review_grade}”{compare}。")
    table = [
        ("项目", "自评", "按规则重算", "复核"),
        ("得分", _points(entry.stated_total), _points(entry.total), _points(entry.review_score)),
        ("等级", entry.stated_grade or "—", entry.grade or "—", review_grade),
    ]
    table_after = len(lines)
    add("二、复核得分与自评得分的差异及理由", "Heading 1")
    reasons = [r.strip() for r in re.split(r"[\r\n]+", entry.review_reason) if r.strip()]
    if diff is not None and diff != 0:
        add(f"复核得分与自评得分相差{_points(abs(diff))}分"
            + (f"，其中按评分规则重算相差{_points(abs(entry.total - entry.stated_total))}分"
               if entry.total is not None and entry.total != entry.stated_total else "") + "。理由如下：")
    for n, reason in enumerate(reasons, 1):
        add(reason if re.match(r"^[（(]?[0-9一二三四五六七八九十]+[.、）)]", reason) else f"{n}.{reason}")
    if not reasons:
        add("（复核表中未填写复核理由）", placeholder=True)
    add("三、复核发现的问题", "Heading 1")
    _findings(add, entry)
    add("四、整改要求", "Heading 1")
    add("请你单位对照上述问题逐项核实整改：指标应当反映本部门的职责和年度工作任务，绩效目标不得低于上年实际水平，"
        "自评报告应当如实反映本年度的情况。整改情况请书面报送我单位，并在下一年度绩效目标编制和绩效自评中予以纠正。")
    return Opinion(title_lines=(f"关于{name}", f"{year}{kind}结果", "的复核意见"), recipient=name, lines=lines,
                   table=table,
                   table_after=table_after, issuer=issuer, date=sheet.date or DATE_PLACEHOLDER)


_ORDINALS = "一二三四五六七八九十"


def _findings(add, entry: ReviewEntry) -> None:
    groups: dict[str, list[FindingRow]] = {}
    for f in entry.findings:
        groups.setdefault(f.code, []).append(f)
    errors = [f for f in entry.checks if f.severity == Severity.ERROR.label]
    if errors:
        groups["校验"] = errors
    if not groups:
        add("本次复核未发现你单位的自评表与其他部门或上年自评表之间的问题。")
        return
    for n, (code, items) in enumerate(sorted(groups.items(), key=lambda kv: (kv[0] == "校验", kv[0]))):
        entry_info = code_info(code)
        title = "自评表校验发现的错误" if code == "校验" else (entry_info.title if entry_info else code)
        label = "" if code == "校验" else f"，{code}"
        add(f"（{_ORDINALS[n] if n < len(_ORDINALS) else n + 1}）{title}（{len(items)} 条{label}）", "Heading 2")
        limit = MAX_CHECKS_LISTED if code == "校验" else MAX_LISTED
        for i, f in enumerate(items[:limit], 1):
            add(f"{i}.{_finding_text(f, entry)}")
        if len(items) > limit:
            add(f"另有 {len(items) - limit} 条，见复核表“{'校验问题' if code == '校验' else '复核发现'}”工作表。")


_PAIRED = {"PE750": "的指标", "PE751": "的段落"}
_ADVICE = re.compile(r"[：。]\s*(?:请核实|请).*$")


def _finding_text(f: FindingRow, entry: ReviewEntry) -> str:
    """One finding as the department reads it: its own place first, the other place after."""
    mine = f.file == entry.file
    here, there = (f.location, f.related_location) if mine else (f.related_location, f.location)
    other_name = f.related_name if mine else f.name
    other_file = f.related_file if mine else f.file
    if f.code in _PAIRED and other_file:
        quoted = f"「{f.actual}」" if f.actual else ""
        return (f"{here}{quoted}与{other_name or other_file}（{other_file}）{there}{_PAIRED[f.code]}相同或几乎相同。")
    text = _ADVICE.sub("。", f.message) if f.code.startswith("PE7") else f.message
    place = here or f.location
    if f.code.startswith("PE76") and there:
        text += f"（上年：{other_file} {there}）"
    return f"{place}：{text}" if place and place not in text[:40] else text


# ------------------------------------------------------------------------------------- layout


def render_opinion(op: Opinion) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.shared import Cm

    # The report's 公文 page and styles; this document only adds its own blocks on top.
    from ..outputs import xml_safe_text
    from ..report.docx_writer import (
        _display_width,
        _normalised_package,
        _set_cell_borders,
        _set_indent,
        _set_page,
        _setup_page_numbers,
        _setup_styles,
    )

    doc = Document()
    _setup_styles(doc)
    _set_page(doc.sections[0], "portrait")
    _setup_page_numbers(doc)

    def para(text: str, style: str = "Normal", *, placeholder: bool = False):
        p = doc.add_paragraph(style=style)
        run = p.add_run(xml_safe_text(text))
        if placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        return p

    for line in op.title_lines:
        para(line, "Report Title")
    para("", "Plain Line")
    para(f"{op.recipient}：", "Plain Line")
    for i, line in enumerate(op.lines):
        para(line.text, line.style, placeholder=line.placeholder)
        if i + 1 == op.table_after:
            table = doc.add_table(rows=len(op.table), cols=4)
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            _set_cell_borders(table)
            widths = (3.6, 3.6, 3.6, 3.6)
            for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
                grid_col.w = Cm(width)
            for r, values in enumerate(op.table):
                for c, value in enumerate(values):
                    cell = table.rows[r].cells[c]
                    cell.width = Cm(widths[c])
                    p = cell.paragraphs[0]
                    p.style = doc.styles["Table Text"]
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    run = p.add_run(xml_safe_text(value))
                    run.bold = r == 0 or None
            para("", "Plain Line")
    for _ in range(2):
        para("", "Plain Line")
    # 成文日期右空四字, the 署名 centred over it (GB/T 9704 7.3.5.1), as in the report.
    date_w, issuer_w = _display_width(op.date), _display_width(op.issuer)
    issuer = para(op.issuer, "Plain Line", placeholder=op.issuer == ISSUER_PLACEHOLDER)
    issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_indent(issuer._p.get_or_add_pPr(), right_chars=max(0, round(4 + (date_w - issuer_w) / 2)))
    date = para(op.date, "Plain Line", placeholder=op.date == DATE_PLACEHOLDER)
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_indent(date._p.get_or_add_pPr(), right_chars=4)

    props = doc.core_properties
    props.author = props.last_modified_by = "perfeval"
    props.title = xml_safe_text(op.title)
    props.subject = "绩效自评复核意见"
    props.comments = "由 perfeval 根据复核表生成"
    props.revision = 1
    from datetime import datetime

    stamp = datetime(2000, 1, 1)
    props.created = props.modified = stamp
    buf = BytesIO()
    doc.save(buf)
    return _normalised_package(buf.getvalue())


# ------------------------------------------------------------------------------------- files

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def opinion_file_name(entry: ReviewEntry) -> str:
    """"003-正宁县教育局-复核意见书.docx": numbered as in the 复核表, safe on every file system."""
    name = unicodedata.normalize("NFC", entry.name or Path(entry.file).stem)
    name = _UNSAFE_NAME.sub("_", name).strip(" ._") or "未命名"
    number = entry.number if entry.number.isdigit() else str(entry.row)
    return f"{int(number):03d}-{name[:60]}-复核意见书.docx"


def _check(entry: ReviewEntry, sheet: ReviewSheet) -> Finding | None:
    from ..core.codes import severity_of
    from ..workbook.layout import REVIEW

    where = {"file": sheet.path.name, "sheet": REVIEW.sheet, "cell": REVIEW.row_cells(entry.row)["review_score"]}
    who = entry.name or entry.file
    if not entry.score_text:
        return Finding(code="PE772", severity=severity_of("PE772"), **where,
                       message=f"「{who}」没有填写复核得分，未生成复核意见书。")
    top = _profile(entry.profile).total
    if entry.review_score is None or not (0 <= entry.review_score <= top):
        return Finding(code="PE771", severity=severity_of("PE771"), **where, actual=entry.score_text,
                       message=f"「{who}」的复核得分“{entry.score_text}”不是 0 到 {_points(top)} 之间的数字，"
                               "未生成复核意见书。")
    return None


def write_opinions(sheet: ReviewSheet, out_dir: str | os.PathLike[str], *, force: bool = False) -> OpinionResult:
    """One .docx per department with a valid 复核得分; the others are listed as findings.

    Every target is checked before anything is written: an existing file (without force) stops
    the whole run, so a folder never ends up half old, half new.
    """
    from ..outputs import OutputError, OutputExistsError, os_failure, write_atomic

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(out, f"输出文件夹「{out}」是一个已有的文件；请换一个文件夹名。")
    result = OpinionResult()
    todo: list[tuple[ReviewEntry, Path]] = []
    used: set[str] = set()
    for entry in sheet.entries:
        problem = _check(entry, sheet)
        if problem is not None:
            result.skipped.append(problem)
            continue
        name = opinion_file_name(entry)
        if name.casefold() in used:  # a 序号 typed twice: keep both, told apart by their row
            name = name.replace("-复核意见书.docx", f"-第{entry.row}行-复核意见书.docx")
        used.add(name.casefold())
        todo.append((entry, out / name))
    existing = [p for _, p in todo if os.path.lexists(p)]
    if existing and not force:
        names = "、".join(p.name for p in existing[:5]) + ("等" if len(existing) > 5 else "")
        raise OutputExistsError(existing[0], f"输出文件夹中已有 {len(existing)} 份复核意见书（{names}）；"
                                             "如需覆盖请加 --force。")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_failure(out, exc, "创建文件夹") from exc
    for entry, target in todo:
        data = render_opinion(compose_opinion(entry, sheet))
        result.written.append(write_atomic(target, data, force=force, inputs=[sheet.path]))
    return result


def opinions_from_workbook(path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
                           force: bool = False) -> OpinionResult:
    from .workbook import read_review_workbook

    sheet = read_review_workbook(path)
    if not sheet.entries:
        raise PerfevalError("PE770", f"复核表「{Path(path).name}」中没有部门。", file=Path(path).name)
    return write_opinions(sheet, out_dir, force=force)


def describe(result: OpinionResult) -> Sequence[str]:
    lines = [f"已生成 {len(result.written)} 份复核意见书。"]
    lines += [f"  {p}" for p in result.written]
    for f in result.skipped:
        lines.append(f"{f.code} {f.location}：{f.message}")
    return lines
