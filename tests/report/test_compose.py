"""The report says what the form and the evaluation say — and nothing the clerk mistyped."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pydantic import BaseModel

from perfeval.core.decimal_math import fmt_decimal, fmt_percent
from perfeval.core.evaluate import evaluate
from perfeval.core.findings import Finding, Severity
from perfeval.core.model import (
    BudgetRow,
    BudgetRowKind,
    Form,
    FormKind,
    Indicator,
    Narrative,
    Value,
)
from perfeval.core.profiles import load_profile
from perfeval.report import ReportRefused, compose_report
from perfeval.report.compose import Heading, Paragraph, Table

from .conftest import document_texts, open_docx

NUMBER = re.compile(r"\d+(?:\.\d+)?")


# ---------------------------------------------------------------------------------------------
# Where numbers may come from.


def _strings_in(obj) -> list[str]:
    """Every figure of a model, as the report could print it: text as typed, numbers through
    fmt_decimal and fmt_percent."""
    out: list[str] = []
    if isinstance(obj, Value):
        out.append(obj.text)
        if obj.number is not None:
            out += [fmt_decimal(obj.number), fmt_percent(obj.number)]
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            out += _strings_in(getattr(obj, name))
    elif isinstance(obj, dict):
        for v in obj.values():
            out += _strings_in(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            out += _strings_in(v)
    elif isinstance(obj, Decimal):
        out += [fmt_decimal(obj), fmt_percent(obj)]
    elif isinstance(obj, bool):
        pass
    elif isinstance(obj, int):
        out.append(str(obj))
    elif isinstance(obj, str):
        out.append(obj)
    return out


def _counts(evaluation) -> list[str]:
    """Counts the report may state: indicators per level and overall, met / not met / unscorable,
    levels, and the numbering of the per-level subsections."""
    results = [i.result for i in evaluation.indicators]
    met = [r for r in results if r.error is None and r.met]
    errors = [r for r in results if r.error is not None]
    counts = {len(results), len(met), len(errors), len(results) - len(met) - len(errors),
              len(evaluation.levels)}
    per_level: dict[str, list] = {}
    for item in evaluation.indicators:
        per_level.setdefault(item.level_key, []).append(item.result)
    for rs in per_level.values():
        counts |= {len(rs), sum(1 for r in rs if r.error is None and r.met),
                   sum(1 for r in rs if r.error is not None)}
    counts |= set(range(1, len(evaluation.levels) + 1))
    return [str(c) for c in counts]


def _inputs_only(form: Form) -> Form:
    """The form without what it *states* for computed cells (执行率, 得分, 合计, 等级): the report
    must print recomputed figures, so the stated ones may not vouch for a number."""
    blank = Value()
    budget = tuple(r.model_copy(update={"stated_rate": blank, "score": blank}) for r in form.budget)
    inds = tuple(i.model_copy(update={"score": blank}) for i in form.indicators)
    return form.model_copy(update={"budget": budget, "indicators": inds, "stated_total_weight": blank,
                                   "stated_total_score": blank, "stated_grade": blank})


def allowed_numbers(form: Form, evaluation) -> set[str]:
    texts = _strings_in(_inputs_only(form)) + _strings_in(evaluation) + _counts(evaluation)
    return {n for t in texts for n in NUMBER.findall(t)}


# ---------------------------------------------------------------------------------------------
# The seed.


def test_every_number_in_the_seed_report_traces_to_a_cell_or_the_evaluation(
        seed_form, seed_evaluation, seed_docx):
    text = "\n".join(document_texts(open_docx(seed_docx)))
    printed = set(NUMBER.findall(text))
    allowed = allowed_numbers(seed_form, seed_evaluation)
    assert printed, "the report has no numbers at all"
    assert printed - allowed == set()


def test_seed_report_states_recomputed_execution_rate_score_and_total(seed_evaluation, seed_docx):
    document = open_docx(seed_docx)
    body = "\n".join(p.text for p in document.paragraphs)
    assert fmt_percent(seed_evaluation.execution_rate) == "100%"
    assert "预算执行率100%" in body
    assert "141%" not in body and "141%" not in "\n".join(document_texts(document))
    assert f"预算执行率得分{fmt_decimal(seed_evaluation.execution_score)}分" in body
    assert "得分8分" not in body
    assert f"自评得分{fmt_decimal(seed_evaluation.total)}分" in body
    assert f"自评等级为“{seed_evaluation.grade}”" in body
    # The stated 合计 98 of the form is nowhere; the table's 合计 row has the recomputed total.
    indicator_table = document.tables[-1]
    total_row = next(r for r in indicator_table.rows if r.cells[0].text == "合计")
    assert total_row.cells[6].text == fmt_decimal(seed_evaluation.total)
    assert total_row.cells[5].text == fmt_decimal(seed_evaluation.total_weight)
    assert fmt_decimal(seed_evaluation.total) != "98"


def test_seed_per_level_sentences_state_the_sum_of_that_levels_recomputed_scores(seed_evaluation, seed_form):
    doc = compose_report(seed_form, seed_evaluation)
    body = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    for level in seed_evaluation.levels:
        items = [i for i in seed_evaluation.indicators if i.level_key == level.key]
        total = sum((i.result.score or Decimal(0) for i in items), Decimal(0))
        head = f"{level.name}指标共{len(items)}项，分值{fmt_decimal(level.weight)}分"
        sentence = next(t for t in body if t.startswith(head))
        assert f"得分{fmt_decimal(total)}分" in sentence


def test_seed_narrative_is_carried_over_verbatim_line_by_line(seed_form, seed_evaluation):
    doc = compose_report(seed_form, seed_evaluation)
    clerk = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.origin == "clerk"]
    for key in ("functions", "staffing", "overall_goal", "performance_goals", "management",
                "budget_execution", "goal_completion", "output_analysis", "benefit_analysis",
                "satisfaction_analysis", "problems", "measures"):
        for line in seed_form.narrative.text(key).splitlines():
            if line.strip():
                assert line.strip() in clerk, (key, line[:30])


def test_seed_report_follows_the_seed_outline(seed_form, seed_evaluation):
    doc = compose_report(seed_form, seed_evaluation)
    headings = [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)]
    level1 = [t for lvl, t in headings if lvl == 1]
    assert [t[:2] for t in level1] == ["一、", "二、", "三、"]
    level2 = [t for lvl, t in headings if lvl == 2]
    assert level2 == [
        "（一）部门主要职能", "（二）当年部门履职总体目标、工作人员", "（三）当年部门年度整体支出绩效目标",
        "（四）部门预算绩效管理开展情况", "（五）当年部门预算及执行情况",
        "（一）总体绩效目标完成情况分析", "（二）各项指标完成情况",
        "（一）存在问题", "（二）改进的方向和具体措施",
    ]
    level3 = [t for lvl, t in headings if lvl == 3]
    assert level3 == [f"{n}.{lv.name}指标完成情况" for n, lv in enumerate(seed_evaluation.levels, 1)]
    assert doc.letterhead == "正宁县人力资源和社会保障局文件"
    assert doc.doc_number == seed_form.narrative.text("doc_number")
    assert doc.recipient == "县财政局"
    assert doc.date_text == "2024年3月6日"


def test_indicator_below_target_gets_ratio_score_and_reason_sentence(seed_form, seed_evaluation):
    doc = compose_report(seed_form, seed_evaluation)
    body = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    item = next(i for i in seed_evaluation.indicators if i.indicator.name == "人民群众满意度")
    r = item.result
    expected = (f"人民群众满意度年度目标为≥100%，实际完成95%，完成率{fmt_percent(r.completion)}，"
                f"得分{fmt_decimal(r.score)}分（分值{fmt_decimal(r.weight)}分）。"
                "自评表未填写偏差原因分析及改进措施。")
    assert expected in body


def test_unscorable_indicator_is_named_with_the_reason_it_cannot_be_scored(seed_form, seed_evaluation):
    doc = compose_report(seed_form, seed_evaluation)
    body = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    for item in seed_evaluation.indicators:
        if item.result.error is not None:
            assert f"{item.indicator.name}未能计分：{item.result.error.message}" in body


# ---------------------------------------------------------------------------------------------
# A small project form: 产出/效益/满意度, reasons, qualitative bands, empty narrative.


def _project_form(narrative: dict[str, str] | None = None) -> Form:
    def ind(row, l1, l2, l3, target, actual, weight, reason=None):
        return Indicator(row=row, level1=Value(raw=l1), level2=Value(raw=l2), level3=Value(raw=l3),
                         target=Value(raw=target), actual=Value(raw=actual),
                         weight=Value(raw=Decimal(weight)), reason=Value(raw=reason))

    return Form(
        kind=FormKind.PROJECT,
        year=Value(raw=Decimal(2024)),
        name=Value(raw="城乡公益性岗位补贴项目"),
        budget=(BudgetRow(kind=BudgetRowKind.TOTAL, label=Value(raw="年度资金总额"),
                          initial=Value(raw=Decimal(200)), full_year=Value(raw=Decimal(250)),
                          actual=Value(raw=Decimal(225)), weight=Value(raw=Decimal(10))),),
        indicators=(
            ind(1, "产出指标", "数量指标", "补贴发放人数", "≥300人", "270人", "20", "部分人员年中离岗"),
            ind(2, None, "质量指标", "补贴发放准确率", "100%", "100%", "15"),
            ind(3, None, "时效指标", "资金拨付及时性", "12月底前", "85%", "15"),
            ind(4, "效益指标", "社会效益指标", "带动就业困难人员就业", "稳定就业", "70%", "30"),
            ind(5, "满意度指标", "服务对象满意度指标", "受益人员满意度", "≥90%", "无", "10"),
        ),
        narrative=Narrative(sections={k: Value(raw=v) for k, v in (narrative or {}).items()}),
    )


PROJECT = load_profile("national-project")


def test_project_form_gets_one_subsection_per_first_level_in_form_order():
    form = _project_form({"output_analysis": "产出情况说明。", "satisfaction_analysis": "满意度说明。"})
    doc = compose_report(form, evaluate(form, PROJECT))
    level3 = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 3]
    assert level3 == ["1.产出指标完成情况", "2.效益指标完成情况", "3.满意度指标完成情况"]
    texts = [b.text for b in doc.blocks if isinstance(b, Heading | Paragraph)]
    assert texts.index("产出情况说明。") < texts.index("2.效益指标完成情况")
    assert texts.index("满意度说明。") > texts.index("3.满意度指标完成情况")
    assert doc.title_lines == ("城乡公益性岗位补贴项目", "2024年度项目支出绩效自评报告")


def test_missed_quantitative_indicator_quotes_the_clerks_reason():
    form = _project_form()
    ev = evaluate(form, PROJECT)
    doc = compose_report(form, ev)
    body = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    r = ev.result_for(1)
    assert (f"补贴发放人数年度目标为≥300人，实际完成270人，完成率{fmt_percent(r.completion)}，"
            f"得分{fmt_decimal(r.score)}分（分值20分）。偏差原因：部分人员年中离岗。") in body


def test_qualitative_indicator_below_full_marks_is_described_with_its_band():
    form = _project_form()
    ev = evaluate(form, PROJECT)
    doc = compose_report(form, ev)
    body = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    r = ev.result_for(4)
    assert r.qualitative and r.band
    assert (f"带动就业困难人员就业为定性指标，年度目标为“稳定就业”，完成比例{fmt_percent(r.completion)}，"
            f"评价档次为“{r.band}”，得分{fmt_decimal(r.score)}分（分值30分）。") in body


def test_met_indicators_are_listed_compactly_and_all_met_is_said_so():
    form = _project_form()
    doc = compose_report(form, evaluate(form, PROJECT))
    body = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "1项指标达到年度目标：补贴发放准确率。" in body
    good = _project_form().model_copy(update={"indicators": _project_form().indicators[1:2]})
    doc = compose_report(good, evaluate(good, PROJECT))
    body = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "1项指标全部达到年度目标：补贴发放准确率。" in body


def test_empty_narrative_gets_composed_budget_sentence_and_placeholders():
    form = _project_form()
    ev = evaluate(form, PROJECT)
    doc = compose_report(form, ev)
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    placeholders = {p.text for p in paragraphs if p.origin == "placeholder"}
    assert "（此处填写部门主要职能）" in placeholders
    assert "（此处填写改进的方向和具体措施）" in placeholders
    assert "（此处填写年初预算数调整为全年预算数的原因）" in placeholders  # 200 → 250
    budget = next(p.text for p in paragraphs if p.text.startswith("2024年项目资金"))
    assert (f"年初预算数200万元，全年预算数250万元，全年执行数225万元，预算执行率"
            f"{fmt_percent(ev.execution_rate)}") in budget
    # 存在问题 is composed from the indicators below target when the clerk wrote nothing.
    problems = [p for p in paragraphs if p.text.startswith("一是部分指标未达到年度目标")]
    assert problems and problems[0].origin == "composed"
    assert doc.recipient_is_placeholder and doc.letterhead is None and doc.doc_number is None


def test_appended_table_has_one_row_per_filled_indicator_and_recomputed_total(seed_form,
                                                                               seed_evaluation):
    doc = compose_report(seed_form, seed_evaluation)
    table = next(b for b in doc.attachments[0].blocks if isinstance(b, Table) and b.name == "indicators")
    names = [row[2].text for row in table.rows if len(row) == 8]
    assert names == [i.name for i in seed_form.filled_indicators]
    total = next(row for row in table.rows if row[0].text == "合计")
    assert total[2].text == fmt_decimal(seed_evaluation.total)


# ---------------------------------------------------------------------------------------------
# Findings.

ERRORS = (
    Finding(code="PE101", severity=Severity.ERROR, sheet="自评表", cell="G5",
            message="执行率应为 100%，填写的是 141%"),
    Finding(code="PE201", severity=Severity.ERROR, sheet="自评表", cell="H5",
            message="预算执行率得分应为 10，填写的是 8"),
    Finding(code="PE401", severity=Severity.WARNING, sheet="自评表", cell="I36",
            message="人民群众满意度未达到目标，未填写偏差原因"),
    Finding(code="PE900", severity=Severity.INFO, message="只是提示"),
)


def test_strict_mode_refuses_a_form_with_errors_and_says_how_many(seed_form, seed_evaluation):
    with pytest.raises(ReportRefused) as exc:
        compose_report(seed_form, seed_evaluation, ERRORS, strict=True)
    assert "2个错误" in str(exc.value)
    assert "自评表!G5" in str(exc.value)


def test_strict_mode_with_only_warnings_still_reports(seed_form, seed_evaluation):
    doc = compose_report(seed_form, seed_evaluation, ERRORS[2:], strict=True)
    assert doc.findings_appendix is not None


def test_without_strict_the_appendix_lists_unresolved_findings_and_figures_stay_recomputed(
        seed_form, seed_evaluation):
    doc = compose_report(seed_form, seed_evaluation, ERRORS)
    appendix = doc.findings_appendix
    assert appendix is not None and appendix.removable
    assert "删除" in appendix.title
    table = next(b for b in appendix.blocks if isinstance(b, Table))
    rows = [[c.text for c in row] for row in table.rows]
    assert [r[2] for r in rows] == ["PE101", "PE201", "PE401"]  # info is not listed
    assert rows[0][3] == "自评表!G5" and rows[0][4] == ERRORS[0].message
    body = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "141%" not in body and "预算执行率100%" in body


def test_no_appendix_without_errors_or_warnings(seed_form, seed_evaluation):
    assert compose_report(seed_form, seed_evaluation, ERRORS[3:]).findings_appendix is None
    assert compose_report(seed_form, seed_evaluation).findings_appendix is None
