"""What GET /healthz reports: can the bot post (its token's `auth.test`, cached), can it reach its
conversation store, and the index and engine it answers from. Load-balancer guidance: docs/operations.md."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services

logger = logging.getLogger("deckbot.health")

TOKEN_OK_TTL_S = 300.0  # a good token is re-checked every 5 minutes
TOKEN_RETRY_S = 30.0  # a rejected token, or a check that could not reach Slack, is re-checked sooner
AUTH_TEST_TIMEOUT_S = 5.0
# auth.test errors that mean this token can never post (https://api.slack.com/methods/auth.test)
INVALID_TOKEN_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "not_allowed_token_type",
        "org_login_required",
        "ekm_access_denied",
        "team_access_not_granted",
    }
)
_IDENTITY = {
    "team": "team",
    "team_id": "team_id",
    "user": "user",
    "user_id": "bot_user_id",
    "bot_id": "bot_id",
}


class TokenCheck:
    """The bot token's `auth.test` verdict, cached; concurrent health probes share one call."""

    def __init__(self, client: AsyncWebClient, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._clock = clock
        self._lock = asyncio.Lock()
        self._status: dict[str, Any] | None = None
        self._fresh_until = 0.0

    async def status(self) -> dict[str, Any]:
        """{"ok": True/False/None, …}: None when there is no token, or Slack could not be asked yet."""
        if not self._client.token:
            return {"ok": None, "configured": False}  # terminal chat, tests: nothing to post with
        async with self._lock:
            if self._status is None or self._clock() >= self._fresh_until:
                self._status = await self._check()
        return self._status

    async def _check(self) -> dict[str, Any]:
        now = self._clock()
        try:
            reply = await asyncio.wait_for(self._client.auth_test(), AUTH_TEST_TIMEOUT_S)
        except SlackApiError as error:
            code = str(error.response.get("error") or "unknown_error")
            if code in INVALID_TOKEN_ERRORS:
                return self._verdict(False, now, error=code)
            return self._unverified(now, code)
        except (TimeoutError, ClientError, OSError, ValueError) as error:  # unreachable, bad reply
            return self._unverified(now, type(error).__name__)
        status = self._verdict(True, now)
        status |= {name: reply.get(key) for key, name in _IDENTITY.items() if reply.get(key)}
        return status

    def _verdict(self, ok: bool, now: float, *, error: str | None = None) -> dict[str, Any]:
        if not ok and (self._status or {}).get("ok") is not False:
            logger.error("the bot token was rejected by auth.test (%s): the bot cannot post", error)
        self._fresh_until = now + (TOKEN_OK_TTL_S if ok else TOKEN_RETRY_S)
        status: dict[str, Any] = {"ok": ok, "checked_at": round(time.time(), 3)}
        return status | ({"error": error} if error else {})

    def _unverified(self, now: float, error: str) -> dict[str, Any]:
        """Slack did not give a verdict (rate limit, outage, timeout): keep the last one, retry sooner."""
        logger.warning("auth.test could not check the bot token (%s)", error)
        self._fresh_until = now + TOKEN_RETRY_S
        previous = self._status if self._status and self._status.get("ok") is not None else {"ok": None}
        return {**previous, "stale": True, "check_error": error}


async def health_report(services: Services, token_check: TokenCheck) -> tuple[int, dict[str, Any]]:
    """The /healthz status code and body: 503 when the token is invalid or the store is unreachable."""
    token, store = await asyncio.gather(token_check.status(), services.store.health())
    if token.get("ok") is False or not store.ok:
        code, status = 503, "unavailable"
    elif store.state == "degraded" or token.get("stale"):
        code, status = 200, "degraded"
    else:
        code, status = 200, "ok"
    body = {
        "status": status,
        "token": token,
        "store": store.model_dump(exclude_none=True),
        "index": {"chunks": services.chunk_count},
        "engine": services.engine_name,
    }
    return code, body
