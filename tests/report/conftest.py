"""Shared fixtures of the report tests: the seed form, its evaluation and its rendered report."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest

from perfeval.core.evaluate import Evaluation, evaluate
from perfeval.core.model import Form
from perfeval.core.profiles import load_profile
from perfeval.example_data import zhengning_2023
from perfeval.report import compose_report, render_docx


@pytest.fixture(scope="session")
def seed_form() -> Form:
    return zhengning_2023()


@pytest.fixture(scope="session")
def seed_evaluation(seed_form: Form) -> Evaluation:
    return evaluate(seed_form, load_profile(seed_form.profile_name))


@pytest.fixture(scope="session")
def seed_docx(seed_form: Form, seed_evaluation: Evaluation) -> bytes:
    return render_docx(compose_report(seed_form, seed_evaluation))


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
