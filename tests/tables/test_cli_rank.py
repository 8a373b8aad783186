"""`deckbot rank` through click's CliRunner."""

import json

from click.testing import CliRunner

from bot.cli import main


def run(*args):
    return CliRunner().invoke(main, ["rank", *args])


def test_list_shows_every_table():
    result = run("--list")
    assert result.exit_code == 0
    for table_id in (
        "startup_genome_2024",
        "gii_clusters_2024",
        "qs_2025_asia_oceania",
        "aspi_japan_tech_ranks",
        "startup_funding_2024",
        "startup_funding_2018",
        "meti_rd_funds",
        "ipo_market_cap_by_city",
    ):
        assert table_id in result.output


def test_entity_lookup_in_text():
    result = run("startup_genome_2024", "Tokyo")
    assert result.exit_code == 0
    assert "東京" in result.output and "15 → 10" in result.output


def test_json_rows_carry_table_id_fields_and_slide_title():
    result = run("startup_funding_2024", "Spiber", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    (row,) = payload["rows"]
    assert row["table_id"] == "startup_funding_2024"
    assert row["fields"] == {"rank": 5, "company": "Spiber", "business": "構造タンパク質素材", "amount": 79}
    assert row["slide_title"] == "スタートアップのグローバル接続不足と更なる資金供給の必要性③"


def test_multi_word_entity_and_forgiving_table_name():
    result = run("QS", "University", "of", "Tokyo", "--lang", "en")
    assert result.exit_code == 0
    assert "東京大学" in result.output and "Rank: 32" in result.output


def test_top_and_rank_range():
    top = json.loads(run("gii", "--top", "3", "--json").output)
    assert [r["fields"]["cluster"] for r in top["rows"]] == ["東京‐横浜", "深セン‐香港‐広州", "北京"]
    ranged = json.loads(run("startup_genome_2024", "--ranks", "9-10", "--json").output)
    assert [r["fields"]["city"] for r in ranged["rows"]] == ["ソウル", "東京"]


def test_unknown_table_is_a_friendly_error():
    result = run("nosuch", "Tokyo")
    assert result.exit_code != 0
    assert "見つかりません" in result.output and "startup_genome_2024" in result.output
    assert "Traceback" not in result.output


def test_bad_range_is_a_usage_error():
    assert "1-10" in run("gii", "--ranks", "ten").output
    result = run("gii", "--ranks", "5-2")
    assert result.exit_code == 2 and "5-2" in result.output
    result = run("gii", "--rank", "1", "--ranks", "1-3")
    assert result.exit_code == 2


def test_unknown_entity_shows_candidates():
    result = run("qs", "ハーバード大学")
    assert result.exit_code == 0
    assert "一致する行はありません" in result.output and "近い候補" in result.output
