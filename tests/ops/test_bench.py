"""`deckbot bench`: its helpers, and one quick run end to end (figures are reported, never asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.cli.bench import check_targets
from bot.cli.bench_support import (
    BUILTIN_QUESTIONS,
    latency_summary,
    load_questions,
    mention_body,
    percentile,
    signed_headers,
)
from retrieval.index import DeckIndex, build_or_open
from tests.ops.servers import StoredVectors

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "sample.jsonl"


def test_percentile_interpolates_between_ranks() -> None:
    values = [0.4, 0.1, 0.3, 0.2, 0.5]
    assert percentile(values, 0) == 0.1
    assert percentile(values, 50) == 0.3
    assert percentile(values, 100) == 0.5
    assert percentile(values, 95) == pytest.approx(0.48)
    assert percentile([], 50) is None


def test_latency_summary_is_in_milliseconds() -> None:
    summary = latency_summary([0.010, 0.020, 0.030], (50, 99))
    assert summary == {"n": 3, "p50": 20.0, "p99": 29.8, "max": 30.0}


def test_signed_headers_pass_slack_verification() -> None:
    body = mention_body("Ev1", user="U1", text="研究開発税制の控除率は？", ts="1700000000.000100")
    headers = signed_headers(body, "bench-secret")
    verifier = SignatureVerifier("bench-secret")
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not SignatureVerifier("other-secret").is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    event = json.loads(body)
    assert event["event_id"] == "Ev1"
    assert event["event"]["type"] == "app_mention"
    assert event["event"]["text"] == "<@UBOT> 研究開発税制の控除率は？"


def test_questions_come_from_the_sample_file_or_the_builtin_list(tmp_path: Path) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        '{"id": "q1", "question": "東京の順位は？"}\n\n{"id": "q2", "question": "控除率は？"}\n'
    )
    assert load_questions(sample) == ["東京の順位は？", "控除率は？"]
    assert load_questions(tmp_path / "missing.jsonl") == BUILTIN_QUESTIONS


def test_targets_flag_the_figures_that_miss() -> None:
    report = {
        "cold_start_s": 2.5,
        "ask_ms": {"p95": 310.0},
        "ack_ms": {"p99": 40.0},
        "peak_rss_mb": 350.0,
        "serve_peak_rss_mb": 650.0,
    }
    targets = check_targets(report)
    assert {name: t["ok"] for name, t in targets.items()} == {
        "cold_start_s": True,
        "ask_p95_ms": False,
        "ack_p99_ms": True,
        "peak_rss_mb": False,
    }
    assert targets["peak_rss_mb"]["value"] == 650.0  # the larger of the two processes counts


@pytest.fixture(scope="module")
def bench_data_dir(deck_index: DeckIndex, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("bench-data")
    build_or_open(data_dir, embedder=StoredVectors(deck_index))
    return data_dir


@pytest.mark.integration
def test_quick_bench_reports_every_figure(bench_data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DECKBOT_", "REDIS_URL"))}
    args = ["bench", "--quick", "--json", "--data-dir", str(bench_data_dir)]
    if SAMPLE.exists():
        args += ["--questions", str(SAMPLE)]
    completed = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        env=env | {"ANONYMIZED_TELEMETRY": "False"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout)
    print(
        "\nbench --quick:", json.dumps({k: v for k, v in report.items() if k != "health"}, ensure_ascii=False)
    )
    assert report["machine"]["nproc"] >= 1
    assert report["health"]["engine"] == "offline"
    assert report["health"]["index"]["chunks"] == report["chunks"] > 0
    assert report["health"]["status"] == "ok" and report["health"]["token"]["ok"] is True
    for key in ("cold_start_s", "cold_first_answer_s", "serve_peak_rss_mb", "peak_rss_mb", "rdcredit_cli_s"):
        assert isinstance(report[key], float) and report[key] > 0, key
    assert report["index_build_s"] is None  # --quick skips the from-scratch build
    assert report["search_ms"]["n"] == report["ask_ms"]["n"] == report["questions"] == 12
    assert report["rdcredit_ms"]["n"] == 50
    assert report["rdcredit_cli_ok"] is True
    assert report["ack_ms"]["n"] == report["burst_events"] == 30
    assert report["burst_errors"] == 0
    assert report["burst_answered"] == 30
    assert report["burst_duplicates"] == 0
    assert set(report["targets"]) == {"cold_start_s", "ask_p95_ms", "ack_p99_ms", "peak_rss_mb"}
