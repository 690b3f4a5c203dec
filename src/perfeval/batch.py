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
import multiprocessing
import os
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from .core.decimal_math import fmt_decimal, fmt_percent
from .core.findings import Finding, Severity, first_fatal
from .core.profiles import DEFAULT_PROFILE, Profile, load_profile
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
    "validate_many",
    "write_summary",
]

FORM_SUFFIXES = (".xlsx", ".xlsm")
UNREADABLE = "无法读取"
SUMMARY_SHEET = "汇总表"
DISTRIBUTION_SHEET = "等级分布"

ProgressCallback = Callable[[int, int], None]


class FileReport(BaseModel):
    """One file's result in a batch."""

    file: str
    name: str = ""  # 部门（单位）名称
    kind: str | None = None  # department / project
    profile: str | None = None
    full_year: Decimal | None = None  # 全年预算数 (全年支出 row)
    actual: Decimal | None = None  # 实际支出数
    execution_rate: Decimal | None = None
    total: Decimal | None = None  # recomputed
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


# ---------------------------------------------------------------------------------------------
# finding the files


def expand_paths(paths: Iterable[str | os.PathLike[str]], *,
                 exclude: Iterable[Path] = ()) -> list[Path]:
    """Files as given; directories searched recursively for .xlsx/.xlsm, sorted, de-duplicated.

    Excel's lock files (~$name.xlsx), our own temporary outputs and `exclude` (e.g. the
    consolidation's own template and output) are skipped inside directories; a file named
    explicitly is always kept.
    """
    exclude = [Path(e) for e in exclude]
    out: list[Path] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                (f for f in p.rglob("*") if f.suffix.lower() in FORM_SUFFIXES and f.is_file()
                 and not f.name.startswith(("~$", ".~perfeval-"))
                 and not any(same_file(f, e) for e in exclude)),
                key=lambda f: f.relative_to(p).parts,
            )
        else:
            found = [p]
        for f in found:
            key = os.path.normcase(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


# ---------------------------------------------------------------------------------------------
# one file


def _profile_for(spec: Profile | str | None, form_profile: str | None) -> Profile:
    if isinstance(spec, Profile):
        return spec
    return load_profile(spec or form_profile or DEFAULT_PROFILE)


def check_file(path: str | os.PathLike[str], profile: Profile | str | None = None,
               select: Sequence[str] = (), ignore: Sequence[str] = ()) -> FileReport:
    """Read, check and score one file; never raises for anything the file contains."""
    from .checks import check_form, count_by_severity
    from .core.evaluate import evaluate
    from .workbook.reader import read_form

    p = Path(path)
    try:
        form, problems = read_form(p)
        fatal = first_fatal(problems)
        prof = _profile_for(profile, form.profile_name)
        findings = check_form(form, prof, problems=problems, select=select, ignore=ignore)
        counts = count_by_severity(findings)
        report = FileReport(
            file=str(path), name=form.name.text, kind=form.kind.value if fatal is None else None,
            profile=prof.name, errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING],
            infos=counts[Severity.INFO], findings=findings,
        )
        if fatal is not None:
            # A file the batch cannot read stays unreadable even when --ignore hides its code.
            return report.model_copy(update={"read_error": f"{fatal.code} {fatal.message}",
                                             "read_error_code": fatal.code})
        ev = evaluate(form, prof)
        main = form.main_budget_row
        return report.model_copy(update={
            "full_year": main.full_year.number if main else None,
            "actual": main.actual.number if main else None,
            "execution_rate": ev.execution_rate, "total": ev.total, "grade": ev.grade,
        })
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch of hundreds
        message = f"其他无法读取的原因：{type(exc).__name__}: {exc}"
        finding = Finding(code="PE919", severity=Severity.ERROR, message=message, file=p.name)
        return FileReport(file=str(path), errors=1, findings=[finding], read_error=f"PE919 {message}",
                          read_error_code="PE919")


def _check_chunk(paths: Sequence[str], profile: Profile | str | None, select: Sequence[str],
                 ignore: Sequence[str]) -> list[FileReport]:
    return [check_file(p, profile, select, ignore) for p in paths]


# ---------------------------------------------------------------------------------------------
# many files


def _pool_context():
    # fork is the cheapest start (nothing to re-import) but unsafe once the parent runs threads
    # (the CLI's progress bar does); a forkserver that has imported us already is nearly as
    # quick. Windows only has spawn.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["perfeval.batch", "perfeval.checks", "perfeval.workbook.reader"])
        return ctx
    return multiprocessing.get_context("spawn")


def validate_many(paths: Sequence[str | os.PathLike[str]], *, jobs: int = 0,
                  profile: Profile | str | None = None, select: Sequence[str] = (),
                  ignore: Sequence[str] = (), progress: ProgressCallback | None = None) -> list[FileReport]:
    """Check every file (directories expanded) and return one report per file, in input order.

    jobs: worker processes; 0 = one per CPU, 1 = in this process.
    progress: called as progress(done, total) as files finish.
    """
    files = [str(p) for p in expand_paths(paths)]
    total = len(files)
    if progress is not None:
        progress(0, total)
    if total == 0:
        return []
    workers = min(jobs if jobs > 0 else (os.cpu_count() or 1), total)
    select, ignore = tuple(select), tuple(ignore)
    if workers <= 1:
        reports = []
        for i, f in enumerate(files, 1):
            reports.append(check_file(f, profile, select, ignore))
            if progress is not None:
                progress(i, total)
        return reports

    # Chunks amortise the inter-process round trip, yet stay small enough to keep every worker
    # busy to the end and the progress bar moving.
    size = max(1, min(16, total // (workers * 4)))
    chunks = [(start, files[start:start + size]) for start in range(0, total, size)]
    results: list[FileReport | None] = [None] * total
    done = 0

    def store(start: int, chunk_reports: list[FileReport]) -> None:
        nonlocal done
        results[start:start + len(chunk_reports)] = chunk_reports
        done += len(chunk_reports)
        if progress is not None:
            progress(done, total)

    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            futures = {pool.submit(_check_chunk, chunk, profile, select, ignore): start
                       for start, chunk in chunks}
            for fut in as_completed(futures):
                try:
                    store(futures[fut], fut.result())
                except Exception:  # noqa: BLE001, S112 - a worker died; its files are redone below
                    continue
    except Exception:  # noqa: BLE001, S110 - no pool at all (spawn without an importable __main__ …)
        pass
    # Whatever the pool could not do is done here, so a batch never loses a file to the pool;
    # said aloud, so that a broken pool (slow batches) does not go unnoticed.
    redo = [(start, chunk) for start, chunk in chunks if results[start] is None]
    if redo:
        warnings.warn(f"并行进程未能完成 {sum(len(c) for _, c in redo)} 个文件，已在主进程中补做。",
                      RuntimeWarning, stacklevel=2)
    for start, chunk in redo:
        store(start, _check_chunk(chunk, profile, select, ignore))
    return [r for r in results if r is not None]


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
        "total": _num(r.total),
        "grade": r.grade,
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


_FINDING_COLUMNS = ("文件", "单位名称", "总分", "等级", "级别", "代码", "工作表", "单元格", "问题说明", "应为", "现为")
_FILE_COLUMNS = ("文件", "单位名称", "类型", "全年预算数", "实际支出数", "执行率", "总分", "等级", "错误数",
                 "警告数", "提示数", "无法读取原因")


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
    """CSV text: one row per finding (per="finding", every file at least once) or per file.

    Write it with encoding "utf-8-sig": Excel on Windows needs the BOM to read Chinese.
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
                                           rate, r.total, r.grade, r.errors, r.warnings, r.infos,
                                           r.read_error)])
        return buf.getvalue()
    w.writerow(_FINDING_COLUMNS)
    for r in reports:
        head = (r.file, r.name, r.total, r.grade if r.readable else UNREADABLE)
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


def grade_distribution(reports: Sequence[FileReport]) -> list[tuple[str, int]]:
    """(等级, 份数) in the profile's order (优 良 中 差), other grades after, then 无法读取."""
    counts = Counter(r.grade if r.readable and r.grade else UNREADABLE for r in reports)
    order = [g.name for g in load_profile(DEFAULT_PROFILE).grades]
    order += sorted(g for g in counts if g not in order and g != UNREADABLE)
    order.append(UNREADABLE)
    return [(g, counts.get(g, 0)) for g in order]


def _summary_order(reports: Sequence[FileReport]) -> list[FileReport]:
    # 总分 descending, then name; files without a score last, by name.
    return sorted(reports, key=lambda r: (r.total is None, -(r.total or 0), r.display_name, r.file))


def write_summary(reports: Sequence[FileReport], out_path: str | os.PathLike[str], *,
                  force: bool = False) -> Path:
    """汇总表.xlsx for the bureau: one row per department, sorted by 总分, and a grade chart."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.styles import Alignment, Font, PatternFill

    from .outputs import set_calc_properties, set_text_cell, write_atomic

    wb = Workbook()
    set_calc_properties(wb)
    ws = wb.active
    ws.title = SUMMARY_SHEET
    headers = ("名称", "文件", "全年预算数（万元）", "实际支出数（万元）", "执行率", "总分", "等级", "错误数",
               "警告数", "提示数")
    formats = (None, None, "#,##0.00", "#,##0.00", "0.00%", "0.00", None, "0", "0", "0")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")
    for col, text in enumerate(headers, 1):
        c = ws.cell(row=1, column=col)
        set_text_cell(c, text)
        c.font, c.fill = bold, fill
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    rows = _summary_order(reports)
    for i, r in enumerate(rows, 2):
        grade = r.grade if r.readable else UNREADABLE
        values = (r.display_name, r.file, r.full_year, r.actual, r.execution_rate, r.total, grade,
                  r.errors, r.warnings, r.infos)
        for col, (v, fmt) in enumerate(zip(values, formats, strict=True), 1):
            c = ws.cell(row=i, column=col)
            if isinstance(v, str):
                set_text_cell(c, v)
            elif isinstance(v, Decimal):
                c.value = float(v)
            elif v is not None:
                c.value = v
            if fmt:
                c.number_format = fmt
        if not r.readable:
            note = ws.cell(row=i, column=len(headers) + 1)
            set_text_cell(note, r.read_error or "")
    if any(not r.readable for r in rows):
        c = ws.cell(row=1, column=len(headers) + 1)
        set_text_cell(c, "无法读取原因")
        c.font, c.fill = bold, fill
    last_col = len(headers) + (1 if any(not r.readable for r in rows) else 0)
    for col, width in enumerate((30, 40, 14, 14, 10, 8, 8, 8, 8, 8, 60)[:last_col], 1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    ws.freeze_panes = ws.cell(row=2, column=1).coordinate
    ws.auto_filter.ref = f"{ws.cell(row=1, column=1).coordinate}:{ws.cell(row=max(len(rows) + 1, 1), column=last_col).coordinate}"

    dist = wb.create_sheet(DISTRIBUTION_SHEET)
    for col, text in enumerate(("等级", "份数"), 1):
        c = dist.cell(row=1, column=col)
        set_text_cell(c, text)
        c.font, c.fill = bold, fill
    distribution = grade_distribution(reports)
    for i, (grade, n) in enumerate(distribution, 2):
        set_text_cell(dist.cell(row=i, column=1), grade)
        dist.cell(row=i, column=2).value = n
    chart = BarChart()
    chart.type = "col"
    chart.title = "自评等级分布"
    chart.y_axis.title = "份数"
    chart.x_axis.title = "等级"
    chart.legend = None
    # openpyxl ≥3.1 marks axes deleted unless told otherwise; Excel then shows no labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(dist, min_col=2, min_row=1, max_row=len(distribution) + 1)
    cats = Reference(dist, min_col=1, min_row=2, max_row=len(distribution) + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.width, chart.height = 16, 9
    dist.add_chart(chart, dist.cell(row=1, column=4).coordinate)
    dist.column_dimensions[dist.cell(row=1, column=1).column_letter].width = 12

    buf = io.BytesIO()
    wb.save(buf)
    from .workbook.package_xml import normalize_package, pin_modified_time

    data = pin_modified_time(normalize_package(buf.getvalue()))  # same reports, same bytes
    return write_atomic(out_path, data, force=force, inputs=[r.file for r in reports])
