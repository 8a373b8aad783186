"""Find text of a document by its content, not by line number: table spans by their first and last lines,
table rows by the lines their cells are printed on. Pure.

Text is compared squashed (NFKC, whitespace removed), because the PDF flattening wraps cells across lines.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence

MIN_FRAGMENT = 3


def squash(text: str) -> str:
    """NFKC with all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def fragments(value: str, source: str, min_fragment: int = MIN_FRAGMENT) -> list[str] | None:
    """`value` (squashed) read greedily as the longest prefixes that occur in `source`, each at least
    `min_fragment` characters (or the whole rest, when shorter); None when some part occurs nowhere."""
    rest, found = squash(value), []
    while rest:
        size = len(rest)
        floor = min(min_fragment, len(rest))
        while size >= floor and rest[:size] not in source:
            size -= 1
        if size < floor:
            return None
        found.append(rest[:size])
        rest = rest[size:]
    return found


def covered(value: str, source: str, min_fragment: int = MIN_FRAGMENT) -> bool:
    """Whether every '／'-separated part of `value` is a run of fragments of `source` (squashed)."""
    return all(fragments(part, source, min_fragment) is not None for part in value.split("／"))


def find_line(lines: Sequence[str], needle: str, start: int = 0) -> int | None:
    """Index of the first line at or after `start` whose squashed text contains the squashed `needle`."""
    wanted = squash(needle)
    if not wanted:
        return None
    return next((i for i in range(max(start, 0), len(lines)) if wanted in squash(lines[i])), None)


class SpanText:
    """The squashed text of a range of lines, with the line each character came from."""

    def __init__(self, lines: Sequence[str], first: int) -> None:
        """Args: lines: the lines of the range; first: the number of the first (any numbering)."""
        self.first = first
        self.count = len(lines)
        pieces = [squash(line) for line in lines]
        self.text = "".join(pieces)
        self.starts: list[int] = []  # offset where each line's text begins
        offset = 0
        for piece in pieces:
            self.starts.append(offset)
            offset += len(piece)

    def line_of(self, offset: int) -> int:
        """0-based line (within the range) of a character offset."""
        return bisect.bisect_right(self.starts, offset) - 1

    def occurrences(self, needle: str, *, line_start: bool = False) -> list[tuple[int, int]]:
        """(first line, last line), 0-based within the range, of every occurrence of `needle`; with
        `line_start`, only those beginning a line (when there are any)."""
        found, position = [], self.text.find(needle)
        while position >= 0:
            found.append((position, (self.line_of(position), self.line_of(position + len(needle) - 1))))
            position = self.text.find(needle, position + 1)
        if line_start:
            starts = set(self.starts)
            found = [item for item in found if item[0] in starts] or found
        return [lines for _, lines in found]


def _items(cells: Sequence[str], span: SpanText, name: str | None) -> list[list[tuple[int, int]]] | None:
    """The occurrences each piece of the cells needs: a part that occurs whole, else each of its fragments.

    The row's name is looked for where it begins a line, when it does anywhere: "スタートアップ数" is the
    row that starts with it, not the one inside "大学発スタートアップ数".
    """
    items = []
    for cell in cells:
        for part in cell.split("／"):
            whole = squash(part)
            if not whole:
                continue
            pieces = [whole] if whole in span.text else fragments(whole, span.text)
            if pieces is None:
                return None
            named = name is not None and whole == squash(name)
            items += [span.occurrences(piece, line_start=named) for piece in pieces]
    return items


def _suffix_min_end(occurrences: list[tuple[int, int]], count: int) -> list[int]:
    """For each line i, the smallest last line of an occurrence starting at or after i (count = none)."""
    best = [count] * (count + 1)
    for start, end in occurrences:
        best[start] = min(best[start], end)
    for i in range(count - 1, -1, -1):
        best[i] = min(best[i], best[i + 1])
    return best


def row_window(cells: Sequence[str], span: SpanText, name: str | None = None) -> tuple[int, int] | None:
    """The smallest range of lines (numbered like the span) on which every cell of a row is printed.

    Args:
        cells: The row's printed cells ('／' separates pieces printed apart).
        span: The table's lines.
        name: The row's name cell, preferably found where it begins a line.

    Returns:
        (first, last) line, or None when some cell does not occur in the span. Of equally small ranges,
        the first.
    """
    items = _items(cells, span, name)
    if items is None or any(not occurrences for occurrences in items):
        return None
    if not items:
        return None
    ends = [_suffix_min_end(occurrences, span.count) for occurrences in items]
    best: tuple[int, int] | None = None
    for start in range(span.count):
        last = max(end[start] for end in ends)
        if last >= span.count:
            break  # no later start can hold every piece either
        if best is None or last - start < best[1] - best[0]:
            best = (start, last)
    if best is None:
        return None
    return best[0] + span.first, best[1] + span.first
