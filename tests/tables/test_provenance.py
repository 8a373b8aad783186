"""Every value and name in every table must be traceable to the deck text (NFKC, whitespace-insensitive).

No line numbers are kept with the tables: the loader finds each table's span by its content anchors and each
row's lines by where its cells are printed (corpus/anchors.py). These tests check the result independently:
every cell is covered by the deck text of its row's lines, and one-line tables really are one row a line.

Excluded by design: the `aliases` column (English/alternative names NOT in the deck), column labels,
title_en, notes and keywords (metadata written by us). Composed Japanese titles are flagged in tables.yaml.
"""

import pytest

from corpus.anchors import covered, squash
from corpus.bundle import default_bundle
from retrieval.tables import load_tables

BUNDLE = default_bundle()
TABLES = load_tables(BUNDLE)
DECK_LINES = BUNDLE.text.split("\n")
DECK = squash(BUNDLE.text)
SLIDES = {slide.title: slide for slide in BUNDLE.slides}
# Tables read one row per deck line (docs/tables.md, "regex" extraction).
ONE_ROW_A_LINE = (
    "startup_genome_2024",
    "gii_clusters_2024",
    "qs_2025_asia_oceania",
    "unicorns_japan_2024",
    "startup_funding_2024",
    "startup_funding_2018",
    "ipo_market_cap_by_city",
    "j_startup_selections",
)


def row_text(lines: str) -> str:
    """The deck lines a row names ('2983' or '1630-1636'), squashed."""
    first, _, last = lines.partition("-")
    start, end = int(first), int(last or first)
    assert 1 <= start <= end <= len(DECK_LINES), lines
    return squash("".join(DECK_LINES[start - 1 : end]))


def row_named(table_id: str, name: str):
    table = TABLES.tables[table_id]
    return next(row for row in table.rows if row.display[table.entity_column] == name)


ROWS = [(table, row) for table in TABLES.tables.values() for row in table.rows]


@pytest.mark.parametrize(("table", "row"), ROWS, ids=[f"{t.id}-{r.index}" for t, r in ROWS])
def test_every_cell_appears_in_the_rows_deck_lines(table, row):
    source = row_text(row.lines)
    for column, value in row.display.items():
        if value:
            assert covered(value, source), (
                f"{table.file} row {row.index + 2} column {column}: {value!r} not in lines {row.lines}"
            )


@pytest.mark.parametrize("table_id", ONE_ROW_A_LINE)
def test_one_row_a_line_tables_are_one_row_a_line_in_deck_order(table_id):
    rows = TABLES.tables[table_id].rows
    assert all("-" not in row.lines for row in rows), [row.lines for row in rows]
    numbers = [int(row.lines) for row in rows]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("table", list(TABLES.tables.values()), ids=lambda t: t.id)
def test_rows_lie_on_or_after_their_slides_first_line(table):
    start = SLIDES[table.slide_title].line_start
    assert all(int(row.lines.partition("-")[0]) >= start for row in table.rows)


@pytest.mark.parametrize("table", list(TABLES.tables.values()), ids=lambda t: t.id)
def test_slide_titles_sources_and_deck_titles_appear_in_the_deck(table):
    for title in {table.slide_title, *table.also_on_slides, *(row.slide_title for row in table.rows)}:
        assert title in SLIDES, title
    assert covered(table.source, DECK, min_fragment=6), table.source
    if table.title_from_deck:
        assert squash(table.title_ja) in DECK, table.title_ja


def test_a_table_printed_twice_is_the_same_on_its_other_slide():
    gii = TABLES.tables["gii_clusters_2024"]
    [other] = gii.also_on_slides
    other_text = squash(SLIDES[other].text)
    for row in gii.rows:
        printed = squash(f"{row.display['rank']} {row.display['cluster']} {row.display['economy']}")
        assert printed in other_text, row.display


def test_the_greedy_cover_rejects_invented_text():
    source = row_text(row_named("startup_funding_2024", "Spiber").lines)  # 5 Spiber（構造タンパク質素材） 79
    assert covered("Spiber", source)
    assert not covered("Spiber（構造タンパク質素材） 97", source)
    assert not covered("東京大学", source)


def test_wrapped_cells_are_found_with_whitespace_removed():
    astroscale = row_named("startup_ipos_2021_2024", "アストロスケールホールディングス")
    assert "-" in astroscale.lines  # the name wraps over several lines
    assert covered("アストロスケールホールディングス", row_text(astroscale.lines))
    fund = row_named("meti_rd_funds", "ポスト５Ｇ情報通信システム基盤強化研究開発基金")
    assert covered("ポスト５Ｇ情報通信システム基盤強化研究開発基金", row_text(fund.lines))
