"""A real `deckbot serve --http` process on a free loopback port, for tests that need the whole program."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.fake_web_api import FakeSlack
from tests.slack.conftest import SIGNING_SECRET


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServeProcess:
    process: subprocess.Popen
    base_url: str
    health: dict


@asynccontextmanager
async def deckbot_serve(
    fake_slack: FakeSlack, data_dir: Path, workdir: Path, **env_extra: str
) -> AsyncIterator[ServeProcess]:
    """Start `deckbot serve --http` against the fake Web API; wait for /healthz; stop it afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DECKBOT_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_slack.url,
        DECKBOT_DATA_DIR=str(data_dir),
        DECKBOT_LOG_LEVEL="WARNING",
        **env_extra,
    )
    deckbot = Path(sys.executable).with_name("deckbot")
    process = subprocess.Popen(
        [str(deckbot), "serve", "--http", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = await _wait_for_health(process, base)
        yield ServeProcess(process, base, health)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


async def _wait_for_health(process: subprocess.Popen, base: str) -> dict:
    async with httpx.AsyncClient(timeout=10) as http:
        deadline = time.monotonic() + 180  # opening the index is quick; a busy CI box is not
        while time.monotonic() < deadline and process.poll() is None:
            try:
                return (await http.get(f"{base}/healthz")).json()
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    process.terminate()
    pytest.fail("deckbot serve did not come up:\n" + process.communicate(timeout=10)[0].decode()[-3000:])
