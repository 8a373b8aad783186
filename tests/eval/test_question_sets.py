"""The evaluation sets: well-formed, follow-ups point back in their file, and the held-out set is frozen."""

import hashlib
import re
from pathlib import Path

import pytest

from retrieval.evaluation import load_eval_rows

HERE = Path(__file__).parent


@pytest.mark.parametrize(
    "name",
    [
        "heldout.jsonl",
        "heldout2.jsonl",
        "heldout3.jsonl",
        "heldout4.jsonl",
        "heldout5.jsonl",
        "heldout6.jsonl",
        "heldout7.jsonl",
        "heldout8.jsonl",
    ],
)
def test_the_held_out_sets_are_byte_for_byte_the_ones_written_before_tuning(name):
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    recorded = re.search(rf"^{re.escape(name)} sha256: `([0-9a-f]{{64}})`", readme, re.M)
    assert recorded, f"README.md records {name}'s sha256"
    assert hashlib.sha256((HERE / name).read_bytes()).hexdigest() == recorded.group(1)


@pytest.mark.parametrize("name", ["dev.jsonl", "heldout.jsonl"])
def test_each_set_has_forty_questions_half_english_and_follow_ups_that_point_back(name):
    rows = load_eval_rows(HERE / name)
    assert len(rows) == 40
    assert sum(r.lang == "en" for r in rows) == 20
    assert sum(r.kind == "unanswerable" for r in rows) == 5
    seen: set[str] = set()
    for row in rows:
        assert row.follows is None or row.follows in seen, row.id
        seen.add(row.id)
    assert sum(r.follows is not None for r in rows) == 5


def test_dev3_was_written_to_its_brief():
    # session 4's blind set: 40 rows, half English, 8 unanswerable, 4 follow-up pairs, 4 tax calculations
    rows = load_eval_rows(HERE / "dev3.jsonl")
    assert len(rows) == 40 and sum(r.lang == "en" for r in rows) == 20
    assert sum(r.kind == "unanswerable" for r in rows) == 8 and sum(r.kind == "tax_calc" for r in rows) == 4
    ids = [r.id for r in rows]
    for row in rows:
        if row.follows is not None:
            assert ids.index(row.follows) == ids.index(row.id) - 1, row.id
        assert (row.kind == "unanswerable") == (row.must_contain == []), row.id
    assert sum(r.follows is not None for r in rows) == 4


def test_heldout2_was_written_to_its_brief():
    rows = load_eval_rows(HERE / "heldout2.jsonl")
    assert len(rows) == 40 and sum(r.lang == "en" for r in rows) == 20
    assert sum(r.kind == "unanswerable" for r in rows) == 7 and sum(r.follows is not None for r in rows) == 4


@pytest.mark.parametrize(
    ("name", "english", "unanswerable", "pairs"),
    [
        ("heldout3.jsonl", 20, 7, 4),
        ("dev5.jsonl", 28, 7, 4),
        ("heldout4.jsonl", 20, 7, 4),
        ("dev6.jsonl", 20, 7, 4),
        ("dev7.jsonl", 20, 7, 4),
        ("dev8.jsonl", 20, 6, 4),
        ("heldout5.jsonl", 20, 7, 4),
        ("dev9.jsonl", 20, 7, 4),
        ("heldout6.jsonl", 20, 7, 4),
        ("dev10.jsonl", 20, 7, 4),
        ("heldout7.jsonl", 20, 7, 4),
        ("dev11.jsonl", 20, 7, 4),
        ("heldout8.jsonl", 20, 7, 4),
    ],
)
def test_the_session_5_to_10_sets_were_written_to_their_briefs(name, english, unanswerable, pairs):
    rows = load_eval_rows(HERE / name)
    assert len(rows) == 40 and sum(r.lang == "en" for r in rows) == english
    assert sum(r.kind == "unanswerable" for r in rows) == unanswerable
    ids = [r.id for r in rows]
    for row in rows:
        if row.follows is not None:
            assert ids.index(row.follows) == ids.index(row.id) - 1, row.id
        assert (row.kind == "unanswerable") == (row.must_contain == []), row.id
    assert sum(r.follows is not None for r in rows) == pairs
