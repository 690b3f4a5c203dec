"""The narrative 自评报告: compose from the form (pure), render as .docx, export to PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compose import ReportDoc, ReportRefused, compose_report
from .docx_writer import render_docx
from .pdf import PdfConversionFailed, PdfUnavailable, convert_to_pdf

__all__ = [
    "PdfConversionFailed",
    "PdfUnavailable",
    "ReportDoc",
    "ReportRefused",
    "build_report",
    "compose_report",
    "convert_to_pdf",
    "render_docx",
]


if TYPE_CHECKING:
    from ..loader import Loaded


def build_report(loaded: Loaded, *, strict: bool = False) -> bytes:
    """The .docx bytes of the report of a loaded form (its evaluation and findings)."""
    if loaded.evaluation is None:
        raise ReportRefused(f"「{loaded.source}」无法读取，不能生成报告。")
    return render_docx(compose_report(loaded.form, loaded.evaluation, loaded.findings, strict=strict))
