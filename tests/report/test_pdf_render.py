"""The reports as LibreOffice renders them: what a reviewer at the 财政局 reads in the PDF.

Without LibreOffice or poppler's pdftotext these tests say so and skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from perfeval.report import PdfUnavailable, convert_to_pdf
from perfeval.report import pdf as pdf_module

from .test_compose import NUMBER, SEED_OUTLINE, form_numbers


def _need_tools() -> None:
    if pdf_module.find_soffice() is None:
        pytest.skip("LibreOffice 未安装：无法验证 PDF 渲染（安装 libreoffice-writer-nogui 后重跑）")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils 未安装：无法读取 PDF 中的文字（安装 poppler-utils 后重跑）")


def _render(data: bytes, folder: Path, name: str) -> Path:
    src = folder / f"{name}.docx"
    src.write_bytes(data)
    # With the comments kept as annotations, for the final report too: that it has none is the
    # report's doing, not the filter's.
    return convert_to_pdf(src, folder / "pdf", notes=True)


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def _annotations(pdf: Path) -> list[str]:
    """The texts of the PDF's note annotations (LibreOffice writes them as UTF-16 hex strings)."""
    data = pdf.read_bytes()
    out = []
    for m in re.finditer(rb"/Subtype\s*/Text\b(.{0,4000}?)>>", data, re.DOTALL):
        c = re.search(rb"/Contents\s*<([0-9A-Fa-f]+)>", m.group(1))
        if c:
            out.append(bytes.fromhex(c.group(1).decode()).decode("utf-16"))
    return out


def _body(text: str) -> str:
    """The report before its attachment, without the running header and the page numbers."""
    body = re.split(r"^\s*附件\s*$", text, maxsplit=1, flags=re.MULTILINE)[0]
    body = re.sub(r"^\s*草稿（.*）\s*$", "", body, flags=re.MULTILINE)
    return re.sub(r"^\s*—\s*\d+\s*—\s*$", "", body, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, seed_docx, clean_docx):
    _need_tools()
    folder = tmp_path_factory.mktemp("pdf")
    return _render(seed_docx, folder, "正宁县人社局2023年度自评报告（草稿）"), _render(clean_docx, folder, "测试县")


def test_the_seed_draft_renders_with_the_seed_outline_and_no_checker_text_in_its_body(rendered):
    draft, _ = rendered
    assert draft.read_bytes().startswith(b"%PDF")
    text = _text(draft)
    assert re.search(r"—\s*1\s*—", text)  # the page-number field was evaluated
    body = _body(text)
    assert "部门整体支出绩效实际情况" in body  # Chinese came through as text, not tofu
    assert not re.search(r"PE\d{3}|应为|按规则|此处填写", body)
    flat = re.sub(r"\s", "", body)
    at = -1
    for heading in SEED_OUTLINE:
        found = flat.find(heading, at + 1)
        assert found > at, heading
        at = found


def test_every_number_in_the_rendered_seed_body_is_the_forms(rendered, seed_loaded):
    draft, _ = rendered
    printed = set(NUMBER.findall(_body(_text(draft))))
    assert printed
    assert printed - form_numbers(seed_loaded.form, seed_loaded.evaluation) == set()


def test_the_draft_carries_its_comments_and_the_clean_report_has_none(rendered, seed_draft):
    draft, clean = rendered
    notes = _annotations(draft)
    assert sorted(notes) == sorted(n.text for n in seed_draft.notes)
    assert all(re.match(r"PE\d{3} ", n) for n in notes if n.startswith("PE"))
    assert _annotations(clean) == []
    clean_text = _text(clean)
    assert "草稿" not in clean_text and not re.search(r"PE\d{3}", clean_text)


def test_missing_libreoffice_raises_a_chinese_message(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    with pytest.raises(PdfUnavailable) as exc:
        convert_to_pdf(tmp_path / "x.docx", tmp_path)
    assert str(exc.value) == ("未找到 LibreOffice（soffice），无法导出 PDF；"
                              "请安装 LibreOffice 或 WPS 后手动另存为 PDF。")


def test_one_export_gives_a_form_pdf_and_a_report_pdf_with_the_same_total_and_grade(tmp_path, clean_loaded):
    """perfeval export on a clean form: what the printed 自评表 says is what the report says."""
    from typer.testing import CliRunner

    from perfeval.cli import app
    from perfeval.core.decimal_math import fmt_decimal

    _need_tools()
    form = clean_loaded.form
    r = CliRunner().invoke(app, ["export", str(clean_loaded.path), "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    pdfs = {p.name: p for p in tmp_path.glob("*.pdf")}
    assert len(pdfs) == 2
    form_pdf = next(p for n, p in pdfs.items() if n.endswith("自评表.pdf"))
    form_lines = subprocess.run(["pdftotext", "-layout", str(form_pdf), "-"], capture_output=True, text=True,
                                check=True, timeout=60).stdout.splitlines()
    report_text = re.sub(r"\s", "", _text(next(p for n, p in pdfs.items() if n.endswith("自评报告.pdf"))))
    total, grade = form.stated_total_score.number, form.stated_grade.text
    # The sheet shows the 合计 with two decimals (its number format); the report as the form states it.
    total_line = next(line for line in form_lines if "合计" in line)
    assert format(total, ".2f") in total_line.split()
    assert grade in [w for line in form_lines for w in line.split()]
    assert f"自评得分{fmt_decimal(total)}分，自评等级为“{grade}”" in report_text
