"""Thin Slack listeners, one folder per surface, each with `register(app, services)`."""

from slack_bolt.async_app import AsyncApp

from bot.listeners import actions, commands, events, shortcuts, views
from bot.services import Services


def register_listeners(app: AsyncApp, services: Services) -> None:
    """Register every surface's listeners on `app`."""
    events.register(app, services)
    commands.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    shortcuts.register(app, services)
