"""App Home: publish the help text, the served documents and the deck's table of contents."""

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners.documents import document_rows
from bot.observability import logged_listener
from bot.render.home import render_home
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register the app_home_opened listener."""

    async def handle_app_home_opened_event(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        sections = await services.run_blocking(services.answerer.sections)
        rows = await services.run_blocking(document_rows, services, fallback=False)  # [] for one document
        view = render_home(sections, services.bundle.display_title, rows or None)
        await client.views_publish(user_id=event["user"], view=view)

    app.event("app_home_opened")(logged_listener(handle_app_home_opened_event))
