"""Build broken and hostile input files from code (no binaries in git).

Usage::

    python tests/data/malformed/generate.py OUTDIR

or, from tests, ``generate(tmp_path)``, which returns one ``Case`` per file.
``Case.code`` is the PE9xx code ``open_workbook`` must raise, or ``None`` for
files that must open. Cases with ``kind == "form"`` are perfeval templates
that a careless clerk or a hostile sender changed (a date format in a money
cell, control characters, strict OOXML, UTF-16 parts …): ``expect`` names the
codes validate must report for them, and every command must handle them
without a traceback (tests/test_all_commands.py). The whole run takes a few
seconds; the largest output (one 10 MB cell) is about 7 MB.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    #: Path relative to the output directory (may contain a sub-directory).
    name: str
    #: Expected error code, or None when the file must open.
    code: str | None
    description: str
    #: chmod-based cases mean nothing to root, who can read anything.
    requires_non_root: bool = False
    #: "open": a broken file for open_workbook; "form": an odd perfeval template for every command.
    kind: str = "open"
    #: Codes `validate --format json` must report for a form case.
    expect: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# building blocks


def valid_xlsx_bytes() -> bytes:
    """A small but realistic 自评表: shared strings, numbers, a formula, merges."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    ws["A1"] = "项目支出绩效自评表（2024 年度）"
    ws.merge_cells("A1:E1")
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "得分"])
    for i in range(1, 21):
        ws.append(["产出指标", "数量指标", f"完成项目数 {i}", 10, 8.5])
    ws["E23"] = "=SUM(E3:E22)"
    wb.create_sheet("说明")["A1"] = "填表说明"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_members(xlsx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def build_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def replace_members(base: bytes, changes: dict[str, bytes | None]) -> bytes:
    """Copy of ``base`` with members replaced (bytes), removed (None) or added."""
    members = read_members(base)
    for name, data in changes.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    return build_zip(members)


def patch_member_headers(
    zip_bytes: bytes,
    name: str,
    *,
    flag_bits: int | None = None,
    method: int | None = None,
    file_size: int | None = None,
) -> bytes:
    """Overwrite fields of one member in both its local and central header."""
    data = bytearray(zip_bytes)
    encoded = name.encode("utf-8")
    # Local file header: sig(4) ver(2) flags(2) method(2) time(2) date(2)
    # crc(4) csize(4) usize(4) nlen(2) xlen(2) name
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:
        nlen = struct.unpack_from("<H", data, pos + 26)[0]
        if bytes(data[pos + 30 : pos + 30 + nlen]) == encoded:
            _patch(
                data,
                pos,
                flags_at=6,
                method_at=8,
                usize_at=22,
                flag_bits=flag_bits,
                method=method,
                file_size=file_size,
            )
        pos += 4
    # Central header: sig(4) made(2) ver(2) flags(2) method(2) time(2) date(2)
    # crc(4) csize(4) usize(4) nlen(2) ...  name at 46
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + nlen]) == encoded:
            _patch(
                data,
                pos,
                flags_at=8,
                method_at=10,
                usize_at=24,
                flag_bits=flag_bits,
                method=method,
                file_size=file_size,
            )
        pos += 4
    return bytes(data)


def _patch(
    data: bytearray,
    pos: int,
    *,
    flags_at: int,
    method_at: int,
    usize_at: int,
    flag_bits,
    method,
    file_size,
) -> None:
    if flag_bits is not None:
        struct.pack_into("<H", data, pos + flags_at, flag_bits)
    if method is not None:
        struct.pack_into("<H", data, pos + method_at, method)
    if file_size is not None:
        struct.pack_into("<I", data, pos + usize_at, file_size)


def cfb(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file holding ``streams``: the project's own MS-CFB writer (the one that
    builds vbaProject.bin), so the corpus needs no second implementation."""
    from perfeval.excel.vba.cfb import build_compound_file

    return build_compound_file(streams)



# BIFF8 BOF (workbook globals) and EOF records: what a real .xls starts with.
_BIFF8 = bytes.fromhex("0908100000060500bb0dcc07c100000006010000") + bytes.fromhex("0a000000")

_ENCRYPTION_INFO = (
    struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
    b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
    b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
    b"</encryption>"
)


def sheet_xml(body: str, *, dimension: str = "A1", extra: str = "", doctype: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{doctype}"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData>{extra}</worksheet>'
    ).encode()


def sst_xml(items: str, count: int) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">'
        f"{items}</sst>"
    ).encode()


_SHEET1 = "xl/worksheets/sheet1.xml"
_SST = "xl/sharedStrings.xml"
_WORKBOOK = "xl/workbook.xml"
_CT = "[Content_Types].xml"

_BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&lol9;</t></si></sst>"
).encode("utf-8")

_XXE_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="&xxe;" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


# --------------------------------------------------------------------------
# the cases


def _size_lie(base: bytes) -> bytes:
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 20_001))
    zip_bytes = replace_members(base, {_SHEET1: sheet_xml(rows, dimension="A1:A20000")})
    # The central directory now claims 1,000 bytes for ~600 KB of XML.
    return patch_member_headers(zip_bytes, _SHEET1, file_size=1000)


def _crc_error(base: bytes) -> bytes:
    members = read_members(base)
    # Stored (not deflated) so that one changed digit is still valid XML and
    # only the CRC can tell.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(
                name,
                data,
                compress_type=zipfile.ZIP_STORED if name == _SHEET1 else zipfile.ZIP_DEFLATED,
            )
    data = bytearray(buf.getvalue())
    start = data.find(b"<v>10</v>")
    assert start > 0
    data[start + 3] = ord("9")
    return bytes(data)


def _zip_bomb_total() -> bytes:
    # 256 MiB of zeros streamed through deflate: ~250 KB on disk, 256 MiB
    # declared, above the 200 MiB default.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(_CT, b"<Types/>")
        with zf.open(_SHEET1, "w", force_zip64=True) as fh:
            chunk = bytes(1 << 20)
            for _ in range(256):
                fh.write(chunk)
    return buf.getvalue()


def _zip_bomb_ratio(base: bytes) -> bytes:
    # 20 MiB of spaces inside a sheet: within the total limit, but ~1000:1.
    blob = sheet_xml("") + b" " * (20 << 20)
    return replace_members(base, {_SHEET1: blob})


def _too_many_members(base: bytes) -> bytes:
    members = read_members(base)
    for i in range(5_001):
        members[f"xl/media/pad{i}.bin"] = b""
    return build_zip(members)


def _html_export() -> bytes:
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>\n'
        "<body><table><tr><td>项目名称</td><td>得分</td></tr><tr><td>道路维修</td><td>90</td></tr></table></body></html>\n"
    ).encode("gb18030")


def _xml_2003() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        b'<Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table>'
        b"</Worksheet></Workbook>\n"
    )


def _docx() -> bytes:
    ct = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    doc = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'
    return build_zip({_CT: ct, "word/document.xml": doc})


def _pptx() -> bytes:
    ct = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/ppt/presentation.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'
    )
    return build_zip({_CT: ct, "ppt/presentation.xml": b"<p:presentation xmlns:p='urn:x'/>"})


def _xlsb() -> bytes:
    ct = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>'
    )
    return build_zip({_CT: ct, "xl/workbook.bin": b"\x83\x01\x00"})


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        # ODF requires an uncompressed "mimetype" first.
        zf.writestr(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        zf.writestr(
            "content.xml",
            b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        zf.writestr("META-INF/manifest.xml", b"<manifest/>", compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _empty_zip() -> bytes:
    buf = io.BytesIO()
    zipfile.ZipFile(buf, "w").close()
    return buf.getvalue()


def _random_bytes(n: int) -> bytes:
    data = bytearray(random.Random(20240601).randbytes(n))
    data[0:2] = b"\x00\x01"  # never accidentally a PK or CFB signature
    return bytes(data)


def _builders(base: bytes) -> list[tuple[Case, Callable[[], bytes | None]]]:
    # Builders are lazy so that listing the cases (for pytest ids) costs nothing.
    def rows_200k() -> str:
        return "".join(f'<row r="{i}"/>' for i in range(1, 200_001))

    def many_strings() -> str:
        return "".join(f"<si><t>{i}</t></si>" for i in range(1_000_001))

    cases: list[tuple[Case, Callable[[], bytes | None]]] = [
        (Case("empty.xlsx", "PE902", "空文件 / empty file"), lambda: b""),
        (Case("one_byte.xlsx", "PE903", "只有 1 个字节 / a single byte"), lambda: b"\x00"),
        (Case("pk_only.xlsx", "PE907", "只有 zip 签名的前两个字节 / just 'PK'"), lambda: b"PK"),
        (
            Case("random_bytes.xlsx", "PE903", "随机字节 / 4 KB of random bytes"),
            lambda: _random_bytes(4096),
        ),
        (
            Case("tail_cut.xlsx", "PE907", "缺最后 1 个字节（EOCD 不完整）/ last byte missing"),
            lambda: base[:-1],
        ),
        *[
            (
                Case(
                    f"truncated_{pct:02d}pct.xlsx",
                    "PE907",
                    f"在 {pct}% 处截断 / valid xlsx cut at {pct}%",
                ),
                (lambda pct=pct: base[: len(base) * pct // 100]),
            )
            for pct in (1, 10, 25, 50, 75, 90, 99)
        ],
        (
            Case("crc_error.xlsx", "PE907", "工作表数据被改动，CRC 不符 / CRC mismatch in sheet1"),
            lambda: _crc_error(base),
        ),
        (
            Case(
                "size_lie.xlsx",
                "PE907",
                "中央目录谎报解压大小 / central directory understates size",
            ),
            lambda: _size_lie(base),
        ),
        (
            Case(
                "deflate64_member.xlsx",
                "PE907",
                "成员使用不支持的压缩方式 9 / unsupported compression method",
            ),
            lambda: patch_member_headers(base, _SHEET1, method=9),
        ),
        (
            Case(
                "zip_encrypted_member.xlsx", "PE905", "zip 传统加密标志 / zip-level encryption flag"
            ),
            lambda: patch_member_headers(base, _SHEET1, flag_bits=0x1),
        ),
        (Case("empty_zip.xlsx", "PE906", "没有任何成员的 zip / zip with no members"), _empty_zip),
        (
            Case("no_content_types.xlsx", "PE906", "缺少 [Content_Types].xml / no content types"),
            lambda: replace_members(base, {_CT: None}),
        ),
        (
            Case("no_workbook_part.xlsx", "PE906", "缺少 xl/workbook.xml / workbook part missing"),
            lambda: replace_members(base, {_WORKBOOK: None}),
        ),
        (
            Case("no_sheet_part.xlsx", "PE906", "工作表部件缺失 / sheet referenced but missing"),
            lambda: replace_members(base, {_SHEET1: None}),
        ),
        (
            Case(
                "legacy_xls.xlsx",
                "PE904",
                "改名的旧版 .xls（CFB + Workbook 流）/ legacy xls renamed",
            ),
            lambda: cfb({"Workbook": _BIFF8, "\x05SummaryInformation": b"\xfe\xff"}),
        ),
        (
            Case("legacy_biff5.xls", "PE904", "Excel 5.0 格式（Book 流）/ BIFF5 'Book' stream"),
            lambda: cfb({"Book": _BIFF8}),
        ),
        (
            Case(
                "encrypted.xlsx",
                "PE905",
                "设置了打开密码的 xlsx（EncryptionInfo + EncryptedPackage）/ encrypted OOXML",
            ),
            lambda: cfb(
                {
                    "EncryptionInfo": _ENCRYPTION_INFO,
                    "EncryptedPackage": struct.pack("<Q", 9000) + _random_bytes(9000),
                }
            ),
        ),
        (
            Case("doc_renamed.xlsx", "PE914", "改名的 Word 97-2003 文档 / .doc renamed"),
            lambda: cfb({"WordDocument": b"\xec\xa5"}),
        ),
        (Case("docx_renamed.xlsx", "PE914", "改名的 .docx / docx renamed"), _docx),
        (Case("pptx_renamed.xlsx", "PE914", "改名的 .pptx / pptx renamed"), _pptx),
        (Case("xlsb_renamed.xlsx", "PE914", "改名的 .xlsb / binary workbook renamed"), _xlsb),
        (Case("ods_renamed.xlsx", "PE914", "改名的 .ods / OpenDocument spreadsheet renamed"), _ods),
        (
            Case("csv_renamed.xlsx", "PE914", "改名的 CSV（GBK 编码）/ GBK CSV renamed"),
            lambda: "项目名称,预算数,执行数\n道路维修,100,95\n".encode("gb18030"),
        ),
        (
            Case(
                "utf16_text.xlsx",
                "PE914",
                "Excel 导出的 Unicode 文本（UTF-16）/ UTF-16 tab-separated text",
            ),
            lambda: "项目名称\t得分\r\n道路\t90\r\n".encode("utf-16"),
        ),
        (
            Case("html_export.xls", "PE914", "系统导出的“xls”其实是网页 / HTML saved as xls"),
            _html_export,
        ),
        (Case("xml_2003.xls", "PE914", "Excel 2003 XML 表格 / SpreadsheetML 2003"), _xml_2003),
        (
            Case("pdf_renamed.xlsx", "PE914", "改名的 PDF / pdf renamed"),
            lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        ),
        (
            Case("gzip_renamed.xlsx", "PE914", "改名的 gzip / gzip renamed"),
            lambda: gzip.compress("项目名称,得分\n".encode()),
        ),
        (
            Case("billion_laughs_sst.xlsx", "PE910", "sharedStrings 中的 billion laughs"),
            lambda: replace_members(base, {_SST: _BILLION_LAUGHS}),
        ),
        (
            Case("xxe_workbook.xlsx", "PE910", "workbook.xml 中的外部实体（XXE）"),
            lambda: replace_members(base, {_WORKBOOK: _XXE_WORKBOOK}),
        ),
        (
            Case(
                "external_dtd_sheet.xlsx", "PE910", "工作表引用外部 DTD / sheet with external DTD"
            ),
            lambda: replace_members(
                base,
                {
                    _SHEET1: sheet_xml(
                        "", doctype='<!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">\n'
                    )
                },
            ),
        ),
        (
            Case("malformed_sheet.xlsx", "PE909", "sheet1.xml 标签未闭合 / unclosed tag in sheet1"),
            lambda: replace_members(
                base, {_SHEET1: sheet_xml('<row r="1"><c r="A1"><v>1</v></row>')}
            ),
        ),
        (
            Case(
                "malformed_workbook.xlsx", "PE909", "workbook.xml 被截断 / truncated workbook.xml"
            ),
            lambda: replace_members(base, {_WORKBOOK: read_members(base)[_WORKBOOK][:-20]}),
        ),
        (
            Case(
                "malformed_content_types.xlsx",
                "PE909",
                "[Content_Types].xml 乱码 / garbage content types",
            ),
            lambda: replace_members(base, {_CT: b"\x00\x01garbage<<"}),
        ),
        (
            Case("binary_sst.xlsx", "PE909", "sharedStrings 是二进制垃圾 / binary sharedStrings"),
            lambda: replace_members(base, {_SST: _random_bytes(2048)}),
        ),
        (
            Case("zip_bomb_total.xlsx", "PE908", "声明解压 256 MB 的全零成员 / 256 MiB of zeros"),
            _zip_bomb_total,
        ),
        (
            Case("zip_bomb_ratio.xlsx", "PE908", "压缩比约 1000:1 的工作表 / ~1000:1 member"),
            lambda: _zip_bomb_ratio(base),
        ),
        (
            Case("too_many_members.xlsx", "PE908", "5,000 多个成员 / 5,001 extra members"),
            lambda: _too_many_members(base),
        ),
        (
            Case("huge_dimension.xlsx", "PE911", "dimension 为 A1:XFD1048576"),
            lambda: replace_members(
                base,
                {
                    _SHEET1: sheet_xml(
                        '<row r="1"><c r="A1"><v>1</v></c></row>', dimension="A1:XFD1048576"
                    )
                },
            ),
        ),
        (
            Case("rows_200k.xlsx", "PE911", "200,000 个 <row> 元素 / 200k rows"),
            lambda: replace_members(base, {_SHEET1: sheet_xml(rows_200k())}),
        ),
        (
            Case("far_cell.xlsx", "PE911", "第 1048576 行有一个单元格 / one cell at row 1048576"),
            lambda: replace_members(
                base, {_SHEET1: sheet_xml('<row r="1"><c r="A1048576"><v>1</v></c></row>')}
            ),
        ),
        (
            Case(
                "merge_bomb.xlsx",
                "PE911",
                "合并区域 A1:XFD100000（openpyxl 会为每格建对象）/ huge merged range",
            ),
            lambda: replace_members(
                base,
                {
                    _SHEET1: sheet_xml(
                        "",
                        extra='<mergeCells count="1"><mergeCell ref="A1:XFD100000"/></mergeCells>',
                    )
                },
            ),
        ),
        (
            Case(
                "hyperlink_bomb.xlsx",
                "PE911",
                "超链接区域 A1:ZZ99999 / hyperlink over a huge range",
            ),
            lambda: replace_members(
                base,
                {
                    _SHEET1: sheet_xml(
                        "",
                        extra='<hyperlinks><hyperlink ref="A1:ZZ99999" display="x"/></hyperlinks>',
                    )
                },
            ),
        ),
        (
            Case(
                "huge_sst_count.xlsx", "PE912", "1,000,001 条共享字符串 / 1,000,001 shared strings"
            ),
            lambda: replace_members(base, {_SST: sst_xml(many_strings(), 1_000_001)}),
        ),
        (Case("文件夹.xlsx", "PE901", "目录而不是文件 / a directory"), lambda: None),
        (Case("不存在.xlsx", "PE901", "文件不存在 / missing file"), lambda: None),
        (
            Case("no_permission.xlsx", "PE913", "没有读取权限 / chmod 000", requires_non_root=True),
            lambda: base,
        ),
        (
            Case(
                "县 财政局 2024/项目支出 绩效自评表（终稿）.xlsx",
                None,
                "中文与空格路径的正常文件 / valid, Chinese path",
            ),
            lambda: base,
        ),
        (
            Case("really_xlsx.xls", None, "扩展名为 .xls 的真 xlsx / genuine xlsx named .xls"),
            lambda: base,
        ),
    ]
    return cases



# --------------------------------------------------------------------------
# odd perfeval templates: what a careless clerk or a hostile sender makes of the form

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def template_bytes() -> bytes:
    """The bundled example as a perfeval template (it has findings of its own: exit 1)."""
    from perfeval.example_data import zhengning_2023
    from perfeval.workbook.template import build_workbook

    return build_workbook(zhengning_2023())


_TEMPLATE: list[bytes] = []


def template_bytes_cached() -> bytes:
    """template_bytes, built once per process (for tests that mutate it many times)."""
    if not _TEMPLATE:
        _TEMPLATE.append(template_bytes())
    return _TEMPLATE[0]


def _layout():
    from perfeval.core.model import FormKind
    from perfeval.workbook import layout as L

    return L, L.layout_for(FormKind.DEPARTMENT)


def sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    """Sheet title → part name, read with regular expressions (our own output's spelling)."""
    import html
    import re

    rels = dict(re.findall(rb'Target="/?([^"]+)" Id="([^"]+)"', members["xl/_rels/workbook.xml.rels"]))
    rels = {v.decode(): k.decode() for k, v in rels.items()}
    out = {}
    for name, rid in re.findall(rb'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', members[_WORKBOOK]):
        part = rels[rid.decode()]
        out[html.unescape(name.decode())] = part if part.startswith("xl/") else "xl/" + part
    return out


def set_cells(xml: bytes, cells: dict[str, str]) -> bytes:
    """Replace whole <c> elements; each value is the new element with {r} for its address."""
    import re

    for ref, new in cells.items():
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
        replacement = new.format(r=ref).encode("utf-8")
        xml, n = pattern.subn(lambda _m, b=replacement: b, xml, count=1)
        assert n == 1, f"no cell {ref}"
    return xml


def add_style(members: dict[str, bytes], num_fmt_id: int, format_code: str | None = None) -> int:
    """Append a cell format with that number format; returns its index for s="…"."""
    import re

    styles = members["xl/styles.xml"].decode("utf-8")
    if format_code is not None:
        entry = f'<numFmt numFmtId="{num_fmt_id}" formatCode="{format_code}"/>'
        if "<numFmts" in styles:
            styles = re.sub(r"(<numFmts[^>]*>)", r"\1" + entry, styles, count=1)
        else:
            styles = styles.replace("<fonts", f'<numFmts count="1">{entry}</numFmts><fonts', 1)
    m = re.search(r'<cellXfs count="(\d+)">', styles)
    index = int(m.group(1))
    styles = styles.replace(m.group(0), f'<cellXfs count="{index + 1}">', 1)
    styles = styles.replace("</cellXfs>", f'<xf numFmtId="{num_fmt_id}" fontId="0" fillId="0" borderId="0" '
                                          'applyNumberFormat="1" xfId="0"/></cellXfs>', 1)
    members["xl/styles.xml"] = styles.encode("utf-8")
    return index


def edit_form(edit: Callable[[dict[str, bytes], dict[str, str]], None]) -> bytes:
    members = read_members(template_bytes())
    edit(members, sheet_parts(members))
    return build_zip(members)


def _cells(title_of: Callable, cells: Callable[[], dict[str, str]], date_style: int | None = None):
    """An edit that sets cells of one sheet (title_of(L) gives the sheet's title)."""

    def edit(members, parts):
        L, _ = _layout()
        extra = {}
        if date_style is not None:
            extra["s"] = add_style(members, date_style)
        part = parts[title_of(L)]
        members[part] = set_cells(members[part], {k: v.format(r="{r}", **extra) if extra else v
                                                  for k, v in cells().items()})
    return edit


def _form_cells(cells: Callable[[], dict[str, str]], date_style: int | None = None):
    return _cells(lambda L: L.SHEET_FORM, cells, date_style)


def _inline(text: str) -> str:
    from xml.sax.saxutils import escape

    return '<c r="{r}" t="inlineStr"><is><t xml:space="preserve">' + escape(text).replace("{", "{{").replace(
        "}", "}}") + "</t></is></c>"


def _number(v: str, style: str = "") -> str:
    return '<c r="{r}"' + style + "><v>" + v + "</v></c>"


def _budget(key: str, line: int = 0) -> str:
    _, lay = _layout()
    return lay.budget_cells(lay.budget_lines[line])[key]


def _first_indicator(key: str) -> str:
    _, lay = _layout()
    return lay.indicator_cells(list(lay.indicator_rows)[0])[key]


def _all_parts(transform: Callable[[str, bytes], bytes]):
    def edit(members, parts):
        for name in list(members):
            if name.endswith((".xml", ".rels")):
                members[name] = transform(name, members[name])
    return edit


def _strict(name: str, xml: bytes) -> bytes:
    # Strict OOXML (ISO 29500 strict, Excel's "Strict Open XML Spreadsheet"): other namespace and
    # relationship-type URIs, the same content types.
    return (xml.replace(_MAIN.encode(), _STRICT_MAIN.encode())
               .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
                        b"http://purl.oclc.org/ooxml/officeDocument/relationships/")
               .replace(_REL.encode(), _STRICT_REL.encode()))


def _utf16(name: str, xml: bytes) -> bytes:
    if not name.startswith("xl/worksheets/sheet"):
        return xml
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2:]
    return ('<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n' + text).encode("utf-16")


def _prefixed(name: str, xml: bytes) -> bytes:
    import re

    if not name.startswith("xl/worksheets/sheet") and name != _WORKBOOK:
        return xml
    text = xml.decode("utf-8")
    # Every element of the main namespace spelled x:…, as some exporters write it.
    text = re.sub(r"<(/?)(?![?!])([A-Za-z][A-Za-z0-9]*)(?=[\s/>])", r"<\1x:\2", text)
    return text.replace(f'xmlns="{_MAIN}"', f'xmlns:x="{_MAIN}"', 1).encode("utf-8")


def _cdata_and_comments(members, parts):
    L, lay = _layout()
    part = parts[L.SHEET_FORM]
    members[part] = set_cells(members[part], {
        lay.name: '<c r="{r}" t="inlineStr"><is><t>正宁县<!-- 单位名称 --><![CDATA[人力资源和<社会>保障局]]></t></is></c>',
        _budget("full_year"): '<c r="{r}"><!-- 全年 --><v>1745<!-- . -->.81</v></c>',
    })


def _latin1_shared_strings(members, parts):
    L, lay = _layout()
    sst = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n'
           f'<sst xmlns="{_MAIN}" count="2" uniqueCount="2"><si><t>Caf\xe9 \xbd</t></si>'
           "<si><r><t>Gr\xfc</t></r><r><t>\xdfe</t></r><rPh sb='0' eb='1'><t>x</t></rPh></si></sst>").encode("latin-1")
    members[_SST] = sst
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="/xl/sharedStrings.xml" Id="rIdSst"/></Relationships>')
    members[_CT] = members[_CT].replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                        b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                        b'+xml"/></Types>')
    part = parts[L.SHEET_FORM]
    members[part] = set_cells(members[part], {lay.other_notes: '<c r="{r}" t="s"><v>0</v></c>',
                                              lay.total_note: '<c r="{r}" t="s"><v>1</v></c>'})


def _ext_without_uri(members, parts):
    L, _ = _layout()
    part = parts[L.SHEET_FORM]
    members[part] = members[part].replace(
        b"</worksheet>", b'<extLst><ext xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b"<x14:conditionalFormattings/></ext></extLst></worksheet>")


def _sheet_state(state: str):
    def edit(members, parts):
        import re

        members[_WORKBOOK] = re.sub(rb'(<sheet [^>]*?name="&#33258;&#35780;&#34920;"[^>]*?)state="visible"',
                                    rb'\1state="' + state.encode() + rb'"', members[_WORKBOOK], count=1) \
            if b"&#33258;" in members[_WORKBOOK] else re.sub(
                rb'(<sheet [^>]*?name="\xe8\x87\xaa\xe8\xaf\x84\xe8\xa1\xa8"[^>]*?)state="visible"',
                rb'\1state="' + state.encode() + rb'"', members[_WORKBOOK], count=1)
        assert state.encode() in members[_WORKBOOK]
    return edit


def _profile(name: str):
    return _cells(lambda L: L.SHEET_CONFIG, lambda: {_layout()[0].CONFIG.profile: _inline(name)})


def _cached_string_that_looks_like_an_error(members, parts):
    import re

    L, lay = _layout()
    part = parts[L.SHEET_FORM]
    ref = lay.title  # a formula whose result is text
    xml = members[part]
    m = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*>(<f>.*?</f>)', xml)
    assert m, "the rate cell holds a formula"
    members[part] = set_cells(xml, {ref: '<c r="{r}" s="1" t="str">' + m.group(1).decode().replace("{", "{{")
                                          .replace("}", "}}") + "<v>#HACK!</v></c>"})


def _big_text(n_bytes: int) -> str:
    # Seeded CJK text: compresses about 2:1, so no zip-bomb ratio, yet n_bytes in one cell.
    rnd = random.Random(20241201)
    return "".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(n_bytes // 3))


def _form_builders() -> list[tuple[Case, Callable[[], bytes | None]]]:
    """One odd template per item of issue 21 (built lazily, like the others)."""

    def form(name, description, build, expect=()):
        return (Case(name, None, description, kind="form", expect=tuple(expect)), build)

    control = "单位\x01名称\x1f_x0001_ _xFFFE_ _xFFFF_ \x7f"
    markup = "[/] [/b] [bold red]正宁县[/bold red] [link=file:///etc/passwd]x[/link] [ \\[/i]"
    L_text = lambda: _layout()

    return [
        # dates where numbers belong
        form("date_full_year.xlsx", "全年预算数设成日期格式 / full-year budget formatted as a date",
             lambda: edit_form(_form_cells(lambda: {_budget("full_year"): '<c r="{r}" s="{s}"><v>1745.81</v></c>'},
                                           date_style=14)), ["PE604"]),
        form("date_year.xlsx", "年度设成日期格式 / the year formatted as a date",
             lambda: edit_form(_form_cells(lambda: {_layout()[1].year: '<c r="{r}" s="{s}"><v>2023</v></c>'},
                                           date_style=14)), ["PE604"]),
        form("date_chinese_builtin.xlsx", "中文内置日期格式 31（未声明）/ zh-CN built-in date id 31",
             lambda: edit_form(_form_cells(lambda: {_budget("actual"): '<c r="{r}" s="{s}"><v>1745.81</v></c>'},
                                           date_style=31)), ["PE604"]),
        form("date_iso_cell.xlsx", 't="d" 的 ISO 日期单元格 / an ISO 8601 date cell in a money cell',
             lambda: edit_form(_form_cells(lambda: {_budget("full_year"): '<c r="{r}" t="d"><v>2023-05-01T00:00:00</v></c>'})),
             ["PE604"]),
        form("date_iso_garbage.xlsx", 't="d" 但内容不是日期 / t="d" holding no date',
             lambda: edit_form(_form_cells(lambda: {_budget("full_year"): '<c r="{r}" t="d"><v>去年五月</v></c>'})),
             ["PE604"]),
        form("date_huge_serial.xlsx", "日期格式的超大序列号 / a date serial of 1e12",
             lambda: edit_form(_form_cells(lambda: {_budget("full_year"): '<c r="{r}" s="{s}"><v>1e12</v></c>'},
                                           date_style=14)), ["PE604"]),
        form("date_negative_serial.xlsx", "日期格式的负数 / a negative date serial",
             lambda: edit_form(_form_cells(lambda: {_budget("actual"): '<c r="{r}" s="{s}"><v>-5</v></c>'},
                                           date_style=22)), ["PE604"]),
        # numbers that are none
        *[form(f"v_{label}.xlsx", f"数字单元格的 <v> 是 {v} / non-numeric <v> {v}",
               (lambda v=v: edit_form(_form_cells(lambda: {_budget("full_year"): _number(v)}))), ["PE604"])
          for label, v in (("nan", "NaN"), ("inf", "INF"), ("hex", "0x1A"), ("overflow", "1e999"))],
        form("v_nan_fallback.xlsx", "openpyxl 回退路径上的 NaN（样式序号无效迫使回退）/ NaN on the fallback path",
             lambda: edit_form(_form_cells(lambda: {_budget("full_year"): _number("NaN"),
                                                    _budget("initial"): _number("5", ' s="x"')}))),
        form("text_1e1000000.xlsx", "金额栏填文字 1e1000000 / the text 1e1000000 in a money cell",
             lambda: edit_form(_form_cells(lambda: {_budget("full_year"): _inline("1e1000000")})), ["PE604"]),
        form("max_double.xlsx", "最大的双精度数 1.7976931348623157e308 / the largest double, twice",
             lambda: edit_form(_form_cells(lambda: {_budget("full_year", 1): _number("1.7976931348623157e308"),
                                                    _budget("full_year", 2): _number("1.7976931348623157e308"),
                                                    _budget("actual", 1): _number("1.7976931348623157e308")}))),
        # text
        form("text_control_chars.xlsx", "控制字符与 U+FFFE/U+FFFF（_x0001_ 转义）/ control characters",
             lambda: edit_form(_form_cells(lambda: {L_text()[1].name: _inline(control),
                                                    _first_indicator("level3"): _inline(control),
                                                    _first_indicator("target"): _inline("≥95%" + control)}))),
        form("text_lone_surrogate.xlsx", "孤立代理项 _xD800_ / a lone surrogate",
             lambda: edit_form(_form_cells(lambda: {L_text()[1].name: _inline("正宁_xD800_县 _xDFFF_ _xD83D__xDE00_"),
                                                    _first_indicator("reason"): _inline("_xDC00_原因")}))),
        form("text_rich_markup.xlsx", "用户文字里的 rich 标记 [/] [/b] / rich markup in user text",
             lambda: edit_form(_form_cells(lambda: {L_text()[1].name: _inline(markup),
                                                    _first_indicator("level3"): _inline(markup),
                                                    _budget("full_year"): _inline("[/b]")})), ["PE604"]),
        form("[-b] 标记[/b]文件名 [/].xlsx".replace("[-b]", "[b]"), "文件名里的 rich 标记 / markup in the file name",
             lambda: template_bytes()),
        form("text_long_name.xlsx", "超过 255 字的单位名称 / a 300-character 单位名称",
             lambda: edit_form(_form_cells(lambda: {L_text()[1].name: _inline("正宁县人社局" * 50)}))),
        form("text_10mb_cell.xlsx", "一个单元格里 10 MB 文字 / 10 MB in one cell",
             lambda: edit_form(_form_cells(lambda: {L_text()[1].other_notes: _inline(_big_text(10 << 20))}))),
        # XML the direct reader must read as real tools write it
        form("strict_ooxml.xlsx", "Strict OOXML 命名空间 / strict OOXML namespaces", lambda: edit_form(_all_parts(_strict))),
        form("utf16_parts.xlsx", "UTF-16 编码的工作表部件 / UTF-16 worksheet parts", lambda: edit_form(_all_parts(_utf16))),
        form("prefixed_ns.xlsx", "带前缀的命名空间（x:c）/ prefixed namespace", lambda: edit_form(_all_parts(_prefixed))),
        form("cdata_comments.xlsx", "文字中的 CDATA 和注释 / CDATA and comments inside text",
             lambda: edit_form(_cdata_and_comments)),
        form("sst_latin1.xlsx", "声明为 ISO-8859-1 的共享字符串 / sharedStrings declared ISO-8859-1",
             lambda: edit_form(_latin1_shared_strings)),
        form("ext_without_uri.xlsx", "没有 uri 的 <ext> / an <ext> without uri",
             lambda: edit_form(_ext_without_uri)),
        form("hidden_form_sheet.xlsx", "自评表被隐藏 / the form sheet hidden", lambda: edit_form(_sheet_state("hidden"))),
        form("very_hidden_form_sheet.xlsx", "自评表被深度隐藏 / the form sheet very hidden",
             lambda: edit_form(_sheet_state("veryHidden"))),
        # profiles named by the workbook
        form("profile_long_name.xlsx", "配置!B4 超过 255 字 / a 300-character profile name",
             lambda: edit_form(_profile("p" * 300)), ["PE921"]),
        form("profile_unknown.xlsx", "配置!B4 是未知规则 / an unknown profile", lambda: edit_form(_profile("甘肃省2099")),
             ["PE921"]),
        form("profile_traversal.xlsx", "配置!B4 指向磁盘上的 .toml / ../ in the profile name",
             lambda: edit_form(_profile("../../../../../../tmp/perfeval-evil.toml")), ["PE921"]),
        # cached results
        form("cached_hack_string.xlsx", "公式的缓存结果是字符串 #HACK! / a cached string that looks like an error",
             lambda: edit_form(_cached_string_that_looks_like_an_error)),
    ]


def list_cases() -> list[Case]:
    """The cases without building anything (for test parametrisation)."""
    return [case for case, _ in _builders(b"")] + [case for case, _ in _form_builders()]


def generate(out_dir: Path) -> list[Case]:
    """Write every case into ``out_dir`` and return the list."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = valid_xlsx_bytes()
    result = []
    for case, build in [*_builders(base), *_form_builders()]:
        target = out_dir / case.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if case.name == "文件夹.xlsx":
            target.mkdir(exist_ok=True)
        elif case.name == "不存在.xlsx":
            if target.exists():
                target.unlink()
        else:
            data = build()
            assert data is not None
            if target.exists():
                os.chmod(target, 0o644)
            target.write_bytes(data)
            if case.requires_non_root:
                os.chmod(target, 0)
        result.append(case)
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python generate.py OUTDIR", file=sys.stderr)
        return 2
    for case in generate(Path(argv[1])):
        print(f"{case.code or 'OK   '}  {case.name}  — {case.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
