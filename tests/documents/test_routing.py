"""Answers from several documents: the deck plus three PDFs whose topics overlap it (R&D tax, startups).

Each question's answer must come from the document that holds it, and the deck's own questions must be
answered as well as with the deck alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.bundle import default_bundle
from retrieval.answer_eval import evaluate_answers
from retrieval.answering import build_answerer
from retrieval.documents import ChromaTarget, add_document
from retrieval.evaluation import load_eval_rows
from tests.support.pdfs import make_pdf

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "sample.jsonl"
DECK = default_bundle().id
DOCUMENTS = {
    "quantum-memo": (
        "Quantum Strategy Memo 2026",
        [
            [
                "量子技術イノベーション戦略メモ 2026",
                "本メモは社内の検討用資料であり、量子技術への投資方針をまとめたものである。",
            ],
            [
                "量子コンピュータ投資計画",
                "当社は2026年度に量子コンピュータ研究へ12億円を投資する。",
                "主な研究拠点はつくば市と福岡市に置く。",
            ],
            [
                "Pilot program with partners",
                "The pilot program with Kyushu Quantum Labs starts in October 2026.",
            ],
        ],
    ),
    "tax-guide-2026": (
        "研究開発税制の手引き 2026年度版",
        [
            [
                "研究開発税制の手引き 2026年度版",
                "本手引きは、2026年度の研究開発税制の主な変更点を事業者向けにまとめたものである。",
            ],
            [
                "一般型の見直し",
                "2026年度から、一般型の控除上限は法人税額の30%に引き上げられる。",
                "控除率の上限は14%のまま据え置かれる。",
            ],
            [
                "申請手続き",
                "申請の締切は2026年6月30日である。",
                "申請はオンラインの電子申請システムで受け付ける。",
            ],
            [
                "Notes for foreign-owned companies",
                "Foreign-owned companies may apply if their R&D is performed in Japan.",
            ],
        ],
    ),
    "startup-survey": (
        "Startup Ecosystem Survey 2026",
        [
            [
                "Startup Ecosystem Survey 2026",
                "This survey covers startup hubs in Asia and was conducted in 2026.",
            ],
            [
                "Hub rankings",
                "Osaka ranked 12th among Asian startup hubs in the 2026 survey.",
                "Fukuoka ranked 18th, up from 25th a year earlier.",
            ],
            [
                "Investment",
                "Total venture investment in Japan reached 1.2 trillion yen in 2025 according to the survey.",
                "Deep-tech startups received 35 percent of that amount.",
            ],
        ],
    ),
}


@pytest.fixture(scope="module")
def library(deck_index, tmp_path_factory: pytest.TempPathFactory):
    """The deck and the three PDFs, served by one Library."""
    data_dir = tmp_path_factory.mktemp("routing") / "data"
    shutil.copytree(Path(deck_index.data_dir) / "chroma", data_dir / "chroma")
    folder = tmp_path_factory.mktemp("routing-pdfs")
    for document_id, (title, pages) in DOCUMENTS.items():
        pdf = make_pdf(folder / f"{document_id}.pdf", pages, title=title)
        add_document(ChromaTarget(data_dir), pdf, embedder=deck_index.embedder)
    return build_answerer(engine="offline", data_dir=data_dir, embedder=deck_index.embedder)


@pytest.mark.parametrize(
    ("question", "document", "expected"),
    [
        ("量子コンピュータ研究への投資額は？", "quantum-memo", "12億円"),
        ("When does the pilot program with Kyushu Quantum Labs start?", "quantum-memo", "October 2026"),
        ("2026年度の一般型の控除上限は？", "tax-guide-2026", "30%"),
        ("申請の締切はいつ？", "tax-guide-2026", "6月30日"),
        ("Can foreign-owned companies apply?", "tax-guide-2026", "performed in Japan"),
        ("What rank did Fukuoka get?", "startup-survey", "18th"),
        ("How much venture investment did Japan get in 2025?", "startup-survey", "1.2 trillion yen"),
        ("What share went to deep-tech startups?", "startup-survey", "35 percent"),
        ("東京のスタートアップ・エコシステムの順位は？", DECK, "10位"),
        ("オープンイノベーション促進税制の控除率は？", DECK, "25%"),
    ],
)
def test_each_answer_comes_from_the_document_that_holds_it(library, question, document, expected) -> None:
    answer = library.answer(question)
    assert answer.status == "answered"
    assert expected in answer.answer
    assert document in {c.document_id for c in answer.citations}


def test_an_answer_from_two_documents_says_which_part_is_whose(library) -> None:
    answer = library.answer("一般型の控除率は？")
    cited = {c.document_id for c in answer.citations}
    assert cited == {DECK, "tax-guide-2026"}
    assert "【研究開発税制の手引き 2026年度版】" in answer.answer
    assert f"【{default_bundle().title.ja}】" in answer.answer


def test_a_follow_up_stays_with_the_thread_s_document(library) -> None:
    first = library.answer("東京のスタートアップ・エコシステムの順位は？")
    follow_up = library.answer(
        "大阪は？", history=["東京のスタートアップ・エコシステムの順位は？", first.answer]
    )
    assert DECK in {c.document_id for c in follow_up.citations}


def test_a_calculation_cites_the_deck_s_rules(library) -> None:
    answer = library.answer("試験研究費10億円、前3期平均8億円、法人税額5億円なら控除額は？")
    assert answer.tool_calls and answer.tool_calls[0].name == "rd_credit"
    assert {c.document_id for c in answer.citations} == {DECK}


def test_the_sample_is_answered_as_well_as_with_the_deck_alone(library, deck_index) -> None:
    rows = load_eval_rows(SAMPLE)
    alone = build_answerer(engine="offline", data_dir=deck_index.data_dir, embedder=deck_index.embedder)
    with_documents = evaluate_answers(library, rows, warm_up=False)
    deck_only = evaluate_answers(alone, rows, warm_up=False)
    assert with_documents.overall_accuracy >= deck_only.overall_accuracy
    assert with_documents.false_refusals <= deck_only.false_refusals


@pytest.mark.parametrize(
    ("question", "document", "expected", "page"),
    [
        # an English question about a Japanese page, and a Japanese one about an English page
        (
            "How much will the company invest in quantum computing research in FY2026?",
            "quantum-memo",
            "12億円",
            2,
        ),
        ("パイロットプログラムはいつ始まる？", "quantum-memo", "October 2026", 3),
    ],
)
def test_a_question_in_the_other_language_is_quoted_as_printed(library, question, document, expected, page):
    answer = library.answer(question)
    assert answer.status == "answered"
    assert expected in answer.answer
    assert (document, page) in {(c.document_id, c.page) for c in answer.citations}
    assert any("原文のまま" in note or "as printed" in note for note in answer.notes)


def test_a_year_the_quote_does_not_print_is_not_quoted_across_languages(library) -> None:
    from retrieval.cross_language import CrossLanguageQuoter

    memo = library.document("quantum-memo")
    quoter = CrossLanguageQuoter(memo.engine.knowledge, "offline")
    assert (
        quoter.answer("How much will the company invest in quantum computing research in FY2026?") is not None
    )
    assert quoter.answer("How much will the company invest in quantum computing research in FY2031?") is None
