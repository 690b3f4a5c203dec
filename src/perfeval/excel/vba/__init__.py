"""Write VBA projects (vbaProject.bin) from text sources, without Office."""

from perfeval.excel.vba.cfb import CompoundFileError, build_compound_file
from perfeval.excel.vba.ovba_compress import IncompressibleChunkError, compress, decompress
from perfeval.excel.vba.project import (
    DEFAULT_REFERENCES,
    WORKBOOK_MODULE_NAME,
    ModuleKind,
    VbaModule,
    VbaReference,
    build_vba_project,
    project_id_for,
    read_dir_records,
    stored_source,
    workbook_document_modules,
)

__all__ = [
    "CompoundFileError",
    "DEFAULT_REFERENCES",
    "IncompressibleChunkError",
    "ModuleKind",
    "VbaModule",
    "VbaReference",
    "WORKBOOK_MODULE_NAME",
    "build_compound_file",
    "build_vba_project",
    "compress",
    "decompress",
    "project_id_for",
    "read_dir_records",
    "stored_source",
    "workbook_document_modules",
]
