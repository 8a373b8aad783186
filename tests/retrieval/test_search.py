"""Hybrid search with the real embedder over the session index (built once in conftest)."""

import pytest
from langchain_core.retrievers import BaseRetriever

from retrieval.chunking import normalize
from retrieval.search import DeckSearcher


def test_english_question_finds_the_japanese_slide(searcher):
    hits = searcher.search("How much R&D tax credit can a company take? What is the credit rate curve?", k=5)
    assert hits[0].section.startswith("我が国の研究開発インセンティブの現状と課題")
    assert "我が国の研究開発インセンティブの現状と課題④" in [h.section for h in hits]


def test_english_question_about_a_startup_slide(searcher):
    hits = searcher.search("Which Japanese unicorn companies are listed by CB Insights?", k=3)
    assert any("1 Preferred Networks" in h.text for h in hits)


def test_japanese_question_hits_the_slide_with_the_fact(searcher):
    hits = searcher.search("TSMCが日本に研究開発拠点を設立したのはいつですか", k=3)
    assert hits[0].section == "我が国のイノベーション拠点の強みと課題④"
    assert normalize("2022年6月、茨城県") in normalize(hits[0].text)


def test_hits_are_one_per_slide_best_first(searcher):
    hits = searcher.search("スタートアップの資金調達", k=8)
    assert len(hits) == 8
    assert len({h.slide for h in hits}) == 8
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.chunk is not None and h.chunk.slide == h.slide for h in hits)


def test_blank_query_and_k_bounds(searcher):
    assert searcher.search("   ") == []
    assert searcher.search("研究開発税制", k=0) == []
    assert len(searcher.search("研究開発税制", k=1)) == 1


@pytest.mark.parametrize("mode", ["dense", "lexical"])
def test_single_retriever_modes_still_search(deck_index, mode):
    hits = DeckSearcher(deck_index, mode=mode).search("イノベーション拠点税制の概要", k=3)
    assert hits and hits[0].section == "我が国の研究開発インセンティブの現状と課題⑥"


def test_unknown_mode_is_refused(deck_index):
    with pytest.raises(ValueError, match="unknown search mode"):
        DeckSearcher(deck_index, mode="magic")


def test_langchain_retriever_returns_documents_with_metadata(searcher):
    retriever = searcher.as_retriever(k=2)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("オープンイノベーション促進税制")
    assert len(documents) == 2
    meta = documents[0].metadata
    assert meta["section"] == "我が国の研究開発インセンティブの現状と課題⑦"
    assert meta["slide"] == 30 and meta["id"].endswith(("-p0", "-p1", "-p2"))
