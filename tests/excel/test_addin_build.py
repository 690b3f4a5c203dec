"""The built template (.xlsm) and add-in (.xlam): package, VBA project, sources, reproducibility.

What Excel will do with these files cannot be run here; what can be checked is that the
package is what Office expects (content types, relationships, a compound file olefile parses
strictly), that every module comes back from the project byte for byte as it is in addin/vba,
that the project's structure matches the Excel-written reference shipped with xlwings, and that
the workbook is still our form (openpyxl and read_form read it without a problem).
"""

from __future__ import annotations

import io
import re
import sys
import time
import warnings
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlwings
from lxml import etree
from test_vba_project import (
    REFERENCE_XLAM,
    dir_records,
    extract_with_olevba,
    module_kind,
    project_stream_layout,
    split_dir,
)

from perfeval.excel import build
from perfeval.excel.build import (
    ADDIN_XLAM,
    TEMPLATE_XLSM,
    build_addin,
    build_addin_xlam,
    build_template_xlsm,
    generate_udf_vba,
    udf_vba_path,
)
from perfeval.excel.package import (
    CONTENT_TYPE_VBA_PROJECT,
    CONTENT_TYPE_XLAM_WORKBOOK,
    CONTENT_TYPE_XLSM_WORKBOOK,
    REL_TYPE_CUSTOM_UI_2010,
    REL_TYPE_VBA_PROJECT,
)
from perfeval.excel.vba import VbaModule, stored_source
from perfeval.workbook import layout as L
from perfeval.workbook.package_xml import read_cached_values
from perfeval.workbook.reader import read_form
from perfeval.workbook.template import build_workbook

REPO = Path(__file__).resolve().parents[2]
VBA = REPO / "addin" / "vba"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

TEMPLATE_MODULES = ["ThisWorkbook", "PerfevalRibbon", "PerfevalUdfs", "Sheet1", "Sheet2", "Sheet3",
                    "Sheet4", "Sheet5", "Sheet6", "xlwings"]
ADDIN_MODULES = ["ThisWorkbook", "PerfevalRibbon", "PerfevalUdfs", "Sheet1", "xlwings"]


@pytest.fixture(scope="module")
def xlsm() -> bytes:
    return build_template_xlsm()


@pytest.fixture(scope="module")
def xlam() -> bytes:
    return build_addin_xlam()


def members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def vba_bin(package: bytes) -> bytes:
    return members(package)["xl/vbaProject.bin"]


def expected_sources(kind: str) -> dict[str, str]:
    """Module name → the text Office must find in its stream, from the files in addin/vba."""
    files = {
        "xlwings": VBA / "xlwings.bas",
        "PerfevalRibbon": VBA / "PerfevalRibbon.bas",
        "PerfevalUdfs": udf_vba_path(kind),
    }
    out = {name: path.read_bytes().decode("ascii") for name, path in files.items()}
    this_workbook = VbaModule.from_file(VBA / "ThisWorkbook.cls", kind="document")
    out["ThisWorkbook"] = stored_source(this_workbook)
    return out


# --- the package ---------------------------------------------------------------------------


@pytest.mark.parametrize("which, workbook_type, ribbon",
                         [("xlsm", CONTENT_TYPE_XLSM_WORKBOOK, "customUI14.xml"),
                          ("xlam", CONTENT_TYPE_XLAM_WORKBOOK, "customUI14-addin.xml")])
def test_package_content_types_relationships_and_ribbon(request, which, workbook_type, ribbon):
    package = request.getfixturevalue(which)
    parts = members(package)
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {e.get("PartName"): e.get("ContentType") for e in types.iter(f"{CT}Override")}
    defaults = {e.get("Extension"): e.get("ContentType") for e in types.iter(f"{CT}Default")}
    assert overrides["/xl/workbook.xml"] == workbook_type
    assert overrides["/xl/vbaProject.bin"] == CONTENT_TYPE_VBA_PROJECT
    assert defaults.get("xml") == "application/xml" or overrides.get("/customUI/customUI14.xml")

    package_rels = [dict(r.attrib) for r in etree.fromstring(parts["_rels/.rels"]).iter(f"{REL}Relationship")]
    ui = [r for r in package_rels if r["Type"] == REL_TYPE_CUSTOM_UI_2010]
    assert [r["Target"] for r in ui] == ["customUI/customUI14.xml"]
    assert parts["customUI/customUI14.xml"] == (REPO / "addin" / ribbon).read_bytes()

    workbook_rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    vba_rels = [r for r in workbook_rels.iter(f"{REL}Relationship") if r.get("Type") == REL_TYPE_VBA_PROJECT]
    assert [r.get("Target") for r in vba_rels] == ["vbaProject.bin"]


def test_builds_are_byte_reproducible(xlsm, xlam):
    assert build_template_xlsm() == xlsm
    assert build_addin_xlam() == xlam
    for package in (xlsm, xlam):
        core = members(package)["docProps/core.xml"].decode()
        # openpyxl stamps "now" on save; the build pins it, so a build a second later is equal too.
        assert "<dcterms:modified" in core and ">2024-01-01T00:00:00Z</dcterms:modified>" in core
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_build_a_second_later_gives_the_same_bytes(xlam):
    time.sleep(1.05)
    assert build_addin_xlam() == xlam


def test_build_addin_writes_both_files_where_the_cli_expects_them(tmp_path, xlsm, xlam):
    written = build_addin(tmp_path)
    assert written == [tmp_path / TEMPLATE_XLSM, tmp_path / ADDIN_XLAM]
    assert (tmp_path / TEMPLATE_XLSM).read_bytes() == xlsm
    assert (tmp_path / ADDIN_XLAM).read_bytes() == xlam
    # Build products: a second build replaces them.
    assert build_addin(tmp_path) == written


# --- the VBA project -------------------------------------------------------------------------


@pytest.mark.parametrize("which, modules", [("xlsm", TEMPLATE_MODULES), ("xlam", ADDIN_MODULES)])
def test_vba_project_parses_strictly_and_holds_exactly_our_modules(request, which, modules):
    project = vba_bin(request.getfixturevalue(which))
    ole = olefile.OleFileIO(project, raise_defects=olefile.DEFECT_INCORRECT)
    try:
        streams = sorted("/".join(p) for p in ole.listdir())
    finally:
        ole.close()
    assert streams == sorted(["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"]
                             + [f"VBA/{m}" for m in modules])
    assert [name for name, _, _ in split_dir(dir_records(project))["modules"]] == modules


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_every_module_comes_back_byte_identical_to_its_source(request, which):
    package = request.getfixturevalue(which)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        extracted = extract_with_olevba(vba_bin(package))
    for name, text in expected_sources(which).items():
        assert extracted[f"VBA/{name}"] == text, name
    # The .bas files are stored exactly as committed: VB_Name line, body, CRLF.
    assert extracted["VBA/xlwings"].encode("ascii") == (VBA / "xlwings.bas").read_bytes()
    assert extracted["VBA/PerfevalUdfs"].encode("ascii") == udf_vba_path(which).read_bytes()
    for sheet in [m for m in extracted if re.fullmatch(r"VBA/Sheet\d+", m)]:
        assert extracted[sheet].startswith(f'Attribute VB_Name = "{sheet[4:]}"\r\n')


def test_dir_and_project_streams_have_the_reference_structure(xlsm, xlam):
    with zipfile.ZipFile(REFERENCE_XLAM) as archive:
        reference_bin = archive.read("xl/vbaProject.bin")
    reference = split_dir(dir_records(reference_bin))
    reference_ids = {module_kind(ids): tuple(ids) for _, ids, _ in reference["modules"]}
    for package in (xlsm, xlam):
        ours = split_dir(dir_records(vba_bin(package)))
        assert ours["information"] == reference["information"]
        assert ours["modules_header"] == reference["modules_header"]
        assert ours["end"] == reference["end"]
        for name, ids, _ in ours["modules"]:
            assert tuple(ids) == reference_ids[module_kind(ids)], name
        kinds = {name: module_kind(ids) for name, ids, _ in ours["modules"]}
        assert {n for n, k in kinds.items() if k == "document"} == {
            n for n in kinds if n == "ThisWorkbook" or n.startswith("Sheet")}
        ole = olefile.OleFileIO(vba_bin(package))
        ref = olefile.OleFileIO(reference_bin)
        try:
            ours_text = ole.openstream("PROJECT").read().decode("cp1252")
            ref_text = ref.openstream("PROJECT").read().decode("cp1252")
            assert project_stream_layout(ours_text) == project_stream_layout(ref_text)
            assert ole.openstream("VBA/_VBA_PROJECT").read()[:5] == ref.openstream("VBA/_VBA_PROJECT").read()[:5]
        finally:
            ole.close()
            ref.close()


def test_project_names_differ_so_template_and_addin_can_be_open_together(xlsm, xlam):
    names = []
    for package in (xlsm, xlam):
        info = split_dir(dir_records(vba_bin(package)))["information_records"]
        names.append(info[0x04].decode("ascii"))
    assert names == ["PerfevalTemplate", "PerfevalAddin"]


# --- the workbook inside ---------------------------------------------------------------------


def test_xlsm_is_still_our_form_for_openpyxl_and_the_reader(tmp_path, xlsm):
    wb = openpyxl.load_workbook(io.BytesIO(xlsm), keep_vba=True)
    assert wb.sheetnames == list(L.SHEET_ORDER)
    assert wb.code_name == "ThisWorkbook"
    assert [ws.sheet_properties.codeName for ws in wb.worksheets] == [f"Sheet{i}" for i in range(1, 7)]
    path = tmp_path / TEMPLATE_XLSM.name
    path.write_bytes(xlsm)
    form, problems = read_form(path)
    assert problems == []
    assert form.kind.value == "department"


def test_xlsm_keeps_the_templates_formulas_and_cached_results(xlsm):
    xlsx = build_workbook()
    assert read_cached_values(xlsm, L.SHEET_FORM) == read_cached_values(xlsx, L.SHEET_FORM)
    ours = openpyxl.load_workbook(io.BytesIO(xlsm))[L.SHEET_FORM]
    theirs = openpyxl.load_workbook(io.BytesIO(xlsx))[L.SHEET_FORM]
    for ref, formula in L.layout_for(form_kind()).formula_cells().items():
        assert _formula_text(ours[ref].value) == _formula_text(theirs[ref].value) == formula, ref


def _formula_text(value):
    """A cell's formula; an array formula (the add-in's block) as its text."""
    from openpyxl.worksheet.formula import ArrayFormula

    return value.text if isinstance(value, ArrayFormula) else value


def form_kind():
    from perfeval.core.model import FormKind

    return FormKind.DEPARTMENT


def test_addin_has_one_sheet_and_is_marked_as_an_addin(xlam):
    parts = members(xlam)
    workbook = etree.fromstring(parts["xl/workbook.xml"])
    sheets = [s.get("name") for s in workbook.iter(f"{MAIN}sheet")]
    assert sheets == ["Sheet1"]
    assert workbook.find(f"{MAIN}workbookPr").get("codeName") == "ThisWorkbook"


# --- the sources -----------------------------------------------------------------------------


def test_xlwings_module_is_the_installed_xlwings_one():
    installed = Path(xlwings.__file__).parent / "xlwings.bas"
    committed = (VBA / "xlwings.bas").read_bytes()
    assert committed == installed.read_bytes()
    # Its own header says which version it is; doctor compares that with the Python package.
    assert f"'Version: {xlwings.__version__}\r\n".encode() in committed[:200]


@pytest.mark.parametrize("kind", ["xlsm", "xlam"])
def test_committed_udf_wrappers_match_the_generator(kind):
    committed = udf_vba_path(kind).read_bytes()
    generated = generate_udf_vba(kind).encode("ascii")
    assert committed == generated, (
        f"{udf_vba_path(kind)} is out of date: run `python -m perfeval.excel.build --udfs`"
    )


def test_generator_leaves_no_windows_stand_ins_behind():
    import xlwings as xw

    before = {n: getattr(xw, n) for n in ("func", "arg", "ret", "sub", "script")}
    had = {n for n in ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs")
           if n in sys.modules}
    generate_udf_vba("xlsm")
    assert {n: getattr(xw, n) for n in before} == before
    assert {n for n in ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs")
            if n in sys.modules} == had


def _wrappers(text: str) -> dict[str, list[str]]:
    sigs = re.findall(r"^Function (\w+)\(([^)]*)\)\r$", text, re.MULTILINE)
    return {name: [a.strip() for a in args.split(",")] for name, args in sigs}


@pytest.mark.parametrize("kind, book", [("xlsm", "ThisWorkbook"), ("xlam", "ActiveWorkbook")])
def test_wrappers_follow_the_python_signatures(kind, book):
    import inspect

    from perfeval.excel import udfs

    text = generate_udf_vba(kind)
    wrappers = _wrappers(text)
    assert sorted(wrappers) == sorted(udfs.__all__)
    for name, args in wrappers.items():
        params = inspect.signature(getattr(udfs, name)).parameters.values()
        expected = [("Optional " if p.default is not inspect.Parameter.empty else "") + p.name for p in params]
        assert args == expected, name
        assert f'{name} = XLPy.CallUDF("perfeval.excel.udfs", "{name}", Array(' in text
    assert f", {book}, Application.Caller)" in text
    assert "Application.Volatile" not in text  # nothing recalculates on every change
    assert max(len(line) for line in text.split("\r\n")) < 1024


@pytest.mark.parametrize("kind", ["xlsm", "xlam"])
def test_a_failed_python_call_answers_an_error_value_that_iferror_catches(kind):
    """Not xlwings' error text: IFERROR(SCORE(…), <native>) must fall back when Python is missing."""
    from perfeval.excel import udfs

    text = generate_udf_vba(kind)
    assert "= Err.Description" not in text
    for name in udfs.__all__:
        assert f"failed:\r\n    {name} = PerfevalUdfFailed(Err.Description)\r\nEnd Function" in text, name
    failed = text.split("Public Function PerfevalUdfFailed(", 1)[1].split("End Function", 1)[0]
    assert "CVErr(2042)" in failed and "lastUdfFailure = reason" in failed  # xlErrNA, reason kept
    assert "Public Function PerfevalUdfFailure() As String" in text
    # The module-level variable is declared before the first procedure, as VBA requires.
    assert text.index("Private lastUdfFailure As String") < text.index("Function ")


def _decode_vba_text(expr: str) -> str:
    """Evaluate the PerfevalText("…") & PerfevalText("…") chains the generator writes."""
    units = [int(u) for chunk in re.findall(r'PerfevalText\("([0-9 ]*)"\)', expr) for u in chunk.split()]
    return b"".join(u.to_bytes(2, "little") for u in units).decode("utf-16-le")


def test_function_wizard_descriptions_decode_to_the_python_docs():
    """The VBA spells the Chinese docs as code units; decoding them gives the doc strings back."""
    from perfeval.excel import udfs

    text = generate_udf_vba("xlsm")
    body = text.split("Public Sub RegisterPerfevalUdfs()", 1)[1].split("End Sub", 1)[0]
    values: dict[str, str] = {}
    registered: dict[str, tuple[str, list[str], str]] = {}
    for line in body.split("\r\n"):
        line = line.strip()
        m = re.match(r"(\w+(?:\(\d+\))?) = (.*)", line)
        if m:
            target, expr = m.groups()
            previous = values.get(target, "") if expr.startswith(f"{target} & ") else ""
            values[target] = previous + _decode_vba_text(expr)
        elif line.startswith("ReDim args"):
            for key in [k for k in values if k.startswith("args(")]:
                del values[key]
        elif line.startswith("RegisterUdf "):
            name = line.split('"')[1]
            args = [values[k] for k in sorted((k for k in values if k.startswith("args(")),
                                              key=lambda k: int(k[5:-1]))]
            registered[name] = (values["description"], args, values["category"])
    assert sorted(registered) == sorted(udfs.__all__)
    for name, (description, args, category) in registered.items():
        func = getattr(udfs, name)
        assert description == func.__doc__
        assert category == udfs.CATEGORY
        assert len(args) == func.__code__.co_argcount
        assert all(re.search(r"[\u4e00-\u9fff]", a) for a in args), name


def test_udf_generator_stubbing_is_confined_to_one_function():
    source = Path(build.__file__).read_text(encoding="utf-8")
    assert source.count("types.ModuleType(") == 1
    assert source.count("sys.modules.update(") == 1


@pytest.mark.parametrize("relative, make", [(TEMPLATE_XLSM, build_template_xlsm), (ADDIN_XLAM, build_addin_xlam)])
def test_committed_build_products_are_up_to_date(relative, make):
    """The files users download are what the sources build today."""
    path = REPO / relative
    if not path.exists():
        pytest.skip(f"{relative} not built in this checkout")
    assert path.read_bytes() == make(), f"{relative} is stale: run `perfeval addin build`"
