"""Read a filled template (.xlsx / .xlsm) into the core model. Never writes to the file.

Each value keeps its sheet and cell and the text as typed; formula cells keep their formula and
cached result, so the checker can tell a computed 得分 from one typed over the formula. Damage
to the template (a deleted row, a missing sheet, text in a money cell) becomes a problem with
the cell address, never an exception.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

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
from .package_reader import CellView, PackageBook

__all__ = ["read_form", "read_workbook"]


def _finding(code: str, severity: Severity, sheet: str, cell: str, message: str, file: str) -> Finding:
    return Finding(code=code, severity=severity, sheet=sheet, cell=cell, message=message, file=file)


def read_form(path: str | Path) -> tuple[Form, list[Finding]]:
    """Open through the guarded checks and read; an unreadable file is a PE9xx problem."""
    from .package_reader import PackageUnreadable
    from .safe_open import (
        InputFileError,
        check_workbook_bytes,
        ensure_defused_xml,
        open_workbook,
        read_input_file,
    )

    p = Path(path)
    try:
        ensure_defused_xml()
        data = read_input_file(p)
        check_workbook_bytes(p, data)
    except InputFileError as exc:
        return Form(source=p.name), [_unreadable(exc, p)]
    try:
        return read_workbook(PackageBook(data), data, source=p.name)
    except PackageUnreadable:
        pass  # something our direct reader does not know: let openpyxl read it
    try:
        wb = open_workbook(p, keep_vba=False, read_only=True)
    except InputFileError as exc:
        return Form(source=p.name), [_unreadable(exc, p)]
    try:
        return read_workbook(wb, data, source=p.name)
    finally:
        wb.close()


def _unreadable(exc, p: Path) -> Finding:
    return Finding(code=exc.code, severity=Severity.ERROR, message=exc.message, file=p.name)


def _normalize_label(text: object) -> str:
    return normalize_text(str(text or ""))


def read_workbook(wb: "Workbook | PackageBook", data: bytes | None, *,
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
        return Value(
            raw=raw,
            loc=Loc(sheet=sheet.title, cell=ref),
            percent_format="%" in (c.number_format or ""),
            formula=formula,
        )

    budget = []
    for line in lay.budget_lines:
        cells = lay.budget_cells(line)
        row = BudgetRow(kind=line.kind, **{k: value(ref) for k, ref in cells.items()})
        for key in ("initial", "full_year", "actual"):
            v = getattr(row, key)
            if not v.is_blank and v.number is None:
                problem("PE604", ws.title, cells[key], f"{line.label}的{_BUDGET_LABELS[key]}应为数字，现为“{v.text}”。")
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
        sections = {}
        for key, label in NARRATIVE_SECTIONS.items():
            label_cell = L.NARRATIVE.label_cell(key)
            if _normalize_label(ns[label_cell].value) != _normalize_label(label):
                problem("PE603", ns.title, label_cell, f"报告素材的行被移动或删除：此处应为“{label}”。",
                        Severity.WARNING)
                continue
            sections[key] = value(L.NARRATIVE.value_cell(key), ns)
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
                    problem("PE604", us.title, L.UNITS.unit_cells(r)["fund"],
                            f"下属单位的资金额度应为数字，现为“{u.fund.text}”。")
                units.append(u)

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
    _check_protection(wb, ws, data, problem)
    return form, problems


def _check_protection(wb, ws: "_Cells", data: bytes | None, problem) -> None:
    if not ws.protected:
        problem("PE607", ws.title, "", "自评表的工作表保护已被取消，公式和结构可能被误改。", Severity.WARNING)
    if isinstance(wb, PackageBook):
        locked = wb.structure_locked
    else:
        locked = bool(wb.security and wb.security.lockStructure)
    if not locked:
        problem("PE607", "", "", "工作簿结构保护已被取消（可增删工作表）。", Severity.WARNING)


def _blank_input(c) -> bool:
    v = c.value
    return v is None or (isinstance(v, str) and not v.strip())


_BUDGET_LABELS = {"initial": "年初预算数", "full_year": "全年预算数", "actual": "实际支出数"}


def _check_anchors(ws: "_Cells", lay: L.FormLayout, problem) -> int | None:
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


def _find_label(ws: "_Cells", label: str) -> str | None:
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
    def of(cls, wb, title: str, data: bytes | None) -> "_Cells":
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
                    cells[c.coordinate] = CellView(c.value, c.data_type, c.number_format)
        cached = _cached_results(data, title, cells) if data is not None else {}
        protection = getattr(sheet, "protection", None)
        if protection is not None:
            protected = bool(protection.sheet)
        else:  # a read-only openpyxl sheet does not parse its protection
            protected = PackageBook(data).sheet_protected(title) if data is not None else True
        return cls(title, cells, cached, protected)

    def __getitem__(self, ref: str) -> CellView:
        return self.cells.get(ref, _EMPTY)


def _cached_results(data: bytes, title: str, cells: dict[str, CellView]) -> dict[str, object]:
    """Cached results of a sheet's formulas when openpyxl read it (the direct reader could not):
    our scan when it can, else openpyxl's own data-only load of the same bytes."""
    from .package_reader import PackageBook, PackageUnreadable

    try:
        return PackageBook(data).cells(title)[1]
    except (PackageUnreadable, KeyError, zipfile.BadZipFile):
        pass
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    try:
        formulas = {ref for ref, c in cells.items() if c.data_type == "f"}
        return {c.coordinate: c.value for row in wb[title].iter_rows() for c in row
                if getattr(c, "coordinate", None) in formulas}
    finally:
        wb.close()


_EMPTY = CellView()
