"""Measurement helpers shared by `deckbot bench` and scripts/loadtest.py.

Signed Slack requests and event bodies, percentiles, the sample questions, machine info, and child-process
handling (health polling, peak RSS, stopping, a scratch data dir). `bot.cli.bench` re-exports them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

# Used when the sample questions are absent, and to widen the sample so p95 rests on more than 20 points.
BUILTIN_QUESTIONS = [
    "研究開発税制の控除率は？",
    "東京のスタートアップ・エコシステムの順位は？",
    "What R&D tax credit rates does France apply?",
    "大学発スタートアップ数の推移",
    "オープンイノベーション型の控除率",
    "イノベーションボックス税制とは何ですか",
    "Which Japanese clusters are in the GII 2024 top 15?",
    "国内のユニコーン企業は何社ですか",
    "博士人材の数の国際比較",
    "What does the deck say about deep tech startups?",
    "TSMCの研究開発拠点はどこですか",
    "中小企業技術基盤強化税制の控除上限",
    "How much venture capital was invested in Japanese startups?",
    "スタートアップ・エコシステム拠点都市",
    "AI人材の流入",
    "Summarise the R&D tax incentive issues",
    "研究開発投資の対GDP比",
    "What is the Moonshot R&D program?",
    "QS大学ランキング 東京大学",
    "企業の研究開発費の推移",
]
LATE_ACK_S = 3.0  # Slack retries an event that is not acknowledged within 3 seconds


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The `pct`-th percentile (0-100, linear interpolation) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(
    values_s: Sequence[float], percentiles: Sequence[int] = (50, 95)
) -> dict[str, float | int]:
    """Milliseconds summary of latencies given in seconds: n, the asked percentiles and max."""
    summary: dict[str, float | int] = {"n": len(values_s)}
    for pct in percentiles:
        value = percentile(values_s, pct)
        summary[f"p{pct}"] = round(value * 1000, 1) if value is not None else None
    summary["max"] = round(max(values_s) * 1000, 1) if values_s else None
    return summary


def signed_headers(body: str, signing_secret: str, *, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request-signing headers (v0 HMAC-SHA256) for `body`."""
    from slack_sdk.signature import SignatureVerifier

    ts = str(timestamp if timestamp is not None else int(time.time()))
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body),
        "Content-Type": "application/json",
    }


def event_envelope(event_id: str, event: dict[str, Any]) -> str:
    """Wrap an event in the Events API `event_callback` envelope, as Slack posts it."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
            "event": event,
        },
        ensure_ascii=False,
    )


def mention_body(event_id: str, *, user: str, text: str, ts: str, channel: str = "CBENCH") -> str:
    """An Events API `app_mention` envelope as Slack posts it."""
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "ts": ts, "channel": channel}
    return event_envelope(event_id, {**event, "event_ts": ts})


def load_questions(path: Path | None) -> list[str]:
    """Questions from a sample .jsonl (field `question`), or the built-in list when there is none."""
    if path is not None and path.exists():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [row["question"] for row in rows if row.get("question")]
    return list(BUILTIN_QUESTIONS)


def machine_info() -> dict[str, Any]:
    """nproc, CPU model, memory, load average and Python version of this machine."""
    cpu_model = None
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu_model = match.group(1).strip() if match else None
    except OSError:
        pass
    mem_mb = None
    try:
        match = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        mem_mb = int(match.group(1)) // 1024 if match else None
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model or platform.processor() or None,
        "mem_mb": mem_mb,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak resident set size (VmHWM) of a live process, in MB; None where /proc is unavailable.

    Read from /proc rather than rusage: a child's ru_maxrss starts from its parent's peak on Linux.
    """
    try:
        match = re.search(r"^VmHWM:\s*(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return None
    return round(int(match.group(1)) / 1024, 1) if match else None


def deckbot_command(*args: str) -> list[str]:
    """argv that runs the `deckbot` CLI with this interpreter."""
    return [sys.executable, "-c", "from bot.cli import main; main()", *args]


def wait_for_health(url: str, process: subprocess.Popen, timeout_s: float) -> dict[str, Any]:
    """Poll GET /healthz until it answers 200; raise if the process dies or time runs out."""
    import httpx

    deadline = time.monotonic() + timeout_s
    # One client for all polls: a new client per poll costs enough CPU to slow the server it waits for.
    with httpx.Client(timeout=0.5) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with code {process.returncode} before it was ready")
            try:
                response = client.get(url)
                if response.status_code == 200:
                    return response.json()
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"{url} was not ready within {timeout_s:.0f} s")


def stop_process(process: subprocess.Popen) -> float | None:
    """Read a child's peak RSS (MB), then terminate and reap it."""
    peak = peak_rss_mb(process.pid) if process.poll() is None else None
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    return peak


def wait_tracking_rss(process: subprocess.Popen, *, timeout_s: float) -> float | None:
    """Wait for a child to exit, sampling its peak RSS (MB) until it does."""
    deadline = time.monotonic() + timeout_s
    peak = None
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            process.wait(timeout=5)
            raise click.ClickException(f"{process.args[3:]} did not finish within {timeout_s:.0f} s")
        sample = peak_rss_mb(process.pid)
        peak = max(filter(None, [peak, sample]), default=None)
        time.sleep(0.2)
    return peak


@contextlib.contextmanager
def scratch_data_dir(data_dir: Path) -> Iterator[Path]:
    """A temp data dir whose `chroma/` links to `data_dir`'s index, so benchmark answers never reach the real
    feedback database."""
    with tempfile.TemporaryDirectory(prefix="deckbot-scratch-") as tmp:
        index = Path(data_dir).resolve() / "chroma"
        if index.exists():
            (Path(tmp) / "chroma").symlink_to(index, target_is_directory=True)
        yield Path(tmp)


async def send_events(
    url: str | Sequence[str],
    bodies: Sequence[str],
    signing_secret: str,
    *,
    interval_s: float = 0.0,
    retry_of: dict[int, int] | None = None,
    client: Any = None,
) -> list[tuple[float, int | None, str | None]]:
    """POST signed event bodies, all at once (interval 0) or paced; return (seconds, status, error) per body.

    Args:
        url: The app's /slack/events URL, or several (replicas) used round robin.
        bodies: JSON bodies, sent in order.
        signing_secret: The app's signing secret.
        interval_s: Seconds between sends on a fixed schedule; 0 sends the whole burst concurrently.
        retry_of: index -> retry number, to send some bodies with `X-Slack-Retry-Num` as Slack's retries.
        client: A shared `httpx.AsyncClient`; one is made (and closed) when None.
    """
    import httpx

    urls = [url] if isinstance(url, str) else list(url)
    owned = client is None
    if owned:
        limits = httpx.Limits(max_connections=max(len(bodies), 1), max_keepalive_connections=64)
        client = httpx.AsyncClient(timeout=30, limits=limits)

    async def one(index: int, body: str) -> tuple[float, int | None, str | None]:
        headers = signed_headers(body, signing_secret)
        if retry_of and index in retry_of:
            headers |= {"X-Slack-Retry-Num": str(retry_of[index]), "X-Slack-Retry-Reason": "http_timeout"}
        started = time.perf_counter()
        try:
            response = await client.post(urls[index % len(urls)], content=body.encode(), headers=headers)
            return time.perf_counter() - started, response.status_code, None
        except httpx.HTTPError as error:
            return time.perf_counter() - started, None, type(error).__name__

    try:
        tasks = []
        schedule_start = time.perf_counter()
        for index, body in enumerate(bodies):
            if interval_s:  # a fixed schedule, so slow sends do not stretch the test
                await asyncio.sleep(max(0.0, schedule_start + index * interval_s - time.perf_counter()))
            tasks.append(asyncio.create_task(one(index, body)))
        return list(await asyncio.gather(*tasks))
    finally:
        if owned:
            await client.aclose()
