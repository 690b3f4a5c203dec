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
    """Committed conversions; forms added to the corpus since are converted here, all at once."""
    outdir = tmp_path_factory.mktemp("converted")
    missing = {ext: [s for s in SOURCES if not (CONVERTED / f"{s.stem}.{ext}").exists()] for ext in ("xls", "ods")}
    if SOFFICE is not None:
        for ext, sources in missing.items():
            if sources:
                build_module().convert_many(sources, ext, outdir)
    return outdir


def _copy(source: Path, ext: str, outdir: Path) -> Path:
    for folder in (CONVERTED, outdir):
        if (folder / f"{source.stem}.{ext}").exists():
            return folder / f"{source.stem}.{ext}"
    pytest.skip(f"{source.stem}.{ext} is not committed and {NO_SOFFICE}")


def _formula_cells(source: Path) -> set[tuple[str, str]]:
    """Cells of the .xlsx that hold a formula: BIFF keeps their results, not their text."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    return {(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"}


def _findings(loaded, skip: set[tuple[str, str]] = frozenset()):
    return sorted((f.code, f.severity.value, f.sheet, f.cell, f.message) for f in loaded.findings
                  if (f.sheet, f.cell) not in skip)


@pytest.mark.parametrize(("source", "ext"), CASES)
def test_the_copy_gives_the_findings_and_totals_of_its_xlsx(source, ext, conversions):
    original = load_form(source)
    copy = load_form(_copy(source, ext, conversions))
    assert copy.format == ext and original.format == "xlsx"
    assert copy.origin == original.origin == "import"
    skip = _formula_cells(source) if ext == "xls" else set()
    assert _findings(copy, skip) == _findings(original, skip)
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
