"""Events API listeners: mentions, messages (DMs, thread follow-ups), the assistant pane, App Home."""

from slack_bolt.async_app import AsyncApp

from bot.listeners.events import app_home, app_mention, assistant, messages
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register the event listeners; the assistant middleware goes first so it sees its threads."""
    assistant.register(app, services)
    app_mention.register(app, services)
    messages.register(app, services)
    app_home.register(app, services)
