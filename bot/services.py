"""Everything the Slack listeners call, built once at start-up: engine, tables, stores, limits."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.fairness import ANSWER_BUDGET_S, ENGINE_WORKERS, UserGate
from bot.feedback import FeedbackStore
from bot.settings import Settings
from bot.store import BaseConversationStore, SQLiteConversationStore, build_conversation_store
from corpus.bundle import DocumentBundle, default_bundle
from retrieval.engines.base import Answerer

T = TypeVar("T")


@dataclass
class Services:
    """What listeners need, injected by `register(app, services)`; tests build one with fakes."""

    answerer: Answerer
    feedback: FeedbackStore
    # threads, turns, answer-once claims, rate windows; the default is a throwaway in-memory SQLite store
    store: BaseConversationStore = field(default_factory=lambda: SQLiteConversationStore(":memory:"))
    tables: Any = None
    chunk_count: int = 0
    rdcredit_chart: Callable[[Any], tuple[bytes, str]] | None = None
    ranking_chart: Callable[[Any], tuple[bytes, str]] | None = None
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            max_workers=ENGINE_WORKERS, thread_name_prefix="deckbot-engine"
        )
    )
    user_gate: UserGate = field(default_factory=UserGate)
    answer_budget_s: float = ANSWER_BUDGET_S
    # the document served: its title, greeting and prompts (the shipped deck unless built from another bundle)
    bundle: DocumentBundle = field(default_factory=default_bundle)

    @property
    def engine_name(self) -> str:
        """Name of the answer engine in use (e.g. 'offline')."""
        return getattr(self.answerer, "engine_name", "unknown")

    async def run_blocking(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run CPU-bound engine work in the worker pool so the event loop keeps acking requests."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(function, *args, **kwargs))

    async def aclose(self) -> None:
        """Release the stores and the worker pool."""
        await self.store.close()
        self.feedback.close()
        self.executor.shutdown(wait=False, cancel_futures=True)


def build_services(settings: Settings, *, progress: bool = False) -> Services:
    """Build the real services: open (or build) the index, load tables, wire the configured engine.

    Args:
        settings: Process settings, read once by the CLI.
        progress: Show index-building progress on the terminal.

    Returns:
        Services ready for `create_app`.
    """
    answerer, tables, chunk_count = _build_engine(settings, progress=progress)
    knowledge = answerer.knowledge  # type: ignore[attr-defined]  # both engines expose their DeckKnowledge
    return Services(
        bundle=knowledge.bundle,
        answerer=answerer,
        feedback=FeedbackStore(settings.feedback_db),
        store=build_conversation_store(settings),
        tables=tables,
        chunk_count=chunk_count,
        rdcredit_chart=_optional_chart("rdcredit"),
        ranking_chart=_optional_chart("ranking", tables=tables),
    )


def _build_engine(settings: Settings, *, progress: bool) -> tuple[Answerer, Any, int]:
    from retrieval.answering import build_answerer

    answerer = build_answerer(**settings.answerer_kwargs(), progress=progress)
    knowledge = answerer.knowledge  # type: ignore[attr-defined]  # both engines expose their DeckKnowledge
    return answerer, knowledge.tables, knowledge.searcher.index.chunk_count


def _optional_chart(kind: str, **bound: Any) -> Callable[[Any], tuple[bytes, str]] | None:
    """Return `charts.slack.<kind>_chart` (result -> (PNG, alt text)) with `bound` arguments, if any.

    matplotlib is imported on the first chart, not at start-up (0.4 s of a ~2.5 s cold start, measured).
    """
    import importlib.util
    from pathlib import Path

    package = importlib.util.find_spec("charts")  # a top-level spec does not run charts/__init__ (matplotlib)
    locations = (package.submodule_search_locations or []) if package is not None else []
    if not any((Path(location) / "slack.py").exists() for location in locations):
        return None  # charts are optional: the text answer never depends on them

    def chart(result: Any, **options: Any) -> tuple[bytes, str]:
        from charts import slack as chart_hooks

        return getattr(chart_hooks, f"{kind}_chart")(result, **bound, **options)

    return chart
