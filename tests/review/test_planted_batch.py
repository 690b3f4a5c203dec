"""The planted batch yields exactly the planted findings, and none on the untouched forms."""

from __future__ import annotations

from pathlib import Path

from perfeval.core.model import FormKind
from perfeval.example_data import SEED_INDICATORS
from perfeval.workbook import layout as L

from . import forms as F
from .conftest import LOWERED, PLANTED_ROWS

LAY = L.layout_for(FormKind.DEPARTMENT)


def name_cell(rows, name: str) -> str:
    """The 三级指标 cell of `name` in a form built from `rows` (blank rows are not written)."""
    index = next(i for i, r in enumerate(rows) if r[2] == name)
    return L.cell(L.COL_L3, LAY.indicator_first_row + index)


def seed_cell(name: str) -> str:
    return name_cell(SEED_INDICATORS, name)


# The seed's 履职效果 rows that describe a 编办's work (机构编制, 机构改革, 事业单位登记 …), judged by
# hand from the wording; "推进重点领域体制改革 | 全面完成人社工作" names 人社 work and "单位获奖情况" no field.
SEED_BIANBAN_ROWS = (
    "提升机构编制法制水平情况", "落实党管机构编制原则", "服务中心优化机构设置", "编制资源统筹", "加强事业单位登记管理",
    "新一轮机构改革准备", "事业单位改革", "综合行政执法改革", "机构编制实名制管理", "落实机构编制监督主体责任",
    "开展机构编制违规问题整改",
)


def key(f):
    return (f.code, Path(f.file).name, f.sheet, f.cell, Path(f.related.file).name, f.related.sheet, f.related.cell)


def test_the_batch_yields_exactly_the_planted_findings(batch, reviewed):
    seed, edu, last = batch.seed.name, batch.education.name, batch.last_education.name
    functions = L.NARRATIVE.value_cell("functions")
    problems = L.NARRATIVE.value_cell("problems")
    expected = set()
    for name in PLANTED_ROWS:  # planted rows: the same as the seed's, and not the 教育局's field
        expected.add(("PE750", edu, L.SHEET_FORM, name_cell(batch.education_rows, name),
                      seed, L.SHEET_FORM, seed_cell(name)))
        expected.add(("PE752", edu, L.SHEET_FORM, name_cell(batch.education_rows, name),
                      edu, L.SHEET_NARRATIVE, functions))
    expected.add(("PE751", edu, L.SHEET_NARRATIVE, problems, seed, L.SHEET_NARRATIVE, problems))
    for name in SEED_BIANBAN_ROWS:  # the seed's own 编办 rows, against its own 部门主要职能
        expected.add(("PE752", seed, L.SHEET_FORM, seed_cell(name), seed, L.SHEET_NARRATIVE, functions))
    expected.add(("PE760", edu, L.SHEET_FORM, name_cell(batch.education_rows, LOWERED),
                  last, L.SHEET_FORM, name_cell(batch.last_rows, LOWERED)))
    got = [key(f) for f in reviewed.findings]
    assert len(got) == len(set(got))  # each finding once
    assert set(got) == expected


def test_no_finding_touches_an_untouched_form(batch, reviewed):
    untouched = {str(batch.health), *map(str, batch.corpus)}
    touched = {f.file for f in reviewed.findings} | {f.related.file for f in reviewed.findings}
    assert touched & untouched == set()
    # the untouched forms were read and compared, not skipped
    compared = {d.file for d in reviewed.departments}
    assert str(batch.health) in compared
    assert len(compared & set(map(str, batch.corpus))) >= 5


def test_the_seeds_bianban_rows_named_in_the_issue_are_found_by_the_field_measure(batch, reviewed):
    flagged = {f.actual.split(" | ")[0] for f in reviewed.findings if f.code == "PE752" and f.file == str(batch.seed)}
    assert {"提升机构编制法制水平情况", "落实党管机构编制原则", "机构编制实名制管理", "事业单位改革"} <= flagged
    # …and the flagged rows are the 编办 field's, by the message
    for f in reviewed.findings:
        if f.code == "PE752" and f.file == str(batch.seed):
            assert "机构编制（编办）" in f.message and "人社" in f.message


def test_every_finding_names_both_files_and_both_places(reviewed):
    for f in reviewed.findings:
        assert f.file and f.sheet and f.cell, f
        assert f.related is not None and f.related.file and f.related.sheet and f.related.cell, f
        assert f.to_dict()["related"] == {"file": f.related.file, "sheet": f.related.sheet, "cell": f.related.cell}


def test_the_untouched_education_form_alone_with_the_seed_shares_nothing(tmp_path):
    from perfeval.batch import expand_paths
    from perfeval.loader import load_forms
    from perfeval.review import review_batch

    F.write(F.seed(), tmp_path / "a.xlsx")
    F.write(F.education(), tmp_path / "b.xlsx")
    F.write(F.health(), tmp_path / "c.xlsx")
    result = review_batch(load_forms(expand_paths([tmp_path]), jobs=1))
    assert {f.file for f in result.findings} == {str(tmp_path / "a.xlsx")}  # only the seed's own 编办 rows
    assert {f.code for f in result.findings} == {"PE752"}
