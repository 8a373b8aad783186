"""Real servers for the ops tests: a throwaway redis-server and a `chroma run` on free loopback ports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from langchain_core.embeddings import Embeddings

from retrieval.chunking import embedding_text
from retrieval.embeddings import embedder_id
from retrieval.index import DeckIndex

CHROMA_BIN = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_binary(name: str, path: str | None) -> str:
    """Return the binary's path, or fail: these tests never skip (`make test` installs redis-server)."""
    if path and os.access(path, os.X_OK):
        return path
    pytest.fail(
        f"{name} is not installed; `make test` installs it (redis-server: apt-get install redis-server)",
        pytrace=False,
    )


def redis_binary() -> str:
    """The redis-server binary on PATH (a hard failure when missing)."""
    return require_binary("redis-server", shutil.which("redis-server"))


def _wait(process: subprocess.Popen, ready, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was ready")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} was not ready after {timeout:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextmanager
def redis_server(
    binary: str, workdir: Path, *, port: int | None = None, persist: bool = False
) -> Iterator[str]:
    """Run `redis-server` on a free (or the given) loopback port; yield its redis:// URL.

    Without `persist` nothing is written to disk; with it, every write goes to an append-only file in
    `workdir` (fsync always), so a server started again on the same `workdir` has the data back.
    """
    port = port or free_port()
    durability = ["--appendonly", "yes", "--appendfsync", "always"] if persist else ["--appendonly", "no"]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", *durability]
        + ["--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    try:
        _wait(process, ready, "redis-server", timeout=20)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """Run `chroma run` on a free loopback port with its data under `path`; yield the port."""
    binary = require_binary("chroma", str(CHROMA_BIN) if CHROMA_BIN.exists() else shutil.which("chroma"))
    port = free_port()
    log = (path.parent / "chroma-server.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        [binary, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )

    def ready() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait(process, ready, "chroma run", timeout=60)
        yield port
    finally:
        _stop(process)
        log.close()


class StoredVectors(Embeddings):
    """Serves the passage vectors an existing index already holds (keyed by text) and delegates queries.

    It carries the wrapped embedder's id, so the server index records the same embedder version.
    """

    def __init__(self, index: DeckIndex) -> None:
        stored = index.collection.get(include=["embeddings"])
        by_id = {
            chunk_id: [float(x) for x in vector]
            for chunk_id, vector in zip(stored["ids"], stored["embeddings"], strict=True)
        }
        self.vectors = {embedding_text(chunk): by_id[chunk.id] for chunk in index.chunks}
        self.queries = index.embedder
        self.model_id = embedder_id(index.embedder)
        self.documents_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents_embedded += len(texts)
        return [self.vectors[text] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.queries.embed_query(text)
