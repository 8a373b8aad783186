"""The app's assistant pane (agent threads): the bundle's greeting and suggested prompts, a thinking status,
answers in the thread."""

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncAssistant, AsyncSay, AsyncSetStatus, AsyncSetSuggestedPrompts
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.conversation import reply_to_event
from bot.render.home import render_greeting
from bot.services import Services

logger = logging.getLogger("deckbot.assistant")


def suggested_prompts(services: Services) -> list[dict[str, str]]:
    """The bundle's suggested prompts, as Slack's assistant.threads.setSuggestedPrompts takes them."""
    return [prompt.model_dump() for prompt in services.bundle.assistant.prompts]


def register(app: AsyncApp, services: Services) -> None:
    """Register the assistant middleware and its listeners."""
    assistant = AsyncAssistant()

    async def handle_thread_started(say: AsyncSay, set_suggested_prompts: AsyncSetSuggestedPrompts) -> None:
        # With blocks: Bolt's default thread-context store reads the first bot reply's `blocks` when
        # assistant_thread_context_changed arrives, and a text-only greeting made it raise.
        greeting = render_greeting(services.bundle.assistant.greeting)
        await say(text=greeting.text, blocks=greeting.block_dicts())
        try:
            await set_suggested_prompts(prompts=suggested_prompts(services))
        except Exception:  # prompts are a convenience; the greeting already went out
            logger.info("assistant suggested prompts not set", exc_info=True)

    async def handle_user_message(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, set_status: AsyncSetStatus
    ) -> None:
        try:
            await set_status("is thinking…")
        except Exception:  # the status is cosmetic; never skip the answer for it
            logger.info("assistant status not set", exc_info=True)
        await reply_to_event(
            services, client, event, body, thread_ts=event.get("thread_ts"), surface="assistant"
        )

    assistant.thread_started(handle_thread_started)
    assistant.user_message(handle_user_message)
    app.assistant(assistant)
