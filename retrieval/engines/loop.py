"""The one tool-calling loop both engines run, and turning its messages into a grounded Answer."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.messages.tool import ToolCall as ToolCallDict
from langchain_core.tools import BaseTool

from retrieval.engines.base import SectionSummary
from retrieval.engines.toolkit import DeckKnowledge
from retrieval.grounding import check_grounding, drop_ungrounded_sentences
from retrieval.models import Answer, Citation, ToolCall
from retrieval.prompts import DROPPED_NOTE_EN, DROPPED_NOTE_JA, NOT_IN_DECK_MARKER

MAX_ROUNDS = 5
# Key under AIMessage.additional_kwargs where the offline model passes status and citations.
DECKBOT_KEY = "deckbot"


@dataclass
class LoopOutcome:
    """What one run of the loop produced."""

    final: AIMessage
    messages: list[BaseMessage]
    tool_messages: list[ToolMessage] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    question: str = ""  # the user's message this run answers (its own numbers are no invention)


def run_tool_loop(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    messages: list[BaseMessage],
    *,
    max_rounds: int = MAX_ROUNDS,
) -> LoopOutcome:
    """Call the model; run every tool call it makes; repeat until it answers without tools.

    Args:
        model: Any chat model that supports `bind_tools` (the offline model, or one from init_chat_model).
        tools: The tools it may call.
        messages: The conversation so far (system, history, question); extended in place.
        max_rounds: Model calls allowed before the loop forces a final answer.

    Returns:
        The final AI message, the whole transcript, and every tool call with its result.
    """
    by_name = {tool.name: tool for tool in tools}
    bound = model.bind_tools(list(tools))
    asked = [m for m in messages if isinstance(m, HumanMessage)]
    question = str(asked[-1].content) if asked else ""
    outcome = LoopOutcome(final=AIMessage(content=""), messages=messages, question=question)
    for round_number in range(max_rounds):
        reply = bound.invoke(messages)
        if not isinstance(reply, AIMessage):
            reply = AIMessage(content=str(getattr(reply, "content", reply)))
        messages.append(reply)
        if not reply.tool_calls or round_number == max_rounds - 1:
            # Out of rounds: keep whatever text the model gave and drop its further tool calls.
            outcome.final = AIMessage(content=reply.content, additional_kwargs=reply.additional_kwargs)
            messages[-1] = outcome.final  # no dangling tool calls if the conversation continues
            return outcome
        for call in reply.tool_calls:
            result = _run_tool_call(call, by_name)
            messages.append(result)
            outcome.tool_messages.append(result)
            outcome.tool_calls.append(
                ToolCall(
                    name=call["name"], args=dict(call["args"]), result=_result_for_display(result.content)
                )
            )
    outcome.final = AIMessage(content="")
    return outcome


def _run_tool_call(call: ToolCallDict, by_name: dict[str, BaseTool]) -> ToolMessage:
    """Run one tool call; an unknown tool or a failing one answers with an error message the model reads."""
    tool = by_name.get(call["name"])
    if tool is None:
        result: ToolMessage = ToolMessage(
            content=f"Unknown tool {call['name']!r}; available: {', '.join(by_name)}",
            tool_call_id=call["id"] or call["name"],
            name=call["name"],
            status="error",
        )
    else:
        try:
            invoked = tool.invoke({**call, "type": "tool_call", "id": call["id"] or call["name"]})
        except Exception as error:  # noqa: BLE001 - a bad tool input goes back to the model as text
            message = getattr(error, "message_en", None) or str(error) or type(error).__name__
            invoked = ToolMessage(
                content=f"Tool error: {message}",
                tool_call_id=call["id"] or call["name"],
                name=call["name"],
                status="error",
            )
        result = (
            invoked
            if isinstance(invoked, ToolMessage)
            else ToolMessage(
                content=str(invoked), tool_call_id=call["id"] or call["name"], name=call["name"]
            )
        )
    return result


def _result_for_display(content: Any) -> Any:
    if isinstance(content, str):
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def tool_documents(outcome: LoopOutcome) -> list[Document]:
    """Every Document the search tool returned, in order, one per slide."""
    documents: list[Document] = []
    seen: set[int] = set()
    for message in outcome.tool_messages:
        items = message.artifact if isinstance(message.artifact, list) else []
        for item in items:
            if isinstance(item, Document) and item.metadata.get("slide") not in seen:
                seen.add(item.metadata.get("slide"))
                documents.append(item)
    return documents


_SLIDE_REF = re.compile(r"(?:slide|スライド|p\.)\s*(\d{1,3})", re.I)


def citations_for(outcome: LoopOutcome, knowledge: DeckKnowledge, text: str) -> list[Citation]:
    """Citations for an answer: those the offline model chose, else the slides the text names, else top
    results."""
    chosen = outcome.final.additional_kwargs.get(DECKBOT_KEY, {}).get("citations")
    if chosen is not None:
        return [Citation.model_validate(item) for item in chosen]
    documents = tool_documents(outcome)
    by_slide = {doc.metadata["slide"]: doc for doc in documents}
    summaries = [m.artifact for m in outcome.tool_messages if isinstance(m.artifact, SectionSummary)]
    named = [int(n) for n in _SLIDE_REF.findall(text)]
    citations: list[Citation] = []
    for number in dict.fromkeys(named):
        slide = knowledge.by_number.get(number)
        if slide is not None and (
            number in by_slide or any(b.slide == number for s in summaries for b in s.bullets)
        ):
            citations.append(Citation(slide=number, section=slide.title, text=_excerpt(slide.text)))
    if not citations:
        citations = [
            Citation(
                slide=doc.metadata["slide"], section=doc.metadata["section"], text=_excerpt(doc.page_content)
            )
            for doc in documents[:3]
        ]
        for summary in summaries[:1]:
            citations += summary.bullets[:3]
    return citations


def _excerpt(text: str, limit: int = 300) -> str:
    compact = re.sub(r"\n{2,}", "\n", text).strip()
    return compact if len(compact) <= limit else compact[:limit] + "…"


def evidence_texts(outcome: LoopOutcome, citations: Sequence[Citation]) -> list[str]:
    """The texts numbers may be grounded in: the question itself (a refusal repeats its year), tool results
    (content and documents) and cited chunks."""
    texts = [outcome.question, *(str(message.content) for message in outcome.tool_messages)]
    texts += [doc.page_content for doc in tool_documents(outcome)]
    for citation in citations:
        texts.append(f"slide {citation.slide} {citation.section}\n{citation.text}")
    return texts


def split_status(text: str, outcome: LoopOutcome) -> tuple[str, str]:
    """Return (answer text, status) from the marker or the offline model's metadata."""
    meta = outcome.final.additional_kwargs.get(DECKBOT_KEY, {})
    stripped = text.strip()
    if stripped.startswith(NOT_IN_DECK_MARKER):
        return stripped[len(NOT_IN_DECK_MARKER) :].strip(), "not_in_deck"
    return stripped, meta.get("status", "answered")


def message_text(message: AIMessage) -> str:
    """The plain text of an AI message (providers may return a list of content blocks)."""
    content = message.content
    if isinstance(content, str):
        return content
    parts = [block.get("text", "") if isinstance(block, dict) else str(block) for block in content]
    return "".join(parts)


def build_answer(
    outcome: LoopOutcome,
    knowledge: DeckKnowledge,
    *,
    engine: str,
    lang: str,
    notes: Sequence[str] = (),
) -> Answer:
    """Turn a loop outcome into an Answer, with citations and the grounding check applied (no retry)."""
    text, status = split_status(message_text(outcome.final), outcome)
    citations = citations_for(outcome, knowledge, text)
    grounded, ungrounded = check_grounding(text, evidence_texts(outcome, citations))
    return Answer(
        answer=text,
        status=status,  # type: ignore[arg-type]
        citations=citations,
        tool_calls=outcome.tool_calls,
        engine=engine,
        grounded=grounded,
        ungrounded_numbers=ungrounded,
        lang="en" if lang == "en" else "ja",
        notes=list(notes),
    )


def drop_ungrounded(answer: Answer, outcome: LoopOutcome) -> Answer:
    """Remove the sentences whose numbers are still ungrounded, and say so in the answer and its notes."""
    clean, dropped = drop_ungrounded_sentences(answer.answer, evidence_texts(outcome, answer.citations))
    # The note names no figures, so the delivered text stays grounded; the figures are in ungrounded_numbers.
    note = DROPPED_NOTE_EN if answer.lang == "en" else DROPPED_NOTE_JA
    text = f"{clean}\n\n({note})" if clean else f"({note})"
    return answer.model_copy(update={"answer": text, "grounded": False, "notes": [*answer.notes, note]})


def conversation(system_prompt: str | None, question: str, history: Sequence[str]) -> list[BaseMessage]:
    """Build the message list: system prompt, earlier turns (user/assistant alternating), the question."""
    messages: list[BaseMessage] = [SystemMessage(content=system_prompt)] if system_prompt else []
    for index, turn in enumerate(history):
        messages.append(HumanMessage(content=turn) if index % 2 == 0 else AIMessage(content=turn))
    messages.append(HumanMessage(content=question))
    return messages
