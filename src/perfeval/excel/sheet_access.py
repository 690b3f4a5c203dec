"""The workbook open in Excel, through xlwings (COM): the host of the ribbon handlers.

`SheetAccess` and the file-based `OpenpyxlAccess` live in `workbook.sheet_access` (the CLI and the
findings writer use them without Excel); they are re-exported here for the handlers.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from perfeval.workbook.layout import quote_sheet
from perfeval.workbook.sheet_access import (
    COMMENT_AUTHOR,
    MESSAGE_TITLE,
    OpenpyxlAccess,
    SheetAccess,
    SheetLocked,
)

__all__ = [
    "SheetLocked",
    "COMMENT_AUTHOR",
    "OpenpyxlAccess",
    "SheetAccess",
    "XlwingsAccess",
]

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


NO_WORKBOOK = "没有打开的工作簿：请先打开自评表，再点这个按钮。"
PROTECTED_VIEW = ("当前工作簿是在「受保护的视图」中打开的，Excel 不允许宏读写它：请先点窗口上方黄色栏中的"
                  "「启用编辑」，再点这个按钮。邮件或网上收到的文件如果随后显示「已阻止宏运行」，请关闭它，"
                  "在文件上点右键 → 属性 → 勾选「解除锁定」→ 确定，然后重新打开。")


def _why_no_book(app: Any) -> str:
    """Protected View or simply nothing open: Excel's ActiveProtectedViewWindow tells them apart."""
    try:
        protected = app.api.ActiveProtectedViewWindow is not None
    except Exception:  # noqa: BLE001 - Excel 2007 has no Protected View; a fake app no api
        protected = False
    return PROTECTED_VIEW if protected else NO_WORKBOOK


def _rgb_tuple(rgb: str) -> tuple[int, int, int]:
    return int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)


class XlwingsAccess:
    """The workbook open in Excel, through xlwings (COM).

    Our template's sheets are protected without a password (protection steers data entry); to
    colour a locked cell or add a note, a protected sheet is unprotected inside `editing()` and
    protected again with the same permissions when the block ends.
    """

    def __init__(self, book: Any, app: Any = None, *, unavailable: str | None = None) -> None:
        # xlwings hands out a Book whose api is None when Excel has no workbook to give (none
        # open, or the active window is in Protected View): that is no workbook either.
        if app is None and book is not None:
            try:
                app = book.app
            except Exception:  # noqa: BLE001 - a Book without api has no app either
                app = None
        if book is not None and getattr(book, "api", None) is None:
            book = None
        self.book = book  # None: no workbook open (an add-in button on an empty Excel)
        self.app = app
        self._unavailable = unavailable
        self._unlocked: dict[str, dict[str, Any]] = {}
        self._depth = 0

    @classmethod
    def from_caller(cls, *, active_workbook: bool = False) -> XlwingsAccess:
        """The workbook whose button was clicked.

        RunPython from an add-in reports the add-in itself as the caller, so the add-in's buttons
        act on the active workbook instead. With no workbook open, or the active window in
        Protected View, Excel's ActiveWorkbook is Nothing and xlwings' `books.active` a Book
        whose api is None; the access then has no book and says why in `unavailable`.
        """
        import xlwings as xw

        caller = xw.Book.caller()
        if not active_workbook:
            return cls(caller)
        try:
            active = caller.app.books.active
            if active is not None and (getattr(active, "api", None) is None or active.name == caller.name):
                active = None
        except Exception:  # noqa: BLE001 - no workbook open at all
            active = None
        return cls(active, caller.app, unavailable=None if active is not None else _why_no_book(caller.app))

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

    @property
    def unavailable(self) -> str | None:
        if self.book is not None:
            return None
        return self._unavailable or _why_no_book(self.app)

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
            # An explicit empty password: with none at all Excel would ask the clerk for it, and
            # the sheet, protected again below without one, would silently lose its password.
            api.Unprotect(Password="")
        except Exception as exc:  # COM error: the clerk protected the sheet with a password
            raise SheetLocked(f"工作表「{sheet}」设置了保护密码，perfeval 无法写入校验结果；"
                              "请先在“审阅 → 撤消工作表保护”中输入密码撤销保护，校验后再自行加上保护。") from exc
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

    def ask_yes_no(self, text: str) -> bool:
        return self.app.alert(text, title=MESSAGE_TITLE, buttons="yes_no", mode="info") == "yes"

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

