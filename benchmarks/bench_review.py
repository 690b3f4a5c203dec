"""perfeval review against its anchor: reading the same batch (load_forms), measured in one run.

    python benchmarks/bench_review.py [--n 300]

The forms are bench.py's generated ones (fixed seed): they take their names and targets from the
seed's, so they share many rows — a worst case for the review, which reports every shared row
pair by pair. Prints the analysis time as a ratio of the loading time; target ≤ 0.25.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench  # noqa: E402

from perfeval.loader import load_forms  # noqa: E402
from perfeval.review import review_batch  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-review-") as tmp:
        paths = bench.generate(n, Path(tmp), 2)
        t0 = time.perf_counter()
        loaded = list(load_forms(paths, jobs=1))
        t1 = time.perf_counter()
        result = review_batch(loaded)
        t2 = time.perf_counter()
        with_last = review_batch(loaded, loaded[: n // 2])
        t3 = time.perf_counter()
    load, rev, yoy = t1 - t0, t2 - t1, t3 - t2
    print(f"读取 {n} 份（load_forms，jobs=1，锚点）：{load:.2f} s（{load / n * 1000:.1f} ms/份）")
    print(f"复核比对（review_batch）：{rev:.2f} s，{rev / load:.2f}× 锚点（目标 ≤ 0.25×），{len(result.findings)} 条问题")
    print(f"复核比对 + 上年对比（{n // 2} 份上年表）：{yoy:.2f} s，{yoy / load:.2f}× 锚点，{len(with_last.findings)} 条问题")


if __name__ == "__main__":
    main()
