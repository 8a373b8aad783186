"""Scripted chat models for the LLM engine tests (no network)."""

from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult


class ScriptedToolModel(GenericFakeChatModel):
    """GenericFakeChatModel that accepts bind_tools and records every conversation it was shown."""

    seen: list[list[BaseMessage]] = []
    bound_tools: list[str] = []

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedToolModel":
        self.bound_tools = [tool.name for tool in tools]
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.seen.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


class BrokenModel(GenericFakeChatModel):
    """A model whose provider is down: every call raises a connection error."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> "BrokenModel":
        return self

    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        raise ConnectionError("provider unreachable")


def tool_call(name: str, args: dict[str, Any], call_id: str = "call_1") -> AIMessage:
    """An AI message that calls one tool."""
    return AIMessage(
        content="", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}]
    )


def scripted(*messages: AIMessage | str) -> ScriptedToolModel:
    """A scripted model replying with `messages` in order."""
    return ScriptedToolModel(messages=iter(messages), seen=[])
