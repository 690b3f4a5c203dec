"""A direct reader of .xlsx packages: cell values, types, number formats, cached results.

openpyxl builds an object per cell, per style and per merged range, and importing it (with numpy
behind it) costs more than reading a form. The reader needs only what a cell holds, whether it
is a formula, and its number format, so it collects exactly that *during the safety scan*:
`safe_open.scan_workbook_bytes` streams every XML part through expat once with its refusals (no
DTD or entities, bounded sizes and counts), and for the parts this module reads (workbook,
relationships, shared strings, styles, worksheets) the scan also collects the content. No part
is parsed twice, and a real XML parser handles what real tools write: any namespace prefix,
strict OOXML, UTF-16 or ISO-8859-1 parts, CDATA and comments inside text.

Anything it cannot make sense of raises `PackageUnreadable`, after which the reader falls back
to openpyxl (guarded there). A test compares both paths on generated forms.
"""

from __future__ import annotations

import contextlib
import gc
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from . import safe_open
from .safe_open import DEFAULT_LIMITS, InputFileError, Limits

__all__ = [
    "CellView",
    "ErrorText",
    "PackageBook",
    "PackageUnreadable",
    "clean_text",
    "excel_date_text",
    "is_date_format",
    "read_cached_values",
]


class ErrorText(str):
    """The text of an error cell (t="e", "#NAME?"): told apart from a string that looks like one,
    so that writing a cached result back keeps an error an error and a string a string."""

    __slots__ = ()


class PackageUnreadable(ValueError):
    """Something this reader does not handle; the caller uses openpyxl instead."""


@dataclass(slots=True)
class CellView:
    value: object = None
    data_type: str = "n"  # n s b e f, and d for a date (value: ISO text, or #VALUE! when impossible)
    number_format: str = "General"


# ------------------------------------------------------------------------------ number formats

# ECMA-376 Part 1, 18.8.30 (the ids openpyxl knows), plus the East Asian date ids that zh-CN
# Excel writes without declaring them (27–36, 50–58 are dates there).
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)', 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?",
    13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_)_("$"* \\(#,##0.00\\)_("$"* "-"??_)_(@_)', 45: "mm:ss", 46: "[h]:mm:ss",
    47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_EAST_ASIAN_DATE_IDS = frozenset({*range(27, 37), *range(50, 59)})
_EAST_ASIAN_DATE = 'yyyy"年"m"月"d"日"'

# The same test openpyxl applies (styles/numbers.py), so both paths agree on what is a date.
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)


def is_date_format(fmt: str | None) -> bool:
    if not fmt:
        return False
    return _DATE_CHAR.search(_STRIP.sub("", fmt.split(";")[0])) is not None


_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_MAX_SERIAL = 2958466  # 9999-12-31 is the last day Excel shows


def excel_date_text(value: float, *, date1904: bool = False, fmt: str = "") -> str:
    """What a date-formatted number shows as a date, in ISO form ("#VALUE!" when no date can be;
    openpyxl's from_excel, so both readers agree)."""
    if value != value or not -_MAX_SERIAL < value < _MAX_SERIAL:
        return "#VALUE!"
    try:
        if _TIMEDELTA.search(fmt.split(";")[0]):
            td = timedelta(days=value)
            if td.microseconds:
                td = timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
            return str(td)
        epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
        day, fraction = divmod(value, 1)
        diff = timedelta(milliseconds=round(fraction * 86_400_000))
        if 0 <= value < 1 and diff.days == 0:
            return (datetime.min + diff).time().isoformat()
        if 0 < value < 60 and not date1904:
            day += 1  # Excel's 1900 leap-year bug
        return (epoch + timedelta(days=day) + diff).isoformat()
    except (OverflowError, ValueError):
        return "#VALUE!"


# ------------------------------------------------------------------------------ text

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATES = re.compile("[\ud800-\udfff]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def clean_text(s: str) -> str:
    """Undo OOXML's _xHHHH_ escapes (as openpyxl does) and make the result a valid string: an
    escaped surrogate pair becomes its character, a lone surrogate U+FFFD (it cannot be encoded,
    so every output would fail on it)."""
    if "_x" in s:
        s = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), s)
    if _SURROGATES.search(s):
        s = _PAIR.sub(lambda m: chr(0x10000 + ((ord(m.group(0)[0]) - 0xD800) << 10)
                                    + ord(m.group(0)[1]) - 0xDC00), s)
        s = _SURROGATES.sub("\ufffd", s)
    return s


# -- shared formulas (a formula filled down a column, stored once: <f t="shared" si="0" ref="Q10:Q69">)

_FORMULA_TOKEN = re.compile(
    r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'|(?<![A-Za-z0-9_.$])(\$?)([A-Z]{1,3})(\$?)([0-9]+)(?![0-9A-Za-z_(])')
_REF_PARTS = re.compile(r"([A-Z]+)([0-9]+)")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _formula_pieces(formula: str) -> _Pieces:
    """A formula split into text and cell references (col_abs + letters, column number, row_abs,
    row), once per shared formula: shifting each of its cells is then a join."""
    pieces = _Pieces()
    at = 0
    for m in _FORMULA_TOKEN.finditer(formula):
        if m.group(2) is None:  # a string literal or a quoted sheet name stays text
            continue
        pieces.append(formula[at:m.start()])
        col_abs, col, row_abs, row = m.groups()
        pieces.append((col_abs + col, 0 if col_abs else _column_number(col), row_abs, int(row)))
        at = m.end()
    pieces.append(formula[at:])
    return pieces


class _Pieces(list):
    """A shared formula's pieces, with a str.format template for shifts down a column (the
    common case), made on the first such shift: the rows that move become the only slots."""

    row_template: tuple[str, list[int]] | None = None

    def down(self, rows: int) -> str:
        if self.row_template is None:
            text, moving = [], []
            for piece in self:
                if isinstance(piece, str):
                    text.append(piece.replace("{", "{{").replace("}", "}}"))
                else:
                    letters, _, row_abs, row = piece
                    if row_abs:
                        text.append(f"{letters}{row_abs}{row}")
                    else:
                        text.append(letters + "{}")
                        moving.append(row)
            self.row_template = ("".join(text), moving)
        template, moving = self.row_template
        return template.format(*[row + rows for row in moving])


def _shifted(pieces: _Pieces, rows: int, columns: int) -> str:
    if not columns:
        return pieces.down(rows)
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        letters, col, row_abs, row = piece
        if columns and col:  # column number 0: a $-fixed column, which never moves
            letters = _column_letter(col + columns)
        out.append(f"{letters}{row_abs}{row if row_abs else row + rows}")
    return "".join(out)


def shift_formula(formula: str, rows: int, columns: int = 0) -> str:
    """A shared formula's text as it reads in a cell `rows` below and `columns` right of the
    first cell: relative references move, $-fixed ones and text in quotes do not."""
    return _shifted(_formula_pieces(formula), rows, columns)


def _number(text: str) -> int | float | None:
    """A <v> of a numeric cell; None when it is no number Excel could hold (NaN, inf, hex …)."""
    try:
        if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
            return int(text)
        f = float(text)
    except ValueError:
        return None
    return f if f - f == 0 else None  # NaN and ±inf fail this


# ------------------------------------------------------------------------------ collecting scans


class _Wanted:
    """Which worksheet parts to collect: those of the wanted titles (all when None). The workbook
    part and then its relationships are scanned before any other part, so both are known when
    the first sheet is reached."""

    def __init__(self, titles: frozenset[str] | None, columns: dict[str, str] | None = None) -> None:
        self.titles = titles
        self.columns = columns or {}  # title → last column to keep (the rest is only counted)
        self.workbook: _CollectingScan | None = None
        self.rels: _CollectingScan | None = None
        self._parts: dict[str, str] | None = None  # part → title

    def wants(self, part: str) -> bool:
        if self.titles is None and not self.columns:
            return True
        if self._parts is None:
            wb, rels = self.workbook, self.rels
            targets = dict((rid, t) for rid, t, mode in rels.rels if mode != "External") if rels else {}
            base = posixpath.dirname(wb.part) if wb else "xl"
            self._parts = {_resolve(base, targets[rid]): clean_text(title) for title, rid in (wb.sheets if wb else ())
                           if rid in targets}
        title = self._parts.get(part)
        return self.titles is None or title in self.titles

    def last_column(self, part: str) -> str | None:
        if not self.columns or self._parts is None:
            return None
        return self.columns.get(self._parts.get(part, ""))


class _CollectingScan(safe_open._XmlScan):
    """The safety scan of one part that also keeps what the reader needs from it."""

    def __init__(self, part: str, limits: Limits, totals, wanted: _Wanted) -> None:
        super().__init__(part, limits, totals)
        self.wanted = wanted
        self.collected = False
        self.is_styles = False

    def close(self) -> None:
        super().close()
        self._check = None  # a bound method of ours: a cycle that would keep every cell alive

    def _root(self, name: str, attrs: dict[str, str]) -> None:
        super()._root(name, attrs)
        ns, _, local = name.rpartition(" ")
        prefix = f"{ns} " if ns else ""
        p = self._parser
        if self.kind == "workbook" and self.wanted.workbook is None:
            self.wanted.workbook = self
        elif self.kind == "rels" and self.wanted.rels is None and self.wanted.workbook is not None:
            self.wanted.rels = self
        if self.kind == "sheet" and self.wanted.wants(self.part):
            self.collected = True
            self._check = p.StartElementHandler
            self._max_cells, self._row_digits = self.limits.max_cells, len(str(self.limits.max_rows))
            self.cells: list[tuple] = []
            self.protected = False
            self._names = {prefix + k: k for k in ("c", "v", "f", "is", "t", "rPh", "sheetProtection",
                                                   *_CHECKED)}
            self._row_no, self._last = 0, ""
            self.last_column = self.wanted.last_column(self.part)  # beyond it, cells are only counted
            self._limit = (len(self.last_column), self.last_column) if self.last_column else None
            self._cur: list | None = None
            self._buf: list[str] | None = None
            self._slot = 0
            self._rph = 0
            p.buffer_text = True
            p.StartElementHandler = self._sheet_start
            p.CharacterDataHandler = self._chars
        elif self.kind == "sst":
            self._check = p.StartElementHandler
            self.shared: list[str] = []
            self._names = {prefix + k: k for k in ("si", "t", "rPh")}
            self._parts: list[str] = []
            self._buf = None
            self._rph = 0
            p.buffer_text = True
            p.StartElementHandler = self._sst_start
            p.EndElementHandler = self._sst_end
            p.CharacterDataHandler = self._chars
        elif self.kind == "workbook":
            self._check = p.StartElementHandler
            self.states: list[str] = []
            self.lock_structure = False
            self.date1904 = False
            self._names = {prefix + k: k for k in ("sheet", "workbookProtection", "workbookPr")}
            p.StartElementHandler = self._workbook_start
        elif self.kind == "other" and local == "styleSheet":
            self.is_styles = True  # the kind stays "other": its elements are counted as such
            self.custom: dict[int, str] = {}
            self.xf_formats: list[int] = []
            self._in_xfs = False
            self._names = {prefix + k: k for k in ("numFmt", "cellXfs", "xf")}
            p.StartElementHandler = self._styles_start
            p.EndElementHandler = self._styles_end

    def _chars(self, data: str) -> None:
        if self._buf is not None:
            self._buf.append(data)

    # -- worksheets ----------------------------------------------------------------------------
    # A cell ends where the next cell, row or other sheet element starts, so no callback is
    # needed for </c>; only the text elements (v, f, t) and a phonetic run (rPh) install an end
    # handler while they are open. Per element, expat's callbacks are the reader's main cost.

    def _sheet_start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self._names.get(name)
        if tag is None:
            return
        if tag == "c":
            if self._cur is not None:
                self._flush()
            # The safety scan's count of cells, inline: this is the hot path.
            totals = self.totals
            totals.cells += 1
            if totals.cells > self._max_cells:
                self._too_many_cells()
            ref = attrs.get("r")
            if ref:
                if len(ref) > self._row_digits:
                    self._check_row_number(ref.lstrip(safe_open._COLUMN_CHARS))
                self._last = ref
                if not ref.isupper() or "$" in ref:
                    ref = ref.upper().replace("$", "")
            else:  # positions are implicit: the next column of the current row
                ref = self._next_ref()
            limit = self._limit
            if limit is not None:
                letters = ref.rstrip("0123456789")
                if len(letters) > limit[0] or (len(letters) == limit[0] and letters > limit[1]):
                    return  # a hidden working column: its <f>/<v> find no open cell and are skipped
            self._cur = [ref, attrs.get("s"), attrs.get("t", "n"), None, None, None, None]
            return
        if self._cur is None:
            if tag in _CHECKED:
                self._check(name, attrs)
                if tag == "row":
                    r = attrs.get("r")
                    self._row_no = int(r) if r and r.isdigit() else self._row_no + 1
                    self._last = ""
            elif tag == "sheetProtection":
                self.protected = attrs.get("sheet") in ("1", "true")
            return
        if tag == "v":
            self._open_text(3)
        elif tag == "f":
            if attrs.get("t") == "shared":
                self._cur[6] = attrs.get("si", "")
            self._open_text(4)
        elif tag == "t":
            if not self._rph:
                self._open_text(5)
        elif tag == "is":
            self._cur[5] = []
        elif tag == "rPh":
            self._rph += 1
            self._parser.EndElementHandler = self._rph_end
        else:  # row, sheetProtection, …: the cell is complete
            self._flush()
            self._sheet_start(name, attrs)

    def _open_text(self, slot: int) -> None:
        self._buf, self._slot = [], slot
        self._parser.EndElementHandler = self._text_end

    def _text_end(self, name: str) -> None:
        # v, f and t hold only text: the first end tag after one opens is its own.
        if self._buf is None or self._cur is None:  # a hostile nesting closed the cell first
            self._buf = None
            self._parser.EndElementHandler = self._rph_end if self._rph else None
            return
        text = "".join(self._buf)
        if self._slot == 5:
            if self._cur[5] is None:
                self._cur[5] = []
            self._cur[5].append(text)
        else:
            self._cur[self._slot] = text
        self._buf = None
        self._parser.EndElementHandler = self._rph_end if self._rph else None

    def _rph_end(self, name: str) -> None:
        if self._names.get(name) == "rPh":
            self._rph -= 1
            if not self._rph:
                self._parser.EndElementHandler = None

    def _flush(self) -> None:
        cur = self._cur
        if cur[3] is not None or cur[4] is not None or cur[5] is not None:  # not just a style
            self.cells.append(tuple(cur))
        self._cur = None
        self._buf = None

    def _next_ref(self) -> str:
        col = 0
        for ch in self._last.upper():
            if "A" <= ch <= "Z":
                col = col * 26 + ord(ch) - 64
            elif ch != "$":
                break
        ref = _column_letter(col + 1) + str(self._row_no)
        self._last = ref
        return ref

    # -- shared strings ------------------------------------------------------------------------
    def _sst_start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self._names.get(name)
        if tag == "si":
            self.strings += 1  # the safety scan's count, inline
            if self.strings > self.limits.max_shared_strings:
                self._too_many_strings()
            self._parts = []
        elif tag == "t":
            if not self._rph:
                self._buf = []
        elif tag == "rPh":
            self._rph += 1

    def _sst_end(self, name: str) -> None:
        tag = self._names.get(name)
        if tag == "si":
            self.shared.append(clean_text("".join(self._parts)))
        elif tag == "t":
            if self._buf is not None:
                self._parts.append("".join(self._buf))
                self._buf = None
        elif tag == "rPh":
            self._rph -= 1

    # -- workbook ------------------------------------------------------------------------------
    def _workbook_start(self, name: str, attrs: dict[str, str]) -> None:
        self._check(name, attrs)
        tag = self._names.get(name)
        if tag == "sheet":
            self.states.append(attrs.get("state", "visible"))
        elif tag == "workbookProtection":
            self.lock_structure = attrs.get("lockStructure") in ("1", "true")
        elif tag == "workbookPr":
            self.date1904 = attrs.get("date1904") in ("1", "true")

    # -- styles --------------------------------------------------------------------------------
    def _styles_start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self._names.get(name)
        if tag == "numFmt":
            fid = attrs.get("numFmtId", "")
            if fid.isdigit():
                self.custom[int(fid)] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            self._in_xfs = True
        elif tag == "xf" and self._in_xfs:
            fid = attrs.get("numFmtId", "0")
            self.xf_formats.append(int(fid) if fid.isdigit() else 0)

    def _styles_end(self, name: str) -> None:
        if self._names.get(name) == "cellXfs":
            self._in_xfs = False


# The sheet elements the safety scan counts or measures (safe_open._XmlScan._sheet_element).
_CHECKED = frozenset({"row", "dimension", "mergeCell", "hyperlink"})


def _column_letter(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


# ------------------------------------------------------------------------------ the book

_SST_TYPE = "/sharedStrings"
_STYLES_TYPE = "/styles"


class PackageBook:
    """The parts of a workbook package the template reader needs, read in the one safety pass."""

    def __init__(self, data: bytes, *, path: str | Path = "工作簿.xlsx", limits: Limits = DEFAULT_LIMITS,
                 sheets: Iterable[str] | None = None, columns: dict[str, str] | None = None):
        """Scan and read `data` (of the worksheets, only `sheets` when given). A package the scan
        refuses raises PackageUnreadable here (`PackageBook.checked` gives the refusal as the
        InputFileError it is)."""
        try:
            self._init(data, Path(path), limits, sheets, columns)
        except InputFileError as exc:
            raise PackageUnreadable(exc.message) from exc

    @classmethod
    def checked(cls, path: str | Path, data: bytes, limits: Limits = DEFAULT_LIMITS, *,
                sheets: Iterable[str] | None = None, columns: dict[str, str] | None = None) -> PackageBook:
        """Scan and read; raises InputFileError for a file we refuse to open (PE9xx),
        PackageUnreadable for one the direct reader cannot read (openpyxl may). `columns` gives,
        by sheet title, the last column whose cells are kept (the others are scanned, not kept)."""
        book = cls.__new__(cls)
        book._init(data, Path(path), limits, sheets, columns)
        return book

    def _init(self, data: bytes, path: Path, limits: Limits, sheets: Iterable[str] | None,
              columns: dict[str, str] | None = None) -> None:
        if isinstance(data, zipfile.ZipFile):  # the writers' use: our own outputs
            fp = data.fp
            data = fp.getvalue() if hasattr(fp, "getvalue") else Path(data.filename).read_bytes()
        wanted = _Wanted(frozenset(sheets) if sheets is not None else None, columns)
        with _no_gc():
            pkg = safe_open.scan_workbook_bytes(
                path, data, limits, collecting=lambda part, lim, totals: _CollectingScan(part, lim, totals, wanted))
        wanted.workbook = wanted.rels = None  # no cycle between the scans and what chose them
        wb = pkg.scans[pkg.workbook_part]
        if not isinstance(wb, _CollectingScan) or wb.kind != "workbook":
            raise PackageUnreadable("workbook part not read")
        self.sheetnames = [clean_text(n) for n, _ in wb.sheets]
        self.sheet_states = dict(zip(self.sheetnames, wb.states))
        self.structure_locked = wb.lock_structure
        self.date1904 = wb.date1904
        rels = pkg.scans.get(pkg.rels_part)
        targets = {rid: (target, mode) for rid, target, mode in (rels.rels if rels else ())}
        types = rels.rel_types if rels else {}
        base = posixpath.dirname(pkg.workbook_part)
        self._parts: dict[str, str] = {}
        for (title, rid), clean in zip(wb.sheets, self.sheetnames):
            target, mode = targets.get(rid, ("", ""))
            if target and mode != "External":
                self._parts[clean] = _resolve(base, target)
        by_type = {types.get(rid, "").rsplit("/", 1)[-1]: _resolve(base, t)
                   for rid, (t, mode) in targets.items() if mode != "External"}
        sst = pkg.scans.get(by_type.get("sharedStrings") or posixpath.join(base, "sharedStrings.xml"))
        self._strings: list[str] = sst.shared if isinstance(sst, _CollectingScan) and sst.kind == "sst" else []
        styles = pkg.scans.get(by_type.get("styles") or posixpath.join(base, "styles.xml"))
        self._formats: list[str] = []
        if isinstance(styles, _CollectingScan) and styles.is_styles:
            for fid in styles.xf_formats:
                fmt = styles.custom.get(fid) or BUILTIN_FORMATS.get(fid)
                if fmt is None:
                    fmt = _EAST_ASIAN_DATE if fid in _EAST_ASIAN_DATE_IDS else "General"
                self._formats.append(clean_text(fmt))
        self._dates: list[bool] | None = None
        self.workbook_part = pkg.workbook_part
        self._scans = pkg.scans
        self._read: dict[str, tuple[dict[str, CellView], dict[str, object]]] = {}

    def _sheet(self, title: str) -> _CollectingScan:
        part = self._parts.get(title)
        scan = self._scans.get(part) if part else None
        if not isinstance(scan, _CollectingScan) or scan.kind != "sheet" or not scan.collected:
            raise PackageUnreadable(f"no worksheet part for sheet {title}")
        if scan._cur is not None:
            scan._flush()  # the last cell of the sheet
        return scan

    def sheet_protected(self, title: str) -> bool:
        return self._sheet(title).protected

    def cells(self, title: str, last_column: str | None = None) -> tuple[dict[str, CellView], dict[str, object]]:
        """(non-empty cells by address, cached results of formula cells), of the columns up to
        `last_column` when given (the form's hidden working columns need not be kept)."""
        kept = self._sheet(title).last_column
        if kept is not None and (last_column is None or _column_number(last_column) > _column_number(kept)):
            raise PackageUnreadable(f"{title}: only the columns up to {kept} were kept")
        key = (title, last_column)
        if key not in self._read:
            limit = _column_number(last_column) if last_column is not None else None
            with _no_gc():
                self._read[key] = self._resolve(self._sheet(title), limit)
        return self._read[key]

    def _resolve(self, scan: _CollectingScan,
                 limit: int | None = None) -> tuple[dict[str, CellView], dict[str, object]]:
        cells: dict[str, CellView] = {}
        cached: dict[str, object] = {}
        formats, strings, date1904 = self._formats, self._strings, self.date1904
        nformats = len(formats)
        if self._dates is None:
            self._dates = [is_date_format(f) for f in formats]
        dates = self._dates
        masters: dict[str, tuple[str, list | str]] = {}  # shared formulas of this sheet, by si
        for ref, s, kind, raw, formula, inline, shared in scan.cells:
            if limit is not None and _column_number(ref.rstrip("0123456789")) > limit:
                # Beyond the columns asked for (the form's hidden working columns, most of its
                # formulas): only a shared formula's first cell matters, for the cells it shifts to.
                if shared is not None and formula:
                    masters[shared] = (ref, formula)  # split into pieces only if a kept cell needs it
                continue
            if shared is not None and formula is not None:
                formula = _shared_text(masters, ref, shared, formula)
            fmt, is_date = "General", False
            if s is not None and nformats:
                if not s.isdigit():
                    raise PackageUnreadable(f"style index {s!r} at {ref}")
                i = int(s)
                if i < nformats:
                    fmt, is_date = formats[i], dates[i]
            dt = "n"
            value: object = None
            if kind == "inlineStr":
                value = clean_text("".join(inline)) if inline is not None else None
                dt = "s"
            elif raw is not None:
                if kind == "s":
                    text = raw.strip()
                    if not text.isdigit() or int(text) >= len(strings):
                        raise PackageUnreadable(f"shared string index {text[:20]!r} at {ref}")
                    value, dt = strings[int(text)], "s"
                elif kind == "e":
                    value, dt = ErrorText(clean_text(raw)), "e"
                elif kind == "str":
                    value, dt = clean_text(raw), "s"
                elif kind == "b":
                    value, dt = raw.strip() in ("1", "true"), "b"
                elif kind == "d":  # an ISO 8601 date cell (t="d")
                    value, dt = _iso_date(raw.strip()), "d"
                elif text := raw.strip():
                    number = _number(text)
                    if number is None:
                        value, dt = clean_text(text), "s"  # not a number Excel could hold: say it
                    elif is_date:
                        value, dt = excel_date_text(number, date1904=date1904, fmt=fmt), "d"
                    else:
                        value = number
            if formula is not None:
                cached[ref] = value if value != "" else None
                cells[ref] = CellView("=" + clean_text(formula), "f", fmt)
            elif value is not None:
                cells[ref] = CellView(value, dt, fmt)
        return cells, cached


def _shared_text(masters: dict[str, tuple[str, list | str]], ref: str, si: str, formula: str) -> str:
    """A shared formula's text in this cell: the first cell's (which carries it), shifted."""
    if formula:
        masters[si] = (ref, _formula_pieces(formula))
        return formula
    if si not in masters:
        raise PackageUnreadable(f"{ref}: shared formula {si} before its first cell")
    origin, pieces = masters[si]
    if isinstance(pieces, str):
        pieces = _formula_pieces(pieces)
        masters[si] = (origin, pieces)
    (oc, orow), (c, row) = _REF_PARTS.match(origin).groups(), _REF_PARTS.match(ref).groups()
    return _shifted(pieces, int(row) - int(orow), _column_number(c) - _column_number(oc))


@contextlib.contextmanager
def _no_gc():
    """Collect no garbage while building tens of thousands of small acyclic objects: the cyclic
    collector would run over the growing heap again and again (a third of the time of a
    30,000-row sheet)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _iso_date(text: str) -> str:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return "#VALUE!"


def _resolve(base: str, target: str) -> str:
    # Targets are relative to the workbook part's folder (xl/), or absolute from the root.
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def read_cached_values(data: bytes | zipfile.ZipFile, sheet_title: str) -> dict[str, object]:
    """Cached results of the formula cells of one sheet, without an openpyxl load (the same parse
    the template reader uses, so both agree on every value)."""
    try:
        return PackageBook(data).cells(sheet_title)[1]
    except (KeyError, PackageUnreadable):
        return {}
