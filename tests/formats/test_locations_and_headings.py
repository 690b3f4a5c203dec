"""Where a finding is in a document, said readably; a report's headings, however worded, find their section."""

from __future__ import annotations

import pytest

from perfeval.core.findings import Finding, Severity
from perfeval.documents.content import Paragraph, typed_cell
from perfeval.documents.narrative import narrative_from_paragraphs, section_of_heading


@pytest.mark.parametrize(("sheet", "cell", "shown"), [
    ("自评表", "G23", "自评表!G23"),
    ("自评表", "A10:A18", "自评表!A10:A18"),
    ("表格2", "第3行第2列", "表格2 第3行第2列"),
    ("正文", "第12段", "正文 第12段"),
    ("正文", "第3页第2–4段", "正文 第3页第2–4段"),
])
def test_a_finding_prints_its_place_as_a_person_looks_for_it(sheet, cell, shown):
    f = Finding(code="PE501", severity=Severity.WARNING, sheet=sheet, cell=cell, message="m")
    assert f.location == shown and str(f) == f"{shown}：m"


@pytest.mark.parametrize(("heading", "key"), [
    ("（一）部门主要职能", "functions"),
    ("一、部门基本情况", "functions"),
    ("(二) 机构设置及人员编制情况", "staffing"),
    ("（二）当年部门履职总体目标、工作人员", "overall_goal"),
    ("（三）当年部门年度整体支出绩效目标", "performance_goals"),
    ("（四）部门预算绩效管理开展情况", "management"),
    ("（五）当年部门预算及执行情况", "budget_execution"),
    ("2、预算收支情况", "budget_execution"),
    ("（六）预算调整情况说明", "adjustment_reason"),
    ("（一）总体绩效目标完成情况分析", "goal_completion"),
    ("1. 产出指标完成情况", "output_analysis"),
    ("2．效益指标完成情况", "benefit_analysis"),
    ("4. 满意度指标完成情况", "satisfaction_analysis"),
    ("（三）服务对象满意度指标完成情况分析", "satisfaction_analysis"),
    ("（一）存在问题", "problems"),
    ("（一）存在的主要问题", "problems"),
    ("（二）改进的方向和具体措施", "measures"),
    ("四、下一步工作打算及建议", "measures"),
])
def test_headings_worded_differently_find_their_section(heading, key):
    assert section_of_heading(heading)[0] == key


def _paras(*texts, heading=()):
    return [Paragraph(text=t, name=f"第{i}段", heading=i in heading) for i, t in enumerate(texts, 1)]


def test_text_on_the_headings_line_and_part_headings():
    n = narrative_from_paragraphs(_paras(
        "县财政局：",
        "三、存在的问题及改进措施",
        "（一）存在问题：一是预算编制不细。",
        "二是绩效管理人员少。",
        "（二）改进措施：加强培训。",
        "某县某局",
        "2024年3月6日",
        "附件：自评表",
    ))
    assert n.text("problems") == "一是预算编制不细。\n二是绩效管理人员少。"
    assert n.sections["problems"].loc.cell == "第3–4段"
    assert n.text("measures") == "加强培训。" and n.sections["measures"].loc.cell == "第5段"
    assert n.text("issuer") == "某县某局" and n.text("recipient") == "县财政局"


def test_a_numbered_lead_in_is_text_not_a_heading():
    n = narrative_from_paragraphs(_paras(
        "1. 产出指标完成情况",
        "（1）数量指标。全年完成了各项目标任务，目标完成率100%。",
        "（2）质量指标。全部合格。",
    ))
    assert n.text("output_analysis").startswith("（1）数量指标。")
    assert "goal_completion" not in n.sections


def test_a_bold_unnumbered_heading_counts_and_a_bold_sentence_does_not():
    n = narrative_from_paragraphs(_paras(
        "部门职能",
        "负责全县社会保险工作。",
        "满意度情况良好，群众普遍认可本单位的各项工作，服务质量得到提升并获得好评。",
        heading={1, 3},
    ))
    assert n.text("functions").startswith("负责全县社会保险工作。")
    assert "群众普遍认可" in n.text("functions") and "satisfaction_analysis" not in n.sections


@pytest.mark.parametrize(("text", "raw", "percent"), [
    ("1241.99", "1241.99", False),
    ("1,745.81", "1745.81", False),
    ("141%", "1.41", True),
    ("９５％", "0.95", True),
    ("10", "10", False),
])
def test_a_document_cell_is_read_as_excel_reads_what_is_typed(text, raw, percent):
    from decimal import Decimal

    cell = typed_cell(1, 1, text)
    assert cell.raw == Decimal(raw) and cell.percent_format is percent


@pytest.mark.parametrize("text", ["达到100%", "≤", "-", "无", "2023年", "1.2.3"])
def test_text_that_is_not_a_number_stays_text(text):
    assert typed_cell(1, 1, text).raw == text


def test_a_measure_worded_like_an_earlier_section_stays_a_measure():
    n = narrative_from_paragraphs(_paras(
        "（一）部门主要职能",
        "负责全县社会保险工作。",
        "三、存在的问题及改进措施",
        "（一）存在问题",
        "（一）预算编制不够科学。部分项目预算偏大。",
        "（二）改进措施",
        "（一）加强预算绩效管理。建立绩效目标审核机制。",
        "（二）规范机构设置和人员编制管理。",
    ))
    assert n.text("functions") == "负责全县社会保险工作。"
    assert n.text("problems").startswith("（一）预算编制不够科学")
    assert "加强预算绩效管理" in n.text("measures") and "规范机构设置" in n.text("measures")
    assert "management" not in n.sections and "staffing" not in n.sections
