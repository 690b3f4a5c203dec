"""Every workbook perfeval writes tells Excel to keep its saved results on open.

openpyxl's default calcPr carries calcId="124519", older than every Excel in use: Excel then
recalculates the whole workbook on every open (every worksheet function called again) and asks
to save a file nobody touched. Read back from the written xl/workbook.xml: the current engine
id, and no fullCalcOnLoad.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from perfeval.outputs import EXCEL_CALC_ID

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def calc_properties(data: bytes) -> dict[str, str]:
    workbook = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml"))
    calc = workbook.find(f"{MAIN}calcPr")
    assert calc is not None, "no calcPr: Excel would assume an old engine"
    return dict(calc.attrib)


def _template() -> bytes:
    from perfeval.workbook.template import build_workbook

    return build_workbook()


def _example() -> bytes:
    from perfeval.example_data import zhengning_2023
    from perfeval.workbook.template import build_workbook

    return build_workbook(zhengning_2023())


def _xlsm() -> bytes:
    from perfeval.excel.build import build_template_xlsm

    return build_template_xlsm()


def _xlam() -> bytes:
    from perfeval.excel.build import build_addin_xlam

    return build_addin_xlam()


def _summary(tmp: Path) -> bytes:
    from perfeval.batch import validate_many, write_summary

    (tmp / "a.xlsx").write_bytes(_example())
    return write_summary(validate_many([tmp / "a.xlsx"], jobs=1), tmp / "汇总表.xlsx").read_bytes()


def _consolidated(tmp: Path) -> bytes:
    from perfeval.consolidate import consolidate_files

    (tmp / "甲.xlsx").write_bytes(_example())
    (tmp / "乙.xlsx").write_bytes(_example())
    consolidate_files(None, [tmp / "甲.xlsx", tmp / "乙.xlsx"], tmp / "汇总.xlsx")
    return (tmp / "汇总.xlsx").read_bytes()


def _annotated(tmp: Path) -> bytes:
    from perfeval.loader import load_form
    from perfeval.workbook.findings_writer import annotate_file

    src = tmp / "表.xlsx"
    src.write_bytes(_example())
    return annotate_file(src, load_form(src).findings, tmp / "表-校验.xlsx").read_bytes()


def _print_copy(tmp: Path) -> bytes:
    from perfeval.workbook import layout as L
    from perfeval.workbook.print_copy import single_sheet_copy

    return single_sheet_copy(_example(), L.SHEET_FORM)


WRITERS = {"blank template": lambda tmp: _template(), "filled example": lambda tmp: _example(),
           "template .xlsm": lambda tmp: _xlsm(), "add-in .xlam": lambda tmp: _xlam(), "batch summary": _summary,
           "consolidated form": _consolidated, "annotated copy": _annotated, "print copy": _print_copy}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_written_workbooks_carry_the_current_calc_id_and_no_full_calculation_on_load(tmp_path, writer):
    calc = calc_properties(WRITERS[writer](tmp_path))
    assert calc.get("calcId") == str(EXCEL_CALC_ID) == "191029"
    assert calc.get("fullCalcOnLoad", "0") in ("0", "false")
