"""Regenerate docs/sample-report-page1.png and -page2.png: the seed report as LibreOffice prints it.

    python scripts/render_sample_report.py [--dpi 60] [--pages 2]

Needs LibreOffice (soffice) and poppler's pdftoppm; on Debian/Ubuntu:
apt-get install --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk poppler-utils
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from perfeval.core.profiles import load_profile
from perfeval.example_data import zhengning_2023
from perfeval.report import PdfUnavailable, build_report, convert_to_pdf

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把样例自评报告渲染为 PNG（LibreOffice → PDF → PNG）")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--pages", type=int, default=2, help="渲染前几页")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args(argv)

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("未找到 pdftoppm（poppler-utils），无法把 PDF 转为 PNG。", file=sys.stderr)
        return 2
    form = zhengning_2023()
    data = build_report(form, load_profile(form.profile_name))
    with tempfile.TemporaryDirectory(prefix="perfeval-sample-") as tmp_name:
        tmp = Path(tmp_name)
        docx = tmp / "sample-report.docx"
        docx.write_bytes(data)
        try:
            pdf = convert_to_pdf(docx, tmp)
        except PdfUnavailable as exc:
            print(exc, file=sys.stderr)
            return 2
        subprocess.run([pdftoppm, "-png", "-r", str(args.dpi), "-f", "1", "-l", str(args.pages),
                        str(pdf), str(tmp / "page")], check=True, timeout=120)
        # pdftoppm pads page numbers to the width of the page count: page-1 or page-01.
        pngs = sorted(tmp.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        args.out.mkdir(parents=True, exist_ok=True)
        for n, png in enumerate(pngs, 1):
            target = args.out / f"sample-report-page{n}.png"
            shutil.copyfile(png, target)
            print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
