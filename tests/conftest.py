from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (DATA / "seed-zhengning-rsj-2023.txt").read_text(encoding="utf-8")


def seed_indicator_rows(text: str) -> list[list[str]]:
    """The indicator rows of the seed's 自评表 as (…names, target, actual, weight, score)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("一级指标\t二级指标"))
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("合计"):
            break
        fields = [f.strip() for f in line.split("\t") if f.strip()]
        if len(fields) >= 5:
            rows.append(fields)
    return rows
