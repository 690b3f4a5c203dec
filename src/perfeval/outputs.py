"""Writing results without ever damaging what the user already has.

Two rules:

* an output either appears complete or not at all (temp file in the same
  directory, fsync, ``os.replace``), so a crash, a full disk or Ctrl+C never
  leaves a half-written report where yesterday's good one was;
* text that came from a user's spreadsheet is data, never a formula, when we
  put it back into a spreadsheet or a CSV.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from .core.errors import PerfevalError

__all__ = [
    "FORMULA_TRIGGERS",
    "OutputError",
    "OutputExistsError",
    "OutputIsInputError",
    "OutputLockedError",
    "same_file",
    "sanitize_cell_text",
    "set_text_cell",
    "write_atomic",
    "xml_safe_text",
    "os_failure",
    "display_text",
]

_TEMP_PREFIX = ".~perfeval-"


class OutputError(PerfevalError):
    """An output we refuse to (or cannot) write (PE933 unless a subclass says otherwise)."""

    CODE = "PE933"

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(self.CODE, message, file=str(path))
        self.path = path


class OutputExistsError(OutputError):
    CODE = "PE930"


class OutputIsInputError(OutputError):
    CODE = "PE931"


class OutputLockedError(OutputError):
    CODE = "PE932"


_OS_REASONS = {
    errno.EROFS: "所在的磁盘或文件夹是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ENOTDIR: "路径中的某一级是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EINVAL: "路径中有无效字符",
    errno.ELOOP: "路径中的链接形成了循环",
}


def os_failure(target: Path, exc: BaseException, doing: str = "写入") -> OutputError:
    """A Chinese sentence naming the path and why the operating system refused."""
    if isinstance(exc, OSError) and getattr(exc, "winerror", None) in (32, 33):
        return OutputLockedError(target, f"无法{doing}「{target}」：文件正被其他程序（如 Excel、WPS、Word）占用；"
                                         "请关闭该文件后重试。")
    reason = _OS_REASONS.get(getattr(exc, "errno", None) or -1) if isinstance(exc, OSError) else None
    if reason is None:
        reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror else
                  "路径无效" if isinstance(exc, ValueError) else type(exc).__name__)
    return OutputError(target, f"无法{doing}「{target}」：{reason}。")


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | Callable[[BinaryIO], None],
    *,
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write ``data`` (bytes, or a callback that writes to a binary file) to
    ``path`` atomically and return the path.

    Refuses to touch any of ``inputs`` even with ``force``: a clerk who gives
    the same name for input and output must not lose the original form.
    Without ``force`` an existing output is never replaced, including one that
    appears while we are writing (the final step is ``os.link``, which fails
    if the name exists, where the file system supports it).
    """
    target = Path(path)
    try:
        return _write_atomic(target, data, force=force, inputs=inputs)
    except OutputError:
        raise
    except (OSError, ValueError) as exc:
        raise os_failure(target, exc) from exc


def _write_atomic(target: Path, data, *, force: bool, inputs) -> Path:
    for source in inputs:
        if same_file(target, Path(source)):
            raise OutputIsInputError(
                target,
                f"输出文件「{target.name}」与输入文件是同一个文件；为保护原始文件，请换一个输出文件名。",
            )
    if target.is_dir():
        raise OutputError(target, f"输出路径「{target}」是一个文件夹，无法写入文件。")
    if not force and os.path.lexists(target):
        raise _exists(target)

    directory = target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file stands where the folder should be
        raise OutputError(target, f"无法写入「{target}」：{directory} 是一个文件而不是文件夹。") from exc
    mode = _mode_for(target)
    # Same directory so os.replace is a rename, not a copy across devices;
    # closed by the ``with tmp`` below, removed by hand on failure.
    tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=directory, delete=False, prefix=_TEMP_PREFIX, suffix=".tmp"
    )
    tmp_path = Path(tmp.name)
    try:
        with tmp:
            if isinstance(data, (bytes, bytearray, memoryview)):
                tmp.write(data)
            else:
                data(tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        # NamedTemporaryFile is 0600; a report on a shared folder must stay
        # readable by colleagues like any other file the user creates.
        with contextlib.suppress(OSError):
            os.chmod(tmp_path, mode)
        _publish(tmp_path, target, force=force)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    _fsync_directory(directory)
    return target


def _publish(tmp_path: Path, target: Path, *, force: bool) -> None:
    try:
        if not force:
            try:
                os.link(tmp_path, target)
            except FileExistsError:
                raise _exists(target) from None
            except OSError:
                # FAT/exFAT USB sticks and some network shares have no hard
                # links; fall back to replace after a last existence check.
                if os.path.lexists(target):
                    raise _exists(target) from None
                os.replace(tmp_path, target)
            else:
                # Published already; a leftover temp name is harmless.
                with contextlib.suppress(OSError):
                    tmp_path.unlink()
            return
        os.replace(tmp_path, target)
    except PermissionError as exc:
        # On Windows replacing a file that Excel/WPS has open fails this way.
        raise OutputLockedError(
            target,
            f"无法写入输出文件「{target.name}」：文件正被其他程序（如 Excel、WPS）占用，或没有写入权限；请关闭该文件后重试。",
        ) from exc


def _exists(target: Path) -> OutputExistsError:
    return OutputExistsError(target, f"输出文件「{target}」已存在；如需覆盖请加 --force。")


def same_file(a: Path, b: Path) -> bool:
    """Same file by identity (symlinks, hard links, ``..``, case-insensitive
    file systems), falling back to comparing resolved paths when either side
    does not exist yet."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        pass
    try:
        ra, rb = os.path.realpath(a), os.path.realpath(b)
    except (OSError, ValueError):
        return False
    return os.path.normcase(ra) == os.path.normcase(rb)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # Reading the umask via os.umask() briefly changes it for every thread;
    # Linux exposes it read-only in /proc.
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open directories.
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------
# cell text

#: Leading characters that make Excel, WPS or LibreOffice evaluate a CSV field
#: (OWASP "CSV Injection"; ASVS 1.2.10 / 5.3.x).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# XML 1.0 ``Char``: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
# Lone surrogates can reach us from badly decoded input and break the encoder.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe_text(s: str) -> str:
    """Remove characters that XML 1.0 cannot represent at all.

    For docx, JSON meant for XML consumers, and anything else where the text
    must survive verbatim apart from characters that would corrupt the file.
    """
    return _XML_ILLEGAL.sub("", s)


_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def display_text(s: str, limit: int | None = 300) -> str:
    """Text from a form for a terminal or a message box: shown, never interpreted.

    Control characters become their visible pictures (␁), lone surrogates and non-characters
    become U+FFFD (a terminal's encoder would otherwise fail), and very long text is cut with a
    note of its length — what is stored elsewhere is never cut, only what is shown.
    """
    def picture(m: re.Match[str]) -> str:
        ch = m.group(0)
        code = ord(ch)
        if code < 0x20:
            return chr(0x2400 + code)
        if code == 0x7F:
            return "\u2421"
        return "\ufffd"

    text = _TERMINAL_UNSAFE.sub(picture, s) if _TERMINAL_UNSAFE.search(s) else s
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + f"…（共 {len(s)} 字）"
    return text


def sanitize_cell_text(s: str) -> str:
    """Make text safe for a spreadsheet cell or a CSV field.

    * Characters XML 1.0 forbids (control characters other than tab, LF and
      CR, lone surrogates, U+FFFE/U+FFFF) are removed: openpyxl refuses them
      with ``IllegalCharacterError`` and a file containing them will not open.
      They carry no meaning in a form, so dropping beats failing the run.
    * Text starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
      apostrophe, as OWASP recommends against CSV/formula injection: a cell
      like ``=HYPERLINK(...)`` or ``=cmd|...`` copied from one clerk's form
      into a summary CSV would otherwise run on the next clerk's machine. The
      apostrophe is what Excel itself uses to mean "this is text"; it is
      visible in CSV, which is the accepted price. Cleaning happens before the
      check so ``"\\x00=1+1"`` cannot hide its ``=``.

    Only ``str`` is accepted: numbers must be written as numbers (a ``-5``
    that arrives here as text is treated like any other text).
    For openpyxl cells prefer :func:`set_text_cell`, which keeps the text
    exactly and marks the cell as text instead of adding a visible apostrophe.
    """
    if not isinstance(s, str):
        raise TypeError(f"sanitize_cell_text expects str, got {type(s).__name__}")
    cleaned = xml_safe_text(s)
    if cleaned.startswith(FORMULA_TRIGGERS):
        return "'" + cleaned
    return cleaned


def set_text_cell(cell: Any, text: str) -> None:
    """Put ``text`` into an openpyxl cell as a string, never a formula.

    openpyxl's ``Cell._bind_value`` turns any str starting with ``=`` into a
    formula (``data_type 'f'``, written as ``<f>``) and a str equal to an
    error literal such as ``#N/A`` into an error (``'e'``). Forcing
    ``data_type = 's'`` after assignment makes the writer emit an inline
    string. ``quotePrefix`` is Excel's own "typed with a leading apostrophe"
    flag: the cell shows the text unchanged, and editing it in Excel later
    does not turn it into a formula.
    """
    if not isinstance(text, str):
        raise TypeError(f"set_text_cell expects str, got {type(text).__name__}")
    cleaned = xml_safe_text(text)
    cell.value = cleaned
    cell.data_type = "s"
    if cleaned.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


# Excel's calculation engine id (Excel 2019 / Microsoft 365). A workbook whose calcPr carries an
# older id — openpyxl writes 124519 by default, older than every Excel in use — is recalculated
# in full on every open (every worksheet function called again) and asks to be saved even when
# untouched; a current id, without fullCalcOnLoad, lets Excel keep the saved results.
EXCEL_CALC_ID = 191029


def set_calc_properties(wb: Any) -> None:
    """calcPr for every workbook perfeval writes: the current engine id, no full calc on load."""
    from openpyxl.workbook.properties import CalcProperties

    wb.calculation = CalcProperties(calcId=EXCEL_CALC_ID, fullCalcOnLoad=None)

