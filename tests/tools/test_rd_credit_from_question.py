"""rdcredit_from_question: amounts read by role, flags, statuses and thread follow-ups, ja and en.

Expected credits are worked by hand from shared/specs/rdcredit.md (sections 1-3); each case shows its working.
"""

from fractions import Fraction as F

import pytest

from tools.rd_credit import compute_rd_credit
from tools.rd_credit_question import rdcredit_from_question

OKU = 10**8
MAN = 10**4
M = 10**6


def ready(question: str, history: tuple[str, ...] = ()):
    proposal = rdcredit_from_question(question, history)
    assert proposal.status == "ready", (proposal.status, proposal.missing, proposal.unclear)
    assert proposal.input is not None
    return proposal.input


def credit(question: str, history: tuple[str, ...] = ()) -> tuple[str, int]:
    result = compute_rd_credit(ready(question, history))
    return result.applied.rate.percent, result.total_credit


# ---- the brief's wordings, worked by hand --------------------------------------------------------
JA_BASE = "前3期は8億ずつ、今期10億、売上は4期とも200億、法人税3億"
# increase (10 − 8) / 8 = 25% → 11.5% + (25% − 12%) × 0.375 = 16.375% → 16.3% → ceiling 14%;
# limit 10億 × 14% = 140,000,000; intensity 10/200 = 5% (no bonus);
# cap 25% + min((25% − 4%) × 0.625, 5%) = 30% → 3億 × 30% = 90,000,000, which binds.
JA_BASE_CREDIT = ("14%", 90_000_000)


@pytest.mark.parametrize(
    "question", [JA_BASE, f"R&D税制の控除はいくら？{JA_BASE}", f"「{JA_BASE}」の場合の税額控除額は？"]
)
def test_japanese_each_and_four_years(question):
    inp = ready(question)
    assert inp.rd == 10 * OKU
    assert inp.prior_rd == [8 * OKU] * 3
    assert inp.sales == [200 * OKU] * 4
    assert inp.tax == 3 * OKU
    assert inp.company == "large"
    assert credit(question) == JA_BASE_CREDIT


EN_LARGE = (
    "R&D credit check, large co: R&D this year ¥130,000,000; each of the previous 3 years ¥120,000,000; "
    "sales ¥3bn each year; corporate tax ¥50m"
)


def test_english_large_company_each_year():
    inp = ready(EN_LARGE)
    assert (inp.rd, inp.prior_rd, inp.sales, inp.tax) == (130 * M, [120 * M] * 3, [3 * 10**9] * 4, 50 * M)
    assert inp.company == "large"
    # increase 10/120 = 8.333% → 11.5% − (12% − 8.333%) × 0.25 = 10.583% → 10.5%;
    # limit 130m × 10.5% = 13,650,000;
    # cap 25% + (8.333% − 4%) × 0.625 = 27.708% → 50m × 27.708% = 13,854,166 (does not bind).
    increase = F(10, 120)
    cap_amount = int(50 * M * (F(25, 100) + (increase - F(4, 100)) * F(625, 1000)))
    assert cap_amount == 13_854_166
    assert credit(EN_LARGE) == ("10.5%", 13_650_000)


EN_SME = (
    "how much R&D credit do we get? prior three years 75m, 78m, 80m, this year 80m, we're an SME, tax 30m"
)


def test_english_sme_bare_millions():
    inp = ready(EN_SME)
    assert inp.prior_rd == [75 * M, 78 * M, 80 * M] and inp.rd == 80 * M and inp.tax == 30 * M
    assert inp.company == "sme" and inp.sales is None
    # SME: increase (80 − 77.667) / 77.667 = 3.0% ≤ 12% → 12%; limit 80m × 12% = 9,600,000;
    # cap 25% × 30m = 7,500,000 binds.
    assert credit(EN_SME) == ("12%", 7_500_000)


def test_full_width_digits():
    question = (
        "研究開発税制で控除額いくら？当期の試験研究費１２億円、前３事業年度は各１０億円、"
        "売上高は４期とも１００億円、法人税額５億円"
    )
    inp = ready(question)
    assert (inp.rd, inp.prior_rd, inp.sales, inp.tax) == (12 * OKU, [10 * OKU] * 3, [100 * OKU] * 4, 5 * OKU)
    # increase 20% → 11.5% + 8% × 0.375 = 14.5%; intensity 12% → bonus 1% → 14.645% → ceiling 14%;
    # limit 12億 × 14% = 168,000,000; cap 25% + max(variable 5%, intensity (12% − 10%) × 2 = 4%) = 30%
    # → 5億 × 30% = 150,000,000 binds.
    assert credit(question) == ("14%", 150_000_000)


# ---- each role, many wordings --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "rd", "prior"),
    [
        (
            "R&D税制: 当期の試験研究費12億円、前3事業年度はそれぞれ10億円、11億円、12億円、法人税額5億円",
            12 * OKU,
            [10 * OKU, 11 * OKU, 12 * OKU],
        ),
        (
            "研究開発税制の控除額は？今期の研究開発費は9.4億、前3期は8億・8.5億・9億、法人税3億",
            94 * 10**7,
            [8 * OKU, 85 * 10**7, 9 * OKU],
        ),
        ("R&D税制いくら？過去3年の試験研究費は毎年5億、今年度は6億、法人税1億", 6 * OKU, [5 * OKU] * 3),
        (
            "研究開発税制: 前期9億、前々期8億、3期前7億、当期10億、法人税額2億。控除額は？",
            10 * OKU,
            [9 * OKU, 8 * OKU, 7 * OKU],
        ),
        (
            "R&D tax credit for us: current year R&D ¥1.2bn, "
            "prior 3 years ¥1.0bn, ¥1.1bn and ¥1.2bn, tax ¥0.5bn",
            12 * OKU,
            [10 * OKU, 11 * OKU, 12 * OKU],
        ),
        (
            "R&D credit? R&D ¥80m this year, last three years ¥75m / ¥78m / ¥80m, corporation tax ¥30m",
            80 * M,
            [75 * M, 78 * M, 80 * M],
        ),
        (
            "our R&D credit: this year ¥10m, last year ¥9m, two years ago ¥8m, three years ago ¥7m; tax ¥5m",
            10 * M,
            [9 * M, 8 * M, 7 * M],
        ),
        (
            "R&D credit please: previous 3 years ¥500m every year, this FY ¥600m, corporate tax ¥200m",
            600 * M,
            [500 * M] * 3,
        ),
        (
            "How much R&D credit if comparative R&D is ¥1bn and R&D this year is ¥1.05bn, tax ¥1bn?",
            105 * 10**7,
            [10**9],
        ),
    ],
)
def test_current_and_prior_rd(question, rd, prior):
    inp = ready(question)
    assert inp.rd == rd
    assert inp.prior_rd == prior


@pytest.mark.parametrize(
    ("question", "rd", "prior"),
    [
        (
            "R&D credit: we spent ¥2bn on R&D this year vs ¥1.8bn average over the previous three years; "
            "tax ¥600m",
            2 * 10**9,
            [18 * OKU],
        ),
        (
            "how much R&D tax credit: we spent 300m on R&D this year and 280m each of the last three years, "
            "corp tax 90m",
            300 * M,
            [280 * M] * 3,
        ),
        (
            "研究開発税制で、今期の試験研究費が前3期平均の8億から10億に増えた場合、法人税3億なら控除額は？",
            10 * OKU,
            [8 * OKU],
        ),
        (
            "R&D credit: R&D rose from ¥1bn (prior 3-year average) to ¥1.2bn this year, tax ¥300m",
            12 * OKU,
            [10 * OKU],
        ),
        ("R&D credit: tax ¥20m; R&D ¥80m (this year), ¥70m (each prior year)", 80 * M, [70 * M] * 3),
        (
            "研究開発税制: 試験研究費12億円（当期）、10億円（前3期平均）、法人税額5億円。控除額は？",
            12 * OKU,
            [10 * OKU],
        ),
        ("R&D税制: 前3期は8億、9億、10億 今期12億 法人税3億", 12 * OKU, [8 * OKU, 9 * OKU, 10 * OKU]),
        ("R&D credit: this year: ¥80m, prior years: ¥70m each, tax: ¥20m", 80 * M, [70 * M] * 3),
    ],
)
def test_role_words_after_the_amount_and_rises(question, rd, prior):
    inp = ready(question)
    assert (inp.rd, inp.prior_rd) == (rd, prior)


@pytest.mark.parametrize(
    ("sales_text", "sales"),
    [
        ("売上は4期とも200億", [200 * OKU] * 4),
        ("売上高は各200億円", [200 * OKU] * 4),
        ("売上は今期200億、前3期は190億・180億・170億", [200 * OKU, 190 * OKU, 180 * OKU, 170 * OKU]),
        ("売上金額は200億円", [200 * OKU]),
    ],
)
def test_japanese_sales(sales_text, sales):
    inp = ready(f"研究開発税制の控除額は？今期の試験研究費10億、前3期は8億ずつ、{sales_text}、法人税3億")
    assert inp.sales == sales
    assert inp.rd == 10 * OKU and inp.tax == 3 * OKU


@pytest.mark.parametrize(
    ("sales_text", "sales"),
    [
        ("sales ¥3bn each year", [3 * 10**9] * 4),
        ("revenue flat at ¥3bn", [3 * 10**9] * 4),
        ("sales ¥3bn in every year", [3 * 10**9] * 4),
        ("sales ¥3.0bn, ¥2.9bn, ¥2.8bn and ¥2.7bn", [30 * OKU, 29 * OKU, 28 * OKU, 27 * OKU]),
    ],
)
def test_english_sales(sales_text, sales):
    inp = ready(
        f"R&D credit: this year R&D ¥130m, previous 3 years ¥120m each, {sales_text}, corporate tax ¥40m"
    )
    assert inp.sales == sales


def test_stated_low_ratio_needs_no_sales_and_high_ratio_does():
    low = ready(
        "R&D tax credit? R&D-to-sales ratio under 10%; this year ¥1bn, prior 3 years ¥1bn each, tax ¥1bn"
    )
    assert low.sales is None
    high = rdcredit_from_question(
        "研究開発税制: 試験研究費割合は12%、今期10億、前3期8億ずつ、法人税3億。控除額は？"
    )
    assert high.status == "needs_input" and high.missing == ["sales"]
    assert "売上金額" in high.message_ja and "sales" in high.message_en


@pytest.mark.parametrize(
    ("tax_text", "tax"),
    [
        ("調整前法人税額は5億円", 5 * OKU),
        ("法人税額5億", 5 * OKU),
        ("法人税は5,000万円", 50 * 10**6),
        ("corporate tax before credits ¥500,000,000", 5 * OKU),
        ("corporation tax ¥500m", 5 * OKU),
        ("tax 500m", 5 * OKU),
        ("tax bill JPY 500 million", 5 * OKU),
    ],
)
def test_tax_wordings(tax_text, tax):
    assert ready(f"R&D税制の控除額は？今期10億、前3期8億ずつ、{tax_text}").tax == tax


@pytest.mark.parametrize(
    ("amount", "yen"),
    [
        ("1億2000万円", 120 * M),
        ("1.2億", 120 * M),
        ("12,000万円", 120 * M),
        ("1千万円", 10 * M),
        ("120,000,000円", 120 * M),
        ("¥120,000,000", 120 * M),
        ("JPY 120 million", 120 * M),
        ("¥0.12bn", 120 * M),
        ("120M", 120 * M),
        ("120,000k", 120 * M),
        ("0.12 billion", 120 * M),
        ("１億２０００万円", 120 * M),
    ],
)
def test_units(amount, yen):
    assert ready(f"R&D credit: this year {amount}, prior 3 years ¥100m each, tax ¥10m. how much?").rd == yen


# ---- flags ---------------------------------------------------------------------------------------
CASE = "今期の試験研究費1億円、前3期は9,000万円ずつ、法人税額2,000万円。控除額は？"
# SME: increase 11.11% ≤ 12% → 12%; limit 12,000,000; cap 25% × 20m = 5,000,000 binds.
# General: 11.5% − (12% − 11.11%) × 0.25 = 11.28% → 11.2%; limit 11,200,000;
#   cap 25% + (11.11% − 4%) × 0.625 = 29.44% → 5,888,888 binds; with the venture special +15% → 8,888,888.
SME_CREDIT, GENERAL_CREDIT, VENTURE_CREDIT = ("12%", 5_000_000), ("11.2%", 5_888_888), ("11.2%", 8_888_888)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("中小企業者です。", SME_CREDIT),
        ("中小企業技術基盤強化税制で。", SME_CREDIT),
        ("資本金1億円以下の会社です。", SME_CREDIT),
        ("資本金5,000万円の会社。", SME_CREDIT),
        ("大企業です。", GENERAL_CREDIT),
        ("中小企業ではありません。", GENERAL_CREDIT),
        ("資本金5億円の会社。", GENERAL_CREDIT),
        ("", GENERAL_CREDIT),
        ("ベンチャー特例あり。", VENTURE_CREDIT),
        ("ベンチャー特例の対象外。", GENERAL_CREDIT),
    ],
)
def test_company_type_and_venture_ja(prefix, expected):
    assert credit(prefix + CASE) == expected


@pytest.mark.parametrize(
    ("words", "company", "venture"),
    [
        ("we're an SME", "sme", False),
        ("SME type please", "sme", False),
        ("we are not an SME", "large", False),
        ("large co", "large", False),
        ("big company, venture special applies", "large", True),
        ("large company, no venture special", "large", False),
    ],
)
def test_company_type_and_venture_en(words, company, venture):
    inp = ready(f"R&D credit, {words}: this year ¥100m, prior 3 years ¥90m each, corporate tax ¥20m")
    assert (inp.company, inp.venture) == (company, venture)


@pytest.mark.parametrize(
    "cap_text",
    [
        "控除上限は無視してください",
        "控除上限は考慮しない",
        "上限なしで",
        "ignore the cap",
        "without the cap",
        "no cap please",
    ],
)
def test_cap_switched_off(cap_text):
    question = f"R&D税制: 今期の試験研究費10億、前3期は8億ずつ、売上200億、法人税5000万。{cap_text}"
    inp = ready(question)
    assert inp.tax is None
    assert credit(question) == ("14%", 140_000_000)  # 10億 × 14%, no cap


def test_cap_applies_unless_switched_off():
    # cap 30% × 5000万 = 15,000,000 binds against 140,000,000.
    assert credit("R&D税制: 今期の試験研究費10億、前3期は8億ずつ、売上200億、法人税5000万。控除額は？") == (
        "14%",
        15_000_000,
    )


def test_cap_off_needs_no_tax():
    assert (
        ready("研究開発税制: 今期の試験研究費10億、前3期は8億ずつ。控除上限は無視して控除額を計算して").tax
        is None
    )


@pytest.mark.parametrize(
    "cap_text",
    [
        "use the basic 25% cap only",
        "ignore the variable cap adjustment",
        "控除上限は原則25%のみ",
        "変動型の上乗せは無視",
    ],
)
def test_basic_cap_only(cap_text):
    question = f"R&D credit: this year ¥1.2bn, prior 3 years ¥1bn each, tax ¥500m. {cap_text}"
    assert ready(question).basic_cap_only is True
    # limit 1.2bn × 14% = 168m; basic cap 25% × 500m = 125,000,000 binds (variable +5% ignored).
    assert credit(question) == ("14%", 125_000_000)


@pytest.mark.parametrize(
    "question",
    [
        "設立事業年度です。試験研究費5,000万円、売上10億円、法人税額3,000万円。控除額は？",
        "We were just founded (founding year): R&D this year ¥50m, sales ¥1bn, corporate tax ¥30m. "
        "R&D credit?",
    ],
)
def test_founding_year_needs_no_prior(question):
    inp = ready(question)
    assert inp.founding_year is True and inp.prior_rd == []
    # founding year → 8.5%; 50m × 8.5% = 4,250,000; cap 25% × 30m = 7,500,000 (spec Case 13).
    assert credit(question) == ("8.5%", 4_250_000)


# ---- statuses ------------------------------------------------------------------------------------
def test_missing_tax_is_named():
    proposal = rdcredit_from_question("研究開発税制の控除額は？今期10億、前3期8億ずつ、売上200億")
    assert proposal.status == "needs_input" and proposal.input is None
    assert proposal.missing == ["tax"]
    assert "調整前法人税額" in proposal.message_ja and "corporate tax" in proposal.message_en
    assert "当期の試験研究費" in proposal.message_ja  # what was read is listed too


def test_missing_prior_is_named():
    proposal = rdcredit_from_question("how much R&D credit? R&D this year ¥100m, corporate tax ¥20m")
    assert proposal.status == "needs_input" and proposal.missing == ["prior_rd"]
    assert "前3事業年度の試験研究費" in proposal.message_ja and "prior 3 years' R&D" in proposal.message_en


def test_missing_prior_and_tax():
    proposal = rdcredit_from_question("試験研究費が12億円の場合の控除率は？")
    assert proposal.status == "needs_input" and proposal.missing == ["prior_rd", "tax"]


def test_too_many_prior_values_is_unclear():
    proposal = rdcredit_from_question(
        "R&D credit: this year ¥10m, previous years ¥9m, ¥8m, ¥7m, ¥6m, tax ¥5m"
    )
    assert proposal.status == "needs_input" and proposal.unclear == ["prior_rd"]
    assert "前3事業年度の試験研究費" in proposal.message_ja


@pytest.mark.parametrize(
    "question",
    [
        "GII 2024で名古屋は何位ですか。",
        "研究開発税制の控除率は何%ですか",
        "What does the deck say about the R&D tax credit?",
        "研究開発税制の控除上限は法人税額の何%？",
        "試験研究費は約19兆円ですか？",
        "Which startups raised $100m in 2024?",
        "売上高は200億円です",
    ],
)
def test_not_a_calculation(question):
    proposal = rdcredit_from_question(question)
    assert proposal.status == "not_applicable" and proposal.input is None


# ---- follow-ups (history: question, answer, ... oldest first) ------------------------------------
JA_THREAD = (f"R&D税制の控除はいくら？{JA_BASE}", "税額控除額: 90,000,000円（控除率 14%）")
EN_BASE = (
    "R&D credit, large company: R&D this year ¥130m, previous 3 years ¥120m each, sales ¥3bn each year, "
    "corporate tax ¥40m. How much?"
)
EN_THREAD = (EN_BASE, "Credit: ¥10,000,000 (credit rate 10.5%)")


def test_en_base_cap_binds():
    # limit 13,650,000; cap 27.708% × 40m = 11,083,333 binds.
    assert credit(EN_BASE) == ("10.5%", 11_083_333)


@pytest.mark.parametrize(
    "follow_up", ["what if we were an SME?", "SME type instead?", "how about as an SME?"]
)
def test_follow_up_sme_en(follow_up):
    proposal = rdcredit_from_question(follow_up, EN_THREAD)
    assert proposal.status == "ready" and proposal.follow_up is True
    assert proposal.input.company == "sme" and proposal.input.rd == 130 * M
    # SME: increase 8.33% ≤ 12% → 12%; limit 15,600,000; cap 25% × 40m = 10,000,000 binds.
    assert credit(follow_up, EN_THREAD) == ("12%", 10_000_000)


@pytest.mark.parametrize("follow_up", ["中小企業技術基盤強化税制が使えたら？", "中小企業の制度を選べれば？"])
def test_follow_up_sme_ja_as_a_verb_conditional(follow_up):
    # a Japanese conditional is a verb ending (使えたら, 選べれば), not a word of its own
    assert credit(follow_up, JA_THREAD) == ("16.8%", 105_000_000)


def test_follow_up_sme_ja():
    # SME: increase 25% → 12% + 13% × 0.375 = 16.875% → 16.8%; limit 168,000,000; cap 25% + 10% = 35%
    # → 3億 × 35% = 105,000,000 binds.
    assert credit("中小企業だったら？", JA_THREAD) == ("16.8%", 105_000_000)


@pytest.mark.parametrize(
    ("follow_up", "thread"), [("控除上限なしだと？", JA_THREAD), ("without the cap?", EN_THREAD)]
)
def test_follow_up_no_cap(follow_up, thread):
    inp = ready(follow_up, thread)
    assert inp.tax is None
    expected = ("14%", 140_000_000) if thread is JA_THREAD else ("10.5%", 13_650_000)
    assert credit(follow_up, thread) == expected


def test_follow_up_new_rd():
    inp = ready("and if R&D were 12億?", JA_THREAD)
    assert inp.rd == 12 * OKU and inp.prior_rd == [8 * OKU] * 3 and inp.tax == 3 * OKU


def test_follow_up_new_tax():
    inp = ready("tax 5億なら？", JA_THREAD)
    assert inp.tax == 5 * OKU and inp.rd == 10 * OKU
    # cap 30% × 5億 = 150,000,000 no longer binds: 140,000,000.
    assert credit("tax 5億なら？", JA_THREAD) == ("14%", 140_000_000)


def test_follow_ups_chain():
    thread = (*JA_THREAD, "中小企業だったら？", "税額控除額: 105,000,000円")
    # SME without the cap: 10億 × 16.8% = 168,000,000.
    assert credit("控除上限なしだと？", thread) == ("16.8%", 168_000_000)


def test_follow_up_completes_a_needs_input_question():
    thread = (
        "研究開発税制の控除額は？今期10億、前3期8億ずつ、売上200億",
        "計算には次の入力が必要です: 調整前法人税額",
    )
    assert credit("法人税は3億なら？", thread) == JA_BASE_CREDIT


def test_follow_up_needs_an_earlier_calculation():
    assert rdcredit_from_question("what if we were an SME?").status == "not_applicable"
    assert (
        rdcredit_from_question("中小企業だったら？", ("GII 2024で名古屋は何位？", "15位")).status
        == "not_applicable"
    )


def test_unrelated_question_after_a_calculation():
    assert rdcredit_from_question("GII 2024で名古屋は何位ですか。", JA_THREAD).status == "not_applicable"
    assert rdcredit_from_question("Summarise the startup section.", EN_THREAD).status == "not_applicable"


def test_a_new_full_question_replaces_the_thread():
    inp = ready(EN_SME, JA_THREAD)
    assert inp.rd == 80 * M and inp.company == "sme"
    assert rdcredit_from_question(EN_SME, JA_THREAD).follow_up is False
