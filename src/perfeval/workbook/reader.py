"""Read a filled template (.xlsx / .xlsm) into the core model. Never writes to the file.

Each value keeps its sheet and cell and the text as typed; formula cells keep their formula and
cached result, so the checker can tell a computed 得分 from one typed over the formula. Damage
to the template (a deleted row, a missing sheet, text in a money cell) becomes a problem with
the cell address, never an exception.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.findings import Finding, Severity
from ..core.model import (
    NARRATIVE_SECTIONS,
    BudgetRow,
    Deduction,
    Form,
    FormKind,
    Indicator,
    Loc,
    Narrative,
    SubUnit,
    Value,
)
from ..core.targets import normalize_text
from . import layout as L
from .package_reader import CellView, PackageBook, PackageUnreadable, clean_text

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = ["read_form", "read_workbook"]


def _finding(code: str, severity: Severity, sheet: str, cell: str, message: str, file: str) -> Finding:
    return Finding(code=code, severity=severity, sheet=sheet, cell=cell, message=message, file=file)


def read_form(path: str | Path) -> tuple[Form, list[Finding]]:
    """Open through the guarded checks and read; an unreadable file is a PE9xx problem.

    The direct reader gets its content from the safety scan itself (one pass over each part);
    only a package it cannot read goes to openpyxl, and whatever openpyxl then raises is a PE919
    finding too, never an exception.
    """
    from .safe_open import InputFileError, read_input_file

    p = Path(path)
    try:
        data = read_input_file(p)
        book = PackageBook.checked(p, data, sheets=_READ_SHEETS, columns={L.SHEET_FORM: L.LAST_COL})
    except InputFileError as exc:
        return Form(source=p.name), [_unreadable(exc, p)]
    except PackageUnreadable:
        book = None  # something our direct reader does not know: let openpyxl read it
    if book is not None:
        try:
            return read_workbook(book, data, source=p.name)
        except PackageUnreadable:
            pass
    return _read_with_openpyxl(p, data)


# The sheets read_workbook reads; the scan collects only theirs.
_READ_SHEETS = (L.SHEET_FORM, L.SHEET_CONFIG, L.SHEET_NARRATIVE, L.SHEET_UNITS, L.SHEET_CLAIMS)


def _read_with_openpyxl(p: Path, data: bytes) -> tuple[Form, list[Finding]]:
    from .safe_open import InputFileError, ensure_defused_xml, open_workbook

    try:
        ensure_defused_xml()
        wb = open_workbook(p, keep_vba=False, read_only=True)
    except InputFileError as exc:
        return Form(source=p.name), [_unreadable(exc, p)]
    try:
        return read_workbook(wb, data, source=p.name)
    except Exception as exc:  # noqa: BLE001 - openpyxl reads lazily: its errors surface here
        return Form(source=p.name), [Finding(
            code="PE919", severity=Severity.ERROR, file=p.name,
            message=f"文件「{p.name}」无法解析其内容（{type(exc).__name__}）。"
                    "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。")]
    finally:
        wb.close()


def _unreadable(exc, p: Path) -> Finding:
    return Finding(code=exc.code, severity=Severity.ERROR, message=exc.message, file=p.name)


def _normalize_label(text: object) -> str:
    return normalize_text(str(text or ""))


def read_workbook(wb: Workbook | PackageBook, data: bytes | None, *,
                  source: str = "") -> tuple[Form, list[Finding]]:
    """Read from an openpyxl workbook or a PackageBook (the same result; a test compares)."""
    problems: list[Finding] = []

    def problem(code: str, sheet: str, cell: str, message: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(_finding(code, severity, sheet, cell, message, source))

    if L.SHEET_FORM not in wb.sheetnames:
        problem("PE601", "", "", f"缺少工作表「{L.SHEET_FORM}」：这不是 perfeval 模板，"
                "旧表请先用“导入旧表”（perfeval import）转换。")
        return Form(source=source), problems

    kind = FormKind.DEPARTMENT
    profile_name = None
    if L.SHEET_CONFIG in wb.sheetnames:
        cfg = _Cells.of(wb, L.SHEET_CONFIG, data)
        marker = cfg[L.CONFIG.marker].value
        if marker != L.TEMPLATE_MARKER:
            problem("PE602", L.SHEET_CONFIG, L.CONFIG.marker, "配置表的模板标识缺失或被改动。")
        version = str(cfg[L.CONFIG.version].value or "")
        if version != L.LAYOUT_VERSION:
            problem("PE602", L.SHEET_CONFIG, L.CONFIG.version,
                    f"模板版本为「{version}」，本程序读取版本「{L.LAYOUT_VERSION}」；请用“新建”生成新模板后复制内容。")
        try:
            kind = FormKind(str(cfg[L.CONFIG.kind].value or "department"))
        except ValueError:
            problem("PE602", L.SHEET_CONFIG, L.CONFIG.kind, "表格类型应为 department 或 project。")
        profile_name = str(cfg[L.CONFIG.profile].value or "") or None
    else:
        problem("PE601", "", "", f"缺少隐藏工作表「{L.SHEET_CONFIG}」，按部门整体支出表读取。",
                Severity.WARNING)
    for name in L.SHEET_ORDER:
        if name not in wb.sheetnames and name != L.SHEET_CONFIG:
            sev = Severity.WARNING if name in (L.SHEET_FINDINGS, L.SHEET_PROFILE) else Severity.ERROR
            if name in (L.SHEET_NARRATIVE, L.SHEET_UNITS):
                sev = Severity.WARNING
            problem("PE601", name, "", f"缺少工作表「{name}」。", sev)

    lay = L.layout_for(kind)
    ws = _Cells.of(wb, L.SHEET_FORM, data)

    shift = _check_anchors(ws, lay, problem)
    if shift is None:
        return Form(source=source, kind=kind), problems

    def value(ref: str, sheet: _Cells = ws) -> Value:
        c = sheet[ref]
        raw = c.value
        formula = None
        if isinstance(raw, str) and raw.startswith("=") and c.data_type == "f":
            formula = raw
            raw = sheet.cached.get(ref)
        elif hasattr(raw, "text") and c.data_type == "f":  # ArrayFormula / DataTableFormula
            formula = str(getattr(raw, "text", "")) or "="
            raw = sheet.cached.get(ref)
        return Value(raw=raw, loc=Loc(sheet=sheet.title, cell=ref),
                     percent_format="%" in (c.number_format or ""), formula=formula)

    budget = []
    for line in lay.budget_lines:
        cells = lay.budget_cells(line)
        row = BudgetRow(kind=line.kind, **{k: value(ref) for k, ref in cells.items()})
        for key in ("initial", "full_year", "actual"):
            v = getattr(row, key)
            if not v.is_blank and v.number is None:
                problem("PE604", ws.title, cells[key],
                        f"{line.label}的{_BUDGET_LABELS[key]}应为数字，{_shown_as(ws[cells[key]], v)}。")
        budget.append(row)

    indicators = []
    for r in lay.indicator_rows:
        cells = {k: ref for k, ref in lay.indicator_cells(r).items() if k not in ("reading", "band")}
        if all(_blank_input(ws[ref]) for k, ref in cells.items() if k != "score"):
            continue  # most of the 60 rows are empty; building their models is most of the cost
        ind = Indicator(row=r, **{k: value(ref) for k, ref in cells.items()})
        if not ind.is_blank or ind.is_heading_only:
            indicators.append(ind)


    deductions = []
    for r in lay.deduction_rows:
        if all(_blank_input(ws[ref]) for ref in lay.deduction_cells(r).values()):
            continue
        d = Deduction(row=r, **{k: value(ref) for k, ref in lay.deduction_cells(r).items()})
        if not all(v.is_blank for v in (d.source, d.description, d.amount, d.points)):
            deductions.append(d)

    narrative = Narrative()
    if L.SHEET_NARRATIVE in wb.sheetnames:
        ns = _Cells.of(wb, L.SHEET_NARRATIVE, data)
        rows_by_label: dict[str, int] = {}
        for r, ref in L.NARRATIVE.label_cells():
            rows_by_label.setdefault(_normalize_label(ns[ref].value), r)
        sections = {}
        for key, label in NARRATIVE_SECTIONS.items():
            wanted = _normalize_label(label)
            if _normalize_label(ns[L.NARRATIVE.label_cell(key)].value) == wanted:
                sections[key] = value(L.NARRATIVE.value_cell(key), ns)
            elif wanted in rows_by_label:
                # An older template (a field added since) or a moved row: the label says where.
                sections[key] = value(L.NARRATIVE.value_cell_at(rows_by_label[wanted]), ns)
            elif key not in L.NARRATIVE.added_keys:
                problem("PE603", ns.title, L.NARRATIVE.label_cell(key),
                        f"报告素材中找不到“{label}”一行（行被删除或标签被改动），该项按空白处理。",
                        Severity.WARNING)
        narrative = Narrative(sections=sections)

    units = []
    if L.SHEET_UNITS in wb.sheetnames:
        us = _Cells.of(wb, L.SHEET_UNITS, data)
        for r in L.UNITS.rows:
            if all(_blank_input(us[ref]) for ref in L.UNITS.unit_cells(r).values()):
                continue
            u = SubUnit(row=r, **{k: value(ref, us) for k, ref in L.UNITS.unit_cells(r).items()})
            if not (u.name.is_blank and u.fund.is_blank and u.file.is_blank):
                if not u.fund.is_blank and u.fund.number is None:
                    ref = L.UNITS.unit_cells(r)["fund"]
                    problem("PE604", us.title, ref, f"下属单位的资金额度应为数字，{_shown_as(us[ref], u.fund)}。")
                units.append(u)

    year_cell = ws[lay.year]
    if year_cell.data_type == "d" or (year_cell.data_type == "f" and _is_date(ws.cached.get(lay.year))):
        problem("PE604", ws.title, lay.year, f"年度应为数字，{_shown_as(year_cell, value(lay.year))}。")

    form = Form(
        kind=kind,
        source=source,
        title=value(lay.title),
        year=value(lay.year),
        name=value(lay.name),
        competent_dept=value(lay.competent) if lay.competent else Value(),
        implementer=value(lay.implementer) if lay.implementer else Value(),
        budget=tuple(budget),
        goals_expected=value(lay.goals_expected),
        goals_actual=value(lay.goals_actual),
        indicators=tuple(indicators),
        deductions=tuple(deductions),
        stated_total_weight=value(lay.total_weight),
        stated_total_score=value(lay.total_score),
        total_note=value(lay.total_note),
        stated_grade=value(lay.grade),
        other_notes=value(lay.other_notes),
        narrative=narrative,
        units=tuple(units),
        profile_name=profile_name,
        template_version=L.LAYOUT_VERSION if L.SHEET_CONFIG in wb.sheetnames else None,
    )
    if L.SHEET_CLAIMS in wb.sheetnames:
        form = _with_claims(form, lay, _Cells.of(wb, L.SHEET_CLAIMS, data), value, problem)
    _check_protection(wb, ws, data, problem)
    return form, problems


def _with_claims(form: Form, lay: L.FormLayout, cs: _Cells, value, problem) -> Form:
    """An imported form's stated 得分 / 执行率 / 合计 / 等级 from 原表填报: they are the form's claim
    (PE4xx compare them with the recomputation), located on that sheet, the formulas left live."""
    claimed: dict[str, Value] = {}
    for r in L.CLAIMS.rows:
        cells = L.CLAIMS.row_cells(r)
        target = cs[cells["target"]].value
        if target is None or str(target).strip() == "":
            continue
        claimed[str(target).strip().upper().replace("$", "")] = value(cells["stated"], cs)
    if not claimed:
        return form

    def take(ref: str) -> Value:
        # A computed cell the original did not have states nothing (so validating the import
        # reads the form as validating the original does); a blank claim is blank where it is.
        return claimed.pop(ref, Value())

    budget = []
    for line, row in zip(lay.budget_lines, form.budget, strict=False):
        cells = lay.budget_cells(line)
        budget.append(row.model_copy(update={"stated_rate": take(cells["stated_rate"]),
                                             "score": take(cells["score"])}))
    indicators = tuple(ind.model_copy(update={"score": take(lay.indicator_cells(ind.row)["score"])})
                       for ind in form.indicators)
    update = {"budget": tuple(budget) + form.budget[len(budget):], "indicators": indicators,
              "stated_total_weight": take(lay.total_weight),
              "stated_total_score": take(lay.total_score),
              "stated_grade": take(lay.grade)}
    for ref, v in claimed.items():
        problem("PE603", cs.title, v.loc.cell if v.loc else "",
                f"原表填报中的“{ref}”不是自评表中由公式计算的单元格（或该行指标为空），这一项未用于校验。",
                Severity.WARNING)
    return form.model_copy(update=update)


def _check_protection(wb, ws: _Cells, data: bytes | None, problem) -> None:
    if not ws.protected:
        problem("PE607", ws.title, "", "自评表的工作表保护已被取消，公式和结构可能被误改。", Severity.WARNING)
    if isinstance(wb, PackageBook):
        locked = wb.structure_locked
    else:
        locked = bool(wb.security and wb.security.lockStructure)
    if not locked:
        problem("PE607", "", "", "工作簿结构保护已被取消（可增删工作表）。", Severity.WARNING)


def _shown_as(cell: CellView, v: Value) -> str:
    """How a value that should be a number is described: a date says so (a clerk formatted the
    cell as a date, so 1745.81 shows as a day in 1904)."""
    if cell.data_type == "d" or (cell.data_type == "f" and _is_date(v.raw)):
        return f"现为日期（{v.text}；单元格被设成了日期格式，请改为“常规”或“数值”格式后重新填写）"
    return f"现为“{v.text}”"


def _is_date(raw: object) -> bool:
    return isinstance(raw, str) and len(raw) >= 8 and raw[:4].isdigit() and raw[4:5] == "-" and raw[7:8] == "-"


def _blank_input(c) -> bool:
    v = c.value
    return v is None or (isinstance(v, str) and not v.strip())


_BUDGET_LABELS = {"initial": "年初预算数", "full_year": "全年预算数", "actual": "实际支出数"}


def _check_anchors(ws: _Cells, lay: L.FormLayout, problem) -> int | None:
    """0 when every label is where the layout says; None when the form cannot be read safely."""
    moved = []
    for ref, label in lay.anchors.items():
        if _normalize_label(ws[ref].value) != _normalize_label(label):
            moved.append((ref, label))
    if not moved:
        return 0
    for ref, label in moved:
        found = _find_label(ws, label)
        where = f"，现在在 {found}" if found else "，表中已找不到"
        problem("PE603", ws.title, ref, f"模板的行或列被插入、删除或移动：{ref} 应为“{label}”{where}。")
    # Reading values by address from a shifted sheet would put numbers in the wrong fields.
    return None


def _find_label(ws: _Cells, label: str) -> str | None:
    want = _normalize_label(label)
    for ref, c in ws.cells.items():
        if isinstance(c.value, str) and _normalize_label(c.value) == want:
            return ref
    return None


class _Cells:
    """A sheet's non-empty cells by address, with the cached results of its formulas.

    Built in one pass: random access (ws["G23"]) on a read-only openpyxl sheet re-reads the
    sheet each time, and the PackageBook yields the dict directly.
    """

    def __init__(self, title: str, cells: dict[str, CellView], cached: dict[str, object],
                 protected: bool):
        self.title, self.cells, self.cached, self.protected = title, cells, cached, protected

    @classmethod
    def of(cls, wb, title: str, data: bytes | None) -> _Cells:
        if isinstance(wb, PackageBook):
            # The form's columns only: its hidden working columns (layout.FIRST_WORK_COL …) are
            # the template's own formulas, never read back, and most of the sheet's bytes.
            cells, cached = wb.cells(title, L.LAST_COL if title == L.SHEET_FORM else None)
            return cls(title, cells, cached, wb.sheet_protected(title))
        sheet = wb[title]
        cells = {}
        for row in sheet.iter_rows():
            for c in row:
                if c.value is not None and hasattr(c, "coordinate"):
                    cells[c.coordinate] = _openpyxl_cell(c)
        cached = _cached_results(data, title, cells) if data is not None else {}
        protection = getattr(sheet, "protection", None)
        if protection is not None:
            protected = bool(protection.sheet)
        else:  # a read-only openpyxl sheet does not parse its protection
            try:
                protected = PackageBook(data).sheet_protected(title) if data is not None else True
            except PackageUnreadable:
                protected = True  # unknown: no warning rather than a wrong one
        return cls(title, cells, cached, protected)

    def __getitem__(self, ref: str) -> CellView:
        return self.cells.get(ref, _EMPTY)


def _openpyxl_cell(c) -> CellView:
    """An openpyxl cell as the direct reader sees it: a date as ISO text (the model holds no
    datetime), text with lone surrogates replaced."""
    value, dt = c.value, c.data_type
    if isinstance(value, datetime | date | time):
        value, dt = value.isoformat(), "d"
    elif isinstance(value, timedelta):
        value, dt = str(value), "d"
    elif isinstance(value, str):
        value = clean_text(value) if dt != "f" else value
    elif isinstance(value, float) and value - value != 0:
        value, dt = repr(value), "s"
    return CellView(value, dt, c.number_format)


def _cached_results(data: bytes, title: str, cells: dict[str, CellView]) -> dict[str, object]:
    """Cached results of a sheet's formulas when openpyxl read it (the direct reader could not):
    our scan when it can, else openpyxl's own data-only load of the same bytes."""
    try:
        return PackageBook(data).cells(title)[1]
    except (PackageUnreadable, KeyError, zipfile.BadZipFile):
        pass
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    try:
        formulas = {ref for ref, c in cells.items() if c.data_type == "f"}
        return {c.coordinate: _openpyxl_cell(c).value for row in wb[title].iter_rows() for c in row
                if getattr(c, "coordinate", None) in formulas}
    finally:
        wb.close()


_EMPTY = CellView()
