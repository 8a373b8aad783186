"""Load test (scripts/loadtest.py) against real `deckbot serve --http` processes on loopback: every event is
answered exactly once, Slack retries included, with one replica and with two replicas sharing Redis."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from retrieval.index import DeckIndex, build_or_open
from tests.ops.servers import StoredVectors

pytestmark = pytest.mark.integration

LOADTEST_PATH = Path(__file__).resolve().parents[2] / "scripts" / "loadtest.py"


@pytest.fixture(scope="module")
def loadtest() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deckbot_loadtest", LOADTEST_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def served_data_dir(deck_index: DeckIndex, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index directory the servers open as current, filled with the session index's vectors."""
    data_dir = tmp_path_factory.mktemp("served-data")
    copy = build_or_open(data_dir, embedder=StoredVectors(deck_index))
    assert copy.built and copy.chunk_count == deck_index.chunk_count
    return data_dir


def _show(report: dict) -> None:
    # timings are reported, not asserted (they depend on the machine)
    print(
        f"\nload: replicas={report['replicas']} dedupe={report['dedupe']} ack_ms={report['ack_ms']} "
        f"acks_over_3s={report['acks_over_3s']} drain_s={report['drain_s']} "
        f"rss={report['server_peak_rss_mb']}"
    )


def test_every_event_is_answered_once_despite_retries(
    loadtest: ModuleType, served_data_dir: Path, deck_index: DeckIndex
) -> None:
    report = loadtest.run_load_test(data_dir=served_data_dir, events=40, duration_s=4.0, retries=8)
    _show(report)
    health = report["health"]
    assert (health["status"], health["index"], health["engine"]) == (
        "ok",
        {"chunks": deck_index.chunk_count},
        "offline",
    )
    assert health["store"]["backend"] == "sqlite" and health["token"]["ok"] is True
    assert report["retries_sent"] == 8
    assert report["answered"] == 40
    assert report["duplicates"] == 0
    assert report["unexpected_posts"] == 0
    assert report["errors"] == {"http": 0, "error_replies": 0, "server_log_errors": 0}
    # one structured request line per answered event (retries are dropped before the listener), no secrets
    log = report["request_log"]
    assert log["lines"] == log["distinct_event_ids"] == 40
    assert sum(log["outcomes"].get(outcome, 0) for outcome in ("answered", "not_in_deck", "summary")) == 40
    assert log["lines_with_a_secret"] == 0


def test_two_replicas_sharing_redis_answer_each_event_once(
    loadtest: ModuleType, served_data_dir: Path, redis_url: str
) -> None:
    report = loadtest.run_load_test(
        data_dir=served_data_dir, events=30, duration_s=3.0, retries=10, redis_url=redis_url, replicas=2
    )
    _show(report)
    assert report["dedupe"] == "redis"
    assert report["health"]["store"]["backend"] == "redis"
    assert report["answered"] == 30
    assert report["duplicates"] == 0
    assert report["errors"] == {"http": 0, "error_replies": 0, "server_log_errors": 0}


def test_two_replicas_with_their_own_sqlite_stores_answer_rerouted_retries_twice(
    loadtest: ModuleType, served_data_dir: Path
) -> None:
    """Why Redis is needed: each replica has its own data dir (as on two hosts), so a retry routed to the
    other replica is new to its store."""
    report = loadtest.run_load_test(
        data_dir=served_data_dir, events=12, duration_s=1.2, retries=4, replicas=2
    )
    _show(report)
    assert report["answered"] == 12
    assert report["duplicates"] == 4
