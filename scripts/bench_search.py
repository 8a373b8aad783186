"""Benchmark: index build time from scratch and warm hybrid search latency (prints figures, asserts nothing).

Usage: python scripts/bench_search.py [--data-dir DIR] [--queries FILE.jsonl] [--repeat N]
"""

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from retrieval.index import build_or_open
from retrieval.search import DeckSearcher

DEFAULT_QUERIES = Path("/work/shared/eval/sample.jsonl")


def main() -> None:
    """Build a fresh index, then time searches over the questions of a JSONL file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None, help="build here (default: a fresh temp dir)")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    questions = [
        json.loads(line)["question"]
        for line in args.queries.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        index = build_or_open(data_dir, force=True)
        build_wall, build_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        print(
            f"index build: {index.chunk_count} chunks, {build_wall:.1f} s wall, {build_cpu:.1f} s CPU "
            f"(cores: {os.cpu_count()}, load avg: {os.getloadavg()[0]:.2f})"
        )

        for mode in ("hybrid", "dense", "lexical"):
            searcher = DeckSearcher(index, mode=mode)
            searcher.search("warm up")
            first, repeated = [], []
            for question in questions:
                started = time.perf_counter()
                searcher.search(question, 5)
                first.append((time.perf_counter() - started) * 1000)
            for _ in range(args.repeat):
                for question in questions:
                    started = time.perf_counter()
                    searcher.search(question, 5)
                    repeated.append((time.perf_counter() - started) * 1000)
            print(
                f"{mode:8s} new query: median {statistics.median(first):6.1f} ms, max {max(first):6.1f} ms | "
                f"repeated query: median {statistics.median(repeated):5.1f} ms  (n={len(questions)})"
            )


if __name__ == "__main__":
    main()
