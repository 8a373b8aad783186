"""The feedback database (the conversation store's tests are in tests/store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.feedback import FeedbackStore


def test_feedback_store_keeps_question_answer_user_and_latest_rating(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    first = store.record_answer(
        question="控除率は？", answer="1～14%", user_id="U1", channel="C1", engine="offline"
    )
    second = store.record_answer(
        question="順位は？", answer="1位", user_id="U2", channel="C1", engine="offline"
    )
    assert store.record_feedback(answer_id=first, user_id="U9", rating=1)
    assert store.record_feedback(answer_id=first, user_id="U9", rating=-1)  # changed their mind
    assert store.record_feedback(answer_id=second, user_id="U9", rating=1)
    assert store.record_feedback(answer_id="unknown", user_id="U9", rating=1) is False
    with pytest.raises(ValueError):
        store.record_feedback(answer_id=first, user_id="U9", rating=5)
    summary = store.summary()
    assert (summary.answers, summary.thumbs_up, summary.thumbs_down) == (2, 1, 1)
    [down] = summary.recent_down
    assert (down.question, down.answer, down.user_id) == ("控除率は？", "1～14%", "U9")
    store.close()
    reopened = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    assert reopened.summary().answers == 2
    reopened.close()
