"""What still cannot be read ends in exit 2 with a code and a sentence that says what to do —
scanned PDFs, WPS .et files no library reads, password-protected files — never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import DOCUMENTS, SEED_XLSX


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("PERFEVAL_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "from perfeval.cli import main; main()", *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)


def scanned_pdf(path: Path) -> Path:
    """A page of the seed PDF rendered to a picture and saved as a PDF: what a scanner sends."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(DOCUMENTS / "zhengning-rsj-2023.pdf"))
    images = [pdf[i].render(scale=1).to_pil().convert("RGB") for i in (6, 7)]
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:])
    return path


def encrypted(source: Path, path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(source, "rb") as fh, open(path, "wb") as out:
        OOXMLFile(fh).encrypt("正宁2024", out)
    return path


def fake_et(path: Path) -> Path:
    """Not BIFF inside: the bytes of a WPS format nothing here reads."""
    path.write_bytes(b"WPS-ET\x00\x01" + bytes(range(256)) * 8)
    return path


def et_compound_file(path: Path) -> Path:
    """A compound file named .et without a Workbook stream."""
    from perfeval.excel.vba.cfb import build_compound_file

    path.write_bytes(build_compound_file({"ETExtData": b"\x00" * 600, "SummaryInformation": b"\x00" * 64}))
    return path


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    return {
        "scanned": scanned_pdf(d / "扫描件.pdf"),
        "et": fake_et(d / "自评表.et"),
        "et_cfb": et_compound_file(d / "单位自评表.et"),
        "xlsx_encrypted": encrypted(SEED_XLSX, d / "加密.xlsx"),
        "docx_encrypted": encrypted(DOCUMENTS / "zhengning-rsj-2023.docx", d / "加密报告.docx"),
    }


EXPECTED = {
    "scanned": ("PE916", "扫描"),
    "et": ("PE917", "另存为"),
    "et_cfb": ("PE917", "另存为"),
    "xlsx_encrypted": ("PE905", "保护工作簿"),
    "docx_encrypted": ("PE905", "保护文档"),
}


@pytest.mark.parametrize("command", ["validate", "score", "import"])
@pytest.mark.parametrize("case", list(EXPECTED))
def test_unreadable_input_ends_in_exit_2_with_its_code_and_what_to_do(bad, case, command, tmp_path):
    code, advice = EXPECTED[case]
    args = [command, str(bad[case])] + (["-o", str(tmp_path / "out.xlsx")] if command == "import" else [])
    r = run(*args)
    text = r.stdout + r.stderr
    assert r.returncode == 2, text
    assert code in text and advice in text, text
    assert "Traceback" not in text and "PE999" not in text
    assert not (tmp_path / "out.xlsx").exists()


def test_the_batch_reports_each_refusal_as_that_files_read_error(bad, tmp_path):
    import json

    r = run("validate", *(str(p) for p in bad.values()), "--format", "json", "--jobs", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    doc = json.loads(r.stdout)
    codes = {Path(rep["file"]).name: rep["read_error"].split()[0] for rep in doc["reports"]}
    assert codes == {p.name: EXPECTED[k][0] for k, p in bad.items()}


def test_an_encrypted_xls_is_pe905(tmp_path, monkeypatch):
    """BIFF8 with a FILEPASS record: xlrd refuses it as encrypted (LibreOffice cannot write one)."""
    import xlrd

    from perfeval.formats import import_other

    def refusing(*_a, **_kw):
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", refusing)
    path = tmp_path / "加密.xls"
    path.write_bytes((DOCUMENTS.parent / "converted" / "zhengning-rsj-2023.xls").read_bytes())
    result = import_other(path, "xls", path.read_bytes())
    assert [p.code for p in result.problems] == ["PE905"]
    assert "保护工作簿" in result.problems[0].message


def test_a_damaged_xls_is_pe904_and_a_damaged_et_pe917(tmp_path):
    from perfeval.formats import import_other

    data = (DOCUMENTS.parent / "converted" / "zhengning-rsj-2023.xls").read_bytes()
    broken = data[:4096] + b"\xff" * 2048  # the directory and the workbook stream cut short
    xls, et = tmp_path / "坏.xls", tmp_path / "坏.et"
    for p in (xls, et):
        p.write_bytes(broken)
    assert [p.code for p in import_other(xls, "xls", broken).problems] == ["PE904"]
    assert [p.code for p in import_other(et, "xls", broken).problems] == ["PE917"]


def test_an_odf_package_with_encrypted_parts_is_pe905(tmp_path):
    path = tmp_path / "加密.ods"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                    'manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
                    "</manifest:manifest>")
        zf.writestr("content.xml", os.urandom(512))
    path.write_bytes(buf.getvalue())
    from perfeval.loader import load_form

    assert load_form(path).fatal.code == "PE905"


def test_a_docx_with_a_dtd_is_refused_before_python_docx_parses_it(tmp_path):
    source = DOCUMENTS / "zhengning-rsj-2023.docx"
    with zipfile.ZipFile(source) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    doc = members["word/document.xml"].decode("utf-8")
    members["word/document.xml"] = doc.replace(
        "?>", '?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1).encode("utf-8")
    path = tmp_path / "实体.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    from perfeval.loader import load_form

    assert load_form(path).fatal.code == "PE910"


def test_an_odt_and_a_page_without_a_table_say_what_they_are(tmp_path):
    from perfeval.loader import load_form

    html = tmp_path / "导出.xls"
    html.write_text("<html><body><p>系统维护中，请稍后再导出</p></body></html>", encoding="utf-8")
    odt = tmp_path / "报告.odt"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<x/>")
    odt.write_bytes(buf.getvalue())
    page = load_form(html).fatal
    assert page.code == "PE801" and "网页" in page.message and "没有表格" in page.message
    assert load_form(odt).fatal.code == "PE914" and "另存为" in load_form(odt).fatal.message


def _invoke(*args: str):
    from typer.testing import CliRunner

    from perfeval.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("document", ["zhengning-rsj-2023.docx", "zhengning-rsj-2023.pdf"])
def test_annotate_and_export_refuse_a_document_with_a_coded_message(document, tmp_path):
    path = DOCUMENTS / document
    for args in (["validate", str(path), "--annotate", str(tmp_path / "标注.xlsx")],
                 ["export", str(path), "-o", str(tmp_path)]):
        r = _invoke(*args)
        assert r.exit_code == 2 and "PE940" in r.output and "perfeval import" in r.output, r.output
    assert list(tmp_path.iterdir()) == []


def test_annotate_refuses_an_xls_and_says_how_to_convert(tmp_path):
    path = DOCUMENTS.parent / "converted" / "zhengning-rsj-2023.xls"
    r = _invoke("validate", str(path), "--annotate", str(tmp_path / "标注.xlsx"))
    assert r.exit_code == 2 and "PE940" in r.output and "另存为" in r.output
    assert not (tmp_path / "标注.xlsx").exists()
