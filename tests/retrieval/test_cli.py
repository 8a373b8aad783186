"""`deckbot index`, `deckbot search` and `deckbot eval` through click's CliRunner on the session index."""

import json

from click.testing import CliRunner

from bot.cli import main


def test_index_reports_up_to_date(deck_index):
    result = CliRunner().invoke(main, ["index", "--data-dir", str(deck_index.data_dir)])
    assert result.exit_code == 0, result.output
    assert f"index up to date: {deck_index.chunk_count} chunks" in result.output


def test_search_json_shape(deck_index):
    result = CliRunner().invoke(
        main,
        ["search", "イノベーションボックス税制", "-k", "3", "--json", "--data-dir", str(deck_index.data_dir)],
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == 3
    assert set(hits[0]) == {"id", "slide", "section", "text", "score"}
    assert hits[0]["section"] == "我が国の研究開発インセンティブの現状と課題⑥"
    assert isinstance(hits[0]["slide"], int)


def test_search_rich_output_and_empty_query(deck_index):
    runner = CliRunner()
    result = runner.invoke(
        main, ["search", "GII cluster ranking", "-k", "1", "--data-dir", str(deck_index.data_dir)]
    )
    assert result.exit_code == 0 and "slide" in result.output
    empty = runner.invoke(main, ["search", "  ", "--data-dir", str(deck_index.data_dir)])
    assert empty.exit_code == 2 and "検索語が空です" in empty.output


def test_eval_json_on_the_sample(deck_index):
    result = CliRunner().invoke(
        main, ["eval", "/work/shared/eval/sample.jsonl", "--json", "--data-dir", str(deck_index.data_dir)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["evaluated"] == 18 and figures["skipped"] == 2
    assert figures["recall@5"] >= 0.98 and figures["mrr"] >= 0.90


def test_eval_missing_and_bad_files_are_friendly(tmp_path, deck_index):
    runner = CliRunner()
    missing = runner.invoke(
        main, ["eval", str(tmp_path / "none.jsonl"), "--data-dir", str(deck_index.data_dir)]
    )
    assert missing.exit_code == 1 and "見つかりません" in missing.output and "Traceback" not in missing.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(main, ["eval", str(bad), "--data-dir", str(deck_index.data_dir)])
    assert result.exit_code == 1 and "not valid JSON" in result.output


def test_unreachable_chroma_server_is_a_friendly_error(monkeypatch):
    from bot.settings import get_settings

    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", "1")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["search", "研究開発税制"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "Chroma server 127.0.0.1:1" in result.output and "Traceback" not in result.output
