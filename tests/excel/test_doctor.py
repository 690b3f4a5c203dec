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


def test_xlwings_config_update_can_drop_a_key(tmp_path):
    conf = tmp_path / "xlwings.conf"
    conf.write_bytes(b'"UDF MODULES","perfeval.excel.udfs"\r\n"LICENSE_KEY","abc"\r\n')
    update_xlwings_config(conf, {doc.KEY_INTERPRETER: "python.exe"}, remove=(doc.KEY_UDF_MODULES,))
    assert doc._read_config(conf) == {"LICENSE_KEY": "abc", "INTERPRETER_WIN": "python.exe"}


# ---------------------------------------------------------------------------------------------
# the Windows branch, with a fake registry and a fake profile


class FakeRegistry(doc.Registry):
    def __init__(self, values: dict[tuple[str, str], object]) -> None:
        self.values = values

    def value(self, path, name=""):
        return self.values.get((path, name))

    def subkeys(self, path):
        prefix = path + "\\"
        return sorted({k[len(prefix):].split("\\")[0] for k, _ in self.values if k.startswith(prefix)})


OFFICE = "HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Security"
POLICY = "HKCU\\Software\\Policies\\Microsoft\\Office\\16.0\\Excel\\Security"
APP_PATHS = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\excel.exe"


def fake_exe(path: Path, machine: int) -> Path:
    """An .exe with just enough PE header to tell its machine type."""
    head = bytearray(0x200)
    head[:2] = b"MZ"
    head[0x3C:0x40] = (0x80).to_bytes(4, "little")
    head[0x80:0x84] = b"PE\0\0"
    head[0x84:0x86] = machine.to_bytes(2, "little")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(head))
    return path


@pytest.fixture
def profile(tmp_path, monkeypatch):
    """A Windows user's profile under tmp_path: APPDATA, the xlwings.conf home, a venv."""
    appdata = tmp_path / "AppData" / "Roaming"
    monkeypatch.setenv("APPDATA", str(appdata))
    monkeypatch.setenv("HOME", str(tmp_path))
    venv = tmp_path / "AppData" / "Local" / "perfeval" / "venv"
    python = venv / "Scripts" / "python.exe"
    python.parent.mkdir(parents=True)
    python.write_bytes(b"")
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_bytes(f'"INTERPRETER_WIN","{python}"\r\n'.encode())
    xlstart = appdata / "Microsoft" / "Excel" / "XLSTART"
    return {"venv": venv, "python": python, "conf": conf, "xlstart": xlstart, "root": tmp_path}


def good_registry(p) -> dict:
    excel = fake_exe(p["root"] / "Office16" / "EXCEL.EXE", 0x14C)  # 32-bit Excel
    return {
        ("HKCR\\Excel.Application\\CurVer", ""): "Excel.Application.16",
        (APP_PATHS, ""): str(excel),
        (f"{OFFICE}\\Trusted Locations\\Location2", "Path"): str(p["xlstart"]) + "\\",
        (f"{OFFICE}\\Trusted Locations\\Location2", "Description"): "Excel default location: User StartUp",
    }


def test_windows_checks_pass_for_a_bundle_install(profile):
    (profile["venv"] / f"xlwings32-{xlwings.__version__}.dll").write_bytes(b"dll")
    profile["xlstart"].mkdir(parents=True)
    (profile["xlstart"] / "perfeval.xlam").write_bytes(doc.current_addin())
    rows = {c.check: c for c in doc._windows_checks(FakeRegistry(good_registry(profile)))}
    assert rows["Excel"].ok and "32 位" in rows["Excel"].detail
    assert rows["xlwings DLL（32 位 Excel）"].ok  # the one 32-bit Excel loads, beside the venv
    assert "xlwings DLL（64 位 Excel）" not in rows
    assert rows["加载项已安装"].ok and rows["加载项为最新"].ok
    assert rows["受信任位置"].ok and rows["宏设置"].ok
    assert "旧的加载项" not in rows and "xlwings 函数模块" not in rows
    assert rows["来自网络的文件"].ok and "解除锁定" in rows["来自网络的文件"].detail


def test_windows_checks_say_what_to_do_in_a_locked_down_office(profile, tmp_path, monkeypatch):
    from perfeval.excel import paths

    # pip --user with an all-users Python: the DLL is in the user base, python.exe elsewhere.
    user_base = tmp_path / "AppData" / "Roaming" / "Python"
    user_base.mkdir(parents=True)
    (user_base / f"xlwings64-{xlwings.__version__}.dll").write_bytes(b"dll")
    monkeypatch.setattr(paths, "user_data_root", lambda: user_base)
    program_files = tmp_path / "Program Files" / "Python312" / "python.exe"
    program_files.parent.mkdir(parents=True)
    program_files.write_bytes(b"")
    profile["conf"].write_bytes(f'"INTERPRETER_WIN","{program_files}"\r\n"UDF MODULES","{doc.UDF_MODULES}"\r\n'.encode())
    old = profile["root"] / "AppData" / "Roaming" / "Microsoft" / "AddIns" / "perfeval.xlam"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old")
    values = good_registry(profile)
    values[(APP_PATHS, "")] = str(fake_exe(profile["root"] / "x64" / "EXCEL.EXE", 0x8664))
    values[(POLICY, "VBAWarnings")] = 4
    values[(f"{POLICY}\\Trusted Locations", "AllLocationsDisabled")] = 1
    rows = {c.check: c for c in doc._windows_checks(FakeRegistry(values))}
    dll = rows["xlwings DLL（64 位 Excel）"]
    assert not dll.ok and str(user_base) in dll.detail and "安装.cmd" in dll.detail
    assert not rows["加载项已安装"].ok and "perfeval addin install" in rows["加载项已安装"].detail
    assert not rows["旧的加载项"].ok
    assert not rows["xlwings 函数模块"].ok and "Import Functions" in rows["xlwings 函数模块"].detail
    assert not rows["受信任位置"].ok and "签名" in rows["受信任位置"].detail
    assert not rows["宏设置"].ok and "组策略" in rows["宏设置"].detail


def test_a_trusted_location_list_without_xlstart_is_flagged(profile):
    values = good_registry(profile)
    values[(f"{OFFICE}\\Trusted Locations\\Location2", "Path")] = "C:\\Somewhere\\else\\"
    check = doc.trusted_location_check(FakeRegistry(values), "16.0", profile["xlstart"])
    assert not check.ok and "受信任位置" in check.detail
    # No list written yet (Excel never started): its defaults, XLSTART among them, hold.
    assert doc.trusted_location_check(FakeRegistry({}), "16.0", profile["xlstart"]).ok


def test_no_excel_is_said_plainly(profile):
    rows = {c.check: c for c in doc._windows_checks(FakeRegistry({}))}
    assert not rows["Excel"].ok and "WPS" in rows["Excel"].detail
    assert "受信任位置" not in rows


def test_pe_header_gives_the_bitness(tmp_path):
    assert doc._pe_bits(fake_exe(tmp_path / "a.exe", 0x8664)) == 64
    assert doc._pe_bits(fake_exe(tmp_path / "b.exe", 0x14C)) == 32
    (tmp_path / "c.exe").write_bytes(b"not an exe")
    assert doc._pe_bits(tmp_path / "c.exe") is None
    assert doc._pe_bits(tmp_path / "missing.exe") is None


@pytest.fixture
def windows_install(profile, monkeypatch):
    """install_addin's Windows path on this system: mbcs read as UTF-8 for the test."""
    import codecs

    def search(name):
        return codecs.lookup("utf-8") if name == "mbcs" else None

    codecs.register(search)
    monkeypatch.setattr(doc, "_is_windows", lambda: True)
    yield profile
    codecs.unregister(search)


def test_install_puts_the_addin_in_xlstart_and_drops_our_udf_modules(windows_install):
    p = windows_install
    p["conf"].write_bytes(f'"UDF MODULES","mine.udfs;{doc.UDF_MODULES}"\r\n"LICENSE_KEY","k"\r\n'.encode())
    old = doc.old_addin_path()
    old.parent.mkdir(parents=True)
    old.write_bytes(b"from an earlier install")
    target, conf = install_addin()
    assert target == p["xlstart"] / "perfeval.xlam" and target.read_bytes() == doc.current_addin()
    assert not old.exists()
    assert doc._read_config(conf) == {"LICENSE_KEY": "k", "UDF MODULES": "mine.udfs",
                                      "INTERPRETER_WIN": sys.executable}
    p["conf"].write_bytes(f'"UDF MODULES","{doc.UDF_MODULES}"\r\n'.encode())
    install_addin()
    assert doc._read_config(p["conf"]) == {"INTERPRETER_WIN": sys.executable}


def test_install_of_a_signed_copy_is_kept_as_given(windows_install, tmp_path):
    signed = tmp_path / "signed.xlam"
    signed.write_bytes(doc.current_addin())
    target, _ = install_addin(signed)
    assert target.read_bytes() == signed.read_bytes()
    with pytest.raises(AddinInstallError, match="找不到加载项文件"):
        install_addin(tmp_path / "missing.xlam")


def test_describe_install_says_where_and_that_it_is_trusted(windows_install, monkeypatch):
    monkeypatch.setattr(doc, "_windows_checks", lambda reg=None: [doc.Check("受信任位置", False, "不在")])
    lines = doc.describe_install(install_addin())
    assert "XLSTART" in lines[0] + lines[1] and "信任" in lines[1]
    assert any(line.startswith("注意 × 受信任位置") for line in lines)
