"""Which reader a file goes to, decided by its bytes, and that reader's grids through the importer.

The bureau receives .xlsx, but also Excel 97–2003 .xls, WPS .et, LibreOffice .ods, and the
自评报告 itself as .docx / .doc / .pdf with the 自评表 as a table at the end. `sniff` names what a
file is (a .xls that is really an .xlsx, a .docx called .doc …); `import_other` reads a format
other than .xlsx into grids (and a document's narrative) and hands them to the one importer
(`workbook.legacy_import.import_grids`), so every format is mapped, checked and located alike.
`loader._read` is the only caller.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .core.errors import PerfevalError
from .core.findings import Finding, Severity
from .core.model import Form

__all__ = ["sniff", "import_other", "OTHER_FORMATS", "DOCUMENT_FORMATS", "WORKBOOK_SUFFIXES",
           "FORM_SUFFIXES", "format_title"]

#: Formats read here rather than by the .xlsx reader.
OTHER_FORMATS = ("xls", "ods", "xml2003", "docx", "doc", "pdf", "html", "encrypted", "odt", "et")
#: Formats that are documents, not workbooks (no --annotate, no export by the template).
DOCUMENT_FORMATS = ("docx", "doc", "pdf", "html")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
#: What a folder yields in a batch.
FORM_SUFFIXES = (*WORKBOOK_SUFFIXES, ".docx", ".doc", ".wps", ".pdf")

_TITLES = {"xlsx": "Excel 工作簿", "xls": "Excel 97-2003 工作簿", "et": "WPS 表格文件", "ods": "OpenDocument 电子表格",
           "docx": "Word 文档", "doc": "Word 97-2003 文档", "pdf": "PDF 文档", "html": "网页（HTML）文件",
           "xml2003": "Excel 2003 XML 表格"}


def format_title(kind: str) -> str:
    return _TITLES.get(kind, kind)


def sniff(path: Path) -> tuple[str, bytes | None]:
    """(format, the bytes read) — "" for anything the .xlsx reader should judge (an .xlsx, or a
    file it refuses with its own message), with no bytes when the file cannot even be read."""
    from .workbook.safe_open import InputFileError, read_input_file, sniff_format

    try:
        data = read_input_file(path)
    except InputFileError:
        return "", None
    kind = sniff_format(data)
    if kind == "xlsx":
        return "", data
    if kind == "" and path.suffix.lower() in (".et", ".ett"):
        return "et", data  # not BIFF inside: a WPS format no library reads
    if kind == "":
        from .documents.html_grid import looks_like_html
        from .workbook.xml2003_grid import looks_like_xml2003

        if looks_like_html(data):
            return "html", data  # a budget system's "xls" export
        if looks_like_xml2003(data):
            return "xml2003", data  # another one
    return kind, data


def import_other(path: Path, kind: str, data: bytes, *, sheet: str | None = None):
    """The ImportResult of a file in one of OTHER_FORMATS; an unreadable one has a fatal problem."""
    from .workbook.legacy_import import ImportResult

    try:
        return _import(path, kind, data, sheet)
    except PerfevalError as exc:
        finding = exc.finding
        if not finding.file:
            finding = finding.model_copy(update={"file": str(path)})
        return ImportResult(form=Form(source=path.name), problems=[finding])


def _import(path: Path, kind: str, data: bytes, sheet: str | None):
    from .workbook.legacy_import import import_grids
    from .workbook.safe_open import encrypted_detail

    if kind == "encrypted":
        raise PerfevalError("PE905", f"文件「{path.name}」{encrypted_detail(path)}。", file=path.name)
    if kind == "et":
        from .workbook.xls_grid import wps_resave_hint

        raise PerfevalError("PE917", f"文件「{path.name}」是 WPS 表格专用格式（.et），本工具无法读取。"
                                     f"{wps_resave_hint()}。", file=path.name)
    if kind == "odt":
        raise PerfevalError("PE914", f"文件「{path.name}」是 OpenDocument 文本（.odt），本工具不能读取。"
                                     "请在 WPS 或 LibreOffice 中打开后“另存为”Word 文档（*.docx）再试。", file=path.name)
    if kind == "xls":
        from .workbook.xls_grid import grids_from_xls

        return import_grids(grids_from_xls(path, data), path, sheet=sheet)
    if kind == "xml2003":
        from .workbook.xml2003_grid import grids_from_xml2003

        return import_grids(grids_from_xml2003(path, data), path, sheet=sheet)
    if kind == "ods":
        from .workbook.ods_grid import grids_from_ods
        from .workbook.safe_open import check_package_bytes

        check_package_bytes(path, data)
        return import_grids(grids_from_ods(path, data), path, sheet=sheet)
    if kind == "doc":
        return _import_document(path, _doc_to_docx(path, data), "docx", sheet, shown_as="doc")
    if kind in ("docx", "pdf", "html"):
        if kind == "docx":
            from .workbook.safe_open import check_package_bytes

            check_package_bytes(path, data)
        return _import_document(path, data, kind, sheet)
    raise PerfevalError("PE914", f"文件「{path.name}」的格式不受支持。", file=path.name)


def _import_document(path: Path, data: bytes, kind: str, sheet: str | None, shown_as: str = ""):
    from .documents.narrative import narrative_from_paragraphs
    from .workbook.legacy_import import ImportResult, import_grids

    if kind == "docx":
        from .documents.docx_grid import content_from_docx

        content = content_from_docx(path, data)
    elif kind == "html":
        from .documents.html_grid import content_from_html

        content = content_from_html(path, data)
    else:
        from .documents.pdf_grid import content_from_pdf

        content = content_from_pdf(path, data)
    embedded = _embedded_workbooks(path, data) if kind == "docx" else []
    if not content.tables and not embedded:
        what = format_title(shown_as or kind)
        hint = ("若自评表是图片或扫描件，请改为报送 Word/Excel 原文件。" if kind == "pdf" else
                "请把自评表作为表格附在报告之后（不要粘贴为图片），或另行报送 Excel 自评表。")
        return ImportResult(form=Form(source=path.name), problems=[Finding(
            code="PE801", severity=Severity.ERROR, file=str(path),
            message=f"{what}「{path.name}」中没有表格，找不到自评表。{hint}")])
    result = import_grids([*content.tables, *embedded], path, sheet=sheet)
    chosen = next((t for t in content.tables if t.name == result.sheet), None)
    stop = _first_caption(chosen)
    paragraphs = content.paragraphs
    if stop is not None:
        paragraphs = paragraphs[:next((i for i, p in enumerate(paragraphs) if p.name == stop), len(paragraphs))]
    narrative = narrative_from_paragraphs(paragraphs)
    if narrative.sections:
        form = result.form.model_copy(update={"narrative": narrative})
        result = result.model_copy(update={"form": form})
    return result


def _embedded_workbooks(path: Path, data: bytes) -> list:
    """Sheets of Excel workbooks embedded in a Word report (a 自评表 pasted as an Excel object
    shows as a picture in Word; the workbook itself is in word/embeddings/). Each is checked
    like any workbook first; one that cannot be read is left out (the document's own tables
    are still read)."""
    import io
    import zipfile

    from .workbook.grid import SheetGrid
    from .workbook.safe_open import InputFileError, check_workbook_bytes, ensure_defused_xml, sniff_format

    out: list[SheetGrid] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [i for i in zf.infolist() if i.filename.startswith("word/embeddings/")
                       and i.file_size <= 20 * 1024 * 1024][:20]
            blobs = [(Path(i.filename).name, zf.read(i)) for i in members]
    except Exception:  # noqa: BLE001 - the package passed its checks; a damaged member is skipped
        return out
    for n, (name, blob) in enumerate(blobs, 1):
        kind = sniff_format(blob)
        try:
            if kind == "xlsx":
                import openpyxl

                from .workbook.grid import grids_from_openpyxl

                ensure_defused_xml()
                check_workbook_bytes(Path(name), blob)
                values = openpyxl.load_workbook(io.BytesIO(blob), data_only=True)
                formulas = openpyxl.load_workbook(io.BytesIO(blob))
                grids = grids_from_openpyxl(values, formulas)
            elif kind == "xls":
                from .workbook.xls_grid import grids_from_xls

                grids = grids_from_xls(Path(name), blob)
            else:
                continue
        except (InputFileError, PerfevalError, Exception):  # noqa: BLE001 - see docstring
            continue
        for g in grids:
            out.append(SheetGrid(name=f"嵌入的工作簿{n}·{g.name}", cells=g.cells, merges=g.merges))
    return out


def _first_caption(table) -> str | None:
    """The paragraph where the form's table begins (its title above it): the report ends there."""
    if table is None:
        return None
    above = sorted((row, name) for row, name in table.outside.items() if row <= 0)
    if not above:
        return None
    return above[0][1].split("（")[0]


# ------------------------------------------------------------------------------------- .doc


_DOC_TIMEOUT = 120.0


def _doc_to_docx(path: Path, data: bytes) -> bytes:
    """A Word 97-2003 .doc is converted by LibreOffice, when installed (no Python library reads
    .doc); otherwise the clerk is told how to save it as .docx."""
    resave = "请在 Word 或 WPS 中打开后“另存为”Word 文档（*.docx）再试"
    if _doc_encrypted(data):
        from .workbook.safe_open import encrypted_detail

        raise PerfevalError("PE905", f"文件「{path.name}」{encrypted_detail(path)}。", file=path.name)
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise PerfevalError("PE914", f"文件「{path.name}」是旧版 Word 97-2003 文档（.doc），读取它需要 LibreOffice，"
                                     f"本机未安装。{resave}。", file=path.name)
    with tempfile.TemporaryDirectory(prefix="perfeval-doc-") as tmp:
        work = Path(tmp)
        source = work / "input.doc"
        source.write_bytes(data)
        out = work / "out"
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
               "--nologo", "--norestore", "--nodefault", "--convert-to", "docx", "--outdir", str(out),
               str(source)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL, start_new_session=(os.name == "posix"))
        try:
            proc.wait(timeout=_DOC_TIMEOUT)
        except subprocess.TimeoutExpired:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.wait()
            raise PerfevalError("PE914", f"文件「{path.name}」（Word 97-2003 .doc）转换超时。{resave}。",
                                file=path.name) from None
        made = out / "input.docx"
        if proc.returncode != 0 or not made.is_file():
            raise PerfevalError("PE914", f"文件「{path.name}」（Word 97-2003 .doc）无法转换，可能已损坏或加密。"
                                         f"{resave}。", file=path.name)
        return made.read_bytes()


def _doc_encrypted(data: bytes) -> bool:
    """The FIB's fEncrypted bit (MS-DOC 2.5.1), when olefile is there to find the stream."""
    try:
        import io

        import olefile
    except ImportError:
        return False
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists("WordDocument"):
                return False
            fib = ole.openstream("WordDocument").read(12)
    except Exception:  # noqa: BLE001 - a damaged file: the conversion reports it
        return False
    return len(fib) >= 12 and bool(int.from_bytes(fib[10:12], "little") & 0x0100)
