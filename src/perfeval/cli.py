"""perfeval command line: a thin host over the core (typer + rich).

Exit codes (DESIGN.md): 0 clean, 1 findings of severity error, 2 usage or unreadable input.
Imports are done inside the commands so that `perfeval --version` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="部门整体支出 / 项目支出绩效自评：校验、评分、自评报告、导入旧表、汇总。",
)
addin_app = typer.Typer(help="Excel 加载项：构建（Linux 可用）与安装（仅 Windows）。", no_args_is_help=True)
app.add_typer(addin_app, name="addin")

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    _console().print(f"[red]错误：[/red]{message}")
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"perfeval {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")] = False,
) -> None:
    """perfeval"""


def _profile(name: str | None, form=None):
    from .core.profiles import ProfileError, load_profile

    try:
        return load_profile(name or (form.profile_name if form is not None else None))
    except ProfileError as exc:
        _fail(str(exc))


def _read(path: Path):
    from .workbook.reader import read_form

    if not path.exists():
        _fail(f"文件「{path}」不存在。")
    return read_form(path)


def _write(path: Path, data: bytes, *, force: bool, inputs=()) -> Path:
    from .outputs import OutputError, write_atomic

    try:
        return write_atomic(path, data, force=force, inputs=inputs)
    except OutputError as exc:
        _fail(str(exc))
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------- validate
@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="自评表文件或文件夹（可多个）")],
    format: Annotated[str, typer.Option("--format", "-f", help="text | json | csv")] = "text",
    select: Annotated[Optional[str], typer.Option(help="只检查这些代码或前缀，逗号分隔，如 PE1,PE401")] = None,
    ignore: Annotated[Optional[str], typer.Option(help="不检查这些代码或前缀，逗号分隔")] = None,
    annotate: Annotated[Optional[Path], typer.Option(help="另存一份标注了问题的工作簿（单个文件时）")] = None,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    jobs: Annotated[int, typer.Option(help="并行进程数，0 = 全部 CPU")] = 0,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """校验自评表：列出每个问题的代码、位置和说明。退出码 0 无错误，1 有错误，2 无法读取。"""
    sel = [s for s in (select or "").split(",") if s.strip()]
    ign = [s for s in (ignore or "").split(",") if s.strip()]
    if format not in ("text", "json", "csv"):
        _fail("--format 只能是 text、json 或 csv。")
    single = len(files) == 1 and files[0].is_file()
    if not single:
        if annotate is not None:
            _fail("--annotate 只能用于单个文件。")
        _validate_batch(files, format, sel, ign, profile, jobs)
        return
    from .checks import check_form, count_by_severity
    from .core.findings import Severity

    path = files[0]
    form, problems = _read(path)
    from .core.findings import first_fatal

    unreadable = first_fatal(problems) is not None
    findings = check_form(form, _profile(profile, form), problems=problems, select=sel, ignore=ign)
    if annotate is not None and not unreadable:
        from .outputs import OutputError
        from .workbook.findings_writer import annotate_file

        try:
            annotate_file(path, findings, annotate, force=force)
        except OutputError as exc:
            _fail(str(exc))
    if format == "json":
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    elif format == "csv":
        print(_findings_csv(findings), end="")
    else:
        _print_findings(findings, path)
        if annotate is not None and not unreadable:
            _console().print(f"已写出标注副本：{annotate}")
    counts = count_by_severity(findings)
    if unreadable:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ERRORS if counts[Severity.ERROR] else EXIT_CLEAN)


def _findings_csv(findings) -> str:
    import csv
    import io

    from .outputs import sanitize_cell_text

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["code", "severity", "file", "sheet", "cell", "message", "expected", "actual"])
    for f in findings:
        d = f.to_dict()
        w.writerow([sanitize_cell_text(str(d[k] or "")) for k in
                    ("code", "severity", "file", "sheet", "cell", "message", "expected", "actual")])
    return buf.getvalue()


def _print_findings(findings, path: Path) -> None:
    from rich.table import Table

    from .checks import count_by_severity
    from .core.findings import Severity

    con = _console()
    colors = {"error": "red", "warning": "yellow", "info": "cyan"}
    by_sheet: dict[str, list] = {}
    for f in findings:
        by_sheet.setdefault(f.sheet or "（文件）", []).append(f)
    for sheet, items in by_sheet.items():
        t = Table(title=f"{path.name} · {sheet}", title_justify="left", show_lines=False)
        t.add_column("级别", no_wrap=True)
        t.add_column("代码", no_wrap=True)
        t.add_column("单元格", no_wrap=True)
        t.add_column("问题", overflow="fold")
        for f in items:
            t.add_row(f"[{colors[f.severity.value]}]{f.severity.label}[/]", f.code, f.cell, f.message)
        con.print(t)
    c = count_by_severity(findings)
    con.print(f"{path.name}：错误 {c[Severity.ERROR]}，警告 {c[Severity.WARNING]}，提示 {c[Severity.INFO]}。"
              "用 perfeval explain 代码 查看规则说明。")


def _validate_batch(files, format, sel, ign, profile, jobs) -> None:
    from rich.progress import Progress

    from .batch import batch_table, render_batch_csv, render_batch_json, validate_many

    for f in files:
        if not f.exists():
            _fail(f"文件或文件夹「{f}」不存在。")
    prof = _profile(profile) if profile else None
    if format == "text":
        with Progress(transient=True) as progress:
            task = progress.add_task("校验中…", total=None)

            def tick(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            reports = validate_many(files, jobs=jobs, profile=prof, select=sel, ignore=ign, progress=tick)
        _console().print(batch_table(reports))
    else:
        reports = validate_many(files, jobs=jobs, profile=prof, select=sel, ignore=ign)
        print(render_batch_json(reports) if format == "json" else render_batch_csv(reports), end="")
    if not reports:
        _fail("没有找到 .xlsx / .xlsm 文件。")
    if any(r.read_error for r in reports):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ERRORS if any(r.errors for r in reports) else EXIT_CLEAN)


# ---------------------------------------------------------------------------------- rules
@app.command()
def explain(code: Annotated[str, typer.Argument(help="规则代码，如 PE101")]) -> None:
    """显示一条规则的说明：检查内容、原因、错误示例、正确示例、依据。"""
    from .checks import get_rule

    r = get_rule(code)
    if r is None:
        _fail(f"没有规则 {code}；用 perfeval rules 查看全部规则。")
    print(f"{r.code}  {r.title}  （默认级别：{r.severity.label}）\n")
    for line in r.doc.splitlines():
        print(line.strip())


@app.command()
def rules() -> None:
    """列出全部校验规则。"""
    from rich.table import Table

    from .checks import RULES

    t = Table(title="校验规则")
    t.add_column("代码")
    t.add_column("级别")
    t.add_column("规则")
    for code in sorted(RULES):
        r = RULES[code]
        t.add_row(code, r.severity.label, r.title)
    _console().print(t)


@app.command()
def profiles() -> None:
    """列出内置评分规则。"""
    from .core.profiles import list_profiles, load_profile

    for name in list_profiles():
        p = load_profile(name)
        print(f"{name}\t{p.title}")


# ---------------------------------------------------------------------------------- score
@app.command()
def score(
    file: Annotated[Optional[Path], typer.Argument(help="自评表文件；省略时用内置示例（正宁县人社局 2023）")] = None,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
) -> None:
    """按规则重算执行率、各指标得分、总分和等级，与表中所填对照。"""
    if file is None:
        from .example_data import zhengning_2023

        form, problems = zhengning_2023(), []
    else:
        form, problems = _read(file)
        from .core.findings import first_fatal

        if first_fatal(problems) is not None:
            for p in problems:
                _console().print(f"[red]{p.code}[/red] {p}")
            raise typer.Exit(EXIT_USAGE)
    _print_score(form, _profile(profile, form))


def _print_score(form, prof) -> None:
    from rich.table import Table

    from .core.decimal_math import fmt_decimal, fmt_percent
    from .core.evaluate import evaluate

    ev = evaluate(form, prof)
    con = _console()
    con.print(f"[bold]{form.display_name}[/bold]  规则：{prof.title}")
    t = Table(title="预算执行", title_justify="left")
    for col in ("行", "全年预算数", "实际支出数", "执行率（重算）", "执行率（表中）"):
        t.add_column(col)
    for b in ev.budget:
        t.add_row(b.row.label.text, fmt_decimal(b.row.full_year.number), fmt_decimal(b.row.actual.number),
                  fmt_percent(b.rate), b.row.stated_rate.text and fmt_percent(b.row.stated_rate.number))
    con.print(t)
    t = Table(title="一级指标", title_justify="left")
    for col in ("一级指标", "分值", "规则分值", "得分（重算）", "得分（表中）"):
        t.add_column(col)
    t.add_row("预算执行率", fmt_decimal(ev.execution_weight), fmt_decimal(prof.execution.weight),
              fmt_decimal(ev.execution_score), form.main_budget_row.score.text if form.main_budget_row else "")
    for lv in ev.levels:
        t.add_row(lv.name, fmt_decimal(lv.weight), fmt_decimal(lv.expected_weight), fmt_decimal(lv.score),
                  fmt_decimal(lv.stated_score))
    con.print(t)
    con.print(f"重算总分 [bold]{fmt_decimal(ev.total)}[/bold]，等级 [bold]{ev.grade}[/bold]"
              f"（表中合计 {form.stated_total_score.text or '未填'}）")


# ---------------------------------------------------------------------------------- new / import
@app.command()
def new(
    output: Annotated[Path, typer.Option("-o", "--output", help="新模板文件（.xlsx）")],
    kind: Annotated[str, typer.Option(help="department（部门整体） | project（项目支出）")] = "department",
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称")] = None,
    example: Annotated[bool, typer.Option(help="填入示例（正宁县人社局 2023）")] = False,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """生成空白自评表模板（或填好的示例）。"""
    from .core.model import FormKind
    from .workbook.template import build_workbook

    try:
        k = FormKind(kind)
    except ValueError:
        _fail("--kind 只能是 department 或 project。")
    form = None
    if example:
        from .example_data import zhengning_2023

        form = zhengning_2023()
        if form.kind is not k:
            _fail(f"内置示例是{form.kind.title}，不能用 --kind {kind} 生成。")
    prof = _profile(profile) if profile else None
    from .core.profiles import ProfileError

    try:
        data = build_workbook(form, prof, kind=k)
    except ProfileError as exc:
        _fail(str(exc))
    _write(output, data, force=force)
    print(f"已生成：{output}")


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="旧的自评表（任意版式的 .xlsx）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="生成的模板文件")],
    sheet: Annotated[Optional[str], typer.Option(help="只在这个工作表中查找")] = None,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """把手工制作的旧自评表导入模板，并打印“源单元格 → 模板栏目”的对照表。"""
    from .workbook.legacy_import import import_legacy, mapping_report
    from .workbook.template import TemplateOverflow, build_workbook

    if not source.exists():
        _fail(f"文件「{source}」不存在。")
    result = import_legacy(source, sheet=sheet)
    fatal = [p for p in result.problems if p.severity.value == "error"]
    print(mapping_report(result))
    if fatal and not result.form.filled_indicators:
        for p in fatal:
            _console().print(f"[red]{p.code}[/red] {p.message}")
        raise typer.Exit(EXIT_USAGE)
    try:
        data = build_workbook(result.form, _profile(None, result.form))
    except TemplateOverflow as exc:
        _fail(str(exc))
    _write(output, data, force=force, inputs=[source])
    print(f"已生成：{output}")


# ---------------------------------------------------------------------------------- report / export
@app.command()
def report(
    file: Annotated[Path, typer.Argument(help="自评表文件")],
    output: Annotated[Path, typer.Option("-o", "--output", help="自评报告 .docx")],
    strict: Annotated[bool, typer.Option(help="表中有错误时不生成报告")] = False,
    profile: Annotated[Optional[str], typer.Option(help="评分规则名称或 .toml 文件")] = None,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """由自评表生成 Word 自评报告（数字全部取自表格，按规则重算）。"""
    from .checks import check_form
    from .core.findings import first_fatal
    from .report import ReportRefused, build_report

    form, problems = _read(file)
    if first_fatal(problems) is not None:
        for p in problems:
            _console().print(f"[red]{p.code}[/red] {p}")
        raise typer.Exit(EXIT_USAGE)
    prof = _profile(profile, form)
    findings = check_form(form, prof, problems=problems)
    try:
        data = build_report(form, prof, findings, strict=strict)
    except ReportRefused as exc:
        _fail(str(exc), EXIT_ERRORS)
    _write(output, data, force=force, inputs=[file])
    print(f"已生成自评报告：{output}")


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="自评表文件")],
    pdf: Annotated[bool, typer.Option("--pdf", help="转换为 PDF（需要 LibreOffice）")] = True,
    outdir: Annotated[Optional[Path], typer.Option("-o", "--outdir", help="输出文件夹，默认与原文件同目录")] = None,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """导出 PDF：自评报告和自评表各一份（通过 LibreOffice 转换）。"""
    import tempfile

    from .checks import check_form
    from .report import PdfUnavailable, build_report, convert_to_pdf

    if not pdf:
        _fail("目前只支持 --pdf。")
    form, problems = _read(file)
    from .core.findings import first_fatal

    fatal = first_fatal(problems)
    if fatal is not None:
        _fail(fatal.message)
    prof = _profile(None, form)
    out = outdir or file.parent
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / f"{file.stem}-自评报告.docx"
        docx.write_bytes(build_report(form, prof, check_form(form, prof, problems=problems)))
        from .workbook.layout import SHEET_FORM
        from .workbook.print_copy import single_sheet_copy

        xlsx = Path(tmp) / f"{file.stem}-自评表.xlsx"
        xlsx.write_bytes(single_sheet_copy(file.read_bytes(), SHEET_FORM))
        try:
            for src in (docx, xlsx):
                made = convert_to_pdf(src, Path(tmp))
                target = out / made.name
                _write(target, made.read_bytes(), force=force, inputs=[file])
                print(f"已导出：{target}")
        except PdfUnavailable as exc:
            _fail(str(exc))


# ---------------------------------------------------------------------------------- bureau side
@app.command()
def consolidate(
    files: Annotated[list[Path], typer.Argument(help="部门本级自评表，然后是各下属单位的自评表")],
    output: Annotated[Path, typer.Option("-o", "--output", help="汇总后的自评表")],
    no_dept: Annotated[bool, typer.Option("--units-only", help="所有文件都是下属单位（没有部门本级表）")] = False,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """汇总部门本级和下属单位的自评表：绝对值相加，相对值和定性得分按资金额度加权。"""
    from .consolidate import ConsolidationError, consolidate_files
    from .outputs import OutputError

    dept, units = (None, files) if no_dept else (files[0], files[1:])
    if not units:
        _fail("至少需要一个下属单位的自评表。")
    try:
        result = consolidate_files(dept, units, output, force=force)
    except (ConsolidationError, OutputError) as exc:
        _fail(str(exc))
    print(result.summary_text() if hasattr(result, "summary_text") else f"已生成：{output}")


@app.command()
def summary(
    folder: Annotated[list[Path], typer.Argument(help="存放各部门自评表的文件夹或文件")],
    output: Annotated[Path, typer.Option("-o", "--output", help="汇总表 .xlsx")],
    jobs: Annotated[int, typer.Option(help="并行进程数，0 = 全部 CPU")] = 0,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """财政局汇总表：每个部门一行（预算、执行率、总分、等级、问题数），附等级分布图。"""
    from .batch import validate_many, write_summary
    from .outputs import OutputError

    reports = validate_many(folder, jobs=jobs)
    if not reports:
        _fail("没有找到 .xlsx / .xlsm 文件。")
    try:
        write_summary(reports, output, force=force)
    except OutputError as exc:
        _fail(str(exc))
    print(f"已生成汇总表：{output}（{len(reports)} 个文件）")


# ---------------------------------------------------------------------------------- demo
@app.command()
def demo(
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件夹")] = Path("perfeval-output"),
    force: Annotated[bool, typer.Option(help="允许覆盖输出文件夹中已有的文件")] = False,
) -> None:
    """在内置示例（正宁县人社局 2023 年度整体支出绩效自评表）上跑一遍完整流程。"""
    from .checks import check_form, count_by_severity
    from .core.decimal_math import fmt_decimal
    from .core.evaluate import evaluate
    from .core.findings import Severity
    from .example_data import zhengning_2023
    from .workbook.reader import read_form
    from .workbook.template import build_workbook

    con = _console()
    out.mkdir(parents=True, exist_ok=True)
    example = out / "正宁县人社局-2023-整体支出绩效自评表.xlsx"
    _write(example, build_workbook(zhengning_2023()), force=force)
    form, problems = read_form(example)
    prof = _profile(None, form)
    findings = check_form(form, prof, problems=problems)
    ev = evaluate(form, prof)
    written = [example]
    findings_json = out / "校验结果.json"
    _write(findings_json, json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2).encode("utf-8"),
           force=force)
    written.append(findings_json)
    from .outputs import OutputError
    from .report import build_report
    from .workbook.findings_writer import annotate_file

    annotated = out / "正宁县人社局-2023-自评表-已标注.xlsx"
    try:
        annotate_file(example, findings, annotated, force=force)
    except OutputError as exc:
        _fail(str(exc))
    written.append(annotated)
    rep = out / "正宁县人社局-2023-自评报告.docx"
    _write(rep, build_report(form, prof, findings), force=force)
    written.append(rep)
    c = count_by_severity(findings)
    con.print(f"[bold]{form.display_name}[/bold] 2023 年度整体支出绩效自评（规则：{prof.title}）")
    con.print(f"表中合计 {form.stated_total_score.text} 分；按规则重算总分 [bold]{fmt_decimal(ev.total)}[/bold] 分，"
              f"等级 [bold]{ev.grade}[/bold]")
    con.print(f"发现问题：错误 [red]{c[Severity.ERROR]}[/red]，警告 [yellow]{c[Severity.WARNING]}[/yellow]，"
              f"提示 [cyan]{c[Severity.INFO]}[/cyan]")
    for f in [f for f in findings if f.severity.value == "error"][:8]:
        con.print(f"  {f.code} {f.location}：{f.message}")
    con.print("输出文件：")
    for p in written:
        con.print(f"  {p}")


# ---------------------------------------------------------------------------------- add-in
@addin_app.command("build")
def addin_build(out: Annotated[Optional[Path], typer.Option(help="仓库根目录（默认当前目录）")] = None) -> None:
    """构建宏模板 .xlsm 和加载项 .xlam（Linux 上也可运行）。"""
    from .excel.build import build_addin

    for path in build_addin(out or Path.cwd()):
        print(f"已生成：{path}")


@addin_app.command("install")
def addin_install(
    file: Annotated[Optional[Path], typer.Option("--file", help="安装这个 .xlam（例如 IT 签名后的加载项），而不是本机生成的")] = None,
) -> None:
    """在本机 Excel 中安装 perfeval 加载项（仅 Windows，无需管理员权限）。"""
    from .excel.doctor import describe_install, install_addin

    try:
        for line in describe_install(install_addin(file)):
            print(line)
    except (OSError, RuntimeError) as exc:
        _fail(str(exc))


@addin_app.command("bundle")
def addin_bundle(
    output: Annotated[Path, typer.Option("-o", "--output", help="离线安装包（.zip）")] = Path("perfeval-离线安装包.zip"),
    wheels: Annotated[Optional[Path], typer.Option(help="已下载好的 wheel 文件夹：不连网，只用其中的文件")] = None,
    python: Annotated[Optional[str], typer.Option(help="只为这些 Python 版本准备，逗号分隔（默认 3.11 至 3.14 全部）")] = None,
    force: Annotated[bool, typer.Option(help="允许覆盖已存在的输出文件")] = False,
) -> None:
    """生成离线安装包：64 位 Windows 所需的全部 wheel、加载项、模板和安装脚本（给单位的 IT 人员）。"""
    from .excel.bundle import SUPPORTED_PYTHONS, BundleError, build_bundle
    from .outputs import OutputError

    versions = tuple(v.strip() for v in python.split(",") if v.strip()) if python else SUPPORTED_PYTHONS
    try:
        summary = build_bundle(output, pythons=versions, wheels_from=wheels, force=force)
    except (BundleError, OutputError) as exc:
        _fail(str(exc))
    print(f"已生成：{summary.path}（{summary.size / 1e6:.1f} MB，{len(summary.wheels)} 个 wheel，"
          f"Python {'、'.join(summary.pythons)}，64 位 Windows）")
    print("把它拷到职员电脑上，解压后双击其中的 安装.cmd；详见其中的 说明.txt。")


@app.command()
def doctor() -> None:
    """检查运行环境：Python、xlwings 版本、加载项文件与配置。"""
    from .excel.doctor import doctor as run

    ok_all = True
    for name, ok, detail in run():
        ok_all &= ok
        print(f"{'√' if ok else '×'} {name}：{detail}")  # both in GBK: a Chinese console shows them
    raise typer.Exit(EXIT_CLEAN if ok_all else EXIT_ERRORS)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        sys.exit(130)
    except RuntimeError as exc:
        # ensure_defused_xml refuses to read any file when openpyxl would parse without
        # defusedxml; that is a setup problem for the user, not a crash.
        if "defusedxml" not in str(exc):
            raise
        print(f"错误：{exc}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
