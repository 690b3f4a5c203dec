"""The narrative 自评报告: compose from the form (pure), render as .docx, export to PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compose import ReportDoc, ReportRefused, compose_opinions, compose_report
from .docx_writer import render_docx
from .pdf import PdfConversionFailed, PdfUnavailable, convert_to_pdf

__all__ = [
    "PdfConversionFailed",
    "PdfUnavailable",
    "ReportDoc",
    "ReportRefused",
    "build_opinions",
    "build_report",
    "compose_opinions",
    "compose_report",
    "convert_to_pdf",
    "render_docx",
]


if TYPE_CHECKING:
    from ..loader import Loaded


def build_report(loaded: Loaded, *, draft: bool = False) -> bytes:
    """The .docx bytes of the report of a loaded form.

    A form with errors is refused (`ReportRefused`, PE950) unless ``draft``: then the report
    carries “草稿” in its header and every finding as a comment.
    """
    if loaded.evaluation is None:
        raise ReportRefused(f"「{loaded.source}」无法读取，不能生成报告。")
    return render_docx(compose_report(loaded.form, loaded.evaluation, loaded.findings,
                                      profile=loaded.profile, draft=draft))


def build_opinions(loaded: Loaded) -> bytes:
    """The .docx bytes of the 校验意见: the findings as a document of their own."""
    return render_docx(compose_opinions(loaded.form, loaded.findings))
