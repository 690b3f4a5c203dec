"""What the ribbon buttons do.

Every button of both ribbons calls the VBA `OnAction`, which runs
`perfeval.excel.ribbon.on_ribbon("<button id>")` through xlwings' RunPython. A handler is a
core function plus a conversion: it works on a `SheetAccess` (live Excel, or a file in tests and
the CLI), reads the workbook through a saved copy with the same loader as the CLI
(`perfeval.loader.load_form`), and writes only new files, never over an existing one (a numeric
suffix is added instead). Whatever goes wrong ends in a Chinese message box, not a traceback.

Template tab (customUI14.xml):        validate report export consolidate new_form explain
Add-in tab (customUI14-addin.xml):    addin_new addin_import addin_batch addin_consolidate
                                      addin_doctor — these act on the active workbook.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from perfeval.checks import count_by_severity
from perfeval.core.errors import PerfevalError
from perfeval.core.findings import Finding, Severity
from perfeval.excel.sheet_access import SheetAccess, XlwingsAccess
from perfeval.loader import Loaded, load_form
from perfeval.outputs import OutputError, OutputExistsError, write_atomic
from perfeval.workbook import layout as L
from perfeval.workbook.findings_writer import selected_code, write_findings

__all__ = ["ADDIN_CONTROLS", "HANDLERS", "TEMPLATE_CONTROLS", "on_ribbon", "write_new"]

ADDIN_PREFIX = "addin_"
_MAX_SUFFIX = 99


# ---------------------------------------------------------------------------------------------
# helpers


def _candidates(path: Path) -> Iterator[Path]:
    yield path
    for n in range(2, _MAX_SUFFIX + 1):
        yield path.with_name(f"{path.stem}({n}){path.suffix}")


def _first_free(path: Path, write: Callable[[Path], Path]) -> Path:
    """Write to `path`, or to "name(2).ext", "name(3).ext" … when the name is taken."""
    for candidate in _candidates(path):
        if os.path.lexists(candidate):
            continue
        try:
            return write(candidate)
        except OutputExistsError:
            continue
    raise OutputError(path, f"「{path.parent}」中已有太多名为「{path.stem}」的文件，请整理后再试。")


def write_new(path: Path, data: bytes, *, inputs: tuple[Path, ...] = ()) -> Path:
    """Write `data` to a new file at `path` (or a suffixed name); never replaces a file."""
    return _first_free(Path(path), lambda p: write_atomic(p, data, inputs=inputs))


def _copy_name(access: SheetAccess) -> str:
    name = access.workbook_name or "工作簿"
    return name if Path(name).suffix.lower() in (".xlsx", ".xlsm") else f"{name}.xlsx"


@contextlib.contextmanager
def _saved_copy(access: SheetAccess) -> Iterator[Path]:
    """The workbook as it is now (unsaved edits included), as a file the CLI pipeline can read."""
    with tempfile.TemporaryDirectory(prefix="perfeval-") as tmp:
        copy = Path(tmp) / _copy_name(access)
        access.save_copy(copy)
        yield copy


def _unreadable(loaded: Loaded) -> Finding | None:
    if loaded.readable:
        return None
    return loaded.fatal or Finding(code="PE919", severity=Severity.ERROR, message="无法读取本表。")


def _counts_text(findings: list[Finding]) -> str:
    counts = count_by_severity(findings)
    return "，".join(f"{s.label} {counts[s]} 项" for s in Severity)


def _folder(access: SheetAccess) -> Path | None:
    path = access.workbook_path
    return path.parent if path is not None else None


def _need_saved(access: SheetAccess, what: str) -> Path | None:
    folder = _folder(access)
    if folder is None:
        access.message(f"请先保存本工作簿，再{what}（结果保存在工作簿所在的文件夹）。", warning=True)
    return folder


def _stem(access: SheetAccess) -> str:
    return Path(access.workbook_name).stem or "自评表"


def _documents() -> Path:
    home = Path(os.environ.get("USERPROFILE") or Path.home())
    docs = home / "Documents"
    return docs if docs.is_dir() else home


# ---------------------------------------------------------------------------------------------
# template buttons


def validate(access: SheetAccess) -> list[Finding]:
    """校验: check the workbook and write the findings into it (校验结果, fills, notes)."""
    access.status("正在校验……")
    with _saved_copy(access) as copy:
        findings = list(load_form(copy).findings)
    summary = write_findings(access, findings)
    if not findings:
        access.message("校验完成，未发现问题。")
        return findings
    text = f"校验完成：{_counts_text(findings)}。\n"
    if summary.findings_sheet:
        access.activate(L.SHEET_FINDINGS)
        text += f"问题已列在「{L.SHEET_FINDINGS}」工作表，点“位置”可跳到对应单元格。"
    else:
        text += f"本工作簿没有「{L.SHEET_FINDINGS}」工作表，问题只在单元格的批注中。"
    if summary.marked:
        text += "\n有问题的单元格已标色并加批注：红色＝错误，橙色＝警告，蓝色＝提示。"
    access.message(text, warning=any(f.severity is Severity.ERROR for f in findings))
    return findings


def _draft_wanted(access: SheetAccess, loaded: Loaded, what: str) -> bool | None:
    """None: stop; False: a final report; True: the clerk agreed to a draft."""
    errors = count_by_severity(loaded.findings)[Severity.ERROR]
    if not errors:
        return False
    if access.ask_yes_no(f"自评表还有 {errors} 个错误，不能{what}正式报告。\n\n"
                         "要先生成一份草稿吗？草稿的页眉标“草稿”，每个问题作为批注标在报告中相关的句子或单元格上。"):
        return True
    access.message(f"未{what}报告。请点“校验”查看问题，改正后再{what}。")
    return None


def report(access: SheetAccess) -> Path | None:
    """生成报告: the .docx report next to the workbook (a draft only if the clerk agrees)."""
    folder = _need_saved(access, "生成报告")
    if folder is None:
        return None
    try:
        from perfeval.report import build_report
    except ImportError:
        access.message("本版本的 perfeval 不含报告生成功能（perfeval.report），请更新后再试。", warning=True)
        return None
    access.status("正在生成自评报告……")
    with _saved_copy(access) as copy:
        loaded = load_form(copy)
    bad = _unreadable(loaded)
    if bad is not None:
        access.message(f"无法读取本表，未生成报告：{bad.code} {bad.message}", warning=True)
        return None
    draft = _draft_wanted(access, loaded, "生成")
    if draft is None:
        return None
    name = f"{_stem(access)}-自评报告{'（草稿）' if draft else ''}.docx"
    out = write_new(folder / name, build_report(loaded, draft=draft))
    text = f"已生成自评报告{'草稿' if draft else ''}：\n{out}"
    if draft:
        text += "\n\n问题已作为批注标在报告中；改正自评表后重新生成，得到正式报告。"
    access.message(text)
    return out


def export(access: SheetAccess) -> list[Path]:
    """导出: PDFs of the 自评表 (as printed) and of the report, next to the workbook."""
    folder = _need_saved(access, "导出")
    if folder is None:
        return []
    from perfeval.report import PdfUnavailable, build_report, convert_to_pdf

    stem = _stem(access)
    made: list[Path] = []
    failed: list[str] = []
    access.status("正在导出 PDF……")
    with _saved_copy(access) as copy:
        loaded = load_form(copy)
        tmp = copy.parent
        bad = _unreadable(loaded)
        if bad is not None:
            access.message(f"无法读取本表，未导出：{bad.code} {bad.message}", warning=True)
            return []
        draft = _draft_wanted(access, loaded, "导出")
        if draft is None:
            return []
        form_pdf = tmp / "form.pdf"
        try:
            access.export_pdf(L.SHEET_FORM, form_pdf)
            made.append(write_new(folder / f"{stem}-自评表.pdf", form_pdf.read_bytes()))
        except PdfUnavailable as exc:
            failed.append(f"自评表：{exc}")
        docx = tmp / f"{stem}-自评报告{'（草稿）' if draft else ''}.docx"
        docx.write_bytes(build_report(loaded, draft=draft))
        try:
            report_pdf = convert_to_pdf(docx, tmp / "pdf", notes=draft)
            made.append(write_new(folder / f"{docx.stem}.pdf", report_pdf.read_bytes()))
        except PdfUnavailable as exc:
            failed.append(f"自评报告：{exc}（可点“生成报告”得到 Word 文档，再在 Word 中另存为 PDF）")
    text = "\n".join(["已导出："] + [str(p) for p in made]) if made else "未能导出 PDF。"
    if failed:
        text += "\n\n未能导出：\n" + "\n".join(failed)
    access.message(text, warning=bool(failed))
    return made


def _listed_units(access: SheetAccess, folder: Path) -> list[Path]:
    """Unit files named on the 下属单位 sheet (relative names are in the workbook's folder)."""
    if L.SHEET_UNITS not in access.sheet_names():
        return []
    files = []
    for row in L.UNITS.rows:
        text = access.read(L.SHEET_UNITS, L.UNITS.unit_cells(row)["file"])
        if isinstance(text, str) and text.strip():
            p = Path(text.strip())
            files.append(p if p.is_absolute() else folder / p)
    return files


def consolidate(access: SheetAccess) -> Path | None:
    """汇总: this workbook is the 部门本级; it and its units are consolidated into a new workbook.

    As `perfeval consolidate 本级.xlsx 单位…`: the workbook's own figures count. A workbook with
    no figure of its own (a blank department template listing its units) or an earlier
    consolidation result only gives names, 分值 and structure, as with --structure-only.
    """
    folder = _need_saved(access, "汇总")
    if folder is None:
        return None
    from perfeval.consolidate import consolidate_files, is_consolidation_output
    from perfeval.outputs import same_file

    here = access.workbook_path
    units: list[Path] = [p for p in _listed_units(access, folder) if here is None or not same_file(p, here)]
    if not units:
        chosen = access.ask_folder("选择存放下属单位自评表的文件夹")
        if chosen is None:
            return None
        units = [Path(chosen)]
    earlier = here is not None and is_consolidation_output(here)
    access.status("正在汇总……")
    done = []
    with _saved_copy(access) as copy:
        def write(p: Path) -> Path:
            done.append(consolidate_files(
                None if earlier else copy, units, p, structure=copy if earlier else None,
                exclude=[here] if here is not None else [], blank_own_is_structure=True,
                own_shown_as=str(here) if here is not None else None))
            return done[-1].path

        output = _first_free(folder / f"{_stem(access)}-汇总.xlsx", write)
    access.open_workbook(output)
    text = done[-1].summary_text()
    if earlier:
        text = "本工作簿是此前的汇总结果，其金额未再计入，只提供名称、分值和指标结构。\n" + text
    access.message(text + f"\n汇总方法和需要人工核对的事项见其中的「{L.SHEET_CONSOLIDATION}」工作表。",
                   warning=bool(done[-1].unreadable or done[-1].result.to_review))
    return output


def new_form(access: SheetAccess) -> Path:
    """新建: a blank template (.xlsm, with this ribbon) next to the workbook, then open it."""
    from perfeval.excel.build import TEMPLATE_XLSM, build_template_xlsm

    folder = _folder(access) or _documents()
    access.status("正在新建自评表……")
    out = write_new(folder / TEMPLATE_XLSM.name, build_template_xlsm())
    access.open_workbook(out)
    return out


def explain(access: SheetAccess) -> str | None:
    """规则说明: the documentation of the finding the clerk selected."""
    from perfeval.checks import get_rule

    code = selected_code(access)
    if code is None:
        access.message(f"请先在「{L.SHEET_FINDINGS}」工作表中选中一行（或选中带校验批注的单元格），再点“规则说明”。")
        return None
    rule = get_rule(code)
    if rule is None:
        access.message(f"没有代码为 {code} 的规则说明；请更新 perfeval。", warning=True)
        return None
    access.message(f"{rule.code} {rule.title}\n\n{rule.doc}")
    return rule.code


# ---------------------------------------------------------------------------------------------
# add-in buttons


def import_legacy_form(access: SheetAccess) -> Path | None:
    """导入旧表: a hand-made form → a new template workbook beside it; the old file is untouched."""
    from perfeval.excel.build import build_template_xlsm

    src = access.ask_open_file("选择要导入的旧自评表")
    if src is None:
        return None
    access.status("正在导入……")
    loaded = load_form(src, as_import=True)
    result = loaded.imported
    errors = [p for p in loaded.findings if p.severity is Severity.ERROR]
    if result is None or not loaded.readable or not loaded.form.filled_indicators:
        listed = "\n".join(str(p) for p in errors[:5])
        access.message(f"没能从「{src.name}」中找到自评表：\n{listed}", warning=True)
        return None
    out = write_new(src.with_name(f"{src.stem}-新模板.xlsm"), build_template_xlsm(loaded.form, loaded.profile),
                    inputs=(src,))
    access.open_workbook(out)
    text = f"已导入到：\n{out}\n识别 {len(result.mapping)} 项内容"
    if result.unplaced:
        text += f"，另有 {len(result.unplaced)} 个单元格未能识别"
    text += "。"
    if result.problems:
        text += "\n\n请核对：\n" + "\n".join(str(p) for p in result.problems[:8])
        if len(result.problems) > 8:
            text += f"\n……共 {len(result.problems)} 项（命令行 perfeval import 可列出全部）"
    access.message(text, warning=bool(errors))
    return out


def batch(access: SheetAccess) -> Path | None:
    """批量校验: every form in a folder → one summary workbook beside that folder."""
    from perfeval.batch import validate_many, write_summary

    folder = access.ask_folder("选择存放自评表的文件夹")
    if folder is None:
        return None

    def progress(done: int, total: int) -> None:
        access.status(f"正在校验第 {done}/{total} 个文件……")

    # One process: a worker pool started from inside Excel's Python would relaunch it.
    reports = validate_many([folder], jobs=1, progress=progress)
    if not reports:
        access.message(f"「{folder}」中没有 .xlsx / .xlsm 文件。", warning=True)
        return None
    # Beside the folder, not in it: the next run must not take the summary for a form.
    # Beside the folder, not in it (the next run would read it as a form); a drive root such as
    # E:\ has no "beside", so the file goes into the folder under a name expand_paths skips.
    beside = folder.parent != folder and folder.name
    target = (folder.parent / f"{folder.name}-批量校验汇总.xlsx" if beside
              else folder / ".~perfeval-批量校验汇总.xlsx")
    out = _first_free(target,
                      lambda p: write_summary(reports, p))
    access.open_workbook(out)
    with_errors = sum(1 for r in reports if r.readable and r.errors)
    unreadable = sum(1 for r in reports if not r.readable)
    access.message(f"已校验 {len(reports)} 个文件：有错误的 {with_errors} 个，无法读取的 {unreadable} 个。\n汇总表：{out}")
    return out


def doctor(access: SheetAccess) -> list[tuple[str, bool, str]]:
    """诊断: the environment checks, in a message box — and, once, why the worksheet functions
    could not reach Python, if they could not (the cells show the native fallback meanwhile)."""
    from perfeval.excel.doctor import doctor as run
    from perfeval.workbook.native_formulas import MARKER

    rows = run()
    failure = access.udf_failure()
    if failure is None:
        rows.append(("工作表函数调用 Python", True, "未发现调用失败"))
    else:
        rows.append(("工作表函数调用 Python", False,
                     f"调用失败：{failure}。表中得分暂由表内公式按评分规则计算，表内公式算不了的指标显示"
                     f"“{MARKER}”；按以上各项修复后重新打开工作簿。"))
    lines = [f"{'√' if ok else '×'} {name}：{detail}" for name, ok, detail in rows]
    access.message("\n".join(lines), warning=not all(ok for _, ok, _ in rows))
    return rows


HANDLERS: dict[str, Callable[[SheetAccess], Any]] = {
    "validate": validate,
    "report": report,
    "export": export,
    "consolidate": consolidate,
    "new_form": new_form,
    "explain": explain,
    "addin_new": new_form,
    "addin_import": import_legacy_form,
    "addin_batch": batch,
    "addin_consolidate": consolidate,
    "addin_doctor": doctor,
}
TEMPLATE_CONTROLS = tuple(k for k in HANDLERS if not k.startswith(ADDIN_PREFIX))
ADDIN_CONTROLS = tuple(k for k in HANDLERS if k.startswith(ADDIN_PREFIX))


# Buttons that act on a workbook: without one (none open, Protected View) they say so instead.
NEEDS_WORKBOOK = frozenset({"validate", "report", "export", "consolidate", "explain", "addin_consolidate"})


def _caller_access(control_id: str) -> SheetAccess:
    """The Excel side of a click; when even that fails, an access with no workbook that can
    still show a message (Excel's own app), so the clerk never sees a Python traceback."""
    try:
        return XlwingsAccess.from_caller(active_workbook=control_id.startswith(ADDIN_PREFIX))
    except Exception as exc:  # noqa: BLE001 - reported below, through Excel
        import xlwings as xw

        return XlwingsAccess(None, xw.apps.active,
                             unavailable=f"perfeval 找不到点按钮的工作簿（{type(exc).__name__}: {exc}）；"
                                         "请关闭 Excel 后重新打开再试，仍不行请点「诊断」。")


def on_ribbon(control_id: str, access: SheetAccess | None = None) -> Any:
    """Run the handler of a ribbon button; returns what the handler returns (None on failure)."""
    if access is None:
        access = _caller_access(control_id)
    handler = HANDLERS.get(control_id)
    if handler is None:
        access.message(f"未知的按钮「{control_id}」：加载项与 perfeval 的版本不一致，请点“诊断”。", warning=True)
        return None
    try:
        missing = access.unavailable if control_id in NEEDS_WORKBOOK else None
        if missing:
            access.message(missing, warning=True)
            return None
        return handler(access)
    except PerfevalError as exc:  # every refusal is one, with a Chinese message and its code
        access.message(f"{exc.code} {exc.message}", warning=True)
    except Exception as exc:  # noqa: BLE001 - never a traceback dialog in front of the clerk
        access.message(f"PE999 内部错误：{type(exc).__name__}: {exc}\n请截图发给技术支持。", warning=True)
    finally:
        access.status(None)
    return None
