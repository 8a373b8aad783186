"""The offline engine reaches the R&D-credit calculator by structure: ready, needs_input, follow-ups."""

from types import SimpleNamespace

from bot.render.answer import render_answer
from retrieval.answer_eval import evaluate_answers
from retrieval.models import Answer

JA_QUESTION = "R&D税制の控除はいくら？前3期は8億ずつ、今期10億、売上は4期とも200億、法人税3億"
EN_QUESTION = (
    "how much R&D credit do we get? prior three years 75m, 78m, 80m, this year 80m, we're an SME, tax 30m"
)


def test_japanese_question_gets_rate_and_yen_in_japanese(offline_engine) -> None:
    answer = offline_engine.answer(JA_QUESTION)
    assert answer.status == "answered" and answer.lang == "ja"
    # increase 25% → 16.3% → ceiling 14%; cap 30% × 3億 = 90,000,000 binds.
    assert "控除率 14%" in answer.answer and "90,000,000円" in answer.answer
    assert answer.tool_calls[0].name == "rd_credit"
    assert answer.grounded, answer.ungrounded_numbers


def test_english_question_gets_an_english_answer(offline_engine) -> None:
    answer = offline_engine.answer(EN_QUESTION)
    assert answer.status == "answered" and answer.lang == "en"
    # SME 12%; cap 25% × 30m = 7,500,000 binds.
    assert "¥7,500,000" in answer.answer and "credit rate 12%" in answer.answer
    assert "Sales not given" in answer.answer  # how the missing sales were treated
    assert answer.grounded, answer.ungrounded_numbers


def test_missing_inputs_give_needs_input_naming_them(offline_engine) -> None:
    answer = offline_engine.answer("研究開発税制の控除額は？今期10億、前3期8億ずつ、売上200億")
    assert answer.status == "needs_input"
    assert "調整前法人税額" in answer.answer and answer.grounded, answer.ungrounded_numbers
    assert "rd_credit" not in [call.name for call in answer.tool_calls]
    english = offline_engine.answer("how much R&D credit? R&D this year ¥100m, corporate tax ¥20m")
    assert english.status == "needs_input" and "prior 3 years' R&D" in english.answer
    assert english.grounded, english.ungrounded_numbers


def test_follow_up_reruns_the_calculation_with_the_change(offline_engine) -> None:
    first = offline_engine.answer(JA_QUESTION)
    history = [JA_QUESTION, first.answer]
    sme = offline_engine.answer("中小企業だったら？", history=history)
    # SME: 16.8%; cap 35% × 3億 = 105,000,000.
    assert sme.status == "answered" and "105,000,000円" in sme.answer and "16.8%" in sme.answer
    no_cap = offline_engine.answer("控除上限なしだと？", history=[*history, "中小企業だったら？", sme.answer])
    assert "168,000,000円" in no_cap.answer  # SME, no cap: 10億 × 16.8%
    more_tax = offline_engine.answer("tax 5億なら？", history=history)
    assert "140,000,000円" in more_tax.answer  # cap 30% × 5億 = 150,000,000 no longer binds


def test_needs_input_renders_like_an_answer_and_is_not_counted_as_answered() -> None:
    text = "計算には次の入力が必要です: 調整前法人税額"
    answer = Answer(answer=text, status="needs_input", engine="offline")
    blocks = [block.to_dict() for message in render_answer(answer) for block in message.blocks]
    assert "調整前法人税額" in str(blocks) and "Not found in the deck" not in str(blocks)

    class Fixed:
        engine_name = "fixed"

        def answer(self, question, *, history=()):
            return answer

    row = SimpleNamespace(id="r1", question="q", kind="tax_calc", lang="ja", must_contain=["調整前法人税額"])
    report = evaluate_answers(Fixed(), [row], warm_up=False)
    assert report.rows[0].passed is False and report.false_refusals == 0


def test_other_calculators_are_reached_by_structure(offline_engine) -> None:
    box = offline_engine.answer(
        "イノベーション拠点税制で、ライセンス収入10億円、課税所得5億円なら所得控除はいくら？"
    )
    # min(10億, 5億) × 30% = 150,000,000; × 29.74% = 44,610,000.
    assert box.status == "answered" and "150,000,000円" in box.answer and "44,610,000円" in box.answer
    assert box.tool_calls[0].name == "innovation_box" and box.grounded, box.ungrounded_numbers
    oi = offline_engine.answer(
        "How much can we deduct under the open innovation promotion tax if we invest ¥200m?"
    )
    assert oi.lang == "en" and "¥50,000,000" in oi.answer  # 25% × ¥200m
    assert oi.tool_calls[0].name == "oi_promotion" and oi.grounded, oi.ungrounded_numbers
    compare = offline_engine.answer(
        "Compare the R&D tax credit for ¥1bn of R&D in Japan, the US and Korea: "
        "prior 3 years ¥800m each, tax ¥300m"
    )
    assert compare.tool_calls[0].name == "tax_compare" and "Japan: 90,000,000 JPY" in compare.answer
    assert compare.grounded, compare.ungrounded_numbers
