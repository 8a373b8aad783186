"""Probe a real `deckbot serve --http` the way issue #13's checks do, and print the figures.

Usage: .venv/bin/python scripts/probe_hostile.py   (uses DECKBOT_DATA_DIR or .deckbot; the index must exist)

Sends, against the fake Web API on loopback: a forged request with a bad timestamp, truncated JSON, two
40,000-character mentions and meanwhile another user's short question, the two huge-ratio /rdcredit commands,
then SIGTERM; prints status codes, answer times, the server's peak RSS and how long it took to stop.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

from bot.fake_web_api import FakeSlack

SECRET = "probe-secret"
HUGE_RATIOS = [
    "rd=10億 prior=100万,100万,100万 sales=100億,100億,100億,100億 tax=5億",
    "rd=1兆 prior=1,1,1 sales=100億,100億,100億,100億 tax=5億",
]


class Probe:
    """One served process and the fake Web API it posts to."""

    def __init__(self) -> None:
        self.fake = FakeSlack().start()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env |= {
            "SLACK_BOT_TOKEN": "xoxb-probe",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_BASE_URL": self.fake.url,
        }
        env.setdefault("DECKBOT_DATA_DIR", str(Path(".deckbot").resolve()))
        deckbot = Path(sys.executable).with_name("deckbot")
        self.process = subprocess.Popen(
            [str(deckbot), "serve", "--http", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/slack/events"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise SystemExit("deckbot serve did not come up")

    def post(self, body: str, content_type: str, *, timestamp: str | None = None) -> int:
        ts = timestamp or str(int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=str(int(time.time())), body=body)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
        }
        return httpx.post(self.url, content=body, headers=headers, timeout=10).status_code

    def mention(self, event_id: str, user: str, text: str, ts: str) -> int:
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@UBOT> {text}",
            "ts": ts,
            "channel": "CPROBE",
        }
        body = {
            "type": "event_callback",
            "event_id": event_id,
            "team_id": "T1",
            "event": event,
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
        return self.post(json.dumps(body), "application/json")

    def answered_at(self, thread_ts: str, since: float, timeout: float = 60) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(c.params.get("thread_ts") == thread_ts for c in self.fake.calls_of("chat.postMessage")):
                return round(time.perf_counter() - since, 2)
            time.sleep(0.05)
        return None


def main() -> None:
    probe = Probe()
    forged = '{"type":"event_callback","event":{"type":"app_mention","channel":"CVICTIM","ts":"1.1"}}'
    print("forged request, timestamp 'abc':", probe.post(forged, "application/json", timestamp="abc"))
    print("signed truncated JSON:", probe.post('{"type": "event_callback", "ev', "application/json"))
    long_text = ("研究開発税制の控除率は？" + "詳しく教えてください。" * 4000)[:40_000]
    started = time.perf_counter()
    probe.mention("EvLong1", "ULONG1", long_text, "1700000001.000100")
    probe.mention("EvLong2", "ULONG2", long_text, "1700000001.000200")
    short_started = time.perf_counter()
    probe.mention("EvShort", "USHORT", "東京のスタートアップ順位は？", "1700000002.000100")
    print(
        "40,000-character mentions answered after (s):",
        probe.answered_at("1700000001.000100", started),
        probe.answered_at("1700000001.000200", started),
    )
    print(
        "another user's short question answered after (s):",
        probe.answered_at("1700000002.000100", short_started),
    )
    started = time.perf_counter()
    for text in HUGE_RATIOS:
        form = {
            "command": "/rdcredit",
            "text": text,
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "trigger_id": "1.2.3",
            "response_url": probe.fake.response_url,
        }
        probe.post(urlencode(form), "application/x-www-form-urlencoded")
    probe.fake.wait_for("files.completeUploadExternal", len(HUGE_RATIOS), timeout=60)
    print("huge-ratio /rdcredit charts uploaded after (s):", round(time.perf_counter() - started, 2))
    status = Path(f"/proc/{probe.process.pid}/status").read_text()
    peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
    print("server peak RSS (MB):", round(peak_kb / 1024))
    posted = " ".join(str(c.params) for c in probe.fake.calls)
    print("a Web API call names the forged channel:", "CVICTIM" in posted)
    started = time.perf_counter()
    probe.process.terminate()
    probe.process.wait(15)
    print("stopped after SIGTERM (s):", round(time.perf_counter() - started, 2))
    probe.fake.stop()


if __name__ == "__main__":
    main()
