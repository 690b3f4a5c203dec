"""Buttons clicked in states the clerk's Excel gets into: no workbook, Protected View, a sheet
protected with a password. Driven through XlwingsAccess over a fake xlwings book (as xlwings
0.37.8 hands one out: a Book whose api is None) and through OpenpyxlAccess on a file.

Every case ends in a Chinese message shown through the access; nothing raises.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
import xlwings as xw

from perfeval.example_data import zhengning_2023
from perfeval.excel import sheet_access as SA
from perfeval.excel.ribbon import HANDLERS, NEEDS_WORKBOOK, on_ribbon
from perfeval.excel.sheet_access import OpenpyxlAccess, XlwingsAccess
from perfeval.workbook import layout as L
from perfeval.workbook.template import build_workbook


class FakeApp:
    """The parts of xlwings.App a handler touches; messages are kept."""

    def __init__(self, *, active=None, protected_view: bool = False) -> None:
        self.alerts: list[tuple[str, str]] = []
        self.screen_updating = True
        self.status_bar = False
        self.opened: list[str] = []
        self.api = SimpleNamespace(ActiveProtectedViewWindow=object() if protected_view else None)
        self.books = SimpleNamespace(active=active, open=self.opened.append)

    def alert(self, text, title=None, mode=None, **_):
        self.alerts.append((text, mode))


class _NoWorkbookImpl:
    """What xlwings._xlwindows.Book(Application.ActiveWorkbook) is when that is Nothing."""

    def __init__(self) -> None:
        self.xl = None

    @property
    def api(self):
        return self.xl

    @property
    def name(self):
        return self.xl.Name  # AttributeError, as on Windows


def book_without_api() -> xw.Book:
    return xw.Book(impl=_NoWorkbookImpl())


@pytest.fixture
def caller(monkeypatch):
    """xw.Book.caller() as RunPython from the add-in gives it, with a chosen active book."""
    def install(app: FakeApp):
        addin = SimpleNamespace(name="perfeval.xlam", app=app, api=object())
        monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: addin))
        return app
    return install


@pytest.mark.parametrize("control", sorted(NEEDS_WORKBOOK))
def test_no_workbook_open_gives_a_message_not_a_crash(control):
    app = FakeApp()
    access = XlwingsAccess(book_without_api(), app)
    assert access.book is None
    assert on_ribbon(control, access) is None
    assert app.alerts == [(SA.NO_WORKBOOK, "critical")]


@pytest.mark.parametrize("control", sorted(NEEDS_WORKBOOK))
def test_protected_view_says_to_enable_editing(control):
    app = FakeApp(protected_view=True)
    assert on_ribbon(control, XlwingsAccess(book_without_api(), app)) is None
    (text, mode), = app.alerts
    assert text == SA.PROTECTED_VIEW and "启用编辑" in text and "解除锁定" in text and mode == "critical"


@pytest.mark.parametrize("protected_view", [False, True])
def test_addin_buttons_through_from_caller_with_an_api_less_active_book(caller, protected_view):
    """The crash of issue 16: from_caller read books.active.name outside any try."""
    app = caller(FakeApp(active=book_without_api(), protected_view=protected_view))
    assert on_ribbon("addin_consolidate") is None
    expected = SA.PROTECTED_VIEW if protected_view else SA.NO_WORKBOOK
    assert app.alerts == [(expected, "critical")]
    assert app.status_bar is False  # given back to Excel


def test_addin_new_without_a_workbook_still_makes_one_in_documents(caller, tmp_path, monkeypatch):
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    (tmp_path / "Documents").mkdir()
    app = caller(FakeApp(active=book_without_api()))
    out = on_ribbon("addin_new")
    assert out == tmp_path / "Documents" / "部门整体支出绩效自评表.xlsm" and out.is_file()
    assert app.opened == [str(out)] and app.alerts == []


def test_buttons_that_need_no_workbook_are_not_stopped():
    assert {"addin_new", "addin_import", "addin_batch", "addin_doctor"}.isdisjoint(NEEDS_WORKBOOK)
    assert NEEDS_WORKBOOK <= set(HANDLERS)


# ---------------------------------------------------------------------------------------------
# a sheet protected with a password


class FakeSheetApi:
    def __init__(self, password: str | None) -> None:
        self.password = password
        self.ProtectContents = password is not None
        self.ProtectDrawingObjects = self.ProtectContents
        self.ProtectScenarios = self.ProtectContents
        self.Protection = SimpleNamespace(**{k: False for k in SA._PROTECTION_FLAGS})
        self.unprotect_calls: list[dict] = []
        self.protect_calls: list[dict] = []

    def Unprotect(self, **kwargs):
        self.unprotect_calls.append(kwargs)
        if self.password and kwargs.get("Password") != self.password:
            raise RuntimeError("(-2147352567, 'The password you supplied is not correct.')")
        self.ProtectContents = False

    def Protect(self, **kwargs):
        self.protect_calls.append(kwargs)
        self.ProtectContents = True


class FakeSheet:
    def __init__(self, name: str, password: str | None) -> None:
        self.name = name
        self.api = FakeSheetApi(password)
        self.used_range = SimpleNamespace(last_cell=SimpleNamespace(row=1))

    def range(self, cell):
        return SimpleNamespace(value=None, merge_cells=False)


class FakeBook:
    """A workbook open in Excel whose every sheet is protected with `password`."""

    def __init__(self, app: FakeApp, data: bytes, password: str | None) -> None:
        self.app, self.name, self.fullname = app, "自评表.xlsx", "自评表.xlsx"
        names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
        self._sheets = {n: FakeSheet(n, password) for n in names}
        self.sheets = _Sheets(self._sheets)
        self.api = SimpleNamespace(SaveCopyAs=lambda path: Path(path).write_bytes(data))


class _Sheets:
    def __init__(self, sheets):
        self._sheets = sheets

    def __iter__(self):
        return iter(self._sheets.values())

    def __getitem__(self, name):
        return self._sheets[name]


def test_a_password_protected_sheet_is_reported_and_keeps_its_password():
    app = FakeApp()
    book = FakeBook(app, build_workbook(zhengning_2023()), password="局里的密码")
    assert on_ribbon("validate", XlwingsAccess(book, app)) is None
    (text, mode), = app.alerts
    assert "保护密码" in text and L.SHEET_FINDINGS in text and mode == "critical"
    findings_sheet = book._sheets[L.SHEET_FINDINGS].api
    # Asked with an empty password (never with none, which makes Excel prompt the clerk), and
    # never protected again without the password.
    assert findings_sheet.unprotect_calls == [{"Password": ""}]
    assert all(s.api.protect_calls == [] for s in book._sheets.values())
    assert findings_sheet.ProtectContents is True


def test_a_sheet_protected_without_a_password_is_locked_again_with_its_permissions():
    app = FakeApp()
    book = FakeBook(app, build_workbook(zhengning_2023()), password="")
    sheet = book._sheets[L.SHEET_FORM].api
    sheet.ProtectContents = sheet.ProtectDrawingObjects = True
    sheet.Protection.AllowFormattingCells = True
    access = XlwingsAccess(book, app)
    with access.editing():
        access._unlock(L.SHEET_FORM)
        assert sheet.ProtectContents is False
    assert sheet.unprotect_calls == [{"Password": ""}]
    (again,) = sheet.protect_calls
    assert "Password" not in again and again["AllowFormattingCells"] is True and again["Contents"] is True


def test_openpyxl_validate_on_a_password_protected_form_keeps_the_password(tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(zhengning_2023())))
    for ws in wb.worksheets:
        ws.protection.sheet = True
        ws.protection.password = "局里的密码"
    path = tmp_path / "带密码.xlsx"
    wb.save(path)
    hashes = {ws.title: ws.protection.password for ws in openpyxl.load_workbook(path).worksheets}
    access = OpenpyxlAccess(path)
    findings = on_ribbon("validate", access)
    assert findings, access.messages
    saved = tmp_path / "saved.xlsx"
    access.save_copy(saved)
    again = openpyxl.load_workbook(saved)
    for ws in again.worksheets:
        assert ws.protection.sheet is True and ws.protection.password == hashes[ws.title]
    assert again[L.SHEET_FINDINGS].max_row >= L.FINDINGS.first_row
