"""`deckbot ask` / `deckbot chat` and the chat loop the `serve --or-chat` path reuses."""

import json

import pytest
from click.testing import CliRunner

from bot.cli.answer import ask, chat_loop, check_question


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, deck_index):
    """Point the CLI's settings at the session's index, offline engine."""
    from bot.settings import get_settings

    monkeypatch.setenv("DECKBOT_DATA_DIR", str(deck_index.data_dir))
    monkeypatch.setenv("DECKBOT_ENGINE", "offline")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_ask_json_has_the_documented_fields(cli_env) -> None:
    result = CliRunner().invoke(ask, ["2025年QS大学ランキングで東北大学は何位ですか。", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {
        "answer",
        "status",
        "citations",
        "tool_calls",
        "engine",
        "grounded",
        "ungrounded_numbers",
    }
    assert payload["status"] == "answered" and payload["engine"] == "offline"
    assert "107" in payload["answer"]
    citation = payload["citations"][0]
    assert set(citation) == {"slide", "section", "text", "document_id", "document_title", "page"}
    assert citation["document_id"] == "meti-innovation-2025-04-17"
    assert citation["document_title"].endswith("参考資料") and citation["page"] == citation["slide"]
    assert set(payload["tool_calls"][0]) == {"name", "args", "result"}
    assert payload["grounded"] is True and payload["ungrounded_numbers"] == []


def test_ask_plain_text_lists_sources(cli_env) -> None:
    result = CliRunner().invoke(
        ask, ["What is the median market capitalisation at IPO for startups in Paris?"]
    )
    assert result.exit_code == 0, result.output
    assert "does not answer" in result.output
    assert "not_in_deck" in result.output


def test_ask_rejects_an_empty_question_politely() -> None:
    result = CliRunner().invoke(ask, ["   "])
    assert result.exit_code == 2
    assert "質問が空です" in result.output and "Traceback" not in result.output


def test_llm_engine_without_model_is_a_friendly_error(monkeypatch: pytest.MonkeyPatch, deck_index) -> None:
    from bot.settings import get_settings

    monkeypatch.setenv("DECKBOT_DATA_DIR", str(deck_index.data_dir))
    monkeypatch.setenv("DECKBOT_ENGINE", "llm")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(ask, ["東北大学は何位？"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "DECKBOT_LLM" in result.output and "Traceback" not in result.output


def test_check_question_limits() -> None:
    assert check_question("x" * 2001) is not None
    assert check_question("東北大学は何位？") is None


class OneAnswer:
    engine_name = "stub"

    def __init__(self, fail_on: str = "") -> None:
        self.fail_on = fail_on
        self.histories: list[tuple[str, ...]] = []

    def answer(self, question: str, *, history=()):
        from retrieval.models import Answer, Citation

        self.histories.append(tuple(history))
        if question == self.fail_on:
            raise RuntimeError("boom")
        return Answer(
            answer=f"echo {question}",
            status="answered",
            engine="stub",
            lang="ja",
            citations=[Citation(slide=5, section="“科学とビジネスの近接化”の時代", text="t")],
        )


def test_chat_loop_answers_until_exit_and_survives_failures() -> None:
    inputs = iter(["最初の質問", "", "boom", "次の質問", "exit", "never asked"])
    printed: list[str] = []
    stub = OneAnswer(fail_on="boom")
    answered = chat_loop(
        stub, input_fn=lambda prompt: next(inputs), print_fn=lambda *a: printed.append(" ".join(map(str, a)))
    )
    assert answered == 2
    assert any("echo 最初の質問" in line and "p.5" in line for line in printed)
    assert any("エラー" in line for line in printed)
    assert stub.histories[-1][:2] == ("最初の質問", "echo 最初の質問")


def test_chat_loop_ends_on_eof() -> None:
    def eof(prompt: str) -> str:
        raise EOFError

    assert chat_loop(OneAnswer(), input_fn=eof, print_fn=lambda *a: None) == 0
