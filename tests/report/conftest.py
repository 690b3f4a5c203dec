"""Shared fixtures of the report tests: the seed and a clean form, read back from their workbooks
(so that findings carry cell addresses the comments can be anchored on), and their reports."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx
import pytest

from perfeval.example_data import zhengning_2023
from perfeval.loader import Loaded, load_form
from perfeval.report import build_report, compose_report
from perfeval.report.compose import ReportDoc
from perfeval.workbook.template import build_workbook
from tests.checks.clean_form import workbook_bytes


@pytest.fixture(scope="session")
def seed_path(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("seed") / "正宁县人社局-2023-自评表.xlsx"
    p.write_bytes(build_workbook(zhengning_2023()))
    return p


@pytest.fixture(scope="session")
def seed_loaded(seed_path) -> Loaded:
    return load_form(seed_path)


@pytest.fixture(scope="session")
def seed_form(seed_loaded):
    return seed_loaded.form


@pytest.fixture(scope="session")
def seed_evaluation(seed_loaded):
    return seed_loaded.evaluation


@pytest.fixture(scope="session")
def seed_draft(seed_loaded) -> ReportDoc:
    return compose_report(seed_loaded.form, seed_loaded.evaluation, seed_loaded.findings,
                          profile=seed_loaded.profile, draft=True)


@pytest.fixture(scope="session")
def seed_docx(seed_loaded) -> bytes:
    return build_report(seed_loaded, draft=True)


@pytest.fixture(scope="session")
def clean_loaded(tmp_path_factory) -> Loaded:
    p = tmp_path_factory.mktemp("clean") / "测试县人社局-2023-自评表.xlsx"
    p.write_bytes(workbook_bytes())
    return load_form(p)


@pytest.fixture(scope="session")
def clean_docx(clean_loaded) -> bytes:
    return build_report(clean_loaded)


def open_docx(data: bytes):
    return docx.Document(BytesIO(data))


def document_texts(document) -> list[str]:
    """Every paragraph of the body and every table cell, in order (merged cells once)."""
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                out.append(cell.text)
    return out


def body_texts(doc: ReportDoc) -> list[str]:
    """The report's own text: title, headings and paragraphs before the attachment."""
    from perfeval.report.compose import Heading, Paragraph

    out = list(doc.title_lines) + [doc.recipient, doc.issuer, doc.date_text]
    out += [b.text for b in doc.blocks if isinstance(b, Heading | Paragraph)]
    return out
