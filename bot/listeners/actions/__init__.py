"""Block actions: feedback buttons, sharing a /rdcredit result, Summarize buttons in App Home."""

from slack_bolt.async_app import AsyncApp

from bot.listeners.actions import feedback, home_summarize, share
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register every block action."""
    feedback.register(app, services)
    share.register(app, services)
    home_summarize.register(app, services)
