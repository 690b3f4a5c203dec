"""A correct form, built as a clerk using the template would leave it: the base of the rule tests."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl

from perfeval.core.model import (
    BudgetRow,
    BudgetRowKind,
    Form,
    FormKind,
    Indicator,
    Narrative,
    Value,
)
from perfeval.workbook.package_xml import (
    inject_cached_values,
    normalize_package,
    read_cached_values,
    sheet_part_names,
)
from perfeval.workbook.reader import read_workbook
from perfeval.workbook.template import build_workbook

D = Decimal

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 偏差原因)
ROWS = [
    ("部门管理", "资金投入", "基本支出预算执行率", "≥95%", 0.98, 5, None),
    ("", "", "“三公经费”控制率", "≤100%", 0.92, 5, None),
    ("", "财务管理", "资金使用规范性", "≥90%", 0.95, 5, None),
    ("", "人员管理", "在职人员控制率", "≤100%", 0.96, 5, None),
    ("履职效果", "部门履职目标", "城镇新增就业人数", "≥2000人", "2118人", 20, None),
    ("", "", "职业技能培训人数", "≥2000人", "2000人", 15, None),
    ("", "部门效果目标", "根治欠薪线索办结", "始终坚持依法处置欠薪线索", 0.9, 15, "个别线索涉及外地企业，已移交属地处理。"),
    ("能力建设", "人力资源建设", "干部培训完成率", "≥95%", 1, 10, None),
    ("服务对象满意度", "服务对象满意度", "人民群众满意度", "≥90%", 0.95, 10, None),
]


def clean_form() -> Form:
    inds = []
    for i, (l1, l2, l3, t, a, w, reason) in enumerate(ROWS):
        inds.append(Indicator(
            row=i, level1=Value(raw=l1 or None), level2=Value(raw=l2 or None), level3=Value(raw=l3),
            target=Value(raw=t), actual=Value(raw=D(str(a)) if isinstance(a, float | int) else a,
                                              percent_format=isinstance(a, float | int)),
            weight=Value(raw=D(w)), reason=Value(raw=reason),
        ))
    budget = (
        BudgetRow(kind=BudgetRowKind.TOTAL, initial=Value(raw=D("1000")), full_year=Value(raw=D("1050")),
                  actual=Value(raw=D("1029"))),
        BudgetRow(kind=BudgetRowKind.BASIC, initial=Value(raw=D("400")), full_year=Value(raw=D("420")),
                  actual=Value(raw=D("420"))),
        BudgetRow(kind=BudgetRowKind.PROJECT, initial=Value(raw=D("600")), full_year=Value(raw=D("630")),
                  actual=Value(raw=D("609"))),
    )
    narrative = Narrative(sections={
        "functions": Value(raw="负责全县就业、社会保险和劳动关系工作。"),
        "staffing": Value(raw="编制人数20人，实有人数19人。"),
        "problems": Value(raw="一是预算编制精细化程度不够。"),
        "measures": Value(raw="一是细化项目预算。"),
        "budget_execution": Value(raw="2023年实际支出1029万元，其中基本支出420万元（人员支出380万元，日常公用经费支出40万元），项目支出609万元。"),
        "satisfaction_analysis": Value(raw="人民群众满意度95%，达到年度目标。"),
    })
    return Form(kind=FormKind.DEPARTMENT, name=Value(raw="测试县人社局"), year=Value(raw=D(2023)),
                budget=budget, goals_expected=Value(raw="稳定就业，扩大参保。"),
                goals_actual=Value(raw="城镇新增就业2118人，参保扩面完成。"), indicators=tuple(inds),
                other_notes=Value(raw="无。"), narrative=narrative, profile_name="gansu-department")


def workbook_bytes(form: Form | None = None, keep_stated: bool = False) -> bytes:
    return build_workbook(form or clean_form(), keep_stated=keep_stated)


def read_with_edits(edits: dict[str, object], sheet: str = "自评表", base: bytes | None = None):
    """Build the clean workbook, type `edits` into cells (as a clerk would), read it back."""
    data = base or workbook_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    for ref, value in edits.items():
        ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    out = buf.getvalue()
    # openpyxl drops cached results on save; put back what the clean build computed.
    zf = zipfile.ZipFile(io.BytesIO(out))
    part = sheet_part_names(zf)["自评表"]
    out = normalize_package(out, {part: inject_cached_values(zf.read(part), read_cached_values(data, "自评表"))})
    return read_workbook(openpyxl.load_workbook(io.BytesIO(out)), out, source="t.xlsx")
