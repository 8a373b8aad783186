"""Structured logging for deckbot: one JSON (or console) line per request, with Slack secrets redacted.

All output, structlog's and the standard library's (Bolt, slack_sdk, aiohttp), goes through one handler whose
formatter runs `SecretRedactor` last, so a token can not leak through any logger.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal

import structlog

REDACTED = "[REDACTED]"
REQUEST_EVENT = "request"
LogFormat = Literal["auto", "json", "console"]

# xoxb- bot, xoxp- user, xoxa-/xoxr-/xoxs-/xoxo- legacy, xoxe- and xoxe.xoxp- rotating, xapp- app-level.
_SLACK_TOKEN = re.compile(r"\b(?P<kind>(?:xoxe\.)?xox[a-z]|xapp)-[A-Za-z0-9-]+")
_AUTH_SCHEME = re.compile(r"\b(?P<scheme>Bearer)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
# "authorization: xyz", "signing_secret=abc", "'client_secret': 'abc'" in free text (headers, URLs).
_SECRET_ASSIGNMENT = re.compile(
    r"(?P<key>(?:proxy[-_])?authorization|signing[-_ ]?secret|client[-_]secret|api[-_]?key"
    r"|x-slack-signature)"
    r"(?P<sep>[\"']?\s*[:=]\s*[\"']?)(?P<value>(?:(?:Bearer|Basic)\s+)?[^\s\"',;}&]+)",
    re.IGNORECASE,
)
# Keys whose string values are secrets anywhere in an event dict (compared lower-case, '-' as '_').
_SECRET_KEY = re.compile(
    r"(?:^|_)(?:authorization|signing_secret|client_secret|secret|password|api_key|token|bot_token|app_token|"
    r"user_token|access_token|refresh_token|x_slack_signature)$"
)
_PRIMITIVES = (int, float, bool, type(None))


class SecretRedactor:
    """A structlog processor that replaces Slack tokens, signing secrets and Authorization values anywhere.

    It walks the whole event dict (nested dicts, lists, tuples) and redacts: values under secret-looking keys,
    Slack token patterns, `Bearer …` credentials, `key=value` secret assignments in text, and the exact values
    of secrets this process knows (the configured signing secret, tokens, model keys).
    """

    def __init__(self, known_secrets: Iterable[str | None] = ()) -> None:
        """Create the redactor.

        Args:
            known_secrets: Exact secret values to remove wherever they occur (short values under 6
                characters are ignored, because replacing them would mangle ordinary text).
        """
        self.known_secrets = sorted({s for s in known_secrets if s and len(s) >= 6}, key=len, reverse=True)

    def __call__(self, logger: Any, method_name: str, event_dict: Mapping[str, Any]) -> dict[str, Any]:
        """Return a redacted copy of `event_dict` (the structlog processor signature)."""
        return {key: self._value(key, value) for key, value in event_dict.items()}

    def redact_text(self, text: str) -> str:
        """Redact every secret found in one string."""
        for secret in self.known_secrets:
            text = text.replace(secret, REDACTED)
        text = _SECRET_ASSIGNMENT.sub(lambda m: f"{m.group('key')}{m.group('sep')}{REDACTED}", text)
        text = _AUTH_SCHEME.sub(lambda m: f"{m.group('scheme')} {REDACTED}", text)
        return _SLACK_TOKEN.sub(lambda m: f"{m.group('kind')}-{REDACTED}", text)

    def _value(self, key: Any, value: Any) -> Any:
        if isinstance(key, str) and is_secret_key(key) and not isinstance(value, _PRIMITIVES):
            return (
                REDACTED
                if isinstance(value, str | bytes) or not hasattr(value, "get_secret_value")
                else value
            )
        return self._redact(value)

    def _redact(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact_text(value)
        if isinstance(value, _PRIMITIVES):
            return value
        if isinstance(value, Mapping):
            return {k: self._value(k, v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self._redact(item) for item in value]
        if isinstance(value, bytes):
            return self.redact_text(value.decode("utf-8", "replace"))
        # Any other object is rendered with str() later; redact that text if it would leak something.
        text = str(value)
        redacted = self.redact_text(text)
        return value if redacted == text else redacted


def is_secret_key(key: str) -> bool:
    """Whether a field named `key` holds a secret (authorization, token, signing_secret, …)."""
    return bool(_SECRET_KEY.search(key.lower().replace("-", "_")))


def configure_logging(
    *,
    level: str = "INFO",
    fmt: LogFormat = "auto",
    known_secrets: Iterable[str | None] = (),
    stream: IO[str] | None = None,
) -> SecretRedactor:
    """Route structlog and standard-library logging through one redacting handler.

    Args:
        level: Minimum level, e.g. "INFO" or "DEBUG".
        fmt: "json" (one JSON object per line), "console" (readable key=value lines), or "auto": JSON
            unless the stream is a terminal.
        known_secrets: Exact secret values to redact (signing secret, tokens); see `SecretRedactor`.
        stream: Where lines go (default: stderr).

    Returns:
        The redactor in use, so callers can redact text they print themselves.
    """
    stream = stream or sys.stderr
    use_json = fmt == "json" or (fmt == "auto" and not _is_tty(stream))
    redactor = SecretRedactor(known_secrets)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,  # tracebacks become text, so the redactor sees them
            redactor,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.set_name("deckbot")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "deckbot"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    return redactor


def _is_tty(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_CURRENT: contextvars.ContextVar[RequestRecord | None] = contextvars.ContextVar(
    "deckbot_request", default=None
)


@dataclass
class RequestRecord:
    """The fields of one request's log line, filled in while the request is handled."""

    surface: str
    event_id: str | None = None
    user: str | None = None
    engine: str | None = None
    tool_calls: list[str] = field(default_factory=list)
    outcome: str = "ok"
    extra: dict[str, Any] = field(default_factory=dict)

    def record_answer(self, answer: Any) -> None:
        """Take engine, tool call names and outcome (answered / not_in_deck) from an engine `Answer`."""
        self.engine = getattr(answer, "engine", self.engine)
        self.tool_calls = [getattr(call, "name", str(call)) for call in getattr(answer, "tool_calls", [])]
        self.outcome = getattr(answer, "status", self.outcome)


@contextlib.contextmanager
def request_log(
    surface: str,
    *,
    event_id: str | None = None,
    user: str | None = None,
    logger_name: str = "deckbot.requests",
    **extra: Any,
) -> Iterator[RequestRecord]:
    """Log one line when the block ends: event id, user, surface, engine, tool calls, latency, outcome.

    An exception inside the block is logged with outcome "error" and the exception type, then re-raised.

    Args:
        surface: Where the request came from: mention, dm, thread, assistant, /rdcredit, action, …
        event_id: Slack's event id (or the command's trigger id) for correlating retries.
        user: Slack user id of the asker.
        logger_name: structlog logger to write to.
        **extra: More fields for the line (channel, …).

    Yields:
        A `RequestRecord` to fill in (`record_answer(answer)`, `outcome = "rate_limited"`, …).
    """
    record = RequestRecord(surface=surface, event_id=event_id, user=user, extra=dict(extra))
    started = time.perf_counter()
    token = _CURRENT.set(record)
    try:
        yield record
    except BaseException as error:
        record.outcome = "error"
        record.extra["error"] = type(error).__name__
        raise
    finally:
        _CURRENT.reset(token)
        structlog.get_logger(logger_name).info(
            REQUEST_EVENT,
            event_id=record.event_id,
            user=record.user,
            surface=record.surface,
            engine=record.engine,
            tool_calls=record.tool_calls,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
            outcome=record.outcome,
            **record.extra,
        )


def current_request() -> RequestRecord | None:
    """The record of the request being handled (inside `request_log`), so deep code can set its outcome."""
    return _CURRENT.get()


def logged_listener(
    handler: Callable[..., Awaitable[Any]], *, surface: str | None = None
) -> Callable[..., Awaitable[Any]]:
    """Wrap a Bolt listener so each call writes one `request` line (see `request_log`).

    Bolt injects listener arguments by parameter name; the wrapper asks for the handler's own parameters plus
    `body` (for the event/trigger id, user and surface) and passes the handler only what it asked for.

    Args:
        handler: An async Bolt listener (command, action, view, shortcut handler).
        surface: Surface name for the line; by default derived from the request body (`slack_surface`).

    Returns:
        The wrapped listener, to register with Bolt in the handler's place.
    """
    signature = inspect.signature(handler)
    wants_body = "body" in signature.parameters
    parameters = list(signature.parameters.values())
    if not wants_body:  # before any *args / keyword-only / **kwargs, where a positional parameter is allowed
        flexible = (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.KEYWORD_ONLY,
            inspect.Parameter.VAR_KEYWORD,
        )
        at = next((i for i, p in enumerate(parameters) if p.kind in flexible), len(parameters))
        parameters.insert(
            at, inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)
        )

    async def listener(**kwargs: Any) -> Any:
        body = kwargs.get("body") if wants_body else kwargs.pop("body", None)
        body = body or {}
        with request_log(surface or slack_surface(body), **slack_request_ids(body)):
            return await handler(**kwargs)

    listener.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    listener.__name__ = getattr(handler, "__name__", "listener")
    listener.__qualname__ = getattr(handler, "__qualname__", listener.__name__)
    listener.__doc__ = handler.__doc__
    return listener


def slack_surface(body: Mapping[str, Any]) -> str:
    """Name the Slack surface a request body came from (mention, dm, thread, /command, action, view, …)."""
    if body.get("command"):
        return str(body["command"])
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event") or {}
        event_type = event.get("type")
        if event_type == "app_mention":
            return "mention"
        if event_type == "message":
            if event.get("channel_type") == "im":
                return "dm"
            return "thread" if event.get("thread_ts") else "message"
        return str(event_type or "event")
    if kind in ("block_actions", "interactive_message"):
        return "action"
    if kind in ("view_submission", "view_closed"):
        return "view"
    if kind in ("shortcut", "message_action"):
        return "shortcut"
    return str(kind or "unknown")


def slack_request_ids(body: Mapping[str, Any]) -> dict[str, str | None]:
    """The event id (or trigger id) and user id of a Slack request body, for the request log line."""
    event = body.get("event") or {}
    user = body.get("user_id") or event.get("user")
    if user is None and isinstance(body.get("user"), Mapping):
        user = body["user"].get("id")
    return {"event_id": body.get("event_id") or body.get("trigger_id"), "user": user}
