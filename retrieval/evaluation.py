"""Retrieval evaluation over question files in the sample format (recall@1, recall@k, MRR)."""

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from retrieval.chunking import normalize


class EvalFileError(ValueError):
    """A question file that cannot be read; carries Japanese and English messages."""

    def __init__(self, message_en: str, message_ja: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ja = message_ja


class EvalRow(BaseModel):
    """One question of an evaluation file."""

    id: str
    lang: str = "ja"
    question: str
    kind: str = "fact"
    answer: str | None = None
    must_contain: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    section: str | None = None
    follows: str | None = Field(None, description="Id of the row this follow-up is asked after, in one thread.")


class RowResult(BaseModel):
    """Retrieval outcome for one question."""

    id: str
    question: str
    rank: int | None = Field(description="1-based rank of the first hit containing evidence; None if missed.")
    hit_ids: list[str]
    hit_sections: list[str]
    expected_section: str | None


class RetrievalReport(BaseModel):
    """Aggregate retrieval figures; unanswerable rows and rows without evidence are skipped."""

    k: int
    evaluated: int
    skipped: int
    recall_at_1: float
    recall_at_k: float
    mrr: float
    rows: list[RowResult]

    @property
    def recall_at_5(self) -> float:
        """Recall at k (named for the default k=5)."""
        return self.recall_at_k


def load_eval_rows(path: Path | str) -> list[EvalRow]:
    """Read a JSONL question file.

    Raises:
        EvalFileError: If the file is missing, not JSONL, or a row lacks required fields.
    """
    path = Path(path)
    if not path.is_file():
        raise EvalFileError(f"question file not found: {path}", f"質問ファイルが見つかりません: {path}")
    rows: list[EvalRow] = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise EvalFileError(
            f"{path} is not UTF-8 text", f"{path} は UTF-8 のテキストではありません"
        ) from error
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(EvalRow.model_validate(json.loads(line)))
        except json.JSONDecodeError as error:
            raise EvalFileError(
                f"{path}:{number}: not valid JSON ({error.msg})",
                f"{path} の {number} 行目が JSON ではありません",
            ) from error
        except ValidationError as error:
            fields = ", ".join(str(e["loc"][0]) for e in error.errors() if e["loc"])
            raise EvalFileError(
                f"{path}:{number}: missing or invalid field(s): {fields}",
                f"{path} の {number} 行目の項目が不足または不正です: {fields}",
            ) from error
    if not rows:
        raise EvalFileError(f"{path} contains no questions", f"{path} に質問がありません")
    return rows


def evidence_rank(hit_texts: list[str], evidence: list[str]) -> int | None:
    """1-based rank of the first text containing any evidence string (NFKC, whitespace removed)."""
    needles = [normalize(e) for e in evidence if normalize(e)]
    for rank, text in enumerate(hit_texts, start=1):
        hay = normalize(text)
        if any(n in hay for n in needles):
            return rank
    return None


def evaluate_retrieval(searcher, rows: list[EvalRow], k: int = 5) -> RetrievalReport:  # noqa: ANN001
    """Search every answerable row and score where the evidence first appears.

    Args:
        searcher: Anything with `.search(query, k) -> list[Hit]` (a `DeckSearcher`).
        rows: Questions from `load_eval_rows`.
        k: Hits retrieved per question.
    """
    results: list[RowResult] = []
    skipped = 0
    asked = {row.id: row.question for row in rows}
    for row in rows:
        if row.kind == "unanswerable" or not row.evidence:
            skipped += 1
            continue
        # a follow-up is searched with the question it follows, as the engine reads it in its thread
        query = f"{asked[row.follows]}\n{row.question}" if row.follows in asked else row.question
        hits = searcher.search(query, k)
        results.append(
            RowResult(
                id=row.id,
                question=row.question,
                rank=evidence_rank([h.text for h in hits], row.evidence),
                hit_ids=[h.id for h in hits],
                hit_sections=[h.section for h in hits],
                expected_section=row.section,
            )
        )
    n = len(results)
    ranks = [r.rank for r in results]
    return RetrievalReport(
        k=k,
        evaluated=n,
        skipped=skipped,
        recall_at_1=sum(1 for r in ranks if r == 1) / n if n else 0.0,
        recall_at_k=sum(1 for r in ranks if r is not None) / n if n else 0.0,
        mrr=sum(1.0 / r for r in ranks if r) / n if n else 0.0,
        rows=results,
    )


# Answer metrics (must_contain by kind, refusals, grounding, latency) live beside these retrieval figures.
from retrieval.answer_eval import AnswerReport, evaluate_answers, normalize_for_match  # noqa: E402, F401
