"""Page bundles: a document added by a user (PDF, text, Markdown) whose slides are its pages.

`source.txt` of a page bundle holds the pages' text separated by form feeds, each on a line of its own
(`page_text`), so the text stays line-addressable like the shipped deck's; `page_slides` turns it back into
one `Slide` per page, and `write_page_bundle` writes the bundle folder for an `ExtractedDocument`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from corpus.deck import Slide
from tools.text import japanese_count, latin_count

if TYPE_CHECKING:
    from corpus.bundle import DocumentBundle
    from corpus.ingest import ExtractedDocument

PAGE_BREAK = "\f"
MAX_HEADING_CHARS = 80
_SENTENCE_END = re.compile(r"[。．.!！?？、,;；]$")


def looks_like_heading(line: str) -> bool:
    """Whether a line reads as a heading: short, with a letter, not ending (or continuing) a sentence."""
    text = line.strip()
    return (
        0 < len(text) <= MAX_HEADING_CHARS
        and any(char.isalpha() for char in text)
        and not _SENTENCE_END.search(text)
    )


def page_text(pages: Sequence[str]) -> str:
    """The pages joined for source.txt: separated by a line holding only a form feed."""
    # A form feed inside a page would read back as a page break, so it becomes a line break.
    return f"\n{PAGE_BREAK}\n".join(page.replace(PAGE_BREAK, "\n") for page in pages)


def _split_pages(text: str) -> list[list[tuple[int, str]]]:
    """Each page's (1-based source line, line) pairs; a form feed anywhere in a line breaks the page."""
    pages: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(text.split("\n"), start=1):
        parts = line.split(PAGE_BREAK)
        for position, part in enumerate(parts):
            if position:
                pages.append([])
            if part or len(parts) == 1:
                pages[-1].append((number, part.rstrip()))
    return pages


def _fold_blanks(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop leading/trailing blank lines and fold blank runs to one, as the deck's slides do."""
    folded: list[tuple[int, str]] = []
    for number, line in lines:
        if line.strip() or (folded and folded[-1][1].strip()):
            folded.append((number, line))
    while folded and not folded[-1][1].strip():
        folded.pop()
    return folded


def page_slides(text: str, headings: Sequence[str | None] | None = None) -> list[Slide]:
    """One Slide per page of a source.txt written by `page_text`.

    The title is the page's entry in `headings` when given and non-empty, else the page's first non-empty
    line when it looks like a heading, else "p.<n>" (then `inferred_title` is True).
    """
    slides: list[Slide] = []
    for n, raw in enumerate(_split_pages(text), start=1):
        lines = _fold_blanks(raw)
        given = headings[n - 1] if headings is not None and n - 1 < len(headings) else None
        first = lines[0][1].strip() if lines else ""
        title = (given or "").strip() or (first if looks_like_heading(first) else "")
        span = [number for number, _ in raw] or [1]
        slides.append(
            Slide(
                number=n,
                title=title or f"p.{n}",
                chapter=None,
                page=n,
                line_start=lines[0][0] if lines else span[0],
                line_end=lines[-1][0] if lines else span[-1],
                text="\n".join(line for _, line in lines),
                inferred_title=not title,
                source_lines=[number for number, _ in lines],
            )
        )
    return slides


def text_language(text: str) -> str:
    """ "ja" when the text is mostly Japanese, else "en".

    A Japanese character carries about a word, an English word about five letters, so Japanese characters
    count three times the Latin letters: a Japanese report full of English terms stays "ja".
    """
    japanese, latin = japanese_count(text), latin_count(text)
    return "ja" if japanese and japanese * 3 >= latin else "en"


def _bundle_data(extracted: ExtractedDocument, *, document_id: str, title: str, sha256: str) -> dict:
    return {
        "id": document_id,
        "title": {"ja": title, "en": title},
        "language": text_language("".join(extracted.pages)),
        "layout": "pages",
        "source": {"file": "source.txt", "original_name": extracted.file_name, "sha256": sha256},
        "page_headings": list(extracted.headings),
        "assistant": {
            "greeting": f"こんにちは。「{title}」について何でも聞いてください。\n"
            f"Hi! Ask me anything about “{title}”.",
            "prompts": [],
        },
        "tables": None,
        "units_en": None,
    }


def write_page_bundle(
    extracted: ExtractedDocument, folder: Path, *, document_id: str, title: str
) -> DocumentBundle:
    """Write folder/bundle.yaml and folder/source.txt for an extracted document and load the bundle.

    Raises:
        FileExistsError: `folder` exists and is not an empty folder (nothing is overwritten).
        corpus.bundle.BundleError: the id or title is not valid for a bundle (checked before writing).
    """
    from corpus.bundle import BUNDLE_FILE, BundleError, DocumentBundle, load_bundle  # bundle imports us

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder}: a page bundle is written into a new or empty folder")
    if not title.strip():
        raise BundleError("a page bundle needs a non-empty title")
    source = page_text(extracted.pages).encode("utf-8")
    data = _bundle_data(
        extracted, document_id=document_id, title=title, sha256=hashlib.sha256(source).hexdigest()
    )
    try:  # refuse a bad id before anything is written
        DocumentBundle.model_validate({**data, "root": folder})
    except ValueError as error:
        raise BundleError(f"{folder / BUNDLE_FILE}: {error}") from None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.txt").write_bytes(source)
    # bundle.yaml last: a folder without it is not a bundle, so an interrupted write is never loaded.
    header = "# A page bundle written by corpus.pages.write_page_bundle. Format: docs/bundle-format.md.\n"
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    (folder / BUNDLE_FILE).write_text(header + body, encoding="utf-8")
    return load_bundle(folder)
