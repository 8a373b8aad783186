"""Structured request logs and secret redaction (bot/observability.py)."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from bot.observability import (
    REDACTED,
    SecretRedactor,
    configure_logging,
    current_request,
    is_secret_key,
    logged_listener,
    request_log,
    slack_request_ids,
    slack_surface,
)
from retrieval.models import Answer, ToolCall

BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
USER_TOKEN = "xoxp-1111-2222-3333-abcdef0123456789"
APP_TOKEN = "xapp-1-A0123456789-1234567890123-0123456789abcdef0123456789abcdef"
REFRESH_TOKEN = "xoxe-1-My0xLTAxMjM0NTY3ODktMTIzNDU2Nzg5MDEyMw"
ROTATED_TOKEN = "xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def log_stream():
    """Configure JSON logging into a buffer; restore the root logger and structlog afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging(level="INFO", fmt="json", known_secrets=[SIGNING_SECRET, BOT_TOKEN], stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize("token", [BOT_TOKEN, USER_TOKEN, APP_TOKEN, REFRESH_TOKEN, ROTATED_TOKEN])
def test_every_slack_token_kind_is_removed_from_text(token: str) -> None:
    redacted = SecretRedactor().redact_text(f"calling chat.postMessage with {token} now")
    assert token not in redacted
    assert redacted.startswith("calling chat.postMessage with ")
    assert redacted.endswith(" now")
    assert REDACTED in redacted


def test_secrets_are_redacted_anywhere_in_a_nested_event_dict() -> None:
    redactor = SecretRedactor(known_secrets=[SIGNING_SECRET])
    event = {
        "event": "slack api call",
        "headers": {"Authorization": f"Bearer {BOT_TOKEN}", "Content-Type": "application/json"},
        "retries": [{"url": f"https://slack.com/api/auth.test?token={USER_TOKEN}"}, ("x", APP_TOKEN)],
        "signing_secret": SIGNING_SECRET,
        "note": f"verified with {SIGNING_SECRET}",
        "user": "U0001",
        "latency_ms": 12.5,
    }
    out = redactor(None, "info", event)
    flat = json.dumps(out)
    for secret in (BOT_TOKEN, USER_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in flat
    assert out["headers"]["Authorization"] == REDACTED
    assert out["headers"]["Content-Type"] == "application/json"
    assert out["signing_secret"] == REDACTED
    assert out["note"] == f"verified with {REDACTED}"
    assert out["user"] == "U0001"
    assert out["latency_ms"] == 12.5
    assert event["signing_secret"] == SIGNING_SECRET  # the caller's dict is not modified


def test_header_dumps_and_assignments_in_free_text_are_redacted() -> None:
    redactor = SecretRedactor()
    text = (
        "request headers {'authorization': 'Basic dXNlcjpwYXNz', 'x-slack-signature': 'v0=abc123'} "
        "SLACK_SIGNING_SECRET=s3cr3tvalue then Bearer abc.def-ghi"
    )
    out = redactor.redact_text(text)
    for secret in ("dXNlcjpwYXNz", "v0=abc123", "s3cr3tvalue", "abc.def-ghi"):
        assert secret not in out
    assert out.count(REDACTED) == 4


def test_ordinary_text_and_numbers_survive_redaction() -> None:
    redactor = SecretRedactor(known_secrets=["abc"])  # too short to redact safely: ignored
    text = "研究開発税制の控除率は1～14％ (token count 5); basic research; abc"
    assert redactor.redact_text(text) == text
    out = redactor(None, "info", {"prompt_tokens": 120, "event": "answered", "tool_calls": ["rd_credit"]})
    assert out == {"prompt_tokens": 120, "event": "answered", "tool_calls": ["rd_credit"]}


def test_objects_whose_text_carries_a_token_are_replaced_by_redacted_text() -> None:
    error = RuntimeError(f"invalid_auth for {BOT_TOKEN}")
    out = SecretRedactor()(None, "error", {"event": "failed", "error": error})
    assert out["error"] == f"invalid_auth for xoxb-{REDACTED}"


@pytest.mark.parametrize(
    "key",
    [
        "Authorization",
        "signing_secret",
        "SLACK_BOT_TOKEN",
        "client-secret",
        "token",
        "x-slack-signature",
        "api_key",
    ],
)
def test_secret_keys_are_recognised(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize("key", ["tool_calls", "prompt_tokens", "user", "event_id", "tokens"])
def test_ordinary_keys_are_not_secret(key: str) -> None:
    assert not is_secret_key(key)


def test_stdlib_and_structlog_lines_are_json_and_redacted(log_stream: io.StringIO) -> None:
    logging.getLogger("slack_sdk.web").info(
        "Sending a request - headers: {'Authorization': 'Bearer %s'}", BOT_TOKEN
    )
    structlog.get_logger("deckbot.test").warning("config", signing_secret=SIGNING_SECRET, app=APP_TOKEN)
    try:
        raise ValueError(f"bad token {USER_TOKEN}")
    except ValueError:
        logging.getLogger("deckbot.errors").exception("unhandled error ref=%s", "abcd1234")
    text = log_stream.getvalue()
    for secret in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, USER_TOKEN):
        assert secret not in text
    first, second, third = lines(log_stream)
    assert first["logger"] == "slack_sdk.web" and first["level"] == "info"
    assert "Authorization" in first["event"]
    assert second == {
        **second,
        "event": "config",
        "signing_secret": REDACTED,
        "app": f"xapp-{REDACTED}",
        "level": "warning",
        "logger": "deckbot.test",
    }
    assert "timestamp" in second
    assert third["event"] == "unhandled error ref=abcd1234"
    assert "ValueError: bad token xoxp-" in third["exception"]


def test_request_log_writes_one_line_with_every_field(log_stream: io.StringIO) -> None:
    answer = Answer(
        answer="一般型の控除率は1～14％です。",
        status="answered",
        engine="offline",
        tool_calls=[
            ToolCall(name="rd_credit", args={}, result=None),
            ToolCall(name="lookup_ranking", args={}, result=None),
        ],
    )
    with request_log("mention", event_id="Ev0001", user="U0001", channel="C0001") as record:
        record.record_answer(answer)
    (line,) = lines(log_stream)
    assert line["event"] == "request"
    assert line["event_id"] == "Ev0001"
    assert line["user"] == "U0001"
    assert line["surface"] == "mention"
    assert line["engine"] == "offline"
    assert line["tool_calls"] == ["rd_credit", "lookup_ranking"]
    assert line["outcome"] == "answered"
    assert line["channel"] == "C0001"
    assert isinstance(line["latency_ms"], float) and line["latency_ms"] >= 0


def test_request_log_marks_errors_and_reraises(log_stream: io.StringIO) -> None:
    with pytest.raises(KeyError), request_log("/rdcredit", event_id="1337.42", user="U0002"):
        raise KeyError("channel")
    (line,) = lines(log_stream)
    assert line["outcome"] == "error"
    assert line["error"] == "KeyError"
    assert line["surface"] == "/rdcredit"


def test_console_format_is_one_readable_line(log_stream: io.StringIO) -> None:
    stream = io.StringIO()
    configure_logging(fmt="console", stream=stream)
    with request_log("dm", event_id="Ev9", user="U9") as record:
        record.outcome = "rate_limited"
    (line,) = stream.getvalue().splitlines()
    assert "request" in line and "outcome=rate_limited" in line and "surface=dm" in line


@pytest.mark.parametrize(
    ("body", "surface"),
    [
        ({"type": "event_callback", "event": {"type": "app_mention"}}, "mention"),
        ({"type": "event_callback", "event": {"type": "message", "channel_type": "im"}}, "dm"),
        (
            {
                "type": "event_callback",
                "event": {"type": "message", "channel_type": "channel", "thread_ts": "1.2"},
            },
            "thread",
        ),
        ({"command": "/rdcredit", "text": ""}, "/rdcredit"),
        ({"type": "block_actions"}, "action"),
        ({"type": "view_submission"}, "view"),
    ],
)
def test_slack_surface_names_where_a_request_came_from(body: dict, surface: str) -> None:
    assert slack_surface(body) == surface


def test_slack_request_ids_read_events_commands_and_interactions() -> None:
    assert slack_request_ids({"event_id": "Ev1", "event": {"user": "U1"}}) == {
        "event_id": "Ev1",
        "user": "U1",
    }
    assert slack_request_ids({"trigger_id": "9.9", "user_id": "U2"}) == {"event_id": "9.9", "user": "U2"}
    assert slack_request_ids({"type": "block_actions", "user": {"id": "U3"}}) == {
        "event_id": None,
        "user": "U3",
    }


async def test_logged_listener_writes_one_line_per_bolt_command(log_stream: io.StringIO) -> None:
    from urllib.parse import urlencode

    from slack_bolt.async_app import AsyncApp
    from slack_bolt.request.async_request import AsyncBoltRequest
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.fake_web_api import FakeSlack

    fake = FakeSlack().start()
    try:
        app = AsyncApp(
            client=AsyncWebClient(token=BOT_TOKEN, base_url=fake.url),
            request_verification_enabled=False,
            process_before_response=True,  # the listener finishes before dispatch returns
        )
        seen: list[str] = []

        async def handle_rdcredit_command(ack, command) -> None:  # noqa: ANN001 - Bolt injects by name
            await ack()
            seen.append(command["text"])
            current_request().outcome = "input_error"

        app.command("/rdcredit")(logged_listener(handle_rdcredit_command))
        form = {
            "command": "/rdcredit",
            "text": "rd=abc",
            "team_id": "T0001",
            "channel_id": "C0001",
            "user_id": "U0042",
            "trigger_id": "1337.42.abcd",
            "response_url": fake.response_url,
        }
        request = AsyncBoltRequest(
            body=urlencode(form), headers={"content-type": ["application/x-www-form-urlencoded"]}
        )
        response = await app.async_dispatch(request)
    finally:
        fake.stop()
    assert response.status == 200
    assert seen == ["rd=abc"]
    (line,) = [line for line in lines(log_stream) if line["event"] == "request"]
    assert line["surface"] == "/rdcredit"
    assert line["event_id"] == "1337.42.abcd"
    assert line["user"] == "U0042"
    assert line["outcome"] == "input_error"
    assert BOT_TOKEN not in log_stream.getvalue()


def test_logged_listener_keeps_the_handlers_own_arguments_for_bolt() -> None:
    from slack_bolt.util.utils import get_arg_names_of_callable

    async def with_body(ack, body, respond) -> None:  # noqa: ANN001
        return None

    async def without_body(ack, action) -> None:  # noqa: ANN001
        return None

    assert get_arg_names_of_callable(logged_listener(with_body)) == ["ack", "body", "respond"]
    assert get_arg_names_of_callable(logged_listener(without_body)) == ["ack", "action", "body"]
    assert logged_listener(without_body).__name__ == "without_body"
