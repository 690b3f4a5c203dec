"""perfeval command line: a thin host over the loader and the core (typer + rich).

Exit codes (DESIGN.md): 0 clean, 1 findings of severity error, 2 usage or unreadable input.
Every command reads through `perfeval.loader`; every refusal is a `PerfevalError`, printed with
its code by `main`. User text is printed as text, never as rich markup.
Imports are done inside the commands so that `perfeval --version` starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .cli_zh import ZhGroup

app = typer.Typer(
    cls=ZhGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="部门整体支出 / 项目支出绩效自评：校验、评分、自评报告、导入旧表、汇总。",
)
addin_app = typer.Typer(help="Excel 加载项：构建（Linux 可用）与安装（仅 Windows）。", no_args_is_help=True)
app.add_typer(addin_app, name="addin")

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
# Input paths are declared readable=False: click's own check would refuse an unreadable file in
# English ("Invalid value for 'FILES'"); the guarded opener says why in Chinese, with PE913.


def _command(typer_app: typer.Typer, *args, **kwargs):
    """A command whose PerfevalError is printed with its code and ends in its exit code."""

    def deco(func):
        @functools.wraps(func)
        def run(*a, **kw):
            from .core.errors import PerfevalError

            try:
                return func(*a, **kw)
            except PerfevalError as exc:
                raise typer.Exit(_report_error(exc)) from None

        typer_app.command(*args, **kwargs)(run)
        return run

    return deco


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, stderr=stderr)


def _plain(text: object) -> str:
    """User text for the terminal: markup escaped, characters a terminal cannot show replaced."""
    from rich.markup import escape

    from .outputs import display_text

    return escape(display_text(str(text)))


def _fail(message: str, code: str = "PE940") -> None:
    from .core.errors import PerfevalError

    raise PerfevalError(code, message)


def _version(value: bool) -> None:
    if value:
        print(f"perfeval {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")] = False,
) -> None:
    """perfeval"""


def _profile_spec(name: str | None):
    """--profile as given: resolved by the loader, refused there when unusable."""
    return name.strip() if name and name.strip() else None


def _load(path: Path, *, profile: str | None = None, **kw):
    from .loader import load_form

    return load_form(path, profile=_profile_spec(profile), **kw)


def _write(path: Path, data: bytes, *, force: bool, inputs=()) -> Path:
    from .outputs import write_atomic

    return write_atomic(path, data, force=force, inputs=inputs)


def _need_suffix(path: Path, *suffixes: str) -> None:
    if path.suffix.lower() not in suffixes:
        _fail(f"输出文件「{path.name}」的扩展名应为 {' 或 '.join(suffixes)}。", "PE941")


def _only_workbooks(loaded, path: Path, what: str) -> None:
    """--annotate and export work on the .xlsx itself; a report or an old-format workbook is
    refused with what to do instead (PE940, exit 2) before anything is written."""
    from .formats import format_title

    fmt = loaded.format
    if fmt == "xlsx":
        return
    title = format_title(fmt)
    if loaded.is_document:
        _fail(f"「{path.name}」是{title}，不是 Excel 工作簿，{what}只能用于 .xlsx 工作簿。问题的位置已按"
              "“表格N 第R行第C列”“正文 第N段”列在校验清单中；需要标注时，先用 perfeval import "
              f"{path.name} -o 自评表.xlsx 转成模板，再对新模板使用。")
    _fail(f"「{path.name}」是{title}，{what}只能用于 .xlsx 工作簿。请先用 perfeval import {path.name} -o "
          "自评表.xlsx 转成模板，或在 Excel/WPS 中“另存为”.xlsx 后再试。")


def _refuse_unreadable(loaded) -> None:
    """Print why a file cannot be read and exit 2."""
    fatal = loaded.fatal
    con = _console()
    for f in loaded.findings:
        if f.severity.value == "error":
            con.print(f"[red]{f.code}[/red] {_plain(f)}")
    if fatal is None:
        con.print(f"[red]PE919[/red] {_plain(loaded.source)} 无法读取。")
    raise typer.Exit(EXIT_USAGE)


# ---------------------------------------------------------------------------------- validate
@_command(app)
def validate(
    files: Annotated[list[Path], typer.Argument(readable=False, help="自评表文件或文件夹（可多个）")],
    format: Annotated[str, typer.Option("--format", "-f", help="text | json | csv（csv：每个文件一行）")] = "text",
    findings_csv: Annotated[Optional[Path], typer.Option("--findings", help="另存问题清单 .csv（每个问题一行）")] = None,
    select: Annotated[Optional[str], typer.Option(help="只检查这些代码或前缀，逗号分隔，如 PE1,PE401")] = None,
    ignore: Annotated[Optional[str], typer.Option(help="不检查这些代码或前缀，逗号分隔")] = None,
    annotate: Annotated[Optional[Path], typer.Option(help="另存一份标注了问题的工作簿（单个文件时）")] = None,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    jobs: Annotated[int, typer.Option(help="并行进程数，0 = 全部 CPU")] = 0,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """校验自评表：列出每个问题的代码、位置和说明。退出码 0 无错误，1 有错误，2 无法读取。"""
    sel = [s for s in (select or "").split(",") if s.strip()]
    ign = [s for s in (ignore or "").split(",") if s.strip()]
    if format not in ("text", "json", "csv"):
        _fail("--format 只能是 text、json 或 csv。")
    if jobs < 0:
        _fail("--jobs 不能是负数。")
    if findings_csv is not None:
        _need_suffix(findings_csv, ".csv")
    single = len(files) == 1 and files[0].is_file()
    if not single:
        if annotate is not None:
            _fail("--annotate 只能用于单个文件。")
        _validate_batch(files, format, sel, ign, profile, jobs, findings_csv, force)
        return
    if annotate is not None:
        _need_suffix(annotate, ".xlsx")
    path = files[0]
    loaded = _load(path, profile=profile, select=sel, ignore=ign)
    if annotate is not None and loaded.readable:
        _only_workbooks(loaded, path, "--annotate 在原表上标注问题")
    findings = list(loaded.findings)
    annotated = False
    if annotate is not None and loaded.readable and loaded.origin in ("template", "import"):
        from .workbook.findings_writer import annotate_file

        annotate_file(path, findings, annotate, force=force)
        annotated = True
    from .batch import report_of

    reports = [report_of(loaded)]
    _write_findings_csv(findings_csv, reports, force=force, inputs=[path])
    if format == "json":
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    elif format == "csv":
        _emit_csv(reports)
    else:
        _print_findings(findings, path)
        if annotated:
            _console().print(f"已写出标注副本：{_plain(annotate)}")
        if findings_csv is not None:
            _console().print(f"已写出问题清单：{_plain(findings_csv)}")
    if not loaded.readable:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ERRORS if loaded.errors else EXIT_CLEAN)


def _emit_csv(reports) -> None:
    """The per-file CSV on stdout: with a BOM when it goes to a file, so Excel reads Chinese."""
    from .batch import render_batch_csv

    text = render_batch_csv(reports, per="file")
    if sys.stdout.isatty() or getattr(sys.stdout, "buffer", None) is None:
        print(text, end="")
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8-sig"))
    sys.stdout.buffer.flush()


def _write_findings_csv(path: Path | None, reports, *, force: bool, inputs) -> None:
    if path is None:
        return
    from .batch import render_batch_csv

    _write(path, render_batch_csv(reports, per="finding").encode("utf-8-sig"), force=force, inputs=inputs)


def _print_findings(findings, path: Path) -> None:
    from rich.table import Table
    from rich.text import Text

    from .checks import count_by_severity
    from .core.findings import Severity
    from .outputs import display_text

    con = _console()
    colors = {"error": "red", "warning": "yellow", "info": "cyan"}
    by_sheet: dict[str, list] = {}
    for f in findings:
        by_sheet.setdefault(f.sheet or "（文件）", []).append(f)
    for sheet, items in by_sheet.items():
        t = Table(title=Text(display_text(f"{path.name} · {sheet}")), title_justify="left", show_lines=False)
        t.add_column("级别", no_wrap=True)
        t.add_column("代码", no_wrap=True)
        t.add_column("单元格", no_wrap=True)
        t.add_column("问题", overflow="fold")
        for f in items:
            t.add_row(Text(f.severity.label, style=colors[f.severity.value]), f.code,
                      Text(display_text(f.cell)), Text(display_text(f.message, limit=2000)))
        con.print(t)
    c = count_by_severity(findings)
    con.print(f"{_plain(path.name)}：错误 {c[Severity.ERROR]}，警告 {c[Severity.WARNING]}，提示 {c[Severity.INFO]}。"
              "用 perfeval explain 代码 查看规则说明。")


@contextlib.contextmanager
def _progress(label: str):
    """A progress bar on stderr when it is a terminal; yields the callback (or None)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("剩余"), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=_console(stderr=True)) as progress:
        task = progress.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield tick


def _validate_batch(files, format, sel, ign, profile, jobs, findings_csv, force) -> None:
    from .batch import batch_table, expand_paths, render_batch_json, validate_many
    from .loader import resolve_profile

    for f in files:
        if not f.exists():
            _fail(f"文件或文件夹「{f}」不存在。", "PE901")
    prof = resolve_profile(_profile_spec(profile)) if _profile_spec(profile) else None
    found = expand_paths(files, exclude=[findings_csv] if findings_csv else [])
    if not found:
        _fail("没有找到可以校验的自评表文件。", "PE942")
    with _progress("校验中") as tick:
        reports = validate_many(files, jobs=jobs, profile=prof, select=sel, ignore=ign, progress=tick)
    _write_findings_csv(findings_csv, reports, force=force, inputs=found)
    if format == "text":
        _console().print(batch_table(reports))
        if findings_csv is not None:
            _console().print(f"已写出问题清单：{_plain(findings_csv)}")
    elif format == "json":
        print(render_batch_json(reports))
    else:
        _emit_csv(reports)
    if any(r.read_error for r in reports):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ERRORS if any(r.errors for r in reports) else EXIT_CLEAN)


# ---------------------------------------------------------------------------------- rules
@_command(app)
def explain(code: Annotated[str, typer.Argument(help="代码，如 PE101")]) -> None:
    """显示一个代码的说明：检查内容、原因、错误示例、正确示例、依据。"""
    from . import checks  # noqa: F401  (registers the rules' codes)
    from .core.codes import code_info

    entry = code_info(code)
    if entry is None:
        _fail(f"没有代码 {code.strip()[:20]}；用 perfeval rules 查看全部代码。")
    print(f"{entry.code}  {entry.title}  （默认级别：{entry.severity.label}；{entry.family}）\n")
    for line in entry.doc.splitlines():
        print(line.strip())


@_command(app)
def rules() -> None:
    """列出全部代码：校验规则，以及读取、导入、汇总、输出等环节的提示。"""
    from rich.table import Table

    from . import checks  # noqa: F401
    from .core.codes import CODES

    t = Table(title="代码一览")
    t.add_column("代码")
    t.add_column("级别")
    t.add_column("类别")
    t.add_column("说明")
    for code in sorted(CODES):
        e = CODES[code]
        t.add_row(code, e.severity.label, e.family, e.title)
    _console().print(t)


@_command(app)
def profiles() -> None:
    """列出内置评分规则。"""
    from .core.profiles import PROFILE_ALIASES, list_profiles, load_profile

    for name in list_profiles():
        p = load_profile(name)
        aliases = "、".join(a for a, n in PROFILE_ALIASES.items() if n == name and not a.isascii())
        print(f"{name}\t{p.title}" + (f"\t（也可写：{aliases}）" if aliases else ""))


# ---------------------------------------------------------------------------------- score
@_command(app)
def score(
    file: Annotated[Optional[Path], typer.Argument(readable=False, help="自评表文件；省略时用内置示例（正宁县人社局 2023）")] = None,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text | json")] = "text",
) -> None:
    """按规则重算执行率、各指标得分、总分和等级，与表中所填对照。"""
    from .loader import load_model

    if format not in ("text", "json"):
        _fail("--format 只能是 text 或 json。")
    if file is None:
        from .example_data import zhengning_2023

        loaded = load_model(zhengning_2023(), profile=_profile_spec(profile))
    else:
        loaded = _load(file, profile=profile)
        if not loaded.readable:
            _refuse_unreadable(loaded)
    if format == "json":
        from .scorecard import scorecard

        print(json.dumps(scorecard(loaded), ensure_ascii=False, indent=2))
    else:
        _print_score(loaded)


def _print_score(loaded) -> None:
    from rich.table import Table

    from .core.decimal_math import fmt_decimal, fmt_percent

    form, prof, ev = loaded.form, loaded.profile, loaded.evaluation
    con = _console()
    con.print(f"[bold]{_plain(form.display_name)}[/bold]  规则：{_plain(prof.title)}")
    t = Table(title="预算执行", title_justify="left")
    for col in ("行", "全年预算数", "实际支出数", "执行率（重算）", "执行率（表中）"):
        t.add_column(col)
    for b in ev.budget:
        t.add_row(_plain(b.row.label.text), fmt_decimal(b.row.full_year.number), fmt_decimal(b.row.actual.number),
                  fmt_percent(b.rate), b.row.stated_rate.text and fmt_percent(b.row.stated_rate.number))
    con.print(t)
    t = Table(title="一级指标", title_justify="left")
    for col in ("一级指标", "分值", "规则分值", "得分（重算）", "得分（表中）"):
        t.add_column(col)
    t.add_row("预算执行率", fmt_decimal(ev.execution_weight), fmt_decimal(prof.execution.weight),
              fmt_decimal(ev.execution_score), _plain(form.main_budget_row.score.text) if form.main_budget_row else "")
    for lv in ev.levels:
        t.add_row(_plain(lv.name), fmt_decimal(lv.weight), fmt_decimal(lv.expected_weight), fmt_decimal(lv.score),
                  fmt_decimal(lv.stated_score))
    con.print(t)
    con.print(f"重算总分 [bold]{fmt_decimal(ev.total)}[/bold]，等级 [bold]{ev.grade}[/bold]"
              f"（表中合计 {_plain(form.stated_total_score.text) or '未填'}）")


# ---------------------------------------------------------------------------------- new / import
@_command(app)
def new(
    output: Annotated[Path, typer.Option("-o", "--output", help="新模板文件（.xlsx）")],
    kind: Annotated[str, typer.Option(help="department（部门整体） | project（项目支出）")] = "department",
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称")] = None,
    example: Annotated[bool, typer.Option("--example", help="填入示例（正宁县人社局 2023）")] = False,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """生成空白自评表模板（或填好的示例）。"""
    from .core.model import Form, FormKind
    from .loader import resolve_profile
    from .workbook.template import build_workbook

    _need_suffix(output, ".xlsx")
    aliases = {"部门": "department", "部门整体": "department", "项目": "project", "项目支出": "project"}
    try:
        k = FormKind(aliases.get(kind.strip(), kind.strip()))
    except ValueError:
        _fail("--kind 只能是 department（部门整体）或 project（项目支出）。")
    form = None
    if example:
        from .example_data import zhengning_2023

        form = zhengning_2023()
        if form.kind is not k:
            _fail(f"内置示例是{form.kind.title}，不能用 --kind {kind} 生成。")
    prof = resolve_profile(_profile_spec(profile), form or Form(kind=k))
    _write(output, build_workbook(form, prof, kind=k), force=force)
    print(f"已生成：{output}")


@_command(app, "import")
def import_(
    source: Annotated[Path, typer.Argument(readable=False, help="其他版式的自评表（.xlsx .xls .et .ods），或附有自评表的自评报告（.docx .doc .pdf）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="生成的模板文件（.xlsx）")],
    sheet: Annotated[Optional[str], typer.Option(help="只在这个工作表中查找")] = None,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """把其他版式的自评表导入模板，并打印“源单元格 → 模板栏目”的对照表。退出码同 validate。"""
    from .workbook.legacy_import import mapping_report
    from .workbook.template import build_workbook, unplaced_budget_rows

    _need_suffix(output, ".xlsx")
    if not source.exists():
        _fail(f"文件「{source}」不存在。", "PE901")
    loaded = _load(source, profile=profile, sheet=sheet, as_import=True)
    if loaded.imported is not None:
        print(display(mapping_report(loaded.imported)))
    if not loaded.readable or not loaded.form.filled_indicators:
        _refuse_unreadable(loaded)
    _write(output, build_workbook(loaded.form, loaded.profile), force=force, inputs=[source])
    print(f"已生成：{output}（规则：{loaded.profile.title}）")
    for row in unplaced_budget_rows(loaded.form):
        where = f"（{row.label.loc.sheet}!{row.label.loc.cell}）" if row.label.loc else ""
        print(f"注意：原表的“{row.label.text or '预算'}”行{where}在{loaded.form.kind.title}模板中没有对应栏目，未导入，"
              "其数字请对照原表。")
    if _has_claims(loaded.form):
        print("原表所填的得分、执行率、合计与等级记在「原表填报」表中，与模板按规则重算的结果并列；"
              "校验把它们当作这份表的自评结果。")
    errors = loaded.errors
    if errors:
        print(f"导入的表有 {errors} 个错误；用 perfeval validate {output.name} 查看并核对。")
    raise typer.Exit(EXIT_ERRORS if errors else EXIT_CLEAN)


def _has_claims(form) -> bool:
    values = [form.stated_total_score, form.stated_total_weight, form.stated_grade,
              *(i.score for i in form.filled_indicators), *(b.score for b in form.budget),
              *(b.stated_rate for b in form.budget)]
    return any(not v.is_blank for v in values)


def display(text: str) -> str:
    from .outputs import display_text

    return display_text(text, limit=None)


# ---------------------------------------------------------------------------------- report / export
_DRAFT_HELP = "表中还有错误时也生成：页眉标“草稿”，每个问题作为批注标在相关的句子或单元格上"


def _draft_note(loaded, draft: bool) -> None:
    from .core.findings import Severity

    errors, warnings = loaded.count(Severity.ERROR), loaded.count(Severity.WARNING)
    if draft:
        print(f"这是草稿：自评表有 {errors} 个错误、{warnings} 个警告，已作为批注标在报告中；改正后去掉 --draft 重新生成。")
    elif warnings:
        print(f"自评表另有 {warnings} 个警告（不影响生成正式报告），可用 perfeval validate 查看。")


@_command(app)
def report(
    file: Annotated[Path, typer.Argument(readable=False, help="自评表文件")],
    output: Annotated[Path, typer.Option("-o", "--output", help="自评报告 .docx")],
    draft: Annotated[bool, typer.Option("--draft", help=_DRAFT_HELP)] = False,
    opinions: Annotated[Optional[Path], typer.Option("--opinions", help="另存一份校验意见 .docx（问题清单）")] = None,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """由自评表生成 Word 自评报告（数字取自表格）。表中有错误时只生成草稿（--draft），否则退出码 1。"""
    from .report import build_opinions, build_report

    _need_suffix(output, ".docx")
    if opinions is not None:
        _need_suffix(opinions, ".docx")
    loaded = _load(file, profile=profile)
    if not loaded.readable:
        _refuse_unreadable(loaded)
    if opinions is not None:
        _write(opinions, build_opinions(loaded), force=force, inputs=[file, output])
        print(f"已生成校验意见：{opinions}")
    _write(output, build_report(loaded, draft=draft), force=force, inputs=[file])
    print(f"已生成自评报告：{output}")
    _draft_note(loaded, draft)


@_command(app)
def export(
    file: Annotated[Path, typer.Argument(readable=False, help="自评表文件")],
    pdf: Annotated[bool, typer.Option("--pdf", help="导出为 PDF（目前只有这一种，可省略）")] = False,
    outdir: Annotated[Optional[Path], typer.Option("-o", "--outdir", help="输出文件夹，默认与原文件同目录")] = None,
    draft: Annotated[bool, typer.Option("--draft", help=_DRAFT_HELP)] = False,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """导出 PDF：自评报告和自评表各一份（通过 LibreOffice 转换），两份中的得分、等级一致。"""
    import tempfile

    from .report import build_report, convert_to_pdf
    from .report.compose import refusal
    from .workbook.layout import SHEET_FORM
    from .workbook.print_copy import single_sheet_copy

    loaded = _load(file, profile=profile)
    if not loaded.readable:
        _refuse_unreadable(loaded)
    _only_workbooks(loaded, file, "export 按模板导出 PDF")
    if loaded.origin != "template":
        _fail(f"「{file.name}」不是 perfeval 模板，无法按模板打印；请先用 perfeval import 转换。")
    if loaded.errors and not draft:
        raise refusal(loaded.findings, "正式报告的 PDF")
    out = outdir or file.parent
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / f"{file.stem}-自评报告{'（草稿）' if draft else ''}.docx"
        docx.write_bytes(build_report(loaded, draft=draft))
        xlsx = Path(tmp) / f"{file.stem}-自评表.xlsx"
        xlsx.write_bytes(single_sheet_copy(file.read_bytes(), SHEET_FORM))
        for src, notes in ((docx, draft), (xlsx, False)):
            made = convert_to_pdf(src, Path(tmp), notes=notes)
            target = out / made.name
            _write(target, made.read_bytes(), force=force, inputs=[file])
            print(f"已导出：{target}")
    _draft_note(loaded, draft)


# ---------------------------------------------------------------------------------- bureau side
@_command(app)
def consolidate(
    files: Annotated[list[Path], typer.Argument(readable=False, help="部门本级自评表，然后是各下属单位的自评表（文件或文件夹）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="汇总后的自评表（.xlsx）")],
    no_dept: Annotated[bool, typer.Option("--units-only", help="所有文件都是下属单位（没有部门本级表）")] = False,
    structure: Annotated[Optional[Path], typer.Option(
        "--structure-only", help="只提供单位名称、分值和指标结构的部门模板；其中的金额和完成值不计入汇总")] = None,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    jobs: Annotated[int, typer.Option(help="读取自评表的并行进程数，0 = 全部 CPU")] = 0,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """汇总部门本级和下属单位的自评表：第一个文件是部门本级，其金额和完成值与各下属单位一起汇总；
    绝对值相加，相对值和定性得分按资金额度加权。退出码 0 完成，2 有文件无法读取或用法错误。"""
    from .consolidate import consolidate_files

    _need_suffix(output, ".xlsx")
    if jobs < 0:
        _fail("--jobs 不能是负数。")
    own, units = (None, files) if no_dept else (files[0], files[1:])
    if not units:
        _fail("至少需要一个下属单位的自评表（第一个文件是部门本级；如全部是下属单位，请加 --units-only）。")
    for f in [*files, *([structure] if structure is not None else [])]:
        if not f.exists():
            _fail(f"文件或文件夹「{f}」不存在。", "PE901")
    if structure is not None and structure.is_dir():
        _fail(f"--structure-only 应为一个自评表文件，「{structure}」是文件夹。")
    if own is not None and own.is_dir():
        _fail(f"第一个参数应为部门本级的自评表文件，「{own}」是文件夹；如全部是下属单位，请加 --units-only。")
    kw = {"structure": structure, "force": force, "profile": _profile_spec(profile), "jobs": jobs}
    with _progress("读取自评表") as tick:
        result = consolidate_files(own, units, output, progress=tick, **kw)
    print(display(result.summary_text()))
    if result.unreadable:
        raise typer.Exit(EXIT_USAGE)


@_command(app)
def summary(
    folder: Annotated[list[Path], typer.Argument(readable=False, help="存放各部门自评表的文件夹或文件")],
    output: Annotated[Path, typer.Option("-o", "--output", help="汇总表 .xlsx")],
    jobs: Annotated[int, typer.Option(help="并行进程数，0 = 全部 CPU")] = 0,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """财政局汇总表：每个部门一行（预算、执行率、总分、等级、问题数），附等级分布图。"""
    from .batch import expand_paths, validate_many, write_summary
    from .loader import resolve_profile

    _need_suffix(output, ".xlsx")
    if jobs < 0:
        _fail("--jobs 不能是负数。")
    for f in folder:
        if not f.exists():
            _fail(f"文件或文件夹「{f}」不存在。", "PE901")
    prof = resolve_profile(_profile_spec(profile)) if _profile_spec(profile) else None
    if not expand_paths(folder, exclude=[output]):
        _fail("没有找到可以汇总的自评表文件。", "PE942")
    with _progress("汇总中") as tick:
        reports = validate_many(folder, jobs=jobs, profile=prof, progress=tick)
    write_summary(reports, output, force=force)
    print(f"已生成汇总表：{output}（{len(reports)} 个文件）")
    unreadable = [r for r in reports if r.read_error]
    for r in unreadable:  # exit 2 says some file could not be read; say which and why
        print(f"无法读取：{display(r.read_error)}", file=sys.stderr)
    if unreadable:
        raise typer.Exit(EXIT_USAGE)


@_command(app)
def review(
    files: Annotated[Optional[list[Path]], typer.Argument(readable=False, help="存放本年各部门自评表的文件夹或文件")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="复核表 .xlsx；与 --opinions 一起用时是存放复核意见书的文件夹")] = None,
    last_year: Annotated[Optional[list[Path]], typer.Option(
        "--last-year", help="上年各部门自评表的文件夹或文件（可多次给出），用来比较目标、分值和报告的变化")] = None,
    opinions: Annotated[Optional[Path], typer.Option(
        "--opinions", help="已填写复核得分和复核理由的复核表：为每个部门生成一份复核意见书（.docx）")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text | json（json 把全部问题输出到标准输出）")] = "text",
    jobs: Annotated[int, typer.Option(help="并行进程数，0 = 全部 CPU")] = 0,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """财政局复核：整批比对各部门的自评表，找出与其他部门相同的指标和报告段落、不属于本部门职能的指标，
    给出上年的表时再比较目标下调、未完成指标消失、分值转移和照抄上年；写出复核表。
    复核人员在复核表中填好复核得分和理由后，用 --opinions 复核表.xlsx -o 文件夹/ 生成各部门的复核意见书。"""
    if output is None:
        _fail("请用 -o 指定输出：复核表（.xlsx），或与 --opinions 一起用时的复核意见书文件夹。")
    if format not in ("text", "json"):
        _fail("--format 只能是 text 或 json。")
    if opinions is not None:
        if files or last_year:
            _fail("--opinions 只读取复核表，不能同时给出自评表文件夹或 --last-year。")
        _review_opinions(opinions, output, force)
        return
    if not files:
        _fail("请给出存放各部门自评表的文件夹或文件。")
    if jobs < 0:
        _fail("--jobs 不能是负数。")
    _need_suffix(output, ".xlsx")
    for f in [*files, *(last_year or [])]:
        if not f.exists():
            _fail(f"文件或文件夹「{f}」不存在。", "PE901")
    from .batch import expand_paths
    from .loader import resolve_profile
    from .review import review_batch
    from .review.workbook import write_review_workbook

    prof = resolve_profile(_profile_spec(profile)) if _profile_spec(profile) else None
    paths = expand_paths(files, exclude=[output])
    if not paths:
        _fail("没有找到可以复核的自评表文件。", "PE942")
    last_paths = expand_paths(last_year, exclude=[output]) if last_year else None
    if last_year and not last_paths:
        _fail("--last-year 中没有找到自评表文件。", "PE942")
    loaded = _load_with_progress(paths, jobs, prof, "读取本年自评表…")
    previous = _load_with_progress(last_paths, jobs, prof, "读取上年自评表…") if last_paths else None
    result = review_batch(loaded, previous)
    write_review_workbook(result, output, force=force)
    if format == "json":
        print(json.dumps(_review_json(result, output), ensure_ascii=False, indent=2))
    else:
        _print_review(result, output)
    if result.unreadable:
        raise typer.Exit(EXIT_USAGE)


def _load_with_progress(paths, jobs: int, prof, label: str) -> list:
    from .loader import load_forms

    if not sys.stderr.isatty():
        return list(load_forms(paths, jobs=jobs, profile=prof))
    from rich.progress import Progress

    with Progress(transient=True, console=_console(stderr=True)) as progress:
        task = progress.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return list(load_forms(paths, jobs=jobs, profile=prof, progress=tick))


def _review_json(result, output: Path) -> dict:
    from .core.decimal_math import fmt_decimal
    from .outputs import xml_safe_text

    def num(d):
        return None if d is None else fmt_decimal(d)

    doc = {
        "output": str(output),
        "departments": [{
            "name": d.name, "file": d.file, "stated_total": num(d.loaded.form.stated_total_score.number),
            "total": num(d.loaded.evaluation.total), "grade": d.loaded.evaluation.grade,
            "findings": len(result.findings_of(d)),
            "last_year": (prev.file if (prev := result.last_year_of(d)) is not None else None),
        } for d in result.departments],
        "unreadable": [{"file": str(u.path), "code": (u.fatal.code if u.fatal else "PE919"),
                        "message": (u.fatal.message if u.fatal else "无法读取")} for u in result.unreadable],
        "findings": [f.to_dict() for f in result.findings],
        "batch_common": [{"kind": c.kind, "text": c.text, "departments": list(c.departments)}
                         for c in result.batch_common],
    }
    return json.loads(xml_safe_text(json.dumps(doc, ensure_ascii=False)))


def _print_review(result, output: Path) -> None:
    from collections import Counter

    from .core.codes import code_info

    con = _console()
    n_last = len(result.year.pairs) if result.year is not None else 0
    head = f"复核 {len(result.departments) + len(result.unreadable)} 份自评表"
    if result.unreadable:
        head += f"（其中 {len(result.unreadable)} 份无法读取）"
    if result.year is not None:
        head += f"；与上年对比 {n_last} 个部门"
    con.print(head + "。")
    counts = Counter(f.code for f in result.findings)
    if not counts:
        con.print("没有发现部门之间或与上年之间的问题。")
    for code in sorted(counts):
        con.print(f"  {code} {code_info(code).title}：{counts[code]} 条")
    by_file = {d.file: d for d in result.departments}
    if result.year is not None:
        by_file.update({prev.file: prev for _, prev in result.year.pairs})

    def title(file: str) -> str:
        d = by_file.get(file)
        return _plain(d.title if d is not None else Path(file).name)

    pairs: dict[tuple[str, str, str], list] = {}
    for f in result.findings:
        if f.code in ("PE750", "PE751"):
            pairs.setdefault((f.code, f.file, f.related.file), []).append(f)
    for (code, a, b), items in pairs.items():
        what = "行指标相同" if code == "PE750" else "段报告素材相同或几乎相同"
        con.print(f"\n[bold]{code}[/bold] {title(a)} 与 {title(b)}：{len(items)} {what}")
        for f in items:
            con.print(f"    {_plain(f.location)} ↔ {_plain(f.related.sheet)}!{_plain(f.related.cell)}  "
                      f"{_plain(f.actual or '')}")
    fields: dict[str, list] = {}
    for f in result.findings:
        if f.code == "PE752":
            fields.setdefault(f.file, []).append(f)
    for file, items in fields.items():
        con.print(f"\n[bold]PE752[/bold] {title(file)}：{len(items)} 行指标不属于本部门主要职能所述的领域")
        for f in items:
            con.print(f"    {_plain(f.location)}  {_plain(f.actual or '')}")
    for f in result.findings:
        if f.code.startswith("PE76"):
            con.print(f"\n[bold]{f.code}[/bold] {title(f.file)} {_plain(f.location)} ↔ 上年 {title(f.related.file)} "
                      f"{_plain(f.related.sheet)}!{_plain(f.related.cell)}：{_plain(f.message)}")
    for c in result.batch_common:
        con.print(f"\n本批 {len(c.departments)} 个部门共有的{c.kind}（视为本地统一要求，未逐对列出）：{_plain(c.text)}")
    for group in result.same_name:
        con.print(f"\n同一部门的多份自评表（未互相比对）：{_plain('、'.join(d.file_name for d in group))}")
    if result.not_judged:
        names = "、".join(d.name for d in result.not_judged[:10]) + ("等" if len(result.not_judged) > 10 else "")
        con.print(f"\n未填写部门主要职能、未做领域判断：{len(result.not_judged)} 份（{_plain(names)}）")
    if result.year is not None:
        for note in result.year.notes:
            con.print(_plain(note))
        if result.year.unmatched:
            names = "、".join(d.name for d in result.year.unmatched[:10]) + ("等" if len(result.year.unmatched) > 10 else "")
            con.print(f"上年自评表中没有对应的部门：{len(result.year.unmatched)} 个（{_plain(names)}）")
    for u in result.unreadable:
        fatal = u.fatal
        con.print(f"[red]{fatal.code if fatal else 'PE919'}[/red] {_plain(u.path.name if u.path else u.source)}："
                  f"{_plain(fatal.message if fatal else '无法读取')}")
    con.print(f"\n已生成复核表：{_plain(output)}（每条问题的两处位置见“复核发现”工作表；"
              "填好复核得分和理由后用 perfeval review --opinions 生成复核意见书）")


def _review_opinions(workbook: Path, out_dir: Path, force: bool) -> None:
    from .review.opinions import opinions_from_workbook

    if not workbook.exists():
        _fail(f"复核表「{workbook}」不存在。", "PE901")
    result = opinions_from_workbook(workbook, out_dir, force=force)
    con = _console()
    con.print(f"已生成 {len(result.written)} 份复核意见书，在 {_plain(out_dir)}：")
    for p in result.written:
        con.print(f"  {_plain(p.name)}")
    unfilled = [f for f in result.skipped if f.code == "PE772"]
    for f in result.skipped:
        if f.code == "PE772" and len(unfilled) > 3:
            continue
        color = "red" if f.severity.value == "error" else "yellow"
        con.print(f"[{color}]{f.code}[/{color}] {_plain(f.location)}：{_plain(f.message)}")
    if len(unfilled) > 3:
        cells = "、".join(f.cell for f in unfilled[:10]) + ("等" if len(unfilled) > 10 else "")
        con.print(f"[yellow]PE772[/yellow] {len(unfilled)} 个部门没有填写复核得分（{_plain(cells)}），未生成复核意见书。")
    raise typer.Exit(EXIT_ERRORS if any(f.severity.value == "error" for f in result.skipped) else EXIT_CLEAN)


# ---------------------------------------------------------------------------------- demo
@_command(app)
def demo(
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件夹")] = Path("perfeval-output"),
    force: Annotated[bool, typer.Option("--force", help="允许覆盖输出文件夹中已有的文件")] = False,
) -> None:
    """在内置示例（正宁县人社局 2023 年度整体支出绩效自评表）上跑一遍完整流程。"""
    from .core.decimal_math import fmt_decimal
    from .core.findings import Severity
    from .example_data import zhengning_2023
    from .outputs import os_failure
    from .report import build_opinions, build_report
    from .workbook.findings_writer import annotate_file
    from .workbook.template import build_workbook

    con = _console()
    if out.exists() and not out.is_dir():
        _fail(f"输出文件夹「{out}」是一个已有的文件；请换一个文件夹名。", "PE933")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_failure(out, exc, "创建文件夹") from exc
    example = out / "正宁县人社局-2023-整体支出绩效自评表.xlsx"
    _write(example, build_workbook(zhengning_2023()), force=force)
    loaded = _load(example)
    findings, ev = list(loaded.findings), loaded.evaluation
    written = [example]
    findings_json = out / "校验结果.json"
    _write(findings_json, json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2).encode("utf-8"),
           force=force)
    written.append(findings_json)
    annotated = out / "正宁县人社局-2023-自评表-已标注.xlsx"
    annotate_file(example, findings, annotated, force=force)
    written.append(annotated)
    # The example keeps the published form's mistakes, so its report can only be a draft: the
    # findings are comments in it, and the 校验意见 lists them for whoever reviews it.
    rep = out / "正宁县人社局-2023-自评报告（草稿）.docx"
    _write(rep, build_report(loaded, draft=True), force=force)
    written.append(rep)
    opinions = out / "正宁县人社局-2023-校验意见.docx"
    _write(opinions, build_opinions(loaded), force=force)
    written.append(opinions)
    form = loaded.form
    con.print(f"[bold]{_plain(form.display_name)}[/bold] 2023 年度整体支出绩效自评（规则：{_plain(loaded.profile.title)}）")
    con.print(f"表中合计 {_plain(form.stated_total_score.text)} 分；按规则重算总分 [bold]{fmt_decimal(ev.total)}[/bold] 分，"
              f"等级 [bold]{ev.grade}[/bold]")
    con.print(f"发现问题：错误 [red]{loaded.count(Severity.ERROR)}[/red]，警告 [yellow]{loaded.count(Severity.WARNING)}"
              f"[/yellow]，提示 [cyan]{loaded.count(Severity.INFO)}[/cyan]")
    for f in [f for f in findings if f.severity is Severity.ERROR][:8]:
        con.print(f"  {f.code} {_plain(f.location)}：{_plain(f.message)}")
    con.print("输出文件：")
    for p in written:
        con.print(f"  {_plain(p)}")


# ---------------------------------------------------------------------------------- add-in
@_command(addin_app, "build")
def addin_build(out: Annotated[Optional[Path], typer.Option(help="仓库根目录（默认当前目录）")] = None) -> None:
    """构建宏模板 .xlsm 和加载项 .xlam（Linux 上也可运行）。"""
    from .excel.build import build_addin

    for path in build_addin(out or Path.cwd()):
        print(f"已生成：{path}")


@_command(addin_app, "install")
def addin_install(
    file: Annotated[Optional[Path], typer.Option("--file", help="安装这个 .xlam（例如 IT 签名后的加载项），而不是本机生成的")] = None,
) -> None:
    """在本机 Excel 中安装 perfeval 加载项（仅 Windows，无需管理员权限）。"""
    from .excel.doctor import describe_install, install_addin

    for line in describe_install(install_addin(file)):
        print(line)


@_command(addin_app, "bundle")
def addin_bundle(
    output: Annotated[Path, typer.Option("-o", "--output", help="离线安装包（.zip）")] = Path("perfeval-离线安装包.zip"),
    wheels: Annotated[Optional[Path], typer.Option(help="已下载好的 wheel 文件夹：不连网，只用其中的文件")] = None,
    python: Annotated[Optional[str], typer.Option(help="只为这些 Python 版本准备，逗号分隔（默认 3.11 至 3.14 全部）")] = None,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """生成离线安装包：64 位 Windows 所需的全部 wheel、加载项、模板和安装脚本（给单位的 IT 人员）。"""
    from .excel.bundle import SUPPORTED_PYTHONS, build_bundle

    _need_suffix(output, ".zip")
    versions = tuple(v.strip() for v in python.split(",") if v.strip()) if python else SUPPORTED_PYTHONS
    summary = build_bundle(output, pythons=versions, wheels_from=wheels, force=force)
    print(f"已生成：{summary.path}（{summary.size / 1e6:.1f} MB，{len(summary.wheels)} 个 wheel，"
          f"Python {'、'.join(summary.pythons)}，64 位 Windows）")
    print("把它拷到职员电脑上，解压后双击其中的 安装.cmd；详见其中的 说明.txt。")


@_command(app)
def doctor() -> None:
    """检查运行环境：Python、xlwings 版本、加载项文件与配置。"""
    from .excel.doctor import doctor as run

    ok_all = True
    for name, ok, detail in run():
        ok_all &= ok
        print(f"{'√' if ok else '×'} {name}：{detail}")  # both in GBK: a Chinese console shows them
    raise typer.Exit(EXIT_CLEAN if ok_all else EXIT_ERRORS)


def _report_error(exc) -> int:
    from .outputs import display_text

    f = exc.finding
    where = f.location
    text = f"{where}：{f.message}" if where and where not in f.message else f.message
    print(f"错误 {f.code}：{display_text(text, limit=4000)}", file=sys.stderr)
    return exc.exit_code


def main() -> None:
    from .core.errors import PerfevalError

    try:
        app(standalone_mode=True)
    except PerfevalError as exc:
        sys.exit(_report_error(exc))
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        sys.exit(130)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - a traceback is never what a clerk should see
        if os.environ.get("PERFEVAL_DEBUG"):
            raise
        if isinstance(exc, RuntimeError) and "defusedxml" in str(exc):
            # ensure_defused_xml refuses to read any file when openpyxl would parse without
            # defusedxml; that is a setup problem for the user, not a crash.
            print(f"错误：{exc}", file=sys.stderr)
            sys.exit(EXIT_USAGE)
        print(f"错误 PE999：内部错误（{type(exc).__name__}: {str(exc)[:300]}）。请把这段文字发给技术支持；"
              "设置环境变量 PERFEVAL_DEBUG=1 可看到详细信息。", file=sys.stderr)
        sys.exit(EXIT_USAGE)
