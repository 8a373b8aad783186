"""Turn slides into searchable chunks: one per short slide, overlapping windows for long ones (pure)."""

import re
import unicodedata

from corpus.deck import Slide
from retrieval.models import Chunk

CHUNKING_VERSION = "slides-v3"
# Body characters per chunk: keeps title + body under the e5 window (512 tokens) with room to spare.
MAX_BODY_CHARS = 520
# Lines repeated at the start of the next window so a fact cut by a boundary is whole in one chunk.
OVERLAP_LINES = 1
_WHITESPACE = re.compile(r"\s+")
# Axis labels and bare figures ("0", "2,000", "35%") carry no meaning for the embedder and cost tokens.
_NUMERIC_LINE = re.compile(r"^[\s\d,.%％()（）\-+]*$")


def normalize(text: str) -> str:
    """NFKC-normalise and drop all whitespace (the form evidence matching and bigrams use)."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def _windows(lines: list[str]) -> list[tuple[int, int]]:
    """Split body lines into [start, end) windows of at most MAX_BODY_CHARS, overlapping by OVERLAP_LINES."""
    windows: list[tuple[int, int]] = []
    start = 0
    while start < len(lines):
        end, size = start, 0
        while end < len(lines) and (end == start or size + len(lines[end]) <= MAX_BODY_CHARS):
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
            chunks.append(
                Chunk(
                    id=f"{sha_prefix}-s{slide.number:02d}-p{part}",
                    slide=slide.number,
                    section=slide.title,
                    chapter=slide.chapter,
                    heading=slide.heading,
                    line_start=piece[0][0],
                    line_end=piece[-1][0],
                    text="\n".join(line for _, line in piece),
                )
            )
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """Text to embed and to index lexically: title and subtitle first, short table cells joined."""
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
