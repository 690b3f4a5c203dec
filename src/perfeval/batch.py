"""Checking hundreds of returned forms at once, and the bureau's summary of them.

Every file ends in a `FileReport`, whatever happens to it: a file that cannot be opened carries
its PE9xx message, a workbook that is not our form carries its PE6xx message, and the batch goes
on. Reports come back in input order whether the work ran in this process or in a pool.

Text taken from the forms (names, messages quoting cells) is data, never a formula, in every
output here: CSV and JSON through `sanitize_cell_text`, the summary workbook through
`set_text_cell`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from .core.decimal_math import fmt_decimal, fmt_percent
from .core.findings import Finding, Severity
from .core.profiles import DEFAULT_PROFILE, load_profile
from .core.scoring import grade as grade_of
from .formats import FORM_SUFFIXES as _FORMAT_SUFFIXES
from .loader import Loaded, ProfileSpec, ProgressCallback, load_forms
from .outputs import same_file

__all__ = [
    "UNREADABLE",
    "FileReport",
    "batch_table",
    "check_file",
    "expand_paths",
    "grade_distribution",
    "render_batch_csv",
    "render_batch_json",
    "report_of",
    "validate_many",
    "write_summary",
]

#: What a folder yields: workbooks (.xlsx .xlsm .xls .et .ods) and reports (.docx .doc .pdf).
FORM_SUFFIXES = _FORMAT_SUFFIXES
_NOT_FORMS = ("~$", ".~perfeval-", "._", ".~lock.")
UNREADABLE = "无法读取"
NOT_STATED = "未填"

class FileReport(BaseModel):
    """One file's result in a batch."""

    file: str
    name: str = ""  # 部门（单位）名称
    kind: str | None = None  # department / project
    profile: str | None = None
    full_year: Decimal | None = None  # 全年预算数 (全年支出 row)
    actual: Decimal | None = None  # 实际支出数
    execution_rate: Decimal | None = None
    stated_total: Decimal | None = None  # 自评: what the form's 合计 cell says
    stated_grade: str | None = None  # 自评: the form's 等级 (or the grade of its 合计)
    total: Decimal | None = None  # 重算: recomputed
    grade: str | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    findings: list[Finding] = []
    read_error: str | None = None  # "PE903 …" when there is no form to check
    read_error_code: str | None = None

    @property
    def readable(self) -> bool:
        return self.read_error is None

    @property
    def display_name(self) -> str:
        return self.name or Path(self.file).name

    @property
    def difference(self) -> Decimal | None:
        """自评 − 重算: how far the stated total is above the recomputed one."""
        if self.stated_total is None or self.total is None:
            return None
        return self.stated_total - self.total


# ---------------------------------------------------------------------------------------------
# finding the files


def expand_paths(paths: Iterable[str | os.PathLike[str]], *,
                 exclude: Iterable[Path] = ()) -> list[Path]:
    """Files as given; directories searched recursively for the FORM_SUFFIXES, sorted, each file
    once (a file reached twice — named and inside a folder, or through a link — is one file).

    Office/WPS lock files (~$name.xlsx), macOS resource forks (._name.xlsx, left on USB sticks),
    our own temporary outputs and `exclude` (e.g. the consolidation's own template and output)
    are skipped inside directories; a file named explicitly is always kept.
    """
    exclude = [Path(e) for e in exclude]
    out: list[Path] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                (f for f in p.rglob("*") if f.suffix.lower() in FORM_SUFFIXES and f.is_file()
                 and not f.name.startswith(_NOT_FORMS)
                 and not any(same_file(f, e) for e in exclude)),
                key=lambda f: f.relative_to(p).parts,
            )
        else:
            found = [p]
        for f in found:
            key = os.path.normcase(os.path.realpath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


# ---------------------------------------------------------------------------------------------
# one file


def report_of(loaded: Loaded) -> FileReport:
    """The batch's line for one loaded file."""
    from .checks import count_by_severity

    counts = count_by_severity(loaded.findings)
    path = str(loaded.path) if loaded.path is not None else loaded.source
    report = FileReport(
        file=path, name=loaded.form.name.text, kind=loaded.form.kind.value if loaded.readable else None,
        profile=loaded.profile.name, errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO], findings=list(loaded.findings),
    )
    fatal = loaded.fatal
    if fatal is not None or loaded.evaluation is None:
        # A file the batch cannot read stays unreadable even when --ignore hides its code.
        code = fatal.code if fatal is not None else "PE919"
        message = fatal.message if fatal is not None else "无法读取"
        return report.model_copy(update={"read_error": f"{code} {message}", "read_error_code": code})
    ev = loaded.evaluation
    form = loaded.form
    main = form.main_budget_row
    stated = form.stated_total_score.number
    stated_grade = form.stated_grade.text or (grade_of(stated, loaded.profile) if stated is not None else None)
    return report.model_copy(update={
        "full_year": main.full_year.number if main else None,
        "actual": main.actual.number if main else None,
        "execution_rate": ev.execution_rate, "total": ev.total, "grade": ev.grade,
        "stated_total": stated, "stated_grade": stated_grade,
    })


def check_file(path: str | os.PathLike[str], profile: ProfileSpec = None,
               select: Sequence[str] = (), ignore: Sequence[str] = ()) -> FileReport:
    """Read, check and score one file; never raises for anything the file contains."""
    return report_of(next(load_forms([path], jobs=1, profile=profile, select=select, ignore=ignore)))


# ---------------------------------------------------------------------------------------------
# many files


def validate_many(paths: Sequence[str | os.PathLike[str]], *, jobs: int = 0,
                  profile: ProfileSpec = None, select: Sequence[str] = (),
                  ignore: Sequence[str] = (), progress: ProgressCallback | None = None) -> list[FileReport]:
    """Check every file (directories expanded) and return one report per file, in input order.

    jobs: worker processes; 0 = one per CPU, 1 = in this process.
    progress: called as progress(done, total) as files finish.
    """
    files = expand_paths(paths)
    return [report_of(loaded) for loaded in load_forms(files, jobs=jobs, profile=profile, select=select,
                                                       ignore=ignore, progress=progress)]


# ---------------------------------------------------------------------------------------------
# renderers


def _safe(value: object) -> object:
    """Strings kept verbatim but for characters no text format can carry, recursively.

    JSON is data, not a spreadsheet: '-5' or a file named '-x.xlsx' must stay as they are.
    Formula injection is handled where text lands in cells (CSV, xlsx).
    """
    from .outputs import xml_safe_text

    if isinstance(value, str):
        return xml_safe_text(value)
    if isinstance(value, list):
        return [_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    return value


def _report_dict(r: FileReport) -> dict:
    return {
        "file": r.file,
        "name": r.name,
        "kind": r.kind,
        "profile": r.profile,
        "full_year": _num(r.full_year),
        "actual": _num(r.actual),
        "execution_rate": _num(r.execution_rate),
        "stated_total": _num(r.stated_total),
        "stated_grade": r.stated_grade,
        "total": _num(r.total),
        "grade": r.grade,
        "difference": _num(r.difference),
        "errors": r.errors,
        "warnings": r.warnings,
        "infos": r.infos,
        "read_error": r.read_error,
        "findings": [f.to_dict() for f in r.findings],
    }


def _num(d: Decimal | None) -> str | None:
    # As text: JSON numbers would pass through binary floats (0.1 + 0.2 …).
    return None if d is None else fmt_decimal(d)


def render_batch_json(reports: Sequence[FileReport]) -> str:
    summary = Counter(r.grade if r.readable else UNREADABLE for r in reports)
    doc = {
        "files": len(reports),
        "unreadable": sum(1 for r in reports if not r.readable),
        "errors": sum(r.errors for r in reports),
        "warnings": sum(r.warnings for r in reports),
        "infos": sum(r.infos for r in reports),
        "grades": dict(sorted(summary.items(), key=lambda kv: str(kv[0]))),
        "reports": [_report_dict(r) for r in reports],
    }
    return json.dumps(_safe(doc), ensure_ascii=False, indent=2)


_FINDING_COLUMNS = ("文件", "单位名称", "自评总分", "重算总分", "重算等级", "级别", "代码", "工作表", "单元格",
                    "问题说明", "应为", "现为")
_FILE_COLUMNS = ("文件", "单位名称", "类型", "全年预算数", "实际支出数", "执行率（重算）", "自评总分", "自评等级",
                 "重算总分", "重算等级", "差值（自评−重算）", "错误数", "警告数", "提示数", "无法读取原因")


def _text(v: object) -> str:
    from .outputs import sanitize_cell_text

    if v is None:
        return ""
    if isinstance(v, Decimal):
        return fmt_decimal(v)
    if isinstance(v, int):
        return str(v)
    return sanitize_cell_text(str(v))


def render_batch_csv(reports: Sequence[FileReport], *, per: str = "finding") -> str:
    """CSV text: one row per file (per="file", what `validate DIR --format csv` prints) or one row
    per finding (per="finding", `--findings`; a file without findings still has its row).

    Write it with encoding "utf-8-sig": Excel on a Chinese Windows needs the BOM to read UTF-8.
    """
    if per not in ("finding", "file"):
        raise ValueError("per must be 'finding' or 'file'")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if per == "file":
        w.writerow(_FILE_COLUMNS)
        for r in reports:
            rate = None if r.execution_rate is None else fmt_percent(r.execution_rate)
            w.writerow([_text(v) for v in (r.file, r.name, _kind_label(r.kind), r.full_year, r.actual,
                                           rate, r.stated_total, r.stated_grade, r.total,
                                           r.grade if r.readable else UNREADABLE, r.difference,
                                           r.errors, r.warnings, r.infos, r.read_error)])
        return buf.getvalue()
    w.writerow(_FINDING_COLUMNS)
    for r in reports:
        head = (r.file, r.name, r.stated_total, r.total, r.grade if r.readable else UNREADABLE)
        if not r.findings:
            w.writerow([_text(v) for v in head] + [""] * (len(_FINDING_COLUMNS) - len(head)))
        for f in r.findings:
            w.writerow([_text(v) for v in head + (f.severity.label, f.code, f.sheet, f.cell, f.message,
                                                  f.expected, f.actual)])
    return buf.getvalue()


def _kind_label(kind: str | None) -> str | None:
    return {"department": "部门整体支出", "project": "项目支出"}.get(kind or "", kind)


def batch_table(reports: Sequence[FileReport]):
    """A rich table: 文件, 总分, 等级, 错误, 警告. Cells are Text, so '[red]' in a name is not markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"校验结果（{len(reports)} 个文件）", show_lines=False)
    table.add_column("文件", overflow="fold")
    table.add_column("总分", justify="right")
    table.add_column("等级", justify="center")
    table.add_column("错误", justify="right")
    table.add_column("警告", justify="right")
    for r in reports:
        if not r.readable:
            grade = Text(UNREADABLE, style="bold red")
            total = Text(r.read_error_code or "", style="red")
        else:
            grade = Text(r.grade or "")
            total = Text(fmt_decimal(r.total, 2) if r.total is not None else "")
        table.add_row(Text(r.file), total, grade,
                      Text(str(r.errors), style="red" if r.errors else ""),
                      Text(str(r.warnings), style="yellow" if r.warnings else ""))
    return table


# ---------------------------------------------------------------------------------------------
# the bureau's summary workbook


def grade_distribution(reports: Sequence[FileReport], *, stated: bool = False) -> list[tuple[str, int]]:
    """(等级, 份数) in the profile's order (优 良 中 差), other grades after, then 无法读取.

    stated: count the grades the forms state (自评) rather than the recomputed ones (重算); a
    readable form stating no grade counts as 未填.
    """
    def grade(r: FileReport) -> str:
        if not r.readable:
            return UNREADABLE
        g = r.stated_grade if stated else r.grade
        return g or NOT_STATED

    counts = Counter(grade(r) for r in reports)
    return [(g, counts.get(g, 0)) for g in _grade_order(counts)]


def _grade_order(*counts: Counter) -> list[str]:
    seen = {g for c in counts for g in c}
    order = [g.name for g in load_profile(DEFAULT_PROFILE).grades]
    order += sorted(g for g in seen if g not in order and g not in (UNREADABLE, NOT_STATED))
    if NOT_STATED in seen:
        order.append(NOT_STATED)
    return [*order, UNREADABLE]


def _summary_order(reports: Sequence[FileReport]) -> list[FileReport]:
    # 重算总分 descending, then name; files without a score last, by name.
    return sorted(reports, key=lambda r: (r.total is None, -(r.total or 0), r.display_name, r.file))


def write_summary(reports: Sequence[FileReport], out_path: str | os.PathLike[str], *,
                  force: bool = False) -> Path:
    """汇总表.xlsx for the bureau: one row per department with the stated (自评) and recomputed
    (重算) total and grade and their difference, sorted by 重算总分; printed on A4 landscape, one
    page wide, the header on every page; and the grade distribution as a column chart."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from .outputs import set_calc_properties, set_text_cell, write_atomic
    from .workbook.layout import DISTRIBUTION, SHEET_DISTRIBUTION, SHEET_SUMMARY, SUMMARY

    wb = Workbook()
    set_calc_properties(wb)
    ws = wb.active
    ws.title = SHEET_SUMMARY
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")
    head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    columns = SUMMARY.columns
    for column in columns:
        c = ws[SUMMARY.header_cell(column)]
        set_text_cell(c, column.header)
        c.font, c.fill, c.alignment = bold, fill, head_align
        ws.column_dimensions[column.col].width = column.width
    ws.row_dimensions[SUMMARY.header_row].height = 30  # two lines of a wrapped header
    wrap = Alignment(vertical="center", wrap_text=True)

    rows = _summary_order(reports)
    for i, r in enumerate(rows, SUMMARY.first_row):
        values = {
            "name": r.display_name, "file": r.file, "full_year": r.full_year, "actual": r.actual,
            "execution_rate": r.execution_rate, "stated_total": r.stated_total,
            "stated_grade": r.stated_grade if r.readable else None, "total": r.total,
            "grade": r.grade if r.readable else UNREADABLE, "difference": r.difference,
            "errors": r.errors, "warnings": r.warnings, "infos": r.infos, "read_error": r.read_error,
        }
        for column in columns:
            c = ws[SUMMARY.row_cell(column, i)]
            v = values[column.key]
            if isinstance(v, str):
                set_text_cell(c, v)
            elif isinstance(v, Decimal):
                c.value = float(v)
            elif v is not None:
                c.value = v
            if column.number_format:
                c.number_format = column.number_format
            elif column.key in ("name", "file", "read_error"):
                c.alignment = wrap
    ws.freeze_panes = SUMMARY.freeze_at
    ws.auto_filter.ref = SUMMARY.table_range(len(rows))
    # The bureau prints it: A4 landscape, all columns on one page width, the header repeated.
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = SUMMARY.print_titles
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    dist = wb.create_sheet(SHEET_DISTRIBUTION)
    for ref, text in zip(DISTRIBUTION.header_cells(), DISTRIBUTION.headers, strict=True):
        set_text_cell(dist[ref], text)
        dist[ref].font, dist[ref].fill, dist[ref].alignment = bold, fill, head_align
    stated = dict(grade_distribution(reports, stated=True))
    recomputed = dict(grade_distribution(reports))
    grades = _grade_order(Counter(stated), Counter(recomputed))
    for i, grade in enumerate(grades, DISTRIBUTION.first_row):
        g_ref, s_ref, r_ref = DISTRIBUTION.row_cells(i)
        set_text_cell(dist[g_ref], grade)
        dist[s_ref].value = stated.get(grade, 0)
        dist[r_ref].value = recomputed.get(grade, 0)
    for col in (DISTRIBUTION.grade_col, DISTRIBUTION.stated_col, DISTRIBUTION.recomputed_col):
        dist.column_dimensions[col].width = 12
    peak = max([*stated.values(), *recomputed.values(), 1])
    dist.add_chart(_distribution_chart(dist, len(grades), peak), DISTRIBUTION.chart_anchor)
    dist.page_setup.orientation = dist.ORIENTATION_LANDSCAPE
    dist.page_setup.paperSize = dist.PAPERSIZE_A4
    dist.page_setup.fitToWidth = dist.page_setup.fitToHeight = 1
    dist.sheet_properties.pageSetUpPr.fitToPage = True

    buf = io.BytesIO()
    wb.save(buf)
    from .workbook.package_xml import normalize_package, pin_modified_time

    data = pin_modified_time(normalize_package(buf.getvalue()))  # same reports, same bytes
    return write_atomic(out_path, data, force=force, inputs=[r.file for r in reports])


def _distribution_chart(dist, n_grades: int, peak: int):
    """Columns of 自评 and 重算 per grade that Excel, WPS and LibreOffice draw alike: every label
    setting spelled out (an unset one is "on" in some of them and labels pile up), a whole-number
    axis from 0, the legend below the plot."""
    import math

    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.layout import Layout, ManualLayout

    from .workbook.layout import DISTRIBUTION

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.overlap = 0
    chart.gapWidth = 80
    chart.title = "自评等级分布（自评与重算）"
    chart.y_axis.title = "份数"
    chart.x_axis.title = "等级"
    # openpyxl ≥3.1 marks axes deleted unless told otherwise; Excel then shows no labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    step = max(1, math.ceil(peak / 8))
    chart.y_axis.majorUnit = step
    chart.y_axis.scaling.max = step * (math.ceil(peak / step) + 1)  # room for the labels on top
    chart.y_axis.number_format = "0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.tickLblPos = "low"
    chart.legend.position = "b"
    first, last = DISTRIBUTION.first_row, DISTRIBUTION.first_row + n_grades - 1
    grade_col = ord(DISTRIBUTION.grade_col) - 64
    for col in (DISTRIBUTION.stated_col, DISTRIBUTION.recomputed_col):
        c = ord(col) - 64
        chart.add_data(Reference(dist, min_col=c, min_row=DISTRIBUTION.header_row, max_row=last),
                       titles_from_data=True)
    chart.set_categories(Reference(dist, min_col=grade_col, min_row=first, max_row=last))
    labels = DataLabelList()
    labels.showVal = True
    labels.showCatName = labels.showSerName = labels.showLegendKey = False
    labels.showPercent = labels.showBubbleSize = labels.showLeaderLines = False
    labels.position = "outEnd"
    labels.numFmt = "0"
    chart.dataLabels = labels
    chart.plot_area.layout = Layout(manualLayout=ManualLayout(x=0.08, y=0.12, w=0.88, h=0.66))
    chart.width, chart.height = 18, 10
    return chart
