"""The deck's English rendering: one per unit, written for the deck's wording, every number the deck's."""

import pytest

from corpus.bilingual import numbers_not_in_source, read_units_en
from corpus.bundle import default_bundle


@pytest.fixture(scope="module")
def units():
    return {unit.id: unit for unit in default_bundle().units}


@pytest.fixture(scope="module")
def renderings():
    return read_units_en(default_bundle().units_en_path)


def test_every_unit_with_japanese_has_exactly_one_english_rendering(units, renderings):
    needed = {unit_id for unit_id, unit in units.items() if unit.needs_translation}
    assert needed - renderings.keys() == set()
    assert renderings.keys() - units.keys() == set()  # no rendering for a unit the deck does not have


def test_every_rendering_was_written_for_the_decks_current_wording(units, renderings):
    stale = [
        row["_where"] for unit_id, row in renderings.items() if row["text_sha"] != units[unit_id].text_sha
    ]
    assert stale == []


def test_every_number_in_the_english_is_a_number_of_its_japanese_source(units, renderings):
    wrong = {
        row["_where"]: bad
        for unit_id, row in renderings.items()
        if (bad := numbers_not_in_source(row["en"], units[unit_id].text))
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("english", "japanese", "wrong"),
    [
        ("raised ¥30.1 billion", "301億円を調達", []),
        ("raised ¥30 billion", "301億円を調達", ["30 billion"]),
        ("$230 million in February 2025", "2025年2月に2億3,000万ドル", []),
        ("31,000 people, 1st, FY2023", "3.1万人、1位、令和5年度", []),
        ("grew 12%", "13%増加", ["12"]),
        ("(1) basic research", "①基礎研究", []),
    ],
)
def test_the_number_check_accepts_exact_conversions_and_catches_changed_figures(english, japanese, wrong):
    assert numbers_not_in_source(english, japanese) == wrong


def test_every_number_in_a_table_cells_english_is_a_number_of_the_cell():
    tables = default_bundle().tables
    wrong = {
        (table.id, japanese): bad
        for table in tables.tables.values()
        for japanese, english in table.cells_en.items()
        if (bad := numbers_not_in_source(english, japanese))
    }
    assert wrong == {}
    assert sum(len(table.cells_en) for table in tables.tables.values()) >= 100
