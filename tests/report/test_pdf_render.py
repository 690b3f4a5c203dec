"""LibreOffice renders the seed report; without LibreOffice the test says so and skips."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from perfeval.report import PdfUnavailable, convert_to_pdf
from perfeval.report import pdf as pdf_module


def _page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                             timeout=60).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))
    # No poppler: count page objects (LibreOffice writes the page tree uncompressed).
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def test_seed_report_renders_to_a_plausible_pdf_through_libreoffice(seed_docx, tmp_path):
    if pdf_module.find_soffice() is None:
        pytest.skip("LibreOffice 未安装：无法验证 PDF 渲染（安装 libreoffice-writer-nogui 后重跑）")
    docx_path = tmp_path / "正宁县人社局2023年度自评报告.docx"
    docx_path.write_bytes(seed_docx)
    pdf = convert_to_pdf(docx_path, tmp_path / "out")
    assert pdf == tmp_path / "out" / "正宁县人社局2023年度自评报告.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _page_count(pdf)
    assert pages >= 3, f"only {pages} pages"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True, timeout=60).stdout
        assert "部门整体支出绩效实际情况" in text  # Chinese came through as text, not tofu
        assert re.search(r"—\s*1\s*—", text)  # the page-number field was evaluated


def test_missing_libreoffice_raises_a_chinese_message(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    with pytest.raises(PdfUnavailable) as exc:
        convert_to_pdf(tmp_path / "x.docx", tmp_path)
    assert str(exc.value) == ("未找到 LibreOffice（soffice），无法导出 PDF；"
                              "请安装 LibreOffice 或 WPS 后手动另存为 PDF。")
