"""The few things a ribbon handler or the findings writer does to a workbook, over two hosts.

`SheetAccess` is what the handlers see. `XlwingsAccess` drives the workbook open in Excel (it
only runs on Windows with Excel, through xlwings' RunPython); `OpenpyxlAccess` works on a file
and is what the tests and the CLI (`validate --annotate`) use. Cells are named by sheet title and
A1 address, and the addresses come from `workbook.layout`; nothing here knows the form.

Neither implementation ever writes into the user's file on its own: Excel keeps the changes in
the open workbook until the clerk saves, and `OpenpyxlAccess` only produces bytes or a new file.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from perfeval.outputs import set_text_cell
from perfeval.workbook.layout import quote_sheet
from perfeval.workbook.package_xml import read_cached_values, restore_cached_values

__all__ = [
    "SheetLocked",
    "COMMENT_AUTHOR",
    "OpenpyxlAccess",
    "SheetAccess",
    "XlwingsAccess",
]


class SheetLocked(Exception):
    """A sheet protected with a password we cannot lift; the message is for the clerk."""

COMMENT_AUTHOR = "perfeval"
MESSAGE_TITLE = "绩效自评"
_HYPERLINK_FONT = Font(color="0563C1", underline="single")


@runtime_checkable
class SheetAccess(Protocol):
    """A workbook as the ribbon handlers use it. Cells: (sheet title, "G23")."""

    @property
    def workbook_path(self) -> Path | None:
        """Where the workbook is saved; None for a workbook never saved."""

    @property
    def workbook_name(self) -> str:
        """File name as Excel shows it (also for an unsaved workbook: "工作簿1")."""

    def sheet_names(self) -> list[str]: ...

    def read(self, sheet: str, cell: str) -> Any:
        """The value a viewer sees (a formula's result, not its text)."""

    def last_row(self, sheet: str) -> int: ...

    def write_text(self, sheet: str, cell: str, text: str) -> None:
        """Text stays text, even when it starts with '='."""

    def set_fill(self, sheet: str, cell: str, rgb: str | None) -> None:
        """Solid fill "RRGGBB", or no fill for None."""

    def comment(self, sheet: str, cell: str) -> str | None: ...

    def set_comment(self, sheet: str, cell: str, text: str | None) -> None:
        """Replace the cell's comment (note); None removes it."""

    def add_link(self, sheet: str, cell: str, target_sheet: str, target_cell: str) -> None:
        """An internal hyperlink on `cell` to another cell of this workbook."""

    def clear_rows(self, sheet: str, first_row: int) -> None:
        """Empty every row from `first_row` down: values, links, comments, formats."""

    def editing(self) -> contextlib.AbstractContextManager[None]:
        """Group many edits (Excel: no redraw, protected sheets unlocked meanwhile)."""

    def save_copy(self, path: Path) -> None:
        """Write the workbook as it is now to `path`, leaving the workbook itself as it is."""

    def export_pdf(self, sheet: str, path: Path) -> None:
        """`sheet` as printed (print area, A4 landscape) to a PDF file.

        Raises perfeval.report.PdfUnavailable when this host cannot make PDFs.
        """

    def selection(self) -> tuple[str, str] | None:
        """(sheet, first selected cell), when a cell is selected."""

    def activate(self, sheet: str) -> None: ...

    def message(self, text: str, *, warning: bool = False) -> None: ...

    def status(self, text: str | None) -> None:
        """Status bar text; None gives the status bar back to Excel."""

    def ask_open_file(self, title: str) -> Path | None: ...

    def ask_folder(self, title: str) -> Path | None: ...

    def open_workbook(self, path: Path) -> None:
        """Show a workbook we just wrote (Excel opens it; a file host only notes it)."""

    def udf_failure(self) -> str | None:
        """Why a worksheet function could not reach Python (kept by the VBA wrappers, which
        answer #N/A so the sheet's own formulas take over); None when none failed."""


# ---------------------------------------------------------------------------------------------
# openpyxl: a file


@dataclass
class OpenpyxlAccess:
    """A workbook file loaded with openpyxl; edits stay in memory until `save_copy`/`to_bytes`.

    Dialog answers (`open_answers`, `folder_answers`) stand in for the clerk at the keyboard when
    a handler asks for a file or folder; messages and status texts are kept in lists, so the CLI
    can print them and a test can read them.
    """

    path: Path
    open_answers: list[Path | None] = field(default_factory=list)
    folder_answers: list[Path | None] = field(default_factory=list)
    selected: tuple[str, str] | None = None
    messages: list[str] = field(default_factory=list)
    statuses: list[str | None] = field(default_factory=list)
    opened: list[Path] = field(default_factory=list)
    activated: list[str] = field(default_factory=list)
    udf_failure_reason: str | None = None  # what the VBA wrappers would have kept, in tests

    def __post_init__(self) -> None:

        from perfeval.workbook.safe_open import open_workbook_and_bytes

        self.path = Path(self.path)
        # The guarded opener, keeping the bytes it checked for the cached results.
        self.workbook, self.source_bytes = open_workbook_and_bytes(self.path)
        self._cached: dict[str, dict[str, object]] = {}

    # -- where ---------------------------------------------------------------------------------
    @property
    def workbook_path(self) -> Path | None:
        return self.path

    @property
    def workbook_name(self) -> str:
        return self.path.name

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def _ws(self, sheet: str):
        return self.workbook[sheet]

    def _anchor(self, sheet: str, cell: str):
        """The cell that holds the format and note of `cell` (a merged area's top-left)."""
        ws = self._ws(sheet)
        for merged in ws.merged_cells.ranges:
            if cell in merged:
                return ws.cell(merged.min_row, merged.min_col)
        return ws[cell]

    # -- cells ---------------------------------------------------------------------------------
    def read(self, sheet: str, cell: str) -> Any:
        c = self._ws(sheet)[cell]
        if c.data_type == "f":
            if sheet not in self._cached:
                self._cached[sheet] = read_cached_values(self.source_bytes, sheet)
            return self._cached[sheet].get(cell)
        return c.value

    def last_row(self, sheet: str) -> int:
        return self._ws(sheet).max_row

    def write_text(self, sheet: str, cell: str, text: str) -> None:
        set_text_cell(self._ws(sheet)[cell], text)

    def set_fill(self, sheet: str, cell: str, rgb: str | None) -> None:
        c = self._anchor(sheet, cell)
        c.fill = PatternFill("solid", fgColor=rgb) if rgb else PatternFill(fill_type=None)

    def comment(self, sheet: str, cell: str) -> str | None:
        c = self._anchor(sheet, cell).comment
        return c.text if c is not None else None

    def set_comment(self, sheet: str, cell: str, text: str | None) -> None:
        c = self._anchor(sheet, cell)
        if not text:
            c.comment = None
            return
        note = Comment(text, COMMENT_AUTHOR)
        # Big enough to read a finding without resizing the note.
        note.width, note.height = 320, 140
        c.comment = note

    def add_link(self, sheet: str, cell: str, target_sheet: str, target_cell: str) -> None:
        c = self._ws(sheet)[cell]
        c.hyperlink = Hyperlink(ref=cell, location=f"{quote_sheet(target_sheet)}!{target_cell}")
        c.font = _HYPERLINK_FONT

    def clear_rows(self, sheet: str, first_row: int) -> None:
        ws = self._ws(sheet)
        for row in ws.iter_rows(min_row=first_row, max_row=max(ws.max_row, first_row)):
            for c in row:
                c.value = None
                c.hyperlink = None
                c.comment = None
                c.style = "Normal"

    def editing(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    # -- the workbook --------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The workbook as .xlsx bytes, formula results as they were in the source file."""
        from perfeval.outputs import set_calc_properties

        set_calc_properties(self.workbook)  # openpyxl reads a missing fullCalcOnLoad as "on"
        buf = io.BytesIO()
        self.workbook.save(buf)
        return restore_cached_values(buf.getvalue(), self.source_bytes)

    def save_copy(self, path: Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    def export_pdf(self, sheet: str, path: Path) -> None:
        # No Excel here: LibreOffice prints a copy in which every other sheet is hidden.
        import shutil
        import tempfile

        from perfeval.report import convert_to_pdf
        from perfeval.workbook.print_copy import single_sheet_copy

        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / f"{Path(path).stem}.xlsx"
            copy.write_bytes(single_sheet_copy(self.to_bytes(), sheet))
            made = convert_to_pdf(copy, Path(tmp) / "pdf")
            shutil.copyfile(made, path)

    def selection(self) -> tuple[str, str] | None:
        if self.selected is not None:
            return self.selected
        ws = self.workbook.active
        if ws is None:
            return None
        return ws.title, ws.active_cell or "A1"

    def activate(self, sheet: str) -> None:
        self.activated.append(sheet)

    # -- the clerk -----------------------------------------------------------------------------
    def message(self, text: str, *, warning: bool = False) -> None:
        self.messages.append(text)

    def status(self, text: str | None) -> None:
        self.statuses.append(text)

    def ask_open_file(self, title: str) -> Path | None:
        return self.open_answers.pop(0) if self.open_answers else None

    def ask_folder(self, title: str) -> Path | None:
        return self.folder_answers.pop(0) if self.folder_answers else None

    def open_workbook(self, path: Path) -> None:
        self.opened.append(Path(path))

    def udf_failure(self) -> str | None:
        return self.udf_failure_reason


# ---------------------------------------------------------------------------------------------
# xlwings: the workbook open in Excel (Windows). Not exercised here: there is no Excel on CI.

_MSO_FILE_DIALOG_FOLDER_PICKER = 4
ADDIN_FILE = "perfeval.xlam"
_WORKBOOK_FILTER = "Excel 工作簿 (*.xlsx;*.xlsm),*.xlsx;*.xlsm"

# Worksheet.Protect keywords that have a Protection property of the same name saying what the
# clerk may still do on the protected sheet.
_PROTECTION_FLAGS = (
    "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
    "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
    "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
    "AllowUsingPivotTables",
)


def _rgb_tuple(rgb: str) -> tuple[int, int, int]:
    return int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)


class XlwingsAccess:
    """The workbook open in Excel, through xlwings (COM).

    Our template's sheets are protected without a password (protection steers data entry); to
    colour a locked cell or add a note, a protected sheet is unprotected inside `editing()` and
    protected again with the same permissions when the block ends.
    """

    def __init__(self, book: Any, app: Any = None) -> None:
        self.book = book  # None: no workbook open (an add-in button on an empty Excel)
        self.app = app if app is not None else book.app
        self._unlocked: dict[str, dict[str, Any]] = {}
        self._depth = 0

    @classmethod
    def from_caller(cls, *, active_workbook: bool = False) -> XlwingsAccess:
        """The workbook whose button was clicked.

        RunPython from an add-in reports the add-in itself as the caller, so the add-in's buttons
        act on the active workbook instead.
        """
        import xlwings as xw

        caller = xw.Book.caller()
        if not active_workbook:
            return cls(caller)
        try:
            active = caller.app.books.active
        except Exception:  # noqa: BLE001 - no workbook open at all
            active = None
        if active is not None and active.name == caller.name:
            active = None
        return cls(active, caller.app)

    # -- where ---------------------------------------------------------------------------------
    @property
    def workbook_path(self) -> Path | None:
        if self.book is None:
            return None
        full = str(self.book.fullname)
        # An unsaved workbook's FullName is just its caption ("工作簿1"); a OneDrive one is a URL.
        if not os.path.isabs(full) or full.lower().startswith(("http://", "https://")):
            return None
        return Path(full)

    @property
    def workbook_name(self) -> str:
        return "" if self.book is None else str(self.book.name)

    def sheet_names(self) -> list[str]:
        return [] if self.book is None else [s.name for s in self.book.sheets]

    def _range(self, sheet: str, cell: str):
        return self.book.sheets[sheet].range(cell)

    def _anchor(self, sheet: str, cell: str):
        """A merged area's top-left cell holds its format and note."""
        rng = self._range(sheet, cell)
        return rng.merge_area[0] if rng.merge_cells else rng

    # -- cells ---------------------------------------------------------------------------------
    def read(self, sheet: str, cell: str) -> Any:
        return self._range(sheet, cell).value

    def last_row(self, sheet: str) -> int:
        return int(self.book.sheets[sheet].used_range.last_cell.row)

    def write_text(self, sheet: str, cell: str, text: str) -> None:
        self._unlock(sheet)
        rng = self._range(sheet, cell)
        rng.number_format = "@"  # text format first, so "=…" stays text
        rng.value = text

    def set_fill(self, sheet: str, cell: str, rgb: str | None) -> None:
        self._unlock(sheet)
        rng = self._range(sheet, cell)
        (rng.merge_area if rng.merge_cells else rng).color = _rgb_tuple(rgb) if rgb else None

    def comment(self, sheet: str, cell: str) -> str | None:
        note = self._anchor(sheet, cell).api.Comment
        return None if note is None else str(note.Text())

    def set_comment(self, sheet: str, cell: str, text: str | None) -> None:
        self._unlock(sheet)
        api = self._anchor(sheet, cell).api
        api.ClearComments()
        if text:
            api.AddComment(text)
            api.Comment.Shape.Width, api.Comment.Shape.Height = 320, 140

    def add_link(self, sheet: str, cell: str, target_sheet: str, target_cell: str) -> None:
        self._unlock(sheet)
        ws = self.book.sheets[sheet]
        rng = ws.range(cell)
        ws.api.Hyperlinks.Add(
            Anchor=rng.api,
            Address="",
            SubAddress=f"{quote_sheet(target_sheet)}!{target_cell}",
            TextToDisplay=str(rng.value or ""),
        )

    def clear_rows(self, sheet: str, first_row: int) -> None:
        self._unlock(sheet)
        ws = self.book.sheets[sheet]
        last = max(self.last_row(sheet), first_row)
        rows = ws.api.Rows(f"{first_row}:{last}")
        rows.Hyperlinks.Delete()
        rows.ClearComments()
        rows.Clear()

    @contextlib.contextmanager
    def editing(self) -> Iterator[None]:
        self._depth += 1
        screen = self.app.screen_updating
        self.app.screen_updating = False
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._relock()
            self.app.screen_updating = screen

    def _unlock(self, sheet: str) -> None:
        if sheet in self._unlocked:
            return
        api = self.book.sheets[sheet].api
        if not api.ProtectContents:
            return
        flags = {
            "DrawingObjects": bool(api.ProtectDrawingObjects),
            "Contents": True,
            "Scenarios": bool(api.ProtectScenarios),
        }
        for keyword in _PROTECTION_FLAGS:
            flags[keyword] = bool(getattr(api.Protection, keyword))
        if self._depth == 0:
            # Unlocking outside editing() would either leave the sheet open or lock it again
            # before the write: every edit runs inside editing(), which locks once at the end.
            raise RuntimeError("XlwingsAccess edits must run inside editing()")
        try:
            api.Unprotect()
        except Exception as exc:  # COM error: the clerk protected the sheet with a password
            raise SheetLocked(f"工作表「{sheet}」设置了保护密码，perfeval 无法写入校验结果；"
                              "请先在“审阅 → 撤消工作表保护”中撤销保护后再试。") from exc
        self._unlocked[sheet] = flags

    def _relock(self) -> None:
        for sheet, flags in self._unlocked.items():
            self.book.sheets[sheet].api.Protect(**flags)
        self._unlocked.clear()

    # -- the workbook --------------------------------------------------------------------------
    def save_copy(self, path: Path) -> None:
        # SaveCopyAs writes the workbook's own format and leaves the open workbook (its name,
        # its unsaved state) as it was.
        self.book.api.SaveCopyAs(str(path))

    def export_pdf(self, sheet: str, path: Path) -> None:
        _XL_TYPE_PDF = 0
        self.book.sheets[sheet].api.ExportAsFixedFormat(_XL_TYPE_PDF, str(path))

    def selection(self) -> tuple[str, str] | None:
        try:
            rng = self.app.selection
        except Exception:  # noqa: BLE001 - a selected shape or chart is not a Range
            return None
        if rng is None:
            return None
        return rng.sheet.name, rng[0].address.replace("$", "")

    def activate(self, sheet: str) -> None:
        self.book.sheets[sheet].activate()

    # -- the clerk -----------------------------------------------------------------------------
    def message(self, text: str, *, warning: bool = False) -> None:
        self.app.alert(text, title=MESSAGE_TITLE, mode="critical" if warning else "info")

    def status(self, text: str | None) -> None:
        self.app.status_bar = text if text else False

    def ask_open_file(self, title: str) -> Path | None:
        answer = self.app.api.GetOpenFilename(FileFilter=_WORKBOOK_FILTER, Title=title)
        return Path(answer) if isinstance(answer, str) and answer else None

    def ask_folder(self, title: str) -> Path | None:
        dialog = self.app.api.FileDialog(_MSO_FILE_DIALOG_FOLDER_PICKER)
        dialog.Title = title
        if dialog.Show() != -1:
            return None
        return Path(str(dialog.SelectedItems(1)))

    def open_workbook(self, path: Path) -> None:
        self.app.books.open(str(path))

    def udf_failure(self) -> str | None:
        # The workbook's own wrappers (the template carries them), then the add-in's.
        names = ([str(self.book.name)] if self.book is not None else []) + [ADDIN_FILE]
        reasons = []
        for name in names:
            try:
                text = self.app.api.Run("'" + name.replace("'", "''") + "'!PerfevalUdfFailure")
            except Exception:  # noqa: BLE001 - that workbook has no wrappers, or is not open
                continue
            if text:
                reasons.append(str(text).strip())
        return "；".join(dict.fromkeys(reasons)) or None

