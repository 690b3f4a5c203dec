"""perfeval review: the summary it prints, its exit codes, and its refusals."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from perfeval.cli import app
from perfeval.workbook.layout import REVIEW

from . import forms as F

runner = CliRunner()


def small_batch(root):
    F.write(F.seed(), root / "本年" / "01-人社局.xlsx")
    narrative = dict(F.EDUCATION_NARRATIVE, problems=F.seed().narrative.text("problems"))
    F.write(F.education(rows=F.COMMON + F.EDUCATION + [F.seed_row("事业单位改革")], narrative=narrative),
            root / "本年" / "02-教育局.xlsx")
    F.write(F.education(2022), root / "上年" / "教育局.xlsx")
    return root / "本年", root / "上年"


def test_review_prints_the_pairs_and_writes_the_workbook(tmp_path):
    this, last = small_batch(tmp_path)
    out = tmp_path / "复核.xlsx"
    r = runner.invoke(app, ["review", str(this), "--last-year", str(last), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert "PE750" in r.output and "《正宁县教育局》（02-教育局.xlsx） 与 《正宁县人力资源和社会保障局》（01-人社局.xlsx）" in r.output
    assert "PE752" in r.output and "提升机构编制法制水平情况" in r.output
    assert "PE751" in r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == [REVIEW.sheet, REVIEW.findings_sheet, REVIEW.checks_sheet]
    assert wb[REVIEW.config_sheet].sheet_state == "hidden"


def test_review_json_lists_every_finding_with_its_related_place(tmp_path):
    this, _ = small_batch(tmp_path)
    r = runner.invoke(app, ["review", str(this), "-o", str(tmp_path / "r.xlsx"), "--format", "json", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert {d["name"] for d in doc["departments"]} == {"正宁县人力资源和社会保障局", "正宁县教育局"}
    assert doc["findings"] and all(f["related"]["file"] for f in doc["findings"])


def test_an_unreadable_file_in_the_batch_is_listed_and_exits_2(tmp_path):
    this, _ = small_batch(tmp_path)
    (this / "坏文件.xlsx").write_bytes(b"not a workbook")
    r = runner.invoke(app, ["review", str(this), "-o", str(tmp_path / "r.xlsx"), "--jobs", "1"])
    assert r.exit_code == 2 and "坏文件.xlsx" in r.output and (tmp_path / "r.xlsx").exists()


def test_opinions_from_the_filled_workbook_exit_0_and_refuse_to_overwrite(tmp_path):
    this, _ = small_batch(tmp_path)
    out = tmp_path / "r.xlsx"
    assert runner.invoke(app, ["review", str(this), "-o", str(out), "--jobs", "1"]).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb[REVIEW.sheet]
    for r in range(REVIEW.first_row, REVIEW.first_row + 2):
        ws[REVIEW.row_cells(r)["review_score"]] = 88
    wb.save(out)
    r = runner.invoke(app, ["review", "--opinions", str(out), "-o", str(tmp_path / "意见")])
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "意见").glob("*.docx"))) == 2
    again = runner.invoke(app, ["review", "--opinions", str(out), "-o", str(tmp_path / "意见")])
    assert again.exit_code == 2 and "PE930" in again.output


def test_a_score_that_is_not_a_number_exits_1(tmp_path):
    this, _ = small_batch(tmp_path)
    out = tmp_path / "r.xlsx"
    runner.invoke(app, ["review", str(this), "-o", str(out), "--jobs", "1"])
    wb = openpyxl.load_workbook(out)
    wb[REVIEW.sheet][REVIEW.row_cells(REVIEW.first_row)["review_score"]] = "良"
    wb.save(out)
    r = runner.invoke(app, ["review", "--opinions", str(out), "-o", str(tmp_path / "意见")])
    assert r.exit_code == 1 and "PE771" in r.output


def test_usage_errors_exit_2_with_a_chinese_message(tmp_path):
    this, _ = small_batch(tmp_path)
    cases = [
        ["review", str(this)],  # no -o
        ["review", str(this), "-o", str(tmp_path / "r.docx")],
        ["review", "-o", str(tmp_path / "r.xlsx")],  # nothing to review
        ["review", str(this), "--opinions", str(tmp_path / "r.xlsx"), "-o", str(tmp_path / "x")],
        ["review", str(tmp_path / "没有这个文件夹"), "-o", str(tmp_path / "r.xlsx")],
        ["review", "--opinions", str(tmp_path / "没有.xlsx"), "-o", str(tmp_path / "x")],
        ["review", str(this), "-o", str(tmp_path / "r.xlsx"), "--format", "xml"],
    ]
    for args in cases:
        r = runner.invoke(app, args)
        assert r.exit_code == 2, (args, r.output)
        assert "错误 PE9" in r.output and "Traceback" not in r.output, (args, r.output)


def test_opinions_from_a_workbook_that_is_not_a_review_workbook_exit_2(tmp_path):
    other = tmp_path / "x.xlsx"
    openpyxl.Workbook().save(other)
    r = runner.invoke(app, ["review", "--opinions", str(other), "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "PE770" in r.output
