"""A recording fake of Slack's Web API on a loopback port, for `deckbot bench`, the load test and tests."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"


@dataclass
class Call:
    """One recorded request: API method (or 'response_url' / 'upload'), parameters, and the auth header."""

    method: str
    params: dict[str, Any]
    token: str | None = None
    response: dict[str, Any] = field(default_factory=dict)

    def blocks(self) -> list[dict]:
        """The call's blocks, decoded when sent form-encoded."""
        return self.json_param("blocks") or []

    def json_param(self, name: str) -> Any:
        """A structured parameter (view, blocks, prompts), decoded when it was sent as a JSON string."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class FakeSlack:
    """Thread-based fake of slack.com/api; configure failures with `fail(method, error)`."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)  # method -> seconds to wait before answering
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # thread ts -> messages
    rejected_tokens: dict[str, str] = field(default_factory=dict)  # token -> error for every call with it
    socket_url: str = "ws://127.0.0.1:9/unset"  # what apps.connections.open hands out
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        """Base URL to give slack_sdk (ends with '/')."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    @property
    def response_url(self) -> str:
        """A response_url that records what is sent to it."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/response/1"

    def start(self) -> FakeSlack:
        """Start serving on a free loopback port in a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                url = urlparse(self.path)
                path = url.path
                query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(url.query).items()}
                params = {**query, **_decode(raw, self.headers.get("Content-Type") or "")}
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or None
                status, payload = fake._handle(path, params, token)
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def fail(self, method: str, error: str) -> None:
        """Make every later call of `method` return {ok: false, error}."""
        self.failures[method] = error

    def _handle(self, path: str, params: dict[str, Any], token: str | None) -> tuple[int, dict[str, Any]]:
        if path.startswith("/response/"):
            method = "response_url"
        elif path.startswith("/upload/"):
            method = "upload"
        else:
            method = path.removeprefix("/api/")
        if method in self.failures:
            response = {"ok": False, "error": self.failures[method]}
        elif token in self.rejected_tokens:  # a revoked or mistyped token fails every Web API method
            response = {"ok": False, "error": self.rejected_tokens[token]}
        else:
            response = self._canned(method, params)
        with self._lock:
            self.calls.append(Call(method, params, token, response))
            self._lock.notify_all()
        time.sleep(self.delays.get(method, 0))  # recorded first: the call "went through", the answer is late
        return 200, response

    def _canned(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000{next(self._ts):03d}.000100"
        channel = params.get("channel") or params.get("channel_id")
        responses: dict[str, dict[str, Any]] = {
            "auth.test": {
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team_id": TEAM_ID,
                "user": "deckbot",
                "team": "Test",
                "url": "https://test.slack.com/",
            },
            "chat.postMessage": {
                "channel": channel,
                "ts": ts,
                "message": {"ts": ts, "text": params.get("text")},
            },
            "chat.postEphemeral": {"message_ts": ts},
            "views.open": {"view": {"id": "V1"}},
            "views.publish": {"view": {"id": "V2"}},
            "conversations.open": {"channel": {"id": "D" + str(params.get("users", "U"))[1:]}},
            "files.getUploadURLExternal": {
                "upload_url": self.url.replace("/api/", "/upload/1"),
                "file_id": "F1",
            },
            "files.completeUploadExternal": {"files": [{"id": "F1", "title": "chart"}]},
            "apps.connections.open": {"url": self.socket_url},
            "conversations.replies": {"messages": self.replies.get(str(params.get("ts")), [])},
        }
        return {"ok": True, **responses.get(method, {})}

    def calls_of(self, method: str) -> list[Call]:
        """Recorded calls of one method, in order."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until `count` calls of `method` arrived (or fail after `timeout` s); return them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} {method} call(s), got {len(found)}; all calls: {seen}"
                    )
                self._lock.wait(remaining)


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "application/json" in content_type:
        return json.loads(raw)
    if "application/x-www-form-urlencoded" in content_type:
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw.decode()).items()}
    return {"_bytes": raw}  # file uploads and anything else: keep the raw body


async def wait_calls(fake: FakeSlack, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
    """Await `count` calls of `method` without blocking the event loop the app runs on."""
    import asyncio

    return await asyncio.to_thread(fake.wait_for, method, count, timeout)
