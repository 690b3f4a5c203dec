"""doctor() and install_addin(): what can be checked off Windows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import xlwings

from perfeval.excel import doctor as doc
from perfeval.excel.doctor import (
    AddinInstallError,
    doctor,
    install_addin,
    update_xlwings_config,
    vba_xlwings_version,
)

REPO = Path(__file__).resolve().parents[2]
XLWINGS_BAS = REPO / "addin" / "vba" / "xlwings.bas"


def test_the_copied_vba_module_names_the_installed_xlwings_version():
    assert vba_xlwings_version(XLWINGS_BAS) == xlwings.__version__


def test_a_module_from_another_version_is_detected(tmp_path):
    other = tmp_path / "xlwings.bas"
    other.write_bytes(XLWINGS_BAS.read_bytes().replace(xlwings.__version__.encode(), b"0.30.0"))
    assert vba_xlwings_version(other) == "0.30.0"
    header_only = tmp_path / "header.bas"
    header_only.write_bytes(b'Attribute VB_Name = "xlwings"\r\n\'Version: 0.99.1\r\n')
    assert vba_xlwings_version(header_only) == "0.99.1"
    assert vba_xlwings_version(tmp_path / "missing.bas") is None


def test_doctor_reports_python_and_the_xlwings_match(tmp_path, monkeypatch):
    rows = doctor()
    assert all(isinstance(name, str) and isinstance(ok, bool) and isinstance(detail, str)
               for name, ok, detail in rows)
    by_name = {name: (ok, detail) for name, ok, detail in rows}
    assert by_name["Python 版本"][0] is True
    assert by_name["VBA 模块的 xlwings 版本"] == (True, f"VBA 模块与 Python 包均为 {xlwings.__version__}")
    if not sys.platform.startswith("win"):
        assert by_name["Excel 环境"][0] is True


def test_doctor_flags_a_version_mismatch(monkeypatch):
    copied = xlwings.__version__
    monkeypatch.setattr(xlwings, "__version__", "0.99.0")
    by_name = {name: (ok, detail) for name, ok, detail in doctor()}
    ok, detail = by_name["VBA 模块的 xlwings 版本"]
    assert ok is False
    assert "0.99.0" in detail and f"xlwings=={copied}" in detail


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the refusal is for other systems")
def test_install_addin_is_windows_only_and_says_so_in_chinese():
    with pytest.raises(AddinInstallError, match="只能在 Windows 上"):
        install_addin()


def test_xlwings_config_update_keeps_other_settings(tmp_path):
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_bytes(b'"LICENSE_KEY","abc"\r\n"INTERPRETER_WIN","C:\\old\\python.exe"\r\n\r\n')
    update_xlwings_config(conf, {doc.KEY_INTERPRETER: r"C:\新\python.exe",
                                 doc.KEY_UDF_MODULES: doc.UDF_MODULES})
    text = conf.read_bytes().decode("utf-8")
    assert text == ('"LICENSE_KEY","abc"\r\n"INTERPRETER_WIN","C:\\新\\python.exe"\r\n'
                    f'"UDF MODULES","{doc.UDF_MODULES}"\r\n')
    assert doc._read_config(conf) == {"LICENSE_KEY": "abc", "INTERPRETER_WIN": r"C:\新\python.exe",
                                      "UDF MODULES": doc.UDF_MODULES}
    with pytest.raises(AddinInstallError):
        update_xlwings_config(conf, {"PYTHONPATH": 'a"b'})


def test_config_keys_are_the_ones_xlwings_vba_asks_for():
    text = XLWINGS_BAS.read_bytes().decode("ascii")
    for key in (doc.KEY_INTERPRETER, doc.KEY_UDF_MODULES):
        assert f'GetConfig("{key}"' in text
