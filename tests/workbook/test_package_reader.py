"""The direct package reader and openpyxl must read a form identically."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from perfeval.core.model import FormKind
from perfeval.example_data import zhengning_2023
from perfeval.workbook.package_reader import PackageBook
from perfeval.workbook.reader import read_form, read_workbook
from perfeval.workbook.template import build_workbook
from tests.checks.clean_form import clean_form
from tests.workbook.test_template import generated_forms


def both(data: bytes):
    fast = read_workbook(PackageBook(data), data, source="f.xlsx")
    slow = read_workbook(openpyxl.load_workbook(io.BytesIO(data)), data, source="f.xlsx")
    ro = read_workbook(openpyxl.load_workbook(io.BytesIO(data), read_only=True), data, source="f.xlsx")
    return fast, slow, ro


@pytest.mark.parametrize("data", [
    build_workbook(zhengning_2023()),
    build_workbook(clean_form()),
    build_workbook(kind=FormKind.PROJECT),
    build_workbook(),
], ids=["seed", "clean", "project-blank", "department-blank"])
def test_direct_and_openpyxl_readers_give_the_same_form_and_problems(data):
    fast, slow, ro = both(data)
    assert fast == slow == ro


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=generated_forms())
def test_direct_reader_matches_openpyxl_on_generated_forms(form):
    fast, slow, _ = both(build_workbook(form))
    assert fast == slow


def test_a_workbook_edited_and_saved_by_openpyxl_reads_the_same_both_ways():
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(zhengning_2023())))
    ws = wb["自评表"]
    ws["D10"] = "≥95% & <100%"  # escaped characters
    ws["H11"] = "第一行\n第二行"
    ws["G12"] = 1.5
    buf = io.BytesIO()
    wb.save(buf)
    fast, slow, _ = both(buf.getvalue())
    assert fast[0].model_dump(exclude={"source"}) == slow[0].model_dump(exclude={"source"})


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装：无法生成共享字符串格式的文件来比较")
def test_a_workbook_saved_by_libreoffice_with_shared_strings_reads_the_same_both_ways(tmp_path):
    src = tmp_path / "in.xlsx"
    src.write_bytes(build_workbook(zhengning_2023()))
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    data = (out / "in.xlsx").read_bytes()
    assert b"sharedStrings" in data
    fast, slow, _ = both(data)
    assert [i.model_dump() for i in fast[0].indicators] == [i.model_dump() for i in slow[0].indicators]
    assert fast[0].name == slow[0].name and fast[1] == slow[1]


def test_read_form_falls_back_to_openpyxl_when_the_direct_reader_cannot_cope(tmp_path, monkeypatch):
    from perfeval.workbook import package_reader

    path = tmp_path / "x.xlsx"
    path.write_bytes(build_workbook(zhengning_2023()))
    expected = read_form(path)

    def refuse(self, title, last_column=None):
        raise package_reader.PackageUnreadable("test")

    monkeypatch.setattr(package_reader.PackageBook, "cells", refuse)
    assert read_form(path) == expected


def _rewrite_sheet(data: bytes, title: str, edit) -> bytes:
    import zipfile

    from perfeval.workbook.package_xml import normalize_package, sheet_part_names

    zf = zipfile.ZipFile(io.BytesIO(data))
    part = sheet_part_names(zf)[title]
    return normalize_package(data, {part: edit(zf.read(part))})


def test_cells_with_their_attributes_in_another_order_read_the_same(tmp_path):
    import re

    data = build_workbook(zhengning_2023())
    swapped = _rewrite_sheet(data, "自评表", lambda xml: re.sub(
        rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"', rb'<c s="\2" r="\1"', xml))
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a.write_bytes(data)
    b.write_bytes(swapped)
    fa, pa = read_form(a)
    fb, pb = read_form(b)
    assert pb == pa == [] and fb.model_dump(exclude={"source"}) == fa.model_dump(exclude={"source"})


def test_prefixed_cell_elements_read_like_unprefixed_ones(tmp_path):
    import re

    data = build_workbook(zhengning_2023())

    def prefix(xml: bytes) -> bytes:
        text = re.sub(r"<(/?)(?![?!])([A-Za-z][A-Za-z0-9]*)(?=[\s/>])", r"<\1x:\2", xml.decode())
        return text.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                            'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 1).encode()

    prefixed = _rewrite_sheet(data, "自评表", prefix)
    assert b"<x:c " in prefixed or b"<x:c " in __import__("zipfile").ZipFile(io.BytesIO(prefixed)).read(
        "xl/worksheets/sheet1.xml")
    assert PackageBook(prefixed).cells("自评表") == PackageBook(data).cells("自评表")


def test_a_malformed_sheet_is_refused_by_the_one_scan():
    from perfeval.workbook.package_reader import PackageUnreadable

    data = build_workbook(zhengning_2023())
    broken = _rewrite_sheet(data, "自评表", lambda xml: xml.replace(b"<sheetData>", b"<x:sheetData>", 1))
    with pytest.raises(PackageUnreadable):
        PackageBook(broken)


def test_a_formula_on_another_sheet_keeps_its_cached_result(tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(zhengning_2023())))
    wb["报告素材"]["B2"] = '="负责"&"就业工作"'
    buf = io.BytesIO()
    wb.save(buf)
    data = _rewrite_sheet(buf.getvalue(), "报告素材",
                          lambda xml: xml.replace(b"</f><v></v>", "</f><v>负责就业工作</v>".encode(), 1)
                          .replace(b'<c r="B2"', b'<c r="B2" t="str"', 1))
    for reader_input in (PackageBook(data), openpyxl.load_workbook(io.BytesIO(data), read_only=True)):
        form, _ = read_workbook(reader_input, data)
        assert form.narrative.text("functions") == "负责就业工作"


def test_the_form_sheet_keeps_only_its_own_columns_and_refuses_to_pretend_it_has_the_rest():
    from perfeval.workbook import layout as L
    from perfeval.workbook.package_reader import PackageUnreadable, _column_number

    data = build_workbook(zhengning_2023())
    whole = PackageBook(data).cells(L.SHEET_FORM)[0]
    limited = PackageBook(data, sheets=[L.SHEET_FORM], columns={L.SHEET_FORM: L.LAST_COL})
    cells, cached = limited.cells(L.SHEET_FORM, L.LAST_COL)
    last = _column_number(L.LAST_COL)
    assert any(_column_number(r.rstrip("0123456789")) > last for r in whole)  # the working columns exist
    assert cells == {r: c for r, c in whole.items() if _column_number(r.rstrip("0123456789")) <= last}
    assert set(cached) <= set(cells)
    with pytest.raises(PackageUnreadable):
        limited.cells(L.SHEET_FORM)  # the hidden columns were only counted, not kept
