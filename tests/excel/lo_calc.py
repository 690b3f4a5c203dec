"""Run by LibreOffice's Python (python3-uno), not by pytest: recalculate workbooks, macros never run.

    python3 lo_calc.py SOFFICE PROFILE_DIR REQUEST_JSON_FILE OUTPUT_JSON_FILE

REQUEST: {"files": [{"file": path, "ranges": {sheet: "A1:AC69", …}, "macros": false,
"formulas": {sheet: {cell: "=…"}}}, …]}. Each workbook is loaded with MacroExecutionMode =
NEVER_EXECUTE (0) — what a viewer without our add-in does; "macros": true loads it with
ALWAYS_EXECUTE_NO_WARN (4), so its VBA project runs — the given formulas are put in, then
`calculateAll()` recalculates every formula, and the values of each range are written out:
{"files": [{"loaded": bool, "seconds": calc time, "ranges": {sheet: {"first": [row, col],
"values": rows of values, "errors": {"N10": "#NAME?"…}}}}]}. Numbers come back as floats, text as
text (a formula's "" as ""), error results by cell. LibreOffice is started privately (own
profile, a named pipe) and ended before the script exits.
"""

from __future__ import annotations

import json
import re
import sys
import time

from lo_office import load, office  # type: ignore[import-not-found]  (this script's own folder)

ERROR_RESULT = 4  # com.sun.star.sheet.FormulaResult.ERROR
_ERROR_NAMES = {503: "#NUM!", 504: "#VALUE!", 507: "#N/A", 508: "#VALUE!", 511: "#VALUE!",
                522: "#VALUE!", 524: "#REF!", 525: "#NAME?", 532: "#DIV/0!", 32767: "#N/A"}



def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _range_values(sheet, ref: str) -> dict:
    m = re.match(r"([A-Z]+)(\d+):([A-Z]+)(\d+)$", ref)
    assert m, ref
    first_col, first_row = _column_number(m.group(1)), int(m.group(2))
    rng = sheet.getCellRangeByName(ref)
    values = [list(row) for row in rng.getDataArray()]
    errors = {}
    found = rng.queryFormulaCells(ERROR_RESULT)
    for address in found.getRangeAddresses():
        for row in range(address.StartRow, address.EndRow + 1):
            for col in range(address.StartColumn, address.EndColumn + 1):
                cell = sheet.getCellByPosition(col, row)
                code = cell.getError()
                errors[f"{_column_letters(col + 1)}{row + 1}"] = _ERROR_NAMES.get(code, f"Err:{code}")
    return {"first": [first_row, first_col], "values": values, "errors": errors}


def main() -> int:
    soffice, profile, request_file, output_file = sys.argv[1:5]
    with open(request_file, encoding="utf-8") as fh:
        request = json.load(fh)
    out: dict[str, list] = {"files": []}
    with office(soffice, profile) as desktop:
        for item in request["files"]:
            doc = load(desktop, item["file"], macros=bool(item.get("macros")))
            if doc is None:
                out["files"].append({"loaded": False})
                continue
            for sheet, cells in item.get("formulas", {}).items():
                for ref, formula in cells.items():
                    doc.Sheets.getByName(sheet).getCellRangeByName(ref).setFormula(formula)
            start = time.monotonic()
            doc.calculateAll()
            seconds = time.monotonic() - start
            ranges = {sheet: _range_values(doc.Sheets.getByName(sheet), ref) for sheet, ref in item["ranges"].items()}
            out["files"].append({"loaded": True, "seconds": seconds, "ranges": ranges})
            doc.close(True)
    with open(output_file, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
