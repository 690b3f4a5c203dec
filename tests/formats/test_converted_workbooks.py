"""Excel 97-2003 and OpenDocument copies of the corpus forms check and score as their .xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfeval.loader import load_form

from .conftest import CONVERTED, DATA, NO_SOFFICE, SEED_XLSX, SOFFICE, build_module

SOURCES = [SEED_XLSX, *sorted((DATA / "real" / "xlsx").glob("*.xlsx"))]
CASES = [pytest.param(src, ext, id=f"{src.stem}.{ext}") for src in SOURCES for ext in ("xls", "ods")]


@pytest.fixture(scope="module")
def conversions(tmp_path_factory):
    return tmp_path_factory.mktemp("converted")


def _copy(source: Path, ext: str, outdir: Path) -> Path:
    """The committed conversion; a form added to the corpus since is converted here."""
    committed = CONVERTED / f"{source.stem}.{ext}"
    if committed.exists():
        return committed
    if SOFFICE is None:
        pytest.skip(f"{committed.name} is not committed and {NO_SOFFICE}")
    return build_module().convert(source, ext, outdir)


def _findings(loaded):
    return sorted((f.code, f.severity.value, f.sheet, f.cell, f.message) for f in loaded.findings)


@pytest.mark.parametrize(("source", "ext"), CASES)
def test_the_copy_gives_the_findings_and_totals_of_its_xlsx(source, ext, conversions):
    original = load_form(source)
    copy = load_form(_copy(source, ext, conversions))
    assert copy.format == ext and original.format == "xlsx"
    assert copy.origin == original.origin == "import"
    assert _findings(copy) == _findings(original)
    assert copy.evaluation.total == original.evaluation.total
    assert copy.evaluation.execution_rate == original.evaluation.execution_rate
    assert [i.name for i in copy.form.filled_indicators] == [i.name for i in original.form.filled_indicators]


@pytest.mark.parametrize("ext", ["xls", "ods"])
def test_percent_formats_and_merges_come_through(ext, conversions):
    from perfeval.workbook.ods_grid import grids_from_ods
    from perfeval.workbook.safe_open import open_workbook
    from perfeval.workbook.grid import grids_from_openpyxl
    from perfeval.workbook.xls_grid import grids_from_xls

    path = _copy(SEED_XLSX, ext, conversions)
    read = grids_from_xls if ext == "xls" else grids_from_ods
    ours = read(path, path.read_bytes())[0]
    theirs = grids_from_openpyxl(open_workbook(SEED_XLSX, data_only=True))[0]
    assert sorted(ours.merges) == sorted(theirs.merges)
    key = lambda cells: sorted((c.row, c.col, c.raw, c.percent_format) for c in cells)  # noqa: E731
    assert key(ours.cells) == key(theirs.cells)
