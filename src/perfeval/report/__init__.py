"""The narrative 自评报告: compose from the form (pure), render as .docx, export to PDF."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.evaluate import evaluate
from ..core.findings import Finding
from ..core.model import Form
from ..core.profiles import Profile
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


def build_report(form: Form, profile: Profile, findings: Sequence[Finding] = (),
                 strict: bool = False) -> bytes:
    """The .docx bytes of the report of `form` scored under `profile`."""
    return render_docx(compose_report(form, evaluate(form, profile), findings, strict=strict))
