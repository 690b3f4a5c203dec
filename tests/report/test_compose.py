"""The report is the department's document: the form's figures, the seed's outline, the clerk's
text in its place — and, on a draft, every finding as a comment instead of in the body."""

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
from perfeval.core.scoring import grade as grade_of
from perfeval.loader import load_form
from perfeval.report import ReportRefused, compose_opinions, compose_report
from perfeval.report.compose import Heading, Paragraph, Table
from perfeval.workbook.layout import NARRATIVE
from perfeval.workbook.template import build_workbook

from .conftest import body_texts

NUMBER = re.compile(r"\d+(?:\.\d+)?")
# What a checker says and a department never writes in its own report.
CHECKER_WORDS = re.compile(r"PE\d{3}|应为|按规则|此处填写|未填写|按0分计|未能计分|未计分|完成率\d|重新计算|重算|复核")

# The seed report's headings, in its order (tests/data/seed-zhengning-rsj-2023.txt).
SEED_OUTLINE = [
    "一、部门概况", "（一）部门主要职能", "（二）当年部门履职总体目标、工作人员",
    "（三）当年部门年度整体支出绩效目标", "（四）部门预算绩效管理开展情况", "（五）当年部门预算及执行情况",
    "二、部门整体支出绩效实际情况", "（一）总体绩效目标完成情况分析", "（二）各项指标完成情况",
    "1.产出指标完成情况", "2.效益指标完成情况", "3.效益指标完成情况分析", "4.满意度指标完成情况",
    "三、部门整体支出绩效中存在的问题及改进措施", "（一）存在问题", "（二）改进的方向和具体措施",
]


# ---------------------------------------------------------------------------------------------
# Which numbers the body may print: the form's own, and sums and counts of its rows.


def _strings_in(obj) -> list[str]:
    out: list[str] = []
    if isinstance(obj, Value):
        out += [obj.text, obj.shown]
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
    elif isinstance(obj, str):
        out.append(obj)
    return out


def form_numbers(form: Form, evaluation) -> set[str]:
    """Numbers of the form's cells, and per 一级指标 the count, Σ分值 and Σ得分 as the form states
    them; the counts of indicators met and not met (and the subsection numbers)."""
    texts = _strings_in(form)
    for lv in evaluation.levels:
        texts += [str(lv.count), fmt_decimal(lv.weight), fmt_decimal(lv.stated_score)]
    results = [i.result for i in evaluation.indicators]
    met = [r for r in results if r.error is None and r.met]
    missed = [r for r in results if r.error is None and r.met is False]
    texts += [str(len(results)), str(len(met)), str(len(missed)), "1", "2", "3", "4"]
    per_level: dict[str, list] = {}
    for item in evaluation.indicators:
        per_level.setdefault(item.level_key, []).append(item.result)
    for rs in per_level.values():
        texts.append(str(sum(1 for r in rs if r.error is None and r.met)))
    texts.append(fmt_decimal(sum((d.points.number or Decimal(0) for d in form.deductions), Decimal(0))))
    return {n for t in texts for n in NUMBER.findall(t)}


# ---------------------------------------------------------------------------------------------
# The seed, as a draft.


def test_the_seed_with_errors_gets_no_final_report_and_is_told_how_many_errors_block_it(seed_loaded):
    errors = [f for f in seed_loaded.findings if f.severity is Severity.ERROR]
    assert errors
    with pytest.raises(ReportRefused) as exc:
        compose_report(seed_loaded.form, seed_loaded.evaluation, seed_loaded.findings)
    assert exc.value.code == "PE950" and exc.value.exit_code == 1
    assert f"{len(errors)}个错误" in exc.value.message and "--draft" in exc.value.message


def test_every_number_in_the_seed_body_is_one_the_form_states(seed_draft, seed_loaded):
    printed = {n for t in body_texts(seed_draft) for n in NUMBER.findall(t)}
    assert printed, "the body has no numbers at all"
    assert printed - form_numbers(seed_loaded.form, seed_loaded.evaluation) == set()
    # The recomputed total (85.25) belongs in the comments, not in the department's text.
    assert fmt_decimal(seed_loaded.evaluation.total) not in "\n".join(body_texts(seed_draft))


def test_the_seed_body_states_the_forms_own_total_grade_and_execution_figures(seed_draft, seed_loaded):
    form = seed_loaded.form
    body = "\n".join(body_texts(seed_draft))
    # The seed states 98 but no grade: the grade is the one its 98 earns (what GRADE shows), not “”.
    stated_grade = form.stated_grade.text or grade_of(form.stated_total_score.number, seed_loaded.profile)
    assert stated_grade == "优"
    assert f"自评得分{form.stated_total_score.text}分，自评等级为“{stated_grade}”" in body
    main = form.main_budget_row
    assert f"预算执行率{main.stated_rate.shown}" in body
    assert f"预算执行率得分{main.score.text}分（分值{main.weight.text}分）" in body
    table = next(b for b in seed_draft.attachments[0].blocks if isinstance(b, Table) and b.name == "indicators")
    total = next(row for row in table.rows if row[0].text == "合计")
    assert (total[1].text, total[2].text) == (form.stated_total_weight.text, form.stated_total_score.text)


def test_the_seed_body_has_no_rule_code_no_checker_phrase_and_no_placeholder(seed_draft):
    for text in body_texts(seed_draft):
        assert not CHECKER_WORDS.search(text), text


def test_the_seed_report_has_the_seeds_headings_in_the_seeds_order(seed_draft):
    headings = [b.text for b in seed_draft.blocks if isinstance(b, Heading)]
    positions = [headings.index(h) for h in SEED_OUTLINE]
    assert positions == sorted(positions)


def _section_of(doc, text: str) -> list[str]:
    """The headings above a paragraph, innermost last."""
    path: list[Heading] = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            path = [h for h in path if h.level < b.level] + [b]
        elif isinstance(b, Paragraph) and b.text == text:
            return [h.text for h in path]
    raise AssertionError(f"paragraph not found: {text[:20]}")


@pytest.mark.parametrize(("key", "heading"), [
    ("functions", "（一）部门主要职能"), ("staffing", "（一）部门主要职能"),
    ("overall_goal", "（二）当年部门履职总体目标、工作人员"),
    ("performance_goals", "（三）当年部门年度整体支出绩效目标"),
    ("management", "（四）部门预算绩效管理开展情况"), ("budget_execution", "（五）当年部门预算及执行情况"),
    ("goal_completion", "（一）总体绩效目标完成情况分析"), ("output_analysis", "1.产出指标完成情况"),
    ("benefit_analysis", "2.效益指标完成情况"), ("benefit_review", "3.效益指标完成情况分析"),
    ("satisfaction_analysis", "4.满意度指标完成情况"), ("problems", "（一）存在问题"),
    ("measures", "（二）改进的方向和具体措施"),
])
def test_the_clerks_text_is_placed_verbatim_under_the_heading_it_belongs_to(seed_draft, seed_form, key, heading):
    lines = [ln.strip() for ln in seed_form.narrative.text(key).splitlines() if ln.strip()]
    assert lines
    for line in lines:
        assert _section_of(seed_draft, line)[-1] == heading


def test_a_missed_indicator_is_told_with_the_forms_target_and_actual_and_no_score(seed_draft, seed_form):
    ind = next(i for i in seed_form.filled_indicators if i.level3.text == "人民群众满意度")
    sentence = next(b for b in seed_draft.blocks if isinstance(b, Paragraph) and b.text.startswith("人民群众满意度"))
    assert f"“{ind.target.text}”" in sentence.text and f"实际完成{ind.actual.shown}" in sentence.text
    assert "得分" not in sentence.text and _section_of(seed_draft, sentence.text)[-1] == "4.满意度指标完成情况"


def test_the_notice_answered_opens_the_report_and_the_imprint_closes_it(seed_draft, seed_form):
    nar = seed_form.narrative
    intro = seed_draft.blocks[0]
    assert intro.text.startswith(f"按照《{nar.text('notice_title')}》（{nar.text('notice_number')}）")
    imp = seed_draft.imprint
    assert (imp.printer, imp.date_text, imp.copies) == (nar.text("printer"), nar.text("print_date"),
                                                        nar.text("copies"))
    assert seed_draft.letterhead == f"{nar.text('issuer')}文件" and seed_draft.doc_number == nar.text("doc_number")


# ---------------------------------------------------------------------------------------------
# Comments of the draft.


def test_every_finding_of_the_seed_is_one_comment_of_the_draft(seed_draft, seed_loaded):
    codes = sorted(n.code for n in seed_draft.notes)
    assert codes == sorted(f.code for f in seed_loaded.findings)


def test_a_comment_sits_on_the_text_built_from_the_cell_it_concerns(seed_draft, seed_loaded):
    def anchored(finding: Finding):
        def carries(target) -> bool:
            return any(n.code == finding.code and finding.message in n.text for n in target.notes)

        blocks = [*seed_draft.blocks, *(b for att in seed_draft.attachments for b in att.blocks)]
        hits = [b for b in blocks if isinstance(b, Paragraph) and carries(b)]
        hits += [c for t in blocks if isinstance(t, Table) for row in t.rows for c in row if carries(c)]
        assert len(hits) == 1, finding
        return hits[0], f"{finding.sheet}!{finding.cell}"

    for f in seed_loaded.findings:
        target, where = anchored(f)
        row = re.sub(r"[A-Z]+", "", f.cell)
        assert where in target.sources or any(s.startswith(f"{f.sheet}!") and re.sub(r".*![A-Z]+", "", s) == row
                                               for s in target.sources), (f, target.sources)
    satisfaction = NARRATIVE.value_cell("satisfaction_analysis")
    contradiction = next(f for f in seed_loaded.findings if f.code == "PE501" and f.cell == satisfaction)
    paragraph, _ = anchored(contradiction)
    assert isinstance(paragraph, Paragraph) and paragraph.origin == "clerk"


def test_a_row_that_cannot_be_scored_gets_no_score_and_its_comment_says_what_to_fix(seed_draft, seed_loaded):
    item = next(i for i in seed_loaded.evaluation.indicators if i.result.error is not None
                and i.indicator.score.is_blank is False)
    name = item.indicator.level3.text
    assert not any(name in t for t in body_texts(seed_draft))  # nothing invented about it in the body
    table = next(b for b in seed_draft.attachments[0].blocks if isinstance(b, Table) and b.name == "indicators")
    row = next(r for r in table.rows if len(r) == 8 and r[2].text == name)
    assert row[6].text == item.indicator.score.text  # the form's own score, not a recomputed one
    notes = [n for c in row for n in c.notes]
    assert any(n.severity is Severity.ERROR for n in notes)


def test_a_final_report_has_no_comments_and_no_draft_mark(clean_loaded):
    assert clean_loaded.errors == 0
    doc = compose_report(clean_loaded.form, clean_loaded.evaluation, clean_loaded.findings,
                         profile=clean_loaded.profile)
    assert not doc.draft and doc.notes == []


def test_warnings_alone_do_not_block_a_final_report(clean_loaded):
    warning = Finding(code="PE505", severity=Severity.WARNING, sheet="自评表", cell="E8", message="照抄")
    doc = compose_report(clean_loaded.form, clean_loaded.evaluation, [warning], profile=clean_loaded.profile)
    assert not doc.draft and doc.notes == []


# ---------------------------------------------------------------------------------------------
# A small project form built in memory: empty narrative, figures its formulas would compute.


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
            ind(3, "效益指标", "社会效益指标", "带动就业困难人员就业", "稳定就业", "70%", "30"),
            ind(4, "满意度指标", "服务对象满意度指标", "受益人员满意度", "≥90%", "95%", "10"),
        ),
        narrative=Narrative(sections={k: Value(raw=v) for k, v in (narrative or {}).items()}),
    )


PROJECT = load_profile("national-project")


def test_an_empty_optional_section_is_left_out_and_the_numbering_closes_up():
    form = _project_form()
    doc = compose_report(form, evaluate(form, PROJECT), profile=PROJECT)
    level2 = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    assert "（一）部门主要职能" not in level2 and "（四）部门预算绩效管理开展情况" not in level2
    first = [t for t in level2 if t.endswith(("项目年度绩效目标", "项目预算及执行情况"))]
    assert first == ["（一）项目年度绩效目标", "（二）项目预算及执行情况"]
    assert doc.recipient == "" and doc.date_text == "" and doc.imprint is None and doc.letterhead is None
    for text in body_texts(doc):
        assert not CHECKER_WORDS.search(text), text


def test_a_cell_without_a_stated_number_shows_what_its_formula_computes():
    form = _project_form()
    ev = evaluate(form, PROJECT)
    doc = compose_report(form, ev, profile=PROJECT)
    body = "\n".join(body_texts(doc))
    assert f"自评得分{fmt_decimal(ev.total)}分，自评等级为“{ev.grade}”" in body
    assert f"预算执行率{fmt_percent(ev.execution_rate)}" in body


def test_project_indicators_go_under_the_outline_part_of_their_first_level():
    form = _project_form({"output_analysis": "产出情况说明。", "satisfaction_analysis": "满意度说明。"})
    doc = compose_report(form, evaluate(form, PROJECT), profile=PROJECT)
    assert _section_of(doc, "产出情况说明。")[-1] == "1.产出指标完成情况"
    missed = next(b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("补贴发放人数"))
    assert _section_of(doc, missed)[-1] == "1.产出指标完成情况"
    assert missed == ("补贴发放人数年度指标值为“≥300人”，实际完成270人，未完全达到年度目标。"
                      "偏差原因及改进措施：部分人员年中离岗。")
    qualitative = next(b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("带动就业"))
    assert _section_of(doc, qualitative)[-1] == "2.效益指标完成情况" and "评价为“" in qualitative
    assert _section_of(doc, "满意度说明。")[-1] == "3.满意度指标完成情况"


def test_the_department_forms_first_levels_outside_the_outline_are_stated_under_its_head(seed_draft, seed_loaded):
    for lv in seed_loaded.evaluation.levels:
        if lv.name in ("部门管理", "能力建设"):
            sentence = next(b.text for b in seed_draft.blocks
                            if isinstance(b, Paragraph) and b.text.startswith(f"{lv.name}指标共"))
            assert _section_of(seed_draft, sentence)[-1] == "（二）各项指标完成情况"
            assert f"分值{fmt_decimal(lv.weight)}分，自评得分{fmt_decimal(lv.stated_score)}分" in sentence


def test_a_draft_without_recipient_or_date_says_so_in_comments_on_the_title(tmp_path):
    form = _project_form()
    path = tmp_path / "项目.xlsx"
    path.write_bytes(build_workbook(form, PROJECT))
    loaded = load_form(path)
    doc = compose_report(loaded.form, loaded.evaluation, loaded.findings, profile=loaded.profile, draft=True)
    texts = [n.text for n in doc.title_notes]
    assert any("主送机关" in t for t in texts) and any("报告日期" in t for t in texts)


def test_opinions_list_every_finding_once_with_its_location(seed_loaded):
    doc = compose_opinions(seed_loaded.form, seed_loaded.findings)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert sorted((r[2].text, r[3].text) for r in table.rows) == sorted(
        (f.code, f.location) for f in seed_loaded.findings)
    errors = sum(1 for f in seed_loaded.findings if f.severity is Severity.ERROR)
    assert f"错误{errors}个" in doc.blocks[0].text


def test_a_finding_without_an_address_lands_on_the_row_of_the_indicator_it_names():
    form = _project_form()
    ev = evaluate(form, PROJECT)
    named = Finding(code="PE202", severity=Severity.ERROR, message="「补贴发放准确率」的分值为空", file="x.xlsx")
    unnamed = Finding(code="PE103", severity=Severity.ERROR, message="年度资金总额的年初预算数为空", file="x.xlsx")
    doc = compose_report(form, ev, [named, unnamed], profile=PROJECT, draft=True)
    table = next(b for b in doc.attachments[0].blocks if isinstance(b, Table) and b.name == "indicators")
    row = next(r for r in table.rows if r[2].text == "补贴发放准确率")
    assert [n.code for n in row[2].notes] == ["PE202"]
    assert "PE103" in [n.code for n in doc.title_notes] and "PE202" not in [n.code for n in doc.title_notes]
