"""Chroma server mode: `build_or_open` fills a real `chroma run` server over HttpClient and searches like the
embedded store. The deck is embedded once per session; the server copy reuses those vectors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from retrieval.index import COLLECTION, DeckIndex, build_or_open
from retrieval.search import DeckSearcher
from tests.ops.servers import StoredVectors, chroma_server, free_port

pytestmark = pytest.mark.integration

QUERIES = [
    "研究開発税制の控除率",
    "東京のスタートアップ・エコシステムの順位",
    "TSMCが日本に研究開発拠点を設立したのはいつ、どこですか。",
    "What R&D tax credit rates does France apply?",
    "大学発スタートアップ数",
]


@pytest.fixture(scope="module")
def embedded_index(deck_index: DeckIndex) -> DeckIndex:
    """The session's embedded index (tests/conftest.py), the reference the server must match."""
    return deck_index


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as port:
        yield port


@pytest.fixture(scope="module")
def server_build(
    embedded_index: DeckIndex, chroma_port: int, tmp_path_factory: pytest.TempPathFactory
) -> tuple[DeckIndex, StoredVectors, Path]:
    data_dir = tmp_path_factory.mktemp("server-mode")
    embedder = StoredVectors(embedded_index)
    index = build_or_open(data_dir, chroma_host="127.0.0.1", chroma_port=chroma_port, embedder=embedder)
    return index, embedder, data_dir


def test_build_fills_the_server_not_a_local_store(
    server_build, embedded_index: DeckIndex, chroma_port: int
) -> None:
    index, embedder, data_dir = server_build
    assert index.built is True
    assert embedder.documents_embedded == embedded_index.chunk_count  # every chunk went to the server
    assert not (data_dir / "chroma").exists()  # nothing embedded on disk: HttpClient was used
    client = chromadb.HttpClient(
        host="127.0.0.1", port=chroma_port, settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_collection(COLLECTION)
    assert collection.count() == embedded_index.chunk_count
    assert collection.metadata["deck_sha"] == embedded_index.version["deck_sha"]
    assert collection.metadata["embedder"] == embedded_index.version["embedder"]


def test_a_second_replica_opens_the_current_server_index_without_rebuilding(
    server_build, chroma_port: int, tmp_path: Path
) -> None:
    _, embedder, _ = server_build
    before = embedder.documents_embedded
    reopened = build_or_open(tmp_path, chroma_host="127.0.0.1", chroma_port=chroma_port, embedder=embedder)
    assert reopened.built is False
    assert embedder.documents_embedded == before
    assert reopened.chunk_count == server_build[0].chunk_count


@pytest.mark.parametrize("query", QUERIES)
def test_server_search_matches_the_embedded_store(
    server_build, embedded_index: DeckIndex, query: str
) -> None:
    server_hits = DeckSearcher(server_build[0]).search(query, k=5)
    local_hits = DeckSearcher(embedded_index).search(query, k=5)
    assert len(server_hits) == 5
    assert [(h.id, h.slide) for h in server_hits] == [(h.id, h.slide) for h in local_hits]
    for server_hit, local_hit in zip(server_hits, local_hits, strict=True):
        assert server_hit.score == pytest.approx(local_hit.score, abs=1e-4)


def test_server_search_finds_the_tax_slide(server_build) -> None:
    hits = DeckSearcher(server_build[0]).search("研究開発税制の控除率", k=5)
    assert any("控除率" in hit.text for hit in hits)


def test_deckbot_index_uses_the_server_named_by_chroma_host(
    server_build, chroma_port: int, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DECKBOT_", "CHROMA_"))}
    env |= {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma_port), "ANONYMIZED_TELEMETRY": "False"}
    completed = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "index", "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert f"index up to date: {server_build[0].chunk_count} chunks" in completed.stdout
    assert not (tmp_path / "chroma").exists()


def test_deckbot_index_reports_an_unreachable_server_plainly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DECKBOT_", "CHROMA_"))}
    port = free_port()  # nothing listens there
    env |= {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port), "ANONYMIZED_TELEMETRY": "False"}
    completed = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "index", "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert f"127.0.0.1:{port}" in completed.stderr  # names the server it tried
    assert "インデックスを開けませんでした" in completed.stderr
