"""The Bolt app factory and its two front doors: an aiohttp HTTP server and Socket Mode."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from aiohttp import ClientOSError, ConnectionTimeoutError, ServerDisconnectedError, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.internals import parse_body
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import register_error_handler
from bot.health import TokenCheck, health_report
from bot.listeners import register_listeners
from bot.middleware import register_middleware
from bot.services import Services
from bot.settings import Settings

logger = logging.getLogger("deckbot.app")

# Answers run in worker threads; a 1 ms interpreter switch interval (CPython's default is 5 ms) hands the lock
# back to the event loop sooner, so acks do not queue behind answers (load-test ack p99 24 -> 14 ms).
ACK_SWITCH_INTERVAL_S = 0.001
# A deploy's SIGTERM: in-flight requests get this long, then the process leaves without joining worker
# threads (a thread busy in CPU work cannot be interrupted, and Python would otherwise wait for it).
SHUTDOWN_GRACE_S = 3.0
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
SERVICES_KEY = web.AppKey("services", Services)
TOKEN_CHECK_KEY = web.AppKey("token_check", TokenCheck)
BOLT_KEY = web.AppKey("bolt", AsyncApp)
VERIFIER_KEY = web.AppKey("verifier", SignatureVerifier)
# Slack's own payloads stay far below this; aiohttp answers 413 past it before we read anything.
MAX_REQUEST_BYTES = 1024 * 1024


def build_web_client(settings: Settings) -> AsyncWebClient:
    """Build the Web API client: bot token, optional base URL, retries on 429, 5xx and dropped connections."""
    base_url = settings.slack_api_base_url or AsyncWebClient.BASE_URL
    if not base_url.endswith("/"):
        base_url += "/"  # slack_sdk joins method names onto the base URL verbatim
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=settings.slack_timeout_s,
        retry_handlers=[
            # Not on read timeouts (slack_sdk's default list includes them): the request was sent and may
            # have been posted, and a retry would post it twice.
            AsyncConnectionErrorRetryHandler(
                max_retry_count=2,
                error_types=[ConnectionTimeoutError, ServerDisconnectedError, ClientOSError],
            ),
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


def signing_secret(settings: Settings) -> str | None:
    """The signing secret HTTP requests are verified with, if one is configured."""
    return settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None


def create_app(settings: Settings, services: Services, *, client: AsyncWebClient | None = None) -> AsyncApp:
    """Create the Bolt app with deckbot's middleware, listeners and error handler.

    Args:
        settings: Tokens, signing secret and API base URL come from here.
        services: Engine, stores and limits the listeners call.
        client: A prepared Web API client (tests); built from `settings` when None.

    Returns:
        The configured `AsyncApp`; acks go out before any slow work (process_before_response=False).
    """
    secret = signing_secret(settings)
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


def is_signed_by_slack(verifier: SignatureVerifier, raw_body: bytes, headers) -> bool:
    """Check Slack's signature; any malformed header (missing, non-numeric, old, future, tampered) is False.

    slack_sdk's `is_valid` raises on a non-numeric timestamp; a raise must never reach Bolt's error handler,
    which would then trust the unverified body to decide where to post.
    """
    try:
        return verifier.is_valid(
            body=raw_body.decode("utf-8"),
            timestamp=headers.get("X-Slack-Request-Timestamp"),
            signature=headers.get("X-Slack-Signature"),
        )
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return False


def is_parseable_payload(raw_body: bytes, content_type: str | None) -> bool:
    """Tell whether Bolt can parse the body (JSON, form, or form with a JSON `payload`)."""
    try:
        parse_body(raw_body.decode("utf-8"), content_type)
    except (ValueError, UnicodeDecodeError):  # json.JSONDecodeError is a ValueError
        return False
    return True


async def handle_slack_request(request: web.Request) -> web.Response:
    """Verify one Slack HTTP request at the edge, then hand it to Bolt and return Bolt's response.

    Unsigned or forged requests get 401 and signed but unreadable ones 400, before Bolt (and so before any
    listener or error handler that could post) sees them.
    """
    raw_body = await request.read()
    verifier = request.app.get(VERIFIER_KEY)
    if verifier is not None and not is_signed_by_slack(verifier, raw_body, request.headers):
        logger.info("rejected a request that failed Slack signature verification")
        return web.Response(status=401, text="invalid request signature")
    if not is_parseable_payload(raw_body, request.content_type):
        logger.info("rejected a signed request whose body is not a Slack payload")
        return web.Response(status=400, text="unreadable request body")
    bolt_app = request.app[BOLT_KEY]
    bolt_response = await bolt_app.async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(bolt_response)


async def handle_health(request: web.Request) -> web.Response:
    """Report the token (auth.test, cached), the store, the index and the engine; 503 when the bot cannot post
    or cannot reach its store (see bot/health.py)."""
    status, body = await health_report(request.app[SERVICES_KEY], request.app[TOKEN_CHECK_KEY])
    return web.json_response(body, status=status)


def build_web_app(
    bolt_app: AsyncApp, services: Services, *, signing_secret: str | None = None
) -> web.Application:
    """Build the aiohttp application: POST /slack/events (verified with `signing_secret`) and GET /healthz."""
    web_app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    web_app[BOLT_KEY] = bolt_app
    if signing_secret:
        web_app[VERIFIER_KEY] = SignatureVerifier(signing_secret)
    web_app[SERVICES_KEY] = services
    web_app[TOKEN_CHECK_KEY] = TokenCheck(bolt_app.client)
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
        build_web_app(
            create_app(settings, services, client=client), services, signing_secret=signing_secret(settings)
        ),
        access_log=None,
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
        build_web_app(bolt_app, services, signing_secret=signing_secret(settings)),
        host=host,
        port=port,
        access_log=None,
        shutdown_timeout=SHUTDOWN_GRACE_S,
        print=lambda _: logger.info("deckbot HTTP mode on http://%s:%s%s", host, port, EVENTS_PATH),
    )
    exit_without_waiting_for_workers()


def exit_without_waiting_for_workers() -> None:
    """End the process now that the server has stopped; busy engine or chart threads are abandoned."""
    logger.info("deckbot stopped")
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


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
    serving = asyncio.current_task()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop_signal, serving.cancel)
    try:
        await handler.start_async()
    except asyncio.CancelledError:
        logger.info("deckbot Socket Mode stopping")
    finally:
        await asyncio.wait_for(services.aclose(), SHUTDOWN_GRACE_S)
