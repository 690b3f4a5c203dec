"""The one way in: a file becomes checked, scored data here and nowhere else.

    loaded = load_form("自评表.xlsx")
    loaded.form, loaded.profile, loaded.evaluation, loaded.findings

As beancount's `loader.load_file` is for ledgers: every CLI command, every ribbon handler, batch
validation, the bureau's summary, consolidation and the review desk call `load_form` /
`load_forms`; nothing else wires a reader, the checks and the evaluation together, and nothing
else resolves a profile (`resolve_profile`). The form is evaluated once and the checks receive
that evaluation.

Whatever the file holds, the result is a `Loaded`: an unreadable file is one with a fatal finding
(`loaded.fatal`) and no evaluation. Only a bad request of the caller — an explicit profile that
does not exist or does not fit the form — raises, as a `PerfevalError`.

A perfeval template is read by its addresses (`workbook.reader`); any other workbook is read by
its labels (`workbook.legacy_import`), so the forms departments actually send are checked too.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .core.evaluate import Evaluation, evaluate
from .core.findings import Finding, Severity, first_fatal
from .core.model import Form, FormKind, effective_names
from .core.profiles import (
    PROFILE_ALIASES,
    Profile,
    ProfileError,
    best_profile,
    builtin_profile,
    default_profile,
    load_profile,
    sibling_profile,
)

if TYPE_CHECKING:
    from .workbook.legacy_import import ImportResult

__all__ = ["Loaded", "load_form", "load_forms", "load_model", "resolve_profile", "ProfileSpec"]

ProfileSpec = Profile | str | os.PathLike[str] | None
Origin = Literal["template", "import", "memory", "unreadable"]
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Loaded:
    """One form as read, resolved, evaluated and checked."""

    form: Form
    profile: Profile
    evaluation: Evaluation | None  # None when there is no form to evaluate
    findings: tuple[Finding, ...]
    origin: Origin
    path: Path | None = None
    imported: ImportResult | None = field(default=None, compare=False)  # the mapping, for import
    format: str = "xlsx"  # what the file is, by its bytes: xlsx, xls, ods, docx, doc, pdf …

    @property
    def is_document(self) -> bool:
        """Read from a Word or PDF report: there is no workbook to annotate or print."""
        from .formats import DOCUMENT_FORMATS

        return self.format in DOCUMENT_FORMATS

    @property
    def fatal(self) -> Finding | None:
        return first_fatal(self.findings)

    @property
    def readable(self) -> bool:
        return self.evaluation is not None

    @property
    def source(self) -> str:
        return self.form.source or (self.path.name if self.path else "")

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)


# ------------------------------------------------------------------------------------- profiles


def _kind_of(form: Form | None) -> FormKind:
    return form.kind if form is not None else FormKind.DEPARTMENT


def _profile_and_notes(spec: ProfileSpec, form: Form | None) -> tuple[Profile, list[Finding]]:
    """The only profile resolver: explicit name or file, else the workbook's, else the kind's."""
    kind = _kind_of(form)
    notes: list[Finding] = []
    if isinstance(spec, Profile):
        profile = spec
    elif spec is not None and str(spec).strip():
        profile = load_profile(spec)  # raises ProfileError: the user asked for it
        if (form is not None and profile.form_kind != kind.value and _is_region_alias(str(spec))
                and (sib := sibling_profile(profile, kind))):
            profile = load_profile(sib)  # "湖北" on a project form is Hubei's project rules
    else:
        profile = None
        named = form.profile_name if form is not None else None
        if named:
            try:
                profile = builtin_profile(named)
            except ProfileError as exc:
                notes.append(_workbook_profile_note(form, f"{exc.message}；已按{kind.title}的默认规则计分。"))
            if profile is not None and profile.form_kind != kind.value:
                notes.append(_workbook_profile_note(
                    form, f"配置表指定的评分规则「{profile.title}」用于{FormKind(profile.form_kind).title}，"
                          f"与本表（{kind.title}）不符；已按默认规则计分。"))
                profile = None
        if profile is None and form is not None and form.template_version is None:
            # A form from elsewhere names no profile: the rules its own structure states.
            main = form.main_budget_row
            levels = [n for n, _, _ in effective_names(form.filled_indicators)]
            profile = load_profile(best_profile(kind, levels, main.weight.number if main else None))
        if profile is None:
            profile = load_profile(default_profile(kind))
    if form is not None and profile.form_kind != kind.value:
        raise ProfileError(f"评分规则「{profile.title}」用于{FormKind(profile.form_kind).title}，"
                           f"不能用于{kind.title}「{form.display_name}」。")
    return profile, notes


def _is_region_alias(spec: str) -> bool:
    """A place name people type for a profile (湖北, 江西省), not a profile's own name."""
    spec = spec.strip()
    return spec in PROFILE_ALIASES and not any(w in spec for w in ("项目", "部门", "project", "默认"))


def _workbook_profile_note(form: Form | None, message: str) -> Finding:
    from .workbook.layout import CONFIG, SHEET_CONFIG

    return Finding(code="PE921", severity=Severity.WARNING, sheet=SHEET_CONFIG, cell=CONFIG.profile,
                   message=message, file=form.source if form is not None else "")


def resolve_profile(spec: ProfileSpec, form: Form | None = None) -> Profile:
    """The profile a command uses for `form` (see `_profile_and_notes`)."""
    return _profile_and_notes(spec, form)[0]


# ------------------------------------------------------------------------------------- one form


def _read(path: Path, *, sheet: str | None, as_import: bool
          ) -> tuple[Form, list[Finding], Origin, ImportResult | None, str]:
    """(form, reading problems, how it was read, the import mapping when imported, the format).

    The format is decided by the bytes (`formats.sniff`): an .xlsx/.xlsm — whatever it is
    called — is read as a template or by its labels; .xls, .ods and the documents (.docx, .doc,
    .pdf) become grids for the same importer; anything else goes to the .xlsx reader, whose
    refusal names what the file is.
    """
    from .formats import OTHER_FORMATS, import_other, sniff
    from .workbook.reader import read_form

    kind, data = sniff(path)
    if kind in OTHER_FORMATS and data is not None:
        result = import_other(path, kind, data, sheet=sheet)
        problems = list(result.problems)
        origin: Origin = "unreadable" if first_fatal(problems) is not None else "import"
        return result.form, problems, origin, result, kind
    if not as_import:
        form, problems = read_form(path)
        fatal = first_fatal(problems)
        if fatal is None:
            return form, problems, "template", None, "xlsx"
        if not _try_import_after(fatal, problems):
            return form, problems, "unreadable", None, "xlsx"
    from .workbook.legacy_import import import_legacy

    result = import_legacy(path, sheet=sheet)
    problems = list(result.problems)
    origin = "unreadable" if first_fatal(problems) is not None else "import"
    return result.form, problems, origin, result, "xlsx"


def _try_import_after(fatal: Finding, problems: list[Finding]) -> bool:
    """A workbook that is not a perfeval template is read by its labels instead.

    Not for a template whose rows were moved (it carries the 配置 sheet; reading it by labels
    would hide the damage) nor for a file that could not be opened at all.
    """
    if fatal.code == "PE601":
        return True
    if fatal.code == "PE603":
        return any(p.code == "PE601" and "配置" in p.message for p in problems)
    return False


def load_form(path: str | os.PathLike[str], *, profile: ProfileSpec = None, sheet: str | None = None,
              as_import: bool = False, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Loaded:
    """Read, resolve the profile, evaluate once and check one file. Never raises for the file's
    content; raises PerfevalError only when `profile` names a profile that cannot be used."""
    from .checks import check_form

    p = Path(path)
    form, problems, origin, imported, fmt = _read(p, sheet=sheet, as_import=as_import)
    if origin == "unreadable":
        prof = _fallback_profile(profile, form)
        # The rules do not run after a fatal problem; select/ignore still filter what is shown.
        findings = check_form(form, prof, problems=problems, select=select, ignore=ignore)
        return Loaded(form=form, profile=prof, evaluation=None, findings=tuple(findings),
                      origin=origin, path=p, imported=imported, format=fmt)
    prof, notes = _profile_and_notes(profile, form)
    ev = evaluate(form, prof)
    findings = check_form(form, prof, evaluation=ev, problems=problems + notes, select=select, ignore=ignore)
    return Loaded(form=form, profile=prof, evaluation=ev, findings=tuple(findings), origin=origin, path=p,
                  imported=imported, format=fmt)


def _fallback_profile(spec: ProfileSpec, form: Form) -> Profile:
    """A profile to carry beside an unreadable file (nothing is scored with it)."""
    try:
        return _profile_and_notes(spec, None)[0]
    except ProfileError:
        return load_profile(default_profile(form.kind))


def load_model(form: Form, *, profile: ProfileSpec = None, problems: Iterable[Finding] = (),
               select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Loaded:
    """A form built in memory (the bundled example, a consolidation result), checked the same way."""
    from .checks import check_form

    prof, notes = _profile_and_notes(profile, form)
    ev = evaluate(form, prof)
    findings = check_form(form, prof, evaluation=ev, problems=list(problems) + notes, select=select,
                          ignore=ignore)
    return Loaded(form=form, profile=prof, evaluation=ev, findings=tuple(findings), origin="memory")


def _load_quietly(path: str, profile: ProfileSpec, select: Sequence[str], ignore: Sequence[str]) -> Loaded:
    """load_form for a batch: one file's failure of any kind is that file's finding, not the batch's."""
    try:
        return load_form(path, profile=profile, select=select, ignore=ignore)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch of hundreds
        name = Path(path).name
        finding = Finding(code="PE919", severity=Severity.ERROR, file=name,
                          message=f"文件「{name}」无法读取（{type(exc).__name__}）：{exc}")
        prof = load_profile(default_profile(FormKind.DEPARTMENT)) if not isinstance(profile, Profile) else profile
        return Loaded(form=Form(source=name), profile=prof, evaluation=None, findings=(finding,),
                      origin="unreadable", path=Path(path))


# ------------------------------------------------------------------------------------- many forms


def _chunk(paths: Sequence[str], profile: ProfileSpec, select: Sequence[str],
           ignore: Sequence[str]) -> list[Loaded]:
    return [_load_quietly(p, profile, select, ignore) for p in paths]


def _pool_context():
    # fork is the cheapest start (nothing to re-import) but unsafe once the parent runs threads
    # (the CLI's progress bar does); a forkserver that has imported us already is nearly as
    # quick. Windows only has spawn.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["perfeval.loader", "perfeval.checks", "perfeval.workbook.reader"])
        return ctx
    return multiprocessing.get_context("spawn")


def load_forms(paths: Sequence[str | os.PathLike[str]], *, jobs: int = 0, profile: ProfileSpec = None,
               select: Sequence[str] = (), ignore: Sequence[str] = (),
               progress: ProgressCallback | None = None) -> Iterator[Loaded]:
    """`load_form` over many files (directories are not expanded here), in input order.

    jobs: worker processes; 0 = one per CPU, 1 = in this process. progress(done, total) is called
    as files finish. An explicit profile is resolved once, before any file is read, so a bad
    name fails the call instead of every file.
    """
    if profile is not None and not isinstance(profile, Profile) and str(profile).strip():
        profile = load_profile(profile)
    files = [str(p) for p in paths]
    total = len(files)
    if progress is not None:
        progress(0, total)
    if total == 0:
        return
    workers = min(jobs if jobs > 0 else (os.cpu_count() or 1), total)
    select, ignore = tuple(select), tuple(ignore)
    if workers <= 1:
        for i, f in enumerate(files, 1):
            yield _load_quietly(f, profile, select, ignore)
            if progress is not None:
                progress(i, total)
        return
    yield from _pooled(files, workers, profile, select, ignore, progress)


def _pooled(files: list[str], workers: int, profile: ProfileSpec, select: tuple[str, ...],
            ignore: tuple[str, ...], progress: ProgressCallback | None) -> Iterator[Loaded]:
    total = len(files)
    # Chunks amortise the inter-process round trip, yet stay small enough to keep every worker
    # busy to the end and the progress bar moving.
    size = max(1, min(16, total // (workers * 4)))
    chunks = [(start, files[start:start + size]) for start in range(0, total, size)]
    results: dict[int, list[Loaded]] = {}
    done = 0
    next_start = 0

    def ready() -> Iterator[Loaded]:
        nonlocal next_start
        while next_start in results:
            chunk = results.pop(next_start)
            next_start += len(chunk)
            yield from chunk

    def store(start: int, loaded: list[Loaded]) -> None:
        nonlocal done
        results[start] = loaded
        done += len(loaded)
        if progress is not None:
            progress(done, total)

    finished: set[int] = set()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            pending = {pool.submit(_chunk, chunk, profile, select, ignore): start for start, chunk in chunks}
            while pending:
                # wait(), not as_completed(): a finished future leaves `pending` here, so the forms
                # it carried are freed once yielded instead of living until the last file is read.
                done_now, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done_now:
                    start = pending.pop(fut)
                    try:
                        loaded = fut.result()
                    except Exception:  # noqa: BLE001, S112 - a worker died; its files are redone below
                        continue
                    store(start, loaded)
                    finished.add(start)
                del done_now, fut
                yield from ready()
    except Exception:  # noqa: BLE001, S110 - no pool at all (spawn without an importable __main__ …)
        pass
    # Whatever the pool could not do is done here, so a batch never loses a file to the pool;
    # said aloud, so that a broken pool (slow batches) does not go unnoticed.
    redo = [(start, chunk) for start, chunk in chunks if start not in finished]
    if redo:
        warnings.warn(f"并行进程未能完成 {sum(len(c) for _, c in redo)} 个文件，已在主进程中补做。",
                      RuntimeWarning, stacklevel=3)
    for start, chunk in redo:
        store(start, _chunk(chunk, profile, select, ignore))
        yield from ready()

