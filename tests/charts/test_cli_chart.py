"""`--chart FILE.png` on `deckbot rdcredit` and `deckbot rank`, through click's CliRunner."""

import json
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from tests.charts.conftest import png_size

CASE5 = ["--rd", "10.5億", "--prior", "10億", "10億", "10億", "--sales", "200億", "200億", "200億", "200億"]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rdcredit_writes_the_rate_curve_png(tmp_path: Path):
    out = tmp_path / "curve.png"
    result = invoke("rdcredit", *CASE5, "--tax", "10億", "--chart", str(out))
    assert result.exit_code == 0, result.output
    assert png_size(out.read_bytes()) == (1200, 840)
    assert "101,850,000" in result.output
    assert "控除率 9.7%" in result.stderr


def test_rdcredit_json_stays_clean_with_a_chart(tmp_path: Path):
    out = tmp_path / "curve-en.png"
    result = invoke("rdcredit", *CASE5, "--tax", "10億", "--json", "--chart", str(out), "--chart-lang", "en")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total_credit"] == 101_850_000
    assert "the credit rate is 9.7%" in result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


def test_rdcredit_chart_refuses_batch(tmp_path: Path):
    batch = tmp_path / "in.jsonl"
    batch.write_text("")
    result = invoke("rdcredit", "--batch", str(batch), "--chart", str(tmp_path / "x.png"))
    assert result.exit_code == 2
    assert "--chart works for one company" in result.output
    assert not (tmp_path / "x.png").exists()


def test_rank_writes_a_slope_chart(tmp_path: Path):
    out = tmp_path / "sg.png"
    result = invoke("rank", "startup_genome_2024", "Tokyo", "--lang", "en", "--chart", str(out))
    assert result.exit_code == 0, result.output
    assert "15 → 10" in result.stdout
    width, height = png_size(out.read_bytes())
    assert (width, height) == (1200, 640)
    assert "Tokyo #15 in 2023 → #10 in 2024" in result.stderr


def test_rank_chart_of_a_text_table_is_a_friendly_error_after_the_text(tmp_path: Path):
    out = tmp_path / "none.png"
    result = invoke("rank", "postwar_innovations_japan", "--chart", str(out))
    assert result.exit_code != 0
    assert "内視鏡" in result.stdout  # the lookup itself is still shown
    assert "no numeric column to chart" in result.stderr
    assert not out.exists()


def test_rank_chart_needs_a_table(tmp_path: Path):
    result = invoke("rank", "--list", "--chart", str(tmp_path / "x.png"))
    assert result.exit_code == 2
    assert "--chart needs a TABLE" in result.output


def test_unwritable_chart_path_is_a_clear_error(tmp_path: Path):
    result = invoke("rank", "gii", "--chart", str(tmp_path / "missing-dir" / "x.png"))
    assert result.exit_code == 1
    assert "cannot write the chart" in result.output
