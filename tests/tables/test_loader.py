"""The table loader fails loudly, naming the file and the CSV row, on malformed data or cells the text
does not print."""

import shutil

import pytest
import yaml

from corpus.bundle import default_bundle, load_bundle
from corpus.tables import read_tables
from retrieval.tables import TableLoadError, load_tables


@pytest.fixture
def tables_copy(tmp_path):
    """A copy of the shipped bundle's tables folder, to break."""
    target = tmp_path / "tables"
    shutil.copytree(default_bundle().root / "tables", target)
    return target


def load(tables_dir):
    bundle = default_bundle()
    return read_tables(tables_dir, text=bundle.text, slides=bundle.slides)


def rewrite_line(path, line_no, transform):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_no - 1] = transform(lines[line_no - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edit_metadata(tables_dir, change):
    path = tables_dir / "tables.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(meta["tables"])
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_real_tables_load_with_typed_cells_and_the_lines_they_are_printed_on():
    tables = load_tables(default_bundle())
    assert len(tables.tables) == 33
    genome = tables.tables["startup_genome_2024"]
    assert genome.rows[9].cells == {"rank": 10, "prior_rank": 15, "city": "東京", "country": "日本"}
    assert genome.rows[9].lines == "324"  # found by content: the line "10（15） 東京 日本"
    assert genome.rows[9].slide_title == genome.slide_title
    assert tables.tables["meti_rd_funds"].rows[1].cells["budget"] == 26840
    assert tables.tables["meti_rd_funds"].rows[1].display["budget"] == "26,840"


def test_a_bundle_without_a_tables_folder_has_no_tables(tmp_path):
    source = default_bundle().root
    for name in ("bundle.yaml", "source.txt"):
        shutil.copy(source / name, tmp_path / name)
    bundle = load_bundle(tmp_path)
    assert bundle.tables is None
    with pytest.raises(TableLoadError, match="no tables"):
        load_tables(bundle)


def test_a_non_number_in_a_rank_column_names_file_and_row(tables_copy):
    csv_path = tables_copy / "startup_genome_2024.csv"
    rewrite_line(csv_path, 3, lambda line: "x" + line[1:])  # row 3 = ニューヨーク: rank '2' -> 'x'
    with pytest.raises(TableLoadError) as caught:
        load(tables_copy)
    assert "startup_genome_2024.csv, row 3" in str(caught.value)
    assert "rank" in str(caught.value)
    assert caught.value.row == 3


def test_a_cell_the_deck_does_not_print_there_is_rejected(tables_copy):
    # an invented name: no line of the table prints it
    rewrite_line(
        tables_copy / "unicorns_japan_2024.csv", 2, lambda line: line.replace("Preferred", "Referred")
    )
    with pytest.raises(TableLoadError, match=r"unicorns_japan_2024\.csv, row 2: cells not printed"):
        load(tables_copy)


def test_a_row_with_an_extra_cell_is_rejected(tables_copy):
    rewrite_line(tables_copy / "gii_clusters_2024.csv", 5, lambda line: line + ",extra")
    with pytest.raises(TableLoadError, match=r"gii_clusters_2024\.csv, row 5: wrong number of cells"):
        load(tables_copy)


def test_a_short_row_is_rejected(tables_copy):
    rewrite_line(tables_copy / "unicorns_japan_2024.csv", 4, lambda line: line.split(",")[0])
    with pytest.raises(TableLoadError, match=r"unicorns_japan_2024\.csv, row 4"):
        load(tables_copy)


def test_a_changed_header_is_rejected(tables_copy):
    rewrite_line(tables_copy / "qs_2025_asia_oceania.csv", 1, lambda line: line.replace("university", "uni"))
    with pytest.raises(TableLoadError, match=r"qs_2025_asia_oceania\.csv, row 1: header"):
        load(tables_copy)


def test_a_listed_but_missing_csv_is_named(tables_copy):
    (tables_copy / "meti_rd_funds.csv").unlink()
    with pytest.raises(TableLoadError, match=r"meti_rd_funds\.csv: listed in tables\.yaml but not found"):
        load(tables_copy)


def test_metadata_naming_an_unknown_column_is_rejected(tables_copy):
    edit_metadata(tables_copy, lambda tables: tables[0].update(rank_column="no_such_column"))
    with pytest.raises(TableLoadError, match=r"tables\.yaml: table entry 1 \(startup_genome_2024\)"):
        load(tables_copy)


def test_an_anchor_the_text_does_not_hold_is_named(tables_copy):
    edit_metadata(tables_copy, lambda tables: tables[1]["anchors"].update(last="99 どこにもない 国"))
    with pytest.raises(TableLoadError, match=r"gii_clusters_2024: anchor '99 どこにもない 国' not found"):
        load(tables_copy)


def test_a_slide_title_that_is_no_slide_is_named(tables_copy):
    edit_metadata(tables_copy, lambda tables: tables[2].update(slide_title="存在しないスライド①"))
    with pytest.raises(TableLoadError, match=r"qs_2025_asia_oceania: no slide titled '存在しないスライド①'"):
        load(tables_copy)


def test_a_row_count_that_differs_is_named(tables_copy):
    edit_metadata(tables_copy, lambda tables: tables[0].update(row_count=16))
    with pytest.raises(TableLoadError, match=r"startup_genome_2024\.csv: 15 rows, tables\.yaml says 16"):
        load(tables_copy)


def test_invalid_yaml_is_named(tables_copy):
    (tables_copy / "tables.yaml").write_text("tables: [unclosed", encoding="utf-8")
    with pytest.raises(TableLoadError, match=r"tables\.yaml: invalid YAML"):
        load(tables_copy)
