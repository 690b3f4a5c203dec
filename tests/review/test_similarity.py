"""Normalised keys, and the near-duplicate join that must find every pair brute force finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval.review.common import is_common
from perfeval.review.similarity import (
    Item,
    indicator_name_key,
    jaccard,
    narrative_key,
    ngrams,
    normalise,
    similar_pairs,
)


def test_indicator_names_compare_without_template_numbers_punctuation_or_width():
    assert indicator_name_key("指标1：开展精品示范村建设数量") == indicator_name_key("开展精品示范村建设数量")
    assert indicator_name_key("（2）“三公经费”控制率") == indicator_name_key("三公经费控制率")
    assert indicator_name_key("指标明确性") == "指标明确性"  # a name that merely starts with 指标
    assert indicator_name_key("1.5万亩造林") != indicator_name_key("5万亩造林")  # a number, not a list number


def test_targets_keep_their_comparison_symbols():
    assert normalise("≥ 95％", keep_symbols=True) == "≥95%"
    assert normalise("≧95%", keep_symbols=True) == normalise("≥95%", keep_symbols=True)
    assert normalise("≥95%", keep_symbols=True) != normalise("≤95%", keep_symbols=True)


def test_a_paragraph_with_its_figures_typed_over_has_the_same_key():
    a = "全县城镇新增就业2118人，失业人员再就业879人。"
    b = "全县城镇新增就业 1905 人，失业人员再就业 912 人。"
    assert narrative_key(a) == narrative_key(b)


def test_common_indicators_by_name_and_by_fragment():
    assert is_common("“三公经费”控制率") and is_common("社会公众满意度") and is_common("预算执行率")
    assert is_common("政府采购执行率") and is_common("固定资产利用率")
    assert not is_common("城镇新增就业人数") and not is_common("机构编制实名制管理")


texts = st.lists(st.text(alphabet="甲乙丙丁戊己庚", min_size=0, max_size=12), min_size=0, max_size=14)


@settings(max_examples=200, deadline=None)
@given(texts, st.sampled_from([0.3, 0.5, 0.8, 1.0]), st.integers(min_value=1, max_value=4))
def test_the_prefix_filtered_join_finds_exactly_the_pairs_brute_force_finds(words, threshold, owners):
    items = [Item(owner=i % owners, grams=ngrams(w, 2), ref=i) for i, w in enumerate(words)]
    brute = {(i, j) for i in range(len(items)) for j in range(i + 1, len(items))
             if items[i].owner != items[j].owner and items[i].grams and items[j].grams
             and jaccard(items[i].grams, items[j].grams) >= threshold}
    got = {(i, j) for i, j, _ in similar_pairs(items, threshold)}
    assert got == brute
