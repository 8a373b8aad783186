"""The LLM engine with scripted chat models: tool use, citations, the grounding guard, retry, fallback."""

import pytest
from langchain_core.messages import HumanMessage

from retrieval.engines.llm import LlmEngine
from retrieval.engines.offline import OfflineEngine
from tests.engine.fakes import BrokenModel, scripted, tool_call


@pytest.fixture(scope="module")
def lexical_knowledge():
    """Deck knowledge without the dense index (lexical slide search), enough for scripted models."""
    from corpus.bundle import default_bundle
    from retrieval.engines.toolkit import DeckKnowledge

    return DeckKnowledge(default_bundle(), searcher=None)


def make_engine(knowledge, model, **kwargs) -> LlmEngine:
    return LlmEngine(
        knowledge, model, model_name="fake:scripted", fallback=OfflineEngine(knowledge), **kwargs
    )


def test_tool_call_then_grounded_answer_cites_the_slide(lexical_knowledge) -> None:
    model = scripted(
        tool_call("search_deck", {"query": "大学発スタートアップ数 2023年"}),
        "2023年の大学発スタートアップ数は4,288社で、2021年の3,305社から増えました（スライド46）。",
    )
    answer = make_engine(lexical_knowledge, model).answer("2023年の大学発スタートアップ数は？")
    assert answer.status == "answered"
    assert answer.engine == "llm:fake:scripted"
    assert answer.grounded and answer.ungrounded_numbers == []
    assert [c.slide for c in answer.citations] == [46]
    assert answer.tool_calls[0].name == "search_deck"
    assert "search_deck" in model.bound_tools and "rd_credit" in model.bound_tools


def test_invented_number_triggers_one_corrective_retry(lexical_knowledge) -> None:
    model = scripted(
        tool_call("search_deck", {"query": "大学発スタートアップ数"}),
        "大学発スタートアップは4,288社で、2030年には10,000社になる見込みです（スライド46）。",
        "大学発スタートアップは4,288社です（スライド46）。",
    )
    answer = make_engine(lexical_knowledge, model).answer("大学発スタートアップ数は？")
    assert answer.grounded
    assert "10,000" not in answer.answer and "4,288" in answer.answer
    retry_prompt = model.seen[-1][-1]
    assert isinstance(retry_prompt, HumanMessage)
    assert "10,000" in retry_prompt.content and "2030" in retry_prompt.content
    assert "grounding retry used" in answer.notes


def test_persistent_invented_number_is_dropped_and_reported(lexical_knowledge) -> None:
    invented = "大学発スタートアップは4,288社です。なお2030年には10,000社になる見込みです。"
    model = scripted(tool_call("search_deck", {"query": "大学発スタートアップ数"}), invented, invented)
    answer = make_engine(lexical_knowledge, model).answer("大学発スタートアップ数は？")
    assert answer.grounded is False
    assert answer.ungrounded_numbers == ["2030", "10,000"]
    assert "4,288社です。" in answer.answer
    assert "10,000" not in answer.answer and "2030" not in answer.answer
    assert "削除しました" in answer.answer


def test_tax_question_goes_through_the_calculator(lexical_knowledge) -> None:
    args = {
        "rd": 3296000000,
        "prior_rd": [3000000000, 3200000000, 3400000000],
        "tax": 1000000000,
        "basic_cap_only": True,
    }
    model = scripted(
        tool_call("rd_credit", args),
        "The credit rate is 9.2% (9.25% truncated) and the credit is ¥250,000,000 because the 25% cap binds.",
    )
    answer = make_engine(lexical_knowledge, model).answer("How much R&D credit can the company take?")
    assert answer.grounded, answer.ungrounded_numbers
    assert answer.tool_calls[0].name == "rd_credit"
    assert answer.tool_calls[0].result["summary"]["total_credit"] == "250,000,000"


def test_not_in_deck_marker_sets_the_status(lexical_knowledge) -> None:
    model = scripted(
        tool_call("search_deck", {"query": "Paris IPO median"}),
        "[NOT_IN_DECK] The deck's IPO comparison does not include Paris (slide 61).",
    )
    answer = make_engine(lexical_knowledge, model).answer("Median IPO market cap in Paris?")
    assert answer.status == "not_in_deck"
    assert answer.answer.startswith("The deck's IPO comparison")


def test_unknown_tool_is_reported_to_the_model_not_raised(lexical_knowledge) -> None:
    model = scripted(tool_call("delete_everything", {}), "資料を検索できませんでした。")
    answer = make_engine(lexical_knowledge, model).answer("何か教えて")
    assert answer.tool_calls[0].name == "delete_everything"
    assert "Unknown tool" in str(answer.tool_calls[0].result)


def test_model_failure_falls_back_to_offline_with_a_note(lexical_knowledge) -> None:
    engine = make_engine(lexical_knowledge, BrokenModel(messages=iter([])))
    answer = engine.answer("GII 2024の科学技術クラスターランキングで名古屋は何位ですか。")
    assert answer.engine == "offline"
    assert "15位" in answer.answer
    assert any("ConnectionError" in note and "オフライン" in note for note in answer.notes)


def test_missing_model_configuration_falls_back(lexical_knowledge) -> None:
    engine = LlmEngine(
        lexical_knowledge,
        None,
        fallback=OfflineEngine(lexical_knowledge),
        startup_error="ImportError: langchain_ollama",
    )
    answer = engine.answer("What is the median IPO market cap of Tokyo startups?")
    assert answer.engine == "offline"
    assert any("ImportError" in note for note in answer.notes)


def test_bad_tool_arguments_go_back_to_the_model_as_an_error(lexical_knowledge) -> None:
    model = scripted(
        tool_call("rd_credit", {"rd": -5, "prior_rd": [1]}),
        "計算に必要な金額を確認してください。",
    )
    answer = make_engine(lexical_knowledge, model).answer("研究開発税制の控除額を計算して")
    assert answer.status == "answered"
    tool_message = model.seen[-1][-1]
    assert tool_message.type == "tool" and tool_message.status == "error"
    assert answer.tool_calls[0].name == "rd_credit"


def test_endless_tool_calls_stop_and_fall_back(lexical_knowledge) -> None:
    model = scripted(*[tool_call("search_deck", {"query": "IPO"}, call_id=f"c{i}") for i in range(5)])
    answer = make_engine(lexical_knowledge, model).answer("東京のスタートアップのIPO時の時価総額の中央値は？")
    assert len(model.seen) == 5  # MAX_ROUNDS model calls, then no more
    assert answer.engine == "offline"
    assert "131" in answer.answer
    assert any("empty answer" in note for note in answer.notes)
