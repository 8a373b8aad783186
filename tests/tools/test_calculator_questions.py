"""calculator_from_question: tax_compare, innovation_box and oi_promotion reached by structure.

Expected deductions are worked by hand from shared/specs/rdcredit.md sections 6-8.
"""

import pytest

from tools.calculator_questions import calculator_from_question
from tools.registry import get_tool

OKU = 10**8


def run(question: str):
    proposal = calculator_from_question(question)
    assert proposal.status == "ready", (proposal.status, proposal.missing, proposal.message_en)
    assert proposal.tool is not None
    return proposal.tool, get_tool(proposal.tool).call(proposal.arguments)


@pytest.mark.parametrize(
    "question",
    [
        "イノベーション拠点税制で、ライセンス収入10億円、課税所得5億円なら所得控除はいくら？",
        "innovation box: we earn ¥1bn in patent licence income and taxable income is ¥500m. "
        "How much is the deduction?",
    ],
)
def test_innovation_box(question):
    tool, result = run(question)
    assert tool == "innovation_box"
    # min(10億 × 100%, 5億) = 5億; 30% → 150,000,000; × 29.74% = 44,610,000.
    assert (result.deduction, result.tax_saving) == (150_000_000, 44_610_000)


def test_innovation_box_self_creation_ratio():
    tool, result = run(
        "イノベーション拠点税制: 特許の譲渡所得4億円、自己創出比率50%、課税所得10億円。控除額は？"
    )
    assert tool == "innovation_box"
    assert result.deduction == 60_000_000  # 4億 × 50% = 2億 (< 10億); 30% = 60,000,000


@pytest.mark.parametrize(
    ("question", "deduction"),
    [
        ("オープンイノベーション促進税制で、スタートアップに2億円出資したら控除額はいくら？", 50_000_000),
        (
            "open innovation promotion tax: how much can we deduct if we invest ¥400m in a startup?",
            100_000_000,
        ),
        (
            "Under the open innovation promotion tax, how much can we deduct if we acquire a majority of a "
            "startup for ¥10bn (M&A)?",
            2_500_000_000,
        ),
        ("オープンイノベーション促進税制: スタートアップの新株に3億円を出資した場合の控除額は？", 75_000_000),
    ],
)
def test_oi_promotion(question, deduction):
    tool, result = run(question)
    assert tool == "oi_promotion"
    assert result.total_deduction == deduction  # 25% of the price (within the per-deal limits)


def test_oi_promotion_reads_ma_and_foreign():
    proposal = calculator_from_question(
        "オープンイノベーション促進税制: 海外スタートアップに6億円出資したら控除額は？"
    )
    assert proposal.arguments["deals"][0]["foreign_startup"] is True
    proposal = calculator_from_question("OI促進税制でM&Aにより50億円で買収した場合の控除額は？")
    assert proposal.arguments["deals"][0]["deal_type"] == "ma"


@pytest.mark.parametrize(
    "question",
    [
        "Compare the R&D tax credit for ¥1bn of R&D in Japan, the US and Korea: prior 3 years ¥800m each, "
        "tax ¥300m",
        "研究開発税制の国際比較: 研究開発費10億円、前3期8億ずつ、法人税3億なら各国の控除額は？",
    ],
)
def test_tax_compare(question):
    tool, result = run(question)
    assert tool == "tax_compare"
    japan = next(country for country in result.countries if country.country == "japan")
    # Japan: increase 25% → 14%; 10億 × 14% = 1.4億; cap 30% × 3億 = 90,000,000 binds.
    assert japan.credit_local == "90000000"


def test_tax_compare_reads_exchange_rates():
    proposal = calculator_from_question(
        "研究開発費10億円なら、各国の研究開発税制の控除額はいくら？1ドル150円"
    )
    assert proposal.status == "ready" and proposal.arguments["fx_rates"] == {"USD": "150"}
    assert proposal.arguments["rd"] == 10 * OKU  # the rate is not taken for an amount


def test_needs_input_names_the_missing_amount():
    proposal = calculator_from_question("innovation box: taxable income ¥2bn. How much is our deduction?")
    assert proposal.status == "needs_input" and proposal.missing == ["qualifying_income"]
    assert "対象所得" in proposal.message_ja and "licence" in proposal.message_en


@pytest.mark.parametrize(
    "question",
    [
        "オープンイノベーション促進税制の出資額の下限は1億円ですか？",
        "Under the open innovation promotion tax scheme, what share of the acquisition price is deducted?",
        "イノベーション拠点税制はいつから施行されていますか。",
        "研究開発税制の国際比較で、米国の繰越って何年？",
        "R&D credit: this year ¥100m, prior 3 years ¥90m each, corporate tax ¥20m, we are a US subsidiary",
        "GII 2024で名古屋は何位ですか。",
    ],
)
def test_not_a_request_for_these_calculators(question):
    assert calculator_from_question(question).status == "not_applicable"
