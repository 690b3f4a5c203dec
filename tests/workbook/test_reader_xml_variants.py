"""The direct reader reads what real tools write, and what a clerk's damage makes of a form.

The same form spelled as strict OOXML, with UTF-16 parts, with every element prefixed, with
CDATA and comments inside text, or with shared strings declared ISO-8859-1 reads as the form it
is; dates where numbers belong are PE604 saying 日期; a cached string that looks like an error
stays a string in the annotated copy. Files from tests/data/malformed/generate.py.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval.loader import load_form
from perfeval.workbook import layout as L
from perfeval.workbook.package_reader import PackageBook
from perfeval.workbook.reader import read_form

_GEN = Path(__file__).parents[1] / "data" / "malformed" / "generate.py"


def _gen():
    spec = importlib.util.spec_from_file_location("perfeval_malformed_generate_xml", _GEN)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _gen()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("variants")
    names = {"strict_ooxml.xlsx", "utf16_parts.xlsx", "prefixed_ns.xlsx", "cdata_comments.xlsx", "sst_latin1.xlsx",
             "date_full_year.xlsx", "date_year.xlsx", "date_iso_cell.xlsx", "date_huge_serial.xlsx", "v_nan.xlsx",
             "text_1e1000000.xlsx", "text_lone_surrogate.xlsx", "cached_hack_string.xlsx", "v_nan_fallback.xlsx",
             "max_double.xlsx"}
    base = out / "base.xlsx"
    base.write_bytes(gen.template_bytes())
    for case, build in gen._form_builders():
        if case.name in names:
            (out / case.name).write_bytes(build())
    return out


def _dump(form):
    return form.model_dump(exclude={"source"})


@pytest.mark.parametrize("name", ["strict_ooxml.xlsx", "utf16_parts.xlsx", "prefixed_ns.xlsx"])
def test_the_same_form_in_other_xml_spellings_reads_identically(corpus, name):
    base_form, base_problems = read_form(corpus / "base.xlsx")
    form, problems = read_form(corpus / name)
    assert _dump(form) == _dump(base_form)
    assert [p.code for p in problems] == [p.code for p in base_problems]


def test_cdata_and_comments_inside_text_and_numbers_are_read_as_their_text(corpus):
    form, _ = read_form(corpus / "cdata_comments.xlsx")
    assert form.name.text == "正宁县人力资源和<社会>保障局"
    assert form.main_budget_row.full_year.raw == 1745.81


def test_shared_strings_declared_iso_8859_1_are_decoded_and_phonetic_runs_left_out(corpus):
    form, _ = read_form(corpus / "sst_latin1.xlsx")
    assert form.other_notes.text == "Café ½"
    assert form.total_note.text == "Grüße"


@pytest.mark.parametrize("name", ["date_full_year.xlsx", "date_iso_cell.xlsx", "date_huge_serial.xlsx"])
def test_a_date_in_a_money_cell_is_pe604_saying_it_is_a_date(corpus, name):
    _, problems = read_form(corpus / name)
    cell = gen._budget("full_year")
    hits = [p for p in problems if p.code == "PE604" and p.cell == cell]
    assert hits and "日期" in hits[0].message


def test_a_date_formatted_year_is_pe604_and_the_number_shows_as_its_date(corpus):
    form, problems = read_form(corpus / "date_year.xlsx")
    year = gen._layout()[1].year
    assert form.year.raw == "1905-07-15T00:00:00"  # 2023 as a day: what Excel shows
    assert any(p.code == "PE604" and p.cell == year and "日期" in p.message for p in problems)


@pytest.mark.parametrize("name, shown", [("v_nan.xlsx", "NaN"), ("text_1e1000000.xlsx", "1e1000000")])
def test_numbers_excel_could_not_hold_are_pe604_with_their_text(corpus, name, shown):
    loaded = load_form(corpus / name)
    hits = [f for f in loaded.findings if f.code == "PE604" and f.cell == gen._budget("full_year")]
    assert hits and shown in hits[0].message


def test_a_file_neither_reader_can_read_is_a_pe919_finding_not_a_traceback(corpus):
    # s="x" is no style index: the direct reader gives up, openpyxl refuses it too; a finding.
    _, problems = read_form(corpus / "v_nan_fallback.xlsx")
    assert problems and problems[0].code == "PE919"


def test_escaped_surrogates_become_characters_or_the_replacement_character(corpus):
    form, _ = read_form(corpus / "text_lone_surrogate.xlsx")
    assert form.name.text == "正宁\ufffd县 \ufffd 😀"
    form.name.text.encode("utf-8")  # every output can encode it


def test_a_cached_string_that_looks_like_an_error_stays_a_string_in_the_annotated_copy(corpus, tmp_path):
    from perfeval.workbook.findings_writer import annotate_file

    src = corpus / "cached_hack_string.xlsx"
    out = tmp_path / "标注.xlsx"
    annotate_file(src, load_form(src).findings, out)
    zf = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    part = gen.sheet_parts({n: zf.read(n) for n in zf.namelist()})[L.SHEET_FORM]
    ref = gen._layout()[1].title
    cell = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*>', zf.read(part)).group(0)
    assert b't="str"' in cell and b't="e"' not in cell
    assert PackageBook(out.read_bytes()).cells(L.SHEET_FORM)[1][ref] == "#HACK!"


def test_the_annotated_copy_keeps_every_typed_number_exactly(corpus, tmp_path):
    """openpyxl writes 16 digits: 0.30000000000000004 would become 0.3 and the largest double
    infinity. Only marks are added; values come back exactly."""
    from perfeval.workbook.findings_writer import annotate_file

    def edit(members, parts):
        part = parts[L.SHEET_FORM]
        members[part] = gen.set_cells(members[part], {gen._budget("initial", 1): gen._number("0.30000000000000004")})

    src = tmp_path / "精度.xlsx"
    members = gen.read_members((corpus / "max_double.xlsx").read_bytes())
    edit(members, gen.sheet_parts(members))
    src.write_bytes(gen.build_zip(members))
    out = tmp_path / "标注.xlsx"
    annotate_file(src, load_form(src).findings, out)
    before = PackageBook(src.read_bytes()).cells(L.SHEET_FORM)[0]
    after = PackageBook(out.read_bytes()).cells(L.SHEET_FORM)[0]
    assert after[gen._budget("initial", 1)].value == 0.30000000000000004
    assert after[gen._budget("full_year", 1)].value == 1.7976931348623157e308
    typed = {ref: c.value for ref, c in before.items() if c.data_type == "n"}
    assert {ref: after[ref].value for ref in typed} == typed


def _mangle(xml: bytes, data) -> bytes:
    """Cut, repeat or swap pieces of a sheet's XML at tag boundaries (most results stay XML)."""
    cuts = [m.start() for m in re.finditer(rb"<", xml)]
    i, j = sorted(data.draw(st.sampled_from(cuts)) for _ in range(2))
    how = data.draw(st.sampled_from(["drop", "repeat", "swap", "retag", "attr"]))
    if how == "drop":
        return xml[:i] + xml[j:]
    if how == "repeat":
        return xml[:j] + xml[i:j] + xml[j:]
    if how == "swap":
        k = data.draw(st.sampled_from(cuts))
        return xml[:i] + xml[k:] if k > i else xml[:k] + xml[i:j] + xml[k:i] + xml[j:]
    if how == "retag":
        tag = data.draw(st.sampled_from([b"<v>", b"<f>", b"<is><t>", b"<rPh>", b"<c>", b'<row r="x">']))
        return xml[:i] + tag + xml[i:]
    junk = data.draw(st.sampled_from([b' r="ZZZZ99999999"', b' s="9999999"', b' t="d"', b' t="s"', b' t="e"',
                                      b' r=""', b' s="-1"']))
    m = re.search(rb"<c\b", xml[i:])
    return xml[:i + m.end()] + junk + xml[i + m.end():] if m else xml


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mangled_form_sheet_is_read_or_refused_never_raised(tmp_path_factory, data):
    base = gen.read_members(gen.template_bytes_cached())
    part = gen.sheet_parts(base)[L.SHEET_FORM]
    base[part] = _mangle(base[part], data)
    path = tmp_path_factory.mktemp("mangled") / "表.xlsx"
    path.write_bytes(gen.build_zip(base))
    loaded = load_form(path)  # must not raise
    for f in loaded.findings:
        assert f.code != "PE999"
