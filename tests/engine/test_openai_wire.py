"""The real langchain-openai client against a local OpenAI-compatible server that returns tool calls."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from retrieval.answering import make_chat_model
from retrieval.engines.llm import LlmEngine
from retrieval.engines.offline import OfflineEngine


def completion(message: dict[str, Any], finish_reason: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "deckbot-test",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class FakeOpenAI(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions: a search_deck tool call first, then a final answer using its result."""

    requests: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        if self.path != "/v1/chat/completions":
            self.send_error(404)
            return
        tool_results = [m for m in body["messages"] if m["role"] == "tool"]
        if not tool_results:
            payload = completion(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_search_1",
                            "type": "function",
                            "function": {
                                "name": "search_deck",
                                "arguments": json.dumps({"query": "IPO 時価総額 東京"}),
                            },
                        }
                    ],
                },
                "tool_calls",
            )
        else:
            payload = completion(
                {
                    "role": "assistant",
                    "content": "Tokyo startups: average 237億円, median 131億円 at IPO (slide 61).",
                },
                "stop",
            )
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def openai_server() -> Iterator[str]:
    FakeOpenAI.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def lexical_knowledge():
    from corpus.bundle import default_bundle
    from retrieval.engines.toolkit import DeckKnowledge

    return DeckKnowledge(default_bundle(), searcher=None)


def test_tool_call_round_trip_over_http(openai_server: str, lexical_knowledge) -> None:
    model = make_chat_model("openai:deckbot-test", base_url=openai_server, api_key="sk-local", timeout_s=5)
    engine = LlmEngine(
        lexical_knowledge,
        model,
        model_name="openai:deckbot-test",
        fallback=OfflineEngine(lexical_knowledge),
        timeout_s=5,
    )
    answer = engine.answer("What are the average and median IPO market caps of Tokyo startups?")

    assert answer.engine == "llm:openai:deckbot-test", answer.notes
    assert answer.status == "answered" and answer.grounded
    assert "237" in answer.answer and "131" in answer.answer
    assert [c.slide for c in answer.citations] == [61]
    assert answer.tool_calls[0].name == "search_deck"

    first, second = FakeOpenAI.requests
    assert first["auth"] == "Bearer sk-local"
    tool_names = {tool["function"]["name"] for tool in first["body"]["tools"]}
    assert {"search_deck", "rd_credit", "lookup_ranking", "summarize_section"} <= tool_names
    search_schema = next(t for t in first["body"]["tools"] if t["function"]["name"] == "search_deck")
    assert "query" in search_schema["function"]["parameters"]["properties"]
    tool_message = next(m for m in second["body"]["messages"] if m["role"] == "tool")
    assert tool_message["tool_call_id"] == "call_search_1"
    assert "東京（237、131）" in tool_message["content"] or "slide 61" in tool_message["content"]


def test_unreachable_server_falls_back_offline(lexical_knowledge) -> None:
    model = make_chat_model("openai:deckbot-test", base_url="http://127.0.0.1:9/v1", api_key="x", timeout_s=2)
    engine = LlmEngine(
        lexical_knowledge,
        model,
        model_name="openai:deckbot-test",
        fallback=OfflineEngine(lexical_knowledge),
        timeout_s=2,
    )
    answer = engine.answer("GII 2024の科学技術クラスターランキングで名古屋は何位ですか。")
    assert answer.engine == "offline"
    assert "15位" in answer.answer
    assert answer.notes and "オフライン" in answer.notes[-1]
