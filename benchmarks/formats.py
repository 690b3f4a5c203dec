"""Reading the same form in each format, as a ratio to reading its .xlsx in the same run.

    python benchmarks/formats.py [--rounds 5]

The seed form (tests/data/legacy/zhengning-rsj-2023.xlsx) and its committed copies — .xls and
.ods (tests/data/converted/), the seed report as .docx, .pdf and .doc (tests/data/documents/) —
each go through `loader.load_form` (sniff, read, import, evaluate, check). The anchor is the
.xlsx, timed in the same run; every row is the best of N rounds and its ratio to the anchor.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DATA = ROOT / "tests" / "data"
FILES = {
    "xlsx（基准）": DATA / "legacy" / "zhengning-rsj-2023.xlsx",
    "xls": DATA / "converted" / "zhengning-rsj-2023.xls",
    "ods": DATA / "converted" / "zhengning-rsj-2023.ods",
    "docx（报告 + 表格）": DATA / "documents" / "zhengning-rsj-2023.docx",
    "pdf（9 页）": DATA / "documents" / "zhengning-rsj-2023.pdf",
    "doc（经 LibreOffice 转换）": DATA / "documents" / "zhengning-rsj-2023.doc",
}


def best(path: Path, rounds: int) -> float:
    from perfeval.loader import load_form

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        loaded = load_form(path)
        times.append(time.perf_counter() - start)
        assert loaded.fatal is None, loaded.fatal
    return min(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    from perfeval.loader import load_form

    load_form(FILES["xlsx（基准）"])  # imports and caches out of the measurement
    anchor = best(FILES["xlsx（基准）"], args.rounds)
    print(f"| 格式 | load_form（{args.rounds} 次最好值） | ÷ xlsx |\n|---|---|---|")
    for name, path in FILES.items():
        if name.startswith("doc（") and shutil.which("soffice") is None:
            print(f"| {name} | （未安装 LibreOffice，跳过） | |")
            continue
        t = anchor if path == FILES["xlsx（基准）"] else best(path, 1 if name.startswith("doc（") else args.rounds)
        print(f"| {name} | {t * 1000:.1f} ms | {t / anchor:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
