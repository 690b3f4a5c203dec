"""Build the 自评表 workbook from code: blank template, worked example, imported or consolidated form.

The workbook is the official form (A4 landscape, print titles) with our worksheet functions in
the computed cells and their results cached, input cells unlocked and styled, everything else
locked, and the workbook structure protected without a password (protection steers data entry;
it is not security — see README). Every address comes from `layout`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from perfeval.core.errors import CodedError

from .. import __version__
from ..core import cellfunctions as fn
from ..core.decimal_math import fmt_decimal, fmt_percent, to_decimal
from ..core.model import MONEY_SCALE, NARRATIVE_SECTIONS, Form, FormKind, Value
from ..core.targets import BLANK_ANSWERS, normalize_text
from ..core.profiles import Profile, ProfileError, default_profile, load_profile, profile_notes
from ..outputs import set_calc_properties, set_text_cell
from . import layout as L
from . import native_formulas as nf
from .package_xml import (
    BUILD_TIME,
    inject_cached_values,
    normalize_package,
    pin_modified_time,
    share_formulas,
    sheet_part_names,
)

__all__ = ["build_workbook", "TemplateOverflow"]

FIXED_TIME = BUILD_TIME
FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: type here
COMPUTED_FILL = PatternFill("solid", fgColor="DDEBF7")  # pale blue: computed, locked
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

OTHER_NOTES_HINT = "请简要说明中央和省委巡视、各级审计和财政监督中发现的问题及其所涉及金额，如没有请填写“无”。"


class TemplateOverflow(CodedError):
    """The form has more rows than the template holds (PE943); the message is for the clerk."""

    CODE = "PE943"


def _set(c, value: object) -> None:
    """Every value copied from a form goes through here: text never becomes a formula."""
    if isinstance(value, str):
        set_text_cell(c, value)
    else:
        c.value = value


def _excel_value(v: Value | None) -> object:
    if v is None or v.raw is None:
        return None
    raw = v.raw
    if isinstance(raw, Decimal):
        return int(raw) if raw == raw.to_integral_value() and abs(raw) < 10**15 else float(raw)
    return raw


def _percent_format(value: object) -> str:
    d = to_decimal(value)
    if d is not None and (d * 100) == (d * 100).to_integral_value():
        return "0%"
    return "0.00%"


def _same(stated: object, computed: object) -> bool:
    """Is a stated value what the formula gives? (Scores and rates to the shown 2 decimals.)"""
    if stated is None or stated == "":
        return True
    a, b = to_decimal(stated), to_decimal(computed)
    if a is None or b is None:
        return str(stated).strip() == str(computed).strip()
    return abs(a - b) < Decimal("0.005")


class _Claims:
    """What an imported form stated for the cells the template computes: written to 原表填报
    beside the live formulas, never over them (a typed-over formula is the clerk's PE605)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, Value]] = []

    def add(self, label: str, target: str, value: Value) -> None:
        # A cell the original has but left blank is a claim too ("合计得分为空"); one it does
        # not have at all (no 得分 column) is none.
        if not value.is_blank or value.loc is not None:
            self.rows.append((label, target, value))


def _indicator_name(ind) -> str:
    for v in (ind.level3, ind.level2, ind.level1):
        if v.text.strip():
            return v.text.strip()[:40]
    return f"第{ind.row}行指标"


class _Sheet:
    """A thin helper that remembers values as Excel will see them, for computing caches."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.values: dict[str, object] = {}
        self.cached: dict[str, object] = {}

    def put(self, ref: str, value: object, *, number_format: str | None = None) -> None:
        c = self.ws[ref]
        _set(c, value)  # text a clerk typed is never a formula in our output (OWASP ASVS 1.2.10)
        if number_format:
            c.number_format = number_format
        self.values[ref] = value

    def formula(self, ref: str, formula: str, cached: object, *, number_format: str | None = None) -> None:
        c = self.ws[ref]
        c.value = formula
        if number_format:
            c.number_format = number_format
        self.values[ref] = cached
        self.cached[ref] = cached


def _style_range(ws: Worksheet, ref: str, *, border: bool = True, fill: PatternFill | None = None,
                 align: Alignment | None = None, font: Font | None = None) -> None:
    target = ws[ref]
    rows = target if isinstance(target, tuple) else ((target,),)
    for row in rows:
        for c in row if isinstance(row, tuple) else (row,):
            if border:
                c.border = BORDER
            if fill is not None:
                c.fill = fill
            if align is not None:
                c.alignment = align
            if font is not None:
                c.font = font


def _label(ws: Worksheet, ref: str, text: str, merge_to: str | None = None, *, bold: bool = True) -> None:
    ws[ref] = text
    ws[ref].font = Font(name=FONT_NAME, bold=bold, size=10)
    ws[ref].alignment = CENTER
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")
        _style_range(ws, f"{ref}:{merge_to}", fill=HEADER_FILL)
    else:
        ws[ref].border = BORDER
        ws[ref].fill = HEADER_FILL


def build_workbook(form: Form | None = None, profile: Profile | None = None, *,
                   kind: FormKind | None = None, keep_stated: bool = True) -> bytes:
    """The template as .xlsx bytes, filled with `form` when given.

    keep_stated: the values the form states for computed cells (a published form's 得分, 合计,
    执行率, 等级) go to the 原表填报 sheet beside the live formulas, where the checker reads them as
    the form's claim. Consolidation passes False: its figures are its own.
    """
    kind = kind or (form.kind if form is not None else FormKind.DEPARTMENT)
    # Callers pass the profile the loader resolved; a blank template takes its kind's default.
    profile = profile or load_profile(default_profile(kind))
    if profile.form_kind != kind.value:
        raise ProfileError(f"规则「{profile.title}」适用于{FormKind(profile.form_kind).title}，"
                           f"不能用于{kind.title}。")
    lay = L.layout_for(kind)
    filled = form.filled_indicators if form is not None else ()
    if len(filled) > lay.indicator_count:
        raise TemplateOverflow(
            f"该表有 {len(filled)} 个三级指标，模板最多容纳 {lay.indicator_count} 个；请合并或拆分后再导入。"
        )
    deductions = form.deductions if form is not None else ()
    if len(deductions) > L.DEDUCTION_ROWS:
        raise TemplateOverflow(f"该表有 {len(deductions)} 项扣分事项，模板最多容纳 {L.DEDUCTION_ROWS} 项。")

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in L.SHEET_ORDER}
    form_sheet = _Sheet(sheets[L.SHEET_FORM])
    claims = _Claims()
    _build_form_sheet(form_sheet, form, filled, lay, profile, claims)
    cached = {L.SHEET_FORM: form_sheet.cached}
    if keep_stated and claims.rows:
        ws = wb.create_sheet(L.SHEET_CLAIMS, 1)  # beside the form it annotates
        cached[L.SHEET_CLAIMS] = _build_claims_sheet(ws, claims, form_sheet.values)
    _build_narrative_sheet(sheets[L.SHEET_NARRATIVE], form)
    _build_units_sheet(sheets[L.SHEET_UNITS], form)
    _build_profile_sheet(sheets[L.SHEET_PROFILE], profile)
    _build_findings_sheet(sheets[L.SHEET_FINDINGS])
    _build_config_sheet(sheets[L.SHEET_CONFIG], kind, profile)

    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    wb.properties.creator = "perfeval"
    wb.properties.lastModifiedBy = "perfeval"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.title = kind.title
    set_calc_properties(wb)  # Excel keeps the cached results on open

    buf = io.BytesIO()
    wb.save(buf)
    return _finish(buf.getvalue(), cached, {L.SHEET_FORM: _filled_down_runs(form_sheet.cached, lay)})


def _filled_down_runs(cached: Mapping[str, object], lay: L.FormLayout) -> list[tuple[str, int, int]]:
    """(column, first row, last row) of each unbroken run of formula cells in the filled-down
    columns (a stated score typed over the formula breaks 得分's run)."""
    runs = []
    for col in L.FILLED_DOWN_COLS:
        start = None
        for r in [*lay.indicator_rows, None]:
            if r is not None and f"{col}{r}" in cached:
                start = r if start is None else start
                continue
            if start is not None:
                runs.append((col, start, (r if r is not None else lay.indicator_last_row + 1) - 1))
                start = None
    return runs


def _finish(data: bytes, cached: Mapping[str, Mapping[str, object]],
            shared: Mapping[str, list[tuple[str, int, int]]] | None = None) -> bytes:
    import zipfile

    zf = zipfile.ZipFile(io.BytesIO(data))
    parts = sheet_part_names(zf)
    replace = {}
    for title, values in cached.items():
        xml = share_formulas(zf.read(parts[title]), (shared or {}).get(title, []))
        replace[parts[title]] = inject_cached_values(xml, values)
    return pin_modified_time(normalize_package(data, replace))


def _build_form_sheet(s: _Sheet, form: Form | None, filled, lay: L.FormLayout, profile: Profile,
                      claims: _Claims) -> None:
    ws = s.ws
    prof = profile.name
    base = profile.execution.base

    # The furniture first: labels and merges, all described by the layout.
    for ref, text, bold in lay.labels():
        first, _, last = ref.partition(":")
        _label(ws, first, text, last or None, bold=bold)
    for ref in lay.value_merges():
        ws.merge_cells(ref)
    for ref in lay.input_ranges():
        _style_range(ws, ref, fill=INPUT_FILL, align=WRAP)
    for ref in lay.computed_ranges():
        _style_range(ws, ref, fill=COMPUTED_FILL, align=CENTER)
    for ref in (lay.goals_expected, lay.goals_actual, lay.other_notes):
        ws[ref].alignment = Alignment(wrap_text=True, vertical="top")

    # Title, computed from the year so the two cannot disagree.
    year_value = _excel_value(form.year) if form is not None else None
    title = f"{year_value}年度{lay.kind.title}" if year_value not in (None, "") else lay.kind.title
    s.formula(lay.title, lay.title_formula(), title)
    ws[lay.title].font = Font(name="黑体", size=16, bold=True)
    ws[lay.title].alignment = CENTER

    # Header: name and year (and, on the project form, 主管部门 / 实施单位).
    s.put(lay.name, _excel_value(form.name) if form else None)
    s.put(lay.year, year_value)
    ws[lay.year].alignment = CENTER
    if lay.competent and lay.implementer:
        s.put(lay.competent, _excel_value(form.competent_dept) if form else None)
        s.put(lay.implementer, _excel_value(form.implementer) if form else None)

    # Budget block: the amounts first, since the execution score may be on the parts.
    stated_lines = [_stated_budget(form, i, line) for i, line in enumerate(lay.budget_lines)]
    unit = form.money_unit if form is not None else "万元"
    for line, stated in zip(lay.budget_lines, stated_lines, strict=True):
        c = lay.budget_cells(line)
        for key in ("initial", "full_year", "actual"):
            s.put(c[key], _amount(getattr(stated, key), unit) if stated else None, number_format="#,##0.00")
    for line, stated in zip(lay.budget_lines, stated_lines, strict=True):
        c = lay.budget_cells(line)
        actual = s.values[c["actual"]]
        basis = s.values[c["full_year" if base == "full_year" else "initial"]]
        rate = fn.EXEC_RATE(actual, basis)
        if stated is not None:
            claims.add(f"{line.label}执行率", c["stated_rate"], stated.stated_rate)
        s.formula(c["stated_rate"], lay.rate_formula(line, base), rate, number_format="0.00%")
        if line is lay.main_budget_line:
            w = profile.execution.weight
            # the form's own 分值 when it states one (a wrong one is PE107's to report)
            if stated is not None and not stated.weight.is_blank:
                s.put(c["weight"], _excel_value(stated.weight))
            else:
                s.put(c["weight"], float(w) if w % 1 else int(w))
            score = fn.EXEC_SCORE(*_execution_inputs(s, lay, base), s.values[c["weight"]], prof)
            s.formula(lay.py_execution_score, lay.python_execution_score_formula(base), score)
            if stated is not None:
                claims.add("预算执行率得分", c["score"], stated.score)
            s.formula(c["score"], lay.execution_score_formula(base), score, number_format="0.00")
        else:
            s.put(c["weight"], "-")
            s.put(c["score"], None)

    # 年度总体绩效目标完成情况.
    s.put(lay.goals_expected, _excel_value(form.goals_expected) if form else None)
    s.put(lay.goals_actual, _excel_value(form.goals_actual) if form else None)

    # Indicator table. Beside each row, hidden: whether the completion cell is percent-formatted,
    # the add-in's results (one array formula over the block) and the fallback formulas' steps;
    # every cached value is what the formula computes (the mirror in native_formulas).
    scores_for_total: list[object] = []
    python_rows: list[list[object]] = []
    formulas = lay.formula_cells(base)  # built once per layout and base
    for idx, r in enumerate(lay.indicator_rows):
        c = lay.indicator_cells(r)
        ind = filled[idx] if idx < len(filled) else None
        for key in ("level1", "level2", "level3", "target", "reason", "kind", "direction"):
            s.put(c[key], _excel_value(getattr(ind, key)) if ind else None)
        for key in ("actual", "weight"):
            v = getattr(ind, key) if ind else None
            s.put(c[key], _excel_value(v),
                  number_format=_percent_format(v.raw) if v is not None and v.percent_format else None)
        vals = [s.values[c[k]] for k in ("target", "actual", "weight")]
        kind_v, direction_v = s.values[c["kind"]], s.values[c["direction"]]
        pct = bool(ind is not None and ind.actual.percent_format)  # what CELL("format") reports
        work = lay.work_cells(r)
        s.formula(work["percent"], formulas[work["percent"]], pct)
        mirror = nf.row_values(vals[0], vals[1], kind_v, direction_v, pct, profile)
        for name in L.HELPER_COLS:
            s.formula(work[name], formulas[work[name]], mirror[name])
        computed = fn.SCORE(*vals, prof, kind_v, direction_v, pct)
        if ind is not None:
            claims.add(f"{_indicator_name(ind)}得分", c["score"], ind.score)
        s.formula(c["score"], formulas[c["score"]], computed, number_format="0.00")
        scores_for_total.append(s.values[c["score"]])
        reading = fn.TARGET(s.values[c["target"]], s.values[c["kind"]], s.values[c["direction"]])
        s.formula(c["reading"], formulas[c["reading"]], reading)
        band = fn.BAND(s.values[c["actual"]], prof, pct, s.values[c["target"]]) if str(reading)[:2] == "定性" else ""
        s.formula(c["band"], formulas[c["band"]], band)
        python_rows.append([computed, reading, band])
        for key in ("reading", "band"):
            ws[c[key]].alignment = WRAP
        if ind is not None:
            ws.row_dimensions[r].height = _row_height([(s.values[c[k]], COLUMN_WIDTHS[c[k][0]]) for k in
                                                       ("level1", "level2", "level3", "target", "reason")])
        elif filled:
            # A filled form prints without its spare rows; Format › Row › Unhide brings them back.
            ws.row_dimensions[r].hidden = True
    ws[lay.indicator_header].comment = Comment(lay.rows_hint(), "perfeval")
    _python_block(s, lay, python_rows)

    # 合计 and 等级.
    weights = [s.values[lay.indicator_cells(r)["weight"]] for r in lay.indicator_rows]
    main = lay.budget_cells(lay.main_budget_line)
    weight_sum = sum((to_decimal(w) or Decimal(0)) for w in weights if not isinstance(w, str)) + (
        to_decimal(s.values[main["weight"]]) or Decimal(0))
    weight_total = int(weight_sum) if weight_sum == weight_sum.to_integral_value() else float(weight_sum)
    # Deduction inputs are written below the total; the total needs their points now.
    ded_values = [_excel_value(d.points) for d in deductions_of(form)]
    numeric = [v for v in [*scores_for_total, s.values[main["score"]]]
               if isinstance(v, int | float) and not isinstance(v, bool)]
    total = fn.TOTAL(scores_for_total, ded_values, s.values[main["score"]], prof) if numeric else ""
    if form is not None:
        claims.add("合计分值", lay.total_weight, form.stated_total_weight)
        claims.add("合计得分", lay.total_score, form.stated_total_score)
        claims.add("自评等级", lay.grade, form.stated_grade)
    s.formula(lay.total_weight, lay.total_weight_formula(), weight_total)
    s.formula(lay.py_total, lay.python_total_formula(), total)
    s.formula(lay.total_score, lay.total_score_formula(), total, number_format="0.00")
    s.put(lay.total_note, _excel_value(form.total_note) if form else None)
    grade = fn.GRADE(s.values[lay.total_score], prof)
    s.formula(lay.py_grade, lay.python_grade_formula(), grade)
    s.formula(lay.grade, lay.grade_formula(), grade)
    ws[lay.grade_hint] = " ".join(f"{g.name}≥{fmt_decimal(g.min_total)}" for g in profile.grades[:-1])
    ws[lay.grade_hint].font = Font(name=FONT_NAME, size=8, color="808080")

    # Deductions (巡视 / 审计 / 财政监督: 酌情扣分).
    ded_list = list(deductions_of(form))
    for i, r in enumerate(lay.deduction_rows):
        c = lay.deduction_cells(r)
        d = ded_list[i] if i < len(ded_list) else None
        s.put(c["source"], _excel_value(d.source) if d else None)
        s.put(c["description"], _excel_value(d.description) if d else None)
        s.put(c["amount"], _excel_value(d.amount) if d else None, number_format="#,##0.00")
        s.put(c["points"], _excel_value(d.points) if d else None)

    # 其他需要说明的问题 and the printed notes.
    s.put(lay.other_notes, _excel_value(form.other_notes) if form else None)
    ws[lay.other_notes].comment = Comment(OTHER_NOTES_HINT, "perfeval")
    foot = lay.footnote
    ws[foot] = profile_notes(profile)
    ws[foot].alignment = Alignment(wrap_text=True, vertical="top")
    ws[foot].font = Font(name=FONT_NAME, size=9)

    # Row heights: viewers do not auto-fit rows on open.
    ws.row_dimensions[1].height = 32
    for row in (lay.budget_header_row, lay.indicator_header_row, lay.deduction_header_row):
        ws.row_dimensions[row].height = 30
    ws.row_dimensions[lay.goals_row].height = max(60.0, _row_height([(s.values[lay.goals_expected], 60),
                                                                     (s.values[lay.goals_actual], 53)]))
    ws.row_dimensions[lay.other_notes_row].height = 45
    ws.row_dimensions[lay.footnote_row].height = 120

    _finish_form_sheet(ws, lay)
    _work_columns(ws, lay)


def _python_block(s: _Sheet, lay: L.FormLayout, rows: list[list[object]]) -> None:
    """SCORE_TABLE as a (pre-dynamic-array) array formula, with its results as Excel stores them:
    the formula and first result in the top-left cell, the other results in the cells."""
    ws = s.ws
    ref, formula = lay.python_block()
    first = lay.indicator_first_row
    cols = (L.COL_PY_SCORE, L.COL_PY_READING, L.COL_PY_BAND)
    for i, values in enumerate(rows):
        for col, value in zip(cols, values, strict=True):
            at = f"{col}{first + i}"
            if i == 0 and col == cols[0]:
                ws[at] = ArrayFormula(ref, formula)
                s.values[at] = s.cached[at] = value
            else:
                ws[at].value = value if value != "" else None
                s.values[at] = value


def _work_columns(ws: Worksheet, lay: L.FormLayout) -> None:
    """The hidden working columns: a small grey header, locked, outside the print area."""
    grey = Font(name=FONT_NAME, size=8, color="808080")
    for col, head in L.WORK_HEADS.items():
        ws[f"{col}{lay.indicator_header_row}"] = head
        ws[f"{col}{lay.indicator_header_row}"].font = grey
    for col in (L.COL_PY_SCORE, L.COL_PY_READING, L.COL_PY_BAND):
        for r in lay.indicator_rows:
            ws[f"{col}{r}"].font = grey  # gives every cell of the array a place in the file
    ws.column_dimensions.group(L.FIRST_WORK_COL, L.LAST_WORK_COL, hidden=True)


def _stated_budget(form: Form | None, index: int, line: L.BudgetLine):
    """The form's budget row for a template line: same position, else the first of its kind."""
    if form is None:
        return None
    rows = list(form.budget)
    if index < len(rows) and rows[index].kind is line.kind:
        return rows[index]
    if line.kind is L.BudgetRowKind.SOURCE:
        return None
    return next((r for r in rows if r.kind is line.kind), None)


def unplaced_budget_rows(form: Form) -> list:
    """The form's budget rows the template has no line for (a department form's 当年财政拨款 row:
    the department layout has 基本支出 / 项目支出), which an import cannot carry over."""
    lay = L.layout_for(form.kind)
    placed = {id(r) for i, line in enumerate(lay.budget_lines) if (r := _stated_budget(form, i, line)) is not None}
    return [r for r in form.budget if id(r) not in placed]


COLUMN_WIDTHS = L.FORM_COLUMN_WIDTHS
LINE_HEIGHT = 13.5  # points per wrapped line at 10 pt


def _row_height(cells: list[tuple[object, float]]) -> float:
    """Enough height for the longest wrapped text: viewers do not auto-fit rows on open."""
    import math

    lines = 1
    for value, width in cells:
        if isinstance(value, str) and value:
            # A CJK character is about two width units; Latin text about one.
            units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in value)
            lines = max(lines, math.ceil(units / max(width - 1, 1)))
    return max(15.0, lines * LINE_HEIGHT + 3)


def deductions_of(form: Form | None):
    return form.deductions if form is not None else ()


def _finish_form_sheet(ws: Worksheet, lay: L.FormLayout) -> None:
    for col, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.row_dimensions[lay.header_row].height = 30
    for row in ws.iter_rows(min_row=1, max_row=lay.footnote_row, max_col=12):
        for c in row:
            if c.font is None or c.font.name in (None, "Calibri"):
                c.font = Font(name=FONT_NAME, size=10, bold=c.font.bold if c.font else False)
    # Input cells unlocked; everything else stays locked under sheet protection.
    for ref in lay.input_cells:
        ws[ref].protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # allowed: clerks widen columns for long text
    ws.protection.formatRows = False
    ws.protection.formatCells = True
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False

    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, errorTitle="金额有误", error="请输入不小于 0 的金额（万元）。")
    for line in lay.budget_lines:
        c = lay.budget_cells(line)
        money.add(f"{c['initial']}:{c['actual']}")
    for r in lay.deduction_rows:
        money.add(lay.deduction_cells(r)["amount"])
    weight = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                            showErrorMessage=True, errorTitle="分值有误", error="分值应为 0～100 之间的数字。")
    weight.add(lay.indicator_column(L.COL_WEIGHT))
    kind = DataValidation(type="list", formula1='"定量,定性"', allow_blank=True, showErrorMessage=True,
                          promptTitle="指标性质", prompt="留空则按年度指标值自动判断。", showInputMessage=True)
    kind.add(lay.indicator_column(L.COL_KIND))
    direction = DataValidation(type="list", formula1='"正向,反向"', allow_blank=True, showErrorMessage=True,
                               promptTitle="指标方向", prompt="反向指标：越小越好（如控制率、投诉率）。留空则按年度指标值判断。",
                               showInputMessage=True)
    direction.add(lay.indicator_column(L.COL_DIRECTION))
    source = DataValidation(type="list", formula1='"巡视,审计,财政监督,其他"', allow_blank=True)
    for r in lay.deduction_rows:
        source.add(lay.deduction_cells(r)["source"])
    points = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    for r in lay.deduction_rows:
        points.add(lay.deduction_cells(r)["points"])
    for dv in (money, weight, kind, direction, source, points):
        ws.add_data_validation(dv)

    ws.print_area = lay.print_area
    ws.print_title_rows = f"{lay.indicator_header_row}:{lay.indicator_header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = lay.freeze_at


def _build_narrative_sheet(ws: Worksheet, form: Form | None) -> None:
    n = L.NARRATIVE
    _label(ws, f"{n.label_col}{n.header_row}", "报告素材")
    _label(ws, f"{n.value_col}{n.header_row}", "内容（照录进自评报告，可多段，段间换行）")
    _label(ws, f"{n.hint_col}{n.header_row}", "填写提示")
    hints = {
        "functions": "部门职能、机构性质、所属单位（见三定方案）",
        "staffing": "编制数、实有人数及构成，与上年增减",
        "budget_execution": "可留空：报告按自评表的预算数据自动生成",
        "adjustment_reason": "全年预算数与年初预算数差异较大时必须说明",
        "problems": "一是……二是……",
        "measures": "一是……二是……",
        "report_date": "如 2024年3月6日",
        "benefit_review": "可留空：效益指标的具体成效、数据分析",
        "doc_number": "本报告的发文字号，如 正人社发〔2024〕57号；留空则不印红头",
        "recipient": "如 县财政局",
        "notice_title": "如 正宁县财政局关于开展2023年度预算执行情况绩效自评工作的通知",
        "notice_number": "如 正财函字〔2024〕24号",
        "printer": "版记：印发机关，如 正宁县人力资源和社会保障局；留空则不印版记",
        "print_date": "版记：印发日期，如 2024年3月6日",
        "copies": "版记：印发份数，如 5",
    }
    for key, label in NARRATIVE_SECTIONS.items():
        r = n.row_of(key)
        ws[f"{n.label_col}{r}"] = label
        ws[f"{n.label_col}{r}"].font = Font(name=FONT_NAME, bold=True, size=10)
        ws[f"{n.label_col}{r}"].alignment = WRAP
        v = form.narrative.sections.get(key) if form is not None else None
        c = ws[f"{n.value_col}{r}"]
        text = v.text if v is not None else None
        _set(c, text or None)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        c.fill = INPUT_FILL
        c.protection = Protection(locked=False)
        ws[f"{n.hint_col}{r}"] = hints.get(key)
        ws[f"{n.hint_col}{r}"].font = Font(name=FONT_NAME, size=9, color="808080")
        ws.row_dimensions[r].height = 60 if len(text or "") < 200 else 160
        for col in (n.label_col, n.value_col, n.hint_col):
            ws[f"{col}{r}"].border = BORDER
    ws.column_dimensions[n.label_col].width = 22
    ws.column_dimensions[n.value_col].width = 100
    ws.column_dimensions[n.hint_col].width = 30
    _print_fit_width(ws, landscape=True)
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def _build_claims_sheet(ws: Worksheet, claims: _Claims, computed: Mapping[str, object]) -> dict[str, object]:
    """原表填报; returns the cached results of its formulas."""
    c = L.CLAIMS
    ws[c.note_cell] = c.note
    ws[c.note_cell].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"{c.note_cell}:{c.columns[-1][0]}{c.note_cell[1:]}")
    ws.row_dimensions[int(c.note_cell[1:])].height = 48
    for col, text, width in c.columns:
        _label(ws, f"{col}{c.header_row}", text)
        ws.column_dimensions[col].width = width
    cached: dict[str, object] = {}
    for (label, target, value), r in zip(claims.rows, c.rows, strict=False):
        cells = c.row_cells(r)
        ws[cells["label"]] = label
        ws[cells["target"]] = target
        stated = _excel_value(value)
        _set(ws[cells["stated"]], stated)
        if value.percent_format:
            ws[cells["stated"]].number_format = _percent_format(stated)
        result = computed.get(target)
        ws[cells["computed"]] = c.computed_formula(target)
        ws[cells["computed"]].number_format = ws[cells["stated"]].number_format
        cached[cells["computed"]] = result
        ws[cells["difference"]] = c.difference_formula(r)
        cached[cells["difference"]] = _difference(stated, result)
        if not _same(stated, result):
            ws[cells["stated"]].font = Font(name=FONT_NAME, color="C00000")
        for ref in cells.values():
            ws[ref].border = BORDER
    ws.freeze_panes = f"A{c.first_row}"
    _print_fit_width(ws, landscape=False)
    return cached


def _amount(v: Value, unit: str) -> object:
    """A budget amount in the template's 万元: a number in the form's unit scaled, a published
    form's text amount ("150万", "4753.66万元") read, "-" / "—" / a bare "万元" blank."""
    if v.is_blank:
        return None
    n = v.number
    if n is not None:
        return _excel_value(v) if unit == "万元" else _number_out(n * MONEY_SCALE.get(unit, MONEY_SCALE["万元"]) / MONEY_SCALE["万元"])
    m = v.money("万元")
    if m is not None:
        return _number_out(m)
    text = normalize_text(v.text)
    if text in BLANK_ANSWERS or text.strip("（）()") in MONEY_SCALE or text in ("万", "萬"):
        return None
    return _excel_value(v)  # not an amount: kept as typed, for PE604 to report


def _number_out(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() and abs(d) < 2**53 else float(d)


def _execution_inputs(s: _Sheet, lay: L.FormLayout, base: str) -> tuple[object, object]:
    """(实际支出, 预算) the execution-score formulas pass on: the total line's, or the sums of
    its parts when it is empty or 0 and they hold figures (FormLayout._exec_inputs)."""
    key = "full_year" if base == "full_year" else "initial"
    c = lay.budget_cells(lay.main_budget_line)

    def n(v: object) -> float:
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else 0.0

    parts = [lay.budget_cells(line) for line in lay.part_lines]
    figures = [s.values.get(p[k]) for p in parts for k in ("initial", "full_year", "actual")]
    if (parts and all(n(s.values.get(c[k])) == 0 for k in ("initial", "full_year", "actual"))
            and any(isinstance(v, int | float) and not isinstance(v, bool) for v in figures)):
        return sum(n(s.values.get(p["actual"])) for p in parts), sum(n(s.values.get(p[key])) for p in parts)
    return s.values.get(c["actual"]), s.values.get(c[key])


def _difference(stated: object, computed: object) -> object:
    """What CLAIMS.difference_formula gives: a rounded difference of two numbers, "" for the
    same text, else 不同 (Excel's = never equates a number with text)."""
    def number(v: object) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool)

    if number(stated) and number(computed):
        return nf.excel_round(float(stated) - float(computed), 4)  # type: ignore[arg-type]
    if isinstance(stated, str) and isinstance(computed, str) and stated.lower() == computed.lower():
        return ""
    return "不同"


def _build_units_sheet(ws: Worksheet, form: Form | None) -> None:
    u = L.UNITS
    for col, text, width in u.columns:
        _label(ws, f"{col}{u.header_row}", text)
        ws.column_dimensions[col].width = width
    units = list(form.units) if form is not None else []
    for i, r in enumerate(u.rows):
        ws[u.number_cell(r)] = i + 1
        cells = u.unit_cells(r)
        unit = units[i] if i < len(units) else None
        for key, ref in cells.items():
            _set(ws[ref], _excel_value(getattr(unit, key)) if unit else None)
            ws[ref].fill = INPUT_FILL
            ws[ref].protection = Protection(locked=False)
            ws[ref].border = BORDER
        ws[cells["fund"]].number_format = "#,##0.00"
    _print_fit_width(ws, landscape=False)
    ws.protection.sheet = True


def _print_fit_width(ws: Worksheet, *, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _build_profile_sheet(ws: Worksheet, profile: Profile) -> None:
    p = L.PROFILE_SHEET
    for ref, text in p.labels:
        ws[ref] = text
    ws[p.name], ws[p.title], ws[p.description] = profile.name, profile.title, profile.description
    r = p.first_table_row
    rows: list[tuple[str, str]] = [("一级指标", "分值")]
    rows += [(k, fmt_decimal(v)) for k, v in profile.first_level.items()]
    rows += [("", ""), ("执行率计算基数", "全年预算数" if profile.execution.base == "full_year" else "年初预算数"),
             ("执行率得分方法", "按比例（最高为分值）" if profile.execution.method == "proportional" else "分档")]
    rows += [(f"档次：{b.name}", f"完成比例 {'≥' if b.lower_inclusive else '>'} {fmt_percent(b.lower)}")
             for b in profile.bands]
    rows += [(f"等级：{g.name}", f"总分 ≥ {fmt_decimal(g.min_total)}") for g in profile.grades]
    rows += [("超额完成需说明原因的幅度", fmt_percent(profile.indicators.over_achievement_threshold))]
    for i, (a, b) in enumerate(rows):
        ws[f"{p.key_col}{r + i}"], ws[f"{p.value_col}{r + i}"] = a or None, b or None
    ws.column_dimensions[p.key_col].width = 36
    ws.column_dimensions[p.value_col].width = 60
    # The numbers the native fallback formulas read, from the same profile.
    for ref, value in p.parameter_cells(nf.profile_values(profile)):
        _set(ws[ref], value)
    ws[f"{p.param_label_col}{p.param_header_row}"].font = Font(name=FONT_NAME, bold=True, size=10)
    ws.column_dimensions[p.param_label_col].width = 34
    ws.column_dimensions[p.param_col].width = 10
    ws.column_dimensions["G"].width = 30
    ws.protection.sheet = True


def _build_findings_sheet(ws: Worksheet) -> None:
    f = L.FINDINGS
    for col, text, width in f.columns:
        _label(ws, f"{col}{f.header_row}", text)
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f.freeze_at


def _build_config_sheet(ws: Worksheet, kind: FormKind, profile: Profile) -> None:
    c = L.CONFIG
    for ref, text in c.labels:
        ws[ref] = text
    ws[c.marker] = L.TEMPLATE_MARKER
    ws[c.version] = L.LAYOUT_VERSION
    ws[c.kind] = kind.value
    ws[c.profile] = profile.name
    ws[c.generator] = f"perfeval {__version__}"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
