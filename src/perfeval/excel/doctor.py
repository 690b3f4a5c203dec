"""Is this machine ready to run the Excel side? And: install the add-in for the current user.

Most "the button does nothing" and "#NAME? in every score" calls come down to a handful of
causes: the VBA module of one xlwings version talking to another version's Python package,
xlwings not knowing which python.exe to start, the add-in not copied where Excel looks, or the
xlwings DLL missing next to the interpreter. `doctor()` checks exactly those and says so in
Chinese; `install_addin()` fixes the last three without administrator rights.

On Windows doctor also reads what Excel and IT's policies say (HKCU and the policy keys; no
administrator rights needed to read them): Excel's version and bitness (which of xlwings'
two DLLs it loads), whether the add-in's folder is a trusted location, and the macro
settings. Registry access goes through a small `Registry` object so the Windows branch runs
in the tests on any system with a fake one.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

from perfeval.core.errors import CodedError

__all__ = [
    "AddinInstallError",
    "Check",
    "Registry",
    "describe_install",
    "doctor",
    "excel_bitness",
    "install_addin",
    "old_addin_path",
    "update_xlwings_config",
    "user_addin_path",
    "vba_xlwings_version",
    "xlwings_config_path",
]

MIN_PYTHON = (3, 11)
UDF_MODULES = "perfeval.excel.udfs"
# Keys as xlwings.bas asks GetConfig for them ("UDF MODULES" has a space, INTERPRETER_WIN not).
KEY_INTERPRETER = "INTERPRETER_WIN"
KEY_UDF_MODULES = "UDF MODULES"
_VERSION_CONST = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', re.MULTILINE)
_VERSION_COMMENT = re.compile(r"^'Version: (\S+)", re.MULTILINE)


class Check(NamedTuple):
    check: str
    ok: bool
    detail: str


class AddinInstallError(CodedError):
    """The add-in cannot be installed here (PE960); the message says why, in Chinese."""

    CODE = "PE960"


def _is_windows() -> bool:
    return sys.platform.startswith("win")


def vba_xlwings_version(bas: Path) -> str | None:
    """The xlwings version a copied xlwings.bas belongs to (its constant, else its header)."""
    try:
        text = bas.read_bytes().decode("ascii", "replace")
    except OSError:
        return None
    m = _VERSION_CONST.search(text) or _VERSION_COMMENT.search(text)
    return m.group(1) if m else None


def xlwings_config_path() -> Path:
    """%USERPROFILE%\\.xlwings\\xlwings.conf, where xlwings looks for the user's settings."""
    home = os.environ.get("USERPROFILE") if _is_windows() else None
    return Path(home or Path.home()) / ".xlwings" / "xlwings.conf"


def user_addin_path() -> Path | None:
    """%APPDATA%\\Microsoft\\Excel\\XLSTART\\perfeval.xlam: Excel opens every add-in in its
    user start-up folder when it starts, and that folder is one of Excel's default trusted
    locations ("User StartUp"), so the add-in loads without ticking it and its macros run."""
    appdata = os.environ.get("APPDATA")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART" / "perfeval.xlam" if appdata else None


def old_addin_path() -> Path | None:
    """%APPDATA%\\Microsoft\\AddIns\\perfeval.xlam, where earlier perfeval installs put it (to be
    ticked by hand). A copy there as well would make Excel open two workbooks of one name."""
    appdata = os.environ.get("APPDATA")
    return Path(appdata) / "Microsoft" / "AddIns" / "perfeval.xlam" if appdata else None


def _read_config(path: Path) -> dict[str, str]:
    """xlwings.conf lines are "KEY","VALUE" (read by VBA's Input #, in the ANSI code page)."""
    out: dict[str, str] = {}
    try:
        raw = path.read_bytes()
    except OSError:
        return out
    text = raw.decode("mbcs" if _is_windows() else "utf-8", "replace")
    for line in text.splitlines():
        values = re.findall(r'"([^"]*)"', line)
        if len(values) >= 2:
            out[values[0].upper()] = values[1]
    return out


def update_xlwings_config(path: Path, settings: dict[str, str], remove: tuple[str, ...] = ()) -> None:
    """Set `settings` in an xlwings.conf and drop the keys in `remove`, keeping every other line.

    VBA reads this file with `Open … For Input`, i.e. in the system's ANSI code page (GBK on a
    Chinese Windows), so it is written in that code page, not UTF-8.
    """
    encoding = "mbcs" if _is_windows() else "utf-8"
    lines: list[str] = []
    if path.exists():
        for line in path.read_bytes().decode(encoding, "replace").splitlines():
            key = re.findall(r'"([^"]*)"', line)
            if line.strip() and not (key and key[0].upper() in {*settings, *remove}):
                lines.append(line)
    for key, value in settings.items():
        if '"' in value:
            raise AddinInstallError(f"配置值不能含双引号：{value}")
        lines.append(f'"{key}","{value}"')
    try:
        data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    except UnicodeEncodeError as exc:
        raise AddinInstallError(
            f"Python 的安装路径含有本机代码页无法表示的字符（{exc.object[exc.start:exc.end]}），"
            "Excel 读不了；请把 Python 安装到只含中英文和数字的路径下。"
        ) from None
    from perfeval.outputs import write_atomic

    write_atomic(path, data, force=True)


def _source_checks() -> list[Check]:
    from perfeval.excel.build import AddinSourcesMissing, addin_dir

    checks: list[Check] = []
    try:
        bas: Path | None = addin_dir() / "vba" / "xlwings.bas"
    except AddinSourcesMissing as exc:
        bas = None
        checks.append(Check("加载项源文件", False, str(exc)))
    try:
        import xlwings

        installed: str | None = xlwings.__version__
        checks.append(Check("xlwings 已安装", True, f"版本 {installed}"))
    except ImportError:
        installed = None
        checks.append(Check("xlwings 已安装", False, "未安装 xlwings：请运行 pip install xlwings==0.37.8"))
    copied = vba_xlwings_version(bas) if bas is not None else None
    if copied is None and bas is not None:
        checks.append(Check("VBA 模块的 xlwings 版本", False, f"读不到 {bas}"))
    elif copied is not None:
        same = installed == copied
        detail = (f"VBA 模块与 Python 包均为 {copied}" if same else
                  f"VBA 模块来自 xlwings {copied}，已安装的是 {installed}：按钮和函数会报错。"
                  f"请安装 xlwings=={copied}，或更新 addin/vba/xlwings.bas 后重新生成加载项。")
        checks.append(Check("VBA 模块的 xlwings 版本", same, detail))
    if bas is not None:
        try:
            # The add-in is built from these sources on demand (the same bytes every time), so
            # what matters is that it can be built here, in a checkout or from a wheel.
            size = len(current_addin())
            checks.append(Check("加载项可生成", True, f"perfeval.xlam，{size:,} 字节"))
        except Exception as exc:  # noqa: BLE001 - reported, not raised: doctor is the diagnosis
            checks.append(Check("加载项可生成", False, f"{type(exc).__name__}: {exc}"))
    return checks


def current_addin() -> bytes:
    """The add-in this perfeval installs: built from its sources, not read from a file."""
    from perfeval.excel.build import build_addin_xlam

    return build_addin_xlam()


# ---------------------------------------------------------------------------------------------
# Windows: the registry, Excel, the trusted locations, the macro settings


class Registry:
    """Read-only registry lookups, "HKCU\\Software\\…" paths; both views of HKLM are tried."""

    _ROOTS = {"HKCU": "HKEY_CURRENT_USER", "HKLM": "HKEY_LOCAL_MACHINE", "HKCR": "HKEY_CLASSES_ROOT"}

    def _open(self, path: str):
        import winreg

        root, _, sub = path.partition("\\")
        hive = getattr(winreg, self._ROOTS[root])
        views = (0, winreg.KEY_WOW64_32KEY) if root == "HKLM" else (0,)
        for view in views:
            try:
                return winreg.OpenKey(hive, sub, 0, winreg.KEY_READ | view)
            except OSError:
                continue
        return None

    def value(self, path: str, name: str = "") -> object | None:
        import winreg

        key = self._open(path)
        if key is None:
            return None
        with key:
            try:
                value, kind = winreg.QueryValueEx(key, name)
            except OSError:
                return None
        return os.path.expandvars(value) if kind == winreg.REG_EXPAND_SZ else value

    def subkeys(self, path: str) -> list[str]:
        import winreg

        key = self._open(path)
        if key is None:
            return []
        names = []
        with key:
            for i in range(10_000):
                try:
                    names.append(winreg.EnumKey(key, i))
                except OSError:
                    break
        return names


def office_version(reg: Registry) -> str | None:
    """"16.0" (2016 to 365), "15.0" (2013), "14.0" (2010), or None without Excel."""
    cur = reg.value("HKCR\\Excel.Application\\CurVer")
    if isinstance(cur, str) and cur.rsplit(".", 1)[-1].isdigit():
        return f"{cur.rsplit('.', 1)[-1]}.0"
    for version in ("16.0", "15.0", "14.0"):
        if reg.subkeys(f"HKCU\\Software\\Microsoft\\Office\\{version}\\Excel"):
            return version
    return None


def _pe_bits(exe: Path) -> int | None:
    """32 or 64 from an .exe's PE header (IMAGE_FILE_HEADER.Machine), None if unreadable."""
    try:
        with open(exe, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if head[:2] != b"MZ" or len(head) < 0x40:
        return None
    pe = int.from_bytes(head[0x3C:0x40], "little")
    if head[pe:pe + 4] != b"PE\0\0":
        return None
    machine = int.from_bytes(head[pe + 4:pe + 6], "little")
    return {0x8664: 64, 0xAA64: 64, 0x14C: 32}.get(machine)


def excel_bitness(reg: Registry) -> tuple[int | None, str]:
    """(32 or 64, how we know), from EXCEL.EXE itself, else Click-to-Run's platform."""
    exe = reg.value("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\excel.exe")
    if isinstance(exe, str) and exe:
        bits = _pe_bits(Path(exe.strip('"')))
        if bits:
            return bits, exe.strip('"')
    platform = reg.value("HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration", "Platform")
    if platform in ("x64", "x86"):
        return (64 if platform == "x64" else 32), "Office 即点即用配置"
    return None, ""


def _same_folder(a: str, b: Path) -> bool:
    return os.path.normcase(os.path.normpath(a.rstrip("\\/"))) == os.path.normcase(os.path.normpath(str(b)))


def trusted_location_check(reg: Registry, version: str, folder: Path) -> Check:
    """Is `folder` one of Excel's trusted locations (the user's or IT's), and are those on?"""
    base = f"Software\\Microsoft\\Office\\{version}\\Excel\\Security\\Trusted Locations"
    policy = f"Software\\Policies\\Microsoft\\Office\\{version}\\Excel\\Security\\Trusted Locations"
    if reg.value(f"HKCU\\{policy}", "AllLocationsDisabled") == 1 or reg.value(f"HKCU\\{base}", "AllLocationsDisabled") == 1:
        return Check("受信任位置", False, "本机禁用了所有受信任位置（组策略或信任中心设置）：加载项的宏需要数字签名，"
                                      "请 IT 为 perfeval.xlam 签名，或取消“禁用所有受信任位置”。")
    listed = 0
    for root in (f"HKCU\\{policy}", f"HKCU\\{base}"):
        for sub in reg.subkeys(root):
            path = reg.value(f"{root}\\{sub}", "Path")
            if not isinstance(path, str):
                continue
            listed += 1
            if _same_folder(os.path.expandvars(path), folder):
                return Check("受信任位置", True, f"{folder} 是受信任位置（{sub}）")
    if not listed:
        # Excel writes its default locations on first start; none yet means the defaults hold.
        return Check("受信任位置", True, f"{folder}：Excel 的默认受信任位置（“用户启动”）")
    return Check("受信任位置", False, f"{folder} 不在 Excel 的受信任位置中（有人删掉了默认的“用户启动”位置，或策略只允许 IT 设定的位置）："
                                   "请 IT 把它加入受信任位置，或在 文件 → 选项 → 信任中心 → 信任中心设置 → 受信任位置 中添加。")


_VBA_WARNINGS = {
    1: (True, "启用所有宏"),
    2: (True, "禁用宏并发出通知（默认）：受信任位置中的加载项照常运行"),
    3: (False, "只允许数字签名的宏：请 IT 用单位的代码签名证书给 perfeval.xlam 签名（见离线安装包的说明.txt）"),
    4: (False, "禁用所有宏且不通知：功能区按钮和函数都不能用，请 IT 调整宏设置，或改用命令行"),
}


def macro_checks(reg: Registry, version: str) -> list[Check]:
    """The macro settings IT's policy (or the clerk) chose, and what they mean for perfeval."""
    checks = []
    policy = f"HKCU\\Software\\Policies\\Microsoft\\Office\\{version}\\Excel\\Security"
    user = f"HKCU\\Software\\Microsoft\\Office\\{version}\\Excel\\Security"
    level = reg.value(policy, "VBAWarnings")
    source = "组策略"
    if level is None:
        level, source = reg.value(user, "VBAWarnings"), "信任中心"
    ok, text = _VBA_WARNINGS.get(level if isinstance(level, int) else 2, _VBA_WARNINGS[2])
    checks.append(Check("宏设置", ok, f"{text}（{source if level is not None else '未设置，按默认'}）"))
    if reg.value(policy, "RequireAddinSig") == 1 or reg.value(user, "RequireAddinSig") == 1:
        checks.append(Check("加载项签名", False, "要求加载项由受信任的发布者签名：请 IT 为 perfeval.xlam 签名后用 "
                                                "perfeval addin install --file 安装"))
    blocked = reg.value(policy, "blockcontentexecutionfrominternet")
    checks.append(Check("来自网络的文件", True,
                        ("组策略阻止" if blocked == 1 else "默认阻止") + "邮件或网上收到的文件中的宏："
                        "收到的 .xlsm 请先在文件属性中勾选“解除锁定”，或保存到受信任位置后再打开"))
    return checks


def _dll_check(interpreter: Path, bits: int | None) -> list[Check]:
    try:
        import xlwings
    except ImportError:
        return []
    from perfeval.excel.paths import excel_dll_dirs, find_dll, xlwings_dll_name

    checks = []
    for b in [bits] if bits else [64, 32]:
        name = xlwings_dll_name(b, xlwings.__version__)
        where, visible = find_dll(name, interpreter)
        label = f"xlwings DLL（{b} 位 Excel）"
        if where is not None and visible:
            checks.append(Check(label, True, str(where)))
        elif where is not None:
            looked = "、".join(str(d) for d in excel_dll_dirs(interpreter))
            checks.append(Check(label, False,
                                f"{name} 在 {where.parent}（pip --user 安装的位置），但 Excel 只在 {looked} 中找它："
                                "请用离线安装包的 安装.cmd 安装（装到当前用户的虚拟环境），"
                                "或自己建虚拟环境：python -m venv %LOCALAPPDATA%\\perfeval\\venv，在其中安装 perfeval 后"
                                "用它运行 python -m perfeval addin install"))
        else:
            checks.append(Check(label, False, f"找不到 {name}（应在 {excel_dll_dirs(interpreter)[0]}）：请重装 xlwings==0.37.8"))
    return checks


def _windows_checks(reg: Registry | None = None) -> list[Check]:
    reg = reg if reg is not None else Registry()
    checks: list[Check] = []
    conf = xlwings_config_path()
    settings = _read_config(conf)
    interpreter = settings.get(KEY_INTERPRETER, "")
    if not conf.is_file():
        checks.append(Check("xlwings 配置文件", False, f"缺少 {conf}：请运行 perfeval addin install"))
    elif not interpreter:
        checks.append(Check("xlwings 配置文件", False, f"{conf} 中没有 INTERPRETER_WIN"))
    else:
        exists = Path(interpreter).is_file()
        checks.append(Check("xlwings 配置文件", exists,
                            f"INTERPRETER_WIN = {interpreter}" + ("" if exists else "（文件不存在）")))
        same = exists and Path(interpreter).resolve() == Path(sys.executable).resolve()
        checks.append(Check("Excel 使用本 Python", same,
                            "是" if same else f"Excel 将启动 {interpreter}，而 perfeval 装在 {sys.executable}"))
    modules = [m for m in settings.get(KEY_UDF_MODULES, "").split(";") if m.strip()]
    if UDF_MODULES in modules:
        checks.append(Check("xlwings 函数模块", False,
                            f"{conf} 的 UDF MODULES 含 {UDF_MODULES}：用 xlwings 的“Import Functions”会与"
                            "加载项自带的函数重名；请重新运行 perfeval addin install（会把它去掉）"))
    version = office_version(reg)
    bits, how = excel_bitness(reg)
    if version is None:
        checks.append(Check("Excel", False, "本机没有找到 Excel（2010 或更新版本）；WPS 用户请用命令行"))
    else:
        checks.append(Check("Excel", True, f"Office {version}" + (f"，{bits} 位（{how}）" if bits else "，位数未知")))
    checks += _dll_check(Path(interpreter or sys.executable), bits)
    target = user_addin_path()
    if target is None:
        checks.append(Check("加载项已安装", False, "没有 APPDATA 环境变量"))
    elif not target.is_file():
        checks.append(Check("加载项已安装", False, f"缺少 {target}：请运行 perfeval addin install"))
    else:
        data = target.read_bytes()
        checks.append(Check("加载项已安装", True, f"{target}（Excel 启动时自动加载）"))
        signed = _is_signed(data)
        current = data == current_addin()
        checks.append(Check("加载项为最新", current or signed,
                            "与本机 perfeval 生成的一致" if current
                            else "已数字签名（IT 签名的版本；是否为最新请 IT 核对）" if signed
                            else "与本机 perfeval 生成的不同：请重新运行 perfeval addin install"))
    old = old_addin_path()
    if old is not None and old.is_file():
        checks.append(Check("旧的加载项", False, f"{old} 还在：Excel 会打开两个同名的 perfeval.xlam；"
                                               "请关闭 Excel 后重新运行 perfeval addin install（会移走它）"))
    if version is not None and target is not None:
        checks.append(trusted_location_check(reg, version, target.parent))
        checks += macro_checks(reg, version)
    return checks


def _is_signed(xlam: bytes) -> bool:
    """An Office file whose VBA project carries a digital signature part."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(xlam)) as z:
            return any("vbaProjectSignature" in n for n in z.namelist())
    except zipfile.BadZipFile:
        return False


def _pdf_check() -> Check:
    from perfeval.report.pdf import find_soffice

    exe = find_soffice()
    if exe:
        return Check("PDF 导出（LibreOffice）", True, exe)
    return Check("PDF 导出（LibreOffice，可选）", True,
                 "未安装：只有“导出”自评报告 PDF 需要它；不装也可以点“生成报告”，在 Word 或 WPS 中另存为 PDF")


def doctor() -> list[tuple[str, bool, str]]:
    """Every check as (what, ok, detail); details are for the clerk or the 财政局's IT person."""
    ok_python = sys.version_info[:2] >= MIN_PYTHON
    checks = [Check("Python 版本", ok_python,
                    f"{sys.version.split()[0]}（{sys.executable}）"
                    + ("" if ok_python else f"；需要 {MIN_PYTHON[0]}.{MIN_PYTHON[1]} 或更高"))]
    checks += _source_checks()
    if _is_windows():
        checks += _windows_checks()
    else:
        checks.append(Check("Excel 环境", True, "非 Windows 系统：加载项与 xlwings 配置只在 Windows 上检查"))
    checks.append(_pdf_check())
    return checks


def install_addin(source: Path | None = None) -> list[Path]:
    """Put perfeval.xlam into Excel's user start-up folder and point xlwings at this Python.

    XLSTART is a default trusted location and Excel opens the add-ins in it at every start, so
    nothing needs ticking and the add-in's macros run under the default macro settings. No
    administrator rights needed: both places belong to the user. A copy left in the AddIns
    folder by an earlier install is removed (with its tick), or Excel would open two
    workbooks of one name. Returns the files written. Excel must be closed (it locks a
    loaded add-in).
    """
    if not _is_windows():
        raise AddinInstallError("安装 Excel 加载项只能在 Windows 上进行；本机不是 Windows。")
    from perfeval.outputs import OutputError, write_atomic

    if source is not None and not Path(source).is_file():
        raise AddinInstallError(f"找不到加载项文件 {source}。")
    data = Path(source).read_bytes() if source is not None else current_addin()
    target = user_addin_path()
    if target is None:
        raise AddinInstallError("没有 APPDATA 环境变量，找不到当前用户的 Excel 启动文件夹。")
    try:
        write_atomic(target, data, force=True)
    except OutputError as exc:
        raise AddinInstallError(f"{exc.message}（请先关闭 Excel 再安装）") from None
    _remove_old_addin()
    conf = xlwings_config_path()
    # "UDF MODULES" is only read by xlwings' own Import Functions; with perfeval's module in it
    # that button would create a second set of our functions beside the add-in's. Earlier
    # installs wrote it: take our module out, keep the user's others.
    modules = [m for m in _read_config(conf).get(KEY_UDF_MODULES, "").split(";")
               if m.strip() and m.strip() != UDF_MODULES]
    update_xlwings_config(conf, {KEY_INTERPRETER: sys.executable,
                                 **({KEY_UDF_MODULES: ";".join(modules)} if modules else {})},
                          remove=() if modules else (KEY_UDF_MODULES,))
    return [target, conf]


def _remove_old_addin() -> None:
    """Delete an AddIns-folder copy from an earlier install and its OPENn entry (its tick)."""
    old = old_addin_path()
    if old is None or not old.is_file():
        return
    try:
        old.unlink()
    except OSError as exc:
        raise AddinInstallError(f"无法删除旧的加载项 {old}（{exc.strerror}）：请先关闭 Excel 再安装。") from None
    try:
        import winreg

        for version in ("16.0", "15.0", "14.0"):
            path = f"Software\\Microsoft\\Office\\{version}\\Excel\\Options"
            try:
                key = winreg.OpenKey(winreg.HKEY_CURRENT_USER, path, 0,
                                     winreg.KEY_READ | winreg.KEY_SET_VALUE)
            except OSError:
                continue
            with key:
                names, i = [], 0
                while True:
                    try:
                        name, value, _ = winreg.EnumValue(key, i)
                    except OSError:
                        break
                    if name.upper().startswith("OPEN") and "perfeval.xlam" in str(value).lower():
                        names.append(name)
                    i += 1
                for name in names:
                    winreg.DeleteValue(key, name)
    except (ImportError, OSError):
        pass  # the tick only makes Excel ask once where the file went


def describe_install(written: list[Path]) -> list[str]:
    """What `perfeval addin install` did, for the clerk or IT (Chinese)."""
    target, conf = written[0], written[1]
    lines = [
        f"已安装加载项：{target}",
        "  这是 Excel 的启动文件夹（XLSTART），Excel 默认信任它：每次启动自动加载，不用在“加载项”中勾选，宏可以运行。",
        f"已写入 xlwings 配置：{conf}（INTERPRETER_WIN = {sys.executable}）",
    ]
    problems = [c for c in _windows_checks() if not c.ok] if _is_windows() else []
    for c in problems:
        lines.append(f"注意 × {c.check}：{c.detail}")
    lines.append("重新打开 Excel 后，出现“绩效自评工具”选项卡即安装成功；运行 perfeval doctor 可再检查一遍。")
    return lines
