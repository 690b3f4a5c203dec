"""The 复核 workbook: written from a `Review`, filled in by the reviewer, read back for opinions.

Sheets (addresses in `workbook.layout.REVIEW`): 复核表 (one row per department, with the
reviewer's 复核得分 and 复核理由 columns), 复核发现 (the batch findings, both locations),
校验问题 (each form's own errors and warnings), 说明, and a hidden 复核配置 that marks the file as
ours. Text from the forms goes into cells through `set_text_cell`; the file through
`write_atomic`; reading back goes through `safe_open`, like any workbook a user hands us.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.decimal_math import to_decimal
from ..core.errors import PerfevalError
from ..core.findings import Finding, Severity
from ..outputs import set_text_cell, write_atomic
from ..workbook.layout import REVIEW
from . import Review
from .batch import Department

__all__ = ["file_labels", "write_review_workbook", "review_workbook_bytes", "read_review_workbook", "ReviewSheet",
           "ReviewEntry", "FindingRow"]

MAX_BLANK_RUN = 200

NOTES = (
    "复核表由 perfeval review 根据本批自评表生成。",
    "“复核表”每个部门一行：自评得分取自自评表的合计栏，重算得分是按评分规则重新计算的结果，二者之差为“重算与自评之差”。",
    "请在“复核得分”栏填写复核后的得分（只填数字），在“复核理由”栏写明与自评得分不同的理由（可分行写多条），"
    "并在第 2 行填写复核单位和复核日期。其他栏目不要修改，不要插入或删除列。",
    "“复核发现”列出本批自评表之间比对发现的问题：与其他部门相同的指标和报告段落、不属于本部门职能领域的指标，"
    "以及与上年自评表比较发现的问题；每条写明本表和关联表的文件和位置。代码的说明用 perfeval explain 代码 查看。",
    "“校验问题”列出每份自评表自身的错误和警告（与 perfeval validate 相同）。",
    "填好后运行 perfeval review --opinions 复核表.xlsx -o 复核意见/，每个填写了复核得分的部门生成一份复核意见书（.docx）。",
)


# ------------------------------------------------------------------------------------- writing


def _set(ws, ref: str, value: object) -> None:
    c = ws[ref]
    if value is None:
        return
    if isinstance(value, str):
        set_text_cell(c, value)
    else:
        c.value = value


def file_labels(review: Review) -> dict[str, str]:
    """Each file as the workbook names it: its path below the folder all the batch's files share
    (two departments' folders may each hold a "自评表.xlsx"), or the full path when none is shared."""
    files = [d.file for d in review.departments]
    if review.year is not None:
        files += [prev.file for _, prev in review.year.pairs]
    absolute = {f: os.path.abspath(f) for f in files}
    try:
        root = os.path.commonpath([os.path.dirname(a) for a in absolute.values()]) if absolute else ""
    except ValueError:  # different drives
        root = ""
    return {f: (os.path.relpath(a, root) if root else a) for f, a in absolute.items()}


def _finding_values(f: Finding, name: str, file: str, labels: dict[str, str], names: dict[str, str],
                    number: int) -> dict[str, object]:
    rel = f.related
    return {
        "number": number, "code": f.code, "severity": f.severity.label, "name": name, "file": file,
        "location": _where(f.sheet, f.cell), "message": f.message,
        "related_name": names.get(rel.file, "") if rel else "",
        "related_file": labels.get(rel.file, rel.file) if rel and rel.file else "",
        "related_location": _where(rel.sheet, rel.cell) if rel else "",
        "actual": f.actual or "",
    }


def _where(sheet: str, cell: str) -> str:
    return f"{sheet}!{cell}" if sheet and cell else sheet


def _dept_values(review: Review, d: Department, number: int, labels: dict[str, str]) -> dict[str, object]:
    form, ev = d.loaded.form, d.loaded.evaluation
    stated = form.stated_total_score.number
    prev = review.last_year_of(d)
    last = "" if review.year is None else (labels[prev.file] if prev is not None else "未找到")
    return {
        "number": number, "name": d.name, "file": labels[d.file], "year": form.year.text,
        "profile": d.loaded.profile.name, "stated_total": stated, "stated_grade": form.stated_grade.text,
        "total": ev.total if ev else None, "grade": ev.grade if ev else "",
        "difference": (ev.total - stated) if ev is not None and stated is not None else None,
        "errors": d.loaded.errors, "findings": len(review.findings_of(d)), "last_year": last,
    }


def review_workbook_bytes(review: Review) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..workbook.package_xml import normalize_package, pin_modified_time

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="F2F2F2")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()
    ws = wb.active
    ws.title = REVIEW.sheet
    set_text_cell(ws[REVIEW.title], "部门整体支出绩效自评复核表")
    ws[REVIEW.title].font = Font(bold=True, size=14)
    ws.merge_cells(REVIEW.title_span)
    set_text_cell(ws[REVIEW.issuer_label], "复核单位")
    set_text_cell(ws[REVIEW.date_label], "复核日期")
    for ref in (REVIEW.issuer, REVIEW.date):
        ws[ref].fill = input_fill
    for ref, text in REVIEW.header_cells().items():
        set_text_cell(ws[ref], text)
        ws[ref].font, ws[ref].fill = bold, head_fill
        ws[ref].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, key, _, width in REVIEW.columns:
        ws.column_dimensions[col].width = width
        if key in REVIEW.inputs:
            ws[f"{col}{REVIEW.header_row}"].fill = input_fill
    formats = {"stated_total": "0.00", "total": "0.00", "difference": "0.00", "review_score": "0.00"}
    labels = file_labels(review)
    row = REVIEW.first_row
    for n, d in enumerate(review.departments, 1):
        cells = REVIEW.row_cells(row)
        for key, value in _dept_values(review, d, n, labels).items():
            _set(ws, cells[key], value)
            if key in formats:
                ws[cells[key]].number_format = formats[key]
        for key in REVIEW.inputs:
            ws[cells[key]].fill = input_fill
        ws[cells["review_reason"]].alignment = wrap
        row += 1
    last_row = max(row - 1, REVIEW.first_row)
    top = max((d.loaded.profile.total for d in review.departments), default=Decimal(100))
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(top), allow_blank=True,
                        showErrorMessage=True, errorTitle="复核得分", error=f"请填写 0 到 {top} 之间的数字。")
    col = REVIEW.column_of("review_score")
    dv.add(f"{col}{REVIEW.first_row}:{col}{last_row}")
    ws.add_data_validation(dv)
    ws.freeze_panes = REVIEW.freeze_at
    ws.auto_filter.ref = f"A{REVIEW.header_row}:{REVIEW.last_col}{last_row}"

    names = {d.file: d.name for d in review.departments}
    if review.year is not None:
        names.update({prev.file: f"{prev.name}（上年）" for _, prev in review.year.pairs})
    batch = [(names.get(f.file, ""), labels.get(f.file, f.file), f) for f in review.findings]
    checks = [(d.name, labels[d.file], f) for d in review.departments for f in d.loaded.findings
              if f.severity in (Severity.ERROR, Severity.WARNING)]
    for title, items in ((REVIEW.findings_sheet, batch), (REVIEW.checks_sheet, checks)):
        fs = wb.create_sheet(title)
        for ref, text in REVIEW.finding_header_cells().items():
            set_text_cell(fs[ref], text)
            fs[ref].font, fs[ref].fill = bold, head_fill
        for col, _, _, width in REVIEW.finding_columns:
            fs.column_dimensions[col].width = width
        for n, (name, file, f) in enumerate(items, 1):
            cells = REVIEW.finding_cells(REVIEW.findings_first_row + n - 1)
            for key, value in _finding_values(f, name, file, labels, names, n).items():
                _set(fs, cells[key], value)
            fs[cells["message"]].alignment = wrap
        fs.freeze_panes = f"A{REVIEW.findings_first_row}"
    ns = wb.create_sheet(REVIEW.notes_sheet)
    ns.column_dimensions[REVIEW.notes_col].width = 110
    for i, text in enumerate(NOTES):
        set_text_cell(ns[f"{REVIEW.notes_col}{REVIEW.notes_first_row + i}"], text)
        ns[f"{REVIEW.notes_col}{REVIEW.notes_first_row + i}"].alignment = wrap
    cs = wb.create_sheet(REVIEW.config_sheet)
    for ref, text in REVIEW.config_labels:
        set_text_cell(cs[ref], text)
    set_text_cell(cs[REVIEW.marker_cell], REVIEW.marker)
    set_text_cell(cs[REVIEW.version_cell], REVIEW.version)
    cs.sheet_state = "hidden"
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return pin_modified_time(normalize_package(buf.getvalue()))


def write_review_workbook(review: Review, out_path: str | os.PathLike[str], *, force: bool = False,
                          inputs: Sequence[str | os.PathLike[str]] = ()) -> Path:
    files = [d.file for d in review.departments] + [str(u.path) for u in review.unreadable if u.path]
    if review.year is not None:
        files += [prev.file for _, prev in review.year.pairs]
    return write_atomic(out_path, review_workbook_bytes(review), force=force, inputs=[*files, *inputs])


# ------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class FindingRow:
    code: str
    severity: str
    name: str
    file: str
    location: str
    message: str
    related_name: str = ""
    related_file: str = ""
    related_location: str = ""
    actual: str = ""


@dataclass
class ReviewEntry:
    """One department's row of the 复核表, as the reviewer left it."""

    row: int
    number: str
    name: str
    file: str
    year: str
    profile: str
    stated_total: Decimal | None
    stated_grade: str
    total: Decimal | None
    grade: str
    review_score: Decimal | None
    review_reason: str
    score_text: str  # the 复核得分 cell as typed, for messages
    findings: list[FindingRow] = field(default_factory=list)
    checks: list[FindingRow] = field(default_factory=list)


@dataclass
class ReviewSheet:
    path: Path
    issuer: str
    date: str
    entries: list[ReviewEntry]


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if hasattr(v, "strftime"):
        return f"{v.year}年{v.month}月{v.day}日"
    return str(v).strip()


def _number(v: object) -> Decimal | None:
    return to_decimal(v.strip() if isinstance(v, str) else v)


def _refuse(path: Path, message: str) -> PerfevalError:
    return PerfevalError("PE770", message, file=path.name)


def read_review_workbook(path: str | os.PathLike[str]) -> ReviewSheet:
    """The 复核表 as the reviewer filled it; PE770 when it is not ours or its columns moved."""
    from ..workbook.safe_open import open_workbook

    p = Path(path)
    wb = open_workbook(p, data_only=True)
    if REVIEW.config_sheet not in wb.sheetnames or REVIEW.sheet not in wb.sheetnames:
        raise _refuse(p, f"「{p.name}」不是 perfeval review 生成的复核表（缺少“{REVIEW.sheet}”或隐藏的配置表）；"
                         "请用 perfeval review 文件夹/ -o 复核.xlsx 生成。")
    cs = wb[REVIEW.config_sheet]
    if _text(cs[REVIEW.marker_cell].value) != REVIEW.marker:
        raise _refuse(p, f"「{p.name}」的配置表中没有复核表标识，不是 perfeval review 生成的复核表。")
    if _text(cs[REVIEW.version_cell].value) != REVIEW.version:
        raise _refuse(p, f"「{p.name}」是另一版本的复核表（{_text(cs[REVIEW.version_cell].value)}），"
                         f"本程序读取第 {REVIEW.version} 版；请重新生成复核表。")
    ws = wb[REVIEW.sheet]
    for ref, text in REVIEW.header_cells().items():
        if _text(ws[ref].value) != text:
            raise _refuse(p, f"「{p.name}」的复核表 {ref} 应为列标题“{text}”，现为“{_text(ws[ref].value)}”："
                             "复核表的列被插入、删除或移动了，读出的数字会错位；请在原样的复核表中填写。")
    entries = []
    blank_run = 0
    for r in range(REVIEW.first_row, (ws.max_row or 0) + 1):
        cells = REVIEW.row_cells(r)
        v = {k: ws[ref].value for k, ref in cells.items()}
        if not _text(v["name"]) and not _text(v["file"]):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:  # a formatted column reaches row 1048576; the rows do not
                break
            continue
        blank_run = 0
        entries.append(ReviewEntry(
            row=r, number=_text(v["number"]), name=_text(v["name"]), file=_text(v["file"]), year=_text(v["year"]),
            profile=_text(v["profile"]), stated_total=_number(v["stated_total"]),
            stated_grade=_text(v["stated_grade"]), total=_number(v["total"]), grade=_text(v["grade"]),
            review_score=_number(v["review_score"]), review_reason=_text(v["review_reason"]),
            score_text=_text(v["review_score"])))
    by_file = {e.file: e for e in entries}
    for title, attr in ((REVIEW.findings_sheet, "findings"), (REVIEW.checks_sheet, "checks")):
        if title not in wb.sheetnames:
            continue
        fs = wb[title]
        blank_run = 0
        for r in range(REVIEW.findings_first_row, (fs.max_row or 0) + 1):
            v = {k: _text(fs[ref].value) for k, ref in REVIEW.finding_cells(r).items()}
            if not v["code"]:
                blank_run += 1
                if blank_run > MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            row = FindingRow(code=v["code"], severity=v["severity"], name=v["name"], file=v["file"],
                             location=v["location"], message=v["message"], related_name=v["related_name"],
                             related_file=v["related_file"], related_location=v["related_location"],
                             actual=v["actual"])
            for f in {row.file, row.related_file} if attr == "findings" else {row.file}:
                if f in by_file:
                    getattr(by_file[f], attr).append(row)
    return ReviewSheet(path=p, issuer=_text(ws[REVIEW.issuer].value), date=_text(ws[REVIEW.date].value),
                       entries=entries)
