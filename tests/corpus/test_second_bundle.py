"""A second, synthetic bundle (a few slides in Japanese and English, one tiny table) is loaded, indexed
with the real embedder and Chroma, searched and answered offline, with no code change and the shipped
deck untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from corpus.bundle import BundleError, default_bundle, load_bundle

SOURCE = """テスト白書 水素と量子の技術動向 参考資料
2030年1月1日
1



水素エネルギーの現状と課題①
水素の製造コスト
⚫ 水素の製造コストは2030年までに1kgあたり300円を目指す。
⚫ Electrolyser makers in Fukuoka supply the pilot plants.
2



水素エネルギーの現状と課題②
主要国の水素投資額（億円）
1 ドイツ 90
2 日本 70
3 韓国 50
（出典）テスト調査 2029
3



量子コンピュータの研究開発①
量子ビット数の目標
⚫ 2035年までに量子ビット数を1万に増やす。
4
"""

TABLE_META = {
    "tables": [
        {
            "id": "hydrogen_investment",
            "file": "hydrogen_investment.csv",
            "title_ja": "主要国の水素投資額（億円）",
            "title_en": "Hydrogen investment by country (100 million yen)",
            "slide_title": "水素エネルギーの現状と課題②",
            "anchors": {"first": "1 ドイツ 90", "last": "3 韓国 50"},
            "source": "（出典）テスト調査 2029",
            "columns": [
                {"name": "rank", "type": "int", "label_ja": "順位", "label_en": "Rank"},
                {"name": "country", "type": "text", "label_ja": "国名", "label_en": "Country"},
                {
                    "name": "amount",
                    "type": "int",
                    "label_ja": "投資額",
                    "label_en": "Investment",
                    "unit": "億円",
                },
            ],
            "entity_column": "country",
            "rank_column": "rank",
            "keywords": ["水素投資", "hydrogen investment"],
            "row_count": 3,
        }
    ]
}
TABLE_CSV = "rank,country,amount,aliases\n1,ドイツ,90,Germany\n2,日本,70,Japan\n3,韓国,50,Korea\n"


def write_bundle(root: Path) -> Path:
    """The synthetic bundle's folder: bundle.yaml, source.txt and tables/ (English renderings added later)."""
    (root / "tables").mkdir(parents=True)
    source = root / "source.txt"
    source.write_text(SOURCE, encoding="utf-8")
    meta = {
        "id": "test-white-paper-2030",
        "title": {"ja": "テスト白書 水素と量子の技術動向", "en": "Test white paper: hydrogen and quantum"},
        "date": "2030-01-01",
        "language": "ja",
        "source": {"file": "source.txt", "sha256": hashlib.sha256(source.read_bytes()).hexdigest()},
        "assistant": {
            "greeting": "テスト白書について聞いてください。",
            "prompts": [{"title": "水素の目標", "message": "水素の製造コストの目標は？"}],
        },
        "subject": ["日本", "Japan"],
        # English words for this document's own terms (the general lexicon has no word for 水素)
        "lexicon": {
            "terms": [{"ja": "水素", "en": ["hydrogen"]}, {"ja": "製造コスト", "en": ["production cost"]}]
        },
    }
    (root / "bundle.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (root / "tables" / "tables.yaml").write_text(
        yaml.safe_dump(TABLE_META, allow_unicode=True), encoding="utf-8"
    )
    (root / "tables" / "hydrogen_investment.csv").write_text(TABLE_CSV, encoding="utf-8")
    return root


def add_english(root: Path) -> None:
    """One reviewed English rendering, written for the unit's current wording (its text_sha)."""
    bundle = load_bundle(root)
    unit = next(u for u in bundle.units if u.text.startswith("⚫ 水素の製造コスト"))
    row = {
        "id": unit.id,
        "text_sha": unit.text_sha,
        "en": "⚫ Hydrogen production cost: aim for 300 yen per kg by 2030.",
    }
    (root / "units_en").mkdir()
    (root / "units_en" / "part1.jsonl").write_text(
        json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    root = write_bundle(tmp_path_factory.mktemp("second-bundle") / "test-white-paper-2030")
    add_english(root)
    return root


@pytest.fixture(scope="module")
def answerer(bundle_dir, tmp_path_factory):
    from retrieval.answering import build_answerer

    return build_answerer(
        engine="offline", data_dir=tmp_path_factory.mktemp("second-data"), bundle=bundle_dir
    )


def test_the_bundle_loads_its_slides_table_and_english(bundle_dir):
    bundle = load_bundle(bundle_dir)
    assert bundle.id == "test-white-paper-2030" and bundle.display_title.endswith("（2030-01-01）")
    titles = [slide.title for slide in bundle.slides]
    assert titles[1:] == [
        "水素エネルギーの現状と課題①",
        "水素エネルギーの現状と課題②",
        "量子コンピュータの研究開発①",
    ]
    assert [slide.heading for slide in bundle.slides[1:]] == [
        "水素の製造コスト",
        "主要国の水素投資額（億円）",
        "量子ビット数の目標",
    ]
    table = bundle.tables.get("hydrogen_investment")
    assert [(row.display["country"], row.lines) for row in table.rows] == [
        ("ドイツ", "17"),
        ("日本", "18"),
        ("韓国", "19"),
    ]
    assert len(bundle.english) == 1


def test_a_source_that_differs_from_the_recorded_sha256_is_refused(bundle_dir, tmp_path):
    copy = write_bundle(tmp_path / "changed")
    (copy / "source.txt").write_text(SOURCE.replace("300円", "400円"), encoding="utf-8")
    with pytest.raises(BundleError, match="sha256"):
        load_bundle(copy)


def test_search_over_the_real_index_finds_its_slides(answerer):
    from retrieval.search import DeckSearcher

    index = answerer.knowledge.searcher.index
    bundle = answerer.knowledge.bundle
    assert index.bundle is bundle and index.version["bundle"] == "test-white-paper-2030"
    assert all(chunk.id.startswith(bundle.sha256[:8]) for chunk in index.chunks)
    searcher = DeckSearcher(index)
    assert searcher.search("水素の製造コスト", k=3)[0].slide == 2
    assert searcher.search("量子ビット数の目標", k=3)[0].slide == 4
    assert searcher.search("What is the hydrogen production cost target?", k=3)[0].slide == 2


def test_offline_answers_cite_the_bundles_slides(answerer):
    answer = answerer.answer("水素の製造コストの目標は？")
    assert answer.status == "answered" and "300" in answer.answer
    assert [(c.slide, c.section) for c in answer.citations][:1] == [(2, "水素エネルギーの現状と課題①")]
    english = answerer.answer("What hydrogen production cost does the paper aim for?")
    assert english.status == "answered" and "300 yen per kg" in english.answer  # its reviewed rendering
    table = answerer.answer("主要国の水素投資額で日本はいくら？")
    assert "70" in table.answer and 3 in {c.slide for c in table.citations}
    refused = answerer.answer("研究開発税制の控除率は？")
    assert refused.status == "not_in_deck"


def test_the_shipped_deck_is_untouched(answerer):
    shipped = default_bundle()
    assert shipped.id != answerer.knowledge.bundle.id
    source = shipped.root / shipped.source.file
    assert hashlib.sha256(source.read_bytes()).hexdigest() == shipped.sha256
    assert len(shipped.slides) == 64


def test_the_slack_surfaces_and_the_llm_prompt_speak_of_the_bundle(answerer):
    from types import SimpleNamespace

    from bot.listeners.events.assistant import suggested_prompts
    from bot.render.home import render_home
    from retrieval.prompts import system_prompt

    bundle = answerer.knowledge.bundle
    services = SimpleNamespace(bundle=bundle)
    assert suggested_prompts(services) == [{"title": "水素の目標", "message": "水素の製造コストの目標は？"}]
    home = json.dumps(render_home(answerer.sections(), bundle.display_title).to_dict(), ensure_ascii=False)
    assert "テスト白書 水素と量子の技術動向（2030-01-01）" in home and "量子コンピュータの研究開発" in home
    assert "テスト白書 水素と量子の技術動向 (2030-01-01)" in system_prompt(bundle)
