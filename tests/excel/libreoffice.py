"""LibreOffice headless for the tests: find it, and recalculate workbooks with macros never run.

`recalculate` hands the files to lo_calc.py, run by a Python that has the uno module
(Debian's python3-uno: the system interpreter, not the test's virtual environment), and gives
back what LibreOffice computed, cell by cell. `unavailable()` says why that cannot run here, so
a test can skip with the reason.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CALC = Path(__file__).with_name("lo_calc.py")


@functools.cache
def uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if not candidate or Path(candidate).resolve() == Path(sys.executable).resolve():
            continue
        done = subprocess.run([candidate, "-c", "import uno"], check=False, capture_output=True, timeout=60)
        if done.returncode == 0:
            return candidate
    return None


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def unavailable() -> str | None:
    """Why LibreOffice cannot be driven here (None when it can)."""
    if soffice() is None:
        return "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui python3-uno"
    if uno_python() is None:
        return "no Python with the uno module (python3-uno) besides the test interpreter"
    return None


@dataclass
class Computed:
    """What LibreOffice shows in one range after recalculating: cell → value."""

    values: dict[str, object]
    seconds: float

    def __getitem__(self, ref: str) -> object:
        return self.values[ref]


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def recalculate(files: list[tuple[Path, dict[str, str]]], profile_dir: Path | None = None, *,
                macros: bool = False, formulas: dict[str, dict[str, str]] | None = None) -> list[dict[str, Computed]]:
    """For each (workbook, {sheet: "A1:AC69"}): {sheet: Computed} after calculateAll().

    macros: run the workbook's VBA project (LibreOffice compiles it); formulas: {sheet: {cell:
    formula}} typed in before the recalculation.
    """
    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    with tempfile.TemporaryDirectory() as tmp:
        request, output = Path(tmp) / "request.json", Path(tmp) / "output.json"
        request.write_text(json.dumps({"files": [{"file": str(p), "ranges": r, "macros": macros,
                                                  "formulas": formulas or {}} for p, r in files]}),
                           encoding="utf-8")
        profile = profile_dir or Path(tmp) / "profile"
        done = subprocess.run([uno_python(), str(CALC), soffice(), str(profile), str(request), str(output)],
                              check=False, capture_output=True, timeout=900, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        result = json.loads(output.read_text(encoding="utf-8"))
    out = []
    for item in result["files"]:
        if not item["loaded"]:
            raise RuntimeError("LibreOffice could not open the workbook (is Calc installed?)")
        sheets = {}
        for sheet, data in item["ranges"].items():
            first_row, first_col = data["first"]
            values: dict[str, object] = {}
            for i, row in enumerate(data["values"]):
                for j, v in enumerate(row):
                    values[f"{_letters(first_col + j)}{first_row + i}"] = v
            values.update(data["errors"])
            sheets[sheet] = Computed(values, item["seconds"])
        out.append(sheets)
    return out
