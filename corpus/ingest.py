"""A user's document (PDF, plain text, Markdown) read into pages, with the heading found on each page.

`extract_document(path)` checks the file (kind, size, pages, password, text layer) and returns an
`ExtractedDocument`, or raises `IngestError` with a reason a user can act on, in English and Japanese.
PDFs are read with pypdfium2 (PDFium); why, and what was checked, is in docs/pdf-extraction.md.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pypdfium2
import pypdfium2.raw as pdfium_c

from corpus.pages import PAGE_BREAK, looks_like_heading

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PAGES = 500
MAX_TEXT_CHARS = 2_000_000
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown")
TEXT_BLOCK_CHARS = 2_000  # a plain text without form feeds is cut into pages of about this size
HEADING_SIZE_RATIO = 1.2  # a heading's font is at least this much larger than the page's median
_PLACEHOLDER_TITLES = {"untitled", "(anonymous)", "anonymous"}  # what PDF writers put when no title was set
_MARKDOWN_HEADING = re.compile(r"^(#{1,2})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")

Reason = Literal[
    "missing", "unsupported", "empty", "too_large", "too_many_pages", "encrypted", "no_text", "unreadable"
]


class IngestError(ValueError):
    """A file that cannot be added, with a user-facing reason in both languages."""

    def __init__(self, reason: Reason, message_en: str, message_ja: str):
        super().__init__(message_en)
        self.reason = reason
        self.message_en = message_en
        self.message_ja = message_ja

    def __str__(self) -> str:
        return self.message_en


@dataclass(frozen=True)
class ExtractedDocument:
    """A document read into pages: their text, the heading found on each, and the document's title."""

    kind: Literal["pdf", "text", "markdown"]
    file_name: str
    file_sha256: str
    pages: tuple[str, ...]
    headings: tuple[str | None, ...]
    title: str | None


def _clean(text: str) -> str:
    """Line breaks as "\\n", no control characters (NULs, PDFium's soft-hyphen marks), no trailing spaces.

    Form feeds go too: in source.txt they separate pages.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        char
        for char in text
        if char in "\n\t" or (unicodedata.category(char) != "Cc" and char not in "\ufffe\uffff")
    )
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _too_many_pages(pages: int | None = None) -> IngestError:
    if pages is not None:
        return IngestError(
            "too_many_pages",
            f"The document has {pages} pages; at most {MAX_PAGES} can be added.",
            f"この文書は{pages}ページあります。追加できるのは{MAX_PAGES}ページまでです。",
        )
    return IngestError(
        "too_many_pages",
        f"The document has more than {MAX_TEXT_CHARS:,} characters of text; split it and add the parts.",
        f"この文書の本文は{MAX_TEXT_CHARS:,}文字を超えています。分割して追加してください。",
    )


def _empty(name: str) -> IngestError:
    return IngestError("empty", f"{name} is empty.", f"{name} は空です。")


def _check_bounds(pages: list[str]) -> None:
    if len(pages) > MAX_PAGES:
        raise _too_many_pages(len(pages))
    if sum(len(page) for page in pages) > MAX_TEXT_CHARS:
        raise _too_many_pages()


# --- PDF -------------------------------------------------------------------------------------------------


def _join_heading_lines(lines: list[str]) -> str:
    """Join a heading that wraps over lines: a space between Latin words, nothing between Japanese."""
    joined = ""
    for line in lines:
        space = joined and re.search(r"[A-Za-z0-9]$", joined) and re.match(r"[A-Za-z0-9]", line)
        joined = f"{joined}{' ' if space else ''}{line}"
    return joined


def _pdf_heading(textpage: pypdfium2.PdfTextPage) -> str | None:
    """The first run of lines drawn in the page's largest font, when it is clearly larger than the body.

    The size of each character comes from PDFium's char list, whose generated characters (the line breaks
    and spaces PDFium infers from positions) have no font and are left out of the sizes.
    """
    lines: list[tuple[str, float]] = []  # (line text, largest size on it)
    sizes: list[float] = []
    chars, size = [], 0.0
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        if code == 0x0A:
            lines.append(("".join(chars).strip(), size))
            chars, size = [], 0.0
            continue
        if code in (0x0D, 0) or pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            chars.append(" " if code == 0x20 else "")
            continue
        char = chr(code)
        chars.append(char)
        if not char.isspace():
            char_size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
            if char_size > 0:
                sizes.append(char_size)
                size = max(size, char_size)
    lines.append(("".join(chars).strip(), size))
    if not sizes:
        return None  # no font sizes: page_slides falls back to the first short line
    largest, median = max(sizes), statistics.median(sizes)
    if largest < HEADING_SIZE_RATIO * median:
        return None
    run: list[str] = []
    for text, line_size in lines:
        if text and abs(line_size - largest) < 0.5:
            run.append(_clean(text))
        elif run:
            break
    return _join_heading_lines(run)[:200] or None


def _open_pdf(data: bytes, name: str) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IngestError(
                "encrypted",
                f"{name} is password-protected; remove the password and add it again.",
                f"{name} はパスワードで保護されています。パスワードを外してから追加してください。",
            ) from None
        raise IngestError(
            "unreadable",
            f"{name} could not be read as a PDF ({error}); it may be damaged.",
            f"{name} をPDFとして読み込めませんでした（{error}）。ファイルが破損している可能性があります。",
        ) from None


def _pdf_title(document: pypdfium2.PdfDocument) -> str | None:
    title = " ".join((document.get_metadata_value("Title") or "").split())
    return title if title and title.lower() not in _PLACEHOLDER_TITLES else None


def _extract_pdf(
    data: bytes, name: str, *, progress: bool = False
) -> tuple[list[str], list[str | None], str | None]:
    if not data.startswith(b"%PDF"):
        raise IngestError(
            "unsupported",
            f"{name} is not a PDF file (it does not start with %PDF).",
            f"{name} はPDFファイルではありません（%PDF で始まっていません）。",
        )
    document = _open_pdf(data, name)
    try:
        if len(document) > MAX_PAGES:
            raise _too_many_pages(len(document))
        if len(document) == 0:
            raise _empty(name)
        pages: list[str] = []
        headings: list[str | None] = []
        total = 0
        from tqdm import tqdm

        for index in tqdm(range(len(document)), desc="extracting pages", unit="page", disable=not progress):
            page = document[index]
            textpage = page.get_textpage()
            try:
                pages.append(_clean(textpage.get_text_bounded()))
                headings.append(_pdf_heading(textpage))
            finally:
                textpage.close()
                page.close()
            total += len(pages[-1])
            if total > MAX_TEXT_CHARS:
                raise _too_many_pages()
        return pages, headings, _pdf_title(document)
    finally:
        document.close()


# --- text and Markdown -------------------------------------------------------------------------------------


def _decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM dropped); NUL bytes mean a binary file (or UTF-16) under a text suffix."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise IngestError(
            "unsupported",
            f"{name} is not UTF-8 text; save it as UTF-8 text, Markdown or PDF.",
            f"{name} はUTF-8のテキストではありません。"
            "UTF-8のテキスト、Markdown、PDFのいずれかで保存してください。",
        )
    return text


def _cut_long(paragraph: str, limit: int) -> list[str]:
    """A paragraph longer than `limit` cut at line breaks, and a line longer than that cut hard."""
    pieces: list[str] = []
    current = ""
    for line in paragraph.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*pieces, current] if current else pieces


def text_blocks(text: str, limit: int = TEXT_BLOCK_CHARS) -> list[str]:
    """The text cut into blocks of at most `limit` characters, at blank-line paragraph breaks if possible."""
    blocks: list[str] = []
    current = ""
    for paragraph in re.split(r"\n[ \t]*\n+", text):
        paragraph = paragraph.strip("\n")
        if not paragraph.strip():
            continue
        if current and len(current) + 2 + len(paragraph) <= limit:
            current = f"{current}\n\n{paragraph}"
            continue
        if current:
            blocks.append(current)
        pieces = _cut_long(paragraph, limit) if len(paragraph) > limit else [paragraph]
        blocks.extend(pieces[:-1])
        current = pieces[-1]
    return [*blocks, current] if current else blocks


def _first_line_heading(page: str) -> str | None:
    first = next((line.strip() for line in page.split("\n") if line.strip()), "")
    return first if looks_like_heading(first) else None


def _text_pages(text: str) -> tuple[list[str], list[str | None]]:
    if PAGE_BREAK in text:
        pages = [_clean(page) for page in text.split(PAGE_BREAK)]
        while pages and not pages[-1].strip():
            pages.pop()  # a trailing form feed does not start a page
    else:
        pages = text_blocks(_clean(text))
    return pages, [_first_line_heading(page) for page in pages]


def _markdown_pages(text: str) -> tuple[list[str], list[str | None]]:
    """Sections at `# ` and `## ` headings (not inside code fences); the heading line loses its marks."""
    pages: list[list[str]] = [[]]
    headings: list[str | None] = [None]
    in_fence = False
    for line in _clean(text).split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _MARKDOWN_HEADING.match(line)
        if match and match.group(2):
            pages.append([match.group(2)])
            headings.append(match.group(2))
        else:
            pages[-1].append(line)
    joined = ["\n".join(lines).strip("\n") for lines in pages]
    if not joined[0].strip():  # nothing before the first heading
        joined, headings = joined[1:], headings[1:]
    return joined, headings


# --- the entry point ---------------------------------------------------------------------------------------


def _read_checked(path: Path) -> bytes:
    """The file's bytes, after the checks that need no reading (exists, kind, size)."""
    name = path.name
    if not path.is_file():
        raise IngestError(
            "missing",
            f"{path} does not exist or is not a file.",
            f"{path} は存在しないかファイルではありません。",
        )
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        raise IngestError(
            "unsupported",
            f"{name}: only PDF, plain text and Markdown files can be added ({kinds}).",
            f"{name}: 追加できるのはPDF、テキスト、Markdownのファイルだけです（{kinds}）。",
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise IngestError(
            "too_large",
            f"{name} is {size / (1024 * 1024):.1f} MB; at most {limit} MB can be added.",
            f"{name} は{size / (1024 * 1024):.1f}MBです。追加できるのは{limit}MBまでです。",
        )
    return path.read_bytes()


def extract_document(path: Path | str, *, progress: bool = False) -> ExtractedDocument:
    """Read a PDF, text or Markdown file into pages and the heading found on each (`progress`: show a
    progress bar over a PDF's pages).

    Raises:
        IngestError: the file is missing, of another kind, empty, too large, has too many pages or too much
            text, is password-protected, has no text layer (a scan) or cannot be opened; see its `reason`.
    """
    path = Path(path)
    data = _read_checked(path)
    name = path.name
    if not data.strip():
        raise _empty(name)
    suffix = path.suffix.lower()
    title: str | None = None
    if suffix == ".pdf":
        kind: Literal["pdf", "text", "markdown"] = "pdf"
        pages, headings, title = _extract_pdf(data, name, progress=progress)
        if not any(page.strip() for page in pages):
            raise IngestError(
                "no_text",
                f"{name} has no text layer (a scanned or image-only PDF?); text recognition (OCR) is not "
                "supported, so add a PDF with selectable text.",
                f"{name} にはテキスト情報がありません（スキャンや画像のみのPDF？）。"
                "文字認識（OCR）には対応していないため、テキストを選択できるPDFを追加してください。",
            )
    else:
        text = _decode_text(data, name)
        if not text.strip():
            raise _empty(name)
        if len(text) > MAX_TEXT_CHARS:
            raise _too_many_pages()
        kind = "text" if suffix == ".txt" else "markdown"
        pages, headings = _text_pages(text) if kind == "text" else _markdown_pages(text)
    _check_bounds(pages)
    return ExtractedDocument(
        kind=kind,
        file_name=name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        pages=tuple(pages),
        headings=tuple(headings),
        title=title or (headings[0] if headings else None),
    )
