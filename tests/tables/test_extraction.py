"""The committed CSVs are exactly what scripts/extract_tables.py derives from the deck."""

import csv
import importlib.util
from pathlib import Path

from corpus import TABLES_DIR

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "extract_tables.py"


def load_script():
    spec = importlib.util.spec_from_file_location("extract_tables_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # builds TABLES in memory; writes nothing unless run as __main__
    return module


def test_csvs_match_a_fresh_extraction():
    module = load_script()
    assert len(module.TABLES) == 20
    for table in module.TABLES:
        meta, rows = table["meta"], table["rows"]
        with (TABLES_DIR / f"{meta['id']}.csv").open(encoding="utf-8", newline="") as handle:
            committed = list(csv.DictReader(handle))
        fields = [c["name"] for c in meta["columns"]] + ["slide_title", "lines", "aliases"]
        fresh = [{k: row.get(k, "") for k in fields} for row in rows]
        assert committed == fresh, meta["id"]
