"""From files to the consolidated workbook: which inputs count, loading them, writing the result.

* The 本级 (the first file of `perfeval consolidate`) counts with its own figures and gives the
  structure; `structure` names a template that only gives names, 分值, order and texts.
* Each input counts once, identified by its resolved path and its content hash; a repeat is
  reported (PE703), not summed. A folder is searched for .xlsx/.xlsm; an earlier consolidation
  result lying in it is left out (one named explicitly counts: a higher-level consolidation).
* An output that is also an input is refused (PE931) before anything is read.
* The units are read through `loader.load_forms` (in worker processes) and added to the merge
  one at a time, so only what the merge needs of each form stays in memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..core.findings import Finding, Severity
from ..workbook import layout as L
from .merge import Member, Merger, _has_own_figures
from .model import ConsolidationError, ConsolidationResult, Skipped, SkipReason
from .texts import file_name, result_line, review_line, skipped_line, unit_line

__all__ = ["ConsolidationOutput", "consolidate_files", "is_consolidation_output"]

PathLike = str | os.PathLike[str]
ProgressCallback = Callable[[int, int], None]


class ConsolidationOutput(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path
    result: ConsolidationResult
    findings: tuple[Finding, ...]  # of the consolidation (PE703/PE704/PE705, unreadable inputs)

    @property
    def unreadable(self) -> tuple[Skipped, ...]:
        return tuple(s for s in self.result.skipped if s.reason is SkipReason.UNREADABLE)

    def summary_text(self, limit: int = 20) -> str:
        """What was written and which files counted with which amounts; details on 汇总说明."""
        res = self.result
        units = res.units
        lines = [f"已生成：{self.path}", f"参与汇总的自评表 {len(units)} 份（按给出的顺序）："]
        lines += [f"  {u.position}. {unit_line(u)}" for u in units[:limit]]
        if len(units) > limit:
            lines.append(f"  ……另有 {len(units) - limit} 份，见“{L.SHEET_CONSOLIDATION}”表。")
        lines.append(f"指标名称、分值和顺序取自{res.structure_from}；"
                     + ("资金额度取自部门下属单位表。" if res.funds_from_department_list
                        else "资金额度取自各表的实际支出数。"))
        lines.append(result_line(res))
        if res.skipped:
            lines.append(f"未计入汇总的文件 {len(res.skipped)} 份：")
            lines += [f"  {skipped_line(s)}" for s in res.skipped[:limit]]
            if len(res.skipped) > limit:
                lines.append(f"  ……另有 {len(res.skipped) - limit} 份，见“{L.SHEET_CONSOLIDATION}”表。")
        review = review_line(res)
        if res.to_review and review:
            lines.append(review.split("；")[0].rstrip("。") + "。")
        if res.unmatched:
            lines.append(f"有 {len(res.unmatched)} 个指标并非所有单位都有，详见“{L.SHEET_CONSOLIDATION}”表。")
        if res.notes:
            lines.append(f"需要注意的情况 {len(res.notes)} 条，详见“{L.SHEET_CONSOLIDATION}”表。")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# which files


def is_consolidation_output(path: PathLike) -> bool:
    """A workbook this package wrote (it carries the 汇总说明 sheet)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 8 * 1024 * 1024:  # not ours; and not worth inflating
                return False
            xml = zf.read(info)
    except Exception:  # noqa: BLE001 - anything that is not a readable package is not our output
        return False
    name = L.SHEET_CONSOLIDATION.encode("utf-8")
    return re.search(rb'<sheet\b[^>]*\sname="' + re.escape(name) + rb'"', xml) is not None


def _digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None  # the loader says why it cannot be read
    return h.hexdigest()


def _identity(path: Path) -> str:
    try:
        return os.path.normcase(os.path.realpath(path))
    except (OSError, ValueError):
        return os.path.normcase(os.path.abspath(path))


class _Inputs:
    """The files that count, in the order given, with what was left out and why."""

    def __init__(self) -> None:
        self.counted: list[tuple[Path, str]] = []  # (path, digest)
        self.skipped: list[Skipped] = []
        self.findings: list[Finding] = []
        self._by_path: dict[str, Path] = {}
        self._by_digest: dict[str, Path] = {}

    def offer(self, path: Path, shown: str | None = None) -> bool:
        ident, digest = _identity(path), _digest(path)
        first = self._by_path.get(ident) or (self._by_digest.get(digest) if digest else None)
        if first is not None:
            how = f"同一个文件（{ident}）" if ident in self._by_path else "内容完全相同的副本"
            msg = f"「{path}」与「{first}」是{how}，只计入一次（重复计入会使金额翻倍、权重失真）。"
            self.skipped.append(Skipped(file=str(path), reason=SkipReason.DUPLICATE, code="PE703", message=msg))
            self.findings.append(Finding(code="PE703", severity=Severity.WARNING, file=str(path), message=msg))
            return False
        self._by_path[ident] = Path(shown) if shown else path
        if digest:
            self._by_digest[digest] = self._by_path[ident]
        self.counted.append((path, digest or ""))
        return True

    def earlier_result(self, path: Path) -> None:
        msg = "是此前生成的汇总结果（含“汇总说明”表），在文件夹中找到，未作为单位计入；如需作为单位汇总，请单独列出该文件。"
        self.skipped.append(Skipped(file=str(path), reason=SkipReason.EARLIER_RESULT, code="PE703", message=msg))

    def unreadable(self, path: Path, finding: Finding | None) -> None:
        code = finding.code if finding is not None else "PE919"
        message = finding.message if finding is not None else "无法读取"
        self.skipped.append(Skipped(file=str(path), reason=SkipReason.UNREADABLE, code=code, message=message))
        self.findings.append(Finding(code=code, severity=Severity.ERROR, file=str(path), message=message))


def _unit_files(paths: Sequence[PathLike], exclude: Sequence[Path], inputs: _Inputs) -> list[Path]:
    from ..batch import expand_paths

    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found_any = False
            for found in expand_paths([p], exclude=exclude):
                found_any = True
                if is_consolidation_output(found):
                    inputs.earlier_result(found)
                else:
                    out.append(found)
            if not found_any:  # a mistyped or empty folder should not pass unnoticed
                inputs.findings.append(Finding(code="PE706", severity=Severity.WARNING, file=str(p),
                                               message=f"文件夹「{p}」中没有找到自评表，未计入任何单位。"))
        else:
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# the run


def consolidate_files(own: PathLike | None, units: Sequence[PathLike], out_path: PathLike, *,
                      structure: PathLike | None = None, exclude: Sequence[PathLike] = (),
                      own_shown_as: str | None = None,
                      force: bool = False, profile=None, jobs: int = 0,
                      blank_own_is_structure: bool = False,
                      progress: ProgressCallback | None = None) -> ConsolidationOutput:
    """Consolidate the files and write the department's workbook (with 汇总说明) atomically.

    own: the 部门本级's form, counted with its own figures (None: every file is a unit).
    structure: a template giving only names, 分值, order, declared targets and texts.
    exclude: files never taken from a folder (the workbook a ribbon button runs in).
    own_shown_as: how `own` is named in the listings (the ribbon passes a saved copy of the
    workbook, which should be listed under the workbook's own name).
    blank_own_is_structure: an `own` form with no figure at all is taken as the structure
    (the ribbon's button on a department's blank template).
    An unreadable unit is reported and the rest are consolidated; an unreadable 本级 or
    template stops the run (the user asked for that file).
    """
    from ..loader import load_form, load_forms, resolve_profile
    from ..outputs import OutputIsInputError, same_file, write_atomic
    from ..workbook.consolidation_sheet import add_consolidation_sheet
    from ..workbook.template import TemplateOverflow, build_workbook

    out = Path(out_path)
    own_path = Path(own) if own is not None else None
    structure_path = Path(structure) if structure is not None else None
    inputs = _Inputs()
    if own_path is not None:
        inputs.offer(own_path, own_shown_as)
    never = [p for p in (own_path, structure_path, *map(Path, exclude)) if p is not None]
    for p in _unit_files(units, never, inputs):
        inputs.offer(p)
    given = [p for p in (own_path, structure_path) if p is not None] + [Path(u) for u in units]
    for p in [*given, *(p for p, _ in inputs.counted)]:
        if same_file(out, p):
            raise OutputIsInputError(out, f"输出文件「{out.name}」同时是输入文件（{p}）；为保护原始文件，"
                                          "请换一个输出文件名。")

    structure_form = None
    if structure_path is not None:
        structure_form = _must_read(load_form(structure_path), structure_path, "部门模板").form
    merger = Merger(structure=structure_form)
    counted = list(inputs.counted)
    if own_path is not None:
        _, own_digest = counted.pop(0)
        loaded = _must_read(load_form(own_path), own_path, "部门本级自评表")
        if blank_own_is_structure and structure_form is None and not _has_own_figures(loaded.form):
            merger = Merger(structure=loaded.form)
        else:
            merger.add(Member.of(loaded, file=own_shown_as or str(own_path), digest=own_digest, own=True))

    for path, digest, loaded in _load(counted, jobs, progress, load_forms):
        if not loaded.readable or loaded.fatal is not None:
            inputs.unreadable(path, loaded.fatal)
            continue
        merger.add(Member.of(loaded, file=str(path), digest=digest))
    if not len(merger):
        detail = "；".join(skipped_line(s) for s in inputs.skipped)
        raise ConsolidationError("没有可以汇总的自评表" + (f"（{detail}）" if detail else "。"))

    prof = resolve_profile(profile, merger.structure_form)
    result = merger.result(prof)
    result = result.model_copy(update={"skipped": tuple(inputs.skipped) + result.skipped,
                                       "findings": tuple(inputs.findings) + result.findings})
    try:
        data = build_workbook(result.form, prof, keep_stated=False)
    except TemplateOverflow as exc:
        raise TemplateOverflow(f"汇总后的表格超出模板容量（{exc}）。各单位名称不同的指标各占一行：请统一各单位的"
                               f"指标名称，或把类型不同的单位分开汇总；未写出「{out.name}」。") from None
    data = add_consolidation_sheet(data, result)
    written = write_atomic(out, data, force=force, inputs=given + [p for p, _ in inputs.counted])
    return ConsolidationOutput(path=written, result=result, findings=result.findings)


def _load(counted: list[tuple[Path, str]], jobs: int, progress: ProgressCallback | None, load_forms):
    """The counted files, loaded in the pool (each form is freed once the merge has taken what it
    needs from it)."""
    paths = [p for p, _ in counted]
    for (path, digest), loaded in zip(counted, load_forms(paths, jobs=jobs, progress=progress), strict=True):
        yield path, digest, loaded
    if progress is not None and not counted:
        progress(0, 0)


def _must_read(loaded, path: Path, what: str):
    bad = loaded.fatal
    if bad is not None or not loaded.readable:
        detail = f"{bad.code} {bad.message}" if bad is not None else "无法读取"
        raise ConsolidationError(f"{what}「{file_name(str(path))}」无法使用：{detail}", file=str(path))
    return loaded

