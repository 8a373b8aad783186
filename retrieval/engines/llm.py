"""The LLM engine: a configured chat model drives the same tool loop; numbers are checked, retried, then dropped."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from retrieval.engines.base import Answerer, SectionInfo, SectionSummary
from retrieval.engines.loop import LoopOutcome, build_answer, conversation, drop_ungrounded, run_tool_loop
from retrieval.engines.toolkit import DeckKnowledge, build_tools
from retrieval.intent import detect_language
from retrieval.models import Answer
from retrieval.prompts import FALLBACK_NOTE_EN, FALLBACK_NOTE_JA, GROUNDING_RETRY_PROMPT, system_prompt

ENGINE_NAME = "llm"
# Model calls per answer are bounded by the loop; the whole answer gets this many model timeouts.
DEADLINE_FACTOR = 4


class LlmUnavailableError(RuntimeError):
    """The chat model could not be created (missing package, key or server)."""


class LlmEngine:
    """Answers with a tool-calling chat model; falls back to another engine when the model fails or times out."""

    engine_name = ENGINE_NAME

    def __init__(
        self,
        knowledge: DeckKnowledge,
        model: BaseChatModel | None,
        *,
        model_name: str = "",
        fallback: Answerer | None = None,
        timeout_s: float = 20.0,
        startup_error: str | None = None,
    ) -> None:
        """Wire the model to the deck's tools.

        Args:
            knowledge: Searcher, slides and tables the tools read.
            model: A chat model supporting `bind_tools` (from init_chat_model, or a fake in tests).
            model_name: Shown in `Answer.engine`, e.g. 'openai:gpt-4.1-mini'.
            fallback: Engine used when the model raises or exceeds the deadline (normally the offline engine).
            timeout_s: Seconds allowed per model call; the whole answer may take DEADLINE_FACTOR times this.
            startup_error: Why the model could not be created (model is None); every answer then falls back.
        """
        self.startup_error = startup_error
        self.knowledge = knowledge
        self.model = model
        self.model_name = model_name
        self.fallback = fallback
        self.timeout_s = timeout_s
        self._tools = {lang: build_tools(knowledge, lang=lang) for lang in ("ja", "en")}
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="deckbot-llm")

    @property
    def _engine_label(self) -> str:
        return f"{ENGINE_NAME}:{self.model_name}" if self.model_name else ENGINE_NAME

    def answer(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        """Answer with the model; on any model failure or timeout, answer offline and say why in a note."""
        future = self._pool.submit(self._answer_with_model, question, history)
        try:
            return future.result(timeout=self.timeout_s * DEADLINE_FACTOR)
        except Exception as error:  # noqa: BLE001 - any provider error must fall back, never crash
            future.cancel()
            if self.fallback is None:
                raise
            if isinstance(error, concurrent.futures.TimeoutError):
                reason = "timeout"
            elif isinstance(error, LlmUnavailableError):
                reason = str(error)
            else:
                reason = type(error).__name__
            fallback = self.fallback.answer(question, history=history)
            note = (FALLBACK_NOTE_EN if fallback.lang == "en" else FALLBACK_NOTE_JA).format(reason=reason)
            return fallback.model_copy(update={"notes": [*fallback.notes, note]})

    def _answer_with_model(self, question: str, history: Sequence[str]) -> Answer:
        if self.model is None:
            raise LlmUnavailableError(self.startup_error or "no model configured")
        lang = detect_language(question)
        tools = self._tools[lang]
        messages = conversation(system_prompt(self.knowledge.bundle), question, history)
        outcome = run_tool_loop(self.model, tools, messages)
        answer = build_answer(outcome, self.knowledge, engine=self._engine_label, lang=lang)
        if not answer.answer.strip():
            raise LlmUnavailableError("empty answer")
        if answer.grounded:
            return answer
        # One corrective turn: name the numbers no tool result contains and ask for a rewrite.
        messages.append(
            HumanMessage(content=GROUNDING_RETRY_PROMPT.format(numbers=", ".join(answer.ungrounded_numbers)))
        )
        retry = run_tool_loop(self.model, tools, messages, max_rounds=3)
        merged = LoopOutcome(
            final=retry.final,
            messages=messages,
            tool_messages=outcome.tool_messages + retry.tool_messages,
            tool_calls=outcome.tool_calls + retry.tool_calls,
            question=outcome.question,
        )
        answer = build_answer(merged, self.knowledge, engine=self._engine_label, lang=lang)
        if answer.grounded:
            return answer.model_copy(update={"notes": [*answer.notes, "grounding retry used"]})
        return drop_ungrounded(answer, merged)

    def sections(self) -> list[SectionInfo]:
        """List the deck's sections in order."""
        return self.knowledge.sections.sections

    def summarize(self, section_query: str, *, lang: str = "ja") -> SectionSummary | None:
        """Summarise a section extractively (the same deterministic summary as offline: quotes, not paraphrase)."""
        return self.knowledge.sections.summarize(section_query, lang=lang)
