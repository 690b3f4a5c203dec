"""Recompute a workbook's formulas without Excel: the `formulas` engine with our UDFs registered.

The engine evaluates the formula text stored in the file, so this proves the formulas the
template wires up (cell references, argument order, IF/LEFT/SUM glue) give what the core gives.

`addin_view` is the workbook as Excel with the add-in computes it: every fallback dropped —
IFERROR(SCORE_TABLE(…), …) is the function alone, G10 is the add-in's N10, the native helper
columns are gone (LibreOffice checks those, tests/excel/test_native_fallback.py) — so the engine
checks the wiring of our functions, quickly, without evaluating the long native formulas.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import formulas
import numpy as np
from formulas.functions import get_functions

from perfeval.core.cellfunctions import FUNCTIONS


def _py(x):
    if type(x).__name__ == "Token" or x is None:  # formulas' EMPTY marker
        return None
    if isinstance(x, np.generic):
        return x.item()
    return x


def _arg(a):
    v = getattr(a, "value", a)
    if isinstance(v, np.ndarray):
        rows = [[_py(x) for x in row] for row in v.tolist()] if v.ndim == 2 else [[_py(x) for x in v.tolist()]]
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows
    return _py(v)


def _wrap(f):
    def call(*args):
        return f(*[_arg(a) for a in args])

    return call


# CELL("format", ref) as Excel answers it for the formats our templates use; `formulas` has no
# CELL, and needs the cell's number format, which `compute` reads from the file.
_FORMATS: dict[tuple[str, str], str] = {}


def _cell_format(number_format: str) -> str:
    if "%" in number_format:
        decimals = number_format.split("%")[0].partition(".")[2]
        return f"P{len(decimals)}"
    return "G"


def _xcell(info_type, ref=None):
    if str(_arg(info_type)).lower() != "format" or ref is None:
        return np.asarray([["#VALUE!"]], object)
    r = ref.ranges[0]
    key = (str(r["sheet"]).upper(), f"{_column_letters(int(r['n1']))}{int(r['r1'])}")
    return np.asarray([[_FORMATS.get(key, "G")]], object)


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@contextlib.contextmanager
def registered(names=None):
    from formulas.functions import wrap_func

    table = get_functions()
    saved = {n: table.get(n) for n in [*FUNCTIONS, "CELL"]}
    for name, f in FUNCTIONS.items():
        if names is None or name in names:
            table[name] = _wrap(f)
    table["CELL"] = wrap_func(_xcell, ranges=True)
    try:
        yield
    finally:
        for n, f in saved.items():
            if f is None:
                table.pop(n, None)
            else:
                table[n] = f


def compute(path: Path, sheet: str) -> dict[str, object]:
    """Cell → value computed by the engine for every cell of `sheet` the model knows."""
    import openpyxl

    _FORMATS.clear()
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                _FORMATS[(ws.title.upper(), c.coordinate)] = _cell_format(c.number_format or "General")
    model = formulas.ExcelModel().loads(str(path)).finish()
    sol = model.calculate()
    prefix = f"'[{path.name}]{sheet.upper()}'!"
    out = {}
    for key, val in sol.items():
        k = str(key)
        if k.upper().startswith(prefix.upper()) and ":" not in k:
            v = getattr(val, "value", val)
            if isinstance(v, np.ndarray):
                v = _py(v.ravel()[0]) if v.size else None
            if type(v).__name__ == "XlError":
                v = str(v)
            out[k[len(prefix):]] = v
    return out


def _drop_fallbacks(formula: str) -> str:
    """IFERROR(F(…), fallback) → F(…) for each of our functions F; IF(N10<>"",N10,…) → N10."""
    from perfeval.workbook import layout as L

    py = f"(?:{L.COL_PY_SCORE}|{L.COL_PY_READING}|{L.COL_PY_BAND})[0-9]+"
    m = re.fullmatch(rf'=IF\(({py})<>"",\1,.*\)', formula, re.DOTALL)
    if m:
        return "=" + m.group(1)
    # IF(N70<>"",N70,<native>) inside a guard: the add-in's cell alone.
    while (m := re.search(rf'IF\(({py})<>"",\1,', formula)):
        start, depth, j = m.start(), 0, m.end()
        while True:  # the end of the IF(…)
            ch = formula[j]
            if ch == '"':
                j = formula.index('"', j + 1)
            elif ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        formula = formula[:start] + m.group(1) + formula[j + 1:]
    names = "|".join(FUNCTIONS)
    while (m := re.search(rf"IFERROR\(({names})\(", formula)):
        start, depth, i = m.start(), 0, m.start(1)
        while True:  # the end of F(…): IFERROR's first argument
            ch = formula[i]
            if ch == '"':
                i = formula.index('"', i + 1)
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        call = formula[m.start(1): i + 1]
        depth, j = 0, i + 1  # skip ", fallback)" up to IFERROR's closing parenthesis
        while True:
            ch = formula[j]
            if ch == '"':
                j = formula.index('"', j + 1)
            elif ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        formula = formula[:start] + call + formula[j + 1:]
    return formula


def addin_view(data: bytes, path: Path) -> Path:
    """Write `data` as Excel with the add-in computes it (see the module doc) to `path`."""
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    from perfeval.core.model import FormKind
    from perfeval.workbook import layout as L

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[L.SHEET_FORM]
    rows = L.layout_for(FormKind(wb[L.SHEET_CONFIG][L.CONFIG.kind].value)).indicator_rows
    helper_cols = set(L.HELPER_COLS.values())
    block = {L.COL_PY_SCORE, L.COL_PY_READING, L.COL_PY_BAND}
    for row in ws.iter_rows():
        for c in row:
            if not hasattr(c, "column_letter"):  # the covered part of a merged range
                continue
            v = c.value
            if isinstance(v, ArrayFormula):
                ws[c.coordinate] = ArrayFormula(v.ref, _drop_fallbacks(v.text))
            elif c.column_letter in helper_cols:
                c.value = None
            elif c.column_letter in block and c.data_type != "f" and c.row in rows:
                c.value = None  # the array's other results: only the formula may give them
            elif c.data_type == "f" and isinstance(v, str):
                c.value = _drop_fallbacks(v)
    wb.save(path)
    return path
