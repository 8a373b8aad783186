"""Slash commands: /rdcredit, /deckrank, /decksummary, /deckbot."""

from slack_bolt.async_app import AsyncApp

from bot.listeners.commands import deckbot_settings, ranking, rdcredit, summary
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register every slash command."""
    rdcredit.register(app, services)
    ranking.register(app, services)
    summary.register(app, services)
    deckbot_settings.register(app, services)
