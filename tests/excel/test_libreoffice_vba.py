"""LibreOffice as an independent consumer of our VBA projects (the closest to Excel this gets).

Loading the built .xlsm with MacroExecutionMode=4 makes LibreOffice import the VBA project into
the document's Basic libraries: the test checks the library lists exactly our modules with our
source. Then a cell calls `PerfevalText`, a pure-VBA function of PerfevalUdfs, and must show its
value: LibreOffice compiled and ran our VBA.

One limit, found here and kept visible: LibreOffice 7.4 cannot compile xlwings' own module
(`GetUdfModules` and `GetDirectoryPath` have two procedure headers under `#If App = … #Else`,
which its Basic compiler rejects), and a library with one module that does not compile runs
nothing. So the evaluation uses the same project without the xlwings module. Excel compiles
xlwings.bas (xlwings ships it in its own add-ins); that part is on the manual check list.

Needs `libreoffice-calc-nogui` and `python3-uno`; skipped, with the reason, when absent.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from perfeval.excel import build
from perfeval.excel.package import (
    CONTENT_TYPE_XLAM_WORKBOOK,
    CONTENT_TYPE_XLSM_WORKBOOK,
    build_macro_package,
)
from perfeval.excel.vba import build_vba_project, stored_source
from perfeval.workbook import layout as L
from perfeval.workbook.template import build_workbook

PROBE = Path(__file__).with_name("lo_vba_probe.py")
WORDS = "绩效自评"


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if not candidate or Path(candidate).resolve() == Path(sys.executable).resolve():
            continue
        done = subprocess.run([candidate, "-c", "import uno"], check=False, capture_output=True,
                              timeout=60)
        if done.returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui python3-uno")
    python = _uno_python()
    if python is None:
        pytest.skip("no Python with the uno module (python3-uno) besides the test interpreter")
    profile = tmp_path_factory.mktemp("lo-profile")

    def run(path: Path, formula: str | None = None) -> dict:
        request = {"file": str(path), "sheet": L.SHEET_FINDINGS, "cell": "H2", "formula": formula}
        done = subprocess.run([python, str(PROBE), soffice, str(profile), json.dumps(request)],
                              check=False, capture_output=True, timeout=300, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    plain = tmp_path_factory.mktemp("plain") / "plain.xlsx"
    plain.write_bytes(build_workbook())
    if not run(plain)["loaded"]:
        pytest.skip(f"{soffice} cannot open a plain .xlsx (LibreOffice Calc is not installed)")
    return run


def _codes(text: str) -> str:
    return " ".join(str(ord(ch)) for ch in text)


def _as_workbook(package: bytes) -> bytes:
    """An add-in's bytes with the workbook content type LibreOffice opens (.xlsm)."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for name in archive.namelist():
            out[name] = archive.read(name)
    out["[Content_Types].xml"] = out["[Content_Types].xml"].replace(
        CONTENT_TYPE_XLAM_WORKBOOK.encode(), CONTENT_TYPE_XLSM_WORKBOOK.encode())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in out.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _lo_body(source: str) -> str:
    """LibreOffice stores an imported module as its body under two lines of its own."""
    lines = source.split("\n")
    assert lines[0] == "Rem Attribute VBA_ModuleType=VBAModule"
    assert lines[1] == "Option VBASupport 1"
    return "\n".join(lines[2:])


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_libreoffice_imports_every_module_of_the_built_file(probe, tmp_path, which):
    if which == "xlsm":
        package, project, modules = build.build_template_xlsm(), build.TEMPLATE_PROJECT, build.template_modules(6)
    else:
        package, project, modules = _as_workbook(build.build_addin_xlam()), build.ADDIN_PROJECT, build.addin_modules()
    path = tmp_path / f"built.{which}.xlsm"
    path.write_bytes(package)
    libraries = probe(path)["libraries"]
    assert sorted(libraries[project]) == sorted(m.name for m in modules)
    for module in modules:
        if module.kind == "standard":
            body = stored_source(module).split("\r\n", 1)[1].replace("\r\n", "\n")
            assert _lo_body(libraries[project][module.name]).strip() == body.strip(), module.name
    assert "Public Sub OnAction(control As IRibbonControl)" in libraries[project]["PerfevalRibbon"]


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_a_cell_calling_our_vba_function_shows_its_value(probe, tmp_path, which):
    base = build_workbook()
    if which == "xlsm":
        modules = build.template_modules(len(L.SHEET_ORDER))
    else:
        modules = build._document_modules(len(L.SHEET_ORDER)) + build._standard_modules("xlam")
    ours = [m for m in modules if m.name != "xlwings"]  # see the module docstring
    project = build_vba_project(ours, "PerfevalProbe")
    path = tmp_path / f"probe-{which}.xlsm"
    path.write_bytes(build_macro_package(base, project, None, "xlsm"))
    result = probe(path, f'=PERFEVALTEXT("{_codes(WORDS)}")')
    assert (result["value"], result["error"]) == (WORDS, 0)
