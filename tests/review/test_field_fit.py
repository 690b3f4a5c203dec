"""The field measure: explainable words, longest first, the department's own text decides."""

from __future__ import annotations

import tomllib
from collections import Counter
from importlib import resources

from perfeval.example_data import zhengning_2023
from perfeval.review.field_fit import DATA_FILE, MAX_OVERLAP, judge_row, own_fields, vocabulary

SEED_FUNCTIONS = zhengning_2023().narrative.text("functions")


def test_every_word_of_the_vocabulary_belongs_to_one_field_only():
    data = tomllib.loads((resources.files("perfeval") / "data" / DATA_FILE).read_text(encoding="utf-8"))
    words = Counter(w for f in data["field"] for w in f["words"])
    words.update(data["neutral"])
    assert [w for w, n in words.items() if n > 1] == []


def test_the_scan_is_leftmost_longest_and_counts_each_stretch_once():
    vocab = vocabulary()
    assert vocab.scan("人事档案管理") == ["人事档案"]  # not also 档案管理
    assert vocab.scan("预算编制准确率") == ["预算编制"]  # neutral: not 编制 of 机构编制
    assert vocab.scan("落实党管机构编制原则") == ["党管机构"]
    assert vocab.field_of["人事档案"] == "renshe" and vocab.field_of["预算编制"] == ""


def test_the_seed_functions_text_is_the_renshe_field_and_nothing_of_bianban():
    own = own_fields(SEED_FUNCTIONS)
    assert "renshe" in own and "bianban" not in own
    assert "社会保险" in own["renshe"] and "劳动监察" in own["renshe"]


def test_a_row_of_another_field_is_reported_with_its_numbers():
    fit = judge_row("提升机构编制法制水平情况 达90%以上", SEED_FUNCTIONS)
    assert fit.mismatched and fit.main_field == "bianban"
    assert fit.foreign == {"bianban": ("机构编制",)} and fit.own == ()
    assert fit.overlap < MAX_OVERLAP


def test_a_row_naming_the_departments_own_work_is_not_reported():
    assert not judge_row("推进重点领域体制改革 全面完成人社工作", SEED_FUNCTIONS).mismatched
    assert not judge_row("城镇新增就业人数 ≥2000人", SEED_FUNCTIONS).mismatched
    assert not judge_row("职工培训业务能力提升 每周利用一小时培训业务", SEED_FUNCTIONS).mismatched  # no field


def test_a_foreign_word_the_functions_text_itself_uses_is_the_departments_own():
    functions = "负责全县社会保险、就业工作，承担本系统事业单位登记的初审。"
    assert not judge_row("加强事业单位登记管理", functions).mismatched
    assert judge_row("加强事业单位登记管理", SEED_FUNCTIONS).mismatched


def test_a_foreign_field_word_written_in_the_functions_text_counts_as_the_departments_own():
    functions = "负责全县社会保险经办，兼管县级机构编制实名制数据维护。"
    fit = judge_row("机构编制实名制数据维护", functions)
    assert not fit.mismatched and fit.own == ("机构编制",)


def test_a_row_whose_foreign_word_is_outweighed_by_words_of_the_functions_text_is_not_reported():
    functions = "负责全县社会保险经办和数据维护工作，指导县级数据中心建设。"
    fit = judge_row("编制资源数据中心数据维护", functions)
    assert fit.foreign == {"bianban": ("编制资源",)} and fit.own == ()
    assert fit.overlap >= MAX_OVERLAP and not fit.mismatched
