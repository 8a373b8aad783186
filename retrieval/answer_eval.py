"""Answer-quality figures on a question file: must_contain accuracy by kind, refusals, grounding, latency."""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field


def normalize_for_match(text: str) -> str:
    """NFKC-normalise and remove commas and whitespace (how must_contain terms are compared)."""
    return re.sub(r"[\s,，、]", "", unicodedata.normalize("NFKC", text))


class AnswerRowResult(BaseModel):
    """One question's outcome."""

    id: str
    kind: str
    lang: str
    status: str
    passed: bool = Field(
        description="Answerable: all must_contain terms present and answered. Unanswerable: refused."
    )
    missing: list[str] = Field(default_factory=list)
    ungrounded_numbers: list[str] = Field(default_factory=list)
    latency_ms: float
    answer: str


class KindFigures(BaseModel):
    """Accuracy for one question kind."""

    questions: int
    passed: int

    @property
    def accuracy(self) -> float:
        """Share passed (0 when there are no questions)."""
        return self.passed / self.questions if self.questions else 0.0


class AnswerReport(BaseModel):
    """Aggregate answer figures."""

    engine: str
    rows: list[AnswerRowResult]
    by_kind: dict[str, KindFigures]
    by_lang: dict[str, KindFigures] = Field(default_factory=dict)
    must_contain_accuracy: float = Field(
        description="Over answerable rows: all terms present and status answered."
    )
    overall_accuracy: float = Field(
        description="Over all rows, unanswerable rows counting as passed when refused."
    )
    refusal_accuracy: float | None = Field(
        description="Share of unanswerable rows refused (None if there are none)."
    )
    false_refusals: int = Field(description="Answerable rows the engine refused.")
    ungrounded_numbers: int = Field(description="Total ungrounded numbers over all answers.")
    latency_p50_ms: float
    latency_p95_ms: float


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def evaluate_answers(answerer: Any, rows: Sequence[Any], *, warm_up: bool = True) -> AnswerReport:
    """Answer every row and measure must_contain accuracy, refusals, grounding and latency.

    Args:
        answerer: Any Answerer.
        rows: Eval rows with id, question, kind, lang and must_contain (retrieval.evaluation.EvalRow).
        warm_up: Answer the first question once untimed, so start-up costs stay out of the latencies.
    """
    if warm_up and rows:
        answerer.answer(rows[0].question)
    results: list[AnswerRowResult] = []
    threads: dict[str, list[str]] = {}  # row id -> the thread's turns up to and including that row
    for row in rows:
        history = threads.get(row.follows, []) if getattr(row, "follows", None) else []
        result = _answer_row(answerer, row, history)
        threads[row.id] = [*history, row.question, result.answer]
        results.append(result)
    return _report(getattr(answerer, "engine_name", "unknown"), results)


def _answer_row(answerer: Any, row: Any, history: list[str]) -> AnswerRowResult:
    """Ask one row (a follow-up with its thread) and score it."""
    started = time.perf_counter()
    answer = answerer.answer(row.question, history=history)
    elapsed_ms = (time.perf_counter() - started) * 1000
    normalized = normalize_for_match(answer.answer)
    if row.kind == "unanswerable":
        missing: list[str] = []
        passed = answer.status == "not_in_deck"
    else:
        missing = [term for term in row.must_contain if normalize_for_match(term) not in normalized]
        passed = not missing and answer.status == "answered"
    return AnswerRowResult(
        id=row.id,
        kind=row.kind,
        lang=getattr(row, "lang", answer.lang),
        status=answer.status,
        passed=passed,
        missing=missing,
        ungrounded_numbers=answer.ungrounded_numbers,
        latency_ms=round(elapsed_ms, 1),
        answer=answer.answer,
    )


def _figures(results: Sequence[AnswerRowResult]) -> KindFigures:
    return KindFigures(questions=len(results), passed=sum(r.passed for r in results))


def _report(engine: str, results: list[AnswerRowResult]) -> AnswerReport:
    """Aggregate row results: by kind, by language, refusals, grounding, latency."""
    answerable = [r for r in results if r.kind != "unanswerable"]
    unanswerable = [r for r in results if r.kind == "unanswerable"]
    latencies = [r.latency_ms for r in results]
    return AnswerReport(
        engine=engine,
        rows=results,
        by_kind={k: _figures([r for r in results if r.kind == k]) for k in sorted({r.kind for r in results})},
        by_lang={
            lang: _figures([r for r in results if r.lang == lang])
            for lang in sorted({r.lang for r in results})
        },
        must_contain_accuracy=_figures(answerable).accuracy,
        overall_accuracy=_figures(results).accuracy,
        refusal_accuracy=_figures(unanswerable).accuracy if unanswerable else None,
        false_refusals=sum(1 for r in answerable if r.status == "not_in_deck"),
        ungrounded_numbers=sum(len(r.ungrounded_numbers) for r in results),
        latency_p50_ms=round(percentile(latencies, 0.5), 1),
        latency_p95_ms=round(percentile(latencies, 0.95), 1),
    )
