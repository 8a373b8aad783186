"""Load test: signed Slack events at a steady pace against a real `deckbot serve --http` on loopback.

Starts a fake Slack Web API (bot/fake_web_api.py) and the server as a child process, sends mentions and
DMs (plus Slack-style retries of some of them), waits for the answers, and reports late acks, answers,
duplicates and errors. Bounded: a fixed number of events, a fixed pace, and a deadline for the answers.

    .venv/bin/python scripts/loadtest.py                 # 200 events over 10 s, 20 retries
    .venv/bin/python scripts/loadtest.py --json --events 40 --duration 2
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from bot.cli.bench_support import (
    LATE_ACK_S,
    deckbot_command,
    event_envelope,
    latency_summary,
    load_questions,
    machine_info,
    mention_body,
    scratch_data_dir,
    send_events,
    stop_process,
    wait_for_health,
)
from bot.fake_web_api import FakeSlack

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUESTIONS = REPO_ROOT.parent / "shared" / "eval" / "sample.jsonl"
ERROR_MARKERS = ("処理中にエラーが発生しました", "something went wrong")


@dataclass(frozen=True)
class PlannedEvent:
    """One event to send and where its answer must appear (channel, thread)."""

    body: str
    channel: str
    thread_ts: str | None


def dm_body(event_id: str, *, user: str, text: str, ts: str, channel: str) -> str:
    """An Events API `message.im` envelope (a direct message to the bot)."""
    event = {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
    }
    return event_envelope(event_id, {**event, "event_ts": ts})


def plan_events(questions: list[str], count: int) -> list[PlannedEvent]:
    """`count` events: three mentions in a shared channel for every DM; each from its own user."""
    planned = []
    for n in range(count):
        question = questions[n % len(questions)]
        ts = f"1700100000.{n:06d}"
        if n % 4 == 3:
            channel = f"D{n:06d}"
            planned.append(
                PlannedEvent(
                    dm_body(f"EvLoad{n:05d}", user=f"UL{n:05d}", text=question, ts=ts, channel=channel),
                    channel,
                    None,
                )
            )
        else:
            planned.append(
                PlannedEvent(
                    mention_body(f"EvLoad{n:05d}", user=f"UL{n:05d}", text=question, ts=ts, channel="CLOAD"),
                    "CLOAD",
                    ts,
                )
            )
    return planned


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _send_with_retries(
    urls: list[str], planned: list[PlannedEvent], secret: str, interval_s: float, retries: int
) -> tuple[list, list]:
    """Send every event on a fixed schedule (round robin over the replicas), and `retries` of them again as
    Slack retries 0.5 s after the original, each to the next replica (as a load balancer may route them)."""
    import httpx

    retry_indexes = sorted(sorted(range(len(planned)), key=lambda i: (i * 7919) % len(planned))[:retries])
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def resend() -> list:
            results = []
            for index in retry_indexes:
                await asyncio.sleep(max(0.0, started + index * interval_s + 0.5 - time.perf_counter()))
                url = urls[(index + 1) % len(urls)]
                results += await send_events(
                    url, [planned[index].body], secret, retry_of={0: 1}, client=client
                )
            return results

        started = time.perf_counter()
        originals, retried = await asyncio.gather(
            send_events(
                urls, [event.body for event in planned], secret, interval_s=interval_s, client=client
            ),
            resend(),
        )
    return originals, retried


def _server_env(secret: str, slack_url: str, redis_url: str | None) -> dict[str, str]:
    """The servers' environment: this one without Slack/Redis/deckbot settings, then the test's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_URL", "DECKBOT_"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-loadtest",
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_BASE_URL": slack_url,
        "DECKBOT_ENGINE": "offline",
        "DECKBOT_LOG_LEVEL": "INFO",
        "ANONYMIZED_TELEMETRY": "False",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _start_servers(
    servers: list[tuple[subprocess.Popen, int, Any]],
    cleanup: contextlib.ExitStack,
    data_dir: Path,
    env: dict[str, str],
    replicas: int,
) -> None:
    """Start `replicas` servers, appending each (process, port, log) to `servers` as soon as it runs."""
    for _ in range(replicas):
        port = _free_port()
        log = tempfile.TemporaryFile()
        # each replica its own data dir linking the index (as on separate hosts): feedback and, without
        # Redis, the SQLite conversation store are per replica
        serve_dir = cleanup.enter_context(scratch_data_dir(data_dir))
        process = subprocess.Popen(
            deckbot_command("serve", "--http", "--port", str(port)),
            env=env | {"DECKBOT_DATA_DIR": str(serve_dir)},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        servers.append((process, port, log))


def _wait_for_answers(fake: FakeSlack, expected: set[tuple], answer_timeout_s: float) -> None:
    """Poll the fake Slack until every expected (channel, thread) has a post, or time runs out."""
    deadline = time.monotonic() + answer_timeout_s
    while time.monotonic() < deadline:
        answered_keys = {
            (c.params.get("channel"), c.params.get("thread_ts")) for c in fake.calls_of("chat.postMessage")
        }
        if expected <= answered_keys:
            break
        time.sleep(0.2)


def _read_server_logs(
    servers: list[tuple[subprocess.Popen, int, Any]], secret: str
) -> tuple[list[str], list[dict[str, Any]], int]:
    """Each server's log, closed once read: (error lines, request log records, lines with a secret)."""
    server_errors: list[str] = []
    request_lines: list[dict[str, Any]] = []
    leaked = 0
    for _, _, log in servers:
        log.seek(0)
        for line in log.read().decode(errors="replace").splitlines():
            if '"level": "error"' in line or " ERROR " in line or "Traceback" in line:
                server_errors.append(line)
            if "xoxb-loadtest" in line or secret in line:
                leaked += 1
            if line.startswith("{") and '"event": "request"' in line:
                request_lines.append(json.loads(line))
        log.close()
    return server_errors, request_lines, leaked


def _request_log_summary(request_lines: list[dict[str, Any]], leaked: int) -> dict[str, Any]:
    outcomes: dict[str, int] = {}
    for line in request_lines:
        outcomes[line.get("outcome")] = outcomes.get(line.get("outcome"), 0) + 1
    return {
        "lines": len(request_lines),
        "distinct_event_ids": len({line.get("event_id") for line in request_lines}),
        "outcomes": outcomes,
        "lines_with_a_secret": leaked,
    }


def _answer_figures(
    fake: FakeSlack,
    expected: set[tuple],
    sends: tuple[list, list],
    server_errors: list[str],
) -> dict[str, Any]:
    """Acks, answers, duplicates and errors, from the send results and the fake Slack's posts."""
    originals, retried = sends
    posts = fake.calls_of("chat.postMessage")
    per_key: dict[tuple, int] = {}
    for call in posts:
        key = (call.params.get("channel"), call.params.get("thread_ts"))
        per_key[key] = per_key.get(key, 0) + 1
    all_results = originals + retried
    acks = [seconds for seconds, status, _ in all_results if status == 200]
    error_posts = [c for c in posts if any(marker in str(c.params.get("text")) for marker in ERROR_MARKERS)]
    return {
        "retries_sent": len(retried),
        "acks_over_3s": sum(1 for seconds in acks if seconds > LATE_ACK_S),
        "ack_ms": latency_summary(acks, (50, 95, 99)),
        "answered": sum(1 for key in expected if per_key.get(key)),
        "duplicates": sum(count - 1 for key, count in per_key.items() if count > 1),
        "unexpected_posts": sum(count for key, count in per_key.items() if key not in expected),
        "errors": {
            "http": sum(1 for _, status, _ in all_results if status != 200),
            "error_replies": len(error_posts),
            "server_log_errors": len(server_errors),
        },
    }


def _serve_and_send(
    report: dict[str, Any],
    servers: list[tuple[subprocess.Popen, int, Any]],
    cleanup: contextlib.ExitStack,
    fake: FakeSlack,
    planned: list[PlannedEvent],
    setup: dict[str, Any],
) -> tuple[list, list]:
    """Start the servers, send the events (and retries), and wait for the answers; timings go to `report`."""
    started = time.perf_counter()
    _start_servers(servers, cleanup, setup["data_dir"], setup["env"], setup["replicas"])
    for process, port, _ in servers:
        report["health"] = wait_for_health(f"http://127.0.0.1:{port}/healthz", process, timeout_s=600)
    report["server_ready_s"] = round(time.perf_counter() - started, 2)
    urls = [f"http://127.0.0.1:{port}/slack/events" for _, port, _ in servers]
    sent_at = time.perf_counter()
    sends = asyncio.run(
        _send_with_retries(urls, planned, setup["secret"], setup["interval_s"], setup["retries"])
    )
    report["send_s"] = round(time.perf_counter() - sent_at, 1)
    expected = {(event.channel, event.thread_ts) for event in planned}
    _wait_for_answers(fake, expected, setup["answer_timeout_s"])
    report["drain_s"] = round(time.perf_counter() - sent_at, 1)
    time.sleep(1.0)  # let any late duplicate arrive before counting
    return sends


def _finish_report(
    report: dict[str, Any],
    fake: FakeSlack,
    planned: list[PlannedEvent],
    sends: tuple[list, list],
    servers: list[tuple[subprocess.Popen, int, Any]],
    *,
    secret: str,
    usages: list[float | None],
    redis_url: str | None,
) -> dict[str, Any]:
    """Add the logs', answers' and servers' figures to `report`, and whether the run passed."""
    server_errors, request_lines, leaked = _read_server_logs(servers, secret)
    report["request_log"] = _request_log_summary(request_lines, leaked)
    expected = {(event.channel, event.thread_ts) for event in planned}
    report |= _answer_figures(fake, expected, sends, server_errors)
    report |= {
        "server_peak_rss_mb": max(filter(None, usages), default=None),
        "dedupe": "redis" if redis_url else "sqlite",
    }
    report["ok"] = (
        report["acks_over_3s"] == 0
        and leaked == 0
        and report["answered"] == report["events"]
        and report["duplicates"] == 0
        and not any(report["errors"].values())
    )
    if server_errors:
        report["server_log_error_sample"] = server_errors[:3]
    return report


def run_load_test(
    *,
    data_dir: Path,
    events: int = 200,
    duration_s: float = 10.0,
    retries: int = 20,
    questions_path: Path | None = DEFAULT_QUESTIONS,
    answer_timeout_s: float = 180.0,
    redis_url: str | None = None,
    replicas: int = 1,
) -> dict[str, Any]:
    """Run one bounded load test and return its figures.

    Args:
        data_dir: Index directory the server opens (built if missing, which makes start-up slow).
        events: Distinct events to send (mentions and DMs from distinct users).
        duration_s: Spread the events evenly over this many seconds.
        retries: How many of them to send again with `X-Slack-Retry-Num: 1` (must not be answered twice).
        questions_path: Sample questions (.jsonl); the bench's built-in list when absent.
        answer_timeout_s: How long to wait for the last answer after the last event.
        redis_url: Share the conversation store (REDIS_URL) instead of one SQLite file per replica.
        replicas: Server processes to start; events go round robin, each retry to the next replica.

    Returns:
        events, retries_sent, acks_over_3s, ack_ms, answered, duplicates, errors, unanswered sample, timings.
    """
    questions = load_questions(questions_path)
    planned = plan_events(questions, events)
    cleanup = contextlib.ExitStack()  # closed in the `finally` below, after the servers stop
    fake = FakeSlack().start()
    cleanup.callback(fake.stop)
    secret = secrets.token_hex(16)
    setup = {
        "data_dir": data_dir,
        "env": _server_env(secret, fake.url, redis_url),
        "replicas": replicas,
        "secret": secret,
        "interval_s": duration_s / events,
        "retries": retries,
        "answer_timeout_s": answer_timeout_s,
    }
    servers: list[tuple[subprocess.Popen, int, Any]] = []
    report: dict[str, Any] = {
        "machine": machine_info(),
        "events": events,
        "duration_s": duration_s,
        "replicas": replicas,
    }
    usages = []
    try:
        sends = _serve_and_send(report, servers, cleanup, fake, planned, setup)
    finally:
        for process, _, _ in servers:
            usages.append(stop_process(process))
        cleanup.close()
    return _finish_report(
        report, fake, planned, sends, servers, secret=secret, usages=usages, redis_url=redis_url
    )


@click.command()
@click.option("--events", type=click.IntRange(1, 1000), default=200, show_default=True)
@click.option(
    "--duration",
    "duration_s",
    type=click.FloatRange(0.1, 120),
    default=10.0,
    show_default=True,
    help="Seconds to spread the events over.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 1000),
    default=20,
    show_default=True,
    help="Events re-sent as Slack retries (X-Slack-Retry-Num).",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path(".deckbot"),
    show_default=True,
    help="Index directory for the server.",
)
@click.option("--redis-url", default=None, help="Share the conversation store through this Redis.")
@click.option(
    "--replicas",
    type=click.IntRange(1, 4),
    default=1,
    show_default=True,
    help="Server processes; with 2+, retries go to another replica (use --redis-url).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def main(
    events: int,
    duration_s: float,
    retries: int,
    data_dir: Path,
    redis_url: str | None,
    replicas: int,
    as_json: bool,
) -> None:
    """Send signed events to `deckbot serve --http` on loopback and check every one is answered once."""
    report = run_load_test(
        data_dir=data_dir,
        events=events,
        duration_s=duration_s,
        retries=min(retries, events),
        redis_url=redis_url,
        replicas=replicas,
    )
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        ack = report["ack_ms"]
        click.echo(
            f"{events} events over {duration_s:g} s (+{report['retries_sent']} retries), "
            f"server ready in {report['server_ready_s']} s, answers drained in {report['drain_s']} s"
        )
        click.echo(
            f"acks over 3 s: {report['acks_over_3s']}   ack p50/p95/p99/max: {ack['p50']}/{ack['p95']}/"
            f"{ack['p99']}/{ack['max']} ms"
        )
        click.echo(
            f"answered: {report['answered']}/{events}   duplicates: {report['duplicates']}   "
            f"errors: {report['errors']}   server peak RSS: {report['server_peak_rss_mb']} MB"
        )
        click.echo("OK" if report["ok"] else "FAILED")
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
