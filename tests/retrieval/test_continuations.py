"""A line that starts with ⇒ continues the statement before it: the two are quoted together."""

from retrieval.extract import best_units
from retrieval.intent import analyze

SLIDE = """\
⚫ 研究開発投資の動向
海外企業の国内研究拠点は2019年に12拠点
⇒さらに増加
国内大学の共同研究は2020年に約300件
⇒2023年に倍増
⚫ 人材の確保が課題。
"""


def quoted(question: str) -> list[str]:
    return [unit.text for unit in best_units(SLIDE, analyze(question))]


def test_the_arrow_line_after_a_quoted_statement_is_quoted_with_it():
    assert quoted("海外企業の国内研究拠点の数は？")[:2] == ["海外企業の国内研究拠点は2019年に12拠点", "⇒さらに増加"]


def test_a_quoted_arrow_line_brings_the_statement_it_continues():
    assert quoted("2023年に倍増したのは？")[:2] == ["国内大学の共同研究は2020年に約300件", "⇒2023年に倍増"]
