"""View submissions: the /rdcredit modal."""

from slack_bolt.async_app import AsyncApp

from bot.listeners.views import rdcredit_modal
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register every view_submission handler."""
    rdcredit_modal.register(app, services)
