"""Shared pieces for the tests of the non-.xlsx readers."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
DOCUMENTS = DATA / "documents"
CONVERTED = DATA / "converted"
SEED_XLSX = DATA / "legacy" / "zhengning-rsj-2023.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_SOFFICE = "LibreOffice (soffice) is not installed: this case needs a conversion it cannot make"


def build_module():
    spec = importlib.util.spec_from_file_location("perfeval_documents_build", DOCUMENTS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def indicator_of(finding) -> str:
    """The indicator a finding names (「…」 in its message), or "" for a form-level finding."""
    message = finding.message
    if "「" in message and "」" in message:
        return message.split("「", 1)[1].split("」", 1)[0]
    return ""


def code_and_indicator(findings) -> list[tuple[str, str]]:
    return sorted((f.code, indicator_of(f)) for f in findings)


@pytest.fixture(scope="session")
def seed_workbook():
    from perfeval.loader import load_form

    return load_form(SEED_XLSX)
