"""write_atomic never damages existing files; cell text never becomes a formula."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval import outputs
from perfeval.outputs import (
    FORMULA_TRIGGERS,
    OutputError,
    OutputExistsError,
    OutputIsInputError,
    OutputLockedError,
    sanitize_cell_text,
    set_text_cell,
    write_atomic,
    xml_safe_text,
)

OLD = "旧的自评报告".encode() * 100


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".~perfeval-"))


class Boom(Exception):
    pass


# --------------------------------------------------------------------------
# write_atomic


def test_writes_bytes_and_creates_parents(tmp_path: Path):
    target = tmp_path / "输出 目录" / "子目录" / "汇总表.xlsx"
    assert write_atomic(target, b"data") == target
    assert target.read_bytes() == b"data"
    assert _leftovers(target.parent) == []


def test_callback_writer_produces_a_workbook(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "得分"
    target = tmp_path / "结果.xlsx"
    write_atomic(target, wb.save)
    assert openpyxl.load_workbook(target).active["A1"].value == "得分"


def test_refuses_existing_without_force(tmp_path: Path):
    target = tmp_path / "报告.docx"
    target.write_bytes(OLD)
    with pytest.raises(OutputExistsError) as info:
        write_atomic(target, b"new")
    assert "已存在" in str(info.value) and "--force" in str(info.value)
    assert "报告.docx" in str(info.value)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_force_replaces(tmp_path: Path):
    target = tmp_path / "报告.docx"
    target.write_bytes(OLD)
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


def test_refuses_input_as_output_even_with_force(tmp_path: Path):
    source = tmp_path / "自评表.xlsx"
    source.write_bytes(OLD)
    for force in (False, True):
        with pytest.raises(OutputIsInputError) as info:
            write_atomic(source, b"x", force=force, inputs=[source])
        assert "同一个文件" in str(info.value)
    assert source.read_bytes() == OLD


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_refuses_input_through_symlink(tmp_path: Path):
    source = tmp_path / "自评表.xlsx"
    source.write_bytes(OLD)
    link = tmp_path / "链接.xlsx"
    try:
        link.symlink_to(source)
    except OSError as exc:  # Windows without developer mode
        pytest.skip(f"cannot create symlink: {exc}")
    with pytest.raises(OutputIsInputError):
        write_atomic(link, b"x", force=True, inputs=[source])
    with pytest.raises(OutputIsInputError):
        write_atomic(source, b"x", force=True, inputs=[link])
    assert source.read_bytes() == OLD


def test_refuses_input_through_hard_link(tmp_path: Path):
    source = tmp_path / "自评表.xlsx"
    source.write_bytes(OLD)
    other = tmp_path / "副本.xlsx"
    os.link(source, other)
    with pytest.raises(OutputIsInputError):
        write_atomic(other, b"x", force=True, inputs=[source])
    assert source.read_bytes() == OLD


def test_refuses_input_with_other_relative_spelling(tmp_path: Path, monkeypatch):
    (tmp_path / "sub").mkdir()
    source = tmp_path / "自评表.xlsx"
    source.write_bytes(OLD)
    monkeypatch.chdir(tmp_path / "sub")
    with pytest.raises(OutputIsInputError):
        write_atomic(Path("..") / "自评表.xlsx", b"x", force=True, inputs=[source])
    with pytest.raises(OutputIsInputError):
        write_atomic(
            str(tmp_path / "sub" / ".." / "." / "自评表.xlsx"),
            b"x",
            force=True,
            inputs=["../自评表.xlsx"],
        )
    assert source.read_bytes() == OLD


def test_unrelated_inputs_do_not_block(tmp_path: Path):
    source = tmp_path / "自评表.xlsx"
    source.write_bytes(OLD)
    write_atomic(tmp_path / "报告.docx", b"ok", inputs=[source, tmp_path / "不存在.xlsx"])
    assert (tmp_path / "报告.docx").read_bytes() == b"ok"


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("exc_type", [Boom, KeyboardInterrupt])
def test_crash_in_writer_keeps_old_file_and_leaves_no_temp(tmp_path: Path, force: bool, exc_type):
    target = tmp_path / "汇总.xlsx"
    if force:
        target.write_bytes(OLD)

    def crashing_writer(fh):
        fh.write(b"half a report")
        raise exc_type("disk full")

    with pytest.raises(exc_type):
        write_atomic(target, crashing_writer, force=force)
    if force:
        assert target.read_bytes() == OLD
    else:
        assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_output_appearing_during_write_is_not_overwritten(tmp_path: Path):
    # Another clerk's run creates the same report while ours is writing.
    target = tmp_path / "汇总.xlsx"

    def writer(fh):
        fh.write(b"ours")
        target.write_bytes(OLD)

    with pytest.raises(OutputExistsError):
        write_atomic(target, writer)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_output_appearing_during_write_without_hard_links(tmp_path: Path, monkeypatch):
    # FAT/exFAT USB sticks: os.link fails, the fallback must still refuse.
    def no_link(src, dst):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(outputs.os, "link", no_link)
    target = tmp_path / "汇总.xlsx"
    write_atomic(target, b"fresh")
    assert target.read_bytes() == b"fresh"

    def writer(fh):
        fh.write(b"ours")
        (tmp_path / "again.xlsx").write_bytes(OLD)

    with pytest.raises(OutputExistsError):
        write_atomic(tmp_path / "again.xlsx", writer)
    assert (tmp_path / "again.xlsx").read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_locked_target_on_replace(tmp_path: Path, monkeypatch):
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(OLD)

    def locked(src, dst):
        raise PermissionError(13, "being used by another process")

    monkeypatch.setattr(outputs.os, "replace", locked)
    with pytest.raises(OutputLockedError) as info:
        write_atomic(target, b"new", force=True)
    assert "占用" in str(info.value)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_directory_target_is_refused(tmp_path: Path):
    (tmp_path / "报告.docx").mkdir()
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "报告.docx", b"x", force=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_file_gets_normal_permissions(tmp_path: Path):
    old_umask = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "a.csv", b"x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_replaced_file_keeps_its_permissions(tmp_path: Path):
    target = tmp_path / "a.csv"
    target.write_bytes(OLD)
    os.chmod(target, 0o640)
    write_atomic(target, b"x", force=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# --------------------------------------------------------------------------
# cell text

_ILLEGAL = [chr(c) for c in range(0x20) if c not in (9, 10, 13)] + ["\ufffe", "\uffff", "\ud800"]


def test_sanitize_examples():
    assert sanitize_cell_text("=1+1") == "'=1+1"
    assert sanitize_cell_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert sanitize_cell_text("-") == "'-"
    assert sanitize_cell_text("@SUM(A1)") == "'@SUM(A1)"
    assert sanitize_cell_text("\tx") == "'\tx"
    assert sanitize_cell_text("\x00=cmd") == "'=cmd"
    assert sanitize_cell_text("道路维修") == "道路维修"
    assert sanitize_cell_text("a=b") == "a=b"
    assert sanitize_cell_text("") == ""
    with pytest.raises(TypeError):
        sanitize_cell_text(5)  # type: ignore[arg-type]


def test_xml_safe_text_keeps_meaningful_characters():
    text = "一\t二\n三\r四 🚀 \u00a0"
    assert xml_safe_text(text) == text
    assert xml_safe_text("".join(_ILLEGAL) + "ok") == "ok"
    assert xml_safe_text("=x") == "=x"


_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)
_triggered = st.tuples(st.sampled_from(FORMULA_TRIGGERS), _text).map("".join)
_any_text = st.one_of(
    _triggered, _text, st.sampled_from(["#N/A", "#DIV/0!", "#REF!", "=", "==", "=SUM(A1:A2)"])
)


@settings(max_examples=300, deadline=None)
@given(_any_text)
def test_sanitize_properties(s: str):
    out = sanitize_cell_text(s)
    assert not out.startswith(FORMULA_TRIGGERS)
    assert not any(ch in out for ch in _ILLEGAL)
    assert sanitize_cell_text(out) == out
    expected = xml_safe_text(s)
    assert out in (expected, "'" + expected)


def test_plain_openpyxl_assignment_is_a_formula():
    # Control: proves the next test would notice a regression.
    ws = openpyxl.Workbook().active
    ws["A1"] = "=1+1"
    assert ws["A1"].data_type == "f"


@settings(max_examples=150, deadline=None)
@given(st.lists(_any_text, min_size=1, max_size=8))
def test_set_text_cell_never_writes_a_formula(texts: list[str]):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, text in enumerate(texts, start=1):
        set_text_cell(ws.cell(row=row, column=1), text)
        assert ws.cell(row=row, column=1).data_type == "s"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    reloaded = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    for row, text in enumerate(texts, start=1):
        cell = reloaded.cell(row=row, column=1)
        expected = xml_safe_text(text)
        assert cell.data_type != "f"
        if expected:
            assert cell.data_type == "s"
            assert cell.value == expected
        if expected.startswith(FORMULA_TRIGGERS):
            assert cell.quotePrefix
