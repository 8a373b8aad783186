"""Ids `deckbot add` gives documents from their file names: readable, and distinct for Japanese names."""

import pytest

from retrieval.documents import document_id_for


@pytest.mark.parametrize(
    ("file_name", "document_id"),
    [
        ("Interim Report 2025.pdf", "interim-report-2025"),
        ("中間とりまとめ（本文）.pdf", "chuukantorimatome-honbun"),
        ("メモ_v2.md", "memo-v2"),
        ("a.pdf", "doc-a"),
        ("（）.txt", "doc"),
    ],
)
def test_an_id_is_read_from_the_file_name(file_name: str, document_id: str) -> None:
    assert document_id_for(file_name) == document_id


def test_two_japanese_names_get_two_ids() -> None:
    # both would be "doc" without romanisation, and the second would replace the first
    assert document_id_for("参考資料.pdf") != document_id_for("中間とりまとめ.pdf")
