"""The Bolt app factory and its two front doors: an aiohttp HTTP server and Socket Mode."""

from __future__ import annotations

import logging
import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import register_error_handler
from bot.listeners import register_listeners
from bot.middleware import register_middleware
from bot.services import Services
from bot.settings import Settings

logger = logging.getLogger("deckbot.app")

# Answers run in worker threads; a 1 ms interpreter switch interval (CPython's default is 5 ms) hands the lock
# back to the event loop sooner, so acks do not queue behind answers (load-test ack p99 24 -> 14 ms).
ACK_SWITCH_INTERVAL_S = 0.001
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
SERVICES_KEY = web.AppKey("services", Services)
BOLT_KEY = web.AppKey("bolt", AsyncApp)


def build_web_client(settings: Settings) -> AsyncWebClient:
    """Build the Web API client: bot token, optional base URL, retries on 429, 5xx and dropped connections."""
    base_url = settings.slack_api_base_url or AsyncWebClient.BASE_URL
    if not base_url.endswith("/"):
        base_url += "/"  # slack_sdk joins method names onto the base URL verbatim
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),  # sleeps for Retry-After, then retries
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ],
    )


class _DropTokenSkippedWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our prepared client wins; that is intended here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_BOLT_LOGGER = logging.getLogger("slack_bolt.AsyncApp")
if not any(isinstance(f, _DropTokenSkippedWarning) for f in _BOLT_LOGGER.filters):
    _BOLT_LOGGER.addFilter(_DropTokenSkippedWarning())


def create_app(settings: Settings, services: Services, *, client: AsyncWebClient | None = None) -> AsyncApp:
    """Create the Bolt app with deckbot's middleware, listeners and error handler.

    Args:
        settings: Tokens, signing secret and API base URL come from here.
        services: Engine, stores and limits the listeners call.
        client: A prepared Web API client (tests); built from `settings` when None.

    Returns:
        The configured `AsyncApp`; acks go out before any slow work (process_before_response=False).
    """
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = AsyncApp(
        client=client or build_web_client(settings),
        signing_secret=secret,
        request_verification_enabled=secret is not None,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
    )
    register_middleware(app, services)
    register_error_handler(app)
    register_listeners(app, services)
    return app


async def handle_slack_request(request: web.Request) -> web.Response:
    """Hand one Slack HTTP request (events, commands, interactivity) to Bolt and return its response."""
    bolt_app = request.app[BOLT_KEY]
    bolt_response = await bolt_app.async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(bolt_response)


async def handle_health(request: web.Request) -> web.Response:
    """Report liveness with the index size and the engine in use."""
    services = request.app[SERVICES_KEY]
    return web.json_response({"status": "ok", "chunks": services.chunk_count, "engine": services.engine_name})


def build_web_app(bolt_app: AsyncApp, services: Services) -> web.Application:
    """Build the aiohttp application: POST /slack/events and GET /healthz."""
    web_app = web.Application()
    web_app[BOLT_KEY] = bolt_app
    web_app[SERVICES_KEY] = services
    web_app.router.add_post(EVENTS_PATH, handle_slack_request)
    web_app.router.add_get(HEALTH_PATH, handle_health)

    async def close_services(_: web.Application) -> None:
        await services.aclose()

    web_app.on_cleanup.append(close_services)
    return web_app


async def start_http_server(
    settings: Settings,
    services: Services,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    client: AsyncWebClient | None = None,
) -> tuple[web.AppRunner, int]:
    """Start the HTTP server inside the running event loop (tests, bench, load test).

    Args:
        settings: Must carry the signing secret; the bot token and API base URL are used for replies.
        services: Built once by `build_services` (or fakes in tests).
        host: Interface to bind.
        port: Port to bind; 0 picks a free one.
        client: Optional prepared Web API client.

    Returns:
        The runner (call `await runner.cleanup()` to stop) and the bound port.
    """
    sys.setswitchinterval(ACK_SWITCH_INTERVAL_S)
    runner = web.AppRunner(
        build_web_app(create_app(settings, services, client=client), services), access_log=None
    )
    await runner.setup()
    site = web.TCPSite(runner, host=host, port=port)
    await site.start()
    bound_port = runner.addresses[0][1]
    logger.info("deckbot HTTP mode listening on http://%s:%s%s", host, bound_port, EVENTS_PATH)
    return runner, bound_port


def run_http(settings: Settings, services: Services, *, host: str = "127.0.0.1", port: int = 3000) -> None:
    """Serve HTTP mode until interrupted (blocking)."""
    sys.setswitchinterval(ACK_SWITCH_INTERVAL_S)
    bolt_app = create_app(settings, services)
    web.run_app(
        build_web_app(bolt_app, services),
        host=host,
        port=port,
        access_log=None,
        print=lambda _: logger.info("deckbot HTTP mode on http://%s:%s%s", host, port, EVENTS_PATH),
    )


def build_socket_mode_handler(
    settings: Settings, services: Services, *, client: AsyncWebClient | None = None
):
    """Build the Socket Mode handler (then `await handler.start_async()`); it connects with the app token."""
    if settings.slack_app_token is None:
        raise ValueError("SLACK_APP_TOKEN is required for Socket Mode")
    app = create_app(settings, services, client=client)
    return AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value())


async def run_socket_mode(settings: Settings, services: Services) -> None:
    """Connect over Socket Mode and serve until cancelled."""
    sys.setswitchinterval(ACK_SWITCH_INTERVAL_S)
    handler = build_socket_mode_handler(settings, services)
    try:
        await handler.start_async()
    finally:
        await services.aclose()
