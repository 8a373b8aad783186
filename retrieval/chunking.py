"""Turn slides into searchable chunks: one per short slide, overlapping windows for long ones (pure)."""

import re
import unicodedata

from corpus.deck import Slide
from retrieval.models import Chunk

CHUNKING_VERSION = "slides-v6-numbered-notes"
# Body characters per chunk: keeps title + body under the e5 window (512 tokens) with room to spare.
MAX_BODY_CHARS = 520
# English rendering characters per chunk (an English token is ~4 characters, a Japanese one ~1.5).
MAX_ENGLISH_CHARS = 1200
ENGLISH_PART = "-en"  # chunk ids of a slide's English rendering: <sha>-s12-en0
# Lines repeated at the start of the next window so a fact cut by a boundary is whole in one chunk.
OVERLAP_LINES = 1
_WHITESPACE = re.compile(r"\s+")
# Axis labels and bare figures ("0", "2,000", "35%") carry no meaning for the embedder and cost tokens.
_NUMERIC_LINE = re.compile(r"^[\s\d,.%％()（）\-+]*$")


def normalize(text: str) -> str:
    """NFKC-normalise and drop all whitespace (the form evidence matching and bigrams use)."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def _windows(lines: list[str], limit: int = MAX_BODY_CHARS) -> list[tuple[int, int]]:
    """Split body lines into [start, end) windows of at most `limit` characters, overlapping by OVERLAP_LINES."""
    windows: list[tuple[int, int]] = []
    start = 0
    while start < len(lines):
        end, size = start, 0
        while end < len(lines) and (end == start or size + len(lines[end]) <= limit):
            size += len(lines[end])
            end += 1
        windows.append((start, end))
        if end >= len(lines):
            break
        start = max(end - OVERLAP_LINES, start + 1)
    return windows


def chunk_slides(slides: list[Slide], *, sha_prefix: str = "deck") -> list[Chunk]:
    """Cut slides into chunks carrying slide number, title, chapter, subtitle and source lines.

    Args:
        slides: Parsed slides in deck order.
        sha_prefix: Deck hash prefix used in the stable chunk ids.

    Returns:
        Chunks in deck order; `text` is the original lines for display.
    """
    chunks: list[Chunk] = []
    for slide in slides:
        lines = [line for line in slide.text.split("\n") if line.strip()]
        line_numbers = slide.source_lines or [slide.line_start] * len(lines)
        body = [
            (n, line) for n, line in zip(line_numbers, lines, strict=False) if line.strip() != slide.title
        ]
        if not body:
            body = list(zip(line_numbers, lines, strict=False))
        for part, (start, end) in enumerate(_windows([line for _, line in body])):
            piece = body[start:end]
            text = "\n".join(line for _, line in piece)
            chunks.append(
                _chunk(slide, f"{sha_prefix}-s{slide.number:02d}-p{part}", piece[0][0], piece[-1][0], text)
            )
    return chunks


def _chunk(slide: Slide, chunk_id: str, line_start: int, line_end: int, text: str) -> Chunk:
    return Chunk(
        id=chunk_id,
        slide=slide.number,
        section=slide.title,
        chapter=slide.chapter,
        heading=slide.heading,
        line_start=line_start,
        line_end=line_end,
        text=text,
    )


def chunk_english(
    slides: list[Slide], english: dict[int, list[str]], *, sha_prefix: str = "deck"
) -> list[Chunk]:
    """The slides' reviewed English renderings as chunks of their own (embedded, not indexed lexically), so an
    English question meets the slide in its own language.

    Args:
        slides: Parsed slides in deck order.
        english: Slide number -> the English of its units, in slide order.
        sha_prefix: Deck hash prefix used in the stable chunk ids.
    """
    chunks: list[Chunk] = []
    for slide in slides:
        lines = english.get(slide.number, [])
        for part, (start, end) in enumerate(_windows(lines, MAX_ENGLISH_CHARS)):
            chunk_id = f"{sha_prefix}-s{slide.number:02d}{ENGLISH_PART}{part}"
            text = "\n".join(lines[start:end])
            chunks.append(_chunk(slide, chunk_id, slide.line_start, slide.line_end, text))
    return chunks


def is_english_chunk(chunk: Chunk) -> bool:
    """Whether the chunk holds a slide's English rendering (see chunk_english)."""
    return f"-s{chunk.slide or 0:02d}{ENGLISH_PART}" in chunk.id


def embedding_text(chunk: Chunk) -> str:
    """Text to embed and to index lexically: title and subtitle first, short table cells joined."""
    if is_english_chunk(chunk):
        return chunk.text
    head = chunk.section if not chunk.heading else f"{chunk.section} {chunk.heading}"
    body = [
        line
        for line in chunk.text.split("\n")
        if len(line.strip()) > 1 and not _NUMERIC_LINE.match(line) and line.strip() != chunk.section
    ]
    return f"{head}\n{_join_short_lines(chr(10).join(body))}"


def _join_short_lines(text: str) -> str:
    """Join runs of short lines (table cells, one per line) with spaces; keep longer lines as they are."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if out and len(line) <= 20 and len(out[-1]) < 120:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def lexical_text(chunk: Chunk) -> str:
    """Text for the lexical index: title, subtitle and every original line (figures matter here)."""
    return f"{chunk.section} {chunk.heading or ''}\n{chunk.text}"
