"""`perfeval addin bundle`: an offline install package for a clerk's PC without internet.

The office's IT person builds it once on a machine that reaches a package index (or from a
folder of wheels downloaded earlier, `--wheels`) and carries the zip to the intranet PCs:

    perfeval-离线安装包/
        安装.cmd          the install script: per-user, no administrator rights, no network
        说明.txt          what it does and what to do when it fails, for IT
        wheels/           perfeval and every wheel it needs on 64-bit Windows, for each
                          supported CPython (SUPPORTED_PYTHONS)
        加载项/perfeval.xlam
        模板/             the macro template and the two plain templates (WPS, LibreOffice)

Why we resolve the wheel set ourselves as well: `pip download --platform win_amd64` resolves
with *this* machine's environment markers, so a requirement that only applies on Windows
(xlwings needs `pywin32; platform_system == "Windows"`) is silently left out. `resolve()`
walks every wheel's Requires-Dist with the markers of 64-bit CPython on Windows, downloads
what pip left out, and the bundle is only written when nothing is missing for any version.

The install script is a cmd file, not PowerShell: cmd runs on every Windows and is not
subject to the PowerShell execution policy that government PCs often lock down. It is
written in GBK (the code page cmd reads a batch file in on Chinese Windows), with CRLF.
"""

from __future__ import annotations

from perfeval.core.errors import CodedError
import email.parser
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "BUNDLE_NAME",
    "BundleError",
    "BundleSummary",
    "PLATFORM",
    "SCRIPT_NAME",
    "SUPPORTED_PYTHONS",
    "build_bundle",
    "install_script",
    "resolve",
    "windows_markers",
]

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13", "3.14")
PLATFORM = "win_amd64"
BUNDLE_NAME = "perfeval-离线安装包.zip"
TOP = "perfeval-离线安装包"
SCRIPT_NAME = "安装.cmd"
README_NAME = "说明.txt"
WHEELS = "wheels"
ADDIN_FOLDER = "加载项"
TEMPLATE_FOLDER = "模板"
ROOT_REQUIREMENT = "perfeval"
# The script's messages are Chinese; cmd reads a batch file in the console's code page.
SCRIPT_ENCODING = "gbk"
# In a code page other than 936 a GBK trail byte equal to one of these would be read as
# cmd syntax and break the line; a test keeps every such character out of the script.
CMD_SPECIAL_BYTES = b"|^&<>%!\"()"


class BundleError(CodedError):
    """The bundle cannot be made (PE962); the message is for the IT person, in Chinese."""

    CODE = "PE962"


@dataclass
class BundleSummary:
    path: Path
    size: int
    wheels: list[str]
    pythons: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# resolving a wheel folder for Windows


def _packaging():
    """`packaging` (pytest and most environments have it), else the copy pip vendors."""
    try:
        from packaging import requirements, specifiers, tags, utils
    except ImportError:  # pragma: no cover - only without packaging installed
        from pip._vendor.packaging import requirements, specifiers, tags, utils  # type: ignore
    return requirements, specifiers, tags, utils


def windows_markers(python: str) -> dict[str, str]:
    """Environment markers of 64-bit CPython `python` ("3.12") on Windows."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": "win32",
        "extra": "",
    }


def _metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist()
                    if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        return email.parser.BytesParser().parsebytes(z.read(name), headersonly=True)


def resolve(wheels: Iterable[Path], python: str, roots: Sequence[str] = (ROOT_REQUIREMENT,),
            ) -> tuple[list[Path], list[str]]:
    """(the wheels an install of `roots` takes on 64-bit Windows CPython `python`, the
    requirements no wheel in `wheels` satisfies), following Requires-Dist with Windows markers.

    The newest compatible version that satisfies a requirement is taken, as pip would; a
    requirement whose marker is false on Windows is skipped.
    """
    requirements, specifiers, tags, utils = _packaging()
    major, minor = (int(p) for p in python.split("."))
    supported = set(tags.cpython_tags((major, minor), platforms=[PLATFORM]))
    supported |= set(tags.compatible_tags((major, minor), f"cp{major}{minor}", platforms=[PLATFORM]))
    env = windows_markers(python)
    available: dict[str, list[tuple[object, Path]]] = {}
    for wheel in wheels:
        try:
            name, version, _, wheel_tags = utils.parse_wheel_filename(wheel.name)
        except Exception:  # noqa: BLE001 - not a wheel name: not ours to judge
            continue
        if supported & set(wheel_tags):
            available.setdefault(str(name), []).append((version, wheel))
    for versions in available.values():
        versions.sort(key=lambda vw: vw[0], reverse=True)

    chosen: dict[str, Path] = {}
    missing: list[str] = []
    queue = [requirements.Requirement(r) for r in roots]
    seen: set[str] = set()
    while queue:
        req = queue.pop(0)
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        key = f"{utils.canonicalize_name(req.name)} {req.specifier} {sorted(req.extras)}"
        if key in seen:
            continue
        seen.add(key)
        name = str(utils.canonicalize_name(req.name))
        candidates = [(v, w) for v, w in available.get(name, [])
                      if req.specifier.contains(v, prereleases=True)]
        python_ok = [(v, w) for v, w in candidates
                     if specifiers.SpecifierSet(_metadata(w).get("Requires-Python") or "")
                     .contains(f"{python}.0", prereleases=True)]
        if not python_ok:
            missing.append(str(req).split(";")[0].strip())
            continue
        _, wheel = python_ok[0]
        if name in chosen and chosen[name] != wheel:
            # Two requirements on one project: keep the one both accept (the first choice
            # satisfied the earlier requirement; check it against this one).
            continue
        chosen[name] = wheel
        meta = _metadata(wheel)
        extras = set(req.extras)
        for line in meta.get_all("Requires-Dist") or []:
            sub = requirements.Requirement(line)
            if sub.marker is not None:
                if not any(sub.marker.evaluate({**env, "extra": e}) for e in (extras or {""})):
                    continue
                sub.marker = None
            queue.append(sub)
    return sorted(chosen.values()), sorted(set(missing))


# ---------------------------------------------------------------------------------------------
# getting the wheels


def _pip(args: Sequence[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """pip of this interpreter, with the user's own pip configuration (a mirror, a proxy)."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace")


def _tail(proc: subprocess.CompletedProcess[str], lines: int = 6) -> str:
    text = (proc.stderr or proc.stdout or "").strip().splitlines()
    return "\n".join(text[-lines:])


def _source_tree() -> Path | None:
    """The checkout perfeval runs from (an editable install), if it is one."""
    from perfeval.excel.build import REPO_ROOT

    pyproject = REPO_ROOT / "pyproject.toml"
    if pyproject.is_file() and 'name = "perfeval"' in pyproject.read_text(encoding="utf-8"):
        return REPO_ROOT
    return None


def _perfeval_wheel_name_ok(path: Path) -> bool:
    from perfeval import __version__

    return path.name.startswith(f"perfeval-{__version__}-") and path.suffix == ".whl"


def _wheel_complete(wheel: Path) -> bool:
    """A perfeval wheel with the add-in sources as data files (an old setuptools may build one
    without them) and the `python -m perfeval` entry."""
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    return ("perfeval/__main__.py" in names
            and any(n.endswith(".data/data/share/perfeval/addin/vba/xlwings.bas") for n in names))


def perfeval_wheel(dest: Path, wheels_from: Path | None) -> Path:
    """perfeval's own wheel in `dest`: built from the source tree when perfeval runs from one
    (with the build backend from the index, or from `wheels_from` offline, or the one already
    installed here), else taken from `wheels_from`."""
    tree = _source_tree()
    attempts: list[str] = []
    if tree is not None:
        index = ["--no-index", "--find-links", str(wheels_from)] if wheels_from else []
        # The environment's own setuptools first (no network), then an isolated build whose
        # backend comes from the index, or from `wheels_from` when offline.
        for extra in (["--no-build-isolation"], index):
            out = Path(tempfile.mkdtemp(dir=dest.parent, prefix="perfeval-wheel-"))
            proc = _pip(["wheel", "--no-deps", "-q", "-w", str(out), *extra, str(tree)])
            built = [p for p in out.glob("perfeval-*.whl") if _wheel_complete(p)]
            if proc.returncode == 0 and built:
                target = dest / built[0].name
                shutil.move(str(built[0]), target)
                shutil.rmtree(out, ignore_errors=True)
                return target
            shutil.rmtree(out, ignore_errors=True)
            attempts.append(_tail(proc, 2))
    if wheels_from is not None:
        ready = sorted(p for p in wheels_from.glob("perfeval-*.whl")
                       if _perfeval_wheel_name_ok(p) and _wheel_complete(p))
        if ready:
            return Path(shutil.copy2(ready[-1], dest / ready[-1].name))
    from perfeval import __version__

    why = "；".join(a for a in attempts if a) or "本机的 perfeval 不是从源代码目录安装的"
    raise BundleError(
        f"无法生成 perfeval {__version__} 的 wheel 文件（{why}）。"
        "构建它需要 setuptools 和 wheel：本机连不上软件包索引（PyPI 或 pip 配置的镜像）时，"
        "请先在本环境中 pip install setuptools wheel，"
        f"或用 --wheels 指定一个含有 perfeval-{__version__}-py3-none-any.whl 的文件夹。"
    )


def _download(dest: Path, python: str, requirements: Sequence[str]) -> None:
    proc = _pip(["download", "-q", "--dest", str(dest), "--only-binary=:all:",
                 "--platform", PLATFORM, "--implementation", "cp", "--python-version", python,
                 *requirements])
    if proc.returncode != 0:
        raise BundleError(
            f"从软件包索引下载 Python {python} 用的 wheel 失败：\n{_tail(proc)}\n"
            "本机可能连不上 PyPI（或 pip 配置的镜像）。请在能上网的电脑上生成离线安装包，"
            "或用 --wheels 指定已经下载好的 wheel 文件夹（例如上一个离线安装包里的 wheels 文件夹）。"
        )


def collect_wheels(dest: Path, pythons: Sequence[str], wheels_from: Path | None) -> list[Path]:
    """Every wheel the bundle needs, in `dest`; raises BundleError naming what is missing."""
    dest.mkdir(parents=True, exist_ok=True)
    if wheels_from is not None and not wheels_from.is_dir():
        raise BundleError(f"--wheels 指定的文件夹「{wheels_from}」不存在。")
    own = perfeval_wheel(dest, wheels_from)
    pool = dest if wheels_from is None else wheels_from
    needed: set[Path] = {own}
    missing_by_python: dict[str, list[str]] = {}
    for python in pythons:
        if wheels_from is None:
            _download(dest, python, [str(own)])
        for _ in range(5):  # each round adds what pip's Linux markers left out
            # The perfeval wheel just made, not an older one lying in the folder.
            others = [w for w in pool.glob("*.whl") if not w.name.startswith("perfeval-")]
            found, missing = resolve([own, *others], python)
            if not missing or wheels_from is not None:
                break
            _download(dest, python, missing)
        if missing:
            missing_by_python[python] = missing
        needed |= set(found)
    if missing_by_python:
        listed = "；".join(f"Python {v}：{', '.join(m)}" for v, m in missing_by_python.items())
        where = f"「{wheels_from}」中" if wheels_from is not None else "下载的文件中"
        raise BundleError(f"{where}缺少 64 位 Windows 所需的 wheel（{listed}）。"
                          "离线安装包没有生成：缺任何一个，在职员电脑上都装不上。")
    out = []
    for wheel in sorted(needed, key=lambda p: p.name):
        target = dest / wheel.name
        if wheel.resolve() != target.resolve():
            shutil.copy2(wheel, target)
        out.append(target)
    return out


# ---------------------------------------------------------------------------------------------
# the install script and the note for IT


def _python_check(pythons: Sequence[str]) -> str:
    """A python -c program exiting 0 for a supported 64-bit CPython (no <, >, | or & in it:
    it goes through cmd)."""
    versions = ", ".join(f"({v.replace('.', ', ')})" for v in pythons)
    return (f"import sys; sys.exit(0 if sys.version_info[:2] in [{versions}] "
            "and sys.maxsize == 2**63 - 1 and sys.implementation.name == 'cpython' else 1)")


def install_script(pythons: Sequence[str] = SUPPORTED_PYTHONS) -> str:
    """安装.cmd as text (LF line ends; written with CRLF in GBK by `script_bytes`)."""
    newest_first = sorted(pythons, key=lambda v: tuple(int(p) for p in v.split(".")), reverse=True)
    listed = "、".join(pythons)
    lines = [
        "@echo off",
        "rem perfeval offline installer, made by \"perfeval addin bundle\".",
        "rem For the current Windows user only, without administrator rights or network:",
        "rem   1. find a 64-bit CPython " + " / ".join(pythons) + " (argument 1, the py launcher,",
        "rem      the usual install folders, PATH);",
        "rem   2. make a virtual environment in %LOCALAPPDATA%\\perfeval\\venv",
        "rem      (PERFEVAL_HOME overrides %LOCALAPPDATA%\\perfeval);",
        "rem   3. pip install --no-index from the wheels folder beside this script;",
        "rem   4. perfeval addin install, then perfeval doctor.",
        "rem PERFEVAL_NO_PAUSE=1: do not wait for a key at the end (unattended runs).",
        "rem This file is GBK with CRLF line ends: cmd reads it in the console code page.",
        "setlocal EnableExtensions DisableDelayedExpansion",
        "rem cmd decodes each following line in the current code page: make it GBK's (936),",
        "rem and give the console its own back at the end.",
        "set \"OLDCP=\"",
        "for /f \"tokens=2 delims=:.\" %%C in ('chcp') do set \"OLDCP=%%C\"",
        "if defined OLDCP set \"OLDCP=%OLDCP: =%\"",
        "chcp 936 >nul",
        "set \"RC=0\"",
        "set \"PYTHONUTF8=1\"",
        "set \"WHEELS=%~dp0wheels\"",
        "set \"TARGET=%LOCALAPPDATA%\\perfeval\"",
        "if defined PERFEVAL_HOME set \"TARGET=%PERFEVAL_HOME%\"",
        "set \"VENV=%TARGET%\\venv\"",
        "set \"VPY=%VENV%\\Scripts\\python.exe\"",
        f"set \"CHECK={_python_check(pythons)}\"",
        "",
        "echo perfeval 离线安装：只为当前用户安装，不需要管理员权限，不连网。",
        "echo.",
        "if exist \"%WHEELS%\\perfeval-*.whl\" goto :find_python",
        "echo 找不到 wheels 文件夹。请先把整个压缩包解压（右键 - 全部解压缩），",
        "echo 再运行解压出来的文件夹里的 安装.cmd；不要在压缩包里直接双击运行。",
        "set \"RC=2\"",
        "goto :end",
        "",
        ":find_python",
        "set \"PY=\"",
        "if not \"%~1\"==\"\" call :try_python \"%~1\"",
    ]
    for v in newest_first:  # the classic launcher knows -3.12-64; the install manager -3.12
        lines.append(f"if not defined PY call :try_launcher -{v}-64")
        lines.append(f"if not defined PY call :try_launcher -{v}")
    for v in newest_first:
        folder = "Python" + v.replace(".", "")
        lines.append(f"if not defined PY call :try_python \"%LOCALAPPDATA%\\Programs\\Python\\{folder}\\python.exe\"")
        lines.append(f"if not defined PY call :try_python \"%ProgramFiles%\\{folder}\\python.exe\"")
    lines += [
        "if not defined PY call :try_path",
        "if defined PY goto :have_python",
        f"echo 没有找到可用的 Python：需要 64 位的 Python {listed} 之一。",
        "echo 请先安装 Python（python.org 的 Windows installer (64-bit)，可选「仅为我安装」，",
        "echo 不需要管理员权限），或把 python.exe 的完整路径作为参数：安装.cmd D:\\Python312\\python.exe",
        "set \"RC=2\"",
        "goto :end",
        "",
        ":have_python",
        "echo 使用的 Python：%PY%",
        "if not exist \"%VPY%\" goto :make_venv",
        "\"%VPY%\" -c \"%CHECK%\" >nul 2>&1",
        "if not errorlevel 1 goto :install",
        ":make_venv",
        "echo 正在创建虚拟环境：%VENV%",
        "\"%PY%\" -m venv --clear \"%VENV%\"",
        "if errorlevel 1 goto :failed",
        "",
        ":install",
        "echo 正在从 wheels 文件夹安装 perfeval（不连网）……",
        "\"%VPY%\" -m pip install --no-index --find-links \"%WHEELS%\" --upgrade --disable-pip-version-check --no-warn-script-location perfeval",
        "if errorlevel 1 goto :failed",
        "rem The same version number installed earlier is replaced by the bundled one.",
        "\"%VPY%\" -m pip install --no-index --find-links \"%WHEELS%\" --force-reinstall --no-deps --disable-pip-version-check --no-warn-script-location perfeval",
        "if errorlevel 1 goto :failed",
        "echo.",
        "echo 正在安装 Excel 加载项（请先关闭 Excel）……",
        "\"%VPY%\" -m perfeval addin install",
        "if errorlevel 1 goto :failed",
        "echo.",
        "echo 正在检查运行环境……",
        "\"%VPY%\" -m perfeval doctor",
        "if errorlevel 1 echo 上面标 × 的项目请按提示处理，或把本窗口截图发给技术支持。",
        "echo.",
        "echo 安装完成。重新打开 Excel，会出现「绩效自评工具」选项卡；点「新建」生成自评表。",
        "echo 命令行用法：\"%VPY%\" -m perfeval --help",
        "goto :end",
        "",
        ":failed",
        "echo.",
        "echo 安装没有完成：上面一步出错了。请把本窗口截图发给技术支持。",
        "set \"RC=1\"",
        "",
        ":end",
        "echo.",
        "if not defined PERFEVAL_NO_PAUSE pause",
        "if defined OLDCP chcp %OLDCP% >nul",
        "exit /b %RC%",
        "",
        "rem ---- subroutines: each sets PY to a python.exe that passes CHECK ----",
        ":try_python",
        "if not exist \"%~1\" exit /b 0",
        "\"%~1\" -c \"%CHECK%\" >nul 2>&1",
        "if errorlevel 1 exit /b 0",
        "set \"PY=%~1\"",
        "exit /b 0",
        "",
        ":try_launcher",
        "where py >nul 2>&1",
        "if errorlevel 1 exit /b 0",
        "for /f \"usebackq delims=\" %%P in (`py %~1 -c \"import sys; print(sys.executable)\" 2^>nul`) do call :try_python \"%%P\"",
        "exit /b 0",
        "",
        ":try_path",
        "for /f \"usebackq delims=\" %%P in (`python -c \"import sys; print(sys.executable)\" 2^>nul`) do call :try_python \"%%P\"",
        "exit /b 0",
    ]
    return "\n".join(lines) + "\n"


def script_bytes(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode(SCRIPT_ENCODING)


def readme_text(pythons: Sequence[str], wheels: Sequence[str]) -> str:
    from perfeval import __version__

    listed = "、".join(pythons)
    return f"""perfeval {__version__} 离线安装包（给单位的信息技术人员）

用途：在不能上网、没有管理员权限的职员电脑上安装 perfeval 和 Excel 加载项。

一、适用范围
- Windows 10 / 11（64 位）；Windows 8.1 只能用 Python 3.11 或 3.12；不支持 Windows 7。
- 64 位 Python {listed} 之一（本安装包不含 Python 本身：请事先用 python.org 的
  “Windows installer (64-bit)”离线安装，可“仅为我安装”，不需要管理员权限）。
- Excel 2010 及以后版本，32 位、64 位均可。
- WPS：自评表模板的公式照常计算，但没有功能区按钮；请用命令行（见下）。

二、安装（每个使用 Excel 的 Windows 用户各做一次）
1. 如果压缩包是从邮件或网上下载的，先右键压缩包 → 属性 → 勾选“解除锁定” → 确定，
   再“全部解压缩”。这样解压出的文件不带“来自网络”的标记，运行时不会被拦。
2. 关闭 Excel。
3. 双击解压出来的 {SCRIPT_NAME}。它会：
   - 找到本机的 Python（也可把 python.exe 的完整路径拖到 {SCRIPT_NAME} 上）；
   - 在 %LOCALAPPDATA%\\perfeval\\venv 建一个只属于当前用户的 Python 虚拟环境；
   - 只从 wheels 文件夹安装（pip --no-index，不连网）；
   - 运行 perfeval addin install：把加载项放进 Excel 的启动文件夹
     %APPDATA%\\Microsoft\\Excel\\XLSTART（Excel 默认的受信任位置，每次启动自动加载），
     并在 %USERPROFILE%\\.xlwings\\xlwings.conf 中写明用哪个 Python；
   - 运行 perfeval doctor 检查环境，每项标 √ 或 ×，× 的项目后面写着怎么处理。
4. 打开 Excel，出现“绩效自评工具”选项卡即可。

三、宏与安全设置
- 邮件或网上收到的 .xlsm 自评表带有“来自网络”的标记（Mark of the Web），Excel 会显示
  红色的“Microsoft 已阻止宏运行”。处理：关闭文件 → 右键文件 → 属性 → 勾选“解除锁定”
  → 确定 → 重新打开；或者把文件保存到受信任位置后再打开。
- 建议 IT 通过组策略（用户配置 → 管理模板 → Microsoft Excel → Excel 选项 → 安全性 →
  信任中心 → 受信任位置）把存放自评表的文件夹设为受信任位置，例如 D:\\绩效自评。
- 若策略设为“禁用所有宏，但数字签名的宏除外”，需要 IT 用单位的代码签名证书给
  {ADDIN_FOLDER}\\perfeval.xlam 签名（在 Excel 的 VBA 编辑器中：工具 → 数字签名），并把签名后的
  文件用  python -m perfeval addin install --file 签名后的文件.xlam  安装。
- “受保护的视图”中打开的文件不能运行任何按钮：请先点“启用编辑”。

四、命令行（WPS 用户或批量处理）
  "%LOCALAPPDATA%\\perfeval\\venv\\Scripts\\python.exe" -m perfeval --help

五、卸载
  删除 %LOCALAPPDATA%\\perfeval 文件夹和 %APPDATA%\\Microsoft\\Excel\\XLSTART\\perfeval.xlam。

六、本安装包的内容
- {SCRIPT_NAME}：安装脚本（GBK 编码的批处理文件）。
- wheels：perfeval 及其依赖的全部 wheel 文件，64 位 Windows，Python {listed}，共 {len(wheels)} 个。
- {ADDIN_FOLDER}\\perfeval.xlam：Excel 加载项（安装脚本会自行生成同样的文件，此份供签名或分发）。
- {TEMPLATE_FOLDER}：部门整体支出自评表（.xlsm 带功能区；.xlsx 无宏，WPS 可用）和项目支出自评表。
"""


# ---------------------------------------------------------------------------------------------
# the zip


def _templates() -> dict[str, bytes]:
    from perfeval.core.model import FormKind
    from perfeval.excel.build import TEMPLATE_XLSM, build_template_xlsm
    from perfeval.workbook.template import build_workbook

    return {
        TEMPLATE_XLSM.name: build_template_xlsm(),
        "部门整体支出绩效自评表.xlsx": build_workbook(kind=FormKind.DEPARTMENT),
        "项目支出绩效自评表.xlsx": build_workbook(kind=FormKind.PROJECT),
    }


def _zip_entry(name: str, *, executable: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o755 if executable else 0o644) << 16
    return info


def build_bundle(output: Path, *, pythons: Sequence[str] = SUPPORTED_PYTHONS,
                 wheels_from: Path | None = None, force: bool = False) -> BundleSummary:
    """Write the offline bundle to `output` (atomically; never over a file without `force`)."""
    from perfeval.excel.build import build_addin_xlam
    from perfeval.outputs import _exists, write_atomic

    output = Path(output)
    if not force and os.path.lexists(output):
        raise _exists(output)  # before minutes of downloading, not after
    bad = [v for v in pythons if v not in SUPPORTED_PYTHONS]
    if bad or not pythons:
        raise BundleError(f"Python 版本只能是 {', '.join(SUPPORTED_PYTHONS)} 中的若干个（收到：{', '.join(pythons) or '无'}）。")
    with tempfile.TemporaryDirectory(prefix="perfeval-bundle-") as tmp:
        wheels = collect_wheels(Path(tmp) / "wheels", pythons, wheels_from)
        names = [w.name for w in wheels]
        script = script_bytes(install_script(pythons))
        readme = ("\ufeff" + readme_text(pythons, names)).replace("\n", "\r\n").encode("utf-8")
        addin = build_addin_xlam()
        templates = _templates()

        def write(fh) -> None:
            with zipfile.ZipFile(fh, "w") as z:
                z.writestr(_zip_entry(SCRIPT_NAME, executable=True), script)
                z.writestr(_zip_entry(README_NAME), readme)
                z.writestr(_zip_entry(f"{ADDIN_FOLDER}/perfeval.xlam"), addin)
                for name, data in templates.items():
                    z.writestr(_zip_entry(f"{TEMPLATE_FOLDER}/{name}"), data)
                for wheel in wheels:
                    # Wheels are zips already: stored, not compressed a second time.
                    info = _zip_entry(f"{WHEELS}/{wheel.name}")
                    info.compress_type = zipfile.ZIP_STORED
                    z.writestr(info, wheel.read_bytes())

        write_atomic(output, write, force=force)
    return BundleSummary(output, output.stat().st_size, names, tuple(pythons))
