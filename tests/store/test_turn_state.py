"""What a turn keeps of an engine answer: tool calls with their arguments, the cited slides, the entities."""

from __future__ import annotations

from decimal import Decimal

from bot.store import Turn, turn_state
from retrieval.models import Answer, Citation, ToolCall


def test_turn_state_keeps_tool_calls_slides_and_entities_as_json() -> None:
    answer = Answer(
        answer="東京（10位）",
        status="answered",
        engine="offline",
        citations=[
            Citation(slide=6, section="拠点競争①", text="10（15） 東京"),
            Citation(slide=None, section="table", text="-"),
            Citation(slide=6, section="拠点競争①", text="again"),
            Citation(slide=49, section="接続不足④", text="…"),
        ],
        tool_calls=[
            ToolCall(name="search_deck", args={"query": "東京の順位は？", "k": 5}, result="[slide 6] …"),
            ToolCall(
                name="lookup_ranking", args={"table": "startup_genome_2024", "entity": "東京"}, result="…"
            ),
            ToolCall(name="rd_credit", args={"rd": Decimal("1.2e9"), "entities": ["A社", "東京"]}, result={}),
        ],
    )
    state = turn_state(answer)
    assert state == {
        "tool_calls": [
            {"name": "search_deck", "args": {"query": "東京の順位は？", "k": 5}},
            {"name": "lookup_ranking", "args": {"table": "startup_genome_2024", "entity": "東京"}},
            {"name": "rd_credit", "args": {"rd": "1.2E+9", "entities": ["A社", "東京"]}},  # made JSON
        ],
        "slides": [6, 49],
        "focus_slide": 6,
        "entities": ["東京", "A社"],
        "status": "answered",
        "engine": "offline",
    }
    stored = Turn(ts="1.000001", question="q", answer=answer.answer, state=state)
    assert Turn.model_validate_json(stored.model_dump_json()) == stored  # round-trips through the backends


def test_an_answer_without_tools_or_citations_has_an_empty_state() -> None:
    state = turn_state(Answer(answer="資料には記載がありません。", status="not_in_deck", engine="offline"))
    assert state["tool_calls"] == [] and state["slides"] == [] and state["focus_slide"] is None
