"""The few things a ribbon handler or the findings writer does to a workbook, over two hosts.

`SheetAccess` is what the handlers see. `OpenpyxlAccess` (here) works on a file and is what the
tests and the CLI (`validate --annotate`) use; `excel.sheet_access.XlwingsAccess` drives the
workbook open in Excel (Windows, through xlwings' RunPython), so nothing in workbook/ needs excel/. Cells are named by sheet title and
A1 address, and the addresses come from `workbook.layout`; nothing here knows the form.

Neither implementation ever writes into the user's file on its own: Excel keeps the changes in
the open workbook until the clerk saves, and `OpenpyxlAccess` only produces bytes or a new file.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from perfeval.core.errors import CodedError
from perfeval.outputs import set_text_cell, xml_safe_text
from .layout import quote_sheet
from .package_xml import read_cached_values, restore_cached_values

__all__ = [
    "SheetLocked",
    "COMMENT_AUTHOR",
    "MESSAGE_TITLE",
    "OpenpyxlAccess",
    "SheetAccess",
]


class SheetLocked(CodedError):
    """A sheet protected with a password we cannot lift (PE961); the message is for the clerk."""

    CODE = "PE961"


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

    @property
    def unavailable(self) -> str | None:
        """Why there is no workbook to act on (a sentence for the clerk), or None when there is."""

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

    def ask_yes_no(self, text: str) -> bool:
        """A question with 是/否 buttons; True for 是."""

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

    Dialog answers (`open_answers`, `folder_answers`, `yes_no_answers`) stand in for the clerk at
    the keyboard when a handler asks for a file, a folder or a yes/no (no preset answer is 否);
    messages, questions and status texts are kept in lists, so the CLI can print them and a test
    can read them.
    """

    path: Path
    open_answers: list[Path | None] = field(default_factory=list)
    folder_answers: list[Path | None] = field(default_factory=list)
    yes_no_answers: list[bool] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
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

    @property
    def unavailable(self) -> str | None:
        return None  # a file is always there

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
        # A note quotes form text: characters XML cannot hold would make the file unsavable.
        note = Comment(xml_safe_text(text), COMMENT_AUTHOR)
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

    def ask_yes_no(self, text: str) -> bool:
        self.questions.append(text)
        return self.yes_no_answers.pop(0) if self.yes_no_answers else False

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
