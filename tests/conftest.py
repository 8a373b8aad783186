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
