"""How fast is perfeval on a bureau's day of work? Prints a table; not a test.

    python benchmarks/bench.py [--n 1000] [--units 500] [--quick] [--no-profile] [--read-only] [--only-consolidation]

Generates N realistic forms (seeded, so every run sees the same files), then measures side by
side: the bare openpyxl load of the same files (the floor), our read + validate, report
generation (beside python-docx's empty document, its floor), consolidation of 50 units, the
consolidation of 500 unit files against the batch validate of the same files (its anchor), the
batch with 1 and 2 processes, one worksheet function
call, CLI start and the batch's peak memory. Each target is shown beside its measurement; for a
missed target the slow path is profiled (cProfile, top 15 by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

import openpyxl

from perfeval.core.model import (
    BudgetRow,
    BudgetRowKind,
    Deduction,
    Form,
    FormKind,
    Indicator,
    Narrative,
    Value,
)
from perfeval.core.profiles import load_profile
from perfeval.example_data import SEED_INDICATORS, narrative_material
from perfeval.workbook.template import build_workbook

PROFILE = load_profile("gansu-department")
D = Decimal

# ---------------------------------------------------------------------------------------------
# realistic forms

COUNTIES = ["正宁", "宁县", "合水", "华池", "环县", "庆城", "镇原", "西峰", "泾川", "灵台", "崇信", "华亭"]
DEPARTMENTS = ["人力资源和社会保障局", "教育局", "卫生健康局", "农业农村局", "交通运输局", "民政局", "文化和旅游局",
               "自然资源局", "生态环境分局", "水务局", "林业和草原局", "市场监督管理局", "财政局", "审计局",
               "统计局", "应急管理局", "医疗保障局", "乡村振兴局", "住房和城乡建设局", "司法局"]
TOPICS = ["就业技能培训", "城乡居民养老保险参保", "劳动保障监察", "义务教育控辍保学", "学前教育", "医疗救助",
          "高标准农田建设", "农村公路养护", "环境空气质量监测", "送戏下乡", "林草防火巡护", "食品安全抽检",
          "临时救助", "困难群众慰问", "城镇老旧小区改造", "公共法律服务", "安全生产检查", "家庭医生签约",
          "村级公益性岗位", "政务服务事项网办"]
# (一级, profile 分值) for the department form, 预算执行率 being the budget block.
LEVELS = [("部门管理", 20), ("履职效果", 50), ("能力建设", 10), ("服务对象满意度", 10)]
SEED_BY_LEVEL: dict[str, list[tuple]] = {}
_current = ""
for _row in SEED_INDICATORS:
    _current = _row[0] or _current
    SEED_BY_LEVEL.setdefault(_current, []).append(_row)


def _pct(x: float) -> Decimal:
    return D(str(round(x, 4)))


def _generated_indicator(rnd: random.Random, level: str) -> tuple[str, str, str, object, bool, str | None]:
    """(二级, 三级, 年度指标值, 实际完成值, percent_format, 偏差原因) of a made-up indicator."""
    topic = rnd.choice(TOPICS)
    second = {"部门管理": rnd.choice(["资金投入", "财务管理", "资产管理", "重点工作管理"]),
              "履职效果": rnd.choice(["部门履职目标", "部门效果目标", "社会影响"]),
              "能力建设": rnd.choice(["人力资源建设", "档案管理", "信息化建设"]),
              "服务对象满意度": "服务对象满意度"}[level]
    shape = rnd.choice(["count", "percent", "percent", "qualitative", "money", "days", "reverse"])
    miss = rnd.random() < 0.15
    reason = "受项目进度影响，下年度加快推进" if miss and rnd.random() < 0.6 else None
    if level == "服务对象满意度":
        shape = "percent"
    if shape == "count":
        n = rnd.choice([20, 50, 100, 200, 500, 1200, 3000])
        actual = int(n * (rnd.uniform(0.7, 0.98) if miss else rnd.uniform(1.0, 1.25)))
        return second, f"{topic}人数", f"≥{n}人", actual, False, reason
    if shape == "percent":
        p = rnd.choice([80, 85, 90, 95, 98, 100])
        a = p / 100 * rnd.uniform(0.8, 0.99) if miss else rnd.uniform(p, 100) / 100
        name = f"{topic}满意度" if level == "服务对象满意度" else f"{topic}完成率"
        return second, name, rnd.choice([f"≥{p}%", f"达{p}%以上", f"不低于{p}%"]), _pct(a), True, reason
    if shape == "qualitative":
        a = rnd.uniform(0.6, 0.85) if miss else rnd.uniform(0.85, 1.0)
        return second, f"{topic}工作成效", rnd.choice(["成效明显", "有效提升服务水平", "按计划推进"]), _pct(a), True, reason
    if shape == "money":
        x = rnd.choice([50, 120, 300, 800])
        a = D(str(round(x * (rnd.uniform(0.7, 0.95) if miss else rnd.uniform(1.0, 1.1)), 2)))
        return second, f"{topic}资金发放", f"≥{x}万元", a, False, reason
    if shape == "days":
        d = rnd.choice([3, 5, 7, 15, 30])
        a = d + rnd.randint(1, 3) if miss else rnd.randint(1, d)
        return second, f"{topic}办结时限", f"≤{d}天", a, False, reason
    return second, f"{topic}投诉率", "≤5%", _pct(rnd.uniform(0.06, 0.09) if miss else rnd.uniform(0, 0.05)), True, reason


def _weights(total: int, k: int) -> list[Decimal]:
    base = (D(total) / k).quantize(D("0.01"))
    out = [base] * k
    out[-1] = D(total) - base * (k - 1)
    return out


def make_form(rnd: random.Random, index: int) -> Form:
    n = rnd.randint(10, 60)
    counts = {name: max(1, round(n * w / 90)) for name, w in LEVELS}
    while sum(counts.values()) > 60:
        counts["履职效果"] -= 1
    rows: list[Indicator] = []
    injected = []
    for level, level_weight in LEVELS:
        k = counts[level]
        weights = _weights(level_weight, k)
        seed_rows = list(SEED_BY_LEVEL.get(level, []))
        rnd.shuffle(seed_rows)
        prev_second = None
        for i in range(k):
            if seed_rows and rnd.random() < 0.35:
                _, second, name, target, actual, _, _ = seed_rows.pop()
                second = second or "综合"
                actual_v = D(str(actual)) if isinstance(actual, (int, float)) else actual
                pct, reason = isinstance(actual, (int, float)), None
            else:
                second, name, target, actual_v, pct, reason = _generated_indicator(rnd, level)
            rows.append(Indicator(
                row=len(rows), level1=Value(raw=level if i == 0 else None),
                level2=Value(raw=second if second != prev_second else None), level3=Value(raw=name),
                target=Value(raw=target), actual=Value(raw=actual_v, percent_format=pct),
                weight=Value(raw=weights[i]), reason=Value(raw=reason),
            ))
            prev_second = second

    def inject(what: str, p: float) -> bool:
        hit = rnd.random() < p
        if hit:
            injected.append(what)
        return hit

    if inject("score_above_weight", 0.10):
        i = rnd.randrange(len(rows))
        rows[i] = rows[i].model_copy(update={"score": Value(raw=rows[i].weight.number + 1)})
    if inject("missing_target", 0.10):
        i = rnd.randrange(len(rows))
        rows[i] = rows[i].model_copy(update={"target": Value(raw=rnd.choice([None, "≤", "达到"]))})
    if inject("actual_as_target", 0.08):
        i = rnd.randrange(len(rows))
        rows[i] = rows[i].model_copy(update={"actual": Value(raw="≥95%")})

    full = D(str(round(rnd.uniform(200, 20000), 2)))
    basic_full = (full * D(str(round(rnd.uniform(0.3, 0.7), 2)))).quantize(D("0.01"))
    initial = (full * D(str(round(rnd.uniform(0.7, 1.0), 2)))).quantize(D("0.01"))
    basic_initial = min(basic_full, initial)
    actual = (full * D(str(round(rnd.uniform(0.85, 1.0), 3)))).quantize(D("0.01"))
    basic_actual = min(basic_full, actual)
    stale = inject("stale_rate", 0.15) and initial != full
    rate = Value(raw=(actual / initial).quantize(D("0.01")), percent_format=True) if stale else Value()
    exec_score = Value(raw=D(8)) if inject("stale_exec_score", 0.10) else Value()
    project_actual = actual - basic_actual + (D(10) if inject("rows_do_not_add_up", 0.05) else 0)
    budget = (
        BudgetRow(kind=BudgetRowKind.TOTAL, label=Value(raw="全年支出"), initial=Value(raw=initial),
                  full_year=Value(raw=full), actual=Value(raw=actual), stated_rate=rate,
                  weight=Value(raw=D(10)), score=exec_score),
        BudgetRow(kind=BudgetRowKind.BASIC, label=Value(raw="其中：基本支出"), initial=Value(raw=basic_initial),
                  full_year=Value(raw=basic_full), actual=Value(raw=basic_actual), weight=Value(raw="-")),
        BudgetRow(kind=BudgetRowKind.PROJECT, label=Value(raw="项目支出"), initial=Value(raw=initial - basic_initial),
                  full_year=Value(raw=full - basic_full), actual=Value(raw=project_actual), weight=Value(raw="-")),
    )
    deductions = ()
    if inject("deduction", 0.05):
        deductions = (Deduction(row=0, source=Value(raw="审计"), description=Value(raw="审计发现的往来款清理不及时"),
                                amount=Value(raw=D("12.5")), points=Value(raw=D(1))),)
    narrative = Narrative()
    if rnd.random() < 0.5:
        narrative = Narrative(sections={k: Value(raw=v) for k, v in narrative_material().items()})
    name = f"{rnd.choice(COUNTIES)}县{rnd.choice(DEPARTMENTS)}"
    return Form(
        kind=FormKind.DEPARTMENT, source=f"{index:04d}.xlsx", year=Value(raw=D(2023)), name=Value(raw=name),
        budget=budget, goals_expected=Value(raw="完成年度重点工作任务，保障机构正常运转。"),
        goals_actual=Value(raw="年度重点工作任务全面完成。"), indicators=tuple(rows), deductions=deductions,
        stated_total_score=Value(raw=D(100)) if inject("stale_total", 0.10) else Value(),
        other_notes=Value(raw="无"), narrative=narrative, profile_name=PROFILE.name,
    )


def make_units(rnd: random.Random, n: int) -> list[tuple[str, Form]]:
    """n subordinate units of one department: one template, their own budgets and results."""
    base = make_form(rnd, 0)
    while len(base.filled_indicators) < 40:
        base = make_form(rnd, 0)
    units = []
    for i in range(n):
        k = D(str(round(rnd.uniform(0.05, 0.5), 3)))
        budget = tuple(r.model_copy(update={
            f: Value(raw=(getattr(r, f).number * k).quantize(D("0.01")))
            for f in ("initial", "full_year", "actual") if getattr(r, f).number is not None}) for r in base.budget)
        inds = []
        # Only a row that carries no 一级/二级 name, so the rows below keep theirs.
        plain = [i.row for i in base.indicators if i.level1.is_blank and i.level2.is_blank]
        drop = rnd.choice(plain) if plain and rnd.random() < 0.2 else None
        for ind in base.indicators:
            if drop is not None and ind.row == drop:  # now and then a unit lacks an indicator
                continue
            raw = ind.actual.raw
            if isinstance(raw, Decimal) and ind.actual.percent_format:
                raw = _pct(min(1.2, max(0.0, float(raw) * rnd.uniform(0.9, 1.05))))
            elif isinstance(raw, (int, Decimal)):
                raw = int(raw * k * 10) if isinstance(raw, int) else (raw * k).quantize(D("0.01"))
            inds.append(ind.model_copy(update={"actual": Value(raw=raw, percent_format=ind.actual.percent_format),
                                               "score": Value()}))
        name = f"{base.name.text}下属{i + 1:02d}单位"
        units.append((name, base.model_copy(update={"name": Value(raw=name), "budget": budget,
                                                   "indicators": tuple(inds), "source": f"u{i:02d}.xlsx"})))
    return units


def parallel_capacity() -> float:
    """Throughput of 2 pure-Python processes at once, relative to one (1.0 = no gain, 2.0 = ideal)."""
    code = "import time\nt=time.perf_counter()\nx=0\nfor i in range(10_000_000): x+=i\nprint(time.perf_counter()-t)"
    alone = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    both = max(float(pr.communicate()[0]) for pr in procs)
    return 2 * alone / both


def _write_one(args: tuple[Form, str]) -> None:
    form, path = args
    Path(path).write_bytes(build_workbook(form, PROFILE, keep_stated=True))


def generate(n: int, folder: Path, jobs: int) -> list[Path]:
    rnd = random.Random(2024)
    forms = [make_form(rnd, i) for i in range(n)]
    paths = [folder / f"{i:04d}.xlsx" for i in range(n)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_write_one, [(f, str(p)) for f, p in zip(forms, paths)], chunksize=8))
    return paths


# ---------------------------------------------------------------------------------------------
# measurements


def _clock(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def empty_docx() -> None:
    """The floor of any report: python-docx opening its default template and saving it."""
    import docx

    docx.Document().save(io.BytesIO())


def bare_load(paths: list[Path]) -> None:
    for p in paths:
        openpyxl.load_workbook(p).close()


def read_and_validate(paths: list[Path]) -> list:
    from perfeval.checks import check_form
    from perfeval.workbook.reader import read_form

    out = []
    for p in paths:
        form, problems = read_form(p)
        out.append((form, check_form(form, PROFILE, problems=problems)))
    return out


def profile_top(fn, label: str, limit: int = 15) -> str:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("cumulative").print_stats(limit)
    return f"### {label}\n\n```\n{buf.getvalue().strip()}\n```\n"


def batch_in_subprocess(folder: Path, jobs: int) -> dict:
    """Time validate_many in a fresh interpreter, so its peak memory is the batch's own.

    Peak memory is VmHWM from /proc: Linux carries ru_maxrss across fork+exec, so a child of
    this (large) process would report our peak instead of its own.
    """
    code = (
        "import json, resource, time\n"
        "from perfeval.batch import validate_many\n"
        "def hwm():\n"
        "    try:\n"
        "        for line in open('/proc/self/status'):\n"
        "            if line.startswith('VmHWM:'): return int(line.split()[1])\n"
        "    except OSError: pass\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"t = time.perf_counter(); r = validate_many([{str(folder)!r}], jobs={jobs})\n"
        "dt = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': dt, 'files': len(r), 'unreadable': sum(not x.readable for x in r),"
        " 'maxrss_kb': hwm(),"
        " 'children_maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def generate_units(n: int, folder: Path, jobs: int) -> float:
    """n unit files of one department (make_units), built in a pool; the seconds it took."""
    t = time.perf_counter()
    units = make_units(random.Random(2026), n)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_write_one, [(form, str(folder / f"u{i:04d}.xlsx")) for i, (_, form) in enumerate(units)],
                      chunksize=8))
    return time.perf_counter() - t


_PEAK = (
    "import json, resource, time\n"
    "def hwm():\n"
    "    try:\n"
    "        for line in open('/proc/self/status'):\n"
    "            if line.startswith('VmHWM:'): return int(line.split()[1])\n"
    "    except OSError: pass\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "def cpu():\n"
    "    return sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)"
    " for f in ('ru_utime', 'ru_stime'))\n"
)


def consolidation_vs_batch(folder: Path, jobs: int, repeat: int = 2) -> tuple[dict, dict]:
    """The batch validate of the folder (the anchor) and the consolidation of the same files — the
    first file as the 本级, the folder as its units — each in a fresh interpreter, so that each
    peak is its own."""
    files = sorted(folder.glob("*.xlsx"))
    anchor_code = _PEAK + (
        "from perfeval.batch import validate_many\n"
        f"t = time.perf_counter(); r = validate_many([{str(folder)!r}], jobs={jobs}); dt = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': dt, 'files': len(r), 'maxrss_kb': hwm(), 'cpu': cpu()}))\n")
    out = folder.parent / (folder.name + "-汇总.xlsx")
    cons_code = _PEAK + (
        "import os\n"
        "from perfeval.consolidate import consolidate_files\n"
        f"t = time.perf_counter(); r = consolidate_files({str(files[0])!r}, [{str(folder)!r}], {str(out)!r}, "
        f"force=True, jobs={jobs}); dt = time.perf_counter() - t\n"
        "res = r.result\n"
        "print(json.dumps({'seconds': dt, 'units': len(res.units), 'indicators': len(res.indicators),"
        " 'detail_rows': sum(max(1, len(i.contributions)) for i in res.indicators),"
        f" 'bytes': os.path.getsize({str(out)!r}), 'maxrss_kb': hwm(), 'cpu': cpu(),"
        " 'children_maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n")
    runs: dict[str, list[dict]] = {"anchor": [], "consolidate": []}
    # Interleaved and repeated, the best of each kept: on a shared machine a burst of load during
    # one run would otherwise decide the ratio.
    for _ in range(repeat):
        for key, code in (("anchor", anchor_code), ("consolidate", cons_code)):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            runs[key].append(json.loads(done.stdout.strip().splitlines()[-1]))
    out.unlink(missing_ok=True)
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    for k, v in runs.items():
        best[k]["all_seconds"] = [r["seconds"] for r in v]
    return best["anchor"], best["consolidate"]


def consolidation_rows(table: Table, tmp: Path, n_units: int, cpus: int) -> None:
    """The large consolidation against the batch validate of the same files, in the same run."""
    big = tmp.parent / (tmp.name + f"-units{n_units}")
    big.mkdir(exist_ok=True)
    try:
        gen_s = generate_units(n_units, big, max(1, cpus))
        table.add(f"生成 {n_units} 个单位文件（make_units + build_workbook，{cpus} 进程）", f"{gen_s:.1f} s")
        anchor, cons = consolidation_vs_batch(big, jobs=min(2, cpus))
    finally:
        shutil.rmtree(big, ignore_errors=True)
    ratio = cons["seconds"] / anchor["seconds"]
    def runs(r: dict) -> str:
        return "、".join(f"{x:.1f}" for x in r["all_seconds"])

    table.add(f"批量校验同一批 {n_units} 个文件，jobs=2（锚点，{len(anchor['all_seconds'])} 次取最快）",
              f"{anchor['seconds']:.1f} s（{runs(anchor)}）", "（参考）", f"峰值 {anchor['maxrss_kb'] / 1024:.0f} MB")
    target_s = 10 * n_units / 500
    table.add(f"汇总 {n_units} 个文件（consolidate 本级 + 文件夹，jobs=2，与锚点交替）",
              f"{cons['seconds']:.1f} s（{runs(cons)}）",
              f"≤ 1.5 × 批量校验，≤ {target_s:g} s",
              verdict(ratio <= 1.5 and cons["seconds"] <= target_s,
                      f"{ratio:.2f}× 批量校验；{cons['seconds'] / target_s:.2f}× 目标"), "consolidate")
    table.add("　CPU 时间（主进程 + 工作进程，含启动；负载高时比墙钟稳定）",
              f"汇总 {cons['cpu']:.1f} s / 批量校验 {anchor['cpu']:.1f} s", "",
              f"{cons['cpu'] / anchor['cpu']:.2f}×")
    peak = cons["maxrss_kb"] / 1024
    table.add(f"汇总 {n_units} 个文件的峰值内存（主进程 VmHWM / 工作进程最大）",
              f"{peak:.0f} MB / {cons['children_maxrss_kb'] / 1024:.0f} MB", "主进程 ≤ 250 MB",
              verdict(peak <= 250, f"{peak / 250:.2f}× 目标"), "consolidate")
    table.add("　其中汇总结果", f"{cons['units']} 份计入，{cons['indicators']} 个指标，{cons['detail_rows']} 行明细，"
                           f"输出 {cons['bytes'] / 1024 / 1024:.1f} MB")


def cli_start() -> tuple[float | None, str]:
    exe = shutil.which("perfeval") or str(Path(sys.executable).with_name("perfeval"))
    if not Path(exe).exists():
        return None, "n/a (CLI not installed)"
    times = []
    for _ in range(5):
        t = time.perf_counter()
        done = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            return None, f"n/a (perfeval --version exited {done.returncode})"
    return statistics.median(times), ""


def machine() -> str:
    def run(cmd: str) -> str:
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    return "\n".join([
        f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"python: {platform.python_version()} ({platform.python_implementation()}), openpyxl {openpyxl.__version__}",
        f"nproc: {run('nproc')}",
        run("lscpu | head -n 15"),
    ])


# ---------------------------------------------------------------------------------------------


def udf_call_sites(data: bytes) -> dict[str, int]:
    """Worksheet-function calls (Excel → Python round trips) per full recalculation of a
    workbook, counted statically: every call of one of our functions in every formula cell,
    an array formula once (one call fills its range). An upper bound: a guard such as
    IF(blank,"",…) can skip a call, never add one."""
    import collections
    import io
    import re

    from openpyxl.worksheet.formula import ArrayFormula

    from perfeval.core.cellfunctions import FUNCTIONS

    call = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(sorted(FUNCTIONS, key=len, reverse=True)) + r")\(")
    counts: collections.Counter[str] = collections.Counter()
    wb = openpyxl.load_workbook(io.BytesIO(data))  # shared formulas come back one per cell
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                text = c.value.text if isinstance(c.value, ArrayFormula) else c.value
                if isinstance(text, str) and text.startswith("="):
                    counts.update(call.findall(re.sub(r'"(?:[^"]|"")*"', '""', text)))
    return dict(counts)


def _call_sites_text(counts: dict[str, int]) -> str:
    return f"{sum(counts.values())}（" + "、".join(f"{k} {v}" for k, v in sorted(counts.items())) + "）"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.missed: list[str] = []

    def add(self, what: str, result: str, target: str = "", verdict: str = "", key: str = "") -> None:
        self.rows.append((what, result, target, verdict))
        if verdict.startswith("未达标") and key:
            self.missed.append(key)

    def render(self) -> str:
        head = ("测量", "结果", "目标", "比值 / 判定")
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def verdict(ok: bool, ratio: str = "") -> str:
    return ("达标" if ok else "未达标") + (f"（{ratio}）" if ratio else "")

# ---------------------------------------------------------------------------------------------
# the read path (issue 19): every figure a ratio to an anchor measured in the same run


def _median_alternating(commands: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Median wall time of each command, run in turns (a, b, a, b …) so drift hits all alike."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(rounds):
        for key, cmd in commands.items():
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            times[key].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


def _best(fn, number: int, repeat: int = 5) -> float:
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def _with_rows(data: bytes, rows: int) -> bytes:
    """The template with `rows` more filled rows on the 自评表 below the form (12 cells each)."""
    import re
    import zipfile

    from perfeval.workbook.package_xml import normalize_package, sheet_part_names
    from perfeval.workbook.template import build_workbook  # noqa: F401 (same package writer)

    zf = zipfile.ZipFile(io.BytesIO(data))
    part = sheet_part_names(zf)["自评表"]
    xml = zf.read(part).decode("utf-8")
    last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
    cols = "ABCDEFGHIJKL"
    extra = []
    for r in range(last + 1, last + 1 + rows):
        cells = "".join(
            f'<c r="{c}{r}" t="inlineStr"><is><t>第{r}行指标名称{c}</t></is></c>' if i % 3 == 0 else
            f'<c r="{c}{r}"><v>{r * 7 + i}.25</v></c>' for i, c in enumerate(cols))
        extra.append(f'<row r="{r}">{cells}</row>')
    xml = xml.replace("</sheetData>", "".join(extra) + "</sheetData>", 1)
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:L{last + rows}"/>', xml, count=1)
    return normalize_package(data, {part: xml.encode("utf-8")})


def read_path(table: Table, profiles: list[str], folder: Path, *, no_profile: bool, quick: bool) -> None:
    import tracemalloc

    from perfeval.example_data import zhengning_2023
    from perfeval.loader import load_form

    example = folder / "正宁县人社局-2023-整体支出绩效自评表.xlsx"
    example.write_bytes(build_workbook(zhengning_2023()))
    rounds = 5 if quick else 11

    # 1. whole processes: validate against a bare openpyxl load; --version against python itself.
    # Byte-code compiled first, as `pip install` does for perfeval and did for openpyxl: with
    # PYTHONDONTWRITEBYTECODE set (or an editable install never imported yet) every run would
    # compile perfeval's sources again, a cost no installed copy pays.
    import compileall

    import perfeval

    compileall.compile_dir(str(Path(perfeval.__file__).parent), quiet=1)
    exe = shutil.which("perfeval") or str(Path(sys.executable).with_name("perfeval"))
    procs = _median_alternating({
        "openpyxl": [sys.executable, "-c", f"import openpyxl; openpyxl.load_workbook({str(example)!r})"],
        "validate": [exe, "validate", str(example), "--format", "json"],
        "pass": [sys.executable, "-c", "pass"],
        "version": [exe, "--version"],
    }, rounds)
    r = procs["validate"] / procs["openpyxl"]
    table.add("进程：python -c 'import openpyxl; load_workbook(示例)'（锚点）", f"{procs['openpyxl'] * 1000:.0f} ms")
    table.add("进程：perfeval validate 示例 --format json", f"{procs['validate'] * 1000:.0f} ms",
              "≤ 1.0 × openpyxl 进程", verdict(r <= 1.0, f"{r:.2f}×"), "proc")
    r = procs["version"] / procs["pass"]
    table.add("进程：python -c pass（锚点）", f"{procs['pass'] * 1000:.0f} ms")
    table.add("进程：perfeval --version", f"{procs['version'] * 1000:.0f} ms", "≤ 3 × python -c pass",
              verdict(r <= 3.0, f"{r:.2f}×"), "version")

    # 2. in process: read + validate against python-calamine reading every sheet's values.
    data = example.read_bytes()
    try:
        import python_calamine
    except ImportError:
        python_calamine = None
    ours = _best(lambda: load_form(example), 20 if quick else 50)
    if python_calamine is None:
        table.add("进程内：python-calamine 读取各表的值（锚点）", "n/a（pip install python-calamine）")
    else:
        def calamine():
            wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()

        cal = _best(calamine, 20 if quick else 50)
        r = ours / cal
        table.add("进程内：python-calamine 读取各表的值（锚点）", f"{cal * 1000:.2f} ms")
        table.add("进程内：读取 + 校验（load_form，示例）", f"{ours * 1000:.2f} ms", "≤ 5 × calamine",
                  verdict(r <= 5.0, f"{r:.2f}×"), "inproc")
    opx = _best(lambda: openpyxl.load_workbook(io.BytesIO(data)), 5 if quick else 10)
    table.add("　（参考）进程内 openpyxl.load_workbook 示例", f"{opx * 1000:.1f} ms", "", f"读取 + 校验为其 {ours / opx:.2f}×")

    # 3. per row: a form with 3,000 more rows against the same form without them.
    rows = 3000
    big = folder / "3000行.xlsx"
    big.write_bytes(_with_rows(data, rows))
    big_data = big.read_bytes()
    n = 2 if quick else 5
    ours_big = _best(lambda: load_form(big), n, 3)
    opx_big = _best(lambda: openpyxl.load_workbook(io.BytesIO(big_data)), n, 3)
    per_ours = (ours_big - ours) / rows
    per_opx = (opx_big - opx) / rows
    r = per_ours / per_opx
    table.add(f"每行：openpyxl.load_workbook（{rows} 行 − 0 行）÷ {rows}（锚点）", f"{per_opx * 1e6:.1f} µs/行")
    table.add(f"每行：读取 + 校验（{rows} 行 − 0 行）÷ {rows}", f"{per_ours * 1e6:.1f} µs/行",
              "≤ 1.0 × openpyxl 每行", verdict(r <= 1.0, f"{r:.2f}×"), "rows")
    import gc

    gc.collect()
    tracemalloc.start()
    kept_small = load_form(example)
    base_now, base_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    kept_big = load_form(big)
    big_now, big_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept_small, kept_big
    peak_kb = (big_peak - base_peak) / rows / 1024
    kept_kb = (big_now - base_now) / rows / 1024
    table.add(f"每行内存（保留）：读取 + 校验之后仍占用的（tracemalloc，{rows} 行 − 0 行）÷ {rows}",
              f"{kept_kb:.2f} KB/行", "≤ 8 KB/行", verdict(kept_kb <= 8, f"{kept_kb / 8:.2f}× 目标"), "memory")
    table.add(f"每行内存（峰值）：读取 + 校验过程中的峰值（{rows} 行 − 0 行）÷ {rows}", f"{peak_kb:.2f} KB/行",
              "≤ 8 KB/行", verdict(peak_kb <= 8, f"{peak_kb / 8:.2f}× 目标"), "memory")

    if no_profile:
        return
    if {"inproc", "rows", "memory"} & set(table.missed):
        profiles.append(profile_top(lambda: [load_form(example) for _ in range(20)], "load_form（示例）× 20",
                                    limit=25))
    if {"proc", "version"} & set(table.missed):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c",
                               "import sys; sys.argv=['perfeval','validate',%r,'--format','json'];"
                               "from perfeval.cli import main; main()" % str(example)],
                              capture_output=True, text=True, check=False)
        lines = [ln for ln in done.stderr.splitlines() if ln.startswith("import time:")][1:]
        lines.sort(key=lambda ln: -int(ln.split("|")[1]))
        profiles.append("### perfeval validate 的导入（-X importtime，累计 µs 前 15）\n\n```\n"
                        + "\n".join(lines[:15]) + "\n```\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of generated forms (default 1000)")
    ap.add_argument("--quick", action="store_true", help="50 forms, for a smoke run")
    ap.add_argument("--no-profile", action="store_true", help="skip cProfile of missed targets")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--read-only", action="store_true",
                    help="only the read-path targets (process, in-process, per row), in seconds")
    ap.add_argument("--units", type=int, default=500, help="units of the large consolidation (default 500)")
    ap.add_argument("--only-consolidation", action="store_true",
                    help="only the large consolidation and its batch-validate anchor")
    ap.add_argument("--round-trips", type=Path, nargs="*", metavar="XLSX",
                    help="only count worksheet-function calls per full recalculation (of the blank "
                         "60-row template, or of the given workbooks) and exit")
    args = ap.parse_args()
    if args.round_trips is not None:
        for path in args.round_trips or [None]:
            data = path.read_bytes() if path else build_workbook()
            print(f"{path or '空白模板（build_workbook，60 行）'}: {_call_sites_text(udf_call_sites(data))}")
        return
    n = 50 if args.quick else args.n
    cpus = os.cpu_count() or 1
    table = Table()
    profiles: list[str] = []

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="perfeval-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    if args.read_only:
        try:
            read_path(table, profiles, tmp, no_profile=args.no_profile, quick=args.quick)
            print(table.render())
            print()
            print(machine())
            if profiles:
                print()
                print("\n".join(profiles))
        finally:
            if args.keep is None:
                shutil.rmtree(tmp, ignore_errors=True)
        return
    if args.only_consolidation:
        try:
            consolidation_rows(table, tmp, 50 if args.quick else args.units, cpus)
            print(table.render())
            print()
            print(machine())
        finally:
            if args.keep is None:
                shutil.rmtree(tmp, ignore_errors=True)
        return
    try:
        gen_s, paths = _clock(lambda: generate(n, tmp, max(1, cpus)))
        size = sum(p.stat().st_size for p in paths) / len(paths)
        table.add(f"生成 {n} 份表（build_workbook，{cpus} 进程）", f"{gen_s:.1f} s（平均 {size / 1024:.0f} KB/份）")
        for p in paths:  # page cache warm for everyone alike
            p.read_bytes()

        bare_s, _ = _clock(lambda: bare_load(paths))
        ours_s, checked = _clock(lambda: read_and_validate(paths))
        ratio = ours_s / bare_s
        table.add("openpyxl.load_workbook（下限）", f"{bare_s / n * 1000:.1f} ms/份（共 {bare_s:.1f} s）")
        table.add("读取 + 校验（read_form + check_form）", f"{ours_s / n * 1000:.1f} ms/份（共 {ours_s:.1f} s）",
                  "≤ 1.3 × openpyxl", verdict(ratio <= 1.3, f"{ratio:.2f}×"), "validate")
        n_findings = sum(len(f) for _, f in checked)
        table.add("　其中问题条数", f"{n_findings}（平均 {n_findings / n:.1f} 条/份）")

        sample = checked[: min(n, 10)]
        from perfeval.loader import load_form
        from perfeval.report import build_report

        report_forms = [load_form(p) for p in paths[: len(sample)]]
        floor_s = min(timeit.repeat(empty_docx, number=len(report_forms), repeat=3))
        # Drafts: the generated forms carry injected errors, and a draft is the heavier case (every
        # finding a comment). Best of three rounds, as for the floor.
        rep_s = min(timeit.repeat(lambda: [build_report(lo, draft=True) for lo in report_forms], number=1,
                                  repeat=3))
        per = rep_s / len(report_forms)
        n_comments = sum(len(lo.findings) for lo in report_forms)
        table.add("python-docx 空文档（Document() + save，下限）", f"{floor_s / len(report_forms) * 1000:.0f} ms/份")
        table.add(f"自评报告 .docx 草稿（build_report，{len(report_forms)} 份，共 {n_comments} 条批注）",
                  f"{per:.3f} s/份（{per / (floor_s / len(report_forms)):.1f}× 下限）", "≤ 0.2 s/份",
                  verdict(per <= 0.2, f"{per / 0.2:.2f}× 目标"), "report")

        from perfeval.consolidate import consolidate_files
        from perfeval.consolidate.merge import Member, merge
        from perfeval.loader import load_model

        units = make_units(random.Random(2025), 50)
        members = [Member.of(load_model(form, profile=PROFILE), file=form.source) for _, form in units]
        cons_s, res = _clock(lambda: merge(members, PROFILE))
        table.add(f"汇总 {len(units)} 个单位（merge，内存中）", f"{cons_s * 1000:.0f} ms", "",
                  f"{len(res.indicators)} 个指标，{len(res.unmatched)} 个未匹配")
        unit_dir = tmp.parent / (tmp.name + "-units")
        unit_dir.mkdir(exist_ok=True)
        for (name, form) in units:
            (unit_dir / form.source).write_bytes(build_workbook(form, PROFILE))
        out = unit_dir.parent / (tmp.name + "-汇总.xlsx")
        file_s, _ = _clock(lambda: consolidate_files(None, [unit_dir], out, force=True))
        table.add(f"汇总 {len(units)} 个单位文件（consolidate_files：读 + 汇总 + 写）", f"{file_s:.1f} s")
        shutil.rmtree(unit_dir, ignore_errors=True)
        out.unlink(missing_ok=True)
        members = None

        report_sample = report_forms[:2]
        # The parent's memory does not count in the subprocesses' figures, but it does use RAM.
        checked.clear()
        sample = units = res = None
        runs = {}
        for jobs in (1, 2):
            runs[jobs] = batch_in_subprocess(tmp, jobs)
        target_s = 20 * n / 1000
        one, two = runs[1], runs[2]
        table.add(f"批量校验 {n} 份，jobs=1（validate_many）", f"{one['seconds']:.1f} s",
                  "（参考）", f"{one['seconds'] / n * 1000:.1f} ms/份")
        table.add(f"批量校验 {n} 份，jobs=2", f"{two['seconds']:.1f} s",
                  f"≤ {target_s:g} s（1000 份 20 s，2 核）",
                  verdict(two["seconds"] <= target_s, f"{two['seconds'] / target_s:.2f}× 目标；"
                          f"加速 {one['seconds'] / two['seconds']:.2f}×"), "batch")
        table.add("批量校验峰值内存（jobs=1，VmHWM）", f"{one['maxrss_kb'] / 1024:.0f} MB")
        table.add("批量校验峰值内存（jobs=2：主进程 / 工作进程最大）",
                  f"{two['maxrss_kb'] / 1024:.0f} MB / {two['children_maxrss_kb'] / 1024:.0f} MB")
        consolidation_rows(table, tmp, 50 if args.quick else args.units, cpus)

        cap = parallel_capacity()
        table.add("本机并行能力（2 个纯计算进程同时跑的总吞吐 ÷ 单进程）", f"{cap:.2f}×", "（理想 2.00×）")

        trips = udf_call_sites(build_workbook())
        table.add("一次完全重算的工作表函数调用（Excel→Python 往返，60 行模板，静态计数）",
                  _call_sites_text(trips), "≤ 10", verdict(sum(trips.values()) <= 10), "trips")

        from perfeval.core.cellfunctions import SCORE

        SCORE("达90%以上", 0.95, 2)  # profile loaded and cached
        number = 2000 if args.quick else 20000
        best = min(timeit.repeat(lambda: SCORE("达90%以上", 0.95, 2), number=number, repeat=5)) / number
        table.add('工作表函数 SCORE("达90%以上", 0.95, 2)', f"{best * 1e6:.1f} µs/次", "≤ 20 µs",
                  verdict(best <= 20e-6, f"{best / 20e-6:.2f}× 目标"), "udf")

        cli_s, why = cli_start()
        if cli_s is None:
            table.add("CLI 启动（perfeval --version，5 次中位数）", why, "≤ 0.4 s")
        else:
            table.add("CLI 启动（perfeval --version，5 次中位数）", f"{cli_s:.2f} s", "≤ 0.4 s",
                      verdict(cli_s <= 0.4, f"{cli_s / 0.4:.2f}× 目标"), "cli")

        read_path(table, profiles, tmp, no_profile=args.no_profile, quick=args.quick)

        print(table.render())
        print()
        print(machine())

        if not args.no_profile and table.missed:
            few = paths[: min(n, 40)]
            if "validate" in table.missed or "batch" in table.missed:
                profiles.append(profile_top(lambda: read_and_validate(few),
                                            f"读取 + 校验 {len(few)} 份（read_form + check_form）"))
                profiles.append(profile_top(lambda: bare_load(few), f"openpyxl.load_workbook {len(few)} 份"))
            if "report" in table.missed:
                from perfeval.report import build_report as br

                profiles.append(profile_top(lambda: [br(lo, draft=True) for lo in report_sample],
                                            "自评报告 2 份"))
            if "udf" in table.missed:
                profiles.append(profile_top(lambda: [SCORE("达90%以上", 0.95, 2) for _ in range(5000)],
                                            "SCORE × 5000"))
            if "cli" in table.missed:
                done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import perfeval.cli"],
                                      capture_output=True, text=True, check=False)
                lines = [ln for ln in done.stderr.splitlines() if ln.startswith("import time:")][1:]
                lines.sort(key=lambda ln: -int(ln.split("|")[1]))
                profiles.append("### import perfeval.cli（-X importtime，累计 µs 前 15）\n\n```\n"
                                + "\n".join(lines[:15]) + "\n```\n")
            print()
            print("\n".join(profiles))
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
