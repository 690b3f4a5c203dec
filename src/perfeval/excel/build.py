"""Build the macro-enabled template (.xlsm) and the add-in (.xlam) from the text sources in addin/.

    addin/customUI14.xml           the template's ribbon tab (绩效自评)
    addin/customUI14-addin.xml     the add-in's ribbon tab (绩效自评工具)
    addin/vba/ThisWorkbook.cls     Workbook_Open: registers the functions' descriptions
    addin/vba/PerfevalRibbon.bas   the one OnAction callback → perfeval.excel.ribbon.on_ribbon
    addin/vba/xlwings.bas          xlwings' own module, copied unchanged from the installed xlwings
    addin/vba/PerfevalUdfs.bas     generated: the VBA wrappers of perfeval.excel.udfs (workbook)
    addin/vba/xlam/PerfevalUdfs.bas  generated: the same for the add-in (ActiveWorkbook)

The template carries its own copy of the UDF wrappers, so its formulas (=SCORE(…) …) resolve
inside the workbook, without a link to wherever the add-in happens to be installed. The
generated wrappers are committed; `generate_udf_vba` must give exactly the committed text
(a test checks it), and `python -m perfeval.excel.build --udfs` rewrites them.

Outputs depend only on the sources: building twice gives the same bytes.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import re
import sys
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

from perfeval.core.errors import CodedError
from perfeval.core.model import Form, FormKind
from perfeval.core.profiles import Profile
from perfeval.excel.package import build_macro_package, sheet_code_names
from perfeval.excel.vba import VbaModule, build_vba_project, workbook_document_modules
from perfeval.workbook.package_xml import BUILD_TIME, pin_modified_time

__all__ = [
    "ADDIN_XLAM",
    "REPO_ROOT",
    "TEMPLATE_XLSM",
    "UDF_MODULE",
    "addin_dir",
    "addin_modules",
    "build_addin",
    "build_addin_xlam",
    "build_template_xlsm",
    "generate_udf_vba",
    "template_modules",
    "udf_vba_path",
    "write_udf_vba",
]

REPO_ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_XLSM = Path("workbook_templates") / "部门整体支出绩效自评表.xlsm"
ADDIN_XLAM = Path("addin") / "dist" / "perfeval.xlam"

UDF_MODULE = "perfeval.excel.udfs"
UDF_VBA_MODULE = "PerfevalUdfs"
TEMPLATE_PROJECT = "PerfevalTemplate"
ADDIN_PROJECT = "PerfevalAddin"
ADDIN_SHEET = "Sheet1"

PackageKind = Literal["xlsm", "xlam"]
# One PerfevalText("…") call per this many characters keeps every VBA line far below 1023.
_CODES_PER_CALL = 40


class AddinSourcesMissing(CodedError):
    """The add-in's text sources are not installed (PE960); the message is for the clerk."""

    CODE = "PE960"


def addin_dir() -> Path:
    """The add-in sources: the checkout's addin/, or the copy a wheel installs as data files.

    pyproject.toml ships addin/ as data files (share/perfeval/addin) so that the ribbon's
    新建 and 导入旧表 work from an installed wheel, not only from a source checkout. pip puts
    them under sys.prefix, or under the user base with `pip install --user` (see paths.py).
    """
    from perfeval.excel.paths import addin_source_dirs

    candidates = addin_source_dirs(REPO_ROOT / "addin")
    for d in candidates:
        if (d / "vba").is_dir():
            return d
    raise AddinSourcesMissing(
        f"找不到加载项源文件目录（已查找：{'；'.join(str(c) for c in candidates)}）：请重新安装 perfeval。"
    )


def udf_vba_path(kind: PackageKind) -> Path:
    vba = addin_dir() / "vba"
    return vba / f"{UDF_VBA_MODULE}.bas" if kind == "xlsm" else vba / "xlam" / f"{UDF_VBA_MODULE}.bas"


# ---------------------------------------------------------------------------------------------
# UDF wrappers, written by xlwings' own generator


@contextlib.contextmanager
def _xlwings_windows_udfs() -> Iterator[types.ModuleType]:
    """`xlwings.udfs` importable here, with `xw.func`/`xw.arg`/… bound to its decorators.

    xlwings keeps its UDF machinery in `xlwings/udfs.py`, which imports pywin32 at the top for
    the COM server; `xlwings/__init__.py` binds `xw.func` etc. to that module's decorators only
    on Windows with pywin32, and to no-op decorators elsewhere. The wrapper generator itself
    (`generate_vba_wrapper`) is plain text work on the decorators' metadata. So, for the block:

    * each pywin32 module udfs.py imports and this machine lacks gets a bare stand-in holding only
      the names used at import time: `pythoncom.CoInitialize` (a thread-pool initializer that
      never runs here), `pywintypes.com_error` (named in except clauses), `win32com.client.Dispatch`;
    * `xw.func`, `xw.arg`, `xw.ret`, `xw.sub` and `xw.script` are the udfs decorators, as on Windows.

    Everything is put back afterwards: no other code in the process sees a stand-in.
    """
    import xlwings

    stand_ins: dict[str, types.ModuleType] = {}
    for name, attrs in (
        ("pythoncom", {"CoInitialize": lambda: None}),
        ("pywintypes", {"com_error": type("com_error", (Exception,), {})}),
        ("win32com", {}),
        ("win32com.client", {"Dispatch": lambda *a, **k: None}),
    ):
        if name in sys.modules or importlib.util.find_spec(name.split(".")[0]) is not None:
            continue
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        stand_ins[name] = module
    if "win32com.client" in stand_ins and "win32com" in stand_ins:
        stand_ins["win32com"].client = stand_ins["win32com.client"]  # type: ignore[attr-defined]

    had_udfs = "xlwings.udfs" in sys.modules
    saved = {n: getattr(xlwings, n) for n in ("func", "arg", "ret", "sub", "script")}
    sys.modules.update(stand_ins)
    try:
        from xlwings import udfs

        xlwings.func, xlwings.arg, xlwings.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
        xlwings.sub = xlwings.script = udfs.xlsub
        yield udfs
    finally:
        for name, value in saved.items():
            setattr(xlwings, name, value)
        if not had_udfs:
            sys.modules.pop("xlwings.udfs", None)
            if "udfs" in vars(xlwings):
                delattr(xlwings, "udfs")
        for name in stand_ins:
            sys.modules.pop(name, None)


def _decorated_udfs(udfs: types.ModuleType) -> types.ModuleType:
    """A private copy of perfeval.excel.udfs executed under the Windows decorators."""
    from perfeval.excel import udfs as ours

    spec = importlib.util.spec_from_file_location("_perfeval_udfs_for_vba", inspect.getfile(ours))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _codes(text: str) -> list[str]:
    """PerfevalText(...) calls spelling `text` as decimal UTF-16 code units (VBA stays ASCII)."""
    units = [str(u) for u in memoryview(text.encode("utf-16-le")).cast("H")]
    chunks = [units[i : i + _CODES_PER_CALL] for i in range(0, len(units), _CODES_PER_CALL)] or [[]]
    return [f'PerfevalText("{" ".join(chunk)}")' for chunk in chunks]


def _assign(target: str, text: str) -> list[str]:
    calls = _codes(text)
    return [f"    {target} = {calls[0]}"] + [f"    {target} = {target} & {c}" for c in calls[1:]]


def _registration_vba(functions: list[Mapping]) -> list[str]:
    lines = [
        "",
        "'--- Insert Function dialog: descriptions ---------------------------------------",
        "' Generated from the same doc strings. xlwings' import_udfs registers them over COM",
        "' with Application.MacroOptions; a built file has no such step, so ThisWorkbook's",
        "' Workbook_Open calls RegisterPerfevalUdfs. Text is spelled as UTF-16 code units.",
        "Public Sub RegisterPerfevalUdfs()",
        "    Dim category As String, description As String",
        "    Dim args() As Variant",
    ]
    categories = {f["category"] for f in functions}
    category = categories.pop() if len(categories) == 1 else None
    if category is not None:
        lines += _assign("category", str(category)[:255])
    for f in functions:
        if category is None:
            lines += _assign("category", str(f["category"])[:255])
        lines += _assign("description", f["ret"]["doc"][:255])
        docs = [a["doc"][:255] for a in f["args"] if not a["vba"]]
        lines.append(f"    ReDim args(0 To {len(docs) - 1})" if docs else "    ReDim args(0 To 0)")
        for i, doc in enumerate(docs):
            lines += _assign(f"args({i})", doc)
        lines.append(f'    RegisterUdf "{f["name"]}", description, category, args')
    lines += [
        "End Sub",
        "",
        "Private Sub RegisterUdf(ByVal functionName As String, ByVal description As String, _",
        "                        ByVal category As String, args As Variant)",
        "    ' A protected or hidden workbook may refuse; the functions work all the same.",
        "    On Error Resume Next",
        "    Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!\" & functionName, _",
        "        Description:=description, Category:=category, ArgumentDescriptions:=args",
        "End Sub",
        "",
        "Public Function PerfevalText(ByVal codes As String) As String",
        "    ' \"32489 25928\" -> the two characters U+7EE9 U+6548 (decimal UTF-16 code units).",
        "    Dim parts() As String, i As Long, s As String",
        "    s = \"\"",
        "    If Len(codes) > 0 Then",
        "        parts = Split(codes, \" \")",
        "        For i = LBound(parts) To UBound(parts)",
        "            s = s & ChrW(CLng(parts(i)))",
        "        Next i",
        "    End If",
        "    PerfevalText = s",
        "End Function",
    ]
    return lines


def generate_udf_vba(kind: PackageKind = "xlsm") -> str:
    """The PerfevalUdfs module for a workbook (`xlsm`) or the add-in (`xlam`), CRLF line ends.

    The wrappers are xlwings' `generate_vba_wrapper` output for `perfeval.excel.udfs` (what
    "Import Functions" would put in the workbook); it writes `ThisWorkbook` for a workbook and
    `ActiveWorkbook` for an add-in, decided by the workbook name it is given.
    """
    import xlwings

    with _xlwings_windows_udfs() as udfs:
        module = _decorated_udfs(udfs)
        buf = io.StringIO()
        workbook = types.SimpleNamespace(Name=f"perfeval.{kind}")
        udfs.generate_vba_wrapper(UDF_MODULE, module, buf, workbook)
        functions = [
            getattr(module, name).__xlfunc__
            for name in dir(module)
            if hasattr(getattr(module, name), "__xlfunc__")
        ]
    header = [
        f'Attribute VB_Name = "{UDF_VBA_MODULE}"',
        f"' Generated from {UDF_MODULE} by perfeval.excel.build.generate_udf_vba",
        f"' (xlwings {xlwings.__version__} generate_vba_wrapper, for a .{kind} file). Do not edit:",
        "' run `python -m perfeval.excel.build --udfs` after changing the Python functions.",
        '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel',
        "",
        "' When the call to Python fails (no Python, a broken xlwings setup), a wrapper returns #N/A",
        "' instead of xlwings' error text, so the template's IFERROR shows its own formula's result;",
        "' the reason is kept here once, for the ribbon's environment check, not shown in 60 cells.",
        "Private lastUdfFailure As String",
        "",
    ]
    body = [_fail_with_na(line) for line in buf.getvalue().rstrip("\n").split("\n")]
    text = "\r\n".join(header + body + _registration_vba(functions) + _failure_vba()) + "\r\n"
    text.encode("ascii")  # a doc string reached the VBA text unencoded: fail here, not in Excel
    return text


_ERR_DESCRIPTION = re.compile(r"^(\s*)(\w+) = Err\.Description$")


def _fail_with_na(line: str) -> str:
    """xlwings' `failed:` branch (`NAME = Err.Description`) → an error value IFERROR catches."""
    m = _ERR_DESCRIPTION.match(line)
    return f"{m.group(1)}{m.group(2)} = PerfevalUdfFailed(Err.Description)" if m else line


def _failure_vba() -> list[str]:
    return [
        "",
        "Public Function PerfevalUdfFailed(ByVal reason As String) As Variant",
        "    ' Remember why (the latest reason) and answer #N/A (xlErrNA = 2042).",
        "    lastUdfFailure = reason",
        "    PerfevalUdfFailed = CVErr(2042)",
        "End Function",
        "",
        "Public Function PerfevalUdfFailure() As String",
        "    ' Why the last call to Python failed (empty when none did); read by the environment check.",
        "    PerfevalUdfFailure = lastUdfFailure",
        "End Function",
    ]


def write_udf_vba() -> list[Path]:
    """Regenerate the committed PerfevalUdfs.bas files; returns the files that changed."""
    changed = []
    for kind in ("xlsm", "xlam"):
        path = udf_vba_path(kind)  # type: ignore[arg-type]
        data = generate_udf_vba(kind).encode("ascii")  # type: ignore[arg-type]
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(path)
    return changed


# ---------------------------------------------------------------------------------------------
# the packages


def _vba(name: str) -> Path:
    return addin_dir() / "vba" / name


def _document_modules(sheet_count: int) -> list[VbaModule]:
    this_workbook = _vba("ThisWorkbook.cls").read_bytes().decode("ascii")
    return workbook_document_modules(sheet_count, {"ThisWorkbook": this_workbook})


def _standard_modules(kind: PackageKind) -> list[VbaModule]:
    return [
        VbaModule.from_file(_vba("xlwings.bas")),
        VbaModule.from_file(udf_vba_path(kind)),
        VbaModule.from_file(_vba("PerfevalRibbon.bas")),
    ]


def template_modules(sheet_count: int) -> list[VbaModule]:
    return _document_modules(sheet_count) + _standard_modules("xlsm")


def addin_modules() -> list[VbaModule]:
    return _document_modules(1) + _standard_modules("xlam")


def _custom_ui(name: str) -> str:
    return (addin_dir() / name).read_bytes().decode("utf-8")



def build_template_xlsm(form: Form | None = None, profile: Profile | None = None, *,
                        kind: FormKind | None = None) -> bytes:
    """The 自评表 template (filled with `form` when given) as a macro-enabled workbook."""
    from perfeval.workbook.template import build_workbook

    base = build_workbook(form, profile, kind=kind)  # already reproducible
    modules = template_modules(len(sheet_code_names(base)))
    project = build_vba_project(modules, TEMPLATE_PROJECT)
    return build_macro_package(base, project, _custom_ui("customUI14.xml"), "xlsm")


def _addin_base() -> bytes:
    from openpyxl import Workbook

    from perfeval import __version__

    from perfeval.outputs import set_calc_properties

    wb = Workbook()
    set_calc_properties(wb)
    wb.active.title = ADDIN_SHEET
    wb.properties.creator = wb.properties.lastModifiedBy = "perfeval"
    wb.properties.title = f"perfeval {__version__} 加载项"
    wb.properties.created = BUILD_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return pin_modified_time(buf.getvalue())


def build_addin_xlam() -> bytes:
    """perfeval.xlam: the add-in tab, the ribbon callback, xlwings and the UDF wrappers."""
    project = build_vba_project(addin_modules(), ADDIN_PROJECT)
    return build_macro_package(_addin_base(), project, _custom_ui("customUI14-addin.xml"), "xlam")


def build_addin(out_dir: Path | None = None) -> list[Path]:
    """`perfeval addin build`: write the template .xlsm and the add-in .xlam under `out_dir`.

    Returns [template path, add-in path]. Existing outputs are replaced (they are build
    products, written atomically); `out_dir` defaults to the repository root.
    """
    from perfeval.outputs import write_atomic

    root = Path(out_dir) if out_dir is not None else REPO_ROOT
    template = write_atomic(root / TEMPLATE_XLSM, build_template_xlsm(), force=True)
    addin = write_atomic(root / ADDIN_XLAM, build_addin_xlam(), force=True)
    return [template, addin]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--udfs" in args:
        args.remove("--udfs")
        for path in write_udf_vba():
            print(f"updated {path}")
    for path in build_addin(Path(args[0]) if args else None):
        print(f"{path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
