"""Is this machine ready to run the Excel side? And: install the add-in for the current user.

Most "the button does nothing" and "#NAME? in every score" calls come down to a handful of
causes: the VBA module of one xlwings version talking to another version's Python package,
xlwings not knowing which python.exe to start, the add-in not copied where Excel looks, or the
xlwings DLL missing next to the interpreter. `doctor()` checks exactly those and says so in
Chinese; `install_addin()` fixes the last three without administrator rights.
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
    "doctor",
    "install_addin",
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
    """%APPDATA%\\Microsoft\\AddIns\\perfeval.xlam: Excel lists add-ins found there."""
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


def update_xlwings_config(path: Path, settings: dict[str, str]) -> None:
    """Set `settings` in an xlwings.conf, keeping every other line as it was.

    VBA reads this file with `Open … For Input`, i.e. in the system's ANSI code page (GBK on a
    Chinese Windows), so it is written in that code page, not UTF-8.
    """
    encoding = "mbcs" if _is_windows() else "utf-8"
    lines: list[str] = []
    if path.exists():
        for line in path.read_bytes().decode(encoding, "replace").splitlines():
            key = re.findall(r'"([^"]*)"', line)
            if line.strip() and not (key and key[0].upper() in settings):
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


def _windows_checks() -> list[Check]:
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
        modules = settings.get(KEY_UDF_MODULES, "")
        checks.append(Check("UDF MODULES", UDF_MODULES in modules.split(";"),
                            modules or f"未设置（应含 {UDF_MODULES}）"))
    try:
        import xlwings

        bits = "64" if sys.maxsize > 2**32 else "32"
        dll = f"xlwings{bits}-{xlwings.__version__}.dll"
        exe = Path(interpreter or sys.executable)
        places = [exe.parent / dll, exe.parent.parent / dll]
        found = next((p for p in places if p.is_file()), None)
        checks.append(Check("xlwings DLL", found is not None,
                            str(found) if found else f"找不到 {dll}（应在 {places[0].parent}）：请重装 xlwings"))
    except ImportError:
        pass
    target = user_addin_path()
    if target is None:
        checks.append(Check("加载项已安装", False, "没有 APPDATA 环境变量"))
    elif not target.is_file():
        checks.append(Check("加载项已安装", False, f"缺少 {target}：请运行 perfeval addin install"))
    else:
        current = target.read_bytes() == current_addin()
        checks.append(Check("加载项已安装", True, str(target)))
        checks.append(Check("加载项为最新", current,
                            "与本机 perfeval 生成的一致" if current
                            else "与本机 perfeval 生成的不同：请重新运行 perfeval addin install"))
    return checks


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
    return checks


def install_addin(source: Path | None = None) -> list[Path]:
    """Copy perfeval.xlam to %APPDATA%\\Microsoft\\AddIns and point xlwings at this Python.

    No administrator rights needed: both places belong to the user. Returns the files written.
    Excel must be closed (it locks a loaded add-in); afterwards tick 「perfeval」 once under
    文件 → 选项 → 加载项 → 转到.
    """
    if not _is_windows():
        raise AddinInstallError("安装 Excel 加载项只能在 Windows 上进行；本机不是 Windows。")
    from perfeval.outputs import OutputError, write_atomic

    if source is not None and not Path(source).is_file():
        raise AddinInstallError(f"找不到加载项文件 {source}。")
    data = Path(source).read_bytes() if source is not None else current_addin()
    target = user_addin_path()
    if target is None:
        raise AddinInstallError("没有 APPDATA 环境变量，找不到当前用户的加载项文件夹。")
    try:
        write_atomic(target, data, force=True)
    except OutputError as exc:
        raise AddinInstallError(f"{exc.message}（请先关闭 Excel 再安装）") from None
    conf = xlwings_config_path()
    # Keep UDF modules the user already had (xlwings reads a ;-separated list).
    modules = [m for m in _read_config(conf).get(KEY_UDF_MODULES, "").split(";") if m.strip()]
    if UDF_MODULES not in modules:
        modules.append(UDF_MODULES)
    update_xlwings_config(conf, {KEY_INTERPRETER: sys.executable, KEY_UDF_MODULES: ";".join(modules)})
    return [target, conf]
