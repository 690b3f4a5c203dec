"""Excel → Python round trips per full recalculation, counted from the template's formulas.

Each worksheet-function call is a COM round trip of 4–20 ms (xlwings#1976, #2315): the template
of before made 186 per recalculation of a 60-row form (60 SCORE, 60 TARGET, 60 BAND, …). The
count is benchmarks/bench.py's own (`--round-trips`), so the figure in benchmarks/README.md is
what this test checks.
"""

from __future__ import annotations

import importlib.util

import pytest

from perfeval.core.model import FormKind
from perfeval.example_data import zhengning_2023
from perfeval.workbook.template import build_workbook
from tests.conftest import REPO


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("data", [build_workbook(), build_workbook(kind=FormKind.PROJECT),
                                  build_workbook(zhengning_2023())], ids=["department", "project", "example"])
def test_a_full_recalculation_of_a_60_row_form_makes_at_most_ten_calls_to_python(bench, data):
    counts = bench.udf_call_sites(data)
    assert counts == {"SCORE_TABLE": 1, "EXEC_SCORE": 1, "TOTAL": 1, "GRADE": 1}
    assert sum(counts.values()) <= 10


def test_the_counter_counts_the_per_row_calls_of_a_per_row_sheet(bench):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 61):
        ws[f"G{r}"] = f'=IF(D{r}="","",SCORE(D{r},E{r},F{r}))'
        ws[f"K{r}"] = f'=TARGET(D{r})&"SCORE("'  # a call in text is no call
    buf = io.BytesIO()
    wb.save(buf)
    assert bench.udf_call_sites(buf.getvalue()) == {"SCORE": 60, "TARGET": 60}
