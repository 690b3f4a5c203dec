"""The one door through which user-supplied workbooks are opened.

County clerks send us whatever their systems produce: real .xlsx files, but
also .xls saved decades ago, HTML pages named ``.xls``, password-protected
files, half-downloaded attachments and, occasionally, something hostile. All
of that must end in one clear Chinese sentence with a stable code (PE9xx),
never in a traceback and never in openpyxl allocating memory until the
machine falls over.

``open_workbook`` therefore reads the file once into memory (bounded), checks
the bytes before openpyxl sees them, and then hands openpyxl *those same
bytes*, so nothing can change between the check and the load.

XML parts are streamed through expat with the same refusals defusedxml makes
(``forbid_dtd=True``: no DOCTYPE, no entity declarations, no external
references). We call pyexpat directly instead of defusedxml's ElementTree
parser because that parser is the pure-Python ``XMLParser``: measured on a
100 KB workbook it took ~64 ms against ~17 ms for expat with identical
handlers, and we need element callbacks to count rows and cells. openpyxl's
own parsing still goes through defusedxml, which ``ensure_defused_xml``
guarantees.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from ..core.codes import CODES
from ..core.errors import PerfevalError

if TYPE_CHECKING:
    import openpyxl

__all__ = [
    "DEFAULT_LIMITS",
    "ERROR_CODES",
    "InputFileError",
    "Limits",
    "ScannedPackage",
    "check_workbook_bytes",
    "ensure_defused_xml",
    "open_workbook",
    "open_workbook_and_bytes",
    "read_input_file",
    "scan_workbook_bytes",
]

#: The opener's codes (PE9xx), documented in the one catalogue `core.codes`. Users quote these on
#: the phone; never renumber.
ERROR_CODES: dict[str, str] = {c: e.title for c, e in CODES.items() if c.startswith("PE9") and e.fatal}

_MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Ceilings for one input workbook.

    The defaults are far above any real 绩效自评表 (tens of KB, a few hundred
    rows) yet low enough that a hostile file is rejected in well under a
    second and openpyxl never gets to allocate gigabytes.
    """

    max_file_bytes: int = 100 * _MiB
    #: Real workbooks have tens of parts; thousands means a crafted archive.
    max_members: int = 5_000
    #: Sum of uncompressed sizes, declared *and* actually read.
    max_total_uncompressed: int = 200 * _MiB
    #: Compression ratio ceiling, applied to members above ``ratio_min_bytes``
    #: (small parts legitimately compress extremely well).
    max_ratio: float = 200.0
    ratio_min_bytes: int = 1 * _MiB
    #: Per worksheet: ``<row>`` elements and the highest row number used.
    max_rows: int = 100_000
    #: Excel's own maximum (XFD); anything wider is not a real sheet.
    max_cols: int = 16_384
    #: Whole workbook: ``<c>`` elements plus cells that openpyxl would
    #: materialise for merged ranges and range hyperlinks.
    max_cells: int = 2_000_000
    max_shared_strings: int = 1_000_000
    max_shared_strings_bytes: int = 64 * _MiB
    #: Any other part (styles, drawings, comments, ...): openpyxl builds one
    #: Python object per element, so a million ``<xf>`` is a memory bomb too.
    max_part_elements: int = 1_000_000


DEFAULT_LIMITS = Limits()


class InputFileError(PerfevalError):
    """A user file we refuse to open, with a stable code and a Chinese message."""

    def __init__(self, code: str, path: Path, message: str) -> None:
        super().__init__(code, message, file=Path(path).name)
        self.path = path


# --------------------------------------------------------------------------
# defusedxml guard


def ensure_defused_xml() -> None:
    """Refuse to continue unless openpyxl parses through defusedxml.

    openpyxl decides once, at import time (``openpyxl/xml/__init__.py``):
    ``DEFUSEDXML = defusedxml importable and os.environ.get("OPENPYXL_DEFUSEDXML",
    "True") == "True"``, and ``openpyxl.xml.functions`` then binds
    ``iterparse`` (used for worksheets and shared strings) to defusedxml's.
    We check the flag and the binding that is actually in effect. (openpyxl is imported here,
    not at module level: the direct reader never needs it.)
    """
    import openpyxl
    from openpyxl.xml import functions as xml_functions

    iterparse_module = getattr(xml_functions.iterparse, "__module__", "") or ""
    if openpyxl.DEFUSEDXML is True and iterparse_module.startswith("defusedxml"):
        return
    raise RuntimeError(
        "安全检查未通过：openpyxl 没有启用 defusedxml 安全解析（openpyxl.DEFUSEDXML 不为 True），"
        "打开来历不明的 Excel 文件可能受到 XML 炸弹或外部实体攻击。"
        "请安装 defusedxml，并确认环境变量 OPENPYXL_DEFUSEDXML 未设置或设置为 True，然后重新启动程序。"
    )


# --------------------------------------------------------------------------
# public entry points


def open_workbook(
    path: str | os.PathLike[str],
    *,
    data_only: bool = False,
    keep_vba: bool = False,
    read_only: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> openpyxl.Workbook:
    """Open a user workbook or raise ``InputFileError`` (never anything else
    for a bad file; ``RuntimeError`` only if the installation itself is unsafe)."""
    return open_workbook_and_bytes(path, data_only=data_only, keep_vba=keep_vba,
                                   read_only=read_only, limits=limits)[0]


def open_workbook_and_bytes(
    path: str | os.PathLike[str],
    *,
    data_only: bool = False,
    keep_vba: bool = False,
    read_only: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[openpyxl.Workbook, bytes]:
    """open_workbook, also giving the exact bytes that were checked and loaded."""
    ensure_defused_xml()
    import openpyxl

    path = Path(path)
    data = read_input_file(path, limits)
    check_workbook_bytes(path, data, limits)
    try:
        # A file object rather than the path: openpyxl would otherwise reject
        # a genuine xlsx that some system exported as "xx.xls" (it checks the
        # extension only for paths), and it loads exactly the bytes we checked.
        wb = openpyxl.load_workbook(
            io.BytesIO(data), read_only=read_only, keep_vba=keep_vba, data_only=data_only
        )
    except zipfile.BadZipFile as exc:
        raise _error("PE907", path, f"压缩包内容损坏（{exc}），文件可能不完整") from exc
    except KeyError as exc:
        raise _error("PE906", path, f"缺少被引用的部件（{exc}）") from exc
    except Exception as exc:
        raise _error(
            "PE919",
            path,
            f"无法解析其内容（{type(exc).__name__}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再试",
        ) from exc
    return wb, data


def read_input_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read the whole file once, mapping every OS-level failure to a PE9xx."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(path, exc) from exc
    except ValueError as exc:  # e.g. an embedded NUL in the path
        raise _error("PE901", path, f"无法读取：路径无效（{exc}）") from exc
    if stat.S_ISDIR(st.st_mode):
        raise _error("PE901", path, "无法读取：这是一个文件夹，不是文件")
    if not stat.S_ISREG(st.st_mode):
        # Reading a FIFO or device would block or never end.
        raise _error("PE901", path, "无法读取：不是普通文件")
    if st.st_size > limits.max_file_bytes:
        raise _too_big(path, st.st_size, limits)
    try:
        with open(path, "rb") as fh:
            # Sized by the file, not by the limit: read(limit + 1) allocates a 100 MB buffer
            # for every 30 KB form. A file that grew meanwhile is read on, up to the limit.
            data = fh.read(min(st.st_size, limits.max_file_bytes) + 1)
            if len(data) > st.st_size:
                data += fh.read(limits.max_file_bytes + 1 - len(data))
    except OSError as exc:
        raise _os_error(path, exc) from exc
    if not data:
        raise _error("PE902", path, _NOT_WORKBOOK + "文件为空")
    if len(data) > limits.max_file_bytes:
        raise _too_big(path, len(data), limits)
    return data


def check_workbook_bytes(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """All content checks; ``path`` is only used in messages."""
    scan_workbook_bytes(path, data, limits)


@dataclass
class ScannedPackage:
    """What the safety scan saw of an accepted package: every XML part's scan by name."""

    workbook_part: str
    rels_part: str
    scans: dict[str, _XmlScan]


def scan_workbook_bytes(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS, *,
                        collecting: type[_XmlScan] | None = None) -> ScannedPackage:
    """check_workbook_bytes, keeping the scans. With ``collecting`` (a subclass of the scan that
    also keeps content, `package_reader`'s) every XML part is scanned by that class, so a reader
    gets its content from the one pass that checks it."""
    if not data:
        raise _error("PE902", path, _NOT_WORKBOOK + "文件为空")
    if data.startswith(_CFB_MAGIC):
        _reject_cfb(path, data)
    if data.startswith(b"PK"):
        return _check_ooxml(path, data, limits, collecting)
    kind = _sniff_other_format(data)
    if kind:
        raise _error("PE914", path, f"不是 Excel 工作簿（.xlsx/.xlsm），而是{kind}。{_RESAVE}")
    raise _error(
        "PE903",
        path,
        _NOT_WORKBOOK + "内容不是 Office Open XML（zip）格式，可能已损坏或不是 Excel 文件",
    )


# --------------------------------------------------------------------------
# messages

_NOT_WORKBOOK = "不是有效的 Excel 工作簿（.xlsx/.xlsm）："
_RESAVE = "请用 Excel 或 WPS 打开后「另存为」Excel 工作簿（.xlsx）再试"
_UNSAFE = "存在安全风险，已拒绝打开："


def _error(code: str, path: Path, detail: str) -> InputFileError:
    name = path.name or str(path)
    message = f"文件「{name}」{detail}"
    if not message.endswith("。"):
        message += "。"
    return InputFileError(code, path, message)


def _os_error(path: Path, exc: OSError) -> InputFileError:
    # Windows reports a file held open by Excel/WPS as a sharing (32) or
    # lock (33) violation; it usually surfaces as PermissionError too.
    if getattr(exc, "winerror", None) in (32, 33):
        return _error("PE913", path, "正被其他程序（如 Excel、WPS）占用，请关闭该文件后重试")
    if isinstance(exc, PermissionError):
        return _error("PE913", path, "无法读取：没有读取权限，或正被其他程序（如 Excel、WPS）占用")
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return _error("PE901", path, "不存在，请检查路径和文件名")
    if isinstance(exc, IsADirectoryError):
        return _error("PE901", path, "无法读取：这是一个文件夹，不是文件")
    reason = exc.strerror or type(exc).__name__
    return _error("PE901", path, f"无法读取（{reason}）")


def _too_big(path: Path, size: int, limits: Limits) -> InputFileError:
    return _error(
        "PE915",
        path,
        f"过大（{size / _MiB:.1f} MB，上限 {limits.max_file_bytes / _MiB:.0f} MB），请确认是否选错了文件",
    )


class _Reject(Exception):
    """Raised deep inside scanning; turned into InputFileError with the path."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------
# not a zip at all

_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

# Stream names as they appear in a compound file directory (UTF-16LE).
_ENCRYPTED_STREAMS = ("EncryptionInfo", "EncryptedPackage")
_XLS_STREAMS = ("Workbook", "Book")
_OTHER_CFB = (
    ("WordDocument", "Word 97-2003 文档（.doc）"),
    ("PowerPoint Document", "PowerPoint 97-2003 演示文稿（.ppt）"),
)


def _cfb_stream_names(data: bytes) -> set[str] | None:
    """Stream names via olefile when installed (it is a test-only dependency)."""
    try:
        import olefile
    except ImportError:
        return None
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception:  # noqa: BLE001 - a damaged directory: fall back to bytes
        return None
    return {part for entry in entries for part in entry}


def _reject_cfb(path: Path, data: bytes) -> None:
    """Classify an OLE compound file; always raises."""
    names = _cfb_stream_names(data)
    if names is not None:
        has = names.__contains__
    else:
        # Without olefile: directory entries store names as UTF-16LE, so a
        # byte search finds them without parsing sector chains.
        def has(name: str) -> bool:
            return name.encode("utf-16-le") in data

    if any(has(n) for n in _ENCRYPTED_STREAMS):
        raise _error("PE905", path, encrypted_detail(path))
    if any(has(n) for n in _XLS_STREAMS):
        raise _error(
            "PE904", path, f"是旧版 Excel 97-2003 格式（.xls），这一步只能使用 .xlsx 工作簿（校验、评分、导入可以直接读取 .xls）。{_RESAVE}"
        )
    for stream, kind in _OTHER_CFB:
        if has(stream):
            raise _error("PE914", path, f"不是 Excel 工作簿，而是{kind}。{_RESAVE}")
    raise _error("PE914", path, f"是 Office 97-2003 复合文档，但不是 Excel 工作簿。{_RESAVE}")


def encrypted_detail(path: Path) -> str:
    """PE905's sentence: how to remove the open password in the program that made the file.

    An encrypted Office file is the same compound file whatever it holds, so the name is the
    only hint whether the clerk has to open it in Word or in Excel.
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".docx", ".doc", ".docm", ".wps"):
        how = "请在 Word 中打开（输入密码）后，文件→信息→保护文档→用密码进行加密，清空密码并保存；WPS 文字：文件→文档加密→密码加密，清空打开密码"
    elif suffix == ".pdf":
        how = "请向报送单位索取没有打开密码的 PDF，或直接报送 Word/Excel 原文件"
    else:
        how = "请在 Excel 中打开（输入密码）后，文件→信息→保护工作簿→用密码进行加密，清空密码并保存；WPS 表格：文件→文档加密→密码加密，清空打开密码"
    return f"设置了打开密码（已加密），本工具无法读取。{how}，再试"


_BINARY_KINDS = (
    (b"%PDF", "PDF 文档"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)


def _sniff_other_format(data: bytes) -> str | None:
    """Recognise the usual impostors so the message can say what the file is."""
    for magic, kind in _BINARY_KINDS:
        if data.startswith(magic):
            return kind
    text = _as_text(data[:4096], complete=len(data) <= 4096)
    if text is None:
        return None
    head = text.lstrip().lower()
    if "mime-version" in head and "multipart/related" in head:
        return "单个文件网页（.mht）"
    if head.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in head:
        return "网页（HTML）文件（有些系统导出的“xls”其实是网页）"
    if "urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "Excel 2003 XML 电子表格"
    if head.startswith("<?xml"):
        return "XML 文件"
    return "文本/CSV 文件"


def _as_text(sample: bytes, *, complete: bool) -> str | None:
    """Decode a sample if it looks like text in an encoding clerks meet."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    # A cut sample may end inside a multi-byte character; allow trimming it.
    cuts = (0,) if complete else (0, 1, 2, 3)
    for encoding in encodings:
        for cut in cuts:
            try:
                text = sample[: len(sample) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            if any(ch < " " and ch not in "\t\r\n\f" for ch in text):
                return None
            return text
    return None


# --------------------------------------------------------------------------
# zip container

_SUPPORTED_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
_CHUNK = 256 * 1024

# openpyxl's own list (reader/excel.py `_find_workbook_part`), in its order.
_WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_CONTENT_TYPES = "[Content_Types].xml"
_DEFAULT_WORKBOOK_PART = "xl/workbook.xml"


def _check_ooxml(path: Path, data: bytes, limits: Limits, collecting=None) -> ScannedPackage:
    try:
        return _check_zip_package(data, limits, collecting)
    except _Reject as rej:
        raise _error(rej.code, path, rej.detail) from None


def _check_zip_package(data: bytes, limits: Limits, collecting=None) -> ScannedPackage:
    _check_central_directory_size(data, limits)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises many types on junk
        raise _Reject(
            "PE907",
            f"{_NOT_WORKBOOK}压缩包结构损坏或文件不完整（{_zip_reason(exc)}），可能下载/拷贝未完成",
        ) from None
    with zf:
        by_name = _check_members(infos, limits)
        _reject_other_packages(zf, by_name)
        budget = _Budget(limits)
        totals = _Totals()
        content_types = _scan_member(zf, by_name[_CONTENT_TYPES], budget, totals, limits)
        workbook_part = _workbook_part(content_types.types)
        if workbook_part not in by_name:
            raise _Reject("PE906", f"{_NOT_WORKBOOK}缺少 workbook 部件（{workbook_part}）")
        scan_class = collecting or _XmlScan
        scans: dict[str, _XmlScan] = {_CONTENT_TYPES: content_types}
        rels_part = _rels_part_of(workbook_part)
        # The workbook and its relationships first: they say which parts are sheets, and a
        # sheet part must be scanned whatever its name ends with.
        scans[workbook_part] = _scan_member(zf, by_name[workbook_part], budget, totals, limits, scan_class)
        if rels_part in by_name:
            scans[rels_part] = _scan_member(zf, by_name[rels_part], budget, totals, limits, scan_class)
        sheet_parts = _check_sheet_parts(workbook_part, scans, by_name)
        # Everything openpyxl may parse; customXml items belong to other
        # programs (openpyxl ignores them) and VML is often not even XML.
        for name, info in by_name.items():
            if name in scans:
                continue
            if name in sheet_parts or (
                name.lower().endswith((".xml", ".rels")) and not name.startswith("customXml/")
            ):
                scans[name] = _scan_member(zf, info, budget, totals, limits, scan_class)
    return ScannedPackage(workbook_part, rels_part, scans)


def _rels_part_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _check_sheet_parts(
    workbook_part: str, scans: dict[str, _XmlScan], by_name: dict[str, zipfile.ZipInfo]
) -> set[str]:
    """openpyxl silently skips a sheet whose part is missing; for a form that
    means a whole table vanishes without a word, so we refuse instead.
    Returns the sheets' part names."""
    sheets = scans[workbook_part].sheets
    parts: set[str] = set()
    if not sheets:
        return parts
    rels_part = _rels_part_of(workbook_part)
    if rels_part not in scans:
        raise _Reject("PE906", f"{_NOT_WORKBOOK}缺少工作簿关系部件（{rels_part}）")
    rels = {rel_id: (target, mode) for rel_id, target, mode in scans[rels_part].rels}
    for sheet_name, rel_id in sheets:
        if not rel_id:
            continue  # openpyxl drops such sheets with a warning, as Excel does
        if rel_id not in rels:
            raise _Reject("PE906", f"{_NOT_WORKBOOK}工作表「{sheet_name}」的关系 {rel_id} 未定义")
        target, mode = rels[rel_id]
        if mode == "External":
            continue
        # Same resolution as openpyxl.packaging.relationship.get_dependents.
        if target.startswith("/"):
            part = target[1:]
        else:
            part = posixpath.normpath(
                posixpath.join(posixpath.split(posixpath.dirname(rels_part))[0], target)
            )
        if part not in by_name:
            raise _Reject("PE906", f"{_NOT_WORKBOOK}工作表「{sheet_name}」的数据部件（{part}）缺失")
        parts.add(part)
    return parts


def _zip_reason(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_central_directory_size(data: bytes, limits: Limits) -> None:
    """Count entries from the end-of-central-directory record *before*
    ``zipfile`` builds one object per entry."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if eocd < 0 or len(data) < eocd + 22:
        return  # zipfile will report the damage
    entries, cd_size = struct.unpack_from("<HI", data, eocd + 10)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator = eocd - 20
        if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
            (record,) = struct.unpack_from("<Q", data, locator + 8)
            if record + 56 <= len(data) and data[record : record + 4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", data, record + 32)
    # A central directory entry is at least 46 bytes plus its name.
    if entries > limits.max_members or cd_size > limits.max_members * 1024:
        raise _Reject(
            "PE908", f"{_UNSAFE}压缩包内有 {entries} 个成员，超过上限 {limits.max_members}"
        )


def _check_members(infos: list[zipfile.ZipInfo], limits: Limits) -> dict[str, zipfile.ZipInfo]:
    if len(infos) > limits.max_members:
        raise _Reject(
            "PE908", f"{_UNSAFE}压缩包内有 {len(infos)} 个成员，超过上限 {limits.max_members}"
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    declared_total = 0
    for info in infos:
        if info.filename in by_name:
            # Two parts with one name: which one Excel and openpyxl read differs.
            raise _Reject("PE907", f"{_NOT_WORKBOOK}压缩包内有重复的部件「{info.filename}」")
        by_name[info.filename] = info
        if info.flag_bits & 0x1:
            raise _Reject("PE905", f"的压缩包内容已加密（部件「{info.filename}」），本工具无法读取")
        if info.compress_type not in _SUPPORTED_COMPRESSION:
            raise _Reject(
                "PE907",
                f"{_NOT_WORKBOOK}部件「{info.filename}」使用了不支持的压缩方式（{info.compress_type}）",
            )
        declared_total += info.file_size
        if declared_total > limits.max_total_uncompressed:
            raise _Reject(
                "PE908",
                f"{_UNSAFE}解压后总大小超过 {limits.max_total_uncompressed // _MiB} MB（疑似 zip 炸弹）",
            )
        if _ratio_exceeded(info.file_size, info.compress_size, limits):
            raise _Reject("PE908", f"{_UNSAFE}部件「{info.filename}」压缩比异常（疑似 zip 炸弹）")
    return by_name


def _ratio_exceeded(uncompressed: int, compressed: int, limits: Limits) -> bool:
    return uncompressed > limits.ratio_min_bytes and uncompressed > limits.max_ratio * max(
        compressed, 1
    )


def _reject_other_packages(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo]) -> None:
    """ODF, or OOXML that is not a spreadsheet, renamed to .xlsx."""
    mimetype = by_name.get("mimetype")
    if mimetype is not None and mimetype.file_size < 200:
        try:
            value = zf.read(mimetype).decode("ascii", "replace").strip()
        except Exception:  # noqa: BLE001 - damaged member: other checks will say so
            value = ""
        if value.startswith("application/vnd.oasis.opendocument"):
            kind = (
                "OpenDocument 电子表格（.ods）"
                if value.endswith(".spreadsheet")
                else "OpenDocument 文档"
            )
            raise _Reject("PE914", f"不是 Excel 工作簿，而是{kind}。{_RESAVE}")
    if _CONTENT_TYPES in by_name:
        return
    kind = _package_kind_from_names(by_name)
    if kind:
        raise _Reject("PE914", f"不是 Excel 工作簿（.xlsx/.xlsm），而是{kind}。{_RESAVE}")
    raise _Reject("PE906", f"{_NOT_WORKBOOK}缺少 [Content_Types].xml")


def _package_kind_from_names(by_name: dict[str, zipfile.ZipInfo]) -> str | None:
    if any(n.startswith("word/") for n in by_name):
        return "Word 文档（.docx）"
    if any(n.startswith("ppt/") for n in by_name):
        return "PowerPoint 演示文稿（.pptx）"
    if "xl/workbook.bin" in by_name:
        return "Excel 二进制工作簿（.xlsb）"
    return None


def _workbook_part(types: list[tuple[str, str, str]]) -> str:
    """Mirror openpyxl's ``_find_workbook_part`` so we check the part it will read."""
    overrides = {ctype: name for kind, name, ctype in types if kind == "Override"}
    for ctype in _WORKBOOK_TYPES:
        if ctype in overrides:
            return overrides[ctype].lstrip("/")
    if any(kind == "Default" and ctype in _WORKBOOK_TYPES for kind, _, ctype in types):
        return _DEFAULT_WORKBOOK_PART
    all_types = " ".join(ctype for _, _, ctype in types).lower()
    for marker, kind in (
        ("wordprocessingml", "Word 文档（.docx）"),
        ("ms-word", "Word 文档（.docm）"),
        ("presentationml", "PowerPoint 演示文稿（.pptx）"),
        ("ms-powerpoint", "PowerPoint 演示文稿（.pptm）"),
        ("ms-excel.sheet.binary", "Excel 二进制工作簿（.xlsb）"),
    ):
        if marker in all_types:
            raise _Reject("PE914", f"不是 Excel 工作簿（.xlsx/.xlsm），而是{kind}。{_RESAVE}")
    raise _Reject("PE906", f"{_NOT_WORKBOOK}[Content_Types].xml 中没有声明 workbook 部件")


class _Budget:
    """Counts bytes actually inflated: declared sizes are only a claim."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.total = 0

    def charge(self, info: zipfile.ZipInfo, member_bytes: int, chunk: int) -> None:
        self.total += chunk
        if self.total > self.limits.max_total_uncompressed:
            raise _Reject(
                "PE908",
                f"{_UNSAFE}解压后总大小超过 {self.limits.max_total_uncompressed // _MiB} MB（疑似 zip 炸弹）",
            )
        if _ratio_exceeded(member_bytes, info.compress_size, self.limits):
            raise _Reject("PE908", f"{_UNSAFE}部件「{info.filename}」压缩比异常（疑似 zip 炸弹）")


def _scan_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, totals: _Totals, limits: Limits,
    scan_class: type[_XmlScan] | None = None,
) -> _XmlScan:
    scan = (scan_class or _XmlScan)(info.filename, limits, totals)
    seen = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                seen += len(chunk)
                budget.charge(info, seen, len(chunk))
                scan.feed(chunk)
        scan.close()
    except _Reject:
        raise
    except expat.ExpatError as exc:
        raise _Reject(
            "PE909", f"{_NOT_WORKBOOK}部件「{info.filename}」XML 格式错误（{_expat_reason(exc)}）"
        ) from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise _Reject(
            "PE910",
            f"{_UNSAFE}部件「{info.filename}」含有 DTD/实体声明（疑似 XML 炸弹或外部实体攻击），正常 Excel 文件不会包含",
        ) from None
    except RecursionError:
        raise _Reject("PE909", f"{_NOT_WORKBOOK}部件「{info.filename}」XML 嵌套过深") from None
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib: CRC, truncation, bad headers
        raise _Reject(
            "PE907",
            f"{_NOT_WORKBOOK}部件「{info.filename}」解压失败（{_zip_reason(exc)}），文件可能损坏或不完整",
        ) from None
    return scan


def _expat_reason(exc: expat.ExpatError) -> str:
    reason = expat.ErrorString(exc.code) if exc.code else str(exc)
    return f"第 {exc.lineno} 行第 {exc.offset + 1} 列：{reason}"


# --------------------------------------------------------------------------
# XML scanning


@dataclass
class _Totals:
    cells: int = 0


# Generous widths on purpose: an 8-digit row must be parsed (and refused),
# not skipped as unparseable.
_A1 = re.compile(r"^\$?([A-Za-z]{1,4})\$?([0-9]{1,10})$")


def _parse_ref(ref: str) -> tuple[int, int, int, int] | None:
    """``"A1:C3"`` → (min_col, min_row, max_col, max_row); None if not a range."""
    parts = ref.strip().split(":")
    if not 1 <= len(parts) <= 2:
        return None
    coords = []
    for part in parts:
        m = _A1.match(part)
        if not m:
            return None
        col = 0
        for ch in m.group(1).upper():
            col = col * 26 + ord(ch) - 64
        coords.append((col, int(m.group(2))))
    (c1, r1), (c2, r2) = coords[0], coords[-1]
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


_COLUMN_CHARS = "$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class _XmlScan:
    """One XML part through expat with defusedxml's refusals.

    The root element decides what else to check: worksheets get row, cell and
    range counting, the shared string table gets string counting, and
    ``[Content_Types].xml`` has its declarations collected. Everything else is
    only checked for well-formedness and DTDs.
    """

    def __init__(self, part: str, limits: Limits, totals: _Totals) -> None:
        self.part = part
        self.limits = limits
        self.totals = totals
        self.kind = ""
        self.rows = 0
        self.strings = 0
        self.nbytes = 0
        self.types: list[tuple[str, str, str]] = []
        self.sheets: list[tuple[str, str]] = []
        self.rels: list[tuple[str, str, str]] = []
        self.rel_types: dict[str, str] = {}
        p = expat.ParserCreate(namespace_separator=" ")
        p.StartDoctypeDeclHandler = self._forbid_dtd
        p.EntityDeclHandler = self._forbid_entity
        p.UnparsedEntityDeclHandler = self._forbid_unparsed
        p.ExternalEntityRefHandler = self._forbid_external
        p.StartElementHandler = self._root
        self._parser = p

    def feed(self, chunk: bytes) -> None:
        self.nbytes += len(chunk)
        self._parser.Parse(chunk, False)
        # After parsing: the root element (and so the kind) is known only then.
        if self.kind == "other":
            # Start tags counted in C rather than by a Python callback per element: every "<"
            # not opening an end tag (comments, CDATA and the declaration count too, so this
            # only ever over-counts).
            self._elements += chunk.count(b"<") - chunk.count(b"</")
            if self._elements > self.limits.max_part_elements:
                self._too_many_elements()
        elif self.kind == "sst" and self.nbytes > self.limits.max_shared_strings_bytes:
            raise _Reject(
                "PE912",
                f"共享字符串表过大（超过 {self.limits.max_shared_strings_bytes / _MiB:g} MB），"
                "超出本工具的处理范围",
            )

    def close(self) -> None:
        self._parser.Parse(b"", True)
        # The parser holds our bound handlers and we hold it: drop it, or every scan (and all
        # that a collecting scan kept) waits for the cyclic collector instead of going at once.
        self._parser = None

    # -- defusedxml's refusals, with forbid_dtd=True --------------------------

    def _forbid_dtd(self, name, sysid, pubid, has_internal_subset):
        raise DTDForbidden(name, sysid, pubid)

    def _forbid_entity(self, name, is_parameter_entity, value, base, sysid, pubid, notation_name):
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)

    def _forbid_unparsed(self, name, base, sysid, pubid, notation_name):
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)

    def _forbid_external(self, context, base, sysid, pubid):
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    # -- element handlers -----------------------------------------------------

    def _root(self, name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        prefix = f"{ns} " if ns else ""
        handler: Callable[[str, dict[str, str]], None] | None = None
        if local in ("worksheet", "dialogsheet"):
            self.kind = "sheet"
            # Full names compared by equality: cheaper than splitting each one.
            self._row, self._c, self._dim = prefix + "row", prefix + "c", prefix + "dimension"
            self._merge, self._link = prefix + "mergeCell", prefix + "hyperlink"
            self._row_digits = len(str(self.limits.max_rows))
            handler = self._sheet_element
        elif local == "sst":
            self.kind = "sst"
            self._si = prefix + "si"
            handler = self._sst_element
            declared = attrs.get("uniqueCount", "")
            # The table states its size up front: believe it when it is too big (counting a
            # million strings first only costs time), count when it is not.
            if declared.isdigit() and int(declared) > self.limits.max_shared_strings:
                self._too_many_strings()
        elif local == "workbook":
            self.kind = "workbook"
            self._sheet = prefix + "sheet"
            handler = self._workbook_element
        elif local == "Relationships":
            self.kind = "rels"
            self._rel = prefix + "Relationship"
            handler = self._rels_element
        elif local == "Types":
            self.kind = "types"
            self._default, self._override = prefix + "Default", prefix + "Override"
            handler = self._types_element
        else:
            self.kind = "other"
            self._elements = 0
            handler = None
        self._parser.StartElementHandler = handler

    def _sheet_element(self, name: str, attrs: dict[str, str]) -> None:
        if name == self._c:
            totals = self.totals
            totals.cells += 1
            if totals.cells > self.limits.max_cells:
                self._too_many_cells()
            coord = attrs.get("r")
            # Hot path: only a coordinate long enough to hold a too-large row
            # number (at least one letter plus that many digits) is parsed.
            if coord is not None and len(coord) > self._row_digits:
                self._check_row_number(coord.lstrip(_COLUMN_CHARS))
        elif name == self._row:
            self.rows += 1
            if self.rows > self.limits.max_rows:
                raise _Reject("PE911", self._sheet_msg(f"行数超过上限 {self.limits.max_rows}"))
            number = attrs.get("r")
            if number is not None and len(number) >= self._row_digits:
                self._check_row_number(number)
        elif name == self._dim:
            self._check_dimension(attrs.get("ref", ""))
        elif name == self._merge:
            self._add_area(attrs.get("ref", ""))
        elif name == self._link:
            ref = attrs.get("ref", "")
            if ":" in ref:  # openpyxl copies a range hyperlink into every cell
                self._add_area(ref)

    def _check_row_number(self, value: str | None) -> None:
        if value and value.isdigit() and int(value) > self.limits.max_rows:
            raise _Reject(
                "PE911",
                self._sheet_msg(
                    f"第 {int(value)} 行有内容，超过上限 {self.limits.max_rows} 行；请删除多余的行后另存"
                ),
            )

    def _check_dimension(self, ref: str) -> None:
        box = _parse_ref(ref)
        if box is None:
            return  # openpyxl ignores a dimension it cannot use in normal mode
        _, _, max_col, max_row = box
        if max_row > self.limits.max_rows or max_col > self.limits.max_cols:
            raise _Reject(
                "PE911",
                self._sheet_msg(
                    f"声明的使用范围 {ref} 超过上限（{self.limits.max_rows} 行、{self.limits.max_cols} 列）；"
                    "请删除多余的行列后另存"
                ),
            )

    def _add_area(self, ref: str) -> None:
        box = _parse_ref(ref)
        if box is None:
            return
        c1, r1, c2, r2 = box
        self.totals.cells += (c2 - c1 + 1) * (r2 - r1 + 1)
        if self.totals.cells > self.limits.max_cells:
            raise _Reject("PE911", self._sheet_msg(f"合并单元格或超链接区域 {ref} 过大"))

    def _too_many_cells(self) -> None:
        raise _Reject("PE911", self._sheet_msg(f"单元格总数超过上限 {self.limits.max_cells}"))

    def _sheet_msg(self, detail: str) -> str:
        return f"工作表尺寸异常（部件「{self.part}」）：{detail}"

    def _sst_element(self, name: str, attrs: dict[str, str]) -> None:
        if name == self._si:
            self.strings += 1
            if self.strings > self.limits.max_shared_strings:
                self._too_many_strings()

    def _too_many_strings(self) -> None:
        raise _Reject("PE912", f"共享字符串超过 {self.limits.max_shared_strings} 条，超出本工具的处理范围")

    def _types_element(self, name: str, attrs: dict[str, str]) -> None:
        if name == self._override:
            self.types.append(("Override", attrs.get("PartName", ""), attrs.get("ContentType", "")))
        elif name == self._default:
            self.types.append(("Default", attrs.get("Extension", ""), attrs.get("ContentType", "")))

    def _other_element(self, name: str, attrs: dict[str, str]) -> None:
        self._elements += 1
        if self._elements > self.limits.max_part_elements:
            self._too_many_elements()

    def _too_many_elements(self) -> None:
        raise _Reject(
                "PE908",
                f"{_UNSAFE}部件「{self.part}」包含超过 {self.limits.max_part_elements} 个 XML 元素（疑似炸弹）",
            )

    def _workbook_element(self, name: str, attrs: dict[str, str]) -> None:
        if name == self._sheet:
            # r:id is namespaced; transitional and strict use different URIs.
            rel_id = next((v for k, v in attrs.items() if k.endswith(" id")), "")
            self.sheets.append((attrs.get("name", ""), rel_id))

    def _rels_element(self, name: str, attrs: dict[str, str]) -> None:
        if name == self._rel:
            self.rels.append(
                (attrs.get("Id", ""), attrs.get("Target", ""), attrs.get("TargetMode", ""))
            )
            self.rel_types[attrs.get("Id", "")] = attrs.get("Type", "")


# --------------------------------------------------------------------------
# what a file is, by its bytes


#: The kinds `sniff_format` tells apart. Anything else is "" and goes through the workbook
#: checks, whose messages name the usual impostors (HTML, CSV, .xlsb …).
FORMATS = ("xlsx", "xls", "ods", "docx", "doc", "pdf", "encrypted", "odt")


def sniff_format(data: bytes) -> str:
    """What the bytes are, whatever the file is called: a .xls that is really an .xlsx, a .docx
    named .doc, an .ods named .xlsx all go to the reader of what they are.

    Cheap and never raising: only signatures and (for a zip) the member names are looked at; the
    reader's own checks come after.
    """
    if data.startswith(_CFB_MAGIC):
        return _sniff_cfb(data)
    if data.startswith(b"PK"):
        return _sniff_zip(data)
    # PDF allows junk before the header (within the first 1024 bytes).
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    return ""


def _sniff_cfb(data: bytes) -> str:
    names = _cfb_stream_names(data)
    if names is not None:
        has = names.__contains__
    else:
        def has(name: str) -> bool:
            return name.encode("utf-16-le") in data
    if any(has(n) for n in _ENCRYPTED_STREAMS):
        return "encrypted"
    if any(has(n) for n in _XLS_STREAMS):
        return "xls"
    if has("WordDocument"):
        return "doc"
    return ""


def _sniff_zip(data: bytes) -> str:
    try:
        _check_central_directory_size(data, DEFAULT_LIMITS)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names and zf.getinfo("mimetype").file_size < 200:
                mimetype = zf.read("mimetype").strip()
    except Exception:  # noqa: BLE001 - a damaged zip: the workbook checks say how
        return "xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if any(n.startswith("word/") for n in names) and not any(n.startswith("xl/") for n in names):
        return "docx"
    return "xlsx"


# --------------------------------------------------------------------------
# zip packages other than workbooks (.docx, .ods): the same container checks


def check_package_bytes(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Size, member count, compression ratio, bytes actually inflated, encrypted members and,
    for every XML part, well-formedness and no DTD or entity — the checks `check_workbook_bytes`
    makes for an .xlsx, for a Word document or an OpenDocument file."""
    try:
        _check_central_directory_size(data, limits)
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = zf.infolist()
        except Exception as exc:  # noqa: BLE001 - zipfile raises many types on junk
            raise _Reject(
                "PE907", f"压缩包结构损坏或文件不完整（{_zip_reason(exc)}），可能下载/拷贝未完成"
            ) from None
        with zf:
            by_name = _check_members(infos, limits)
            if _odf_encrypted(zf, by_name):
                raise _Reject("PE905", encrypted_detail(path))
            budget = _Budget(limits)
            totals = _Totals()
            for name, info in by_name.items():
                if name.lower().endswith((".xml", ".rels")) and not name.startswith("customXml/"):
                    _scan_member(zf, info, budget, totals, limits)
    except _Reject as rej:
        detail = rej.detail.replace(_NOT_WORKBOOK, "")
        raise _error(rej.code, path, detail) from None


def _odf_encrypted(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo]) -> bool:
    """OpenDocument encrypts the parts themselves and says so in its manifest."""
    manifest = by_name.get("META-INF/manifest.xml")
    if manifest is None or manifest.file_size > 4 * _MiB:
        return False
    try:
        return b"encryption-data" in zf.read(manifest)
    except Exception:  # noqa: BLE001 - a damaged manifest: the XML scan reports it
        return False
