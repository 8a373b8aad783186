"""Reciprocal-rank fusion and the Japanese tokeniser (pure functions)."""

import pytest

from retrieval.search import char_bigrams, fuse_rrf, is_japanese, latin_words, query_names


def test_rrf_rewards_items_ranked_by_both():
    fused = fuse_rrf([["a", "b", "c"], ["c", "b", "d"]], k=60)
    ids = [i for i, _ in fused]
    # c: 1/63 + 1/61 = 0.032266 edges out b: 2/62 = 0.032258; both beat the single-list items.
    assert ids[:2] == ["c", "b"]
    assert set(ids) == {"a", "b", "c", "d"}


def test_rrf_scores_are_the_formula():
    fused = dict(fuse_rrf([["a", "b"], ["b"]], k=10, weights=[1.0, 0.5]))
    assert fused["a"] == pytest.approx(1 / 11)
    assert fused["b"] == pytest.approx(1 / 12 + 0.5 / 11)


def test_rrf_weight_zero_ignores_a_ranking():
    assert [i for i, _ in fuse_rrf([["a", "b"], ["b", "a"]], weights=[1.0, 0.0])] == ["a", "b"]


def test_char_bigrams_normalise_width_and_spaces():
    assert char_bigrams("ＧＩＩ 名古屋") == ["gi", "ii", "i名", "名古", "古屋"]
    assert char_bigrams("a") == ["a"]
    assert char_bigrams("  ") == []


def test_is_japanese():
    assert is_japanese("研究開発税制の控除率は？")
    assert not is_japanese("What R&D tax credit rate does France apply?")
    assert not is_japanese("")


def test_query_names_keep_proper_names_only():
    question = "Spiber appears in both the 2024 and 2018 rankings. What did TSMC and NVIDIA do under X-PAI?"
    assert query_names(question) == ["spiber", "tsmc", "nvidia", "x-pai"]
    assert query_names("Under the open innovation promotion tax scheme, what share is deducted?") == []


def test_latin_words_drop_function_words():
    assert latin_words("The future of European competitiveness") == ["future", "european", "competitiveness"]
