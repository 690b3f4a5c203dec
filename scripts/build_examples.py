"""Regenerate the bundled example workbook and the blank templates from code.

    python scripts/build_examples.py

CI checks that the committed files are exactly what this script makes.
"""

from __future__ import annotations

from pathlib import Path

from perfeval.core.model import FormKind
from perfeval.example_data import zhengning_2023
from perfeval.workbook.template import build_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "正宁县人社局-2023-整体支出绩效自评表.xlsx"
BLANK_DEPARTMENT = ROOT / "workbook_templates" / "部门整体支出绩效自评表.xlsx"
BLANK_PROJECT = ROOT / "workbook_templates" / "项目支出绩效自评表.xlsx"


def outputs() -> dict[Path, bytes]:
    return {
        EXAMPLE: build_workbook(zhengning_2023()),
        BLANK_DEPARTMENT: build_workbook(kind=FormKind.DEPARTMENT),
        BLANK_PROJECT: build_workbook(kind=FormKind.PROJECT),
    }


def main() -> None:
    for path, data in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
