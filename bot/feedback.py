"""SQLite store of posted answers and the 👍/👎 feedback people give them."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, user_id TEXT, channel TEXT,
    question TEXT NOT NULL, answer TEXT NOT NULL, engine TEXT
);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL, user_id TEXT NOT NULL, rating INTEGER NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (answer_id, user_id)
);
"""


class FeedbackRow(BaseModel):
    """One rated answer, as `deckbot feedback` lists it."""

    answer_id: str
    question: str
    answer: str
    rating: int
    user_id: str
    created_at: str


class FeedbackSummary(BaseModel):
    """Totals over every stored answer and rating."""

    answers: int
    thumbs_up: int
    thumbs_down: int
    recent_down: list[FeedbackRow]


class FeedbackStore:
    """Keep answers and ratings in one SQLite file; safe to call from worker threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def record_answer(
        self, *, question: str, answer: str, user_id: str | None, channel: str | None, engine: str | None
    ) -> str:
        """Store an answer as posted and return the id its feedback buttons carry."""
        answer_id = uuid.uuid4().hex[:16]
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                (answer_id, _now(), user_id, channel, question, answer, engine),
            )
        return answer_id

    def record_feedback(self, *, answer_id: str, user_id: str, rating: int) -> bool:
        """Store (or replace) one user's rating, +1 or -1; False when the answer is unknown."""
        if rating not in (1, -1):
            raise ValueError("rating must be +1 or -1")
        with self._lock, self._db:
            known = self._db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone()
            if not known:
                return False
            self._db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?)", (answer_id, user_id, rating, _now())
            )
        return True

    def summary(self, *, recent: int = 10) -> FeedbackSummary:
        """Count answers and ratings, and list the latest 👎 with their question and answer."""
        with self._lock:
            answers = self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            up = self._db.execute("SELECT COUNT(*) FROM feedback WHERE rating = 1").fetchone()[0]
            down = self._db.execute("SELECT COUNT(*) FROM feedback WHERE rating = -1").fetchone()[0]
            rows = self._db.execute(
                "SELECT a.id, a.question, a.answer, f.rating, f.user_id, f.created_at FROM feedback f "
                "JOIN answers a ON a.id = f.answer_id WHERE f.rating = -1 ORDER BY f.created_at DESC LIMIT ?",
                (recent,),
            ).fetchall()
        return FeedbackSummary(
            answers=answers,
            thumbs_up=up,
            thumbs_down=down,
            recent_down=[
                FeedbackRow(
                    answer_id=r[0], question=r[1], answer=r[2], rating=r[3], user_id=r[4], created_at=r[5]
                )
                for r in rows
            ],
        )

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
