"""Sentence units of a document: the quotable pieces evidence is ranked and translated by.

A unit is one bullet, sentence or note of a slide, with the PDF's line wraps re-joined. Each has a stable id
(slide and position), so data about units (the English rendering) can be kept beside the deck and checked
against it: `text_sha` changes whenever the deck's wording of that unit changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from tools.text import has_japanese

if TYPE_CHECKING:
    from corpus.deck import Slide

# A numbered note (「注４ …」) starts a unit of its own even when the PDF printed it straight after the last one.
_BULLET_START = re.compile(
    r"^\s*(?:[⚫•◼➢✓※・■□●○◆◇▶►→⇒【\-]|[\u2460-\u2473]|\(\d+\)|（\d+）|\d+[.．)）]\s|注[\d０-９]+\s)"
)
_SENTENCE_END = re.compile(r"[。．.!！?？）)」』]$")
_RANK_ROW = re.compile(r"^\s*(?:\d+|（\d+）|\(\d+\))\s")
MAX_UNIT_CHARS = 220


@dataclass(frozen=True)
class Unit:
    """A quotable piece of a slide: one bullet or sentence, wrapped lines re-joined."""

    text: str
    line_index: int


def split_units(text: str) -> list[Unit]:
    """Split slide text into quotable units (cached: slides are few and fixed)."""
    return list(_split_units(text))


@lru_cache(maxsize=512)
def _split_units(text: str) -> tuple[Unit, ...]:
    """Split text into units, re-joining lines the PDF wrapped in the middle of a sentence.

    A line is continued by the next when it is long (a wrapped line, not a table cell), does not end a
    sentence, and the next line does not start a new bullet or table row.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    units: list[Unit] = []
    current = ""
    previous_line = ""
    start = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            if current:
                units.append(Unit(current, start))
                current = ""
            continue
        if not current:
            current, start, previous_line = line, index, line
            continue
        continues = (
            len(previous_line) >= 16
            and not _SENTENCE_END.search(current)
            and not _BULLET_START.match(line)
            and not _RANK_ROW.match(line)
            and len(current) + len(line) <= MAX_UNIT_CHARS
        )
        if continues:
            joiner = " " if re.search(r"[A-Za-z0-9]$", current) and re.match(r"[A-Za-z0-9]", line) else ""
            current = f"{current}{joiner}{line}"
        else:
            units.append(Unit(current, start))
            current, start = line, index
        previous_line = line
    if current:
        units.append(Unit(current, start))
    return tuple(units)




@dataclass(frozen=True)
class DeckUnit:
    """A unit of one slide, addressable by id (e.g. ``s12-u007``)."""

    id: str
    slide: int
    line: int  # 1-based source line of the unit's first line
    text: str

    @property
    def text_sha(self) -> str:
        """Short hash of the unit's wording, so a translation written for other wording is detected."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]

    @property
    def needs_translation(self) -> bool:
        """Units without Japanese (numbers, Latin names, chart ticks) read the same in English."""
        return has_japanese(self.text)


def slide_units(slide: Slide) -> list[DeckUnit]:
    """The slide's units with ids and source lines."""
    lines = slide.source_lines
    return [
        DeckUnit(
            id=f"s{slide.number:02d}-u{position:03d}",
            slide=slide.number,
            line=lines[unit.line_index] if unit.line_index < len(lines) else slide.line_start,
            text=unit.text,
        )
        for position, unit in enumerate(split_units(slide.text), start=1)
    ]
