"""Importing hand-made 自评表 workbooks: the real one, and generated layouts of the seed's data."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from perfeval.core.findings import Severity
from perfeval.core.model import BudgetRowKind, Form, FormKind, Indicator, Loc, Value
from perfeval.example_data import SEED_INDICATORS, zhengning_2023
from perfeval.workbook.legacy_import import (
    IMPORT_CODES,
    ImportResult,
    import_legacy,
    mapping_report,
    normalize_label,
)

REAL = Path(__file__).resolve().parents[1] / "data" / "legacy" / "zhengning-rsj-2023.xlsx"
D = Decimal
SEED = zhengning_2023()
SEED_NAME = "正宁县人力资源和社会保障局"
SEED_TITLE = "2023年度部门（单位）整体支出绩效自评表"
NOTE_LINE = "注：1.部门（单位）整体支出绩效自评采取打分评价形式，满分为100分。"


# ------------------------------------------------------------------------------------------
# Comparing with the seed
# ------------------------------------------------------------------------------------------


def effective_names(indicators: tuple[Indicator, ...]) -> list[tuple[str, str]]:
    """一级/二级 as the core reads them (a blank cell continues the name above)."""
    from perfeval.core.model import effective_names as core_names

    return [(l1, l2) for l1, l2, _ in core_names(indicators)]


def percent_points(v: Value) -> object:
    """95% however typed: 0.95 shown as %, '95%' text, or a plain 95. Other text stays text."""
    if isinstance(v.raw, str) and not v.raw.strip().endswith(("%", "％")):
        return v.raw
    if v.percent_format or isinstance(v.raw, str):
        return v.number * 100
    return v.number


def assert_budget_matches_seed(form: Form) -> None:
    assert [r.kind for r in form.budget] == [r.kind for r in SEED.budget]
    for got, want in zip(form.budget, SEED.budget, strict=True):
        assert got.label.raw == want.label.raw
        for name in ("initial", "full_year", "actual", "weight", "score"):
            assert getattr(got, name).raw == getattr(want, name).raw, (got.kind, name)
        assert percent_points(got.stated_rate) == percent_points(want.stated_rate)


def assert_indicators_match_seed(form: Form) -> None:
    assert len(form.indicators) == len(SEED.indicators)
    assert effective_names(form.indicators) == effective_names(SEED.indicators)
    for got, want in zip(form.indicators, SEED.indicators, strict=True):
        assert got.level3.raw == want.level3.raw
        assert got.target.raw == want.target.raw
        assert percent_points(got.actual) == percent_points(want.actual), got.level3.raw
        assert got.weight.raw == want.weight.raw
        assert got.score.raw == want.score.raw
        assert got.reason.is_blank


def assert_matches_seed(form: Form) -> None:
    assert form.kind is FormKind.DEPARTMENT
    assert form.name.raw == SEED.name.raw
    assert form.title.raw == SEED.title.raw
    assert form.year.number == SEED.year.number == D(2023)
    assert form.goals_expected.raw == SEED.goals_expected.raw
    assert form.goals_actual.raw == SEED.goals_actual.raw
    assert_budget_matches_seed(form)
    assert_indicators_match_seed(form)
    assert form.stated_total_weight.raw == D(100)
    assert form.stated_total_score.raw == D(98)
    assert form.total_note.raw == SEED.total_note.raw == "就业补助资金增加"
    assert form.other_notes.raw == SEED.other_notes.raw


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------
# The real workbook
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> ImportResult:
    return import_legacy(REAL)


def test_real_file_equals_seed(real):
    assert real.sheet == "自评表"
    assert real.problems == []
    assert real.unplaced == []
    assert_matches_seed(real.form)


def test_real_file_keeps_values_as_typed(real):
    form = real.form
    total = form.budget_row(BudgetRowKind.TOTAL)
    assert total.initial.raw == D("1241.99") and not total.initial.percent_format
    assert total.stated_rate.raw == D("1.41") and total.stated_rate.percent_format
    assert [r.stated_rate.raw for r in form.budget] == [D("1.41"), D("1.05"), D("1.67")]
    basic = form.budget_row(BudgetRowKind.BASIC)
    assert basic.label.raw == "其中：基本支出"
    assert basic.weight.raw == "-" and basic.score.is_blank
    for got, want in zip(form.indicators, SEED.indicators, strict=True):
        assert got.actual.raw == want.actual.raw
        assert got.actual.percent_format == want.actual.percent_format
    awards = form.indicators[21]
    assert awards.level3.raw == "单位获奖情况"
    assert awards.actual.raw == "无" and not awards.actual.percent_format


def test_real_file_locations_point_at_source_cells(real):
    form = real.form
    assert form.name.loc == Loc(sheet="自评表", cell="C2")
    assert form.budget[0].initial.loc == Loc(sheet="自评表", cell="C4")
    assert form.budget[2].stated_rate.loc == Loc(sheet="自评表", cell="F6")
    assert [i.row for i in form.indicators] == list(range(10, 39))
    # A merged 一级/二级 name applies to every row under it and points at the merge's top cell.
    assert form.indicators[1].level1.raw == "部门管理"
    assert form.indicators[1].level1.loc == Loc(sheet="自评表", cell="A10")
    assert form.indicators[8].level1.loc.cell == "A10"
    assert form.indicators[12].level2.loc.cell == "B19"
    assert form.stated_total_score.loc.cell == "G39"
    assert form.total_note.loc.cell == "H39"
    assert form.other_notes.loc.cell == "A40"


def test_real_file_mapping_covers_every_value(real):
    fields = {m.field for m in real.mapping}
    assert {"name", "title", "year", "budget[0].initial", "budget[2].stated_rate",
            "indicators[2].target", "indicators[28].score", "stated_total_weight",
            "stated_total_score", "total_note", "other_notes"} <= fields
    entry = next(m for m in real.mapping if m.field == "budget[0].initial")
    assert (entry.location, entry.label, entry.value) == ("自评表!C4", "全年支出·年初预算数", D("1241.99"))
    entry = next(m for m in real.mapping if m.field == "indicators[2].target")
    assert (entry.location, entry.label, entry.value) == ("自评表!D12", "第3个指标·年度指标值", "≤")
    # Every non-empty cell of the sheet is mapped, or is a label: text, never a figure.
    ws = openpyxl.load_workbook(REAL)["自评表"]
    mapped = {m.cell for m in real.mapping}
    rest = [c for row in ws.iter_rows() for c in row if c.value is not None and c.coordinate not in mapped]
    assert real.unplaced == []
    assert rest and all(isinstance(c.value, str) and normalize_label(c.value) for c in rest)
    assert not [c.coordinate for c in rest if isinstance(c.value, str) and c.value.strip().rstrip("%").replace(".", "").isdigit()]


def test_real_file_mapping_report(real):
    text = mapping_report(real)
    lines = text.splitlines()
    assert lines[0].startswith("导入对照表：zhengning-rsj-2023.xlsx")
    assert any("自评表!C4" in l and "全年支出·年初预算数" in l and "1241.99" in l for l in lines)
    assert any("自评表!F4" in l and "1.41（显示为141%）" in l for l in lines)
    assert any("自评表!D12" in l and "第3个指标·年度指标值" in l for l in lines)
    assert "未能放置的单元格：0个" in text


def test_import_never_modifies_the_source(tmp_path):
    before = sha256(REAL)
    import_legacy(REAL)
    assert sha256(REAL) == before
    path = build_department(tmp_path / "x.xlsx", Layout(names="merged", notes_row=True))
    before, mtime = sha256(path), path.stat().st_mtime_ns
    import_legacy(path)
    assert sha256(path) == before and path.stat().st_mtime_ns == mtime


# ------------------------------------------------------------------------------------------
# Generated layouts of the seed's data
# ------------------------------------------------------------------------------------------

# Header spellings seen in the wild: full/half-width brackets, line breaks, spaces, (A)/(B) hints.
SPELLINGS = (
    {"name": "部门（单位）名称", "l1": "一级指标", "l2": "二级指标", "l3": "三级指标",
     "target": "年度指标值", "actual": "实际完成值", "weight": "分值", "score": "得分",
     "reason": "偏差原因分析及改进措施", "initial": "年初预算数（万元）",
     "full": "全年预算数（万元）", "spent": "实际支出数（万元）", "rate": "执行率",
     "total": "合计", "other": "其他需要说明的问题"},
    {"name": "部门(单位)名称", "l1": "一级\n指标", "l2": "二级\n指标", "l3": "三级\n指标",
     "target": "指标值", "actual": "完成值", "weight": "分值", "score": "得分",
     "reason": "偏差原因", "initial": "年初预算数(万元)", "full": "全年预算数(万元)",
     "spent": "全年执行数", "rate": "执行率(%)", "total": "合 计",
     "other": "其他需要说明的问题"},
    {"name": "单位名称", "l1": "一 级 指 标", "l2": "二 级 指 标", "l3": "三 级 指 标",
     "target": "年度\n指标值", "actual": "实际\n完成值", "weight": "分 值", "score": "得 分",
     "reason": "偏差原因分析\n及改进措施", "initial": "年初预算数", "full": "全年预算数",
     "spent": "实际支出数", "rate": "执行率", "total": "合计", "other": "其他需要说明的问题"},
    {"name": "部门（单位）名称 ", "l1": "一级指标", "l2": "二级指标", "l3": "三级指标",
     "target": "年度指标值（A）", "actual": "实际完成值（B）", "weight": "分值", "score": "得分",
     "reason": "偏差原因分析及改进措施", "initial": "年初预算数\n（万元）",
     "full": "全年预算数\n（万元）", "spent": "实际支出数\n（万元）", "rate": "执行率\n(B/A)",
     "total": "合计", "other": "其他需要说明的问题"},
)


@dataclass(frozen=True)
class Layout:
    col: int = 1  # first column of the form
    row: int = 1  # title row
    spelling: int = 0
    names: str = "merged"  # merged | repeated | first (names only on a group's first row)
    percent: str = "format"  # format: 0.95 shown as % | text: "95%" | plain: 95
    blank_rows: tuple[int, ...] = ()  # logical rows (see below) that get a blank row before them
    notes_sheet_first: bool = False
    notes_row: bool = False  # a 注 line under 其他需要说明的问题
    notes_inline: bool = True  # 其他需要说明的问题：text in one cell, or label + text cell


# Logical rows of the generated form, before blank rows are inserted.
NAME_ROW, BUDGET_ROW, GOALS_ROW, HEADER_ROW, FIRST_INDICATOR = 1, 2, 6, 8, 9
TOTAL_ROW = FIRST_INDICATOR + len(SEED_INDICATORS)
OTHER_ROW, NOTE_ROW = TOTAL_ROW + 1, TOTAL_ROW + 2


def sheet_row(layout: Layout, logical: int) -> int:
    return layout.row + logical + sum(1 for b in layout.blank_rows if b <= logical)


def _percent(value: object, style: str) -> tuple[object, str]:
    if not isinstance(value, int | float):
        return value, "General"
    pct = D(str(value)) * 100
    if style == "format":
        return value, "0%"
    shown = int(pct) if pct == pct.to_integral() else float(pct)
    if style == "text":
        return f"{shown}%", "General"
    return shown, "General"


def _groups(level: int) -> list[tuple[int, int]]:
    """(first, last) indicator indices sharing one 一级 (level 0) or 二级 (level 1) name."""
    starts = [i for i, ind in enumerate(SEED_INDICATORS)
              if ind[level] or (level == 1 and SEED_INDICATORS[i][0])]
    return [(s, (starts[k + 1] - 1) if k + 1 < len(starts) else len(SEED_INDICATORS) - 1)
            for k, s in enumerate(starts)]


def build_department(path: Path, layout: Layout) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    if layout.notes_sheet_first:
        notes = wb.create_sheet("填表说明", 0)
        notes["A1"] = "填表说明"
        notes["A2"] = "1.金额单位为万元。"
    else:
        notes = wb.create_sheet("填表说明")
        notes["B3"] = "本表由财务股填报。"
    _write_department(ws, layout)
    wb.save(path)
    return path


def _write_department(ws, layout: Layout) -> None:
    words = SPELLINGS[layout.spelling]
    c0 = layout.col

    def put(row: int, col: int, value: object, fmt: str = "General", to_col: int | None = None,
            to_row: int | None = None) -> None:
        cell = ws.cell(row=row, column=c0 + col, value=value)
        cell.number_format = fmt
        if to_col is not None or to_row is not None:
            ws.merge_cells(start_row=row, start_column=c0 + col, end_row=to_row or row,
                           end_column=c0 + (to_col if to_col is not None else col))

    def at(logical: int) -> int:
        return sheet_row(layout, logical)

    put(at(0), 0, SEED_TITLE, to_col=7)
    put(at(NAME_ROW), 0, words["name"], to_col=1)
    put(at(NAME_ROW), 2, SEED_NAME, to_col=7)
    put(at(BUDGET_ROW), 0, "年度资金预算情况", to_row=at(BUDGET_ROW + 3))
    for col, key in enumerate(("initial", "full", "spent", "rate"), start=2):
        put(at(BUDGET_ROW), col, words[key])
    put(at(BUDGET_ROW), 1, "部门（单位）整体支出")
    put(at(BUDGET_ROW), 6, words["weight"])
    put(at(BUDGET_ROW), 7, words["score"])
    for i, row in enumerate(SEED.budget):
        rr = at(BUDGET_ROW + 1 + i)
        put(rr, 1, row.label.raw)
        for col, v in enumerate((row.initial, row.full_year, row.actual), start=2):
            put(rr, col, float(v.raw))
        put(rr, 5, *_percent(float(row.stated_rate.raw), layout.percent))
        put(rr, 6, row.weight.raw if isinstance(row.weight.raw, str) else int(row.weight.raw))
        if not row.score.is_blank:
            put(rr, 7, int(row.score.raw))
    put(at(GOALS_ROW), 0, "年度总体绩效目标完成情况", to_row=at(GOALS_ROW + 1))
    put(at(GOALS_ROW), 1, "预期目标", to_col=3)
    put(at(GOALS_ROW), 4, "目标实际完成情况", to_col=7)
    put(at(GOALS_ROW + 1), 1, SEED.goals_expected.raw, to_col=3)
    put(at(GOALS_ROW + 1), 4, SEED.goals_actual.raw, to_col=7)
    for col, key in enumerate(("l1", "l2", "l3", "target", "actual", "weight", "score", "reason")):
        put(at(HEADER_ROW), col, words[key])
    rows = [at(FIRST_INDICATOR + i) for i in range(len(SEED_INDICATORS))]
    names = effective_names(SEED.indicators)
    for i, (_l1, _l2, l3, target, actual, weight, score) in enumerate(SEED_INDICATORS):
        rr = rows[i]
        _write_names(put, layout, i, rr, rows, names)
        put(rr, 2, l3)
        put(rr, 3, target)
        put(rr, 4, *_percent(actual, layout.percent))
        put(rr, 5, weight)
        put(rr, 6, score)
    total = at(TOTAL_ROW)
    put(total, 0, words["total"], to_col=4)
    put(total, 5, 100)
    put(total, 6, 98)
    put(total, 7, "就业补助资金增加")
    if layout.notes_inline:
        put(at(OTHER_ROW), 0, f"{words['other']}：{SEED.other_notes.raw}", to_col=7)
    else:
        put(at(OTHER_ROW), 0, words["other"], to_col=1)
        put(at(OTHER_ROW), 2, SEED.other_notes.raw, to_col=7)
    if layout.notes_row:
        put(at(NOTE_ROW), 0, NOTE_LINE, to_col=7)


def _write_names(put, layout: Layout, i: int, rr: int, rows: list[int], names) -> None:
    for level in (0, 1):
        if layout.names == "repeated":
            put(rr, level, names[i][level])
            continue
        group = next(g for g in _groups(level) if g[0] <= i <= g[1])
        if i != group[0]:
            continue
        last = rows[group[1]]
        if layout.names == "merged" and last > rr:
            put(rr, level, names[i][level], to_row=last)
        else:
            put(rr, level, names[i][level])


def _expected_unplaced(path: Path, layout: Layout) -> list[str]:
    if not layout.notes_row:
        return []
    return [f"{get_column_letter(layout.col)}{sheet_row(layout, NOTE_ROW)}"]


def assert_layout_imports_exactly(path: Path, layout: Layout) -> ImportResult:
    result = import_legacy(path)
    assert result.sheet == "自评表"
    assert_matches_seed(result.form)
    assert [u.cell for u in result.unplaced] == _expected_unplaced(path, layout)
    assert all(u.why == "表格下方的说明或附注" for u in result.unplaced)
    assert {p.code for p in result.problems} <= {"PE803", "PE808"}
    assert [p.code for p in result.problems].count("PE808") == 1  # the 填表说明 sheet
    _assert_percent_style(result.form, layout.percent)
    _assert_name_style(result.form, layout)
    return result


def _assert_percent_style(form: Form, style: str) -> None:
    actual = form.indicators[3].actual  # 财务管理制度健全性: 95%
    rate = form.budget[0].stated_rate  # 141%
    if style == "format":
        assert (actual.raw, actual.percent_format) == (D("0.95"), True)
        assert (rate.raw, rate.percent_format) == (D("1.41"), True)
    elif style == "text":
        assert (actual.raw, actual.percent_format) == ("95%", False)
        assert (rate.raw, rate.percent_format) == ("141%", False)
    else:
        assert (actual.raw, actual.percent_format) == (D(95), False)
        assert (rate.raw, rate.percent_format) == (D(141), False)


def _assert_name_style(form: Form, layout: Layout) -> None:
    second = form.indicators[1]  # continues 部门管理 / 资金投入
    if layout.names == "first":
        assert second.level1.is_blank and second.level2.is_blank
    else:
        assert second.level1.raw == "部门管理" and second.level2.raw == "资金投入"
    first_row = sheet_row(layout, FIRST_INDICATOR)
    expected = Loc(sheet="自评表", cell=f"{get_column_letter(layout.col)}{first_row}")
    if layout.names == "merged":
        assert second.level1.loc == expected  # the merge's top-left cell


LAYOUTS = {
    "plain": Layout(),
    "shifted": Layout(col=3, row=5),
    "renamed": Layout(spelling=1),
    "spaced_headers": Layout(spelling=2, col=2),
    "hinted_headers": Layout(spelling=3),
    "repeated_names": Layout(names="repeated"),
    "names_first_row_only": Layout(names="first"),
    "percent_text": Layout(percent="text"),
    "percent_plain": Layout(percent="plain"),
    "blank_rows_in_table": Layout(blank_rows=(FIRST_INDICATOR, FIRST_INDICATOR + 3,
                                              FIRST_INDICATOR + 10, TOTAL_ROW - 1)),
    "blank_rows_everywhere": Layout(blank_rows=(NAME_ROW, BUDGET_ROW + 2, GOALS_ROW + 1,
                                                HEADER_ROW, TOTAL_ROW, OTHER_ROW, NOTE_ROW),
                                    notes_row=True, notes_inline=False),
    "notes_row": Layout(notes_row=True),
    "notes_label_apart": Layout(notes_inline=False, notes_row=True),
    "second_sheet": Layout(notes_sheet_first=True),
    "everything": Layout(col=4, row=3, spelling=1, names="first", percent="text",
                         blank_rows=(FIRST_INDICATOR + 1, FIRST_INDICATOR + 2, TOTAL_ROW - 8),
                         notes_sheet_first=True, notes_row=True,
                         notes_inline=False),
}


@pytest.mark.parametrize("name", LAYOUTS)
def test_generated_layout_imports_exactly(tmp_path, name):
    layout = LAYOUTS[name]
    assert_layout_imports_exactly(build_department(tmp_path / f"{name}.xlsx", layout), layout)


layouts = st.builds(
    Layout,
    col=st.integers(1, 5),
    row=st.integers(1, 6),
    spelling=st.integers(0, len(SPELLINGS) - 1),
    names=st.sampled_from(["merged", "repeated", "first"]),
    percent=st.sampled_from(["format", "text", "plain"]),
    blank_rows=st.lists(st.integers(NAME_ROW, NOTE_ROW), max_size=6, unique=True).map(tuple),
    notes_sheet_first=st.booleans(),
    notes_row=st.booleans(),
    notes_inline=st.booleans(),
)


@settings(max_examples=40, deadline=None)
@given(layout=layouts)
def test_any_layout_imports_exactly(layout):
    with tempfile.TemporaryDirectory() as tmp:
        path = build_department(Path(tmp) / "form.xlsx", layout)
        assert_layout_imports_exactly(path, layout)


def test_form_on_a_named_sheet_only(tmp_path):
    path = build_department(tmp_path / "x.xlsx", Layout(notes_sheet_first=True))
    assert import_legacy(path, sheet="自评表").form.name.raw == SEED_NAME
    notes = import_legacy(path, sheet="填表说明")
    assert [p.code for p in notes.problems] == ["PE801"]
    assert notes.form.indicators == ()
    missing = import_legacy(path, sheet="不存在")
    assert [p.code for p in missing.problems] == ["PE810"]
    assert "「不存在」" in missing.problems[0].message


def test_stray_value_is_listed_not_dropped(tmp_path):
    layout = Layout(col=2)
    path = tmp_path / "stray.xlsx"
    build_department(path, layout)
    wb = openpyxl.load_workbook(path)
    ws = wb["自评表"]
    ws["L15"] = "待核实"  # far right of an indicator row, under no header
    ws["A1"] = "附件2"  # above the title
    wb.save(path)
    result = import_legacy(path)
    assert_matches_seed(result.form)
    got = {(u.cell, u.value, u.why) for u in result.unplaced}
    assert got == {("L15", "待核实", "指标表中该列没有可识别的列标题"),
                   ("A1", "附件2", "表格上方的内容，不是标题")}
    pe803 = [p for p in result.problems if p.code == "PE803"]
    assert {p.cell for p in pe803} == {"L15", "A1"}
    assert "未能放置的单元格：2个" in mapping_report(result)


def test_formula_text_is_kept(tmp_path):
    path = build_department(tmp_path / "f.xlsx", Layout())
    wb = openpyxl.load_workbook(path)
    wb["自评表"]["F4"] = "=E4/D4"
    wb.save(path)
    rate = import_legacy(path).form.budget[0].stated_rate
    # openpyxl saves no cached result, so the value is unknown but the formula is there.
    assert rate.formula == "=E4/D4" and rate.raw is None
    assert rate.loc == Loc(sheet="自评表", cell="F4")


def test_vertical_merge_of_a_score_is_reported(tmp_path):
    path = build_department(tmp_path / "m.xlsx", Layout())
    wb = openpyxl.load_workbook(path)
    wb["自评表"].merge_cells("F10:F12")  # one 分值 for three indicators
    wb.save(path)
    result = import_legacy(path)
    pe804 = [p for p in result.problems if p.code == "PE804"]
    assert len(pe804) == 1 and pe804[0].cell == "F10"
    assert "F10:F12" in pe804[0].message
    assert result.form.indicators[0].weight.raw == D(2)
    assert result.form.indicators[1].weight.is_blank


# ------------------------------------------------------------------------------------------
# The national 项目支出绩效自评表 (财预〔2020〕10号 附件)
# ------------------------------------------------------------------------------------------

PROJECT_INDICATORS = (
    ("产出指标", "数量指标", "城乡居民养老保险待遇发放人数", "≥52000人", 52380, 20, 20),
    ("", "质量指标", "待遇发放准确率", "100%", 1, 10, 10),
    ("", "时效指标", "待遇按月发放及时率", "≥98%", 0.97, 10, 9.9),
    ("", "成本指标", "人均发放成本", "≤15元", 14.2, 10, 10),
    ("效益指标", "社会效益指标", "参保人基本生活保障水平", "稳步提高", "稳步提高", 15, 15),
    ("", "可持续影响指标", "制度持续运行", "长期", "长期", 15, 15),
    ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", 0.93, 10, 10),
)


def build_project(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目自评"
    ws.append(["项目支出绩效自评表"])
    ws.merge_cells("A1:J1")
    ws.append(["（2023年度）"])
    ws.merge_cells("A2:J2")
    ws["A3"], ws["B3"] = "项目名称", "城乡居民基本养老保险补助资金"
    ws.merge_cells("B3:J3")
    ws["A4"], ws["B4"], ws["F4"], ws["H4"] = "主管部门", SEED_NAME, "实施单位", "正宁县社会保险服务中心"
    ws.merge_cells("B4:E4")
    ws.merge_cells("F4:G4")
    ws.merge_cells("H4:J4")
    ws["A5"] = "项目资金\n（万元）"
    ws.merge_cells("A5:B5")
    for col, text in zip("CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                         strict=True):
        ws[f"{col}5"] = text
    money = (("年度资金总额", 300, 320, 310.5, 10, 0.9703, 9.7),
             ("其中：当年财政拨款", 250, 270, 262, "—", 0.9704, "—"),
             ("上年结转资金", 50, 50, 48.5, "—", 0.97, "—"),
             ("其他资金", 0, 0, 0, "—", None, "—"))
    for i, row in enumerate(money, start=6):
        ws[f"B{i}"] = row[0]
        for col, v in zip("CDEFGH", row[1:], strict=True):
            ws[f"{col}{i}"] = v
        ws[f"G{i}"].number_format = "0.00%"
    ws["A10"], ws["B10"], ws["F10"] = "年度总体目标", "预期目标", "实际完成情况"
    ws.merge_cells("A10:A11")
    ws.merge_cells("B10:E10")
    ws.merge_cells("F10:J10")
    ws["B11"] = "按时足额发放城乡居民养老保险待遇。"
    ws["F11"] = "全年按月足额发放，发放人数52380人。"
    ws.merge_cells("B11:E11")
    ws.merge_cells("F11:J11")
    heads = ("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施")
    for col, text in zip("ABCDEFGHI", heads, strict=True):
        ws[f"{col}12"] = text
    ws.merge_cells("I12:J12")
    first, last = 13, 12 + len(PROJECT_INDICATORS)
    ws.merge_cells(f"A12:A{last}")
    for i, (l1, l2, l3, target, actual, weight, score) in enumerate(PROJECT_INDICATORS):
        r = first + i
        for col, v in zip("BCDEFGH", (l1 or None, l2, l3, target, actual, weight, score), strict=True):
            if v is not None:
                ws[f"{col}{r}"] = v
        if isinstance(actual, float) and actual < 1:
            ws[f"F{r}"].number_format = "0%"
        ws.merge_cells(f"I{r}:J{r}")
    ws[f"I{first + 2}"] = "个别乡镇资料报送延迟，下年度提前收集"
    ws.merge_cells(f"B{first}:B{first + 3}")
    ws.merge_cells(f"B{first + 4}:B{first + 5}")
    ws[f"A{last + 1}"], ws[f"G{last + 1}"], ws[f"H{last + 1}"] = "总分", 100, 98.9
    ws.merge_cells(f"A{last + 1}:F{last + 1}")
    wb.save(path)
    return path


def test_national_project_table(tmp_path):
    result = import_legacy(build_project(tmp_path / "project.xlsx"))
    form = result.form
    assert result.unplaced == []
    assert result.problems == []
    assert form.kind is FormKind.PROJECT
    assert form.title.raw == "项目支出绩效自评表"
    assert form.year.number == D(2023) and form.year.loc.cell == "A2"
    assert form.name.raw == "城乡居民基本养老保险补助资金"
    assert form.competent_dept.raw == SEED_NAME
    assert form.implementer.raw == "正宁县社会保险服务中心"
    assert [r.kind for r in form.budget] == [BudgetRowKind.TOTAL] + [BudgetRowKind.SOURCE] * 3
    assert [r.label.raw for r in form.budget] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金",
                                                  "其他资金"]
    total = form.budget[0]
    assert (total.initial.raw, total.full_year.raw, total.actual.raw) == (D(300), D(320), D("310.5"))
    assert (total.weight.raw, total.score.raw) == (D(10), D("9.7"))
    assert total.stated_rate.raw == D("0.9703") and total.stated_rate.percent_format
    assert form.budget[1].weight.raw == "—" and form.budget[3].stated_rate.is_blank
    assert form.goals_expected.raw == "按时足额发放城乡居民养老保险待遇。"
    assert form.goals_actual.loc.cell == "F11"
    assert len(form.indicators) == len(PROJECT_INDICATORS)
    level1 = [n for n, _ in effective_names(form.indicators)]
    assert level1 == ["产出指标"] * 4 + ["效益指标"] * 2 + ["满意度指标"]
    assert [i.level2.raw for i in form.indicators] == [p[1] for p in PROJECT_INDICATORS]
    for got, spec in zip(form.indicators, PROJECT_INDICATORS, strict=True):
        _l1, _l2, l3, target, actual, weight, score = spec
        assert (got.level3.raw, got.target.raw) == (l3, target)
        want = actual if isinstance(actual, str) else D(str(actual))
        assert got.actual.raw == want
        assert (got.weight.raw, got.score.raw) == (D(str(weight)), D(str(score)))
    assert form.indicators[2].actual.percent_format
    assert form.indicators[2].reason.raw == "个别乡镇资料报送延迟，下年度提前收集"
    assert form.indicators[2].reason.loc.cell == "I15"
    assert (form.stated_total_weight.raw, form.stated_total_score.raw) == (D(100), D("98.9"))
    assert any("全年执行数" in m.label for m in result.mapping)


def _budget_then_indicators(path: Path, execution_row: tuple) -> Path:
    """A budget block with no 分值/得分 and an indicator table holding a 预算执行率 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["项目支出绩效自评表(2021年)"],
                ["项目名称", "初中公用经费", None, "自评得分", 98],
                ["项目资金(万元)", None, "年初预算数", "调整预算数", "全年执行数", "执行率"],
                [None, "年度资金总额", 64.8, 64.8, 60, 0.9259],
                ["一级指标", "二级指标", "三级指标", "分值", "指标值", "全年实际值", "得分"],
                ["项目管理(25分)", "投入管理", *execution_row],
                [None, "财务管理", "财务管理制度有效性", 15, "健全", "健全", 15],
                ["项目产出(75分)", "数量指标", "保障人数", 75, "2370人", "2370人", 75]):
        ws.append(row)
    wb.save(path)
    return path


def test_a_budget_execution_row_among_the_indicators_is_the_execution_row_when_the_budget_scores_nothing(
        tmp_path):
    # Older four-part project forms score 预算执行率 inside 项目管理: scored once, from the budget.
    result = import_legacy(_budget_then_indicators(tmp_path / "old.xlsx", ("预算执行率", 10, "—", 0.9259, 9)))
    form = result.form
    assert [i.level3.raw for i in form.indicators] == ["财务管理制度有效性", "保障人数"]
    # The budget header lacks 分值/得分 by design here: no warning that it does.
    assert [p.message for p in result.problems if p.code == "PE802"] == []
    main = form.main_budget_row
    assert (main.weight.raw, main.weight.loc.cell, main.score.raw, main.score.loc.cell) == (D(10), "D6", D(9), "G6")
    assert form.stated_total_score.raw == D(98) and form.stated_total_score.loc.cell == "E2"
    from perfeval.core.evaluate import evaluate
    from perfeval.loader import resolve_profile
    ev = evaluate(form, resolve_profile(None, form))
    assert ev.execution_score == D("9.26") and ev.total_weight == D(100)


def test_a_budget_execution_indicator_with_its_own_target_stays_an_indicator(tmp_path):
    # 部门管理·预算执行率 "≥95%" is an indicator scored against its target, not the execution row.
    result = import_legacy(_budget_then_indicators(tmp_path / "dept.xlsx", ("预算执行率", 10, "≥95%", 0.9259, 9)))
    form = result.form
    assert [i.level3.raw for i in form.indicators] == ["预算执行率", "财务管理制度有效性", "保障人数"]
    assert form.main_budget_row.weight.is_blank
    assert len([p for p in result.problems if p.code == "PE802"]) == 2  # 分值 and 得分 are missing indeed


# ------------------------------------------------------------------------------------------
# Input that is not a form
# ------------------------------------------------------------------------------------------


def test_shopping_list_is_not_a_form(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in (("购物清单", None), ("苹果", "3斤"), ("鸡蛋", 10), ("合计", 45.5)):
        ws.append(row)
    path = tmp_path / "shopping.xlsx"
    wb.save(path)
    result = import_legacy(path)
    assert [p.code for p in result.problems] == ["PE801"]
    assert result.problems[0].severity is Severity.ERROR
    assert result.problems[0].message == (
        "在「Sheet1」中未找到自评表表头：缺少“一级指标”“二级指标”“三级指标”“年度指标值”"
        "“实际完成值”“分值”“得分”。")
    assert result.form.indicators == () and result.form.budget == ()
    assert result.form.name.is_blank and result.mapping == []


def test_empty_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    result = import_legacy(path)
    assert [p.code for p in result.problems] == ["PE801"]
    assert "「Sheet」" in result.problems[0].message
    assert result.form.indicators == ()
    assert "没有导入任何单元格" in mapping_report(result)


def test_missing_value_columns_are_named(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "得分"])
    ws.append(["产出指标", "数量指标", "培训人数", 10, 10])
    path = tmp_path / "partial.xlsx"
    wb.save(path)
    result = import_legacy(path)
    # A score sheet (names, 分值, 得分, no targets): read, with the missing columns named as errors.
    missing = [p.message for p in result.problems if p.code == "PE802" and p.severity is Severity.ERROR]
    assert missing == ["指标表表头（第1行）缺少“年度指标值”列，该列的值无法导入",
                       "指标表表头（第1行）缺少“实际完成值”列，该列的值无法导入"]
    assert [i.level3.text for i in result.form.indicators] == ["培训人数"]


def test_unreadable_files_are_findings_not_exceptions(tmp_path):
    text = tmp_path / "not-a-workbook.xlsx"
    text.write_text("项目,金额\n办公费,3\n", encoding="utf-8")
    for path in (tmp_path / "missing.xlsx", text):
        result = import_legacy(path)
        assert len(result.problems) == 1
        assert result.problems[0].code.startswith("PE9")
        assert result.problems[0].code in IMPORT_CODES
        assert result.form.indicators == ()


def test_import_codes_are_documented():
    for code in ("PE801", "PE802", "PE803", "PE804"):
        assert code in IMPORT_CODES
    assert IMPORT_CODES["PE801"].title == "表头未找到"
    assert IMPORT_CODES["PE802"].title == "缺少必需列"
    assert IMPORT_CODES["PE803"].title == "未能放置的单元格"
    assert IMPORT_CODES["PE804"].title == "合并单元格异常"
    assert all("检查内容" in c.doc for c in IMPORT_CODES.values())
    assert all(code.startswith(("PE8", "PE9")) for code in IMPORT_CODES)


def test_normalize_label():
    assert normalize_label("年初预算数（万元）") == "年初预算数"
    assert normalize_label("年初预算数(万元)") == "年初预算数"
    assert normalize_label("一 级\n指标") == "一级指标"
    assert normalize_label("执行率(B/A)") == "执行率"
    assert normalize_label("其中：基本支出") == "其中:基本支出"
    assert normalize_label(3) == ""
