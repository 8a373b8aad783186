"""The table loader fails loudly, naming the file and the CSV row, on malformed data."""

import json
import shutil

import pytest

from corpus import TABLES_DIR
from retrieval.tables import TableLoadError, load_tables


@pytest.fixture
def tables_copy(tmp_path):
    target = tmp_path / "tables"
    shutil.copytree(TABLES_DIR, target)
    return target


def rewrite_line(path, line_no, transform):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_no - 1] = transform(lines[line_no - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_real_tables_load_with_typed_cells():
    tables = load_tables()
    assert len(tables.tables) == 20
    genome = tables.tables["startup_genome_2024"]
    assert genome.rows[9].cells == {"rank": 10, "prior_rank": 15, "city": "東京", "country": "日本"}
    assert tables.tables["meti_rd_funds"].rows[1].cells["budget"] == 26840
    assert tables.tables["meti_rd_funds"].rows[1].display["budget"] == "26,840"


def test_a_non_number_in_a_rank_column_names_file_and_row(tables_copy):
    csv_path = tables_copy / "startup_genome_2024.csv"
    rewrite_line(csv_path, 3, lambda line: "x" + line[1:])  # row 3 = ニューヨーク: rank '2' -> 'x'
    with pytest.raises(TableLoadError) as caught:
        load_tables(tables_copy)
    assert "startup_genome_2024.csv, row 3" in str(caught.value)
    assert "rank" in str(caught.value)
    assert caught.value.row == 3


def test_a_row_with_an_extra_cell_is_rejected(tables_copy):
    rewrite_line(tables_copy / "gii_clusters_2024.csv", 5, lambda line: line + ",extra")
    with pytest.raises(TableLoadError, match=r"gii_clusters_2024\.csv, row 5: wrong number of cells"):
        load_tables(tables_copy)


def test_a_short_row_is_rejected(tables_copy):
    rewrite_line(tables_copy / "unicorns_japan_2024.csv", 4, lambda line: line.split(",")[0])
    with pytest.raises(TableLoadError, match=r"unicorns_japan_2024\.csv, row 4"):
        load_tables(tables_copy)


def test_a_changed_header_is_rejected(tables_copy):
    rewrite_line(tables_copy / "qs_2025_asia_oceania.csv", 1, lambda line: line.replace("university", "uni"))
    with pytest.raises(TableLoadError, match=r"qs_2025_asia_oceania\.csv, row 1: header"):
        load_tables(tables_copy)


def test_a_missing_slide_title_is_rejected(tables_copy):
    path = tables_copy / "startup_funding_2018.csv"
    rewrite_line(
        path, 2, lambda line: line.replace("スタートアップのグローバル接続不足と更なる資金供給の必要性③", "")
    )
    with pytest.raises(TableLoadError, match=r"startup_funding_2018\.csv, row 2: slide_title"):
        load_tables(tables_copy)


def test_a_listed_but_missing_csv_is_named(tables_copy):
    (tables_copy / "meti_rd_funds.csv").unlink()
    with pytest.raises(TableLoadError, match=r"meti_rd_funds\.csv: listed in tables\.json but not found"):
        load_tables(tables_copy)


def test_metadata_naming_an_unknown_column_is_rejected(tables_copy):
    meta_path = tables_copy / "tables.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["tables"][0]["rank_column"] = "no_such_column"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TableLoadError, match=r"tables\.json: table entry 1 \(startup_genome_2024\)"):
        load_tables(tables_copy)


def test_invalid_json_is_named(tables_copy):
    (tables_copy / "tables.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TableLoadError, match=r"tables\.json: invalid JSON"):
        load_tables(tables_copy)
