"""Export a .docx to PDF through LibreOffice, headless, with a private profile.

A private ``-env:UserInstallation`` profile lets a conversion run while the clerk has LibreOffice
open (a shared profile makes the second instance hand the job to the first and exit silently)
and keeps a half-written profile from a killed run out of the user's own.

LibreOffice ignores the font table's altName, so on Linux/macOS a document naming 仿宋_GB2312
would fall back to whatever fontconfig's default sans face is. The conversion therefore runs with
a fontconfig file that includes the system configuration and maps the GB/T 9704 font names to
what is likely installed (Windows fonts first, then Noto CJK). Windows' LibreOffice does not use
fontconfig and finds the Windows fonts itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from perfeval.core.errors import CodedError

__all__ = ["PdfConversionFailed", "PdfUnavailable", "convert_to_pdf", "find_soffice"]

NOT_INSTALLED = "未找到 LibreOffice（soffice），无法导出 PDF；请安装 LibreOffice 或 WPS 后手动另存为 PDF。"
DEFAULT_TIMEOUT = 180.0


class PdfUnavailable(CodedError):
    """No PDF can be made here (PE951); the message is Chinese and says what to do instead."""

    CODE = "PE951"


class PdfConversionFailed(PdfUnavailable):
    """LibreOffice is installed but the conversion failed or timed out."""


# GB/T 9704 font name → families to try, in order.
_FONT_ALIASES: dict[str, tuple[str, ...]] = {
    "仿宋_GB2312": ("仿宋", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC"),
    "仿宋": ("FangSong", "Noto Serif CJK SC", "Source Han Serif SC"),
    "楷体_GB2312": ("楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "楷体": ("KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "方正小标宋简体": ("方正小标宋_GBK", "华文中宋", "STZhongsong", "Noto Serif CJK SC",
                 "Source Han Serif SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC"),
}


def find_soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or not sys.platform.startswith("win"):
        return found
    # LibreOffice's Windows installer does not add itself to PATH.
    for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)"),
                 os.environ.get("LOCALAPPDATA") and str(Path(os.environ["LOCALAPPDATA"]) / "Programs")):
        exe = Path(base) / "LibreOffice" / "program" / "soffice.exe" if base else None
        if exe is not None and exe.is_file():
            return str(exe)
    return None


def _fontconfig_file(directory: Path) -> Path | None:
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    if not Path(system).is_file():
        return None
    aliases = []
    for name, prefer in _FONT_ALIASES.items():
        families = "".join(f"<family>{f}</family>" for f in prefer)
        aliases.append(f'<alias binding="same"><family>{name}</family><prefer>{families}</prefer></alias>')
    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><include ignore_missing=\"yes\">{system}</include>{''.join(aliases)}</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


# Writer's PDF filter with the document's comments as PDF annotations (a draft's findings).
_WITH_NOTES = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'


def convert_to_pdf(path: Path, out_dir: Path, *, timeout: float = DEFAULT_TIMEOUT,
                   notes: bool = False) -> Path:
    """Convert `path` (a .docx) into `out_dir`/<stem>.pdf and return that path.

    notes: keep the document's comments, as PDF annotations (a draft report's findings).
    Raises `PdfUnavailable` when LibreOffice is not installed, `PdfConversionFailed` (a subclass)
    when it fails or takes longer than `timeout` seconds.
    """
    exe = find_soffice()
    if exe is None:
        raise PdfUnavailable(NOT_INSTALLED)
    path = Path(path).resolve()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.stem}.pdf"
    target.unlink(missing_ok=True)  # a leftover PDF must not pass for this conversion's result
    profile = Path(tempfile.mkdtemp(prefix="perfeval-lo-"))
    try:
        env = dict(os.environ)
        conf = _fontconfig_file(profile)
        if conf is not None:
            env["FONTCONFIG_FILE"] = str(conf)
        cmd = [
            exe,
            f"-env:UserInstallation={(profile / 'user').as_uri()}",
            "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
            "--convert-to", _WITH_NOTES if notes else "pdf", "--outdir", str(out_dir), str(path),
        ]
        # Own process group: soffice is a launcher script over soffice.bin, and a timeout must
        # stop the whole group we started, not just the launcher.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=(os.name == "posix"))
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            raise PdfConversionFailed(
                f"LibreOffice 导出 PDF 超时（{int(timeout)} 秒）：{path.name}；"
                "请用 Word、WPS 或 LibreOffice 打开报告后手动另存为 PDF。"
            ) from None
        if proc.returncode != 0 or not target.is_file():
            detail = (err or out).decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionFailed(
                f"LibreOffice 导出 PDF 失败（退出码 {proc.returncode}）：{path.name}"
                + (f"；{detail}" if detail else "")
            )
        return target
    finally:
        shutil.rmtree(profile, ignore_errors=True)
