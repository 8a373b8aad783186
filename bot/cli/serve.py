"""`deckbot serve` (Socket Mode or HTTP) and `deckbot feedback` (summary of 👍/👎)."""

from __future__ import annotations

import asyncio
import importlib

import click

from bot.observability import configure_logging
from bot.settings import Settings, get_settings


def missing_slack_settings(settings: Settings, *, http: bool) -> list[str]:
    """Name the environment variables `serve` still needs for the chosen mode."""
    needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if http:
        needed["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    else:
        needed["SLACK_APP_TOKEN"] = settings.slack_app_token
    return [name for name, value in needed.items() if value is None or not value.get_secret_value()]


def _start_terminal_chat(settings: Settings) -> None:
    try:
        answer_cli = importlib.import_module("bot.cli.answer")
    except ModuleNotFoundError:
        answer_cli = None
    if answer_cli is None or not hasattr(answer_cli, "chat_loop"):
        click.echo(
            "The answer engine is not built yet (no bot/cli/answer.py:chat_loop); nothing to chat with."
        )
        return
    answer_cli.chat_loop(answer_cli.load_answerer(settings.data_dir), input_fn=input, print_fn=click.echo)


@click.command()
@click.option(
    "--http", "http_mode", is_flag=True, help="Serve the Events API over HTTP instead of Socket Mode."
)
@click.option("--port", type=int, default=3000, show_default=True, help="HTTP port (with --http).")
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP interface (with --http).")
@click.option(
    "--or-chat", is_flag=True, help="Without Slack tokens, start the terminal chat instead of failing."
)
def serve(http_mode: bool, port: int, host: str, or_chat: bool) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, or HTTP with --http."""
    settings = get_settings()
    if not http_mode and settings.slack_app_token is None and settings.slack_signing_secret is not None:
        http_mode = True  # a signing secret without an app token means an Events API (HTTP) install
    missing = missing_slack_settings(settings, http=http_mode)
    if missing:
        if or_chat:
            click.echo(f"Slack is not configured (missing {', '.join(missing)}); starting the terminal chat.")
            _start_terminal_chat(settings)
            return
        mode = "HTTP mode (--http)" if http_mode else "Socket Mode"
        raise click.ClickException(
            f"Cannot start {mode}: missing {', '.join(missing)}. Set them in the environment or .env "
            "(see docs/slack.md). Socket Mode needs SLACK_BOT_TOKEN + SLACK_APP_TOKEN; "
            "HTTP mode needs SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET."
        )
    secrets = (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret)
    configure_logging(level=settings.log_level, known_secrets=[s.get_secret_value() for s in secrets if s])
    from bot.app import exit_without_waiting_for_workers, run_http, run_socket_mode
    from bot.services import build_services
    from retrieval.answering import EngineConfigError

    try:
        services = build_services(settings, progress=True)
    except EngineConfigError as error:
        raise click.ClickException(f"{error.message_en}\n{error.message_ja}") from error
    if http_mode:
        run_http(settings, services, host=host, port=port)
    else:
        asyncio.run(run_socket_mode(settings, services))
        exit_without_waiting_for_workers()


@click.command()
@click.option("--recent", type=int, default=10, show_default=True, help="How many recent 👎 to list.")
def feedback(recent: int) -> None:
    """Summarise the 👍/👎 feedback people gave in Slack."""
    from bot.feedback import FeedbackStore

    settings = get_settings()
    if not settings.feedback_db.exists():
        click.echo(f"No feedback yet ({settings.feedback_db} does not exist).")
        return
    store = FeedbackStore(settings.feedback_db)
    summary = store.summary(recent=recent)
    store.close()
    rated = summary.thumbs_up + summary.thumbs_down
    share = f"{summary.thumbs_up / rated:.0%}" if rated else "n/a"
    click.echo(f"answers posted: {summary.answers}")
    click.echo(f"ratings: {rated}  👍 {summary.thumbs_up}  👎 {summary.thumbs_down}  (👍 share {share})")
    if summary.recent_down:
        click.echo("recent 👎:")
        for row in summary.recent_down:
            click.echo(f"- {row.created_at} {row.user_id}: Q: {row.question[:80]!r}")
            click.echo(f"    A: {row.answer[:120]!r}")
