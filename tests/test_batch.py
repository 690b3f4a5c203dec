"""Batch validation of a folder of returned forms, its renderers and the bureau's summary workbook."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from perfeval.batch import (
    UNREADABLE,
    FileReport,
    batch_table,
    expand_paths,
    grade_distribution,
    render_batch_csv,
    render_batch_json,
    validate_many,
    write_summary,
)
from perfeval.core.model import BudgetRow, BudgetRowKind, Form, Indicator, Value
from perfeval.example_data import zhengning_2023
from perfeval.outputs import FORMULA_TRIGGERS, OutputExistsError, OutputIsInputError
from perfeval.workbook.template import build_workbook

EVIL_NAME = '=HYPERLINK("http://example.invalid","点我")'


def V(raw, pct=False) -> Value:
    return Value(raw=raw, percent_format=pct)


def clean_form(name: str = "测试县教育局") -> Form:
    budget = (
        BudgetRow(kind=BudgetRowKind.TOTAL, label=V("全年支出"), initial=V(D(800)), full_year=V(D(800)),
                  actual=V(D(760)), weight=V(D(10))),
        BudgetRow(kind=BudgetRowKind.BASIC, label=V("其中：基本支出"), initial=V(D(500)), full_year=V(D(500)),
                  actual=V(D(490)), weight=V("-")),
        BudgetRow(kind=BudgetRowKind.PROJECT, label=V("项目支出"), initial=V(D(300)), full_year=V(D(300)),
                  actual=V(D(270)), weight=V("-")),
    )
    rows = [
        ("部门管理", "资金投入", "基本支出预算执行率", "≥95%", D("0.98"), 10, True),
        ("", "财务管理", "资金使用规范性", "≥90%", D("0.95"), 10, True),
        ("履职效果", "部门履职目标", "新增就业人数", "≥2000人", 2118, 25, False),
        ("", "部门效果目标", "政策知晓率", "≥85%", D("0.9"), 25, True),
        ("能力建设", "人力资源建设", "培训完成率", "≥95%", 1, 10, True),
        ("服务对象满意度", "服务对象满意度", "群众满意度", "≥90%", D("0.95"), 10, True),
    ]
    inds = tuple(
        Indicator(row=i, level1=V(a or None), level2=V(b or None), level3=V(c), target=V(t), actual=V(x, p),
                  weight=V(D(w)))
        for i, (a, b, c, t, x, w, p) in enumerate(rows)
    )
    return Form(name=V(name), year=V(D(2023)), budget=budget, indicators=inds, goals_expected=V("完成年度目标"),
                goals_actual=V("已完成"), other_notes=V("无"), profile_name="gansu-department")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "returns"
    (root / "乡镇").mkdir(parents=True)
    (root / "a_seed.xlsx").write_bytes(build_workbook(zhengning_2023()))
    (root / "乡镇" / "b_clean.xlsx").write_bytes(build_workbook(clean_form(EVIL_NAME), keep_stated=False))
    (root / "c_broken.xlsx").write_bytes(os.urandom(4096))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "这不是自评表"
    wb.save(root / "d_other.xlsx")
    (root / "~$a_seed.xlsx").write_bytes(b"lock")  # Excel's owner file: not a form
    (root / "notes.txt").write_text("ignored")
    return root


def _by_name(reports: list[FileReport]) -> dict[str, FileReport]:
    return {Path(r.file).name: r for r in reports}


def test_expand_paths_recurses_sorted_and_skips_lock_files(folder):
    names = [p.relative_to(folder).as_posix() for p in expand_paths([folder])]
    assert names == ["a_seed.xlsx", "c_broken.xlsx", "d_other.xlsx", "乡镇/b_clean.xlsx"]
    # A file named explicitly is kept even when it is odd, and duplicates collapse.
    explicit = expand_paths([folder / "notes.txt", folder, folder / "a_seed.xlsx"])
    assert explicit[0].name == "notes.txt" and len(explicit) == 5


def test_batch_reports_every_file(folder):
    before = {p: _sha(p) for p in folder.rglob("*") if p.is_file()}
    seen: list[tuple[int, int]] = []
    reports = validate_many([folder], jobs=1, progress=lambda done, total: seen.append((done, total)))
    assert [Path(r.file).name for r in reports] == ["a_seed.xlsx", "c_broken.xlsx", "d_other.xlsx", "b_clean.xlsx"]
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    r = _by_name(reports)

    seed = r["a_seed.xlsx"]
    assert seed.readable and seed.name == "正宁县人力资源和社会保障局"
    assert seed.total == D("85.25") and seed.grade == "良" and seed.execution_rate == D(1)
    assert seed.full_year == D("1745.81") and seed.actual == D("1745.81")
    assert seed.errors > 0 and {"PE101", "PE106"} <= {f.code for f in seed.findings}

    clean = r["b_clean.xlsx"]
    assert clean.readable and clean.total == D("99.50") and clean.grade == "优" and clean.errors == 0

    broken = r["c_broken.xlsx"]
    assert not broken.readable and broken.read_error_code.startswith("PE9")
    assert broken.read_error.startswith(broken.read_error_code) and broken.total is None and broken.errors == 1

    other = r["d_other.xlsx"]  # a workbook that is no form at all: not a template, no form header
    assert not other.readable and other.read_error_code == "PE801" and other.total is None

    assert {p: _sha(p) for p in folder.rglob("*") if p.is_file()} == before


def test_jobs_give_identical_reports(folder):
    import warnings

    one = validate_many([folder], jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the pool must really do the work, not the fallback
        two = validate_many([folder], jobs=2)
    assert [r.model_dump() for r in one] == [r.model_dump() for r in two]
    calls = []
    validate_many([folder], jobs=2, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (4, 4) and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_select_and_ignore_are_passed_to_the_checker(folder):
    only = validate_many([folder / "a_seed.xlsx"], jobs=1, select=["PE1"])[0]
    assert only.findings and all(f.code.startswith("PE1") for f in only.findings)
    # An unreadable file stays unreadable even when its code is ignored.
    hidden = validate_many([folder / "c_broken.xlsx"], jobs=1, ignore=["PE9"])[0]
    assert not hidden.readable and hidden.findings == []


def _all_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _all_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _all_strings(v)


def test_csv_holds_no_live_formulas_and_json_keeps_text_verbatim(folder):
    reports = validate_many([folder], jobs=1)
    doc = json.loads(render_batch_json(reports))
    assert doc["files"] == 4 and doc["unreadable"] == 2
    assert doc["grades"] == {UNREADABLE: 2, "优": 1, "良": 1}
    names = [x["name"] for x in doc["reports"]]
    assert EVIL_NAME in names  # JSON is data: no apostrophe added, nothing altered
    seed = next(x for x in doc["reports"] if x["file"].endswith("a_seed.xlsx"))
    assert seed["total"] == "85.25" and seed["findings"][0]["code"]

    for per in ("finding", "file"):
        rows = list(csv.reader(io.StringIO(render_batch_csv(reports, per=per))))
        cells = [c for row in rows[1:] for c in row]
        assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)]
        assert "'" + EVIL_NAME in cells
    by_finding = list(csv.DictReader(io.StringIO(render_batch_csv(reports))))
    files = {Path(row["文件"]).name for row in by_finding}
    assert files == {"a_seed.xlsx", "b_clean.xlsx", "c_broken.xlsx", "d_other.xlsx"}
    seed_rows = [row for row in by_finding if row["文件"].endswith("a_seed.xlsx")]
    assert len(seed_rows) == len(_by_name(reports)["a_seed.xlsx"].findings)
    assert {row["重算总分"] for row in seed_rows} == {"85.25"} and {row["重算等级"] for row in seed_rows} == {"良"}
    assert {row["自评总分"] for row in seed_rows} == {"98"}
    broken = next(row for row in by_finding if row["文件"].endswith("c_broken.xlsx"))
    assert broken["重算等级"] == UNREADABLE and broken["代码"].startswith("PE9")


def test_the_per_file_csv_has_one_row_per_file_with_stated_and_recomputed_results(folder):
    reports = validate_many([folder], jobs=1)
    rows = list(csv.DictReader(io.StringIO(render_batch_csv(reports, per="file"))))
    assert [Path(r["文件"]).name for r in rows] == [Path(r.file).name for r in reports]
    seed = next(r for r in rows if r["文件"].endswith("a_seed.xlsx"))
    form = zhengning_2023()
    assert (seed["自评总分"], seed["重算总分"], seed["重算等级"]) == (form.stated_total_score.text, "85.25", "良")
    assert seed["差值（自评−重算）"] == "12.75" and seed["执行率（重算）"] == "100%"
    assert int(seed["错误数"]) == _by_name(reports)["a_seed.xlsx"].errors
    broken = next(r for r in rows if r["文件"].endswith("c_broken.xlsx"))
    assert broken["重算等级"] == UNREADABLE and broken["无法读取原因"].startswith("PE9")


def test_rich_table_does_not_interpret_markup(folder, tmp_path):
    odd = tmp_path / "[bold]x[red].xlsx"
    odd.write_bytes(build_workbook(clean_form()))
    reports = validate_many([folder, odd], jobs=1)
    console = Console(record=True, width=200)
    console.print(batch_table(reports))
    text = console.export_text()
    assert "[bold]x[red].xlsx" in text and "85.25" in text and UNREADABLE in text


def test_summary_workbook(folder, tmp_path):
    from perfeval.workbook.layout import DISTRIBUTION, SHEET_DISTRIBUTION, SHEET_SUMMARY, SUMMARY

    reports = validate_many([folder], jobs=1)
    out = tmp_path / "汇总表.xlsx"
    assert write_summary(reports, out) == out
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET_SUMMARY]
    col = {c.key: c for c in SUMMARY.columns}
    assert [ws[SUMMARY.header_cell(c)].value for c in SUMMARY.columns] == [c.header for c in SUMMARY.columns]

    def column(key):
        return [ws[SUMMARY.row_cell(col[key], r)].value for r in range(SUMMARY.first_row, SUMMARY.first_row + 4)]

    assert column("total") == [99.5, 85.25, None, None]  # by 重算总分, unreadable last
    assert column("stated_total")[1] == 98 and column("stated_grade")[1] == "优"
    assert column("difference")[1] == pytest.approx(12.75)
    assert column("name")[0] == EVIL_NAME and ws[SUMMARY.row_cell(col["name"], SUMMARY.first_row)].data_type == "s"
    assert column("grade") == ["优", "良", UNREADABLE, UNREADABLE]
    first = SUMMARY.first_row
    assert ws[SUMMARY.row_cell(col["execution_rate"], first)].number_format == "0.00%"
    assert ws[SUMMARY.row_cell(col["total"], first)].number_format == "0.00"
    assert ws.freeze_panes == SUMMARY.freeze_at and ws.auto_filter.ref == SUMMARY.table_range(4)
    # Printed by the bureau: A4 landscape, one page wide, the header row on every page.
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == SUMMARY.print_titles

    dist = wb[SHEET_DISTRIBUTION]
    got = [tuple(dist[ref].value for ref in DISTRIBUTION.row_cells(r)) for r in range(DISTRIBUTION.first_row, DISTRIBUTION.first_row + 5)]
    assert got == [("优", 2, 1), ("良", 0, 1), ("中", 0, 0), ("差", 0, 0), (UNREADABLE, 2, 2)]
    assert len(dist._charts) == 1 and type(dist._charts[0]).__name__ == "BarChart"
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))

    with pytest.raises(OutputExistsError):
        write_summary(reports, out)
    write_summary(reports, out, force=True)
    with pytest.raises(OutputIsInputError):
        write_summary(reports, folder / "a_seed.xlsx", force=True)


def test_the_grade_chart_has_a_whole_number_axis_and_only_value_labels(folder, tmp_path):
    from lxml import etree

    out = tmp_path / "汇总表.xlsx"
    write_summary(validate_many([folder], jobs=1), out)
    with zipfile.ZipFile(out) as zf:
        chart = etree.fromstring(zf.read(next(n for n in zf.namelist() if n.startswith("xl/charts/chart"))))
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    val_ax = chart.find(".//c:valAx", ns)
    unit = float(val_ax.find("c:majorUnit", ns).get("val"))
    assert unit == int(unit) >= 1
    assert val_ax.find("c:numFmt", ns).get("formatCode") == "0"
    assert float(val_ax.find("c:scaling/c:min", ns).get("val")) == 0
    labels = chart.find(".//c:dLbls", ns)
    shown = {tag: labels.find(f"c:{tag}", ns).get("val") for tag in
             ("showVal", "showCatName", "showSerName", "showLegendKey", "showPercent")}
    assert shown == {"showVal": "1", "showCatName": "0", "showSerName": "0", "showLegendKey": "0", "showPercent": "0"}
    assert len(chart.findall(".//c:ser", ns)) == 2  # 自评 and 重算, side by side


def test_grade_distribution_order():
    reports = [FileReport(file="x", grade="差", total=D(10)), FileReport(file="y", read_error="PE903 坏")]
    assert grade_distribution(reports) == [("优", 0), ("良", 0), ("中", 0), ("差", 1), (UNREADABLE, 1)]


def test_empty_batch():
    assert validate_many([], jobs=2) == []
