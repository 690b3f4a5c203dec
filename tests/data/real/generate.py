"""Write every corpus form of `forms/` to `xlsx/<id>.xlsx`, byte-reproducibly.

    python tests/data/real/generate.py          # (re)write all
    python tests/data/real/generate.py ID ...   # only these forms
    python tests/data/real/generate.py --check  # fail when a committed file is out of date

Every run also checks each form's EXPECT for slips (texts not on their row, sums that do not add).
"""

from __future__ import annotations

import importlib
import io
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.data.real.dsl import C, Sheet  # noqa: E402

FORMS = HERE / "forms"
OUT = HERE / "xlsx"


def form_ids() -> list[str]:
    return sorted(p.stem for p in FORMS.glob("*.py") if not p.name.startswith("_"))


def load(form_id: str):
    return importlib.import_module(f"tests.data.real.forms.{form_id}")


def _put(ws, row: int, col: int, value: object) -> None:
    if value is None:
        return
    cell = ws.cell(row=row, column=col)
    if isinstance(value, C):
        if value.formula:
            cell.value = value.formula
        else:
            cell.value = float(value.value) if isinstance(value.value, Decimal) else value.value
        if value.fmt:
            cell.number_format = value.fmt
    elif isinstance(value, Decimal):
        cell.value = float(value)
    else:
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that starts with "=" (a target "=8个"), not a formula


def build(module) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in module.SHEETS:
        assert isinstance(sheet, Sheet)
        ws = wb.create_sheet(sheet.name)
        for i, row in enumerate(sheet.rows):
            for j, value in enumerate(row):
                _put(ws, sheet.first_row + i, sheet.first_col + j, value)
        for rng in sheet.merges:
            ws.merge_cells(rng)
        for col, width in sheet.widths.items():
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
    wb.properties.creator = "perfeval real-form corpus"
    from datetime import datetime

    stamp = datetime(2024, 1, 1)
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return _reproducible(buf.getvalue())


def _reproducible(data: bytes) -> bytes:
    """Fixed zip timestamps and docProps dates, so regenerating changes nothing."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", body)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)
    return out.getvalue()


def _shown(value: object) -> str:
    from decimal import Decimal as D

    if isinstance(value, C):
        v = value.value
        if value.fmt and "%" in value.fmt and isinstance(v, D):
            text = format((v * 100).normalize(), "f")
            return text + "%"
        value = v
    if value is None:
        return ""
    if isinstance(value, D):
        return format(value.normalize(), "f")
    return " ".join(str(value).split())


def check_expect(module) -> list[str]:
    """Arithmetic and placement checks of a form's EXPECT (catches typing slips)."""
    from decimal import ROUND_HALF_UP

    e = module.EXPECT
    out = []
    sheet = module.SHEETS[0]
    cells: dict[int, list[str]] = {}
    for s in module.SHEETS:
        for i, row in enumerate(s.rows):
            cells.setdefault(s.first_row + i, []).extend(_shown(v) for v in row if v is not None)
    for ind in e.indicators:
        texts = cells.get(ind.row, [])
        joined = "".join(texts)
        for what in (ind.level3, ind.target, ind.actual, ind.weight, ind.score):
            # A target typed over split columns (指标性质 | 指标值 | 度量单位) is their concatenation.
            ok = " ".join(what.split()) in texts or (what is ind.target and "".join(what.split()) in joined)
            if what and not ok:
                out.append(f"row {ind.row}: {what!r} is not a cell of that row ({texts})")
    hand = [i.hand for i in e.indicators if i.hand is not None]
    total = (sum(hand, Decimal(0)) + e.execution_score).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if total != e.hand_total and not getattr(module, "DEDUCTIONS", None):
        out.append(f"hand_total {e.hand_total} != Σhand + execution = {total}")
    none = sum(1 for i in e.indicators if i.hand is None)
    if none != e.provisional:
        out.append(f"provisional {e.provisional} != rows without a hand score {none}")
    for i in e.indicators:
        if i.hand is not None and i.weight:
            try:
                w = Decimal(i.weight)
            except Exception:  # noqa: BLE001
                continue
            if i.hand > w or i.hand < 0:
                out.append(f"row {i.row}: hand score {i.hand} outside 0..{w}")
    grade = "优" if e.hand_total >= 90 else "良" if e.hand_total >= 80 else "中" if e.hand_total >= 60 else "差"
    if grade != e.hand_grade:
        out.append(f"hand_grade {e.hand_grade} but {e.hand_total} is {grade}")
    for attr in ("SOURCE", "PROVINCE", "UNIT", "KIND", "YEAR", "SPLIT"):
        if not getattr(module, attr, None):
            out.append(f"{attr} missing")
    if getattr(module, "SPLIT", "") not in ("tune", "holdout"):
        out.append("SPLIT must be tune or holdout")
    del sheet
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    only = [a for a in argv if not a.startswith("--")]
    OUT.mkdir(exist_ok=True)
    stale = []
    bad = 0
    for fid in only or form_ids():
        module = load(fid)
        for problem in check_expect(module):
            print(f"{fid}: {problem}", file=sys.stderr)
            bad += 1
        data = build(module)
        path = OUT / f"{fid}.xlsx"
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(fid)
        else:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
