"""Build the document and converted-spreadsheet test data (committed; needs LibreOffice).

    python tests/data/documents/build.py            # everything
    python tests/data/documents/build.py --docx     # only the seed .docx (no LibreOffice needed)
    python tests/data/documents/build.py --spreadsheets   # only the .xls/.ods copies

Writes
- `documents/zhengning-rsj-2023.docx`: the seed 自评报告 (`tests/data/seed-zhengning-rsj-2023.txt`)
  as a Word document built with python-docx — the red-head, the 文号, the report body with its
  headings as published (some in Word heading styles, some as bold paragraphs, some inline
  "（一）存在问题：…"), the signature, and the 自评表 as a table with the seed's merged cells
  (`w:gridSpan` / `w:vMerge`), its title paragraph above and the 注 below. The table's cells are
  those of `legacy/zhengning-rsj-2023.xlsx` as displayed (that workbook was typed from the same
  seed); every row is checked against the seed text before anything is written.
- `documents/zhengning-rsj-2023.pdf` and `.doc`: that document converted by LibreOffice headless.
- `converted/<name>.xls` and `.ods`: `legacy/zhengning-rsj-2023.xlsx` and every
  `real/xlsx/*.xlsx`, converted by LibreOffice headless.

LibreOffice output is not byte-reproducible (it stamps dates), so the files are committed and
the tests compare what is read from them, not their bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
ROOT = DATA.parents[1]
SEED_TEXT = DATA / "seed-zhengning-rsj-2023.txt"
SEED_XLSX = DATA / "legacy" / "zhengning-rsj-2023.xlsx"
CONVERTED = DATA / "converted"
DOCX = HERE / "zhengning-rsj-2023.docx"

_TABLE_TITLE = "2023年度部门（单位）整体支出绩效自评表"
_END_PUNCT = tuple("。；：！？”）)")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")


# ------------------------------------------------------------------------------------ the body


def body_paragraphs(text: str) -> list[tuple[str, str]]:
    """(kind, text) of the report body in the seed, page breaks joined.

    kind: "head" (the red-head), "title", "h1" / "h2" / "h3" (headings), "p", "sign".
    """
    lines = text.split("\n")
    end = lines.index(_TABLE_TITLE)
    out: list[tuple[str, str]] = []
    for raw in lines[:end]:
        line = raw.strip()
        if not line or line == "---":
            continue
        kind = "p"
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            line = line.lstrip("#").strip()
            kind = {1: "head", 2: "h?", 3: "h?", 4: "h?"}.get(level, "h?")
            if "自评报告" in line:
                kind = "title"
            elif kind == "h?":
                kind = _heading_kind(line)
        if out and kind == "p" and _continues(out[-1], line):
            out[-1] = (out[-1][0], out[-1][1] + line)
            continue
        out.append((kind, line))
    return out


def _heading_kind(line: str) -> str:
    if re.match(r"^[一二三四五六七八九十]+、", line):
        return "h1"
    if re.match(r"^\d+\.", line):
        return "h3"
    return "h2"


def _continues(previous: tuple[str, str], line: str) -> bool:
    kind, text = previous
    if kind != "p" or len(text) <= 20 or _DATE.match(line):
        return False
    return not text.endswith(_END_PUNCT)


def _table_rows_from_seed(text: str) -> list[list[str]]:
    lines = text.split("\n")
    start = lines.index(_TABLE_TITLE) + 1
    rows = []
    for line in lines[start:]:
        if line.startswith("其他需要说明的问题"):
            rows.append([line.strip()])
            break
        fields = [f.strip() for f in line.split("\t") if f.strip()]
        if fields:
            rows.append(fields)
    return rows


def _notes_from_seed(text: str) -> list[str]:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("其他需要说明的问题"))
    return [line.strip() for line in lines[start + 1:] if line.strip()]


# ------------------------------------------------------------------------------------ the table


def _shown(cell) -> str:
    from perfeval.core.decimal_math import fmt_decimal, to_decimal

    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        d = to_decimal(value)
        if "%" in (cell.number_format or ""):
            return f"{fmt_decimal(d * 100)}%"
        return fmt_decimal(d)
    return str(value)


def table_cells() -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The workbook's form below its title row, as displayed, and its merges (1-based, table rows)."""
    import openpyxl

    wb = openpyxl.load_workbook(SEED_XLSX)
    ws = wb.worksheets[0]
    rows = [[_shown(ws.cell(r, c)) for c in range(1, ws.max_column + 1)]
            for r in range(2, ws.max_row + 1)]
    merges = [(m.min_row - 1, m.min_col, m.max_row - 1, m.max_col) for m in ws.merged_cells.ranges
              if m.min_row > 1]
    return rows, sorted(merges)


def check_table_against_seed(rows: list[list[str]], seed: list[list[str]]) -> None:
    """Every row of the table says what the seed's row says, in the same order."""
    def bare(texts):
        return [re.sub(r"\s+", "", t) for t in texts if t.strip()]

    if len(rows) != len(seed):
        raise SystemExit(f"table has {len(rows)} rows, the seed {len(seed)}")
    for i, (ours, theirs) in enumerate(zip(rows, seed, strict=True), 1):
        if bare(ours) != bare(theirs):
            raise SystemExit(f"table row {i} differs from the seed:\n  {bare(ours)}\n  {bare(theirs)}")


# ------------------------------------------------------------------------------------ the docx


def build_docx(out: Path = DOCX) -> Path:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    text = SEED_TEXT.read_text(encoding="utf-8")
    rows, merges = table_cells()
    check_table_against_seed(rows, _table_rows_from_seed(text))

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for name in ("Heading 1", "Heading 3", "Title"):
        doc.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Sans CJK SC")

    def para(content: str, *, bold: bool = False, align=None, style: str | None = None, size=None,
             color=None, indent: bool = True):
        p = doc.add_paragraph(style=style)
        if align is not None:
            p.alignment = align
        if indent and style is None and align is None:
            p.paragraph_format.first_line_indent = Pt(24)
        # "**lead-in：**rest" keeps its bold lead-in as a bold run, as the seed shows it.
        for i, piece in enumerate(content.split("**")):
            if not piece:
                continue
            run = p.add_run(piece)
            run.bold = bold or i % 2 == 1
            if size:
                run.font.size = size
            if color:
                run.font.color.rgb = color
        return p

    body = body_paragraphs(text)
    signature = [i for i, (_k, t) in enumerate(body) if t == "正宁县人力资源和社会保障局"]
    for i, (kind, content) in enumerate(body):
        if kind == "head":
            para(content, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(26), color=RGBColor(0xC0, 0, 0))
        elif kind == "title":
            para(content.replace("**", ""), style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "h1":
            doc.add_paragraph(content, style="Heading 1")
        elif kind == "h3":
            doc.add_paragraph(content, style="Heading 3")
        elif kind == "h2":
            para(content, bold=True)
        elif i in signature or _DATE.match(content) or content.startswith("(共印"):
            if i == signature[-1]:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            para(content, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif content.startswith("正人社发"):
            para(content, align=WD_ALIGN_PARAGRAPH.CENTER)
        else:
            para(content, indent=not content.endswith("："))

    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for s in doc.sections:
        s.left_margin = s.right_margin = Cm(2)
    para(_TABLE_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(16))
    ncols = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Cm(2.6), Cm(2.6), Cm(4.2), Cm(5.2), Cm(2.4), Cm(1.6), Cm(1.6), Cm(3.6))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.width = widths[c % len(widths)]
            if value:
                cell.paragraphs[0].add_run(value).font.size = Pt(9)
    for r1, c1, r2, c2 in merges:
        anchor = table.cell(r1 - 1, c1 - 1)
        anchor.merge(table.cell(r2 - 1, c2 - 1))
    # Word repeats the header rows on every page only when asked; the seed's printout does not.
    for note in _notes_from_seed(text):
        para(note, size=Pt(9))

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.author = "perfeval tests"
    doc.save(out)
    return out


# ------------------------------------------------------------------------------------ LibreOffice


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, fmt: str, outdir: Path) -> Path:
    """`soffice --convert-to fmt`, with a profile of its own so it runs beside another soffice."""
    exe = soffice()
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is needed to convert; install libreoffice-writer-nogui "
                         "libreoffice-calc-nogui")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), str(source)],
                       check=True, capture_output=True, timeout=300)
    made = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    if not made.exists():
        raise SystemExit(f"LibreOffice did not write {made}")
    return made


def convert_many(sources: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """Several files in one LibreOffice start (a start costs seconds; a file, a fraction)."""
    exe = soffice()
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is needed to convert")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)],
                       check=True, capture_output=True, timeout=600)
    return [outdir / f"{s.stem}.{fmt}" for s in sources]


def spreadsheet_sources() -> list[Path]:
    return [SEED_XLSX, *sorted((DATA / "real" / "xlsx").glob("*.xlsx"))]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    if "--spreadsheets" in argv:  # only the .xls/.ods copies (e.g. after the corpus grew)
        for fmt in ("xls", "ods"):
            for made in convert_many(spreadsheet_sources(), fmt, CONVERTED):
                print(f"wrote {made.relative_to(ROOT)}")
        return 0
    docx_path = build_docx()
    print(f"wrote {docx_path.relative_to(ROOT)}")
    if "--docx" in argv:
        return 0
    for fmt in ("pdf", "doc"):
        print(f"wrote {convert(docx_path, fmt, HERE).relative_to(ROOT)}")
    for fmt in ("xls", "ods"):
        for made in convert_many(spreadsheet_sources(), fmt, CONVERTED):
            print(f"wrote {made.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main(sys.argv[1:]))
