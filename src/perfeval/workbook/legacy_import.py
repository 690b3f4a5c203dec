"""Importing last year's hand-made 自评表 workbook into the core model.

Every department keeps its form as some free-layout xlsx: merged cells, headers in whatever
columns, percentages as text or numbers, a 合计 row, notes under the table. The importer finds the
form by its labels, wherever they are, and keeps every value exactly as typed with the source cell
it came from. Nothing is silently dropped: a non-empty cell is either a recognised label, placed
into the model (and listed in `mapping`), or listed in `unplaced` with the reason.

Bad input never raises: an unreadable file or a sheet without the form gives `problems` and an
empty `Form`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from perfeval.core.codes import CODES, severity_of
from perfeval.core.decimal_math import excel_round, fmt_decimal, to_decimal
from perfeval.core.findings import Finding, Severity, place
from perfeval.core.model import (
    BudgetRow,
    BudgetRowKind,
    Form,
    FormKind,
    Indicator,
    NARRATIVE_SECTIONS,
    Loc,
    Narrative,
    RawValue,
    Value,
)
from perfeval.core.targets import normalize_text
from perfeval.workbook.grid import SheetGrid, grids_from_openpyxl
from perfeval.workbook.label_text import label_key, money_unit_in_label, weight_in_label
from perfeval.workbook.safe_open import ERROR_CODES, InputFileError, open_workbook

__all__ = [
    "IMPORT_CODES",
    "ImportResult",
    "MappingEntry",
    "Unplaced",
    "import_grids",
    "import_legacy",
    "mapping_report",
    "normalize_label",
]


# --------------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------------


#: The importer's codes (PE8xx) and the opener's (PE9xx), as documented in `core.codes`.
IMPORT_CODES = {c: e for c, e in CODES.items() if c.startswith("PE8") or c in ERROR_CODES}


# --------------------------------------------------------------------------------------------
# Result models
# --------------------------------------------------------------------------------------------


class MappingEntry(BaseModel):
    """One source cell and the model field it went to."""

    model_config = ConfigDict(frozen=True)
    sheet: str
    cell: str
    field: str  # model path: budget[0].initial, indicators[3].target, other_notes …
    label: str  # the same in Chinese: 全年支出·年初预算数, 第4个指标·年度指标值
    value: RawValue = None  # as typed
    percent_format: bool = False
    note: str = ""  # e.g. 合并单元格 A10:A18, 取自标题

    @property
    def location(self) -> str:
        return place(self.sheet, self.cell)


class Unplaced(BaseModel):
    """A non-empty cell of the form area that has no place in the model."""

    model_config = ConfigDict(frozen=True)
    sheet: str
    cell: str
    value: RawValue = None
    why: str

    @property
    def location(self) -> str:
        return place(self.sheet, self.cell)


class ImportResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    form: Form = Field(default_factory=Form)
    placeholders: int = 0  # template placeholder rows dropped (PE811)
    mapping: list[MappingEntry] = Field(default_factory=list)
    unplaced: list[Unplaced] = Field(default_factory=list)
    problems: list[Finding] = Field(default_factory=list)
    sheet: str = ""


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------

_COLON = ("：", ":")


def normalize_label(text: object) -> str:
    """'年初预算数（万元）' → '年初预算数'; '一 级\\n指标' → '一级指标' (see `label_text.label_key`)."""
    return label_key(text)


def _table(spec: dict[str, Iterable[str]]) -> dict[str, str]:
    return {normalize_label(word): key for key, words in spec.items() for word in words}


INDICATOR_HEADERS = _table({
    "level1": ["一级指标", "一级", "分解目标"],
    "level2": ["二级指标", "二级"],
    "level3": ["三级指标", "三级", "指标名称", "绩效指标名称", "具体指标", "指标内容", "三级指标名称"],
    "target": ["年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "年度绩效指标值",
               "年度计划指标值", "年初目标值", "全年指标值", "全年目标值", "计划值", "预期值",
               "绩效目标值", "年度目标", "指标目标值"],
    "target_initial": ["年初指标值", "年初设定指标值", "原指标值"],
    "target_adjusted": ["调整指标值", "调整后指标值", "调整后目标值", "全年调整指标值"],
    "comparator": ["指标性质", "比较符", "运算符"],
    "unit": ["度量单位", "计量单位", "单位"],
    "actual": ["实际完成值", "完成值", "全年实际值", "实际值", "全年实际完成值", "年度实际完成值",
               "全年完成值", "实际完成", "完成情况", "实际完成情况", "全年完成情况"],
    "weight": ["分值", "权重", "指标分值", "权重分值", "指标权重", "权重(分)", "满分", "标准分值"],
    "score": ["得分", "自评得分", "评分", "指标得分", "实际得分", "自评分"],
    "coefficient": ["得分系数", "完成系数"],
    "reason": ["偏差原因分析及改进措施", "偏差原因", "偏差原因分析", "偏差原因及改进措施",
               "未完成原因分析", "未完成原因分析及改进措施", "偏差原因分析和改进措施",
               "未完成原因及拟采取的改进措施", "原因分析及改进措施", "偏差原因分析及整改措施",
               "未完成原因及改进措施", "偏差说明"],
    "kind": ["指标类型", "定量/定性", "定性/定量"],
    "direction": ["指标方向", "正向/反向", "反向/正向"],
    "ignored": ["自评权重", "一级指标权重", "是否核心指标", "计分方法", "得分计算方法", "评分标准", "指标解释", "计分标准", "备注"],
})


def _indicator_key(norm: str) -> str | None:
    """The column an indicator-table header names; words first, then the shape of the label."""
    key = INDICATOR_HEADERS.get(norm)
    if key is not None or not norm or len(norm) > 16 or _is_block_label(norm):
        return key
    if "调整" in norm and ("指标值" in norm or "目标值" in norm):
        return "target_adjusted"
    if norm.startswith("年初") and ("指标值" in norm or "目标值" in norm):
        return "target_initial"
    if norm.endswith(("指标值", "目标值")) and "实际" not in norm and "完成" not in norm:
        return "target"
    if ("实际" in norm or "完成" in norm) and norm.endswith(("值", "数")) and "原因" not in norm \
            and len(norm) <= 10:
        return "actual"
    if ("原因" in norm or "改进措施" in norm or "整改措施" in norm) and len(norm) >= 4:
        return "reason"
    if norm.endswith("得分") and "系数" not in norm and "计算" not in norm:
        return "score"
    if norm.endswith(("分值", "权重")):
        return "weight"
    return None
# What a table must have to count as a 自评表 (PE801) and what it should have (PE802).
_TARGET_KEYS = ("target", "target_initial", "target_adjusted")
_DEFINING = ("target", "actual")
_REQUIRED = ("level1", "level2", "level3", "target", "actual", "weight", "score")
_SOFT_REQUIRED = ("level1", "level2")

BUDGET_HEADERS = _table({
    "initial": ["年初预算数", "年初预算", "年初预算金额", "年初预算数额", "年初批复预算", "年初数"],
    "full_year": ["全年预算数", "全年预算", "调整后预算数", "调整后预算", "全年预算金额", "预算数",
                  "调整预算数", "全年预算安排", "预算安排数"],
    "actual": ["实际支出数", "全年执行数", "预算执行数", "实际支出", "执行数", "实际执行数",
               "全年实际支出数", "支出数", "决算数", "全年支出数", "实际执行"],
    "rate": ["执行率", "预算执行率"],
    "weight": ["分值", "权重"],
    "score": ["得分", "自评得分", "评分"],
})


def _budget_key(norm: str) -> str | None:
    key = BUDGET_HEADERS.get(norm)
    if key is not None or not norm or len(norm) > 14:
        return key
    if "执行率" in norm:
        return "rate"
    if "年初" in norm and "预算" in norm:
        return "initial"
    if "预算" in norm and ("全年" in norm or "调整" in norm):
        return "full_year"
    if norm.endswith(("执行数", "支出数", "决算数")):
        return "actual"
    if norm.endswith("得分"):
        return "score"
    return None
_BUDGET_DEFINING = ("initial", "full_year", "actual", "rate")

BUDGET_ROWS = _table({
    BudgetRowKind.TOTAL.value: ["全年支出", "年度资金总额", "资金总额", "全年总支出", "总额",
                                "支出合计", "年度财政资金总额", "部门整体支出"],
    BudgetRowKind.BASIC.value: ["基本支出"],
    BudgetRowKind.PROJECT.value: ["项目支出"],
    BudgetRowKind.SOURCE.value: ["当年财政拨款", "财政拨款", "财政资金", "上年结转资金", "上年结转",
                                 "其他资金", "财政专户管理资金", "单位资金"],
})

INFO_LABELS = _table({
    "name": ["部门（单位）名称", "部门(单位)名称", "部门名称", "单位名称"],
    "name_project": ["项目名称", "专项名称", "资金名称", "专项资金名称"],
    "competent_dept": ["主管部门", "项目主管部门"],
    "implementer": ["实施单位", "项目实施单位"],
    "year": ["年度", "评价年度", "自评年度", "所属年度"],
    "stated_grade": ["自评等级", "评价等级"],
    "stated_total_score": ["自评得分", "自评总分", "自评分数"],  # beside the 项目名称 on some forms
})

GOAL_LABELS = _table({
    "goals_expected": ["预期目标", "年初设定目标", "年度预期目标", "项目年度目标", "年度绩效目标", "总体目标",
                       "年度总体目标内容"],
    "goals_actual": ["目标实际完成情况", "实际完成情况", "年度目标完成情况", "总体目标完成情况",
                     "目标完成情况", "年度总体目标完成情况综述", "完成情况综述", "实际完成情况综述"],
})

def _info_key(norm: str) -> str | None:
    """部门（单位）名称 / 项目名称 / 主管部门 / 实施单位 / 年度 / 自评等级, however a form words them."""
    key = INFO_LABELS.get(norm)
    if key is not None or not norm or len(norm) > 14:
        return key
    if norm.endswith("名称") and "项目" in norm:
        return "name_project"
    if norm.endswith(("名称", "名称(盖章)")) and ("单位" in norm or "部门" in norm):
        return "name"
    if norm in ("部门", "单位", "部门(单位)", "预算部门", "预算单位", "填报单位", "项目单位", "评价单位",
                "项目单位(盖章)", "单位(盖章)", "填报单位(盖章)", "部门(盖章)"):
        return "name"
    if norm.endswith("主管部门"):
        return "competent_dept"
    if norm.endswith("实施单位"):
        return "implementer"
    return None


_BUDGET_BLOCKS = {normalize_label(w) for w in (
    "年度资金预算情况", "部门（单位）整体支出", "部门整体支出", "项目资金（万元）", "项目资金",
    "年度预算执行情况", "预算执行情况", "年度资金预算执行情况", "年度预算申请", "预算资金", "资金情况",
    "项目资金情况", "预算执行", "年度预算", "部门预算", "资金投入",
)}
_LATER_BLOCKS = {normalize_label(w) for w in (
    "年度总体绩效目标完成情况", "年度总体目标", "年度总体目标完成情况", "总体绩效目标",
    "年度总体绩效目标", "绩效指标", "年度绩效指标完成情况", "绩效指标完成情况", "年度绩效指标",
    "年度总体目标完成情况", "年度绩效目标",
)}
BLOCK_LABELS = _BUDGET_BLOCKS | _LATER_BLOCKS


def _is_block_label(norm: str) -> bool:
    return norm in BLOCK_LABELS or bool(re.fullmatch(r"年度绩效目标\d*", norm))
TOTAL_LABELS = {normalize_label(w) for w in ("合计", "总分", "总计", "合计得分")}
_OTHER_NOTES = tuple(normalize_label(w) for w in ("其他需要说明的问题", "其他需要说明的情况"))
_NOTE_STARTS = ("注:", "注1", "注.", "说明:", "填表说明", "备注:", "附注")

_PROJECT_HINTS = {normalize_label(w) for w in (
    "项目名称", "主管部门", "项目主管部门", "实施单位", "项目实施单位", "年度资金总额",
    "全年执行数", "项目资金", "年度总体目标",
)}
_DEPARTMENT_HINTS = {normalize_label(w) for w in (
    "部门（单位）名称", "部门名称", "单位名称", "全年支出", "基本支出", "实际支出数",
    "部门（单位）整体支出", "年度总体绩效目标完成情况",
)}

_HEADER_NAMES = {
    "level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "target": "年度指标值",
    "target_initial": "年初指标值", "target_adjusted": "调整指标值", "comparator": "指标性质",
    "unit": "度量单位", "actual": "实际完成值", "weight": "分值", "score": "得分",
    "coefficient": "得分系数", "reason": "偏差原因分析及改进措施", "kind": "指标类型",
    "direction": "指标方向", "ignored": "说明列",
}
# Model fields an indicator row's columns fill directly; the others are composed below.
_INDICATOR_FIELDS = ("level1", "level2", "level3", "actual", "weight", "score", "reason", "kind", "direction")


def _budget_header_names(kind: FormKind) -> dict[str, str]:
    return {
        "label": "行名", "initial": "年初预算数", "full_year": "全年预算数",
        "actual": "全年执行数" if kind is FormKind.PROJECT else "实际支出数",
        "rate": "执行率", "weight": "分值", "score": "得分",
    }


_SOURCE_WORDS = ("财政拨款", "上年结转", "其他资金", "一般公共预算", "政府性基金", "非税收入", "单位资金",
                 "自有资金", "财政专户", "专项资金", "上级补助", "本级资金", "事业收入", "地方资金", "中央补助",
                 "省级补助", "市级补助", "县级资金", "财政资金", "自筹")


def _row_label_key(norm: str) -> str | None:
    """'其中:基本支出' and '基本支出' are the same row; '其中:本年财政拨款' is a fund source."""
    bare = norm.removeprefix("其中:").removeprefix("其中")
    key = BUDGET_ROWS.get(norm) or BUDGET_ROWS.get(bare)
    if key is not None or not bare or len(bare) > 16 or re.search(r"\d", bare):
        return key  # a label with its amount in it ("其他资金:2880万元") is a note, not a row
    bare = bare.rstrip(":")
    if bare in ("其他", "其它") or bare.endswith(("/其他", "/其它")):
        return BudgetRowKind.SOURCE.value
    if bare.endswith(("资金总额", "支出总额", "总支出")) or bare in ("合计", "总计", "小计"):
        return BudgetRowKind.TOTAL.value
    if bare.endswith("基本支出"):
        return BudgetRowKind.BASIC.value
    if bare.endswith("项目支出"):
        return BudgetRowKind.PROJECT.value
    if any(w in bare for w in _SOURCE_WORDS):
        return BudgetRowKind.SOURCE.value
    return None


def _other_notes_prefix(norm: str) -> bool:
    return norm.startswith(_OTHER_NOTES)


def _is_known_label(norm: str) -> bool:
    return bool(norm) and (
        _indicator_key(norm) is not None or _budget_key(norm) is not None or _info_key(norm) is not None
        or norm in GOAL_LABELS or _is_block_label(norm) or norm in TOTAL_LABELS
        or norm in _OTHER_NOTES
    )


# --------------------------------------------------------------------------------------------
# The sheet as a grid of typed cells with merges resolved
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    row: int
    col: int
    raw: RawValue
    percent_format: bool
    formula: str | None
    coord: str  # how a person finds it: "C5", or "第5行第3列" in a document's table
    date_format: bool = False

    @property
    def is_blank(self) -> bool:
        if self.formula:
            return False
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())


class _Grid:
    """The non-empty cells of one sheet or table, indexed by row, with merged ranges resolved."""

    def __init__(self, sheet: SheetGrid) -> None:
        self.sheet = sheet
        self.name: str = sheet.name
        self.cells: dict[tuple[int, int], _Cell] = {}
        self.anchor_of: dict[tuple[int, int], tuple[int, int]] = {}
        self.span_of: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self._norm: dict[tuple[int, int], str] = {}
        for box in sheet.merges:
            r1, c1, r2, c2 = box
            self.span_of[(r1, c1)] = box
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.anchor_of[(r, c)] = (r1, c1)
        for gc in sheet.cells:
            pos = (gc.row, gc.col)
            if pos in self.anchor_of:
                continue
            cell = _Cell(row=gc.row, col=gc.col, raw=gc.raw, percent_format=gc.percent_format,
                         formula=gc.formula, coord=sheet.cell_name(gc.row, gc.col), date_format=gc.date_format)
            if not cell.is_blank:
                self.cells[pos] = cell
        self.rows: dict[int, list[_Cell]] = {}
        for c in sorted(self.cells.values(), key=lambda c: (c.row, c.col)):
            self.rows.setdefault(c.row, []).append(c)
        self.max_row = max(self.rows, default=0)

    def norm(self, cell: _Cell) -> str:
        key = (cell.row, cell.col)
        if key not in self._norm:
            self._norm[key] = normalize_label(cell.raw)
        return self._norm[key]

    def row_cells(self, row: int) -> list[_Cell]:
        return self.rows.get(row, [])

    def get(self, row: int, col: int) -> _Cell | None:
        return self.cells.get((row, col))

    def span_cols(self, cell: _Cell) -> tuple[int, int]:
        box = self.span_of.get((cell.row, cell.col))
        return (box[1], box[3]) if box else (cell.col, cell.col)

    def merge_text(self, row: int, col: int) -> str:
        box = self.span_of.get((row, col))
        if not box:
            return ""
        return self.sheet.range_name(*box)


# --------------------------------------------------------------------------------------------
# Bookkeeping of what went where
# --------------------------------------------------------------------------------------------


@dataclass
class _Ledger:
    grid: _Grid
    file: str
    mapping: list[MappingEntry] = field(default_factory=list)
    used: set[tuple[int, int]] = field(default_factory=set)
    unplaced: list[Unplaced] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    def loc(self, cell: _Cell) -> Loc:
        return Loc(sheet=self.grid.name, cell=cell.coord)

    def value(self, cell: _Cell) -> Value:
        return Value(raw=cell.raw, loc=self.loc(cell), percent_format=cell.percent_format,
                     formula=cell.formula)

    def place(self, cell: _Cell, path: str, label: str, note: str = "",
              value: Value | None = None) -> Value:
        v = value if value is not None else self.value(cell)
        self.used.add((cell.row, cell.col))
        self.mapping.append(MappingEntry(
            sheet=self.grid.name, cell=cell.coord, field=path, label=label, value=v.raw,
            percent_format=v.percent_format, note=note,
        ))
        return v

    def label(self, cell: _Cell) -> None:
        self.used.add((cell.row, cell.col))

    def is_used(self, cell: _Cell) -> bool:
        return (cell.row, cell.col) in self.used

    def unplace(self, cell: _Cell, why: str, severity: Severity | None = None) -> None:
        self.used.add((cell.row, cell.col))
        self.unplaced.append(
            Unplaced(sheet=self.grid.name, cell=cell.coord, value=cell.raw, why=why))
        self.problem("PE803", f"单元格内容“{_short(cell.raw)}”未能导入：{why}", cell, severity=severity)

    def problem(self, code: str, message: str, cell: _Cell | None = None,
                severity: Severity | None = None) -> None:
        self.problems.append(Finding(
            code=code, severity=severity or severity_of(code), sheet=self.grid.name,
            cell=cell.coord if cell else "", message=message, file=self.file,
        ))


def _short(raw: RawValue, limit: int = 30) -> str:
    text = _display(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _display(raw: RawValue) -> str:
    if isinstance(raw, Decimal):
        return fmt_decimal(raw)
    if raw is None:
        return ""
    return str(raw).replace("\r", "").replace("\n", "↵")


# --------------------------------------------------------------------------------------------
# Locating the parts of the form
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    row: int  # the last header row: data starts below it
    cols: dict[str, tuple[int, int]]  # key -> (first col, last col) of the header cell
    cells: tuple[_Cell, ...]
    first_row: int = 0  # the first header row when the header spans two rows

    def key_at(self, col: int) -> str | None:
        return next((k for k, (c1, c2) in self.cols.items() if c1 <= col <= c2), None)

    @property
    def first_value_col(self) -> int:
        return min(c1 for c1, _ in self.cols.values())

    @property
    def top(self) -> int:
        return self.first_row or self.row

    def has_target(self) -> bool:
        return any(k in self.cols for k in _TARGET_KEYS)


def _header_in_row(grid: _Grid, row: int, classify) -> _Header:
    cols: dict[str, tuple[int, int]] = {}
    cells = []
    for cell in grid.row_cells(row):
        key = classify(grid.norm(cell))
        if key and key not in cols:
            cols[key] = grid.span_cols(cell)
            cells.append(cell)
    return _Header(row=row, cols=cols, cells=tuple(cells))


def _is_indicator_header(h: _Header) -> bool:
    return h.has_target() and "actual" in h.cols and len(h.cols) >= 3


def _with_sub_header(grid: _Grid, h: _Header) -> _Header:
    """Two header rows: 年度指标值 merged over 指标性质 | 指标值 | 度量单位, or 绩效指标 over
    一级 | 二级 | 三级. The lower row's labels replace a spanning label above them and fill
    columns the upper row left to a block label."""
    below = _header_in_row(grid, h.row + 1, _indicator_key)
    if not below.cols or _is_indicator_header(below):
        return h
    cols = dict(h.cols)
    cells = list(h.cells)
    added = False
    for key, (c1, c2) in below.cols.items():
        above = [k for k, (a1, a2) in cols.items() if a1 <= c1 and c2 <= a2]
        if above and all(cols[k] == (c1, c2) for k in above):
            continue  # the same column named twice (a cell merged down over both rows)
        if above and any(cols[k][1] > cols[k][0] for k in above):
            for k in above:  # a spanning label split into the sub-columns below it
                if k != key:
                    cols.pop(k, None)
        elif any(a1 <= c2 and c1 <= a2 for a1, a2 in cols.values()):
            continue
        if key in cols and cols[key] != (c1, c2) and key not in _TARGET_KEYS:
            continue
        cols[key] = (c1, c2)
        cells += [c for c in below.cells if c.col == c1]
        added = True
    if not added:
        return h
    return _Header(row=h.row + 1, cols=cols, cells=tuple(cells), first_row=h.row)


def _indicator_headers(grid: _Grid) -> list[_Header]:
    """Every indicator table header (a target column, 实际完成值 and one more), with a second
    header row folded in."""
    found = []
    done = 0
    for row in sorted(grid.rows):
        if row <= done:
            continue
        h = _header_in_row(grid, row, _indicator_key)
        if not h.cols:
            continue
        h = _with_sub_header(grid, h)
        if _is_indicator_header(h):
            found.append(h)
            done = h.row
    return found


def _best_partial_header(grid: _Grid) -> set[str]:
    """The indicator labels of the row that comes closest to a header, for PE801's message."""
    best: set[str] = set()
    for row in grid.rows:
        keys = set(_header_in_row(grid, row, _indicator_key).cols)
        keys = {"target" if k in _TARGET_KEYS else k for k in keys}
        if len(keys & set(_REQUIRED)) > len(best):
            best = keys & set(_REQUIRED)
    return best


def _budget_header(grid: _Grid, before_row: int) -> _Header | None:
    for row in sorted(r for r in grid.rows if r < before_row):
        h = _header_in_row(grid, row, _budget_key)
        if sum(k in h.cols for k in _BUDGET_DEFINING) >= 2:
            return h
    return None


def _kind_in_title(norm: str) -> FormKind | None:
    if not any(w in norm for w in ("自评", "评价", "绩效")):
        return None
    if any(w in norm for w in ("整体支出", "部门整体", "单位整体", "部门(单位)整体")):
        return FormKind.DEPARTMENT
    if any(w in norm for w in ("项目支出", "项目绩效", "项目自评", "项目", "专项", "资金", "补助", "经费")):
        return FormKind.PROJECT
    return None


def _detect_kind(grid: _Grid, before_row: int | None = None) -> FormKind:
    """By the title first (部门整体支出绩效自评表 vs 项目支出绩效自评表): a department form with
    年度资金总额/当年财政拨款 rows is still a department form. Without a title, by its labels."""
    title = _title_cell(grid, before_row if before_row is not None else grid.max_row + 1)
    kind = _kind_in_title(grid.norm(title)) if title is not None else None
    if kind is not None:
        return kind
    project = department = 0
    for cell in grid.cells.values():
        norm = grid.norm(cell)
        bare = norm.removeprefix("其中:")
        project += norm in _PROJECT_HINTS or bare in ("当年财政拨款", "上年结转资金")
        department += norm in _DEPARTMENT_HINTS or bare == "基本支出"
    return FormKind.PROJECT if project > department else FormKind.DEPARTMENT


def _ends_budget(grid: _Grid, row: int) -> bool:
    """The budget rows end at the goals block (or whatever follows when there is none).

    The budget's own block labels do not end it: a 项目资金 label merged down the first column
    may start on the first data row.
    """
    for cell in grid.row_cells(row):
        norm = grid.norm(cell)
        if norm in GOAL_LABELS or norm in _LATER_BLOCKS or _ends_table_label(norm):
            return True
    return False


def _ends_table_label(norm: str) -> bool:
    return norm in TOTAL_LABELS or _other_notes_prefix(norm)


def _ends_table(grid: _Grid, row: int) -> bool:
    """The indicator rows end at 合计, 其他需要说明的问题 or a 注 line.

    A 绩效指标 label merged down the first column is not an end, wherever its merge starts.
    """
    if _is_note_row(grid, row):
        return True
    return any(_ends_table_label(grid.norm(c)) for c in grid.row_cells(row))


def _is_note_row(grid: _Grid, row: int) -> bool:
    cells = grid.row_cells(row)
    return bool(cells) and grid.norm(cells[0]).startswith(_NOTE_STARTS)


def _after_colon(raw: RawValue) -> str | None:
    """'其他需要说明的问题：请在此处…' → '请在此处…' verbatim; None without a colon."""
    if not isinstance(raw, str):
        return None
    positions = [raw.find(c) for c in _COLON if c in raw]
    if not positions:
        return None
    return raw[min(positions) + 1:]


# --------------------------------------------------------------------------------------------
# Reading the parts
# --------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    kind: FormKind
    fields: dict[str, Value] = field(default_factory=dict)
    budget: list[BudgetRow] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    placeholders: list[int] = field(default_factory=list)  # rows of template placeholders dropped
    money_unit: str | None = None
    execution_weight: Value | None = None  # from a block label when the form has no 分值 column
    execution_row: int | None = None  # the 预算执行率 row of the indicator table that scores the execution
    narrative: dict[str, Value] = field(default_factory=dict)


_FIELD_LABELS = {
    "title": "标题", "year": "年度", "competent_dept": "主管部门", "implementer": "实施单位",
    "stated_grade": "自评等级", "goals_expected": "年度总体绩效目标·预期目标",
    "goals_actual": "年度总体绩效目标·目标实际完成情况", "stated_total_weight": "合计·分值",
    "stated_total_score": "合计·得分", "total_note": "合计·偏差原因分析及改进措施",
    "other_notes": "其他需要说明的问题",
}


def _field_label(name: str, kind: FormKind) -> str:
    if name == "name":
        return "项目名称" if kind is FormKind.PROJECT else "部门（单位）名称"
    return _FIELD_LABELS[name]


def _value_to_right(grid: _Grid, led: _Ledger, label: _Cell) -> _Cell | None:
    """The first own cell right of a label, unless it is itself a label or already taken."""
    for cell in grid.row_cells(label.row):
        if cell.col <= label.col:
            continue
        if led.is_used(cell) or _is_known_label(grid.norm(cell)):
            return None
        return cell
    return None


def _value_below(grid: _Grid, led: _Ledger, label: _Cell, stop_row: int) -> _Cell | None:
    for row in sorted(r for r in grid.rows if label.row < r < stop_row):
        cell = grid.get(row, label.col)
        if cell is None:
            continue
        if led.is_used(cell) or _is_known_label(grid.norm(cell)):
            return None
        return cell
    return None


def _set_field(draft: _Draft, led: _Ledger, name: str, cell: _Cell, value: Value | None = None,
               note: str = "") -> None:
    if name in draft.fields:
        earlier = draft.fields[name].loc
        led.unplace(cell, f"“{_field_label(name, draft.kind)}”已从"
                          f"{earlier.cell if earlier else '别处'}读取")
        return
    draft.fields[name] = led.place(cell, name, _field_label(name, draft.kind), note, value)


def _read_info(grid: _Grid, led: _Ledger, draft: _Draft, rows: Iterable[int]) -> None:
    """部门（单位）名称 / 项目名称 / 主管部门 / 实施单位 / 年度 / 自评等级 beside their labels."""
    for row in rows:
        for cell in grid.row_cells(row):
            if led.is_used(cell):
                continue
            norm = grid.norm(cell)
            name = _field_for_info(_info_key(norm), draft)
            if name is None:
                _info_in_one_cell(led, draft, cell, norm)
                continue
            led.label(cell)
            value = _value_to_right(grid, led, cell)
            if value is not None:
                _set_field(draft, led, name, value)


def _field_for_info(key: str | None, draft: _Draft) -> str | None:
    """On a project form the form's name is the 项目名称 and the unit is its 实施单位; on a department
    form the name is the unit's."""
    if key == "name_project":
        return "name"
    if key == "name" and draft.kind is FormKind.PROJECT:
        return "implementer" if "implementer" not in draft.fields else None
    return key


def _info_in_one_cell(led: _Ledger, draft: _Draft, cell: _Cell, norm: str) -> None:
    """'部门名称：正宁县人社局' typed into one cell: the part after the colon is the value."""
    name = _info_with_colon(norm, draft)
    text = _after_colon(cell.raw)
    if name is not None and text is not None and text.strip():
        _set_field(draft, led, name, cell, _text_value(led, cell, text),
                   note="标题与内容在同一单元格")


def _info_with_colon(norm: str, draft: _Draft | None = None) -> str | None:
    head, sep, _ = norm.partition(":")
    if not sep:
        return None
    key = _info_key(head)
    return _field_for_info(key, draft) if draft is not None else key


def _text_value(led: _Ledger, cell: _Cell, text: str) -> Value:
    return Value(raw=text, loc=led.loc(cell))


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _is_title(norm: str) -> bool:
    return any(w in norm for w in ("自评", "评价", "绩效")) and "表" in norm and len(norm) <= 60


def _title_cell(grid: _Grid, below_row: int) -> _Cell | None:
    """The form's title: the nearest title-like line above the form (not an index of forms
    that some units put at the top of the sheet)."""
    for row in sorted((r for r in grid.rows if r < below_row), reverse=True):
        for cell in grid.row_cells(row):
            if isinstance(cell.raw, str) and _is_title(grid.norm(cell)):
                return cell
    return None


def _read_title(grid: _Grid, led: _Ledger, draft: _Draft, top_row: int) -> None:
    """Rows above the form: the title (and the year in it), a '（2023年度）' line near it."""
    title = _title_cell(grid, top_row)
    if title is not None and not led.is_used(title):
        _set_field(draft, led, "title", title)
    first = title.row if title is not None else 1
    for row in sorted(r for r in grid.rows if first <= r < top_row):
        for cell in grid.row_cells(row):
            if led.is_used(cell) or not isinstance(cell.raw, str) or "year" in draft.fields:
                continue
            norm = grid.norm(cell)
            if _YEAR.search(norm) and len(norm) <= 12 and "日期" not in norm:
                _year_from_text(draft, led, cell, note="取自标题下的年度行")
    # A year cell or line wins; the title's own year is the fallback.
    if "year" not in draft.fields and title is not None and _YEAR.search(grid.norm(title)):
        _year_from_text(draft, led, title, note="取自标题中的年度")


def _year_from_text(draft: _Draft, led: _Ledger, cell: _Cell, note: str) -> None:
    year = Decimal(_YEAR.search(normalize_label(cell.raw)).group(1))
    value = Value(raw=year, loc=led.loc(cell))
    draft.fields["year"] = led.place(cell, "year", "年度", note, value)


def _read_budget(grid: _Grid, led: _Ledger, draft: _Draft, header: _Header, end_row: int) -> int:
    """The 年度资金预算情况 rows under their header; returns the row after the block."""
    for cell in header.cells:
        led.label(cell)
    names = _budget_header_names(draft.kind)
    first_col = header.first_value_col
    _budget_label_facts(grid, draft, header, end_row)
    for row in sorted(r for r in grid.rows if header.row < r < end_row):
        if _ends_budget(grid, row):
            return row
        labels = [c for c in grid.row_cells(row) if c.col < first_col]
        kind_cell = next((c for c in labels if _row_label_key(grid.norm(c))), None)
        for c in labels:
            if c is not kind_cell and _is_block_label(grid.norm(c)):
                led.label(c)
        if _is_breakdown_note(grid, header, row, kind_cell):
            for c in grid.row_cells(row):
                if not led.is_used(c):
                    led.unplace(c, "预算栏中的分项说明（金额写在文字中，不是资金行）", severity=Severity.INFO)
            continue
        if kind_cell is None:
            _unknown_budget_row(grid, led, row, labels)
            continue
        _budget_row(grid, led, draft, header, row, kind_cell, names)
    return end_row


_MONEY_KEYS = ("initial", "full_year", "actual")
# "按收入性质分:", "其中: 一般公共预算:1397.90", "项目支出:1369.3万元": a label, a colon, at most an amount.
_WORDED_PART = re.compile(r"(其中\s*[:：]\s*)?[\u4e00-\u9fff（）()、]{2,}\s*[:：]\s*(-?[\d,]+(\.\d+)?\s*(万元|元)?)?")



def _is_breakdown_note(grid: _Grid, header: _Header, row: int, label: _Cell | None) -> bool:
    """"政府性基金拨款:" with "项目支出:2985.5万元" beside it: a breakdown written in words, not a row
    of figures (Hunan's 按收入性质分 / 按支出性质分). Without a recognised row label ("按收入性质分:",
    "其中: 一般公共预算:1397.90"), every cell of the row must be such a label."""
    if label is None:
        cells = [c for c in grid.row_cells(row) if not c.is_blank]
        return bool(cells) and all(isinstance(c.raw, str) and _WORDED_PART.fullmatch(c.raw.strip()) for c in cells)
    cells = [c for c in grid.row_cells(row) if c.col > label.col]
    money = [c for c in cells if header.key_at(c.col) in _MONEY_KEYS]
    if any(isinstance(c.raw, str) and re.search(r"[\u4e00-\u9fff]{2,}\s*[:：]", c.raw) for c in money):
        return True
    return isinstance(label.raw, str) and label.raw.rstrip().endswith((":", "：")) and not money \
        and _row_label_key(grid.norm(label)) != BudgetRowKind.TOTAL.value


def _read_paired_budget(grid: _Grid, led: _Ledger, draft: _Draft, before_row: int) -> bool:
    """The 中央转移支付区域绩效自评表 writes its budget as label/value pairs on one line
    ("预算数: | 2.38 | 执行数: | 2.38"), sources on the lines below, and the section's score in a
    自评得分 column on the right. The first such line is the total."""
    score_col = _score_column_above(grid, before_row)
    for row in sorted(r for r in grid.rows if r < before_row):
        pairs: dict[str, int] = {}
        cells = grid.row_cells(row)
        for a, b in zip(cells, cells[1:], strict=False):
            key = _budget_key(grid.norm(a))
            if key in _MONEY_KEYS and key not in pairs and not isinstance(b.raw, str | type(None)) \
                    or key in _MONEY_KEYS and isinstance(b.raw, str) and _money_text(b.raw):
                pairs.setdefault(key, b.col)
        if len(pairs) < 2:
            continue
        names = _budget_header_names(draft.kind)
        rows = [row] + [r for r in range(row + 1, before_row) if r in grid.rows and
                        _row_label_key(grid.norm(grid.row_cells(r)[0])) == BudgetRowKind.SOURCE.value]
        first_pair = min(pairs.values()) - 1
        for i, r in enumerate(rows):
            label = (grid.get(r, first_pair) if i == 0 else None) or grid.row_cells(r)[0]
            kind = BudgetRowKind.TOTAL if i == 0 else BudgetRowKind.SOURCE
            values = {"label": led.place(label, f"budget[{i}].label", f"{grid.norm(label)}·行名")}
            for key, col in pairs.items():
                cell = grid.get(r, col)
                if cell is not None and not led.is_used(cell):
                    values[key] = led.place(cell, f"budget[{i}].{key}", f"{grid.norm(label)}·{names[key]}")
                else:
                    values[key] = Value(loc=Loc(sheet=grid.name, cell=grid.sheet.cell_name(r, col)))
            for c in grid.row_cells(r):  # the pair labels of this line
                if not led.is_used(c) and (_budget_key(grid.norm(c)) or _row_label_key(grid.norm(c))):
                    led.label(c)
            if i == 0 and score_col is not None:
                score = grid.get(r, score_col)
                if score is not None and not led.is_used(score):
                    values["score"] = led.place(score, "budget[0].score", "预算执行·得分")
            draft.budget.append(BudgetRow(kind=kind, **values))
        return True
    return False


_MONEY_TEXT = re.compile(r"\s*[+-]?\d+(?:\.\d+)?\s*(亿元|万元|千元|元|万|萬)?\s*|\s*(亿元|万元|千元|元)\s*")


def _is_paired_row(grid: _Grid, row: int) -> bool:
    cells = grid.row_cells(row)
    pairs = [(a, b) for a, b in zip(cells, cells[1:], strict=False)
             if _budget_key(grid.norm(a)) in _MONEY_KEYS and b.col == a.col + 1
             and (isinstance(b.raw, Decimal) or isinstance(b.raw, str) and _money_text(b.raw))]
    return len(pairs) >= 2


def _money_text(text: str) -> bool:
    return bool(_MONEY_TEXT.fullmatch(text))


def _score_column_above(grid: _Grid, before_row: int) -> int | None:
    """A 自评得分 column labelled once near the top of the form (the 区域绩效自评表)."""
    for row in sorted(r for r in grid.rows if r < before_row):
        for c in grid.row_cells(row):
            if grid.norm(c) in ("自评得分", "得分", "评分"):
                return c.col
    return None


def _budget_label_facts(grid: _Grid, draft: _Draft, header: _Header, end_row: int) -> None:
    """What the block's labels say: the money unit ("项目资金（元）") and, on forms without a
    分值 column, the execution weight ("预算执行情况(万元)(20分)")."""
    first_col = header.first_value_col
    labels = [c for r in range(header.row, end_row) for c in grid.row_cells(r)
              if c.col < first_col or r == header.row]
    labels += [c for c in grid.row_cells(header.row - 1)]
    for c in labels:
        unit = money_unit_in_label(c.raw)
        if unit and draft.money_unit is None:
            draft.money_unit = unit
        if "weight" not in header.cols and draft.execution_weight is None and isinstance(c.raw, str):
            w = weight_in_label(c.raw)
            if w is not None and ("预算" in grid.norm(c) or "资金" in grid.norm(c) or "执行" in grid.norm(c)):
                draft.execution_weight = Value(raw=w, loc=Loc(sheet=grid.name, cell=c.coord))


def _unknown_budget_row(grid: _Grid, led: _Ledger, row: int, labels: list[_Cell]) -> None:
    shown = next((c for c in labels if not led.is_used(c)), None)
    text = _short(shown.raw) if shown else "（无行名）"
    led.problem("PE807", f"预算栏第{row}行“{text}”不是可识别的资金行，该行未导入",
                shown or grid.row_cells(row)[0])
    for cell in grid.row_cells(row):
        if not led.is_used(cell):
            led.unplace(cell, f"预算栏中无法识别的行“{text}”")


def _budget_row(grid: _Grid, led: _Ledger, draft: _Draft, header: _Header, row: int,
                kind_cell: _Cell, names: dict[str, str]) -> None:
    i = len(draft.budget)
    kind = BudgetRowKind(_row_label_key(grid.norm(kind_cell)))
    row_name = grid.norm(kind_cell).removeprefix("其中:") or kind.value
    values = {"label": led.place(kind_cell, f"budget[{i}].label", f"{row_name}·{names['label']}")}
    for key, (c1, c2) in header.cols.items():
        cells = [c for c in grid.row_cells(row) if c1 <= c.col <= c2 and not led.is_used(c)]
        for extra in cells[1:]:
            led.unplace(extra, f"“{names[key]}”列下同一行有多个值，已取{cells[0].coord}")
        if cells:
            values[key] = led.place(cells[0], f"budget[{i}].{_BUDGET_FIELD[key]}",
                                    f"{row_name}·{names[key]}")
        else:
            values[key] = Value(loc=Loc(sheet=grid.name, cell=grid.sheet.cell_name(row, c1)))
    fields = {_BUDGET_FIELD.get(k, k): v for k, v in values.items()}
    if kind is BudgetRowKind.TOTAL and "weight" not in fields and draft.execution_weight is not None:
        fields["weight"] = draft.execution_weight
    draft.budget.append(BudgetRow(kind=kind, **fields))


_BUDGET_FIELD = {"initial": "initial", "full_year": "full_year", "actual": "actual",
                 "rate": "stated_rate", "weight": "weight", "score": "score"}


def _read_goals(grid: _Grid, led: _Ledger, draft: _Draft, first_row: int, end_row: int) -> None:
    for row in sorted(r for r in grid.rows if first_row <= r < end_row):
        for cell in grid.row_cells(row):
            norm = grid.norm(cell)
            if led.is_used(cell):
                continue
            if _is_block_label(norm):
                led.label(cell)
                continue
            name = GOAL_LABELS.get(norm)
            if name is None:
                continue
            led.label(cell)
            value = _value_to_right(grid, led, cell)
            if value is None or not isinstance(value.raw, str):  # a goal is text, not a score
                value = _value_below(grid, led, cell, end_row)
            if value is not None:
                _set_field(draft, led, name, value)


def _table_end(grid: _Grid, header: _Header) -> int:
    """The first row after the indicator rows: 合计, 其他需要说明的问题, a note, or the end."""
    for row in sorted(r for r in grid.rows if r > header.row):
        if _ends_table(grid, row):
            return row
    return grid.max_row + 1


def _read_indicators(grid: _Grid, led: _Ledger, draft: _Draft, header: _Header, end: int) -> None:
    for cell in header.cells:
        led.label(cell)
    if "score" not in header.cols and header.cols:
        col = _score_column_above(grid, header.top)
        if col is not None and header.key_at(col) is None and col > max(c2 for _, c2 in header.cols.values()):
            header.cols["score"] = (col, col)
    reported: set[tuple[int, int]] = set()
    for row in sorted(r for r in grid.rows if header.row < r < end):
        if _is_repeated_header(grid, row):
            continue  # a header repeated for printing across pages; the sweep takes its labels
        own = {key: _own_cells(grid, led, row, c1, c2) for key, (c1, c2) in header.cols.items()}
        if not any(own.values()):
            continue
        if _is_placeholder(grid, own):
            draft.placeholders.append(row)
            for cells in own.values():
                for c in cells:
                    led.label(c)
            continue
        if _take_execution_row(grid, led, draft, own):
            continue
        _check_merges(grid, led, header, row, reported)
        i = len(draft.indicators)
        values: dict[str, Value] = {}
        parts: dict[str, Value] = {}
        for key, cells in own.items():
            label = f"第{i + 1}个指标·{_HEADER_NAMES[key]}"
            if cells:
                v = led.place(cells[0], f"indicators[{i}].{key}", label)
                if key in _INDICATOR_FIELDS:
                    values[key] = v
                else:
                    parts[key] = v
                for extra in cells[1:]:
                    led.unplace(extra, f"“{_HEADER_NAMES[key]}”列下同一行有多个值，"
                                       f"已取{cells[0].coord}")
            elif key in ("level1", "level2"):
                carried = _carried_name(grid, led, header, row, key, i, label)
                if carried is not None:
                    values[key] = carried
            elif key in _INDICATOR_FIELDS or key in _TARGET_KEYS:
                # A blank cell still has an address: "实际完成值为空" points at it.
                blank = Value(loc=Loc(sheet=grid.name, cell=grid.sheet.cell_name(row, c1_of(header, key))))
                (values if key in _INDICATOR_FIELDS else parts).setdefault(key, blank)
        values.update(_composed(parts, values))
        draft.indicators.append(Indicator(row=row, **values))


# Older project forms (项目决策 / 项目管理 / 项目产出 / 项目效益) score the budget's execution as a
# row of 项目管理 and give the budget block no 分值 or 得分 column.
_EXECUTION_ROW_NAMES = {normalize_label(w) for w in (
    "预算执行率", "资金执行率", "预算资金执行率", "项目资金执行率", "项目预算执行率", "资金支出率", "预算执行情况")}


def _take_execution_row(grid: _Grid, led: _Ledger, draft: _Draft, own: dict[str, list[_Cell]]) -> bool:
    """A 预算执行率 row among the indicators of a form whose budget block scores nothing: its 分值 and
    得分 are the execution row's, so the execution is scored once (not again as an indicator)."""
    main = next((i for i, b in enumerate(draft.budget) if b.kind is BudgetRowKind.TOTAL), None)
    if main is None or not draft.budget[main].weight.is_blank or not draft.budget[main].score.is_blank:
        return False
    names = [grid.norm(c) for key in ("level3", "level2") for c in own.get(key, [])[:1]]
    if not names or names[0] not in _EXECUTION_ROW_NAMES:
        return False
    weight, score = own.get("weight", [])[:1], own.get("score", [])[:1]
    if not weight or to_decimal(weight[0].raw) is None:
        return False
    target = "".join(str(c.raw or "") for key in _TARGET_KEYS for c in own.get(key, []))
    if re.search(r"\d", target):
        return False  # "≥95%": an indicator with its own target (部门管理·预算执行率), scored as one
    label = f"{names[0]}行"
    update = {"weight": led.place(weight[0], f"budget[{main}].weight", f"{label}·分值",
                                  "预算栏没有分值，执行率在指标中计分")}
    if score:
        update["score"] = led.place(score[0], f"budget[{main}].score", f"{label}·得分",
                                    "预算栏没有得分，执行率在指标中计分")
    for key, cells in own.items():
        for c in cells:
            if led.is_used(c):
                continue
            if key == "reason" and not c.is_blank:
                led.unplace(c, "预算执行率行的说明；执行率按预算栏计算")
            else:
                led.label(c)  # the row's names, its "—" target and the rate it repeats from the budget
    draft.budget[main] = draft.budget[main].model_copy(update=update)
    draft.execution_row = weight[0].row
    return True



def c1_of(header: _Header, key: str) -> int:
    return header.cols[key][0]


_PLACEHOLDER_NAME = re.compile(r"(指标\d*[:：]?[/／\-—]?|…+|\.{3,}|。{3,}|[-—/／]|无)")
_NOT_APPLICABLE = {"", "-", "—", "/", "／", "无", "--", "——"}


def _is_placeholder(grid: _Grid, own: dict[str, list[_Cell]]) -> bool:
    """A template row nobody filled: "指标1"/"指标2:"/"……" with nothing, or "/" "—" "无", elsewhere."""
    name_cells = own.get("level3", [])
    if not name_cells:
        return False
    name = grid.norm(name_cells[0])
    if not _PLACEHOLDER_NAME.fullmatch(name):
        return False
    for key, cells in own.items():
        if key in ("level1", "level2", "level3"):
            continue
        for c in cells:
            text = c.raw if isinstance(c.raw, str) else ("" if c.raw is None else "x")
            if normalize_text(str(text)) not in _NOT_APPLICABLE:
                return False
    return True


_COMPARATORS = ("≥", "≤", "=", ">", "<", "大于等于", "小于等于", "不低于", "不高于", "不少于", "不超过", "大于",
                "小于", "等于", "以上", "以下", "以内")


def _text_of(v: Value) -> str:
    if isinstance(v.raw, Decimal):
        return v.shown
    return v.text


def _composed(parts: dict[str, Value], values: dict[str, Value]) -> dict[str, Value]:
    """年度指标值 from its columns: the adjusted target when there is one, else the initial one;
    a 指标性质 column's comparator before it and a 度量单位 after it ("≧" "95" "%" → "≧95%"), as
    typed. A 指标性质 of 定量/定性 or 正向/反向 is the indicator's kind or direction instead."""
    out: dict[str, Value] = {}
    target = next((parts[k] for k in ("target", "target_adjusted", "target_initial")
                   if k in parts and not parts[k].is_blank), None)
    if target is None:
        target = next((parts[k] for k in ("target", "target_adjusted", "target_initial") if k in parts), None)
    comparator = parts.get("comparator")
    comp_text = normalize_text(comparator.text) if comparator is not None else ""
    if comp_text in ("定量", "定性") and "kind" not in values:
        out["kind"] = comparator
        comp_text = ""
    elif comp_text in ("正向", "反向") and "direction" not in values:
        out["direction"] = comparator
        comp_text = ""
    elif comp_text and not any(comp_text.startswith(c) for c in _COMPARATORS):
        comp_text = ""
    unit = parts.get("unit")
    unit_text = unit.text if unit is not None and unit.text not in _NOT_APPLICABLE else ""
    if target is not None:
        if (comp_text or unit_text) and not target.is_blank:
            body = _text_of(target)
            raw = (comparator.text.strip() if comp_text else "") + body
            if unit_text and not body.endswith(unit_text):
                raw += unit_text
            out["target"] = Value(raw=raw, loc=target.loc)
        else:
            out["target"] = target
    if "score" not in values and "coefficient" in parts and "weight" in values:
        coefficient, weight = parts["coefficient"].number, values["weight"].number
        if coefficient is not None and weight is not None:
            out["score"] = Value(raw=excel_round(coefficient * weight, 2), loc=parts["coefficient"].loc)
    return out


def _is_repeated_header(grid: _Grid, row: int) -> bool:
    return _is_indicator_header(_header_in_row(grid, row, _indicator_key))


def _own_cells(grid: _Grid, led: _Ledger, row: int, c1: int, c2: int) -> list[_Cell]:
    return [c for c in grid.row_cells(row) if c1 <= c.col <= c2 and not led.is_used(c)]


def _carried_name(grid: _Grid, led: _Ledger, header: _Header, row: int, key: str, i: int,
                  label: str) -> Value | None:
    """A merged 一级/二级 name applies to every row it covers (openpyxl reads only its top cell)."""
    c1, c2 = header.cols[key]
    for col in range(c1, c2 + 1):
        anchor_pos = grid.anchor_of.get((row, col))
        if anchor_pos is None or not header.row < anchor_pos[0] < row:
            continue
        anchor = grid.get(*anchor_pos)
        if anchor is None or header.key_at(anchor.col) != key:
            continue
        value = led.value(anchor)
        led.mapping.append(MappingEntry(
            sheet=grid.name, cell=anchor.coord, field=f"indicators[{i}].{key}", label=label,
            value=value.raw, percent_format=value.percent_format,
            note=f"合并单元格{grid.merge_text(*anchor_pos)}",
        ))
        return value
    return None


def _check_merges(grid: _Grid, led: _Ledger, header: _Header, row: int,
                  reported: set[tuple[int, int]]) -> None:
    """PE804: merges other than the 一级/二级 names lose values for all but one field or row."""
    for key, (c1, c2) in header.cols.items():
        if key == "ignored":
            continue  # a merged 自评权重 or 计分方法 column loses nothing the form needs
        for col in range(c1, c2 + 1):
            anchor_pos = grid.anchor_of.get((row, col))
            if anchor_pos is None or anchor_pos in reported:
                continue
            anchor = grid.get(*anchor_pos)
            if anchor is None or anchor_pos[0] <= header.row:
                continue
            anchor_key = header.key_at(anchor.col)
            where = grid.merge_text(*anchor_pos)
            if anchor_pos[0] == row and anchor_key != key:
                reported.add(anchor_pos)
                kept = _HEADER_NAMES.get(anchor_key, "无表头列")
                led.problem("PE804", f"合并单元格{where}横跨“{kept}”和“{_HEADER_NAMES[key]}”"
                                     f"两列，值只计入“{kept}”", anchor)
            elif anchor_pos[0] < row and key not in ("level1", "level2") and anchor_key == key:
                reported.add(anchor_pos)
                led.problem("PE804", f"“{_HEADER_NAMES[key]}”列的合并单元格{where}跨越多个指标行，"
                            f"值只计入第{anchor_pos[0]}行的指标", anchor)


def _read_total(grid: _Grid, led: _Ledger, draft: _Draft, header: _Header, row: int) -> None:
    fields = {"weight": "stated_total_weight", "score": "stated_total_score",
              "reason": "total_note"}
    for cell in grid.row_cells(row):
        if grid.norm(cell) in TOTAL_LABELS:
            led.label(cell)
            continue
        name = fields.get(header.key_at(cell.col) or "")
        if name and name not in draft.fields:
            _set_field(draft, led, name, cell)
    for key, name in (("weight", "stated_total_weight"), ("score", "stated_total_score")):
        if name not in draft.fields and key in header.cols:  # a blank 合计 cell still has its address
            draft.fields[name] = Value(loc=Loc(sheet=grid.name, cell=grid.sheet.cell_name(row, header.cols[key][0])))


# Narrative rows some templates put under the table (四川: 评价结论 / 存在问题 / 改进措施).
_NARRATIVE_ROWS = {
    "goal_completion": ("评价结论", "自评结论", "总体评价", "绩效目标完成情况分析"),
    "problems": ("存在问题", "存在的问题", "主要问题", "问题"),
    "measures": ("改进措施", "改进意见", "整改措施", "改进的方向和具体措施", "下一步工作打算"),
}


def _read_narrative_rows(grid: _Grid, led: _Ledger, draft: _Draft, rows: list[int]) -> None:
    for row in rows:
        for cell in grid.row_cells(row):
            if led.is_used(cell):
                continue
            norm = grid.norm(cell)
            key = next((k for k, words in _NARRATIVE_ROWS.items() if norm in words), None)
            if key is None or key in draft.narrative:
                continue
            value = _value_to_right(grid, led, cell)
            led.label(cell)
            if value is not None:
                draft.narrative[key] = led.place(value, f"narrative.{key}", NARRATIVE_SECTIONS[key])


def _read_other_notes(grid: _Grid, led: _Ledger, draft: _Draft, rows: list[int]) -> None:
    for row in rows:
        for cell in grid.row_cells(row):
            if led.is_used(cell) or not _other_notes_prefix(grid.norm(cell)):
                continue
            text = _after_colon(cell.raw)
            if text is not None and text.strip():
                _set_field(draft, led, "other_notes", cell, _text_value(led, cell, text),
                           note="冒号后的文字")
                return
            led.label(cell)
            value = _value_to_right(grid, led, cell) or _notes_below(grid, led, row)
            if value is not None:
                _set_field(draft, led, "other_notes", value)
            return


def _notes_below(grid: _Grid, led: _Ledger, row: int) -> _Cell | None:
    """A lone text line right under the label, unless it is a 注 line."""
    below = next((r for r in sorted(grid.rows) if r > row), None)
    if below is None or _ends_table(grid, below):
        return None
    cells = [c for c in grid.row_cells(below) if not led.is_used(c)]
    return cells[0] if len(cells) == 1 else None


# --------------------------------------------------------------------------------------------
# One sheet
# --------------------------------------------------------------------------------------------


def _parse_sheet(grid: _Grid, header: _Header, file: str) -> tuple[_Draft, _Ledger]:
    led = _Ledger(grid=grid, file=file)
    draft = _Draft(kind=_detect_kind(grid, header.top))
    _check_header_columns(led, header)
    budget = _budget_header(grid, header.top)
    end = _table_end(grid, header)
    total_row = end if end in grid.rows and _is_total_row(grid, end) else None
    after = [r for r in sorted(grid.rows) if r >= end]

    budget_end = header.row
    if budget is not None and _is_paired_row(grid, budget.row):
        budget = None  # "预算数: 2.38 执行数: 2.38": labels beside their values, not a header
    if budget is not None:
        budget_end = _read_budget(grid, led, draft, budget, header.top)
    elif not _read_paired_budget(grid, led, draft, header.top):
        led.problem("PE806", "未找到“年度资金预算情况”栏的表头（年初预算数、全年预算数、"
                             "实际支出数/全年执行数、执行率），未导入预算数据")
    above = [r for r in sorted(grid.rows) if r < header.top and not (
        budget is not None and budget.row < r < budget_end)]
    _read_info(grid, led, draft, above + after)
    _read_goals(grid, led, draft, 1, header.top)  # above or below the budget block
    _read_indicators(grid, led, draft, header, end)
    if budget is not None:
        # A form that scores its execution among the indicators has no 分值/得分 in the budget block.
        _check_budget_columns(led, budget, scored_elsewhere=draft.execution_row is not None)
    if total_row is not None:
        _read_total(grid, led, draft, header, total_row)
    _read_other_notes(grid, led, draft, after)
    _read_narrative_rows(grid, led, draft, after)
    top = _top_row(led, header)
    _read_title(grid, led, draft, top)
    _check_basics(led, draft)
    if draft.placeholders:
        rows = "、".join(str(r) for r in draft.placeholders[:12]) + ("…" if len(draft.placeholders) > 12 else "")
        led.problem("PE811", f"{len(draft.placeholders)} 个模板占位行（“指标1”“……”等，没有数值）未导入，"
                             f"不计分：第{rows}行", grid.get(draft.placeholders[0], header.cols.get("level3", (1, 1))[0]))
    _check_second_form(grid, led, header, end)
    _sweep(grid, led, header, budget, end, total_row, top)
    return draft, led


def _is_total_row(grid: _Grid, row: int) -> bool:
    return any(grid.norm(c) in TOTAL_LABELS for c in grid.row_cells(row))


def _top_row(led: _Ledger, header: _Header) -> int:
    """The first row holding a value already read (labels alone do not count: an index of forms
    above the form has 项目名称 too): the title sits above it."""
    rows = [int("".join(ch for ch in m.cell if ch.isdigit()) or 0) for m in led.mapping if m.sheet == led.grid.name]
    return min([r for r in rows if r > 0] + [header.top])


def _check_header_columns(led: _Ledger, header: _Header) -> None:
    if not header.cols:
        led.problem("PE813", "找到了自评表的预算栏，但没有找到指标表（“年度指标值”“实际完成值”等列标题），"
                             "只导入了预算和基本信息")
        return
    for key in _REQUIRED:
        if key in header.cols or (key == "target" and header.has_target()):
            continue
        soft = key in _SOFT_REQUIRED
        led.problem(
            "PE802", f"指标表表头（第{header.row}行）缺少“{_HEADER_NAMES[key]}”列"
                     + ("，各指标的该项为空" if soft else "，该列的值无法导入"),
            header.cells[0], severity=Severity.WARNING if soft else None,
        )


def _check_budget_columns(led: _Ledger, header: _Header, *, scored_elsewhere: bool = False) -> None:
    names = {"initial": "年初预算数", "full_year": "全年预算数", "actual": "实际支出数/全年执行数",
             "rate": "执行率", "weight": "分值", "score": "得分"}
    for key, name in names.items():
        if key not in header.cols and not (scored_elsewhere and key in ("weight", "score")):
            led.problem("PE802", f"预算栏表头（第{header.row}行）缺少“{name}”列", header.cells[0],
                        severity=Severity.WARNING)


def _check_basics(led: _Ledger, draft: _Draft) -> None:
    if "name" not in draft.fields:
        led.problem("PE809", f"未找到{_field_label('name', draft.kind)}")
    if "year" not in draft.fields:
        led.problem("PE809", "未找到年度（标题和单元格中都没有“××××年”）")


def _check_second_form(grid: _Grid, led: _Ledger, header: _Header, end: int) -> None:
    later = [h for h in _indicator_headers(grid) if h.row >= end]
    if later:
        led.problem("PE805", f"工作表中第{later[0].row}行还有一份指标表，"
                             f"只导入了第{header.row}行开始的一份", later[0].cells[0])


def _sweep(grid: _Grid, led: _Ledger, header: _Header, budget: _Header | None, end: int,
           total_row: int | None, top: int) -> None:
    """Every own cell not read is a label or goes to `unplaced` with the reason."""
    for (row, _col), cell in sorted(grid.cells.items()):
        if led.is_used(cell):
            continue
        if _is_known_label(grid.norm(cell)):
            led.label(cell)
            continue
        led.unplace(cell, _why(row, header, budget, end, total_row, top))


def _why(row: int, header: _Header, budget: _Header | None, end: int, total_row: int | None,
         top: int) -> str:
    if row < top:
        return "表格上方的内容，不是标题"
    if row == total_row:
        return "合计行中该列没有对应的字段"
    if header.row < row < end:
        return "指标表中该列没有可识别的列标题"
    if row >= end:
        return "表格下方的说明或附注"
    if budget is not None and budget.row <= row:
        return "预算栏或绩效目标栏中无法对应的单元格"
    return "表头区域中无法识别的内容"


# --------------------------------------------------------------------------------------------
# Workbook level
# --------------------------------------------------------------------------------------------


def _load(path: Path) -> tuple[list[SheetGrid] | None, list[Finding]]:
    """(the workbook's sheets as grids, problems). Never writes to the file.

    The values come from the cached results (data_only); a second load keeps the formula texts so
    a Value can say that 执行率 was computed, not typed.
    """
    try:
        values = open_workbook(path, data_only=True)
        formulas = open_workbook(path, data_only=False)
    except InputFileError as exc:
        return None, [_io_finding(exc.code, exc.message, path)]
    return grids_from_openpyxl(values, formulas), []


def _io_finding(code: str, message: str, path: Path) -> Finding:
    severity = severity_of(code)
    return Finding(code=code, severity=severity, message=message, file=str(path))


def _choose(grids: list[_Grid]) -> tuple[_Grid, _Header] | None:
    best = None
    for grid in grids:
        headers = _indicator_headers(grid)
        if headers and (best is None or len(headers[0].cols) > len(best[1].cols)):
            best = (grid, headers[0])
    return best


def _budget_only(grids: list[_Grid]) -> tuple[_Grid, _Header] | None:
    """A form whose indicator table is missing (cut off, or sent separately) but whose budget
    block is there: read what there is, with an empty indicator header below everything."""
    for grid in grids:
        if _budget_header(grid, grid.max_row + 1) is not None:
            return grid, _Header(row=grid.max_row + 1, cols={}, cells=())
    return None


def _score_sheet(grids: list[_Grid]) -> tuple[_Grid, _Header] | None:
    """An indicator-system score sheet (一级/二级/三级 | 指标分值 | 计分标准 | 自评得分) with no targets
    or completions: read as a form whose rows cannot be scored by the rules."""
    for grid in grids:
        for row in sorted(grid.rows):
            h = _header_in_row(grid, row, _indicator_key)
            if not h.cols:
                continue
            h = _with_sub_header(grid, h)
            names = sum(k in h.cols for k in ("level1", "level2", "level3"))
            if names >= 2 and "weight" in h.cols and "score" in h.cols:
                return grid, h
    return None


def _not_found(grids: list[_Grid], file: str) -> Finding:
    found: set[str] = set()
    for grid in grids:
        found |= _best_partial_header(grid)
    missing = "".join(f"“{_HEADER_NAMES[k]}”" for k in _REQUIRED if k not in found)
    where = "".join(f"「{g.name}」" for g in grids) or "工作簿"
    return Finding(code="PE801", severity=Severity.ERROR,
                   sheet=grids[0].name if len(grids) == 1 else "",
                   message=f"在{where}中未找到自评表表头：缺少{missing}。", file=file)


def _other_sheet_notes(grids: list[_Grid], chosen: _Grid, file: str) -> list[Finding]:
    out = []
    for grid in grids:
        if grid is chosen or not grid.cells:
            continue
        if _indicator_headers(grid):
            out.append(Finding(
                code="PE805", severity=Severity.WARNING, sheet=grid.name, file=file,
                message=f"工作表「{grid.name}」中也有自评表，只导入了「{chosen.name}」中的一份"))
        else:
            out.append(Finding(
                code="PE808", severity=Severity.INFO, sheet=grid.name, file=file,
                message=f"工作表「{grid.name}」中没有自评表（{len(grid.cells)}个非空单元格），未导入"))
    return out


_FIELD_ORDER = ("title", "year", "name", "competent_dept", "implementer", "budget", "narrative",
                "goals_expected", "goals_actual", "indicators", "stated_total_weight",
                "stated_total_score", "total_note", "stated_grade", "other_notes")


def _in_form_order(mapping: list[MappingEntry]) -> list[MappingEntry]:
    """The report reads top to bottom like the form, whatever order the parts were read in."""
    def key(entry: MappingEntry) -> tuple[int, int]:
        head, _, rest = entry.field.partition("[")
        index = int(rest.split("]")[0]) if rest else 0
        return _FIELD_ORDER.index(head.split(".")[0]), index

    return sorted(mapping, key=key)  # stable: within one indicator, columns stay in order


def _build_form(draft: _Draft, source: str) -> Form:
    return Form(
        kind=draft.kind, source=source, budget=tuple(draft.budget),
        indicators=tuple(draft.indicators), money_unit=draft.money_unit or "万元",
        narrative=Narrative(sections=dict(draft.narrative)), **draft.fields,
    )


def import_legacy(path: Path, *, sheet: str | None = None) -> ImportResult:
    """Read a hand-made 自评表 workbook into a Form, recording where every value came from."""
    path = Path(path)
    grids, problems = _load(path)
    if grids is None:
        return ImportResult(problems=problems, form=Form(source=path.name))
    return import_grids(grids, path, sheet=sheet)


def import_grids(grids: list[SheetGrid], path: Path, *, sheet: str | None = None) -> ImportResult:
    """Find the form among the grids of one file (sheets or document tables) and read it."""
    path = Path(path)
    names = [g.name for g in grids]
    if sheet is not None and sheet not in names:
        listed = "、".join(f"「{n}」" for n in names)
        return ImportResult(form=Form(source=path.name), problems=[Finding(
            code="PE810", severity=Severity.ERROR, file=str(path),
            message=f"没有名为「{sheet}」的工作表（现有：{listed}）")])
    wanted = [_Grid(g) for g in grids if sheet is None or g.name == sheet]
    chosen = _choose(wanted) or _budget_only(wanted) or _score_sheet(wanted)
    if chosen is None:
        return ImportResult(form=Form(source=path.name), problems=[_not_found(wanted, str(path))],
                            sheet=wanted[0].name if len(wanted) == 1 else "")
    grid, header = chosen
    draft, led = _parse_sheet(grid, header, str(path))
    problems = led.problems + _other_sheet_notes(wanted, grid, str(path))
    return ImportResult(
        form=_build_form(draft, path.name), mapping=_in_form_order(led.mapping),
        unplaced=led.unplaced, problems=problems, sheet=grid.name, placeholders=len(draft.placeholders),
    )


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _shown(raw: RawValue, percent_format: bool) -> str:
    text = _display(raw)
    if percent_format and isinstance(raw, Decimal):
        return f"{text}（显示为{fmt_decimal(raw * 100)}%）"
    return text


def mapping_report(result: ImportResult) -> str:
    """The mapping as a Chinese text table, then the unplaced cells and the problems."""
    form = result.form
    head = f"导入对照表：{form.source or '（无文件名）'}"
    if result.sheet:
        head += f"　工作表「{result.sheet}」　{form.kind.title}"
    lines = [head]
    if result.mapping:
        cell_w = max(_width("源单元格"), *(_width(m.location) for m in result.mapping)) + 2
        label_w = max(_width("字段"), *(_width(m.label) for m in result.mapping)) + 2
        lines.append(_pad("源单元格", cell_w) + _pad("字段", label_w) + "值")
        for m in result.mapping:
            value = _clip(_shown(m.value, m.percent_format), 60)
            note = f"　（{m.note}）" if m.note else ""
            lines.append(_pad(m.location, cell_w) + _pad(m.label, label_w) + value + note)
    else:
        lines.append("（没有导入任何单元格）")
    lines.append("")
    lines.append(f"未能放置的单元格：{len(result.unplaced)}个")
    for u in result.unplaced:
        lines.append(f"  {u.location}　{_clip(_display(u.value), 50)}　—— {u.why}")
    other = [p for p in result.problems if p.code != "PE803"]
    if other:
        lines.append("")
        lines.append("导入问题：")
        lines.extend(f"  [{p.code} {p.severity.label}] {p}" for p in other)
    return "\n".join(lines)
