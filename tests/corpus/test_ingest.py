"""Adding a user's document: real PDFs (drawn with reportlab, read back with pypdfium2), text and Markdown
files read into pages, the errors a user sees, and the page bundle written from them."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest
import yaml

import corpus.ingest as ingest
from corpus.bundle import BundleError, default_bundle, load_bundle
from corpus.ingest import IngestError, extract_document
from corpus.pages import PAGE_BREAK, page_slides, page_text, write_page_bundle
from corpus.units import slide_units
from tests.support.pdfs import make_encrypted_pdf, make_image_only_pdf, make_pdf

PAGES = [
    [
        "研究開発税制の概要①",
        "● 試験研究費の総額に係る税額控除は最大14%。",
        "R&D tax credit: up to 14% of total R&D spend.",
    ],
    [
        "Startup ecosystems in Asia",
        "東京のスタートアップ・エコシステムは世界10位。",
        "２０２５年（令和７年）４月",
    ],
    ["量子技術の研究開発", "Quantum computers with 10,000 qubits by 2035.", "量子ビット数を1万に増やす。"],
]


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture
def deck_pdf(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "白書.pdf", PAGES)


def test_pdf_pages_come_back_with_their_text_and_heading(deck_pdf: Path) -> None:
    document = extract_document(deck_pdf)

    assert document.kind == "pdf"
    assert document.file_name == "白書.pdf"
    assert [[_nfkc(line) for line in page.split("\n")] for page in document.pages] == [
        [_nfkc(line) for line in page] for page in PAGES
    ]
    assert document.headings == tuple(page[0] for page in PAGES)
    assert document.title == "研究開発税制の概要①"  # no metadata title: the first page's heading


def test_file_sha256_is_of_the_file_bytes(deck_pdf: Path) -> None:
    assert extract_document(deck_pdf).file_sha256 == hashlib.sha256(deck_pdf.read_bytes()).hexdigest()


def test_pdf_metadata_title_wins(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "a.pdf", PAGES[:1], title="イノベーション白書 2025")
    assert extract_document(path).title == "イノベーション白書 2025"


def test_no_heading_when_no_line_is_clearly_larger(tmp_path: Path) -> None:
    lines = ["Notes on the survey", "The body is set in the same size.", "So is this line."]
    path = make_pdf(tmp_path / "flat.pdf", [lines], heading_size=11, body_size=11)

    document = extract_document(path)

    assert document.headings == (None,)
    assert document.title is None
    # the slide still gets a title: the first line, which reads as a heading
    assert page_slides(page_text(document.pages), document.headings)[0].title == "Notes on the survey"


def test_text_file_pages_at_form_feeds(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("はじめに\n本文の一行目。\n\f第二章 課題\n課題は三つある。\n\f", encoding="utf-8")

    document = extract_document(path)

    assert document.kind == "text"
    assert document.pages == ("はじめに\n本文の一行目。", "第二章 課題\n課題は三つある。")
    assert document.headings == ("はじめに", "第二章 課題")
    assert document.title == "はじめに"


def test_text_without_form_feeds_is_cut_at_paragraphs(tmp_path: Path) -> None:
    paragraphs = [f"Paragraph {n}. " + "This sentence fills the paragraph. " * 12 for n in range(20)]
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")

    document = extract_document(path)

    assert 3 <= len(document.pages) <= 8
    assert all(len(page) <= ingest.TEXT_BLOCK_CHARS for page in document.pages)
    # every cut is at a paragraph break: the pages hold whole paragraphs, in order
    assert [p.strip() for page in document.pages for p in page.split("\n\n")] == [
        p.strip() for p in paragraphs
    ]
    assert document.headings == (None,) * len(document.pages)  # a first line ending a sentence


def test_markdown_sections_are_pages(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "Draft, not for circulation.\n\n# 水素戦略\n水素の製造コスト。\n\n### 詳細\n細目。\n"
        "```\n# not a heading\n```\n## Hydrogen costs ##\nTarget: 300 yen/kg.\n",
        encoding="utf-8",
    )

    document = extract_document(path)

    assert document.kind == "markdown"
    assert document.pages == (
        "Draft, not for circulation.",
        "水素戦略\n水素の製造コスト。\n\n### 詳細\n細目。\n```\n# not a heading\n```",
        "Hydrogen costs\nTarget: 300 yen/kg.",
    )
    assert document.headings == (None, "水素戦略", "Hydrogen costs")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.docx", b"PK\x03\x04 a zip", "unsupported"),
        ("fake.pdf", b"<html>not a pdf</html>", "unsupported"),
        ("latin1.txt", "café".encode("latin-1"), "unsupported"),
        ("nul.md", b"# Title\n\x00binary", "unsupported"),
        ("empty.txt", b"", "empty"),
        ("blank.md", " \n\t\n\u3000\n".encode(), "empty"),
        ("broken.pdf", b"%PDF-1.4\nthis is not a PDF body", "unreadable"),
    ],
)
def test_files_that_cannot_be_added(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(IngestError) as caught:
        extract_document(path)

    assert caught.value.reason == reason
    assert str(caught.value) == caught.value.message_en
    assert caught.value.message_ja != caught.value.message_en


def test_missing_path_and_directory(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.pdf", tmp_path):
        with pytest.raises(IngestError) as caught:
            extract_document(path)
        assert caught.value.reason == "missing"


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(ingest.MAX_FILE_BYTES + 1)  # sparse: no 50 MB written
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))

    with pytest.raises(IngestError) as caught:
        extract_document(path)

    assert caught.value.reason == "too_large"
    assert "50 MB" in str(caught.value)


def test_too_many_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = tmp_path / "pages.txt"
    text.write_text(PAGE_BREAK.join(f"page {n}" for n in range(ingest.MAX_PAGES + 1)), encoding="utf-8")
    pdf = make_pdf(tmp_path / "three.pdf", PAGES)
    monkeypatch.setattr(ingest, "MAX_PAGES", 2, raising=True)
    with pytest.raises(IngestError) as caught:
        extract_document(pdf)
    assert caught.value.reason == "too_many_pages"
    monkeypatch.undo()

    with pytest.raises(IngestError) as caught:
        extract_document(text)
    assert caught.value.reason == "too_many_pages"
    assert "500" in str(caught.value)


def test_too_much_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_TEXT_CHARS", 100)
    for path in (make_pdf(tmp_path / "a.pdf", PAGES), tmp_path / "a.md"):
        if path.suffix == ".md":
            path.write_text("# Title\n" + "x" * 101, encoding="utf-8")
        with pytest.raises(IngestError) as caught:
            extract_document(path)
        assert caught.value.reason == "too_many_pages"


def test_password_protected_pdf(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        extract_document(make_encrypted_pdf(tmp_path / "secret.pdf"))
    assert caught.value.reason == "encrypted"
    assert "パスワード" in caught.value.message_ja


def test_image_only_pdf_has_no_text(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        extract_document(make_image_only_pdf(tmp_path / "scan.pdf"))
    assert caught.value.reason == "no_text"
    assert "OCR" in str(caught.value)


def test_page_slides_titles_lines_and_empty_pages() -> None:
    text = page_text(["研究開発の概要\n本文。", "", "これは文です。\n\n\n次の行"])

    slides = page_slides(text)

    assert [slide.title for slide in slides] == ["研究開発の概要", "p.2", "p.3"]
    assert [slide.inferred_title for slide in slides] == [False, True, True]
    assert [slide.page for slide in slides] == [1, 2, 3]
    assert slides[1].text == ""
    assert slides[2].text == "これは文です。\n\n次の行"  # a blank run folds to one line
    lines = text.split("\n")
    for slide in slides:
        assert [lines[n - 1] for n in slide.source_lines] == slide.text.split("\n")[: len(slide.source_lines)]
    assert (slides[2].line_start, slides[2].line_end) == (6, 9)


def test_page_bundle_writes_and_loads(deck_pdf: Path, tmp_path: Path) -> None:
    document = extract_document(deck_pdf)
    folder = tmp_path / "bundles" / "white-paper"

    bundle = write_page_bundle(document, folder, document_id="white-paper", title="テスト白書")

    assert bundle == load_bundle(folder)
    data = yaml.safe_load((folder / "bundle.yaml").read_text(encoding="utf-8"))
    assert data["layout"] == "pages" and data["language"] == "ja"
    assert data["source"]["original_name"] == "白書.pdf"
    assert data["source"]["sha256"] == hashlib.sha256((folder / "source.txt").read_bytes()).hexdigest()
    assert "テスト白書" in bundle.assistant.greeting and bundle.assistant.prompts == []
    assert bundle.tables is None and bundle.english == {}
    assert [slide.title for slide in bundle.slides] == [page[0] for page in PAGES]
    source_lines = bundle.text.split("\n")
    for slide, page in zip(bundle.slides, PAGES, strict=True):
        assert [_nfkc(line) for line in slide.text.split("\n")] == [_nfkc(line) for line in page]
        assert [source_lines[n - 1] for n in slide.source_lines] == slide.text.split("\n")
    units = bundle.units
    assert [unit.id for unit in units if unit.slide == 1] == ["s01-u001", "s01-u002", "s01-u003"]
    assert units == [unit for slide in bundle.slides for unit in slide_units(slide)]
    assert all(source_lines[unit.line - 1].strip().startswith(unit.text[:5]) for unit in units)


def test_page_bundle_language_and_refusals(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Hydrogen\nCosts fall to 300 yen/kg (水素).\n", encoding="utf-8")
    document = extract_document(path)
    assert write_page_bundle(document, tmp_path / "en", document_id="notes", title="Notes").language == "en"

    with pytest.raises(FileExistsError):
        write_page_bundle(document, tmp_path / "en", document_id="notes", title="Notes")
    with pytest.raises(BundleError):
        write_page_bundle(document, tmp_path / "bad", document_id="Bad ID!", title="Notes")
    assert not (tmp_path / "bad").exists()  # nothing written for a refused id


def test_shipped_deck_keeps_the_deck_layout() -> None:
    bundle = default_bundle()
    assert bundle.layout == "deck" and bundle.page_headings is None
