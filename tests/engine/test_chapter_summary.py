"""The assistant's suggested prompt "Summarise chapter 2" is answered, not refused."""

import pytest


@pytest.mark.parametrize(("question", "lang"), [("Summarise chapter 2", "en"), ("第2章を要約して", "ja")])
def test_chapter_summary_prompt_is_answered_with_every_theme(
    offline_engine, question: str, lang: str
) -> None:
    answer = offline_engine.answer(question)
    assert answer.status == "answered"
    assert answer.lang == lang
    # two of the chapter's five themes, as printed on its contents slide (deck lines 1133-1141)
    assert "我が国の研究開発インセンティブの現状と課題" in answer.answer
    assert "スタートアップのグローバル接続不足と更なる資金供給の必要性" in answer.answer
    assert answer.grounded
