"""Which documents a question names, and what is left of the question once the names are taken out."""

import pytest

from retrieval.document_scope import read_scope

NAMES = {
    "meti-innovation-2025-04-17": [
        "産業構造審議会 イノベーション小委員会 中間とりまとめ 参考資料",
        "Industrial Structure Council, Innovation Subcommittee — Interim Summary, Reference Materials",
        "参考資料",
        "the deck",
    ],
    "interim-report": ["中間とりまとめ（本文）", "Interim Report (main text)"],
    "quantum-memo": ["Quantum Strategy Memo 2026", "quantum-memo"],
    "startup-survey": ["Startup Ecosystem Survey 2026"],
    "tax-guide": ["研究開発税制の手引き 2026年度版"],
}


@pytest.mark.parametrize(
    ("question", "documents", "rest"),
    [
        ("参考資料では東京の順位は？", ["meti-innovation-2025-04-17"], "東京の順位は?"),
        ("本文によると目標は？", ["interim-report"], "目標は?"),
        ("In the main report, what is the goal?", ["interim-report"], "what is the goal?"),
        ("Quantum Strategy Memoでは研究拠点はどこ？", ["quantum-memo"], "研究拠点はどこ?"),
        ("According to the memo, when does the pilot start?", ["quantum-memo"], "when does the pilot start?"),
        (
            "What does the startup ecosystem survey say about Osaka?",
            ["startup-survey"],
            "What does say about Osaka?",
        ),
        ("手引きでは締切はいつ？", ["tax-guide"], "締切はいつ?"),
        ("what does quantum-memo say about budgets?", ["quantum-memo"], "what does say about budgets?"),
    ],
)
def test_a_named_document_scopes_the_question(question: str, documents: list[str], rest: str) -> None:
    scope = read_scope(question, NAMES)
    assert scope.documents == documents
    assert scope.question == rest


@pytest.mark.parametrize(
    "question",
    [
        "Tokyo startup ecosystem rank? what about Osaka?",  # title words, but no kind of document
        "研究開発税制の控除上限は？",  # a topic of the guide, not its name
        "中間とりまとめの要点は？",  # shared by the report and its reference deck: names neither
        "2026年度の予算は？",  # a date in a title is no name
        "What is the innovation box?",
    ],
)
def test_topic_words_name_no_document(question: str) -> None:
    scope = read_scope(question, NAMES)
    assert scope.documents == [] and scope.question == question


def test_naming_every_document_is_naming_none() -> None:
    names = {"a-doc": ["Alpha Report"], "b-doc": ["Beta Report"]}
    assert read_scope("Compare the alpha report and the beta report", names).documents == []


KINDS = {
    doc: ("deck" if doc.startswith("meti") else "pdf" if doc == "quantum-memo" else "markdown")
    for doc in NAMES
}


@pytest.mark.parametrize(
    ("question", "documents", "rest"),
    [
        (
            "According to the new document, when does the pilot start?",
            ["tax-guide"],
            "when does the pilot start?",
        ),
        ("追加した資料では締切はいつ？", ["tax-guide"], "締切はいつ?"),
        ("PDFでは投資額は？", ["quantum-memo"], "投資額は?"),  # the one PDF
        ("In the PDF, what is the budget?", ["quantum-memo"], "what is the budget?"),
    ],
)
def test_a_document_referred_to_by_what_it_is(question: str, documents: list[str], rest: str) -> None:
    scope = read_scope(question, NAMES, kinds=KINDS, newest="tax-guide")
    assert (scope.documents, scope.question) == (documents, rest)


def test_without_an_added_document_new_names_nothing() -> None:
    assert read_scope("what is in the new document?", NAMES, kinds=KINDS).documents == []
    two_pdfs = dict(KINDS, **{"startup-survey": "pdf"})
    assert read_scope("PDFでは投資額は？", NAMES, kinds=two_pdfs).documents == []  # which PDF is not said
