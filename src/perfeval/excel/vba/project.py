"""Build a source-only VBA project (vbaProject.bin) from module texts.

The project carries no compiled code: `_VBA_PROJECT` declares version 0xFFFF
and every module's PerformanceCache is empty (MODULEOFFSET 0), so Office
compiles the project from source when it opens the file.  This is how the
add-ins shipped with xlwings are stored, and what LibreOffice writes.

Layout (MS-OVBA 2.2):
    PROJECT            project properties as text (MS-OVBA 2.3.1)
    PROJECTwm          module names in MBCS and UTF-16 (MS-OVBA 2.3.3)
    VBA/_VBA_PROJECT   version-independent header (MS-OVBA 2.3.4.1)
    VBA/dir            compressed project information records (MS-OVBA 2.3.4.2)
    VBA/<module>       compressed module source (MS-OVBA 2.3.4.3)
"""

from __future__ import annotations

import codecs
import re
import struct
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from perfeval.excel.vba.cfb import build_compound_file
from perfeval.excel.vba.ovba_compress import IncompressibleChunkError, compress

__all__ = [
    "ModuleKind",
    "VbaModule",
    "VbaReference",
    "DEFAULT_REFERENCES",
    "WORKBOOK_MODULE_NAME",
    "build_vba_project",
    "stored_source",
    "workbook_document_modules",
    "project_id_for",
    "encrypt_project_property",
    "decrypt_project_property",
    "read_dir_records",
]

ModuleKind = Literal["standard", "document"]

WORKBOOK_MODULE_NAME = "ThisWorkbook"

# VB_Base names the type library class a document module extends: the Excel
# Workbook and Worksheet classes.  Values as Excel stores them.
_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_VB_NAME_LINE = re.compile(r'Attribute VB_Name = "([^"]*)"\Z')
_DOCUMENT_HEADER_ATTRIBUTE = re.compile(
    r"Attribute VB_(Name|Base|GlobalNameSpace|Creatable|PredeclaredId|Exposed"
    r"|TemplateDerived|Customizable) = "
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _split_lines(text: str) -> list[str]:
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _check_ascii(module_name: str, source: str) -> None:
    if source.isascii():
        return
    for number, line in enumerate(_split_lines(source), start=1):
        if not line.isascii():
            offending = next(ch for ch in line if not ch.isascii())
            raise ValueError(
                f"VBA module {module_name!r}: line {number} contains the non-ASCII character "
                f"U+{ord(offending):04X}; VBA sources must be ASCII (build other characters "
                f"with ChrW): {ascii(line)}"
            )


@dataclass(frozen=True)
class VbaModule:
    """One VBA module: its name, its source text and its kind.

    `source` may start with the header the VBA editor writes when exporting
    (`Attribute VB_Name = "..."`; for document modules also the
    `VERSION 1.0 CLASS` / `BEGIN`...`END` block and the module attributes);
    that header is dropped and re-emitted the way Office stores it, see
    `stored_source`.  Document modules are the workbook (`ThisWorkbook`) and
    the worksheets; any other document module name is taken as a worksheet.
    """

    name: str
    source: str
    kind: ModuleKind = "standard"

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.name):
            raise ValueError(
                f"invalid VBA module name {self.name!r}: use a letter followed by up to 30 "
                "letters, digits or underscores"
            )
        if self.name.lower() == "dir":
            raise ValueError(
                "a VBA module cannot be named 'dir': its stream would clash with VBA/dir"
            )
        if self.kind not in ("standard", "document"):
            raise ValueError(f"VBA module {self.name!r}: unknown kind {self.kind!r}")
        _check_ascii(self.name, self.source)
        self.body()  # reject a header naming another module now, not at build time

    @classmethod
    def from_file(cls, path: str | Path, kind: ModuleKind = "standard") -> VbaModule:
        """Read an exported module (.bas, or .cls for document modules).

        The module name comes from the `Attribute VB_Name` line, or from the
        file name when that line is missing.
        """
        path = Path(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as error:
            line_number = raw.count(b"\n", 0, error.start) + 1
            raise ValueError(
                f"VBA source file {path}: line {line_number} is not ASCII "
                f"(byte 0x{raw[error.start]:02X}); VBA sources must be ASCII "
                "(build other characters with ChrW)"
            ) from None
        name = path.stem
        for line in _split_lines(text):
            match = _VB_NAME_LINE.match(line)
            if match:
                name = match.group(1)
                break
            in_class_header = line.startswith(("VERSION ", "  ")) or line in ("BEGIN", "END")
            if not in_class_header:
                break
        return cls(name=name, source=text, kind=kind)

    def body(self) -> str:
        """The module text without its exported header, with CRLF line ends.

        Every line ends with CRLF, including the last one; an empty source
        gives an empty body.
        """
        lines = _split_lines(self.source)
        start = 0
        if self.kind == "document" and lines and lines[0].startswith("VERSION "):
            # Class header of an exported .cls: VERSION line, BEGIN ... END.
            try:
                start = lines.index("END") + 1
            except ValueError:
                raise ValueError(
                    f"VBA module {self.name!r}: exported class header has no END line"
                ) from None
        while start < len(lines):
            line = lines[start]
            match = _VB_NAME_LINE.match(line)
            if match:
                if match.group(1) != self.name:
                    raise ValueError(
                        f"VBA module {self.name!r}: its source declares "
                        f'Attribute VB_Name = "{match.group(1)}"'
                    )
            elif not (self.kind == "document" and _DOCUMENT_HEADER_ATTRIBUTE.match(line)):
                break
            start += 1
        return "".join(line + "\r\n" for line in lines[start:])


@dataclass(frozen=True)
class VbaReference:
    """A registered type library reference (REFERENCEREGISTERED, MS-OVBA 2.3.4.2.2.5).

    `libid` is the LibidReference text: *\\G{typelib GUID}#version#lcid#path#description.
    Office resolves the library by GUID and version; the path is only a hint.
    """

    name: str
    libid: str


# The two references every new Excel project gets.  The libid texts are the
# ones Excel writes (the Office one is copied from xlwings'
# quickstart_addin_ribbon.xlam); `Office` is needed for IRibbonControl.
DEFAULT_REFERENCES: tuple[VbaReference, ...] = (
    VbaReference(
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
        r"#OLE Automation",
    ),
    VbaReference(
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files (x86)\Common Files"
        r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)


def stored_source(module: VbaModule) -> str:
    """The exact text Office keeps in the module stream for `module`.

    A standard module is `Attribute VB_Name = "<name>"` CRLF followed by the
    body.  A document module has the eight attribute lines the VBA editor
    writes for a workbook or worksheet (VB_Name, VB_Base, VB_GlobalNameSpace,
    VB_Creatable, VB_PredeclaredId, VB_Exposed, VB_TemplateDerived,
    VB_Customizable) before the body.
    """
    header = [f'Attribute VB_Name = "{module.name}"']
    if module.kind == "document":
        base = _WORKBOOK_BASE if module.name == WORKBOOK_MODULE_NAME else _WORKSHEET_BASE
        header += [
            f'Attribute VB_Base = "{base}"',
            "Attribute VB_GlobalNameSpace = False",
            "Attribute VB_Creatable = False",
            "Attribute VB_PredeclaredId = True",
            "Attribute VB_Exposed = True",
            "Attribute VB_TemplateDerived = False",
            "Attribute VB_Customizable = True",
        ]
    return "".join(line + "\r\n" for line in header) + module.body()


def workbook_document_modules(
    sheet_count: int, sources: Mapping[str, str] | None = None
) -> list[VbaModule]:
    """`ThisWorkbook` plus `Sheet1`..`SheetN`, the document modules of a workbook.

    The names match the code names `build_macro_package` gives the workbook
    and its sheets (in workbook order).  `sources` optionally holds event code
    by module name.
    """
    sources = dict(sources or {})
    names = [WORKBOOK_MODULE_NAME] + [f"Sheet{index}" for index in range(1, sheet_count + 1)]
    unknown = sorted(set(sources) - set(names))
    if unknown:
        raise ValueError(f"sources given for unknown document modules: {unknown}")
    return [VbaModule(name, sources.get(name, ""), "document") for name in names]


def project_id_for(project_name: str) -> uuid.UUID:
    """A stable project GUID derived from the project name."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:perfeval:vba-project:{project_name}")


# --- PROJECT stream -----------------------------------------------------------

# Seed and ignored bytes for the CMG/DPB/GC encryption (MS-OVBA 2.4.3).  The
# spec lets both be arbitrary; fixing them keeps builds reproducible.  These
# are the values in the Excel-written reference (quickstart_addin_ribbon.xlam),
# so with that file's project ID we reproduce its three strings exactly.
_ENCRYPTION_SEED = 0x5D
_ENCRYPTION_IGNORED = bytes([0x9B, 0xFF])
# Decrypted property values of an unprotected, visible project.
_PROTECTION_STATE_NONE = struct.pack("<I", 0)  # CMG: no user/host/VBE protection
_PASSWORD_NONE = b"\x00"  # DPB: a single NUL means "no password"
_VISIBILITY_VISIBLE = b"\xff"  # GC: project is visible

_HOST_EXTENDER_VBE = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"


def _project_key(project_id: str) -> int:
    return sum(map(ord, project_id)) & 0xFF


def encrypt_project_property(
    data: bytes,
    project_id: str,
    seed: int = _ENCRYPTION_SEED,
    ignored: bytes = _ENCRYPTION_IGNORED,
) -> str:
    """MS-OVBA 2.4.3.2 Data Encryption, as the hex text of a CMG/DPB/GC value.

    `project_id` is the ID text of the PROJECT stream including braces.
    """
    if len(ignored) != (seed & 6) // 2:
        raise ValueError(f"seed 0x{seed:02X} needs {(seed & 6) // 2} ignored bytes")
    project_key = _project_key(project_id)
    version_enc = seed ^ 2
    project_key_enc = seed ^ project_key
    out = [seed, version_enc, project_key_enc]
    unencrypted_1, encrypted_1, encrypted_2 = project_key, project_key_enc, version_enc
    for byte in ignored + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return bytes(out).hex().upper()


def decrypt_project_property(text: str) -> tuple[int, bytes]:
    """MS-OVBA 2.4.3.3 Data Decryption: returns (project key, data)."""
    raw = bytes.fromhex(text)
    seed, version_enc, project_key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError(f"unsupported encryption version {seed ^ version_enc}")
    project_key = seed ^ project_key_enc
    unencrypted_1, encrypted_1, encrypted_2 = project_key, project_key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    ignored_length = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, ignored_length)[0]
    data = bytes(plain[ignored_length + 4 :])
    if len(data) != length:
        raise ValueError(f"encrypted data declares {length} bytes but holds {len(data)}")
    return project_key, data


def _project_stream(
    modules: Sequence[VbaModule], project_name: str, project_id: str, encoding: str
) -> bytes:
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        # The value Office writes for projects saved by VBA 6 and later.
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt_project_property(_PROTECTION_STATE_NONE, project_id)}"',
        f'DPB="{encrypt_project_property(_PASSWORD_NONE, project_id)}"',
        f'GC="{encrypt_project_property(_VISIBILITY_VISIBLE, project_id)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER_VBE,
        "",
        "[Workspace]",
    ]
    # Window state "0, 0, 0, 0, C": the module's code window is closed.
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    # Office ends the stream with an empty line after the workspace records.
    lines.append("")
    return "".join(line + "\r\n" for line in lines).encode(encoding)


def _projectwm_stream(modules: Sequence[VbaModule], encoding: str) -> bytes:
    out = bytearray()
    for module in modules:
        out += module.name.encode(encoding) + b"\x00"
        out += module.name.encode("utf-16-le") + b"\x00\x00"
    out += b"\x00\x00"
    return bytes(out)


# --- dir stream ---------------------------------------------------------------


def _record(record_id: int, data: bytes = b"") -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _u16(value: int) -> bytes:
    return struct.pack("<H", value)


def _u32(value: int) -> bytes:
    return struct.pack("<I", value)


_SYSKIND_WIN32 = 1
# PROJECTVERSION is the project's own version number, not a format version;
# these are the values LibreOffice writes for source-only projects, which
# Excel accepts.
_PROJECT_VERSION_MAJOR = 1467127224
_PROJECT_VERSION_MINOR = 5
_COOKIE = 0xFFFF  # PROJECTCOOKIE / MODULECOOKIE: "MUST be ignored on read"


def _dir_stream(
    modules: Sequence[VbaModule],
    project_name: str,
    references: Iterable[VbaReference],
    encoding: str,
    codepage: int,
    lcid: int,
) -> bytes:
    out = bytearray()
    # PROJECTINFORMATION (2.3.4.2.1)
    out += _record(0x0001, _u32(_SYSKIND_WIN32))  # PROJECTSYSKIND
    out += _record(0x0002, _u32(lcid))  # PROJECTLCID
    out += _record(0x0014, _u32(lcid))  # PROJECTLCIDINVOKE
    out += _record(0x0003, _u16(codepage))  # PROJECTCODEPAGE
    out += _record(0x0004, project_name.encode(encoding))  # PROJECTNAME
    out += _record(0x0005) + _record(0x0040)  # PROJECTDOCSTRING + unicode
    out += _record(0x0006) + _record(0x003D)  # PROJECTHELPFILEPATH 1 + 2
    out += _record(0x0007, _u32(0))  # PROJECTHELPCONTEXT
    out += _record(0x0008, _u32(0))  # PROJECTLIBFLAGS
    # PROJECTVERSION: its "size" field is a Reserved 4 followed by 6 bytes.
    out += _u16(0x0009) + _u32(4) + _u32(_PROJECT_VERSION_MAJOR) + _u16(_PROJECT_VERSION_MINOR)
    out += _record(0x000C) + _record(0x003C)  # PROJECTCONSTANTS + unicode
    # PROJECTREFERENCES (2.3.4.2.2)
    for reference in references:
        out += _record(0x0016, reference.name.encode(encoding))  # REFERENCENAME
        out += _record(0x003E, reference.name.encode("utf-16-le"))
        libid = reference.libid.encode(encoding)
        out += _record(0x000D, _u32(len(libid)) + libid + _u32(0) + _u16(0))  # REFERENCEREGISTERED
    # PROJECTMODULES (2.3.4.2.3)
    out += _record(0x000F, _u16(len(modules)))
    out += _record(0x0013, _u16(_COOKIE))  # PROJECTCOOKIE
    for module in modules:
        name = module.name.encode(encoding)
        name_unicode = module.name.encode("utf-16-le")
        out += _record(0x0019, name)  # MODULENAME
        out += _record(0x0047, name_unicode)  # MODULENAMEUNICODE
        out += _record(0x001A, name) + _record(0x0032, name_unicode)  # MODULESTREAMNAME
        out += _record(0x001C) + _record(0x0048)  # MODULEDOCSTRING + unicode
        out += _record(0x0031, _u32(0))  # MODULEOFFSET: no performance cache
        out += _record(0x001E, _u32(0))  # MODULEHELPCONTEXT
        out += _record(0x002C, _u16(_COOKIE))  # MODULECOOKIE
        out += _record(0x0021 if module.kind == "standard" else 0x0022)  # MODULETYPE
        out += _record(0x002B)  # module Terminator
    out += _record(0x0010)  # dir stream Terminator
    return bytes(out)


def read_dir_records(dir_data: bytes) -> list[tuple[int, bytes]]:
    """Split a decompressed `dir` stream into (record id, payload) pairs.

    The "Reserved + Unicode" halves of two-part records (for example 0x0040
    after PROJECTDOCSTRING) come out as records of their own.
    """
    records = []
    position = 0
    while position < len(dir_data):
        if position + 6 > len(dir_data):
            raise ValueError(f"truncated dir record header at byte {position}")
        record_id, size = struct.unpack_from("<HI", dir_data, position)
        if record_id == 0x0009:
            size = 6  # PROJECTVERSION: the size field is a constant 4, six bytes follow
        end = position + 6 + size
        if end > len(dir_data):
            raise ValueError(f"dir record 0x{record_id:04X} at byte {position} runs past the end")
        records.append((record_id, bytes(dir_data[position + 6 : end])))
        position = end
    return records


# --- the project ----------------------------------------------------------------


def _ordered_modules(modules: Sequence[VbaModule]) -> list[VbaModule]:
    """ThisWorkbook first, then the others by case-insensitive name, as Excel writes them."""
    return sorted(
        modules, key=lambda m: (m.name != WORKBOOK_MODULE_NAME, m.name.lower(), m.name)
    )


def build_vba_project(
    modules: Sequence[VbaModule],
    project_name: str = "VBAProject",
    codepage: int = 1252,
    *,
    project_id: uuid.UUID | None = None,
    references: Sequence[VbaReference] = DEFAULT_REFERENCES,
    lcid: int = 0x0409,
) -> bytes:
    """Build the bytes of a vbaProject.bin holding `modules` as source code.

    The output depends only on the arguments.  `project_id` defaults to a GUID
    derived from `project_name`.  Raises ValueError for invalid or duplicate
    names, an unknown code page, or module text that cannot be stored.
    """
    if not _IDENTIFIER.match(project_name):
        raise ValueError(
            f"invalid VBA project name {project_name!r}: use a letter followed by up to 30 "
            "letters, digits or underscores"
        )
    try:
        encoding = codecs.lookup(f"cp{codepage}").name
    except LookupError:
        raise ValueError(f"unknown code page {codepage}") from None
    seen: dict[str, str] = {project_name.lower(): f"the project name {project_name!r}"}
    for module in modules:
        clash = seen.get(module.name.lower())
        if clash:
            raise ValueError(f"VBA module name {module.name!r} clashes with {clash}")
        seen[module.name.lower()] = f"module {module.name!r}"

    ordered = _ordered_modules(modules)
    project_id_text = "{" + str(project_id or project_id_for(project_name)).upper() + "}"

    streams: dict[str, bytes] = {
        "PROJECT": _project_stream(ordered, project_name, project_id_text, encoding),
        "PROJECTwm": _projectwm_stream(ordered, encoding),
        # Reserved1 0x61CC, Version 0xFFFF (no compiled code: recompile from
        # source), Reserved2 0x00, Reserved3 (ignored on read).
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000),
        "VBA/dir": compress(
            _dir_stream(ordered, project_name, references, encoding, codepage, lcid)
        ),
    }
    for module in ordered:
        text = stored_source(module).encode(encoding)
        try:
            streams[f"VBA/{module.name}"] = compress(text, allow_raw_chunks=False)
        except IncompressibleChunkError as error:
            raise ValueError(f"VBA module {module.name!r}: {error}") from None
    return build_compound_file(streams)
