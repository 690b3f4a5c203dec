"""THE cell map: where every field of the template lives, and what every computed cell holds.

No other module spells a cell address. The template builder writes here, the reader reads
here, the findings writer and the ribbon handlers point here, and the formulas below are the
only place our worksheet functions are wired to cells. Changing the form means changing this
file and bumping LAYOUT_VERSION, which the reader checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..core.model import NARRATIVE_SECTIONS, BudgetRowKind, FormKind
from . import native_formulas as nf

__all__ = [
    "LAYOUT_VERSION",
    "SHEET_FORM",
    "SHEET_NARRATIVE",
    "SHEET_UNITS",
    "SHEET_PROFILE",
    "SHEET_FINDINGS",
    "SHEET_CONFIG",
    "SHEET_ORDER",
    "FormLayout",
    "layout_for",
    "ConfigCells",
    "CONFIG",
    "NarrativeLayout",
    "NARRATIVE",
    "UnitsLayout",
    "UNITS",
    "FindingsLayout",
    "FINDINGS",
    "ProfileSheetLayout",
    "PROFILE_SHEET",
    "SHEET_SUMMARY",
    "SHEET_DISTRIBUTION",
    "SummaryLayout",
    "SUMMARY",
    "DistributionLayout",
    "DISTRIBUTION",
    "SHEET_CONSOLIDATION",
    "ConsolidationColumn",
    "ConsolidationTable",
    "ConsolidationLayout",
    "CONSOLIDATION",
    "cell",
    "quote_sheet",
]

LAYOUT_VERSION = "1"
TEMPLATE_MARKER = "perfeval-template"

SHEET_FORM = "自评表"
SHEET_NARRATIVE = "报告素材"
SHEET_UNITS = "下属单位"
SHEET_PROFILE = "评分规则"
SHEET_FINDINGS = "校验结果"
SHEET_CONFIG = "配置"
SHEET_ORDER = (SHEET_FORM, SHEET_NARRATIVE, SHEET_UNITS, SHEET_PROFILE, SHEET_FINDINGS, SHEET_CONFIG)
# Only a consolidated workbook has it, just before 配置; its presence marks such a workbook.
SHEET_CONSOLIDATION = "汇总说明"
# Only in a workbook made by `perfeval import`: what the published form stated for the cells our
# template computes, beside the live formulas' results (the form's claim, for PE4xx findings).
SHEET_CLAIMS = "原表填报"


def cell(col: str, row: int) -> str:
    return f"{col}{row}"


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


# The form's columns. A–H are the official form (the print area); I–L are our helpers.
COL_L1, COL_L2, COL_L3 = "A", "B", "C"
COL_TARGET, COL_ACTUAL, COL_WEIGHT, COL_SCORE, COL_REASON = "D", "E", "F", "G", "H"
COL_KIND, COL_DIRECTION, COL_READING, COL_BAND = "I", "J", "K", "L"
# Budget block columns.
COL_B_LABEL, COL_B_INITIAL, COL_B_FULL, COL_B_ACTUAL = "B", "C", "D", "E"
COL_B_RATE, COL_B_WEIGHT, COL_B_SCORE = "F", "G", "H"
# Deduction rows.
COL_D_SOURCE, COL_D_DESC, COL_D_AMOUNT, COL_D_POINTS = "A", "B", "F", "G"
LAST_PRINT_COL = "H"
LAST_COL = "L"
# Hidden working columns right of the form (never printed, locked): whether the completion
# cell is percent-formatted, the add-in's results for the whole block (one array formula),
# and the native fallback formulas' intermediate values (native_formulas.HELPERS), per row.
COL_PERCENT = "M"
COL_PY_SCORE, COL_PY_READING, COL_PY_BAND = "N", "O", "P"
HELPER_COLS = dict(zip((name for name, _ in nf.HELPERS),
                       ("Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "AA", "AB", "AC"), strict=True))
FIRST_WORK_COL, LAST_WORK_COL = COL_PERCENT, "AC"
# Columns whose indicator-row formulas are one formula filled down (row references shifted):
# stored once per column as shared formulas (package_xml.share_formulas).
FILLED_DOWN_COLS = (COL_SCORE, COL_READING, COL_BAND, COL_PERCENT, *HELPER_COLS.values())
WORK_HEADS = {COL_PERCENT: "完成值为百分比格式", COL_PY_SCORE: "加载项：得分", COL_PY_READING: "加载项：解读",
              COL_PY_BAND: "加载项：档次"} | {col: f"表内公式：{name}" for name, col in HELPER_COLS.items()}

# Widths (in Excel's character units) of the form's columns A–L.
FORM_COLUMN_WIDTHS = dict(zip("ABCDEFGHIJKL", (12, 14, 24, 22, 12, 7, 8, 26, 9, 9, 14, 16), strict=True))

INDICATOR_ROWS = 60
DEDUCTION_ROWS = 3


@dataclass(frozen=True)
class ConfigCells:
    """The hidden 配置 sheet: what the reader needs to trust the workbook."""

    marker: str = "B1"
    version: str = "B2"
    kind: str = "B3"
    profile: str = "B4"
    generator: str = "B5"
    labels: tuple[tuple[str, str], ...] = (
        ("A1", "模板标识"),
        ("A2", "模板版本"),
        ("A3", "表格类型"),
        ("A4", "评分规则"),
        ("A5", "生成工具"),
    )

    @property
    def profile_ref(self) -> str:
        """Absolute reference used inside formulas: every score follows the chosen profile."""
        col, row = self.profile[0], self.profile[1:]
        return f"{quote_sheet(SHEET_CONFIG)}!${col}${row}"


CONFIG = ConfigCells()


@dataclass(frozen=True)
class BudgetLine:
    kind: BudgetRowKind
    label: str
    row: int


@dataclass(frozen=True)
class FormLayout:
    kind: FormKind
    title: str = "A1"
    name_label: str = "A2"
    name: str = "C2"
    year_label: str = "G2"
    year: str = "H2"
    competent_label: str | None = None
    competent: str | None = None
    implementer_label: str | None = None
    implementer: str | None = None
    budget_header_row: int = 3
    budget_lines: tuple[BudgetLine, ...] = ()
    goals_header_row: int = 7
    indicator_header_row: int = 9
    indicator_first_row: int = 10
    indicator_count: int = INDICATOR_ROWS

    # ---- rows derived from the ones above -------------------------------------------------
    @property
    def goals_row(self) -> int:
        return self.goals_header_row + 1

    @property
    def indicator_last_row(self) -> int:
        return self.indicator_first_row + self.indicator_count - 1

    @property
    def indicator_rows(self) -> range:
        return range(self.indicator_first_row, self.indicator_last_row + 1)

    @property
    def total_row(self) -> int:
        return self.indicator_last_row + 1

    @property
    def grade_row(self) -> int:
        return self.total_row + 1

    @property
    def deduction_header_row(self) -> int:
        return self.grade_row + 1

    @property
    def deduction_rows(self) -> range:
        first = self.deduction_header_row + 1
        return range(first, first + DEDUCTION_ROWS)

    @property
    def other_notes_row(self) -> int:
        return self.deduction_rows.stop

    @property
    def footnote_row(self) -> int:
        return self.other_notes_row + 1

    @property
    def print_area(self) -> str:
        return f"A1:{LAST_PRINT_COL}{self.footnote_row}"

    # ---- single cells -------------------------------------------------------------------
    @property
    def goals_expected(self) -> str:
        return cell("B", self.goals_row)

    @property
    def goals_actual(self) -> str:
        return cell("E", self.goals_row)

    @property
    def total_weight(self) -> str:
        return cell(COL_WEIGHT, self.total_row)

    @property
    def total_score(self) -> str:
        return cell(COL_SCORE, self.total_row)

    @property
    def total_note(self) -> str:
        return cell(COL_REASON, self.total_row)

    @property
    def grade(self) -> str:
        return cell(COL_SCORE, self.grade_row)

    @property
    def other_notes(self) -> str:
        return cell("B", self.other_notes_row)

    @property
    def main_budget_line(self) -> BudgetLine:
        return self.budget_lines[0]

    def budget_cells(self, line: BudgetLine) -> dict[str, str]:
        r = line.row
        return {
            "label": cell(COL_B_LABEL, r),
            "initial": cell(COL_B_INITIAL, r),
            "full_year": cell(COL_B_FULL, r),
            "actual": cell(COL_B_ACTUAL, r),
            "stated_rate": cell(COL_B_RATE, r),
            "weight": cell(COL_B_WEIGHT, r),
            "score": cell(COL_B_SCORE, r),
        }

    @staticmethod
    def indicator_cells(row: int) -> dict[str, str]:
        return {
            "level1": cell(COL_L1, row),
            "level2": cell(COL_L2, row),
            "level3": cell(COL_L3, row),
            "target": cell(COL_TARGET, row),
            "actual": cell(COL_ACTUAL, row),
            "weight": cell(COL_WEIGHT, row),
            "score": cell(COL_SCORE, row),
            "reason": cell(COL_REASON, row),
            "kind": cell(COL_KIND, row),
            "direction": cell(COL_DIRECTION, row),
            "reading": cell(COL_READING, row),
            "band": cell(COL_BAND, row),
        }

    @staticmethod
    def work_cells(row: int) -> dict[str, str]:
        """The row's hidden working cells, by name (percent, py_*, and the helpers)."""
        return {"percent": cell(COL_PERCENT, row), "py_score": cell(COL_PY_SCORE, row),
                "py_reading": cell(COL_PY_READING, row), "py_band": cell(COL_PY_BAND, row)} | {
            name: cell(col, row) for name, col in HELPER_COLS.items()}

    @classmethod
    def row_refs(cls, row: int) -> nf.RowRefs:
        c = cls.indicator_cells(row)
        return nf.RowRefs(target=c["target"], actual=c["actual"], weight=c["weight"], kind=c["kind"],
                          direction=c["direction"], **cls.work_cells(row))

    @staticmethod
    def deduction_cells(row: int) -> dict[str, str]:
        return {
            "source": cell(COL_D_SOURCE, row),
            "description": cell(COL_D_DESC, row),
            "amount": cell(COL_D_AMOUNT, row),
            "points": cell(COL_D_POINTS, row),
        }

    # ---- formulas ----------------------------------------------------------------------
    # A formula that calls a perfeval worksheet function falls back to a native formula of
    # native_formulas (generated from the profile's numbers on the 评分规则 sheet), so WPS,
    # LibreOffice and Excel without the add-in — or with the add-in but without Python, whose
    # wrappers then answer #N/A — show the same results. Pure arithmetic needs no function.
    def _base(self, line: BudgetLine, base: str) -> str:
        return self.budget_cells(line)["full_year" if base == "full_year" else "initial"]

    def rate_formula(self, line: BudgetLine, base: str = "full_year") -> str:
        return "=" + nf.rate(self.budget_cells(line)["actual"], self._base(line, base))

    # The add-in's answers sit in hidden cells (IFERROR(UDF(…),"")) and the shown cell takes
    # them when there are any, else the native result: a host that runs our VBA but cannot
    # reach Python answers #N/A (Excel) or a blank (LibreOffice), and both fall back.
    @property
    def py_execution_score(self) -> str:
        return cell(COL_PY_SCORE, self.main_budget_line.row)

    @property
    def py_total(self) -> str:
        return cell(COL_PY_SCORE, self.total_row)

    @property
    def py_grade(self) -> str:
        return cell(COL_PY_SCORE, self.grade_row)

    @property
    def python_cells(self) -> set[str]:
        """Every hidden cell holding an add-in answer ("" wherever the add-in cannot answer)."""
        block = {f"{col}{r}" for col in (COL_PY_SCORE, COL_PY_READING, COL_PY_BAND) for r in self.indicator_rows}
        return block | {self.py_execution_score, self.py_total, self.py_grade}

    @property
    def part_lines(self) -> tuple[BudgetLine, ...]:
        """The lines beneath the total that add up to it (evaluate.parts_of_total): the fund
        sources, else 基本支出 and 项目支出."""
        rest = self.budget_lines[1:]
        sources = tuple(line for line in rest if line.kind is BudgetRowKind.SOURCE)
        return sources or tuple(line for line in rest if line.kind in (BudgetRowKind.BASIC, BudgetRowKind.PROJECT))

    def uses_parts_condition(self) -> str:
        """TRUE when the total line is empty or 0 and its parts hold figures: the execution
        rate is then on the parts, as evaluate() computes it."""
        c = self.budget_cells(self.main_budget_line)
        parts = ",".join(self.budget_cells(line)[k] for line in self.part_lines
                         for k in ("initial", "full_year", "actual"))
        if not parts:
            return "FALSE"
        return (f'AND(N({c["initial"]})=0,N({c["full_year"]})=0,N({c["actual"]})=0,COUNT({parts})>0)')

    def _exec_inputs(self, base: str) -> tuple[str, str, str, str]:
        c = self.budget_cells(self.main_budget_line)
        b = self._base(self.main_budget_line, base)
        if not self.part_lines:
            return c["actual"], b, c["weight"], f'AND({c["actual"]}="",{b}="")'
        parts = self.uses_parts_condition()
        pa = ",".join(self.budget_cells(line)["actual"] for line in self.part_lines)
        pb = ",".join(self._base(line, base) for line in self.part_lines)
        return (f"IF({parts},SUM({pa}),{c['actual']})", f"IF({parts},SUM({pb}),{b})", c["weight"],
                f'AND({c["actual"]}="",{b}="",NOT({parts}))')

    def python_execution_score_formula(self, base: str = "full_year") -> str:
        a, b, w, blank = self._exec_inputs(base)
        return f'=IF({blank},"",IFERROR(EXEC_SCORE({a},{b},{w},{CONFIG.profile_ref}),""))'

    def execution_score_formula(self, base: str = "full_year") -> str:
        a, b, w, blank = self._exec_inputs(base)
        py = self.py_execution_score
        return f'=IF({blank},"",IF({py}<>"",{py},{nf.execution_score(a, b, w, PROFILE_SHEET.refs)}))'

    def python_block(self) -> tuple[str, str]:
        """(range, array formula) of SCORE_TABLE over the indicator block: the add-in's 得分,
        解读 and 档次 of all rows in one call, "" wherever it cannot answer."""
        first, last = self.indicator_first_row, self.indicator_last_row

        def col(c: str) -> str:
            return f"{c}{first}:{c}{last}"

        args = ",".join([col(COL_TARGET), col(COL_ACTUAL), col(COL_WEIGHT), CONFIG.profile_ref,
                         col(COL_KIND), col(COL_DIRECTION), col(COL_PERCENT)])
        return f"{COL_PY_SCORE}{first}:{COL_PY_BAND}{last}", f'=IFERROR(SCORE_TABLE({args}),"")'

    def percent_formula(self, row: int) -> str:
        return "=" + nf.percent_format(self.indicator_cells(row)["actual"])

    def helper_formulas(self, row: int) -> dict[str, str]:
        return {ref: "=" + f for ref, f in nf.helper_formulas(self.row_refs(row), PROFILE_SHEET.refs).items()}

    def score_formula(self, row: int) -> str:
        r = self.row_refs(row)
        return f'=IF({r.py_score}<>"",{r.py_score},{nf.score(r, PROFILE_SHEET.refs)})'

    def reading_formula(self, row: int) -> str:
        r = self.row_refs(row)
        return f'=IF({r.py_reading}<>"",{r.py_reading},{nf.reading(r, PROFILE_SHEET.refs)})'

    def rows_hint(self) -> str:
        return (f"本表预留 {self.indicator_count} 个指标行（第 {self.indicator_first_row}–{self.indicator_last_row} 行），"
                "未用的行已隐藏时：选中上下两行的行号，右键“取消隐藏”即可继续填写。")

    def band_formula(self, row: int) -> str:
        r = self.row_refs(row)
        return f'=IF({r.py_band}<>"",{r.py_band},{nf.band(r, PROFILE_SHEET.refs)})'

    def total_weight_formula(self) -> str:
        main = self.budget_cells(self.main_budget_line)
        return (f"=SUM({COL_WEIGHT}{self.indicator_first_row}:{COL_WEIGHT}{self.indicator_last_row})"
                f"+N({main['weight']})")

    def _total_inputs(self) -> tuple[str, str, str]:
        main = self.budget_cells(self.main_budget_line)["score"]
        d = self.deduction_rows
        scores = f"{COL_SCORE}{self.indicator_first_row}:{COL_SCORE}{self.indicator_last_row}"
        return scores, f"{COL_D_POINTS}{d.start}:{COL_D_POINTS}{d.stop - 1}", main

    def python_total_formula(self) -> str:
        scores, points, main = self._total_inputs()
        return (f'=IF(COUNT({scores},{main})=0,"",IFERROR(TOTAL({scores},{points},{main},'
                f'{CONFIG.profile_ref}),""))')

    def total_score_formula(self) -> str:
        scores, points, main = self._total_inputs()
        py = self.py_total
        return (f'=IF(COUNT({scores},{main})=0,"",IF({nf.total_has_marker(scores, main)},"{nf.MARKER}",'
                f'IF({py}<>"",{py},{nf.total(scores, points, main, PROFILE_SHEET.refs)})))')

    def python_grade_formula(self) -> str:
        t = self.total_score
        return f'=IF({t}="","",IFERROR(GRADE({t},{CONFIG.profile_ref}),""))'

    def grade_formula(self) -> str:
        t, py = self.total_score, self.py_grade
        return f'=IF({t}="","",IF({py}<>"",{py},{nf.grade(t, PROFILE_SHEET.refs)}))'

    def formula_cells(self, base: str = "full_year") -> dict[str, str]:
        """Every computed cell of the form and its formula, in sheet order."""
        return dict(_formula_cells(self, base))

    def _build_formula_cells(self, base: str) -> dict[str, str]:
        out: dict[str, str] = {self.title: self.title_formula()}
        for line in self.budget_lines:
            out[self.budget_cells(line)["stated_rate"]] = self.rate_formula(line, base)
        out[self.py_execution_score] = self.python_execution_score_formula(base)
        out[self.budget_cells(self.main_budget_line)["score"]] = self.execution_score_formula(base)
        block, block_formula = self.python_block()
        out[block.split(":")[0]] = block_formula
        for r in self.indicator_rows:
            c = self.indicator_cells(r)
            out[self.work_cells(r)["percent"]] = self.percent_formula(r)
            out.update(self.helper_formulas(r))
            out[c["score"]] = self.score_formula(r)
            out[c["reading"]] = self.reading_formula(r)
            out[c["band"]] = self.band_formula(r)
        out[self.total_weight] = self.total_weight_formula()
        out[self.py_total] = self.python_total_formula()
        out[self.total_score] = self.total_score_formula()
        out[self.py_grade] = self.python_grade_formula()
        out[self.grade] = self.grade_formula()
        return out

    # ---- the sheet's furniture: labels, merges and which ranges are inputs ---------------
    @property
    def name_label_text(self) -> str:
        return "项目名称" if self.kind is FormKind.PROJECT else "部门（单位）名称"

    @property
    def budget_heads(self) -> tuple[str, ...]:
        project = self.kind is FormKind.PROJECT
        return ("项目资金" if project else "部门（单位）整体支出", "年初预算数（万元）", "全年预算数（万元）",
                "全年执行数（万元）" if project else "实际支出数（万元）", "执行率", "分值", "得分")

    INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                       "偏差原因分析及改进措施", "指标性质", "指标方向", "系统解读", "定性档次")

    @property
    def title_range(self) -> str:
        return f"{self.title}:{LAST_PRINT_COL}1"

    def labels(self) -> list[tuple[str, str, bool]]:
        """(cell or range, text, bold) of every fixed label; a range is merged."""
        hr, gh, gr = self.budget_header_row, self.goals_header_row, self.goals_row
        dh, last_budget = self.deduction_header_row, self.budget_lines[-1].row
        out = [(f"{self.name_label}:B2", self.name_label_text, True), (self.year_label, "年度", True)]
        if self.competent_label and self.implementer_label:
            out += [(f"{self.competent_label}:B3", "主管部门", True), (self.implementer_label, "实施单位", True)]
        out.append((f"A{hr}:A{last_budget}", "年度资金预算情况", True))
        out += [(f"{col}{hr}", text, True) for col, text in zip("BCDEFGH", self.budget_heads, strict=True)]
        out += [(self.budget_cells(line)["label"], line.label, False) for line in self.budget_lines]
        out += [(f"A{gh}:A{gr}", "年度总体绩效目标完成情况", True), (f"B{gh}:D{gh}", "预期目标", True),
                (f"E{gh}:H{gh}", "目标实际完成情况", True)]
        out += [(f"{col}{self.indicator_header_row}", text, True)
                for col, text in zip("ABCDEFGHIJKL", self.INDICATOR_HEADS, strict=True)]
        out += [(f"A{self.total_row}:E{self.total_row}", "合计", True),
                (f"A{self.grade_row}:E{self.grade_row}", "自评等级", True)]
        out += [(f"A{dh}", "扣分事项来源", True), (f"B{dh}:E{dh}", "发现的问题（巡视、审计、财政监督）", True),
                (f"F{dh}", "涉及金额（万元）", True), (f"G{dh}", "扣分", True), (f"H{dh}", "说明", True)]
        out.append((f"A{self.other_notes_row}", "其他需要说明的问题", True))
        return out

    def value_merges(self) -> list[str]:
        """Merged input areas (the title, long texts), beside the merged labels."""
        gr, orow = self.goals_row, self.other_notes_row
        out = [self.title_range, f"{self.name}:F2", f"{self.goals_expected}:D{gr}", f"{self.goals_actual}:H{gr}"]
        if self.competent and self.implementer:
            out += [f"{self.competent}:D3", f"{self.implementer}:H3"]
        out += [f"B{r}:E{r}" for r in self.deduction_rows]
        out += [f"{self.other_notes}:H{orow}", self.footnote_range]
        return out

    @property
    def footnote(self) -> str:
        return cell("A", self.footnote_row)

    @property
    def footnote_range(self) -> str:
        return f"{self.footnote}:H{self.footnote_row}"

    @property
    def header_row(self) -> int:
        """The row of 部门（单位）名称 and 年度."""
        return 2

    @property
    def indicator_header(self) -> str:
        return cell(COL_L1, self.indicator_header_row)

    def title_formula(self) -> str:
        """The title follows the year cell, so the two cannot disagree."""
        return f'=IF({self.year}="","",{self.year}&"年度")&"{self.kind.title}"'

    @property
    def grade_hint(self) -> str:
        return cell(COL_WEIGHT, self.grade_row)

    def input_ranges(self) -> list[str]:
        """Ranges styled as inputs (the unlocked cells are `input_cells`)."""
        out = [f"{self.name}:F2", self.year, f"B{self.goals_row}:H{self.goals_row}", self.total_note,
               f"B{self.other_notes_row}:H{self.other_notes_row}"]
        if self.competent and self.implementer:
            out += [f"{self.competent}:D3", f"{self.implementer}:H3"]
        for line in self.budget_lines:
            c = self.budget_cells(line)
            out.append(f"{c['initial']}:{c['actual']}")
        for r in self.indicator_rows:
            out += [f"A{r}:F{r}", f"H{r}:J{r}"]
        out += [f"A{r}:G{r}" for r in self.deduction_rows]
        return out

    def computed_ranges(self) -> list[str]:
        out = []
        for line in self.budget_lines:
            c = self.budget_cells(line)
            out.append(f"{c['stated_rate']}:{c['score']}")
        for r in self.indicator_rows:
            out += [cell(COL_SCORE, r), f"{COL_READING}{r}:{COL_BAND}{r}"]
        out += [f"{self.total_weight}:{self.total_score}", f"{COL_WEIGHT}{self.grade_row}:H{self.grade_row}"]
        return out

    def indicator_column(self, col: str) -> str:
        return f"{col}{self.indicator_first_row}:{col}{self.indicator_last_row}"

    @property
    def freeze_at(self) -> str:
        return cell("A", self.indicator_first_row)

    # ---- labels the reader uses to notice moved or deleted rows ------------------------
    @property
    def anchors(self) -> dict[str, str]:
        """Label cells whose text must be where the layout says (cell → label)."""
        a = {
            self.name_label: "项目名称" if self.kind is FormKind.PROJECT else "部门（单位）名称",
            cell("A", self.budget_header_row): "年度资金预算情况",
            cell("A", self.goals_header_row): "年度总体绩效目标完成情况",
            cell(COL_L1, self.indicator_header_row): "一级指标",
            cell(COL_TARGET, self.indicator_header_row): "年度指标值",
            cell(COL_ACTUAL, self.indicator_header_row): "实际完成值",
            cell(COL_WEIGHT, self.indicator_header_row): "分值",
            cell(COL_SCORE, self.indicator_header_row): "得分",
            cell("A", self.total_row): "合计",
            cell("A", self.grade_row): "自评等级",
            cell("A", self.other_notes_row): "其他需要说明的问题",
        }
        for line in self.budget_lines:
            a[cell(COL_B_LABEL, line.row)] = line.label
        return a

    @property
    def input_cells(self) -> list[str]:
        """Cells a clerk types into (unlocked in the protected sheet)."""
        cells = [self.name, self.year, self.goals_expected, self.goals_actual, self.total_note,
                 self.other_notes]
        if self.competent:
            cells.append(self.competent)
        if self.implementer:
            cells.append(self.implementer)
        for line in self.budget_lines:
            c = self.budget_cells(line)
            cells += [c["initial"], c["full_year"], c["actual"]]
        for r in self.indicator_rows:
            c = self.indicator_cells(r)
            cells += [c[k] for k in ("level1", "level2", "level3", "target", "actual", "weight",
                                     "reason", "kind", "direction")]
        for r in self.deduction_rows:
            cells += list(self.deduction_cells(r).values())
        return cells


def _department() -> FormLayout:
    return FormLayout(
        kind=FormKind.DEPARTMENT,
        budget_header_row=3,
        budget_lines=(
            BudgetLine(BudgetRowKind.TOTAL, "全年支出", 4),
            BudgetLine(BudgetRowKind.BASIC, "其中：基本支出", 5),
            BudgetLine(BudgetRowKind.PROJECT, "项目支出", 6),
        ),
        goals_header_row=7,
        indicator_header_row=9,
        indicator_first_row=10,
    )


def _project() -> FormLayout:
    return FormLayout(
        kind=FormKind.PROJECT,
        competent_label="A3",
        competent="C3",
        implementer_label="E3",
        implementer="F3",
        budget_header_row=4,
        budget_lines=(
            BudgetLine(BudgetRowKind.TOTAL, "年度资金总额", 5),
            BudgetLine(BudgetRowKind.SOURCE, "其中：当年财政拨款", 6),
            BudgetLine(BudgetRowKind.SOURCE, "上年结转资金", 7),
            BudgetLine(BudgetRowKind.SOURCE, "其他资金", 8),
        ),
        goals_header_row=9,
        indicator_header_row=11,
        indicator_first_row=12,
    )


@cache
def _formula_cells(layout: FormLayout, base: str) -> tuple[tuple[str, str], ...]:
    return tuple(layout._build_formula_cells(base).items())


@cache
def layout_for(kind: FormKind) -> FormLayout:
    return _department() if kind is FormKind.DEPARTMENT else _project()


@dataclass(frozen=True)
class NarrativeLayout:
    """报告素材: one labelled cell per section of the report, in report order.

    The template writes the rows in `NARRATIVE_SECTIONS` order; the reader finds each row by its
    label (the row below is where it looks first), so a template written before a field was
    added — its rows one place higher — is still read right. `added_keys` are the fields that
    such an older template does not have at all: their absence is not a damaged sheet.
    """

    header_row: int = 1
    first_row: int = 2
    label_col: str = "A"
    value_col: str = "B"
    hint_col: str = "C"
    added_keys: frozenset[str] = frozenset(
        {"benefit_review", "notice_title", "notice_number", "printer", "print_date", "copies"})
    scan_rows: int = 100  # how far down the reader looks for a label

    def row_of(self, key: str) -> int:
        return self.first_row + list(NARRATIVE_SECTIONS).index(key)

    def value_cell(self, key: str) -> str:
        return cell(self.value_col, self.row_of(key))

    def label_cell(self, key: str) -> str:
        return cell(self.label_col, self.row_of(key))

    def label_cells(self) -> list[tuple[int, str]]:
        """(row, label cell) of every row the reader may find a label in."""
        return [(r, cell(self.label_col, r)) for r in range(self.first_row, self.first_row + self.scan_rows)]

    def value_cell_at(self, row: int) -> str:
        return cell(self.value_col, row)


NARRATIVE = NarrativeLayout()


@dataclass(frozen=True)
class UnitsLayout:
    """下属单位: the units whose forms are consolidated, with their fund weights."""

    header_row: int = 1
    first_row: int = 2
    count: int = 50
    columns: tuple[tuple[str, str, int], ...] = (("A", "序号", 6), ("B", "单位名称", 30),
                                                 ("C", "资金额度（万元）", 16), ("D", "自评表文件", 40))

    @property
    def rows(self) -> range:
        return range(self.first_row, self.first_row + self.count)

    @staticmethod
    def unit_cells(row: int) -> dict[str, str]:
        return {"name": cell("B", row), "fund": cell("C", row), "file": cell("D", row)}

    @staticmethod
    def number_cell(row: int) -> str:
        return cell("A", row)


UNITS = UnitsLayout()


@dataclass(frozen=True)
class ClaimsLayout:
    """原表填报: one row per computed cell the imported form stated a value for. Column B names
    the 自评表 cell, so the reader knows whose claim it is; D is a live reference to that cell."""

    note_cell: str = "A1"
    header_row: int = 2
    first_row: int = 3
    count: int = 200
    columns: tuple[tuple[str, str, int], ...] = (("A", "项目", 36), ("B", "自评表单元格", 12),
                                                 ("C", "原表所填", 14), ("D", "模板重算", 14), ("E", "差值", 12))
    note: str = ("这是导入时原表所填的得分、执行率、合计与等级，与模板按规则重算的结果（D 列，随填报内容更新）"
                 "并列，供核对；校验把 C 列当作本表的自评结果。确认采用重算结果后，可删除本工作表。")

    @property
    def rows(self) -> range:
        return range(self.first_row, self.first_row + self.count)

    @staticmethod
    def row_cells(row: int) -> dict[str, str]:
        return {"label": cell("A", row), "target": cell("B", row), "stated": cell("C", row),
                "computed": cell("D", row), "difference": cell("E", row)}

    @staticmethod
    def computed_formula(target: str) -> str:
        return f"='{SHEET_FORM}'!{target}"

    @staticmethod
    def difference_formula(row: int) -> str:
        c, d = cell("C", row), cell("D", row)
        return f'=IF(AND(ISNUMBER({c}),ISNUMBER({d})),ROUND({c}-{d},4),IF({c}={d},"","不同"))'


CLAIMS = ClaimsLayout()


@dataclass(frozen=True)
class FindingsLayout:
    header_row: int = 1
    first_row: int = 2
    columns: tuple[tuple[str, str, int], ...] = (
        ("A", "级别", 8),
        ("B", "代码", 8),
        ("C", "位置", 16),
        ("D", "问题说明", 80),
        ("E", "应为", 16),
        ("F", "现为", 16),
    )


    @property
    def freeze_at(self) -> str:
        return cell("A", self.first_row)

    def row_cells(self, row: int) -> dict[str, str]:
        """The cells of one finding's row, by field."""
        keys = ("severity", "code", "location", "message", "expected", "actual")
        return {k: cell(col, row) for k, (col, _, _) in zip(keys, self.columns, strict=True)}


FINDINGS = FindingsLayout()


@dataclass(frozen=True)
class ProfileSheetLayout:
    """评分规则: the profile in words (A:B) and, beside it (D:G), the numbers the native
    fallback formulas read — written from the same profile as the add-in uses."""

    name: str = "B1"
    title: str = "B2"
    description: str = "B3"
    labels: tuple[tuple[str, str], ...] = (("A1", "规则名称"), ("A2", "说明"), ("A3", "要点"))
    first_table_row: int = 5
    key_col: str = "A"
    value_col: str = "B"
    param_label_col: str = "D"
    param_col: str = "E"  # the value; a table's second and third columns are F and G
    param_header_row: int = 5
    param_header: str = "表内公式参数（由评分规则生成，供未加载加载项时计算，请勿改动）"

    # Parameter name → (row, label); tables (several rows) give their first row.
    SCALARS = (("score_digits", "得分保留小数位"), ("rate_digits", "执行率保留小数位（小数形式）"),
               ("exec_method", "执行率得分方法（1=分档，0=按比例）"), ("exec_weight", "执行率分值（分档表按此分值）"),
               ("over_threshold", "超额完成需说明的幅度"), ("over_deduction", "超额完成扣分"))

    @property
    def _rows(self) -> dict[str, int]:
        r = self.param_header_row + 1
        rows: dict[str, int] = {}
        for key, _ in self.SCALARS:
            rows[key] = r
            r += 1
        for key, n in (("band", nf.MAX_BANDS), ("step", nf.MAX_STEPS), ("grade", nf.MAX_GRADES)):
            rows[f"{key}_count"] = r
            rows[f"{key}_first"] = r + 1
            r += 1 + n
        return rows

    def _ref(self, col: str, row: int) -> str:
        return f"{quote_sheet(SHEET_PROFILE)}!${col}${row}"

    def _column(self, col: str, first: int, n: int) -> str:
        return f"{quote_sheet(SHEET_PROFILE)}!${col}${first}:${col}${first + n - 1}"

    @property
    def refs(self) -> nf.ProfileRefs:
        rows, v = self._rows, self.param_col
        tables = {}
        for key, n, names in (("band", nf.MAX_BANDS, ("band_lowers", "band_inclusive", "band_names")),
                              ("step", nf.MAX_STEPS, ("step_mins", "step_scores")),
                              ("grade", nf.MAX_GRADES, ("grade_mins", "grade_names"))):
            for col, name in zip("EFG", names, strict=False):
                tables[name] = self._column(col, rows[f"{key}_first"], n)
            tables[f"{key}_count"] = self._ref(v, rows[f"{key}_count"])
        return nf.ProfileRefs(**{key: self._ref(v, rows[key]) for key, _ in self.SCALARS}, **tables)

    def parameter_cells(self, values: dict[str, object]) -> list[tuple[str, object]]:
        """(cell, value) of every parameter and label, from native_formulas.profile_values."""
        rows = self._rows
        out: list[tuple[str, object]] = [(cell(self.param_label_col, self.param_header_row), self.param_header)]
        for key, label in self.SCALARS:
            out += [(cell(self.param_label_col, rows[key]), label), (cell(self.param_col, rows[key]), values[key])]
        for key, label, cols in (("band", "定性档次", ("band_lowers", "band_inclusive", "band_names")),
                                 ("step", "执行率分档", ("step_mins", "step_scores")),
                                 ("grade", "等级", ("grade_mins", "grade_names"))):
            heads = {"band": "档次数（下限、含下限=1、名称）", "step": "分档数（执行率下限、得分）",
                     "grade": "等级数（总分下限、名称）"}[key]
            out += [(cell(self.param_label_col, rows[f"{key}_count"]), f"{label}：{heads}"),
                    (cell(self.param_col, rows[f"{key}_count"]), values[f"{key}_count"])]
            for i, row in enumerate(range(rows[f"{key}_first"], rows[f"{key}_first"] +
                                          len(values[cols[0]]))):  # type: ignore[arg-type]
                out.append((cell(self.param_label_col, row), f"{label} {i + 1}"))
                for col, name in zip("EFG", cols, strict=False):
                    out.append((cell(col, row), values[name][i]))  # type: ignore[index]
        return out


PROFILE_SHEET = ProfileSheetLayout()


# ---------------------------------------------------------------------------------------------
# The bureau's summary workbook (perfeval summary): not a form, but a sheet we write.

SHEET_SUMMARY = "汇总表"
SHEET_DISTRIBUTION = "等级分布"


@dataclass(frozen=True)
class SummaryColumn:
    key: str  # the FileReport field (or derived figure) the column shows
    col: str
    header: str
    width: float
    number_format: str | None = None


@dataclass(frozen=True)
class SummaryLayout:
    """汇总表: one row per returned file; the header row repeats on every printed page."""

    header_row: int = 1
    first_row: int = 2
    columns: tuple[SummaryColumn, ...] = (
        SummaryColumn("name", "A", "名称", 24),
        SummaryColumn("file", "B", "文件", 28),
        SummaryColumn("full_year", "C", "全年预算数（万元）", 14, "#,##0.00"),
        SummaryColumn("actual", "D", "实际支出数（万元）", 14, "#,##0.00"),
        SummaryColumn("execution_rate", "E", "执行率（重算）", 10, "0.00%"),
        SummaryColumn("stated_total", "F", "自评总分", 9, "0.00"),
        SummaryColumn("stated_grade", "G", "自评等级", 8),
        SummaryColumn("total", "H", "重算总分", 9, "0.00"),
        SummaryColumn("grade", "I", "重算等级", 8),
        SummaryColumn("difference", "J", "差值（自评−重算）", 11, "0.00;-0.00;0"),
        SummaryColumn("errors", "K", "错误数", 7, "0"),
        SummaryColumn("warnings", "L", "警告数", 7, "0"),
        SummaryColumn("infos", "M", "提示数", 7, "0"),
        SummaryColumn("read_error", "N", "无法读取原因", 30),
    )

    @property
    def last_col(self) -> str:
        return self.columns[-1].col

    def header_cell(self, column: SummaryColumn) -> str:
        return cell(column.col, self.header_row)

    def row_cell(self, column: SummaryColumn, row: int) -> str:
        return cell(column.col, row)

    def column(self, key: str) -> SummaryColumn:
        return next(c for c in self.columns if c.key == key)

    @property
    def freeze_at(self) -> str:
        return cell("A", self.first_row)

    @property
    def print_titles(self) -> str:
        return f"{self.header_row}:{self.header_row}"

    def table_range(self, rows: int) -> str:
        return f"A{self.header_row}:{self.last_col}{max(self.header_row + rows, self.header_row)}"


SUMMARY = SummaryLayout()


@dataclass(frozen=True)
class DistributionLayout:
    """等级分布: 等级 | 自评份数 | 重算份数, and the column chart beside them."""

    header_row: int = 1
    first_row: int = 2
    grade_col: str = "A"
    stated_col: str = "B"
    recomputed_col: str = "C"
    chart_anchor: str = "E2"
    headers: tuple[str, str, str] = ("等级", "自评份数", "重算份数")

    def row_cells(self, row: int) -> tuple[str, str, str]:
        return cell(self.grade_col, row), cell(self.stated_col, row), cell(self.recomputed_col, row)

    def header_cells(self) -> tuple[str, str, str]:
        return self.row_cells(self.header_row)


DISTRIBUTION = DistributionLayout()


# ----------------------------------------------------------------------------- 复核 workbook
@dataclass(frozen=True)
class ReviewLayout:
    """The 复核 workbook of `perfeval review`: one row per department, the batch's findings, and
    the two columns the reviewer fills (复核得分, 复核理由) that `--opinions` reads back."""

    sheet: str = "复核表"
    findings_sheet: str = "复核发现"
    checks_sheet: str = "校验问题"
    notes_sheet: str = "说明"
    config_sheet: str = "复核配置"
    marker: str = "perfeval-review"
    version: str = "1"
    marker_cell: str = "B1"
    version_cell: str = "B2"
    config_labels: tuple[tuple[str, str], ...] = (("A1", "表格标识"), ("A2", "复核表版本"))
    title: str = "A1"
    title_span: str = "A1:O1"
    issuer_label: str = "A2"
    issuer: str = "C2"
    date_label: str = "E2"
    date: str = "F2"
    header_row: int = 4
    first_row: int = 5
    # (column, key, header, width)
    columns: tuple[tuple[str, str, str, int], ...] = (
        ("A", "number", "序号", 6),
        ("B", "name", "部门（单位）名称", 28),
        ("C", "file", "自评表文件", 34),
        ("D", "year", "年度", 7),
        ("E", "profile", "评分规则", 18),
        ("F", "stated_total", "自评得分", 9),
        ("G", "stated_grade", "自评等级", 8),
        ("H", "total", "重算得分", 9),
        ("I", "grade", "重算等级", 8),
        ("J", "difference", "重算与自评之差", 10),
        ("K", "errors", "校验错误数", 9),
        ("L", "findings", "复核发现数", 9),
        ("M", "last_year", "上年自评表", 26),
        ("N", "review_score", "复核得分", 9),
        ("O", "review_reason", "复核理由", 60),
    )
    inputs: tuple[str, ...] = ("review_score", "review_reason")
    # 复核发现 and 校验问题 share one column layout (校验问题 leaves the 关联 columns blank).
    findings_header_row: int = 1
    findings_first_row: int = 2
    finding_columns: tuple[tuple[str, str, str, int], ...] = (
        ("A", "number", "序号", 6),
        ("B", "code", "代码", 8),
        ("C", "severity", "级别", 6),
        ("D", "name", "部门（单位）", 24),
        ("E", "file", "文件", 30),
        ("F", "location", "位置", 14),
        ("G", "message", "问题说明", 80),
        ("H", "related_name", "关联部门（单位）", 24),
        ("I", "related_file", "关联文件", 30),
        ("J", "related_location", "关联位置", 14),
        ("K", "actual", "所涉内容", 40),
    )
    notes_col: str = "A"
    notes_first_row: int = 1

    def row_cells(self, row: int) -> dict[str, str]:
        return {key: cell(col, row) for col, key, _, _ in self.columns}

    def header_cells(self) -> dict[str, str]:
        return {cell(col, self.header_row): text for col, _, text, _ in self.columns}

    def finding_cells(self, row: int) -> dict[str, str]:
        return {key: cell(col, row) for col, key, _, _ in self.finding_columns}

    def finding_header_cells(self) -> dict[str, str]:
        return {cell(col, self.findings_header_row): text for col, _, text, _ in self.finding_columns}

    def column_of(self, key: str) -> str:
        return next(col for col, k, _, _ in self.columns if k == key)

    @property
    def last_col(self) -> str:
        return self.columns[-1][0]

    @property
    def freeze_at(self) -> str:
        return cell(self.columns[3][0], self.first_row)


REVIEW = ReviewLayout()
__all__ += ["ReviewLayout", "REVIEW"]
# 汇总说明: the explanation sheet of a consolidated workbook


@dataclass(frozen=True)
class ConsolidationColumn:
    key: str
    col: str
    header: str
    style: str = "text"  # text / number / money / share / score: ConsolidationLayout.STYLES


@dataclass(frozen=True)
class ConsolidationTable:
    """One table of 汇总说明: a heading line, a header row, then one row per item."""

    key: str
    heading: str
    columns: tuple[ConsolidationColumn, ...]
    empty: str = "无"  # written under the heading when the table has no rows

    def col(self, key: str) -> str:
        return next(c.col for c in self.columns if c.key == key)

    def row_cells(self, row: int) -> dict[str, str]:
        """The cells of one item's row, by field."""
        return {c.key: cell(c.col, row) for c in self.columns}


def _columns(*spec: tuple[str, str, str]) -> tuple[ConsolidationColumn, ...]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return tuple(ConsolidationColumn(key, letters[i], header, style) for i, (key, header, style) in enumerate(spec))


@dataclass(frozen=True)
class ConsolidationLayout:
    """Where 汇总说明 puts things. The sheet is a list of lines: the four lines at the top, then
    each table in `tables` order (heading line, header row, items, one blank line), so a table's
    first row depends on the length of the tables above it; its columns are fixed here."""

    line_col: str = "A"  # the sentences at the top, and each table's heading, are in this column
    files_row: int = 1  # which files counted, with their amounts (the first thing a reader sees)
    method_row: int = 2
    result_row: int = 3
    warning_row: int = 4  # what needs a person (待核实, files left out); blank when nothing does
    first_table_row: int = 6
    zoom: int = 90
    tables: tuple[ConsolidationTable, ...] = (
        ConsolidationTable("units", "一、参与汇总的自评表（按给出的顺序）", _columns(
            ("position", "序号", "number"), ("role", "身份", "text"), ("name", "单位名称", "text"),
            ("file", "文件", "text"), ("fund", "资金额度（万元）", "money"), ("fund_from", "资金额度来源", "text"),
            ("share", "权重", "share"), ("initial", "年初预算数（万元）", "money"),
            ("full_year", "全年预算数（万元）", "money"), ("actual", "实际支出数（万元）", "money"),
            ("total", "单位总分（单位自身的计分）", "score"), ("grade", "单位等级", "text"),
            ("profile", "单位的评分规则", "text"), ("errors", "单位表的错误数", "number"),
            ("warnings", "单位表的警告数", "number"))),
        ConsolidationTable("skipped", "二、未计入汇总的文件", _columns(
            ("file", "文件", "text"), ("code", "代码", "text"), ("reason", "原因", "text"))),
        ConsolidationTable("budget", "三、预算汇总（各单位金额直接累加）", _columns(
            ("label", "行", "text"), ("initial", "年初预算数（万元）", "money"),
            ("full_year", "全年预算数（万元）", "money"), ("actual", "实际支出数（万元）", "money"),
            ("blank_in", "空白或非数字的单位", "text"))),
        ConsolidationTable("detail", "四、指标汇总明细（每行一个单位的贡献）", _columns(
            ("row", "自评表行", "number"), ("level1", "一级指标", "text"), ("level2", "二级指标", "text"),
            ("level3", "三级指标", "text"), ("method", "汇总方法", "text"), ("target", "汇总后指标值", "text"),
            ("value", "汇总后完成值", "text"), ("weight", "分值", "score"), ("score", "得分（重算）", "score"),
            ("score_note", "计分说明", "text"), ("unit_score_avg", "各单位得分加权（参考）", "score"),
            ("unit", "单位", "text"), ("unit_file", "单位文件", "text"), ("fund", "资金额度（万元）", "money"),
            ("share", "权重", "share"), ("unit_target", "单位指标值", "text"),
            ("unit_actual", "单位完成值", "text"), ("unit_weight", "单位分值", "score"),
            ("unit_score", "单位得分（单位自身的计分）", "score"), ("included", "是否计入", "text"),
            ("unit_reason", "单位的偏差原因", "text"), ("note", "说明", "text"))),
        ConsolidationTable("unmatched", "五、各单位指标不一致（未匹配）的指标", _columns(
            ("level1", "一级指标", "text"), ("level2", "二级指标", "text"), ("level3", "三级指标", "text"),
            ("present_in", "填写了此指标的单位", "text"), ("missing_in", "缺少此指标的单位", "text")),
            empty="无：各单位的指标一致。"),
        ConsolidationTable("notes", "六、需要注意的情况", _columns(
            ("number", "序号", "number"), ("text", "说明", "text"))),
    )
    widths: tuple[tuple[str, float], ...] = (
        ("A", 10), ("B", 18), ("C", 22), ("D", 26), ("E", 20), ("F", 16), ("G", 14), ("H", 12),
        ("I", 12), ("J", 30), ("K", 12), ("L", 22), ("M", 22), ("N", 12), ("O", 9), ("P", 16),
        ("Q", 14), ("R", 8), ("S", 12), ("T", 8), ("U", 30), ("V", 50),
    )
    # Excel refuses a cell of more than 32,767 characters; what is shown is cut there.
    cell_text_limit: int = 32767
    # The files line names this many files, then says how many more the units table lists.
    files_line_limit: int = 30

    def table(self, key: str) -> ConsolidationTable:
        return next(t for t in self.tables if t.key == key)

    def line_cell(self, row: int) -> str:
        return cell(self.line_col, row)

    @property
    def files_line(self) -> str:
        return self.line_cell(self.files_row)

    @property
    def method_line(self) -> str:
        return self.line_cell(self.method_row)

    @property
    def result_line(self) -> str:
        return self.line_cell(self.result_row)

    @property
    def warning_line(self) -> str:
        return self.line_cell(self.warning_row)


CONSOLIDATION = ConsolidationLayout()
