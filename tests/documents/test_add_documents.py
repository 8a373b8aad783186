"""`deckbot add / documents / remove` end to end: real PDFs (reportlab), the real embedder, a real Chroma store.

The data dir starts as a copy of the session's deck index, so the deck is embedded once per test session and
what these tests add never reaches another test's index.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from corpus.bundle import default_bundle
from retrieval.index import open_client
from tests.support.pdfs import make_encrypted_pdf, make_image_only_pdf, make_pdf

DECK_ID = default_bundle().id
MEMO_TITLE = "Quantum Strategy Memo 2026"
MEMO_PAGES = [
    [
        "量子技術イノベーション戦略メモ 2026",
        "本メモは社内の検討用資料であり、量子技術への投資方針をまとめたものである。",
        "作成：技術戦略部（2026年3月）",
    ],
    [
        "量子コンピュータ投資計画",
        "当社は2026年度に量子コンピュータ研究へ12億円を投資する。",
        "主な研究拠点はつくば市と福岡市に置く。",
    ],
    [
        "Pilot program with partners",
        "The pilot program with Kyushu Quantum Labs starts in October 2026.",
        "The program budget is 3.5 million dollars over two years.",
    ],
    ["人材育成", "量子人材を3年間で150人育成する目標を掲げる。", "大学との共同講座を2027年度に開設する。"],
]
DECK_QUESTIONS = ["東京のスタートアップ・エコシステムの順位は？", "What is Japan's R&D tax credit cap?"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def ask(data_dir: Path, question: str) -> dict:
    code, output = run("ask", question, "--json", "--data-dir", data_dir)
    assert code == 0, output
    return json.loads(output)


def listing(data_dir: Path) -> list[dict]:
    code, output = run("documents", "--json", "--data-dir", data_dir)
    assert code == 0, output
    return json.loads(output)


def collection_counts(data_dir: Path) -> dict[str, int]:
    client = open_client(data_dir)
    return {c.name: client.get_collection(c.name).count() for c in client.list_collections()}


def cited_documents(answer: dict) -> set[str]:
    return {c["document_id"] for c in answer["citations"]}


@pytest.fixture(scope="module")
def data_dir(deck_index, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding a copy of the deck's index."""
    directory = tmp_path_factory.mktemp("documents") / "data"
    shutil.copytree(Path(deck_index.data_dir) / "chroma", directory / "chroma")
    return directory


@pytest.fixture(scope="module")
def deck_answers(data_dir: Path) -> dict[str, dict]:
    """The deck questions' answers before any document is added."""
    return {question: ask(data_dir, question) for question in DECK_QUESTIONS}


@pytest.fixture(scope="module")
def memo(data_dir: Path, deck_answers, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The memo PDF, added with `deckbot add`."""
    path = make_pdf(tmp_path_factory.mktemp("pdf") / "quantum-memo.pdf", MEMO_PAGES, title=MEMO_TITLE)
    code, output = run("add", path, "--data-dir", data_dir)
    assert code == 0, output
    assert "added quantum-memo" in output
    return path


def test_documents_lists_the_deck_and_the_added_pdf(data_dir: Path, memo: Path) -> None:
    rows = {row["id"]: row for row in listing(data_dir)}
    assert rows[DECK_ID]["kind"] == "deck" and rows[DECK_ID]["added"] == "shipped"
    added = rows["quantum-memo"]
    assert (added["title"], added["kind"], added["pages"]) == (MEMO_TITLE, "pdf", 4)
    assert len(added["sha256"]) == 64 and added["units"] >= 8


@pytest.mark.parametrize(
    ("question", "expected", "page"),
    [
        ("量子コンピュータ研究への投資額は？", "12億円", 2),
        ("When does the pilot program with Kyushu Quantum Labs start?", "October 2026", 3),
        ("What is the pilot program's budget?", "3.5 million dollars", 3),
        ("量子人材を何人育成する目標ですか？", "150人", 4),
    ],
)
def test_a_question_only_the_pdf_answers_cites_it_by_title_and_page(
    data_dir: Path, memo: Path, question: str, expected: str, page: int
) -> None:
    answer = ask(data_dir, question)
    assert answer["status"] == "answered"
    assert expected in answer["answer"]
    cited = [c for c in answer["citations"] if c["document_id"] == "quantum-memo"]
    assert cited and all(c["document_title"] == MEMO_TITLE for c in cited)
    assert page in {c["page"] for c in cited}
    assert DECK_ID not in cited_documents(answer)


def test_deck_questions_are_still_answered_from_the_deck(data_dir: Path, memo: Path) -> None:
    answer = ask(data_dir, DECK_QUESTIONS[0])
    assert "10位" in answer["answer"]
    assert cited_documents(answer) == {DECK_ID}


def test_a_question_scoped_to_the_pdf_never_cites_the_deck(data_dir: Path, memo: Path) -> None:
    answer = ask(data_dir, "Quantum Strategy Memoでは、研究拠点はどこ？")
    assert "つくば市" in answer["answer"]
    assert cited_documents(answer) == {"quantum-memo"}
    # a deck topic asked of the memo is not answered from the deck
    answer = ask(data_dir, "In the quantum strategy memo, what is Tokyo's startup ecosystem rank?")
    assert DECK_ID not in cited_documents(answer)
    assert "10位" not in answer["answer"]
    # referred to by what it is, not by name: the one PDF, the document added last
    for question in ("PDFでは、研究拠点はどこ？", "According to the new document, where are the research bases?"):
        answer = ask(data_dir, question)
        assert cited_documents(answer) == {"quantum-memo"}, question


def test_a_question_scoped_to_the_deck_never_cites_the_pdf(data_dir: Path, memo: Path) -> None:
    answer = ask(data_dir, "参考資料では、量子技術への投資額は？")
    assert "quantum-memo" not in cited_documents(answer)


def test_adding_the_same_file_again_changes_nothing(data_dir: Path, memo: Path) -> None:
    before = (listing(data_dir), collection_counts(data_dir))
    code, output = run("add", memo, "--data-dir", data_dir)
    assert code == 0 and "already added" in output
    assert (listing(data_dir), collection_counts(data_dir)) == before


def _bad_files(folder: Path) -> list[Path]:
    empty = folder / "empty.pdf"
    empty.write_bytes(b"")
    truncated = folder / "truncated.pdf"
    truncated.write_bytes(make_pdf(folder / "whole.pdf", MEMO_PAGES).read_bytes()[:400])
    word = folder / "notes.docx"
    word.write_bytes(b"PK\x03\x04 not a document deckbot reads")
    return [
        make_encrypted_pdf(folder / "locked.pdf"),
        make_image_only_pdf(folder / "scan.pdf"),
        empty,
        truncated,
        word,
        folder / "missing.pdf",
    ]


def test_bad_files_leave_the_index_exactly_as_it_was(data_dir: Path, memo: Path, tmp_path: Path) -> None:
    before = (listing(data_dir), collection_counts(data_dir))
    for path in _bad_files(tmp_path):
        code, output = run("add", path, "--data-dir", data_dir)
        assert code != 0, path
        assert "Traceback" not in output and path.name in output, output
    assert (listing(data_dir), collection_counts(data_dir)) == before
    assert not list((data_dir / "documents").glob(".staging-*"))


def test_a_failure_while_embedding_leaves_nothing_half_added(
    data_dir: Path, memo: Path, tmp_path: Path
) -> None:
    from retrieval.documents import ChromaTarget, add_document

    class BrokenEmbedder:
        model_id = "broken"

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise RuntimeError("embedding backend failed")

        def embed_query(self, text: str) -> list[float]:
            raise RuntimeError("embedding backend failed")

    def folders() -> list[str]:
        return sorted(p.name for p in (data_dir / "documents").iterdir())

    before = (listing(data_dir), collection_counts(data_dir), folders())
    other = make_pdf(tmp_path / "other.pdf", [["Another memo", "Something else entirely, in English."]])
    with pytest.raises(RuntimeError, match="embedding backend failed"):
        add_document(ChromaTarget(data_dir), other, embedder=BrokenEmbedder())
    assert (listing(data_dir), collection_counts(data_dir), folders()) == before


def test_a_changed_file_replaces_the_old_version(data_dir: Path, memo: Path, tmp_path: Path) -> None:
    from retrieval.documents import ChromaTarget, add_document, collection_name

    changed = [*MEMO_PAGES[:3], ["人材育成", "量子人材を5年間で400人育成する目標に改めた。"]]
    path = make_pdf(tmp_path / "quantum-memo.pdf", changed, title=MEMO_TITLE)
    old = next(row for row in listing(data_dir) if row["id"] == "quantum-memo")
    result = add_document(ChromaTarget(data_dir), path)
    assert result.status == "replaced"
    collections = collection_counts(data_dir)
    assert collection_name("quantum-memo", old["sha256"]) not in collections
    assert collections[result.entry.collection] == result.entry.chunks
    answer = ask(data_dir, "量子人材を何人育成する目標ですか？")
    assert "400人" in answer["answer"] and "150人" not in answer["answer"]
    add_document(ChromaTarget(data_dir), memo)  # back to the memo the other tests ask about


def test_a_document_added_while_serving_is_searched_from_the_next_question(
    data_dir: Path, memo: Path, tmp_path: Path
) -> None:
    from retrieval.answering import build_answerer
    from retrieval.documents import ChromaTarget, add_document, remove_document

    library = build_answerer(engine="offline", data_dir=data_dir)
    question = "What colour is the Kestrel project's logo?"
    assert "kestrel-notes" not in {d.id for d in library.documents()}
    notes = tmp_path / "kestrel-notes.md"
    notes.write_text(
        "# Kestrel project\n\nThe Kestrel project's logo is teal and orange.\n", encoding="utf-8"
    )
    add_document(ChromaTarget(data_dir), notes)
    try:
        answer = library.answer(question)
        assert "teal and orange" in answer.answer
        assert {c.document_id for c in answer.citations} == {"kestrel-notes"}
    finally:
        remove_document(ChromaTarget(data_dir), "kestrel-notes")
    assert "kestrel-notes" not in {d.id for d in library.documents()}


def test_remove_leaves_the_deck_answers_unchanged(data_dir: Path, memo: Path, deck_answers) -> None:
    code, output = run("remove", "quantum-memo", "--data-dir", data_dir)
    assert code == 0 and "removed quantum-memo" in output
    assert [row["id"] for row in listing(data_dir)] == [DECK_ID]
    assert not any(name.startswith("doc-quantum-memo") for name in collection_counts(data_dir))
    for question, before in deck_answers.items():
        assert ask(data_dir, question) == before
    code, output = run("remove", DECK_ID, "--data-dir", data_dir)
    assert code != 0 and "cannot be removed" in output
    code, output = run("remove", "quantum-memo", "--data-dir", data_dir)
    assert code != 0 and "No added document" in output
