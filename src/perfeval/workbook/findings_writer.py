"""Put check findings into the workbook the clerk is looking at.

One row per finding on the 校验结果 sheet (columns from `layout.FINDINGS`), with a link from
位置 to the cell; the cell itself gets a fill by severity and a note quoting the finding. Values
are never touched: only fills and notes of the referenced cells, and the rows of 校验结果.

A second run first undoes the first one's marks (the cells listed on 校验结果 get the fill the
template gives them and lose our part of their note), so a corrected cell does not stay red.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.findings import Finding, Severity
from ..core.model import FormKind
from . import layout as L

if TYPE_CHECKING:
    from .sheet_access import SheetAccess

__all__ = [
    "NOTE_MARK",
    "SEVERITY_FILL",
    "WriteSummary",
    "annotate_file",
    "clear_marks",
    "codes_in",
    "selected_code",
    "write_findings",
]

# Red for errors, orange for warnings, light blue for hints; light enough to read black text on.
SEVERITY_FILL = {Severity.ERROR: "FF7C80", Severity.WARNING: "FFC000", Severity.INFO: "9BC2E6"}
# Our part of a cell note starts here; anything before it is the clerk's (or the template's).
NOTE_MARK = "【校验】"

_A1 = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})\Z")
_CODE = re.compile(r"PE\d{3}")


@dataclass(frozen=True)
class WriteSummary:
    rows: int  # rows written to 校验结果 (0 when the sheet is missing)
    marked: tuple[tuple[str, str], ...]  # (sheet, cell) given a fill and a note
    findings_sheet: bool  # the workbook has a 校验结果 sheet


def _single_cell(cell: str) -> str | None:
    """"G23" for "G23", "$G$23" or "G23:G25"; None for anything that is not a cell."""
    first = cell.split(":", 1)[0].strip().upper()
    m = _A1.match(first)
    return f"{m.group(1)}{m.group(2)}" if m else None


def _note_line(f: Finding) -> str:
    line = f"{f.code} {f.severity.label}：{f.message}"
    extra = [f"应为 {f.expected}" if f.expected else "", f"现为 {f.actual}" if f.actual else ""]
    extra = [e for e in extra if e]
    return line + (f"（{'，'.join(extra)}）" if extra else "")


def _strip_note(text: str | None) -> str:
    return (text or "").split(NOTE_MARK, 1)[0].rstrip()


# ---------------------------------------------------------------------------------------------
# the fills the template gives each cell, to restore after a previous run


@lru_cache(maxsize=2)
def _template_fills(kind: FormKind) -> dict[tuple[str, str], str]:
    import openpyxl

    from .template import build_workbook

    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(kind=kind)))
    fills: dict[tuple[str, str], str] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill
                if fill is not None and fill.patternType == "solid" and isinstance(fill.fgColor.rgb, str):
                    fills[(ws.title, c.coordinate)] = fill.fgColor.rgb[-6:]
    return fills


def _form_kind(access: SheetAccess) -> FormKind:
    if L.SHEET_CONFIG not in access.sheet_names():
        return FormKind.DEPARTMENT
    try:
        return FormKind(str(access.read(L.SHEET_CONFIG, L.CONFIG.kind) or "department"))
    except ValueError:
        return FormKind.DEPARTMENT


def _previous_marks(access: SheetAccess) -> list[tuple[str, str]]:
    sheet = L.SHEET_FINDINGS
    marks: list[tuple[str, str]] = []
    for row in range(L.FINDINGS.first_row, access.last_row(sheet) + 1):
        where = access.read(sheet, L.FINDINGS.row_cells(row)["location"])
        if not isinstance(where, str) or "!" not in where:
            continue
        target_sheet, _, target = where.rpartition("!")
        cell = _single_cell(target)
        if cell is not None:
            marks.append((target_sheet, cell))
    return list(dict.fromkeys(marks))


def clear_marks(access: SheetAccess) -> int:
    """Undo the fills and notes of the findings now listed on 校验结果; returns how many cells."""
    if L.SHEET_FINDINGS not in access.sheet_names():
        return 0
    sheets = set(access.sheet_names())
    fills = _template_fills(_form_kind(access))
    done = 0
    for sheet, cell in _previous_marks(access):
        if sheet not in sheets:
            continue
        access.set_fill(sheet, cell, fills.get((sheet, cell)))
        note = access.comment(sheet, cell)
        if note is not None and NOTE_MARK in note:
            access.set_comment(sheet, cell, _strip_note(note) or None)
        done += 1
    return done


# ---------------------------------------------------------------------------------------------
# writing


def write_findings(access: SheetAccess, findings: Iterable[Finding]) -> WriteSummary:
    """Fill 校验结果 with `findings` and mark the cells they name; input values stay as they are."""
    findings = list(findings)
    sheets = set(access.sheet_names())
    has_sheet = L.SHEET_FINDINGS in sheets
    with access.editing():
        clear_marks(access)
        rows = 0
        if has_sheet:
            out = L.SHEET_FINDINGS
            access.clear_rows(out, L.FINDINGS.first_row)
            for i, f in enumerate(findings):
                cells = L.FINDINGS.row_cells(L.FINDINGS.first_row + i)
                access.write_text(out, cells["severity"], f.severity.label)
                access.set_fill(out, cells["severity"], SEVERITY_FILL[f.severity])
                access.write_text(out, cells["code"], f.code)
                where = f.location
                if where:
                    access.write_text(out, cells["location"], where)
                    target = _single_cell(f.cell) if f.cell else None
                    if target and f.sheet in sheets:
                        access.add_link(out, cells["location"], f.sheet, target)
                access.write_text(out, cells["message"], f.message)
                if f.expected is not None:
                    access.write_text(out, cells["expected"], f.expected)
                if f.actual is not None:
                    access.write_text(out, cells["actual"], f.actual)
                rows += 1

        by_cell: dict[tuple[str, str], list[Finding]] = {}
        for f in findings:
            target = _single_cell(f.cell) if f.cell else None
            if target and f.sheet in sheets:
                by_cell.setdefault((f.sheet, target), []).append(f)
        for (sheet, cell), group in by_cell.items():
            worst = min(group, key=lambda f: f.severity.rank).severity
            access.set_fill(sheet, cell, SEVERITY_FILL[worst])
            kept = _strip_note(access.comment(sheet, cell))
            block = NOTE_MARK + "\n" + "\n".join(_note_line(f) for f in group)
            access.set_comment(sheet, cell, f"{kept}\n\n{block}" if kept else block)
    return WriteSummary(rows=rows, marked=tuple(by_cell), findings_sheet=has_sheet)


def codes_in(text: object) -> list[str]:
    """Finding codes quoted in a cell or note, in order."""
    return _CODE.findall(str(text or ""))


def selected_code(access: SheetAccess) -> str | None:
    """The finding code the clerk points at: a 校验结果 row, or a cell carrying our note."""
    sel = access.selection()
    if sel is None:
        return None
    sheet, ref = sel
    cell = _single_cell(ref)
    if cell is None or sheet not in access.sheet_names():
        return None
    if sheet == L.SHEET_FINDINGS:
        row = int("".join(ch for ch in cell if ch.isdigit()))
        if row < L.FINDINGS.first_row:
            return None
        codes = codes_in(access.read(sheet, L.FINDINGS.row_cells(row)["code"]))
    else:
        note = access.comment(sheet, cell) or ""
        codes = codes_in(note.split(NOTE_MARK, 1)[1]) if NOTE_MARK in note else []
    return codes[0] if codes else None


def annotate_file(src: Path, findings: Iterable[Finding], out: Path, *, force: bool = False) -> Path:
    """`validate --annotate OUT.xlsx`: a new workbook with the findings written in; `src` untouched.

    The copy keeps every formula's cached result, so a viewer without the add-in still sees the
    scores. It is an .xlsx: openpyxl cannot write a macro-enabled package faithfully.
    """
    from .sheet_access import OpenpyxlAccess
    from ..outputs import OutputError, write_atomic

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise OutputError(out, f"批注结果「{out.name}」只能保存为 .xlsx 文件（不含宏）；请把扩展名改为 .xlsx。")
    from ..core.errors import PerfevalError

    access = OpenpyxlAccess(Path(src))
    try:
        write_findings(access, findings)
        data = access.to_bytes()
    except PerfevalError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl round-trips only what it models
        name = Path(src).name
        raise PerfevalError(
            "PE919", f"文件「{name}」无法生成标注副本：其中有本程序无法原样改写的内容（{type(exc).__name__}）。"
                     "校验本身不受影响；请用 Excel 或 WPS 打开后另存为 .xlsx 再试。", file=name) from exc
    return write_atomic(out, data, force=force, inputs=[src])
