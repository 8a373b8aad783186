"""The eval harness: file reading, hit rule, and the retrieval thresholds on the sample and our dev set."""

import json
from pathlib import Path

import pytest

from retrieval.evaluation import EvalFileError, evaluate_retrieval, evidence_rank, load_eval_rows

SAMPLE = Path("/work/shared/eval/sample.jsonl")
DEV = Path(__file__).with_name("dev_questions.jsonl")


def test_evidence_rank_ignores_width_and_whitespace():
    texts = ["関係のない本文", "１５ 名古屋\n日本"]
    assert evidence_rank(texts, ["15 名古屋 日本"]) == 2
    assert evidence_rank(texts, ["大阪"]) is None
    assert evidence_rank(texts, ["", "関係のない"]) == 1


def test_missing_file_gives_a_bilingual_error(tmp_path):
    with pytest.raises(EvalFileError) as caught:
        load_eval_rows(tmp_path / "nope.jsonl")
    assert "not found" in caught.value.message_en and "見つかりません" in caught.value.message_ja


def test_bad_json_and_missing_fields_are_reported_with_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q"}\n{oops\n', encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"bad.jsonl:2: not valid JSON"):
        load_eval_rows(bad)
    missing = tmp_path / "missing.jsonl"
    missing.write_text(json.dumps({"id": "a"}) + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match="question"):
        load_eval_rows(missing)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match="no questions"):
        load_eval_rows(empty)


def test_unanswerable_rows_are_skipped(tmp_path):
    class NoSearch:
        def search(self, query, k):  # noqa: ARG002
            raise AssertionError("unanswerable rows must not be searched")

    path = tmp_path / "u.jsonl"
    path.write_text(
        json.dumps({"id": "u", "question": "?", "kind": "unanswerable", "evidence": ["x"]}) + "\n"
    )
    report = evaluate_retrieval(NoSearch(), load_eval_rows(path))
    assert (report.evaluated, report.skipped) == (0, 1)


@pytest.mark.eval
@pytest.mark.parametrize("path", [SAMPLE, DEV], ids=["sample", "dev"])
def test_retrieval_meets_the_targets(searcher, path):
    report = evaluate_retrieval(searcher, load_eval_rows(path), k=5)
    assert report.evaluated >= 15
    assert report.recall_at_5 >= 0.98, [r for r in report.rows if r.rank is None]
    assert report.mrr >= 0.90
