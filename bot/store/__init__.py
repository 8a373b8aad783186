"""The conversation store: threads the bot is in, their turns, answer-once claims and per-user rate windows.

One interface (`BaseConversationStore`), two backends: SQLite in the data directory for one process, Redis
when `REDIS_URL` is set, for replicas. Bounds and behaviour: docs/conversation-store.md.
"""

from __future__ import annotations

import json
from typing import Any

from bot.settings import Settings
from bot.store.base import (
    DAY_S,
    BaseConversationStore,
    RateDecision,
    StoreHealth,
    StoreLimits,
    Turn,
    history_of,
    ts_key,
)
from bot.store.sqlite import SQLiteConversationStore

ConversationStore = BaseConversationStore

__all__ = [
    "BaseConversationStore",
    "ConversationStore",
    "RateDecision",
    "SQLiteConversationStore",
    "StoreHealth",
    "StoreLimits",
    "Turn",
    "build_conversation_store",
    "history_of",
    "limits_from_settings",
    "ts_key",
    "turn_state",
]


def limits_from_settings(settings: Settings) -> StoreLimits:
    """The store's bounds from DECKBOT_THREAD_TTL_DAYS, DECKBOT_THREAD_MAX_TURNS, DECKBOT_USER_RATE_LIMIT."""
    return StoreLimits(
        thread_ttl_s=max(1, int(settings.thread_ttl_days * DAY_S)),
        max_turns=settings.thread_max_turns,
        rate_limit=settings.user_rate_limit,
    )


def build_conversation_store(settings: Settings) -> BaseConversationStore:
    """Redis when `REDIS_URL` is set, else `conversations.sqlite3` in the data directory."""
    limits = limits_from_settings(settings)
    if settings.redis_url:
        from bot.store.redis import RedisConversationStore  # the SQLite store needs no redis import

        return RedisConversationStore(settings.redis_url, limits=limits)
    return SQLiteConversationStore(settings.conversation_db, limits=limits)


_ENTITY_ARGS = ("entity", "entities", "country", "city", "company")


def turn_state(answer: Any) -> dict[str, Any]:
    """The structured state of one engine answer worth keeping for follow-ups.

    Reads only what `retrieval.models.Answer` exposes: tool calls (name and arguments, not results), the
    cited slides (the first is the focus), entities named in tool arguments, status and engine. New fields
    the engine adds later can be added here without changing the stored format.
    """
    calls = [
        {"name": call.name, "args": json.loads(json.dumps(call.args, default=str))}  # stays JSON
        for call in getattr(answer, "tool_calls", None) or []
    ]
    slides = [c.slide for c in getattr(answer, "citations", None) or [] if c.slide is not None]
    entities: list[str] = []
    for call in calls:
        for key in _ENTITY_ARGS:
            values = call["args"].get(key)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str) and value and value not in entities:
                    entities.append(value)
    return {
        "tool_calls": calls,
        "slides": list(dict.fromkeys(slides)),
        "focus_slide": slides[0] if slides else None,
        "entities": entities,
        "status": getattr(answer, "status", None),
        "engine": getattr(answer, "engine", None),
    }
