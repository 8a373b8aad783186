"""Every value and name in every table must be traceable to the deck text (NFKC, whitespace-insensitive).

Excluded by design: the `aliases` column (English/alternative names NOT in the deck), column labels,
title_en, notes and keywords (metadata written by us). Composed Japanese titles are flagged in tables.json.
"""

import re
import unicodedata

import pytest

from corpus import DECK_PATH
from retrieval.tables import load_tables

TABLES = load_tables()
DECK_LINES = DECK_PATH.read_text(encoding="utf-8").splitlines()


def squash(text: str) -> str:
    """NFKC with all whitespace removed (cells wrap across lines in the flattened PDF)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


DECK = squash("\n".join(DECK_LINES))


def row_text(lines: str) -> str:
    """The deck lines a row names ('2983' or '1630-1636'), squashed."""
    first, _, last = lines.partition("-")
    start, end = int(first), int(last or first)
    assert 1 <= start <= end <= len(DECK_LINES), lines
    return squash("".join(DECK_LINES[start - 1 : end]))


def covered(value: str, source: str, min_fragment: int = 3) -> bool:
    """Whether value is a run of deck fragments: each '／'-separated part, read greedily as the longest
    prefixes that occur in source (fragments of at least min_fragment characters)."""
    for part in value.split("／"):
        rest = squash(part)
        while rest:
            size = len(rest)
            while size >= min(min_fragment, len(rest)) and rest[:size] not in source:
                size -= 1
            if size < min(min_fragment, len(rest)):
                return False
            rest = rest[size:]
    return True


ROWS = [(table, row) for table in TABLES.tables.values() for row in table.rows]


@pytest.mark.parametrize(("table", "row"), ROWS, ids=[f"{t.id}-{r.index}" for t, r in ROWS])
def test_every_cell_appears_in_the_rows_deck_lines(table, row):
    source = row_text(row.lines)
    for column, value in row.display.items():
        if value:
            assert covered(value, source), (
                f"{table.file} row {row.index + 2} column {column}: {value!r} not in lines {row.lines}"
            )


@pytest.mark.parametrize("table", list(TABLES.tables.values()), ids=lambda t: t.id)
def test_slide_titles_sources_and_deck_titles_appear_in_the_deck(table):
    for title in {table.slide_title, *table.also_on_slides, *(row.slide_title for row in table.rows)}:
        assert squash(title) in DECK, title
    assert covered(table.source, DECK, min_fragment=6), table.source
    if table.title_from_deck:
        assert squash(table.title_ja) in DECK, table.title_ja


def test_the_greedy_cover_rejects_invented_text():
    source = row_text("2983")  # 5 Spiber（構造タンパク質素材） 79
    assert covered("Spiber", source)
    assert not covered("Spiber（構造タンパク質素材） 97", source)
    assert not covered("東京大学", source)


def test_wrapped_cells_are_found_with_whitespace_removed():
    assert covered("アストロスケールホールディングス", row_text("2858-2862"))
    assert covered("ポスト５Ｇ情報通信システム基盤強化研究開発基金", row_text("1638-1647"))
