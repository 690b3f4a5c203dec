"""The one way in: load_form reads, resolves the profile, evaluates once and checks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import perfeval.loader as loader_module
from perfeval.core.model import FormKind
from perfeval.core.profiles import ProfileError
from perfeval.loader import load_form, load_forms, load_model, resolve_profile
from perfeval.workbook import layout as L
from perfeval.workbook.template import build_workbook

DATA = Path(__file__).parent / "data"


def project_legacy_form(path: Path) -> Path:
    """A hand-made 项目支出绩效自评表 in the 财预〔2020〕10号 layout (not our template)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [
        ["项目支出绩效自评表"],
        ["（2022年度）"],
        ["项目名称", None, "农村饮水安全维修养护"],
        ["主管部门", None, "某县水利局", None, None, "实施单位", "某县水利局"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 120, 120, 114, 10, 0.95, 9.5],
        [None, "其中：当年财政拨款", 120, 120, 114, None, None, None],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [None, "维修养护农村饮水工程30处", None, None, "维修养护农村饮水工程31处"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标", "数量指标", "维修工程数量", "≥30处", "31处", 50, 50],
        [None, "效益指标", "社会效益指标", "受益人口", "≥1.2万人", "1.25万人", 30, 30],
        [None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", 0.95, 10, 10],
        ["总分", None, None, None, None, None, 100, 99.5],
    ]
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)
    ws["G6"].number_format = "0%"
    ws["F13"].number_format = "0%"
    wb.save(path)
    return path


def test_a_project_form_imports_under_the_project_default_profile(tmp_path):
    loaded = load_form(project_legacy_form(tmp_path / "项目.xlsx"))
    assert loaded.origin == "import" and loaded.form.kind is FormKind.PROJECT
    assert loaded.profile.name == "national-project"
    assert loaded.evaluation is not None and loaded.evaluation.total == Decimal("99.50")
    assert loaded.fatal is None


def test_the_form_is_evaluated_once_per_load(tmp_path, monkeypatch):
    calls = []
    real = loader_module.evaluate
    monkeypatch.setattr(loader_module, "evaluate", lambda form, profile: calls.append(1) or real(form, profile))
    import perfeval.checks.context as ctx

    monkeypatch.setattr(ctx, "evaluate", lambda form, profile: pytest.fail("the checks evaluated again"))
    path = tmp_path / "seed.xlsx"
    from perfeval.example_data import zhengning_2023

    path.write_bytes(build_workbook(zhengning_2023()))
    loaded = load_form(path)
    assert calls == [1] and loaded.origin == "template" and loaded.findings


def test_explicit_profile_wins_then_the_workbooks_then_the_kinds_default(tmp_path):
    from perfeval.example_data import zhengning_2023

    form = zhengning_2023()
    assert resolve_profile(None, form).name == "gansu-department"
    assert resolve_profile("湖北", form).name == "hubei-department"  # an alias people type
    named = form.model_copy(update={"profile_name": "jiangxi-department"})
    assert resolve_profile(None, named).name == "jiangxi-department"
    assert resolve_profile(None, form.model_copy(update={"kind": FormKind.PROJECT})).name == "national-project"


@pytest.mark.parametrize("named", ["../../../etc/passwd.toml", "x" * 300, "甘肃省财政厅2099", "/tmp/a.toml"])
def test_a_workbook_may_name_only_a_shipped_profile(named):
    from perfeval.example_data import zhengning_2023

    form = zhengning_2023().model_copy(update={"profile_name": named})
    loaded = load_model(form)
    assert loaded.profile.name == "gansu-department"
    notes = [f for f in loaded.findings if f.code == "PE921"]
    assert len(notes) == 1 and notes[0].sheet == L.SHEET_CONFIG and notes[0].cell == L.CONFIG.profile


def test_an_explicit_profile_that_cannot_be_used_is_refused():
    from perfeval.example_data import zhengning_2023

    with pytest.raises(ProfileError, match="没有名为"):
        resolve_profile("no-such-profile", zhengning_2023())
    with pytest.raises(ProfileError, match="不能用于"):
        resolve_profile("national-project", zhengning_2023())
    with pytest.raises(ProfileError, match="无法读取"):
        resolve_profile("/no/such/file.toml", zhengning_2023())


def test_an_unreadable_file_is_a_loaded_form_with_a_fatal_finding(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    loaded = load_form(bad)
    assert not loaded.readable and loaded.fatal.code.startswith("PE9") and loaded.evaluation is None


def test_load_forms_keeps_input_order_across_workers(tmp_path):
    from perfeval.example_data import zhengning_2023

    paths = []
    for i in range(6):
        p = tmp_path / f"{i}.xlsx"
        if i % 2:
            p.write_bytes(b"broken")
        else:
            p.write_bytes(build_workbook(zhengning_2023()))
        paths.append(p)
    one = [(x.path, x.readable, x.findings) for x in load_forms(paths, jobs=1)]
    two = [(x.path, x.readable, x.findings) for x in load_forms(paths, jobs=2)]
    assert one == two and [p for p, _, _ in one] == paths
