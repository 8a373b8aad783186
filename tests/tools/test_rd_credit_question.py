"""rdcredit_from_question on the sample questions (q025 / q030) and the earlier parser's cases."""

from tools.rd_credit import compute_rd_credit
from tools.rd_credit_question import rdcredit_from_question

Q025 = (
    "研究開発税制（一般型）の計算問題です。大企業（中小企業・ベンチャー特例の対象外、試験研究費割合は10%以下）で、"
    "前3事業年度の試験研究費がそれぞれ1,000,000,000円、1,000,000,000円、1,000,000,000円、当期の試験研究費が"
    "1,000,000,000円でした。資料の控除率カーブに基づく控除率と税額控除額（円）はいくらですか。法人税額は十分大きく"
    "控除上限は考慮しなくてよいものとします。"
)
Q030 = (
    "A large Japanese company (not an SME, no venture speci"
    "al rule, R&D-to-sales ratio of 10% or less) claims the "
    "general-type R&D tax credit. R&D spending in the three previous fiscal years was ¥3,000,000,000, "
    "¥3,200,000,000 and ¥3,400,000,000; this year it is ¥3,296,000,000. Its corporate tax before credits is "
    "¥1,000,000,000. Applying the deck's credit-rate curve ("
    "rate truncated to three decimal places as a ratio) and "
    "the basic credit cap of 25% of corporate tax (ignore t"
    "he variable/add-on cap adjustments), what credit rate "
    "applies and how much credit (in yen) can it take?"
)


def _ready(question: str):
    proposal = rdcredit_from_question(question)
    assert proposal.status == "ready", (proposal.missing, proposal.unclear, proposal.message_en)
    assert proposal.input is not None
    return proposal.input


def test_sample_q025_reads_and_computes_8_5_percent():
    inp = _ready(Q025)
    assert inp.rd == 1_000_000_000
    assert inp.prior_rd == [1_000_000_000] * 3
    assert inp.company == "large" and inp.venture is False
    assert inp.tax is None and inp.sales is None  # the cap is switched off; ratio ≤ 10% stated
    result = compute_rd_credit(inp)
    assert result.general.rate.percent == "8.5%"  # increase 0% → 8.5% (spec Case 4)
    assert result.total_credit == 85_000_000  # 1,000,000,000 × 8.5%


def test_sample_q030_reads_and_computes_250m():
    inp = _ready(Q030)
    assert inp.prior_rd == [3_000_000_000, 3_200_000_000, 3_400_000_000]
    assert inp.rd == 3_296_000_000
    assert inp.tax == 1_000_000_000
    assert inp.basic_cap_only is True
    assert inp.company == "large" and inp.venture is False
    result = compute_rd_credit(inp)
    assert result.general.rate.percent == "9.2%"  # 11.5% − (12% − 3%) × 0.25 = 9.25% → 9.2%
    assert result.total_credit == 250_000_000  # 25% × 1,000,000,000 binds


def test_japanese_sme_with_sales_and_each():
    inp = _ready(
        "当期の試験研究費が3,000万円、前3事業年度の試験研究費はいずれも2,500万円、売上高は各5億円、"
        "法人税額は1,500万円の中小企業者です。控除額は？"
    )
    assert inp.company == "sme"
    assert inp.prior_rd == [25_000_000] * 3
    assert inp.sales == [500_000_000] * 4
    assert compute_rd_credit(inp).total_credit == 4_500_000  # spec Case 12


def test_founding_year_question():
    inp = _ready("設立事業年度の試験研究費5,000万円、売上10億円、法人税額3,000万円の場合の税額控除額は？")
    assert inp.founding_year is True and inp.prior_rd == []
    assert compute_rd_credit(inp).total_credit == 4_250_000  # spec Case 13


def test_english_bn_amounts():
    inp = _ready(
        "Our R&D this year is ¥1.2bn; R&D in the prior three years was ¥1bn each; corporate tax is ¥400m yen."
    )
    assert inp.rd == 1_200_000_000 and inp.prior_rd == [1_000_000_000] * 3 and inp.tax == 400_000_000


def test_not_a_calculation_or_not_enough():
    assert rdcredit_from_question("研究開発税制の控除率は何%ですか").status == "not_applicable"
    assert rdcredit_from_question("売上高は200億円です").status == "not_applicable"
    no_prior = rdcredit_from_question("当期の試験研究費は12億円の場合、控除額は？")
    assert no_prior.status == "needs_input" and "prior_rd" in no_prior.missing


def test_oi_amounts_are_read_by_partner():
    inp = _ready(
        "大学との共同研究費1億円、当期の試験研究費12億円、前3年の試験研究費10億円、法人税5億円で控除額は？"
    )
    assert inp.oi is not None and inp.oi.university == 100_000_000 and inp.oi.total == 100_000_000
    assert inp.rd == 1_200_000_000 and inp.prior_rd == [1_000_000_000]


def test_comparative_rd_and_periods_named_differently():
    inp = _ready(
        "比較試験研究費が10億円、当期の試験研究費が10億5,000万円、調整前法人税額が10億円のとき控除額はいくら？"
    )
    assert inp.prior_rd == [1_000_000_000] and inp.rd == 1_050_000_000 and inp.tax == 1_000_000_000
    assert compute_rd_credit(inp).general.rate.percent == "9.7%"  # spec Case 5 rate


def test_high_intensity_without_sales_is_not_guessed():
    text = (
        "試験研究費割合は15%で、前3事業年度の試験研究費は各14億円、当期の試験研究費は15億円です。控除率は？"
    )
    proposal = rdcredit_from_question(text)
    assert proposal.status == "needs_input" and "sales" in proposal.missing


def test_a_period_written_after_a_list_is_the_whole_lists():
    # English puts the period after the list: "¥a, ¥b and ¥c over the past three years and ¥d this year"
    question = (
        "rd credit check: our R&D spend was ¥100m, ¥110m and ¥120m over the past three years and ¥150m this "
        "year. Revenue was ¥2.0bn, ¥2.1bn and ¥2.2bn in the prior years and ¥2.4bn this year; corp tax ¥40m."
    )
    data = _ready(question)
    assert data.prior_rd == [100_000_000, 110_000_000, 120_000_000]
    assert data.rd == 150_000_000
    assert data.sales == [2_400_000_000, 2_000_000_000, 2_100_000_000, 2_200_000_000]  # this year's first
    assert data.tax == 40_000_000


def test_rd_credit_without_the_word_tax_is_the_calculator():
    # "rd credit" / "how much credit" name the calculator: too few amounts is needs_input, not "no tool"
    for question in (
        "whats our rd credit with R&D at ¥500m this year?",
        "how much credit do we get on ¥500m of R&D?",
    ):
        proposal = rdcredit_from_question(question)
        assert proposal.status == "needs_input", question
        assert "prior_rd" in proposal.missing


def test_a_list_whose_period_follows_it_after_a_semicolon_is_read_whole():
    question = (
        "R&D credit pls. R&D ¥90,000,000 this year; ¥70,000,000 / ¥75,000,000 / ¥80,000,000 in the 3 prior "
        "years. corp tax ¥30,000,000"
    )
    data = _ready(question)
    assert (data.rd, data.prior_rd) == (90_000_000, [70_000_000, 75_000_000, 80_000_000])


def test_negated_sme_words_and_the_rate_add_on_are_read_as_written():
    question = (
        "研究開発税制（一般型）で計算して。当社は中小企業者に該当せず、当期の試験研究費は12億円、前3期は10億円ずつ、"
        "売上高は各期とも100億円、法人税額は2億円。控除率の上乗せ（注４）と控除上限も考慮してください。"
    )
    proposal = rdcredit_from_question(question)
    assert proposal.status == "ready"
    assert proposal.input.company == "large"
    assert proposal.input.basic_cap_only is False  # 「控除率の上乗せ」 is the rate bonus, not the cap add-on


def test_a_later_period_overrides_one_only_copied_along_the_list():
    question = (
        "We're an SME. R&D: ¥45m this year, ¥40m, ¥40m and ¥42m the three years before. Corporate tax ¥12m."
    )
    data = _ready(question)
    assert (data.rd, data.prior_rd, data.tax) == (
        45_000_000,
        [40_000_000, 40_000_000, 42_000_000],
        12_000_000,
    )


def test_everyday_period_words():
    casual = "研究費が去年8億、一昨年7.5億、その前7億で、今年は9億。法人税額2.5億。いくら控除できる？"
    assert (_ready(casual).rd, _ready(casual).prior_rd) == (
        900_000_000,
        [800_000_000, 750_000_000, 700_000_000],
    )
    fiscal = "Large corp. FY R&D ¥3.0bn; FY-1 ¥2.8bn, FY-2 ¥2.7bn, FY-3 ¥2.6bn. Tax ¥900m. R&D tax credit?"
    assert _ready(fiscal).prior_rd == [2_800_000_000, 2_700_000_000, 2_600_000_000]


def test_a_bracketed_aside_negates_only_itself():
    question = (
        "中小企業技術基盤強化税制の計算です。資本金5,000万円の中小企業者（適用除外事業者ではない）で、前3期の試験研究費は"
        "各32,000,000円、当期40,000,000円、売上は各期800,000,000円、法人税額30,000,000円。"
    )
    assert _ready(question).company == "sme"


def test_naming_the_variable_cap_without_ignoring_it_keeps_the_whole_cap():
    question = (
        "general-type R&D credit: prior 3 years R&D ¥2,000,000,000 each, this year ¥2,140,000,000, sales "
        "¥30,000,000,000 each year, tax ¥700,000,000. how much can it deduct, including the variable cap?"
    )
    slots = _ready(question)
    assert slots.basic_cap_only is False
    assert compute_rd_credit(slots).total_credit == 188_125_000  # 25% + (7% − 4%) × 0.625 = 26.875% of tax
