"""`deckbot serve` without tokens, and `deckbot feedback`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.feedback import FeedbackStore
from bot.settings import get_settings


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_serve_without_tokens_names_the_missing_variables() -> None:
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "missing SLACK_BOT_TOKEN, SLACK_APP_TOKEN" in result.output


def test_serve_http_without_secret_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    result = CliRunner().invoke(main, ["serve", "--http", "--port", "0"])
    assert result.exit_code == 1
    assert "missing SLACK_SIGNING_SECRET" in result.output
    assert "xoxb-1" not in result.output


def test_serve_or_chat_falls_back_to_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    import bot.cli.serve as serve_module

    monkeypatch.setattr(serve_module, "_start_terminal_chat", lambda settings: calls.append(settings))
    result = CliRunner().invoke(main, ["serve", "--or-chat"])
    assert result.exit_code == 0
    assert "starting the terminal chat" in result.output
    assert len(calls) == 1


def test_feedback_summary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DECKBOT_DATA_DIR", str(tmp_path / "data"))
    assert "No feedback yet" in CliRunner().invoke(main, ["feedback"]).output
    store = FeedbackStore(tmp_path / "data" / "feedback.sqlite3")
    answer_id = store.record_answer(
        question="GIIの東京の順位は？", answer="1位", user_id="U1", channel="C1", engine="offline"
    )
    store.record_feedback(answer_id=answer_id, user_id="U2", rating=-1)
    store.close()
    result = CliRunner().invoke(main, ["feedback"])
    assert result.exit_code == 0
    assert "answers posted: 1" in result.output
    assert "👍 0  👎 1" in result.output
    assert "GIIの東京の順位は？" in result.output
