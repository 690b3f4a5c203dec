"""500 hostile strings through every output: none becomes a formula, a field or a broken file."""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from perfeval.batch import render_batch_csv, render_batch_json, validate_many, write_summary
from perfeval.consolidate import consolidate_files
from perfeval.core.model import Narrative, SubUnit, Value
from perfeval.core.profiles import load_profile
from perfeval.loader import load_model
from perfeval.report import build_report
from perfeval.workbook import layout as L
from perfeval.workbook.template import build_workbook
from tests.checks.clean_form import clean_form

PREFIXES = ["=", "+", "-", "@", "\t", "\r", "=cmd|' /C calc'!A0", '=HYPERLINK("http://x","点我")', "+1+1",
            "-2+3", "@SUM(A1:A9)", "=1+1", "==", "=\n", "\x00=", "=SCORE(D10)", "'=", "=-", "DDE(", "=DDE("]
NOISE = ["", "预算", "\x07", "\x1b[31m", "ﾟ", "\u202e", "😀", "<b>", "&amp;", "]]>", "%s", "{0}", "\\", "\n"]


def hostile_strings(n: int = 500) -> list[str]:
    rnd = random.Random(20240306)
    out = []
    for i in range(n):
        out.append(rnd.choice(PREFIXES) + rnd.choice(NOISE) + f"文本{i}" + rnd.choice(NOISE))
    return out


def hostile_forms(strings: list[str], per_form: int = 50):
    forms = []
    base = clean_form()
    for k in range(0, len(strings), per_form):
        chunk = iter(strings[k:k + per_form])
        inds = []
        for ind in base.indicators:
            inds.append(ind.model_copy(update={
                "level2": Value(raw=next(chunk)), "level3": Value(raw=next(chunk)),
                "reason": Value(raw=next(chunk)),
            }))
        narrative = Narrative(sections={key: Value(raw=next(chunk)) for key in
                                        ("functions", "staffing", "problems", "measures", "goal_completion")})
        forms.append(base.model_copy(update={
            "name": Value(raw=next(chunk)), "indicators": tuple(inds), "narrative": narrative,
            "other_notes": Value(raw=next(chunk)), "goals_expected": Value(raw=next(chunk)),
            "units": (SubUnit(row=2, name=Value(raw=next(chunk)), fund=Value(raw=Decimal(5))),),
        }))
    return forms


def formula_cells(data: bytes) -> dict[str, set[str]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: {c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"} for ws in wb}


def own_formulas() -> set[str]:
    lay = L.layout_for(clean_form().kind)
    return set(lay.formula_cells()) | {lay.title}


@pytest.fixture(scope="module")
def forms():
    strings = hostile_strings()
    assert len(strings) == 500
    return hostile_forms(strings)


@pytest.fixture(scope="module")
def files(forms, tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    paths = []
    for i, f in enumerate(forms):
        p = d / f"部门{i}.xlsx"
        p.write_bytes(build_workbook(f))
        paths.append(p)
    return paths


def test_built_workbooks_hold_no_formula_outside_the_templates_own(files):
    for p in files:
        cells = formula_cells(p.read_bytes())
        assert cells.pop(L.SHEET_FORM) <= own_formulas()
        assert all(not v for v in cells.values()), cells


def test_the_consolidated_workbook_holds_no_formula_outside_the_templates_own(files, tmp_path):
    out = tmp_path / "汇总.xlsx"
    consolidate_files(None, files[:6], out)  # 6 × 9 distinct indicators fit the 60 rows
    cells = formula_cells(out.read_bytes())
    assert cells.pop(L.SHEET_FORM) <= own_formulas()
    assert all(not v for v in cells.values()), cells


def test_the_summary_workbook_and_batch_csv_json_keep_hostile_text_as_text(files, tmp_path):
    reports = validate_many(files, jobs=1)
    assert all(r.readable for r in reports)
    out = tmp_path / "汇总表.xlsx"
    write_summary(reports, out)
    assert all(not v for v in formula_cells(out.read_bytes()).values())
    for per in ("finding", "file"):
        for row in csv.reader(io.StringIO(render_batch_csv(reports, per=per))):
            assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)
    json.loads(render_batch_json(reports))


def test_reports_contain_no_field_but_the_page_number_and_reopen(forms):
    profile = load_profile()
    for f in forms:
        data = build_report(load_model(f, profile=profile), draft=True)
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        footer = "".join(zipfile.ZipFile(io.BytesIO(data)).read(n).decode()
                         for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "footer" in n)
        assert "instrText" not in xml and "fldSimple" not in xml  # no field codes in the body
        assert "PAGE" in footer
        import docx

        docx.Document(io.BytesIO(data))
